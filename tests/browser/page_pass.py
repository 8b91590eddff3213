"""One visit per page and colour scheme, shared by the page-load checks (test_browser.py) and the
accessibility audit (test_accessibility_browser.py): each page is loaded once per scheme, not twice.

The visit records what each check needs; the tests assert on it. A visit that raises is recorded as
its error, so only that page's tests fail."""

from __future__ import annotations

from tests.browser.conftest import SHOTS, wait_charts_drawn, wait_ready
from tests.support import PAGE_IDS, PAGES

# Streamlit scrolls inside its own container: a tall viewport makes the screenshot the whole page.
SHOT_VIEWPORT = {"width": 1400, "height": 2600}
AUDIT_VIEWPORT = {"width": 1400, "height": 1000}

# Every visible text of every chart: its size, colour, opacity and, when it is drawn on a halo (a stroke
# of its own), the halo's colour — what it must stand out from. Other text stands on the page background.
CHART_TEXT = """() => {
  // Vega's charts, and the SVG charts a stepper (ui.stepper) draws inside its component's shadow root
  const stepped = [...document.querySelectorAll('*')].filter(h => h.shadowRoot)
    .flatMap(h => [...h.shadowRoot.querySelectorAll('.gls svg text')]);
  const all = [...document.querySelectorAll('[data-testid=stVegaLiteChart] svg text'), ...stepped].map(t => {
    const box = t.getBoundingClientRect();
    const style = getComputedStyle(t);
    let opacity = parseFloat(style.opacity || '1') * parseFloat(style.fillOpacity || '1');
    for (let g = t.parentElement; g && g.tagName !== 'svg'; g = g.parentElement)
        opacity *= parseFloat(getComputedStyle(g).opacity || '1');
    const width = parseFloat(t.getAttribute('stroke-width') || '0');
    const stroke = t.getAttribute('stroke');
    // a text drawn on a coloured cell says so (data-on: a stepper heatmap's cell colour): it stands on that
    const on = t.getAttribute('data-on');
    return {text: (t.textContent || '').trim(), size: parseFloat(style.fontSize), fill: style.fill, opacity, on,
            stroke: stroke && stroke !== 'none' && width >= 2 ? style.stroke : null,
            key: (t.textContent || '').trim() + '|' + Math.round(box.x + box.width / 2) + '|'
                 + Math.round(box.y + box.height / 2), visible: box.width > 0 && box.height > 0};
  }).filter(t => t.text && t.visible && t.opacity >= 0.05);  // Vega hides overlapping labels (opacity 0)
  // A halo is a copy of a text drawn underneath it with a wide stroke of its own colour: what the text
  // must stand out from. Other text stands on the chart's (the page's) background.
  const halos = new Map(all.filter(t => t.stroke && t.stroke === t.fill).map(t => [t.key, t.stroke]));
  return all.filter(t => !(t.stroke && t.stroke === t.fill))
            .map(t => ({text: t.text, size: t.size, fill: t.fill, opacity: t.opacity,
                        halo: t.stroke || t.on || halos.get(t.key) || null}));
}"""


def _visit(browser, server: str, page, scheme: str, axe) -> dict:
    out: dict = {"error": None}
    ctx = browser.new_context(viewport=SHOT_VIEWPORT, color_scheme=scheme)
    pg = ctx.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    try:
        pg.goto(f"{server}/{page.url_path}")
        wait_ready(pg)
        exc = pg.locator("[data-testid=stException]")
        out["exception"] = exc.first.inner_text() if exc.count() else None
        out["h1"] = pg.locator("h1").first.inner_text()
        out["dialogs"] = pg.locator("[role=dialog]").count()
        n = wait_charts_drawn(pg)
        if pg.locator(".glp").count():  # the replay player draws on canvas (ui/player)
            pg.wait_for_function("() => (window.__glPlayers || []).every(s => s.draws > 0)", timeout=30_000)
            n += pg.locator(".glp canvas").count()
        out["drawn"] = n
        SHOTS.mkdir(exist_ok=True)
        pg.screenshot(path=str(SHOTS / f"{page.url_path or 'home'}-{scheme}.png"))
        out["pageerrors"] = list(errors)
        # the audit, at a desktop height, on the same load
        pg.set_viewport_size(AUDIT_VIEWPORT)
        wait_charts_drawn(pg)
        violations = axe.run(pg).response["violations"]
        out["axe"] = {
            impact: sorted(f"{v['id']} ×{len(v['nodes'])}" for v in violations if v["impact"] == impact)
            for impact in ("critical", "serious", "moderate", "minor")
        }
        out["chart_text"] = pg.evaluate(CHART_TEXT)
    except Exception as e:  # noqa: BLE001 — recorded: that page's tests fail with it
        out["error"] = f"{type(e).__name__}: {e}"
    finally:
        ctx.close()
    return out


def visit_every_page(browser, server: str, scheme: str) -> dict[str, dict]:
    """page id → what one load of that page in `scheme` showed."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    return {
        pid: _visit(browser, server, page, scheme, axe) for page, pid in zip(PAGES, PAGE_IDS, strict=True)
    }
