"""Vanishing gradients page: presets (problems and remedies), the bound, clipping, the check."""

from __future__ import annotations

import pytest

from core.gradient_flow import PRESETS
from tests.support import assert_ok, badges, open_page, page_tables, prose
from ui.navigation import page_by_url

pytestmark = pytest.mark.timeout(120)
PAGE = page_by_url("vanishing_gradients")
K = "vanishing_gradients."


def _metric(at, label_start: str) -> float:
    for m in at.metric:
        if m.label.startswith(label_start):
            return float(m.value)
    raise AssertionError(f"no metric {label_start!r}: {[m.label for m in at.metric]}")


def _chart_rows(at) -> list[dict]:
    return [row for table in page_tables(at) for row in table.to_pylist()]


def _series(at) -> set[str]:
    return {r["series"] for r in _chart_rows(at) if "series" in r}


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
    assert badges(at) == ["green"]
    # one point per layer for the input-gradient series: layers 0..L
    depth = at.slider(key=f"{K}depth").value
    layers = [r["layer"] for r in _chart_rows(at) if r.get("series", "") == "‖∂L/∂h_l‖ (layer output)"]
    assert sorted(layers) == list(range(depth + 1))
    assert _metric(at, "ratio") < 1e-3  # sigmoid, 20 layers: vanishing


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
    assert at.slider(key=f"{K}depth").value == kw["depth"]
    assert at.slider(key=f"{K}width").value == kw["width"]
    assert at.selectbox(key=f"{K}activation").value == kw["activation"]
    assert at.selectbox(key=f"{K}init").value == kw["init"]
    assert at.toggle(key=f"{K}residual").value == kw["residual"]
    assert at.toggle(key=f"{K}clip").value == (kw["clip"] is not None)
    assert at.toggle(key=f"{K}batchnorm").value == bool(kw.get("batch_norm", False))
    assert any(PRESETS[preset].label in i.value for i in at.info), "the preset's explanation is shown"
    assert badges(at) and badges(at)[0] in ("green", "orange", "red")
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
    delta = next(m.delta for m in at.metric if m.label.startswith("ratio"))
    assert delta and "up from" in delta


def test_clipping_caps_the_global_norm_and_shows_before_after_bars():
    at = _click(open_page(PAGE), "exploding")
    before = _metric(at, "global norm ‖∂L/∂W‖")
    assert before > 1e10 and _metric(at, "ratio") > 1e10
    assert any(":red[**Exploding" in m.value for m in at.markdown)
    _click(at, "clipping")
    after = _metric(at, "global norm after clipping")
    assert after == pytest.approx(1.0, rel=1e-6)
    assert _metric(at, "global norm ‖∂L/∂W‖") == pytest.approx(before, rel=1e-6)
    bars = {r["global norm"]: r["norm"] for r in _chart_rows(at) if "global norm" in r}
    assert bars["before clipping"] > 1e10 and bars["after clipping"] == pytest.approx(1.0, rel=1e-6)
    assert any(s.endswith("after clipping") for s in _series(at))


def test_threshold_above_the_norm_leaves_gradients_unchanged():
    at = open_page(PAGE)
    at.toggle(key=f"{K}clip").set_value(True).run()
    assert_ok(at)
    at.select_slider(key=f"{K}threshold").set_value(100.0).run()
    assert_ok(at)
    assert _metric(at, "global norm after clipping") == pytest.approx(_metric(at, "global norm ‖∂L/∂W‖"))
    assert any("leaves the gradients unchanged" in m.value for m in at.markdown)


def test_vanishing_check_is_honest_about_unresolvable_layers():
    at = _click(open_page(PAGE), "vanishing")
    assert badges(at) == ["green"]
    notes = " ".join(prose(at))
    assert "below the round-off of the loss" in notes
    # the badge names a layer above the first: the first layer's gradient (~1e-26) cannot be measured
    badge = next(m.value for m in at.markdown if "-badge[" in m.value)
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
    assert at.slider(key=f"{K}depth").value == 50
    assert at.toggle(key=f"{K}residual").value is True
    assert badges(at) and not at.error


def test_the_preset_rows_show_which_preset_is_on_and_clicking_it_again_changes_nothing():
    at = _click(open_page(PAGE), "relu")
    assert at.button_group(key=f"{K}presets_remedy").value == "relu"
    assert at.button_group(key=f"{K}presets_problem").value is None
    depth = at.slider(key=f"{K}depth").value
    at.button_group(key=f"{K}presets_remedy").set_value(None).run()  # the preset on, clicked again
    assert_ok(at)
    assert at.slider(key=f"{K}depth").value == depth
    assert at.button_group(key=f"{K}presets_remedy").value == "relu", "its settings are still on"
    at.slider(key=f"{K}depth").set_value(depth + 1).run()
    assert at.button_group(key=f"{K}presets_remedy").value is None, "settings of no preset: none selected"


def test_a_depth_step_reruns_only_what_the_depth_changes():
    """`by_depth` (the fragment a depth step reruns) draws the depth slider and what it changes, not the
    other sizes, the headings or the preset rows: those are re-sent only when they can change."""
    import ast

    from ui.navigation import ROOT

    tree = ast.parse((ROOT / "pages" / "vanishing_gradients.py").read_text(encoding="utf-8"))
    inner = next(f for f in tree.body if isinstance(f, ast.FunctionDef) and f.name == "by_depth")
    calls = [n.func for n in ast.walk(inner) if isinstance(n, ast.Call)]
    names = {f.attr if isinstance(f, ast.Attribute) else getattr(f, "id", "") for f in calls}
    widgets = [
        n.args[0].value
        for n in ast.walk(inner)
        if isinstance(n, ast.Call)
        and isinstance(n.func, ast.Attribute)
        and n.func.attr in ("slider", "log_slider")
    ]
    assert widgets == ["depth"]
    assert not names & {"subheader", "pills", "_preset_row", "latex", "columns", "info"}, names


def test_depth_changes_what_reaches_the_first_layer():
    at = open_page(PAGE)
    before = (_metric(at, "ratio"), badges(at))
    at.slider(key=f"{K}depth").set_value(5).run()
    assert_ok(at)
    assert _metric(at, "ratio") > before[0] * 1e3, "fewer sigmoid layers: more reaches the first one"
    layers = [r["layer"] for r in _chart_rows(at) if r.get("series", "") == "‖∂L/∂h_l‖ (layer output)"]
    assert sorted(layers) == list(range(6))
    assert at.query_params["depth"] in ("5", ["5"])
