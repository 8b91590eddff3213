"""Jacobians & VJPs: the linear layer's J = W, the softmax Jacobian, and why backprop only needs vᵀJ."""

from ui import cache
from ui.shell import ensure_entry

ensure_entry()

import numpy as np
import pandas as pd
import streamlit as st

from core import finite_diff
from core import jacobians as jac
from ui import charts, timing
from ui import stepper as sp
from ui.layout import draw_chart, stage_chart, stage_control, titled
from ui.shell import GOOD, check_badge, check_level, fmt, header, show_code, thresholds_caption
from ui.state import UrlState
from ui.stepper import stepper
from ui.text import md_table, small

MAX_SIZE = 8
EPS_OPTIONS = tuple(float(f"1e{k}") for k in range(-8, 1))  # ‖dx‖ scale from 1e-8 to 1
T_OPTIONS = (0.1, 0.15, 0.2, 0.3, 0.5, 0.7, 1.0, 1.5, 2.0, 3.0, 5.0, 7.0, 10.0)
LOGIT_DEFAULTS = (2.0, 1.0, 0.1, -1.0, 0.5, 1.5, -0.5, 0.0)  # the article's [2, 1, 0.1], then more
TAYLOR_STEPS = np.geomspace(1e-8, 1.0, 33)
FD_STEP = 1e-5  # central-difference step for the numeric Jacobians
ROUNDOFF = 1e-13  # below this a Taylor remainder is round-off, not truncation: left out of the fit

header(
    "Jacobians & VJPs",
    "When a layer maps a vector to a vector, its derivative is a matrix: the **Jacobian** J holds every "
    "partial derivative ∂yᵢ/∂xⱼ, and a small change dx of the input moves the output by about J·dx. "
    "Below are the Jacobians of the article's two examples — a linear layer and softmax — checked "
    "against finite differences, and then the twist: backpropagation never builds them. It only needs "
    "the **vector-Jacobian product** vᵀJ, which is much cheaper.",
    r"\mathbf{f}:\mathbb{R}^n\to\mathbb{R}^m,\qquad "
    r"\mathbf{J} = \begin{bmatrix} \frac{\partial f_1}{\partial x_1} & \cdots & \frac{\partial f_1}{\partial x_n}"
    r"\\ \vdots & \ddots & \vdots \\ \frac{\partial f_m}{\partial x_1} & \cdots & "
    r"\frac{\partial f_m}{\partial x_n} \end{bmatrix},\qquad "
    r"\mathbf{f}(\mathbf{x}+d\mathbf{x}) \approx \mathbf{f}(\mathbf{x}) + \mathbf{J}\,d\mathbf{x}",
)

state = UrlState("jacobians")


def _worst_entry(A: np.ndarray, B: np.ndarray) -> tuple[tuple[int, ...], float, float]:
    """The entry where two matrices (or vectors) differ most, and both values there."""
    k = np.unravel_index(int(np.argmax(np.abs(A - B))), A.shape)
    return tuple(int(i) for i in k), float(A[k]), float(B[k])


def _vector(values: np.ndarray, digits: int = 3) -> str:
    return "[" + ", ".join(f"{v:.{digits}f}" for v in values) + "]"


@cache.data(show_spinner=False, max_entries=32)
def heatmap(value: str, x_title: str, y_title: str, cell: int) -> dict:
    """A matrix heatmap as a Vega-Lite template, the same for every matrix whose cells are `cell` px wide
    (`charts.heatmap_cell`: 51 px up to 5 columns), so a step of a slider only refills its cells."""
    return charts.vega_spec(
        charts.matrix_heatmap("cells", value=value, x_title=x_title, y_title=y_title, cell=cell)
    )


@cache.data(show_spinner=False, max_entries=64)
def linear_case(m: int, n: int, seed: int, eps: float) -> dict:
    """The article's linear-layer check: W, x, dx, Δy vs J·dx, and J by central differences."""
    W, b, x = jac.random_linear(m, n, seed)
    dx = jac.random_linear_dx(m, n, seed, eps)

    def layer(z: np.ndarray) -> np.ndarray:
        return jac.linear(z, W, b)

    J = jac.linear_jacobian(W)
    actual, predicted, gap = jac.first_order_change(layer, J, x, dx)
    numeric = finite_diff.jacobian(layer, x, h=FD_STEP)
    return {
        "W": W,
        "x": x,
        "y": layer(x),
        "J": J,
        "dx": dx,
        "actual": actual,
        "predicted": predicted,
        "gap": gap,
        "numeric": numeric,
        "rel": finite_diff.relative_error(J, numeric),
    }


@cache.data(show_spinner=False, max_entries=64)
def softmax_case(z: tuple[float, ...], T: float) -> dict:
    """Softmax, its Jacobian (vectorized, loop, central differences) and the first-order remainder."""
    x = np.array(z)

    def f(u: np.ndarray) -> np.ndarray:
        return jac.softmax(u, T)

    J = jac.softmax_jacobian(x, T)
    loop = jac.softmax_jacobian_loop_at(x, T)
    numeric = finite_diff.jacobian(f, x, h=FD_STEP)
    rows, asym = jac.row_sums_and_asymmetry(J)
    direction = np.random.default_rng(7).standard_normal(x.size)
    remainder = jac.taylor_error(f, J, x, TAYLOR_STEPS, direction)
    change = jac.taylor_error(f, np.zeros_like(J), x, TAYLOR_STEPS, direction)  # ‖Δs‖ itself
    slopes = {}
    for name, errors in (("change", change), ("remainder", remainder)):
        keep = (errors > ROUNDOFF) & (TAYLOR_STEPS <= 0.05 * T)
        slopes[name] = (
            finite_diff.fitted_slope(TAYLOR_STEPS[keep], errors[keep], h_range=(0.0, float("inf")))
            if np.count_nonzero(keep) >= 3
            else None
        )
    short = {k: f"slope {v:.2f}" if v is not None else "no fit" for k, v in slopes.items()}
    labels = (f"‖Δs‖ ({short['change']})", f"‖Δs − J·dx‖ ({short['remainder']})")
    df = pd.DataFrame(
        {
            "‖dx‖": np.concatenate([TAYLOR_STEPS, TAYLOR_STEPS]),
            "size": np.concatenate([change, remainder]),
            "series": np.repeat(labels, len(TAYLOR_STEPS)),
        }
    )
    df = df[df["size"] > 0]  # an exact zero (round-off luck) has no place on a log axis
    taylor = charts.lines(
        df,
        "‖dx‖",
        "size",
        "series",
        x_title="‖dx‖ (log)",
        y_title="norm (log)",
        log_x=True,
        log_y=True,
        points=True,
        color_domain=list(labels),
        color_title=" ",
        height=320,
    )
    return {
        "s": f(x),
        "J": J,
        "loop": loop,
        "numeric": numeric,
        "rows": rows,
        "asym": asym,
        "max_abs": float(np.max(np.abs(J))),
        "rel_loop": finite_diff.relative_error(J, loop),
        "rel_num": finite_diff.relative_error(J, numeric),
        "slopes": slopes,
        "cells": charts.heatmap_rows(J),
        "taylor_spec": charts.vega_spec(taylor),
    }


def _slope(value: float | None) -> str:
    return f"slope {value:.2f}" if value is not None else "no slope (round-off only)"


@cache.data(show_spinner=False, max_entries=64)
def vjp_case(z: tuple[float, ...], T: float, vseed: int) -> dict:
    """vᵀJ two ways: through the full Jacobian (O(n²)) and by the O(n) formula."""
    x = np.array(z)
    v = np.random.default_rng(vseed).standard_normal(x.size)
    full = jac.vjp_softmax_full(v, x, T)
    fast = jac.vjp_softmax(v, x, T)
    return {"v": v, "full": full, "fast": fast, "rel": finite_diff.relative_error(full, fast)}


# =============================================================================================
st.header("1 · A linear layer: J = W", divider="gray")


LINEAR_TEXT = (
    "**J = ∂y/∂x = W** (row i = output yᵢ, column j = input xⱼ). For y = Wx + b, output i changes by W[i, j] "
    "per unit of input j: the Jacobian is W itself, whatever x is. Orange is positive, blue negative; the "
    "colour scale is the same for every m, so a row keeps its colours as m grows."
)
CHECK_WORDS = {"green": "✓ agree", "orange": "⚠ suspicious", "red": "✗ disagree"}


def _check(lin: dict) -> list[sp.Para]:
    """The check of W against a numeric Jacobian, as stepper paragraphs (ui.shell.check_text's content)."""
    (i, j), a, b = _worst_entry(lin["J"], lin["numeric"])
    level = check_level(lin["rel"])
    return [
        {
            "runs": [
                ["b", f"W vs a numeric Jacobian (central differences, h = {FD_STEP:g})"],
                ["", " · "],
                ["b", CHECK_WORDS[level]],
            ],
            "li": False,
        },
        *sp.paragraphs(
            f"W[{i}, {j}]: `{fmt(a)}` · (f(x+h eⱼ) − f(x−h eⱼ))/2h: `{fmt(b)}` · relative error "
            f"`{lin['rel']:.1e}`"
        ),
        *sp.paragraphs(
            "Entry with the largest difference shown; relative error over the whole matrix.", small=True
        ),
    ]


def _alt(m: int, n: int, W: np.ndarray) -> str:
    """What the heatmap of W shows, for a screen reader."""
    text = (
        f"Heatmap of J = W, {m} × {n} (row i = output yᵢ, column j = input xⱼ), orange positive, blue negative: "
        f"entries from {W.min():.3f} to {W.max():.3f}."
    )
    if W.size <= 20:
        text += " " + " ".join(f"Row {i}: {', '.join(f'{v:.3f}' for v in row)}." for i, row in enumerate(W))
    return text


@cache.data(show_spinner=False, max_entries=64)
def m_blocks(n: int, seed: int, eps: float) -> list[dict]:
    """Everything the number of outputs m changes, at every m (ui.stepper blocks): the heatmap of J = W,
    its check against a numeric Jacobian, Δy against J·dx. Computed once per n, seed and ε, for everyone
    (both themes' colours: the browser picks the one it shows)."""
    cases = [linear_case(m, n, seed, eps) for m in range(1, MAX_SIZE + 1)]
    heat = sp.heatmap(
        "J = W",
        [c["J"] for c in cases],
        value="∂yᵢ/∂xⱼ",
        x_title="input j",
        y_title="output i",
        cell=charts.heatmap_cell(n),
        alt=[_alt(m, n, c["J"]) for m, c in enumerate(cases, 1)],
        note=[
            sp.paragraphs(
                f"Input x: shape `{c['x'].shape}` · Output y: shape `{c['y'].shape}` · "
                f"Jacobian J: shape `{c['J'].shape}`",
                small=True,
            )
            for c in cases
        ],
    )
    table = sp.table(
        ["i", "actual Δy = f(x+dx) − f(x)", "predicted J·dx", "difference"],
        [
            [
                [sp.plain(i), sp.plain(f"{a:.8f}"), sp.plain(f"{p:.8f}"), sp.plain(f"{a - p:.1e}")]
                for i, (a, p) in enumerate(zip(c["actual"], c["predicted"], strict=True))
            ]
            for c in cases
        ],
        align=["l", "r", "r", "r"],
        note=[
            sp.paragraphs(f"‖Δy − J·dx‖ = **{c['gap']:.2e}** — exact up to floating-point round-off.")
            for c in cases
        ],
    )
    table["caption"] = (  # static, above the rows (the stepper's table draws it): sent once, not per m
        "A linear layer is its own first-order approximation: J·dx is not an estimate here, whatever ε."
    )
    return [
        sp.row(heat, sp.text(sp.paragraphs(LINEAR_TEXT), per_frame=False)),
        sp.row(sp.text([_check(c) for c in cases], per_frame=True, border=True), table),
    ]


@st.fragment
def linear_stage() -> None:
    """Section 1: its controls and everything they change (a move reruns only this). The number of outputs
    m is a stepper (`by_m`): its every value is drawn by the browser, without a rerun."""
    # One row of three sliders: a horizontal container (one block), not three columns (four).
    row = st.container(horizontal=True)
    n = state.slider("n", "Inputs n", 1, MAX_SIZE, 4, container=row, help="Columns of W: x has n entries.")
    seed = state.slider(
        "seed",
        "Random seed",
        0,
        999,
        42,
        container=row,
        help="np.random.seed(seed); W = randn(m, n); x = randn(n); dx = randn(n)·ε — "
        "seed 42 with m = 3, n = 4 is the article's example.",
    )
    eps = state.log_slider(
        "eps",
        "Perturbation size ε",
        EPS_OPTIONS,
        1e-3,
        container=row,
        help="dx = randn(n) · ε (the article uses ε = 0.001).",
    )
    by_m(int(n), int(seed), float(eps))


@st.fragment
def by_m(n: int, seed: int, eps: float) -> None:
    """The number of outputs m and everything it changes (the heatmap of W, its check, Δy against J·dx), for
    every m at once: the browser draws a step; its report (once the learner stops) reruns only this, to
    write m into the link."""
    with stage_control(), stage_chart():  # the stepper is both: its slider and the heatmap it draws
        stepper(
            "jacobians.outputs",
            url=state,
            name="m",
            label="Outputs m",
            options=list(range(1, MAX_SIZE + 1)),
            default=3,  # the article's
            help="Rows of W: y has m entries. Arrow keys step; Home and End jump.",
            blocks=m_blocks(n, seed, eps),
        )


linear_stage()

# =============================================================================================
st.header("2 · Softmax: every output depends on every input", divider="gray")
st.latex(
    r"s = \operatorname{softmax}(z/T),\qquad "
    r"J = \frac{\partial s}{\partial z} = \frac{1}{T}\left(\operatorname{diag}(s) - s\,s^{\top}\right),"
    r"\qquad J_{ij} = \frac{1}{T}\, s_i\,(\delta_{ij} - s_j)"
)


@st.fragment
def softmax_stage() -> None:
    """Sections 2 and 3: the logits and T feed both (the VJPs are of this softmax), so one fragment:
    a move reruns only this, not section 1, the cost chart or the code."""
    # Rows of sliders are horizontal containers: one block each, not a block per column more.
    row = st.container(horizontal=True)
    k = state.slider("k", "Number of logits", 3, MAX_SIZE, 3, container=row)
    T = state.log_slider(
        "T",
        "Temperature T",
        T_OPTIONS,
        1.0,
        container=row,
        help="softmax(z / T): small T sharpens the distribution, large T flattens it. "
        "The article's example is T = 1.",
    )
    row = st.container(horizontal=True)
    logits = [
        state.slider(f"z{i}", f"Logit z{i}", -10.0, 10.0, LOGIT_DEFAULTS[i], step=0.1, container=row)
        for i in range(int(k))
    ]

    sm = softmax_case(tuple(float(v) for v in logits), float(T))
    st.markdown(f"s = softmax(z / T) = `{_vector(sm['s'])}` — sums to 1")
    left, right = st.columns([1, 1], gap="large")
    with left:
        heat = charts.fill_slots(
            heatmap("∂sᵢ/∂zⱼ", "logit j", "probability i", charts.heatmap_cell(int(k))), cells=sm["cells"]
        )
        draw_chart(titled(heat, "Softmax Jacobian ∂sᵢ/∂zⱼ"), width="content")
    with right:
        st.markdown(  # the heatmap's static caption rides here: one element fewer
            "Positive on the diagonal (raising zᵢ raises sᵢ), negative elsewhere (it takes probability "
            "from the others). Every output depends on every input — the matrix is full.\n\n"
            f"**Rows sum to 0:** max |Σⱼ Jᵢⱼ| = `{sm['rows']:.1e}` — adding the same constant to every "
            "logit leaves softmax unchanged.  \n"
            f"**J is symmetric:** max |J − Jᵀ| = `{sm['asym']:.1e}` — ∂sᵢ/∂zⱼ = ∂sⱼ/∂zᵢ = −sᵢsⱼ/T."
        )
        (i, j), a, b = _worst_entry(sm["J"], sm["loop"])
        check_badge(
            "Article's double loop vs vectorized diag(s) − s sᵀ",
            a,
            b,
            sm["rel_loop"],
            a_name=f"vectorized J[{i}, {j}]",
            b_name="loop",
        )
        (i, j), a, b = _worst_entry(sm["J"], sm["numeric"])
        tiny = sm["rel_num"] >= GOOD and sm["max_abs"] < 1e-4
        check_badge(
            f"Vectorized vs central differences (h = {FD_STEP:g})",
            a,
            b,
            sm["rel_num"],
            a_name=f"J[{i}, {j}]",
            b_name="numeric",
            note=(  # the thresholds in the check's box: one element fewer than a caption under it
                f"Softmax is nearly saturated (max |J| = {sm['max_abs']:.1e}). Central differences "
                f"carry about ε/h ≈ 1e-11 of round-off noise, which is no longer small next to J: a "
                "limit of the finite-difference check, not of J. Raise T or bring the logits closer. "
                if tiny
                else ""
            )
            + thresholds_caption(),
        )

    st.subheader("Δs vs J·dx as dx shrinks")

    slopes = sm["slopes"]
    tl, tr = st.columns([3, 2], gap="large")
    with tl:
        draw_chart(titled(sm["taylor_spec"], "Δs against J·dx as dx shrinks"))
    with tr:
        st.markdown(
            f"- **‖Δs‖**, the actual change of the probabilities: {_slope(slopes['change'])} — "
            "first order, it shrinks like ‖dx‖.\n"
            f"- **‖Δs − J·dx‖**, what the first-order prediction misses: {_slope(slopes['remainder'])} "
            "— second order, it shrinks like ‖dx‖².\n\n"
            + small(  # the captions as lines in small type: one element, not two or three
                "Slopes are least-squares fits on the log-log chart, left of ‖dx‖ = 0.05·T and above "
                "round-off. Make dx 10× smaller and J·dx gets 100× closer to the real change: that is what "
                "*J is the derivative* means. At the far left the remainder hits round-off (≈ 1e-16) and "
                "stops shrinking; far right, softmax saturates and both curves level off."
            )
            + (
                "\n\n"
                + small(
                    "With these logits softmax barely moves at all: the remainder is round-off everywhere, "
                    "so there is no slope to fit. Raise T or bring the logits closer."
                )
                if slopes["remainder"] is None
                else ""
            )
        )

    # =============================================================================================
    st.header("3 · Vector-Jacobian products: what backprop computes", divider="gray")
    st.markdown(  # the formula and its caption: one element, not two
        "$$\n"
        r"\underbrace{v^{\top} J}_{\text{gradient w.r.t. } z} \;=\; "
        r"\frac{1}{T}\, s \odot \left(v - (v^{\top} s)\,\mathbf{1}\right)"
        r"\qquad \text{(never forms the } n\times n \text{ matrix)}"
        "\n$$\n\n"
        + small(
            "v is the upstream gradient ∂L/∂s arriving from the next layer. For the linear layer the VJP "
            "is simply vᵀW (`v @ W`): backprop multiplies by W and never builds anything new."
        )
    )

    vseed = state.slider(
        "vseed",
        "Seed of the upstream gradient v",
        0,
        999,
        0,
        help="v = standard normal draws, one per logit (n = the number of logits above).",
    )

    vj = vjp_case(tuple(float(v) for v in logits), float(T), int(vseed))
    vl, vr = st.columns([1, 1], gap="large")
    with vl:
        st.markdown(
            md_table(
                ("j", "upstream v", "vᵀJ, full matrix", "vᵀJ, O(n) VJP"),
                [
                    (str(j), f"{a:.6f}", f"{b:.10f}", f"{c:.10f}")
                    for j, (a, b, c) in enumerate(zip(vj["v"], vj["full"], vj["fast"], strict=True))
                ],
            )
        )
    with vr:
        (j,), a, b = _worst_entry(vj["full"], vj["fast"])
        saturated = vj["rel"] >= GOOD and sm["max_abs"] < 1e-8
        check_badge(
            "vᵀJ from the full matrix vs the O(n) VJP",
            a,
            b,
            vj["rel"],
            a_name=f"v @ J [{j}]",
            b_name="s ⊙ (v − v·s)/T",
            note=(
                f"Softmax is saturated (max |J| = {sm['max_abs']:.1e}): both results are 0 up to "
                "round-off of about 1e-16·‖v‖/T, so their *relative* difference is noise here."
                if saturated
                else "Two independent formulas: an n × n matrix product, and three vector operations."
            )
            + " "
            + thresholds_caption(),  # in the check's box: one element fewer than a caption under it
        )


softmax_stage()

st.subheader("Cost as n grows")


@cache.data(show_spinner=False, max_entries=2)
def cost_view() -> dict:
    """The measured costs (ui.timing, once per process), their chart and log-log slopes for n ≥ 200."""
    costs = timing.vjp_costs()
    ns, secs = costs["n"].to_numpy(), costs["seconds"].to_numpy()
    out = {"n_max": int(ns.max()), "slope": {}, "at_max": {}}
    for method in (timing.VJP_FULL, timing.VJP_FAST):
        rows = (costs["method"] == method).to_numpy()
        out["slope"][method] = finite_diff.fitted_slope(
            ns[rows & (ns >= 200)], secs[rows & (ns >= 200)], h_range=(0.0, float("inf"))
        )
        out["at_max"][method] = float(secs[rows & (ns == ns.max())][0])
    out["spec"] = charts.vega_spec(
        charts.scaling_chart(
            costs,
            "n",
            "seconds",
            "method",
            color_domain=[timing.VJP_FULL, timing.VJP_FAST],
            x_title="n = number of logits (log)",
            y_title="seconds per vᵀJ (log; fastest of several runs)",
            height=320,
        )
    )
    return out


cost = cost_view()
cl, cr = st.columns([3, 2], gap="large")
with cl:
    draw_chart(titled(cost["spec"], "Cost of one vᵀJ as n grows"))
with cr:
    st.markdown(
        f"- **Full Jacobian**: fitted slope **{cost['slope'][timing.VJP_FULL]:.1f}** for n ≥ 200 — O(n²) "
        "arithmetic, and worse once the n × n matrix (32 MB at n = 2,000) no longer fits in the CPU cache. "
        f"At n = {cost['n_max']:,}: **{cost['at_max'][timing.VJP_FULL] * 1e3:.1f} ms** per VJP.\n"
        f"- **VJP**: fitted slope **{cost['slope'][timing.VJP_FAST]:.1f}** — at most linear; a fixed "
        "~10 µs of Python overhead per call still hides the O(n) work at these sizes. "
        f"At n = {cost['n_max']:,}: **{cost['at_max'][timing.VJP_FAST] * 1e6:.0f} µs**."
    )
    st.caption(
        "Why backprop never builds Jacobians: the gradient it passes backward is always a vector, so "
        "each layer only needs vᵀJ, which costs about as much as its forward pass — while the full "
        "matrix of a 50,000-word softmax alone would hold 2.5 billion numbers (20 GB)."
    )
    st.caption(
        "Measured once per server process with time.perf_counter (the fastest of several runs, then "
        "cached), so the numbers depend on the machine the app runs on."
    )

show_code(
    jac.linear_jacobian,
    jac.softmax_jacobian,
    jac.softmax_jacobian_loop,
    jac.vjp_softmax,
    jac.taylor_error,
    finite_diff.jacobian,
)

from ui.challenge import challenge_panel

challenge_panel("jacobians")
