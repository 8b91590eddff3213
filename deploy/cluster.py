"""Serve Gradient Lab from N `streamlit run` processes behind nginx (sticky sessions, websockets).

    python deploy/cluster.py                     # one process per core, proxy on http://0.0.0.0:8500
    python deploy/cluster.py --processes 2 --port 8500

One Streamlit process runs scripts on one core (the GIL) and keeps each student's session in its
memory, so a bigger class needs more processes, each student pinned to one of them. This script
starts the processes on ports port+1..port+N, waits until each says `ok` on /_stcore/health, writes
nginx's configuration from deploy/nginx.conf.template into a private directory and runs nginx in
the foreground. Before the proxy starts, every process is warmed (deploy/warm.py: each page opened once,
so the first class does not queue behind the default pages' computations). A process that dies is restarted. Ctrl+C (or SIGTERM) stops everything.

Needs nginx (Debian: `apt-get install nginx`; the binary is /usr/sbin/nginx). No root needed: nginx
writes only into its private directory and listens on the given (unprivileged) port.
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = Path(__file__).resolve().parent / "nginx.conf.template"


def backend_cmd(port: int) -> list[str]:
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        "streamlit_app.py",
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
        "--server.fileWatcherType",
        "none",
    ]


def healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
            return r.read() == b"ok"
    except OSError:
        return False


def wait_healthy(ports: list[int], procs: dict[int, subprocess.Popen], timeout: float = 90) -> None:
    deadline = time.time() + timeout
    pending = set(ports)
    while pending and time.time() < deadline:
        for port in list(pending):
            if procs[port].poll() is not None:
                raise SystemExit(f"streamlit on port {port} exited with {procs[port].returncode}")
            if healthy(port):
                pending.discard(port)
        time.sleep(0.3)
    if pending:
        raise SystemExit(f"no health from ports {sorted(pending)} after {timeout:.0f} s")


def write_config(prefix: Path, listen: str, ports: list[int]) -> Path:
    for d in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (prefix / d).mkdir(parents=True, exist_ok=True)
    servers = "\n".join(f"        server 127.0.0.1:{p} max_fails=3 fail_timeout=5s;" for p in ports)
    text = (
        TEMPLATE.read_text()
        .replace("@PREFIX@", str(prefix))
        .replace("@LISTEN@", listen)
        .replace("@SERVERS@", servers)
    )
    conf = prefix / "nginx.conf"
    conf.write_text(text)
    return conf


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument(
        "--processes", type=int, default=os.cpu_count() or 1, help="streamlit processes (one per core)"
    )
    ap.add_argument("--port", type=int, default=8500, help="the proxy's port; backends use the next N ports")
    ap.add_argument("--host", default="0.0.0.0", help="the proxy's address")
    ap.add_argument("--nginx", default=shutil.which("nginx") or "/usr/sbin/nginx")
    ap.add_argument(
        "--no-warm",
        action="store_true",
        help="let students in before every page was opened once (deploy/warm.py)",
    )
    args = ap.parse_args()

    ports = [args.port + 1 + i for i in range(args.processes)]
    env = dict(os.environ)
    # One cookie secret for all processes, so any of them accepts the cookies another one signed.
    env.setdefault("STREAMLIT_SERVER_COOKIE_SECRET", secrets.token_hex(32))
    procs = {p: subprocess.Popen(backend_cmd(p), cwd=ROOT, env=env, start_new_session=True) for p in ports}
    prefix = Path(tempfile.mkdtemp(prefix="gradient-lab-nginx-"))
    nginx = None
    stopping = False

    def stop(*_):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        wait_healthy(ports, procs)
        if not args.no_warm:  # before the proxy opens: the first class finds the default pages computed
            sys.path.insert(0, str(ROOT))
            from deploy.warm import warm_all

            warm_all([f"http://127.0.0.1:{p}" for p in ports])
        conf = write_config(prefix, f"{args.host}:{args.port}", ports)
        nginx = subprocess.Popen([args.nginx, "-p", str(prefix), "-c", str(conf), "-g", "daemon off;"])
        time.sleep(0.5)
        if nginx.poll() is not None:
            raise SystemExit(f"nginx exited with {nginx.returncode}; see {prefix}/error.log")
        print(
            f"Gradient Lab on http://{args.host}:{args.port} via nginx (pid {nginx.pid}); "
            f"streamlit pids {','.join(str(procs[p].pid) for p in ports)} on ports "
            f"{','.join(map(str, ports))}",
            flush=True,
        )
        while not stopping:
            time.sleep(1)
            if nginx.poll() is not None:
                raise SystemExit(f"nginx exited with {nginx.returncode}; see {prefix}/error.log")
            for port, proc in procs.items():
                if proc.poll() is not None and not stopping:
                    print(f"streamlit on port {port} exited ({proc.returncode}); restarting", flush=True)
                    procs[port] = subprocess.Popen(
                        backend_cmd(port), cwd=ROOT, env=env, start_new_session=True
                    )
    finally:
        if nginx is not None and nginx.poll() is None:
            nginx.send_signal(signal.SIGQUIT)  # graceful: lets open websockets finish their frame
            try:
                nginx.wait(10)
            except subprocess.TimeoutExpired:
                nginx.kill()
        for proc in procs.values():
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in procs.values():
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
        shutil.rmtree(prefix, ignore_errors=True)


if __name__ == "__main__":
    main()
