"""Interaction tests for the Gradients page (the generic tests cover rendering, extremes and bad links).

The point (w₁, w₂) and the direction θ are one multi-axis stepper (ui.stepper): its payload holds every
position of a window around the point, and what each position shows; these tests read that payload."""

from __future__ import annotations

import json
import math
import re

import numpy as np
import pytest

from core import gradient_check, surfaces
from core.formatting import short_number
from core.surfaces import SURFACES
from tests.support import assert_ok, components, notices, open_page, runs_text, stepper_payload
from ui import gradients_view as gv
from ui import palette
from ui.navigation import page_by_url

pytestmark = pytest.mark.timeout(300)

PAGE = page_by_url("gradients")
KEY = "gradients.point"  # the stepper's key


def _unpack(v):
    """A field in ui.stepper's picked form as its list per frame (what the browser expands)."""
    if isinstance(v, dict) and "__pick" in v:
        return [v["__items"][i] for i in v["__pick"]]
    return v


def _data(at) -> dict:
    found = [
        e for e in components(at) if e.key and e.key.startswith("gradients.") and e.key.endswith("_stepper")
    ]
    assert found, "no stepper on the page"
    return stepper_payload(found[0].proto.json)


def _walk(blocks):
    for b in blocks:
        yield b
        if b["type"] in ("row", "stack"):
            yield from _walk(b["children"])


def _field(block: dict, name: str, frame: int):
    v = block[name]
    if name not in block.get("perFrame", []):
        return v
    v = _unpack(v)
    return v[min(frame, len(v) - 1)]


def _frames(data) -> list[tuple[int, int, int]]:
    return [tuple(f) for f in data["frames"]]


def _values(at, frame: int = 0) -> tuple[float, float, int]:
    """(w₁, w₂, θ) of a frame of the payload (frame 0: the position shown)."""
    data = _data(at)
    key = at.selectbox(key="gradients.surface").value
    (lo1, hi1), (lo2, hi2) = SURFACES[key].domain
    i1, i2, ia = _frames(data)[frame]
    return gv.grid_of(lo1, hi1)[i1], gv.grid_of(lo2, hi2)[i2], gv.ANGLES[ia]


def _shown(at) -> int:
    """The frame the browser shows: the payload's position in its frame list."""
    data = _data(at)
    return int(data.get("frame", 0))


def _numbers(at, frame: int | None = None) -> dict[str, str]:
    data = _data(at)
    f = _shown(at) if frame is None else frame
    table = next(b for b in _walk(data["blocks"]) if b["type"] == "table")
    row = _field(table, "rows", f)[0]
    return dict(zip(table["header"], (runs_text(c) for c in row), strict=True))


def _note(at) -> str:
    data = _data(at)
    table = next(b for b in _walk(data["blocks"]) if b["type"] == "table")
    return "\n".join(runs_text(p["runs"]) for p in _field(table, "note", _shown(at)))


def _text(at, frame: int | None = None) -> str:
    """Every text block at a frame, as plain text."""
    data = _data(at)
    f = _shown(at) if frame is None else frame
    out = []
    for b in _walk(data["blocks"]):
        if b["type"] == "text":
            out += [runs_text(p["runs"]) for p in _field(b, "paras", f)]
    return "\n".join(out)


def _verdicts(at, frame: int | None = None) -> list[str]:
    return re.findall(r"[✓⚠✗] (agree|suspicious|disagree)", _text(at, frame))


def _sweep(at) -> dict:
    data = _data(at)
    chart = next(
        b for b in _walk(data["blocks"]) if b["type"] == "xy" and b["xTitle"].startswith("direction θ")
    )
    line = chart["items"][0]
    return {"theta": line["x"], "D": _unpack(line["y"])[_shown(at)], "chart": chart}


def _set(at, name: str, value) -> None:
    """What the browser's report does: the axis takes that value (then `.run()`)."""
    at.session_state[f"gradients.{name}"] = value


@pytest.fixture(scope="module")
def page():
    at = open_page(PAGE)
    assert_ok(at)
    return at


def test_article_example_at_defaults(page):
    """coupled at (1, 1): L = 6, ∂L/∂w1 = −1, ∂L/∂w2 = −3 (the article's loss_2d)."""
    assert page.selectbox(key="gradients.surface").value == "coupled"
    assert _values(page, _shown(page)) == (1.0, 1.0, 45)
    m = _numbers(page)
    assert m["point (w₁, w₂)"] == "(1, 1)" and m["L"] == "6"
    assert (m["∂L/∂w₁"], m["∂L/∂w₂"]) == ("−1", "−3")
    assert m["‖∇L‖ (steepest slope)"] == "3.16228"  # √10
    assert "article's example" in _note(page)
    assert page.query_params["surface"] == "coupled"
    assert float(page.query_params["w1"]) == 1.0 and float(page.query_params["w2"]) == 1.0
    assert page.query_params["angle"] == "45"


def test_checks_agree_at_defaults(page):
    assert _verdicts(page) == ["agree", "agree", "agree"]  # ∂L/∂w1, ∂L/∂w2, D_u L
    text = _text(page)
    assert "analytic: `-1.000000`" in text and "analytic: `-3.000000`" in text


def test_the_window_is_a_cross_around_the_point(page):
    """Frame 0 is the point; each point axis moved alone up to RADIUS either way; θ 20° either way."""
    data = _data(page)
    frames = _frames(data)
    i1, i2, ia = frames[_shown(page)]
    others = [f for f in frames if f != (i1, i2, ia)]
    assert all(sum(a != b for a, b in zip(f, (i1, i2, ia), strict=True)) == 1 for f in others)
    assert {f[2] for f in frames if f[:2] == (i1, i2)} == set(range(max(0, ia - 20), min(360, ia + 20) + 1))
    assert {f[0] for f in frames if f[1:] == (i2, ia)} == set(range(i1 - 3, i1 + 4))
    assert len(json.dumps(data)) < 600_000  # the payload, for the record (see the report)


def test_every_frame_shows_a_fresh_core_computation(page):
    """Each position's numbers, slices' checks and directional check equal core's, computed here afresh."""
    data = _data(page)
    s = SURFACES["coupled"]
    for f in range(len(_frames(data))):
        w1, w2, angle = _values(page, f)
        w = np.array([w1, w2])
        m = _numbers(page, f)
        g = s.grad(w)
        assert m["L"] == short_number(float(s.value(w)), 6), (w1, w2)
        assert (m["∂L/∂w₁"], m["∂L/∂w₂"]) == (short_number(g[0], 6), short_number(g[1], 6))
        text = _text(page, f)
        check = gradient_check.directional_check(s, w, float(angle), h=gv.H)
        assert f"D_u L at θ = {angle}° · " in text
        assert f"∇L·u: {gv.fmt(check.analytic)} · central difference along u: {gv.fmt(check.numeric)}" in text
        assert f"relative error {check.rel_error:.1e}" in text
        partials = gradient_check.check_function(s.value, s.grad, w, h=gv.H).rows
        for row in partials:
            assert (
                f"`{gv.fmt(row.analytic)}` · central difference (h = 1e-05): `{gv.fmt(row.numeric)}`" in text
            )


@pytest.mark.parametrize("key", list(SURFACES))
def test_every_surface_at_its_default_start(key):
    """Choosing a surface moves the point to its default start; every check agrees there."""
    at = open_page(PAGE)
    other = "ravine" if key != "ravine" else "bowl"  # start from another surface, somewhere else
    at.selectbox(key="gradients.surface").select(other).run()
    _set(at, "w1", 0.5)
    at.run()
    at.selectbox(key="gradients.surface").select(key).run()
    assert_ok(at)
    start = SURFACES[key].default_start
    assert _values(at, _shown(at))[:2] == pytest.approx(start)
    assert at.query_params["surface"] == key
    assert float(at.query_params["w1"]) == pytest.approx(start[0])
    assert float(at.query_params["w2"]) == pytest.approx(start[1])
    assert _verdicts(at) == ["agree", "agree", "agree"], key
    # The point axes span the surface's plotting domain, on today's grid.
    (lo1, hi1), (lo2, hi2) = SURFACES[key].domain
    g1, g2 = gv.grid_of(lo1, hi1), gv.grid_of(lo2, hi2)
    assert (g1[0], g1[-1], g2[0], g2[-1]) == (lo1, hi1, lo2, hi2)
    assert g1[1] - g1[0] == pytest.approx(0.05 if hi1 - lo1 <= 10 else 0.1)


def test_changing_surface_changes_url_and_resets_point():
    at = open_page(PAGE)
    _set(at, "w1", 3.0)
    _set(at, "w2", -1.5)
    at.run()
    assert at.query_params["w1"] == "3" and at.query_params["w2"] == "-1.5"
    at.selectbox(key="gradients.surface").select("bowl").run()
    assert_ok(at)
    assert at.query_params["surface"] == "bowl"
    assert (at.query_params["w1"], at.query_params["w2"]) == ("4", "3")
    m = _numbers(at)
    assert m["point (w₁, w₂)"] == "(4, 3)" and m["L"] == "34"  # 4² + 2·3²
    assert (m["∂L/∂w₁"], m["∂L/∂w₂"]) == ("8", "12")


def test_moving_the_point_updates_numbers_and_url():
    at = open_page(PAGE)
    _set(at, "w1", 2.0)
    at.run()
    assert_ok(at)
    assert at.query_params["w1"] == "2"
    m = _numbers(at)
    s = SURFACES["coupled"]
    assert m["L"] == f"{float(s.value([2.0, 1.0])):.6g}"  # (0)² + (−2)² + 2 = 6
    g = s.grad([2.0, 1.0])  # (1, −2)
    assert (m["∂L/∂w₁"], m["∂L/∂w₂"]) == ("1", "−2") and tuple(g) == (1.0, -2.0)
    assert _verdicts(at) == ["agree", "agree", "agree"]


def test_deep_link_reproduces_the_state():
    at = open_page(PAGE, {"surface": "rosenbrock", "w1": "-1", "w2": "2", "angle": "120"})
    assert_ok(at)
    assert not notices(at)
    assert at.selectbox(key="gradients.surface").value == "rosenbrock"
    assert _values(at, _shown(at)) == (-1.0, 2.0, 120)
    g = SURFACES["rosenbrock"].grad([-1.0, 2.0])  # (−4 − 400·(−1)·(2 − 1), 200·(2 − 1)) = (396, 200)
    m = _numbers(at)
    assert (m["∂L/∂w₁"], m["∂L/∂w₂"]) == ("396", "200") and tuple(g) == (396.0, 200.0)
    assert "D_u L at θ = 120°" in _text(at)
    assert _verdicts(at) == ["agree", "agree", "agree"]


def test_a_link_between_positions_lands_on_the_nearest():
    at = open_page(PAGE, {"w1": "1.03", "w2": "0.99", "angle": "45"})
    assert_ok(at)
    assert _values(at, _shown(at)) == (1.05, 1.0, 45)
    assert _numbers(at)["point (w₁, w₂)"] == "(1.05, 1)"


@pytest.mark.parametrize(
    ("query", "bad"),
    [
        ({"surface": "bowl", "w1": "5.5"}, "w1"),  # inside coupled's range, outside bowl's [−5, 5]
        ({"surface": "ravine", "w2": "3"}, "w2"),  # ravine's w2 range is [−2, 2]
        ({"surface": "volcano"}, "surface"),
        ({"angle": "400"}, "angle"),
        ({"w1": "nan", "w2": "1e999"}, "w1"),
    ],
)
def test_tampered_link_falls_back_with_a_notice(query, bad):
    at = open_page(PAGE, query)
    assert_ok(at)
    shown = notices(at)
    assert any(f"`{bad}`" in n for n in shown), shown
    key = at.selectbox(key="gradients.surface").value
    assert key == query.get("surface", "coupled") if bad != "surface" else key == "coupled"
    start = SURFACES[key].default_start
    w1, w2, angle = _values(at, _shown(at))
    if bad in ("w1", "w2"):
        assert (w1, w2)[("w1", "w2").index(bad)] == pytest.approx(start[("w1", "w2").index(bad)])
        assert float(at.query_params[bad]) == pytest.approx(start[("w1", "w2").index(bad)])  # URL repaired
    if bad == "angle":
        assert angle == 45
    assert _verdicts(at) == ["agree", "agree", "agree"]


def test_directional_derivative_over_all_angles_peaks_at_the_gradient(page):
    sweep = _sweep(page)
    theta, values = sweep["theta"], sweep["D"]
    assert theta[0] == 0 and theta[-1] == 360
    i = max(range(len(values)), key=values.__getitem__)
    peak_angle, norm = surfaces.steepest_ascent("coupled", [1.0, 1.0])
    assert peak_angle == pytest.approx(math.degrees(math.atan2(-3, -1)) % 360)  # 251.57°
    assert abs(theta[i] - peak_angle) <= 1.0
    assert values[i] == pytest.approx(norm, rel=1e-3) and norm == pytest.approx(math.sqrt(10))
    assert min(values) == pytest.approx(-norm, rel=1e-3)
    # θ = 0° and 90° give back the partial derivatives.
    assert values[0] == pytest.approx(-1.0) and values[theta.index(90)] == pytest.approx(-3.0)
    # The peak and the steepest descent are marked on the chart and named beside it.
    marks = sweep["chart"]["items"][-2]
    assert _field({**marks, "perFrame": ["tips"]}, "tips", _shown(page)) == [
        "max = ‖∇L‖ = 3.16228 at θ* = 251.6°",
        "min = −‖∇L‖ at 71.6° (steepest descent)",
    ]
    assert "max = ‖∇L‖ = 3.16228 at θ* = 251.6°" in _text(page)
    # the map's highlighted arrows and their labels
    smap = next(b for b in _walk(_data(page)["blocks"]) if b["type"] == "surfacemap")
    assert _field(smap, "grad", _shown(page)) and _field(smap, "u", _shown(page))
    # D_u L at θ = 45°, worked out beside the chart and checked.
    text = _text(page)
    assert "= (−1)(0.707107) + (−3)(0.707107) = **−2.82843**" in text
    assert "D_u L at θ = 45° · ✓ agree" in text and "∇L·u: -2.828427" in text


def test_buttons_turn_u_along_and_against_the_gradient():
    at = open_page(PAGE)
    at.button(key="gradients.along_gradient").click().run()
    assert_ok(at)
    assert _values(at, _shown(at))[2] == 252  # 251.57° rounded
    assert at.query_params["angle"] == "252"
    assert "D_u L at θ = 252°" in _text(at)
    at.button(key="gradients.against_gradient").click().run()
    assert _values(at, _shown(at))[2] == 72
    assert _verdicts(at) == ["agree", "agree", "agree"]


def test_stationary_point_disables_the_direction_buttons():
    at = open_page(PAGE, {"surface": "saddle", "w1": "0", "w2": "0"})
    assert_ok(at)
    assert _numbers(at)["‖∇L‖ (steepest slope)"] == "0"
    assert at.button(key="gradients.along_gradient").disabled
    assert "stationary point" in _note(at)
    assert _verdicts(at) == ["agree", "agree", "agree"]


def test_map_data_stays_small(page):
    smap = next(b for b in _walk(_data(page)["blocks"]) if b["type"] == "surfacemap")
    assert len(smap["shade"]) == gv.GRID_N**2  # the map's cells
    assert len(smap["field"]["x"]) == gv.FIELD_N**2  # the arrow field
    assert smap["stops"] == list(palette.SEQUENTIAL)  # the palette's sequential scale, as the Vega map had
