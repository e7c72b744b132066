"""`sms.provider = http` with the README's recipes, each against a fake of its gateway that checks
the request as the gateway documents it (fake_gateways.py): through `countersign send-test-sms`,
`check-config`, and the phone pages behind nginx with failover to the next provider.

The recipes are read out of README.md, so the text a site owner copies is the text tested."""
import os
import re
import subprocess
from pathlib import Path

import pytest

import gateway_apis as apis
from fake_gateways import FakeGateway
from fake_providers import code_in, enter_code, fresh_us_number, last_sms, phone_config, phone_user, send_code
from harness import DEFAULT_PASSWORD, REPO, SECRET, binary_path, render_config

RECIPE = re.compile(r"<!-- http-sms-recipe: (\w+) -->\n```ini\n(.*?)```", re.S)
REQUIRED = {"plivo", "sinch", "telnyx", "bird", "messagebird", "clicksend"}
TEST_TEXT = "This is a test message from Countersign. Text messages from this installation work."
NUMBER = "+12015550123"


def readme_recipes() -> dict[str, str]:
    return dict(RECIPE.findall((REPO / "README.md").read_text()))


def recipe_keys(text: str) -> dict[str, str]:
    """INI text → {"section.key": raw value}, as the config parser will see it."""
    keys, section = {}, None
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith((";", "#")):
            continue
        if line.startswith("["):
            section = line.strip("[]")
            continue
        key, _, value = line.partition("=")
        keys[f"{section}.{key.strip()}"] = value.strip()
    return keys


def pointed_at(name: str, keys: dict[str, str], gateway: FakeGateway) -> dict[str, str]:
    """The recipe with the gateway's documented https host replaced by the local fake."""
    origin = f"https://{apis.HOSTS[name]}/"
    assert keys["http_sms.url"].startswith(origin), f"{name}: the recipe's URL is not on {origin}"
    return {**keys, "http_sms.url": gateway.url + "/" + keys["http_sms.url"][len(origin):]}


def write_config(tmp_path: Path, keys: dict[str, str]) -> Path:
    values = {
        "server.base_url": "http://127.0.0.1:8080",
        "storage.path": str(tmp_path / "countersign.db"),
        "cookies.secret": SECRET,
        "cookies.secure": "false",
        **keys,
    }
    path = tmp_path / "countersign.conf"
    path.write_text(render_config(values))
    return path


def run(*args, env: dict[str, str]):
    environment = {k: v for k, v in os.environ.items() if k != "COUNTERSIGN_CONFIG"}
    environment.update(env)
    return subprocess.run([str(binary_path()), *args], env=environment, capture_output=True, timeout=60,
                          stdin=subprocess.DEVNULL)


def secrets_of(name: str) -> list[str]:
    return [value for key, value in apis.ENVIRONMENT[name].items() if "ID" not in key]


def test_the_readme_has_the_recipes():
    recipes = readme_recipes()
    assert REQUIRED <= set(recipes), sorted(recipes)
    for name, text in recipes.items():
        assert name in apis.SPECS, f"recipe {name} has no fake gateway to test it against"
        assert recipe_keys(text)["sms.provider"] == "http"


@pytest.mark.parametrize("name", sorted(REQUIRED))
def test_recipe_sends_what_the_gateway_documents(tmp_path, name):
    keys = recipe_keys(readme_recipes()[name])
    with FakeGateway(name) as gateway:
        path = write_config(tmp_path, pointed_at(name, keys, gateway))
        result = run("send-test-sms", "--config", str(path), NUMBER, env=apis.ENVIRONMENT[name])
        output = (result.stdout + result.stderr).decode()
        assert result.returncode == 0, output
        assert gateway.failures == []
        assert len(gateway.requests) == 1
        message = gateway.last_message()
        assert message["to"] == NUMBER
        assert message["text"] == TEST_TEXT
        if "http_sms.from" in keys:
            assert message["from"] == keys["http_sms.from"]
        assert "through http" in output
        for secret in secrets_of(name):
            assert secret not in output


@pytest.mark.parametrize("name", sorted(REQUIRED))
def test_recipe_passes_check_config(tmp_path, name):
    path = write_config(tmp_path, recipe_keys(readme_recipes()[name]))
    result = run("check-config", "--config", str(path), env=apis.ENVIRONMENT[name])
    assert result.returncode == 0, result.stderr.decode()
    assert result.stderr.decode() == ""


def test_recipe_without_its_secret_is_a_config_error(tmp_path):
    path = write_config(tmp_path, recipe_keys(readme_recipes()["telnyx"]))
    result = run("check-config", "--config", str(path), env={})
    assert result.returncode == 2
    assert re.search(rf"^{re.escape(str(path))}:\d+: http_sms.headers: environment variable TELNYX_API_KEY is not set$",
                     result.stderr.decode(), re.M), result.stderr.decode()


@pytest.mark.parametrize("line,message", [
    ('body = {"to":"{to}","text":"{text}","code":"{code}"}',
     "http_sms.body: unknown placeholder {code}; the placeholders are {to}, {to_digits}, {text}, {from}"),
    ('body = {"to":"{to}","text":{text}}', "http_sms.body: is not valid JSON once filled with sample values"),
    ("headers = Authorization Bearer sk_live_0123456789", "http_sms.headers: line 1 is not `Name: value`"),
    ("method = PATCH", 'http_sms.method must be one of POST, GET, got "PATCH"'),
    ("content_type = text/plain", "http_sms.content_type must be one of application/json, application/x-www-form-urlencoded"),
    ("accept_status = 200-99", "http_sms.accept_status: must be HTTP statuses from 100 to 599"),
    ("url = http://sms.example.com/send", "http_sms.url: must be an https:// URL"),
])
def test_check_config_reports_the_line_to_blame(tmp_path, line, message):
    keys = {"sms.provider": "http", "http_sms.timeout": "5s"}
    if not line.startswith("url"):
        keys["http_sms.url"] = "https://sms.example.com/send"
    path = write_config(tmp_path, keys)
    text = path.read_text()
    path.write_text(text + line + "\n")
    line_number = len(text.splitlines()) + 1
    result = run("check-config", "--config", str(path), env={})
    stderr = result.stderr.decode()
    assert result.returncode == 2, stderr
    assert f"{path}:{line_number}: {message}" in stderr, stderr
    assert "sk_live_0123456789" not in stderr


def test_phone_verification_through_a_recipe_with_failover(make_site, monkeypatch):
    """Telnyx's recipe behind nginx: the code arrives at the gateway and verifies; when the
    gateway is down or refuses, the next provider (`file`) gets the message and the log says why,
    without the code, the number or the API key."""
    with FakeGateway("telnyx") as gateway:
        for key, value in apis.ENVIRONMENT["telnyx"].items():
            monkeypatch.setenv(key, value)
        keys = pointed_at("telnyx", recipe_keys(readme_recipes()["telnyx"]), gateway)
        site = make_site(phone_config({**keys, "sms.provider": "http, file"}))
        s, email = phone_user(site)

        number = fresh_us_number()
        r = send_code(site, s, number)
        assert r.status_code == 303, r.text[:2000]
        message = gateway.last_message()
        assert message["to"] == number
        code = code_in(message["text"])
        r = enter_code(site, s, code)
        assert r.status_code == 303 and r.headers["Location"] == "/Account/PhoneVerificationSuccessful", r.text[:2000]
        assert site.user_row(email)["PhoneNumber"] == number

        for mode, logged in (("down", "HTTP 503"), ("refuse", "HTTP 422: {\"errors\"")):
            gateway.mode = mode
            number = fresh_us_number()
            # The account has a verified number now: replacing it needs the password (issue 7).
            r = site.post_form(s, "/SendPhoneVerificationCode", {"PhoneNumber": number, "CurrentPassword": DEFAULT_PASSWORD},
                               token_from="/ConfirmPhoneNumber")
            assert r.status_code == 303, r.text[:2000]
            code = code_in(last_sms(site, number)["body"])
            log = site.log_text()
            assert logged in log and "trying file" in log, log
            assert code not in log and number[1:] not in log and apis.TELNYX_API_KEY not in log, log
        assert gateway.failures == []
        assert len(gateway.requests) == 3
