"""Activations: each function and its derivative, where the derivative saturates, checked numerically."""

from ui import cache
from ui.shell import ensure_entry

ensure_entry()


import numpy as np
import streamlit as st

from core import finite_diff
from core.activations import ACTIVATIONS, saturation_intervals
from core.gradient_check import activation_check
from ui import stepper as sp
from ui import wording
from ui.charts.functions import drawn_rows
from ui.charts.spec import robust_domain
from ui.layout import stage_chart, stage_control
from ui.navigation import page_by_url
from ui.shell import check_level, fmt, header, show_code, thresholds_caption
from ui.state import UrlState, follow_outside_fragment, stop_ends_the_page, stop_page
from ui.stepper import stepper

ARTICLE_FIVE = ["sigmoid", "tanh", "relu", "leaky_relu", "gelu"]  # the article's plots, in its order
N_POINTS = 300  # even: the symmetric grid never contains x = 0, the kink of ReLU, leaky ReLU and ELU
SATURATION = 0.01  # shade where |f′| < 1 % of its peak
H = 1e-5  # central-difference step of the check
F_AXIS = (-3.0, 3.0)  # f(x) axis limits: ReLU-like curves keep rising, the S-curves stay readable
# Each activation keeps its palette colour and dash (its place in the registry) whichever are shown.
STYLES = {k: i for i, k in enumerate(ACTIVATIONS)}
PEAK_LABELS = {"sigmoid": "max ¼"}
XMAX = (2, 20, 8)  # the x range ± (the link's `xmax`): lowest, highest, default
RANGES = tuple(range(XMAX[0], XMAX[1] + 1))  # the stepper's positions
FINE = np.linspace(-XMAX[1], XMAX[1], 4000)  # the drawn curves' grid (even count: no x = 0, as N_POINTS)
CHART_HEIGHT = 300

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
    """f, f′, saturated stretches and the derivative check of one activation on the grid of [−half, half],
    from core."""
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


@cache.data(show_spinner=False, max_entries=64)
def peaks(keys: tuple[str, ...], all_params: tuple) -> tuple[float, ...]:
    """Each activation's peak |f′| for its hyperparameters (from core): it does not depend on the x range."""
    return tuple(
        ACTIVATIONS[k].peak_grad_for(**dict(items)) for k, items in zip(keys, all_params, strict=True)
    )


# -- the x range stepper --------------------------------------------------------------------------------
def _fine_curve(key: str, items: tuple, f_domain: list[float], df_domain: list[float]) -> dict:
    """f and f′ over the widest range on a fine grid (`FINE`, even: no x = 0), keeping only the samples a
    line needs to stay within a quarter pixel of every one at the NARROWEST range's axes (ui.charts'
    drawn_rows): a wider range only shrinks the distances, so one static line per curve is exact at every
    position, each with its own x domain."""
    act = ACTIVATIONS[key]
    p = dict(items)
    f, df = act.fn(FINE, **p), act.grad(FINE, **p)
    near = (-XMAX[0], XMAX[0])
    keep_f = drawn_rows(FINE, f, near, f_domain)
    keep_df = drawn_rows(FINE, df, near, df_domain)
    return {"f": (FINE[keep_f], f[keep_f], df[keep_f]), "df": (FINE[keep_df], df[keep_df])}


def _f_domain(results: dict) -> list[float]:
    """The f(x) axis at one range: every curve's values, clipped to `F_AXIS` (ReLU-like curves keep rising)."""
    f_all = np.concatenate([r["f"] for r in results.values()])
    return [max(float(np.min(f_all)), F_AXIS[0]) - 0.25, min(float(np.max(f_all)), F_AXIS[1]) + 0.25]


def _spans(bands: list[tuple[float, float]]) -> str:
    return ", ".join(f"{a:.2f} to {b:.2f}" for a, b in bands) or "nowhere"


_ICONS = {"green": "✓", "orange": "⚠", "red": "✗"}
_WORDS = {"green": "agree", "orange": "suspicious", "red": "disagree"}


def _check_lines(results: dict) -> list[str]:
    """One line per activation: its worst grid point, analytic f′ against the central difference
    (Markdown subset: ui.stepper.paragraphs)."""
    lines = []
    for k, r in results.items():
        c = r["check"].worst
        level = check_level(c.score)
        lines.append(
            f"**{_name(k)}, worst of {len(r['check'].rows)} points** · **{_ICONS[level]} {_WORDS[level]}** · "
            f"f′({c.value:.3f}): `{fmt(c.analytic)}` · central: `{fmt(c.numeric)}` · relative error "
            f"`{c.score:.1e}`"
        )
    return lines


def _caption(keys: tuple[str, ...]) -> str:
    shaded = (
        "Shaded on f′, and in the strip below it" if len(keys) == 1 else "The strip below f′, one row each"
    )
    return (
        "Hover either chart: a dot on every curve of both follows your pointer, and on f(x) a dashed tangent "
        "whose slope is the height of f′(x) there (drawn in the browser, no rerun). "
        f"{shaded}: where |f′| is under 1 % of its peak, so a gradient passing through is cut at least a "
        "hundredfold — the function is saturated there."
    )


CLIPPED = "The f(x) axis stops at 3: ReLU-like curves keep rising beyond it."


@cache.data(show_spinner=False, max_entries=32)
def range_blocks(keys: tuple[str, ...], all_params: tuple) -> list[dict]:
    """Everything the x range changes, at every range of `RANGES` (ui.stepper blocks): f and f′ side by
    side with the saturated stretches and the peaks, what the chart shows, and the derivative check on
    that range's grid. Computed once per set of activations and hyperparameters, for everyone (colours
    travel as light/dark pairs: the browser picks the theme it shows)."""
    per = [{k: analyse(k, half, items) for k, items in zip(keys, all_params, strict=True)} for half in RANGES]
    f_domains = [_f_domain(results) for results in per]
    df_domains = []
    for results in per:
        lo, hi = robust_domain(np.concatenate([r["df"] for r in results.values()]))
        df_domains.append([lo, hi])
    x_domains = [(-half, half) for half in RANGES]
    names = [_name(k) for k in keys]
    f_lines, df_lines, bands, marks = [], [], [], []
    for i, (k, items) in enumerate(zip(keys, all_params, strict=True)):
        style = STYLES[k]
        c = _fine_curve(k, items, f_domains[0], df_domains[0])
        f_lines.append(sp.xy_line(_name(k), *c["f"][:2], slope=c["f"][2], colour=style))
        df_lines.append(sp.xy_line(_name(k), *c["df"], colour=style))
        spans = [results[k]["bands"] for results in per]
        tip = f"{_name(k)} saturated"
        bands.append(sp.xy_band("", spans, lane=i, colour=style, tip=tip))
        if len(keys) == 1:
            bands.append(sp.xy_band("", spans, colour=style, tip=tip))
        act = ACTIVATIONS[k]
        if act.peak_at is not None and not items:
            inside = [-half <= act.peak_at <= half for half in RANGES]
            marks.append(
                sp.xy_points(
                    "",
                    [[(act.peak_at, act.peak_grad)] if ok else [] for ok in inside],
                    tips=[[f"{_name(k)}: peak f′ = {act.peak_grad:.4g} at x = {act.peak_at:.4g}"]],
                    labels=[[_peak_label(k)]],
                    colour=style,
                    shape="diamond",
                )
            )
    listed = ", ".join(names)
    f_alt, df_alt, clipped, checks = [], [], [], []
    for half, results, (y0, y1), (d0, d1) in zip(RANGES, per, f_domains, df_domains, strict=True):
        f_top = max(float(np.max(r["f"])) for r in results.values())
        f_alt.append(
            f"Line chart of f(x) for {listed}, x from −{half} to {half}; the f axis runs from {y0:.2f} to "
            f"{y1:.2f}" + (", clipping the curves that rise above 3." if f_top > F_AXIS[1] else ".")
        )
        sat = "; ".join(f"{_name(k)}: {_spans(r['bands'])}" for k, r in results.items())
        peak = "; ".join(
            f"{_name(k)} {_peak_label(k)} at x = {ACTIVATIONS[k].peak_at:g}"
            for k, items in zip(keys, all_params, strict=True)
            if ACTIVATIONS[k].peak_at is not None and not items
        )
        df_alt.append(
            f"Line chart of f′(x) for {listed}, x from −{half} to {half}, f′ from {d0:.2f} to {d1:.2f}. "
            f"Saturated (|f′| under 1 % of its peak): {sat}." + (f" Peaks: {peak}." if peak else "")
        )
        clipped.append(sp.paragraphs(CLIPPED, small=True) if f_top > F_AXIS[1] else [])
        checks.append(sp.paragraphs(_check_lines(results)))
    x_title = "x"
    f_chart = sp.xy(
        "Each activation f(x)",
        f_lines,
        x_title=x_title,
        y_title="f(x)",
        x_domains=x_domains,
        y_domains=f_domains,
        alt=f_alt,
        height=CHART_HEIGHT,
        hover="activations",
    )
    df_chart = sp.xy(
        "… and its derivative f′(x)",
        df_lines,
        x_title=f"x   (strip: saturated, |f′| < {SATURATION:.0%} of its peak)",
        y_title="f′(x)",
        x_domains=x_domains,
        y_domains=df_domains,
        bands=bands,
        points=marks,
        lanes=names,
        alt=df_alt,
        height=CHART_HEIGHT,
        hover="activations",
    )
    return [
        sp.row(f_chart, df_chart),
        sp.text(sp.paragraphs(_caption(keys), small=True), per_frame=False, small=True),
        sp.text(clipped, per_frame=True, small=True),
        sp.heading("Check: analytic f′ against central differences"),
        sp.text(checks, per_frame=True, border=True),
    ]


@st.fragment
@stop_ends_the_page("activations")
def body():
    """Every control and everything it changes: a widget here reruns only this part of the page (not the
    sidebar, the header, the code or the challenge below). The x range reruns nothing: its stepper holds
    every range at once and the browser draws a step (ui.stepper)."""
    # The activations, then one row block with each hyperparameter (st.columns would be a row plus a
    # block per column, all re-sent on every step of a slider).
    keys = state.multiselect(
        "acts",
        "Activations to overlay",
        list(ACTIVATIONS),
        ARTICLE_FIVE,
        format_func=_name,
        help="The default is the article's five. Add ELU, softplus or SiLU (swish).",
    )
    follow_outside_fragment("activations.acts", tuple(keys))  # the code below shows their derivatives

    params: dict[str, dict[str, float]] = {k: {} for k in keys}
    if any(ACTIVATIONS[k].params for k in keys):
        row = st.container(horizontal=True, gap="medium")
        for k in (k for k in ACTIVATIONS if k in keys):  # one slider per hyperparameter, from the registry
            for name, (d, lo, hi) in ACTIVATIONS[k].params.items():
                s = ACTIVATIONS[k].sliders[name]
                params[k][name] = state.slider(
                    s.url, s.label, lo, hi, d, step=s.step, container=row, help=s.help
                )
    param_items = tuple(tuple(sorted(params[k].items())) for k in keys)

    # Every x range at once: the browser draws a step of it without asking the server (ui.stepper).
    with stage_control(), stage_chart():  # the stepper is both: the x range and the charts it draws
        stepper(
            "activations.ranges",
            url=state,
            name="xmax",
            label="x range ±",
            options=RANGES,
            default=XMAX[2],
            values=[str(half) for half in RANGES],
            help="The plotted (and checked) interval is [−x, x]. The article plots ±5. Arrow keys step; "
            "Home and End jump.",
            blocks=range_blocks(tuple(keys), param_items) if keys else [],
        )
    if not keys:
        st.info("Pick at least one activation above.", icon=":material/touch_app:")
        stop_page()

    peak = dict(zip(keys, peaks(tuple(keys), param_items), strict=True))
    rows = []
    for k in keys:
        act = ACTIVATIONS[k]
        where = wording.PEAK_TEXT[k]
        if k == "elu":  # the registry's text covers both cases; say the one on screen
            where = "x > 0" if params[k]["alpha"] <= 1 else "x → 0⁻"
        rng = (
            act.range_text.replace("α", f"{params[k]['alpha']:g}") if "alpha" in params[k] else act.range_text
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
    return keys


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
