"""Fake SMS gateways for the recipes of `sms.provider = http` (README, "Any SMS gateway over HTTP").

Each fake checks a request the way the gateway's public API reference documents it (the checks
and their sources are in gateway_apis.py): method, path, authentication header, JSON content type,
then the gateway's own field checks. A right request gets the gateway's documented success, a wrong
one its error shape, and every problem is also listed in `failures`, so a test ends with
`assert gateway.failures == []`.

`gateway.mode = "down"` answers 503; `"refuse"` answers the gateway's 4xx for a bad request.
"""
from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from gateway_apis import SPECS, Refused


@dataclass
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    status: int = 0


@dataclass
class FakeGateway:
    """`with FakeGateway("plivo") as gateway:` — `gateway.url` replaces `https://{HOSTS[name]}`."""
    name: str
    mode: str = "ok"
    requests: list[Received] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    messages: list[dict] = field(default_factory=list)
    url: str = ""

    def __post_init__(self):
        self.spec = SPECS[self.name]
        self.lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    def __enter__(self) -> "FakeGateway":
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):  # noqa: N802
                gateway._handle(self)

            do_GET = do_PUT = do_POST  # noqa: N815

            def log_message(self, *args):
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        threading.Thread(target=self._server.serve_forever, name=f"fake-{self.name}", daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def last_message(self) -> dict:
        with self.lock:
            assert self.messages, f"the fake {self.name} accepted nothing; failures: {self.failures}"
            return self.messages[-1]

    def _answer(self, method: str, path: str, headers: dict[str, str], raw: bytes) -> tuple[int, dict]:
        spec = self.spec
        if method != "POST":
            raise Refused(405, {"error": "method not allowed"}, f"method {method}")
        if not re.fullmatch(spec.path, path):
            raise Refused(404, {"error": "not found"}, f"path {path!r} is not {spec.path!r}")
        if headers.get("authorization") != spec.auth:
            raise Refused(401, {"error": "unauthorized"}, "wrong or missing Authorization header")
        content_type = headers.get("content-type", "")
        if content_type.split(";")[0].strip() != "application/json":
            raise Refused(415, {"error": "unsupported media type"}, f"content type {content_type!r}")
        try:
            body = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as error:
            raise Refused(400, {"error": "invalid JSON"}, f"body is not JSON: {error}")
        if not isinstance(body, dict):
            raise Refused(400, {"error": "invalid JSON"}, "body is not a JSON object")
        try:
            message = spec.check(body)
        except ValueError as error:
            raise Refused(spec.refusal[0], spec.refusal[1], str(error))
        if self.mode == "down":
            return 503, {"error": "service unavailable"}
        if self.mode == "refuse":
            return spec.refusal
        with self.lock:
            self.messages.append(message)
        return spec.success(message)

    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        length = int(handler.headers.get("Content-Length") or 0)
        raw = handler.rfile.read(length) if length else b""
        headers = {k.lower(): v for k, v in handler.headers.items()}
        record = Received(handler.command, handler.path, headers, raw)
        try:
            status, body = self._answer(handler.command, handler.path, headers, raw)
        except Refused as refused:
            status, body = refused.status, refused.body
            with self.lock:
                self.failures.append(f"{self.name}: {refused.problem}")
        record.status = status
        with self.lock:
            self.requests.append(record)
        data = json.dumps(body).encode()
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)
