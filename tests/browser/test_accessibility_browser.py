"""axe-core on every page (from the page registry) in the light and the dark theme, and chart text measured
where it is drawn: its size and its contrast against what is behind it.

One pass per theme visits every page once and runs every check on it; the figures are printed and saved
to .screenshots/a11y-<theme>.json."""

from __future__ import annotations

import json

import pytest

from tests.browser.conftest import SHOTS, wait_charts_drawn, wait_ready
from tests.colour import contrast, rgb
from tests.support import PAGE_IDS, PAGES
from ui import palette

pytestmark = [pytest.mark.browser, pytest.mark.timeout(600)]

BLOCKING = ("serious", "critical")
MIN_TEXT_PX = 14
MIN_CONTRAST = 4.5

# Every visible text of every chart: its size, colour, opacity and, when it is drawn on a halo (a stroke
# of its own), the halo's colour — what it must stand out from. Other text stands on the page background.
CHART_TEXT = """() => {
  const all = [...document.querySelectorAll('[data-testid=stVegaLiteChart] svg text')].map(t => {
    const box = t.getBoundingClientRect();
    const style = getComputedStyle(t);
    let opacity = parseFloat(style.opacity || '1') * parseFloat(style.fillOpacity || '1');
    for (let g = t.parentElement; g && g.tagName !== 'svg'; g = g.parentElement)
        opacity *= parseFloat(getComputedStyle(g).opacity || '1');
    const width = parseFloat(t.getAttribute('stroke-width') || '0');
    const stroke = t.getAttribute('stroke');
    return {text: (t.textContent || '').trim(), size: parseFloat(style.fontSize), fill: style.fill, opacity,
            stroke: stroke && stroke !== 'none' && width >= 2 ? style.stroke : null,
            key: (t.textContent || '').trim() + '|' + Math.round(box.x + box.width / 2) + '|'
                 + Math.round(box.y + box.height / 2), visible: box.width > 0 && box.height > 0};
  }).filter(t => t.text && t.visible && t.opacity >= 0.05);  // Vega hides overlapping labels (opacity 0)
  // A halo is a copy of a text drawn underneath it with a wide stroke of its own colour: what the text
  // must stand out from. Other text stands on the chart's (the page's) background.
  const halos = new Map(all.filter(t => t.stroke && t.stroke === t.fill).map(t => [t.key, t.stroke]));
  return all.filter(t => !(t.stroke && t.stroke === t.fill))
            .map(t => ({text: t.text, size: t.size, fill: t.fill, opacity: t.opacity,
                        halo: t.stroke || halos.get(t.key) || null}));
}"""


def _blend(fill: str, opacity: float, behind: str) -> str:
    f, b = rgb(fill), rgb(behind)
    c = opacity * f + (1 - opacity) * b
    return "#" + "".join(f"{round(v * 255):02x}" for v in c)


def _chart_text(texts: list[dict], theme: str) -> dict:
    background = palette.BACKGROUND[theme]
    worst, smallest = (99.0, ""), (99.0, "")
    for t in texts:
        behind = t["halo"] or background
        ratio = contrast(_blend(t["fill"], min(max(t["opacity"], 0.0), 1.0), behind), behind)
        if ratio < worst[0]:
            worst = (ratio, f"{t['text']!r} {t['fill']} on {behind}")
        if t["size"] < smallest[0]:
            smallest = (t["size"], repr(t["text"]))
    return {
        "texts": len(texts),
        "min_px": smallest[0],
        "min_px_text": smallest[1],
        "worst_contrast": round(worst[0], 2),
        "worst_text": worst[1],
    }


@pytest.fixture(scope="module", params=["light", "dark"])
def audit(request, browser, server) -> dict:
    """theme → page id → axe violations by impact, and the chart-text figures."""
    from axe_playwright_python.sync_playwright import Axe

    theme = request.param
    axe = Axe()
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000}, color_scheme=theme)
    pg = ctx.new_page()
    out: dict = {"theme": theme, "pages": {}}
    try:
        for page, pid in zip(PAGES, PAGE_IDS, strict=True):
            pg.goto(f"{server}/{page.url_path}")
            wait_ready(pg)
            wait_charts_drawn(pg)
            violations = axe.run(pg).response["violations"]
            out["pages"][pid] = {
                "axe": {
                    impact: sorted(
                        f"{v['id']} ×{len(v['nodes'])}" for v in violations if v["impact"] == impact
                    )
                    for impact in ("critical", "serious", "moderate", "minor")
                },
                "charts": _chart_text(pg.evaluate(CHART_TEXT), theme),
            }
    finally:
        ctx.close()
    SHOTS.mkdir(exist_ok=True)
    (SHOTS / f"a11y-{theme}.json").write_text(json.dumps(out, indent=1, ensure_ascii=False))
    for pid, r in out["pages"].items():
        counts = {k: len(v) for k, v in r["axe"].items()}
        print(f"{theme:5} {pid:20} axe {counts} moderate={r['axe']['moderate']} chart text: {r['charts']}")
    return out


def test_axe_finds_nothing_serious_or_critical(audit):
    blocking = {
        pid: [v for impact in BLOCKING for v in r["axe"][impact]] for pid, r in audit["pages"].items()
    }
    assert not any(blocking.values()), f"{audit['theme']}: {blocking}"


def test_chart_text_is_large_and_contrasted(audit):
    charted = {pid: r["charts"] for pid, r in audit["pages"].items() if r["charts"]["texts"]}
    # every concept page draws text in its Vega charts, except Gradient descent and the Playground, whose
    # drawings are the replay player's canvases (their text is 14 px by construction, ui/player/player.js)
    assert len(charted) >= len(PAGES) - 3
    small = {pid: c for pid, c in charted.items() if c["min_px"] < MIN_TEXT_PX}
    faint = {pid: c for pid, c in charted.items() if c["worst_contrast"] < MIN_CONTRAST}
    print(
        audit["theme"],
        "min chart text px:",
        min(c["min_px"] for c in charted.values()),
        "worst chart text contrast:",
        min(c["worst_contrast"] for c in charted.values()),
    )
    assert not small, small
    assert not faint, faint
