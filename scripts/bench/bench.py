#!/usr/bin/env python3
"""`make bench`: Countersign beside its floor, behind one nginx, in one run (numbers, no asserts).

    python3 scripts/bench/bench.py .build/release/countersign

Builds the bare libfcgi "hello" worker (scripts/bench/hello, the FastCGI floor, as in
../shared/bench/anchor-swift-hello) and the raw Argon2id rate program (argon2-rate.c), starts both
backends with 2 workers each behind one nginx (the server block of ../shared/bench/nginx-conf),
and measures with wrk -t2 -c16 after a 1 s -c4 warm-up, backends interleaved, repeated, medians:

  [1] GET /Account/Login   [2] GET /Account/Manage signed in   [3] GET /Account/Auth signed in
      each against the hello worker's rate (ratio = Countersign / hello);
  [4] POST /Account/Login with the right password against the raw Argon2id rate of two processes
      at once (libargon2, m=19456 t=2 p=1), measured next to each repetition;
  [5] the phone loop: 8 signed-in users each send a code, read it from the file SMS outbox, verify
      it and open the form again (limits lifted), verifications/s per 10 s slice;
  each worker's RSS, PSS and private memory (USS = Private_Clean + Private_Dirty, from
  /proc/PID/smaps_rollup) after start and after N and 2N further requests (a mix of [1]-[3]).

Environment knobs (defaults = the full run, about 10 minutes on a quiet 2-core machine):
  BENCH_SECONDS=5          wrk duration per measurement     BENCH_REPS=3        repetitions
  BENCH_LOOP_SECONDS=60    phone loop duration              BENCH_MEMORY_REQUESTS=100000 (N)
  BENCH_ARGON2_SECONDS=3   raw Argon2id measurement          BENCH_ENDPOINTS=1,2,3,4,5,memory
  BENCH_KEEP=1             keep the work folder (/tmp/cs-bench-make/run-*)
A quick check of the harness: BENCH_SECONDS=1 BENCH_REPS=1 BENCH_LOOP_SECONDS=10 BENCH_MEMORY_REQUESTS=2000.
"""
import datetime
import os
import shutil
import signal
import statistics
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchclient import (MOUNT, PASSWORD, Client, Outbox, form_token, phone_loop,  # noqa: E402
                         register_and_sign_in, wait_port, wait_socket)

HERE = Path(__file__).resolve().parent
SECONDS = int(os.environ.get("BENCH_SECONDS", "5"))
REPS = int(os.environ.get("BENCH_REPS", "3"))
LOOP_SECONDS = int(os.environ.get("BENCH_LOOP_SECONDS", "60"))
MEMORY_REQUESTS = int(os.environ.get("BENCH_MEMORY_REQUESTS", "100000"))
ARGON2_SECONDS = float(os.environ.get("BENCH_ARGON2_SECONDS", "3"))
ENDPOINTS = os.environ.get("BENCH_ENDPOINTS", "1,2,3,4,5,memory").split(",")
WORKERS = 2
TARGETS = {"1": 0.75, "2": 0.70, "3": 0.85, "4": 0.97}


def note(*a):
    print("#", *a, file=sys.stderr, flush=True)


def build(workdir: Path) -> tuple[Path, Path]:
    hello = HERE / "hello"
    note("building the hello worker in", hello)
    subprocess.run(["swift", "build", "-c", "release"], cwd=hello, check=True, stdout=subprocess.DEVNULL)
    argon2 = hello / ".build" / "argon2-rate"
    subprocess.run([shutil.which("cc") or "clang", "-O2", "-o", str(argon2), str(HERE / "argon2-rate.c"), "-largon2"], check=True)
    return hello / ".build" / "release" / "bench-hello", argon2


def nginx_conf(workdir: Path, servers: list[tuple[int, Path]]) -> str:
    """The config ../shared/bench/nginx-conf writes (2 workers, keep-alive), one server per backend."""
    user = "user root;" if os.geteuid() == 0 else ""
    blocks = "".join(f"""
    server {{
        listen 127.0.0.1:{port};
        client_max_body_size 1m;
        location ~* ^{MOUNT}(?:/|$) {{
            include /etc/nginx/fastcgi_params;
            fastcgi_pass unix:{sock};
            fastcgi_read_timeout 60s;
        }}
        location / {{ return 404; }}
    }}""" for port, sock in servers)
    return f"""{user}
worker_processes {WORKERS};
daemon on;
pid nginx.pid;
error_log error.log warn;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    access_log off;
    keepalive_timeout 65;
    keepalive_requests 100000;
    client_body_temp_path tmp; fastcgi_temp_path tmp; proxy_temp_path tmp; uwsgi_temp_path tmp; scgi_temp_path tmp;
{blocks}
}}
"""


def free_port() -> int:
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def children(pid: int) -> list[int]:
    try:
        return [int(x) for x in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def memory(pid: int) -> tuple[float, float, float]:
    """RSS, PSS and private (USS) memory in MB from smaps_rollup."""
    rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
    kb = {}
    for line in rollup.splitlines()[1:]:
        k, _, v = line.partition(":")
        kb[k] = int(v.split()[0])
    return kb["Rss"] / 1024, kb["Pss"] / 1024, (kb["Private_Clean"] + kb["Private_Dirty"]) / 1024


def wrk(url: str, cookie: str | None = None, lua: Path | None = None, env: dict | None = None,
        seconds: int | None = None, conns: int = 16, counted: list | None = None) -> float:
    extra = (["-H", f"Cookie: {cookie}"] if cookie else []) + (["-s", str(lua)] if lua else [])
    e = dict(os.environ, **(env or {}))
    if seconds is None:
        subprocess.run(["wrk", "-t2", "-c4", "-d1s"] + extra + [url], env=e, capture_output=True)
    out = subprocess.run(["wrk", "-t2", f"-c{conns}", f"-d{seconds or SECONDS}s", "--timeout", "10s"] + extra + [url],
                         env=e, capture_output=True, text=True).stdout
    rate = next((float(l.split()[1]) for l in out.splitlines() if l.startswith("Requests/sec:")), 0.0)
    if counted is not None:
        counted.append(next((int(l.split()[0]) for l in out.splitlines() if l.strip().endswith("read") and " requests in " in l), 0))
    bad = next((l for l in out.splitlines() if "Non-2xx" in l or "Socket errors" in l), None)
    if bad:
        note(url, bad.strip())
    return rate


def argon2_two(binary: Path) -> float:
    ps = [subprocess.Popen([str(binary), str(ARGON2_SECONDS)], stdout=subprocess.PIPE, text=True) for _ in range(2)]
    return sum(float(p.communicate()[0]) for p in ps)


class Backend:
    def __init__(self, name: str, workdir: Path):
        self.name = name
        self.port = free_port()
        self.socket = workdir / f"{name}.sock"
        self.proc: subprocess.Popen | None = None

    def workers(self) -> list[int]:
        return children(self.proc.pid) if self.proc else []

    def stop(self):
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)


def storage_config(d: Path) -> dict[str, str]:
    """SQLite in the run's folder, or with BENCH_STORAGE=postgres a fresh database on the server of
    COUNTERSIGN_TEST_POSTGRES_URL (`scripts/test-postgres.sh` starts one, as `make bench` does)."""
    if os.environ.get("BENCH_STORAGE") != "postgres":
        return {"path": str(d / "countersign.db")}
    import re
    import psycopg
    base = os.environ["COUNTERSIGN_TEST_POSTGRES_URL"]
    name = "cs_bench_" + os.urandom(4).hex()
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    return {"provider": "postgres", "url": re.sub(r"dbname=\S+", "", base).strip() + f" dbname={name}"}


def countersign_config(b: Backend, workdir: Path) -> Path:
    d = workdir / "countersign"
    d.mkdir(exist_ok=True)
    b.email_path, b.sms_path = d / "email.jsonl", d / "sms.jsonl"
    values = {
        "server": {"listen": f"unix:{b.socket}", "workers": str(WORKERS), "base_url": f"http://127.0.0.1:{b.port}"},
        "storage": storage_config(d),
        "cookies": {"secret": os.urandom(32).hex(), "secure": "false"},
        "email": {"provider": "file", "path": str(b.email_path), "lookups_per_ip_per_hour": "1000000"},
        "sms": {"provider": "file", "path": str(b.sms_path), "daily_limit": "100000000",
                "max_per_region_per_hour": "0", "max_per_prefix_per_hour": "0", "min_conversion": "0"},
        "phone": {"default_region": "US"},
        # Lifted, as ../shared/bench/README.md does: the loop measures the work, not the limits.
        "tokens": {"resend_cooldown": "0s", "max_sends_per_hour": "10000", "max_sends_per_ip_per_hour": "1000000"},
        "lockout": {"max_failures": "1000", "max_failures_per_ip_per_hour": "1000000"},
    }
    path = workdir / "countersign.ini"
    path.write_text("".join(f"[{s}]\n" + "".join(f"{k} = {v}\n" for k, v in kv.items()) + "\n" for s, kv in values.items()))
    return path


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    binary = Path(sys.argv[1]).resolve()
    # A SIGTERM (timeout, Ctrl-C in the background) still runs the finally that stops everything.
    signal.signal(signal.SIGTERM, lambda signum, _frame: sys.exit(128 + signum))
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    workdir = Path("/tmp/cs-bench-make") / f"run-{stamp.replace(':', '')}"
    (workdir / "nginx" / "tmp").mkdir(parents=True, exist_ok=True)
    hello_bin, argon2_bin = build(workdir)
    hello, cs = Backend("hello", workdir), Backend("countersign", workdir)
    nginx_pid = None
    try:
        log = open(workdir / "backends.log", "w")
        hello.proc = subprocess.Popen([str(hello_bin), "--master", str(WORKERS), str(hello.socket)],
                                      stdout=log, stderr=log, start_new_session=True)
        cs.proc = subprocess.Popen([str(binary), "serve", "--config", str(countersign_config(cs, workdir))],
                                   stdout=log, stderr=log, start_new_session=True)
        for b in (hello, cs):
            wait_socket(str(b.socket), proc=b.proc)
        conf = workdir / "nginx" / "nginx.conf"
        conf.write_text(nginx_conf(workdir, [(hello.port, hello.socket), (cs.port, cs.socket)]))
        subprocess.run(["nginx", "-p", str(workdir / "nginx"), "-c", str(conf), "-e", str(workdir / "nginx" / "error.log")], check=True)
        nginx_pid = int((workdir / "nginx" / "nginx.pid").read_text())
        for b in (hello, cs):
            wait_port(b.port)
        for _ in range(100):
            if len(hello.workers()) >= WORKERS and len(cs.workers()) >= WORKERS:
                break
            time.sleep(0.1)
        start_memory = {b.name: {p: memory(p) for p in b.workers()} for b in (hello, cs)}

        note("registering the bench users")
        email_box, sms_box = Outbox(str(cs.email_path)), Outbox(str(cs.sms_path))
        viewer = register_and_sign_in(cs.port, "view@example.com", "+16502340100", email_box)
        session_cookie = viewer.cookie_header()
        login_email = "login@example.com"
        register_and_sign_in(cs.port, login_email, "+16502340101", email_box).close()
        anon = Client(cs.port)
        status, _, body = anon.get(f"{MOUNT}/Login")
        login_body = urllib.parse.urlencode({"__RequestVerificationToken": form_token(body), "Email": login_email, "Password": PASSWORD})
        login_cookie = anon.cookie_header()
        loop_users = []
        if "5" in ENDPOINTS:
            for i in range(8):
                phone = f"+1650234{2000 + i:04d}"
                c = register_and_sign_in(cs.port, f"loop{i}@example.com", phone, email_box)
                _, _, body = c.get(f"{MOUNT}/ConfirmPhoneNumber")
                loop_users.append({"client": c, "phone": phone, "token": form_token(body)})

        cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
        print(f"make bench {stamp} on {os.cpu_count()} CPUs ({cpu}), load average {os.getloadavg()[0]:.1f} at start")
        print(f"wrk -t2 -c16 -d{SECONDS}s after a 1 s -c4 warm-up, {REPS} repetitions, backends interleaved, medians; "
              f"{WORKERS} workers per backend, nginx worker_processes {WORKERS}")
        rates: dict[tuple[str, str], list[float]] = {}
        paths = {"1": "Login", "2": "Manage", "3": "Auth"}
        for ep in [e for e in ENDPOINTS if e in ("1", "2", "3", "4")]:
            for rep in range(REPS):
                if ep == "4":
                    rates.setdefault((ep, "countersign"), []).append(
                        wrk(f"http://127.0.0.1:{cs.port}{MOUNT}/Login", lua=HERE / "post-form.lua",
                            env={"WRK_BODY": login_body, "WRK_COOKIE": login_cookie}))
                    rates.setdefault((ep, "hello"), []).append(argon2_two(argon2_bin))
                else:
                    for b in (hello, cs):
                        cookie = session_cookie if ep in ("2", "3") and b is cs else None
                        rates.setdefault((ep, b.name), []).append(wrk(f"http://127.0.0.1:{b.port}{MOUNT}/{paths[ep]}", cookie=cookie))
                note(f"[{ep}] rep {rep + 1}: " + ", ".join(f"{b} {v[-1]:.1f}" for (e, b), v in rates.items() if e == ep))

        titles = {"1": "`GET /Account/Login`", "2": "`GET /Account/Manage` signed in", "3": "`GET /Account/Auth` signed in",
                  "4": "`POST /Account/Login` (Argon2id m=19456 t=2 p=1); floor = raw Argon2id, 2 processes"}
        print()
        if any(e in ENDPOINTS for e in ("1", "2", "3", "4", "5")):
            print("| endpoint | Countersign | floor | ratio | target |")
            print("|---|---:|---:|---:|---:|")
        for ep in ("3", "1", "2", "4"):
            if (ep, "countersign") not in rates:
                continue
            c, h = statistics.median(rates[(ep, "countersign")]), statistics.median(rates[(ep, "hello")])
            fmt = (lambda x: f"{x:,.1f}/s") if ep == "4" else (lambda x: f"{x:,.0f}/s")
            runs = " / ".join(fmt(x) for x in rates[(ep, "countersign")])
            print(f"| {titles[ep]} | {fmt(c)} | {fmt(h)} | {c / h:.2f} | ≥ {TARGETS[ep]:.2f} |")
            note(f"[{ep}] Countersign runs: {runs}; floor runs: " + " / ".join(fmt(x) for x in rates[(ep, 'hello')]))

        if "5" in ENDPOINTS:
            note(f"phone loop, {LOOP_SECONDS} s")
            slices, errors = phone_loop(loop_users, sms_box, LOOP_SECONDS, 10)
            total = sum(slices) * 10 / max(1, LOOP_SECONDS)
            print(f"| send code + verify + open the form again, 8 users (verifications/s per 10 s; mean {total:.0f}/s, "
                  f"{errors} errors) | " + " → ".join(f"{s:.0f}" for s in slices) + " | — | — | ≥ 800, flat |")

        if "memory" in ENDPOINTS:
            print()
            print("| worker (RSS / PSS / USS) | after start | before the mix | after %s requests | after %s requests |" % (f"{MEMORY_REQUESTS:,}", f"{2 * MEMORY_REQUESTS:,}"))
            print("|---|---|---|---|---|")
            table = {}
            for b in (hello, cs):
                for p in b.workers():
                    table[(b.name, p)] = [start_memory[b.name].get(p), memory(p)]
            for step in (1, 2):
                for b in (hello, cs):
                    # In short wrk runs until the pool has answered N more per worker (the workers
                    # share the load about evenly); wrk cannot stop after a request count itself.
                    counted: list[int] = []
                    while sum(counted) < MEMORY_REQUESTS * WORKERS:
                        wrk(f"http://127.0.0.1:{b.port}/", lua=HERE / "memory-mix.lua", seconds=2, counted=counted,
                            env={"WRK_COOKIE": session_cookie if b is cs else "", "WRK_MOUNT": MOUNT})
                    for p in b.workers():
                        table.setdefault((b.name, p), [None, None]).append(memory(p))
            for (name, pid), rows in table.items():
                cells = ["—" if r is None else f"{r[0]:.1f} / {r[1]:.1f} / {r[2]:.1f} MB" for r in rows]
                print(f"| {name} {pid} | " + " | ".join(cells) + " |")
        viewer.close()
        for u in loop_users:
            u["client"].close()
    finally:
        if nginx_pid:
            try:
                os.kill(nginx_pid, signal.SIGQUIT)
            except ProcessLookupError:
                pass
        for b in (cs, hello):
            b.stop()
        if not os.environ.get("BENCH_KEEP"):
            shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
