#!/usr/bin/env python3
"""Instruction counts per request of one worker, under valgrind's callgrind (deterministic, so
it works on a busy machine where wall-clock numbers do not).

    python3 scripts/bench/profile.py .build/release/countersign [--requests 2000] [--keep DIR]

Starts the binary through spawn-fcgi as one worker wrapped in callgrind, behind the test nginx,
signs in a user, then for each endpoint zeroes the counters, sends N requests with one keep-alive
client and dumps a profile: prints instructions per request (Ir / N) and leaves the callgrind
files in DIR for `callgrind_annotate --inclusive=yes DIR/callgrind.out.*.N`.
"""
import argparse
import glob
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "Tests" / "Integration"))
from harness import Site  # noqa: E402


def callgrind(args: list[str]) -> str:
    return subprocess.run(["callgrind_control"] + args, capture_output=True, text=True).stdout


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("binary", type=Path)
    ap.add_argument("--requests", type=int, default=2000)
    ap.add_argument("--keep", type=Path, default=None)
    ap.add_argument("--only", default="auth,login,manage,signin")
    a = ap.parse_args()
    out = a.keep or Path(tempfile.mkdtemp(prefix="cs-prof-"))
    out.mkdir(parents=True, exist_ok=True)
    wrapper = out / "worker.sh"
    wrapper.write_text("#!/bin/sh\nexec valgrind -q --tool=callgrind --collect-atstart=yes --read-var-info=no "
                       f"--callgrind-out-file={out}/callgrind.out.%p {a.binary.resolve()} \"$@\"\n")
    wrapper.chmod(0o755)
    site = Site.start({"lockout.max_failures": "1000"}, binary=wrapper, launcher="spawn-fcgi")
    try:
        pid = site.serve.pid
        email = site.new_user()
        s, _ = site.signed_in(email)
        anon = site.session()
        only = a.only.split(",")
        cases = {
            "auth": lambda: s.get(site.url("/Auth"), allow_redirects=False),
            "login": lambda: anon.get(site.url("/Login"), allow_redirects=False),
            "manage": lambda: s.get(site.url("/Manage"), allow_redirects=False),
        }
        for name in [c for c in only if c in cases]:
            for _ in range(20):
                cases[name]()
            callgrind(["-z", str(pid)])
            for _ in range(a.requests):
                r = cases[name]()
                assert r.status_code == 200, (name, r.status_code)
            callgrind(["-d", name, str(pid)])
            time.sleep(0.5)
            newest = max(glob.glob(f"{out}/callgrind.out.{pid}*"), key=os.path.getmtime)
            total = [l for l in open(newest) if l.startswith("summary:") or l.startswith("totals:")]
            ir = int(total[0].split()[1])
            print(f"{name:8s} {ir / a.requests:12,.0f} instructions/request   ({newest})", flush=True)
        if "signin" in only:
            n = 5
            callgrind(["-z", str(pid)])
            for _ in range(n):
                site.login(site.session(), email)
            callgrind(["-d", "signin", str(pid)])
            time.sleep(0.5)
            newest = max(glob.glob(f"{out}/callgrind.out.{pid}*"), key=os.path.getmtime)
            total = [l for l in open(newest) if l.startswith("summary:") or l.startswith("totals:")]
            print(f"signin   {int(total[0].split()[1]) / n:12,.0f} instructions/sign-in (GET form + POST)  ({newest})")
    finally:
        site.stop()
    print(f"profiles in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
