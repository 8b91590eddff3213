"""The keyboard alone: Tab to the replay player on Backprop and Gradient descent, play, pause, step, then Tab
to a preset and press it — no mouse, no programmatic focus (issue 14)."""

from __future__ import annotations

import pytest

from tests.browser.conftest import wait_ready

pytestmark = [pytest.mark.browser, pytest.mark.timeout(240)]

# The focused element, looking inside shadow roots (the player lives in a component's open shadow root).
ACTIVE = """() => {
  let a = document.activeElement;
  while (a && a.shadowRoot && a.shadowRoot.activeElement) a = a.shadowRoot.activeElement;
  if (!a) return '';
  return [a.tagName, String(a.className || ''), (a.innerText || a.textContent || '').trim().slice(0, 60)].join('|');
}"""
STATE = "() => { const s = (window.__glPlayers || [])[0]; return s ? [s.frame, s.playing] : null; }"


def _tab_to(pg, matches, limit: int = 80) -> str:
    """Press Tab until the focused element matches; return its description."""
    for _ in range(limit):
        pg.keyboard.press("Tab")
        now = pg.evaluate(ACTIVE)
        if matches(now):
            return now
    raise AssertionError(f"Tab never reached the element (last: {pg.evaluate(ACTIVE)!r})")


def _player_root(desc: str) -> bool:
    tag, cls, _ = desc.split("|", 2)
    return "glp" in cls.split()


def _button(label: str):
    return lambda desc: desc.startswith("BUTTON|") and label in desc.split("|", 2)[2]


def _open(pg, url: str) -> None:
    pg.goto(url)
    wait_ready(pg)
    pg.wait_for_function(
        "() => (window.__glPlayers || []).length > 0 && window.__glPlayers[0].built", timeout=30_000
    )


def _play_pause_step(pg) -> int:
    """Space plays, Space pauses, → steps one frame; returns the frame it ends on."""
    pg.keyboard.press("Space")
    pg.wait_for_function("() => window.__glPlayers[0].playing", timeout=10_000)
    pg.wait_for_timeout(700)
    pg.keyboard.press("Space")
    pg.wait_for_function("() => !window.__glPlayers[0].playing", timeout=10_000)
    paused, _ = pg.evaluate(STATE)
    assert paused > 0
    pg.keyboard.press("ArrowRight")
    pg.wait_for_function("(f) => window.__glPlayers[0].frame === f + 1", arg=paused, timeout=10_000)
    wait_ready(pg)
    return paused + 1


def test_backprop_by_keyboard_alone(page, server):
    _open(page, f"{server}/backprop?epoch=0")
    _tab_to(page, _player_root)
    frame = _play_pause_step(page)
    page.wait_for_function(f"() => location.search.includes('epoch={frame * 10}')", timeout=20_000)
    heading = page.locator("[data-testid=stHeading]", has_text="Paused at epoch ").first.inner_text()
    assert heading.split("Paused at epoch ", 1)[1].split()[0].replace(",", "") == str(frame * 10)
    _tab_to(page, _button("Article defaults"))
    page.keyboard.press("Enter")
    page.wait_for_function("() => window.__glPlayers[0].frame === 0", timeout=20_000)
    wait_ready(page)
    assert page.locator("[data-testid=stException]").count() == 0


def test_gradient_descent_by_keyboard_alone(page, server):
    _open(page, f"{server}/gradient_descent?step=0")
    _tab_to(page, _player_root)
    frame = _play_pause_step(page)
    page.wait_for_function(
        "(t) => [...document.querySelectorAll('[data-testid=stMarkdown]')].some(m => m.textContent.includes('Step t = ' + t))",
        arg=frame,
        timeout=20_000,
    )
    _tab_to(page, _button("Too large η"))
    page.keyboard.press("Enter")
    page.wait_for_function(
        "() => /[?&]lr=0\\.6(&|$)/.test(location.search)", timeout=20_000
    )  # the preset's η
    wait_ready(page)
    assert page.locator("[data-testid=stException]").count() == 0
