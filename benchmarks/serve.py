"""One way to run the app for a real browser: a `streamlit run` server on a free port, Debian's Chromium.

Shared by the browser tests (tests/browser/conftest.py) and the browser benchmarks (benchmarks/player.py,
benchmarks/browser_steps.py), so that they all start, wait for and stop the server the same way.

    with streamlit_server("my-log") as base:          # base is the URL, e.g. "http://127.0.0.1:40123"
        ...                                           # base.pid is the server's process id
    with streamlit_server(None, app_file="benchmarks/floor_app.py", options=["--runner.fastReruns", "true"]):
        ...

A plain module (no pytest): tests import it as `benchmarks.serve`; a script under benchmarks/ puts the
project root on sys.path first (see benchmarks/player.py).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOGS = ROOT / ".screenshots"  # ignored by git; the browser suite's screenshots land here too
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server(str):
    """A running server's base URL (a str, usable as `f"{base}/page"`), which also knows its process id."""

    pid: int

    def __new__(cls, url: str, pid: int) -> Server:
        self = super().__new__(cls, url)
        self.pid = pid
        return self


@contextmanager
def streamlit_server(
    log_name: str | None = "server",
    *,
    app_file: str = "streamlit_app.py",
    cwd: Path = ROOT,
    options: Sequence[str] = (),
    timeout: float = 90.0,
) -> Iterator[Server]:
    """Start `streamlit run APP_FILE` (from `cwd`, so its .streamlit/config.toml applies) on a free port,
    wait until `/_stcore/health` says ok, yield its base URL; stop it on exit.

    The server's output goes to `.screenshots/<log_name>.log` (`None`: discarded). `options` are extra
    command-line options, e.g. `["--runner.postScriptGC", "true"]`.
    """
    port = free_port()
    if log_name is None:
        log = subprocess.DEVNULL
        where = "(log discarded)"
    else:
        LOGS.mkdir(exist_ok=True)
        log = open(LOGS / f"{log_name}.log", "w")  # noqa: SIM115
        where = f"see {LOGS / (log_name + '.log')}"
    cmd = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        app_file,
        "--server.headless",
        "true",
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--browser.gatherUsageStats",
        "false",
        "--server.fileWatcherType",
        "none",
        *options,
    ]
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=log, stderr=subprocess.STDOUT)
    base = Server(f"http://127.0.0.1:{port}", proc.pid)
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(base + "/_stcore/health", timeout=2) as r:  # noqa: S310
                    if r.read().decode() == "ok":
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"streamlit run {app_file} did not start; {where}")
            time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if log is not subprocess.DEVNULL:
            log.close()


def launch_chromium(playwright):
    """Headless Chromium (Debian's, or $CHROMIUM) through a started `sync_playwright()`."""
    if not Path(CHROMIUM).exists():
        raise RuntimeError(f"Chromium not found at {CHROMIUM}: apt-get install -y chromium")
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS)


def wait_ready(pg, timeout: float = 45_000, settle_ms: int = 300, landmark: str | None = "h1") -> None:
    """Wait until the app is connected, the script has finished and no skeleton is left.

    `landmark`: a selector that must be present too (the app's pages all have an h1; None for apps that
    have none, like the floor app). After `settle_ms` the script state is checked again, so that a rerun
    the first run triggered (e.g. a URL write) has had time to start and is waited for.
    """
    pg.wait_for_selector("[data-testid=stApp]", timeout=timeout)
    pg.wait_for_function(
        """(landmark) => {
            const app = document.querySelector('[data-testid=stApp]');
            if (!app) return false;
            const state = app.getAttribute('data-test-script-state');
            const conn = app.getAttribute('data-test-connection-state');
            return state === 'notRunning' && (conn === null || conn === 'CONNECTED')
                && !document.querySelector('[data-testid=stSkeleton]')
                && (!landmark || document.querySelector(landmark) !== null);
        }""",
        arg=landmark,
        timeout=timeout,
    )
    pg.wait_for_timeout(settle_ms)  # let the last delta paint
    pg.wait_for_function(
        "() => document.querySelector('[data-testid=stApp]').getAttribute('data-test-script-state') === 'notRunning'",
        timeout=timeout,
    )
