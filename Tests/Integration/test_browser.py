"""The whole flow in a real browser: headless Chromium driven over WebDriver (plain HTTP, no
selenium). Screenshots of the Register and Manage pages go to Tests/Integration/screenshots/."""
import base64
import json
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest
import requests

from harness import DEFAULT_PASSWORD, fresh_email, free_port

SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
CHROMEDRIVER = shutil.which("chromedriver")
ELEMENT = "element-6066-11e4-a52e-4f735466cecf"

pytestmark = pytest.mark.skipif(not (CHROMIUM and CHROMEDRIVER), reason="chromium and chromium-driver are not installed")


class Browser:
    """The few WebDriver commands the flow needs."""

    def __init__(self, javascript: bool = True):
        self.port = free_port()
        self.driver = subprocess.Popen([CHROMEDRIVER, f"--port={self.port}"], stdout=subprocess.DEVNULL,
                                       stderr=subprocess.DEVNULL, start_new_session=True)
        self.base = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 20
        while True:
            try:
                if requests.get(self.base + "/status", timeout=2).json()["value"]["ready"]:
                    break
            except (requests.RequestException, ValueError, KeyError):
                pass
            if time.monotonic() > deadline or self.driver.poll() is not None:
                raise RuntimeError("chromedriver did not start")
            time.sleep(0.1)
        caps = {"capabilities": {"alwaysMatch": {"browserName": "chrome", "goog:chromeOptions": {
            "binary": CHROMIUM,
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=1100,1400", "--no-first-run", "--password-store=basic"],
        }}}}
        if not javascript:
            options = caps["capabilities"]["alwaysMatch"]["goog:chromeOptions"]
            options["prefs"] = {"profile.managed_default_content_settings.javascript": 2}
        answer = requests.post(self.base + "/session", json=caps, timeout=60).json()
        if "sessionId" not in answer.get("value", {}):
            self.quit()
            raise RuntimeError(f"no WebDriver session: {answer}")
        self.session = f"{self.base}/session/{answer['value']['sessionId']}"

    def call(self, method: str, path: str, payload=None):
        r = requests.request(method, self.session + path, json=payload, timeout=60)
        value = r.json().get("value")
        if r.status_code != 200:
            raise RuntimeError(f"{method} {path}: {value}")
        return value

    def open(self, url: str) -> None:
        self.call("POST", "/url", {"url": url})

    @property
    def url(self) -> str:
        return self.call("GET", "/url")

    @property
    def source(self) -> str:
        return self.call("GET", "/source")

    def find(self, css: str) -> str:
        return self.call("POST", "/element", {"using": "css selector", "value": css})[ELEMENT]

    def type(self, css: str, text: str) -> None:
        element = self.find(css)
        self.call("POST", f"/element/{element}/clear", {})
        self.call("POST", f"/element/{element}/value", {"text": text})

    def click(self, css: str) -> None:
        self.call("POST", f"/element/{self.find(css)}/click", {})

    def text(self, css: str) -> str:
        return self.call("GET", f"/element/{self.find(css)}/text")

    def wait_for_path(self, path: str, timeout: float = 10) -> None:
        deadline = time.monotonic() + timeout
        while not self.url.split("?", 1)[0].endswith(path):
            if time.monotonic() > deadline:
                raise AssertionError(f"still at {self.url}, expected {path}")
            time.sleep(0.1)

    def screenshot(self, name: str) -> Path:
        SCREENSHOTS.mkdir(exist_ok=True)
        path = SCREENSHOTS / name
        path.write_bytes(base64.b64decode(self.call("GET", "/screenshot")))
        return path

    def console_errors(self) -> list:
        try:
            # A CSP violation or a broken stylesheet shows here; the favicon is the site's business.
            return [e for e in self.call("POST", "/se/log", {"type": "browser"})
                    if e.get("level") == "SEVERE" and "favicon.ico" not in e.get("message", "")]
        except RuntimeError:
            return []

    def quit(self) -> None:
        try:
            if hasattr(self, "session"):
                requests.delete(self.session, timeout=10)
        except requests.RequestException:
            pass
        self.driver.terminate()
        try:
            self.driver.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.driver.kill()
            self.driver.wait()


@pytest.fixture
def browser():
    b = Browser()
    try:
        yield b
    finally:
        b.quit()


def is_png(path: Path) -> bool:
    return path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and path.stat().st_size > 5000


def test_register_confirm_sign_in_change_password_sign_out(site, browser):
    email = fresh_email("browser")
    password = "violet umbrella typed slowly"
    new_password = "second violet umbrella, typed again"

    browser.open(site.url("/Register"))
    assert "Register" in browser.text("h1")
    browser.type("#FirstName", "Grace")
    browser.type("#LastName", "Hopper")
    browser.type("#Email", email)
    browser.type("#PhoneNumber", "(201) 555-0123")
    browser.type("#Password", password)
    browser.type("#ConfirmPassword", password)
    assert is_png(browser.screenshot("register.png"))
    browser.click("form[action='/Account/Register'] button[type=submit]")
    browser.wait_for_path("/Account/RegistrationSuccessful")
    assert "Registration successful" in browser.text("h1")

    browser.open(site.confirm_link(email))
    assert "Thank you for confirming" in browser.text("h1")
    assert site.user_row(email)["EmailConfirmed"] == 1

    browser.open(site.url("/Login"))
    browser.type("#Email", email.upper())
    browser.type("#Password", password)
    browser.click("#RememberMe")
    browser.click("form[action='/Account/Login'] button[type=submit]")
    browser.wait_for_path("/Account/Manage")
    account = browser.text("dl.account")
    assert "Grace Hopper" in account and email in account and "+12015550123" in account
    assert "Hello Grace!" in browser.text("header nav")
    assert is_png(browser.screenshot("manage.png"))

    browser.open(site.url("/ChangePassword"))
    browser.type("#CurrentPassword", password)
    browser.type("#NewPassword", new_password)
    browser.type("#ConfirmPassword", new_password)
    browser.click("form[action='/Account/ChangePassword'] button[type=submit]")
    browser.wait_for_path("/Account/Manage")
    assert "password has been changed" in browser.text("main").lower()

    browser.click("header form[action='/Account/Logout'] button")
    browser.wait_for_path("/Account/Login")
    # Sign-out answers with Clear-Site-Data: "cookies", which Chromium applies after storing the
    # answer's own cookies, so the "signed out" flash does not survive in it; the form is shown.
    assert browser.text("main")
    browser.open(site.url("/Manage"))
    browser.wait_for_path("/Account/Login")
    assert site.login(site.session(), email, password).status_code == 422
    assert site.login(site.session(), email, new_password).status_code == 303
    assert browser.console_errors() == []


def test_register_errors_in_the_browser(site, browser):
    browser.open(site.url("/Register"))
    browser.type("#FirstName", "Grace")
    browser.type("#Email", "not-an-address")
    browser.type("#Password", "short")
    browser.type("#ConfirmPassword", "different")
    browser.click("form[action='/Account/Register'] button[type=submit]")
    time.sleep(0.3)
    source = browser.source
    assert "field-error" in source
    assert 'value="Grace"' in source or "Grace" in browser.call("GET", f"/element/{browser.find('#FirstName')}/property/value")
    assert browser.call("GET", f"/element/{browser.find('#Password')}/property/value") == ""
    assert is_png(browser.screenshot("register-errors.png"))


def test_verify_phone_number_in_the_browser(site, browser):
    """The heart of Countersign as a person sees it: the account menu's Verify Phone Number, the
    pre-filled number, the code form with one-time-code autofill hints, a wrong code, the right one."""
    email = site.new_user(first="Katherine", phone="(201) 555-0142")
    browser.open(site.url("/Login"))
    browser.type("#Email", email)
    browser.type("#Password", DEFAULT_PASSWORD)
    browser.click("form[action='/Account/Login'] button[type=submit]")
    browser.wait_for_path("/Account/Manage")

    browser.click("header nav a[href='/Account/ConfirmPhoneNumber']")
    browser.wait_for_path("/Account/ConfirmPhoneNumber")
    number_field = browser.find("#PhoneNumber")
    assert browser.call("GET", f"/element/{number_field}/property/value") == "+12015550142"
    browser.click("form[action='/Account/SendPhoneVerificationCode'] button[type=submit]")
    browser.wait_for_path("/Account/VerifyPhoneNumber")
    main = browser.text("main")
    assert "A verification code has been sent" in main
    assert "0142" in main and "+12015550142" not in main, "the number is shown partly masked"
    code_field = browser.find("#Token")
    assert browser.call("GET", f"/element/{code_field}/attribute/autocomplete") == "one-time-code"
    assert browser.call("GET", f"/element/{code_field}/attribute/inputmode") == "numeric"
    assert is_png(browser.screenshot("verify-phone-number.png"))

    sms = [json.loads(line) for line in site.sms_path.read_text().splitlines() if json.loads(line)["to"] == "+12015550142"][-1]
    code = re.search(r"#(\d{6})$", sms["body"]).group(1)
    wrong = "000000" if code != "000000" else "111111"
    browser.type("#Token", wrong)
    browser.click("form[action='/Account/VerifyPhoneNumber'] button[type=submit]")
    time.sleep(0.3)
    assert "Either the token has expired or you entered an invalid token." in browser.text("main")

    browser.type("#Token", code)
    browser.click("form[action='/Account/VerifyPhoneNumber'] button[type=submit]")
    browser.wait_for_path("/Account/PhoneVerificationSuccessful")
    assert "verified" in browser.text("h1").lower()
    browser.open(site.url("/Manage"))
    assert "not verified" not in browser.text("dl.account")
    assert site.user_row(email)["PhoneNumberConfirmed"] == 1
    # The wrong code's page is a 422 on purpose; Chromium logs every 4xx page load as an error.
    assert [e for e in browser.console_errors() if "status of 422" not in e["message"]] == []
