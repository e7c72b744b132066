"""What operators and monitoring read: `countersign status`, `/Metrics` (the whole pool),
`/Health`, and the `countersign user …` commands (CONTRACT.md §1, §3, §8)."""
import json
import re
import sqlite3
import subprocess
import time

import pytest
import requests

from database import ENGINE
from fake_providers import code_in, enter_code, last_sms, phone_config, send_code, security_events
from harness import DEFAULT_PASSWORD, Site


def countersign(site: Site, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(site.binary), *args, "--config", str(site.conf_path)],
                          capture_output=True, text=True, timeout=30)


def status(site: Site) -> dict:
    r = countersign(site, "status", "--json")
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def metrics(site: Site, headers: dict | None = None) -> dict[str, float]:
    """`/Metrics` as {series: value}; asserts the Prometheus 0.0.4 content type."""
    r = requests.get(site.url("/Metrics"), headers=headers or {}, timeout=10)
    assert r.status_code == 200, r.status_code
    assert r.headers["Content-Type"].startswith("text/plain; version=0.0.4")
    values = {}
    for line in r.text.splitlines():
        if line and not line.startswith("#"):
            series, value = line.rsplit(" ", 1)
            values[series] = float(value)
    return values


@pytest.fixture(scope="module")
def osite():
    s = Site.start(phone_config({"tokens.resend_cooldown": "60s", "server.trusted_proxies": "127.0.0.1/32"}))
    try:
        yield s
    finally:
        s.stop()


# ----- status ---------------------------------------------------------------------------------

def test_status_shows_the_running_pool(osite):
    # A worker is "starting" until it reaches its accept loop.
    deadline = time.monotonic() + 10
    while any(w["state"] == "starting" for w in status(osite)["workers"]):
        assert time.monotonic() < deadline, status(osite)
        time.sleep(0.05)
    data = status(osite)
    assert data["supervisor"]["pid"] == osite.serve.pid
    assert data["supervisor"]["uptime_seconds"] >= 0
    assert sorted(w["pid"] for w in data["workers"]) == sorted(osite.worker_pids())
    for worker in data["workers"]:
        assert worker["state"] in ("idle", "busy")
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", worker["started_at"])
    text = countersign(osite, "status")
    assert text.returncode == 0
    assert f"pid {osite.serve.pid}" in text.stdout
    for pid in osite.worker_pids():
        assert re.search(rf"^{pid}\s+(idle|busy)\s+\d+\s+\d{{4}}-", text.stdout, re.M), text.stdout


def test_status_counts_the_requests_each_worker_served(osite):
    before = sum(w["requests"] for w in status(osite)["workers"])
    for _ in range(10):
        assert requests.get(osite.url("/Login"), timeout=5).status_code == 200
    deadline = time.monotonic() + 5
    while sum(w["requests"] for w in status(osite)["workers"]) < before + 10:
        assert time.monotonic() < deadline, status(osite)


def test_status_exits_1_when_no_pool_runs(tmp_path):
    s = Site.start(root=tmp_path)
    s.stop()
    r = countersign(s, "status")
    assert r.returncode == 1
    assert "no pool" in r.stderr


# ----- metrics --------------------------------------------------------------------------------

def test_metrics_count_the_whole_pool(osite):
    # Enough requests that both workers serve some; status proves they did.
    deadline = time.monotonic() + 20
    while not all(w["requests"] > 0 for w in status(osite)["workers"]):
        assert time.monotonic() < deadline
        requests.get(osite.url("/Login"), timeout=5)
    first = metrics(osite)
    s, email = osite.signed_in()
    assert send_code(osite, s, "+12015550177").status_code == 303
    assert send_code(osite, s, "+12015550177").status_code == 429, "cooldown"
    code = code_in(last_sms(osite, "+12015550177")["body"])
    assert enter_code(osite, s, code).status_code == 303
    osite.login(osite.session(), email, "wrong password")
    for _ in range(20):
        requests.get(osite.url("/Login"), timeout=5)

    # Every worker answers /Metrics with the same, pool-wide numbers.
    answers = [metrics(osite) for _ in range(6)]
    after = answers[-1]

    def moved(series: str) -> float:
        return after.get(series, 0) - first.get(series, 0)

    assert moved('countersign_signins_total{result="success"}') == 1
    assert moved('countersign_signins_total{result="failure"}') == 1
    assert moved('countersign_sms_sent_total{region="US"}') == 1
    assert moved('countersign_codes_verified_total{region="US"}') == 1
    assert moved('countersign_sms_refused_total{reason="cooldown"}') == 1
    assert moved('countersign_requests_total{route="/login",status="200"}') >= 20
    assert moved('countersign_requests_total{route="/sendphoneverificationcode",status="429"}') == 1
    assert after["countersign_workers"] == 2
    # Each answer counts the one before it (the /Metrics requests themselves): one counter for all.
    metric_requests = [a.get('countersign_requests_total{route="/metrics",status="200"}', 0) for a in answers]
    assert metric_requests == [metric_requests[0] + i for i in range(6)], metric_requests
    # And the total is what the workers served (status), whichever worker answered.
    total = sum(v for k, v in after.items() if k.startswith("countersign_requests_total"))
    deadline = time.monotonic() + 5
    while sum(w["requests"] for w in status(osite)["workers"]) != total + 1:
        assert time.monotonic() < deadline, (total, status(osite))


def test_metrics_are_refused_outside_status_allow(osite):
    # trusted_proxies = 127.0.0.1/32: nginx's X-Forwarded-For names the client.
    r = requests.get(osite.url("/Metrics"), headers={"X-Forwarded-For": "203.0.113.9"}, timeout=5)
    assert r.status_code == 404
    assert "countersign_" not in r.text
    assert metrics(osite, {"X-Forwarded-For": "127.0.0.1"})


def test_status_allow_admits_a_configured_network(make_site):
    s = make_site({"server.trusted_proxies": "127.0.0.1/32", "server.status_allow": "10.0.0.0/8"})
    assert metrics(s, {"X-Forwarded-For": "10.1.2.3"})["countersign_workers"] == 2
    assert requests.get(s.url("/Metrics"), timeout=5).status_code == 404, "127.0.0.1 is no longer allowed"


# ----- health ---------------------------------------------------------------------------------

def test_health_is_ok_when_storage_answers(osite):
    r = requests.get(osite.url("/Health"), timeout=5)
    assert (r.status_code, r.text) == (200, "ok\n")
    assert r.headers["Content-Type"].startswith("text/plain")
    assert "Set-Cookie" not in r.headers


@pytest.mark.skipif(ENGINE != "sqlite", reason="SQLite's file; PostgreSQL's outage is in test_storage.py")
def test_health_is_503_while_the_database_is_locked(make_site):
    s = make_site()
    conn = sqlite3.connect(s.db_path, timeout=1, isolation_level=None)
    try:
        conn.execute("BEGIN EXCLUSIVE")
        r = requests.get(s.url("/Health"), timeout=10)
        assert r.status_code == 503, r.text
    finally:
        conn.execute("ROLLBACK")
        conn.close()
    assert requests.get(s.url("/Health"), timeout=5).status_code == 200


@pytest.mark.skipif(ENGINE != "sqlite", reason="SQLite's file; PostgreSQL's outage is in test_storage.py")
def test_health_is_503_when_the_database_file_is_gone(make_site):
    s = make_site()
    assert requests.get(s.url("/Health"), timeout=5).status_code == 200
    s.db_path.rename(s.db_path.with_suffix(".moved"))
    s.db_path.mkdir()
    assert requests.get(s.url("/Health"), timeout=5).status_code == 503


# ----- user commands --------------------------------------------------------------------------

def test_user_show_tells_what_an_operator_needs_and_no_secret(osite):
    email = osite.new_user()
    r = countersign(osite, "user", "show", email)
    assert r.returncode == 0, r.stderr
    row = osite.user_row(email)
    assert email in r.stdout and row["Id"] in r.stdout and "+12015550123" in r.stdout
    assert "confirmed" in r.stdout and "not locked" in r.stdout
    assert row["PasswordHash"] not in r.stdout and row["SecurityStamp"] not in r.stdout
    assert row["ConcurrencyStamp"] not in r.stdout and "$argon2" not in r.stdout


@pytest.mark.parametrize("action", ["show", "unlock", "sign-out", "delete"])
def test_user_commands_exit_1_for_an_unknown_user(osite, action):
    r = countersign(osite, "user", action, "nobody-at-all@example.com")
    assert r.returncode == 1
    assert "no user" in r.stderr


def test_user_unlock_clears_a_lockout(make_site):
    s = make_site({"lockout.max_failures": "2"})
    email = s.new_user()
    for _ in range(2):
        s.login(s.session(), email, "wrong password")
    assert "LOCKED until" in countersign(s, "user", "show", email).stdout
    assert s.login(s.session(), email).status_code == 422
    r = countersign(s, "user", "unlock", email)
    assert r.returncode == 0, r.stderr
    assert s.login(s.session(), email).status_code == 303
    assert "operator-unlocked" in [e["kind"] for e in security_events(s, s.user_row(email)["Id"])]


def test_user_sign_out_ends_every_sign_in(osite):
    first, email = osite.signed_in()
    second, _ = osite.signed_in(email)
    r = countersign(osite, "user", "sign-out", email)
    assert r.returncode == 0, r.stderr
    for s in (first, second):
        assert s.get(osite.url("/Manage"), allow_redirects=False).status_code == 303
    assert "operator-signed-out" in [e["kind"] for e in security_events(osite, osite.user_row(email)["Id"])]


def test_user_delete_removes_the_user_and_everything_tied_to_it(osite):
    s, email = osite.signed_in()
    user_id = osite.user_row(email)["Id"]
    assert send_code(osite, s, "+12015550178").status_code == 303
    r = countersign(osite, "user", "delete", email)
    assert r.returncode == 0, r.stderr
    assert osite.user_row(email) is None
    with osite.db() as conn:
        assert conn.execute("SELECT count(*) FROM countersign_sessions WHERE user_id = ?", (user_id,)).fetchone()[0] == 0
        assert conn.execute("SELECT count(*) FROM countersign_phone_verifications WHERE user_id = ?", (user_id,)).fetchone()[0] == 0
    assert s.get(osite.url("/Manage"), allow_redirects=False).status_code == 303
    assert "operator-deleted" in [e["kind"] for e in security_events(osite, user_id)]
    assert countersign(osite, "user", "show", email).returncode == 1
