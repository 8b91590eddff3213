"""Losses: MSE and the cross-entropies with their derivatives; softmax + CE collapsing to p − y."""

from ui import cache
from ui.shell import ensure_entry

ensure_entry()

import numpy as np
import pandas as pd
import streamlit as st

from core import finite_diff
from core.jacobians import softmax, softmax_ce_grad_long, softmax_jacobian
from core.losses import (
    LOSS_TABLE,
    LOSSES,
    SIGMOID_ROUNDS_TO_ONE,
    bce_from_logits,
    bce_naive_from_logit,
    bce_stability,
    loss_curve,
    loss_slope_check,
    softmax_cross_entropy,
    softmax_cross_entropy_grad,
)
from ui import charts
from ui import stepper as sp
from ui.layout import draw_chart, stage_chart, stage_control, titled
from ui.shell import check_badge, check_level, fmt, header, show_code, thresholds_caption
from ui.state import UrlState, follow_outside_fragment

PRED_GRID = np.linspace(0.005, 0.995, 199)  # predictions ŷ plotted (probabilities: open interval)
H = 1e-6  # central-difference step of the ŷ check
MAX_CLASSES = 5
LOGIT_DEFAULTS = (2.0, 1.0, 0.1, 0.5, -1.0)  # the article's softmax example is [2, 1, 0.1]
LOGIT_RANGE = 10.0
Z_GRID = np.linspace(-50.0, 50.0, 1001)  # logits for the stability demo (step 0.1)
Z_TABLE = (-40.0, -30.0, 0.0, 20.0, 30.0, 36.0, 37.0, 40.0)
REL_FLOOR = 1e-17  # relative errors of exactly 0 are drawn here on the log axis

header(
    "Losses",
    "The loss turns a prediction into one number to minimise, and its derivative is the first factor of "
    "every backward pass: it is the signal that backpropagation carries to every weight. Below, the "
    "article's three losses and their derivatives, then its one-line *Simplified!* gradient for softmax "
    "followed by cross-entropy — proven on screen — and why frameworks compute losses from logits.",
    r"\frac{\partial}{\partial z}\,\mathrm{CE}\bigl(y, \mathrm{softmax}(z)\bigr) = \mathrm{softmax}(z) - y "
    r"= p - y",
)

state = UrlState("losses")

# -- 1. a loss and its derivative -----------------------------------------------------------------
st.subheader("A loss and its derivative")

Y_GRID = tuple(float(np.round(0.05 * k, 10)) for k in range(21))  # the target y: 0 … 1, step 0.05
P0_GRID = tuple(float(np.round(0.01 * k, 10)) for k in range(1, 100))  # the prediction ŷ₀: 0.01 … 0.99
AXES = (
    sp.Axis(
        "y",
        "Target y",
        options=Y_GRID,
        default=1.0,
        values=[f"{v:g}" for v in Y_GRID],
        help="The true value. Cross-entropies expect a probability: 0 or 1, or a soft label between.",
    ),
    sp.Axis(
        "p0",
        "Prediction ŷ₀",
        options=P0_GRID,
        default=0.7,
        values=[f"{v:g}" for v in P0_GRID],
        help="Where the tangent and the check are drawn (the article's example predicts 0.7). Arrow keys "
        "step; Home and End jump.",
    ),
)
TANGENT_W = charts.tangent_halfwidth(PRED_GRID[0], PRED_GRID[-1])
CHART_HEIGHT = 300
_ICONS = {"green": "✓", "orange": "⚠", "red": "✗"}  # check_badge's verdicts, as stepper text
_WORDS = {"green": "agree", "orange": "suspicious", "red": "disagree"}
CHECK_LABEL = f"∂L/∂ŷ: formula vs central differences (h = {H:g})"
CHECK_NOTE = (
    f"The relative error is over the whole curve ({len(PRED_GRID)} points, vector norms), so a slope of "
    "exactly 0 at ŷ = y does not make it meaningless. " + thresholds_caption()
)


def _loss_label(key: str) -> str:
    return LOSSES[key].name


def loss_view(key: str, y: float) -> dict:
    """The loss curve over ŷ with its formula slope, and the same slope by central differences."""
    values, grads, numeric = loss_slope_check(LOSSES[key], y, PRED_GRID, h=H)
    return {"values": values, "grads": grads, "rel": finite_diff.relative_error(grads, numeric)}


@cache.data(show_spinner=False, max_entries=64)
def curve_view(key: str, y: float) -> dict:
    """`loss_view` with the chart's y domains (robust: the loss's steep ends do not flatten the rest), once
    per loss and target (every window at that target reuses it)."""
    out = loss_view(key, y)
    out["domains"] = (
        charts.robust_domain(out["values"], trim=1.0),
        charts.robust_domain(out["grads"], trim=3.0),
    )
    return out


def point_views(key: str, y: float, preds: list[float]) -> list[dict]:
    """The loss and its slope at each ŷ₀ of `preds`, by the formula and by a central difference."""
    values, grads, numeric = loss_slope_check(LOSSES[key], y, preds, h=H)
    return [
        # + 0.0: a loss or slope of −0 (cross-entropy with y = 0) is shown as 0
        {"v0": float(v) + 0.0, "g0": float(g) + 0.0, "n0": float(n) + 0.0}
        for v, g, n in zip(values, grads, numeric, strict=True)
    ]


def _check_lines(g0: float, n0: float, rel: float) -> list[str]:
    """check_badge's check as stepper text (Markdown subset: ui.stepper.paragraphs)."""
    level = check_level(rel)
    return [
        f"**{CHECK_LABEL}** · **{_ICONS[level]} {_WORDS[level]}**",
        f"formula at ŷ₀: `{fmt(g0)}` · difference at ŷ₀: `{fmt(n0)}` · relative error `{rel:.1e}`",
    ]


@cache.data(show_spinner=False, max_entries=64)
def point_blocks(key: str, frames: tuple[tuple[int, int], ...]) -> list[dict]:
    """Everything the target y and the prediction ŷ₀ change, at every position of `frames` (option indices
    into Y_GRID, P0_GRID; ui.stepper blocks): the loss and its slope over ŷ with the tangent at ŷ₀, the
    numbers at ŷ₀ and the formula-vs-differences check. The curves depend on y only: each is sent once
    (ui.stepper.shared). Computed once per loss and window, for everyone (both themes: the browser picks)."""
    name = LOSSES[key].name
    ys = sorted({i for i, _ in frames})
    curve = {i: curve_view(key, Y_GRID[i]) for i in ys}
    wanted: dict[int, list[int]] = {}
    for i, j in frames:
        wanted.setdefault(i, []).append(j)
    points = {
        i: dict(zip(js, point_views(key, Y_GRID[i], [P0_GRID[j] for j in js]), strict=True))
        for i, js in wanted.items()
    }
    at = [(Y_GRID[i], P0_GRID[j], curve[i], points[i][j]) for i, j in frames]
    by_y = [i for i, _ in frames]
    loss_line = sp.xy_line(
        "L(y, ŷ)",
        PRED_GRID,
        sp.shared([curve[i]["values"].tolist() for i in by_y]),
        slope=sp.shared([curve[i]["grads"].tolist() for i in by_y]),
        per_frame=True,
        colour=0,
    )
    tangent = sp.xy_line(
        "tangent at ŷ₀",
        [[p0 - TANGENT_W, p0 + TANGENT_W] for _, p0, _, _ in at],
        [[pt["v0"] - pt["g0"] * TANGENT_W, pt["v0"] + pt["g0"] * TANGENT_W] for _, _, _, pt in at],
        per_frame=True,
        colour=2,
        dash=0,
        digits=6,
        hover=False,  # the hover reads the curves, not this segment
    )
    grad_line = sp.xy_line(
        "∂L/∂ŷ", PRED_GRID, sp.shared([curve[i]["grads"].tolist() for i in by_y]), per_frame=True, colour=3
    )

    def panel(title: str, lines: list, y_title: str, which: int, value: str, word: str, alt: str) -> dict:
        """One of the two charts: the curve(s), the point at ŷ₀ on it, per-target axes (``which``: 0 the loss,
        1 its slope; ``value``: the point's field, "v0" or "g0")."""
        return sp.xy(
            title,
            lines,
            x_title="prediction ŷ",
            y_title=y_title,
            x_domain=(0.0, 1.0),
            y_domains=[curve[i]["domains"][which] for i in by_y],
            points=[
                sp.xy_points(
                    "",
                    [[(p0, pt[value])] for _, p0, _, pt in at],
                    tips=[[f"ŷ₀ = {p0:g}: {word} = {fmt(pt[value], 4)}"] for _, p0, _, pt in at],
                    colour=2,
                )
            ],
            alt=[
                alt.format(y=f"{y:g}", p0=f"{p0:g}", v=fmt(pt["v0"], 4), g=fmt(pt["g0"], 4))
                for y, p0, _, pt in at
            ],
            height=CHART_HEIGHT,
            hover="losses",
        )

    loss_chart = panel(
        f"{name}: the loss against the prediction ŷ",
        [loss_line, tangent],
        "loss L(y, ŷ)",
        0,
        "v0",
        "L",
        f"Line chart: the loss {name} over the prediction ŷ from 0 to 1, target y = {{y}}. At ŷ₀ = {{p0}}: "
        "L = {v}, tangent slope {g}.",
    )
    grad_chart = panel(
        "… and its derivative ∂L/∂ŷ",
        [grad_line],
        "∂L/∂ŷ",
        1,
        "g0",
        "∂L/∂ŷ",
        f"Line chart: ∂L/∂ŷ of {name} over ŷ from 0 to 1, target y = {{y}}. At ŷ₀ = {{p0}}: {{g}}.",
    )
    caption = sp.text(
        sp.shared(
            [
                sp.paragraphs(
                    f"Target y = {Y_GRID[i]:g}. Green: the tangent at ŷ₀, whose slope is ∂L/∂ŷ. Hover either "
                    "chart to move a tangent along the curve (in the browser, no rerun). One prediction at a "
                    "time (n = 1).",
                    small=True,
                )
                for i in by_y
            ]
        ),
        per_frame=True,
        small=True,
    )
    numbers = sp.table(
        ["At ŷ₀", "Value"],
        [
            [
                [sp.plain(f"L at ŷ₀ = {p0:g}"), [["b", fmt(pt["v0"], 4)]]],
                [sp.plain("∂L/∂ŷ at ŷ₀"), [["b", fmt(pt["g0"], 4)]]],
            ]
            for _, p0, _, pt in at
        ],
        align=["l", "r"],
        width=260,
    )
    check = sp.text(
        [sp.paragraphs(_check_lines(pt["g0"], pt["n0"], c["rel"])) for _, _, c, pt in at],
        per_frame=True,
        border=True,
    )
    check["live"] = True  # a screen reader hears the new verdict after a step (aria-live="polite")
    note = sp.text(sp.paragraphs(CHECK_NOTE, small=True), per_frame=False, small=True)
    return [sp.row(loss_chart, grad_chart), caption, sp.row(numbers, check), note]


# Section 1's places, made here once per full run: the fragment below fills them (a container made outside
# a fragment keeps its place, and the fragment's writes in it are redrawn in place). The loss's formulas
# are drawn by the page into their own slot beside the Loss box: a step does not re-typeset them.
controls_slot, formula_slot = st.columns([1, 2], gap="medium", vertical_alignment="center")


@st.fragment
def loss_stage() -> str:
    """Section 1: the loss, and the stepper over y and ŷ₀ with everything they change (the browser draws a
    step of either; its report reruns only this, to write the link)."""
    loss_key = state.select(
        "loss", "Loss", list(LOSSES), "bce", format_func=_loss_label, container=controls_slot
    )
    follow_outside_fragment("losses.loss", loss_key)  # its formulas and the note below are outside
    at = sp.locate(url=state, axes=AXES)
    frames = sp.cross(at, AXES, radius=(None, None))  # every y at this ŷ₀ and every ŷ₀ at this y
    with stage_control(), stage_chart():  # the stepper is both: the y and ŷ₀ sliders and the charts
        sp.multi_stepper(
            "losses.point",
            url=state,
            axes=AXES,
            at=at,
            frames=frames,
            blocks=point_blocks(loss_key, tuple(tuple(int(k) for k in f) for f in frames)),
        )
    return loss_key


loss_key = loss_stage()
formula_slot.markdown(f"$$\n{LOSSES[loss_key].formula}\n$$\n\n$$\n{LOSSES[loss_key].grad_formula}\n$$")

# Below the stage (a step of its sliders does not resend it; a change of the loss reruns the page).
SLOPE_NOTES = {
    "mse": "MSE's slope is a straight line in ŷ: proportional to the error, and bounded — a badly wrong "
    "prediction gets a push only as strong as it is wrong.",
    "bce": "BCE's slope blows up as ŷ approaches the wrong end (ŷ → 0 when y = 1): a confident mistake gets "
    "a huge push. Through a sigmoid output that factor ŷ(1 − ŷ) cancels — the gradient w.r.t. the "
    "logit is simply ŷ − y.",
    "ce": "Cross-entropy looks only at the probability of the true class: with y = 0 this output's loss and "
    "slope are 0 (it still moves through the softmax, see below). With y = 1 the slope is −1/ŷ.",
}
st.caption(SLOPE_NOTES[loss_key])

st.markdown("**The article's table** (MSE is a mean over the n outputs, the cross-entropies are sums)")
st.markdown(
    "| Loss | Formula | Derivative w.r.t. ŷ |\n|---|---|---|\n"
    + "\n".join(f"| {row.loss} | ${row.formula}$ | ${row.derivative}$ |" for row in LOSS_TABLE)
)

# -- 2. softmax + cross-entropy -------------------------------------------------------------------
st.divider()
st.subheader("Softmax + cross-entropy: the “Simplified!” gradient")
st.markdown(
    "The article's `softmax_cross_entropy_derivative` returns just `y_pred - y_true  # Simplified!`. "
    "Here the same gradient with respect to the logits z is also computed the long way, by the chain rule "
    "through the softmax Jacobian, and the two are compared."
)


def _clamp_class() -> None:
    if int(state.get("cls")) > int(state.get("k")):
        state.set("cls", "1")


def _random_logits() -> None:
    rng = np.random.default_rng()
    k = int(state.get("k"))
    values = np.round(rng.uniform(-LOGIT_RANGE, LOGIT_RANGE, size=k), 1)
    state.apply({f"z{i + 1}": float(v) for i, v in enumerate(values)})
    state.set("cls", str(int(rng.integers(1, k + 1))))


def softmax_view(logits: tuple[float, ...], cls: int) -> dict:
    """Probabilities, the loss, and ∂CE/∂z the long way and the shortcut way."""
    z = np.array(logits)
    y_true = np.zeros(len(z))
    y_true[cls] = 1.0
    long_way = softmax_ce_grad_long(y_true, z)
    shortcut = softmax_cross_entropy_grad(y_true, z)
    return {
        "p": softmax(z),
        "y": y_true,
        "loss": softmax_cross_entropy(y_true, z),
        "long": long_way,
        "short": shortcut,
        "rel": finite_diff.relative_error(long_way, shortcut),
    }


@cache.data(show_spinner=False, max_entries=256)
def softmax_section(logits: tuple[float, ...], cls: int) -> dict:
    """The numbers of `softmax_view` and bar charts of (p, y) and of the two gradients (Vega-Lite dicts)."""
    sv = softmax_view(logits, cls)
    k = len(logits)
    names = [f"class {i + 1}" for i in range(k)]
    p_names, g_names = ["softmax p", "target y (one-hot)"], ["long way: Jᵀ · (−y / p)", "shortcut: p − y"]
    probs = pd.DataFrame(
        {
            "class": names * 2,
            "value": np.concatenate([sv["p"], sv["y"]]),
            "series": [p_names[0]] * k + [p_names[1]] * k,
        }
    )
    grads = pd.DataFrame(
        {
            "class": names * 2,
            "value": np.concatenate([sv["long"], sv["short"]]),
            "series": [g_names[0]] * k + [g_names[1]] * k,
        }
    )
    sv["prob_spec"] = charts.vega_spec(
        charts.grouped_bars(probs, "class", "value", "series", y_title="probability", group_domain=p_names)
    )
    sv["grad_spec"] = charts.vega_spec(
        charts.grouped_bars(grads, "class", "value", "series", y_title="∂L/∂z", group_domain=g_names)
    )
    return sv


@st.fragment
def softmax_stage() -> None:
    """Section 2: the classes, the true class and the logits, and what they change."""
    top = st.container(horizontal=True, gap="medium", vertical_alignment="center")  # one block
    k = state.slider("k", "Number of classes", 3, MAX_CLASSES, 3, container=top, on_change=_clamp_class)
    true_class = state.select(
        "cls",
        "True class",
        [str(i) for i in range(1, k + 1)],
        "1",
        radio=True,
        container=top,
        help="The one-hot target y has its 1 at this class.",
    )
    top.button(
        "Random logits",
        key="losses.random",
        icon=":material/casino:",
        on_click=_random_logits,
        help="Draw new logits (and a true class) to try the check on.",
    )
    zrow = st.container(horizontal=True, gap="medium")  # one block for the row of logits
    logits = [
        state.slider(
            f"z{i + 1}",
            f"Logit z{i + 1}",
            -LOGIT_RANGE,
            LOGIT_RANGE,
            LOGIT_DEFAULTS[i],
            step=0.1,
            container=zrow,
        )
        for i in range(k)
    ]
    logit_key = tuple(float(v) for v in logits)
    sv = softmax_section(logit_key, int(true_class) - 1)
    b1, b2 = st.columns(2, gap="large")
    with b1:
        draw_chart(titled(sv["prob_spec"], "Softmax probabilities p"))
        st.caption(f"Cross-entropy loss −log p{true_class} = **{fmt(sv['loss'], 4)}**.")
    with b2:
        draw_chart(titled(sv["grad_spec"], "Gradient ∂L/∂z = p − y"))
        st.caption(
            "Negative bar: the true class's logit is pushed up; positive bars: the others are pushed down, "
            "each in proportion to its probability."
        )
    c = int(true_class) - 1
    check_badge(
        f"∂L/∂z: chain rule through the softmax Jacobian vs p − y ({k} components)",
        sv["long"][c],
        sv["short"][c],
        sv["rel"],
        a_name=f"long way, z{true_class}",
        b_name=f"p − y, z{true_class}",
        note="Long way: "
        + ", ".join(fmt(v, 4) for v in sv["long"])
        + " · shortcut: "
        + ", ".join(fmt(v, 4) for v in sv["short"])
        + ". Relative error over the whole vector. "
        + thresholds_caption(),
    )


softmax_stage()

with st.expander("Why they are equal: the chain rule, written out", icon=":material/calculate:"):
    st.latex(
        r"\frac{\partial L}{\partial z_j} = \sum_i \frac{\partial L}{\partial p_i}\,"
        r"\frac{\partial p_i}{\partial z_j} = \sum_i \Bigl(-\frac{y_i}{p_i}\Bigr)\, p_i(\delta_{ij} - p_j)"
        r" = -y_j + p_j \sum_i y_i = p_j - y_j"
    )
    st.markdown(
        "The softmax Jacobian is J = diag(p) − p pᵀ; multiplying its transpose by ∂L/∂p = −y/p "
        "cancels every 1/p, and Σᵢ yᵢ = 1 for a one-hot target. What is left is p − y: cheap, and "
        "with no division by a probability that could underflow to 0 — which is why frameworks fuse "
        "softmax and cross-entropy into one operation on the logits."
    )

# -- 3. numerical stability -----------------------------------------------------------------------
st.divider()
st.subheader("Numerical stability: BCE from probabilities vs from logits")
st.markdown(
    "Computing σ(z) first and then taking logs — the naive way — fails for large |z|: σ(z) rounds to exactly "
    "1.0 and log(1 − σ(z)) becomes log 0. The logits form max(z, 0) − z·y + log(1 + e^(−|z|)) never "
    "rounds a probability and stays exact."
)
st.latex(
    r"\underbrace{-\bigl[y\log\sigma(z) + (1-y)\log(1-\sigma(z))\bigr]}_{\text{naive}}"
    r"\quad\text{vs}\quad \underbrace{\max(z, 0) - z\,y + \log\bigl(1 + e^{-|z|}\bigr)}_{\text{from logits}}"
)


def stability_view(y: float) -> dict:
    """The naive and stable BCE over z ∈ [−50, 50], where the naive one breaks, and a few sample values."""
    r = bce_stability(y, Z_GRID)
    zt = np.array(Z_TABLE)
    return {
        "report": r,
        "z_table": zt,
        "naive_table": bce_naive_from_logit(y, zt),
        "stable_table": bce_from_logits(y, zt),
    }


@cache.data(show_spinner=False, max_entries=8)
def stability_section(y: float) -> dict:
    """The numbers of `stability_view` and naive vs stable BCE on a log axis, breakdown marked (Vega-Lite)."""
    out = stability_view(y)
    rep = out["report"]
    naive, stable = "naive: σ(z), then log", "from logits (stable)"
    plot_naive = np.where(rep.naive > 0, rep.naive, np.nan)  # inf, NaN and exact 0 cannot sit on a log axis
    df = pd.concat(
        [
            pd.DataFrame({"z": rep.z, "loss": rep.stable, "computed": stable}),
            pd.DataFrame({"z": rep.z, "loss": plot_naive, "computed": naive}),
        ],
        ignore_index=True,
    )
    top = [
        charts.lines(
            df,
            "z",
            "loss",
            "computed",
            x_title="logit z",
            y_title="BCE loss (log scale)",
            log_y=True,
            color_domain=[stable, naive],
            height=260,
        )
    ]
    err = pd.DataFrame({"z": rep.z, "relative error": np.clip(rep.rel_err, REL_FLOOR, 1.0)})
    bottom = [
        charts.lines(
            err,
            "z",
            "relative error",
            x_title="logit z",
            y_title="naive's relative error",
            log_y=True,
            y_domain=[REL_FLOOR, 2.0],
            height=150,
        ),
        charts.hrule(rep.tolerance, f"{rep.tolerance:.0e}"),
    ]
    for lo, _hi, kind in rep.broken:
        mark = charts.side_rule(
            lo, f"naive = {kind} from z = {lo:.1f}", charts.PALETTE[1], label_y=12 if y > 0.5 else 240
        )  # away from the curve's high end
        top.append(mark)
        bottom.append(charts.side_rule(lo, "", charts.PALETTE[1]))
    both = charts.alt.vconcat(charts.alt.layer(*top), charts.alt.layer(*bottom))
    out["spec"] = charts.vega_spec(charts.fit_width(both))
    return out


@st.fragment
def stability_stage() -> None:
    """Section 3: the label y and the naive-vs-stable comparison it changes."""
    stab_y = state.select("label", "Label y", ["1", "0"], "1", radio=True)

    sv2 = stability_section(float(stab_y))
    rep = sv2["report"]
    s1, s2 = st.columns([3, 2], gap="large")
    with s1:
        draw_chart(titled(sv2["spec"], "Naive against stable formula"))
    with s2:
        lines = []
        for lo, hi, kind in rep.broken:
            what = (
                "NaN: y·log σ(z) is fine, but (1 − y)·log(1 − σ(z)) = 0 · (−∞)"
                if kind == "nan"
                else "+∞: log(1 − σ(z)) = log 0 = −∞"
            )
            lines.append(f"- **Breaks for z ≥ {lo:.1f}** (to {hi:g}): the naive form returns {what}.")
        if rep.lost_above is not None:
            lines.append(
                f"- Already **wrong in the digits from z ≈ {rep.lost_above:.1f}**: relative error above "
                f"{rep.tolerance:.0e}, as 1 − σ(z) keeps only a few significant bits."
            )
        if rep.lost_below is not None:
            lines.append(
                f"- And **for z ≤ {rep.lost_below:.1f}** it is inaccurate too, then exactly 0 where the "
                "true loss is about eᶻ: log(1 − σ(z)) = log 1 = 0 once σ(z) < 2⁻⁵³."
            )
        if not rep.broken:
            lines.append("- The naive form stays finite on this range.")
        st.markdown("\n".join(lines))
        st.caption(
            f"σ(z) = 1/(1 + e^(−z)) rounds to exactly 1.0 once e^(−z) < 2⁻⁵³, i.e. for z > 53·ln 2 ≈ "
            f"{SIGMOID_ROUNDS_TO_ONE:.2f}. Both curves come from `core.losses`; the naive one keeps its "
            "inf/NaN (drawn as gaps) and never raises a warning. Lower chart: how far the naive value is "
            "from the stable one, relative (exact agreement drawn at 1e-17)."
        )
    table = "| z | naive | from logits |\n|---|---|---|\n" + "\n".join(
        f"| {z:g} | `{fmt(a, 4)}` | `{fmt(b, 4)}` |"
        for z, a, b in zip(sv2["z_table"], sv2["naive_table"], sv2["stable_table"], strict=True)
    )
    with st.expander(f"Sample values, y = {stab_y}", icon=":material/table:"):
        st.markdown(table)


stability_stage()

show_code(
    softmax_cross_entropy_grad,
    softmax_ce_grad_long,
    softmax_jacobian,
    loss_curve,
    bce_naive_from_logit,
    bce_from_logits,
)

from ui.challenge import challenge_panel

challenge_panel("losses")
