"""A reference for benchmarks/browser_steps.py: the floor app's slider and sine line, drawn by one component.

The floor app (benchmarks/floor_app.py) draws its line with Streamlit's Vega-Lite chart. Here the same
200 points go to one `st.components.v2` component as a payload, and its few lines of JS set the points of
one SVG polyline: what a slider step costs when a stage's outputs are one element that updates itself,
instead of Streamlit elements that the browser re-renders one by one. Nothing here is fetched at run time.
"""

import numpy as np
import streamlit as st

line = st.components.v2.component(
    "gradient_lab_bench.line",
    html='<svg viewBox="0 0 640 300" width="100%" height="300" role="img" aria-label="sin(a·t)">'
    '<polyline fill="none" stroke="currentColor" stroke-width="2"/></svg><p></p>',
    js="""
export default function ({ parentElement, data }) {
  const xs = data.t, ys = data.y;
  let points = "";
  for (let i = 0; i < xs.length; i++) points += `${(xs[i] * 100).toFixed(1)},${(150 - ys[i] * 130).toFixed(1)} `;
  parentElement.querySelector("polyline").setAttribute("points", points);
  parentElement.querySelector("p").textContent = data.label;
}
""",
)

a = st.slider("Frequency", 0.5, 5.0, 1.0, step=0.05, key="floor.a")
t = np.linspace(0.0, 2.0 * np.pi, 200)
line(
    key="line",
    data={"t": t.tolist(), "y": np.sin(a * t).tolist(), "label": f"y = sin({a:g}·t)"},
    height="content",
)
