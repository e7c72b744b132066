"""GET /ConfirmEmail and POST /ResendConfirmationEmail."""
import time
from urllib.parse import parse_qs, urlencode, urlparse

import pytest
import requests

from harness import fresh_email


def link_parts(link: str) -> tuple[str, str]:
    query = parse_qs(urlparse(link).query)
    return query["UserId"][0], query["Token"][0]


def test_confirm_email_sets_email_confirmed(site):
    email = site.new_user(confirmed=False)
    assert site.user_row(email)["EmailConfirmed"] == 0
    r = requests.get(site.confirm_link(email), allow_redirects=False)
    assert r.status_code == 200
    assert "Thank you for confirming" in r.text
    assert site.user_row(email)["EmailConfirmed"] == 1


def test_confirming_twice_is_harmless(site):
    email = site.new_user(confirmed=False)
    link = site.confirm_link(email)
    first = requests.get(link)
    second = requests.get(link)
    assert first.status_code == 200 and second.status_code == 200
    assert "Thank you for confirming" in second.text
    assert site.user_row(email)["EmailConfirmed"] == 1
    r = site.login(site.session(), email)
    assert r.status_code == 303


def tampered(value: str) -> str:
    middle = len(value) // 2
    return value[:middle] + ("A" if value[middle] != "A" else "B") + value[middle + 1:]


@pytest.mark.parametrize("variant", ["tampered-token", "garbage-token", "empty-token", "no-token", "other-user", "unknown-user", "nothing"])
def test_bad_confirmation_links_are_400_with_a_resend_form(site, variant):
    email = site.new_user(confirmed=False)
    other = site.new_user(confirmed=False)
    user_id, tok = link_parts(site.confirm_link(email))
    other_id, _ = link_parts(site.confirm_link(other))
    query = {
        "tampered-token": {"UserId": user_id, "Token": tampered(tok)},
        "garbage-token": {"UserId": user_id, "Token": "%%not-base64%%"},
        "empty-token": {"UserId": user_id, "Token": ""},
        "no-token": {"UserId": user_id},
        "other-user": {"UserId": other_id, "Token": tok},
        "unknown-user": {"UserId": "00000000-0000-0000-0000-000000000000", "Token": tok},
        "nothing": {},
    }[variant]
    r = requests.get(site.url("/ConfirmEmail") + "?" + urlencode(query))
    assert r.status_code == 400
    assert 'action="/Account/ResendConfirmationEmail"' in r.text
    assert site.user_row(email)["EmailConfirmed"] == 0
    assert site.user_row(other)["EmailConfirmed"] == 0


def test_link_dies_with_the_security_stamp(site):
    email = site.new_user(confirmed=False)
    link = site.confirm_link(email)
    with site.db() as conn:
        conn.execute("UPDATE AspNetUsers SET SecurityStamp = 'CHANGEDSTAMPCHANGEDSTAMPCHANGEDS' WHERE NormalizedEmail = ?", (email.upper(),))
    r = requests.get(link)
    assert r.status_code == 400
    assert site.user_row(email)["EmailConfirmed"] == 0


def test_link_is_bound_to_the_address(site):
    email = site.new_user(confirmed=False)
    link = site.confirm_link(email)
    changed = "changed." + email
    with site.db() as conn:
        conn.execute("UPDATE AspNetUsers SET Email = ?, NormalizedEmail = ?, UserName = ?, NormalizedUserName = ? WHERE NormalizedEmail = ?",
                     (changed, changed.upper(), changed, changed.upper(), email.upper()))
    r = requests.get(link)
    assert r.status_code == 400
    assert site.user_row(changed)["EmailConfirmed"] == 0


def test_expired_link_is_400_and_says_so(make_site):
    s = make_site({"email.confirm_lifetime": "1s"})
    email = s.new_user(confirmed=False)
    link = s.confirm_link(email)
    time.sleep(2.2)
    r = requests.get(link)
    assert r.status_code == 400
    assert "expired" in r.text.lower()
    assert s.user_row(email)["EmailConfirmed"] == 0


# ----- ResendConfirmationEmail --------------------------------------------------------------------

def resend(site, email: str) -> requests.Response:
    s = site.session()
    r = site.post_form(s, "/ResendConfirmationEmail", {"Email": email}, token_from="/Login")
    r.follow = s.get(site.base + r.headers["Location"]) if r.status_code == 303 else None
    return r


def test_resend_sends_a_new_working_link(site):
    email = site.new_user(confirmed=False)
    r = resend(site, email.upper())
    assert r.status_code == 303
    assert r.headers["Location"] == "/Account/Login"
    assert len(site.emails(email)) == 2
    new_link = site.confirm_link(email)
    assert requests.get(new_link).status_code == 200
    assert site.user_row(email)["EmailConfirmed"] == 1


def test_resend_answers_the_same_for_an_unknown_address(site):
    known = site.new_user(confirmed=False)
    unknown = fresh_email("ghost")
    a = resend(site, known)
    b = resend(site, unknown)
    assert (a.status_code, a.headers.get("Location")) == (b.status_code, b.headers.get("Location"))
    assert a.follow.status_code == b.follow.status_code == 200
    flash_a = a.follow.text.split('class="flash', 1)[1].split("</p>", 1)[0]
    flash_b = b.follow.text.split('class="flash', 1)[1].split("</p>", 1)[0]
    assert flash_a == flash_b
    assert site.emails(unknown) == []


def test_resend_for_a_confirmed_address_sends_nothing(site):
    email = site.new_user(confirmed=True)
    count = len(site.emails(email))
    r = resend(site, email)
    assert r.status_code == 303
    assert len(site.emails(email)) == count


def test_flash_is_shown_once(site):
    s = site.session()
    r = site.post_form(s, "/ResendConfirmationEmail", {"Email": fresh_email()}, token_from="/Login")
    assert r.status_code == 303
    first = s.get(site.url("/Login"))
    second = s.get(site.url("/Login"))
    assert 'class="flash' in first.text
    assert 'class="flash' not in second.text


def test_email_max_per_hour(make_site):
    s = make_site({"email.max_per_hour": "2"})
    email = s.new_user(confirmed=False)
    assert len(s.emails(email)) == 1
    answers = [resend(s, email) for _ in range(3)]
    assert [a.status_code for a in answers] == [303, 303, 303]
    assert len(s.emails(email)) == 2
