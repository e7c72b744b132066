"""The browser side of `make bench` (standard library only, as ../shared/bench/run-compare does it):
a keep-alive client with a cookie jar, the outbox follower, sign-up through the public routes, and
the phone loop."""
import html.parser
import http.client
import json
import re
import socket
import threading
import time
import urllib.parse

MOUNT = "/Account"
PASSWORD = "correct horse 42"


def wait_socket(path, timeout=30.0, proc=None):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"process for {path} exited with {proc.returncode}")
        try:
            with socket.socket(socket.AF_UNIX) as s:
                s.connect(path)
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{path} does not accept connections after {timeout}s")


def wait_port(port, timeout=15.0):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"port {port} does not accept connections")


class _TokenParser(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.token = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "input" and self.token is None and a.get("name") == "__RequestVerificationToken":
            self.token = a.get("value")


def form_token(body):
    p = _TokenParser()
    p.feed(body)
    return p.token


class Client:
    """Minimal browser: one keep-alive connection, a cookie jar, no redirect following."""

    def __init__(self, port):
        self.port = port
        self.conn = None
        self.jar = {}

    def cookie_header(self):
        return "; ".join(f"{k}={v}" for k, v in self.jar.items())

    def request(self, method, path, fields=None):
        headers = {"User-Agent": "countersign-bench"}
        body = None
        if self.jar:
            headers["Cookie"] = self.cookie_header()
        if fields is not None:
            body = urllib.parse.urlencode(fields)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in (1, 2):
            try:
                if self.conn is None:
                    self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                self.conn.request(method, path, body=body, headers=headers)
                r = self.conn.getresponse()
                data = r.read().decode("utf-8", "replace")
                break
            except (http.client.HTTPException, OSError):
                self.close()
                if attempt == 2:
                    raise
        for sc in r.msg.get_all("Set-Cookie") or []:
            name, _, value = sc.split(";", 1)[0].partition("=")
            low = sc.lower()
            if "max-age=0" in low or "expires=thu, 01 jan 1970" in low or value == "":
                self.jar.pop(name.strip(), None)
            else:
                self.jar[name.strip()] = value.strip()
        return r.status, r, data

    def get(self, path):
        return self.request("GET", path)

    def post(self, path, fields):
        return self.request("POST", path, fields)

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None


class Outbox:
    """Follows a JSON Lines outbox file; thread-safe lookups by recipient."""

    def __init__(self, path):
        self.path = path
        self.offset = 0
        self.buf = b""
        self.lock = threading.Lock()
        self.by_to = {}

    def poll(self):
        with self.lock:
            try:
                with open(self.path, "rb") as f:
                    f.seek(self.offset)
                    chunk = f.read()
            except FileNotFoundError:
                return
            self.offset += len(chunk)
            *lines, self.buf = (self.buf + chunk).split(b"\n")
            for line in lines:
                if line.strip():
                    rec = json.loads(line)
                    self.by_to.setdefault(rec.get("to", ""), []).append(rec)

    def count(self, to):
        self.poll()
        with self.lock:
            return len(self.by_to.get(to, []))

    def wait_new(self, to, seen, timeout=10.0):
        deadline = time.time() + timeout
        while True:
            self.poll()
            with self.lock:
                lst = self.by_to.get(to, [])
                if len(lst) > seen:
                    return lst[-1]
            if time.time() > deadline:
                raise RuntimeError(f"no new outbox entry for {to} in {self.path}")
            time.sleep(0.0005)


def register_and_sign_in(port, email, phone, email_box):
    """Registers through the public routes, confirms by the emailed link, signs in."""
    c = Client(port)
    st, _, body = c.get(f"{MOUNT}/Register")
    assert st == 200, f"GET Register -> {st}"
    seen = email_box.count(email)
    st, _, body = c.post(f"{MOUNT}/Register", {
        "__RequestVerificationToken": form_token(body), "FirstName": "Bench", "LastName": "User", "Email": email,
        "PhoneNumber": phone, "Password": PASSWORD, "ConfirmPassword": PASSWORD})
    assert st == 303, f"POST Register -> {st} {body[:300]}"
    rec = email_box.wait_new(email, seen)
    m = re.search(r'https?://[^\s"<>]*ConfirmEmail[^\s"<>]*', rec.get("text", "") + " " + rec.get("html", ""), re.I)
    assert m, "no confirmation link in the email"
    u = urllib.parse.urlsplit(m.group(0).replace("&amp;", "&"))
    st, _, _ = c.get(u.path + ("?" + u.query if u.query else ""))
    assert st == 200, f"ConfirmEmail -> {st}"
    st, _, body = c.get(f"{MOUNT}/Login")
    st, _, body = c.post(f"{MOUNT}/Login", {"__RequestVerificationToken": form_token(body), "Email": email, "Password": PASSWORD})
    assert st == 303, f"POST Login -> {st} {body[:300]}"
    return c


def phone_loop(users, box, seconds, slice_seconds):
    """Each user: send a code, read it from the SMS outbox, verify it, open the form again.
    Returns (verifications/s in each slice of `slice_seconds`, number of errors)."""
    finished = []   # completion times
    errors = []
    lock = threading.Lock()
    start = threading.Event()
    t0 = [0.0]

    def run(u):
        c, number, tok = u["client"], u["phone"], u["token"]
        start.wait()
        try:
            while time.time() < t0[0] + seconds:
                seen = box.count(number)
                st, _, body = c.post(f"{MOUNT}/SendPhoneVerificationCode", {"__RequestVerificationToken": tok, "PhoneNumber": number})
                if st != 303:
                    raise RuntimeError(f"send -> {st}: {body[:200]}")
                body_text = box.wait_new(number, seen)["body"]
                code = (re.search(r"#(\d{6,10})\b", body_text) or re.search(r"\b(\d{6,10})\b", body_text)).group(1)
                st, _, body = c.post(f"{MOUNT}/VerifyPhoneNumber", {"__RequestVerificationToken": tok, "Token": code})
                if st != 303:
                    raise RuntimeError(f"verify -> {st}: {body[:200]}")
                done_at = time.time()
                st, _, body = c.get(f"{MOUNT}/ConfirmPhoneNumber")
                if st != 200:
                    raise RuntimeError(f"ConfirmPhoneNumber -> {st}: {body[:200]}")
                tok = u["token"] = form_token(body)
                with lock:
                    finished.append(done_at)
        except Exception as e:  # noqa: BLE001 - counted and shown
            with lock:
                errors.append(f"{number}: {e}")

    threads = [threading.Thread(target=run, args=(u,), daemon=True) for u in users]
    for t in threads:
        t.start()
    t0[0] = time.time()
    start.set()
    for t in threads:
        t.join(seconds + 30)
    slices = [0] * max(1, seconds // slice_seconds)
    for t in finished:
        i = int((t - t0[0]) // slice_seconds)
        if 0 <= i < len(slices):
            slices[i] += 1
    if errors:
        print("#", errors[0])
    return [n / slice_seconds for n in slices], len(errors)
