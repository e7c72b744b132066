"""SMS pumping and abuse defenses against the running stack (nginx + a pool of two workers):
limits per destination region and per number range shared by the workers, the operator's block
list, per-client limits by /64, the events command, file modes (CONTRACT.md §1, §2, §6, §8)."""
import json
import os
import re
import stat
import subprocess

import pytest

from database import ENGINE
from fake_providers import phone_config, phone_user, sms_outbox
from harness import ANTIFORGERY_FIELD, binary_path, run_threads

GUARD_MESSAGE = "Sending a code to this number is not possible right now."
# Valid US numbers, each in another range (E.164 without its last 4 digits).
RANGES = ["+12015550123", "+12125550123", "+13125550123", "+14155550123", "+16175550123",
          "+17185550123", "+12065550123", "+13055550123"]


def countersign(site, *args):
    environment = {k: v for k, v in os.environ.items() if k not in ("COUNTERSIGN_CONFIG", "GATEWAY_INTERFACE")}
    return subprocess.run([str(binary_path()), *args, "--config", str(site.conf_path)], env=environment,
                          capture_output=True, text=True, timeout=60)


def parallel_sends(site, numbers):
    users = [phone_user(site) for _ in numbers]
    tokens = [site.form_token(s, "/ConfirmPhoneNumber") for s, _ in users]

    def send(i):
        s, _ = users[i]
        return s.post(site.url("/SendPhoneVerificationCode"), data={ANTIFORGERY_FIELD: tokens[i], "PhoneNumber": numbers[i]},
                      allow_redirects=False, timeout=60)
    return run_threads(len(numbers), send)


def assert_neutral_429(response):
    assert response.status_code == 429, (response.status_code, response.text[:1000])
    assert response.headers.get("Retry-After", "").isdigit()
    assert GUARD_MESSAGE in response.text
    for word in ("region", "prefix", "conversion", "block"):
        assert word not in response.text.lower().split("</header>")[-1], word


def test_a_burst_to_one_region_stops_at_its_limit_across_two_workers(make_site):
    site = make_site(phone_config({"sms.max_per_region_per_hour": "4", "sms.max_per_prefix_per_hour": "0"}), workers=2)
    results = parallel_sends(site, RANGES)
    statuses = sorted(r.status_code for r in results)
    assert statuses == [303] * 4 + [429] * 4, statuses
    assert len(sms_outbox(site)) == 4
    for r in results:
        if r.status_code == 429:
            assert_neutral_429(r)


def test_a_burst_to_one_number_range_stops_at_its_limit_across_two_workers(make_site):
    site = make_site(phone_config({"sms.max_per_prefix_per_hour": "3"}), workers=2)
    numbers = [f"+120155501{10 + i}" for i in range(8)]
    results = parallel_sends(site, numbers)
    statuses = sorted(r.status_code for r in results)
    assert statuses == [303] * 3 + [429] * 5, statuses
    assert len(sms_outbox(site)) == 3
    # Another range is not affected.
    [other] = parallel_sends(site, ["+12125550123"])
    assert other.status_code == 303


def test_a_blocked_number_never_gets_an_sms_and_the_events_command_shows_why(make_site):
    site = make_site(phone_config())
    blocked = "+12015550150"
    done = countersign(site, "number", "block", blocked, "--until", "30d")
    assert done.returncode == 0, done.stderr
    listed = countersign(site, "number", "list")
    assert listed.returncode == 0 and listed.stdout.startswith(blocked + "\t"), listed.stdout

    [refused] = parallel_sends(site, [blocked])
    assert_neutral_429(refused)
    assert all(m["to"] != blocked for m in sms_outbox(site))
    assert countersign(site, "send-test-sms", blocked).returncode == 1
    assert all(m["to"] != blocked for m in sms_outbox(site))

    assert countersign(site, "number", "unblock", blocked).returncode == 0
    assert countersign(site, "number", "unblock", blocked).returncode == 1
    [sent] = parallel_sends(site, [blocked])
    assert sent.status_code == 303
    assert sms_outbox(site)[-1]["to"] == blocked

    # A failed sign-in too, then the events, oldest first, as JSON Lines.
    s, email = phone_user(site)
    assert site.login(site.session(), email, "not the password at all").status_code == 422
    out = countersign(site, "events", "--since", "1h")
    assert out.returncode == 0, out.stderr
    events = [json.loads(line) for line in out.stdout.splitlines()]
    kinds = [e["kind"] for e in events]
    for kind in ("number-blocked", "limit-hit", "number-unblocked", "code-sent", "sign-in-failed"):
        assert kind in kinds, kinds
    assert kinds.index("number-blocked") < kinds.index("limit-hit") < kinds.index("number-unblocked")
    refusal = next(e for e in events if e["kind"] == "limit-hit")
    assert refusal["detail"].startswith("blockedNumber"), refusal
    assert refusal["client"] == "127.0.0.1" and refusal["user_id"] and refusal["time"].endswith("Z")
    assert refusal["phone"] == "US ••50"
    # Never a whole number, never a code.
    assert not re.search(r"\+?1201555\d{4}", out.stdout), out.stdout
    for message in sms_outbox(site):
        code = re.search(r"#(\d+)", message["body"]).group(1)
        assert code not in out.stdout

    mine = countersign(site, "events", "--user", email)
    assert mine.returncode == 0
    user_id = site.user_row(email)["Id"]
    assert {json.loads(line)["user_id"] for line in mine.stdout.splitlines()} == {user_id}
    assert countersign(site, "events", "--user", "nobody@example.com").returncode == 1
    assert countersign(site, "events", "--since", "soon").returncode == 2


def test_sixty_five_addresses_of_one_slash_64_share_one_limit(make_site):
    site = make_site({"server.trusted_proxies": "127.0.0.1", "email.lookups_per_ip_per_hour": "64"})
    s = site.session()
    answers = [s.get(site.url("/IsEmailAvailable"), params={"Email": f"a{i}@example.com"},
                     headers={"X-Forwarded-For": f"2001:db8:7:8:{i:x}::{i:x}"}).status_code for i in range(1, 66)]
    assert answers == [200] * 64 + [429], answers
    other = s.get(site.url("/IsEmailAvailable"), params={"Email": "b@example.com"}, headers={"X-Forwarded-For": "2001:db8:7:9::1"})
    assert other.status_code == 200


@pytest.mark.skipif(ENGINE != "sqlite", reason="SQLite's files; PostgreSQL keeps its own")
def test_the_database_files_are_0600(site):
    site.register()
    for suffix in ("", "-wal", "-shm"):
        path = str(site.db_path) + suffix
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600, (path, oct(os.stat(path).st_mode))


def test_the_default_allowed_region_is_the_default_region_alone(make_site):
    site = make_site({"phone.allowed_regions": None})
    r = site.register(phone="+44 7400 123456")
    assert r.status_code == 422
    assert site.register(phone="+1 201 555 0123").status_code == 303
