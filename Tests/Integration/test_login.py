"""GET/POST /Login, POST /Logout, sessions, cookies, ReturnUrl, lockout."""
import time

import pytest
import requests

from harness import DEFAULT_PASSWORD, fresh_email, set_cookie, summary_error

SESSION_COOKIE = "Countersign.Session"


def cookie_attributes(header: str) -> dict[str, str]:
    parts = [p.strip() for p in header.split(";")]
    attrs = {}
    for part in parts[1:]:
        name, _, value = part.partition("=")
        attrs[name.lower()] = value
    return attrs


def test_login_page(site):
    r = requests.get(site.url("/Login"))
    assert r.status_code == 200
    for name in ["Email", "Password", "RememberMe", "__RequestVerificationToken"]:
        assert f'name="{name}"' in r.text


def test_login_page_keeps_a_local_return_url(site):
    r = requests.get(site.url("/Login"), params={"ReturnUrl": "/Account/ChangePassword"})
    assert 'name="ReturnUrl" value="/Account/ChangePassword"' in r.text


def test_login_page_drops_a_foreign_return_url(site):
    r = requests.get(site.url("/Login"), params={"ReturnUrl": "https://evil.com/"})
    assert r.status_code == 200
    assert "evil.com" not in r.text


def test_sign_in_redirects_to_manage_with_a_session_cookie(site):
    email = site.new_user()
    s = site.session()
    r = site.login(s, email)
    assert r.status_code == 303
    assert r.headers["Location"] == "/Account/Manage"
    cookie = set_cookie(r, SESSION_COOKIE)
    assert cookie, r.headers
    attrs = cookie_attributes(cookie)
    assert "httponly" in attrs
    assert attrs.get("samesite", "").lower() == "lax"
    assert attrs.get("path") == "/"
    assert "max-age" not in attrs and "expires" not in attrs
    assert "secure" not in attrs  # cookies.secure = false in the tests
    manage = s.get(site.url("/Manage"), allow_redirects=False)
    assert manage.status_code == 200
    assert email in manage.text


def test_remember_me_makes_a_persistent_cookie(site):
    email = site.new_user()
    s = site.session()
    r = site.login(s, email, remember=True)
    assert r.status_code == 303
    attrs = cookie_attributes(set_cookie(r, SESSION_COOKIE))
    assert attrs.get("max-age") == str(14 * 86400)
    assert "httponly" in attrs and attrs.get("samesite", "").lower() == "lax"


def test_sign_in_accepts_any_case_of_the_address(site):
    email = site.new_user()
    for variant in [email.upper(), email.swapcase(), "  " + email + "  "]:
        r = site.login(site.session(), variant)
        assert r.status_code == 303, variant


def session_id(response: requests.Response) -> str:
    header = set_cookie(response, SESSION_COOKIE)
    assert header, response.headers
    return header.split(";", 1)[0].split("=", 1)[1]


def test_session_id_changes_at_each_sign_in(site):
    email = site.new_user()
    s = site.session()
    first = site.login(s, email)
    second = site.login(s, email)
    assert first.status_code == second.status_code == 303
    first_id, second_id = session_id(first), session_id(second)
    assert len(first_id) >= 32 and first_id != second_id
    stale = requests.get(site.url("/Manage"), cookies={SESSION_COOKIE: first_id}, allow_redirects=False)
    assert stale.status_code == 303, "the earlier session of this browser should have ended"
    current = requests.get(site.url("/Manage"), cookies={SESSION_COOKIE: second_id}, allow_redirects=False)
    assert current.status_code == 200


def test_a_visitor_chosen_session_id_is_never_adopted(site):
    email = site.new_user()
    chosen = "A" * 43
    s = site.session()
    tok = site.form_token(s, "/Login")
    r = s.post(site.url("/Login"), data={"__RequestVerificationToken": tok, "Email": email, "Password": DEFAULT_PASSWORD},
               cookies={SESSION_COOKIE: chosen}, allow_redirects=False)
    assert r.status_code == 303
    assert session_id(r) != chosen
    assert requests.get(site.url("/Manage"), cookies={SESSION_COOKIE: chosen}, allow_redirects=False).status_code == 303


@pytest.mark.parametrize("return_url,expected", [
    ("/Account/ChangePassword", "/Account/ChangePassword"),
    ("/Account/Manage?x=1", "/Account/Manage?x=1"),
    ("//evil.com", "/Account/Manage"),
    ("//evil.com/Account/Manage", "/Account/Manage"),
    ("https://evil.com", "/Account/Manage"),
    ("http://127.0.0.1/Account/Manage", "/Account/Manage"),
    ("/\\evil.com", "/Account/Manage"),
    ("\\\\evil.com", "/Account/Manage"),
    ("javascript:alert(1)", "/Account/Manage"),
    ("/\r\nSet-Cookie: x=y", "/Account/Manage"),
    ("", "/Account/Manage"),
])
def test_return_url_only_when_local(site, return_url, expected):
    email = site.new_user()
    r = site.login(site.session(), email, return_url=return_url)
    assert r.status_code == 303
    assert r.headers["Location"] == expected


def failure_message(site, email: str, password: str) -> tuple[int, str | None, str]:
    r = site.login(site.session(), email, password)
    return r.status_code, summary_error(r.text), r.text


def test_wrong_password_and_unknown_address_get_the_same_422(site):
    email = site.new_user()
    wrong = failure_message(site, email, "not the password at all")
    unknown = failure_message(site, fresh_email("nobody"), DEFAULT_PASSWORD)
    assert wrong[0] == unknown[0] == 422
    assert wrong[1] and wrong[1] == unknown[1]
    assert "ResendConfirmationEmail" not in wrong[2]
    assert "not the password at all" not in wrong[2]


def test_failed_login_keeps_the_address_but_never_the_password(site):
    email = site.new_user()
    r = site.login(site.session(), email, "secret-typo-passphrase", remember=True)
    assert r.status_code == 422
    assert f'value="{email}"' in r.text
    assert "secret-typo-passphrase" not in r.text
    assert "checked" in r.text.split('id="RememberMe"', 1)[1].split(">", 1)[0]


def test_login_form_values_are_escaped(site):
    r = site.login(site.session(), '"><script>alert(1)</script>@example.com', "x")
    assert r.status_code == 422
    assert "<script>alert(1)</script>" not in r.text


def test_empty_login_form_is_422(site):
    s = site.session()
    r = site.post_form(s, "/Login", {"Email": "", "Password": ""})
    assert r.status_code == 422
    assert summary_error(r.text)


def test_unconfirmed_address_with_right_password_gets_422_and_a_resend_offer(site):
    email = site.new_user(confirmed=False)
    r = site.login(site.session(), email)
    assert r.status_code == 422
    assert 'action="/Account/ResendConfirmationEmail"' in r.text
    assert "confirm" in (summary_error(r.text) or "").lower()
    assert SESSION_COOKIE not in r.headers.get("Set-Cookie", "")
    # The wrong password on an unconfirmed address tells nothing about it.
    wrong = site.login(site.session(), email, "wrong password here")
    assert wrong.status_code == 422
    assert "ResendConfirmationEmail" not in wrong.text


def test_unconfirmed_sign_in_allowed_when_not_required(make_site):
    s = make_site({"email.require_confirmed": "false"})
    email = s.new_user(confirmed=False)
    assert s.login(s.session(), email).status_code == 303


def test_lockout_after_max_failures_even_with_the_right_password(make_site):
    s = make_site({"lockout.max_failures": "2", "lockout.duration": "5m"})
    email = s.new_user()
    reference = failure_message(s, fresh_email(), "whatever password")
    assert reference[0] == 422
    for _ in range(2):
        assert failure_message(s, email, "wrong password here")[:2] == reference[:2]
    row = s.user_row(email)
    assert row["LockoutEnd"] is not None
    locked = failure_message(s, email, DEFAULT_PASSWORD)
    assert locked[:2] == reference[:2], "a locked account must answer like a wrong password"
    other = s.new_user()
    assert s.login(s.session(), other).status_code == 303, "lockout is per account"


def test_successful_sign_in_resets_the_failure_count(make_site):
    s = make_site({"lockout.max_failures": "3"})
    email = s.new_user()
    for _ in range(2):
        assert s.login(s.session(), email, "wrong password here").status_code == 422
    assert s.login(s.session(), email).status_code == 303
    assert s.user_row(email)["AccessFailedCount"] == 0
    for _ in range(2):
        assert s.login(s.session(), email, "wrong password here").status_code == 422
    assert s.login(s.session(), email).status_code == 303


def test_logout_ends_the_session_on_the_server(site):
    s, email = site.signed_in()
    old_id = s.cookies.get(SESSION_COOKIE)
    r = site.logout(s)
    assert r.status_code == 303
    assert r.headers["Location"] == "/Account/Login"
    deletion = set_cookie(r, SESSION_COOKIE)
    assert deletion and ("max-age=0" in deletion.lower() or "expires=thu, 01 jan 1970" in deletion.lower())
    replay = requests.get(site.url("/Manage"), cookies={SESSION_COOKIE: old_id}, allow_redirects=False)
    assert replay.status_code == 303
    assert replay.headers["Location"].startswith("/Account/Login?ReturnUrl=")
    auth = requests.get(site.url("/Auth"), cookies={SESSION_COOKIE: old_id})
    assert auth.status_code == 401
    follow = s.get(site.base + r.headers["Location"])
    assert "signed out" in follow.text.lower()


def test_logout_needs_the_antiforgery_token(site):
    s, _ = site.signed_in()
    r = s.post(site.url("/Logout"), data={"x": "1"}, allow_redirects=False)
    assert r.status_code == 400
    assert s.get(site.url("/Manage"), allow_redirects=False).status_code == 200


def test_logout_when_not_signed_in_is_harmless(site):
    s = site.session()
    r = site.post_form(s, "/Logout", {}, token_from="/Login")
    assert r.status_code == 303
    assert r.headers["Location"] == "/Account/Login"


def test_form_token_from_before_sign_in_is_refused_after(site):
    email = site.new_user()
    s = site.session()
    before = site.form_token(s, "/Login")
    assert site.login(s, email).status_code == 303
    r = s.post(site.url("/Logout"), data={"__RequestVerificationToken": before}, allow_redirects=False)
    assert r.status_code == 400


def test_lockout_ends_after_its_duration(make_site):
    s = make_site({"lockout.max_failures": "2", "lockout.duration": "2s"})
    email = s.new_user()
    for _ in range(2):
        assert s.login(s.session(), email, "wrong password here").status_code == 422
    assert s.login(s.session(), email).status_code == 422
    time.sleep(2.5)
    assert s.login(s.session(), email).status_code == 303
    assert s.user_row(email)["AccessFailedCount"] == 0
