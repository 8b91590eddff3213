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
from ui import charts, wording
from ui.charts.stable import stable_names
from ui.layout import draw_chart, stage_chart, stage_control, titled
from ui.shell import check_badge, formula, header, show_code, show_parse_error, thresholds_caption
from ui.state import UrlState, follow_outside_fragment, stop_ends_the_page, stop_page
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
VERDICT = {
    "fine": ":green[:material/check_circle: fine]",
    "suspicious": ":orange[:material/warning: suspicious]",
    "bug": ":red[:material/error: **bug**]",
}

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


# ---- the three problems (cached: core results and the chart specs built from them) --------------
def _views(report: gc.CheckReport, sweep: gc.Sweep, h: float) -> dict:
    """Vega-Lite specs of the per-parameter bars and the ε sweep (built once per input, then cached)."""
    levels = pd.DataFrame(
        {
            "parameter": [r.name for r in report.rows],
            "relative error": [r.score for r in report.rows],
            "level": [r.level for r in report.rows],
        }
    )
    bars = charts.error_bars(
        levels,
        "parameter",
        "relative error",
        "level",
        good=gc.GOOD,
        suspicious=gc.SUSPICIOUS,
        x_title="",
        height=320,
    )
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
    xs, labels, colors = [float(h)], [f"your ε = {h:g}"], [charts.MUTED]
    if np.isfinite(sweep.best_h) and sweep.best_error <= gc.SUSPICIOUS:
        xs.append(sweep.best_h)
        labels.append(f"best ≈ {sweep.best_h:.0e}")
        colors.append(charts.PALETTE[3])
    vee = charts.alt.layer(
        charts.error_bands(gc.GOOD, gc.SUSPICIOUS, labels=False), lines, charts.vrules(xs, labels, colors)
    ).resolve_scale(color="independent", strokeDash="independent")
    # Datasets named by position: a step of ε changes the charts' numbers, not their specs, so the browser
    # updates both in place instead of re-embedding them.
    return {"bars": stable_names(charts.vega_spec(bars)), "vee": stable_names(charts.vega_spec(vee))}


@cache.data(show_spinner=False, max_entries=64)
def network_sweep(activation: str, loss: str, bug: str) -> gc.Sweep:
    X, y = xor_data()
    return gc.sweep_steps(gc.network_problem(TwoLayerNet(activation=activation, loss=loss), X, y, bug), SWEEP)


@cache.data(show_spinner=False, max_entries=64)
def network_check(activation: str, loss: str, bug: str, h: float) -> dict:
    X, y = xor_data()
    net = TwoLayerNet(activation=activation, loss=loss)
    report = gc.check_gradient(gc.network_problem(net, X, y, bug), h)
    sweep = network_sweep(activation, loss, bug)
    return {"report": report, "sweep": sweep, "kinks": gc.relu_kinks(net, X, h), **_views(report, sweep, h)}


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
def function_check(text: str, point: tuple[float, float, float], h: float) -> dict:
    expr = parse(text, variables=VARIABLES)
    values = dict(zip(VARIABLES, point, strict=True))
    problem = gc.expression_problem(expr, values, expr.used_variables)
    report, sweep = gc.check_gradient(problem, h), gc.sweep_steps(problem, SWEEP)
    return {"report": report, "sweep": sweep, **_views(report, sweep, h)}


@cache.data(show_spinner=False, max_entries=64)
def softmax_check(k: int, scale: float, which: str, h: float) -> dict:
    logits = gc.softmax_ce_logits(k, scale, seed=0)
    target = gc.softmax_ce_target(logits, which)
    problem = gc.softmax_ce_problem(logits, target)
    report, sweep = gc.check_gradient(problem, h), gc.sweep_steps(problem, SWEEP)
    return {"logits": logits, "target": target, "report": report, "sweep": sweep, **_views(report, sweep, h)}


# ---- per-parameter table and bars --------------------------------------------------------------------
HIGHLIGHT = {"fine": "{}", "suspicious": ":orange-background[{}]", "bug": ":red-background[{}]"}


def _cell(text: str, level: str) -> str:
    return HIGHLIGHT[level].format(text.replace("[", "\\[").replace("]", "\\]"))


def _table(rows: tuple[gc.CheckRow, ...], analytic: str) -> str:
    """The per-parameter table as Markdown, the rows the check flags highlighted (cheap to render)."""
    lines = [
        f"| parameter | {analytic} | central difference | relative error | verdict | note |",
        "|---|---:|---:|---:|---|---|",
    ]
    for r in rows:
        cells = [r.name, f"{r.analytic:.8g}", f"{r.numeric:.8g}", f"{r.score:.1e}"]
        lines.append(
            "| " + " | ".join(_cell(c, r.level) for c in cells) + f" | {VERDICT[r.level]} | {r.note} |"
        )
    return "\n".join(lines)


# ---- the stage: controls on the left, the per-parameter verdict chart beside them (first screen) --------
# Made here, once per full run: the fragments below write into them (a container made outside a fragment
# keeps its place; the fragment's writes in it are redrawn in place), so a move does not send the columns
# and the chart's caption again.
ctrl_col, chart_col = st.columns([2, 3], gap="large")
bars_slot = stage_chart(chart_col)
chart_col.caption(
    "Shaded bands: green below 1e-7 (correct), amber up to 1e-4 (suspicious), red above (a bug). "
    "A bar at the very bottom means exact agreement."
)
controls = stage_control(ctrl_col)


@st.fragment
@stop_ends_the_page("gradient_checking")
def body() -> tuple[str, str]:
    """What to check and its settings (all but ε): a move reruns this, not the header, the code or the
    challenge. ε and everything it changes are the nested fragment `by_eps` below: a step of ε reruns only
    that, not these controls. Returns the mode and the planted bug (the code below shows them)."""
    # Every run writes to the chart's slot before anything can stop the page (a fragment may only fill a
    # container made outside it that it wrote to in the last full run); `by_eps` draws into this holder.
    bars_holder = bars_slot.container()
    # ---- controls ----------------------------------------------------------------------------------
    with controls:
        mode = state.select(
            "mode", "What to check", list(MODES), "network", format_func=_mode_name, radio=True
        )
        follow_outside_fragment("gradient_checking.mode", mode)  # the code below depends on it
        bug = "none"
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
            eps_slot, eps_help = (
                st.container(),
                "The finite-difference step. The article uses 1e-7; see the V below.",
            )
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

            def check(eps: float) -> dict:
                result = network_check(activation, loss, bug, eps)
                return {**result, "analytic": "backprop" if bug == "none" else "buggy backprop"}

        elif mode == "function":
            c1, eps_slot = st.columns([3, 1.2])
            eps_help = "The finite-difference step. See the V below."
            text = state.text(
                "expr",
                "f(x, y, z) =",
                "x**3 * y + sin(y * z)",
                container=c1,
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

            def check(eps: float) -> dict:
                return {**function_check(text, point, eps), **info, "analytic": "symbolic"}

        else:
            c1, c2, c3, eps_slot = (*st.columns(2), *st.columns(2))
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

            def check(eps: float) -> dict:
                return {**softmax_check(int(k), float(scale), which, eps), "analytic": "p − y"}

    @st.fragment
    def by_eps() -> None:
        """The ε slider (in its place among the controls above) and everything ε changes: the verdict,
        the bars, the table and the sweep. A step of ε reruns only this."""
        eps = float(state.log_slider("eps", "Step ε", EPSILONS, 1e-6, help=eps_help, container=eps_slot))
        result = check(eps)
        _verdict(mode, bug, eps, result, bars_holder)

    by_eps()
    return mode, bug


def _verdict(mode: str, bug: str, eps: float, result: dict, bars_holder) -> None:
    """The verdict row, the bars (into `bars_holder`, in the stage), the table and the ε sweep."""
    report: gc.CheckReport = result["report"]
    sweep: gc.Sweep = result["sweep"]
    analytic_name = result["analytic"]
    worst = report.worst
    kinks_hit = result.get("axis_kinks") or {}
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
    if not kinks_hit:  # at a kink there is nothing to grade
        top, side = st.columns([3, 2], gap="large")
        with side:
            note = (
                f"Norm-wise over all {len(report.rows)} parameters: ‖g − n‖ / (‖g‖ + ‖n‖) = {report.overall:.1e}. "
                + (worst.note if worst.note else "")
            )
            check_badge(
                f"Worst relative error: {worst.name} (ε = {eps:g})",
                worst.analytic,
                worst.numeric,
                worst.score,
                a_name=analytic_name,
                b_name="central difference",
                note=note + " " + thresholds_caption(),
            )
        with top:
            affected = report.affected
            if affected:
                groups = ", ".join(report.affected_groups)
                st.error(
                    f"**The check caught a problem** in {len(affected)} of {len(report.rows)} parameters: "
                    f"{', '.join(affected)} (arrays: {groups}). Highlighted in the table below.",
                    icon=":material/bug_report:",
                )
            elif report.level == "suspicious":
                st.warning(
                    "**Suspicious, not conclusive**: some parameter errors lie between 1e-7 and 1e-4 — typical of "
                    "a step ε that is too large or too small, of kinks, or of tiny gradients meeting round-off.",
                    icon=":material/warning:",
                )
            else:
                st.success(
                    f"**All {len(report.rows)} gradients agree** with central differences.",
                    icon=":material/check_circle:",
                )
            if mode == "network" and result["kinks"]:
                units = ", ".join(f"{j}" for j in result["kinks"])
                st.warning(
                    f"**ReLU kink.** Hidden unit(s) {units} have |z1| ≤ ε on some input — for the input (0, 0) with zero "
                    "biases z1 = 0 exactly. ReLU has no derivative there: backprop uses ReLU′(0) = 0, while the central "
                    "difference straddles the kink and averages both sides (½). Flags on b1 here are the kink, not a "
                    "bug in backward; a smooth activation (sigmoid, tanh) has none.",
                    icon=":material/show_chart:",
                )
            if bug != "none":
                st.caption(
                    f"Planted: **{BUGS[bug].label}** — expected to break {', '.join(BUGS[bug].affects)}."
                )

    draw_chart(titled(result["bars"], "Relative error, parameter by parameter"), container=bars_holder)

    # One element: the table with its heading, and the next section's heading under it.
    st.markdown(
        "### Parameter by parameter\n\n" + _table(report.rows, analytic_name) + "\n\n" + SWEEP_HEADING
    )

    # ---- the ε sweep ---------------------------------------------------------------------------------
    vcol, ecol = st.columns([3, 2], gap="large")
    with vcol:
        draw_chart(titled(result["vee"], "Norm-wise error against step ε"))
    with ecol:
        # One Markdown element: the figures, then the explanation in small type.
        lines = [
            f"Smallest norm-wise error `{sweep.best_error:.1e}` at ε ≈ `{sweep.best_h:.0e}`; at your "
            f"ε = {eps:g} it is `{report.overall:.1e}`."
            if sweep.best_error <= gc.SUSPICIOUS
            else f"**No ε brings the error below 1e-4** (the smallest is `{sweep.best_error:.1e}`); at your "
            f"ε = {eps:g} it is `{report.overall:.1e}`.",
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
