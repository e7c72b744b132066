"""The whole phone verification (send → read the code → verify) through nginx with each SMS
provider (`twilio`, `vonage`, `command`, `file`, failover lists) and each code provider
(`stored`, `totp`, `twilio-verify`), against the fake providers of fake_providers.py; and the
phone checks of `countersign check-config`."""
import hashlib
import hmac
import os
import struct
import subprocess
import time

import pytest

import fake_providers as fp
from fake_providers import (FakeProviders, WRONG_CODE_MESSAGE, code_in, enter_code, fresh_us_number, last_sms,
                            phone_config, phone_user, security_events, send_code, sms_outbox)
from harness import SECRET, binary_path, summary_error

VERIFY = "/Account/VerifyPhoneNumber"
SUCCESS = "/Account/PhoneVerificationSuccessful"
COULD_NOT_SEND = "The text message could not be sent. Please try again later."


@pytest.fixture
def fake():
    f = FakeProviders(slow_seconds=12).start()
    try:
        yield f
    finally:
        f.stop()


def twilio_keys(fake, **extra) -> dict[str, str]:
    keys = {"twilio.account_sid": fp.ACCOUNT_SID, "twilio.auth_token": fp.AUTH_TOKEN, "twilio.api_base": fake.url}
    keys.update(extra)
    return keys


def vonage_keys(fake) -> dict[str, str]:
    return {"vonage.api_key": fp.VONAGE_KEY, "vonage.api_secret": fp.VONAGE_SECRET, "vonage.from": fp.VONAGE_FROM,
            "vonage.api_base": fake.url}


def assert_sent(r):
    assert r.status_code == 303, (r.status_code, r.text[:2000])
    assert r.headers["Location"] == VERIFY


def assert_verified(site, email, r, number):
    assert r.status_code == 303, (r.status_code, r.text[:2000])
    assert r.headers["Location"] == SUCCESS
    row = site.user_row(email)
    assert row["PhoneNumber"] == number and row["PhoneNumberConfirmed"] == 1


def expected_body(code: str) -> str:
    return f"Your Countersign code is {code}. Valid for 10 min.\n\n@127.0.0.1 #{code}"


# ----- SMS providers ------------------------------------------------------------------------

def test_twilio_from_number(make_site, fake):
    site = make_site(phone_config({"sms.provider": "twilio", **twilio_keys(fake, **{"twilio.from": fp.TWILIO_FROM})}))
    s, email = phone_user(site)
    number = fresh_us_number()
    assert_sent(send_code(site, s, number))
    message = fake.last_message("twilio")
    assert message["to"] == number and message["from"] == fp.TWILIO_FROM
    assert message["messaging_service_sid"] is None
    code = code_in(message["body"])
    assert message["body"] == expected_body(code)
    [request] = fake.requests_to("twilio")
    assert request.headers["accept"] == "application/json"
    assert sms_outbox(site) == []
    assert_verified(site, email, enter_code(site, s, code), number)
    assert fake.failures == []


def test_twilio_messaging_service(make_site, fake):
    site = make_site(phone_config({"sms.provider": "twilio",
                                   **twilio_keys(fake, **{"twilio.messaging_service_sid": fp.MESSAGING_SERVICE_SID})}))
    s, email = phone_user(site)
    number = fresh_us_number()
    assert_sent(send_code(site, s, number))
    message = fake.last_message("twilio")
    assert message["messaging_service_sid"] == fp.MESSAGING_SERVICE_SID and message["from"] is None
    assert_verified(site, email, enter_code(site, s, code_in(message["body"])), number)
    assert fake.failures == []


def test_twilio_wrong_auth_token_is_a_send_failure_not_counted(make_site, fake):
    site = make_site(phone_config({"sms.provider": "twilio", "tokens.max_sends_per_hour": "1",
                                   **twilio_keys(fake, **{"twilio.from": fp.TWILIO_FROM,
                                                          "twilio.auth_token": "not-the-token"})}))
    s, _ = phone_user(site)
    r = send_code(site, s, fresh_us_number())
    assert r.status_code == 503, (r.status_code, r.text[:2000])
    assert summary_error(r.text) == COULD_NOT_SEND
    # The fake did see it, and refused it for its credentials: the check works.
    assert len(fake.failures) == 1 and "Basic auth" in fake.failures[0]
    assert "not-the-token" not in site.log_text()


def test_twilio_refusing_the_number_is_422_with_why(make_site, fake):
    site = make_site(phone_config({"sms.provider": "twilio", **twilio_keys(fake, **{"twilio.from": fp.TWILIO_FROM})}))
    fake.mode["twilio"] = "fail"
    s, _ = phone_user(site)
    r = send_code(site, s, "+12025550123")
    assert summary_error(r.text) == "This number cannot receive text messages."
    assert r.status_code == 422, r.status_code


def test_vonage(make_site, fake):
    site = make_site(phone_config({"sms.provider": "vonage", **vonage_keys(fake)}))
    s, email = phone_user(site)
    number = fresh_us_number()
    assert_sent(send_code(site, s, number))
    message = fake.last_message("vonage")
    assert message["to"] == number[1:]  # Vonage takes the number without "+"
    code = code_in(message["body"])
    assert message["body"] == expected_body(code)
    [request] = fake.requests_to("vonage")
    assert request.one("type") is None  # GSM-7 text: no type=unicode
    assert_verified(site, email, enter_code(site, s, code), number)
    assert fake.failures == []


def test_vonage_sends_unicode_text_as_unicode(make_site, fake):
    site = make_site(phone_config({"sms.provider": "vonage", "server.app_name": "Countersign ✓", **vonage_keys(fake)}))
    s, email = phone_user(site)
    number = fresh_us_number()
    assert_sent(send_code(site, s, number))
    message = fake.last_message("vonage")
    assert message["body"].startswith("Your Countersign ✓ code is ")
    assert fake.requests_to("vonage")[-1].one("type") == "unicode"
    assert_verified(site, email, enter_code(site, s, code_in(message["body"])), number)
    assert fake.failures == []


def test_command(make_site, tmp_path):
    received = tmp_path / "received.txt"
    script = tmp_path / "sms.sh"
    script.write_text(f'#!/bin/sh\n{{ printf "to=%s\\n" "$1"; cat; printf "\\n--end--\\n"; }} >> "{received}"\n')
    script.chmod(0o755)
    site = make_site(phone_config({"sms.provider": "command", "sms.command": str(script)}))
    s, email = phone_user(site)
    number = fresh_us_number()
    assert_sent(send_code(site, s, number))
    text = received.read_text()
    assert text.startswith(f"to={number}\n"), text
    body = text[len(f"to={number}\n"):].removesuffix("\n--end--\n")
    code = code_in(body)
    assert body == expected_body(code)
    assert_verified(site, email, enter_code(site, s, code), number)


def test_command_failing_is_503_and_not_counted(make_site, tmp_path):
    script = tmp_path / "fails.sh"
    flag = tmp_path / "works"
    out = tmp_path / "out.txt"
    script.write_text(f'#!/bin/sh\n[ -e "{flag}" ] || exit 3\ncat >> "{out}"\n')
    script.chmod(0o755)
    site = make_site(phone_config({"sms.provider": "command", "sms.command": str(script),
                                   "tokens.max_sends_per_hour": "1"}))
    s, email = phone_user(site)
    r = send_code(site, s, "+12025550123")
    assert r.status_code == 503 and summary_error(r.text) == COULD_NOT_SEND
    flag.touch()
    assert_sent(send_code(site, s, "+12025550123"))
    assert_verified(site, email, enter_code(site, s, code_in(out.read_text())), "+12025550123")


def test_file(make_site):
    site = make_site(phone_config({"sms.provider": "file"}))
    s, email = phone_user(site)
    number = fresh_us_number()
    assert_sent(send_code(site, s, number))
    message = last_sms(site, number)
    assert_verified(site, email, enter_code(site, s, code_in(message["body"])), number)


def test_failover_to_file_when_twilio_refuses(make_site, fake):
    site = make_site(phone_config({"sms.provider": "twilio, file", **twilio_keys(fake, **{"twilio.from": fp.TWILIO_FROM})}))
    fake.mode["twilio"] = "fail"
    s, email = phone_user(site)
    number = fresh_us_number()
    assert_sent(send_code(site, s, number))
    assert len(fake.requests_to("twilio")) == 1 and fake.messages == []
    code = code_in(last_sms(site, number)["body"])
    assert_verified(site, email, enter_code(site, s, code), number)
    assert fake.failures == []
    # The failure is logged, without the message.
    log = site.log_text()
    assert "twilio" in log and "21211" in log, log
    assert code not in log


def test_failover_to_file_when_twilio_is_slow(make_site, fake):
    site = make_site(phone_config({"sms.provider": "twilio, file", **twilio_keys(fake, **{"twilio.from": fp.TWILIO_FROM})}))
    fake.mode["twilio"] = "slow"
    s, email = phone_user(site)
    number = fresh_us_number()
    started = time.monotonic()
    assert_sent(send_code(site, s, number))
    took = time.monotonic() - started
    assert took < fake.slow_seconds, f"waited {took:.1f}s: the client timeout did not cut the slow provider off"
    code = code_in(last_sms(site, number)["body"])
    assert_verified(site, email, enter_code(site, s, code), number)


def test_all_providers_failing_is_503_and_the_send_is_not_counted(make_site, fake):
    site = make_site(phone_config({"sms.provider": "twilio, vonage", "tokens.max_sends_per_hour": "1",
                                   **twilio_keys(fake, **{"twilio.from": fp.TWILIO_FROM}), **vonage_keys(fake)}))
    fake.mode["twilio"] = "down"
    fake.mode["vonage"] = "fail"
    s, email = phone_user(site)
    number = "+12025550123"
    r = send_code(site, s, number)
    assert r.status_code == 503, (r.status_code, r.text[:2000])
    assert summary_error(r.text) == COULD_NOT_SEND
    assert f'value="{number}"' in r.text
    assert len(fake.requests_to("twilio")) == 1 and len(fake.requests_to("vonage")) == 1
    kinds = [e["kind"] for e in security_events(site, site.user_row(email)["Id"])]
    assert "send-failed" in kinds and "code-sent" not in kinds, kinds
    # The providers recover: the send that failed did not use up the hourly limit of 1.
    fake.mode["twilio"] = "ok"
    assert_sent(send_code(site, s, number))
    code = code_in(fake.last_message("twilio")["body"])
    assert_verified(site, email, enter_code(site, s, code), number)
    assert fake.failures == []


def test_send_test_sms_through_twilio(make_site, fake):
    site = make_site(phone_config({"sms.provider": "twilio", **twilio_keys(fake, **{"twilio.from": fp.TWILIO_FROM})}))
    result = subprocess.run([str(binary_path()), "send-test-sms", "--config", str(site.conf_path), "+12015550123"],
                            capture_output=True, timeout=30, stdin=subprocess.DEVNULL)
    assert result.returncode == 0, result.stderr.decode()
    message = fake.last_message("twilio")
    assert message["to"] == "+12015550123"
    assert message["sid"].encode() in result.stdout, result.stdout
    assert fake.failures == []


# ----- code providers -----------------------------------------------------------------------

def hotp(key: bytes, message: bytes) -> str:
    """RFC 4226 HMAC-SHA1 with dynamic truncation, 6 digits."""
    digest = hmac.new(key, message, hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def aspnet_totp(security_stamp: str, new_number: str, stored_number: str, counter: int) -> str:
    """ASP.NET Core Identity's phone-number token: RFC 6238 (3-minute steps), the key the
    UTF-16LE bytes of the security stamp, the modifier appended to the 8-byte big-endian counter."""
    modifier = f"PhoneNumber:ChangePhoneNumber:{new_number}:{stored_number}".encode()
    return hotp(security_stamp.encode("utf-16-le"), struct.pack(">Q", counter) + modifier)


def test_hotp_matches_rfc_4226_vectors():
    key = b"12345678901234567890"
    assert [hotp(key, struct.pack(">Q", c)) for c in range(3)] == ["755224", "287082", "359152"]


def test_totp_code_is_aspnet_identitys(make_site):
    site = make_site(phone_config({"tokens.provider": "totp"}))
    s, email = phone_user(site)
    stamp = site.user_row(email)["SecurityStamp"]
    number = fresh_us_number()
    before = int(time.time() // 180)
    assert_sent(send_code(site, s, number))
    after = int(time.time() // 180)
    body = last_sms(site, number)["body"]
    code = code_in(body)
    expected = {aspnet_totp(stamp, number, fp.REGISTERED_E164, c) for c in range(before, after + 1)}
    assert code in expected, (code, expected)
    # TOTP codes live 6 minutes here (the 3-minute steps, two either side).
    assert body == f"Your Countersign code is {code}. Valid for 6 min.\n\n@127.0.0.1 #{code}"
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    r = enter_code(site, s, wrong)
    assert r.status_code == 422 and summary_error(r.text) == WRONG_CODE_MESSAGE
    assert_verified(site, email, enter_code(site, s, code), number)
    # Single use: the stamp (the TOTP key) changed and nothing is pending.
    r = enter_code(site, s, code)
    assert r.status_code == 422


def test_totp_code_for_another_number_is_refused(make_site):
    site = make_site(phone_config({"tokens.provider": "totp"}))
    s, email = phone_user(site)
    a, b = fresh_us_number(), fresh_us_number()
    assert_sent(send_code(site, s, a))
    code_a = code_in(last_sms(site, a)["body"])
    assert_sent(send_code(site, s, b))
    code_b = code_in(last_sms(site, b)["body"])
    if code_a != code_b:
        r = enter_code(site, s, code_a)
        assert r.status_code == 422
    assert_verified(site, email, enter_code(site, s, code_b), b)


def test_twilio_verify(make_site, fake):
    site = make_site(phone_config({"tokens.provider": "twilio-verify", "sms.provider": "file",
                                   **twilio_keys(fake), "twilio.verify_service_sid": fp.VERIFY_SERVICE_SID,
                                   "twilio.verify_api_base": fake.url}))
    s, email = phone_user(site)
    number = fresh_us_number()
    assert_sent(send_code(site, s, number))
    assert sms_outbox(site) == []  # Twilio writes and sends the message itself
    [start] = fake.requests_to("verify")
    assert start.path.endswith("/Verifications") and start.one("To") == number and start.one("Channel") == "sms"
    code = fake.verify_code(number)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    r = enter_code(site, s, wrong)
    assert r.status_code == 422 and summary_error(r.text) == WRONG_CODE_MESSAGE
    check = fake.requests_to("verify")[-1]
    assert check.path.endswith("/VerificationCheck") and check.one("Code") == wrong and check.one("To") == number
    assert site.user_row(email)["PhoneNumberConfirmed"] == 0
    assert_verified(site, email, enter_code(site, s, code), number)
    assert fake.failures == []
    # Nothing pending any more, here or at Twilio.
    r = enter_code(site, s, code)
    assert r.status_code == 422


def test_totp_burned_code_is_refused_even_when_right(make_site):
    site = make_site(phone_config({"tokens.provider": "totp", "tokens.max_attempts": "2"}))
    s, email = phone_user(site)
    number = fresh_us_number()
    assert_sent(send_code(site, s, number))
    code = code_in(last_sms(site, number)["body"])
    for i in (1, 2):
        r = enter_code(site, s, f"{(int(code) + i) % 1_000_000:06d}")
        assert r.status_code == 422
    r = enter_code(site, s, code)
    assert r.status_code == 422 and summary_error(r.text) == WRONG_CODE_MESSAGE
    assert site.user_row(email)["PhoneNumberConfirmed"] == 0


def twilio_verify_site(make_site, fake, **extra):
    return make_site(phone_config({"tokens.provider": "twilio-verify", "sms.provider": "file", **twilio_keys(fake),
                                   "twilio.verify_service_sid": fp.VERIFY_SERVICE_SID,
                                   "twilio.verify_api_base": fake.url, **extra}))


def test_twilio_verify_code_for_the_previous_number_is_refused(make_site, fake):
    site = twilio_verify_site(make_site, fake)
    s, email = phone_user(site)
    a, b = fresh_us_number(), fresh_us_number()
    assert_sent(send_code(site, s, a))
    assert_sent(send_code(site, s, b))
    code_a, code_b = fake.verify_code(a), fake.verify_code(b)
    if code_a != code_b:
        r = enter_code(site, s, code_a)
        assert r.status_code == 422
        assert fake.requests_to("verify")[-1].one("To") == b
    assert_verified(site, email, enter_code(site, s, code_b), b)
    assert fake.failures == []


def test_twilio_verify_attempt_cap_is_ours_too(make_site, fake):
    site = twilio_verify_site(make_site, fake, **{"tokens.max_attempts": "2"})
    s, email = phone_user(site)
    number = fresh_us_number()
    assert_sent(send_code(site, s, number))
    code = fake.verify_code(number)
    for i in (1, 2):
        r = enter_code(site, s, f"{(int(code) + i) % 1_000_000:06d}")
        assert r.status_code == 422
    checks = len(fake.requests_to("verify"))
    r = enter_code(site, s, code)
    assert r.status_code == 422
    assert len(fake.requests_to("verify")) == checks, "a burned verification must not be checked at Twilio"
    assert site.user_row(email)["PhoneNumberConfirmed"] == 0


def test_twilio_verify_check_unavailable_is_503_and_not_an_attempt(make_site, fake):
    site = twilio_verify_site(make_site, fake, **{"tokens.max_attempts": "1"})
    s, email = phone_user(site)
    number = fresh_us_number()
    assert_sent(send_code(site, s, number))
    code = fake.verify_code(number)
    fake.mode["verify"] = "down"
    r = enter_code(site, s, code)
    assert r.status_code == 503, (r.status_code, r.text[:2000])
    fake.mode["verify"] = "ok"
    assert_verified(site, email, enter_code(site, s, code), number)


def test_twilio_verify_unavailable_is_503(make_site, fake):
    site = make_site(phone_config({"tokens.provider": "twilio-verify", "sms.provider": "file",
                                   **twilio_keys(fake), "twilio.verify_service_sid": fp.VERIFY_SERVICE_SID,
                                   "twilio.verify_api_base": fake.url, "tokens.max_sends_per_hour": "1"}))
    fake.mode["verify"] = "down"
    s, email = phone_user(site)
    r = send_code(site, s, "+12025550123")
    assert r.status_code == 503, (r.status_code, r.text[:2000])
    fake.mode["verify"] = "ok"
    assert_sent(send_code(site, s, "+12025550123"))
    assert_verified(site, email, enter_code(site, s, fake.verify_code("+12025550123")), "+12025550123")


# ----- check-config -------------------------------------------------------------------------

def config_text(tmp_path, extra: str = "") -> str:
    return (f"[server]\nbase_url = http://127.0.0.1:8080\n[storage]\npath = {tmp_path / 'cs.db'}\n"
            f"[cookies]\nsecret = {SECRET}\nsecure = false\n[sms]\nprovider = file\npath = {tmp_path / 'sms.jsonl'}\n"
            + extra)


def check_config(tmp_path, extra: str):
    path = tmp_path / "countersign.conf"
    path.write_text(config_text(tmp_path, extra))
    env = {k: v for k, v in os.environ.items() if k != "COUNTERSIGN_CONFIG"}
    result = subprocess.run([str(binary_path()), "check-config", "--config", str(path)], capture_output=True,
                            timeout=30, env=env, stdin=subprocess.DEVNULL)
    return path, result


def test_check_config_warns_about_a_two_segment_message(tmp_path):
    template = "Hello from the Countersign team! " * 4 + "Your code is {code}. It is valid for {minutes} minutes."
    path, result = check_config(tmp_path, f"template = {template}\n")
    stderr = result.stderr.decode()
    assert result.returncode == 0, stderr
    assert f"{path}:" in stderr and "sms.template" in stderr and "segments" in stderr, stderr
    assert not (tmp_path / "sms.jsonl").exists()


def test_check_config_is_silent_about_a_short_message(tmp_path):
    _, result = check_config(tmp_path, "template = Your code is {code}.\n")
    assert result.returncode == 0, result.stderr.decode()
    assert "segments" not in result.stderr.decode()


def test_check_config_warns_about_a_unicode_message_over_70_characters(tmp_path):
    template = "Ваш код подтверждения для входа в личный кабинет: {code}. Он действует {minutes} мин."
    _, result = check_config(tmp_path, f"template = {template}\n")
    assert result.returncode == 0, result.stderr.decode()
    assert "UCS-2" in result.stderr.decode() or "GSM-7" in result.stderr.decode(), result.stderr.decode()


def test_check_config_refuses_an_unknown_token_provider(tmp_path):
    path, result = check_config(tmp_path, "[tokens]\nprovider = carrier-pigeon\n")
    stderr = result.stderr.decode()
    assert result.returncode == 2, stderr
    line = config_text(tmp_path).count("\n") + 2
    assert f"{path}:{line}:" in stderr, stderr
    assert "carrier-pigeon" in stderr
    for name in ("stored", "totp", "twilio-verify"):
        assert name in stderr, stderr


@pytest.mark.parametrize("extra,key", [
    ("[tokens]\nprovider = twilio-verify\n[twilio]\naccount_sid = " + fp.ACCOUNT_SID + "\nauth_token = x\n",
     "twilio.verify_service_sid"),
    ("[twilio]\naccount_sid = " + fp.ACCOUNT_SID + "\nauth_token = x\nfrom = +12025550123\n"
     "api_base = http://example.com\n", "twilio.api_base"),
    ("[twilio]\naccount_sid = not-a-sid\nauth_token = x\nfrom = +12025550123\n", "twilio.account_sid"),
    ("[twilio]\naccount_sid = " + fp.ACCOUNT_SID + "\nauth_token = x\n", "twilio.from"),
    ("[vonage]\napi_key = k\napi_secret = s\n", "vonage.from"),
    ("template = Your code is {cod}.\n", "sms.template"),
])
def test_check_config_refuses_incomplete_provider_settings(tmp_path, extra, key):
    provider = "vonage" if "[vonage]" in extra else "twilio" if "[twilio]" in extra and "[tokens]" not in extra else "file"
    path = tmp_path / "countersign.conf"
    base = config_text(tmp_path).replace("provider = file\n", f"provider = {provider}\n")
    path.write_text(base + extra)
    env = {k: v for k, v in os.environ.items() if k != "COUNTERSIGN_CONFIG"}
    result = subprocess.run([str(binary_path()), "check-config", "--config", str(path)], capture_output=True,
                            timeout=30, env=env, stdin=subprocess.DEVNULL)
    stderr = result.stderr.decode()
    assert result.returncode == 2, stderr
    assert key in stderr, stderr


# ----- the fake itself ----------------------------------------------------------------------

def test_fake_refuses_what_the_real_providers_refuse(fake):
    import requests
    twilio = f"{fake.url}/2010-04-01/Accounts/{fp.ACCOUNT_SID}/Messages.json"
    auth = (fp.ACCOUNT_SID, fp.AUTH_TOKEN)
    ok = {"To": "+12015550123", "From": fp.TWILIO_FROM, "Body": "hi"}
    assert requests.post(twilio, data=ok, auth=auth).status_code == 201
    assert fake.failures == []
    bad = [
        requests.post(twilio, data=ok, auth=(fp.ACCOUNT_SID, "wrong")),
        requests.post(twilio, data={"to": "+12015550123", "From": fp.TWILIO_FROM, "Body": "hi"}, auth=auth),
        requests.post(twilio, data={**ok, "To": "12015550123"}, auth=auth),
        requests.post(twilio, data={"To": "+12015550123", "Body": "hi"}, auth=auth),
        requests.post(twilio, json=ok, auth=auth),
        requests.post(f"{fake.url}/sms/json", data={"api_key": fp.VONAGE_KEY, "api_secret": fp.VONAGE_SECRET,
                                                    "from": fp.VONAGE_FROM, "to": "+12015550123", "text": "hi"}),
        requests.post(f"{fake.url}/v2/Services/{fp.VERIFY_SERVICE_SID}/Verifications", data={"To": "+12015550123"},
                      auth=auth),
    ]
    assert [r.status_code for r in bad] == [401, 400, 400, 400, 400, 200, 400]
    assert bad[5].json()["messages"][0]["status"] == "3"
    assert len(fake.failures) == len(bad), fake.failures
    verify = f"{fake.url}/v2/Services/{fp.VERIFY_SERVICE_SID}"
    assert requests.post(f"{verify}/VerificationCheck", data={"To": "+12015550123", "Code": "123456"},
                         auth=auth).status_code == 404
