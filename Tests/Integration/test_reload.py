"""Reload like nginx (SIGHUP): no request lost under load, a broken config is refused and the old
workers go on; a killed busy worker is replaced at once. Through real nginx, with wrk for load."""
import json
import os
import re
import shutil
import signal
import subprocess
import threading
import time

import pytest
import requests

from harness import DEFAULT_PASSWORD, Site, fresh_email


def status(site) -> dict:
    r = subprocess.run([str(site.binary), "status", "--json", "--config", str(site.conf_path)],
                       capture_output=True, text=True, timeout=10)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def wait_for_log(site, pattern: str, timeout: float = 10) -> re.Match:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        match = re.search(pattern, site.serve_log.read_text(errors="replace"))
        if match:
            return match
        time.sleep(0.05)
    raise AssertionError(f"no log line matching {pattern!r}:\n{site.log_text()}")


def parse_wrk(output: str) -> dict:
    """wrk's summary: requests, non-2xx/3xx answers and socket errors (absent lines mean 0)."""
    result = {"requests": int(re.search(r"(\d+) requests in", output).group(1)), "non_2xx_3xx": 0,
              "connect": 0, "read": 0, "write": 0, "timeout": 0}
    if m := re.search(r"Non-2xx or 3xx responses: (\d+)", output):
        result["non_2xx_3xx"] = int(m.group(1))
    if m := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output):
        result.update(connect=int(m.group(1)), read=int(m.group(2)), write=int(m.group(3)), timeout=int(m.group(4)))
    return result


def test_parse_wrk_reads_failures():
    sample = ("  2 threads and 8 connections\n  1234 requests in 5.00s, 1.2MB read\n"
              "  Socket errors: connect 0, read 2, write 0, timeout 1\n  Non-2xx or 3xx responses: 7\n")
    assert parse_wrk(sample) == {"requests": 1234, "non_2xx_3xx": 7, "connect": 0, "read": 2, "write": 0, "timeout": 1}


@pytest.mark.skipif(not shutil.which("wrk"), reason="wrk is not installed")
def test_sighup_under_load_loses_no_request(make_site):
    s = make_site()
    before = {w["pid"] for w in status(s)["workers"]}
    wrk = subprocess.Popen(["wrk", "-t2", "-c8", "-d6s", "--latency", s.url("/Login")],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    reloads = 3
    for n in range(1, reloads + 1):
        time.sleep(1.2)
        s.serve.send_signal(signal.SIGHUP)
        wait_for_log(s, rf"reloaded \(generation {n}\)")
    output, _ = wrk.communicate(timeout=30)
    result = parse_wrk(output)
    print(f"reload under load: {result['requests']} requests, {reloads} reloads, "
          f"{result['non_2xx_3xx']} non-2xx/3xx, socket errors {result}")
    assert result["requests"] > 500, output
    assert result["non_2xx_3xx"] == 0, output
    assert result["connect"] == result["read"] == result["write"] == result["timeout"] == 0, output
    after = status(s)
    assert after["reloads"] == reloads
    assert not before & {w["pid"] for w in after["workers"]}, "every old worker left"
    assert "error" not in s.log_text().lower(), s.log_text()


def test_sighup_with_a_broken_config_keeps_the_old_workers(make_site):
    s = make_site()
    before = sorted(w["pid"] for w in status(s)["workers"])
    good = s.conf_path.read_text()
    broken = good.replace("[server]\n", "[server]\nworkers = lots\n", 1)
    line = broken.splitlines().index("workers = lots") + 1
    s.conf_path.write_text(broken)
    s.serve.send_signal(signal.SIGHUP)
    refused = wait_for_log(s, r"reload refused.*")
    assert f"{s.conf_path}:{line}:" in refused.group(0), refused.group(0)
    assert [requests.get(s.url("/Login"), timeout=5).status_code for _ in range(10)] == [200] * 10
    now = status(s)
    assert sorted(w["pid"] for w in now["workers"]) == before
    assert now["reloads"] == 0

    # Fixed, the next SIGHUP reloads.
    s.conf_path.write_text(good)
    s.serve.send_signal(signal.SIGHUP)
    wait_for_log(s, r"reloaded \(generation 1\)")
    assert requests.get(s.url("/Login"), timeout=5).status_code == 200


def test_sigkill_of_a_busy_worker_is_replaced_within_a_second(make_site):
    # A slow password hash keeps one worker busy; the other keeps answering.
    s = make_site({"passwords.argon2_iterations": "100", "passwords.argon2_memory": "65536"})
    session = s.session()
    tok = s.form_token(session, "/Register")
    thread = threading.Thread(target=lambda: _quiet(lambda: session.post(s.url("/Register"), timeout=30, data={
        "__RequestVerificationToken": tok, "FirstName": "Busy", "Email": fresh_email(), "PhoneNumber": "+12015550123",
        "Password": DEFAULT_PASSWORD, "ConfirmPassword": DEFAULT_PASSWORD})))
    thread.start()
    deadline = time.monotonic() + 10
    busy = []
    while not busy and time.monotonic() < deadline:
        busy = [w["pid"] for w in status(s)["workers"] if w["state"] == "busy"]
    assert busy, "no worker became busy"
    victim = busy[0]
    os.kill(victim, signal.SIGKILL)
    killed_at = time.monotonic()
    replaced_after = None
    while time.monotonic() - killed_at < 1.0:
        pids = [w["pid"] for w in status(s)["workers"]]
        if victim not in pids and len(pids) == 2:
            replaced_after = time.monotonic() - killed_at
            break
    assert replaced_after is not None, f"not replaced within 1 s: {status(s)}"
    codes = [requests.get(s.url("/Login"), timeout=5).status_code for _ in range(10)]
    assert codes == [200] * 10
    thread.join(timeout=30)
    assert status(s)["restarts"] == 1
    wait_for_log(s, rf"worker {victim} was killed by signal 9 after \d+s; restarting it in")


def _quiet(call):
    try:
        call()
    except Exception:  # noqa: BLE001 — the busy request dies with its worker; that is the point
        pass


def test_a_reload_whose_workers_cannot_start_leaves_the_old_ones_serving(make_site):
    # The config passes the check, but the new workers cannot open storage: they never get
    # ready, so the old generation is never told to leave.
    s = make_site()
    before = sorted(w["pid"] for w in status(s)["workers"])
    good = s.conf_path.read_text()
    s.conf_path.write_text(good.replace(f"path = {s.db_path}", "path = /nonexistent-countersign-dir/countersign.db", 1))
    s.serve.send_signal(signal.SIGHUP)
    wait_for_log(s, r"reloading \(generation 1\)")
    wait_for_log(s, r"worker \d+ exited with status 1 after \d+s; restarting it in")
    assert [requests.get(s.url("/Login"), timeout=5).status_code for _ in range(10)] == [200] * 10
    old = [w for w in status(s)["workers"] if w["pid"] in before]
    assert sorted(w["pid"] for w in old) == before and not any(w["retiring"] for w in old)
    assert "reloaded (generation 1)" not in s.log_text()

    s.conf_path.write_text(good)
    s.serve.send_signal(signal.SIGHUP)
    wait_for_log(s, r"reloaded \(generation 2\)")
    deadline = time.monotonic() + 10
    while set(before) & {w["pid"] for w in status(s)["workers"]}:
        assert time.monotonic() < deadline, status(s)
        time.sleep(0.05)
    assert requests.get(s.url("/Login"), timeout=5).status_code == 200



def test_without_a_status_file_the_pool_still_serves_and_reloads(tmp_path):
    # The status file's place is taken by a folder: the error is logged, serving and reloading
    # go on, and `status` says no pool runs.
    (tmp_path / "countersign.sock.status").mkdir()
    s = Site.start(root=tmp_path)
    try:
        wait_for_log(s, r"cannot create the pool status file")
        s.serve.send_signal(signal.SIGHUP)
        wait_for_log(s, r"reloaded \(generation 1\)")
        assert [requests.get(s.url("/Login"), timeout=5).status_code for _ in range(5)] == [200] * 5
        r = subprocess.run([str(s.binary), "status", "--config", str(s.conf_path)], capture_output=True, text=True)
        assert r.returncode == 1
    finally:
        s.stop()
