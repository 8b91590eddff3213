"""'Your turn' panels: every registered challenge answered right and wrong on its page (AppTest).

Generic over ui.challenge.CHALLENGES: a new challenge needs no new test code. The right answer
is core's own (core.challenges), the wrong one a near-miss of it; both go through the page's form.
"""

from __future__ import annotations

import re

import pytest

from core.challenges import Solved
from tests.support import assert_ok, open_page
from ui.challenge import CHALLENGES, CHOICE, FORMULA, NUMBER, VERDICT_ICONS, for_page, solved
from ui.navigation import available_pages, page_by_url

pytestmark = pytest.mark.timeout(300)

CONCEPT_PAGES = [p for p in available_pages() if p.url_path]
IDS = [c.id for c in CHALLENGES]


def _settings(at, challenge) -> dict[str, str]:
    """The settings the page shows for the challenge (defaults, the page's state or the link's)."""
    return {s.name: at.session_state[f"challenge.{challenge.id}.{s.name}"] for s in challenge.settings}


def _answers(challenge, settings) -> tuple[str, str]:
    """(a right answer, a wrong answer) at the given settings."""
    result: Solved = solved(challenge.id, tuple(sorted(settings.items())))
    if challenge.kind == CHOICE:
        wrong = next(o for o in challenge.options(settings) if o != result.answer)
        return result.answer, wrong
    if challenge.kind == NUMBER:
        return result.answer, repr(float(result.answer) + 1.0)
    assert challenge.kind == FORMULA
    return result.answer, f"({result.answer}) + 1"


def _commit(at, challenge, answer):
    key = f"challenge.{challenge.id}.answer"
    if challenge.kind == CHOICE:
        at.radio(key=key).set_value(answer)
    else:
        at.text_input(key=key).input(answer)
    at.button(key=f"challenge.{challenge.id}.commit").click().run()
    assert_ok(at)
    return at


def _verdicts(at):
    """The panel's verdict boxes (right, wrong, unreadable), told from the page's own by their icons."""

    def pick(elements, kind):
        return [re.sub(r"\\(.)", r"\1", e.value) for e in elements if e.icon == VERDICT_ICONS[kind]]

    return pick(at.success, "right"), pick(at.error, "wrong"), pick(at.warning, "unreadable")


def _counter(at):
    return next(c.value for c in at.caption if " answered" in c.value and " of " in c.value)


def _open(challenge, **query):
    at = open_page(page_by_url(challenge.page), {"challenge": challenge.id, **query})
    assert_ok(at)
    return at


@pytest.mark.parametrize("page", CONCEPT_PAGES, ids=[p.url_path for p in CONCEPT_PAGES])
def test_every_concept_page_has_a_challenge(page):
    assert for_page(page.url_path), f"{page.url_path} has no challenge"


@pytest.mark.parametrize("challenge", CHALLENGES, ids=IDS)
def test_core_check_agrees_with_the_answer(challenge):
    result = solved(challenge.id, tuple(sorted(challenge.defaults().items())))
    assert result.check.agree, result.check
    if challenge.kind == CHOICE:
        assert result.answer in challenge.options(challenge.defaults())


@pytest.mark.parametrize("challenge", CHALLENGES, ids=IDS)
def test_right_then_wrong_answer_on_the_page(challenge):
    at = _open(challenge)
    right, wrong = _answers(challenge, _settings(at, challenge))
    assert _counter(at) == "0 of 1 answered" if len(for_page(challenge.page)) == 1 else True
    # Before answering: no verdict, no reveal.
    assert _verdicts(at) == ([], [], [])
    _commit(at, challenge, right)
    ok, bad, _ = _verdicts(at)
    assert ok and ok[0].startswith("Right"), (ok, bad)
    assert not bad
    assert _counter(at).startswith("1 of ") and "1 right" in _counter(at)
    # The reveal: the answer's check badge and the explanation.
    assert any("-badge[agree]" in m.value for m in at.markdown)
    at.button(key=f"challenge.{challenge.id}.again").click().run()
    assert_ok(at)
    _commit(at, challenge, wrong)
    ok, bad, _ = _verdicts(at)
    assert bad and not ok, (ok, bad)
    assert bad[0].startswith("Not")
    assert "0 right" in _counter(at)


@pytest.mark.parametrize("challenge", [c for c in CHALLENGES if c.kind != CHOICE], ids=lambda c: c.id)
@pytest.mark.parametrize(
    "bad", ["2x", "__import__('os').system('ls')", "*[link](javascript:x)*", "t", "", "x" * 300]
)
def test_bad_typed_answers_are_messages_never_errors(challenge, bad):
    at = _open(challenge)
    _commit(at, challenge, bad)
    ok, wrong, warnings = _verdicts(at)
    assert not ok and not wrong
    assert warnings, "an unreadable answer gets a message"
    assert _counter(at).startswith("0 of")


def test_formula_counterexample_is_shown():
    challenge = next(c for c in CHALLENGES if c.id == "derivatives.fprime")
    at = _open(challenge, c_fn="square")
    _commit(at, challenge, "x")
    _, bad, _ = _verdicts(at)
    assert "at x = " in bad[0] and "yours gives" in bad[0] and "0.5 times" in bad[0]


def test_typed_answer_is_shown_back_inert():
    challenge = next(c for c in CHALLENGES if c.id == "losses.softmax_ce")
    at = _open(challenge)
    _commit(at, challenge, "p - y + 0*p")
    assert any(c.value == "p - y + 0*p" for c in at.code)  # in a code block, not Markdown
    assert _verdicts(at)[0][0].startswith("Right")


def test_link_settings_and_locked_reveal():
    challenge = next(c for c in CHALLENGES if c.id == "gradient_descent.fate")
    at = _open(challenge, c_eta="0.6", reveal="after")
    assert at.selectbox(key="challenge.gradient_descent.fate.eta").value == "0.6"
    assert at.selectbox(key="challenge.gradient_descent.fate.eta").disabled
    keys = [b.key for b in at.button]
    assert "challenge.gradient_descent.fate.show" not in keys  # no peeking before answering
    _commit(at, challenge, "diverge")
    assert _verdicts(at)[0]


def test_unlocked_panel_can_reveal_without_answering():
    challenge = next(c for c in CHALLENGES if c.id == "jacobians.softmax_rows")
    at = _open(challenge)
    at.button(key="challenge.jacobians.softmax_rows.show").click().run()
    assert_ok(at)
    assert any("**0**" in m.value for m in at.markdown)
    assert _counter(at).startswith("0 of")  # revealing is not answering


def test_derivatives_challenge_follows_the_pages_function():
    at = open_page(page_by_url("derivatives"), {"fn": "cube"})
    assert at.selectbox(key="challenge.derivatives.fprime.fn").value == "cube"
    at.selectbox(key="derivatives.fn").set_value("exp").run()
    assert_ok(at)
    assert at.selectbox(key="challenge.derivatives.fprime.fn").value == "exp"


@pytest.mark.parametrize(
    "query", [{"challenge": "nope<script>"}, {"challenge": "gradient_descent.fate", "c_eta": "99"}]
)
def test_bad_link_values_fall_back_with_a_notice(query):
    at = open_page(page_by_url("gradient_descent"), query)
    assert_ok(at)
    assert any(":material/link_off:" in c.value for c in at.caption)
    assert at.selectbox(key="challenge.gradient_descent.fate.eta").value == "0.3"
