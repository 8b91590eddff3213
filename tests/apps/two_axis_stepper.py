"""A two-axis stepper on its own (tests/ui/test_stepper_axes.py, tests/browser/test_stepper_axes_browser.py):
a, b on small grids, a window of ±2 around the current position, one text block per frame naming it."""

import streamlit as st

from ui import stepper as sp
from ui.state import UrlState, flush

state = UrlState("axes")
AXES = (
    sp.Axis("a", "Axis a", [round(0.5 * k, 2) for k in range(11)], 1.0),  # 0, 0.5, ..., 5
    sp.Axis("b", "Axis b", list(range(-3, 8)), 0),  # -3..7
)
at = sp.locate(url=state, axes=AXES)
frames = sp.cross(at, AXES, radius=(2, 2))
texts = [sp.paragraphs(f"a = {AXES[0].options[i]:g}, b = {AXES[1].options[j]}") for i, j in frames]
blocks = [
    sp.text(texts, per_frame=True),
    sp.text(
        sp.shared([sp.paragraphs(f"row of a = {AXES[0].options[i]:g}") for i, _ in frames]), per_frame=True
    ),
]
values = sp.multi_stepper("axes.ab", url=state, axes=AXES, at=at, frames=frames, blocks=blocks)
st.session_state["axes.runs"] = st.session_state.get("axes.runs", 0) + 1
st.text(f"server: a={values[0]:g} b={values[1]} frames={len(frames)}")
flush()  # the link, in one write (as ui/app.py does at the end of a page's run)
