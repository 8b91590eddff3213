"""core.challenges: every answer agrees with its independent check, across the settings offered."""

from __future__ import annotations

import math

import numpy as np
import pytest

from core import challenges as cc
from core.catalogue import FUNCTIONS
from core.planted_bugs import BUGS


@pytest.mark.parametrize("key", list(FUNCTIONS))
def test_derivative_answer_is_accepted_by_the_judge_and_checked(key):
    solved = cc.solve_derivative(key)
    assert solved.check.agree
    assert cc.judge_typed_derivative(key, solved.answer).right
    assert not cc.judge_typed_derivative(key, f"2*({solved.answer})").right


@pytest.mark.parametrize(
    ("lr", "fate"), [(0.1, cc.FATES[0]), (0.3, cc.FATES[1]), (0.45, cc.FATES[1]), (0.6, cc.FATES[2])]
)
def test_descent_fate_from_the_run_matches_the_curvature_rule(lr, fate):
    solved = cc.solve_descent_fate("bowl", lr, (2.0, 1.5))
    assert solved.answer == fate
    assert solved.check.agree


@pytest.mark.parametrize(
    ("vector", "direction"),
    [
        ((1, 0), cc.COMPASS[0]),
        ((1, 1), cc.COMPASS[1]),
        ((0, 1), cc.COMPASS[2]),
        ((-1, -1), cc.COMPASS[5]),
        ((1, -0.1), cc.COMPASS[0]),
    ],
)
def test_compass(vector, direction):
    assert cc.compass(np.array(vector, dtype=float)) == direction


@pytest.mark.parametrize("point", [(0.0, 0.0), (4.0, 4.0), (-1.0, 5.0)])
def test_descent_direction_is_opposite_the_gradient(point):
    solved = cc.solve_descent_direction("coupled", point)
    assert solved.check.agree
    g = np.array([solved.numbers["g1"], solved.numbers["g2"]])
    assert solved.answer == cc.compass(-g)


@pytest.mark.parametrize("bug", [b for b in BUGS if b != "none"])
def test_planted_bug_measured_equals_declared(bug):
    solved = cc.solve_planted_bug(bug)
    assert solved.check.agree
    assert solved.answer in cc.BUG_GROUPS


@pytest.mark.parametrize("node", cc.AUTODIFF_NODES)
def test_autodiff_grads_match_the_chain_rule_by_hand(node):
    solved = cc.solve_autodiff_grad(node)
    n = solved.numbers
    partner = {"w1": "x1", "x1": "w1", "w2": "x2", "x2": "w2"}[node]
    assert solved.numbers["value"] == pytest.approx(2 * n["y"] * n[partner], rel=1e-12)
    assert solved.check.agree


def test_other_answers_and_checks():
    for solved in (
        cc.solve_largest_weight_gradient(),
        cc.solve_output_gradient(),
        cc.solve_softmax_row_sums(),
        cc.solve_sigmoid_peak(),
        cc.solve_softmax_ce(),
        cc.solve_vanishing(),
    ):
        assert solved.check.agree, solved.check
    assert cc.solve_softmax_row_sums().answer == "0"
    assert cc.solve_sigmoid_peak().numbers["peak"] == pytest.approx(0.25)
    assert cc.solve_vanishing().answer == cc.magnitude_label(-13)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("0.4", "right"),
        ("2*0.1*2", "right"),
        ("0.401", "right"),
        ("0.41", "wrong"),
        ("-0.4", "wrong"),
        ("x", "free_name"),
        ("1/0", "unreadable"),
        ("", "unreadable"),
        ("0.4.", "unreadable"),
    ],
)
def test_typed_numbers(text, kind):
    assert cc.judge_number(text, 0.4).kind == kind


def test_typed_zero():
    assert cc.judge_number("0", 0.0).right and cc.judge_number("1e-3", 0.0).right
    assert not cc.judge_number("0.1", 0.0).right


@pytest.mark.parametrize(
    ("answer", "right"),
    [
        ("p - y", True),
        ("-(y - p)", True),
        ("p*(1 - y) - y*(1 - p)", True),
        ("y - p", False),
        ("-y/p", False),
        ("p", False),
        ("p - y + 0.01", False),
    ],
)
def test_softmax_ce_answers(answer, right):
    assert cc.judge_softmax_ce(answer).right is right


def test_magnitude_label():
    assert cc.magnitude_label(-13) == "about 10⁻¹³"
    assert not math.isnan(cc.solve_vanishing().numbers["log10"])
