"""Forgotten passwords through nginx (CONTRACT.md §3, §7): email link, SMS code, both with
two-factor on; the same answer for unknown addresses; a link works once and expires."""
import time

import pytest

from account_recovery_support import (NEW_PASSWORD, enable_two_factor, forgot, form_fields, notices, reset_link,
                                      reset_with_link, sign_in_code, signed_in, two_factor_user, verified_user)
from fake_providers import REGISTERED_E164, code_in, last_sms, phone_config, sms_outbox
from harness import DEFAULT_PASSWORD, Site, field_errors, fresh_email


@pytest.fixture(scope="module")
def rsite():
    s = Site.start(phone_config({"lockout.max_failures": "3"}))
    try:
        yield s
    finally:
        s.stop()


def test_same_answer_for_known_and_unknown_addresses(rsite):
    email = rsite.new_user()
    s = rsite.session()
    mails = len(rsite.emails())
    known, unknown = forgot(rsite, s, email), forgot(rsite, s, fresh_email())
    assert known.status_code == unknown.status_code == 303
    assert known.headers["Location"] == unknown.headers["Location"] == "/Account/ForgotPasswordConfirmation"
    assert len(rsite.emails()) == mails + 1
    texts = len(sms_outbox(rsite))
    a, b = forgot(rsite, s, email, "sms"), forgot(rsite, s, fresh_email(), "sms")
    assert a.headers["Location"] == b.headers["Location"] == "/Account/ForgotPasswordConfirmation?Method=sms"
    assert len(sms_outbox(rsite)) == texts  # the phone of this account is not verified
    assert forgot(rsite, s, "not an address").status_code == 422


def test_a_link_resets_once_ends_sign_ins_clears_a_lockout_and_sends_a_notice(rsite):
    other, email = rsite.signed_in()
    s = rsite.session()
    for _ in range(3):
        rsite.login(s, email, "wrong password")
    assert rsite.user_row(email)["LockoutEnd"] is not None
    forgot(rsite, s, email)
    link = reset_link(rsite, email)
    page, r = reset_with_link(rsite, s, link, password="short")
    assert r.status_code == 422 and field_errors(r.text)
    page, r = reset_with_link(rsite, s, link)
    assert 'autocomplete="new-password"' in page.text
    assert r.status_code == 303 and r.headers["Location"] == "/Account/ResetPasswordConfirmation"
    assert rsite.user_row(email)["LockoutEnd"] is None
    assert not signed_in(rsite, other)
    assert notices(rsite, email, "password was reset")
    assert rsite.login(rsite.session(), email, NEW_PASSWORD).status_code == 303
    page, r = reset_with_link(rsite, s, link, password="yet another passphrase 9")
    assert page.status_code == 400 and r is None
    assert "Ask for a new link" in page.text


def test_a_link_expires_after_reset_lifetime(make_site):
    site = make_site(phone_config({"passwords.reset_lifetime": "1s"}))
    email = site.new_user()
    s = site.session()
    forgot(site, s, email)
    link = reset_link(site, email)
    time.sleep(2.1)  # the lifetime is wall-clock time in the worker; nothing else signals it
    page, r = reset_with_link(site, s, link)
    assert page.status_code == 400 and r is None
    assert s.get(site.url("/ResetPassword?UserId=nobody&Token=x")).status_code == 400


def test_an_sms_code_resets_when_two_factor_is_off(rsite):
    s, email = verified_user(rsite)
    rsite.logout(s)
    r = forgot(rsite, s, email, "sms")
    page = s.get(rsite.url("/ForgotPasswordConfirmation?Method=sms"))
    assert f'value="{email}"' in page.text and 'autocomplete="one-time-code"' in page.text
    code = code_in(last_sms(rsite, REGISTERED_E164)["body"])
    fields = {"Email": email, "Code": "000000" if code != "000000" else "111111", "NewPassword": NEW_PASSWORD,
              "ConfirmPassword": NEW_PASSWORD}
    assert rsite.post_form(s, "/ResetPassword", fields, token_from="/ForgotPasswordConfirmation?Method=sms").status_code == 422
    fields["Code"] = code
    r = rsite.post_form(s, "/ResetPassword", fields, token_from="/ForgotPasswordConfirmation?Method=sms")
    assert r.status_code == 303
    assert rsite.login(rsite.session(), email, NEW_PASSWORD).status_code == 303
    r = rsite.post_form(s, "/ResetPassword", fields, token_from="/ForgotPasswordConfirmation?Method=sms")
    assert r.status_code == 422  # replayed


def test_with_two_factor_one_channel_alone_is_refused(rsite):
    s, email, codes = two_factor_user(rsite)
    forgot(rsite, s, email, "sms")
    code = code_in(last_sms(rsite, REGISTERED_E164)["body"])
    fields = {"Email": email, "Code": code, "NewPassword": NEW_PASSWORD, "ConfirmPassword": NEW_PASSWORD}
    r = rsite.post_form(s, "/ResetPassword", fields, token_from="/ForgotPasswordConfirmation?Method=sms")
    assert r.status_code == 422 and "a code alone is not enough" in r.text
    link = reset_link(rsite, email)  # Method=sms with two-factor on also mailed the link
    page, r = reset_with_link(rsite, s, link)
    assert r.status_code == 422
    assert rsite.login(rsite.session(), email, NEW_PASSWORD).status_code == 422
    page, r = reset_with_link(rsite, s, link, {"Code": code})
    assert r.status_code == 303
    assert rsite.user_row(email)["TwoFactorEnabled"] == 1
    r = rsite.login(rsite.session(), email, NEW_PASSWORD)
    assert r.headers["Location"].startswith("/Account/LoginWith2fa")


def test_with_two_factor_the_link_and_a_recovery_code_work(rsite):
    s, email, codes = two_factor_user(rsite)
    forgot(rsite, s, email)
    link = reset_link(rsite, email)
    page = s.get(link)
    sent = len(sms_outbox(rsite))
    fields = form_fields(page.text, "/Account/ResetPassword")
    send = [f for f in fields if f[0] != "SendCode"] + [("SendCode", "1")]
    r = s.post(rsite.url("/ResetPassword"), data=send, allow_redirects=False)
    assert r.status_code == 200 and len(sms_outbox(rsite)) == sent + 1
    page, r = reset_with_link(rsite, s, link, {"Code": codes[3]})
    assert r.status_code == 303
    assert notices(rsite, email, "recovery code")
