"""Activations: each function and its derivative, where the derivative saturates, checked numerically."""

from ui import cache
from ui.shell import ensure_entry

ensure_entry()

import numpy as np
import pandas as pd
import streamlit as st

from core import finite_diff
from core.activations import ACTIVATIONS, saturation_intervals
from core.gradient_check import activation_check
from ui import charts, wording
from ui.layout import draw_chart, stage_chart, stage_control, titled
from ui.navigation import page_by_url
from ui.shell import check_box, check_text, header, show_code, thresholds_caption
from ui.state import UrlState, follow_outside_fragment, stop_ends_the_page, stop_page

ARTICLE_FIVE = ["sigmoid", "tanh", "relu", "leaky_relu", "gelu"]  # the article's plots, in its order
N_POINTS = 300  # even: the symmetric grid never contains x = 0, the kink of ReLU, leaky ReLU and ELU
SATURATION = 0.01  # shade where |f′| < 1 % of its peak
H = 1e-5  # central-difference step of the check
F_AXIS = (-3.0, 3.0)  # f(x) axis limits: ReLU-like curves keep rising, the S-curves stay readable
# Each activation keeps its palette colour and dash (its place in the registry) whichever are shown.
STYLES = {k: i for i, k in enumerate(ACTIVATIONS)}
PEAK_LABELS = {"sigmoid": "max ¼"}

header(
    "Activations",
    "An activation function bends a layer's output; its derivative decides how much gradient flows back "
    "through it. Backpropagation multiplies one f′ per layer, so where f′ is tiny (the function is "
    "*saturated*) almost nothing gets through. Pick activations to overlay, hover the charts, and see "
    "where each one stops passing gradient.",
    r"\frac{\partial \mathcal{L}}{\partial z} = \frac{\partial \mathcal{L}}{\partial a}\, f'(z), "
    r"\qquad a = f(z)",
)

state = UrlState("activations")


def _name(key: str) -> str:
    return ACTIVATIONS[key].name


def analyse(key: str, half: int, param_items: tuple[tuple[str, float], ...]) -> dict:
    """f, f′, saturated stretches and the derivative check of one activation, from core."""
    act = ACTIVATIONS[key]
    p = dict(param_items)
    xs = np.linspace(-half, half, N_POINTS)
    return {
        "x": xs,
        "f": act.fn(xs, **p),
        "df": act.grad(xs, **p),
        "bands": saturation_intervals(act, xs, SATURATION, **p),
        "check": activation_check(act, xs, h=H, frac=SATURATION, **p),
    }


def _peak_label(key: str) -> str:
    act = ACTIVATIONS[key]
    return PEAK_LABELS.get(key, f"max {act.peak_grad:.3g}")


@cache.data(show_spinner=False, max_entries=16)
def chart_template(keys: tuple[str, ...]) -> dict:
    """The f / f′ / saturation chart as a Vega-Lite template, once per set of activations: the x range,
    the hyperparameters and everything they change arrive as data (`page_data`), so a step of a slider
    updates the chart in place."""
    chart = charts.function_and_derivative(
        "curve",
        series=[_name(k) for k in keys],
        styles=[STYLES[k] for k in keys],
        bands="bands",
        peaks="peaks",
        f_title="f(x)",
        df_title="f′(x)",
        band_title=f"saturated, |f′| < {SATURATION:.0%} of its peak",
        height=300,
        shade_panel=len(keys) == 1,
    )
    return charts.vega_spec(chart)


@cache.shared(show_spinner=False, max_entries=128)
def page_data(keys: tuple[str, ...], half: int, all_params: tuple) -> dict:
    """`analyse` for each activation, and the rows of the chart's slots (once per setting)."""
    results = {k: analyse(k, half, items) for k, items in zip(keys, all_params, strict=True)}
    frames, band_rows, peak_rows = [], [], []
    for k, items in zip(keys, all_params, strict=True):
        r = results[k]
        frames.append(pd.DataFrame({"x": r["x"], "f": r["f"], "df": r["df"], "series": _name(k)}))
        band_rows += [{"series": _name(k), "x0": a, "x1": b} for a, b in r["bands"]]
        act = ACTIVATIONS[k]
        if act.peak_at is not None and not items and -half <= act.peak_at <= half:
            peak_rows.append(
                {"series": _name(k), "x": act.peak_at, "y": act.peak_grad, "label": _peak_label(k)}
            )
    data = pd.concat(frames, ignore_index=True)
    f_all = data["f"].to_numpy()
    y_domain = [max(float(np.min(f_all)), F_AXIS[0]) - 0.25, min(float(np.max(f_all)), F_AXIS[1]) + 0.25]
    slots = {
        **charts.curve_slots(data, x_domain=(-half, half), y_domain=y_domain, simplify=True),
        "bands": charts.arrow_table(pd.DataFrame(band_rows, columns=["series", "x0", "x1"])),
        "peaks": charts.arrow_table(pd.DataFrame(peak_rows, columns=["series", "x", "y", "label"])),
    }
    return {"results": results, "slots": slots}


@cache.data(show_spinner=False, max_entries=64)
def peaks(keys: tuple[str, ...], all_params: tuple) -> tuple[float, ...]:
    """Each activation's peak |f′| for its hyperparameters (from core): it does not depend on the x range."""
    return tuple(
        ACTIVATIONS[k].peak_grad_for(**dict(items)) for k, items in zip(keys, all_params, strict=True)
    )


@st.fragment
@stop_ends_the_page("activations")
def body():
    """Every control and everything it changes: a widget here reruns only this part of the page (not the
    sidebar, the header, the code or the challenge below). The x range reruns less still: only
    `by_range`, the part that depends on it, drawn into the slots this leaves."""
    # The activations, then one row block with the x range and each hyperparameter (st.columns would be
    # a row plus a block per column, all re-sent on every step of a slider).
    stage = stage_control()
    keys = state.multiselect(
        "acts",
        "Activations to overlay",
        list(ACTIVATIONS),
        ARTICLE_FIVE,
        format_func=_name,
        container=stage,
        help="The default is the article's five. Add ELU, softplus or SiLU (swish).",
    )
    row = stage.container(horizontal=True, gap="medium")
    range_slot = row.container()  # the x range slider, drawn by by_range
    follow_outside_fragment("activations.acts", tuple(keys))  # the code below shows their derivatives
    if not keys:
        by_range((), (), range_slot, None, None, None)  # the x range stays on screen and in the link
        st.info("Pick at least one activation above.", icon=":material/touch_app:")
        stop_page()

    params: dict[str, dict[str, float]] = {k: {} for k in keys}
    for k in (k for k in ACTIVATIONS if k in keys):  # one slider per hyperparameter, from the registry
        for name, (d, lo, hi) in ACTIVATIONS[k].params.items():
            s = ACTIVATIONS[k].sliders[name]
            params[k][name] = state.slider(s.url, s.label, lo, hi, d, step=s.step, container=row, help=s.help)

    param_items = tuple(tuple(sorted(params[k].items())) for k in keys)
    peak = dict(zip(keys, peaks(tuple(keys), param_items), strict=True))

    left, right = st.columns([3, 2], gap="large")
    chart_slot = stage_chart(left)  # the chart, drawn by by_range
    caption_slot = left.container()  # what the chart shows at this range, drawn by by_range

    with right:
        rows = []
        for k in keys:
            act = ACTIVATIONS[k]
            where = wording.PEAK_TEXT[k]
            if k == "elu":  # the registry's text covers both cases; say the one on screen
                where = "x > 0" if params[k]["alpha"] <= 1 else "x → 0⁻"
            rng = (
                act.range_text.replace("α", f"{params[k]['alpha']:g}")
                if "alpha" in params[k]
                else act.range_text
            )
            rows.append(
                f"| **{act.name}** | {rng} | **{peak[k]:.4g}** at {where} | {act.used_in.split(': ', 1)[-1]} |"
            )
        table = "| | Range | Peak f′ | Used in |\n|---|---|---|---|\n" + "\n".join(rows)
        if "sigmoid" in keys:
            note = (
                "**Sigmoid's slope never exceeds ¼** (at x = 0). Ten sigmoid layers multiply ten such factors: "
                "the gradient reaching the first layer is at most (¼)¹⁰ ≈ 10⁻⁶ of what left the loss, before "
                "the weights even enter. That is the vanishing-gradient problem."
            )
        else:
            note = (
                "Backprop multiplies one f′ per layer: a peak slope below 1 (sigmoid's ¼) shrinks the "
                "gradient geometrically with depth — the vanishing-gradient problem."
            )
        st.markdown(f"### At a glance\n\n{table}\n\n{note}")  # one element: they change together

    st.subheader("Check: analytic f′ against central differences")
    check_slot = st.container()  # the derivative checks, drawn by by_range

    by_range(tuple(keys), param_items, range_slot, chart_slot, caption_slot, check_slot)
    return keys


@st.fragment
def by_range(
    keys: tuple[str, ...], param_items: tuple, range_slot, chart_slot, caption_slot, check_slot
) -> None:
    """What the x range changes, in the slots `body` left for it: the x range slider, the chart with its
    caption and the derivative checks (the grid is the plotted interval). A step of it reruns only this."""
    half = state.slider(
        "xmax",
        "x range ±",
        2,
        20,
        8,
        container=range_slot,
        help="The plotted (and checked) interval is [−x, x]. The article plots ±5.",
    )
    if not keys:
        return
    view = page_data(keys, int(half), param_items)
    results = view["results"]
    f_top = max(float(np.max(results[k]["f"])) for k in keys)

    spec = charts.fill_slots(chart_template(keys), **view["slots"])
    draw_chart(titled(spec, "Each activation f(x) and its derivative f′(x)"), container=chart_slot)
    clipped = (
        " The f(x) axis stops at 3: ReLU-like curves keep rising beyond it." if f_top > F_AXIS[1] else ""
    )
    shaded = "Shaded on f′, and in the strip below" if len(keys) == 1 else "The strip below, one row each"
    caption_slot.caption(
        "Hover either chart: a dashed tangent on every f and a dot on every f′ follow your pointer "
        "(in the browser, no rerun) — the tangent's slope is the dot's height. "
        f"{shaded}: where |f′| is under 1 % of its peak, so a gradient passing through is cut at "
        f"least a hundredfold — the function is saturated there.{clipped}"
    )

    lines = []
    for k in keys:  # one line per activation, all in one box: one element however many are shown
        c = results[k]["check"].worst
        lines.append(
            check_text(
                f"{_name(k)}, worst of {len(results[k]['check'].rows)} points",
                c.analytic,
                c.numeric,
                c.score,
                a_name=f"f′({c.value:.3f})",
                b_name="central",
                one_line=True,
            )[1]
        )
    check_box(lines, container=check_slot)


keys = body()

# Below the stage: nothing here depends on its sliders, so the fragment's reruns (a step of the x range)
# do not resend it; a change of the activations reruns the whole page (follow_outside_fragment).
st.caption(
    f"Every plotted point: the registry's f′ against (f(x+h) − f(x−h))/2h with h = {H:g}; the badge shows the "
    f"worst point. The grid of {N_POINTS} points is symmetric with an even count, so it never lands on "
    "x = 0, where ReLU, leaky ReLU and ELU (α ≠ 1) have a kink and a central difference would average two "
    "slopes. Inside saturated stretches f′ is tiny and the difference quotient is mostly round-off, so "
    "the error there is measured against 1 % of the peak instead of against f′ itself. "
    + thresholds_caption()
)
vg = page_by_url("vanishing_gradients")
if vg.exists:
    st.page_link(vg.file, label="Vanishing gradients, layer by layer", icon=vg.icon)
else:
    st.markdown(f"[Vanishing gradients, layer by layer →](/{vg.url_path})")
with st.expander("Formulas", icon=":material/functions:"):
    st.markdown(
        "\n\n".join(
            f"$$\n{ACTIVATIONS[k].formula}\n$$\n\n$$\n{ACTIVATIONS[k].grad_formula}\n$$" for k in keys
        )
    )

show_code(*(ACTIVATIONS[k].grad for k in keys), activation_check, finite_diff.derivative)

from ui.challenge import challenge_panel

challenge_panel("activations")
