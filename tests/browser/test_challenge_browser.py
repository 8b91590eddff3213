"""Real browser: one 'Your turn' challenge end to end, by keyboard only (Tab, typing, Enter)."""

from __future__ import annotations

import pytest

from tests.browser.conftest import SHOTS, wait_ready

pytestmark = [pytest.mark.browser, pytest.mark.timeout(240)]

FOCUSED_LABEL = """() => {
    const el = document.activeElement;
    return el ? (el.getAttribute('aria-label') || el.innerText || '') : '';
}"""


def _tab_to(pg, label: str, limit: int = 300) -> int:
    """Press Tab until the focused element is labelled `label`; returns the number of presses."""
    for n in range(1, limit + 1):
        pg.keyboard.press("Tab")
        if pg.evaluate(FOCUSED_LABEL).strip() == label:
            return n
    raise AssertionError(f"never reached '{label}' with Tab")


def test_typed_challenge_by_keyboard(page, server):
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{server}/losses?challenge=losses.softmax_ce&reveal=after")
    wait_ready(page)
    panel = page.locator(".st-key-challenge_panel_losses")
    assert "0 of 1 answered" in panel.inner_text()
    assert "Just show me" not in panel.inner_text()  # reveal=after: no peeking

    presses = _tab_to(page, "Your answer")
    page.keyboard.type("y - p")  # a sign slip first
    page.keyboard.press("Enter")  # the form submits on Enter
    wait_ready(page)
    page.wait_for_selector(".st-key-challenge_panel_losses [data-testid=stAlertContentError]")
    wrong = panel.inner_text()
    assert "yours gives" in wrong and "sign is flipped" in wrong

    _tab_to(page, "Try again")
    page.keyboard.press("Enter")
    wait_ready(page)
    _tab_to(page, "Your answer")
    page.keyboard.type("p - y")
    page.keyboard.press("Enter")
    wait_ready(page)
    page.wait_for_selector(".st-key-challenge_panel_losses [data-testid=stAlertContentSuccess]")
    text = panel.inner_text()
    assert "Right" in text and "1 of 1 answered" in text and "1 right" in text
    assert "agree" in text  # the reveal's independent check
    assert page.locator("[data-testid=stException]").count() == 0
    SHOTS.mkdir(exist_ok=True)
    panel.screenshot(path=str(SHOTS / "challenge-losses-keyboard.png"))
    assert not errors, errors
    assert presses < 300
