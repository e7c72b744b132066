"""Phone-number verification through nginx with the built binary: the `file` SMS provider and
the `stored` code provider (CONTRACT.md §3 phone routes, §5 SMS outbox, §6 code rules)."""
import re
import subprocess
import threading
import time
from urllib.parse import parse_qs, urlparse

import pytest
import requests

from fake_providers import (CODE_SENT_FLASH, REGISTERED_E164, WRONG_CODE_MESSAGE, code_in, enter_code,
                            fresh_us_number, last_sms, phone_config, phone_user, resend_code, security_events,
                            send_code, sms_outbox)
from harness import ANTIFORGERY_FIELD, DEFAULT_PASSWORD, Site, binary_path, summary_error, token

VERIFY = "/Account/VerifyPhoneNumber"
SUCCESS = "/Account/PhoneVerificationSuccessful"
BURNED_MESSAGE = "Too many wrong codes. Enter your phone number again to get a new code."


@pytest.fixture(scope="module")
def psite():
    """Shared by the tests that need no limits: no cooldown, 3 attempts, codes live 5 minutes."""
    s = Site.start(phone_config({"tokens.max_attempts": "3", "tokens.lifetime": "5m"}))
    try:
        yield s
    finally:
        s.stop()


def user_id(site, email) -> str:
    return site.user_row(email)["Id"]


def send_and_read(site, s, number) -> str:
    """Sends a code to `number` (303 expected) and returns the code from the outbox."""
    before = len(sms_outbox(site))
    r = send_code(site, s, number)
    assert r.status_code == 303, (r.status_code, r.text[:1500])
    assert r.headers["Location"] == VERIFY
    messages = sms_outbox(site)
    assert len(messages) == before + 1, messages[before:]
    assert messages[-1]["to"] == number
    return code_in(messages[-1]["body"])


def assert_wrong(r):
    assert r.status_code == 422, (r.status_code, r.text[:1500])
    assert summary_error(r.text) == WRONG_CODE_MESSAGE, r.text[:3000]


def assert_verified(r):
    assert r.status_code == 303, (r.status_code, r.text[:1500])
    assert r.headers["Location"] == SUCCESS


# ----- the pages ------------------------------------------------------------------------------

def test_confirm_phone_number_is_prefilled_with_the_stored_number(psite):
    s, _ = phone_user(psite)
    r = s.get(psite.url("/ConfirmPhoneNumber"))
    assert r.status_code == 200
    assert re.search(r'<input id="PhoneNumber" name="PhoneNumber" type="tel" value="\+12015550123"', r.text), r.text
    assert 'action="/Account/SendPhoneVerificationCode"' in r.text


def test_send_redirects_with_flash_and_writes_the_message(psite):
    s, _ = phone_user(psite)
    number = fresh_us_number()
    r = send_code(psite, s, number)
    assert r.status_code == 303 and r.headers["Location"] == VERIFY
    message = last_sms(psite, number)
    code = code_in(message["body"])
    assert re.fullmatch(r"\d{6}", code)
    # The default template, the lifetime in minutes, a blank line, then the WebOTP line with the
    # host of server.base_url (without its port).
    assert message["body"] == f"Your Countersign code is {code}. Valid for 5 min.\n\n@127.0.0.1 #{code}"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", message["time"]), message
    page = s.get(psite.base + r.headers["Location"])
    assert page.status_code == 200
    assert CODE_SENT_FLASH in page.text
    # A flash is shown once.
    assert CODE_SENT_FLASH not in s.get(psite.url("/VerifyPhoneNumber")).text


def test_typed_number_in_national_form_is_sent_to_e164(psite):
    s, _ = phone_user(psite)
    send_code(psite, s, "(202) 555-0123")
    assert last_sms(psite)["to"] == "+12025550123"


def test_minutes_follow_the_lifetime_rounded_up(make_site):
    site = make_site(phone_config({"tokens.lifetime": "90s"}))
    s, _ = phone_user(site)
    code = send_and_read(site, s, "+12025550123")
    assert last_sms(site)["body"].startswith(f"Your Countersign code is {code}. Valid for 2 min.")
    assert "It works for 2 minutes." in s.get(site.url("/VerifyPhoneNumber")).text


def test_verify_form_offers_autofill_and_shows_masked_number_and_lifetime(psite):
    s, _ = phone_user(psite)
    send_code(psite, s, "+12025550123")
    r = s.get(psite.url("/VerifyPhoneNumber"))
    assert r.status_code == 200
    field = re.search(r'<input[^>]*name="Token"[^>]*>', r.text)
    assert field, r.text
    assert 'autocomplete="one-time-code"' in field.group(0)
    assert 'inputmode="numeric"' in field.group(0)
    assert "We sent a code to <strong>+1 ••• ••• 0123</strong>. It works for 5 minutes." in r.text
    assert "+12025550123" not in r.text and "202" not in r.text.split("<main>", 1)[1]
    assert 'action="/Account/ResendPhoneVerificationCode"' in r.text


def test_verify_page_without_pending_code_goes_back_to_confirm(psite):
    s, _ = phone_user(psite)
    r = s.get(psite.url("/VerifyPhoneNumber"), allow_redirects=False)
    assert r.status_code == 303
    assert r.headers["Location"] == "/Account/ConfirmPhoneNumber"


# ----- codes ----------------------------------------------------------------------------------

def test_wrong_code_is_422_with_the_identity_message(psite):
    s, email = phone_user(psite)
    code = send_and_read(psite, s, fresh_us_number())
    wrong = "000000" if code != "000000" else "111111"
    r = enter_code(psite, s, wrong)
    assert_wrong(r)
    assert 'name="Token"' in r.text
    row = psite.user_row(email)
    assert row["PhoneNumberConfirmed"] == 0 and row["PhoneNumber"] == REGISTERED_E164


def test_right_code_confirms_the_new_number_and_changes_the_stamp(psite):
    s, email = phone_user(psite)
    stamp = psite.user_row(email)["SecurityStamp"]
    number = fresh_us_number()
    code = send_and_read(psite, s, number)
    # Spaces in the typed code are ignored.
    r = enter_code(psite, s, f" {code[:3]} {code[3:]} ")
    assert_verified(r)
    row = psite.user_row(email)
    assert row["PhoneNumber"] == number
    assert row["PhoneNumberConfirmed"] == 1
    assert row["SecurityStamp"] != stamp
    # The user stays signed in, and the success page and Manage say so.
    page = s.get(psite.base + SUCCESS, allow_redirects=False)
    assert page.status_code == 200
    manage = s.get(psite.url("/Manage"), allow_redirects=False)
    assert manage.status_code == 200 and number in manage.text


def test_code_is_accepted_once(psite):
    s, _ = phone_user(psite)
    code = send_and_read(psite, s, fresh_us_number())
    assert_verified(enter_code(psite, s, code))
    assert_wrong(enter_code(psite, s, code))


def test_verification_ends_other_sign_ins(psite):
    s, email = phone_user(psite)
    other, _ = psite.signed_in(email)
    code = send_and_read(psite, s, fresh_us_number())
    assert_verified(enter_code(psite, s, code))
    r = other.get(psite.url("/Manage"), allow_redirects=False)
    assert r.status_code == 303 and urlparse(r.headers["Location"]).path == "/Account/Login"


def test_resend_sends_a_new_code_and_the_old_one_stops_working(psite):
    s, _ = phone_user(psite)
    number = fresh_us_number()
    old = send_and_read(psite, s, number)
    r = resend_code(psite, s)
    assert r.status_code == 303 and r.headers["Location"] == VERIFY
    assert "A new verification code has been sent" in s.get(psite.base + VERIFY).text
    message = last_sms(psite)
    assert message["to"] == number
    new = code_in(message["body"])
    if new == old:  # one chance in a million: a second resend settles it
        resend_code(psite, s)
        new = code_in(last_sms(psite)["body"])
    assert new != old
    assert_wrong(enter_code(psite, s, old))
    assert_verified(enter_code(psite, s, new))


def test_resend_with_nothing_pending_goes_to_confirm(psite):
    s, _ = phone_user(psite)
    before = len(sms_outbox(psite))
    r = resend_code(psite, s)
    assert r.status_code == 303 and r.headers["Location"] == "/Account/ConfirmPhoneNumber"
    assert "There is no verification waiting" in s.get(psite.base + r.headers["Location"]).text
    assert len(sms_outbox(psite)) == before


def test_code_for_a_number_is_refused_after_switching_to_another(psite):
    s, email = phone_user(psite)
    a, b = fresh_us_number(), fresh_us_number()
    code_a = send_and_read(psite, s, a)
    code_b = send_and_read(psite, s, b)
    if code_a != code_b:
        assert_wrong(enter_code(psite, s, code_a))
    assert_verified(enter_code(psite, s, code_b))
    assert psite.user_row(email)["PhoneNumber"] == b


def test_code_from_another_user_is_refused(psite):
    s1, _ = phone_user(psite)
    s2, email2 = phone_user(psite)
    number = fresh_us_number()
    code1 = send_and_read(psite, s1, number)
    code2 = send_and_read(psite, s2, number)
    if code1 != code2:
        assert_wrong(enter_code(psite, s2, code1))
    assert psite.user_row(email2)["PhoneNumberConfirmed"] == 0


# ----- attempts -------------------------------------------------------------------------------

def wrong_for(code: str, i: int = 0) -> str:
    candidate = f"{(int(code) + 1 + i) % 10**len(code):0{len(code)}d}"
    return candidate


def test_attempt_cap_burns_the_code_and_a_new_send_starts_a_new_count(psite):
    s, email = phone_user(psite)
    number = fresh_us_number()
    code = send_and_read(psite, s, number)
    assert_wrong(enter_code(psite, s, wrong_for(code, 0)))
    assert_wrong(enter_code(psite, s, wrong_for(code, 1)))
    r = enter_code(psite, s, wrong_for(code, 2))
    assert r.status_code == 422
    assert summary_error(r.text) == BURNED_MESSAGE
    # Burned: even the right code is refused now, and nothing is pending.
    assert_wrong(enter_code(psite, s, code))
    assert psite.user_row(email)["PhoneNumberConfirmed"] == 0
    r = s.get(psite.url("/VerifyPhoneNumber"), allow_redirects=False)
    assert r.status_code == 303 and r.headers["Location"] == "/Account/ConfirmPhoneNumber"
    # A new send: a new count of 3 (two wrong codes do not burn it), and its code works.
    code = send_and_read(psite, s, number)
    assert_wrong(enter_code(psite, s, wrong_for(code, 0)))
    assert_wrong(enter_code(psite, s, wrong_for(code, 1)))
    assert_verified(enter_code(psite, s, code))


def test_resend_keeps_the_count_of_wrong_attempts(psite):
    s, _ = phone_user(psite)
    code = send_and_read(psite, s, fresh_us_number())
    assert_wrong(enter_code(psite, s, wrong_for(code, 0)))
    assert_wrong(enter_code(psite, s, wrong_for(code, 1)))
    assert resend_code(psite, s).status_code == 303
    code = code_in(last_sms(psite)["body"])
    r = enter_code(psite, s, wrong_for(code, 0))
    assert r.status_code == 422 and summary_error(r.text) == BURNED_MESSAGE
    assert_wrong(enter_code(psite, s, code))


def test_a_new_send_while_pending_keeps_the_count_too(psite):
    s, _ = phone_user(psite)
    code = send_and_read(psite, s, fresh_us_number())
    assert_wrong(enter_code(psite, s, wrong_for(code, 0)))
    assert_wrong(enter_code(psite, s, wrong_for(code, 1)))
    code = send_and_read(psite, s, fresh_us_number())
    r = enter_code(psite, s, wrong_for(code, 0))
    assert r.status_code == 422 and summary_error(r.text) == BURNED_MESSAGE


# ----- numbers refused ------------------------------------------------------------------------

@pytest.mark.parametrize("number,message", [
    ("+17005550123", "Enter a valid phone number"),
    ("not a number", "Enter a valid phone number"),
    ("+19005550123", "This kind of number cannot receive text messages"),
    ("+18005550123", "This kind of number cannot receive text messages"),
    ("", "The Phone Number field is required."),
])
def test_refused_number_is_422_with_why_and_sends_nothing(psite, number, message):
    s, _ = phone_user(psite)
    before = len(sms_outbox(psite))
    r = send_code(psite, s, number)
    assert r.status_code == 422, (r.status_code, r.text[:1500])
    assert message in (summary_error(r.text) or ""), r.text[:3000]
    assert f'value="{number}"' in r.text  # what was typed is kept
    assert len(sms_outbox(psite)) == before


def test_allowed_regions_refuses_a_number_from_elsewhere(make_site):
    site = make_site(phone_config({"phone.allowed_regions": "GB"}))
    s, _ = phone_user(site, phone="+44 7400 123456")
    r = send_code(site, s, "+12015550123")
    assert r.status_code == 422
    assert summary_error(r.text) == "Phone numbers from this country are not accepted."
    assert sms_outbox(site) == []
    code = send_and_read(site, s, "+447400123456")
    assert_verified(enter_code(site, s, code))


# ----- sign-in and antiforgery ----------------------------------------------------------------

@pytest.mark.parametrize("route,form_page", [
    ("/SendPhoneVerificationCode", "/Account/ConfirmPhoneNumber"),
    ("/VerifyPhoneNumber", "/Account/VerifyPhoneNumber"),
    ("/ResendPhoneVerificationCode", "/Account/VerifyPhoneNumber"),
])
def test_post_without_sign_in_goes_to_login_with_the_form_page(psite, route, form_page):
    r = requests.post(psite.url(route), data={"PhoneNumber": "+12015550123", "Token": "123456"},
                      allow_redirects=False)
    assert r.status_code == 303
    location = urlparse(r.headers["Location"])
    assert location.path == "/Account/Login"
    assert parse_qs(location.query)["ReturnUrl"] == [form_page]


@pytest.mark.parametrize("route", ["/ConfirmPhoneNumber", "/VerifyPhoneNumber", "/PhoneVerificationSuccessful"])
def test_get_without_sign_in_goes_to_login(psite, route):
    r = requests.get(psite.url(route), allow_redirects=False)
    assert r.status_code == 303
    location = urlparse(r.headers["Location"])
    assert location.path == "/Account/Login"
    assert parse_qs(location.query)["ReturnUrl"] == ["/Account" + route]


def test_send_without_antiforgery_is_400_and_sends_nothing(psite):
    s, _ = phone_user(psite)
    before = len(sms_outbox(psite))
    r = s.post(psite.url("/SendPhoneVerificationCode"), data={"PhoneNumber": "+12025550123"}, allow_redirects=False)
    assert r.status_code == 400
    r = s.post(psite.url("/SendPhoneVerificationCode"),
               data={ANTIFORGERY_FIELD: "forged", "PhoneNumber": "+12025550123"}, allow_redirects=False)
    assert r.status_code == 400
    assert len(sms_outbox(psite)) == before


def test_verify_with_antiforgery_of_another_visitor_is_400_and_changes_nothing(psite):
    s, email = phone_user(psite)
    other, _ = phone_user(psite)
    code = send_and_read(psite, s, fresh_us_number())
    foreign = token(other.get(psite.url("/ConfirmPhoneNumber")).text)
    r = s.post(psite.url("/VerifyPhoneNumber"), data={ANTIFORGERY_FIELD: foreign, "Token": code},
               allow_redirects=False)
    assert r.status_code == 400
    r = s.post(psite.url("/VerifyPhoneNumber"), data={"Token": code}, allow_redirects=False)
    assert r.status_code == 400
    assert psite.user_row(email)["PhoneNumberConfirmed"] == 0
    assert_verified(enter_code(psite, s, code))


# ----- secrecy and the event log --------------------------------------------------------------

def database_bytes(site) -> bytes:
    data = b""
    for suffix in ("", "-wal", "-journal"):
        path = site.db_path.with_name(site.db_path.name + suffix)
        if path.exists():
            data += path.read_bytes()
    return data


def test_code_is_neither_in_the_database_nor_in_the_log(make_site):
    site = make_site(phone_config({"tokens.digits": "10", "tokens.max_attempts": "5"}))
    s, _ = phone_user(site)
    code = send_and_read(site, s, "+12025550123")
    assert len(code) == 10
    assert code.encode() not in database_bytes(site)
    assert_wrong(enter_code(site, s, wrong_for(code)))
    resend_code(site, s)
    code2 = code_in(last_sms(site)["body"])
    assert_verified(enter_code(site, s, code2))
    data = database_bytes(site)
    log = site.serve_log.read_bytes()
    for c in (code, code2):
        assert c.encode() not in data
        assert c.encode() not in log
    # The log is not empty of everything: it does hold the worker start-up lines.
    assert log.strip()


def test_security_events_record_each_step_without_the_code(make_site):
    site = make_site(phone_config({"tokens.max_attempts": "2", "tokens.max_sends_per_hour": "2"}))
    s, email = phone_user(site)
    uid = user_id(site, email)
    number = "+12025550123"
    code1 = send_and_read(site, s, number)
    assert_wrong(enter_code(site, s, wrong_for(code1, 0)))
    r = enter_code(site, s, wrong_for(code1, 1))
    assert summary_error(r.text) == BURNED_MESSAGE
    code2 = send_and_read(site, s, number)
    assert_verified(enter_code(site, s, code2))
    # Replacing the verified number needs the password (issue 7); the limit is then what refuses.
    r = site.post_form(s, "/SendPhoneVerificationCode", {"PhoneNumber": fresh_us_number(), "CurrentPassword": DEFAULT_PASSWORD},
                       token_from="/ConfirmPhoneNumber")
    assert r.status_code == 429

    events = security_events(site, uid)
    kinds = [e["kind"] for e in events]
    phone_kinds = [k for k in kinds if k in ("code-sent", "wrong-code", "code-burned", "verified", "limit-hit")]
    assert phone_kinds == ["code-sent", "wrong-code", "code-burned", "code-sent", "verified", "limit-hit"], kinds
    for event in events:
        if event["kind"] in phone_kinds:
            assert event["ip_address"] == "127.0.0.1", event
            assert event["phone_number"], event
        text = " ".join(str(v) for v in event.values())
        assert code1 not in text and code2 not in text, event
    # Events keep the region and the last two digits, never the whole number (CONTRACT.md §8).
    assert [e["phone_number"] for e in events if e["kind"] == "verified"] == ["US ••23"]
    assert not any(number in " ".join(str(v) for v in e.values()) for e in events)


# ----- cooldown and limits --------------------------------------------------------------------

def assert_limited(r, *, at_most: int, at_least: int = 1, words: str):
    assert r.status_code == 429, (r.status_code, r.text[:1500])
    retry = int(r.headers["Retry-After"])
    assert at_least <= retry <= at_most, retry
    assert words in r.text, r.text[:3000]
    return retry


def test_cooldown_is_429_with_retry_after_and_says_when(make_site):
    site = make_site(phone_config({"tokens.resend_cooldown": "60s"}))
    s, _ = phone_user(site)
    send_and_read(site, s, "+12025550123")
    before = len(sms_outbox(site))
    r = send_code(site, s, "+12025550123")
    retry = assert_limited(r, at_least=50, at_most=60, words="A code was sent a moment ago.")
    assert f"Please try again in {retry} seconds." in r.text or f"Please try again in {retry - 1} seconds." in r.text, r.text
    assert_limited(resend_code(site, s), at_least=50, at_most=60, words="Please try again in")
    assert len(sms_outbox(site)) == before
    # The cooldown is per user: another user is not held back.
    s2, _ = phone_user(site)
    send_and_read(site, s2, "+12025550124")


def test_hourly_limit_per_user(make_site):
    site = make_site(phone_config({"tokens.max_sends_per_hour": "2"}))
    s, _ = phone_user(site)
    send_and_read(site, s, fresh_us_number())
    send_and_read(site, s, fresh_us_number())
    before = len(sms_outbox(site))
    r = send_code(site, s, fresh_us_number())
    assert_limited(r, at_least=3000, at_most=3600, words="Too many codes were requested.")
    assert_limited(resend_code(site, s), at_least=3000, at_most=3600, words="Too many codes were requested.")
    assert len(sms_outbox(site)) == before
    # Another user on the same address still can.
    s2, _ = phone_user(site)
    send_and_read(site, s2, fresh_us_number())


def test_hourly_limit_per_number(make_site):
    site = make_site(phone_config({"tokens.max_sends_per_hour": "2"}))
    number = "+12025550123"
    for _ in range(2):
        s, _ = phone_user(site)
        send_and_read(site, s, number)
    s, _ = phone_user(site)
    assert_limited(send_code(site, s, number), at_least=3000, at_most=3600, words="Too many codes were requested.")
    send_and_read(site, s, fresh_us_number())


def test_hourly_limit_per_client_address(make_site):
    site = make_site(phone_config({"tokens.max_sends_per_ip_per_hour": "2"}))
    for _ in range(2):
        s, _ = phone_user(site)
        send_and_read(site, s, fresh_us_number())
    s, email = phone_user(site)
    before = len(sms_outbox(site))
    assert_limited(send_code(site, s, fresh_us_number()), at_least=3000, at_most=3600,
                   words="Too many codes were requested.")
    assert len(sms_outbox(site)) == before
    hits = [e for e in security_events(site, user_id(site, email)) if e["kind"] == "limit-hit"]
    assert len(hits) == 1 and "ip" in (hits[0]["detail"] or "").lower(), hits


def send_test_sms(site, number="+12015550123"):
    return subprocess.run([str(binary_path()), "send-test-sms", "--config", str(site.conf_path), number],
                          capture_output=True, timeout=30, stdin=subprocess.DEVNULL)


def test_daily_limit_counts_codes_and_test_messages(make_site):
    site = make_site(phone_config({"sms.daily_limit": "2"}))
    result = send_test_sms(site)
    assert result.returncode == 0, result.stderr.decode()
    assert [m["to"] for m in sms_outbox(site)] == ["+12015550123"]
    s, _ = phone_user(site)
    send_and_read(site, s, "+12025550123")
    s2, _ = phone_user(site)
    r = send_code(site, s2, "+12025550124")
    assert_limited(r, at_least=80000, at_most=86400, words="No more text messages can be sent today.")
    again = send_test_sms(site, "+12025550125")
    assert again.returncode != 0
    assert b"today" in again.stderr or b"limit" in again.stderr.lower(), again.stderr
    assert len(sms_outbox(site)) == 2


def test_send_test_sms_refuses_an_invalid_number(make_site):
    site = make_site(phone_config())
    result = send_test_sms(site, "+17005550123")
    assert result.returncode == 2, (result.returncode, result.stderr)
    assert sms_outbox(site) == []


# ----- parallel requests across the workers ---------------------------------------------------

def clone(site, s) -> requests.Session:
    c = site.session()
    c.cookies.update(s.cookies)
    return c


def parallel_posts(site, s, route: str, fields: dict, count: int = 10) -> list:
    """`count` POSTs of the same form at once, each from its own copy of the session with a
    valid antiforgery token fetched beforehand."""
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def run(i: int) -> None:
        try:
            c = clone(site, s)
            tok = site.form_token(c, "/ConfirmPhoneNumber")
            barrier.wait(timeout=30)
            results[i] = c.post(site.url(route), data={ANTIFORGERY_FIELD: tok, **fields},
                                allow_redirects=False, timeout=60)
        except BaseException as error:  # noqa: BLE001 — asserted below
            results[i] = error

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=90)
    for r in results:
        assert isinstance(r, requests.Response), r
    return results


def test_parallel_right_code_is_accepted_exactly_once(psite):
    s, email = phone_user(psite)
    code = send_and_read(psite, s, fresh_us_number())
    results = parallel_posts(psite, s, "/VerifyPhoneNumber", {"Token": code})
    winners = [r for r in results if r.status_code == 303 and r.headers["Location"] == SUCCESS]
    assert len(winners) == 1, [(r.status_code, r.headers.get("Location")) for r in results]
    for r in results:
        if r is winners[0]:
            continue
        # Refused as a code no longer pending — or, once the winner changed the security stamp
        # and so ended the sign-in these requests share, sent to sign in again.
        login = r.status_code == 303 and urlparse(r.headers["Location"]).path == "/Account/Login"
        assert r.status_code == 422 or login, (r.status_code, r.headers.get("Location"), r.text[:500])
        if r.status_code == 422:
            assert summary_error(r.text) == WRONG_CODE_MESSAGE
    assert psite.user_row(email)["PhoneNumberConfirmed"] == 1
    assert [e["kind"] for e in security_events(psite, user_id(psite, email))].count("verified") == 1


def test_parallel_sends_within_the_cooldown_send_one_code(make_site):
    site = make_site(phone_config({"tokens.resend_cooldown": "60s"}))
    s, email = phone_user(site)
    results = parallel_posts(site, s, "/SendPhoneVerificationCode", {"PhoneNumber": "+12025550123"})
    statuses = sorted(r.status_code for r in results)
    assert statuses == [303] + [429] * 9, statuses
    assert len(sms_outbox(site)) == 1
    kinds = [e["kind"] for e in security_events(site, user_id(site, email))]
    assert kinds.count("code-sent") == 1 and kinds.count("limit-hit") == 9, kinds
    # The one code that went out works.
    assert_verified(enter_code(site, s, code_in(last_sms(site)["body"])))


# ----- more rules -----------------------------------------------------------------------------

def test_expired_code_is_refused(make_site):
    site = make_site(phone_config({"tokens.lifetime": "2s"}))
    s, email = phone_user(site)
    code = send_and_read(site, s, "+12025550123")
    time.sleep(2.3)
    assert_wrong(enter_code(site, s, code))
    assert site.user_row(email)["PhoneNumberConfirmed"] == 0
    # A new code works.
    resend_code(site, s)
    assert_verified(enter_code(site, s, code_in(last_sms(site)["body"])))


def test_verify_page_does_not_promise_time_left_on_an_expired_code(make_site):
    site = make_site(phone_config({"tokens.lifetime": "2s"}))
    s, _ = phone_user(site)
    send_and_read(site, s, "+12025550123")
    time.sleep(2.3)
    r = s.get(site.url("/VerifyPhoneNumber"), allow_redirects=False)
    assert r.status_code == 200
    assert "It works for" not in r.text, re.search(r"We sent a code[^<]*<strong>[^<]*</strong>[^<]*", r.text).group(0)


def test_password_change_ends_the_pending_code(psite):
    s, email = phone_user(psite)
    code = send_and_read(psite, s, fresh_us_number())
    new_password = "an entirely different passphrase"
    r = psite.post_form(s, "/ChangePassword", {"CurrentPassword": "correct horse battery staple",
                                               "NewPassword": new_password, "ConfirmPassword": new_password})
    assert r.status_code == 303, (r.status_code, r.text[:1500])
    r = enter_code(psite, s, code)
    assert r.status_code == 422, (r.status_code, r.headers.get("Location"))
    assert psite.user_row(email)["PhoneNumberConfirmed"] == 0


def test_empty_code_is_a_validation_error_not_an_attempt(psite):
    s, _ = phone_user(psite)
    code = send_and_read(psite, s, fresh_us_number())
    for _ in range(3):  # tokens.max_attempts = 3 on this site
        r = enter_code(psite, s, "  ")
        assert r.status_code == 422
        assert summary_error(r.text) == "The Code field is required."
    assert_verified(enter_code(psite, s, code))


def test_webotp_line_can_be_turned_off(make_site):
    site = make_site(phone_config({"sms.webotp": "false", "server.app_name": "Acme"}))
    s, _ = phone_user(site)
    code = send_and_read(site, s, "+12025550123")
    assert last_sms(site)["body"] == f"Your Acme code is {code}. Valid for 10 min."


def test_digits_sets_the_code_length_and_the_field(make_site):
    site = make_site(phone_config({"tokens.digits": "8"}))
    s, _ = phone_user(site)
    code = send_and_read(site, s, "+12025550123")
    assert re.fullmatch(r"\d{8}", code), code
    page = s.get(site.url("/VerifyPhoneNumber")).text
    assert re.search(r'<input[^>]*name="Token"[^>]*maxlength="8"', page), page
    assert "8-digit code" in s.get(site.url("/ConfirmPhoneNumber")).text
    assert_verified(enter_code(site, s, code))


def test_confirm_page_says_the_stored_number_is_verified(psite):
    s, _ = phone_user(psite)
    number = fresh_us_number()
    assert "already verified" not in s.get(psite.url("/ConfirmPhoneNumber")).text
    assert_verified(enter_code(psite, s, send_and_read(psite, s, number)))
    page = s.get(psite.url("/ConfirmPhoneNumber")).text
    assert f'value="{number}"' in page and "This number is already verified." in page


def test_forwarded_for_from_an_untrusted_client_does_not_escape_the_ip_limit(make_site):
    site = make_site(phone_config({"tokens.max_sends_per_ip_per_hour": "2"}))
    results = []
    for i in range(3):
        s, _ = phone_user(site)
        s.headers["X-Forwarded-For"] = f"198.51.100.{i + 1}"
        results.append(send_code(site, s, fresh_us_number()).status_code)
    assert results == [303, 303, 429], results


def test_parallel_wrong_codes_burn_exactly_at_the_cap(psite):
    s, email = phone_user(psite)
    code = send_and_read(psite, s, fresh_us_number())
    results = parallel_posts(psite, s, "/VerifyPhoneNumber", {"Token": wrong_for(code)})
    assert all(r.status_code == 422 for r in results), [r.status_code for r in results]
    messages = [summary_error(r.text) for r in results]
    assert messages.count(BURNED_MESSAGE) == 1, messages
    kinds = [e["kind"] for e in security_events(psite, user_id(psite, email))]
    # tokens.max_attempts = 3: two counted wrong codes, then the third burns it; the rest find
    # nothing pending.
    assert kinds.count("wrong-code") == 2 and kinds.count("code-burned") == 1, kinds
    assert_wrong(enter_code(psite, s, code))


def test_parallel_sends_of_many_users_stop_at_the_daily_limit(make_site):
    site = make_site(phone_config({"sms.daily_limit": "3"}))
    users = [phone_user(site) for _ in range(8)]
    barrier = threading.Barrier(len(users))
    results: list = [None] * len(users)

    def run(i):
        s, _ = users[i]
        tok = site.form_token(s, "/ConfirmPhoneNumber")
        barrier.wait(timeout=30)
        results[i] = s.post(site.url("/SendPhoneVerificationCode"),
                            data={ANTIFORGERY_FIELD: tok, "PhoneNumber": f"+120155501{10 + i}"},
                            allow_redirects=False, timeout=60).status_code

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(users))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=90)
    assert sorted(results) == [303] * 3 + [429] * 5, results
    assert len(sms_outbox(site)) == 3
