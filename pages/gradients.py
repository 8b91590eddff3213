"""Gradients: partial derivatives on a 2-D loss surface, the gradient as steepest ascent, directional derivatives."""

from ui.shell import ensure_entry

ensure_entry()

import streamlit as st

from core import finite_diff, surfaces
from core.surfaces import SURFACES
from ui import gradients_view as gv
from ui import stepper as sp
from ui.layout import stage_chart, stage_control
from ui.shell import header, show_code
from ui.state import UrlState, follow_outside_fragment

PAGE = "gradients"
# Each window the browser holds: 3 positions either side of the point per point axis, θ ±20°; a step beyond
# is fetched (~0.1 s on a quiet server). Every stop at a new point computes the window around it: with ±8
# positions and the whole circle of θ (393 frames) that cost 303 ms of server CPU and 12 students on this
# page saturated a core (benchmarks/classroom.py); this window (53 frames) costs a fraction of it.
RADIUS = 3
ANGLE_RADIUS = 20

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


def _set_angle(angle: float) -> None:
    state.set("angle", int(round(angle)) % 360)


# -- the page: static text is drawn here, once per full run; the fragment below holds every control --------
# The point and the direction are one stepper (ui.stepper): the browser holds every position of a window
# around the point (each axis moved alone) and draws a step without asking the server.
top = stage_control()  # the surface picker and the stepper (the point, the direction and the map)
c1, c2 = top.columns([2.2, 2.8], gap="medium")
formula_slot = c2.container()  # the surface's formulas (a surface change reruns the whole page)
top.subheader("The surface from above, and which way is downhill")
stage = top.container()


@st.fragment
def body():
    """The surface, the stepper (the point, the direction and everything they change) and the two direction
    buttons: a widget here reruns only this part of the page."""
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
    g1, g2 = gv.grid_of(lo1, hi1), gv.grid_of(lo2, hi2)
    AXES = (
        sp.Axis(
            "w1",
            "Point w₁",
            options=g1,
            default=float(start[0]),
            values=[f"{v:.2f}" for v in g1],
            help="The first parameter of the point where the gradient is taken.",
        ),
        sp.Axis(
            "w2",
            "Point w₂",
            options=g2,
            default=float(start[1]),
            values=[f"{v:.2f}" for v in g2],
            help="The second parameter of the point where the gradient is taken.",
        ),
        sp.Axis(
            "angle",
            "Direction θ (degrees, from the +w₁ axis)",
            options=gv.ANGLES,
            default=45,
            values=[f"{a}°" for a in gv.ANGLES],
            help="u = (cos θ, sin θ): 0° points along +w₁, 90° along +w₂.",
        ),
    )
    at = sp.locate(url=state, axes=AXES)
    frames = sp.cross(at, AXES, radius=(RADIUS, RADIUS, ANGLE_RADIUS))
    with stage_chart(stage):  # the stepper is the controls and the map they move
        w1, w2, _ = sp.multi_stepper(
            "gradients.point",
            url=state,
            axes=AXES,
            at=at,
            frames=frames,
            blocks=gv.blocks(key, tuple(tuple(int(i) for i in f) for f in frames)),
        )
    r = gv.at_point(key, float(w1), float(w2))
    buttons = st.container(horizontal=True)  # one block for the pair
    buttons.button(
        "Along ∇L",
        key=f"{PAGE}.along_gradient",
        on_click=_set_angle,
        args=(r["theta"],),
        icon=":material/north:",
        disabled=r["norm"] == 0,
        help="Turn u to the gradient's direction (uphill), rounded to a whole degree.",
    )
    buttons.button(
        "Along −∇L",
        key=f"{PAGE}.against_gradient",
        on_click=_set_angle,
        args=(r["theta"] + 180,),
        icon=":material/south:",
        disabled=r["norm"] == 0,
        help="Turn u against the gradient (downhill, where gradient descent steps), rounded to a whole degree.",
    )
    return key


key = body()

# What depends on the surface alone (a surface change reruns the whole page).
surface = SURFACES[key]
c1.caption(surface.description)
formula_slot.latex(surface.formula)
# The two partials: short ones in two columns (side by side on a projector, one under the other on a phone;
# one formula with both was cut off at 390 px), long ones (Rosenbrock, Himmelblau) one under the other.
partials = [part.strip().rstrip(",") for part in surface.grad_formula.split(r"\qquad")]
if max(len(p) for p in partials) <= 60:
    for col, part in zip(formula_slot.columns(len(partials), gap="small"), partials, strict=True):
        col.latex(part)
else:
    formula_slot.latex(r"\begin{gathered}" + r" \\ ".join(partials) + r"\end{gathered}")
st.caption(
    f"The numeric estimate of D_u L never uses the gradient: it is the slope at t = 0 of the slice "
    f"t ↦ L(w + t·u), by central differences (h = {gv.H:g}) — like the partial derivatives above, which "
    "are the cases θ = 0° and θ = 90°. Over all directions the slope is ‖∇L‖·cos φ, φ being the angle "
    "between u and ∇L: largest (= ‖∇L‖) when u points along the gradient, zero across it, most negative "
    "against it. That is what “the gradient points in the direction of steepest ascent” means — and why "
    "descent steps along −∇L."
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
