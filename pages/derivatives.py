"""Derivatives: f and f′, the tangent at a point, and finite differences against the exact slope."""

from ui import cache
from ui.shell import ensure_entry

ensure_entry()

import numpy as np
import streamlit as st

from core import finite_diff
from core.catalogue import COMMON_DERIVATIVES, FUNCTIONS
from core.expression import FUNCTION_NAMES, Expression, ParseError, parse
from ui import charts
from ui.layout import draw_chart, stage_chart, stage_control, titled
from ui.shell import (
    check_box,
    check_text,
    fmt,
    formula,
    header,
    show_code,
    show_parse_error,
    typesets,
)
from ui.state import UrlState, follow_outside_fragment, stop_ends_the_page, stop_page
from ui.text import small

CUSTOM = "custom"
CUSTOM_DOMAIN = (-5.0, 5.0)
STEP_SIZES = tuple(float(f"1e{k}") for k in range(-12, 0))  # h from 1e-12 to 1e-1
H_SWEEP = np.geomspace(1e-16, 1e-1, 61)

header(
    "Derivatives",
    "A derivative is the slope of a function at a point: how much the output changes per unit change of "
    "the input. For deep learning it answers *if I nudge this weight, how much does the loss move?* "
    "Below, the exact derivative (by the rules of calculus, done symbolically) is compared with "
    "finite differences — the numerical approximation every gradient check relies on.",
    r"f'(x) = \lim_{h \to 0} \frac{f(x+h) - f(x)}{h} \;\approx\; \frac{f(x+h) - f(x-h)}{2h}",
)

state = UrlState("derivatives")


def _reset_x0() -> None:
    fn = state.get("fn")
    state.set("x0", FUNCTIONS[fn].default_x0 if fn in FUNCTIONS else 1.0)


def _label(key: str) -> str:
    return FUNCTIONS[key].label if key in FUNCTIONS else "Type your own…"


def _truncation_slope(errors: np.ndarray, exact: float) -> float | None:
    """The fitted log-log slope, or None when there is no truncation error to fit (f‴ = 0, say)."""
    if not errors[-1] > 1e-9 * (1.0 + abs(exact)):  # even h = 0.1 is exact to round-off
        return None
    try:
        return finite_diff.fitted_slope(H_SWEEP, errors)
    except ValueError:
        return None


@cache.data(show_spinner=False, max_entries=64)
def analyse(text: str, x0: float, lo: float, hi: float) -> dict:
    """Everything the page shows at x₀ that does not depend on h, from core: values, the symbolic
    derivative, one-sided slopes, and the finite-difference errors over the whole sweep of steps."""
    e = parse(text, variables=("x",))
    d = e.derivative("x")
    f = e  # an Expression is callable: f(x) evaluates it
    xs = np.linspace(lo, hi, 401)
    out = {
        "xs": xs,
        "fs": e.evaluate(x=xs),
        "dfs": d.evaluate(x=xs),
        "f_latex": e.latex(),
        "df_latex": d.latex(),
        "df_text": str(d),
        "f0": float(e.evaluate(x=x0)),
        "exact": float(d.evaluate(x=x0)),
    }
    sweep = finite_diff.error_vs_step(f, out["exact"], x0, H_SWEEP, methods=("forward", "central"))
    out["sweep"] = sweep
    out["best"] = {m: b.h for m, b in finite_diff.best_step(H_SWEEP, sweep).items()}
    out["slopes"] = {m: _truncation_slope(sweep[m], out["exact"]) for m in sweep}
    out["sides"] = finite_diff.one_sided_slopes(f, x0)
    out["range"] = finite_diff.representable_range(xs, out["fs"], out["dfs"])
    return out


@cache.data(show_spinner=False, max_entries=64)
def at_step(text: str, x0: float, h: float) -> dict:
    """The forward and central differences with step h at x₀, their relative errors against the symbolic
    derivative, and the error each is expected to have (so each is graded by its own yardstick)."""
    e = parse(text, variables=("x",))
    exact = float(e.derivative("x").evaluate(x=x0))
    out: dict = {"exact": exact}
    for m in ("forward", "central"):  # each method graded by its own expected error, not the gradient check's
        out[m] = float(finite_diff.derivative(e, x0, h=h, method=m))
        out[f"rel_{m}"] = finite_diff.relative_error(exact, out[m])
        out[f"expected_{m}"] = finite_diff.expected_step_error(e, x0, h, m)
        out[f"limits_{m}"] = finite_diff.step_error_thresholds(out[f"expected_{m}"], exact)
    return out


@cache.data(show_spinner=False)
def tangent_template() -> dict:
    """f and f′ with the tangent at x₀ as a Vega-Lite template, the same for every function: the curve,
    its axes and x₀ arrive as data, so a step of any slider updates the chart in place."""
    return charts.vega_spec(
        charts.function_and_derivative("curve", f_title="f(x)", df_title="f′(x)", fixed="point")
    )


@cache.data(show_spinner=False, max_entries=32)
def curve_data(text: str, lo: float, hi: float) -> dict:
    """The rows of the chart's curve slots over [lo, hi], once per function and range."""
    e = parse(text, variables=("x",))
    xs = np.linspace(lo, hi, 401)
    fs, dfs = e.evaluate(x=xs), e.derivative("x").evaluate(x=xs)
    return charts.curve_slots(
        charts.curve_frame(xs, fs, dfs),
        y_domain=charts.robust_domain(fs, trim=1.0),
        dy_domain=charts.robust_domain(dfs, trim=1.0),
        simplify=True,
    )


@cache.data(show_spinner=False)
def error_template() -> dict:
    """The error-vs-h chart as a Vega-Lite dict with two slots: the errors and the h markers."""
    lines = charts.lines(
        charts.alt.NamedData(name="errors"),
        "h",
        "error",
        "method",
        x_title="step size h (log)",
        y_title="|finite difference − exact| (log)",
        log_x=True,
        log_y=True,
        color_domain=["forward", "central"],
        height=340,
    )
    return charts.vega_spec(charts.alt.layer(lines, charts.marker_rules("marks")))


@st.fragment
@stop_ends_the_page("derivatives")
def body() -> str:
    """Everything a control changes: a slider move reruns only this (not the sidebar, the header, the
    code and the challenge below). The step size h reruns less still: only `by_step`, the part that
    depends on it, drawn into the slots this leaves. Returns the function's key."""
    options = [*FUNCTIONS, CUSTOM]
    stage = stage_control()
    # One row block for the three controls (st.columns would be a row plus a block per column, all
    # re-sent on every step of a slider).
    row = stage.container(horizontal=True, gap="medium")
    fn = state.select(
        "fn", "Function f(x)", options, "article_loss", format_func=_label, container=row, on_change=_reset_x0
    )
    if fn == CUSTOM:
        text = state.text(
            "expr",
            "f(x) =",
            "x**3 - 2*sin(x)",
            container=row,
            help=f"Use x, numbers, + - * / ** and ( ). Functions: {', '.join(FUNCTION_NAMES)}. "
            "Constants: pi, e. Write 2*x, not 2x.",
        )
        domain = CUSTOM_DOMAIN
        x0_default = 1.0
    else:
        entry = FUNCTIONS[fn]
        text = entry.text
        domain = tuple(float(v) for v in entry.domain)
        x0_default = float(entry.default_x0)
        row.markdown(f"$f(x) = {entry.latex}$")
    h_slot = row.container()  # the h slider, drawn by by_step
    x0 = state.slider(
        "x0",
        "Point x₀",
        domain[0],
        domain[1],
        x0_default,
        step=(domain[1] - domain[0]) / 200,
        container=stage,
    )

    follow_outside_fragment("derivatives.fn", fn)
    try:
        parse(text, variables=("x",))
        st.session_state["derivatives._last_valid"] = text
    except ParseError as err:
        text = show_parse_error(
            err,
            text,
            "f(x)",
            "the rest of the page",
            fallback=st.session_state.get("derivatives._last_valid"),
        )

    r = analyse(text, float(x0), float(domain[0]), float(domain[1]))
    shown = r["range"]
    if shown.clipped:
        st.warning(
            f"f leaves float64 on this range: {shown.reason}. The charts show x in "
            f"[{shown.lo:.4g}, {shown.hi:.4g}], where f and f′ stay below {shown.limit:.0e}.",
            icon=":material/data_alert:",
        )
        domain = (shown.lo, shown.hi)
    if not (np.isfinite(r["f0"]) and np.isfinite(r["exact"])):
        st.warning(
            f"f or f′ is not defined at x₀ = {x0:g} (outside the function's domain). Move the point x₀.",
            icon=":material/block:",
        )
        stop_page()

    left, right = st.columns([3, 2], gap="large")
    with left:
        st.subheader("f and its tangent")
        draw_chart(
            titled(
                charts.fill_slots(
                    tangent_template(),
                    **curve_data(text, float(domain[0]), float(domain[1])),
                    point=charts.tangent_point(
                        x0, r["f0"], r["exact"], charts.tangent_halfwidth(domain[0], domain[1])
                    ),
                ),
                "f(x), its tangent at x₀, and f′(x) below",
            ),
            container=stage_chart(),
        )
        st.caption(
            "Green: the tangent at x₀, whose slope is f′(x₀). Hover anywhere: the dashed tangent and the "
            "dot on f′ follow your pointer (computed in the browser, no rerun)."
        )
    with right:
        at_x0 = f"### At x₀ = {x0:g}"
        tex = (f"f(x) = {r['f_latex']}", f"f'(x) = {r['df_latex']}")
        if all(typesets(t) for t in tex):  # the heading and both formulas: one element
            st.markdown("\n\n".join([at_x0, *(f"$$\n{t}\n$$" for t in tex)]))
        else:
            st.markdown(at_x0)
            formula(tex[0], f"f(x) = {text}")
            formula(tex[1], f"f'(x) = {r['df_text']}")
        metrics = st.container(horizontal=True)  # one block for the row of metrics
        metrics.metric("f(x₀)", fmt(r["f0"]))
        sides = r["sides"]
        if sides.kink:
            metrics.metric(
                "f′(x₀)", "undefined", help="A kink: the slopes from the left and from the right differ."
            )
            st.warning(
                f"**Not differentiable at x₀ = {x0:g}**: one-sided slopes {sides.left:.4g} and "
                f"{sides.right:.4g}. f has a corner here, so there is no single tangent; the symbolic "
                f"rule returns {fmt(r['exact'], 4)} by convention, and finite differences are not graded.",
                icon=":material/call_split:",
            )
            slopes_row = st.container(horizontal=True)
            slopes_row.metric("slope from the left", fmt(sides.left, 4))
            slopes_row.metric("slope from the right", fmt(sides.right, 4))
        else:
            metrics.metric("f′(x₀), symbolic", fmt(r["exact"]))
        check_slot = st.container()  # the two differences at h, drawn by by_step

    st.subheader("Error vs step size h")
    ecol, tcol = st.columns([3, 2], gap="large")
    error_slot = ecol.container()  # the error chart with the h marker, drawn by by_step
    with tcol:
        slopes = r["slopes"]

        def _slope_text(m: str) -> str:
            s = slopes[m]
            return f"{s:.2f}" if s is not None and np.isfinite(s) else "— (no truncation error here)"

        st.markdown(  # the fitted slopes and their explanation: one element
            f"- **Forward** difference: fitted slope **{_slope_text('forward')}** on the right-hand side "
            f"(error ∝ h), best h ≈ `{r['best']['forward']:.0e}`.\n"
            f"- **Central** difference: fitted slope **{_slope_text('central')}** (error ∝ h²), best h ≈ "
            f"`{r['best']['central']:.0e}`.\n\n"
            + small(_ERROR_NOTE)
            + (f"\n\n{small(_QUADRATIC_NOTE)}" if fn == "article_loss" else "")
        )

    by_step(text, float(x0), r, h_slot, None if sides.kink else check_slot, error_slot)
    return fn


@st.fragment
def by_step(text: str, x0: float, r: dict, h_slot, check_slot, error_slot) -> None:
    """What the step size h changes, in the slots `body` left for it: the h slider, the two differences
    at h (none at a kink) and the error chart's "your h" marker. A step of h reruns only this."""
    h = state.log_slider(
        "h",
        "Step size h",
        STEP_SIZES,
        1e-5,
        container=h_slot,
        help="The finite-difference step. Smaller is not always better: see the chart below.",
    )
    d = at_step(text, x0, float(h))
    if check_slot is not None:
        checks = []  # both differences and how they are graded: one box, one element
        for m, quotient in (("forward", "(f(x₀+h) − f(x₀))/h"), ("central", "(f(x₀+h) − f(x₀−h))/2h")):
            e = d[f"expected_{m}"]
            good, suspicious = d[f"limits_{m}"]
            order = "|f″|·h/2" if m == "forward" else "|f‴|·h²/6"
            checks.append(
                check_text(
                    f"{m.capitalize()} difference, h = {h:g}",
                    d["exact"],
                    d[m],
                    d[f"rel_{m}"],
                    a_name="symbolic",
                    b_name=quotient,
                    good=good,
                    suspicious=suspicious,
                    note=f"Expected error ≈ {e.total:.1e} ({order} ≈ {e.truncation:.1e} + round-off "
                    f"ε·|f|/h ≈ {e.roundoff:.1e}): the {e.regime} regime.",
                )[1]
            )
        check_box(
            checks,
            note="Each difference is graded against its own expected error: green within 10× of it, amber "
            "within 100×, red beyond. The symbolic derivative comes from the sum, product, quotient and "
            "chain rules applied to the expression tree — an independent computation from the differences.",
            container=check_slot,
        )
    n_h = len(H_SWEEP)
    errors = {
        "h": np.concatenate([H_SWEEP, H_SWEEP]),
        "error": np.concatenate([r["sweep"]["forward"], r["sweep"]["central"]]),
        "method": ["forward"] * n_h + ["central"] * n_h,
    }
    marks = {
        "x": [r["best"]["forward"], r["best"]["central"], float(h)],
        "label": [
            f"best forward: {r['best']['forward']:.0e}",
            f"best central: {r['best']['central']:.0e}",
            f"your h = {h:g}",
        ],
        "color": [charts.PALETTE[0], charts.PALETTE[1], charts.PALETTE[4]],
        "row": [0, 1, 2],
    }
    draw_chart(
        titled(
            charts.fill_slots(error_template(), errors=errors, marks=marks),
            "Finite-difference error against step size h",
        ),
        container=error_slot,
    )


_ERROR_NOTE = (
    "To the right, truncation error dominates: it shrinks like h for the forward difference and like h² "
    "for the central one (slopes 1 and 2 on this log-log chart). To the left, round-off wins: f(x+h) and "
    "f(x) agree in almost all of their ~16 digits, their difference loses them, and dividing by a tiny h "
    "magnifies what is left — the error climbs again like 1/h."
)
_QUADRATIC_NOTE = (
    "For a quadratic like the article's loss the central difference has no truncation error at all "
    "(f‴ = 0): only the round-off wall remains."
)


fn = body()

st.subheader("Common derivatives in deep learning")
table = "| Function | Formula | Derivative | Used in |\n|---|---|---|---|\n" + "\n".join(
    f"| {row.function} | ${row.formula}$ | ${row.derivative}$ | {row.used_in} |" for row in COMMON_DERIVATIVES
)
st.markdown(table)

show_code(finite_diff.derivative, finite_diff.relative_error, Expression.derivative)

from ui.challenge import challenge_panel

challenge_panel("derivatives", fn=fn)
