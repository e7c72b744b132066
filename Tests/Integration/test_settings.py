"""Behaviour that depends on config keys, and failure handling: sessions, secure cookies, secret
rotation, proxies, app name, after_login, a locked database."""
import sqlite3
import statistics
import time

import pytest
import requests

from database import ENGINE
from harness import DEFAULT_PASSWORD, SECRET, Site, fresh_email, set_cookie_headers, token

SESSION_COOKIE = "Countersign.Session"


def test_idle_timeout_ends_an_unused_sign_in(make_site):
    s = make_site({"session.idle_timeout": "2s"})
    session, _ = s.signed_in()
    assert session.get(s.url("/Manage"), allow_redirects=False).status_code == 200
    time.sleep(3)
    assert session.get(s.url("/Manage"), allow_redirects=False).status_code == 303
    assert session.get(s.url("/Auth")).status_code == 401


def test_idle_timeout_counts_from_the_last_use(make_site):
    s = make_site({"session.idle_timeout": "3s"})
    session, _ = s.signed_in()
    for _ in range(6):
        time.sleep(1)
        assert session.get(s.url("/Manage"), allow_redirects=False).status_code == 200


def test_absolute_lifetime_ends_a_sign_in_in_use(make_site):
    s = make_site({"session.lifetime": "3s"})
    session = s.session()
    r = s.login(session, s.new_user(), remember=True)
    assert "Max-Age=3" in r.headers["Set-Cookie"]
    cookie = session.cookies.get(SESSION_COOKIE)
    time.sleep(1.5)
    assert requests.get(s.url("/Manage"), cookies={SESSION_COOKIE: cookie}, allow_redirects=False).status_code == 200
    time.sleep(2.5)
    assert requests.get(s.url("/Manage"), cookies={SESSION_COOKIE: cookie}, allow_redirects=False).status_code == 303


def test_secure_cookies_use_host_prefix_and_secure_flag(make_site):
    s = make_site({"cookies.secure": "true"})
    r = requests.get(s.url("/Register"))
    cookies = set_cookie_headers(r)
    assert cookies, r.headers
    for header in cookies:
        name = header.split("=", 1)[0]
        attrs = [a.strip().lower() for a in header.split(";")[1:]]
        assert name.startswith("__Host-"), header
        assert "secure" in attrs and "path=/" in attrs and "httponly" in attrs, header
        assert not any(a.startswith("domain=") for a in attrs), header
    # requests keeps Secure cookies off plain http: send them by hand, as a browser on https would.
    def post(route: str, fields: dict) -> requests.Response:
        page = requests.get(s.url(route))
        jar = {h.split("=", 1)[0]: h.split("=", 1)[1].split(";", 1)[0] for h in set_cookie_headers(page)}
        return requests.post(s.url(route), cookies=jar, allow_redirects=False,
                             data={"__RequestVerificationToken": token(page.text), **fields})

    email = fresh_email()
    r = post("/Register", {"FirstName": "Sec", "Email": email, "PhoneNumber": "+12015550123",
                           "Password": DEFAULT_PASSWORD, "ConfirmPassword": DEFAULT_PASSWORD})
    assert r.status_code == 303
    assert requests.get(s.confirm_link(email)).status_code == 200
    r = post("/Login", {"Email": email, "Password": DEFAULT_PASSWORD})
    assert r.status_code == 303
    session_cookie = [h for h in set_cookie_headers(r) if h.startswith("__Host-Countersign.Session=")]
    assert session_cookie and "Secure" in session_cookie[0] and "SameSite=Lax" in session_cookie[0]


def test_secret_rotation_keeps_forms_working_only_with_previous_secrets(tmp_path):
    new_secret = "the-next-secret-after-rotation-0123456789"
    old = Site.start(root=tmp_path / "a")
    try:
        page = requests.get(old.url("/Login"))
        jar = {h.split("=", 1)[0]: h.split("=", 1)[1].split(";", 1)[0] for h in set_cookie_headers(page)}
        form = {"__RequestVerificationToken": token(page.text), "Email": "a@example.com", "Password": "x"}
    finally:
        old.stop()

    rotated = Site.start({"cookies.secret": new_secret, "cookies.previous_secrets": SECRET}, root=tmp_path / "b")
    try:
        r = requests.post(rotated.url("/Login"), data=form, cookies=jar, allow_redirects=False)
        assert r.status_code == 422, "a form made under the previous secret should still pass"
    finally:
        rotated.stop()

    replaced = Site.start({"cookies.secret": new_secret}, root=tmp_path / "c")
    try:
        r = requests.post(replaced.url("/Login"), data=form, cookies=jar, allow_redirects=False)
        assert r.status_code == 400
    finally:
        replaced.stop()


def test_after_login_setting(make_site):
    s = make_site({"server.after_login": "/Account/ChangePassword"})
    r = s.login(s.session(), s.new_user())
    assert r.headers["Location"] == "/Account/ChangePassword"


def test_app_name_in_pages_and_emails(make_site):
    s = make_site({"server.app_name": "Acme <Widgets>"})
    r = requests.get(s.url("/Login"))
    assert "Acme &lt;Widgets&gt;" in r.text and "<Widgets>" not in r.text
    email = s.new_user(confirmed=False)
    mail = s.emails(email)[-1]
    assert "Acme <Widgets>" in mail["subject"] or "Acme <Widgets>" in mail["text"]
    assert "<Widgets>" not in mail["html"]


def test_spoofed_x_forwarded_for_does_not_escape_the_address_limit(make_site):
    s = make_site({"email.lookups_per_ip_per_hour": "3"})
    codes = [requests.get(s.url("/IsEmailAvailable"), params={"Email": fresh_email()},
                          headers={"X-Forwarded-For": f"203.0.113.{i}"}).status_code for i in range(5)]
    assert codes == [200, 200, 200, 429, 429]


def test_trusted_proxy_forwarded_address_is_used(make_site):
    s = make_site({"email.lookups_per_ip_per_hour": "2", "server.trusted_proxies": "127.0.0.1"})
    codes = [requests.get(s.url("/IsEmailAvailable"), params={"Email": fresh_email()},
                          headers={"X-Forwarded-For": f"203.0.113.{i}"}).status_code for i in range(5)]
    assert codes == [200] * 5
    same = [requests.get(s.url("/IsEmailAvailable"), params={"Email": fresh_email()},
                         headers={"X-Forwarded-For": "198.51.100.7"}).status_code for _ in range(3)]
    assert same == [200, 200, 429]


def test_rate_limited_page_says_when_to_retry(make_site):
    s = make_site({"email.lookups_per_ip_per_hour": "1"})
    assert s.register().status_code == 303
    r = s.register()
    assert r.status_code == 429
    assert int(r.headers["Retry-After"]) > 3000
    assert "minute" in r.text.lower() or "hour" in r.text.lower()


@pytest.mark.skipif(ENGINE != "sqlite", reason="SQLite's file lock; PostgreSQL's outage is in test_storage.py")
def test_a_locked_database_gives_a_plain_500_and_the_worker_lives_on(make_site):
    s = make_site()
    session = s.session()
    tok = s.form_token(session, "/Register")
    workers = sorted(s.worker_pids())
    email = fresh_email()
    lock = sqlite3.connect(s.db_path, isolation_level=None, timeout=10)
    try:
        lock.execute("BEGIN EXCLUSIVE")
        r = session.post(s.url("/Register"), allow_redirects=False, timeout=60, data={
            "__RequestVerificationToken": tok, "FirstName": "Locked", "Email": email, "PhoneNumber": "+12015550123",
            "Password": DEFAULT_PASSWORD, "ConfirmPassword": DEFAULT_PASSWORD})
    finally:
        lock.execute("ROLLBACK")
        lock.close()
    assert r.status_code in (500, 503)
    for secret in ["SQLite", "locked", "BEGIN", "Storage", ".swift", "error 5"]:
        assert secret.lower() not in r.text.lower(), secret
    assert "Content-Security-Policy" in r.headers
    assert sorted(s.worker_pids()) == workers, "a worker never dies of a request"
    assert s.register(email=email).status_code == 303


def test_unknown_address_takes_as_long_as_a_wrong_password(site):
    # Otherwise the time of a failed sign-in tells which addresses have accounts.
    email = site.new_user()
    session = site.session()

    def timed(address: str) -> float:
        tok = site.form_token(session, "/Login")
        started = time.monotonic()
        r = session.post(site.url("/Login"), allow_redirects=False,
                         data={"__RequestVerificationToken": tok, "Email": address, "Password": "wrong password here"})
        assert r.status_code == 422
        return time.monotonic() - started

    known = [timed(email) for _ in range(5)]
    unknown = [timed(fresh_email("nobody")) for _ in range(5)]
    assert statistics.median(unknown) > 0.5 * statistics.median(known), (known, unknown)


def test_logout_ends_only_this_sign_in(site):
    email = site.new_user()
    first, _ = site.signed_in(email)
    second, _ = site.signed_in(email)
    assert site.logout(first).status_code == 303
    assert first.get(site.url("/Manage"), allow_redirects=False).status_code == 303
    assert second.get(site.url("/Manage"), allow_redirects=False).status_code == 200


def test_normalized_email_is_upper_case_like_dotnet(site):
    email = f"straße.ﬁx.{fresh_email()}"
    r = site.register(email=email)
    assert r.status_code == 303
    with site.db() as conn:
        row = conn.execute("SELECT * FROM AspNetUsers WHERE Email = ?", (email,)).fetchone()
    # .NET's ToUpperInvariant maps one character to one: ß and ﬁ stay as they are.
    expected = "".join(c if len(c.upper()) != 1 else c.upper() for c in email)
    assert row["NormalizedEmail"] == expected and "ß" in expected and "ﬁ" in expected
    requests.get(site.confirm_link(email))
    assert site.login(site.session(), email.replace("straße", "STRAßE")).status_code == 303


def test_query_field_given_twice_is_400(site):
    r = requests.get(site.url("/IsEmailAvailable") + "?Email=a%40example.com&Email=b%40example.com")
    assert r.status_code == 400


def test_return_url_is_escaped_in_the_login_form(site):
    r = requests.get(site.url("/Login"), params={"ReturnUrl": '/x"><script>alert(1)</script>'})
    assert r.status_code == 200
    assert "<script>alert(1)</script>" not in r.text
