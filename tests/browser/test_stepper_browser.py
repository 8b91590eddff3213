"""ui.stepper in a real browser, on every page that has one: the arrow keys and the buttons move the position,
a step sends nothing to the server (no rerun request: the browser draws it from the one payload), and the
page's URL parameter follows about `REPORT_MS` after the last move (one report, one rerun to write the link).
No page error, no Streamlit exception."""

from __future__ import annotations

import re
import time
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import wait_ready
from ui.stepper import REPORT_MS

pytestmark = [pytest.mark.browser, pytest.mark.timeout(240)]

# Every message the page sends the server (a rerun request is one), with its time: installed before the
# app's own scripts.
HOOK = """
(() => {
  window.__sent = [];
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (data) {
    window.__sent.push(performance.now());
    return send.call(this, data);
  };
})();
"""

# page, its stepper's URL parameter, how the link writes position f (whose label on screen is `text`)
PAGES = [
    ("autodiff", "step", lambda f, text: str(f)),
    ("derivatives", "h", lambda f, text: text),  # the link keeps the value, as the log slider wrote it
    ("activations", "xmax", lambda f, text: text),
    ("jacobians", "m", lambda f, text: text),
    ("gradient_checking", "eps", lambda f, text: text),
]


def _frame(pg) -> int:
    return int(pg.locator(".gls").first.get_attribute("data-frame"))


def _param(pg, name: str) -> str | None:
    got = parse_qs(urlparse(pg.url).query).get(name)
    return got[-1] if got else None


def _sent(pg) -> int:
    return pg.evaluate("() => window.__sent.length")


@pytest.mark.parametrize(("path", "name", "link"), PAGES, ids=[p[0] for p in PAGES])
def test_a_step_is_drawn_without_a_rerun_and_the_link_follows(browser, server, path, name, link):
    ctx = browser.new_context(viewport={"width": 1280, "height": 720})
    ctx.add_init_script(HOOK)
    pg = ctx.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    try:
        pg.goto(f"{server}/{path}")
        wait_ready(pg, timeout=90_000, settle_ms=800)
        rng = pg.locator(".gls-range").first
        rng.wait_for(timeout=30_000)
        pg.wait_for_timeout(REPORT_MS + 500)  # nothing left from the first render
        wait_ready(pg, timeout=60_000)
        n = int(rng.get_attribute("max")) + 1
        start = _frame(pg)
        assert n >= 3 and 0 <= start < n
        assert _param(pg, name) == link(start, pg.locator(".gls-value").first.text_content())
        back = 1 if start >= 3 else -1  # three steps away from the end the page starts nearer
        keys = "ArrowLeft" if back == 1 else "ArrowRight"

        # the keyboard: two steps, each drawn at once; nothing is sent while stepping
        rng.focus()
        sent = _sent(pg)
        pg.keyboard.press(keys)
        pg.keyboard.press(keys)
        assert _frame(pg) == start - 2 * back
        assert rng.get_attribute("value") == str(start - 2 * back)
        # the buttons: one more step the same way
        pg.locator(".gls-buttons button", has_text="Back" if back == 1 else "Next").first.click()
        moved_at = time.monotonic()
        target = start - 3 * back
        assert _frame(pg) == target
        text = pg.locator(".gls-value").first.text_content()
        pg.wait_for_timeout(REPORT_MS // 2)
        assert _sent(pg) == sent, "a step sent a message to the server (a rerun request)"
        assert _param(pg, name) != link(target, text), "the link changed before the learner stopped"

        # the position is reported once the learner stops, and the link follows
        pg.wait_for_function(
            "([name, want]) => new URL(location.href).searchParams.get(name) === want",
            arg=[name, link(target, text)],
            timeout=15_000,
        )
        waited = time.monotonic() - moved_at
        assert waited >= REPORT_MS / 1000 * 0.9, f"the link followed after {waited:.2f} s: before the report"
        assert _sent(pg) > sent, "the position was never reported"
        wait_ready(pg, timeout=60_000)
        assert _frame(pg) == target, "the report's rerun moved the stepper"

        # Start / End jump to the ends; a key there does nothing
        pg.locator(".gls-buttons button", has_text="Start").first.click()
        assert _frame(pg) == 0
        rng.focus()
        pg.keyboard.press("ArrowLeft")
        assert _frame(pg) == 0
        pg.locator(".gls-buttons button", has_text="End").first.click()
        assert _frame(pg) == n - 1
        pg.wait_for_function(
            "([name, want]) => new URL(location.href).searchParams.get(name) === want",
            arg=[name, link(n - 1, pg.locator(".gls-value").first.text_content())],
            timeout=15_000,
        )
        wait_ready(pg, timeout=60_000)
        assert pg.locator("[data-testid=stException]").count() == 0
        assert not errors, errors
    finally:
        ctx.close()


def _at(pg) -> str:
    return pg.locator(".gls").first.get_attribute("data-at")


def _check(pg) -> str:
    return pg.locator(".gls [aria-live=polite]").first.inner_text()


def test_losses_steps_either_axis_without_a_rerun_and_the_link_follows(browser, server):
    """Losses' stepper over the target y and the prediction ŷ₀: a link lands on its position; a step of
    either axis (inside the window: every y at this ŷ₀, every ŷ₀ at this y) is drawn at once with nothing
    sent, the check and the curve follow it, and the link follows once the learner stops."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 720})
    ctx.add_init_script(HOOK)
    pg = ctx.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    try:
        pg.goto(f"{server}/losses?y=0.35&p0=0.2")
        wait_ready(pg, timeout=90_000, settle_ms=800)
        y, p0 = pg.locator(".gls-range").nth(0), pg.locator(".gls-range").nth(1)
        y.wait_for(timeout=30_000)
        assert (
            y.get_attribute("aria-label") == "Target y" and p0.get_attribute("aria-label") == "Prediction ŷ₀"
        )
        assert _at(pg) == "7,19"  # y = 0.35 (0, 0.05, …), ŷ₀ = 0.2 (0.01, 0.02, …)
        assert "L at ŷ₀ = 0.2" in pg.locator(".gls table").first.inner_text()
        pg.wait_for_timeout(REPORT_MS + 500)
        wait_ready(pg, timeout=60_000)
        sent = _sent(pg)
        curve = pg.locator(".gls svg path[stroke-width='2.5']").first
        before = (curve.get_attribute("d"), _check(pg))

        # ŷ₀: two steps right, drawn at once (the table and the check follow), nothing sent
        p0.focus()
        pg.keyboard.press("ArrowRight")
        pg.keyboard.press("ArrowRight")
        assert _at(pg) == "7,21" and p0.get_attribute("value") == "21"
        assert "L at ŷ₀ = 0.22" in pg.locator(".gls table").first.inner_text()
        assert _check(pg) != before[1] and "agree" in _check(pg)
        assert curve.get_attribute("d") == before[0], "the loss curve depends on y only"
        pg.wait_for_timeout(REPORT_MS // 2)
        assert _sent(pg) == sent, "a step of ŷ₀ sent a message to the server (a rerun request)"
        assert pg.locator(".gls.gls-wait").count() == 0
        pg.wait_for_function("() => new URL(location.href).searchParams.get('p0') === '0.22'", timeout=15_000)
        assert _param(pg, "y") == "0.35"
        wait_ready(pg, timeout=60_000)
        pg.wait_for_timeout(300)
        assert _at(pg) == "7,21", "the report's rerun moved the stepper"

        # y: one step left, inside the new window (every y at ŷ₀ = 0.22): the curve is redrawn, nothing sent
        sent = _sent(pg)
        y.focus()
        pg.keyboard.press("ArrowLeft")
        assert _at(pg) == "6,21" and y.get_attribute("value") == "6"
        assert curve.get_attribute("d") != before[0], "the loss curve did not follow y"
        assert "Target y = 0.3." in pg.locator(".gls").first.inner_text()
        pg.wait_for_timeout(REPORT_MS // 2)
        assert _sent(pg) == sent, "a step of y sent a message to the server (a rerun request)"
        pg.wait_for_function("() => new URL(location.href).searchParams.get('y') === '0.3'", timeout=15_000)
        wait_ready(pg, timeout=60_000)
        assert _param(pg, "p0") == "0.22"

        # y then ŷ₀ at once: (0.25, 0.23) is off the window around (0.3, 0.22): shown waiting, then drawn from
        # the window the server sends around it
        y.focus()
        pg.keyboard.press("ArrowLeft")
        p0.focus()
        pg.keyboard.press("ArrowRight")
        expect(pg.locator(".gls").first).to_have_attribute("data-at", "5,22", timeout=15_000)
        expect(pg.locator(".gls table").first).to_contain_text("L at ŷ₀ = 0.23", timeout=15_000)
        expect(pg.locator(".gls.gls-wait")).to_have_count(0, timeout=15_000)
        assert "Target y = 0.25." in pg.locator(".gls").first.inner_text()
        pg.wait_for_function(
            "() => { const q = new URL(location.href).searchParams; return q.get('y') === '0.25' && q.get('p0') === '0.23'; }",
            timeout=15_000,
        )
        wait_ready(pg, timeout=60_000)
        assert pg.locator("[data-testid=stException]").count() == 0
        assert not errors, errors
    finally:
        ctx.close()


def test_gradients_steps_each_of_its_three_axes_without_a_rerun(browser, server):
    """Gradients' stepper has three axes (w₁, w₂, θ) over one window around the point: a key step of each is
    drawn at once (the numbers, the checks) with nothing sent; the link follows once the learner stops."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 720})
    ctx.add_init_script(HOOK)
    pg = ctx.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    try:
        pg.goto(f"{server}/gradients")
        wait_ready(pg, timeout=90_000, settle_ms=800)
        ranges = pg.locator(".gls-range")
        ranges.first.wait_for(timeout=30_000)
        assert ranges.count() == 3
        w1, w2, angle = (ranges.nth(i) for i in range(3))
        assert [r.get_attribute("aria-label") for r in (w1, w2, angle)] == [
            "Point w₁",
            "Point w₂",
            "Direction θ (degrees, from the +w₁ axis)",
        ]
        pg.wait_for_timeout(REPORT_MS + 500)
        wait_ready(pg, timeout=60_000)
        assert (_param(pg, "w1"), _param(pg, "w2"), _param(pg, "angle")) == ("1", "1", "45")
        shown = lambda: pg.locator(".gls").first.inner_text()  # noqa: E731
        sent = _sent(pg)
        moved_at = time.monotonic()

        # each point axis one step and back (the window is a cross: each axis moved alone), then θ
        for rng, there in ((w1, "(1.05, 1)"), (w2, "(1, 1.05)")):
            rng.focus()
            pg.keyboard.press("ArrowRight")
            assert there in shown()
            pg.keyboard.press("ArrowLeft")
            assert "(1, 1)" in shown()
        angle.focus()
        pg.keyboard.press("ArrowRight")
        moved_at = time.monotonic()
        assert "D_u L at θ = 46°" in shown()
        assert pg.locator(".gls.gls-wait").count() == 0, "a step inside the window was shown waiting"
        pg.wait_for_timeout(REPORT_MS // 2)
        assert _sent(pg) == sent, "a step sent a message to the server (a rerun request)"
        assert _param(pg, "angle") == "45", "the link changed before the learner stopped"

        # the position is reported once the learner stops, and the link follows
        pg.wait_for_function(
            "() => new URL(location.href).searchParams.get('angle') === '46'", timeout=15_000
        )
        waited = time.monotonic() - moved_at
        assert waited >= REPORT_MS / 1000 * 0.9, f"the link followed after {waited:.2f} s: before the report"
        wait_ready(pg, timeout=60_000)
        assert (_param(pg, "w1"), _param(pg, "w2")) == ("1", "1")
        assert "D_u L at θ = 46°" in shown(), "the report's rerun moved the stepper"

        # after a report, a server-set θ (the "Along ∇L" button) is news: the stepper shows it
        w1.focus()
        pg.keyboard.press("ArrowRight")
        pg.wait_for_function("() => new URL(location.href).searchParams.get('w1') === '1.05'", timeout=15_000)
        wait_ready(pg, timeout=60_000)
        pg.get_by_role("button", name="Along ∇L").click()
        pg.wait_for_function(
            "() => new URL(location.href).searchParams.get('angle') === '253'", timeout=15_000
        )
        wait_ready(pg, timeout=60_000)
        assert "D_u L at θ = 253°" in shown() and angle.get_attribute("value") == "253"
        assert _param(pg, "w1") == "1.05"
        assert pg.locator("[data-testid=stException]").count() == 0
        assert not errors, errors
    finally:
        ctx.close()


def test_vanishing_gradients_steps_depth_and_width_without_a_rerun(browser, server):
    """Vanishing gradients' stepper over the depth and the width: a link lands on its position; a step of
    either axis inside the window (every depth at this width, the widths beside it at this depth) is drawn at
    once (the chart's description, the readouts) with nothing sent; the link follows once the learner stops;
    a width step past the window is shown waiting, then drawn from the window the server sends around it."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 720})
    ctx.add_init_script(HOOK)
    pg = ctx.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    try:
        pg.goto(f"{server}/vanishing_gradients?depth=7&width=10")
        wait_ready(pg, timeout=90_000, settle_ms=800)
        depth, width = pg.locator(".gls-range").nth(0), pg.locator(".gls-range").nth(1)
        width.wait_for(timeout=30_000)
        assert [depth.get_attribute("aria-label"), width.get_attribute("aria-label")] == [
            "Depth L (layers)",
            "Width (units per layer)",
        ]
        assert _at(pg) == "6,6"  # depth 7 (1, 2, …), width 10 (4, 5, …)
        chart = pg.locator(".gls [role=img]").first
        assert "7-layer stack of width 10," in chart.get_attribute("aria-label")
        pg.wait_for_timeout(REPORT_MS + 500)
        wait_ready(pg, timeout=60_000)
        sent = _sent(pg)
        readouts = pg.locator(".gls").first.inner_text()

        # the width: two steps right, drawn at once, nothing sent
        width.focus()
        pg.keyboard.press("ArrowRight")
        pg.keyboard.press("ArrowRight")
        moved_at = time.monotonic()
        assert _at(pg) == "6,8" and width.get_attribute("value") == "8"
        assert "7-layer stack of width 12," in chart.get_attribute("aria-label")
        assert pg.locator(".gls").first.inner_text() != readouts, "the readouts did not follow the width"
        assert pg.locator(".gls.gls-wait").count() == 0, "a step inside the window was shown waiting"
        pg.wait_for_timeout(REPORT_MS // 2)
        assert _sent(pg) == sent, "a width step sent a message to the server (a rerun request)"
        assert _param(pg, "width") == "10", "the link changed before the learner stopped"
        pg.wait_for_function(
            "() => new URL(location.href).searchParams.get('width') === '12'", timeout=15_000
        )
        waited = time.monotonic() - moved_at
        assert waited >= REPORT_MS / 1000 * 0.9, f"the link followed after {waited:.2f} s: before the report"
        wait_ready(pg, timeout=60_000)
        pg.wait_for_timeout(300)
        assert _at(pg) == "6,8", "the report's rerun moved the stepper"
        assert _param(pg, "depth") == "7"

        # the depth: one step left, inside the new window (every depth at width 12), nothing sent
        sent = _sent(pg)
        depth.focus()
        pg.keyboard.press("ArrowLeft")
        assert _at(pg) == "5,8" and "6-layer stack of width 12," in chart.get_attribute("aria-label")
        pg.wait_for_timeout(REPORT_MS // 2)
        assert _sent(pg) == sent, "a depth step sent a message to the server (a rerun request)"
        pg.wait_for_function("() => new URL(location.href).searchParams.get('depth') === '6'", timeout=15_000)
        wait_ready(pg, timeout=60_000)
        assert _param(pg, "width") == "12"

        # the width three steps right: past the window (widths 10-14 at depth 6), drawn once the server's
        # window around it arrives
        width.focus()
        for _ in range(3):
            pg.keyboard.press("ArrowRight")
        expect(pg.locator(".gls").first).to_have_attribute("data-at", "5,11", timeout=15_000)
        expect(pg.locator(".gls.gls-wait")).to_have_count(0, timeout=15_000)
        expect(chart).to_have_attribute(
            "aria-label", re.compile("6-layer stack of width 15,"), timeout=15_000
        )
        pg.wait_for_function(
            "() => new URL(location.href).searchParams.get('width') === '15'", timeout=15_000
        )
        wait_ready(pg, timeout=60_000)
        assert pg.locator("[data-testid=stException]").count() == 0
        assert not errors, errors
    finally:
        ctx.close()
