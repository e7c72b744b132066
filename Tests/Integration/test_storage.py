"""Storage as the outside sees it, on the engine the run uses (COUNTERSIGN_IT_STORAGE): two
pools on one database behind one nginx, migrations started together, and (PostgreSQL) the
database going away and coming back while the workers stay up."""
from __future__ import annotations

import shutil
import socket
import subprocess
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

from database import ENGINE, Database
from fake_providers import code_in, fresh_us_number, last_sms, phone_config, send_code, enter_code, sms_outbox
from harness import (DEFAULT_PASSWORD, SECRET, Site, binary_path, fresh_email, free_port, render_config, terminate,
                     token)

WEBOTP_FREE = {"sms.webotp": "false"}


class TwoPools:
    """Two `countersign serve` pools (two configs, two sockets, one cookie secret, one
    database) behind one nginx: port A reaches pool A only, port B pool B only."""

    def __init__(self, tmp_path: Path, extra: dict[str, str]):
        self.a = Site(tmp_path / "a", free_port(), binary_path())
        self.b = Site(tmp_path / "b", free_port(), binary_path())
        for site in (self.a, self.b):
            site.root.mkdir(parents=True)
        # One database, one outbox: the second pool is configured with the first one's.
        self.b.database = self.a.database
        self.b.email_path, self.b.sms_path = self.a.email_path, self.a.sms_path
        self.nginx: subprocess.Popen | None = None
        try:
            for site in (self.a, self.b):
                site._write_config(extra, workers=2)
                site._start_serve()
                site._wait_for_socket()
            self._start_nginx()
            for site in (self.a, self.b):
                site.nginx = self.nginx
                site._wait_for_http()
        except BaseException:
            self.stop()
            raise

    def _start_nginx(self) -> None:
        text = self.a.nginx_config()
        # A second server block, the same as the first but for pool B's port and socket.
        start = text.index("    server {")
        end = text.rindex("}")  # closes http
        server_a = text[start:end]
        server_b = (server_a.replace(f"listen 127.0.0.1:{self.a.port};", f"listen 127.0.0.1:{self.b.port};")
                    .replace(str(self.a.socket_path), str(self.b.socket_path)))
        assert server_b != server_a
        nginx_dir = self.a.nginx_dir
        (nginx_dir / "logs").mkdir(parents=True, exist_ok=True)
        (nginx_dir / "tmp").mkdir(parents=True, exist_ok=True)
        conf = nginx_dir / "nginx.conf"
        conf.write_text(text[:end] + server_b + text[end:])
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        self.nginx = subprocess.Popen([nginx, "-p", str(nginx_dir), "-c", str(conf), "-g", "daemon off;"],
                                      stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                      stderr=open(nginx_dir / "logs" / "stderr.log", "ab"), start_new_session=True)

    def stop(self) -> None:
        terminate(self.nginx)
        self.a.nginx = self.b.nginx = None
        for site in (self.b, self.a):
            site.stop()


@pytest.fixture
def pools(tmp_path):
    p = TwoPools(tmp_path, phone_config({**WEBOTP_FREE, "tokens.resend_cooldown": "30s", "tokens.max_sends_per_hour": "3",
                                         "tokens.max_attempts": "3"}))
    try:
        yield p
    finally:
        p.stop()


def test_register_on_one_pool_and_sign_in_on_the_other(pools):
    a, b = pools.a, pools.b
    email = fresh_email("pools")
    assert a.register(email=email).status_code == 303
    # The confirmation link names pool A's address; the token is good at pool B too.
    link = a.confirm_link(email).replace(a.base, b.base)
    assert requests.get(link, allow_redirects=False).status_code == 200
    s = b.session()
    r = b.login(s, email)
    assert r.status_code == 303, r.text[:1000]
    # The session cookie issued by B is accepted by A (cookies do not depend on the port).
    manage = s.get(a.url("/Manage"), allow_redirects=False)
    assert manage.status_code == 200 and email in manage.text
    # A form rendered by A (antiforgery token bound to this visitor) is accepted by B, and the
    # flash message B sets is shown by A.
    tok = token(s.get(a.url("/ChangePassword")).text)
    r = s.post(b.url("/ChangePassword"), allow_redirects=False, data={
        "__RequestVerificationToken": tok, "CurrentPassword": DEFAULT_PASSWORD,
        "NewPassword": "another horse battery staple", "ConfirmPassword": "another horse battery staple"})
    assert r.status_code == 303, r.text[:1000]
    page = s.get(a.url("/Manage"))
    assert page.status_code == 200 and "password has been changed" in page.text.lower()


def test_a_code_sent_through_one_pool_is_verified_through_the_other_and_limits_hold_across_both(pools):
    a, b = pools.a, pools.b
    email = a.new_user()
    s, _ = a.signed_in(email)
    number = fresh_us_number()
    assert send_code(a, s, number).status_code == 303
    code = code_in(last_sms(a, number)["body"])
    # Cooldown: pool B refuses a second send within 30 s of pool A's.
    r = send_code(b, s, number)
    assert r.status_code == 429 and "Retry-After" in r.headers
    # The attempt cap counts wrong codes on both pools together: 2 wrong (one each), then the
    # right one still works (cap 3); a third wrong one would have burned it.
    wrong = "000000" if code != "000000" else "111111"
    assert enter_code(a, s, wrong).status_code == 422
    assert enter_code(b, s, wrong).status_code == 422
    r = enter_code(b, s, code)
    assert r.status_code == 303, r.text[:1000]
    assert a.user_row(email)["PhoneNumberConfirmed"] == 1
    # Used once, whichever pool is asked next.
    assert enter_code(a, s, code).status_code in (303, 422)
    assert a.user_row(email)["PhoneNumber"] == number


def test_the_attempt_cap_holds_across_pools(pools):
    a, b = pools.a, pools.b
    s, email = a.signed_in()
    number = fresh_us_number()
    assert send_code(b, s, number).status_code == 303
    code = code_in(last_sms(b, number)["body"])
    wrong = "000000" if code != "000000" else "111111"
    assert enter_code(a, s, wrong).status_code == 422
    assert enter_code(b, s, wrong).status_code == 422
    # The third wrong code burns the verification: the right code no longer works anywhere.
    enter_code(a, s, wrong)
    r = enter_code(b, s, code)
    assert r.status_code != 303 or "PhoneVerificationSuccessful" not in r.headers.get("Location", "")
    assert a.user_row(email)["PhoneNumberConfirmed"] == 0


def test_parallel_registrations_of_one_address_over_both_pools_leave_one_row(pools):
    a, b = pools.a, pools.b
    email = fresh_email("race")

    def register(i: int) -> int:
        site = a if i % 2 == 0 else b
        return site.register(email=email.upper() if i % 3 == 0 else email).status_code

    with ThreadPoolExecutor(max_workers=10) as pool:
        statuses = list(pool.map(register, range(10)))
    assert statuses.count(303) == 1, statuses
    assert statuses.count(422) == 9, statuses
    with a.db() as conn:
        count = conn.execute("SELECT COUNT(*) FROM AspNetUsers WHERE NormalizedEmail = ?", (email.upper(),)).fetchone()[0]
    assert count == 1


def test_hourly_send_limit_holds_across_pools(tmp_path):
    p = TwoPools(tmp_path, phone_config({**WEBOTP_FREE, "tokens.resend_cooldown": "0s", "tokens.max_sends_per_hour": "3"}))
    try:
        s, _ = p.a.signed_in()
        number = fresh_us_number()
        statuses = [send_code(site, s, number).status_code for site in (p.a, p.b, p.a, p.b, p.a)]
        assert statuses == [303, 303, 303, 429, 429]
        assert len([m for m in sms_outbox(p.a) if m["to"] == number]) == 3
    finally:
        p.stop()


def test_migrations_started_together_all_succeed(tmp_path):
    """Pools starting at once must not break each other (SQLite used to answer `database is
    locked` to the second process switching a new file to WAL)."""
    for round in range(4):
        root = tmp_path / f"round{round}"
        root.mkdir()
        database = Database(root)
        try:
            conf = root / "countersign.conf"
            conf.write_text(render_config({"server.base_url": "http://127.0.0.1", "cookies.secret": SECRET,
                                           **database.config()}))
            procs = [subprocess.Popen([str(binary_path()), "migrate", "--config", str(conf)],
                                      stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(4)]
            results = [(p.wait(timeout=60), p.stderr.read().decode()) for p in procs]
            assert [rc for rc, _ in results] == [0, 0, 0, 0], results
            with database.connect() as conn:
                names = [r[0] for r in conn.execute("SELECT name FROM countersign_migrations").fetchall()]
            assert len(names) == len(set(names)) and "0001_aspnet_users" in names
        finally:
            database.drop()


class Forwarder:
    """A TCP forwarder in front of the PostgreSQL server, which the test can cut and restore:
    the database going away and coming back, without touching the shared server."""

    def __init__(self, target_port: int):
        self.target_port = target_port
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.listener.listen(64)
        self.up = True
        self.connections: list[socket.socket] = []
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if not self.up:
                client.close()
                continue
            try:
                server = socket.create_connection(("127.0.0.1", self.target_port))
            except OSError:
                client.close()
                continue
            with self.lock:
                self.connections += [client, server]
            for src, dst in ((client, server), (server, client)):
                threading.Thread(target=self._pipe, args=(src, dst), daemon=True).start()

    @staticmethod
    def _pipe(src: socket.socket, dst: socket.socket) -> None:
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        for s in (src, dst):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def cut(self) -> None:
        self.up = False
        with self.lock:
            for s in self.connections:
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
            self.connections.clear()

    def restore(self) -> None:
        self.up = True


@pytest.mark.skipif(ENGINE != "postgres", reason="a database server to lose: PostgreSQL only")
def test_database_down_gives_503_and_the_workers_recover_by_themselves(tmp_path):
    import re
    database = Database(tmp_path)
    port = int(re.search(r"port=(\d+)", database.url).group(1))
    forwarder = Forwarder(port)
    url = re.sub(r"host=\S+", "host=127.0.0.1", database.url)
    url = re.sub(r"port=\d+", f"port={forwarder.port}", url)
    # The site's own database is reached through the forwarder.
    database.url = url
    site = Site.start(database=database)
    try:
        s, email = site.signed_in()
        assert s.get(site.url("/Manage")).status_code == 200
        workers = sorted(site.worker_pids())

        forwarder.cut()
        r = s.get(site.url("/Manage"), allow_redirects=False)
        assert r.status_code == 503, (r.status_code, r.text[:500])
        assert "PostgreSQL" not in r.text and "SQLSTATE" not in r.text
        r = site.register()
        assert r.status_code == 503
        health = requests.get(site.url("/Health"), timeout=10)
        assert health.status_code == 503
        assert sorted(site.worker_pids()) == workers, "the workers stay up"

        forwarder.restore()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            r = s.get(site.url("/Manage"), allow_redirects=False)
            if r.status_code == 200:
                break
            time.sleep(0.1)
        assert r.status_code == 200 and email in r.text
        assert site.register().status_code == 303
        health = requests.get(site.url("/Health"), timeout=10)
        assert health.status_code == 200 and health.text.strip() == "ok"
        assert sorted(site.worker_pids()) == workers
    finally:
        forwarder.restore()
        site.stop()
        forwarder.cut()


def _copy_counts(stdout: str) -> dict[str, int]:
    """`  users: 3` lines of `countersign storage copy` → {"users": 3, ...}."""
    counts = {}
    for line in stdout.splitlines():
        name, _, value = line.strip().partition(": ")
        if value.isdigit():
            counts[name] = int(value)
    return counts


@pytest.mark.skipif(ENGINE != "postgres", reason="moving a site to PostgreSQL: the PostgreSQL pass only")
def test_a_sqlite_site_moves_to_postgres_with_storage_copy(tmp_path):
    """README "Scaling out": stop the SQLite site, `countersign storage copy --from-sqlite` into
    the PostgreSQL database of the new config, start on PostgreSQL: the same password signs in,
    the verified phone is there, and a session from before the move goes on."""
    extra = phone_config(WEBOTP_FREE)
    old = Site.start(extra, root=tmp_path / "old", database=Database(tmp_path / "old", engine="sqlite"))
    try:
        s, email = old.signed_in()
        number = fresh_us_number()
        assert send_code(old, s, number).status_code == 303
        r = enter_code(old, s, code_in(last_sms(old, number)["body"]))
        assert r.status_code == 303, r.text[:1000]
        assert old.user_row(email)["PhoneNumberConfirmed"] == 1
        with old.db() as conn:
            old_events = [(r["kind"], r["user_id"], r["time"]) for r in conn.execute(
                "SELECT kind, user_id, time FROM countersign_security_events ORDER BY id").fetchall()]
    finally:
        old.stop()
    assert old_events, "the old site logged security events"

    new = Site(tmp_path / "new", free_port(), binary_path(), Database(tmp_path / "new"))
    try:
        new._write_config(extra, workers=2)
        command = [str(binary_path()), "storage", "copy", "--from-sqlite", str(old.db_path), "--config", str(new.conf_path)]
        copy = subprocess.run(command, capture_output=True, text=True, timeout=60)
        assert copy.returncode == 0, copy.stdout + copy.stderr
        counts = _copy_counts(copy.stdout)
        assert counts["users"] == 1 and counts["registrations"] == 1 and counts["sessions"] >= 1, copy.stdout
        assert counts["security events"] == len(old_events), copy.stdout
        with new.db() as conn:
            new_events = [(r["kind"], r["user_id"], r["time"]) for r in conn.execute(
                "SELECT kind, user_id, time FROM countersign_security_events ORDER BY id").fetchall()]
        assert new_events == old_events

        # A second copy finds the first one's rows and refuses, changing nothing.
        again = subprocess.run(command, capture_output=True, text=True, timeout=60)
        assert again.returncode == 1 and "not empty" in again.stderr, again.stdout + again.stderr
        assert new.user_count() == 1

        new._start_serve()
        new._wait_for_socket()
        new._start_nginx()
        new._wait_for_http()
        # The session from before the move goes on (cookies do not depend on the port).
        manage = s.get(new.url("/Manage"), allow_redirects=False)
        assert manage.status_code == 200, manage.status_code
        assert email in manage.text and number in manage.text and '<span class="badge ok">verified</span>' in manage.text
        # The same password signs in on PostgreSQL, and the row holds booleans now.
        fresh = new.session()
        assert new.login(fresh, email).status_code == 303
        assert number in fresh.get(new.url("/Manage")).text
        row = new.user_row(email)
        assert row["PhoneNumberConfirmed"] is True and row["EmailConfirmed"] is True and row["PhoneNumber"] == number
    finally:
        new.stop()
        new.database.drop()


def test_storage_copy_refuses_a_sqlite_target_and_a_missing_source(tmp_path):
    conf = tmp_path / "countersign.conf"
    conf.write_text(render_config({"server.base_url": "http://127.0.0.1", "cookies.secret": SECRET,
                                   "storage.path": str(tmp_path / "countersign.db")}))
    binary = str(binary_path())
    r = subprocess.run([binary, "storage", "copy", "--config", str(conf)], capture_output=True, text=True, timeout=30)
    assert r.returncode == 2 and "--from-sqlite PATH" in r.stderr
    r = subprocess.run([binary, "storage", "copy", "--from-sqlite", str(tmp_path / "old.db"), "--config", str(conf)],
                       capture_output=True, text=True, timeout=30)
    assert r.returncode == 2 and "storage.provider = postgres" in r.stderr
    assert not (tmp_path / "countersign.db").exists() and not (tmp_path / "old.db").exists()
    if ENGINE == "postgres":
        database = Database(tmp_path / "pg")
        try:
            conf.write_text(render_config({"server.base_url": "http://127.0.0.1", "cookies.secret": SECRET,
                                           **database.config()}))
            r = subprocess.run([binary, "storage", "copy", "--from-sqlite", str(tmp_path / "old.db"), "--config", str(conf)],
                               capture_output=True, text=True, timeout=30)
            assert r.returncode == 1 and "no SQLite database at" in r.stderr, r.stderr
            assert not (tmp_path / "old.db").exists(), "a missing source is not created"
        finally:
            database.drop()
