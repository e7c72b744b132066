"""[auth] pages: GET /Manage, GET/POST /ChangePassword, and /Auth for nginx auth_request."""
import time
from urllib.parse import parse_qs, urlparse

import pytest
import requests

from harness import DEFAULT_PASSWORD, fastcgi_params, fastcgi_request, field_errors, split_cgi

NEW_PASSWORD = "another long and different passphrase"


def return_url_of(location: str) -> str:
    parsed = urlparse(location)
    assert parsed.path == "/Account/Login", location
    return parse_qs(parsed.query)["ReturnUrl"][0]


def test_manage_redirects_to_login_with_return_url(site):
    r = requests.get(site.url("/Manage"), allow_redirects=False)
    assert r.status_code == 303
    assert return_url_of(r.headers["Location"]) == "/Account/Manage"


def test_manage_keeps_its_query_in_return_url(site):
    r = requests.get(site.url("/Manage") + "?tab=phone", allow_redirects=False)
    assert r.status_code == 303
    assert return_url_of(r.headers["Location"]) == "/Account/Manage?tab=phone"


def test_change_password_get_redirects_to_login(site):
    r = requests.get(site.url("/ChangePassword"), allow_redirects=False)
    assert r.status_code == 303
    assert return_url_of(r.headers["Location"]) == "/Account/ChangePassword"


def test_change_password_post_redirects_to_its_form_page(site):
    r = requests.post(site.url("/ChangePassword"), data={"CurrentPassword": "x"}, allow_redirects=False)
    assert r.status_code == 303
    assert return_url_of(r.headers["Location"]) == "/Account/ChangePassword"


def test_return_url_round_trip_after_auth_redirect(site):
    email = site.new_user()
    s = site.session()
    r = s.get(site.url("/ChangePassword"), allow_redirects=False)
    login_page = s.get(site.base + r.headers["Location"])
    assert 'name="ReturnUrl" value="/Account/ChangePassword"' in login_page.text
    r = site.login(s, email, return_url=return_url_of(r.headers["Location"]))
    assert r.headers["Location"] == "/Account/ChangePassword"
    assert s.get(site.base + r.headers["Location"], allow_redirects=False).status_code == 200


def test_manage_shows_the_account(site):
    email = site.new_user(first="Katherine", last="Johnson", phone="(201) 555-0199")
    s, _ = site.signed_in(email)
    r = s.get(site.url("/Manage"))
    assert r.status_code == 200
    assert "Katherine" in r.text and "Johnson" in r.text
    assert email in r.text
    assert "+12015550199" in r.text
    assert "confirmed" in r.text and "not verified" in r.text
    assert 'href="/Account/ChangePassword"' in r.text
    assert 'action="/Account/Logout"' in r.text


def test_manage_escapes_the_name(site):
    email = site.new_user(first="<script>alert(1)</script>", last='"><img src=x onerror=alert(2)>')
    s, _ = site.signed_in(email)
    r = s.get(site.url("/Manage"))
    assert r.status_code == 200
    assert "<script>alert(1)</script>" not in r.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in r.text
    assert "<img src=x" not in r.text
    assert site.user_row(email)["FirstName"] == "<script>alert(1)</script>"


def change_password(site, s, current: str, new: str, confirm: str | None = None) -> requests.Response:
    return site.post_form(s, "/ChangePassword", {"CurrentPassword": current, "NewPassword": new,
                                                  "ConfirmPassword": new if confirm is None else confirm})


def test_change_password_ends_other_sign_ins_and_the_old_password(site):
    email = site.new_user()
    s, _ = site.signed_in(email)
    other, _ = site.signed_in(email)
    assert other.get(site.url("/Manage"), allow_redirects=False).status_code == 200
    old_hash = site.user_row(email)["PasswordHash"]
    old_stamp = site.user_row(email)["SecurityStamp"]

    r = change_password(site, s, DEFAULT_PASSWORD, NEW_PASSWORD)
    assert r.status_code == 303
    assert r.headers["Location"] == "/Account/Manage"
    manage = s.get(site.url("/Manage"), allow_redirects=False)
    assert manage.status_code == 200, "this browser stays signed in"
    assert "password has been changed" in manage.text.lower()

    row = site.user_row(email)
    assert row["PasswordHash"] != old_hash and row["PasswordHash"].startswith("$argon2id$")
    assert row["SecurityStamp"] != old_stamp

    kicked = other.get(site.url("/Manage"), allow_redirects=False)
    assert kicked.status_code == 303
    assert kicked.headers["Location"].startswith("/Account/Login?ReturnUrl=")
    assert site.login(site.session(), email, DEFAULT_PASSWORD).status_code == 422
    assert site.login(site.session(), email, NEW_PASSWORD).status_code == 303


def test_change_password_errors_are_422_beside_fields_without_passwords(site):
    s, email = site.signed_in()
    r = change_password(site, s, "wrong current passphrase", NEW_PASSWORD)
    assert r.status_code == 422
    assert field_errors(r.text)
    assert "wrong current passphrase" not in r.text and NEW_PASSWORD not in r.text

    r = change_password(site, s, DEFAULT_PASSWORD, NEW_PASSWORD, NEW_PASSWORD + "!")
    assert r.status_code == 422
    assert any("match" in e.lower() for e in field_errors(r.text))

    r = change_password(site, s, DEFAULT_PASSWORD, "short")
    assert r.status_code == 422

    r = change_password(site, s, DEFAULT_PASSWORD, "password123")
    assert r.status_code == 422
    assert field_errors(r.text)

    r = change_password(site, s, "", "")
    assert r.status_code == 422
    assert site.login(site.session(), email, DEFAULT_PASSWORD).status_code == 303, "nothing changed"


# ----- /Auth --------------------------------------------------------------------------------------

@pytest.mark.parametrize("method", ["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD"])
def test_auth_signed_in_any_method(site, method):
    email = site.new_user()
    s, _ = site.signed_in(email)
    r = s.request(method, site.url("/Auth"), allow_redirects=False)
    assert r.status_code == 200
    row = site.user_row(email)
    assert r.headers["X-Countersign-User-Id"] == row["Id"]
    assert r.headers["X-Countersign-Email"] == email
    assert r.headers["X-Countersign-Phone-Verified"] == "false"


@pytest.mark.parametrize("method", ["GET", "POST", "PUT", "DELETE", "HEAD"])
def test_auth_not_signed_in_is_401(site, method):
    r = requests.request(method, site.url("/Auth"), allow_redirects=False)
    assert r.status_code == 401
    assert "X-Countersign-User-Id" not in r.headers


def test_auth_needs_no_antiforgery_and_ignores_the_body(site):
    s, _ = site.signed_in()
    r = s.post(site.url("/Auth"), data="x=%zz&" * 10, headers={"Content-Type": "application/json"})
    assert r.status_code == 200


def test_auth_with_content_length_but_no_body_answers_at_once(site):
    # What nginx auth_request sends: the main request's CONTENT_LENGTH, no body.
    params = fastcgi_params("POST", "/Account/Auth", extra={"CONTENT_LENGTH": "5000", "CONTENT_TYPE": "application/x-www-form-urlencoded"})
    raw, seconds = fastcgi_request(site.socket_path, params, timeout=5)
    assert split_cgi(raw)[0] == 401
    assert seconds < 2


def test_nginx_auth_request_guards_a_page(site):
    s, _ = site.signed_in()
    assert requests.get(site.base + "/protected/secret.txt").status_code == 401
    r = s.get(site.base + "/protected/secret.txt")
    assert r.status_code == 200 and r.text == "the protected page\n"


def test_nginx_auth_request_with_a_request_body_answers_quickly(site):
    s, _ = site.signed_in()
    started = time.monotonic()
    anonymous = requests.post(site.base + "/protected/secret.txt", data=b"x" * 20000, timeout=10)
    signed_in = s.post(site.base + "/protected/secret.txt", data=b"x" * 20000, timeout=10)
    assert anonymous.status_code == 401
    # Past the check, nginx's static handler refuses POST itself: the check let it through.
    assert signed_in.status_code == 405
    assert time.monotonic() - started < 3


def test_auth_and_manage_show_a_verified_phone(site):
    email = site.new_user()
    s, _ = site.signed_in(email)
    with site.db() as conn:
        conn.execute("UPDATE AspNetUsers SET PhoneNumberConfirmed = 1 WHERE NormalizedEmail = ?", (email.upper(),))
    assert s.get(site.url("/Auth")).headers["X-Countersign-Phone-Verified"] == "true"
    page = s.get(site.url("/Manage")).text
    assert "+12015550123" in page and ">verified<" in page
