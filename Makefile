# Countersign: the two commands a newcomer needs are `make run` and `make test`.
# Both install missing Debian packages first (scripts/install-deps.sh).

SWIFT_BUILD := swift build
BIN_DEBUG := .build/debug/countersign
BIN_RELEASE := .build/release/countersign

.PHONY: run test build release unit integration browser bench clean deps

## run: nginx on http://127.0.0.1:8080 in front of a worker pool; Ctrl-C stops everything.
run: deps release
	@scripts/dev-run.sh $(BIN_RELEASE)

## test: every test: Swift unit and in-process tests, the binary behind real nginx, a browser.
test:
	@scripts/install-deps.sh --test
	$(SWIFT_BUILD)
	swift test --parallel
	python3 -m pytest -q -p no:cacheprovider Tests/Integration
	@echo "make test: all suites passed"

## bench: Countersign beside a bare libfcgi worker behind one nginx: ratios, sign-ins vs raw Argon2id,
## the phone loop, worker memory (prints numbers, asserts nothing; see scripts/bench/bench.py for the
## knobs, e.g. `BENCH_SECONDS=1 BENCH_REPS=1 BENCH_LOOP_SECONDS=10 BENCH_MEMORY_REQUESTS=2000 make bench`).
bench:
	@scripts/install-deps.sh --bench
	$(SWIFT_BUILD) -c release
	python3 scripts/bench/bench.py $(BIN_RELEASE)

deps:
	@scripts/install-deps.sh

build: deps
	$(SWIFT_BUILD)

release: deps
	$(SWIFT_BUILD) -c release

clean:
	rm -rf .build run
