"""'Your turn': one challenge panel per concept page — predict, commit, reveal, explain.

``CHALLENGES`` is the registry: every challenge names its page, its question (wording lives
here), how it is answered (a typed formula, a typed number, or one of several options), and the
``core.challenges`` function that computes the right answer together with an independent check.
The same registry drives the panels and the tests (tests/app/test_challenges.py answers every
challenge right and wrong).

A page adds its panel with one call near its end: ``challenge_panel("<url_path>")``.

Teacher links: ``?challenge=<id>`` opens that challenge on its page; its settings travel as
``c_<name>=<value>`` (e.g. ``?challenge=gradient_descent.fate&c_eta=0.6``); ``&reveal=after``
hides the answer until the student has committed one. Progress ("k of n answered") lives in the
session only: nothing is stored on the server beyond the session, no accounts.

Anything the learner typed is shown back as inert text: in a code block, or through ui/text.py's ``plain``
(the app's one Markdown escape).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import streamlit as st

from core import challenges as cc
from core.equivalence import Verdict
from ui.text import plain

FORMULA, NUMBER, CHOICE = "formula", "number", "choice"
LOG_KEY = "_challenge.log"  # {challenge id: Record}
REVEALED_KEY = "_challenge.revealed"  # {challenge id: settings shown without an answer}
REVEAL_AFTER = "after"  # ?reveal=after: no "show me" before an answer is committed
# The verdict boxes' icons (distinct from the pages' own, so tests can tell them apart).
VERDICT_ICONS = {
    "right": ":material/task_alt:",
    "wrong": ":material/cancel:",
    "unreadable": ":material/edit_note:",
}


@dataclass(frozen=True)
class Setting:
    """A knob of a challenge (a learning rate, a function...), carried in links as ``c_<name>``."""

    name: str
    label: str
    options: tuple[str, ...]
    default: str
    format: Callable[[str], str] = str


@dataclass(frozen=True)
class Challenge:
    """One predict → commit → reveal → explain exercise.

    ``question(settings)`` is trusted Markdown; ``solve(settings)`` returns core's
    :class:`core.challenges.Solved`; ``explain(settings, solved)`` is the two-sentence explanation.
    ``judge(settings, text)`` judges typed answers (formula, number); choices are judged by
    equality with ``solved.answer`` among ``options(settings)``.
    """

    id: str
    page: str
    title: str
    kind: str
    question: Callable[[Mapping[str, str]], str]
    solve: Callable[[Mapping[str, str]], cc.Solved]
    explain: Callable[[Mapping[str, str], cc.Solved], str]
    judge: Callable[[Mapping[str, str], str], Verdict] | None = None
    options: Callable[[Mapping[str, str]], tuple[str, ...]] | None = None
    settings: tuple[Setting, ...] = ()
    placeholder: str = ""
    variables: str = ""  # what a typed formula may use, for the input's help text

    def defaults(self) -> dict[str, str]:
        return {s.name: s.default for s in self.settings}


@dataclass(frozen=True)
class Record:
    """A committed answer: the text (or option), the verdict, and the settings it answered."""

    answer: str
    verdict: Verdict
    settings: tuple[tuple[str, str], ...]


# -- the registry --------------------------------------------------------------------------------
def _catalogue_setting() -> Setting:
    from core.catalogue import FUNCTIONS

    return Setting("fn", "Function", tuple(FUNCTIONS), "sigmoid", lambda k: FUNCTIONS[k].label)


def _f_latex(s: Mapping[str, str]) -> str:
    from core.catalogue import FUNCTIONS

    return FUNCTIONS[s["fn"]].latex


def _number_judge(cid: str, what: str) -> Callable[[Mapping[str, str], str], Verdict]:
    """Judge a typed number against the challenge's own solved value (core's number)."""

    def judge(s: Mapping[str, str], text: str) -> Verdict:
        return cc.judge_number(text, float(solved(cid, tuple(sorted(s.items()))).numbers["value"]), what=what)

    return judge


_FATE_STARTS = (2.0, 1.5)
_GC_BUGS = {
    "drop_slope": "the hidden layer's error is computed as δ₁ = δ₂ W₂ᵀ — the ⊙ σ′(z₁) factor is missing",
    "forget_m": "the output layer's dW₂ and db₂ sum over the 4 examples instead of averaging them",
    "flip_sign": "the output error is written y − a₂ instead of a₂ − y",
    "transpose": "dW₁ is computed as δ₁ᵀX (3×2) and reshaped into W₁'s 2×3 shape",
}

CHALLENGES: tuple[Challenge, ...] = (
    Challenge(
        id="derivatives.fprime",
        page="derivatives",
        title="Type f′(x)",
        kind=FORMULA,
        question=lambda s: f"Type the derivative of $f(x) = {_f_latex(s)}$.",
        solve=lambda s: cc.solve_derivative(s["fn"]),
        judge=lambda s, text: cc.judge_typed_derivative(s["fn"], text),
        explain=lambda s, r: (
            "Any formula that equals f′ everywhere counts: the judge compares yours with "
            "core's symbolic f′ exactly where it can and at hundreds of points otherwise. "
            f"The check recomputes f′({r.numbers['x0']:g}) by a central difference, which "
            "never looks at the formula."
        ),
        settings=(_catalogue_setting(),),
        placeholder="e.g. 2*(x-3)",
        variables="x",
    ),
    Challenge(
        id="gradients.descent_direction",
        page="gradients",
        title="Which way does −∇L point?",
        kind=CHOICE,
        question=lambda s: (
            "On the coupled surface $L(w_1, w_2) = (w_1 - 2)^2 + (w_2 - 3)^2 + w_1 w_2$, "
            f"standing at $(w_1, w_2) = ({s['point']})$: which way does $-\\nabla L$ point "
            "on the map (w₁ to the right, w₂ up)?"
        ),
        solve=lambda s: cc.solve_descent_direction("coupled", tuple(float(v) for v in s["point"].split(","))),
        options=lambda s: cc.COMPASS,
        explain=lambda s, r: (
            f"Here ∇L = ({r.numbers['g1']:g}, {r.numbers['g2']:g}), so −∇L points at "
            f"{r.numbers['angle']:.0f}° from the +w₁ axis: that is {r.answer}. "
            "The gradient points uphill, so one step of gradient descent goes the opposite way."
        ),
        settings=(Setting("point", "Point (w₁, w₂)", ("0,0", "4,4", "-1,5"), "0,0"),),
    ),
    Challenge(
        id="gradient_descent.fate",
        page="gradient_descent",
        title="Converge, zig-zag or diverge?",
        kind=CHOICE,
        question=lambda s: (
            "Plain gradient descent on the bowl $L = w_1^2 + 2w_2^2$ from $(2, 1.5)$ with "
            f"learning rate $\\eta = {s['eta']}$: before you run it, what will it do?"
        ),
        solve=lambda s: cc.solve_descent_fate("bowl", float(s["eta"]), _FATE_STARTS),
        options=lambda s: cc.FATES,
        explain=lambda s, r: (
            "Along each curvature direction λ of the bowl (λ = 2 and 4), one step multiplies "
            "the distance to the minimum by 1 − ηλ: between 0 and 1 it shrinks smoothly, "
            "between −1 and 0 it flips sign each step (zig-zag), beyond −1 it grows. "
            f"So η < {r.numbers['lr_max']:g} = 2/λmax converges; here η = {s['eta']}: "
            f"{r.answer}."
        ),
        settings=(Setting("eta", "Learning rate η", ("0.1", "0.3", "0.45", "0.6"), "0.3"),),
    ),
    Challenge(
        id="backprop.largest_gradient",
        page="backprop",
        title="Which weight's gradient is largest?",
        kind=CHOICE,
        question=lambda s: (
            "The article's XOR network (2-3-1, sigmoid, MSE) at its initial weights, before any "
            "training: which weight has the largest |∂L/∂w|?"
        ),
        solve=lambda s: cc.solve_largest_weight_gradient(),
        options=lambda s: tuple(cc.weight_names()),
        explain=lambda s, r: (
            f"Backprop gives |∂L/∂{r.answer}| = {abs(r.numbers['value']):.4f}, the next largest "
            f"is {r.numbers['runner_up']:.4f}. Output-layer weights sit one chain-rule factor "
            "closer to the loss, and each extra factor (a weight times σ′ ≤ 1/4) shrinks a "
            "hidden weight's gradient."
        ),
    ),
    Challenge(
        id="backprop.output_gradient",
        page="backprop",
        title="∂L/∂a₂ for input [0, 1]",
        kind=NUMBER,
        question=lambda s: (
            "The article's XOR network at its initial weights, loss $L = \\tfrac12\\,"
            "\\mathrm{mean}((a_2 - y)^2)$ over the 4 examples: what is $\\partial L/\\partial a_2$ "
            "for the input [0, 1] (target y = 1)?"
        ),
        solve=lambda s: cc.solve_output_gradient(1),
        judge=_number_judge("backprop.output_gradient", "core's ∂L/∂a₂"),
        explain=lambda s, r: (
            f"The network outputs a₂ = {r.numbers['a2']:.4f} for [0, 1]; the ½ cancels the "
            f"square's 2 and the mean divides by m = {r.numbers['m']}: (a₂ − y)/m = "
            f"{r.numbers['value']:.4f}. It is negative because the output is below its target: "
            "raising a₂ lowers the loss."
        ),
        placeholder="a number, e.g. -0.1",
    ),
    Challenge(
        id="jacobians.softmax_rows",
        page="jacobians",
        title="Softmax Jacobian row sums",
        kind=CHOICE,
        question=lambda s: (
            r"What does each row of the softmax Jacobian $J = \mathrm{diag}(s) - s s^\top$ sum to?"
        ),
        solve=lambda s: cc.solve_softmax_row_sums(),
        options=lambda s: cc.ROW_SUMS,
        explain=lambda s, r: (
            "Row i sums sᵢ − sᵢ·Σⱼsⱼ = sᵢ − sᵢ = 0, because the probabilities always add up to 1. "
            "Equivalently: adding the same number to every logit changes no probability, "
            "so J·(1, …, 1) = 0."
        ),
    ),
    Challenge(
        id="autodiff.fill_grad",
        page="autodiff",
        title="Fill in a node's grad",
        kind=NUMBER,
        question=lambda s: (
            "In the article's graph $y = w_1 x_1 + w_2 x_2$, $L = y^2$ with $x_1 = 2$, $x_2 = 3$, "
            f"$w_1 = 0.5$, $w_2 = -0.3$: after `L.backward()`, what is the grad of "
            f"${s['node'][0]}_{s['node'][1]}$?"
        ),
        solve=lambda s: cc.solve_autodiff_grad(s["node"]),
        judge=_number_judge("autodiff.fill_grad", "backward()'s grad"),
        explain=lambda s, r: (
            f"The backward pass first sets y.grad = dL/dy = 2y = {r.numbers['dL_dy']:g} "
            f"(y = {r.numbers['y']:g}). A product node passes each operand the grad times "
            f"the other operand, so {s['node']}.grad = {r.numbers['dL_dy']:g} × "
            f"{_partner(s['node'], r):g} = {r.numbers['value']:g}."
        ),
        settings=(Setting("node", "Node", cc.AUTODIFF_NODES, "w1"),),
        placeholder="a number, e.g. 0.5",
    ),
    Challenge(
        id="activations.sigmoid_peak",
        page="activations",
        title="Where is σ′ largest?",
        kind=CHOICE,
        question=lambda s: (
            r"Where is the sigmoid's derivative $\sigma'(x)$ largest, and what is its value there?"
        ),
        solve=lambda s: cc.solve_sigmoid_peak(),
        options=lambda s: cc.SIGMOID_PEAKS,
        explain=lambda s, r: (
            "σ′ = σ(1 − σ) is a product of two numbers that add up to 1, largest when both "
            "are 1/2, i.e. at x = 0: σ′(0) = 1/4. So every sigmoid layer multiplies a "
            "gradient by at most 1/4 — the root of vanishing gradients."
        ),
    ),
    Challenge(
        id="losses.softmax_ce",
        page="losses",
        title="∂L/∂z for softmax + cross-entropy",
        kind=FORMULA,
        question=lambda s: (
            "With $p = \\mathrm{softmax}(z)$ and a one-hot label $y$, the loss is "
            "$L = -\\sum_i y_i \\log p_i$. Type $\\partial L / \\partial z_i$ in terms of "
            "$p$ (for $p_i$) and $y$ (for $y_i$)."
        ),
        solve=lambda s: cc.solve_softmax_ce(),
        judge=lambda s, text: cc.judge_softmax_ce(text),
        explain=lambda s, r: (
            "The cross-entropy's −y/p meets the softmax Jacobian diag(p) − p pᵀ, and almost "
            "everything cancels: ∂L/∂z = p − y. That is why frameworks fuse the two — the "
            "gradient is simple and never divides by a tiny p."
        ),
        placeholder="in p and y",
        variables="p, y",
    ),
    Challenge(
        id="vanishing_gradients.depth20",
        page="vanishing_gradients",
        title="How small at depth 20?",
        kind=CHOICE,
        question=lambda s: (
            "A 20-layer sigmoid network with Xavier initialization: roughly how large is layer 1's "
            "weight gradient ‖∂L/∂W₁‖ compared with the last layer's?"
        ),
        solve=lambda s: cc.solve_vanishing(20, "sigmoid", "xavier"),
        options=lambda s: tuple(cc.magnitude_label(k) for k in cc.MAGNITUDES),
        explain=lambda s, r: (
            f"Measured: {r.numbers['ratio']:.1e}. Each sigmoid layer multiplies the backward "
            f"signal by σ′ ≤ 1/4 (times a weight matrix), and 0.25²⁰ ≈ {r.numbers['bound']:.0e}: "
            "the first layers of a deep sigmoid stack barely learn."
        ),
    ),
    Challenge(
        id="gradient_checking.planted_bug",
        page="gradient_checking",
        title="Which parameters has the bug hit?",
        kind=CHOICE,
        question=lambda s: (
            f"In the XOR network's hand-written backward pass, {_GC_BUGS[s['bug']]}. "
            "Which parameters' gradients will the gradient check flag as wrong?"
        ),
        solve=lambda s: cc.solve_planted_bug(s["bug"]),
        options=lambda s: cc.BUG_GROUPS,
        explain=lambda s, r: (
            "A mistake corrupts exactly the gradients whose chain rule passes through it: a bug "
            "in the output layer's own formulas leaves layer 1 alone, a bug in δ₁ leaves the "
            "output layer alone, and a wrong output error reaches everything. "
            f"The worst relative error here is {r.numbers['worst_rel']:.2f}, far above 1e-4."
        ),
        settings=(Setting("bug", "Planted bug", tuple(_GC_BUGS), "drop_slope"),),
    ),
    Challenge(
        id="playground.no_hidden",
        page="playground",
        title="Circles without a hidden layer?",
        kind=CHOICE,
        question=lambda s: (
            "Two rings of points, one class inside the other (the circles dataset). A network with "
            "**no hidden layer** — one sigmoid unit on x₁, x₂ — trains for 300 epochs. Will it reach "
            "95 % test accuracy?"
        ),
        solve=lambda s: cc.solve_no_hidden_layer(),
        options=lambda s: cc.CIRCLE_FATES,
        explain=lambda s, r: (
            f"Measured: {r.numbers['flat']:.0%} with no hidden layer, {r.numbers['hidden']:.0%} "
            "with one hidden layer of 6 tanh units on the same points. One unit can only draw a "
            "straight boundary, and no straight line separates a ring from its centre: hidden "
            "units bend the boundary."
        ),
    ),
)

BY_ID: dict[str, Challenge] = {c.id: c for c in CHALLENGES}


def _partner(node: str, r: cc.Solved) -> float:
    partner = {"w1": "x1", "x1": "w1", "w2": "x2", "x2": "w2"}[node]
    return float(r.numbers[partner])


def for_page(page: str) -> tuple[Challenge, ...]:
    """The challenges shown on a page (registry order)."""
    return tuple(c for c in CHALLENGES if c.page == page)


@functools.lru_cache(maxsize=256)
def solved(cid: str, settings: tuple[tuple[str, str], ...]) -> cc.Solved:
    """core's answer and check for a challenge at given settings (deterministic, so cached)."""
    return BY_ID[cid].solve(dict(settings))


def verdict_for(challenge: Challenge, settings: Mapping[str, str], answer: str | None) -> Verdict:
    """Judge an answer (text or option). Never raises for any input: bad answers are verdicts."""
    if answer is None or (isinstance(answer, str) and not answer.strip()):
        return Verdict("unreadable", "Commit an answer first: type or pick one.")
    if challenge.kind == CHOICE:
        right = solved(challenge.id, tuple(sorted(settings.items()))).answer
        if answer == right:
            return Verdict("right", "Right.", method="computed")
        return Verdict("wrong", "Not this one.", method="computed")
    assert challenge.judge is not None
    return challenge.judge(settings, answer)


# -- session state -------------------------------------------------------------------------------
def _log() -> dict[str, Record]:
    return st.session_state.setdefault(LOG_KEY, {})


def _revealed() -> dict[str, tuple]:
    return st.session_state.setdefault(REVEALED_KEY, {})


def progress(page: str) -> tuple[int, int, int]:
    """(answered, total, right) for a page's challenges in this session."""
    items = for_page(page)
    log = _log()
    answered = [c for c in items if c.id in log]
    return len(answered), len(items), sum(1 for c in answered if log[c.id].verdict.right)


def _key(cid: str, what: str) -> str:
    return f"challenge.{cid}.{what}"


def _present() -> bool:
    value = st.query_params.get("present")
    return value in ("1", "true") or bool(st.session_state.get("present"))


def _link_notice(text: str) -> None:
    st.caption(":material/link_off: " + plain(text))


def _settings_from_link(challenge: Challenge, notices: list[str]) -> None:
    """On a challenge's first render in the session, its settings come from the link if valid."""
    for s in challenge.settings:
        key = _key(challenge.id, s.name)
        if key in st.session_state:
            continue
        raw = st.query_params.get(f"c_{s.name}")
        value = s.default
        if raw is not None and st.query_params.get("challenge") == challenge.id:
            if raw in s.options:
                value = raw
            else:
                notices.append(
                    f"Link setting c_{s.name} = '{raw[:40]}' is not one of "
                    f"{', '.join(s.options)}; using {s.default}."
                )
        st.session_state[key] = value


def _teacher_link(challenge: Challenge, settings: Mapping[str, str]) -> str:
    parts = [f"challenge={challenge.id}"] + [f"c_{k}={v}" for k, v in settings.items()]
    return "?" + "&".join(parts + [f"reveal={REVEAL_AFTER}"])


# -- the panel -----------------------------------------------------------------------------------
def challenge_panel(page: str, **defaults: str) -> None:
    """The 'Your turn' panel of a page: pick a challenge, commit an answer, then the reveal.

    ``defaults`` overrides settings' defaults from the page's current state (e.g. the
    Derivatives page passes its function, ``fn="sigmoid"``) when the value is a valid option.
    """
    items = for_page(page)
    if not items:
        return
    notices: list[str] = []
    pick_key = f"challenge.{page}.pick"
    linked = st.query_params.get("challenge")
    if pick_key not in st.session_state:
        ids = [c.id for c in items]
        if linked is not None and linked not in BY_ID:
            notices.append(
                f"Link parameter challenge = '{linked[:60]}' names no challenge; showing "
                f"this page's first one."
            )
        st.session_state[pick_key] = linked if linked in ids else ids[0]
    locked = st.query_params.get("reveal") == REVEAL_AFTER

    box = st.container(border=True, key=f"challenge_panel_{page}")
    with box:
        head, count = st.columns([3, 1])
        head.subheader("Your turn", anchor=False)
        counter = count.empty()  # filled after this run's answer is recorded
        for note in notices:
            _link_notice(note)
        if len(items) > 1:
            st.radio(
                "Challenge",
                [c.id for c in items],
                key=pick_key,
                horizontal=True,
                format_func=lambda cid: BY_ID[cid].title,
            )
        challenge = BY_ID[st.session_state[pick_key]]
        try:
            _render(challenge, locked, defaults, notices)
        finally:
            done, total, right = progress(page)
            counter.caption(f"{done} of {total} answered" + (f" · {right} right" if done else ""))


def _render(challenge: Challenge, locked: bool, defaults: Mapping[str, str], notices: list[str]) -> None:
    cid = challenge.id
    for s in challenge.settings:  # follow the page's state (e.g. its function) unless the link set one
        value = defaults.get(s.name)
        key, seen = _key(cid, s.name), _key(cid, s.name + "._page")
        if value in s.options and st.session_state.get(seen) != value:
            first = key not in st.session_state
            if not (first and st.query_params.get("challenge") == cid and f"c_{s.name}" in st.query_params):
                st.session_state[key] = value
            st.session_state[seen] = value
    before = len(notices)
    _settings_from_link(challenge, notices)
    for note in notices[before:]:
        _link_notice(note)
    if challenge.settings:
        cols = st.columns(len(challenge.settings) + 1)
        for col, s in zip(cols, challenge.settings, strict=False):
            col.selectbox(
                s.label,
                s.options,
                key=_key(cid, s.name),
                format_func=s.format,
                disabled=locked,
                help="Set by the teacher's link." if locked else None,
            )
    settings = {s.name: st.session_state[_key(cid, s.name)] for s in challenge.settings}
    frozen = tuple(sorted(settings.items()))

    question = challenge.question(settings)
    if _present():
        st.markdown(f"### {question}")
    else:
        st.markdown(f"**{challenge.title}.** {question}")

    answer_key = _key(cid, "answer")
    with st.form(key=_key(cid, "form"), border=False, enter_to_submit=True):
        if challenge.kind == CHOICE:
            st.radio("Your prediction", challenge.options(settings), index=None, key=answer_key)
        else:
            help_text = (
                f"Use {challenge.variables}, numbers, + - * / ** and ( ); write 2*x, not 2x."
                if challenge.variables
                else "A number, or arithmetic such as 2*0.1*2."
            )
            st.text_input(
                "Your answer",
                key=answer_key,
                max_chars=300,
                placeholder=challenge.placeholder,
                help=help_text,
            )
        committed = st.form_submit_button("Commit answer", type="primary", key=_key(cid, "commit"))

    log = _log()
    if committed:
        text = st.session_state.get(answer_key)
        verdict = verdict_for(challenge, settings, text)
        if verdict.kind in ("right", "wrong"):
            log[cid] = Record(str(text), verdict, frozen)
            _revealed().pop(cid, None)
        else:
            _show_unreadable(verdict, str(text or ""))
            return
    record = log.get(cid)
    if record is not None and record.settings != frozen:
        record = None  # answered at other settings: this one is open again
    revealed = _revealed().get(cid) == frozen

    if record is None:
        if not revealed:
            if not locked:
                st.button(
                    "Just show me the answer",
                    key=_key(cid, "show"),
                    type="tertiary",
                    on_click=_reveal,
                    args=(cid, frozen),
                )
            else:
                st.caption("Commit an answer to see the solution.")
            return
    else:
        _show_verdict(challenge, record)
        if not record.verdict.right and challenge.kind != CHOICE and not revealed:
            c1, c2 = st.columns(2)
            c1.button("Try again", key=_key(cid, "retry"), on_click=_retry, args=(cid,))
            c2.button("Reveal the answer", key=_key(cid, "reveal"), on_click=_reveal, args=(cid, frozen))
            return
    _show_reveal(challenge, settings, frozen)
    st.button("Try again", key=_key(cid, "again"), type="tertiary", on_click=_retry, args=(cid,))
    with st.expander("Teacher link", icon=":material/link:"):
        st.caption(
            "Append to this page's address to open this challenge with its settings; "
            "`reveal=after` hides the answer until the student commits one."
        )
        st.code(_teacher_link(challenge, settings), language=None)


def _reveal(cid: str, frozen: tuple) -> None:
    _revealed()[cid] = frozen


def _retry(cid: str) -> None:
    _log().pop(cid, None)
    _revealed().pop(cid, None)
    st.session_state.pop(_key(cid, "answer"), None)


def _show_unreadable(verdict: Verdict, text: str) -> None:
    st.warning(plain(verdict.message), icon=VERDICT_ICONS["unreadable"])
    if verdict.position is not None and text:
        pos = max(0, min(verdict.position, len(text)))
        st.code(f"{text}\n{' ' * pos}^", language=None)


def _show_verdict(challenge: Challenge, record: Record) -> None:
    verdict = record.verdict
    if verdict.right:
        st.success(plain(verdict.message), icon=VERDICT_ICONS["right"])
    else:
        st.error(plain(verdict.message), icon=VERDICT_ICONS["wrong"])
    if challenge.kind != CHOICE:
        st.caption("You answered:")
        st.code(record.answer, language=None)
    else:
        st.caption("You predicted: " + plain(record.answer))


def _show_reveal(challenge: Challenge, settings: Mapping[str, str], frozen: tuple) -> None:
    from ui.shell import check_level

    result = solved(challenge.id, frozen)
    st.markdown("**The answer**")
    if result.latex is not None:
        st.latex(result.latex)
    elif challenge.kind == CHOICE:
        st.markdown(f"**{plain(result.answer)}**")
    else:
        st.code(result.answer, language=None)
    chk = result.check
    if chk.rel_error is not None and math.isfinite(chk.rel_error):
        level = check_level(chk.rel_error)
        tail = f" · relative error `{chk.rel_error:.1e}`"
    else:
        level = "green" if chk.agree else "red"
        tail = ""
    word = "agree" if chk.agree else "disagree"
    if not chk.agree:
        level = "red"
    st.markdown(
        f"**Check — {plain(chk.label)}** &nbsp; :{level}-badge[{word}]  \n"
        f"{plain(chk.a_name)}: `{chk.a}` · {plain(chk.b_name)}: `{chk.b}`{tail}"
    )
    st.caption(challenge.explain(settings, result))
