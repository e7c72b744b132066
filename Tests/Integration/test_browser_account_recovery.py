"""Issue 7 in headless Chromium, by clicking and typing: turn two-factor on, sign out, sign in
with password and SMS code, sign out, sign in with a recovery code, forgot password by email —
with JavaScript and without. The JavaScript run saves a screenshot of every new page at desktop
and phone width in Tests/Integration/screenshots/account-recovery/ (ignored by git)."""
import re
import time

import pytest

from account_recovery_support import RECOVERY_RE, reset_link
from fake_providers import REGISTERED_E164, code_in, last_sms, phone_config
from harness import DEFAULT_PASSWORD
from test_browser import CHROMEDRIVER, CHROMIUM, SCREENSHOTS, Browser, is_png

pytestmark = pytest.mark.skipif(not (CHROMIUM and CHROMEDRIVER), reason="chromium and chromium-driver are not installed")

FOLDER = "account-recovery"
DESKTOP = (1100, 1400)
PHONE = (390, 1400)


class Journey:
    """One person's way through the pages, with screenshots when `shots` is set."""

    def __init__(self, site, browser: Browser, shots: bool):
        self.site, self.b, self.shots = site, browser, shots
        self.taken: list = []

    def shot(self, name: str) -> None:
        if not self.shots:
            return
        (SCREENSHOTS / FOLDER).mkdir(parents=True, exist_ok=True)
        for label, (width, height) in (("desktop", DESKTOP), ("phone", PHONE)):
            self.b.call("POST", "/window/rect", {"width": width, "height": height})
            path = self.b.screenshot(f"{FOLDER}/{name}-{label}.png")
            assert is_png(path), path
            self.taken.append(path)
        self.b.call("POST", "/window/rect", {"width": DESKTOP[0], "height": DESKTOP[1]})

    def submit(self, action: str) -> None:
        self.b.click(f"form[action='/Account/{action}'] button[type=submit]")

    def attribute(self, css: str, name: str):
        return self.b.call("GET", f"/element/{self.b.find(css)}/attribute/{name}")

    def main(self) -> str:
        return self.b.text("main")

    def wait_for_text(self, text: str, timeout: float = 10) -> None:
        deadline = time.monotonic() + timeout
        while text not in self.b.source:
            assert time.monotonic() < deadline, f"{text!r} never appeared at {self.b.url}"
            time.sleep(0.1)

    def log_in(self, email: str, password: str = DEFAULT_PASSWORD) -> None:
        self.b.open(self.site.url("/Login"))
        self.b.type("#Email", email)
        self.b.type("#Password", password)
        self.submit("Login")

    def log_out(self) -> None:
        self.b.click("header form[action='/Account/Logout'] button")
        self.b.wait_for_path("/Account/Login")

    def sms_code(self) -> str:
        return code_in(last_sms(self.site, REGISTERED_E164)["body"])


def run_journey(site, browser: Browser, shots: bool) -> Journey:
    j, b = Journey(site, browser, shots), browser
    email = site.new_user(first="Margaret")

    # Verify the phone from the navigation.
    j.log_in(email)
    b.wait_for_path("/Account/Manage")
    b.click("header nav a[href='/Account/ConfirmPhoneNumber']")
    b.wait_for_path("/Account/ConfirmPhoneNumber")
    j.submit("SendPhoneVerificationCode")
    b.wait_for_path("/Account/VerifyPhoneNumber")
    b.type("#Token", j.sms_code())
    j.submit("VerifyPhoneNumber")
    b.wait_for_path("/Account/PhoneVerificationSuccessful")

    # Two-factor on, from Manage.
    b.open(site.url("/Manage"))
    b.click("main a[href='/Account/TwoFactorAuthentication']")
    b.wait_for_path("/Account/TwoFactorAuthentication")
    assert "Only your password protects your account" in j.main()
    j.shot("two-factor-off")
    j.submit("EnableTwoFactor")
    j.wait_for_text("shown only once")
    codes = RECOVERY_RE.findall(b.source)
    assert len(codes) == 10
    j.shot("recovery-codes")
    b.click("main a[href='/Account/TwoFactorAuthentication']")
    b.wait_for_path("/Account/TwoFactorAuthentication")
    assert "Recovery codes left: 10" in j.main()
    j.shot("two-factor-on")
    j.log_out()

    # Password, then a wrong code, then the right one.
    j.log_in(email)
    b.wait_for_path("/Account/LoginWith2fa")
    assert j.attribute("#TwoFactorCode", "autocomplete") == "one-time-code"
    j.shot("login-with-2fa")
    code = j.sms_code()
    b.type("#TwoFactorCode", "000000" if code != "000000" else "111111")
    j.submit("LoginWith2fa")
    j.wait_for_text("Invalid authenticator code.")
    assert j.attribute("#TwoFactorCode", "aria-describedby") == "TwoFactorCode-error"
    if shots:  # the summary takes the focus (autofocus needs no script of ours, but the check does)
        active = b.call("GET", "/element/active")
        assert "error-summary" in b.call("GET", f"/element/{active[next(iter(active))]}/attribute/class")
    j.shot("login-with-2fa-error")
    b.type("#TwoFactorCode", code)
    j.submit("LoginWith2fa")
    b.wait_for_path("/Account/Manage")
    assert "Two-factor sign-in" in b.text("dl.account")
    j.log_out()

    # Password, then a recovery code.
    j.log_in(email)
    b.wait_for_path("/Account/LoginWith2fa")
    b.click("main a[href^='/Account/LoginWithRecoveryCode']")
    b.wait_for_path("/Account/LoginWithRecoveryCode")
    j.shot("login-with-recovery-code")
    b.type("#RecoveryCode", codes[0].lower())
    j.submit("LoginWithRecoveryCode")
    b.wait_for_path("/Account/Manage")
    b.click("header nav a[href='/Account/PersonalData']")
    b.wait_for_path("/Account/PersonalData")
    assert email in j.main()
    j.shot("personal-data")
    b.open(site.url("/ConfirmPhoneNumber"))
    j.shot("confirm-phone-number-verified")
    j.log_out()

    # Forgot password by email; two-factor is on, so the link page asks for a code too.
    b.click("main a[href='/Account/ForgotPassword']")
    b.wait_for_path("/Account/ForgotPassword")
    j.shot("forgot-password")
    b.type("#Email", email)
    j.submit("ForgotPassword")
    b.wait_for_path("/Account/ForgotPasswordConfirmation")
    assert "Check your inbox" in b.text("h1")
    j.shot("forgot-password-confirmation")
    b.open(reset_link(site, email))
    assert "Two-factor sign-in is on" in j.main()
    j.shot("reset-password")
    new_password = "a completely new passphrase 7"
    b.type("#Code", codes[1])
    b.type("#NewPassword", new_password)
    b.type("#ConfirmPassword", new_password)
    j.submit("ResetPassword")
    b.wait_for_path("/Account/ResetPasswordConfirmation")
    j.shot("reset-password-confirmation")
    b.click("main a[href='/Account/Login']")
    j.log_in(email, new_password)
    b.wait_for_path("/Account/LoginWith2fa")
    b.type("#TwoFactorCode", j.sms_code())
    j.submit("LoginWith2fa")
    b.wait_for_path("/Account/Manage")

    # The SMS path of a forgotten password (its pages only; this account needs the link too).
    j.log_out()
    b.open(site.url("/ForgotPassword"))
    b.type("#Email", email)
    b.click("#MethodSms")
    j.submit("ForgotPassword")
    b.wait_for_path("/Account/ForgotPasswordConfirmation")
    assert j.attribute("#Code", "autocomplete") == "one-time-code"
    j.shot("forgot-password-sms-code")
    b.open(site.url("/ResetPassword?UserId=nobody&Token=nothing"))
    j.shot("reset-password-invalid-link")
    return j


@pytest.fixture
def rsite(make_site):
    return make_site(phone_config())


def test_two_factor_and_recovery_journey_with_javascript(rsite):
    b = Browser()
    try:
        journey = run_journey(rsite, b, shots=True)
        assert len(journey.taken) >= 28
        assert [e for e in b.console_errors() if "status of 422" not in e["message"] and "status of 400" not in e["message"]] == []
    finally:
        b.quit()


def test_the_same_journey_without_javascript(rsite):
    b = Browser(javascript=False)
    try:
        run_journey(rsite, b, shots=False)
    finally:
        b.quit()
