"""Gradient checking page: planted bugs turn the check red and are pointed at; no bug stays green."""

from __future__ import annotations

import pytest

from core import gradient_check as gc
from core.network import TwoLayerNet, xor_data
from core.planted_bugs import BUGS
from tests.support import Stepper, assert_ok, chart_datasets, charts, notices, open_page, page_tables
from ui.navigation import page_by_url
from ui.wording import BUG_EXPLANATIONS

pytestmark = pytest.mark.timeout(180)
PAGE = page_by_url("gradient_checking")
EPSILONS = tuple(float(f"1e{k}") for k in range(-12, 0))
K = "gradient_checking."
REAL_BUGS = [b for b in BUGS if b != "none"]


EPS = "gradient_checking.eps"  # the ε stepper's URL parameter key (ui.stepper)
COLOURS = {"fine": "green", "suspicious": "orange", "bug": "red"}


def _stepper(at) -> Stepper:
    return Stepper(at, EPS)


def _bars(at) -> dict:
    (block,) = _stepper(at).blocks("logbars")
    return block


def badges(at) -> list[str]:
    """The worst parameter's verdict at this ε, as the old badge's colour ([] when the check is not graded)."""
    s = _stepper(at)
    verdict = Stepper.at_frame(_bars(at), "verdict", s.value)
    return [COLOURS[verdict["level"]]] if verdict else []


def _text(at) -> str:
    """The stepper's text at this ε: the verdict's message and the worst parameter's check."""
    return _stepper(at).text()


def _chart_rows(at) -> list[dict]:
    return [row for table in page_tables(at) for row in table.to_pylist()]


def _bar_levels(at) -> dict[str, str]:
    b, f = _bars(at), _stepper(at).value
    return dict(zip(b["labels"], Stepper.at_frame(b, "levels", f), strict=True))


def _table(at) -> list[list[str]]:
    """The per-parameter table at this ε: header, then one row per parameter (cells without their bold)."""
    return [[c.replace("**", "") for c in row] for row in _stepper(at).tables()[0]]


def _highlighted(at) -> set[str]:
    """Parameter names whose table row says bug (✗, in bold)."""
    return {row[0] for row in _table(at)[1:] if row[4].startswith("✗")}


def _marker_labels(at) -> str:
    """The texts of the labelled marker lines (e.g. 'your ε = 1e-06'), from the V's data."""
    return " ".join(str(r["label"]) for r in _chart_rows(at) if "label" in r)


def test_defaults_no_bug_is_green():
    at = open_page(PAGE)
    assert_ok(at)
    assert badges(at) == ["green"]
    assert "All 13 gradients agree" in _text(at)
    assert not at.error
    levels = _bar_levels(at)
    assert len(levels) == 13 and set(levels.values()) == {"fine"}
    assert not _highlighted(at)
    assert "On the V below: the norm-wise error at ε = 1e-06 is" in _text(at)  # drawn with the step
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
    message = _text(at)
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
    assert badges(at) == ["green"] and "caught a problem" not in _text(at)


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
    assert "ReLU kink" in _text(at)
    assert _highlighted(at) <= {"b1[0]", "b1[1]", "b1[2]"}


def test_eps_extremes_show_truncation_and_round_off():
    at = open_page(PAGE)
    s = _stepper(at)
    s.set_value(11).run()  # what the browser reports after a step to ε = 0.1
    assert_ok(at)
    assert badges(at)[0] in ("orange", "red")  # truncation error ∝ ε²
    assert "the norm-wise error at ε = 0.1 is" in _text(at) and at.query_params["eps"] in ("0.1", ["0.1"])
    s.set_value(7).run()  # 1e-5
    assert badges(at) == ["green"]
    s.set_value(0).run()  # 1e-12
    assert_ok(at)
    assert badges(at)[0] in ("orange", "red")  # round-off ∝ 1/ε


def test_typed_function_green_by_default():
    at = open_page(PAGE)
    at.radio(key=f"{K}mode").set_value("function").run()
    assert_ok(at)
    assert badges(at) == ["green"]
    assert set(_bar_levels(at)) == {"x", "y", "z"}
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
    assert set(_bar_levels(at)) == {"x"}
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
    assert set(_bar_levels(at)) == {f"z[{i}]" for i in range(4)}
    assert _table(at)[0][1] == "p − y"


def test_softmax_classes_slider():
    at = open_page(PAGE, {"mode": "softmax"})
    at.slider(key=f"{K}classes").set_value(10).run()
    assert_ok(at)
    assert len(_bar_levels(at)) == 10
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
def test_nothing_outside_the_stepper_depends_on_eps(a, b):
    """The browser draws an ε step by itself: so nothing the server draws may depend on ε (it would change
    only 0.7 s later, when the position is reported). The V is the same chart with the same data for every
    ε, and the stepper's frames are the same (only the position differs): the browser keeps them."""

    def drawn(query):
        at = open_page(PAGE, query)
        assert_ok(at)
        frames = {k: v for k, v in _stepper(at).data.items() if k not in ("frame", "at")}
        return [
            (c.proto.spec, {k: t.to_pydict() for k, t in chart_datasets(c).items()}) for c in charts(at)
        ], frames

    (before, frames_a), (after, frames_b) = drawn(a), drawn(b)
    assert len(before) == len(after) == 1  # the V; the bars are the stepper's
    assert before == after, "the V changed with ε: it would lag the stepper by the report's delay"
    assert frames_a == frames_b


def test_every_eps_is_in_one_payload_and_each_frame_is_the_core_check():
    """All twelve ε at once, each frame exactly what core's check says at that ε (bars, table, verdict)."""
    at = open_page(PAGE, {"bug": "drop_slope"})  # some parameters red, others green
    assert_ok(at)
    s = _stepper(at)
    assert s.max == 11 and s.data["values"] == [f"{h:g}" for h in EPSILONS]
    bars = _bars(at)
    X, y = xor_data()
    problem = gc.network_problem(TwoLayerNet(), X, y, "drop_slope")
    for f, h in enumerate(EPSILONS):
        report = gc.check_gradient(problem, h)
        assert Stepper.at_frame(bars, "levels", f) == [r.level for r in report.rows], h
        shown = Stepper.at_frame(bars, "values", f)
        for r, v in zip(report.rows, shown, strict=True):
            assert v == pytest.approx(min(max(r.score, 1e-17), 1.0), rel=1e-2), (h, r.name)
        s.set_value(f).run()
        rows = _table(at)[1:]
        assert [row[0] for row in rows] == [r.name for r in report.rows]
        assert [row[3] for row in rows] == [f"{r.score:.1e}" for r in report.rows]
        assert _highlighted(at) == set(report.affected), h
        assert f"ε = {h:g}" in _text(at)
        assert at.query_params["eps"] in (f"{h:.12g}", [f"{h:.12g}"])


@pytest.mark.parametrize(
    ("raw", "position"), [("1e-04", 8), ("0.0001", 8), ("1e-12", 0), ("4e-7", 6), ("2e-7", 5)]
)
def test_an_eps_link_lands_on_its_position(raw, position):
    at = open_page(PAGE, {"eps": raw})
    assert_ok(at)
    assert _stepper(at).value == position and not notices(at)
    assert at.query_params["eps"] in (f"{EPSILONS[position]:.12g}", [f"{EPSILONS[position]:.12g}"])


@pytest.mark.parametrize("raw", ["abc", "1", "0", "-1e-6", "nan"])
def test_an_invalid_eps_link_gets_the_log_sliders_notice(raw):
    at = open_page(PAGE, {"eps": raw})
    assert_ok(at)
    assert _stepper(at).value == 6  # 1e-6, the default
    (note,) = [n for n in notices(at) if "`eps`" in n]
    assert note.endswith("using the default `1e-06` instead.")


def test_the_default_payload_stays_small():
    import json

    assert len(json.dumps(_stepper(open_page(PAGE)).data)) < 60_000


def test_the_eps_stepper_lives_in_a_fragment_nested_in_the_stages():
    """ε lives in a fragment nested in the stage's: its report re-sends ε and the V, not the radios,
    selectboxes, sliders and text box above it (each re-sent unchanged element costs the browser a render)."""
    import ast

    from ui.navigation import ROOT

    def widgets(node):
        out = set()
        for n in ast.walk(node):
            if not isinstance(n, ast.Call):
                continue
            if (
                isinstance(n.func, ast.Attribute)
                and isinstance(n.func.value, ast.Name)
                and n.func.value.id == "state"
                and n.args
                and isinstance(n.args[0], ast.Constant)
            ):
                out.add(n.args[0].value)
            if isinstance(n.func, ast.Name) and n.func.id == "stepper":
                out |= {k.value.value for k in n.keywords if k.arg == "name"}
        return out

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
