"""Gradients: partial derivatives on a 2-D loss surface, the gradient as steepest ascent, directional derivatives."""

from ui import cache
from ui.shell import ensure_entry

ensure_entry()

import numpy as np
import pandas as pd
import streamlit as st

from core import finite_diff, gradient_check, surfaces
from core.formatting import short_number
from core.surfaces import SURFACES
from ui import charts, geometry, palette
from ui.layout import draw_chart, stage_chart, stage_control, titled
from ui.shell import check_badge, header, show_code, thresholds_caption
from ui.state import UrlState, follow_outside_fragment
from ui.text import small

PAGE = "gradients"
H = 1e-5  # the article's step for the numerical partials
GRID_N = 40  # heatmap cells per axis
FIELD_N = 10  # arrows per axis
FIELD_LEN = 0.8  # arrow length, in cells of the arrow grid
GRAD_LEN = 2.2  # length of the highlighted ∇L arrow, same unit
U_LEN = 1.7  # length of the direction-u arrow
LABEL_GAP = 0.55  # a label's distance beyond its arrow's tip, in cells
LABEL_ROOM = 0.4  # room kept between a label and the plot's edge, in cells
SLICE_N = 201
ANGLES = np.arange(0, 361, 1)  # degrees, for the directional-derivative sweep
GRAD_COLOR = palette.ON_MAP["gradient"]
U_COLOR = palette.ON_MAP["direction"]
MIN_COLOR = palette.ON_MAP["minimum"]  # readable on both themes

header(
    "Gradients",
    "A loss with two parameters has a **partial derivative** for each: the slope of the loss when you "
    "nudge one parameter and hold the other still. Put side by side they form the **gradient** ∇L, a "
    "vector that points where the loss climbs fastest — so training steps the opposite way. Pick a "
    "surface and a point; everything below is computed at that point.",
    r"\nabla L(w_1, w_2) = \left( \frac{\partial L}{\partial w_1},\; \frac{\partial L}{\partial w_2} \right)"
    r"\qquad D_{\mathbf u} L = \nabla L \cdot \mathbf u = \lVert \nabla L \rVert \cos\varphi",
)

state = UrlState(PAGE)


def _surface_name(key: str) -> str:
    return SURFACES[key].name


def _reset_point() -> None:
    start = SURFACES[state.get("surface")].default_start
    state.apply({"w1": float(start[0]), "w2": float(start[1])})


def _step(lo: float, hi: float) -> float:
    return 0.05 if hi - lo <= 10 else 0.1


def _keep_inside(name: str, lo: float, hi: float, default: float) -> None:
    """A value left over from another surface's range would break the slider: use the default."""
    key = state.key(name)
    if key in st.session_state and not lo <= st.session_state[key] <= hi:
        state.set(name, default)


def _num(x: float) -> str:
    """A short number with a typographic minus, for metrics and labels."""
    return short_number(x, 6)


def _set_angle(angle: float) -> None:
    state.set("angle", int(round(angle)) % 360)


@cache.data(show_spinner=False, max_entries=16)
def surface_picture(key: str) -> dict:
    """The heatmap grid and the field of downhill arrows (both depend on the surface only)."""
    W1, W2, Z = surfaces.grid(key, GRID_N)
    heat = pd.DataFrame({"w1": W1.ravel(), "w2": W2.ravel(), "loss": Z.ravel()})
    field = surfaces.gradient_field(key, FIELD_N, FIELD_LEN)
    arrows = pd.DataFrame(
        {
            "x": field["w1"],
            "y": field["w2"],
            "x2": field["w1"] + field["d1"],
            "y2": field["w2"] + field["d2"],
            "norm": field["norm"],
        }
    )
    return {"heat": heat, "arrows": arrows, "cell": field["cell"]}


@cache.data(show_spinner=False, max_entries=256)
def at_point(key: str, w1: float, w2: float) -> dict:
    """Loss, analytic and numeric gradient, steepest ascent and the two axis slices at (w1, w2)."""
    s = SURFACES[key]
    w = np.array([w1, w2])
    (lo1, hi1), (lo2, hi2) = s.domain
    check = gradient_check.check_function(s.value, s.grad, w, h=H)
    g = np.array([row.analytic for row in check.rows])
    theta, norm = surfaces.steepest_ascent(s, w)
    x1 = np.linspace(lo1, hi1, SLICE_N)
    x2 = np.linspace(lo2, hi2, SLICE_N)
    along_w1 = s.grad(np.stack([x1, np.full_like(x1, w2)]))
    along_w2 = s.grad(np.stack([np.full_like(x2, w1), x2]))
    return {
        "L": float(s.value(w)),
        "g": g,
        "numeric": np.array([row.numeric for row in check.rows]),
        "rel": [row.rel_error for row in check.rows],
        "theta": theta,
        "norm": norm,
        "x1": x1,
        "f1": s.f(x1, w2),
        "df1": along_w1[0],
        "x2": x2,
        "f2": s.f(w1, x2),
        "df2": along_w2[1],
    }


@cache.data(show_spinner=False, max_entries=256)
def directional(key: str, w1: float, w2: float, angle: float) -> dict:
    """D_u L at the chosen angle (analytic and by central differences along u) and over all angles."""
    s = SURFACES[key]
    w = np.array([w1, w2])
    check = gradient_check.directional_check(s, w, angle, h=H)
    return {
        "u": surfaces.unit_vector(angle),
        "analytic": check.analytic,
        "numeric": check.numeric,
        "rel": check.rel_error,
        "sweep": surfaces.directional_derivatives(s, w, ANGLES),
    }


@cache.data(show_spinner=False, max_entries=16)
def map_template(key: str) -> dict:
    """The surface map as a Vega-Lite dict, built once per surface: cells and the arrow field inline;
    the point, its ∇L arrow and the u arrow are slots filled on every rerun."""
    pic = surface_picture(key)
    extra = [
        charts.arrow_layers(
            pic["arrows"],
            width=1.6,
            head=45,
            tooltip=[charts.alt.Tooltip("norm", type="quantitative", title="‖∇L‖ here", format=".4g")],
        )
    ]
    outline = palette.ON_MAP["outline"]
    extra += [
        charts.arrow_layers("u", color=U_COLOR, width=3, head=110, outline=outline, labels=True),
        charts.arrow_layers("grad", color=GRAD_COLOR, width=4.5, head=170, outline=outline, labels=True),
        charts.dot_layer("point", color=GRAD_COLOR),
    ]
    return charts.vega_spec(
        charts.surface_map(
            pic["heat"], x="w1", y="w2", value="loss", extra=extra, height=470, domain=SURFACES[key].domain
        )
    )


@cache.data(show_spinner=False, max_entries=1)
def direction_template() -> dict:
    """The directional-derivative-over-angles chart, built once; curve and markers filled per rerun."""
    return charts.vega_spec(
        charts.curve_with_markers(
            "sweep",
            "theta",
            "D",
            "marks",
            x_domain=(0, 360),
            x_title="direction θ of u (degrees)",
            y_title="D_u L = ∇L·u",
            x_ticks=list(range(0, 361, 45)),
            height=300,
        )
    )


# -- the page: static text is drawn here, once per full run; the fragment below fills the slots -----------
# A slider move reruns only the fragment, and only what it writes is sent again: its widgets, the charts,
# the numbers and the checks — not the headings and the explanations around them. (A fragment's writes
# into a container made outside it stay in place there: Streamlit gives each such container one wrapper.)
c1, c2, c3 = stage_control().columns([2.2, 1.4, 1.4], gap="medium")

st.subheader("The surface from above, and which way is downhill")
map_col, map_notes = st.columns([3, 2], gap="large")
map_slot = stage_chart(map_col)
map_notes.markdown(
    f"- **White arrows**: −∇L on a {FIELD_N}×{FIELD_N} grid — the downhill direction, where gradient "
    "descent would step. They are all drawn **the same length** so they stay readable; only their "
    "direction is meaningful (hover a head for ‖∇L‖ there).\n"
    "- **Pink arrow** ∇L at your point: uphill, the direction of steepest ascent (drawn to a fixed length, "
    "shorter near an edge; its components and length are the numbers under the map).\n"
    "- **Amber arrow** u: the direction θ chosen below.\n\n"
    + small(
        "Colour is log₁₀ of the loss above its lowest value on the plot: dark = low, yellow = high. "
        "The arrows cross the colour bands at right angles — the gradient is perpendicular to the level "
        "curves (exactly so when both axes have the same scale)."
    )
)
formula_slot = st.empty()  # the surface's formulas (a surface change reruns the whole page)
numbers_slot = st.container()

st.subheader("Partial derivatives are slopes of slices")
st.markdown(
    f"Hold one parameter fixed and the loss becomes an ordinary function of the other. The slope of that "
    f"slice at your point is the partial derivative. Green: the tangent at the point; hover to move a dashed "
    f"tangent along the slice. Below each slice, the partial derivative along it. Numeric check: central "
    f"differences with h = {H:g} (the article's), e.g. (L(w₁+h, w₂) − L(w₁−h, w₂)) / 2h."
)
slice_slots = st.columns(2, gap="large")
for col, name, other in zip(slice_slots, ("w₁", "w₂"), ("w₂", "w₁"), strict=True):
    col.markdown(f"**L along {name}, with {other} fixed** — its slope is ∂L/∂{name}")
st.caption(
    thresholds_caption() + " The analytic partials are the hand-derived formulas above; the central "
    "differences only evaluate L — two independent computations."
)

st.subheader("Directional derivative: the slope in any direction")
direction_controls, direction_chart = st.columns([2, 3], gap="large")
direction_chart.markdown("**Slope in every direction** — the amber dot is your θ, its height D_u L")


@st.fragment
def body():
    """Every control and everything it changes: a widget here reruns only this part of the page (not the
    sidebar, the header, the static text, the code or the challenge). Drawn inside the direction section's
    left column (its slider and buttons); everything else goes to the slots made above."""
    key = state.select(
        "surface",
        "Loss surface L(w₁, w₂)",
        list(SURFACES),
        "coupled",
        format_func=_surface_name,
        container=c1,
        on_change=_reset_point,
        help="Changing the surface moves the point to that surface's usual starting point.",
    )
    follow_outside_fragment("gradients.surface", key)  # the formulas and the code are the surface's
    surface = SURFACES[key]
    (lo1, hi1), (lo2, hi2) = surface.domain
    start = surface.default_start
    _keep_inside("w1", lo1, hi1, float(start[0]))
    _keep_inside("w2", lo2, hi2, float(start[1]))
    w1 = state.slider(
        "w1",
        "Point w₁",
        float(lo1),
        float(hi1),
        float(start[0]),
        step=_step(lo1, hi1),
        container=c2,
        format="%.2f",
        help="The first parameter of the point where the gradient is taken.",
    )
    w2 = state.slider(
        "w2",
        "Point w₂",
        float(lo2),
        float(hi2),
        float(start[1]),
        step=_step(lo2, hi2),
        container=c3,
        format="%.2f",
        help="The second parameter of the point where the gradient is taken.",
    )
    angle = state.slider(
        "angle",
        "Direction θ (degrees, from the +w₁ axis)",
        0,
        360,
        45,
        step=1,
        help="u = (cos θ, sin θ): 0° points along +w₁, 90° along +w₂.",
    )

    r = at_point(key, float(w1), float(w2))
    pic = surface_picture(key)
    g, numeric = r["g"], r["numeric"]
    d = directional(key, float(w1), float(w2), float(angle))

    # -- the surface from above ------------------------------------------------------------------------
    cell = pic["cell"]

    def _arrow(v: np.ndarray, length: float, label: str) -> dict:
        """An arrow from the point along v, `length` cells long, its label just beyond the tip; shortened
        (to at least a third) when the label would fall off the plot."""
        tip = surfaces.scaled_arrow(v, cell, length)
        beyond = surfaces.scaled_arrow(v, cell, length + LABEL_GAP)
        room = surfaces.scaled_arrow(v, cell, length + LABEL_GAP + LABEL_ROOM)
        k = max(geometry.fit_factor((w1, w2), room, surface.domain), 1 / 3)
        return {
            "x": w1,
            "y": w2,
            "x2": w1 + k * float(tip[0]),
            "y2": w2 + k * float(tip[1]),
            "lx": w1 + k * float(beyond[0]),
            "ly": w2 + k * float(beyond[1]),
            "label": label,
        }

    slots = {
        "u": [_arrow(d["u"], U_LEN, "u")],
        "grad": [_arrow(g, GRAD_LEN, "∇L")] if r["norm"] > 0 else [],
        "point": [{"x": w1, "y": w2, "label": f"({w1:g}, {w2:g}): L = {_num(r['L'])}"}],
    }
    draw_chart(
        titled(charts.fill_slots(map_template(key), **slots), "L(w₁, w₂) from above, −∇L arrows"),
        container=map_slot,
    )

    # -- the numbers at the point ------------------------------------------------------------------------
    with numbers_slot:
        with st.container(horizontal=True, gap="medium"):  # one block, not a column per metric
            st.metric(f"L({w1:g}, {w2:g})", _num(r["L"]))
            st.metric("∂L/∂w₁", _num(g[0]), help="Slope of the loss along w₁ with w₂ held fixed.")
            st.metric("∂L/∂w₂", _num(g[1]), help="Slope of the loss along w₂ with w₁ held fixed.")
            st.metric("‖∇L‖ (steepest slope)", _num(r["norm"]), help="The length of the gradient vector.")
        # Last in their slot, so appearing or not moves no chart and no widget.
        if key == "coupled" and (w1, w2) == (1.0, 1.0):
            st.caption(
                "This is the article's example: `loss_2d(1, 1)` = 6 with ∂L/∂w₁ = 2(1 − 2) + 1 = −1 "
                "and ∂L/∂w₂ = 2(1 − 3) + 1 = −3. Both partials are negative: increasing either weight "
                "lowers the loss."
            )
        if r["norm"] == 0:
            st.info(
                "The gradient is exactly zero here: a stationary point. Every direction is flat to first order.",
                icon=":material/radio_button_checked:",
            )

    # -- partial derivatives as slopes of slices -------------------------------------------------------
    for col, i, name, xs, fs, dfs in (
        (slice_slots[0], 0, "w₁", r["x1"], r["f1"], r["df1"]),
        (slice_slots[1], 1, "w₂", r["x2"], r["f2"], r["df2"]),
    ):
        chart = charts.loss_slice(
            xs,
            fs,
            dfs,
            x0=float(w1 if i == 0 else w2),
            f0=r["L"],
            slope0=float(g[i]),
            x_title=name,
            f_title=f"L along {name}",
            df_title=f"∂L/∂{name}",
            height=230,
        )
        draw_chart(chart, container=col)  # titled by the line above; its axes name the panels
        check_badge(
            f"∂L/∂{name} at ({w1:g}, {w2:g})",
            float(g[i]),
            float(numeric[i]),
            r["rel"][i],
            a_name="analytic",
            b_name=f"central difference (h = {H:g})",
            container=col,
        )

    # -- directional derivative (this fragment's own place: the direction section's left column) --------
    buttons = st.container(horizontal=True)  # one block for the pair
    buttons.button(
        "Along ∇L",
        key=f"{PAGE}.along_gradient",
        on_click=_set_angle,
        args=(r["theta"],),
        icon=":material/north:",
        width="stretch",
        disabled=r["norm"] == 0,
        help="Turn u to the gradient's direction (uphill), rounded to a whole degree.",
    )
    buttons.button(
        "Along −∇L",
        key=f"{PAGE}.against_gradient",
        on_click=_set_angle,
        args=(r["theta"] + 180,),
        icon=":material/south:",
        width="stretch",
        disabled=r["norm"] == 0,
        help="Turn u against the gradient (downhill, where gradient descent steps), rounded to a whole degree.",
    )
    u = d["u"]
    st.latex(
        (
            r"\begin{aligned} D_{\mathbf u}L &= \nabla L \cdot \mathbf u = \tfrac{\partial L}{\partial w_1}\cos\theta"
            r" + \tfrac{\partial L}{\partial w_2}\sin\theta \\"
            rf" &= ({_num(g[0])})({_num(u[0])}) + ({_num(g[1])})({_num(u[1])}) \\"
            rf" &= {_num(d['analytic'])} \end{{aligned}}"
        ).replace("−", "-")
    )
    near_zero = abs(d["analytic"]) < 1e-8 * max(r["norm"], 1e-300)
    check_badge(
        f"D_u L at θ = {angle}°",
        d["analytic"],
        d["numeric"],
        d["rel"],
        a_name="∇L·u",
        b_name="central difference along u",
        note=(
            "u is (almost) perpendicular to ∇L: both values are ≈ 0 and their relative error only "
            "measures round-off."
        )
        if near_zero
        else None,
    )
    marks = []
    if r["norm"] > 0:
        low = (r["theta"] + 180) % 360
        marks.append(
            {
                "x": r["theta"],
                "y": r["norm"],
                "label": f"max = ‖∇L‖ = {_num(r['norm'])} at θ* = {r['theta']:.1f}°",
                "color": GRAD_COLOR,
                "place": "above",
            }
        )
        marks.append(
            {
                "x": low,
                "y": -r["norm"],
                "label": f"min = −‖∇L‖ at {low:.1f}° (steepest descent)",
                "color": MIN_COLOR,
                "place": "below",
            }
        )
    marks.append({"x": float(angle), "y": d["analytic"], "label": "", "color": U_COLOR, "place": "above"})
    draw_chart(
        titled(
            charts.fill_slots(direction_template(), sweep={"theta": ANGLES, "D": d["sweep"]}, marks=marks),
            "Directional derivative against direction θ",
        ),
        container=direction_chart,
    )
    return key


with direction_controls:
    key = body()

# What depends on the surface alone, after the fragment's slots (a surface change reruns the whole page).
surface = SURFACES[key]
c1.caption(surface.description)
(lo1, hi1), (lo2, hi2) = surface.domain
if (hi1 - lo1) / (hi2 - lo2) > 2 or (hi2 - lo2) / (hi1 - lo1) > 2:
    map_notes.caption(
        f"The axes have very different ranges (w₁ spans {hi1 - lo1:g}, w₂ spans {hi2 - lo2:g}), so the "
        "plot stretches angles: an arrow at 45° does not look like 45° here."
    )
formula_slot.latex(surface.formula + r"\qquad " + surface.grad_formula)
direction_controls.caption(
    f"The numeric estimate never uses the gradient: it is the slope at t = 0 of the slice "
    f"t ↦ L(w + t·u), by central differences (h = {H:g}) — like the partial derivatives above, which "
    "are the cases θ = 0° and θ = 90°."
)
direction_chart.caption(
    "Over all directions the slope is ‖∇L‖·cos φ, φ being the angle between u and ∇L: largest (= ‖∇L‖) "
    "when u points along the gradient, zero across it, most negative against it. That is what "
    "“the gradient points in the direction of steepest ascent” means — and why descent steps along −∇L."
)

show_code(
    surfaces.directional_derivatives,
    surfaces.slice_along,
    surfaces.steepest_ascent,
    finite_diff.gradient,
    finite_diff.derivative,
    getattr(surfaces, key),
    getattr(surfaces, f"{key}_grad"),
)

from ui.challenge import challenge_panel

challenge_panel("gradients")
