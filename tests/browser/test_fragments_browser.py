"""Real browser (issue 17): a page's stage is an `st.fragment`, so a change reruns only the stage. A stop inside
the stage still ends the whole page, and the page comes back whole once the stage gets to its end again.
AppTest cannot show this: it reruns whole scripts, never a fragment alone.
"""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.browser.conftest import SHOTS, wait_ready

pytestmark = [pytest.mark.browser, pytest.mark.timeout(240)]

CODE = "[data-testid=stExpander]:has-text('Show the code')"


def _type(pg, label: str, text: str) -> None:
    box = pg.locator(f'[data-testid=stTextInput] input[aria-label="{label}"]')
    box.fill(text)
    box.press("Enter")
    pg.wait_for_function(
        "(t) => new URLSearchParams(location.search).get('expr') === t", arg=text, timeout=30_000
    )
    wait_ready(pg)


def test_after_a_link_that_stops_the_page_a_fixed_formula_brings_the_whole_page_back(page, server):
    page.goto(f"{server}/autodiff?preset=expression&expr={quote('(x')}")
    wait_ready(page)
    assert page.get_by_text("Could not read f").count() == 1
    assert page.locator(CODE).count() == 0, "the typo ends the page: no code under it"
    _type(page, "f(x, y, z) =", "x*y + z")  # a rerun of the stage alone; it gets to its end
    page.get_by_role("img", name=re.compile("^Computational graph")).first.wait_for(timeout=30_000)
    page.locator(CODE).first.wait_for(timeout=30_000)  # the page after the stage is drawn again
    assert page.get_by_text("Could not read f").count() == 0
    assert page.locator("[data-testid=stException]").count() == 0


def test_a_stop_inside_the_stage_ends_the_whole_page_and_a_fix_brings_it_back(page, server):
    page.goto(f"{server}/gradient_checking?mode=function")
    wait_ready(page)
    page.locator(CODE).first.wait_for(timeout=30_000)
    _type(page, "f(x, y, z) =", "log(x - 5)")  # undefined at the point: the page stops there
    page.get_by_text("is not defined at").first.wait_for(timeout=30_000)
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "fragments-stopped.png"))
    assert page.locator(CODE).count() == 0, "the code of the last good f stayed under the stop"
    _type(page, "f(x, y, z) =", "x**2 * y")
    page.locator(CODE).first.wait_for(timeout=30_000)
    assert page.get_by_text("is not defined at").count() == 0
    assert page.locator("[data-testid=stException]").count() == 0


NOT_CHALLENGE = ":not([class*=st-key-challenge_panel] *)"  # the page's own controls, not its challenge's
NESTED_PAGES = ["derivatives", "jacobians", "gradient_checking", "vanishing_gradients"]


def _exception(pg) -> str | None:
    shown = pg.locator("[data-testid=stException]")
    return shown.first.inner_text()[:300] if shown.count() else None


@pytest.mark.parametrize("name", NESTED_PAGES)
def test_every_control_of_a_page_with_a_nested_fragment_redraws_without_an_error(page, server, name):
    """A fragment nested in the stage's draws into containers the stage makes. Streamlit refuses such a
    write in some shapes (two levels deep, when the outermost fragment reruns: "did not write to that
    container during the last full app run"), and AppTest never reruns a fragment alone: so every
    selectbox, radio, button group and slider of the page (not of its challenge) is changed once, in a
    real browser, and no error may show."""
    page.goto(f"{server}/{name}")
    wait_ready(page)
    changed = 0
    for kind, testid, option in (("radio", "stRadio", "label"), ("button group", "stButtonGroup", "button")):
        widgets = page.locator(f"[data-testid=stMain] [data-testid={testid}]{NOT_CHALLENGE}")
        for i in range(widgets.count()):
            options = widgets.nth(i).locator(option)
            if options.count() > 1:  # its second option
                options.nth(1).click()
                wait_ready(page)
                changed += 1
                assert _exception(page) is None, f"{kind} {i}: {_exception(page)}"
    selects = page.locator(f"[data-testid=stMain] [data-testid=stSelectbox]{NOT_CHALLENGE}")
    for i in range(selects.count()):
        options = page.get_by_role("option")
        for _ in range(3):  # a click during a rerun's last redraw can be lost: try again
            selects.nth(i).click()
            try:
                options.first.wait_for(timeout=4_000)
                break
            except PlaywrightTimeout:
                page.keyboard.press("Escape")
                wait_ready(page)
        if options.count() > 1:
            options.nth(1).click()
            wait_ready(page)
            changed += 1
        else:
            page.keyboard.press("Escape")
        assert _exception(page) is None, f"selectbox {i}: {_exception(page)}"
    sliders = page.locator(f"[data-testid=stMain] [data-testid=stSlider]{NOT_CHALLENGE} input[type=range]")
    for i in range(sliders.count()):
        sliders.nth(i).focus()
        page.keyboard.press("ArrowLeft")
        wait_ready(page)
        changed += 1
        assert _exception(page) is None, f"slider {i}: {_exception(page)}"
    assert changed >= 2
