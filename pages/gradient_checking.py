"""Gradient checking: a hand-written gradient against central differences, parameter by parameter."""

from ui import cache
from ui.shell import ensure_entry

ensure_entry()


import numpy as np
import pandas as pd
import streamlit as st

from core import finite_diff
from core import gradient_check as gc
from core.activations import ACTIVATIONS
from core.expression import FUNCTION_NAMES, ParseError, parse
from core.network import ACTIVATION_CHOICES, LOSS_CHOICES, TwoLayerNet, xor_data
from core.planted_bugs import BUGS
from ui import charts, palette, wording
from ui import stepper as sp
from ui.charts.stable import stable_names
from ui.layout import draw_chart, stage_chart, stage_control, titled
from ui.shell import fmt, formula, header, show_code, show_parse_error, thresholds_caption
from ui.state import UrlState, follow_outside_fragment, stop_ends_the_page, stop_page
from ui.stepper import stepper
from ui.text import small

EPSILONS = tuple(float(f"1e{k}") for k in range(-12, 0))  # ε from 1e-12 to 1e-1
SWEEP = np.geomspace(1e-1, 1e-12, 23)  # half-decade steps for the V
VARIABLES = ("x", "y", "z")
SCALES = (0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0)
MODES = {
    "network": "The article's XOR network",
    "function": "A function you type",
    "softmax": "Softmax cross-entropy",
}
LOSS_NAMES = {"mse": "MSE ½·mean((a2 − y)²) (the article's)", "bce": "binary cross-entropy"}
TARGET_NAMES = {"largest": "the largest logit (model right)", "smallest": "the smallest logit (model wrong)"}
SWEEP_HEADING = "### The role of ε: truncation against round-off"
SWEEP_NAMES = ("norm-wise (all parameters)", "worst parameter")

header(
    "Gradient checking",
    "Backprop is a few lines of hand-written calculus, and one wrong line still trains — just badly. "
    "The article's FAQ answer: check the analytic gradient against finite differences. Nudge one "
    "parameter by ±ε, rerun the forward pass, and compare the slope with what your backward pass "
    "says, parameter by parameter, with the relative error. Below: pick what to check, choose ε, "
    "and plant a bug in the network's backward pass to see the check catch it — and point at it.",
    r"\text{rel}_i = \frac{|g_i - n_i|}{|g_i| + |n_i|},\qquad "
    r"n_i = \frac{f(\theta + \varepsilon e_i) - f(\theta - \varepsilon e_i)}{2\varepsilon}",
)

state = UrlState("gradient_checking")


def _mode_name(key: str) -> str:
    return MODES[key]


def _bug_name(key: str) -> str:
    return BUGS[key].label


def _activation_name(key: str) -> str:
    return ACTIVATIONS[key].name


def _loss_name(key: str) -> str:
    return LOSS_NAMES[key]


def _target_name(key: str) -> str:
    return TARGET_NAMES[key]


# ---- the three problems (cached: core results for every ε of the stepper, and the V's chart) --------
@cache.data(show_spinner=False, max_entries=64)
def network_frames(activation: str, loss: str, bug: str) -> dict:
    """The check at every ε of the stepper, the ReLU kinks each ε straddles, and the ε sweep."""
    X, y = xor_data()
    net = TwoLayerNet(activation=activation, loss=loss)
    problem = gc.network_problem(net, X, y, bug)
    return {
        "reports": tuple(gc.check_gradient(problem, h) for h in EPSILONS),
        "kinks": tuple(gc.relu_kinks(net, X, h) for h in EPSILONS),
        "sweep": gc.sweep_steps(problem, SWEEP),
    }


@cache.data(show_spinner=False, max_entries=64)
def function_info(text: str, point: tuple[float, float, float]) -> dict:
    """What does not depend on ε: the formula, its partials, f at the point and the kinks along each axis."""
    expr = parse(text, variables=VARIABLES)
    used = expr.used_variables
    values = dict(zip(VARIABLES, point, strict=True))
    out = {"used": used, "latex": expr.latex(), "partials": {v: expr.derivative(v).latex() for v in used}}
    if not used:
        return out
    out["f_value"] = gc.expression_problem(expr, values, used).value()
    out["axis_kinks"] = {}
    for v in used:  # a kink along one variable (abs, relu at 0): that partial derivative does not exist
        sides = finite_diff.one_sided_slopes(lambda t, v=v: expr.evaluate(**{**values, v: t}), values[v])
        if sides.kink:
            out["axis_kinks"][v] = sides
    return out


@cache.data(show_spinner=False, max_entries=64)
def function_frames(text: str, point: tuple[float, float, float]) -> dict:
    expr = parse(text, variables=VARIABLES)
    values = dict(zip(VARIABLES, point, strict=True))
    problem = gc.expression_problem(expr, values, expr.used_variables)
    return {
        "reports": tuple(gc.check_gradient(problem, h) for h in EPSILONS),
        "sweep": gc.sweep_steps(problem, SWEEP),
    }


@cache.data(show_spinner=False, max_entries=64)
def softmax_frames(k: int, scale: float, which: str) -> dict:
    logits = gc.softmax_ce_logits(k, scale, seed=0)
    problem = gc.softmax_ce_problem(logits, gc.softmax_ce_target(logits, which))
    return {
        "reports": tuple(gc.check_gradient(problem, h) for h in EPSILONS),
        "sweep": gc.sweep_steps(problem, SWEEP),
    }


FRAMES = {"network": network_frames, "function": function_frames, "softmax": softmax_frames}


def frames(mode: str, args: tuple) -> dict:
    return FRAMES[mode](*args)


@cache.data(show_spinner=False, max_entries=64)
def vee_spec(mode: str, args: tuple) -> dict:
    """The V: norm-wise and worst error against ε (Vega-Lite), with the best ε marked. It does not depend on
    the ε chosen (which the stepper draws in the browser: what the learner's ε gives is said there)."""
    sweep: gc.Sweep = frames(mode, args)["sweep"]
    sweep_df = pd.concat(
        [
            pd.DataFrame({"eps": sweep.hs, "error": sweep.overall, "measure": SWEEP_NAMES[0]}),
            pd.DataFrame({"eps": sweep.hs, "error": sweep.worst, "measure": SWEEP_NAMES[1]}),
        ],
        ignore_index=True,
    )
    sweep_df = sweep_df[np.isfinite(sweep_df["error"])]
    lines = charts.lines(
        sweep_df,
        "eps",
        "error",
        "measure",
        x_title="step ε (log)",
        y_title="relative error (log)",
        log_x=True,
        log_y=True,
        points=True,
        color_domain=list(SWEEP_NAMES),
        height=340,
        y_domain=[1e-17, 1.0],
    )
    xs, labels, colors = [], [], []
    if np.isfinite(sweep.best_h) and sweep.best_error <= gc.SUSPICIOUS:
        xs.append(sweep.best_h)
        labels.append(f"best ≈ {sweep.best_h:.0e}")
        colors.append(charts.PALETTE[3])
    vee = charts.alt.layer(
        charts.error_bands(gc.GOOD, gc.SUSPICIOUS, labels=False), lines, charts.vrules(xs, labels, colors)
    ).resolve_scale(color="independent", strokeDash="independent")
    return titled(stable_names(charts.vega_spec(vee)), "Norm-wise error against step ε")


# ---- what every ε shows (stepper blocks) ---------------------------------------------------------------
MARKS = {"fine": "✓", "suspicious": "?", "bug": "✗"}
LEVEL_NAMES = {"fine": "✓ fine", "suspicious": "? suspicious", "bug": "✗ bug"}


def _message(report: gc.CheckReport, kinks: tuple[int, ...], bug: str) -> list[str]:
    """The verdict's message (Markdown subset, ui.stepper.paragraphs)."""
    n = len(report.rows)
    if report.affected:
        lines = [
            f"✗ **The check caught a problem** in {len(report.affected)} of {n} parameters: "
            f"{', '.join(report.affected)} (arrays: {', '.join(report.affected_groups)}). Marked ✗ bug in "
            "the table below."
        ]
    elif report.level == "suspicious":
        lines = [
            "? **Suspicious, not conclusive**: some parameter errors lie between 1e-7 and 1e-4 — typical of "
            "a step ε that is too large or too small, of kinks, or of tiny gradients meeting round-off."
        ]
    else:
        lines = [f"✓ **All {n} gradients agree** with central differences."]
    if kinks:
        lines.append(
            f"**ReLU kink.** Hidden unit(s) {', '.join(map(str, kinks))} have |z1| ≤ ε on some input — for the "
            "input (0, 0) with zero biases z1 = 0 exactly. ReLU has no derivative there: backprop uses "
            "ReLU′(0) = 0, while the central difference straddles the kink and averages both sides (½). Flags "
            "on b1 here are the kink, not a bug in backward; a smooth activation (sigmoid, tanh) has none."
        )
    if bug != "none":
        lines.append(f"Planted: **{BUGS[bug].label}** — expected to break {', '.join(BUGS[bug].affects)}.")
    return lines


def _check_lines(report: gc.CheckReport, eps: float, analytic: str) -> list[str]:
    """The worst parameter's check (what ui.shell.check_badge says), Markdown subset."""
    worst = report.worst
    level = gc.level_of(worst.score, gc.GOOD, gc.SUSPICIOUS)
    note = (
        f"Norm-wise over all {len(report.rows)} parameters: ‖g − n‖ / (‖g‖ + ‖n‖) = {report.overall:.1e}. "
        + (worst.note + " " if worst.note else "")
        + thresholds_caption()
    )
    return [
        f"**Worst relative error: {worst.name} (ε = {eps:g})** — **{LEVEL_NAMES[level]}**",
        f"{analytic}: `{fmt(worst.analytic)}` · central difference: `{fmt(worst.numeric)}` · relative error "
        f"`{worst.score:.1e}`",
        note,
    ]


BANDS = (
    ":gray[Shaded bands: green below 1e-7 (correct), amber up to 1e-4 (suspicious), red above (a bug). "
    "A bar at the very bottom means exact agreement.]"
)


def _row(r: gc.CheckRow) -> list[list]:
    verdict = MARKS[r.level] + (" *" if r.note else "")  # the chart's marks (its legend); * : a note below
    cells = [r.name, f"{r.analytic:.8g}", f"{r.numeric:.8g}", f"{r.score:.1e}", verdict]
    style = "b" if r.level != "fine" else ""  # the rows the check flags stand out
    return [[[style, c]] for c in cells]


def _notes(report: gc.CheckReport) -> list[dict]:
    """The rows' notes under the table (a note column would not fit beside the chart's width)."""
    noted = [r for r in report.rows if r.note]
    if not noted:
        return []
    return [{"runs": [["b", "* Notes"]], "li": False, "small": True}] + [
        {"runs": [["c", r.name], ["", f": {r.note}"]], "li": True} for r in noted
    ]


@cache.data(show_spinner=False, max_entries=64)
def _on_the_v(report: gc.CheckReport, eps: float, sweep: gc.Sweep) -> str:
    """Where this ε sits on the V below (the norm-wise error, against the V's bottom)."""
    return (
        f"On the V below: the norm-wise error at ε = {eps:g} is `{report.overall:.1e}`; "
        f"the smallest is `{sweep.best_error:.1e}`, at ε ≈ `{sweep.best_h:.0e}`."
    )


def eps_blocks(mode: str, args: tuple, bug: str, analytic: str, graded: bool) -> list[dict]:
    """Everything ε changes, at every ε (ui.stepper blocks): the bars, the verdict, the worst check and
    the per-parameter table. Computed once per problem, for everyone (colours go as light/dark pairs)."""
    found = frames(mode, args)
    reports: tuple[gc.CheckReport, ...] = found["reports"]
    kinks = found.get("kinks") or ((),) * len(EPSILONS)
    names = [r.name for r in reports[0].rows]
    colours = {lv: dict(palette.LEVELS[lv]) for lv in LEVEL_NAMES}
    verdicts = []
    for eps, report in zip(EPSILONS, reports, strict=True):
        worst = report.worst
        level = gc.level_of(worst.score, gc.GOOD, gc.SUSPICIOUS)
        verdicts.append(
            (level, f"{LEVEL_NAMES[level]} · worst {worst.name}: {worst.score:.1e} at ε = {eps:g}")
        )
    alts = [
        f"Bar chart, log scale: the relative error of each of {len(names)} parameters at ε = {eps:g}. "
        + (
            f"{len(report.affected)} above 1e-4 (bug): {', '.join(report.affected)}. "
            if report.affected
            else ""
        )
        + f"Worst {report.worst.name} at {report.worst.score:.1e}."
        for eps, report in zip(EPSILONS, reports, strict=True)
    ]
    blocks = [
        sp.logbars(
            "Relative error, parameter by parameter",
            names,
            np.array([[r.score for r in report.rows] for report in reports]),
            [[r.level for r in report.rows] for report in reports],
            colours=colours,
            names=LEVEL_NAMES,
            marks=MARKS,
            bands=[
                (1e-17, gc.GOOD, "fine"),
                (gc.GOOD, gc.SUSPICIOUS, "suspicious"),
                (gc.SUSPICIOUS, 1.0, "bug"),
            ],
            rules=[
                (gc.GOOD, "fine", f"fine below {gc.GOOD:.0e}"),
                (gc.SUSPICIOUS, "bug", f"bug above {gc.SUSPICIOUS:.0e}"),
            ],
            verdict=verdicts if graded else None,
            y_title="relative error (log)",
            alt=alts,
            height=340,
        ),
        sp.text(sp.paragraphs(BANDS, small=True), per_frame=False, small=True),
    ]
    if graded:  # at a kink of a typed f there is nothing to grade
        blocks.append(
            sp.text(
                [sp.paragraphs(_message(r, k, bug)) for r, k in zip(reports, kinks, strict=True)],
                per_frame=True,
                border=True,
            )
        )
        blocks.append(
            sp.text(
                [
                    sp.paragraphs([*_check_lines(r, eps, analytic), _on_the_v(r, eps, found["sweep"])])
                    for eps, r in zip(EPSILONS, reports, strict=True)
                ],
                per_frame=True,
                border=True,
                small=True,
            )
        )
    blocks.append(sp.heading("Parameter by parameter"))
    blocks.append(
        sp.table(
            ["parameter", analytic, "central difference", "relative error", "verdict"],
            [[_row(r) for r in report.rows] for report in reports],
            align=["l", "r", "r", "r", "l"],
            note=[_notes(report) for report in reports],
        )
    )
    return blocks


# ---- the stage: controls on the left, ε and the per-parameter verdict chart beside them (first screen) ---
# Made here, once per full run: the fragments below write into them (a container made outside a fragment
# keeps its place; the fragment's writes in it are redrawn in place), so a move does not send the columns
# and the chart's caption again.
ctrl_col, chart_col = st.columns([2, 3], gap="large")
bars_slot = stage_chart(stage_control(chart_col))  # the ε stepper: the main control, over the bars it draws
controls = ctrl_col.container()


@st.fragment
@stop_ends_the_page("gradient_checking")
def body() -> tuple[str, str]:
    """What to check and its settings (all but ε): a move reruns this, not the header, the code or the
    challenge. ε and everything it changes are the nested fragment `by_eps` below: the browser draws a step
    of ε itself, and the report of where it stopped reruns only `by_eps`, not these controls. Returns the
    mode and the planted bug (the code below shows them)."""
    # Every run writes to the chart's slot before anything can stop the page (a fragment may only fill a
    # container made outside it that it wrote to in the last full run); `by_eps` draws into this holder.
    bars_holder = bars_slot.container()
    # ---- controls ----------------------------------------------------------------------------------
    with controls:
        mode = state.select(
            "mode", "What to check", list(MODES), "network", format_func=_mode_name, radio=True
        )
        follow_outside_fragment("gradient_checking.mode", mode)  # the code below depends on it
        bug, kinks_hit = "none", {}
        if mode == "network":
            # stacked, one under the other (not columns): long option names fit
            activation = state.select(
                "activation",
                "Hidden activation",
                list(ACTIVATION_CHOICES),
                "sigmoid",
                format_func=_activation_name,
            )
            loss = state.select("loss", "Loss", list(LOSS_CHOICES), "mse", format_func=_loss_name)
            eps_help = "The finite-difference step. The article uses 1e-7; see the V below."
            with st.container(border=True):
                bug = state.select(
                    "bug",
                    "Plant a bug in the backward pass",
                    list(BUGS),
                    "none",
                    format_func=_bug_name,
                    radio=True,
                    help="Each option replaces the network's backward with a copy that has one realistic "
                    "mistake. The numeric gradient never uses backward, so it stays right.",
                )
                follow_outside_fragment("gradient_checking.bug", bug)  # and shows the buggy backward
                st.caption(wording.BUG_EXPLANATIONS[bug])

            problem, analytic = (
                ("network", (activation, loss, bug)),
                ("backprop" if bug == "none" else "buggy backprop"),
            )

        elif mode == "function":
            eps_help = "The finite-difference step. See the V below."
            text = state.text(
                "expr",
                "f(x, y, z) =",
                "x**3 * y + sin(y * z)",
                help=f"Use x, y, z, numbers, + - * / ** and ( ). Functions: {', '.join(FUNCTION_NAMES)}. "
                "Constants: pi, e. Write 2*x, not 2x.",
            )
            s1, s2, s3 = st.columns(3)
            point = tuple(
                float(state.slider(v, f"{v}", -3.0, 3.0, default, step=0.01, container=col))
                for v, default, col in zip(VARIABLES, (1.0, -0.5, 2.0), (s1, s2, s3), strict=True)
            )
            try:
                parse(text, variables=VARIABLES)
                st.session_state["gradient_checking._last_valid"] = text
            except ParseError as err:
                text = show_parse_error(
                    err,
                    text,
                    "f",
                    "the check",
                    fallback=st.session_state.get("gradient_checking._last_valid"),
                )
            try:
                info = function_info(text, point)
            except ValueError as err:  # e.g. a derivative too large to build
                st.error(f"**Could not differentiate f:** {err}", icon=":material/error:")
                stop_page()
            formula(f"f(x, y, z) = {info['latex']}", f"f(x, y, z) = {text}")
            if info["partials"]:
                formula(
                    r",\quad ".join(
                        rf"\frac{{\partial f}}{{\partial {v}}} = {tex}" for v, tex in info["partials"].items()
                    )
                )
            if not info["used"]:
                st.info(
                    "This f uses none of x, y, z: its gradient is empty, there is nothing to check.",
                    icon=":material/info:",
                )
                stop_page()
            if not np.isfinite(info["f_value"]):
                st.warning(
                    f"f is not defined at (x, y, z) = {point} (outside its domain, or it overflows). "
                    "Move the point.",
                    icon=":material/block:",
                )
                stop_page()

            problem, analytic = ("function", (text, point)), "symbolic"
            kinks_hit = info.get("axis_kinks") or {}

        else:
            c1, c2 = st.columns(2)
            c3 = st.container()
            eps_help = None
            k = state.slider("classes", "Classes K", 2, 10, 4, container=c1)
            scale = state.log_slider(
                "scale",
                "Logit scale",
                SCALES,
                1.0,
                container=c2,
                help="Logits z = scale · N(0, 1) draws (seed 0). Large scales saturate the softmax.",
            )
            which = state.select(
                "target", "True class", list(gc.TARGETS), "largest", format_func=_target_name, container=c3
            )
            st.caption(
                "L(z) = −log softmax(z)_c for the true class c. Its gradient is the famous p − y "
                "(probabilities minus the one-hot target); the numeric side differentiates the "
                "log-sum-exp loss itself."
            )
            logits = gc.softmax_ce_logits(int(k), float(scale), seed=0)
            logit_text = ", ".join(f"{v:.3g}" for v in logits)
            st.markdown(f"Logits z = ({logit_text}); true class c = {gc.softmax_ce_target(logits, which)}.")

            problem, analytic = ("softmax", (int(k), float(scale), which)), "p − y"

    @st.fragment
    def by_eps() -> None:
        """The ε stepper (beside the controls, over the bars it draws) and the ε sweep under them. The browser
        draws every step of ε itself (ui.stepper: all twelve were computed at once); this reruns only when
        the learner stops, to write ε into the link (nothing else on the page depends on ε)."""
        with bars_holder:
            stepper(
                "gradient_checking.eps",
                url=state,
                name="eps",
                label="Step ε",
                options=EPSILONS,
                default=1e-6,
                values=[f"{h:g}" for h in EPSILONS],
                help=(eps_help + " " if eps_help else "") + "Arrow keys step; Home and End jump.",
                blocks=eps_blocks(*problem, bug, analytic, not kinks_hit),
            )
        _sweep(problem, bug, kinks_hit)

    by_eps()
    return mode, bug


def _sweep(problem: tuple, bug: str, kinks_hit: dict) -> None:
    """The kink warning of a typed f (it holds for every ε) and the ε sweep: the V and what it says (the same
    for every ε: what the chosen ε gives is in the stepper, drawn at each step)."""
    sweep: gc.Sweep = frames(*problem)["sweep"]
    if kinks_hit:
        where = "; ".join(
            f"∂f/∂{v}: one-sided slopes {k.left:.4g} and {k.right:.4g}" for v, k in kinks_hit.items()
        )
        st.warning(
            f"**Not differentiable at this point** — {where}. f has a kink here (abs or relu at 0), so "
            "there is no gradient to check: the central difference averages the two sides and the symbolic "
            "rule picks one by convention. The verdict is left out; move the point off the kink.",
            icon=":material/call_split:",
        )
    st.markdown(SWEEP_HEADING)
    vcol, ecol = st.columns([3, 2], gap="large")
    with vcol:
        draw_chart(vee_spec(*problem))
    with ecol:
        # One Markdown element: the figures, then the explanation in small type.
        lines = [
            f"Smallest norm-wise error `{sweep.best_error:.1e}` at ε ≈ `{sweep.best_h:.0e}` (your ε's: "
            "above, under the slider)."
            if sweep.best_error <= gc.SUSPICIOUS
            else f"**No ε brings the error below 1e-4** (the smallest is `{sweep.best_error:.1e}`; your ε's: "
            "above, under the slider).",
            small(
                "To the right the central difference's truncation error, ∝ ε², dominates: the line falls two "
                "decades per decade of ε. To the left round-off takes over: f(θ ± ε) agree in nearly all their "
                "~16 digits, the difference keeps only the rest and dividing by 2ε magnifies it, ∝ 1/ε. The "
                "bottom of the V is the ε to use (about 1e-5 … 1e-6 in float64). Shaded: the same green / amber "
                "/ red bands as above."
            ),
        ]
        if bug != "none":
            lines.append(
                small(
                    "With a bug the line is flat and high: no ε makes a wrong gradient agree — that is how you "
                    "tell a bug from a badly chosen step."
                )
            )
        st.markdown("\n\n".join(lines))


mode, bug = body()
if mode == "network":  # under the fragment's controls; a change of mode reruns the whole page
    controls.caption(
        "The 2 → 3 → 1 network of the article (weights from seed 42, zero biases) on the four XOR "
        "inputs: 13 parameters, each checked on its own."
    )

# ---- the code -------------------------------------------------------------------------------------
if mode == "network":
    shown = [gc.check_gradient, TwoLayerNet.numeric_gradients]
    shown.append(TwoLayerNet.backward if bug == "none" else BUGS[bug].backward)
    show_code(
        *shown,
        caption="The check, the numeric gradient (no backprop in it) and the backward pass "
        "being checked — look for the line marked BUG.",
    )
elif mode == "function":
    show_code(gc.check_gradient, gc.expression_problem, finite_diff.gradient)
else:
    show_code(gc.check_gradient, gc.softmax_ce_problem, finite_diff.gradient)

from ui.challenge import challenge_panel

challenge_panel("gradient_checking")
