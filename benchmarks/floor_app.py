"""The floor for benchmarks/classroom.py: one slider and one small Altair chart, nothing else.

Whatever this costs per interaction is Streamlit's own price for a rerun with one chart; the app's
pages are reported as ratios against it (measured in the same run, on the same machine).
"""

import altair as alt
import numpy as np
import pandas as pd
import streamlit as st

a = st.slider("Frequency", 0.5, 5.0, 1.0, step=0.05, key="floor.a")
t = np.linspace(0.0, 2.0 * np.pi, 200)
data = pd.DataFrame({"t": t, "y": np.sin(a * t)})
st.altair_chart(alt.Chart(data).mark_line().encode(x="t", y="y"), width="stretch")
