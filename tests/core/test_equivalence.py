"""core.equivalence: the derivative judge on its corpus, its messages, and hostile input."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.equivalence import (
    FREE_NAME,
    RIGHT,
    UNREADABLE,
    WRONG,
    judge,
    judge_derivative,
    read_answer,
)
from core.expression import parse

from .equivalence_corpus import CASES, HOSTILE, LOCAL

RIGHTS = [(f, dom or (-5.0, 5.0), a) for f, (dom, rights, _) in CASES.items() for a in rights]
WRONGS = [(f, dom or (-5.0, 5.0), a) for f, (dom, _, wrongs) in CASES.items() for a in wrongs]


def test_corpus_is_large_enough():
    assert len(RIGHTS) + len(WRONGS) + len(LOCAL) + len(HOSTILE) >= 300
    assert len(RIGHTS) >= 120 and len(WRONGS) >= 120


@pytest.mark.parametrize(("f", "domain", "answer"), RIGHTS)
def test_equivalent_rewritings_are_accepted(f, domain, answer):
    verdict = judge_derivative(f, answer, domain)
    assert verdict.kind == RIGHT, verdict.message


@pytest.mark.parametrize(("f", "domain", "answer"), WRONGS)
def test_near_misses_are_rejected_with_a_counterexample(f, domain, answer):
    verdict = judge_derivative(f, answer, domain)
    assert verdict.kind == WRONG, verdict.message
    ce = verdict.counterexample
    assert ce is not None
    x = ce.point["x"]
    assert domain[0] <= x <= domain[1]
    # The counterexample is real: recompute both sides independently of the judge.
    want = float(parse(f).derivative().evaluate(x=x))
    got = float(parse(answer).evaluate(x=x))
    assert want == pytest.approx(ce.expected, rel=1e-12, abs=1e-300)
    assert not np.isclose(got, want, rtol=1e-7, atol=0) or not np.isfinite(got)


@pytest.mark.parametrize(("f", "answer"), LOCAL)
def test_answers_wrong_on_part_of_the_domain_are_rejected(f, answer):
    assert judge_derivative(f, answer).kind == WRONG


@pytest.mark.parametrize("answer", HOSTILE)
def test_hostile_input_is_a_verdict_never_an_error(answer):
    verdict = judge_derivative("x**2", answer)
    assert verdict.kind != RIGHT
    assert verdict.message


def test_counterexample_sentence_reads_like_the_brief():
    verdict = judge_derivative("x**2", "x**2 + 1")
    assert verdict.message.startswith("Not quite: at x = ")
    assert "yours gives" in verdict.message and "f′ gives" in verdict.message


@pytest.mark.parametrize(
    ("answer", "diagnosis"), [("-2*x", "sign"), ("x", "factor"), ("2*x+3", "offset"), ("x**2", "other")]
)
def test_simple_slips_are_named(answer, diagnosis):
    assert judge_derivative("x**2", answer).diagnosis == diagnosis


def test_missing_factor_two_says_so():
    verdict = judge_derivative("x**2", "x")
    assert verdict.factor == pytest.approx(0.5)
    assert "0.5 times" in verdict.message


@pytest.mark.parametrize("answer", ["2*t", "2*w", "a*x", "theta"])
def test_a_free_name_gets_a_sentence_naming_it(answer):
    verdict = judge_derivative("x**2", answer)
    assert verdict.kind == FREE_NAME
    assert f"'{verdict.name}'" in verdict.message and "variable x" in verdict.message


@pytest.mark.parametrize(("answer", "position"), [("2x", 1), ("2*x)", 3), ("2**", 3), ("x $ 2", 2)])
def test_unreadable_gives_the_parser_message_and_position(answer, position):
    verdict = read_answer(answer, ("x",))
    assert verdict.kind == UNREADABLE
    assert verdict.position == position
    assert f"character {position + 1}" in verdict.message


def test_symbolic_stage_decides_identical_forms_without_sampling():
    verdict = judge_derivative("x**3", "3 * x ** 2")
    assert verdict.kind == RIGHT and verdict.method == "symbolic"


def test_kinks_accept_either_convention_and_removable_singularities_are_skipped():
    assert judge_derivative("abs(x)", "x/abs(x)").kind == RIGHT  # undefined exactly at 0
    assert judge_derivative("relu(x)", "(1+abs(x)/x)/2").kind == RIGHT
    assert judge_derivative("x**2", "x**2/x*2").kind == RIGHT


def test_undefined_where_the_reference_is_defined_is_wrong():
    verdict = judge_derivative("x**2", "2*sqrt(x)**2")  # undefined for x < 0
    assert verdict.kind == WRONG
    assert verdict.counterexample.point["x"] < 0
    assert "undefined" in verdict.message


def test_several_variables_and_a_callable_reference():
    def ref(p, y):
        return p - y

    domains = {"p": (0.0, 1.0), "y": (0.0, 1.0)}
    assert judge("p - y", ref, domains).kind == RIGHT
    assert judge("-(y - p)", ref, domains).kind == RIGHT
    wrong = judge("y - p", ref, domains, what="∂L/∂z")
    assert wrong.kind == WRONG and wrong.diagnosis == "sign"
    assert "∂L/∂z gives" in wrong.message
    assert judge("p - q", ref, domains).kind == FREE_NAME


def test_same_answer_same_verdict():
    a = judge_derivative("sin(x)", "cos(2*x)")
    b = judge_derivative("sin(x)", "cos(2*x)")
    assert a == b


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_any_text_is_judged_without_raising(text):
    verdict = judge_derivative("x**2", text)
    assert verdict.kind in {RIGHT, WRONG, UNREADABLE, FREE_NAME, "undecided"}


_LEAVES = st.sampled_from(["x", "2", "0.5", "pi", "(x+1)", "(3-x)"])


def _combine(children):
    unary = st.tuples(st.sampled_from(["sin", "cos", "exp", "tanh", "sigmoid"]), children).map(
        lambda t: f"{t[0]}({t[1]})"
    )
    binary = st.tuples(children, st.sampled_from(["+", "-", "*"]), children).map(
        lambda t: f"({t[0]}{t[1]}{t[2]})"
    )
    square = children.map(lambda c: f"({c})**2")
    return unary | binary | square


FORMULAS = st.recursive(_LEAVES, _combine, max_leaves=6)


@settings(max_examples=150, deadline=None)
@given(FORMULAS)
def test_core_derivative_of_any_formula_is_accepted_and_a_shifted_one_rejected(text):
    f = parse(text)
    fprime = f.derivative()
    values = fprime.evaluate(x=np.linspace(-5.0, 5.0, 101))
    if not np.all(np.isfinite(values)) or np.max(np.abs(values)) > 1e6:
        # exp(exp(...)) can overflow on the domain (the corpus covers overflow separately); and where f′ is
        # ~1e10 (x·exp(exp(π))) a shift of 1 is 1e-10 relative, inside the judge's round-off tolerance.
        return
    # The derivative's text, re-read, and the same formula with its terms reordered by addition of 0.
    assert judge_derivative(f, str(fprime)).kind == RIGHT
    assert judge_derivative(f, f"0 + ({fprime})").kind == RIGHT
    assert judge_derivative(f, f"({fprime}) + 1").kind == WRONG
    assert judge_derivative(f, f"({fprime}) + 0.001*x").kind == WRONG  # a small local slope
