#!/usr/bin/env python3
"""`make bench`: numbers, not assertions.

    python3 Tests/Integration/bench.py .build/release/countersign [--seconds 10]

Starts the binary (workers = 2) behind the same nginx as the tests, then prints:
- requests/s of `wrk -t2 -c32` on GET /Account/Login (a rendered page through a worker) and on
  /static/countersign.css (nginx alone, for scale);
- each worker's resident memory before and after a burst of 20 sign-ins (Argon2id at the
  default 19 MiB each), and its peak, to show the hashing memory is given back;
- POST /Account/Login sign-ins per second (Python threads, each sign-in with its own form token).
Everything it starts is stopped at the end; the whole run takes about 2 × seconds + 15 s.
"""
import argparse
import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import DEFAULT_PASSWORD, Site  # noqa: E402


def wrk(url: str, seconds: int) -> str:
    if not shutil.which("wrk"):
        return "wrk not installed (scripts/install-deps.sh --bench)"
    out = subprocess.run(["wrk", "-t2", "-c32", f"-d{seconds}s", "--latency", url],
                         capture_output=True, text=True, timeout=seconds + 30).stdout
    rate = re.search(r"Requests/sec:\s*([\d.]+)", out)
    p50 = re.search(r"^\s+50%\s+(\S+)", out, re.M)
    p99 = re.search(r"^\s+99%\s+(\S+)", out, re.M)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    text = f"{float(rate.group(1)):>9.0f} req/s" if rate else "no result:\n" + out
    if p50 and p99:
        text += f"   p50 {p50.group(1)}, p99 {p99.group(1)}"
    if errors:
        text += f"   ({errors.group(1)} non-2xx answers!)"
    return text


def memory(pid: int) -> tuple[int, int]:
    status = Path(f"/proc/{pid}/status").read_text()
    rss = int(re.search(r"VmRSS:\s+(\d+)", status).group(1))
    peak = int(re.search(r"VmHWM:\s+(\d+)", status).group(1))
    return rss, peak


def private_memory(pid: int) -> str:
    """RSS counts the shared libraries' pages in every worker; PSS splits them between the
    processes that share them, and private dirty memory is what one more worker really costs."""
    rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
    value = lambda name: int(re.search(rf"^{name}:\s+(\d+)", rollup, re.M).group(1)) / 1024
    return (f"PSS {value('Pss'):.1f} MiB, private dirty {value('Private_Dirty'):.1f} MiB, "
            f"shared library pages {value('Shared_Clean'):.1f} MiB")


def sign_in(site: Site, email: str, password: str) -> bool:
    s = site.session()
    return site.login(s, email, password).status_code == 303


def sign_ins(site: Site, email: str, password: str, count: int, threads: int) -> float:
    """Does `count` sign-ins over `threads` threads; returns the seconds taken."""
    remaining = [count]
    lock = threading.Lock()
    failures = []

    def run():
        while True:
            with lock:
                if remaining[0] == 0:
                    return
                remaining[0] -= 1
            if not sign_in(site, email, password):
                failures.append(1)

    started = time.monotonic()
    workers = [threading.Thread(target=run) for _ in range(threads)]
    for t in workers:
        t.start()
    for t in workers:
        t.join()
    if failures:
        print(f"  warning: {len(failures)} sign-ins failed")
    return time.monotonic() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("binary", type=Path)
    parser.add_argument("--seconds", type=int, default=10)
    args = parser.parse_args()
    binary = args.binary.resolve()
    if not binary.exists():
        print(f"{binary} does not exist: build it first (swift build -c release)", file=sys.stderr)
        return 2

    site = Site.start({"lockout.max_failures": "1000"}, binary=binary, workers=2)
    try:
        workers = site.wait_for_workers(2)
        print(f"countersign {binary} — 2 workers {workers}, nginx on {site.base}")
        print()
        print(f"GET /Account/Login             {wrk(site.url('/Login'), args.seconds)}")
        print(f"GET /static/countersign.css    {wrk(site.base + '/static/countersign.css', args.seconds)}")
        print()

        password = "benchmark passphrase, long enough"
        email = site.new_user(password=password)
        before = {pid: memory(pid) for pid in workers}
        seconds = sign_ins(site, email, password, count=20, threads=4)
        time.sleep(0.5)
        after = {pid: memory(pid) for pid in site.worker_pids() if pid in before}
        print(f"worker memory around a burst of 20 sign-ins ({seconds:.2f}s):")
        for pid in workers:
            print(f"  worker {pid}: {private_memory(pid)}")
        for pid in workers:
            rss0, _ = before[pid]
            rss1, peak = after.get(pid, (0, 0))
            print(f"  worker {pid}: VmRSS {rss0 / 1024:6.1f} MiB before, {rss1 / 1024:6.1f} MiB after"
                  f" (peak VmHWM {peak / 1024:6.1f} MiB)")
        print()

        count = 0
        deadline = time.monotonic() + min(args.seconds, 10)
        lock = threading.Lock()

        def loop():
            nonlocal count
            while time.monotonic() < deadline:
                if sign_in(site, email, password):
                    with lock:
                        count += 1

        started = time.monotonic()
        threads = [threading.Thread(target=loop) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.monotonic() - started
        print(f"POST /Account/Login            {count / elapsed:>9.1f} sign-ins/s  (8 clients, Argon2id m=19456 t=2 p=1, "
              f"each with a GET for its form token)")
    finally:
        site.stop()
    print()
    phone_bench(binary, min(args.seconds, 10))
    return 0


def phone_bench(binary: Path, seconds: int) -> None:
    """Sends and verification checks per second through nginx (file SMS provider, stored codes).

    Limits are raised so they do not stop the loop, and Argon2 is made cheap because sign-in is not
    what is measured here. Checks use wrong codes (a right one ends the session by changing the
    security stamp); a wrong check does the same work as a right one — read the pending row, hash,
    compare in constant time, update — minus the final user update. Every 50 checks the client
    asks for a new code so the pending verification is never burned.
    """
    site = Site.start({
        "passwords.argon2_memory": "64", "passwords.argon2_iterations": "1",
        "tokens.resend_cooldown": "0s", "tokens.max_sends_per_hour": "10000", "tokens.max_attempts": "100",
        "tokens.max_sends_per_ip_per_hour": "1000000", "sms.daily_limit": "100000000",
        "email.lookups_per_ip_per_hour": "1000000",
    }, binary=binary, workers=2)
    try:
        clients = []
        for i in range(8):
            email = site.new_user(phone=f"+1201555{100 + i:04d}")
            s, _ = site.signed_in(email, DEFAULT_PASSWORD)
            clients.append((s, site.form_token(s, "/ConfirmPhoneNumber"), f"+1201555{100 + i:04d}"))

        def measure(action) -> float:
            count = 0
            lock = threading.Lock()
            deadline = time.monotonic() + seconds

            def loop(client):
                nonlocal count
                n = 0
                while time.monotonic() < deadline:
                    if action(client, n):
                        n += 1
                        with lock:
                            count += 1

            started = time.monotonic()
            threads = [threading.Thread(target=loop, args=(c,)) for c in clients]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            return count / (time.monotonic() - started)

        def send(client, _n) -> bool:
            s, tok, number = client
            r = s.post(site.url("/SendPhoneVerificationCode"), data={"__RequestVerificationToken": tok, "PhoneNumber": number},
                       allow_redirects=False)
            return r.status_code == 303

        def check(client, n) -> bool:
            s, tok, number = client
            if n % 50 == 49:
                send(client, n)
            r = s.post(site.url("/VerifyPhoneNumber"), data={"__RequestVerificationToken": tok, "Token": "000000"},
                       allow_redirects=False)
            return r.status_code == 422

        print(f"POST /Account/SendPhoneVerificationCode {measure(send):>9.1f} sends/s   (8 clients, file SMS provider)")
        print(f"POST /Account/VerifyPhoneNumber         {measure(check):>9.1f} checks/s  (8 clients, wrong codes)")
    finally:
        site.stop()


if __name__ == "__main__":
    sys.exit(main())
