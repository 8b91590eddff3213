"""Real browser, every page from the registry: the classroom layout (issue 13).

- 1280×720 (a projector): the top of the page's main chart is above y = 720 while its main control is
  fully on screen — also in presentation mode (`?present=1`, text 1.5×, sidebar collapsed).
- No formula wider than its box without a way to scroll to the rest (a scrolling box must take focus).
- No button/select/metric/label text cut with an ellipsis at 1280 px.
- No chart text past its chart's edge (a legend entry, a marker's label) and no axis, legend or title
  text cut short with "…", at any size or mode; in
  presentation mode the charts' text is 1.5× (21 px and up), laid out by Vega at that size.
- 390×844 (a phone): the sidebar is closed on load and no page is wider than the screen.

Pages mark their stage with `ui.layout.stage_control()` / `stage_chart()` (CSS classes
`st-key-main_control` / `st-key-main_chart`). One server, one browser, one tab per pass; screenshots
go to .screenshots/layout-<page>-<w>x<h>-<scheme>[-present].png.
"""

from __future__ import annotations

import time

import pytest

from tests.browser.conftest import SHOTS, wait_charts_drawn, wait_ready
from tests.support import PAGES

pytestmark = [pytest.mark.browser, pytest.mark.timeout(600)]

# Rebuilt around the browser-side player on another branch (issue 12); they get their stage markers there.
# Until then their stage is measured on the first chart and the first control, and reported, not asserted.
STAGE_PENDING: set[str] = set()  # every page marks its stage (the player pages: its buttons and drawing)

MEASURE = r"""(vh) => {
  const main = document.querySelector('[data-testid=stMain]');
  const first = (root, sel) => {  // also inside components' open shadow roots (the replay player)
    if (!root) return null;
    const found = root.querySelector(sel);
    if (found) return found;
    for (const host of root.querySelectorAll('*')) {
      if (host.shadowRoot) { const inner = first(host.shadowRoot, sel); if (inner) return inner; }
    }
    return null;
  };
  const CHART = '[data-testid=stVegaLiteChart], [data-testid=stGraphVizChart], canvas, svg';
  const CONTROL = 'input, [role=slider], [role=combobox], [role=radiogroup], textarea, [data-testid^=stBaseButton]';
  const chartBox = document.querySelector('.st-key-main_chart');
  const ctrlBox = document.querySelector('.st-key-main_control');
  const chart = first(chartBox, CHART) || chartBox || first(main, '[data-testid=stVegaLiteChart]');
  const ctrl = first(ctrlBox, CONTROL) || first(main, '[data-testid=stWidgetLabel] ~ * ' + CONTROL.split(',')[0]);
  const rect = e => { if (!e) return null; const r = e.getBoundingClientRect();
                      return {top: Math.round(r.top), bottom: Math.round(r.bottom)}; };
  // formulas: the nearest ancestor that is narrower than its content must scroll and take focus
  const formulas = [];
  for (const k of main.querySelectorAll('.katex')) {
    if (k.parentElement.closest('.katex')) continue;
    if (k.getBoundingClientRect().width === 0) continue;  // in a closed expander or popover
    for (let a = k.parentElement; a && a !== main; a = a.parentElement) {
      const ox = getComputedStyle(a).overflowX;
      if (ox === 'visible') continue;  // lets the formula spill into its parent: look further up
      if (a.scrollWidth > a.clientWidth + 1) {
        if (!['auto', 'scroll'].includes(ox)) formulas.push('clipped: ' + k.textContent.slice(0, 50));
        else if (a.tabIndex < 0) formulas.push('cannot take focus: ' + k.textContent.slice(0, 50));
      }
      break;  // the first box that does not let it spill decides
    }
  }
  const cut = [];
  for (const e of main.querySelectorAll('*')) {
    if (e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).textOverflow === 'ellipsis'
        && e.textContent.trim()) cut.push(e.textContent.trim().slice(0, 50));
  }
  for (const e of main.querySelectorAll('[data-testid=stSelectbox] input, [data-testid=stMultiSelect] input')) {  // value in an input
    if (e.scrollWidth > e.clientWidth + 1) cut.push('select value ' + (e.value || e.getAttribute('value') || ''));
  }
  const sb = document.querySelector('[data-testid=stSidebar]');
  const sbRect = sb ? sb.getBoundingClientRect() : null;
  return {
    chart: rect(chart), control: rect(ctrl), marked: !!chartBox && !!ctrlBox, formulas, cut,
    width: Math.max(document.documentElement.scrollWidth, main.scrollWidth),
    sidebarOpen: !!sbRect && sbRect.width > 50 && sbRect.right > 50,
    h1: parseFloat(getComputedStyle(document.querySelector('h1')).fontSize),
    diagramText: (() => {  // the smallest rendered letter of a Graphviz diagram (its fonts are in viewBox units)
      const svg = first(main, '[data-testid=stGraphVizChart] svg');
      if (!svg || !svg.viewBox.baseVal || !svg.viewBox.baseVal.width) return null;
      const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
      const sizes = [...svg.querySelectorAll('text')].map(t => parseFloat(t.getAttribute('font-size')) * scale);
      return sizes.length ? Math.round(Math.min(...sizes) * 10) / 10 : null; })(),
    chartText: (() => {  // the smallest drawn letter of the charts' text (px), or null without charts
      const sizes = [...main.querySelectorAll('[data-testid=stVegaLiteChart] svg text')]
        .filter(t => t.textContent.trim() && t.getBoundingClientRect().width > 0)
        .map(t => parseFloat(getComputedStyle(t).fontSize));
      return sizes.length ? Math.min(...sizes) : null; })(),
    // chart text that runs past its chart's box (a legend's last entries, a marker's label): cut off there
    chartSpill: [...main.querySelectorAll('[data-testid=stVegaLiteChart]')].flatMap(c => {
      const box = c.getBoundingClientRect();
      return [...c.querySelectorAll('svg text')].filter(t => {
        if (!t.textContent.trim() || getComputedStyle(t).opacity === '0') return false;
        const r = t.getBoundingClientRect();
        return r.width > 0 && (r.right > box.right + 3 || r.left < box.left - 5);
      }).map(t => t.textContent.trim().slice(0, 40));
    }).concat(  // an axis's, a legend's or a title's text cut short by Vega's length limit
      [...main.querySelectorAll('[data-testid=stVegaLiteChart] svg text')].filter(t => t.textContent.endsWith('…')
        && /role-(axis|legend|title)/.test((t.closest('g[class]') || {className: {baseVal: ''}}).className.baseVal))
        .map(t => 'cut: ' + t.textContent.slice(0, 40))),
    root: parseFloat(getComputedStyle(document.documentElement).fontSize),
  };
}"""


def _id(page) -> str:
    return page.url_path or "home"


def _visit(pg, server: str, page, query: str = "") -> dict:
    pg.goto(f"{server}/{page.url_path}{query}")
    wait_ready(pg)
    wait_charts_drawn(pg)
    # the layout script marks scrolling formulas 120 ms after the last DOM change: let that pass
    pg.wait_for_timeout(200)
    assert pg.locator("[data-testid=stException]").count() == 0, _id(page)
    return pg.evaluate(MEASURE, pg.viewport_size["height"])


def _stage_problem(m: dict, height: int) -> str | None:
    chart, ctrl = m["chart"], m["control"]
    if chart is None or ctrl is None:
        return f"no main chart / control found ({m})"
    if not (0 <= chart["top"] < height - 40):
        return f"main chart starts at y = {chart['top']} (screen height {height})"
    if not (0 <= ctrl["top"] and ctrl["bottom"] <= height):
        return f"main control at y = {ctrl['top']}..{ctrl['bottom']} is not fully on screen"
    return None


def _theme_is(pg, scheme: str) -> bool:
    """Streamlit follows the system colour scheme live: the app's background says which theme is on."""
    return pg.evaluate(
        """(scheme) => {
        const [r, g, b] = getComputedStyle(document.querySelector('[data-testid=stApp]')).backgroundColor
            .match(/\\d+/g).map(Number);
        return (r + g + b < 384) === (scheme === 'dark');
    }""",
        scheme,
    )


def _pass(browser, server, *, width, height, query="", phone=False):
    """Every page at one size, measured in the light theme and then, without reloading, in the dark one."""
    ctx = browser.new_context(viewport={"width": width, "height": height}, color_scheme="light")
    pg = ctx.new_page()
    problems: list[str] = []
    figures: dict[str, dict] = {}
    try:
        for page in PAGES:
            for scheme in ("light", "dark"):
                if scheme == "light":
                    m = _visit(pg, server, page, query)
                else:
                    pg.emulate_media(color_scheme="dark")
                    deadline = time.monotonic() + 10
                    while not _theme_is(pg, "dark") and time.monotonic() < deadline:
                        pg.wait_for_timeout(100)
                    assert _theme_is(pg, "dark"), "the app did not follow the dark colour scheme"
                    wait_charts_drawn(pg)
                    pg.wait_for_timeout(250)
                    m = pg.evaluate(MEASURE, height)
                name = f"{_id(page)} ({scheme})"
                figures[name] = m
                suffix = f"{width}x{height}-{scheme}" + ("-present" if query else "")
                SHOTS.mkdir(exist_ok=True)
                pg.screenshot(path=str(SHOTS / f"layout-{_id(page)}-{suffix}.png"))
                if scheme == "dark":
                    pg.emulate_media(color_scheme="light")  # the next page loads in the light theme
                problems += [f"{name}: formula {f}" for f in m["formulas"]]
                problems += [
                    f"{name}: chart text past the chart's edge or cut short: {t!r}" for t in m["chartSpill"]
                ]
                if phone:
                    if m["sidebarOpen"] and scheme == "light":  # on load
                        problems.append(f"{name}: sidebar open on load")
                    if m["width"] > width:
                        problems.append(f"{name}: page is {m['width']} px wide")
                    continue
                problems += [f"{name}: label cut to {c!r}" for c in m["cut"]]
                if not page.url_path and not query and (m["diagramText"] or 0) < 14:
                    problems.append(
                        f"{name}: the training-loop diagram's letters are {m['diagramText']} px (< 14)"
                    )
                if (
                    page.url_path and _id(page) not in STAGE_PENDING
                ):  # home has no control: its stage is a diagram
                    stage = _stage_problem(m, height)
                    if stage:
                        problems.append(f"{name}: {stage}")
                    if not m["marked"]:
                        problems.append(f"{name}: stage not marked (ui.layout.stage_control/stage_chart)")
    finally:
        ctx.close()
    print(
        f"\n{width}x{height}{query}: "
        + "; ".join(
            f"{k} chart@{(v['chart'] or {}).get('top')} control@{(v['control'] or {}).get('top')}-"
            f"{(v['control'] or {}).get('bottom')} width {v['width']}"
            + (f" diagram text {v['diagramText']} px" if v.get("diagramText") else "")
            for k, v in figures.items()
            if "light" in k
        )
    )
    return problems, figures


def test_projector_stage_formulas_labels(browser, server):
    problems, _ = _pass(browser, server, width=1280, height=720)
    assert not problems, "\n".join(problems)


def test_presentation_mode_stage(browser, server):
    problems, figures = _pass(browser, server, width=1280, height=720, query="?present=1")
    assert not problems, "\n".join(problems)
    for name, m in figures.items():
        assert not m["sidebarOpen"], f"{name}: the sidebar is open in presentation mode"
        assert m["root"] == 1.5 * 16, f"{name}: root font {m['root']} px in presentation mode"
        if m["chartText"] is not None:  # 1.5 × the charts' 14 px: laid out by Vega at that size
            assert m["chartText"] >= 1.5 * 14, f"{name}: chart text {m['chartText']} px in presentation mode"


def test_phone_sidebar_closed_and_no_sideways_page(browser, server):
    problems, _ = _pass(browser, server, width=390, height=844, phone=True)
    assert not problems, "\n".join(problems)


def test_presentation_mode_survives_navigation_and_toggles(browser, server):
    ctx = browser.new_context(viewport={"width": 1280, "height": 720})
    pg = ctx.new_page()
    try:
        pg.goto(f"{server}/derivatives")
        wait_ready(pg)
        assert "present=1" not in pg.url
        normal = pg.evaluate("() => parseFloat(getComputedStyle(document.documentElement).fontSize)")
        pg.locator("[data-testid=stSidebar] [data-testid=stCheckbox]").filter(
            has_text="Presentation mode"
        ).first.click()
        pg.wait_for_url("**present=1**")
        wait_ready(pg)
        big = pg.evaluate("() => parseFloat(getComputedStyle(document.documentElement).fontSize)")
        assert big == pytest.approx(1.5 * normal)
        # the sidebar's links drop query parameters: the mode must come back on the next page
        pg.locator("[data-testid=stSidebar] [data-testid=stPageLink-NavLink]").filter(
            has_text="Losses"
        ).first.dispatch_event("click")
        pg.wait_for_url("**/losses**")
        wait_ready(pg)
        deadline = time.monotonic() + 10
        while "present=1" not in pg.url and time.monotonic() < deadline:
            pg.wait_for_timeout(100)
        assert "present=1" in pg.url
        assert pg.evaluate("() => parseFloat(getComputedStyle(document.documentElement).fontSize)") == big
        # and the way out, on the page itself (the sidebar is collapsed)
        pg.get_by_role("button", name="Leave").click()
        wait_ready(pg)
        pg.wait_for_function("() => !location.search.includes('present=1')")
        assert pg.evaluate("() => parseFloat(getComputedStyle(document.documentElement).fontSize)") == normal
    finally:
        ctx.close()


def test_home_cards_are_links(browser, server):
    """Clicking anywhere on a card of the map (here: its one-line promise) opens that page."""
    target = next(p for p in PAGES if p.url_path == "losses")
    ctx = browser.new_context(viewport={"width": 1280, "height": 720})
    pg = ctx.new_page()
    try:
        pg.goto(server)
        wait_ready(pg)
        card = pg.locator(f".st-key-card_{target.url_path}")
        promise = card.get_by_text(target.promise)
        promise.scroll_into_view_if_needed()
        box = promise.bounding_box()
        # a real click on the promise's text (the link's overlay is what receives it)
        pg.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        pg.wait_for_url(f"**/{target.url_path}**")
        wait_ready(pg)
        assert target.title in pg.locator("h1").first.inner_text()
    finally:
        ctx.close()
