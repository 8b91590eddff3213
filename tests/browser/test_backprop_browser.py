"""Real browser: the backprop page's replay player (play, pause at 1000, step, scrub, keys, reduced motion, links)."""

from __future__ import annotations

import pytest

from tests.browser.conftest import SHOTS, wait_ready

pytestmark = [pytest.mark.browser, pytest.mark.timeout(240)]

PLAYER = ".glp"  # the player's root inside the component's (open) shadow root; Playwright pierces it
STATE = "() => { const s = (window.__glPlayers || [])[0]; return s ? [s.frame, s.playing, s.draws] : null; }"


def _state(pg) -> tuple[int, bool, int]:
    frame, playing, draws = pg.evaluate(STATE)
    return frame, playing, draws


HEADING = "Paused at epoch "  # the panels' heading names the epoch they show ("Paused at epoch 1,000")


def _shown_epoch(pg) -> int:
    text = pg.locator("[data-testid=stHeading]", has_text=HEADING).first.inner_text()
    return int(text.split(HEADING, 1)[1].split()[0].replace(",", ""))


def _wait_shown(pg, epoch: int) -> None:
    pg.wait_for_function(
        """([head, e]) => [...document.querySelectorAll('[data-testid=stHeading]')].some(h =>
               h.textContent.includes(head) &&
               h.textContent.split(head)[1].trim().split(/\\s/)[0].replace(/,/g, '') === String(e))""",
        arg=[HEADING, epoch],
        timeout=30_000,
    )
    wait_ready(pg)


def _open(pg, url: str) -> list[str]:
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.goto(url)
    wait_ready(pg)
    pg.wait_for_function(
        "() => (window.__glPlayers || []).length > 0 && window.__glPlayers[0].built", timeout=30_000
    )
    return errors


def test_autoplay_stops_exactly_at_the_articles_epoch_and_the_panels_follow(page, server) -> None:
    errors = _open(page, f"{server}/backprop")
    page.wait_for_function("() => window.__glPlayers[0].playing || window.__glPlayers[0].frame > 0")
    page.wait_for_function(
        "() => !window.__glPlayers[0].playing && window.__glPlayers[0].frame === 100", timeout=30_000
    )
    assert page.locator(PLAYER).get_attribute("data-epoch") == "1000"
    _wait_shown(page, 1000)
    assert "epoch=1000" in page.url
    assert page.get_by_text("The chain rule for one weight, at epoch 1,000").count() == 1
    assert "0.099032" in page.locator(PLAYER).inner_text()  # the player's loss readout at epoch 1000
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "backprop-player-1000.png"))
    assert page.locator("[data-testid=stException]").count() == 0
    assert not errors, errors


def test_keyboard_play_pause_step_home_end_and_scrub(page, server) -> None:
    errors = _open(page, f"{server}/backprop?epoch=0")
    assert _state(page)[:2] == (0, False)  # a link opens paused
    root = page.locator(PLAYER)
    root.focus()
    root.press("ArrowRight")
    root.press("ArrowRight")
    assert _state(page)[0] == 2
    _wait_shown(page, 20)
    root.press("ArrowLeft")
    _wait_shown(page, 10)
    root.press("End")
    _wait_shown(page, 10_000)
    root.press("Home")
    _wait_shown(page, 0)
    page.locator(".glp-pauseat").fill("")  # no stop at 1000 racing the second Space
    root.focus()
    root.press("Space")
    page.wait_for_timeout(1500)
    frame, playing, _ = _state(page)
    assert playing and frame > 10
    root.press("Space")
    frame, playing, _ = _state(page)
    assert not playing
    _wait_shown(page, frame * 10)  # Pause reported exactly the frame on screen
    page.wait_for_timeout(800)
    assert _state(page)[0] == frame and _shown_epoch(page) == frame * 10
    scrub = page.locator(".glp-scrub")
    scrub.focus()
    scrub.press("ArrowRight")
    _wait_shown(page, frame * 10 + 10)
    assert f"epoch={frame * 10 + 10}" in page.url
    # the visible focus ring on the player
    root.focus()
    outline = page.evaluate(
        "() => { const r = document.querySelector('[data-testid=stApp]'); "
        "const host = [...r.querySelectorAll('*')].find(e => e.shadowRoot && "
        "e.shadowRoot.querySelector('.glp')); const el = host.shadowRoot.querySelector('.glp'); "
        "return getComputedStyle(el).outlineStyle; }"
    )
    assert outline == "solid"
    assert not errors, errors


def test_reduced_motion_starts_paused(browser, server) -> None:
    ctx = browser.new_context(viewport={"width": 1280, "height": 720}, reduced_motion="reduce")
    pg = ctx.new_page()
    try:
        errors = _open(pg, f"{server}/backprop")
        pg.wait_for_timeout(2000)
        assert _state(pg)[:2] == (0, False)
        assert pg.locator(PLAYER).get_attribute("data-reduced-motion") == "true"
        assert _shown_epoch(pg) == 0
        assert not errors, errors
    finally:
        ctx.close()


def test_a_link_with_an_epoch_opens_on_that_frame(page, server) -> None:
    errors = _open(page, f"{server}/backprop?epoch=2500&lr=0.5")
    assert _state(page)[:2] == (250, False)
    assert page.locator(PLAYER).get_attribute("data-epoch") == "2500"
    assert _shown_epoch(page) == 2500
    assert page.get_by_text("The chain rule for one weight, at epoch 2,500").count() == 1
    assert not errors, errors


def test_gradient_descent_player_plays_every_optimizer_and_reports_the_step(page, server) -> None:
    errors = _open(page, f"{server}/gradient_descent?opts=sgd,momentum&steps=50")
    assert _state(page)[:2] == (50, False)  # opens on the whole path
    root = page.locator(PLAYER)
    root.focus()
    root.press("Home")
    page.wait_for_function("() => document.body.innerText.includes('Step t = 0:')", timeout=30_000)
    root.press("Space")
    page.wait_for_function(
        "() => !window.__glPlayers[0].playing && window.__glPlayers[0].frame === 50", timeout=30_000
    )  # played to the end, then stopped and reported
    page.wait_for_function("() => document.body.innerText.includes('Step t = 50:')", timeout=30_000)
    root.press("ArrowLeft")
    page.wait_for_function("() => document.body.innerText.includes('Step t = 49:')", timeout=30_000)
    assert "step=49" in page.url
    assert page.get_by_text("| Momentum | 49 |").count() == 0  # a markdown table, not raw text
    assert page.locator("table").filter(has_text="Momentum").count() >= 1
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "gradient-descent-player.png"))
    assert not errors, errors


def test_article_defaults_brings_the_player_back_to_epoch_0(page, server) -> None:
    errors = _open(page, f"{server}/backprop?epoch=3000&lr=0.5")
    assert _state(page)[:2] == (300, False)
    page.get_by_role("button", name="Article defaults").click()
    _wait_shown(page, 0)
    page.wait_for_function("() => window.__glPlayers[0].frame === 0 && !window.__glPlayers[0].playing")
    assert page.locator(PLAYER).get_attribute("data-epoch") == "0"
    assert "epoch=0" in page.url and "lr=1" in page.url
    assert not errors, errors


def test_a_setting_moved_back_decodes_nothing_again_and_draws_the_same(page, server) -> None:
    """Hidden units 3 → 4 → 3: the second history is decoded once; back on 3 every blob is found by its digest
    (nothing decoded or inflated again) and the panels draw the same pixels on the same epoch."""
    errors = _open(page, f"{server}/backprop?epoch=3000")
    assert _state(page)[:2] == (300, False)
    pixels = "() => window.__glPlayers[0].built.panels.map((p) => p.canvas.toDataURL())"
    ids = "() => window.__glPlayers[0].id"
    before, first_id = page.evaluate(pixels), page.evaluate(ids)
    slider = page.locator("[data-testid=stSlider]", has_text="Hidden units").locator("input[type=range]")
    slider.focus()
    slider.press("ArrowRight")
    page.wait_for_function(f"() => ({ids})() !== {first_id!r} && window.__glPlayers[0].built", timeout=60_000)
    _wait_shown(page, 3000)
    fresh = page.evaluate("() => window.__glpDecoded.fresh")
    slider.press("ArrowLeft")
    page.wait_for_function(f"() => ({ids})() === {first_id!r}", timeout=60_000)
    _wait_shown(page, 3000)
    page.wait_for_timeout(300)
    assert page.evaluate("() => window.__glpDecoded.fresh") == fresh
    assert _state(page)[:2] == (300, False)
    assert page.evaluate(pixels) == before
    assert not errors, errors
