#!/usr/bin/env python3
"""Instructions per request of one worker, counted by callgrind: a deterministic measure of the
hot path (wrk's requests/s move by several percent from run to run on a shared machine).

    python3 Tests/Integration/callgrind_hot_path.py .build/release/countersign [ROUTE ...]

Runs one worker under `valgrind --tool=callgrind` with a listening socket on fd 0 (as spawn-fcgi
does) and a pool status file (as the supervisor gives it), sends 50 and then 250 requests in two
separate runs, and prints (I(250) − I(50)) / 200 per route: start-up and warm-up cancel out.
A binary that predates the status file ignores it, so old and new builds compare like for like.
"""
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import SECRET, fastcgi_params, fastcgi_request, render_config, split_cgi  # noqa: E402

STATUS_FILE_SIZE = 8192 + 2048 * 128


def instructions(binary: str, route: str, count: int) -> int:
    work = Path(tempfile.mkdtemp(prefix="cs-callgrind-"))
    try:
        conf = work / "countersign.conf"
        conf.write_text(render_config({
            "server.base_url": "http://127.0.0.1", "storage.path": str(work / "countersign.db"),
            "cookies.secret": SECRET, "cookies.secure": "false"}))
        subprocess.run([binary, "migrate", "--config", str(conf)], check=True, capture_output=True)
        status = work / "pool.status"
        status.write_bytes(b"CSPOOL01" + bytes(STATUS_FILE_SIZE - 8))
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        listener.bind(str(work / "sock"))
        listener.listen(64)
        out = work / "callgrind.out"
        env = dict(os.environ, COUNTERSIGN_POOL_STATUS=str(status), COUNTERSIGN_WORKER_SLOT="0")
        proc = subprocess.Popen(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", binary, "--config", str(conf)],
                                stdin=listener.fileno(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        listener.close()
        params = fastcgi_params("GET", route)
        for _ in range(count):
            raw, _ = fastcgi_request(work / "sock", params, timeout=120)
            assert split_cgi(raw)[0] in (200, 401), raw[:200]
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=120)
        text = out.read_text()
        match = re.search(r"^(?:summary|totals): (\d+)", text, re.M)
        return int(match.group(1))
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    binary = str(Path(sys.argv[1]).resolve())
    routes = sys.argv[2:] or ["/Account/Login", "/Account/Health"]
    for route in routes:
        low, high = instructions(binary, route, 50), instructions(binary, route, 250)
        print(f"{route:<20} {(high - low) / 200:>12,.0f} instructions/request  ({binary})")


if __name__ == "__main__":
    main()
