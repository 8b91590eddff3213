"""A real `streamlit run` server and a real headless Chromium (Debian's), driven by Playwright."""

from __future__ import annotations

import pytest

from benchmarks.serve import launch_chromium, streamlit_server, wait_ready
from ui.navigation import ROOT

# Starting the server and the browser, and "the page is ready", live in benchmarks/serve.py: the browser
# benchmarks use the same code. Tests import them from here or from there.
__all__ = ["SHOTS", "streamlit_server", "wait_charts_drawn", "wait_ready"]

SHOTS = ROOT / ".screenshots"


@pytest.fixture(scope="session")
def server():
    with streamlit_server("shared-server") as base:
        yield base


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = launch_chromium(p)
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


def wait_charts_drawn(pg, timeout: float = 30_000) -> int:
    """Every Vega-Lite chart has drawn something (an SVG or canvas with a size); returns their number, plus
    the steppers' drawings (ui.stepper: SVGs inside a component's shadow root, drawn once it has a frame)."""
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
    steppers = pg.evaluate(
        """() => [...document.querySelectorAll('*')].filter(h => h.shadowRoot)
            .flatMap(h => [...h.shadowRoot.querySelectorAll('.gls[data-frame] svg')])
            .filter(s => { const r = s.getBoundingClientRect(); return r.width > 50 && r.height > 50; }).length"""
    )
    return pg.locator("[data-testid=stVegaLiteChart]").count() + steppers
