"""Fake SMS providers for the integration tests: Twilio Programmable Messaging, Twilio Verify v2
and the Vonage SMS API, on one local HTTP server (127.0.0.1, a free port, a thread).

The fake checks each request the way the provider documents it — path, HTTP Basic or form
credentials, content type, required and allowed form fields, E.164 (Twilio) or digits without
`+` (Vonage) — and answers a wrong one with the provider's own error shape. Every request is
recorded (`requests`); every request the real provider would refuse is also listed in
`failures`, so a test ends with `assert fake.failures == []`.

Modes per service (`fake.mode["twilio"] = "fail"`):
- `ok`: accept.
- `fail`: the provider refuses the message (Twilio 400 error 21211, Vonage status 4
  "Bad Credentials", Verify 400 error 60200).
- `down`: HTTP 503, the provider is unavailable.
- `slow`: answer only after `slow_seconds` (longer than Countersign's 10 s client limit).

Sources: twilio.com/docs/messaging/api/message-resource (create: `To` required, `From` or
`MessagingServiceSid`, `Body`; Basic auth AccountSid:AuthToken; 201 Message resource; errors
`{code, message, more_info, status}`), twilio.com/docs/verify/api/verification and
…/verification-check (`To`, `Channel`; `To` or `VerificationSid`, `Code` of 4–10 characters;
status `pending`/`approved`; 404 error 20404 when nothing is pending; 429 error 60202 after
5 checks), developer.vonage.com SMS API (`POST /sms/json`, `api_key`, `api_secret`, `from`,
`to` in international format without `+` or `00`, `text`, `type`; HTTP 200 with
`message-count` and `messages[].status`, "0" accepted, "2" missing parameters, "3" invalid
parameters, "4" bad credentials).
"""
from __future__ import annotations

import base64
import json
import re
import secrets
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

ACCOUNT_SID = "AC" + "0123456789abcdef" * 2
AUTH_TOKEN = "fake-twilio-auth-token-0123456789"
VERIFY_SERVICE_SID = "VA" + "fedcba9876543210" * 2
MESSAGING_SERVICE_SID = "MG" + "00112233445566778899aabbccddeeff"
TWILIO_FROM = "+12025550123"
VONAGE_KEY = "abcd1234"
VONAGE_SECRET = "fake-vonage-secret"
VONAGE_FROM = "Countersign"

E164 = re.compile(r"^\+[1-9][0-9]{5,14}$")
SID = r"[0-9a-fA-F]{32}"

# The form fields each endpoint documents (others would be ignored or refused by the provider;
# the fake refuses them, so a typo in Countersign shows up).
TWILIO_MESSAGE_FIELDS = {
    "To", "From", "MessagingServiceSid", "Body", "MediaUrl", "StatusCallback", "ApplicationSid",
    "MaxPrice", "ProvideFeedback", "Attempt", "ValidityPeriod", "ForceDelivery", "ContentRetention",
    "AddressRetention", "SmartEncoded", "PersistentAction", "ShortenUrls", "ScheduleType", "SendAt",
    "SendAsMms", "ContentSid", "ContentVariables", "RiskCheck",
}
VERIFY_START_FIELDS = {
    "To", "Channel", "CustomFriendlyName", "CustomMessage", "SendDigits", "Locale", "CustomCode",
    "Amount", "Payee", "RateLimits", "ChannelConfiguration", "AppHash", "TemplateSid",
    "TemplateCustomSubstitutions", "DeviceIp", "EnableSnaClientToken", "RiskCheck", "Tags",
}
VERIFY_CHANNELS = {"sms", "call", "email", "whatsapp", "sna", "auto", "rcs"}
VERIFY_CHECK_FIELDS = {"To", "VerificationSid", "Code", "Amount", "Payee", "SnaClientToken"}
VONAGE_FIELDS = {
    "api_key", "api_secret", "sig", "from", "to", "text", "type", "ttl", "status-report-req",
    "callback", "message-class", "body", "udh", "protocol-id", "client-ref", "account-ref",
    "entity-id", "content-id",
}


@dataclass
class Recorded:
    """One request as the fake saw it, and what it answered."""
    service: str
    method: str
    path: str
    headers: dict[str, str]
    form: dict[str, list[str]]
    status: int = 0
    problem: str | None = None

    def one(self, name: str) -> str | None:
        values = self.form.get(name)
        return values[0] if values else None


@dataclass
class Answer:
    status: int
    body: dict
    problem: str | None = None  # set when the request itself was wrong (a protocol failure)


@dataclass
class Pending:
    code: str
    sid: str
    checks: int = 0


class FakeProviders:
    """`with FakeProviders() as fake:` or `fake.start()` … `fake.stop()`; `fake.url` is the
    base URL for `twilio.api_base`, `twilio.verify_api_base` and `vonage.api_base`."""

    def __init__(self, *, slow_seconds: float = 12.0):
        self.slow_seconds = slow_seconds
        self.mode = {"twilio": "ok", "verify": "ok", "vonage": "ok"}
        self.requests: list[Recorded] = []
        self.failures: list[str] = []
        # Messages the fake accepted: {"service", "to", "body", "sid"}; Verify codes it "sent".
        self.messages: list[dict] = []
        self.verify_pending: dict[str, Pending] = {}
        self.verify_sent: list[dict] = []
        self.lock = threading.Lock()
        self._stopping = threading.Event()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.url = ""

    # ----- life cycle -----------------------------------------------------------------------

    def start(self) -> "FakeProviders":
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):  # noqa: N802 — http.server's naming
                fake._handle(self)

            def do_GET(self):  # noqa: N802
                fake._handle(self)

            def log_message(self, *args):  # quiet
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, name="fake-providers", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> "FakeProviders":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # ----- what tests read ------------------------------------------------------------------

    def requests_to(self, service: str) -> list[Recorded]:
        with self.lock:
            return [r for r in self.requests if r.service == service]

    def last_message(self, service: str) -> dict:
        with self.lock:
            sent = [m for m in self.messages if m["service"] == service]
        assert sent, f"the fake {service} accepted no message; requests: {self.requests}"
        return sent[-1]

    def verify_code(self, to: str) -> str:
        """The code the fake Verify service 'texted' to `to` (E.164), still pending."""
        with self.lock:
            pending = self.verify_pending.get(to)
        assert pending, f"no Verify code pending for {to}"
        return pending.code

    # ----- dispatch ---------------------------------------------------------------------------

    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        length = int(handler.headers.get("Content-Length") or 0)
        raw = handler.rfile.read(length) if length else b""
        headers = {k.lower(): v for k, v in handler.headers.items()}
        path = handler.path
        form: dict[str, list[str]] = {}
        form_problem = None
        try:
            form = parse_qs(raw.decode("utf-8"), keep_blank_values=True, strict_parsing=bool(raw))
        except (UnicodeDecodeError, ValueError) as error:
            form_problem = f"body is not a valid form: {error}"
        service = ("twilio" if path.startswith("/2010-04-01/") else
                   "verify" if path.startswith("/v2/") else
                   "vonage" if path.startswith("/sms/") else "unknown")
        record = Recorded(service, handler.command, path, headers, form)
        with self.lock:
            self.requests.append(record)

        if service == "unknown":
            answer = Answer(404, {"code": 20404, "message": f"The requested resource {path} was not found",
                                  "more_info": "https://www.twilio.com/docs/errors/20404", "status": 404},
                            f"unknown path {handler.command} {path}")
        elif handler.command != "POST":
            answer = Answer(405, {"message": "Method not allowed", "status": 405}, f"{handler.command} {path}")
        elif form_problem or not headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
            answer = Answer(400, {"message": "expected application/x-www-form-urlencoded", "status": 400},
                            form_problem or f"content type {headers.get('content-type')!r}")
        elif service == "twilio":
            answer = self._twilio(path, headers, form)
        elif service == "verify":
            answer = self._verify(path, headers, form)
        else:
            answer = self._vonage(path, headers, form)

        record.status = answer.status
        record.problem = answer.problem
        if answer.problem:
            with self.lock:
                self.failures.append(f"{service} {path}: {answer.problem}")

        mode = self.mode.get(service, "ok")
        if mode == "slow" and not answer.problem:
            self._stopping.wait(self.slow_seconds)
        body = json.dumps(answer.body).encode()
        try:
            handler.send_response(answer.status)
            handler.send_header("Content-Type", "application/json; charset=utf-8")
            handler.send_header("Content-Length", str(len(body)))
            handler.end_headers()
            handler.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (slow mode): expected

    # ----- checks shared by the Twilio APIs --------------------------------------------------

    @staticmethod
    def _twilio_error(status: int, code: int, message: str, problem: str | None = None) -> Answer:
        return Answer(status, {"code": code, "message": message,
                               "more_info": f"https://www.twilio.com/docs/errors/{code}", "status": status}, problem)

    def _twilio_auth(self, headers: dict[str, str]) -> Answer | None:
        expected = "Basic " + base64.b64encode(f"{ACCOUNT_SID}:{AUTH_TOKEN}".encode()).decode()
        if headers.get("authorization") != expected:
            return self._twilio_error(401, 20003, "Authenticate",
                                      f"wrong or missing Basic auth: {headers.get('authorization')!r}")
        return None

    def _form_problem(self, form: dict[str, list[str]], allowed: set[str]) -> str | None:
        unknown = sorted(set(form) - allowed)
        if unknown:
            return f"fields the API does not document: {unknown}"
        repeated = sorted(k for k, v in form.items() if len(v) > 1 and k != "MediaUrl")
        if repeated:
            return f"fields given twice: {repeated}"
        return None

    # ----- Twilio Programmable Messaging ------------------------------------------------------

    def _twilio(self, path: str, headers: dict[str, str], form: dict[str, list[str]]) -> Answer:
        match = re.fullmatch(rf"/2010-04-01/Accounts/(AC{SID})/Messages\.json", path)
        if not match:
            return self._twilio_error(404, 20404, f"The requested resource {path} was not found", f"bad path {path}")
        if match.group(1) != ACCOUNT_SID:
            return self._twilio_error(404, 20404, f"The requested resource {path} was not found",
                                      f"account {match.group(1)} is not {ACCOUNT_SID}")
        if (denied := self._twilio_auth(headers)) is not None:
            return denied
        if (problem := self._form_problem(form, TWILIO_MESSAGE_FIELDS)) is not None:
            return self._twilio_error(400, 21601, problem, problem)
        one = lambda name: (form.get(name) or [None])[0]  # noqa: E731
        to, sender, service, body = one("To"), one("From"), one("MessagingServiceSid"), one("Body")
        if not to:
            return self._twilio_error(400, 21604, "A 'To' phone number is required.", "no To")
        if not sender and not service:
            return self._twilio_error(400, 21603, "A 'From' phone number is required.", "neither From nor MessagingServiceSid")
        if service is not None and not re.fullmatch(rf"MG{SID}", service):
            return self._twilio_error(400, 21701, "The Messaging Service Sid is invalid.", f"MessagingServiceSid {service!r}")
        if sender is not None and sender != TWILIO_FROM:
            return self._twilio_error(400, 21212, f"The 'From' number {sender} is not a valid phone number, shortcode, or alphanumeric sender ID.",
                                      f"From {sender!r} is not the account's number {TWILIO_FROM}")
        if not body:
            return self._twilio_error(400, 21602, "Message body is required.", "no Body")
        if len(body) > 1600:
            return self._twilio_error(400, 21617, "The concatenated message body exceeds the 1600 character limit.", "Body over 1600")
        if not E164.match(to):
            return self._twilio_error(400, 21211, f"The 'To' number {to} is not a valid phone number.", f"To {to!r} is not E.164")
        mode = self.mode["twilio"]
        if mode == "fail":
            return self._twilio_error(400, 21211, f"The 'To' number {to} is not a valid phone number.")
        if mode == "down":
            return self._twilio_error(503, 20503, "Service Unavailable")
        sid = "SM" + secrets.token_hex(16)
        with self.lock:
            self.messages.append({"service": "twilio", "to": to, "body": body, "sid": sid,
                                  "from": sender, "messaging_service_sid": service})
        now = time.strftime("%a, %d %b %Y %H:%M:%S +0000", time.gmtime())
        return Answer(201, {
            "sid": sid, "account_sid": ACCOUNT_SID, "to": to, "from": sender, "messaging_service_sid": service,
            "body": body, "status": "queued", "num_segments": "1", "num_media": "0", "direction": "outbound-api",
            "api_version": "2010-04-01", "price": None, "price_unit": "USD", "error_code": None,
            "error_message": None, "date_created": now, "date_updated": now, "date_sent": None,
            "uri": f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages/{sid}.json", "subresource_uris": {},
        })

    # ----- Twilio Verify v2 -------------------------------------------------------------------

    def _verify(self, path: str, headers: dict[str, str], form: dict[str, list[str]]) -> Answer:
        match = re.fullmatch(rf"/v2/Services/(VA{SID})/(Verifications|VerificationCheck)", path)
        if not match:
            return self._twilio_error(404, 20404, f"The requested resource {path} was not found", f"bad path {path}")
        if match.group(1) != VERIFY_SERVICE_SID:
            return self._twilio_error(404, 20404, f"The requested resource {path} was not found",
                                      f"service {match.group(1)} is not {VERIFY_SERVICE_SID}")
        if (denied := self._twilio_auth(headers)) is not None:
            return denied
        mode = self.mode["verify"]
        if mode == "down":
            return self._twilio_error(503, 20503, "Service Unavailable")
        one = lambda name: (form.get(name) or [None])[0]  # noqa: E731
        if match.group(2) == "Verifications":
            if (problem := self._form_problem(form, VERIFY_START_FIELDS)) is not None:
                return self._twilio_error(400, 60200, problem, problem)
            to, channel = one("To"), one("Channel")
            if not to or not channel:
                return self._twilio_error(400, 60200, "Invalid parameter", f"To {to!r}, Channel {channel!r}: both required")
            if channel not in VERIFY_CHANNELS:
                return self._twilio_error(400, 60200, "Invalid parameter `Channel`", f"Channel {channel!r}")
            if channel != "sms":
                return self._twilio_error(400, 60200, "Invalid parameter `Channel`", f"Channel {channel!r}, expected sms")
            if not E164.match(to):
                return self._twilio_error(400, 60200, "Invalid parameter `To`", f"To {to!r} is not E.164")
            if mode == "fail":
                return self._twilio_error(400, 60200, "Invalid parameter `To`")
            with self.lock:
                # As Twilio: a new start while one is pending sends the same code again.
                pending = self.verify_pending.get(to)
                if pending is None:
                    pending = Pending(code=f"{secrets.randbelow(10**6):06d}", sid="VE" + secrets.token_hex(16))
                    self.verify_pending[to] = pending
                self.verify_sent.append({"to": to, "code": pending.code, "sid": pending.sid})
            return Answer(201, self._verification(pending, to, "pending"))
        # VerificationCheck
        if (problem := self._form_problem(form, VERIFY_CHECK_FIELDS)) is not None:
            return self._twilio_error(400, 60200, problem, problem)
        to, code, sid = one("To"), one("Code"), one("VerificationSid")
        if not code or not (to or sid):
            return self._twilio_error(400, 60200, "Invalid parameter", f"Code {code!r} and To or VerificationSid required")
        if not 4 <= len(code) <= 10:
            return self._twilio_error(400, 60200, "Invalid parameter `Code`", f"Code of {len(code)} characters")
        if to is not None and not E164.match(to):
            return self._twilio_error(400, 60200, "Invalid parameter `To`", f"To {to!r} is not E.164")
        with self.lock:
            key = to if to is not None else next((k for k, p in self.verify_pending.items() if p.sid == sid), None)
            pending = self.verify_pending.get(key) if key else None
            if pending is None:
                return self._twilio_error(404, 20404, f"The requested resource /Services/{VERIFY_SERVICE_SID}/VerificationCheck was not found")
            if pending.checks >= 5:
                return self._twilio_error(429, 60202, "Max check attempts reached")
            pending.checks += 1
            approved = secrets.compare_digest(code, pending.code)
            if approved:
                del self.verify_pending[key]
        return Answer(200, self._verification(pending, key, "approved" if approved else "pending"))

    @staticmethod
    def _verification(pending: Pending, to: str, status: str) -> dict:
        now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        return {"sid": pending.sid, "service_sid": VERIFY_SERVICE_SID, "account_sid": ACCOUNT_SID, "to": to,
                "channel": "sms", "status": status, "valid": status == "approved", "amount": None, "payee": None,
                "date_created": now, "date_updated": now, "lookup": {}, "send_code_attempts": []}

    # ----- Vonage SMS API ---------------------------------------------------------------------

    @staticmethod
    def _vonage_error(status: str, text: str, problem: str | None = None) -> Answer:
        return Answer(200, {"message-count": "1", "messages": [{"status": status, "error-text": text}]}, problem)

    def _vonage(self, path: str, headers: dict[str, str], form: dict[str, list[str]]) -> Answer:
        if path != "/sms/json":
            return Answer(404, {"error": "not found"}, f"bad path {path}")
        if (problem := self._form_problem(form, VONAGE_FIELDS)) is not None:
            return self._vonage_error("3", "Invalid Message", problem)
        one = lambda name: (form.get(name) or [None])[0]  # noqa: E731
        key, secret = one("api_key"), one("api_secret")
        auth = headers.get("authorization", "")
        if key is None and secret is None and auth.startswith("Basic "):
            key, _, secret = base64.b64decode(auth[6:]).decode().partition(":")
        if not key or not secret:
            return self._vonage_error("2", "Missing api_key" if not key else "Missing api_secret", "no credentials")
        if key != VONAGE_KEY or secret != VONAGE_SECRET:
            return self._vonage_error("4", "Bad Credentials", f"credentials {key!r}")
        to, sender, text, kind = one("to"), one("from"), one("text"), one("type")
        for name, value in (("from", sender), ("to", to), ("text", text)):
            if not value:
                return self._vonage_error("2", f"Missing {name} param", f"no {name}")
        if not re.fullmatch(r"[1-9][0-9]{5,14}", to):
            return self._vonage_error("3", "Invalid to param", f"to {to!r}: international format without + or 00")
        if sender != VONAGE_FROM:
            return self._vonage_error("15", "Illegal Sender Address - rejected", f"from {sender!r}")
        if kind is not None and kind not in ("text", "unicode", "binary", "wappush", "vcal", "vcard"):
            return self._vonage_error("3", "Invalid type param", f"type {kind!r}")
        if kind != "unicode" and any(ord(c) > 0x7F and c not in "£¥èéùìòÇØøÅåÄÖÑÜäöñüà§¿¡ßÆæÉ€" for c in text):
            return self._vonage_error("3", "Invalid Message", "non-GSM text without type=unicode")
        mode = self.mode["vonage"]
        if mode == "fail":
            return self._vonage_error("4", "Bad Credentials")
        if mode == "down":
            return Answer(503, {"error": "service unavailable"})
        message_id = secrets.token_hex(8).upper()
        with self.lock:
            self.messages.append({"service": "vonage", "to": to, "body": text, "sid": message_id, "from": sender})
        return Answer(200, {"message-count": "1", "messages": [{
            "to": to, "message-id": message_id, "status": "0", "remaining-balance": "3.14159265",
            "message-price": "0.03330000", "network": "12345"}]})


# ===== Driving the phone pages (shared by the test_phone*.py files) ===========================

import itertools as _itertools  # noqa: E402
import json as _json  # noqa: E402

from harness import DEFAULT_PASSWORD, Site  # noqa: E402

# A fast site for phone tests: cheap password hashing, no cooldown and high limits unless a test
# is about them.
PHONE_FAST = {
    "passwords.argon2_memory": "64",
    "passwords.argon2_iterations": "1",
    "tokens.resend_cooldown": "0s",
    "tokens.max_sends_per_hour": "1000",
    "tokens.max_sends_per_ip_per_hour": "100000",
    "sms.daily_limit": "100000",
}
REGISTERED_E164 = "+12015550123"  # harness.DEFAULT_PHONE "(201) 555-0123" in E.164
WRONG_CODE_MESSAGE = "Either the token has expired or you entered an invalid token."
CODE_SENT_FLASH = "A verification code has been sent to your phone number."
WEBOTP_LINE = re.compile(r"^@(\S+) #(\d+)$", re.M)

_number_counter = _itertools.count()


def fresh_us_number() -> str:
    """A valid US number from +12015550100…+12015550199, another each call (cycling), never the
    registered +12015550123."""
    while True:
        number = f"+1201555{100 + next(_number_counter) % 100:04d}"
        if number != REGISTERED_E164:
            return number


def phone_config(extra: dict[str, str] | None = None) -> dict[str, str]:
    values = dict(PHONE_FAST)
    values.update(extra or {})
    return values


def sms_outbox(site: Site) -> list[dict]:
    try:
        lines = site.sms_path.read_text().splitlines()
    except FileNotFoundError:
        return []
    return [_json.loads(line) for line in lines if line.strip()]


def last_sms(site: Site, to: str | None = None) -> dict:
    messages = [m for m in sms_outbox(site) if to is None or m["to"] == to]
    assert messages, f"no SMS to {to} in {site.sms_path}"
    return messages[-1]


def code_in(body: str) -> str:
    """The code of a message: from its WebOTP line, else the first run of 6 to 10 digits."""
    match = WEBOTP_LINE.search(body)
    if match:
        return match.group(2)
    match = re.search(r"\b(\d{6,10})\b", body)
    assert match, f"no code in {body!r}"
    return match.group(1)


def phone_user(site: Site, phone: str = "(201) 555-0123"):
    """A registered, confirmed and signed-in user: (session, email)."""
    email = site.new_user(phone=phone)
    return site.signed_in(email, DEFAULT_PASSWORD)


def send_code(site: Site, s, number: str, **kwargs):
    return site.post_form(s, "/SendPhoneVerificationCode", {"PhoneNumber": number},
                          token_from="/ConfirmPhoneNumber", **kwargs)


def enter_code(site: Site, s, code: str, **kwargs):
    # The token comes from ConfirmPhoneNumber: VerifyPhoneNumber redirects when nothing is pending.
    return site.post_form(s, "/VerifyPhoneNumber", {"Token": code}, token_from="/ConfirmPhoneNumber", **kwargs)


def resend_code(site: Site, s, **kwargs):
    return site.post_form(s, "/ResendPhoneVerificationCode", {}, token_from="/ConfirmPhoneNumber", **kwargs)


def security_events(site: Site, user_id: str | None = None) -> list[dict]:
    with site.db() as conn:
        if user_id is None:
            rows = conn.execute("SELECT * FROM countersign_security_events ORDER BY id").fetchall()
        else:
            rows = conn.execute("SELECT * FROM countersign_security_events WHERE user_id = ? ORDER BY id",
                                (user_id,)).fetchall()
    return [dict(r) for r in rows]
