"""Helpers for the two-factor, password-reset and personal-data tests through nginx."""
import re

from fake_providers import REGISTERED_E164, code_in, enter_code, last_sms, phone_user, send_code, sms_outbox
from harness import ANTIFORGERY_FIELD, DEFAULT_PASSWORD, LINK_RE, Site, token

RECOVERY_RE = re.compile(r"<code>([A-Z2-7]{5}-[A-Z2-7]{5})</code>")
NEW_PASSWORD = "a brand new passphrase 42"


def verified_user(site: Site):
    """Signed in with the registered number verified: (session, email)."""
    s, email = phone_user(site)
    r = send_code(site, s, REGISTERED_E164)
    assert r.status_code == 303, r.text[:1000]
    r = enter_code(site, s, code_in(last_sms(site, REGISTERED_E164)["body"]))
    assert r.status_code == 303, r.text[:1000]
    return s, email


def enable_two_factor(site: Site, s) -> list[str]:
    r = site.post_form(s, "/EnableTwoFactor", {}, token_from="/TwoFactorAuthentication")
    assert r.status_code == 200, (r.status_code, r.text[:1000])
    codes = RECOVERY_RE.findall(r.text)
    assert codes, r.text[:2000]
    return codes


def two_factor_user(site: Site):
    """Two-factor on, signed out: (session, email, recovery codes)."""
    s, email = verified_user(site)
    codes = enable_two_factor(site, s)
    assert site.logout(s).status_code == 303
    return s, email, codes


def sign_in_code(site: Site) -> str:
    return code_in(last_sms(site, REGISTERED_E164)["body"])


def post_code(site: Site, s, code: str, remember: bool = False):
    fields = [("TwoFactorCode", code)]
    if remember:
        fields.append(("RememberMachine", "true"))
    fields.append(("RememberMachine", "false"))
    return site.post_form(s, "/LoginWith2fa", fields)


def post_recovery(site: Site, s, code: str):
    return site.post_form(s, "/LoginWithRecoveryCode", {"RecoveryCode": code})


def signed_in(site: Site, s) -> bool:
    return s.get(site.url("/Auth"), allow_redirects=False).status_code == 200


def reset_link(site: Site, email: str) -> str:
    mails = [m for m in site.emails(email) if m["subject"].startswith("Reset your password")]
    assert mails, f"no reset email to {email}"
    links = [l for l in LINK_RE.findall(mails[-1]["text"]) if "/ResetPassword?" in l]
    assert links, mails[-1]["text"]
    return links[-1]


def form_fields(html: str, action: str) -> list[tuple[str, str]]:
    """The hidden fields of the form posting to `action` (antiforgery included)."""
    form = html.split(f'action="{action}"', 1)[1].split("</form>", 1)[0]
    return re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form)


def forgot(site: Site, s, email: str, method: str = "email"):
    return site.post_form(s, "/ForgotPassword", {"Email": email, "Method": method})


def reset_with_link(site: Site, s, link: str, extra: dict | None = None, password: str = NEW_PASSWORD):
    """Opens the link and posts its form; returns (GET response, POST response or None)."""
    page = s.get(link, allow_redirects=False)
    if page.status_code != 200:
        return page, None
    fields = form_fields(page.text, "/Account/ResetPassword")
    fields += [("NewPassword", password), ("ConfirmPassword", password)] + list((extra or {}).items())
    return page, s.post(site.url("/ResetPassword"), data=fields, allow_redirects=False)


def notices(site: Site, email: str, words: str) -> list[dict]:
    return [m for m in site.emails(email) if words in m["subject"]]
