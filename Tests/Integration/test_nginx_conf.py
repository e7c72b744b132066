"""The README's nginx sample, conf/nginx.conf, tested as written: the test includes the file in
an http block the way Debian includes sites-enabled/, changing only the port, the socket path, the
document root and the protected application's address. Account pages, static files,
auth_request with the user id and phone-verified flag passed on, limit_req answering 429."""
import json
import os
import re
import shutil
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import requests

from fake_providers import code_in, enter_code, last_sms, phone_config, send_code
from harness import REPO, WWW, Site, free_port, terminate

WRAPPER = """\
{user}
worker_processes 1;
error_log {dir}/logs/error.log warn;
pid {dir}/nginx.pid;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    access_log off;
    client_body_temp_path {dir}/tmp/body;
    fastcgi_temp_path {dir}/tmp/fastcgi;
    proxy_temp_path {dir}/tmp/proxy;
    uwsgi_temp_path {dir}/tmp/uwsgi;
    scgi_temp_path {dir}/tmp/scgi;
    include {dir}/site.conf;
}}
"""


def sample(port: int, socket_path: Path, root: Path, app: str) -> str:
    text = (REPO / "conf" / "nginx.conf").read_text()
    for pattern, replacement in [(r"listen 443 ssl;", f"listen 127.0.0.1:{port};"),
                                 (r"/run/countersign/countersign\.sock", str(socket_path)),
                                 (r"root /var/www/example;", f"root {root};"),
                                 (r"http://127\.0\.0\.1:8081", app)]:
        text, count = re.subn(pattern, replacement, text)
        assert count >= 1, f"conf/nginx.conf no longer has {pattern!r}"
    return text


class EchoApp(BaseHTTPRequestHandler):
    """The protected application: answers with the Countersign headers nginx passed on."""

    def do_GET(self):  # noqa: N802 — http.server's naming
        body = json.dumps({name: self.headers.get(name) for name in
                           ("X-Countersign-User-Id", "X-Countersign-Phone-Verified")}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def nsite():
    site = Site.start(phone_config())
    app = ThreadingHTTPServer(("127.0.0.1", 0), EchoApp)
    threading.Thread(target=app.serve_forever, daemon=True).start()
    directory = site.root / "sample-nginx"
    for sub in ("logs", "tmp", "www"):
        (directory / sub).mkdir(parents=True, exist_ok=True)
    shutil.copytree(WWW / "static", directory / "www" / "static")
    # `include fastcgi_params;` is relative to the config's folder, as in /etc/nginx.
    shutil.copy("/etc/nginx/fastcgi_params", directory / "fastcgi_params")
    port = free_port()
    (directory / "site.conf").write_text(sample(port, site.socket_path, directory / "www", f"http://127.0.0.1:{app.server_port}"))
    (directory / "nginx.conf").write_text(WRAPPER.format(dir=directory, user="user root root;" if os.geteuid() == 0 else ""))
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    check = subprocess.run([nginx, "-t", "-p", str(directory), "-c", str(directory / "nginx.conf")], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    proc = subprocess.Popen([nginx, "-p", str(directory), "-c", str(directory / "nginx.conf"), "-g", "daemon off;"],
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 10
        while True:
            try:
                if requests.get(base + "/static/countersign.css", timeout=2).status_code == 200:
                    break
            except requests.RequestException:
                pass
            assert time.monotonic() < deadline and proc.poll() is None, (directory / "logs" / "error.log").read_text()
            time.sleep(0.05)
        site.sample_base = base
        # The harness's helpers (register, sign in, codes) now go through the sample config.
        site.account = base + "/Account"
        yield site
    finally:
        terminate(proc)
        app.shutdown()
        site.stop()


def test_account_pages_and_static_files(nsite):
    assert requests.get(nsite.sample_base + "/Account/Login").status_code == 200
    assert requests.get(nsite.sample_base + "/account/register").status_code == 200
    css = requests.get(nsite.sample_base + "/static/countersign.css")
    assert css.status_code == 200 and css.content == (WWW / "static" / "countersign.css").read_bytes()


def test_auth_request_protects_a_location_and_passes_user_and_phone_flag(nsite):
    url = nsite.sample_base + "/members/page"
    anonymous = requests.get(url, allow_redirects=False, headers={"X-Countersign-User-Id": "forged"})
    assert anonymous.status_code == 303
    assert anonymous.headers["Location"].endswith("/Account/Login?ReturnUrl=/members/page")
    s, email = nsite.signed_in()
    seen = s.get(url, headers={"X-Countersign-User-Id": "forged"}).json()
    assert seen == {"X-Countersign-User-Id": nsite.user_row(email)["Id"], "X-Countersign-Phone-Verified": "false"}
    assert send_code(nsite, s, "+12015550155").status_code == 303
    assert enter_code(nsite, s, code_in(last_sms(nsite, "+12015550155")["body"])).status_code == 303
    assert s.get(url).json()["X-Countersign-Phone-Verified"] == "true"


def test_limit_req_answers_429_on_sign_in(nsite):
    codes = [requests.post(nsite.sample_base + "/Account/Login", data={"Email": "x@example.com", "Password": "x"},
                           allow_redirects=False).status_code for _ in range(30)]
    assert 429 in codes, codes
    first = codes.index(429)
    assert all(c != 429 for c in codes[:first]) and codes[first:] == [429] * (30 - first), codes
