"""A complete Countersign behind a real nginx, in a temporary folder, for the integration tests
and the benchmark.

`Site.start(...)` writes a countersign.conf, starts `countersign serve` (or one worker under
spawn-fcgi), generates nginx.conf from conf/nginx-dev.conf.in on a free loopback port, starts
nginx in the foreground, and waits until both answer. `Site.stop()` ends everything it started,
by process id (SIGTERM, wait, SIGKILL), even after a failed test.
"""
from __future__ import annotations

import itertools
import json
import os
import re
import shutil
import signal
import socket
import sqlite3
import struct
import subprocess
import tempfile
import threading
import time
import uuid
from pathlib import Path

import requests

from database import Database

REPO = Path(__file__).resolve().parents[2]
NGINX_TEMPLATE = REPO / "conf" / "nginx-dev.conf.in"
WWW = REPO / "www"
SECRET = "integration-test-secret-0123456789abcdefgh"  # 42 bytes, over the 32-byte minimum
DEFAULT_PASSWORD = "correct horse battery staple"
DEFAULT_PHONE = "(201) 555-0123"
ANTIFORGERY_FIELD = "__RequestVerificationToken"
TOKEN_RE = re.compile(r'name="__RequestVerificationToken" value="([^"]+)"')
LINK_RE = re.compile(r"https?://[^\s\"'<>]+")


def binary_path() -> Path:
    return Path(os.environ.get("COUNTERSIGN_BIN") or REPO / ".build" / "debug" / "countersign").resolve()


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


_email_counter = itertools.count(1)


def fresh_email(prefix: str = "user") -> str:
    """A never-used address (unique per run and per call)."""
    return f"{prefix}.{next(_email_counter)}.{uuid.uuid4().hex[:8]}@example.com"


def token(html: str) -> str:
    """The antiforgery token of the first form in a page."""
    match = TOKEN_RE.search(html)
    assert match, "no antiforgery field in the page:\n" + html[:2000]
    return match.group(1)


def set_cookie_headers(response: requests.Response) -> list[str]:
    """Every Set-Cookie header of a response, unmerged."""
    return list(response.raw.headers.getlist("Set-Cookie"))


def set_cookie(response: requests.Response, name: str) -> str | None:
    for value in set_cookie_headers(response):
        if value.split("=", 1)[0].strip() == name:
            return value
    return None


def field_errors(html: str) -> list[str]:
    return re.findall(r'<span class="field-error"[^>]*>([^<]*)</span>', html)


def summary_error(html: str) -> str | None:
    match = re.search(r'<p class="summary-error" role="alert"[^>]*>([^<]*)</p>', html)
    return match.group(1) if match else None


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie is dead for our purposes.
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        return state != "Z"
    except OSError:
        return False


def children_of(pid: int) -> list[int]:
    """Direct children of a process, from /proc (no pgrep needed)."""
    result: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            result += [int(p) for p in (task / "children").read_text().split()]
        except OSError:
            pass
    return sorted(set(result))


def terminate(proc: subprocess.Popen | None, timeout: float = 10) -> None:
    """SIGTERM, wait, SIGKILL: only this process (and its group if it leads one we created)."""
    if proc is None or proc.poll() is not None:
        return
    try:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=5)
    except ProcessLookupError:
        pass


def render_config(values: dict[str, str]) -> str:
    """`{"server.workers": "2", ...}` → INI text, sections in first-seen order."""
    sections: dict[str, list[tuple[str, str]]] = {}
    for dotted, value in values.items():
        section, key = dotted.split(".", 1)
        sections.setdefault(section, []).append((key, value))
    lines = ["; written by Tests/Integration/harness.py"]
    for section, pairs in sections.items():
        lines.append(f"[{section}]")
        lines += [f"{key} = {value}" for key, value in pairs]
    return "\n".join(lines) + "\n"


class StartError(RuntimeError):
    pass


class Site:
    """One running Countersign + nginx. Use `Site.start()`; always `stop()`."""

    def __init__(self, root: Path, port: int, binary: Path, database: Database | None = None):
        self.root = root
        self.port = port
        self.binary = binary
        self.base = f"http://127.0.0.1:{port}"
        self.account = self.base + "/Account"
        self.conf_path = root / "countersign.conf"
        self.socket_path = root / "countersign.sock"
        self.database = database or Database(root)
        self.email_path = root / "outbox" / "email.jsonl"
        self.sms_path = root / "outbox" / "sms.jsonl"
        self.serve_log = root / "serve.log"
        self.nginx_dir = root / "nginx"
        self.protected_dir = root / "protected"
        self.serve: subprocess.Popen | None = None
        self.nginx: subprocess.Popen | None = None
        self._own_root = False

    @property
    def db_path(self) -> Path:
        """The SQLite file (for a PostgreSQL site, where it would be)."""
        return self.database.path

    @db_path.setter
    def db_path(self, path: Path) -> None:
        self.database.path = path

    # ----- life cycle -------------------------------------------------------------------------

    @classmethod
    def start(cls, extra: dict[str, str] | None = None, *, root: Path | None = None,
              binary: Path | None = None, launcher: str = "serve", workers: int = 2,
              database: Database | None = None) -> "Site":
        own = root is None
        root = Path(tempfile.mkdtemp(prefix="cs-it-")) if root is None else root
        site = cls(root, free_port(), binary or binary_path(), database)
        site._own_root = own
        try:
            site._write_config(extra or {}, workers)
            if launcher == "serve":
                site._start_serve()
            elif launcher == "spawn-fcgi":
                site._start_spawn_fcgi()
            else:
                raise ValueError(launcher)
            site._wait_for_socket()
            site._start_nginx()
            site._wait_for_http()
        except BaseException:
            site.stop()
            raise
        return site

    def config_values(self, extra: dict[str, str], workers: int) -> dict[str, str]:
        values = {
            "server.listen": f"unix:{self.socket_path}",
            "server.workers": str(workers),
            "server.base_url": self.base,
            "server.shutdown_timeout": "5s",
            **self.database.config(),
            "cookies.secret": SECRET,
            "cookies.secure": "false",
            "passwords.argon2_memory": "19456",
            # Every test comes from 127.0.0.1: the per-address lookup limit would otherwise be
            # reached by the suite itself. Tests of that limit set it low on their own site.
            "email.lookups_per_ip_per_hour": "100000",
            "email.max_per_hour": "50",
            # Likewise the SMS budget guards and the per-client password failures, which the suite
            # (one client, a few number ranges, codes often left unverified) would trip by itself;
            # their own tests set them on their own sites. Foreign numbers are tested too.
            "lockout.max_failures_per_ip_per_hour": "100000",
            "sms.max_per_region_per_hour": "0",
            "sms.max_per_prefix_per_hour": "0",
            "sms.min_conversion": "0",
            "phone.allowed_regions": "*",
            "email.provider": "file",
            "email.path": str(self.email_path),
            "sms.provider": "file",
            "sms.path": str(self.sms_path),
        }
        values.update(extra)
        return {k: v for k, v in values.items() if v is not None}

    def _write_config(self, extra: dict[str, str], workers: int) -> None:
        self.email_path.parent.mkdir(parents=True, exist_ok=True)
        self.conf_path.write_text(render_config(self.config_values(extra, workers)))

    def _start_serve(self) -> None:
        log = open(self.serve_log, "ab")
        self.serve = subprocess.Popen(
            [str(self.binary), "serve", "--config", str(self.conf_path)],
            stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True, cwd=self.root,
        )
        log.close()

    def _start_spawn_fcgi(self) -> None:
        spawn = shutil.which("spawn-fcgi")
        if not spawn:
            raise StartError("spawn-fcgi is not installed")
        log = open(self.serve_log, "ab")
        # -n: do not fork, exec the worker with the listening socket on fd 0 (its pid is ours).
        self.serve = subprocess.Popen(
            [spawn, "-n", "-s", str(self.socket_path), "-M", "0660", "--",
             str(self.binary), "--config", str(self.conf_path)],
            stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True, cwd=self.root,
        )
        log.close()

    def _wait_for_socket(self, timeout: float = 20) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.serve is not None and self.serve.poll() is not None:
                raise StartError(f"countersign exited with {self.serve.returncode}:\n{self.log_text()}")
            if self.socket_path.is_socket():
                return
            time.sleep(0.05)
        raise StartError(f"no socket at {self.socket_path} after {timeout}s:\n{self.log_text()}")

    def nginx_config(self) -> str:
        user_line = "user root root;" if os.geteuid() == 0 else ""
        text = NGINX_TEMPLATE.read_text()
        text = (text.replace("@USER@", user_line).replace("@PORT@", str(self.port))
                .replace("@RUN@", str(self.root)).replace("@WWW@", str(WWW)))
        # One extra location, only in the tests: a static file guarded by nginx `auth_request`,
        # the way a site owner protects their own pages with /Account/Auth.
        extra = (
            "        location /protected/ {\n"
            "            auth_request /Account/Auth;\n"
            f"            root {self.protected_dir.parent};\n"
            "        }\n"
        )
        marker = "        location /static/"
        assert marker in text, "nginx template changed: the test location cannot be added"
        return text.replace(marker, extra + marker, 1)

    def _start_nginx(self) -> None:
        (self.nginx_dir / "logs").mkdir(parents=True, exist_ok=True)
        (self.nginx_dir / "tmp").mkdir(parents=True, exist_ok=True)
        self.protected_dir.mkdir(parents=True, exist_ok=True)
        (self.protected_dir / "secret.txt").write_text("the protected page\n")
        conf = self.nginx_dir / "nginx.conf"
        conf.write_text(self.nginx_config())
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        self.nginx = subprocess.Popen(
            [nginx, "-p", str(self.nginx_dir), "-c", str(conf), "-g", "daemon off;"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=open(self.nginx_dir / "logs" / "stderr.log", "ab"),
            start_new_session=True,
        )

    def _wait_for_http(self, timeout: float = 20) -> None:
        deadline = time.monotonic() + timeout
        last = None
        while time.monotonic() < deadline:
            if self.nginx.poll() is not None:
                raise StartError("nginx exited:\n" + (self.nginx_dir / "logs" / "stderr.log").read_text())
            try:
                r = requests.get(self.account + "/Login", timeout=2)
                if r.status_code == 200:
                    return
                last = r.status_code
            except requests.RequestException as error:
                last = error
            time.sleep(0.05)
        raise StartError(f"site not answering after {timeout}s (last: {last}):\n{self.log_text()}")

    def stop(self) -> None:
        terminate(self.nginx)
        terminate(self.serve, timeout=15)
        # Anything the supervisor left behind (it should leave nothing; tests check that) is in
        # the process group we created for it.
        if self.serve is not None:
            try:
                os.killpg(self.serve.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        if self._own_root and not os.environ.get("KEEP_SITE"):
            try:
                self.database.drop()
            except Exception:  # noqa: BLE001 - a database left behind goes with the server
                pass
        if self._own_root and not os.environ.get("KEEP_SITE"):
            shutil.rmtree(self.root, ignore_errors=True)

    def log_text(self) -> str:
        try:
            return self.serve_log.read_text(errors="replace")[-4000:]
        except OSError:
            return ""

    # ----- processes --------------------------------------------------------------------------

    def worker_pids(self) -> list[int]:
        return [p for p in children_of(self.serve.pid) if pid_alive(p)]

    def wait_for_workers(self, count: int, timeout: float = 10, exclude: set[int] = frozenset()) -> list[int]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            pids = [p for p in self.worker_pids() if p not in exclude]
            if len(pids) >= count:
                return pids
            time.sleep(0.05)
        raise AssertionError(f"expected {count} workers, have {self.worker_pids()}")

    # ----- HTTP helpers -----------------------------------------------------------------------

    def url(self, route: str) -> str:
        return self.account + route

    def session(self) -> requests.Session:
        s = requests.Session()
        s.headers["User-Agent"] = "countersign-integration-tests"
        return s

    def form_token(self, s: requests.Session, route: str = "/Login") -> str:
        r = s.get(self.url(route), allow_redirects=False)
        assert r.status_code == 200, (route, r.status_code, r.text[:500])
        return token(r.text)

    def post_form(self, s: requests.Session, route: str, fields: dict | list, *, token_from: str | None = None,
                  **kwargs) -> requests.Response:
        """POSTs a form with a fresh antiforgery token taken from `token_from` (default: route)."""
        tok = self.form_token(s, token_from or route)
        data = list(fields.items()) if isinstance(fields, dict) else list(fields)
        data.insert(0, (ANTIFORGERY_FIELD, tok))
        kwargs.setdefault("allow_redirects", False)
        return s.post(self.url(route), data=data, **kwargs)

    def register(self, s: requests.Session | None = None, *, email: str | None = None,
                 password: str = DEFAULT_PASSWORD, first: str = "Ada", last: str = "Lovelace",
                 phone: str = DEFAULT_PHONE, confirm_password: str | None = None,
                 headers: dict | None = None) -> requests.Response:
        s = s or self.session()
        fields = {
            "FirstName": first, "LastName": last, "Email": email or fresh_email(),
            "PhoneNumber": phone, "Password": password,
            "ConfirmPassword": password if confirm_password is None else confirm_password,
        }
        return self.post_form(s, "/Register", fields, headers=headers)

    def login(self, s: requests.Session, email: str, password: str = DEFAULT_PASSWORD,
              remember: bool = False, return_url: str | None = None) -> requests.Response:
        fields: list[tuple[str, str]] = [("Email", email), ("Password", password)]
        if remember:
            fields.append(("RememberMe", "true"))
        fields.append(("RememberMe", "false"))
        if return_url is not None:
            fields.append(("ReturnUrl", return_url))
        return self.post_form(s, "/Login", fields)

    def logout(self, s: requests.Session) -> requests.Response:
        return self.post_form(s, "/Logout", {}, token_from="/Manage")

    def new_user(self, *, confirmed: bool = True, password: str = DEFAULT_PASSWORD, **kwargs) -> str:
        """Registers (and by default confirms) a fresh account; returns its address."""
        email = kwargs.pop("email", None) or fresh_email()
        r = self.register(email=email, password=password, **kwargs)
        assert r.status_code == 303, (r.status_code, r.text[:2000])
        if confirmed:
            c = requests.get(self.confirm_link(email), allow_redirects=False)
            assert c.status_code == 200, c.status_code
        return email

    def signed_in(self, email: str | None = None, password: str = DEFAULT_PASSWORD,
                  remember: bool = False) -> tuple[requests.Session, str]:
        email = email or self.new_user(password=password)
        s = self.session()
        r = self.login(s, email, password, remember=remember)
        assert r.status_code == 303, (r.status_code, r.text[:2000])
        return s, email

    # ----- outboxes and database --------------------------------------------------------------

    def emails(self, to: str | None = None) -> list[dict]:
        try:
            lines = self.email_path.read_text().splitlines()
        except FileNotFoundError:
            return []
        mails = [json.loads(line) for line in lines if line.strip()]
        return [m for m in mails if to is None or m["to"].lower() == to.lower()]

    def confirm_link(self, email: str) -> str:
        mails = self.emails(email)
        assert mails, f"no email to {email}"
        links = [l for l in LINK_RE.findall(mails[-1]["text"]) if "ConfirmEmail" in l]
        assert links, "no confirmation link in:\n" + mails[-1]["text"]
        return links[0]

    def db(self):
        """A connection to this site's database (SQLite or PostgreSQL, see database.py)."""
        return self.database.connect()

    def user_row(self, email: str):
        with self.db() as conn:
            return conn.execute("SELECT * FROM AspNetUsers WHERE NormalizedEmail = ?", (email.upper(),)).fetchone()

    def user_count(self) -> int:
        with self.db() as conn:
            return conn.execute("SELECT COUNT(*) FROM AspNetUsers").fetchone()[0]


# ----- a minimal FastCGI client, to speak to the workers without nginx -----------------------

FCGI_BEGIN_REQUEST, FCGI_END_REQUEST, FCGI_PARAMS, FCGI_STDIN, FCGI_STDOUT, FCGI_STDERR = 1, 3, 4, 5, 6, 7


def _fcgi_record(kind: int, content: bytes, request_id: int = 1) -> bytes:
    padding = (-len(content)) % 8
    return struct.pack(">BBHHBB", 1, kind, request_id, len(content), padding, 0) + content + b"\0" * padding


def _fcgi_length(n: int) -> bytes:
    return bytes([n]) if n < 128 else struct.pack(">I", n | 0x80000000)


def fastcgi_request(socket_path: Path | tuple[str, int], params: dict[str, str], stdin: bytes = b"",
                    timeout: float = 10) -> tuple[bytes, float]:
    """Sends one request to a unix socket path or a (host, port); returns the raw CGI response
    (headers + body) and the seconds it took."""
    started = time.monotonic()
    pairs = b"".join(_fcgi_length(len(k.encode())) + _fcgi_length(len(v.encode())) + k.encode() + v.encode()
                     for k, v in params.items())
    message = _fcgi_record(FCGI_BEGIN_REQUEST, struct.pack(">HB5x", 1, 0))
    for i in range(0, len(pairs), 65535):
        message += _fcgi_record(FCGI_PARAMS, pairs[i:i + 65535])
    message += _fcgi_record(FCGI_PARAMS, b"")
    for i in range(0, len(stdin), 65535):
        message += _fcgi_record(FCGI_STDIN, stdin[i:i + 65535])
    message += _fcgi_record(FCGI_STDIN, b"")
    out = b""
    family = socket.AF_INET if isinstance(socket_path, tuple) else socket.AF_UNIX
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.settimeout(timeout)
        s.connect(socket_path if isinstance(socket_path, tuple) else str(socket_path))
        s.sendall(message)
        buffer = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            buffer += chunk
            ended = False
            while len(buffer) >= 8:
                _, kind, _, length, padding, _ = struct.unpack(">BBHHBB", buffer[:8])
                if len(buffer) < 8 + length + padding:
                    break
                content = buffer[8:8 + length]
                buffer = buffer[8 + length + padding:]
                if kind == FCGI_STDOUT:
                    out += content
                elif kind == FCGI_END_REQUEST:
                    ended = True
            if ended:
                break
    return out, time.monotonic() - started


def fastcgi_params(method: str, uri: str, query: str = "", extra: dict[str, str] | None = None) -> dict[str, str]:
    params = {
        "GATEWAY_INTERFACE": "CGI/1.1", "SERVER_PROTOCOL": "HTTP/1.1", "REQUEST_METHOD": method,
        "DOCUMENT_URI": uri, "SCRIPT_NAME": "", "REQUEST_URI": uri + ("?" + query if query else ""),
        "QUERY_STRING": query, "REMOTE_ADDR": "127.0.0.1", "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80", "HTTP_HOST": "127.0.0.1", "CONTENT_LENGTH": "", "CONTENT_TYPE": "",
    }
    params.update(extra or {})
    return params


def split_cgi(raw: bytes) -> tuple[int, dict[str, list[str]], bytes]:
    head, _, body = raw.partition(b"\r\n\r\n")
    if not _:
        head, _, body = raw.partition(b"\n\n")
    headers: dict[str, list[str]] = {}
    status = 200
    for line in head.decode("latin-1").splitlines():
        name, _, value = line.partition(":")
        headers.setdefault(name.strip().lower(), []).append(value.strip())
        if name.strip().lower() == "status":
            status = int(value.split()[0])
    return status, headers, body


def run_threads(count: int, target) -> list:
    """Runs target(i) in `count` threads started together; returns results (or exceptions)."""
    results: list = [None] * count
    barrier = threading.Barrier(count)

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            results[i] = target(i)
        except BaseException as error:  # noqa: BLE001 — reported by the caller
            results[i] = error

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return results
