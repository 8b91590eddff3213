"""Real browser: the Network playground's replay player (play, pause, step, the panels follow, deep link)."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import SHOTS, wait_ready

pytestmark = [pytest.mark.browser, pytest.mark.timeout(240)]

PLAYER = ".glp"  # the player's root inside the component's (open) shadow root; Playwright pierces it
STATE = "() => { const s = (window.__glPlayers || [])[0]; return s ? [s.frame, s.playing, s.draws] : null; }"
EPOCH_LABEL = "Epoch (of 200)"


def _state(pg) -> tuple[int, bool, int]:
    frame, playing, draws = pg.evaluate(STATE)
    return frame, playing, draws


def _metric(pg, label: str) -> str:
    box = pg.locator("[data-testid=stMetric]", has_text=label)
    return box.locator("[data-testid=stMetricValue]").inner_text().strip()


def _wait_metric(pg, epoch: int, label: str = EPOCH_LABEL) -> None:
    pg.wait_for_function(
        """([label, e]) => [...document.querySelectorAll('[data-testid=stMetric]')].some(m =>
               m.textContent.includes(label) &&
               m.querySelector('[data-testid=stMetricValue]').textContent.trim() === String(e))""",
        arg=[label, epoch],
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


def _readout(pg) -> float:
    """The player's own train-loss readout (drawn from the history in the browser)."""
    text = pg.locator(".glp-extra").inner_text()
    return float(re.search(r"Train loss (\S+)", text).group(1))


def test_plays_pauses_steps_and_the_page_follows_the_frame(page, server) -> None:
    errors = _open(page, f"{server}/playground")
    page.wait_for_function(
        "() => window.__glPlayers[0].playing && window.__glPlayers[0].frame > 20", timeout=30_000
    )  # autoplay: drawing in the browser, one frame per epoch
    root = page.locator(PLAYER)
    page.locator(".glp-play").click()  # Pause
    frame, playing, _ = _state(page)
    assert not playing and 20 < frame < 200
    _wait_metric(page, frame)  # the one rerun after Pause shows exactly the frame on screen
    assert root.get_attribute("data-epoch") == str(frame)
    assert f"epoch={frame}" in page.url
    assert (
        abs(_readout(page) - float(_metric(page, "Train loss"))) <= 5e-5
    )  # panel value = page's metric (4 digits)
    assert page.get_by_text(re.compile(rf"The chain rule for W1\[0,0\] at epoch {frame}$")).count() == 1
    root.focus()
    root.press("ArrowRight")
    _wait_metric(page, frame + 1)
    assert _state(page)[:2] == (frame + 1, False)
    assert f"epoch={frame + 1}" in page.url
    assert abs(_readout(page) - float(_metric(page, "Train loss"))) <= 5e-5
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "playground-player.png"))
    assert page.locator("[data-testid=stException]").count() == 0
    assert not errors, errors


def test_a_link_with_an_epoch_opens_paused_there_and_plays_to_the_end(page, server) -> None:
    errors = _open(page, f"{server}/playground?epoch=150&edge=grad")
    assert _state(page)[:2] == (150, False)
    assert _metric(page, EPOCH_LABEL) == "150"
    page.locator(PLAYER).focus()
    page.locator(PLAYER).press("Space")
    page.wait_for_function(
        "() => !window.__glPlayers[0].playing && window.__glPlayers[0].frame === 200", timeout=30_000
    )  # played to the last epoch, stopped and reported it
    _wait_metric(page, 200)
    assert float(_metric(page, "Test accuracy").split()[0]) >= 95.0
    assert "epoch=200" in page.url
    assert not errors, errors


def test_changing_the_epochs_keeps_the_epoch_on_screen(page, server) -> None:
    errors = _open(page, f"{server}/playground?epoch=150")
    assert _state(page)[:2] == (150, False)
    page.locator("[data-testid=stSelectbox]", has_text="Epochs").click()
    page.get_by_role("option", name="1000", exact=True).click()
    page.wait_for_function(
        "() => window.__glPlayers[0].n === 201 && window.__glPlayers[0].frame === 30", timeout=60_000
    )  # a frame every 5 epochs now: epoch 150 is frame 30
    _wait_metric(page, 150, "Epoch (of 1000)")
    assert page.locator(PLAYER).get_attribute("data-epoch") == "150"
    assert "epoch=150" in page.url and "epochs=1000" in page.url
    page.wait_for_timeout(1000)
    assert _metric(page, "Epoch (of 1000)") == "150"
    assert not errors, errors
