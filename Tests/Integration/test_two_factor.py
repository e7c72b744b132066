"""Two-factor sign-in by SMS and recovery codes through nginx (CONTRACT.md §3, §7)."""
import requests
import pytest

from account_recovery_support import (NEW_PASSWORD, enable_two_factor, notices, post_code, post_recovery, sign_in_code,
                                      signed_in, two_factor_user, verified_user)
from fake_providers import phone_config, phone_user, security_events, sms_outbox
from harness import ANTIFORGERY_FIELD, DEFAULT_PASSWORD, Site, field_errors, run_threads, summary_error, token


@pytest.fixture(scope="module")
def tsite():
    s = Site.start(phone_config({"tokens.max_attempts": "3"}))
    try:
        yield s
    finally:
        s.stop()


def wrong(code: str) -> str:
    return "000000" if code != "000000" else "111111"


def test_the_right_password_sends_a_code_and_signs_nobody_in(tsite):
    s, email, _ = two_factor_user(tsite)
    before = len(sms_outbox(tsite))
    r = tsite.login(s, email, return_url="/protected/secret.txt")
    assert r.status_code == 303
    assert r.headers["Location"] == "/Account/LoginWith2fa?ReturnUrl=%2Fprotected%2Fsecret.txt"
    assert len(sms_outbox(tsite)) == before + 1
    assert not signed_in(tsite, s)
    assert s.get(tsite.base + "/protected/secret.txt").status_code == 401
    assert s.get(tsite.url("/Manage"), allow_redirects=False).headers["Location"].startswith("/Account/Login?")
    page = s.get(tsite.url("/LoginWith2fa"))
    assert 'autocomplete="one-time-code"' in page.text
    assert "+1 ••• ••• 0123" in page.text


def test_wrong_code_then_resend_then_right_code_signs_in(tsite):
    s, email, _ = two_factor_user(tsite)
    tsite.login(s, email, return_url="/protected/secret.txt")
    first = sign_in_code(tsite)
    r = post_code(tsite, s, wrong(first))
    assert r.status_code == 422
    assert summary_error(r.text) == "Invalid authenticator code."
    assert field_errors(r.text) == ["Invalid authenticator code."]
    r = tsite.post_form(s, "/ResendTwoFactorCode", {}, token_from="/LoginWith2fa")
    assert r.status_code == 303 and r.headers["Location"].startswith("/Account/LoginWith2fa")
    second = sign_in_code(tsite)
    r = post_code(tsite, s, second)
    assert r.status_code == 303 and r.headers["Location"] == "/protected/secret.txt"
    assert s.get(tsite.base + "/protected/secret.txt").status_code == 200
    # The half-signed-in cookie is gone with the sign-in: the code page sends to Login.
    assert s.get(tsite.url("/LoginWith2fa"), allow_redirects=False).headers["Location"] == "/Account/Login"
    kinds = [e["kind"] for e in security_events(tsite, tsite.user_row(email)["Id"])]
    after = kinds[len(kinds) - 1 - kinds[::-1].index("two-factor-required"):]
    assert after.count("signed-in") == 1, kinds


def test_missing_replayed_and_burned_codes(tsite):
    s, email, _ = two_factor_user(tsite)
    tsite.login(s, email)
    code = sign_in_code(tsite)
    assert post_code(tsite, s, "").status_code == 422
    assert post_code(tsite, s, code).status_code == 303
    tsite.logout(s)
    tsite.login(s, email)
    fresh = sign_in_code(tsite)
    assert post_code(tsite, s, code).status_code == 422  # replayed
    for _ in range(2):
        post_code(tsite, s, wrong(fresh))
    # The third wrong code burned it: the right one no longer works.
    assert post_code(tsite, s, fresh).status_code == 422


def test_without_the_password_step_the_code_pages_go_to_login(tsite):
    s = tsite.session()
    for route in ("/LoginWith2fa", "/LoginWithRecoveryCode"):
        r = s.get(tsite.url(route), allow_redirects=False)
        assert r.status_code == 303 and r.headers["Location"] == "/Account/Login"
    r = tsite.post_form(s, "/LoginWith2fa", {"TwoFactorCode": "123456"}, token_from="/Login")
    assert r.headers["Location"] == "/Account/Login"
    r = tsite.post_form(s, "/ResendTwoFactorCode", {}, token_from="/Login")
    assert r.headers["Location"] == "/Account/Login"
    # A forged half-signed-in cookie is not one.
    s.cookies.set("Countersign.TwoFactor", "x.1.e30.AAAA")
    assert s.get(tsite.url("/LoginWith2fa"), allow_redirects=False).headers["Location"] == "/Account/Login"


def test_remember_this_browser_until_the_password_changes(tsite):
    s, email, _ = two_factor_user(tsite)
    tsite.login(s, email)
    r = post_code(tsite, s, sign_in_code(tsite), remember=True)
    assert r.status_code == 303
    tsite.logout(s)
    sent = len(sms_outbox(tsite))
    r = tsite.login(s, email)
    assert r.headers["Location"] == "/Account/Manage"
    assert len(sms_outbox(tsite)) == sent
    r = tsite.post_form(s, "/ChangePassword", {"CurrentPassword": DEFAULT_PASSWORD, "NewPassword": NEW_PASSWORD,
                                               "ConfirmPassword": NEW_PASSWORD})
    assert r.status_code == 303
    tsite.logout(s)
    r = tsite.login(s, email, NEW_PASSWORD)
    assert r.headers["Location"].startswith("/Account/LoginWith2fa")


def test_a_recovery_code_works_once_and_sends_a_notice(tsite):
    s, email, codes = two_factor_user(tsite)
    assert len(codes) == 10 and len(set(codes)) == 10
    tsite.login(s, email)
    r = post_recovery(tsite, s, codes[0].lower().replace("-", " "))
    assert r.status_code == 303 and signed_in(tsite, s)
    mails = notices(tsite, email, "recovery code")
    assert len(mails) == 1 and codes[0] not in mails[0]["text"] and "127.0.0.1" in mails[0]["text"]
    tsite.logout(s)
    tsite.login(s, email)
    r = post_recovery(tsite, s, codes[0])
    assert r.status_code == 422 and summary_error(r.text) == "Invalid recovery code entered."
    assert tsite.user_row(email)["AccessFailedCount"] == 1
    assert post_recovery(tsite, s, "").status_code == 422
    assert tsite.user_row(email)["AccessFailedCount"] == 1  # empty is no guess
    page = tsite.post_form(s, "/LoginWithRecoveryCode", {"RecoveryCode": codes[1]})
    assert page.status_code == 303
    assert "Recovery codes left: <strong>8</strong>" in s.get(tsite.url("/TwoFactorAuthentication")).text


def test_parallel_submissions_of_one_right_code_sign_in_once(tsite):
    s, email, _ = two_factor_user(tsite)
    tsite.login(s, email)
    code = sign_in_code(tsite)
    form_token = tsite.form_token(s, "/LoginWith2fa")
    cookies = s.cookies.get_dict()

    def submit(_):
        r = requests.post(tsite.url("/LoginWith2fa"), cookies=cookies, allow_redirects=False,
                          data={ANTIFORGERY_FIELD: form_token, "TwoFactorCode": code})
        return r.status_code

    results = run_threads(8, submit)
    assert sorted(results) == [303] + [422] * 7, results
    kinds = [e["kind"] for e in security_events(tsite, tsite.user_row(email)["Id"])]
    after = kinds[len(kinds) - 1 - kinds[::-1].index("two-factor-required"):]
    assert after.count("signed-in") == 1, kinds


def test_enable_needs_a_verified_phone(tsite):
    s, _ = phone_user(tsite)
    r = tsite.post_form(s, "/EnableTwoFactor", {}, token_from="/TwoFactorAuthentication")
    assert r.status_code == 303 and r.headers["Location"] == "/Account/ConfirmPhoneNumber"


def test_generate_and_disable_need_the_password(tsite):
    s, email = verified_user(tsite)
    old = enable_two_factor(tsite, s)
    r = tsite.post_form(s, "/GenerateRecoveryCodes", {"CurrentPassword": "wrong password"}, token_from="/TwoFactorAuthentication")
    assert r.status_code == 422 and 'aria-describedby="GeneratePassword-error"' in r.text
    r = tsite.post_form(s, "/GenerateRecoveryCodes", {"CurrentPassword": DEFAULT_PASSWORD}, token_from="/TwoFactorAuthentication")
    assert r.status_code == 200 and "shown only once" in r.text
    assert r.headers["Cache-Control"].startswith("no-store")
    r = tsite.post_form(s, "/DisableTwoFactor", {}, token_from="/TwoFactorAuthentication")
    assert r.status_code == 422
    assert tsite.user_row(email)["AccessFailedCount"] == 2
    r = tsite.post_form(s, "/DisableTwoFactor", {"CurrentPassword": DEFAULT_PASSWORD}, token_from="/TwoFactorAuthentication")
    assert r.status_code == 303 and r.headers["Location"] == "/Account/TwoFactorAuthentication"
    assert tsite.user_row(email)["TwoFactorEnabled"] == 0
    assert notices(tsite, email, "Two-factor sign-in was turned off")
    r = tsite.post_form(s, "/GenerateRecoveryCodes", {"CurrentPassword": DEFAULT_PASSWORD}, token_from="/TwoFactorAuthentication")
    assert r.status_code == 303
    tsite.logout(s)
    assert tsite.login(s, email).headers["Location"] == "/Account/Manage"
    _ = old


@pytest.mark.parametrize("route", ["/EnableTwoFactor", "/DisableTwoFactor", "/GenerateRecoveryCodes"])
def test_settings_posts_need_a_sign_in_and_antiforgery(tsite, route):
    s = tsite.session()
    r = tsite.post_form(s, route, {"CurrentPassword": "x"}, token_from="/Login")
    assert r.status_code == 303
    assert r.headers["Location"] == "/Account/Login?ReturnUrl=%2FAccount%2FTwoFactorAuthentication"
    signed, _ = phone_user(tsite)
    r = signed.post(tsite.url(route), data={"CurrentPassword": DEFAULT_PASSWORD}, allow_redirects=False)
    assert r.status_code == 400


def test_remember_lifetime_zero_never_remembers(make_site):
    site = make_site(phone_config({"twofactor.remember_lifetime": "0s", "twofactor.recovery_codes": "3"}))
    s, email, codes = two_factor_user(site)
    assert len(codes) == 3
    site.login(s, email)
    assert "RememberMachine" not in s.get(site.url("/LoginWith2fa")).text
    r = post_code(site, s, sign_in_code(site), remember=True)
    assert r.status_code == 303 and "TwoFactorRemember" not in r.headers.get("Set-Cookie", "")


def test_two_factor_with_the_totp_provider(make_site):
    site = make_site(phone_config({"tokens.provider": "totp"}))
    s, email, _ = two_factor_user(site)
    site.login(s, email)
    code = sign_in_code(site)
    assert post_code(site, s, wrong(code)).status_code == 422
    assert post_code(site, s, code).status_code == 303 and signed_in(site, s)
    site.logout(s)
    site.login(s, email)
    assert post_code(site, s, code).status_code == 422  # a seen code does not sign in again
