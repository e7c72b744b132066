"""Replacing and removing a verified phone, and personal data, through nginx (CONTRACT.md §3)."""
import json

import pytest

from account_recovery_support import enable_two_factor, notices, signed_in, verified_user
from fake_providers import REGISTERED_E164, code_in, enter_code, fresh_us_number, last_sms, phone_config, send_code, sms_outbox
from harness import DEFAULT_PASSWORD, Site, field_errors


@pytest.fixture(scope="module")
def psite():
    s = Site.start(phone_config())
    try:
        yield s
    finally:
        s.stop()


def test_changing_the_verified_number_needs_the_password(psite):
    s, email = verified_user(psite)
    number = fresh_us_number()
    texts = len(sms_outbox(psite))
    r = send_code(psite, s, number)
    assert r.status_code == 422 and field_errors(r.text) == ["The Current password field is required."]
    r = psite.post_form(s, "/SendPhoneVerificationCode", {"PhoneNumber": number, "CurrentPassword": "wrong"},
                        token_from="/ConfirmPhoneNumber")
    assert r.status_code == 422 and field_errors(r.text) == ["Incorrect password."]
    assert psite.user_row(email)["AccessFailedCount"] == 2
    assert len(sms_outbox(psite)) == texts
    r = psite.post_form(s, "/SendPhoneVerificationCode", {"PhoneNumber": number, "CurrentPassword": DEFAULT_PASSWORD},
                        token_from="/ConfirmPhoneNumber")
    assert r.status_code == 303
    row = psite.user_row(email)
    assert row["PhoneNumber"] == REGISTERED_E164 and row["PhoneNumberConfirmed"] == 1
    assert enter_code(psite, s, code_in(last_sms(psite, number)["body"])).status_code == 303
    assert psite.user_row(email)["PhoneNumber"] == number
    mails = notices(psite, email, "phone number was changed")
    assert len(mails) == 1 and number not in mails[0]["text"]


def test_removing_the_phone(psite):
    s, email = verified_user(psite)
    enable_two_factor(psite, s)
    r = psite.post_form(s, "/RemovePhoneNumber", {"CurrentPassword": "nope"}, token_from="/ConfirmPhoneNumber")
    assert r.status_code == 422
    stamp = psite.user_row(email)["SecurityStamp"]
    r = psite.post_form(s, "/RemovePhoneNumber", {"CurrentPassword": DEFAULT_PASSWORD}, token_from="/ConfirmPhoneNumber")
    assert r.status_code == 303 and r.headers["Location"] == "/Account/Manage"
    row = psite.user_row(email)
    assert not row["PhoneNumber"] and row["PhoneNumberConfirmed"] == 0 and row["TwoFactorEnabled"] == 0
    assert row["SecurityStamp"] != stamp
    assert signed_in(psite, s)
    assert notices(psite, email, "phone number was removed")
    assert psite.post_form(psite.session(), "/RemovePhoneNumber", {}, token_from="/Login").headers["Location"] \
        == "/Account/Login?ReturnUrl=%2FAccount%2FConfirmPhoneNumber"


def test_personal_data_page_and_download(psite):
    s, email = psite.signed_in()
    page = s.get(psite.url("/PersonalData"))
    assert page.status_code == 200 and email in page.text and "127.0.0.1" in page.text
    r = psite.post_form(s, "/DownloadPersonalData", {}, token_from="/PersonalData")
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("application/json")
    assert r.headers["Content-Disposition"] == "attachment; filename=PersonalData.json"
    data = json.loads(r.text)
    assert data["user"]["Email"] == email
    assert not {"PasswordHash", "SecurityStamp", "ConcurrencyStamp"} & set(data["user"])
    row = psite.user_row(email)
    assert row["PasswordHash"] not in r.text and row["SecurityStamp"] not in r.text
    assert data["signIns"][0]["clientAddress"] == "127.0.0.1"
    assert any(e["kind"] == "signed-in" for e in data["securityEvents"])


def test_delete_needs_the_password_and_removes_everything_tied_to_the_user(psite):
    s, email = verified_user(psite)
    enable_two_factor(psite, s)
    user_id = psite.user_row(email)["Id"]
    assert psite.post_form(s, "/DeletePersonalData", {"CurrentPassword": "wrong"}, token_from="/PersonalData").status_code == 422
    r = psite.post_form(s, "/DeletePersonalData", {"CurrentPassword": DEFAULT_PASSWORD}, token_from="/PersonalData")
    assert r.status_code == 303 and r.headers["Location"] == "/Account/Login"
    assert psite.user_row(email) is None
    assert not signed_in(psite, s)
    with psite.db() as conn:
        for table in ("countersign_sessions", "countersign_phone_verifications", "countersign_recovery_codes"):
            assert conn.execute(f"SELECT COUNT(*) FROM {table} WHERE user_id = ?", (user_id,)).fetchone()[0] == 0
        assert conn.execute("SELECT COUNT(*) FROM countersign_rate_limit_events WHERE key LIKE ?",
                            (f"%{user_id}%",)).fetchone()[0] == 0
        events = conn.execute("SELECT * FROM countersign_security_events WHERE user_id = ?", (user_id,)).fetchall()
    assert any(e["kind"] == "account-deleted" for e in events)
    assert all(email not in (e["detail"] or "") for e in events)
    assert notices(psite, email, "account was deleted")
    assert psite.login(psite.session(), email).status_code == 422
