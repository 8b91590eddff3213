"""A real `streamlit run` server and a real headless Chromium (Debian's), driven by Playwright."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

from ui.navigation import ROOT

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
SHOTS = ROOT / ".screenshots"
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


@contextmanager
def streamlit_server(log_name: str = "server"):
    """Start `streamlit run streamlit_app.py` on a free port; yield its base URL; stop it."""
    port = free_port()
    SHOTS.mkdir(exist_ok=True)
    log = open(SHOTS / f"{log_name}.log", "w")  # noqa: SIM115
    cmd = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        "streamlit_app.py",
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
    ]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(base + "/_stcore/health", timeout=2) as r:  # noqa: S310
                    if r.read().decode() == "ok":
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"streamlit did not start; see {SHOTS / (log_name + '.log')}")
            time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture(scope="session")
def server():
    with streamlit_server("shared-server") as base:
        yield base


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        raise RuntimeError(f"Chromium not found at {CHROMIUM}: apt-get install -y chromium")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="session")
def page_passes(browser, server):
    """scheme → page id → one visit of every page (tests/browser/page_pass.py), made once per worker.

    Tests that read a scheme's pass carry `xdist_group(f"pass-{scheme}")` so they share one worker."""
    from tests.browser.page_pass import visit_every_page

    done: dict[str, dict] = {}

    def get(scheme: str) -> dict:
        if scheme not in done:
            done[scheme] = visit_every_page(browser, server, scheme)
        return done[scheme]

    return get


@pytest.fixture
def page(browser):
    ctx = browser.new_context(viewport={"width": 1400, "height": 900})
    pg = ctx.new_page()
    yield pg
    ctx.close()


def wait_ready(pg, timeout: float = 45_000) -> None:
    """Wait until the app is connected, the script has finished and no skeleton is left."""
    pg.wait_for_selector("[data-testid=stApp]", timeout=timeout)
    pg.wait_for_function(
        """() => {
            const app = document.querySelector('[data-testid=stApp]');
            if (!app) return false;
            const state = app.getAttribute('data-test-script-state');
            const conn = app.getAttribute('data-test-connection-state');
            return state === 'notRunning' && (conn === null || conn === 'CONNECTED')
                && !document.querySelector('[data-testid=stSkeleton]')
                && document.querySelector('h1') !== null;
        }""",
        timeout=timeout,
    )
    pg.wait_for_timeout(300)  # let the last delta paint
    pg.wait_for_function(
        "() => document.querySelector('[data-testid=stApp]').getAttribute('data-test-script-state') === 'notRunning'",
        timeout=timeout,
    )


def wait_charts_drawn(pg, timeout: float = 30_000) -> int:
    """Every Vega-Lite chart has drawn something (an SVG or canvas with a size); returns their number."""
    pg.wait_for_function(
        """() => {
            const charts = [...document.querySelectorAll('[data-testid=stVegaLiteChart]')];
            return charts.every(c => {
                const el = c.querySelector('canvas, svg');
                if (!el) return false;
                const r = el.getBoundingClientRect();
                return r.width > 50 && r.height > 50;
            });
        }""",
        timeout=timeout,
    )
    return pg.locator("[data-testid=stVegaLiteChart]").count()
