"""ui.player following a ui.stepper (tests/apps/player_follows_stepper.py) in a real browser: a stepper step
inside its window switches the player's history with nothing sent, on the same frame; a step outside it dims
the player until the server's next window brings that history. No page error."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import streamlit_server, wait_ready
from tests.browser.test_stepper_browser import HOOK
from ui.stepper import REPORT_MS

pytestmark = [pytest.mark.browser, pytest.mark.timeout(180)]


@pytest.fixture(scope="module")
def follow_server():
    with streamlit_server("follow-server", app_file="tests/apps/player_follows_stepper.py") as base:
        yield base


def test_a_stepper_step_switches_the_players_history_in_the_browser(browser, follow_server):
    ctx = browser.new_context(viewport={"width": 1280, "height": 720})
    ctx.add_init_script(HOOK)
    pg = ctx.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    try:
        pg.goto(follow_server)
        wait_ready(pg, timeout=60_000, settle_ms=800, landmark=None)
        glp = pg.locator(".glp").first
        expect(glp).to_have_attribute("data-history", "follow:2:0", timeout=15_000)
        assert glp.get_attribute("data-frame") == "5"
        pg.wait_for_timeout(REPORT_MS + 300)
        sent = pg.evaluate("() => window.__sent.length")
        draws = pg.evaluate("() => window.__glPlayers[0].draws")

        a, b = pg.locator(".gls-range").nth(0), pg.locator(".gls-range").nth(1)
        a.focus()
        pg.keyboard.press("ArrowRight")  # a = 3: in the window (±1)
        assert glp.get_attribute("data-history") == "follow:3:0", "the player did not follow the step"
        below = pg.locator(".gls").nth(1)
        assert below.locator(".gls-text").first.inner_text().strip() == "below: a = 3, b = 0, frame 5"
        assert below.locator(".gls-range").count() == 0 or not below.locator(".gls-bar").is_visible()
        assert glp.get_attribute("data-frame") == "5", "the player lost its frame"
        assert pg.evaluate("() => window.__glPlayers[0].draws") > draws
        assert pg.locator(".glp.glp-wait").count() == 0
        b.focus()
        pg.keyboard.press("ArrowRight")  # (3, 1): off the cross around (2, 0): waits, dimmed
        assert pg.locator(".glp.glp-wait").count() == 1, "a position with no history is not shown waiting"
        assert pg.locator(".gls.gls-wait").count() == 2, "the stepper and its follower are not both waiting"
        assert glp.get_attribute("data-history") == "follow:3:0"
        expect(glp).to_have_attribute("data-history", "follow:3:1", timeout=15_000)
        expect(pg.locator(".glp.glp-wait")).to_have_count(0)
        assert glp.get_attribute("data-frame") == "5"
        assert pg.evaluate("() => window.__sent.length") > sent, "the miss was never asked for"

        # around the new centre, a step on b is a switch again, with nothing sent
        wait_ready(pg, timeout=30_000, landmark=None)
        pg.wait_for_timeout(REPORT_MS + 300)
        sent = pg.evaluate("() => window.__sent.length")
        b.focus()
        pg.keyboard.press("ArrowRight")
        assert glp.get_attribute("data-history") == "follow:3:2"
        assert below.locator(".gls-text").first.inner_text().strip() == "below: a = 3, b = 2, frame 5"
        pg.wait_for_timeout(REPORT_MS // 2)
        assert pg.evaluate("() => window.__sent.length") == sent, "a step inside the window sent a message"
        assert errors == []
    finally:
        ctx.close()
