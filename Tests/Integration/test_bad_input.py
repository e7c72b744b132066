"""Hostile and malformed requests: antiforgery, Origin, cookies, bodies, encodings, races."""
import http.client
import random
import string

import pytest
import requests

from harness import DEFAULT_PASSWORD, fresh_email, run_threads

ANTIFORGERY_MESSAGE = "did not come from this site"


def register_fields(email: str, **overrides) -> dict:
    fields = {"FirstName": "Mallory", "LastName": "M", "Email": email, "PhoneNumber": "+12015550123",
              "Password": DEFAULT_PASSWORD, "ConfirmPassword": DEFAULT_PASSWORD}
    fields.update(overrides)
    return fields


def raw_post(site, s: requests.Session, route: str, body: bytes | str, content_type="application/x-www-form-urlencoded", **kwargs):
    return s.post(site.url(route), data=body, headers={"Content-Type": content_type, **kwargs.pop("headers", {})},
                  allow_redirects=False, **kwargs)


# ----- antiforgery and Origin ---------------------------------------------------------------------

def test_missing_antiforgery_token_is_400_and_writes_nothing(site):
    s = site.session()
    s.get(site.url("/Register"))  # has the antiforgery cookie, but sends no field
    email = fresh_email()
    before = site.user_count()
    r = s.post(site.url("/Register"), data=register_fields(email), allow_redirects=False)
    assert r.status_code == 400
    assert ANTIFORGERY_MESSAGE in r.text
    assert site.user_count() == before
    assert site.emails(email) == []


def test_antiforgery_token_without_its_cookie_is_400(site):
    s = site.session()
    tok = site.form_token(s, "/Register")
    email = fresh_email()
    r = requests.post(site.url("/Register"), data={"__RequestVerificationToken": tok, **register_fields(email)}, allow_redirects=False)
    assert r.status_code == 400
    assert site.user_row(email) is None


def test_token_from_another_visitor_is_400(site):
    alice, mallory = site.session(), site.session()
    alice_token = site.form_token(alice, "/Register")
    site.form_token(mallory, "/Register")
    email = fresh_email()
    r = mallory.post(site.url("/Register"), data={"__RequestVerificationToken": alice_token, **register_fields(email)}, allow_redirects=False)
    assert r.status_code == 400
    assert site.user_row(email) is None


@pytest.mark.parametrize("bad", ["", "x", "A" * 43, "%00", "AAAA" * 100])
def test_garbage_tokens_are_400(site, bad):
    s = site.session()
    site.form_token(s, "/Login")
    r = s.post(site.url("/Login"), data={"__RequestVerificationToken": bad, "Email": "a@example.com", "Password": "x"}, allow_redirects=False)
    assert r.status_code == 400


def test_token_given_twice_is_400(site):
    s = site.session()
    tok = site.form_token(s, "/Login")
    r = s.post(site.url("/Login"), data=[("__RequestVerificationToken", tok), ("__RequestVerificationToken", tok),
                                         ("Email", "a@example.com"), ("Password", "x")], allow_redirects=False)
    assert r.status_code == 400


@pytest.mark.parametrize("headers", [
    {"Origin": "https://evil.example"},
    {"Origin": "null"},
    {"Origin": "http://127.0.0.1:1"},
    {"Referer": "https://evil.example/page"},
])
def test_foreign_origin_is_400_even_with_a_valid_token(site, headers):
    s = site.session()
    email = fresh_email()
    r = site.post_form(s, "/Register", register_fields(email), headers=headers)
    assert r.status_code == 400
    assert site.user_row(email) is None


def test_same_origin_is_accepted(site):
    s = site.session()
    email = fresh_email()
    r = site.post_form(s, "/Register", register_fields(email), headers={"Origin": site.base, "Referer": site.url("/Register")})
    assert r.status_code == 303


# ----- tampered cookies ---------------------------------------------------------------------------

def test_tampered_flash_cookie_is_ignored(site):
    s = site.session()
    r = site.post_form(s, "/ResendConfirmationEmail", {"Email": fresh_email()}, token_from="/Login")
    assert r.status_code == 303
    value = s.cookies.get("Countersign.Flash")
    assert value
    for forged in [value[:-2] + ("AA" if not value.endswith("AA") else "BB"), "garbage", "a.b.c.d", "", "%ff%fe", "x" * 3000]:
        page = requests.get(site.url("/Login"), cookies={"Countersign.Flash": forged})
        assert page.status_code == 200, forged
        assert 'class="flash' not in page.text


def test_tampered_session_cookie_is_ignored(site):
    s, _ = site.signed_in()
    value = s.cookies.get("Countersign.Session")
    flipped = value[:10] + ("A" if value[10] != "A" else "B") + value[11:]
    for forged in [flipped, "A" * 43, "garbage", "", value + "x", "%00" * 20]:
        manage = requests.get(site.url("/Manage"), cookies={"Countersign.Session": forged}, allow_redirects=False)
        assert manage.status_code == 303, forged
        auth = requests.get(site.url("/Auth"), cookies={"Countersign.Session": forged})
        assert auth.status_code == 401, forged


def test_malformed_cookie_header_is_ignored(site):
    # Browsers send whatever other sites on the domain set: a Cookie header that cannot be read is
    # ignored like a tampered cookie, and the page renders as for a visitor without cookies.
    for header in ["=;;=; ;", "Countersign.Session", "a=" + "b" * 4000, '"unterminated=', "\x7f=\x7f"]:
        r = requests.get(site.url("/Login"), headers={"Cookie": header})
        assert r.status_code == 200, header


# ----- bodies and encodings -----------------------------------------------------------------------

def test_body_over_max_body_is_413(site):
    s = site.session()
    tok = site.form_token(s, "/Register")
    body = f"__RequestVerificationToken={tok}&FirstName=" + "a" * (70 * 1024)
    before = site.user_count()
    r = raw_post(site, s, "/Register", body)
    assert r.status_code == 413
    assert site.user_count() == before


def test_body_just_under_max_body_is_read(site):
    s = site.session()
    tok = site.form_token(s, "/Login")
    body = f"__RequestVerificationToken={tok}&Email=a%40example.com&Password=" + "a" * (60 * 1024)
    r = raw_post(site, s, "/Login", body)
    assert r.status_code == 422


@pytest.mark.parametrize("escape", ["%zz", "%", "%4", "%ff", "%c3%28", "%ed%a0%80", "%C0%AF"])
def test_broken_escapes_and_invalid_utf8_in_body_are_400(site, escape):
    s = site.session()
    tok = site.form_token(s, "/Login")
    r = raw_post(site, s, "/Login", f"__RequestVerificationToken={tok}&Email=a{escape}&Password=x")
    assert r.status_code == 400
    assert ANTIFORGERY_MESSAGE not in r.text, "the body itself must be the reason"


@pytest.mark.parametrize("escape", ["%zz", "%", "%ff"])
def test_broken_escapes_in_query_are_400(site, escape):
    # http.client, because requests would re-quote a broken escape into %25.
    connection = http.client.HTTPConnection("127.0.0.1", site.port, timeout=10)
    connection.request("GET", f"/Account/IsEmailAvailable?Email=a{escape}b")
    assert connection.getresponse().status == 400
    connection.close()


def test_broken_escape_in_a_field_name_is_400(site):
    s = site.session()
    tok = site.form_token(s, "/Login")
    r = raw_post(site, s, "/Login", f"__RequestVerificationToken={tok}&Em%zzail=a&Password=x")
    assert r.status_code == 400


def test_empty_segments_are_ignored(site):
    s = site.session()
    tok = site.form_token(s, "/Login")
    r = raw_post(site, s, "/Login", f"&&__RequestVerificationToken={tok}&&Email=a%40example.com&&Password=x&&")
    assert r.status_code == 422


def test_plus_decodes_to_space(site):
    email = site.new_user(password="plus signs are spaces here")
    s = site.session()
    tok = site.form_token(s, "/Login")
    r = raw_post(site, s, "/Login", f"__RequestVerificationToken={tok}&Email={email.replace('@', '%40')}&Password=plus+signs+are+spaces+here")
    assert r.status_code == 303


@pytest.mark.parametrize("content_type", ["application/json", "text/plain", "multipart/form-data; boundary=x", "application/xml"])
def test_other_content_types_are_415(site, content_type):
    s = site.session()
    tok = site.form_token(s, "/Login")
    email = fresh_email()
    body = '{"__RequestVerificationToken": "%s", "Email": "%s"}' % (tok, email)
    r = raw_post(site, s, "/Register", body, content_type=content_type)
    assert r.status_code == 415
    assert site.user_row(email) is None


def test_no_content_type_is_415(site):
    s = site.session()
    tok = site.form_token(s, "/Login")
    r = s.post(site.url("/Login"), data=f"__RequestVerificationToken={tok}".encode(), allow_redirects=False)
    assert r.status_code == 415


def test_content_type_with_charset_is_accepted(site):
    s = site.session()
    tok = site.form_token(s, "/Login")
    r = raw_post(site, s, "/Login", f"__RequestVerificationToken={tok}&Email=a%40example.com&Password=x",
                 content_type="application/x-www-form-urlencoded; charset=UTF-8")
    assert r.status_code == 422


def test_a_field_given_twice_is_400(site):
    s = site.session()
    tok = site.form_token(s, "/Register")
    first, second = fresh_email(), fresh_email()
    data = [("__RequestVerificationToken", tok)] + list(register_fields(first).items()) + [("Email", second)]
    r = s.post(site.url("/Register"), data=data, allow_redirects=False)
    assert r.status_code == 400
    assert site.user_row(first) is None and site.user_row(second) is None


def test_remember_me_twice_is_fine(site):
    email = site.new_user()
    s = site.session()
    r = site.login(s, email, remember=True)  # sends RememberMe=true and RememberMe=false
    assert r.status_code == 303
    assert "Max-Age" in r.headers.get("Set-Cookie", "")


def test_more_than_1000_fields_is_400(site):
    s = site.session()
    tok = site.form_token(s, "/Login")
    body = f"__RequestVerificationToken={tok}&Email=a%40example.com&Password=x&" + "&".join(f"f{i}=1" for i in range(998))
    assert body.count("=") == 1001
    r = raw_post(site, s, "/Login", body)
    assert r.status_code == 400
    assert ANTIFORGERY_MESSAGE not in r.text


def test_exactly_1000_fields_is_accepted(site):
    s = site.session()
    tok = site.form_token(s, "/Login")
    body = f"__RequestVerificationToken={tok}&Email=a%40example.com&Password=x&" + "&".join(f"f{i}=1" for i in range(997))
    assert body.count("=") == 1000
    r = raw_post(site, s, "/Login", body)
    assert r.status_code == 422


def test_nul_and_control_characters_in_names_and_addresses_are_refused(site):
    # CONTRACT §3: names have no control characters (422 with the form); IsEmailAvailable answers
    # a JSON string saying why an address is not usable.
    s = site.session()
    email = fresh_email()
    r = site.post_form(s, "/Register", register_fields(email, FirstName="a\x00b", LastName="\x1b[31m"))
    assert r.status_code == 422
    assert "control characters" in r.text
    assert site.user_row(email) is None
    r = requests.get(site.url("/IsEmailAvailable"), params={"Email": "a\x00@example.com"})
    assert r.status_code == 200
    assert r.json() == "The Email field is not a valid e-mail address."


# ----- SQL metacharacters -------------------------------------------------------------------------

SQL_VALUES = ["' OR 1=1 --", '"; DROP TABLE AspNetUsers; --', "\\", "%", "_", "Robert'); DELETE FROM AspNetUsers;--"]


@pytest.mark.parametrize("value", SQL_VALUES)
def test_sql_metacharacters_in_names_are_stored_verbatim(site, value):
    email = fresh_email()
    before = site.user_count()
    r = site.post_form(site.session(), "/Register", register_fields(email, FirstName=value, LastName=value))
    assert r.status_code == 303
    row = site.user_row(email)
    assert row["FirstName"] == value and row["LastName"] == value
    assert site.user_count() == before + 1


@pytest.mark.parametrize("value", SQL_VALUES)
def test_sql_metacharacters_in_email_phone_password_are_clean(site, value):
    before = site.user_count()
    r = site.post_form(site.session(), "/Register", register_fields(value, PhoneNumber=value))
    assert r.status_code == 422
    assert site.user_count() == before
    # Not "user.…": the password may not contain a word of the address, and "AspNetUsers" does.
    email = fresh_email("sql")
    password = "long passphrase " + value
    r = site.post_form(site.session(), "/Register", register_fields(email, Password=password, ConfirmPassword=password))
    assert r.status_code == 303
    requests.get(site.confirm_link(email))
    assert site.login(site.session(), email, password).status_code == 303
    r = requests.get(site.url("/IsEmailAvailable"), params={"Email": value})
    assert r.status_code == 200 and isinstance(r.json(), str)
    assert site.login(site.session(), value, value).status_code == 422


def test_sql_like_wildcards_in_email_match_nothing_else(site):
    email = site.new_user()
    local, domain = email.split("@")
    lookalike = f"{local[:-1]}_@{domain}"
    assert requests.get(site.url("/IsEmailAvailable"), params={"Email": lookalike}).json() is True
    for pattern in [f"%@{domain}", lookalike, "%", f"{local}%"]:
        assert site.login(site.session(), pattern).status_code == 422, pattern


def test_quote_in_a_valid_address(site):
    email = "o'brien." + fresh_email()
    r = site.register(email=email)
    assert r.status_code == 303
    assert site.user_row(email)["Email"] == email
    requests.get(site.confirm_link(email))
    assert site.login(site.session(), email).status_code == 303


# ----- races --------------------------------------------------------------------------------------

def test_twenty_parallel_registrations_of_one_address_make_one_account(site):
    email = fresh_email("race")
    prepared = []
    for _ in range(20):
        s = site.session()
        prepared.append((s, site.form_token(s, "/Register")))

    def attempt(i: int) -> int:
        s, tok = prepared[i]
        fields = {"__RequestVerificationToken": tok, **register_fields(email, FirstName=f"Racer{i}")}
        return s.post(site.url("/Register"), data=fields, allow_redirects=False, timeout=60).status_code

    codes = run_threads(20, attempt)
    assert all(isinstance(c, int) for c in codes), codes
    assert sorted(codes) == [303] + [422] * 19, codes
    with site.db() as conn:
        assert conn.execute("SELECT COUNT(*) FROM AspNetUsers WHERE NormalizedEmail = ?", (email.upper(),)).fetchone()[0] == 1
    assert len(site.emails(email)) == 1


def test_random_garbage_never_gives_500(site):
    rng = random.Random(1234)
    s = site.session()
    tok = site.form_token(s, "/Register")
    alphabet = string.printable + "%&=+éλ\u2028"
    for _ in range(60):
        body = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 300)))
        if rng.random() < 0.5:
            body = f"__RequestVerificationToken={tok}&" + body
        route = rng.choice(["/Register", "/Login", "/ResendConfirmationEmail", "/Logout"])
        r = raw_post(site, s, route, body.encode())
        assert r.status_code in (303, 400, 422), (route, body, r.status_code)
    assert requests.get(site.url("/Login")).status_code == 200




def test_parallel_wrong_passwords_are_all_counted(make_site):
    s = make_site({"lockout.max_failures": "100", "server.workers": "4"}, workers=4)
    email = s.new_user()
    prepared = []
    for _ in range(20):
        session = s.session()
        prepared.append((session, s.form_token(session, "/Login")))

    def attempt(i: int) -> int:
        session, tok = prepared[i]
        return session.post(s.url("/Login"), allow_redirects=False, timeout=60, data={
            "__RequestVerificationToken": tok, "Email": email, "Password": f"wrong password {i}"}).status_code

    assert run_threads(20, attempt) == [422] * 20
    assert s.user_row(email)["AccessFailedCount"] == 20


def test_parallel_resends_obey_the_hourly_email_limit(make_site):
    s = make_site({"email.max_per_hour": "3", "server.workers": "4"}, workers=4)
    email = s.new_user(confirmed=False)
    prepared = []
    for _ in range(10):
        session = s.session()
        prepared.append((session, s.form_token(session, "/Login")))

    def resend(i: int) -> int:
        session, tok = prepared[i]
        return session.post(s.url("/ResendConfirmationEmail"), allow_redirects=False, timeout=60,
                            data={"__RequestVerificationToken": tok, "Email": email}).status_code

    assert run_threads(10, resend) == [303] * 10
    assert len(s.emails(email)) == 3


def test_parallel_lookups_obey_the_per_address_limit(make_site):
    s = make_site({"email.lookups_per_ip_per_hour": "5", "server.workers": "4"}, workers=4)
    codes = run_threads(20, lambda i: requests.get(s.url("/IsEmailAvailable"), params={"Email": fresh_email()}, timeout=60).status_code)
    assert sorted(codes) == [200] * 5 + [429] * 15
