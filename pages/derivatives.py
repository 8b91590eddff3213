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
from ui import stepper as sp
from ui.layout import draw_chart, stage_chart, stage_control, titled
from ui.shell import (
    check_level,
    fmt,
    formula,
    header,
    show_code,
    show_parse_error,
    typesets,
)
from ui.state import UrlState, follow_outside_fragment, stop_ends_the_page, stop_page
from ui.stepper import stepper
from ui.text import small

CUSTOM = "custom"
CUSTOM_DOMAIN = (-5.0, 5.0)
STEP_SIZES = tuple(float(f"1e{k}") for k in range(-12, 0))  # h from 1e-12 to 1e-1
H_DEFAULT = 1e-5
H_SWEEP = np.geomspace(1e-16, 1e-1, 61)

header(
    "Derivatives",
    "A derivative is the slope of a function at a point: how much the output changes per unit change of "
    "the input. For deep learning it answers *if I nudge this weight, how much does the loss move?* "
    "Below, the exact derivative (by the rules of calculus, done symbolically) is compared with "
    "finite differences — the numerical approximation every gradient check relies on.",
    r"f'(x) = \lim_{h \to 0} \frac{f(x+h) - f(x)}{h} \;\approx\; \frac{f(x+h) - f(x-h)}{2h}",
)

PAGE = "derivatives"
state = UrlState(PAGE)


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


def at_steps(text: str, x0: float) -> list[dict]:
    """At every h of STEP_SIZES: the forward and central differences at x₀, their relative errors against
    the symbolic derivative, and the error each is expected to have (so each is graded by its own
    yardstick). One parse for all of them (step_blocks, which calls this, is cached)."""
    e = parse(text, variables=("x",))
    exact = float(e.derivative("x").evaluate(x=x0))
    steps = []
    for h in STEP_SIZES:
        out: dict = {"exact": exact}
        for m in ("forward", "central"):  # each graded by its own expected error, not the gradient check's
            out[m] = float(finite_diff.derivative(e, x0, h=h, method=m))
            out[f"rel_{m}"] = finite_diff.relative_error(exact, out[m])
            out[f"expected_{m}"] = finite_diff.expected_step_error(e, x0, h, m)
            out[f"limits_{m}"] = finite_diff.step_error_thresholds(out[f"expected_{m}"], exact)
        steps.append(out)
    return steps


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


_ICONS = {"green": "✓", "orange": "⚠", "red": "✗"}
_WORDS = {"green": "agree", "orange": "suspicious", "red": "disagree"}
_QUOTIENTS = {"forward": "(f(x₀+h) − f(x₀))/h", "central": "(f(x₀+h) − f(x₀−h))/2h"}
_ORDERS = {"forward": "|f″|·h/2", "central": "|f‴|·h²/6"}
GRADING_NOTE = (
    "Each difference is graded against its own expected error: within 10× of it they agree, within 100× "
    "it is suspicious, beyond that they disagree. The symbolic derivative comes from the sum, product, "
    "quotient and chain rules applied to the expression tree — an independent computation from the "
    "differences."
)


def _check_lines(d: dict, h: float) -> list[str]:
    """Both differences at step h against the symbolic slope, each graded by its own expected error
    (Markdown subset: ui.stepper.paragraphs)."""
    lines = []
    for m in ("forward", "central"):
        e = d[f"expected_{m}"]
        good, suspicious = d[f"limits_{m}"]
        level = check_level(d[f"rel_{m}"], good, suspicious)
        lines.append(f"**{m.capitalize()} difference, h = {h:g}** · **{_ICONS[level]} {_WORDS[level]}**")
        lines.append(
            f"symbolic: `{fmt(d['exact'])}` · {_QUOTIENTS[m]}: `{fmt(d[m])}` · relative error "
            f"`{d[f'rel_{m}']:.1e}`"
        )
        lines.append(
            f":gray[Expected error ≈ {e.total:.1e} ({_ORDERS[m]} ≈ {e.truncation:.1e} + round-off "
            f"ε·|f|/h ≈ {e.roundoff:.1e}): the {e.regime} regime.]"
        )
    return lines


@cache.data(show_spinner=False, max_entries=64)
def step_blocks(text: str, x0: float, lo: float, hi: float, kink: bool) -> list[dict]:
    """Everything the step size h changes, at every h of STEP_SIZES (ui.stepper blocks): the two differences
    against the symbolic slope (none at a kink) and the error-vs-h chart with "your h" on it. Computed once
    per function and point, for everyone (both themes: the browser picks)."""
    r = analyse(text, x0, lo, hi)
    if kink:  # the differences only, ungraded (a corner has no expected error to grade them by)
        e = parse(text, variables=("x",))
        steps = [
            {
                "exact": r["exact"],
                **{m: float(finite_diff.derivative(e, x0, h=h, method=m)) for m in _QUOTIENTS},
            }
            for h in STEP_SIZES
        ]
    else:
        steps = at_steps(text, x0)
    blocks: list[dict] = []
    if not kink:
        checks = sp.text(
            [sp.paragraphs(_check_lines(d, h)) for d, h in zip(steps, STEP_SIZES, strict=True)],
            per_frame=True,
            border=True,
        )
        checks["live"] = True  # a screen reader hears the new verdicts after a step (aria-live="polite")
    best = r["best"]
    errors = {m: [abs(d[m] - d["exact"]) for d in steps] for m in ("forward", "central")}
    chart = sp.xy(
        "Finite-difference error against step size h",
        [
            sp.xy_line("forward", H_SWEEP, r["sweep"]["forward"], colour=0),
            sp.xy_line("central", H_SWEEP, r["sweep"]["central"], colour=1),
        ],
        x_title="step size h (log)",
        y_title="|finite difference − exact| (log)",
        log_x=True,
        log_y=True,
        rules=[
            sp.xy_rule(
                "best forward", best["forward"], label=f"best forward: {best['forward']:.0e}", colour=0
            ),
            sp.xy_rule(
                "best central", best["central"], label=f"best central: {best['central']:.0e}", colour=1
            ),
            sp.xy_rule("your h", list(STEP_SIZES), label=[f"your h = {h:g}" for h in STEP_SIZES], colour=4),
        ],
        points=[
            sp.xy_points(
                "errors at your h",
                [[(h, errors["forward"][k]), (h, errors["central"][k])] for k, h in enumerate(STEP_SIZES)],
                tips=[
                    [
                        f"forward at h = {h:g}: error {errors['forward'][k]:.1e}",
                        f"central at h = {h:g}: error {errors['central'][k]:.1e}",
                    ]
                    for k, h in enumerate(STEP_SIZES)
                ],
                colour=4,
            )
        ],
        alt=[
            f"Log-log chart of the finite-difference error against the step size h from 1e-16 to 0.1, forward "
            f"and central. Your h = {h:g}: forward error {errors['forward'][k]:.1e}, central error "
            f"{errors['central'][k]:.1e}. Best h: forward {best['forward']:.0e}, central {best['central']:.0e}."
            for k, h in enumerate(STEP_SIZES)
        ],
        height=340,
    )
    if kink:
        blocks.append(chart)
    else:
        blocks.append(sp.row(checks, chart))
        blocks.append(sp.text(sp.paragraphs(GRADING_NOTE, small=True), per_frame=False, small=True))
    return blocks


@st.fragment
@stop_ends_the_page(PAGE)
def body() -> str:
    """Everything a control changes: a slider move reruns only this (not the sidebar, the header, the
    code and the challenge below). The step size h reruns nothing: its stepper holds every h at once and
    the browser draws a step (ui.stepper). Returns the function's key."""
    options = [*FUNCTIONS, CUSTOM]
    # One row block for the three controls (st.columns would be a row plus a block per column, all
    # re-sent on every step of a slider).
    row = st.container(horizontal=True, gap="medium")
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
    x0 = state.slider(
        "x0",
        "Point x₀",
        domain[0],
        domain[1],
        x0_default,
        step=(domain[1] - domain[0]) / 200,
        container=row.container(),
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
    if not (np.isfinite(r["f0"]) and np.isfinite(r["exact"])):
        st.warning(
            f"f or f′ is not defined at x₀ = {x0:g} (outside the function's domain). Move the point x₀.",
            icon=":material/block:",
        )
        stop_page()
    sides = r["sides"]

    # Every step size at once: the browser draws a step of h without asking the server (ui.stepper).
    with stage_control(), stage_chart():  # the stepper is both: the h slider and the error chart it draws
        stepper(
            f"{PAGE}.steps",
            url=state,
            name="h",
            label="Step size h",
            options=STEP_SIZES,
            default=H_DEFAULT,
            values=[f"{h:g}" for h in STEP_SIZES],
            help="The finite-difference step. Smaller is not always better: see the chart below. Arrow keys "
            "step; Home and End jump.",
            blocks=step_blocks(text, float(x0), float(domain[0]), float(domain[1]), bool(sides.kink)),
        )
    if shown.clipped:
        domain = (shown.lo, shown.hi)

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

    st.subheader("Error vs step size h")
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
    return fn


_ERROR_NOTE = (
    "On the chart above, to the right, truncation error dominates: it shrinks like h for the forward difference and like h² "
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
