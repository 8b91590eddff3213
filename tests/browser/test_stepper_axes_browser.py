"""ui.stepper over two sliders (tests/apps/two_axis_stepper.py: a window of ±2 positions around the current one)
in a real browser: steps inside the window are drawn with nothing sent; a step outside it is shown waiting and
reported at once, and the server's new window draws it; the link follows both axes. No page error."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import streamlit_server, wait_ready
from tests.browser.test_stepper_browser import HOOK
from ui.stepper import REPORT_MS

pytestmark = [pytest.mark.browser, pytest.mark.timeout(180)]


@pytest.fixture(scope="module")
def axes_server():
    with streamlit_server("axes-server", app_file="tests/apps/two_axis_stepper.py") as base:
        yield base


def _param(pg, name: str) -> str | None:
    got = parse_qs(urlparse(pg.url).query).get(name)
    return got[-1] if got else None


def _text(pg) -> str:
    return pg.locator(".gls-text").first.inner_text().strip()


def test_steps_inside_the_window_send_nothing_and_a_step_outside_it_is_fetched(browser, axes_server):
    ctx = browser.new_context(viewport={"width": 1280, "height": 720})
    ctx.add_init_script(HOOK)
    pg = ctx.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    try:
        pg.goto(axes_server)
        wait_ready(pg, timeout=60_000, settle_ms=800, landmark=None)
        a, b = pg.locator(".gls-range").nth(0), pg.locator(".gls-range").nth(1)
        assert a.get_attribute("aria-label") == "Axis a" and b.get_attribute("aria-label") == "Axis b"
        assert _text(pg) == "a = 1, b = 0"
        pg.wait_for_timeout(REPORT_MS + 300)
        sent = pg.evaluate("() => window.__sent.length")

        # inside the window (±2): drawn at once, nothing sent, not waiting
        a.focus()
        pg.keyboard.press("ArrowRight")
        pg.keyboard.press("ArrowRight")
        assert _text(pg) == "a = 2, b = 0"
        b.focus()
        pg.keyboard.press("ArrowLeft")
        # (a=2, b=-1) is off the cross around (1, 0) (each axis moved alone): shown waiting, asked for at once
        assert pg.locator(".gls.gls-wait").count() == 1, "a step off the window is not shown waiting"
        expect(pg.locator(".gls-text").first).to_have_text("a = 2, b = -1", timeout=15_000)
        assert pg.locator(".gls.gls-wait").count() == 0
        assert pg.evaluate("() => window.__sent.length") > sent, "the miss was never asked for"
        wait_ready(pg, timeout=30_000, landmark=None)
        pg.wait_for_function(
            "() => { const q = new URL(location.href).searchParams; return q.get('a') === '2' && q.get('b') === '-1'; }",
            timeout=15_000,
        )

        # around the new position, steps are drawn again without a message
        pg.wait_for_timeout(REPORT_MS + 300)
        sent = pg.evaluate("() => window.__sent.length")
        b.focus()
        pg.keyboard.press("ArrowRight")  # (2, 0): on the new cross (b moved alone)
        assert _text(pg) == "a = 2, b = 0"
        pg.wait_for_timeout(REPORT_MS // 2)
        assert pg.evaluate("() => window.__sent.length") == sent, "a step inside the window sent a message"
        a.focus()
        pg.keyboard.press("ArrowLeft")  # (1.5, 0): off the cross around (2, -1), a miss again
        expect(pg.locator(".gls-text").first).to_have_text("a = 1.5, b = 0", timeout=15_000)
        assert pg.locator(".gls.gls-wait").count() == 0
        wait_ready(pg, timeout=30_000, landmark=None)
        assert a.get_attribute("value") == "3" and b.get_attribute("value") == "3"
        assert pg.locator("[data-testid=stException]").count() == 0
        assert not errors, errors
    finally:
        ctx.close()
