"""`countersign` commands: check-config, migrate, config lookup, plain CGI."""
import os
import re
import sqlite3
import subprocess
from pathlib import Path

import pytest

from harness import SECRET, binary_path, token

GOOD = f"""[server]
base_url = http://127.0.0.1:8080
[storage]
path = countersign.db
[cookies]
secret = {SECRET}
secure = false
[email]
provider = file
path = outbox/email.jsonl
[sms]
provider = file
path = outbox/sms.jsonl
"""


def run(*args, env: dict | None = None, cwd: Path | None = None, stdin=subprocess.DEVNULL, timeout=30):
    environment = {k: v for k, v in os.environ.items() if k not in ("COUNTERSIGN_CONFIG", "GATEWAY_INTERFACE")}
    environment.update(env or {})
    return subprocess.run([str(binary_path()), *args], env=environment, cwd=cwd, stdin=stdin,
                          capture_output=True, timeout=timeout)


@pytest.fixture
def conf(tmp_path):
    path = tmp_path / "countersign.conf"
    path.write_text(GOOD)
    return path


def write(tmp_path: Path, text: str, name="bad.conf") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_check_config_accepts_a_good_file(conf):
    r = run("check-config", "--config", str(conf))
    assert r.returncode == 0, r.stderr.decode()
    assert not (conf.parent / "outbox" / "email.jsonl").exists(), "check-config must send nothing"


@pytest.mark.parametrize("change,line,fragment", [
    (("[server]\n", "[server]\nbogus_key = 1\n"), 2, "bogus_key"),
    (("[server]\n", "[server]\nshutdown_timeout = 10 minutes\n"), 2, "shutdown_timeout"),
    (("[server]\n", "[server]\nworkers = many\n"), 2, "workers"),
    (("[server]\n", "[server]\nmax_body = 64q\n"), 2, "max_body"),
    (("[server]\n", "[server]\nlisten = 10.1.2.3:9000\n"), 2, "listen"),
    (("[cookies]\n", "[nosuch]\nx = 1\n[cookies]\n"), "(5|6)", "nosuch"),
    ((f"secret = {SECRET}", "secret = too-short"), 6, "secret"),
    (("provider = file\npath = outbox/email", "provider = pigeon\npath = outbox/email"), 9, "provider"),
    (("secure = false", "secure = maybe"), 7, "secure"),
])
def test_check_config_reports_file_and_line_and_exits_2(tmp_path, change, line, fragment):
    text = GOOD.replace(*change, 1)
    assert text != GOOD
    path = write(tmp_path, text)
    r = run("check-config", "--config", str(path))
    assert r.returncode == 2
    stderr = r.stderr.decode()
    assert re.search(rf"^{re.escape(str(path))}:{line}: .*{re.escape(fragment)}", stderr, re.M), stderr


def test_missing_required_key_is_file_colon_message(tmp_path):
    path = write(tmp_path, GOOD.replace("base_url = http://127.0.0.1:8080\n", ""))
    r = run("check-config", "--config", str(path))
    assert r.returncode == 2
    stderr = r.stderr.decode()
    assert re.search(rf"^{re.escape(str(path))}: .*base_url", stderr, re.M), stderr


def test_unset_environment_variable_is_an_error(tmp_path):
    path = write(tmp_path, GOOD.replace("http://127.0.0.1:8080", "${COUNTERSIGN_TEST_SURELY_UNSET}"))
    r = run("check-config", "--config", str(path))
    assert r.returncode == 2
    stderr = r.stderr.decode()
    assert re.search(rf"^{re.escape(str(path))}:2: .*COUNTERSIGN_TEST_SURELY_UNSET", stderr, re.M), stderr
    r = run("check-config", "--config", str(path), env={"COUNTERSIGN_TEST_SURELY_UNSET": "http://127.0.0.1:9"})
    assert r.returncode == 0, r.stderr.decode()


def test_key_file_variant_reads_a_secret(tmp_path):
    (tmp_path / "secret.txt").write_text(SECRET + "\n")
    path = write(tmp_path, GOOD.replace(f"secret = {SECRET}", "secret_file = secret.txt"))
    assert run("check-config", "--config", str(path)).returncode == 0


def test_missing_config_file_exits_2(tmp_path):
    r = run("check-config", "--config", str(tmp_path / "nope.conf"))
    assert r.returncode == 2
    assert str(tmp_path / "nope.conf") in r.stderr.decode()


def test_unknown_command_exits_2():
    r = run("frobnicate")
    assert r.returncode == 2
    assert b"usage" in r.stderr.lower()


def test_serve_with_a_bad_config_exits_2_without_starting(tmp_path):
    path = write(tmp_path, GOOD.replace("[server]\n", "[server]\nbogus = 1\n"))
    r = run("serve", "--config", str(path), timeout=20)
    assert r.returncode == 2
    assert f"{path}:2:".encode() in r.stderr


def test_config_from_environment_and_option_precedence(tmp_path, conf):
    bad = write(tmp_path, GOOD.replace("[server]\n", "[server]\nbogus = 1\n"))
    assert run("check-config", env={"COUNTERSIGN_CONFIG": str(conf)}).returncode == 0
    assert run("check-config", env={"COUNTERSIGN_CONFIG": str(bad)}).returncode == 2
    assert run("check-config", "--config", str(conf), env={"COUNTERSIGN_CONFIG": str(bad)}).returncode == 0
    assert run("check-config", "--config", str(bad), env={"COUNTERSIGN_CONFIG": str(conf)}).returncode == 2


def test_relative_paths_are_relative_to_the_config_file(tmp_path, conf):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    r = run("migrate", "--config", str(conf), cwd=elsewhere)
    assert r.returncode == 0, r.stderr.decode()
    assert (conf.parent / "countersign.db").exists()
    assert not (elsewhere / "countersign.db").exists()


def schema(db: Path) -> list:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT type, name, sql FROM sqlite_master ORDER BY type, name").fetchall()


def test_migrate_twice_is_idempotent(conf):
    first = run("migrate", "--config", str(conf))
    assert first.returncode == 0, first.stderr.decode()
    db = conf.parent / "countersign.db"
    before = schema(db)
    assert any(name == "AspNetUsers" for _, name, _ in before)
    second = run("migrate", "--config", str(conf))
    assert second.returncode == 0, second.stderr.decode()
    assert schema(db) == before
    assert first.stdout != second.stdout


def test_migrate_creates_the_identity_columns(conf):
    assert run("migrate", "--config", str(conf)).returncode == 0
    with sqlite3.connect(conf.parent / "countersign.db") as conn:
        columns = {row[1] for row in conn.execute("PRAGMA table_info(AspNetUsers)")}
    assert {"Id", "UserName", "NormalizedUserName", "Email", "NormalizedEmail", "EmailConfirmed", "PasswordHash",
            "SecurityStamp", "ConcurrencyStamp", "PhoneNumber", "PhoneNumberConfirmed", "TwoFactorEnabled",
            "LockoutEnd", "LockoutEnabled", "AccessFailedCount", "FirstName", "LastName"} <= columns


def cgi(conf: Path, method="GET", uri="/Account/Login", query="", extra=None, stdin=subprocess.DEVNULL):
    env = {"GATEWAY_INTERFACE": "CGI/1.1", "REQUEST_METHOD": method, "DOCUMENT_URI": uri, "QUERY_STRING": query,
           "SCRIPT_NAME": "", "REMOTE_ADDR": "127.0.0.1", "SERVER_PROTOCOL": "HTTP/1.1", "HTTP_HOST": "127.0.0.1"}
    env.update(extra or {})
    return run("--config", str(conf), env=env, stdin=stdin)


def test_plain_cgi_answers_one_request(conf):
    r = cgi(conf)
    assert r.returncode == 0, r.stderr.decode()
    assert r.stdout.startswith(b"Status: 200")
    head, _, body = r.stdout.partition(b"\r\n\r\n")
    assert b"Content-Type: text/html" in head
    assert b"__RequestVerificationToken" in body
    assert (conf.parent / "countersign.db").exists(), "CGI mode brings the schema up to date"


def test_plain_cgi_404_and_405(conf):
    assert cgi(conf, uri="/Account/Nope").stdout.startswith(b"Status: 404")
    r = cgi(conf, method="DELETE")
    assert r.stdout.startswith(b"Status: 405")
    assert b"Allow:" in r.stdout


def test_plain_cgi_post_reads_its_body_from_stdin(conf, tmp_path):
    page = cgi(conf)
    head, _, html = page.stdout.partition(b"\r\n\r\n")
    cookie = [line.split(b":", 1)[1].split(b";", 1)[0].strip().decode() for line in head.split(b"\r\n")
              if line.lower().startswith(b"set-cookie:")]
    assert cookie, head
    form = f"__RequestVerificationToken={token(html.decode())}&Email=a%40example.com&Password=x".encode()

    def post(body: bytes, length: int):
        path = tmp_path / "body"
        path.write_bytes(body)
        with open(path, "rb") as stdin:
            return cgi(conf, method="POST", stdin=stdin, extra={
                "CONTENT_TYPE": "application/x-www-form-urlencoded", "CONTENT_LENGTH": str(length),
                "HTTP_COOKIE": "; ".join(cookie)})

    assert post(form, len(form)).stdout.startswith(b"Status: 422"), "a sign-in attempt, read in full"
    assert post(b"Email=a%40example.com", 21).stdout.startswith(b"Status: 400"), "no token"
    short = post(form[:20], len(form))
    assert short.returncode == 0 and short.stdout.startswith(b"Status: 400"), short.stdout[:200]
