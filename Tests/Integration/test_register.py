"""POST /Register, GET /IsEmailAvailable, GET /RegistrationSuccessful."""
import json
import re

import pytest
import requests

from harness import DEFAULT_PASSWORD, field_errors, fresh_email


def test_register_page_has_every_field(site):
    r = requests.get(site.url("/Register"))
    assert r.status_code == 200
    for name in ["FirstName", "LastName", "Email", "PhoneNumber", "Password", "ConfirmPassword", "__RequestVerificationToken"]:
        assert f'name="{name}"' in r.text, name
    assert 'method="post"' in r.text and 'action="/Account/Register"' in r.text


def test_register_redirects_and_writes_an_identity_row(site):
    email = fresh_email("Mixed.Case")
    r = site.register(email=email, first="Ada", last="Lovelace", phone="(201) 555-0123")
    assert r.status_code == 303
    assert r.headers["Location"] == "/Account/RegistrationSuccessful"
    row = site.user_row(email)
    assert row is not None
    assert row["Email"] == email and row["UserName"] == email
    assert row["NormalizedEmail"] == email.upper() and row["NormalizedUserName"] == email.upper()
    assert row["EmailConfirmed"] == 0
    assert row["PhoneNumber"] == "+12015550123"
    assert row["PhoneNumberConfirmed"] == 0
    assert row["PasswordHash"].startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert DEFAULT_PASSWORD not in row["PasswordHash"]
    assert row["FirstName"] == "Ada" and row["LastName"] == "Lovelace"
    assert row["TwoFactorEnabled"] == 0 and row["AccessFailedCount"] == 0
    assert row["SecurityStamp"] and row["ConcurrencyStamp"]
    assert re.fullmatch(r"[0-9a-f-]{36}", row["Id"])


def test_registration_successful_page(site):
    s = site.session()
    r = site.register(s)
    follow = s.get(site.base + r.headers["Location"])
    assert follow.status_code == 200
    assert "Registration successful" in follow.text


def test_register_sends_one_confirmation_email(site):
    email = fresh_email()
    assert site.emails(email) == []
    site.register(email=email)
    mails = site.emails(email)
    assert len(mails) == 1
    assert set(mails[0]) >= {"to", "subject", "text", "html", "time"}
    assert site.confirm_link(email).startswith(site.account + "/ConfirmEmail?UserId=")


def test_confirmation_link_uses_base_url_not_host_header(site):
    email = fresh_email()
    s = site.session()
    tok = site.form_token(s, "/Register")
    cookies = "; ".join(f"{c.name}={c.value}" for c in s.cookies)
    data = {"__RequestVerificationToken": tok, "FirstName": "Eve", "LastName": "", "Email": email,
            "PhoneNumber": "+12015550123", "Password": DEFAULT_PASSWORD, "ConfirmPassword": DEFAULT_PASSWORD}
    r = requests.post(site.url("/Register"), data=data, allow_redirects=False,
                      headers={"Host": "evil.example", "Cookie": cookies, "X-Forwarded-Host": "evil.example"})
    assert r.status_code == 303, r.text[-1500:]
    mail = site.emails(email)[-1]
    assert "evil.example" not in mail["text"] and "evil.example" not in mail["html"]
    assert site.confirm_link(email).startswith(site.base + "/Account/ConfirmEmail?")


@pytest.mark.parametrize("phone,e164", [
    ("(201) 555-0123", "+12015550123"),
    ("+1 201 555 0123", "+12015550123"),
    ("201.555.0123", "+12015550123"),
    ("+44 7400 123456", "+447400123456"),
    ("+33 6 12 34 56 78", "+33612345678"),
])
def test_phone_number_is_stored_in_e164(site, phone, e164):
    email = fresh_email()
    r = site.register(email=email, phone=phone)
    assert r.status_code == 303, field_errors(r.text)
    assert site.user_row(email)["PhoneNumber"] == e164


def test_invalid_register_is_422_with_messages_values_kept_and_no_passwords(site):
    email = fresh_email()
    secret = "hunter2-unmatched-secret-passphrase"
    before = site.user_count()
    r = site.register(email=email, first="Grace", last="Hopper", phone="not a phone",
                      password=secret, confirm_password=secret + "x")
    assert r.status_code == 422
    assert site.user_count() == before
    errors = field_errors(r.text)
    assert any("phone" in e.lower() for e in errors), errors
    assert any("match" in e.lower() for e in errors), errors
    assert 'value="Grace"' in r.text and 'value="Hopper"' in r.text
    assert f'value="{email}"' in r.text and 'value="not a phone"' in r.text
    assert secret not in r.text
    assert site.emails(email) == []


def test_register_requires_fields(site):
    s = site.session()
    r = site.post_form(s, "/Register", {"FirstName": "", "LastName": "", "Email": "", "PhoneNumber": "", "Password": "", "ConfirmPassword": ""})
    assert r.status_code == 422
    errors = " ".join(field_errors(r.text))
    for word in ["First Name", "Email", "Phone", "Password"]:
        assert word.lower() in errors.lower(), (word, errors)


def test_register_without_any_field_is_422_not_500(site):
    s = site.session()
    r = site.post_form(s, "/Register", {})
    assert r.status_code == 422


def test_landline_number_refused_with_a_message(site):
    email = fresh_email()
    r = site.register(email=email, phone="+44 20 7946 0958")
    assert r.status_code == 422
    assert field_errors(r.text)
    assert site.user_row(email) is None


@pytest.mark.parametrize("email", ["plainaddress", "a@", "@example.com", "a b@example.com", "a@example..com"])
def test_invalid_email_refused(site, email):
    r = site.register(email=email)
    assert r.status_code == 422
    assert field_errors(r.text)


def test_already_registered_address_is_422_in_any_case(site):
    email = fresh_email()
    assert site.register(email=email).status_code == 303
    before = site.user_count()
    r = site.register(email=email.upper())
    assert r.status_code == 422
    assert any("taken" in e.lower() for e in field_errors(r.text)), field_errors(r.text)
    assert site.user_count() == before


@pytest.mark.parametrize("password,fragment", [
    ("short", "8"),
    ("password123", None),
    ("12345678", None),
])
def test_weak_passwords_refused_with_a_message(site, password, fragment):
    email = fresh_email()
    r = site.register(email=email, password=password)
    assert r.status_code == 422, password
    errors = field_errors(r.text)
    assert errors, r.text[-2000:]
    if fragment:
        assert any(fragment in e for e in errors), errors
    assert site.user_row(email) is None
    assert f'value="{password}"' not in r.text


def test_password_containing_the_email_is_refused(site):
    email = fresh_email("zanzibar")
    r = site.register(email=email, password=email)
    assert r.status_code == 422


def test_long_passphrase_is_accepted(site):
    passphrase = "this is my rather long but memorable passphrase of 64 chars!!..."
    assert len(passphrase) == 64
    s, email = site.signed_in(site.new_user(password=passphrase), password=passphrase)
    assert s.get(site.url("/Manage"), allow_redirects=False).status_code == 200


def test_unicode_names_and_address_stored_verbatim(site):
    email = f"jürgen.{fresh_email()}"
    r = site.register(email=email, first="Jürgen", last="Ørsted-Ñúñez 李")
    assert r.status_code == 303
    row = site.user_row(email)
    assert row["FirstName"] == "Jürgen" and row["LastName"] == "Ørsted-Ñúñez 李"
    assert row["NormalizedEmail"] == email.upper()


# ----- IsEmailAvailable -------------------------------------------------------------------------

def test_is_email_available_true_for_a_free_address(site):
    r = requests.get(site.url("/IsEmailAvailable"), params={"Email": fresh_email()})
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("application/json")
    assert r.json() is True


def test_is_email_available_string_for_a_taken_address_in_any_case(site):
    email = site.new_user(confirmed=False)
    r = requests.get(site.url("/IsEmailAvailable"), params={"Email": email.upper()})
    assert r.status_code == 200
    value = r.json()
    assert isinstance(value, str) and value


def test_is_email_available_string_for_an_invalid_address(site):
    r = requests.get(site.url("/IsEmailAvailable"), params={"Email": "not-an-address"})
    assert r.status_code == 200
    assert isinstance(r.json(), str)


def test_is_email_available_json_escapes_quotes(site):
    r = requests.get(site.url("/IsEmailAvailable"), params={"Email": 'a"b\\c@'})
    assert r.status_code == 200
    assert isinstance(json.loads(r.text), str)


def test_lookup_limit_per_address_gives_429_with_retry_after(make_site):
    s = make_site({"email.lookups_per_ip_per_hour": "3"})
    codes = [requests.get(s.url("/IsEmailAvailable"), params={"Email": fresh_email()}).status_code for _ in range(3)]
    assert codes == [200, 200, 200]
    r = requests.get(s.url("/IsEmailAvailable"), params={"Email": fresh_email()})
    assert r.status_code == 429
    assert int(r.headers["Retry-After"]) > 0
    # Registration attempts count too.
    r = s.register()
    assert r.status_code == 429


@pytest.mark.parametrize("password", ["\x00" * 12, "\x00password123", "x\x00" + "a" * 12])
def test_nul_characters_do_not_bypass_the_password_policy(site, password):
    email = fresh_email()
    r = site.register(email=email, password=password)
    assert r.status_code == 422
    assert site.user_row(email) is None


def test_a_password_with_control_characters_is_refused_with_why(site):
    email = fresh_email()
    r = site.register(email=email, password="zq9!xkWv\x00marmalade-velvet-42")
    assert r.status_code == 422
    assert "control characters" in r.text
    assert site.user_row(email) is None


def test_values_kept_on_422_are_escaped(site):
    evil = '"><script>alert(1)</script>'
    r = site.register(email=evil, first=evil, last=evil, phone=evil)
    assert r.status_code == 422
    assert "<script>alert(1)</script>" not in r.text
    assert "&quot;&gt;&lt;script&gt;" in r.text or "&#34;&gt;&lt;script&gt;" in r.text


def test_name_in_the_confirmation_email_is_escaped(site):
    email = site.new_user(confirmed=False, first="<b>Bold</b>")
    mail = site.emails(email)[-1]
    assert "<b>Bold</b>" not in mail["html"]
    assert "&lt;b&gt;Bold&lt;/b&gt;" in mail["html"]
    assert "<b>Bold</b>" in mail["text"], "the plain-text part is not HTML"


def test_password_too_long_is_refused_cleanly(site):
    r = site.register(password="long passphrase words " * 60)
    assert r.status_code == 422
    assert field_errors(r.text)
