"""Every chart every page draws at its defaults: colours a colour-blind student can tell apart (or a dash,
a marker, a fill that tells the series apart), text ≥ 14 px in the theme's colours, an accessible name.
And one palette: no colour literal in pages/ or ui/ outside ui/palette.py."""

from __future__ import annotations

import itertools
import json
import re

import pytest

from tests.colour import MACHADO, ciede2000, contrast, delta_e, lab, simulate
from tests.support import PAGE_IDS, PAGES, charts, open_page
from ui import palette
from ui.navigation import ROOT

MIN_DELTA_E = 10.0
MIN_TEXT_PX = 14
HEX = re.compile(r"#[0-9a-fA-F]{6}\b|#[0-9a-fA-F]{3}\b")
THEMED = re.compile(r"'(#[0-9a-fA-F]{3,8})' : '(#[0-9a-fA-F]{3,8})'")
THEMES = ("light", "dark")


@pytest.fixture(scope="module")
def specs() -> dict[str, list[dict]]:
    """page id → the Vega-Lite spec of each chart it draws at its defaults (one AppTest run per page)."""
    out = {}
    for page, pid in zip(PAGES, PAGE_IDS, strict=True):
        at = open_page(page)
        assert not at.exception, pid
        out[pid] = [json.loads(c.proto.spec) for c in charts(at)]
    return out


def resolve(colour, theme: str) -> str | None:
    """A range entry as the browser shows it in `theme`: a plain colour, or one of palette.themed's pair."""
    if isinstance(colour, str):
        return colour
    if isinstance(colour, dict) and "expr" in colour:
        m = THEMED.search(colour["expr"])
        return m.group(1 if theme == "light" else 2) if m else None
    return None


def encodings(node):
    """Every `encoding` object of a spec (layers, concatenations, nested)."""
    if isinstance(node, dict):
        if isinstance(node.get("encoding"), dict):
            yield node["encoding"]
        for key, value in node.items():
            if key not in ("datasets", "data"):
                yield from encodings(value)
    elif isinstance(node, list):
        for value in node:
            yield from encodings(value)


def categorical_pairs(spec: dict):
    """(label, a, b, colour_a, colour_b, other_channel_differs) for every pair of series of every colour scale."""
    for enc in encodings(spec):
        color = enc.get("color")
        if not isinstance(color, dict) or color.get("type") != "nominal":
            continue
        scale = color.get("scale") or {}
        domain, rng = scale.get("domain"), scale.get("range")
        if not (isinstance(domain, list) and isinstance(rng, list) and len(domain) >= 2):
            continue
        others = []  # the same field also encoded by dash, shape or fill: their ranges
        for channel in ("strokeDash", "shape", "fillOpacity"):
            other = enc.get(channel)
            if isinstance(other, dict) and other.get("field") == color.get("field"):
                others.append((other.get("scale") or {}).get("range"))
        for (i, a), (j, b) in itertools.combinations(enumerate(domain), 2):
            differs = any(isinstance(r, list) and len(r) > max(i, j) and r[i] != r[j] for r in others)
            yield f"{color.get('field')}: {a} / {b}", rng[i % len(rng)], rng[j % len(rng)], differs


def font_sizes(node, where: str = "spec"):
    """(path, size) of every font size set anywhere in a spec (config, marks, axes, legends)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("datasets", "data"):
                continue
            if key.endswith("ontSize") and isinstance(value, int | float):
                yield f"{where}.{key}", value
            yield from font_sizes(value, f"{where}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from font_sizes(value, f"{where}[{i}]")


def test_colour_science_matches_published_values():
    # Sharma, Wu & Dalal (2005), Table 1, pairs 1, 3 and 7
    assert ciede2000([50, 2.6772, -79.7751], [50, 0, -82.7485]) == pytest.approx(2.0425, abs=1e-4)
    assert ciede2000([50, -1.3802, -84.2814], [50, 0, -82.7485]) == pytest.approx(1.0000, abs=1e-4)
    assert ciede2000([50, 0, 0], [50, -1, 2]) == pytest.approx(2.3669, abs=1e-4)
    for deficiency in MACHADO:  # greys stay grey; each deficiency merges its own confusion pair
        assert simulate("#ffffff", deficiency) == pytest.approx([1, 1, 1], abs=2e-3)
    assert delta_e("#ff0000", "#00aa00", "deuteranopia") < delta_e("#ff0000", "#00aa00") / 2
    assert delta_e("#0000ff", "#00aa00", "tritanopia") < delta_e("#0000ff", "#00aa00") / 2
    assert contrast("#ffffff", "#000000") == pytest.approx(21.0)
    assert contrast("#808495", "#ffffff") == pytest.approx(3.72, abs=0.01)  # Streamlit's tick grey: too faint
    assert lab([1.0, 1.0, 1.0]) == pytest.approx([100, 0, 0], abs=1e-3)


def test_palette_categories_survive_colour_blindness_and_contrast():
    for theme in THEMES:
        colours = palette.CATEGORICAL[theme]
        for a, b in itertools.combinations(colours, 2):
            for deficiency in (None, *MACHADO):
                assert delta_e(a, b, deficiency) >= MIN_DELTA_E, (theme, a, b, deficiency)
        for c in colours:
            assert contrast(c, palette.BACKGROUND[theme]) >= 3.0, (theme, c)
        assert contrast(palette.TEXT[theme], palette.BACKGROUND[theme]) >= 7.0
        assert contrast(palette.MUTED[theme], palette.BACKGROUND[theme]) >= 3.0
        for side in palette.SIGN.values():
            assert contrast(side[theme], palette.BACKGROUND[theme]) >= 3.0
        for c in [*palette.MIDTONES, *(palette.ON_MAP[k] for k in ("gradient", "direction", "minimum"))]:
            assert contrast(c, palette.BACKGROUND[theme]) >= 3.0, (theme, c)  # drawn on plain charts too
    for k in ("gradient", "direction", "minimum", "arrow"):  # arrow labels on their dark halo
        assert contrast(palette.ON_MAP[k], palette.ON_MAP["outline"]) >= 4.5, k


def test_no_colour_literal_outside_the_palette():
    offenders = []
    for path in sorted([*ROOT.glob("pages/*.py"), *ROOT.glob("ui/**/*.py")]):
        if path == ROOT / "ui" / "palette.py":
            continue
        for n, line in enumerate(path.read_text().splitlines(), 1):
            if HEX.search(line):
                offenders.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()}")
    assert not offenders, "colour literals outside ui/palette.py:\n" + "\n".join(offenders)


def test_every_pair_of_series_is_distinguishable_for_colour_blind_students(specs):
    failures, worst = [], (float("inf"), "")
    for pid, page_specs in specs.items():
        for k, spec in enumerate(page_specs):
            for label, ca, cb, differs in categorical_pairs(spec):
                for theme in THEMES:
                    a, b = resolve(ca, theme), resolve(cb, theme)
                    assert a and b, (pid, k, label, ca, cb)
                    for deficiency in MACHADO:
                        de = delta_e(a, b, deficiency)
                        if de < worst[0]:
                            worst = (de, f"{pid} chart {k} {label} ({theme}, {deficiency}: {a} vs {b})")
                        if de < MIN_DELTA_E and not differs:
                            failures.append(f"{pid} chart {k} {label} {theme} {deficiency}: ΔE {de:.1f}")
    print(f"worst simulated ΔE00 between two series colours: {worst[0]:.1f} — {worst[1]}")
    assert not failures, "\n".join(failures)


def test_chart_text_is_large_named_and_theme_coloured(specs):
    small = []
    for pid, page_specs in specs.items():
        for k, spec in enumerate(page_specs):
            assert len(spec.get("description", "")) > 20, (pid, k)  # the accessible name
            config = spec["config"]
            assert config["mark"]["aria"] is False, (pid, k)
            for part in ("axis", "legend"):
                for key in ("labelColor", "titleColor"):
                    assert config[part][key] == palette.text(), (pid, k, part, key)
            assert spec["usermeta"]["embedOptions"]["renderer"] == "hybrid"  # text in SVG

            small += [f"{pid} chart {k} {where} = {v}" for where, v in font_sizes(spec) if v < MIN_TEXT_PX]
    assert not small, "\n".join(small)
