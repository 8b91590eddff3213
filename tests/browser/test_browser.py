"""Real browser: each page loads and draws, navigation and keyboard work, deep links on a fresh server."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest

from tests.browser.conftest import streamlit_server, wait_ready
from tests.support import PAGE_IDS, PAGES, open_page, url_specs

pytestmark = [pytest.mark.browser, pytest.mark.timeout(240)]


def _expected_h1(page) -> str:
    return "Gradient Lab" if not page.url_path else page.title


def _assert_page(pg, page) -> None:
    assert pg.locator("[data-testid=stException]").count() == 0, pg.locator(
        "[data-testid=stException]"
    ).first.inner_text()
    assert _expected_h1(page) in pg.locator("h1").first.inner_text()
    assert pg.locator("[role=dialog]").count() == 0, "a 'Page not found' dialog is showing"


@pytest.mark.parametrize(
    "scheme", [pytest.param(s, marks=pytest.mark.xdist_group(f"pass-{s}")) for s in ("light", "dark")]
)
@pytest.mark.parametrize("page", PAGES, ids=PAGE_IDS)
@pytest.mark.timeout(600)  # the first of a scheme makes the shared pass over every page
def test_page_loads_and_draws(page_passes, page, scheme):
    """One load of the page (shared with the accessibility audit, tests/browser/page_pass.py): no exception,
    its title, no dialog, every chart drawn, no JavaScript error; screenshot .screenshots/<page>-<scheme>.png."""
    r = page_passes(scheme)[page.url_path or "home"]
    assert r["error"] is None, r["error"]
    assert r["exception"] is None, r["exception"]
    assert _expected_h1(page) in r["h1"]
    assert r["dialogs"] == 0, "a 'Page not found' dialog is showing"
    if page.url_path:
        assert r["drawn"] >= 1, "every concept page draws at least one chart"
    assert not r["pageerrors"], r["pageerrors"]


def test_sidebar_navigation(page, server):
    page.goto(server)
    wait_ready(page)
    targets = [p for p in PAGES if p.url_path][:3]
    for target in targets:
        page.locator("[data-testid=stSidebar] [data-testid=stPageLink-NavLink]").filter(
            has_text=target.title
        ).first.click()
        page.wait_for_url(f"**/{target.url_path}**")
        wait_ready(page)
        _assert_page(page, target)


def test_slider_moves_by_keyboard(page, server):
    """Focus the x₀ slider, press → twice: the value, the URL and the numbers on the page follow."""
    page.goto(f"{server}/derivatives")
    wait_ready(page)
    thumb = page.locator('[data-testid=stSlider] input[type=range][aria-label="Point x₀"]')
    old = float(thumb.input_value())
    metric = page.locator("[data-testid=stMetricValue]").first
    old_metric = metric.inner_text()
    thumb.focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.wait_for_function(
        "(old) => { const q = new URLSearchParams(location.search).get('x0'); return q && Number(q) > old; }",
        arg=old,
    )
    wait_ready(page)
    new = float(parse_qs(urlparse(page.url).query)["x0"][0])
    assert new > old
    assert float(thumb.input_value()) == new
    assert metric.inner_text() != old_metric, "f(x₀) follows the slider"
    assert page.locator("[data-testid=stException]").count() == 0


def _deep_link_param(page) -> tuple[str, str] | None:
    """A valid, non-default value for one of the page's link parameters."""
    at = open_page(page)
    specs = url_specs(at)
    for name, spec in specs.items():
        if spec.kind in ("float", "int") and spec.options:
            other = [o for o in spec.options if o != spec.default]
            return name, spec.format(other[len(other) // 2])
        if spec.kind in ("float", "int") and spec.lo is not None:
            value = spec.default + 1 if spec.kind == "int" else (spec.default + spec.hi) / 2
            if value > spec.hi:
                value = spec.default - 1
            return name, spec.format(value)
    for name, spec in specs.items():
        if spec.kind == "choice":
            return name, next(o for o in spec.options if o != spec.default)
    return None


@pytest.mark.parametrize("page", PAGES, ids=PAGE_IDS)
def test_fresh_server_first_request_is_a_deep_link(browser, page):
    """The classroom case: the app just woke up and the first visitor opens a shared link."""
    param = _deep_link_param(page)
    query = f"?{param[0]}={param[1]}" if param else ""
    with streamlit_server(f"fresh-{page.url_path or 'home'}") as base:
        ctx = browser.new_context(viewport={"width": 1400, "height": 900})
        pg = ctx.new_page()
        try:
            pg.goto(f"{base}/{page.url_path}{query}")
            wait_ready(pg)
            _assert_page(pg, page)
            # Rendered through the entry: the shared sidebar footer and the app's navigation are there.
            assert pg.get_by_role("button", name="Reset this page").count() == 1
            assert pg.locator("[data-testid=stSidebar] [data-testid=stPageLink-NavLink]").count() == len(
                PAGES
            )
            assert "Gradient Lab" in pg.title()
            if param:
                got = parse_qs(urlparse(pg.url).query)
                assert got.get(param[0]) == [param[1]], (param, pg.url)
                assert pg.get_by_text("Link parameter").count() == 0
        finally:
            ctx.close()
