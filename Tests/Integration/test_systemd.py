"""conf/countersign.service and conf/countersign.socket, tested without a running systemd:
`systemd-analyze verify`, the keys that matter, and the service's ExecStart run by hand under
`systemd-socket-activate` (the socket on fd 3, LISTEN_FDS/LISTEN_PID set), as systemd would."""
import configparser
import json
import shlex
import shutil
import signal
import subprocess
import time

import pytest

from harness import REPO, SECRET, binary_path, fastcgi_params, fastcgi_request, render_config, split_cgi, terminate

SERVICE = REPO / "conf" / "countersign.service"
SOCKET = REPO / "conf" / "countersign.socket"


def unit(path) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None, comment_prefixes=("#", ";"))
    parser.optionxform = str
    parser.read_string(path.read_text())
    return parser


def test_the_units_have_the_production_settings():
    service, socket_unit = unit(SERVICE)["Service"], unit(SOCKET)["Socket"]
    assert service["User"] == "countersign" and service["Group"] == "countersign"
    for key, value in {"NoNewPrivileges": "yes", "ProtectSystem": "strict", "PrivateTmp": "yes",
                       "StateDirectory": "countersign", "RuntimeDirectory": "countersign",
                       "RuntimeDirectoryPreserve": "yes", "ProtectHome": "yes"}.items():
        assert service[key] == value, key
    assert service["ExecReload"] == "/bin/kill -HUP $MAINPID"
    assert shlex.split(service["ExecStart"])[1:] == ["serve", "--config", "/etc/countersign/countersign.conf"]
    assert socket_unit["ListenStream"] == "/run/countersign/countersign.sock"
    assert socket_unit["SocketMode"] == "0660" and socket_unit["SocketGroup"] == "www-data"
    assert unit(SERVICE)["Unit"]["Requires"] == "countersign.socket"


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="systemd-analyze is not installed")
def test_systemd_analyze_verify_accepts_the_units(tmp_path):
    # The unit as shipped names /usr/local/bin/countersign; verify checks the binary exists.
    (tmp_path / "countersign.service").write_text(SERVICE.read_text().replace("/usr/local/bin/countersign", str(binary_path())))
    shutil.copy(SOCKET, tmp_path / "countersign.socket")
    r = subprocess.run(["systemd-analyze", "verify", str(tmp_path / "countersign.service"), str(tmp_path / "countersign.socket")],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stdout + r.stderr


@pytest.mark.skipif(not shutil.which("systemd-socket-activate"), reason="systemd-socket-activate is not installed")
def test_serve_uses_the_socket_systemd_passes(tmp_path):
    sock = tmp_path / "countersign.sock"
    conf = tmp_path / "countersign.conf"
    conf.write_text(render_config({"server.listen": f"unix:{sock}", "server.base_url": "http://127.0.0.1",
                                   "storage.path": "countersign.db", "cookies.secret": SECRET, "cookies.secure": "false"}))
    exec_start = shlex.split(unit(SERVICE)["Service"]["ExecStart"])
    command = [str(binary_path())] + [str(conf) if a == "/etc/countersign/countersign.conf" else a for a in exec_start[1:]]
    log = tmp_path / "serve.log"
    proc = subprocess.Popen(["systemd-socket-activate", "-l", str(sock)] + command, stdin=subprocess.DEVNULL,
                            stdout=open(log, "wb"), stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 10
        while not sock.exists():
            assert time.monotonic() < deadline and proc.poll() is None, log.read_text()
            time.sleep(0.05)
        # The first connection starts the program (systemd-socket-activate waits for one).
        raw, _ = fastcgi_request(sock, fastcgi_params("GET", "/Account/Login"))
        assert split_cgi(raw)[0] == 200
        assert "passed by systemd (socket activation)" in log.read_text()
        status = subprocess.run([str(binary_path()), "status", "--json", "--config", str(conf)],
                                capture_output=True, text=True, timeout=10)
        assert status.returncode == 0, status.stderr
        assert json.loads(status.stdout)["supervisor"]["pid"] == proc.pid, "systemd-socket-activate execs serve"
        proc.send_signal(signal.SIGHUP)
        deadline = time.monotonic() + 10
        while "reloaded (generation 1)" not in log.read_text():
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.05)
        assert split_cgi(fastcgi_request(sock, fastcgi_params("GET", "/Account/Health"))[0])[0] == 200
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=15) == 0
        assert sock.exists(), "the socket belongs to systemd: serve must not remove it"
    finally:
        terminate(proc)
