"""Apache for real: conf/apache.conf as shipped (only its three Defines pointed at the test's
folder), in an Apache started by hand on a loopback port with its own ServerRoot, PidFile and
ErrorLog — never the system service. Register → confirm → sign in → verify phone through it, and
the mod_authnz_fcgi protection of another location."""
import os
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
import requests

from fake_providers import code_in, enter_code, last_sms, phone_config, send_code
from harness import REPO, WWW, Site, binary_path, free_port, render_config, terminate

APACHE = shutil.which("apache2") or "/usr/sbin/apache2"
MODULES = Path("/usr/lib/apache2/modules")
pytestmark = pytest.mark.skipif(not Path(APACHE).exists(), reason="apache2 is not installed (make test installs it)")

WRAPPER = """\
ServerRoot {root}
Listen 127.0.0.1:{port}
ServerName 127.0.0.1
PidFile {root}/logs/httpd.pid
ErrorLog {root}/logs/error.log
LogLevel warn
{user}
TypesConfig /etc/mime.types
{modules}
DirectoryIndex index.html
DocumentRoot {root}/www
<Directory {root}/www>
    Require all granted
</Directory>
# Test only: show what the authorizer passed on to the protected request's environment.
<Location "/members/">
    Header always set X-Seen-User-Id "%{{COUNTERSIGN_USER_ID}}e"
    Header always set X-Seen-Phone-Verified "%{{COUNTERSIGN_PHONE_VERIFIED}}e"
</Location>
Include {root}/site.conf
"""
MODULE_NAMES = ["mpm_event", "authz_core", "authn_core", "authz_user", "alias", "dir", "mime", "headers",
                "proxy", "proxy_fcgi", "authnz_fcgi"]


def site_conf(socket_path: Path, authorizer: str, static: Path) -> str:
    """conf/apache.conf with its Defines set for this test; nothing else changes."""
    text = (REPO / "conf" / "apache.conf").read_text()
    for name, value in {"COUNTERSIGN_SOCKET": socket_path, "COUNTERSIGN_AUTHORIZER": authorizer,
                        "COUNTERSIGN_STATIC": static}.items():
        text, count = re.subn(rf"^Define {name} .*$", f"Define {name} {value}", text, flags=re.M)
        assert count == 1, f"conf/apache.conf lost its Define {name}"
    return text


class Apache:
    def __init__(self, root: Path, port: int, site_text: str):
        self.root, self.port = root, port
        self.base = f"http://127.0.0.1:{port}"
        (root / "logs").mkdir(exist_ok=True)
        (root / "www" / "members").mkdir(parents=True, exist_ok=True)
        (root / "www" / "members" / "index.html").write_text("the members' page\n")
        (root / "site.conf").write_text(site_text)
        # Apache refuses to run as root; its children become www-data, who must reach the socket.
        user = "User www-data\nGroup www-data" if os.geteuid() == 0 else ""
        modules = "\n".join(f"LoadModule {m}_module {MODULES}/mod_{m}.so" for m in MODULE_NAMES)
        (root / "httpd.conf").write_text(WRAPPER.format(root=root, port=port, user=user, modules=modules))
        check = subprocess.run([APACHE, "-f", str(root / "httpd.conf"), "-t"], capture_output=True, text=True)
        assert check.returncode == 0, check.stderr
        self.proc = subprocess.Popen([APACHE, "-f", str(root / "httpd.conf"), "-DFOREGROUND"],
                                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=open(root / "logs" / "stderr.log", "ab"), start_new_session=True)
        deadline = time.monotonic() + 15
        while True:
            assert self.proc.poll() is None, self.log()
            try:
                if requests.get(self.base + "/Account/Login", timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                pass
            assert time.monotonic() < deadline, "Apache does not answer:\n" + self.log()
            time.sleep(0.1)

    def log(self) -> str:
        return "".join(p.read_text(errors="replace")[-3000:] for p in (self.root / "logs").glob("*.log"))

    def stop(self):
        terminate(self.proc)


@pytest.fixture(scope="module")
def apache_site():
    # The folder must be reachable by www-data (Apache's children) to connect to the socket.
    root = Path(tempfile.mkdtemp(prefix="cs-apache-"))
    root.chmod(0o711)
    site = Site.start(phone_config({"server.listen_group": "www-data"} if os.geteuid() == 0 else {}), root=root)
    authorizer = None
    apache = None
    try:
        # The second, one-worker pool mod_authnz_fcgi talks to (TCP only): same config otherwise.
        authz_port = free_port()
        authz_conf = root / "authorizer.conf"
        values = site.config_values(phone_config({"server.listen": f"127.0.0.1:{authz_port}"}), 1)
        authz_conf.write_text(render_config(values))
        authorizer = subprocess.Popen([str(site.binary), "serve", "--config", str(authz_conf)], stdin=subprocess.DEVNULL,
                                      stdout=open(root / "authorizer.log", "ab"), stderr=subprocess.STDOUT,
                                      start_new_session=True)
        # Copied: the checkout may sit in a folder www-data cannot enter (a 0700 home or temp folder).
        shutil.copytree(WWW / "static", root / "static")
        apache = Apache(root, free_port(), site_conf(site.socket_path, f"127.0.0.1:{authz_port}", root / "static"))
        # Every helper of the harness now goes through Apache instead of nginx.
        site.account = apache.base + "/Account"
        site.apache = apache
        yield site
    finally:
        if apache:
            apache.stop()
        terminate(authorizer)
        site.stop()
        if not os.environ.get("KEEP_SITE"):
            shutil.rmtree(root, ignore_errors=True)


def through_apache(site, link: str) -> str:
    """Links in emails are built from server.base_url (the nginx of the harness): same path via Apache."""
    return re.sub(r"^https?://[^/]+", site.apache.base, link)


def test_register_confirm_sign_in_and_verify_the_phone_through_apache(apache_site):
    site = apache_site
    email = site.new_user(confirmed=False)
    assert requests.get(through_apache(site, site.confirm_link(email)), allow_redirects=False).status_code == 200
    assert site.user_row(email)["EmailConfirmed"] == 1
    s, _ = site.signed_in(email)
    manage = s.get(site.apache.base + "/Account/Manage", allow_redirects=False)
    assert manage.status_code == 200 and "Ada" in manage.text
    assert send_code(site, s, "+12015550166").status_code == 303
    r = enter_code(site, s, code_in(last_sms(site, "+12015550166")["body"]))
    assert (r.status_code, r.headers["Location"]) == (303, "/Account/PhoneVerificationSuccessful")
    assert site.user_row(email)["PhoneNumberConfirmed"] == 1


def test_routes_match_in_any_case_and_static_files_are_served(apache_site):
    base = apache_site.apache.base
    assert requests.get(base + "/account/LOGIN").status_code == 200
    css = requests.get(base + "/static/countersign.css")
    assert css.status_code == 200 and css.content == (WWW / "static" / "countersign.css").read_bytes()
    assert requests.get(base + "/Account/NoSuchPage").status_code == 404


def test_a_protected_location_needs_the_sign_in_and_gets_who_it_is(apache_site):
    site = apache_site
    url = site.apache.base + "/members/"
    anonymous = requests.get(url)
    assert anonymous.status_code == 401
    assert "the members' page" not in anonymous.text and "/Account/Login" in anonymous.text
    s, email = site.signed_in()
    r = s.get(url)
    assert r.status_code == 200 and r.text == "the members' page\n"
    assert r.headers["X-Seen-User-Id"] == site.user_row(email)["Id"]
    assert r.headers["X-Seen-Phone-Verified"] == "false"
    site.logout(s)
    assert s.get(url).status_code == 401


FCGID = """\
LoadModule fcgid_module {modules}/mod_fcgid.so
FcgidIPCDir {root}/fcgid
FcgidProcessTableFile {root}/fcgid/shm
# As in the README: Apache starts the workers itself, each with the listening socket on fd 0.
<LocationMatch "(?i)^/account(/|$)">
    SetHandler fcgid-script
    Options +ExecCGI
    FcgidWrapper "{binary} --config {conf}" virtual
</LocationMatch>
"""


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to hand the data folder to www-data")
@pytest.mark.skipif(not (MODULES / "mod_fcgid.so").exists(), reason="libapache2-mod-fcgid is not installed")
def test_mod_fcgid_runs_the_workers_itself():
    root = Path(tempfile.mkdtemp(prefix="cs-fcgid-"))
    root.chmod(0o711)
    apache = None
    try:
        data = root / "data"
        for folder in (data, data / "outbox", root / "fcgid"):
            folder.mkdir(parents=True)
            shutil.chown(folder, "www-data", "www-data")
        # Apache's user runs the binary and reads the templates: copies in a folder it may enter.
        (root / "bin").mkdir()
        binary = root / "bin" / "countersign"
        shutil.copy2(binary_path(), binary)
        shutil.copytree(WWW / "templates", root / "templates")
        port = free_port()
        site = Site(root, port, binary)
        site.db_path, site.email_path, site.sms_path = data / "countersign.db", data / "outbox" / "email.jsonl", data / "outbox" / "sms.jsonl"
        site.conf_path.write_text(render_config(site.config_values(phone_config({"templates.dir": str(root / "templates")}), 1)))
        site.conf_path.chmod(0o644)
        fcgid = FCGID.format(modules=MODULES, root=root, binary=site.binary, conf=site.conf_path)
        apache = Apache(root, port, fcgid)
        site.account = apache.base + "/Account"
        s, email = site.signed_in()
        assert s.get(site.url("/Manage")).status_code == 200
        assert site.user_row(email)["EmailConfirmed"] == 1
    finally:
        if apache:
            apache.stop()
        if not os.environ.get("KEEP_SITE"):
            shutil.rmtree(root, ignore_errors=True)
