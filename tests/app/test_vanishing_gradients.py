"""Vanishing gradients page: presets (problems and remedies), the bound, clipping, the check; the depth and the
width are one stepper (ui.stepper.multi_stepper): every depth at this width and the widths beside it at this
depth arrive in one payload, read here through `tests.support.Stepper`."""

from __future__ import annotations

import json
import re

import pytest

from core import gradient_flow as gf
from core.gradient_flow import PRESETS
from tests.support import Stepper, assert_ok, notices, open_page, runs_text
from ui.navigation import page_by_url

pytestmark = pytest.mark.timeout(120)
PAGE = page_by_url("vanishing_gradients")
K = "vanishing_gradients."
POSITION = f"{K}depth"  # the stepper's value (a depth), as the slider's was; the link keeps it too
INPUT = "‖∂L/∂h_l‖ (layer output)"
LEVEL = {"✓ agree": "green", "⚠ suspicious": "orange", "✗ disagree": "red"}


def _stepper(at) -> Stepper:
    return Stepper(at, POSITION)


def _depth(at) -> int:
    return _stepper(at).position[0] + 1


def _width(at) -> int:
    return _stepper(at).position[1] + 4


def _frame(at, depth: int | None = None, width: int | None = None) -> int:
    """The window's frame of (depth, width) (default: the position shown's)."""
    d, w = _stepper(at).position
    want = [d if depth is None else depth - 1, w if width is None else width - 4]
    return _stepper(at).data["frames"].index(want)


def _set_depth(at, depth: int):
    _stepper(at).set_position(depth=depth - 1).run()
    assert_ok(at)
    return at


def _set_width(at, width: int):
    _stepper(at).set_position(width=width - 4).run()
    assert_ok(at)
    return at


def _text(at) -> str:
    return _stepper(at).text()


def _metric(at, label_start: str) -> float:
    for line in _text(at).splitlines():
        found = re.match(rf"- {re.escape(label_start)}[^`]*`([^`]+)`", line)
        if found:
            return float(found.group(1))
    raise AssertionError(f"no readout {label_start!r} in {_text(at)!r}")


def _chart(at) -> dict:
    return next(b for b in _stepper(at).blocks("layerlog") if b["mode"] == "lines")


def _series(at, frame: int | None = None) -> dict[str, list]:
    """The chart's series shown at this frame (default: the stepper's): name -> values."""
    f = _frame(at) if frame is None else frame
    return {s["name"]: s["values"][f] for s in _chart(at)["series"] if s["values"][f] is not None}


def _badges(at) -> list[str]:
    return [LEVEL[m.group(1)] for m in re.finditer(r"— (✓ agree|⚠ suspicious|✗ disagree)", _text(at))]


def _click(at, preset: str):
    row = "problem" if PRESETS[preset].role == "problem" else "remedy"
    at.button_group(key=f"{K}presets_{row}").set_value(preset).run()
    assert_ok(at)
    return at


def test_defaults_show_norms_bound_and_a_green_check():
    at = open_page(PAGE)
    assert_ok(at)
    series = _series(at)
    assert any(s.startswith("‖∂L/∂h_l‖") for s in series)
    assert any(s.startswith("bound") for s in series), "sigmoid: the analytic bound is overlaid"
    assert _badges(at) == ["green"]
    # one point per layer for the input-gradient series: layers 0..L
    depth = _depth(at)
    assert depth == 20 and len(series[INPUT]) == depth + 1
    assert _metric(at, "ratio") < 1e-3  # sigmoid, 20 layers: vanishing
    data = _stepper(at).data
    assert data["n"] == 50 and data["values"][0] == "1" and data["values"][-1] == "50"
    assert len(json.dumps(data)) < 150_000, "the default page's payload stays small"


def test_bound_is_only_drawn_for_sigmoid_and_not_with_residuals():
    at = open_page(PAGE)
    at.selectbox(key=f"{K}activation").select("relu").run()
    assert_ok(at)
    assert not any(s.startswith("bound") for s in _series(at))
    at.selectbox(key=f"{K}activation").select("sigmoid").run()
    at.toggle(key=f"{K}residual").set_value(True).run()
    assert_ok(at)
    assert not any(s.startswith("bound") for s in _series(at))


@pytest.mark.parametrize("preset", list(PRESETS))
def test_each_preset_renders_and_sets_its_controls(preset):
    at = _click(open_page(PAGE), preset)
    kw = PRESETS[preset].kwargs
    assert _depth(at) == kw["depth"]
    assert _width(at) == kw["width"]
    assert at.selectbox(key=f"{K}activation").value == kw["activation"]
    assert at.selectbox(key=f"{K}init").value == kw["init"]
    assert at.toggle(key=f"{K}residual").value == kw["residual"]
    assert at.toggle(key=f"{K}clip").value == (kw["clip"] is not None)
    assert at.toggle(key=f"{K}batchnorm").value == bool(kw.get("batch_norm", False))
    assert f"**{PRESETS[preset].label}.**" in _text(at), "the preset's explanation is shown (by the stepper)"
    assert _badges(at) and _badges(at)[0] in ("green", "orange", "red")
    assert at.query_params["depth"] in (str(kw["depth"]), [str(kw["depth"])])  # the link follows the preset


@pytest.mark.parametrize("remedy", ["relu", "residual", "init", "batchnorm"])
def test_remedy_lifts_the_ratio_of_first_to_last_layer(remedy):
    at = _click(open_page(PAGE), PRESETS[remedy].baseline)
    problem = _metric(at, "ratio")
    assert problem < 1e-20, "the vanishing problem: nothing reaches the first layer"
    _click(at, remedy)
    fixed = _metric(at, "ratio")
    assert fixed > 1e-2 and fixed > problem * 1e15
    # the remedy is drawn against the problem it fixes
    assert any("before the remedy" in s for s in _series(at))
    ratio = next(line for line in _text(at).splitlines() if line.startswith("- ratio"))
    assert "up from" in ratio


def test_the_baseline_is_drawn_only_at_the_depth_where_the_remedy_is_on():
    """The preset is on at one depth only (its own): the other frames show no baseline and no comparison."""
    at = _click(open_page(PAGE), "relu")
    depth = PRESETS["relu"].kwargs["depth"]
    width = PRESETS["relu"].kwargs["width"]
    assert any("before the remedy" in s for s in _series(at, _frame(at, depth)))
    assert not any("before the remedy" in s for s in _series(at, _frame(at, depth - 1)))
    assert not any("before the remedy" in s for s in _series(at, _frame(at, depth + 1)))
    assert not any("before the remedy" in s for s in _series(at, _frame(at, width=width + 1)))


def test_clipping_caps_the_global_norm_and_shows_before_after_bars():
    at = _click(open_page(PAGE), "exploding")
    before = _metric(at, "global norm ‖∂L/∂W‖")
    assert before > 1e10 and _metric(at, "ratio") > 1e10
    assert "**⚠ Exploding.**" in _text(at)
    _click(at, "clipping")
    after = _metric(at, "global norm after clipping")
    assert after == pytest.approx(1.0, rel=1e-6)
    assert _metric(at, "global norm ‖∂L/∂W‖") == pytest.approx(before, rel=6e-3)
    bars = next(b for b in _stepper(at).blocks("layerlog") if b["mode"] == "bars")
    assert bars["labels"] == ["before clipping", "after clipping"]
    shown = bars["values"][_frame(at)]
    assert shown[0] > 1e10 and shown[1] == pytest.approx(1.0, rel=1e-6)
    assert [r["value"] for r in bars["rules"]] == [1.0], "the threshold is drawn"
    assert any(s.endswith("after clipping") for s in _series(at))


def test_threshold_above_the_norm_leaves_gradients_unchanged():
    at = open_page(PAGE)
    at.toggle(key=f"{K}clip").set_value(True).run()
    assert_ok(at)
    at.select_slider(key=f"{K}threshold").set_value(100.0).run()
    assert_ok(at)
    assert _metric(at, "global norm after clipping") == pytest.approx(_metric(at, "global norm ‖∂L/∂W‖"))
    assert "leaves the gradients unchanged" in _text(at)


def test_vanishing_check_is_honest_about_unresolvable_layers():
    at = _click(open_page(PAGE), "vanishing")
    assert _badges(at) == ["green"]
    assert "below the round-off of the loss" in _text(at)
    # the badge names a layer above the first: the first layer's gradient (~1e-26) cannot be measured
    badge = next(line for line in _text(at).split("\n\n") if "Backprop vs central" in line)
    assert "∂L/∂W_1[" not in badge


def test_std_slider_only_for_fixed_inits():
    at = open_page(PAGE)
    assert not [s for s in at.select_slider if s.key == f"{K}std"]
    at.selectbox(key=f"{K}init").select("large").run()
    assert_ok(at)
    assert [s for s in at.select_slider if s.key == f"{K}std"]


def test_deep_link_reproduces_a_setting():
    at = open_page(PAGE, {"depth": "50", "width": "64", "activation": "tanh", "init": "he", "residual": "1"})
    assert_ok(at)
    assert _depth(at) == 50
    assert at.toggle(key=f"{K}residual").value is True
    assert _badges(at) and not at.error


def test_the_link_keeps_the_depth_itself_and_a_bad_one_is_reported():
    """Links in the wild say depth=L (as the slider's did), not the stepper's position L − 1."""
    at = open_page(PAGE, {"depth": "7"})
    assert _depth(at) == 7 and at.query_params["depth"] in ("7", ["7"])
    _set_depth(at, 12)
    assert at.query_params["depth"] in ("12", ["12"])
    at = open_page(PAGE, {"depth": "99"})
    assert_ok(at)
    assert _depth(at) == 20 and any("depth" in n for n in notices(at)), "out of range: the default, said so"


def test_the_preset_rows_show_which_preset_is_on_and_clicking_it_again_changes_nothing():
    at = _click(open_page(PAGE), "relu")
    assert at.button_group(key=f"{K}presets_remedy").value == "relu"
    assert at.button_group(key=f"{K}presets_problem").value is None
    depth = _depth(at)
    at.button_group(key=f"{K}presets_remedy").set_value(None).run()  # the preset on, clicked again
    assert_ok(at)
    assert _depth(at) == depth
    assert at.button_group(key=f"{K}presets_remedy").value == "relu", "its settings are still on"
    _set_depth(at, depth + 1)
    assert at.button_group(key=f"{K}presets_remedy").value is None, "settings of no preset: none selected"


def test_a_depth_report_reruns_only_the_stepper():
    """`by_depth` (the fragment the browser's report of a depth reruns) draws the stepper and nothing else:
    the other sizes, the headings and the preset rows are re-sent only when they can change."""
    import ast

    from ui.navigation import ROOT

    tree = ast.parse((ROOT / "pages" / "vanishing_gradients.py").read_text(encoding="utf-8"))
    inner = next(f for f in tree.body if isinstance(f, ast.FunctionDef) and f.name == "by_depth")
    calls = [n.func for n in ast.walk(inner) if isinstance(n, ast.Call)]
    names = {f.attr if isinstance(f, ast.Attribute) else getattr(f, "id", "") for f in calls}
    assert "multi_stepper" in names
    widgets = {"slider", "log_slider", "select", "toggle", "pills", "button", "selectbox"}
    elements = {"subheader", "_preset_row", "latex", "columns", "info", "markdown", "caption", "metric"}
    assert not names & (widgets | elements), names


def test_depth_changes_what_reaches_the_first_layer():
    at = open_page(PAGE)
    before = _metric(at, "ratio")
    _set_depth(at, 5)
    assert _metric(at, "ratio") > before * 1e3, "fewer sigmoid layers: more reaches the first one"
    assert len(_series(at)[INPUT]) == 6
    assert at.query_params["depth"] in ("5", ["5"])


def _frame_metric(at, frame: int, label_start: str) -> float:
    """A readout of the window's frame `frame` (not only the position shown's)."""
    for b in _stepper(at).blocks("text"):
        for para in Stepper.at_frame(b, "paras", frame):
            line = ("- " if para.get("li") else "") + runs_text(para["runs"])
            found = re.match(rf"{re.escape(label_start)}[^`]*`([^`]+)`", line)
            if found:
                return float(found.group(1))
    raise AssertionError(f"no readout {label_start!r} at frame {frame}")


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"activation": "relu", "init": "large", "std": "1.0", "clip": "1", "threshold": "1.0", "width": "16"},
    ],
)
def test_every_frame_shows_what_core_computes_for_that_depth_and_width_alone(query):
    """Each frame of the window (every depth at this width, the widths beside it at this depth) is its own
    stack (core's gradient_flow at that depth and width), not a slice of another one."""
    at = open_page(PAGE, query)
    assert_ok(at)
    kw = {
        "activation": at.selectbox(key=f"{K}activation").value,
        "init": at.selectbox(key=f"{K}init").value,
        "std": float(query["std"]) if "std" in query else None,
        "residual": False,
        "clip": float(query["threshold"]) if "clip" in query else None,
    }
    data = _stepper(at).data
    d0, w0 = data["at"]
    assert w0 + 4 == int(query.get("width", 32))
    frames = [tuple(f) for f in data["frames"]]
    assert frames[0] == (d0, w0)
    assert {f for f in frames if f[1] == w0} == {(d, w0) for d in range(50)}, "every depth at this width"
    beside = sorted(w for d, w in frames if w != w0)
    assert beside == [w for w in range(w0 - 2, w0 + 3) if w != w0] and all(
        d == d0 for d, w in frames if w != w0
    )
    chart = _chart(at)
    inputs = next(s for s in chart["series"] if s["name"] == INPUT)
    lo, hi = chart["y"]
    for f, (d, w) in enumerate(frames):
        depth, width = d + 1, w + 4
        flow = gf.gradient_flow(depth=depth, width=width, **kw)
        shown = inputs["values"][f]
        assert len(shown) == depth + 1
        for got, want in zip(shown, flow.input_grad_norms, strict=True):
            assert got == pytest.approx(want, rel=6e-3)  # 3 significant digits
            assert 10**lo <= got <= 10**hi, "the fixed axis holds every frame"
        assert f"{depth}-layer stack of width {width}," in Stepper.at_frame(chart, "alt", f)
        if w != w0 or d in (0, 16, 49):
            assert _frame_metric(at, f, "- ratio first / last") == pytest.approx(flow.attenuation, rel=6e-3)
            assert _frame_metric(at, f, "- global norm ‖∂L/∂W‖") == pytest.approx(
                flow.global_norm_before, rel=6e-3
            )
    for depth in (1, 17, 50):
        _set_depth(at, depth)
        flow = gf.gradient_flow(depth=depth, width=w0 + 4, **kw)
        assert _metric(at, "ratio") == pytest.approx(flow.attenuation, rel=6e-3)
        assert _metric(at, "global norm ‖∂L/∂W‖") == pytest.approx(flow.global_norm_before, rel=6e-3)


def test_a_link_lands_on_its_depth_and_width_and_a_bad_width_is_reported():
    at = open_page(PAGE, {"depth": "7", "width": "10"})
    assert_ok(at)
    assert _stepper(at).position == (6, 6) and (_depth(at), _width(at)) == (7, 10)
    assert _stepper(at).data["frame"] == 0 and _stepper(at).data["frames"][0] == [6, 6]
    flow = gf.gradient_flow(depth=7, width=10, activation="sigmoid", init="xavier")
    assert _metric(at, "ratio") == pytest.approx(flow.attenuation, rel=6e-3)
    assert len(_series(at)[INPUT]) == 8
    assert at.query_params["width"] in ("10", ["10"])
    at = open_page(PAGE, {"width": "99"})
    assert_ok(at)
    assert _width(at) == 32 and any("width" in n for n in notices(at)), "out of range: the default, said so"


def test_a_width_report_moves_the_window_and_the_link():
    """The browser's report of a width (a step inside the window draws at once; its report comes later): the
    link follows, and the rerun sends the window around the new width."""
    at = open_page(PAGE)
    before = _metric(at, "ratio")
    _set_width(at, 6)
    assert (_depth(at), _width(at)) == (20, 6)
    assert at.query_params["width"] in ("6", ["6"])
    flow = gf.gradient_flow(depth=20, width=6, activation="sigmoid", init="xavier")
    assert (
        _metric(at, "ratio") == pytest.approx(flow.attenuation, rel=6e-3) and _metric(at, "ratio") != before
    )
    widths = sorted({w + 4 for d, w in _stepper(at).data["frames"]})
    assert widths == [4, 5, 6, 7, 8], "the widths beside the new one (clamped at the slider's end)"
    _set_depth(at, 3)
    assert (_depth(at), _width(at)) == (3, 6), "a depth report keeps the width"


def test_a_presets_note_is_drawn_with_the_depth_it_belongs_to():
    """The preset's note depends on the depth and width (every preset is at depth 30): the stepper draws it
    with each step, at the positions where the settings are that preset, so it never lags a step."""
    at = _click(open_page(PAGE), "vanishing")
    s = _stepper(at)
    note = s.blocks("text")[-1]
    at30 = Stepper.at_frame(note, "paras", _frame(at, 30))
    assert PRESETS["vanishing"].label in "".join(t for para in at30 for _, t in para["runs"])  # depth 30
    assert "**" + PRESETS["vanishing"].label + ".**" in s.text()
    assert Stepper.at_frame(note, "paras", _frame(at, 20)) == []  # at depth 20 these settings are no preset
    width = PRESETS["vanishing"].kwargs["width"]
    assert Stepper.at_frame(note, "paras", _frame(at, 30, width + 1)) == [], "nor at another width"
    assert not any(PRESETS["vanishing"].label in i.value for i in at.info)  # nothing server-drawn about it
