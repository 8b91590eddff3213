"""axe-core on every page (from the page registry) in the light and the dark theme, and chart text measured
where it is drawn: its size and its contrast against what is behind it.

One pass per theme visits every page once and runs every check on it; the figures are printed and saved
to .screenshots/a11y-<theme>.json."""

from __future__ import annotations

import json

import pytest

from tests.browser.conftest import SHOTS
from tests.colour import contrast, rgb
from tests.support import PAGES
from ui import palette

pytestmark = [pytest.mark.browser, pytest.mark.timeout(600)]

BLOCKING = ("serious", "critical")
MIN_TEXT_PX = 14
MIN_CONTRAST = 4.5


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


@pytest.fixture(
    scope="module",
    params=[pytest.param(t, marks=pytest.mark.xdist_group(f"pass-{t}")) for t in ("light", "dark")],
)
def audit(request, page_passes) -> dict:
    """theme → page id → axe violations by impact, and the chart-text figures (from the visit that
    test_browser.py's page-load checks share, tests/browser/page_pass.py)."""
    theme = request.param
    visits = page_passes(theme)
    failed = {pid: r["error"] for pid, r in visits.items() if r["error"]}
    assert not failed, f"{theme}: pages not audited: {failed}"
    out: dict = {"theme": theme, "pages": {}}
    for pid, r in visits.items():
        out["pages"][pid] = {"axe": r["axe"], "charts": _chart_text(r["chart_text"], theme)}
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
