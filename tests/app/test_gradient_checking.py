"""Gradient checking page: planted bugs turn the check red and are pointed at; no bug stays green."""

from __future__ import annotations

import pytest

from core import gradient_check as gc
from core.network import TwoLayerNet, xor_data
from core.planted_bugs import BUGS
from tests.support import assert_ok, badges, chart_datasets, charts, open_page, page_tables
from ui.navigation import page_by_url
from ui.wording import BUG_EXPLANATIONS

pytestmark = pytest.mark.timeout(180)
PAGE = page_by_url("gradient_checking")
K = "gradient_checking."
REAL_BUGS = [b for b in BUGS if b != "none"]


def _chart_rows(at) -> list[dict]:
    return [row for table in page_tables(at) for row in table.to_pylist()]


def _bar_levels(at) -> dict[str, str]:
    return {r["parameter"]: r["level"] for r in _chart_rows(at) if "parameter" in r and "level" in r}


def _table(at) -> str:
    """The per-parameter table (one Markdown element with its heading above it and the ε sweep's under it)."""
    heading = "### Parameter by parameter\n\n"
    text = next(m.value for m in at.markdown if m.value.startswith(heading + "| parameter |"))
    table, sweep_heading = text.removeprefix(heading).split("\n\n")
    assert sweep_heading == "### The role of ε: truncation against round-off"
    return table


def _highlighted(at) -> set[str]:
    """Parameter names whose table row is highlighted red."""
    out = set()
    for line in _table(at).splitlines()[2:]:
        first = line.split("|")[1].strip()
        if first.startswith(":red-background["):
            out.add(first[len(":red-background[") : -1].replace("\\[", "[").replace("\\]", "]"))
    return out


def _marker_labels(at) -> str:
    """The texts of the labelled marker lines (e.g. 'your ε = 1e-06'), from the charts' data."""
    return " ".join(str(r["label"]) for r in _chart_rows(at) if "label" in r)


def test_defaults_no_bug_is_green():
    at = open_page(PAGE)
    assert_ok(at)
    assert badges(at) == ["green"]
    assert any("All 13 gradients agree" in s.value for s in at.success)
    assert not at.error
    levels = _bar_levels(at)
    assert len(levels) == 13 and set(levels.values()) == {"fine"}
    assert not _highlighted(at)
    assert "your ε = 1e-06" in _marker_labels(at)
    # the ε sweep: a V (high at both ends, low in the middle)
    errors = {
        r["eps"]: r["error"] for r in _chart_rows(at) if r.get("measure") == "norm-wise (all parameters)"
    }
    assert errors[0.1] > 1e-4 and errors[1e-12] > 1e-6 and min(errors.values()) < 1e-9


@pytest.mark.parametrize("bug", REAL_BUGS)
def test_each_planted_bug_turns_red_and_points_at_its_parameters(bug):
    at = open_page(PAGE)
    at.radio(key=f"{K}bug").set_value(bug).run()
    assert_ok(at)
    assert badges(at) == ["red"]
    X, y = xor_data()
    expected = gc.check_gradient(gc.network_problem(TwoLayerNet(), X, y, bug), 1e-6).affected
    assert expected, "the core check catches the bug"
    message = " ".join(e.value for e in at.error)
    assert "caught a problem" in message
    for name in expected:
        assert name in message
    for group in BUGS[bug].affects:
        assert group in message
    assert _highlighted(at) == set(expected)
    levels = _bar_levels(at)
    assert {p for p, lv in levels.items() if lv == "bug"} == set(expected)
    # parameters the bug does not touch stay green
    untouched = [p for p in levels if p.split("[")[0] not in BUGS[bug].affects]
    assert all(levels[p] == "fine" for p in untouched)
    assert any(BUG_EXPLANATIONS[bug][:40] in c.value for c in at.caption)
    # back to no bug: green again
    at.radio(key=f"{K}bug").set_value("none").run()
    assert_ok(at)
    assert badges(at) == ["green"] and not at.error


def test_bug_sweep_is_flat_and_says_no_eps_helps():
    at = open_page(PAGE, {"bug": "flip_sign"})
    assert_ok(at)
    assert badges(at) == ["red"]
    assert any("No ε brings the error below" in m.value for m in at.markdown)
    assert any("no ε makes a wrong gradient agree" in m.value for m in at.markdown)  # the bug's V note
    assert "best ≈" not in _marker_labels(at)


@pytest.mark.parametrize("loss", ["mse", "bce"])
@pytest.mark.parametrize("activation", ["sigmoid", "tanh"])
def test_no_bug_is_green_for_smooth_networks(activation, loss):
    at = open_page(PAGE, {"activation": activation, "loss": loss})
    assert_ok(at)
    assert badges(at) == ["green"]


def test_relu_kink_is_explained():
    at = open_page(PAGE)
    at.selectbox(key=f"{K}activation").select("relu").run()
    assert_ok(at)
    assert any("ReLU kink" in w.value for w in at.warning)
    assert _highlighted(at) <= {"b1[0]", "b1[1]", "b1[2]"}


def test_eps_extremes_show_truncation_and_round_off():
    at = open_page(PAGE)
    at.select_slider(key=f"{K}eps").set_value(0.1).run()
    assert_ok(at)
    assert badges(at)[0] in ("orange", "red")  # truncation error ∝ ε²
    assert "your ε = 0.1" in _marker_labels(at)
    at.select_slider(key=f"{K}eps").set_value(1e-5).run()
    assert badges(at) == ["green"]
    at.select_slider(key=f"{K}eps").set_value(1e-12).run()
    assert_ok(at)
    assert badges(at)[0] in ("orange", "red")  # round-off ∝ 1/ε


def test_typed_function_green_by_default():
    at = open_page(PAGE)
    at.radio(key=f"{K}mode").set_value("function").run()
    assert_ok(at)
    assert badges(at) == ["green"]
    assert {r["parameter"] for r in _chart_rows(at) if "parameter" in r} == {"x", "y", "z"}
    assert any(r"\partial f" in x.value for x in at.latex)


@pytest.mark.parametrize("text", ["x +* 2", "x**", "import os", "2x", "sin(", "__class__", "x; y", "a + b"])
def test_typed_function_parse_error_shows_the_message(text):
    at = open_page(PAGE, {"mode": "function"})
    at.text_input(key=f"{K}expr").input(text).run()
    assert_ok(at)
    assert at.error and "Could not read f" in at.error[0].value
    # the last formula that parsed (the default) stays on the page, greyed, under the message
    assert any("last formula that worked" in i.value for i in at.info) and badges(at) == ["green"]


def test_typed_function_only_its_variables_and_edge_cases():
    at = open_page(PAGE, {"mode": "function", "expr": "exp(x) * x"})
    assert_ok(at)
    assert {r["parameter"] for r in _chart_rows(at) if "parameter" in r} == {"x"}
    assert badges(at) == ["green"]
    at.text_input(key=f"{K}expr").input("2 + pi").run()
    assert_ok(at)
    assert any("nothing to check" in i.value for i in at.info)
    at.text_input(key=f"{K}expr").input("log(x) + y").run()
    at.slider(key=f"{K}x").set_value(-1.0).run()
    assert_ok(at)
    assert any("not defined" in w.value for w in at.warning)


def test_zero_gradient_is_not_a_false_alarm():
    # ∂/∂x sin(x) at x = π/2 ≈ 1.57 is ~0: the numeric estimate is round-off, the note says so
    at = open_page(PAGE, {"mode": "function", "expr": "sin(x - 1.57) + y + z", "x": "1.57"})
    assert_ok(at)
    assert badges(at) == ["green"]


@pytest.mark.parametrize("which", ["largest", "smallest"])
@pytest.mark.parametrize("scale", ["1", "100"])
def test_softmax_cross_entropy(which, scale):
    at = open_page(PAGE, {"mode": "softmax", "target": which, "scale": scale})
    assert_ok(at)
    assert badges(at)[0] in ("green", "orange")
    assert not at.error
    rows = {r["parameter"] for r in _chart_rows(at) if "parameter" in r}
    assert rows == {f"z[{i}]" for i in range(4)}
    assert "p − y" in _table(at)


def test_softmax_classes_slider():
    at = open_page(PAGE, {"mode": "softmax"})
    at.slider(key=f"{K}classes").set_value(10).run()
    assert_ok(at)
    assert len({r["parameter"] for r in _chart_rows(at) if "parameter" in r}) == 10
    assert badges(at) == ["green"]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ({"eps": "1e-06"}, {"eps": "1e-05"}),
        ({"bug": "flip_sign", "eps": "1e-06"}, {"bug": "flip_sign", "eps": "0.01"}),
        ({"mode": "function", "eps": "1e-06"}, {"mode": "function", "eps": "1e-08"}),
        ({"mode": "softmax", "eps": "1e-06"}, {"mode": "softmax", "eps": "0.001"}),
    ],
)
def test_an_eps_step_changes_the_charts_data_not_their_specs(a, b):
    """The browser re-embeds a chart whose spec changed; with only its datasets changed it updates in place."""

    def drawn(query):
        at = open_page(PAGE, query)
        assert_ok(at)
        return [(c.proto.spec, {k: t.to_pydict() for k, t in chart_datasets(c).items()}) for c in charts(at)]

    before, after = drawn(a), drawn(b)
    assert len(before) == len(after) == 2
    for (spec_a, _), (spec_b, _) in zip(before, after, strict=True):
        assert spec_a == spec_b, "a chart's spec changed with ε: the browser would re-embed it"
    vee_a, vee_b = before[1][1], after[1][1]
    assert vee_a != vee_b, "the V's data did not change with ε (its 'your ε' line must move)"


def test_a_step_of_eps_reruns_only_a_nested_fragment_without_the_other_controls():
    """ε lives in a fragment nested in the stage's: its step re-sends ε and what ε changes, not the radios,
    selectboxes, sliders and text box above it (each re-sent unchanged element costs the browser a render)."""
    import ast

    from ui.navigation import ROOT

    def widgets(node):
        return {
            n.args[0].value
            for n in ast.walk(node)
            if isinstance(n, ast.Call)
            and isinstance(n.func, ast.Attribute)
            and isinstance(n.func.value, ast.Name)
            and n.func.value.id == "state"
            and n.args
            and isinstance(n.args[0], ast.Constant)
        }

    def is_fragment(f):
        return any(ast.unparse(d) == "st.fragment" for d in f.decorator_list)

    tree = ast.parse((ROOT / "pages" / "gradient_checking.py").read_text(encoding="utf-8"))
    (body,) = [f for f in tree.body if isinstance(f, ast.FunctionDef) and is_fragment(f)]
    nested = [
        f for f in ast.walk(body) if isinstance(f, ast.FunctionDef) and f is not body and is_fragment(f)
    ]
    assert len(nested) == 1, "no fragment nested in the stage's for ε"
    assert widgets(nested[0]) == {"eps"}
    assert {"mode", "activation", "loss", "bug", "expr", "classes", "scale", "target"} <= widgets(body)
