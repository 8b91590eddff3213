"""Real browser (issue 11): inert link values, one history entry per action, work kept across pages."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from tests.browser.conftest import SHOTS, wait_ready

pytestmark = [pytest.mark.browser, pytest.mark.timeout(240)]


def _nav(pg, title: str, path: str) -> None:
    pg.locator("[data-testid=stSidebar] [data-testid=stPageLink-NavLink]").filter(
        has_text=title
    ).first.click()
    pg.wait_for_url(f"**/{path}**")
    wait_ready(pg)


def test_a_hostile_link_renders_no_link_or_formula_in_the_notice(page, server):
    payload = "[log in](https://evil.example) $\\Huge\\text{HACKED}$ :material/warning: **bold**"
    page.goto(f"{server}/derivatives?x0={quote(payload)}")
    wait_ready(page)
    alert = page.locator("[data-testid=stAlertContentWarning]").first
    text = alert.inner_text()
    assert "[log in](https" in text, text  # the characters, as typed
    assert alert.locator("a, .katex, strong, [data-testid=stIconMaterial]").count() == 0
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "edges-hostile-notice.png"))


def test_one_action_one_history_entry_and_work_kept_across_pages(page, server):
    page.goto(f"{server}/derivatives")
    wait_ready(page)
    hist = lambda: page.evaluate("history.length")  # noqa: E731
    start = hist()
    thumb = page.locator('[data-testid=stSlider] input[type=range][aria-label="Point x₀"]')
    thumb.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => new URLSearchParams(location.search).get('x0') !== '5'")
    wait_ready(page)
    moved = page.url
    assert hist() - start <= 1, "one slider move, at most one history entry"
    before_nav = hist()
    _nav(page, "Gradients", "gradients")
    page.wait_for_function("() => new URLSearchParams(location.search).has('surface')")
    wait_ready(page)
    nav_entries = hist() - before_nav
    _nav(page, "Derivatives", "derivatives")
    page.wait_for_function("() => new URLSearchParams(location.search).has('x0')")
    wait_ready(page)
    assert page.url == moved, "the page comes back as it was left (x₀ kept, in the address too)"
    presses = 0
    while "/gradients" not in page.url and presses < 6:
        page.go_back()
        wait_ready(page)
        presses += 1
    print(
        f"history entries: slider move {1}, navigation {nav_entries}; Back presses to previous page {presses}"
    )
    assert nav_entries <= 1, "one navigation, one history entry"
    assert presses == 1, "Back returns to the page before"
    page.go_back()
    page.wait_for_url("**/derivatives?**")
    wait_ready(page)
    assert page.url == moved, "a second Back: the first page, as it was left"
    assert page.locator("[data-testid=stAlertContentWarning]").count() == 0, (
        "no notice from one's own history"
    )
