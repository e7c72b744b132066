"""The worker pool as processes: crashes, graceful stop, requests in flight, spawn-fcgi."""
import os
import shutil
import signal
import socket
import stat
import subprocess
import threading
import time
from pathlib import Path

import pytest
import requests

from harness import (DEFAULT_PASSWORD, SECRET, Site, binary_path, children_of, fastcgi_params, fastcgi_request,
                     free_port, fresh_email, pid_alive, render_config, split_cgi, terminate)


def countersign_processes(site: Site) -> list[int]:
    """Every live process still running our binary from this site's config."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            cmdline = (proc / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if str(site.conf_path).encode() in cmdline and pid_alive(int(proc.name)):
            found.append(int(proc.name))
    return found


def test_serve_starts_the_configured_number_of_workers(make_site):
    s = make_site({"server.workers": "3"}, workers=3)
    workers = s.wait_for_workers(3)
    assert len(workers) == 3
    for pid in workers:
        assert Path(f"/proc/{pid}/exe").resolve() == s.binary


def test_a_killed_worker_is_replaced_and_the_site_keeps_answering(make_site):
    s = make_site()
    workers = s.wait_for_workers(2)
    victim = workers[0]
    os.kill(victim, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and (victim in s.worker_pids() or len(s.worker_pids()) < 2):
        time.sleep(0.05)
    now = s.worker_pids()
    assert victim not in now
    assert len(now) == 2, now
    assert workers[1] in now
    codes = [requests.get(s.url("/Login"), timeout=5).status_code for _ in range(20)]
    assert codes == [200] * 20
    assert s.serve.poll() is None


def test_killing_every_worker_repeatedly_does_not_take_the_pool_down(make_site):
    s = make_site()
    for _ in range(3):
        for pid in s.wait_for_workers(2):
            os.kill(pid, signal.SIGKILL)
        time.sleep(0.3)
    s.wait_for_workers(2, timeout=15)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        try:
            if requests.get(s.url("/Login"), timeout=5).status_code == 200:
                break
        except requests.RequestException:
            pass
        time.sleep(0.2)
    codes = [requests.get(s.url("/Login"), timeout=5).status_code for _ in range(10)]
    assert codes == [200] * 10


def test_sigterm_stops_everything_within_the_shutdown_timeout(make_site):
    s = make_site({"server.shutdown_timeout": "3s"})
    workers = s.wait_for_workers(2)
    assert requests.get(s.url("/Login")).status_code == 200
    started = time.monotonic()
    s.serve.send_signal(signal.SIGTERM)
    code = s.serve.wait(timeout=10)
    elapsed = time.monotonic() - started
    assert code == 0
    assert elapsed < 3.5, elapsed
    for pid in workers:
        assert not pid_alive(pid), pid
    assert countersign_processes(s) == []
    assert not s.socket_path.exists(), "the socket file should be removed"


def test_sigterm_lets_a_request_in_flight_finish(make_site):
    # A slow password hash keeps the request busy well after SIGTERM arrives.
    s = make_site({"passwords.argon2_iterations": "100", "server.shutdown_timeout": "20s"})
    session = s.session()
    tok = s.form_token(session, "/Register")
    email = fresh_email("inflight")
    result = {}

    def post():
        try:
            result["response"] = session.post(s.url("/Register"), allow_redirects=False, timeout=30, data={
                "__RequestVerificationToken": tok, "FirstName": "In", "LastName": "Flight", "Email": email,
                "PhoneNumber": "+12015550123", "Password": DEFAULT_PASSWORD, "ConfirmPassword": DEFAULT_PASSWORD})
        except Exception as error:  # noqa: BLE001
            result["error"] = error

    thread = threading.Thread(target=post)
    thread.start()
    time.sleep(0.4)
    assert thread.is_alive(), "the request finished before SIGTERM: make it slower"
    s.serve.send_signal(signal.SIGTERM)
    thread.join(timeout=30)
    assert "error" not in result, result.get("error")
    assert result["response"].status_code == 303, result["response"].text[-1000:]
    assert s.serve.wait(timeout=25) == 0
    assert s.user_row(email) is not None
    assert countersign_processes(s) == []


def test_a_request_longer_than_the_shutdown_timeout_is_cut_off(make_site):
    s = make_site({"passwords.argon2_iterations": "100", "passwords.argon2_memory": "65536", "server.shutdown_timeout": "1s"})
    session = s.session()
    tok = s.form_token(session, "/Register")
    thread = threading.Thread(target=lambda: _quiet(lambda: session.post(s.url("/Register"), timeout=30, data={
        "__RequestVerificationToken": tok, "FirstName": "Slow", "Email": fresh_email(), "PhoneNumber": "+12015550123",
        "Password": DEFAULT_PASSWORD, "ConfirmPassword": DEFAULT_PASSWORD})))
    thread.start()
    time.sleep(0.3)
    assert thread.is_alive(), "the request finished before SIGTERM: make it slower"
    started = time.monotonic()
    s.serve.send_signal(signal.SIGTERM)
    s.serve.wait(timeout=10)
    assert time.monotonic() - started < 3
    thread.join(timeout=30)
    assert countersign_processes(s) == []


def _quiet(call):
    try:
        call()
    except Exception:  # noqa: BLE001 — the connection may be cut; that is the point
        pass


def test_sighup_restarts_the_workers_and_keeps_the_socket(make_site):
    s = make_site()
    before = set(s.wait_for_workers(2))
    s.serve.send_signal(signal.SIGHUP)
    after = set(s.wait_for_workers(2, exclude=before))
    assert not (after & before)
    assert [requests.get(s.url("/Login"), timeout=5).status_code for _ in range(10)] == [200] * 10
    assert s.serve.poll() is None


def test_max_requests_recycles_workers(make_site):
    s = make_site({"server.max_requests": "5", "server.workers": "1"}, workers=1)
    first = s.wait_for_workers(1)[0]
    codes = [requests.get(s.url("/Login"), timeout=5).status_code for _ in range(12)]
    assert codes == [200] * 12
    s.wait_for_workers(1)
    assert first not in s.worker_pids()


@pytest.mark.skipif(not shutil.which("spawn-fcgi"), reason="spawn-fcgi is not installed")
def test_one_worker_under_spawn_fcgi_serves_through_nginx(make_site):
    s = make_site(launcher="spawn-fcgi")
    assert Path(f"/proc/{s.serve.pid}/exe").resolve() == s.binary, "spawn-fcgi -n execs the worker"
    email = s.new_user()
    session, _ = s.signed_in(email)
    assert "Ada" in session.get(s.url("/Manage")).text
    assert children_of(s.serve.pid) == []


def test_a_stale_socket_file_does_not_stop_a_start(tmp_path):
    stale = socket.socket(socket.AF_UNIX)
    stale.bind(str(tmp_path / "countersign.sock"))
    stale.close()
    assert (tmp_path / "countersign.sock").exists()
    s = Site.start(root=tmp_path)
    try:
        assert requests.get(s.url("/Login")).status_code == 200
        assert stat.S_IMODE(os.stat(s.socket_path).st_mode) == 0o660
    finally:
        s.stop()


def test_a_second_server_on_the_same_socket_is_refused(make_site):
    s = make_site()
    r = subprocess.run([str(s.binary), "serve", "--config", str(s.conf_path)], capture_output=True, timeout=20)
    assert r.returncode == 1
    assert str(s.socket_path).encode() in r.stderr
    assert s.socket_path.exists()
    assert requests.get(s.url("/Login")).status_code == 200


def test_listen_on_a_loopback_tcp_port(tmp_path):
    port = free_port()
    conf = tmp_path / "countersign.conf"
    conf.write_text(render_config({
        "server.listen": f"127.0.0.1:{port}", "server.base_url": "http://127.0.0.1:8080",
        "storage.path": "countersign.db", "cookies.secret": SECRET, "cookies.secure": "false"}))
    serve = subprocess.Popen([str(binary_path()), "serve", "--config", str(conf)], stdin=subprocess.DEVNULL,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                raw, _ = fastcgi_request(("127.0.0.1", port), fastcgi_params("GET", "/Account/Login"))
                break
            except OSError:
                assert time.monotonic() < deadline and serve.poll() is None, "no TCP listener"
                time.sleep(0.1)
        assert split_cgi(raw)[0] == 200
    finally:
        terminate(serve)
    assert serve.returncode == 0
