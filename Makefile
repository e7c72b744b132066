# Countersign: the two commands a newcomer needs are `make run` and `make test`.
# Both install missing Debian packages first (scripts/install-deps.sh).

SWIFT_BUILD := swift build
BIN_DEBUG := .build/debug/countersign
BIN_RELEASE := .build/release/countersign

.PHONY: run test test-suites build release unit integration browser bench clean deps

## run: nginx on http://127.0.0.1:8080 in front of a worker pool; Ctrl-C stops everything.
run: deps release
	@scripts/dev-run.sh $(BIN_RELEASE)

# The storage suites that run a second time on PostgreSQL (same test code, both engines).
POSTGRES_SUITES := StorageTests\.(UserStoreTests|SessionStoreTests|SessionAndUserTests|RateLimitStoreTests|RateLimitBucketTests|SecurityEventLogTests|ConcurrentRegistrationTests|BlockedNumberStoreTests|AccountRecoveryStoreTests|PostgresSchemaTests|StorageCopyTests)|PhoneTests

## test: every test: Swift unit and in-process tests (storage on SQLite and on PostgreSQL), the
## binary behind real nginx, a browser. A private PostgreSQL server runs for the whole of it.
test:
	@scripts/install-deps.sh --test
	$(SWIFT_BUILD)
	@scripts/test-postgres.sh $(MAKE) --no-print-directory test-suites
	@echo "make test: all suites passed"

# The integration tests that run a second time with every site on PostgreSQL: the account and
# phone flows, sign-in, limits and abuse guards, two pools on one database, the outage.
POSTGRES_INTEGRATION := $(addprefix Tests/Integration/,test_storage.py test_register.py test_email_confirmation.py \
	test_login.py test_manage.py test_phone_flow.py test_abuse.py test_two_factor.py test_password_reset.py \
	test_phone_change_and_personal_data.py test_operations.py)

test-suites:
	swift test --parallel
	COUNTERSIGN_TEST_STORAGE=postgres swift test --parallel --filter '$(POSTGRES_SUITES)'
	python3 -m pytest -q -p no:cacheprovider Tests/Integration
	COUNTERSIGN_IT_STORAGE=postgres python3 -m pytest -q -p no:cacheprovider $(POSTGRES_INTEGRATION)

## bench: Countersign beside a bare libfcgi worker behind one nginx: ratios, sign-ins vs raw Argon2id,
## the phone loop, worker memory (prints numbers, asserts nothing; see scripts/bench/bench.py for the
## knobs, e.g. `BENCH_SECONDS=1 BENCH_REPS=1 BENCH_LOOP_SECONDS=10 BENCH_MEMORY_REQUESTS=2000 make bench`).
bench:
	@scripts/install-deps.sh --bench
	$(SWIFT_BUILD) -c release
	python3 scripts/bench/bench.py $(BIN_RELEASE)
	@echo "== the same pages and phone loop with storage.provider = postgres (a private server on loopback)"
	@scripts/test-postgres.sh env BENCH_STORAGE=postgres BENCH_ENDPOINTS=$${BENCH_POSTGRES_ENDPOINTS:-2,5} python3 scripts/bench/bench.py $(BIN_RELEASE)
	python3 Tests/Integration/callgrind_hot_path.py $(BIN_RELEASE)

deps:
	@scripts/install-deps.sh

build: deps
	$(SWIFT_BUILD)

release: deps
	$(SWIFT_BUILD) -c release

clean:
	rm -rf .build run
