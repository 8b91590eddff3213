"""Start here: the training loop of the article and a map of the lab."""

from ui.shell import ensure_entry

ensure_entry()

import streamlit as st

from ui import palette
from ui.layout import stage_chart
from ui.navigation import available_pages
from ui.shell import header

header(
    "Gradient Lab",
    "Every neural network learns the same way: it makes a prediction, measures how wrong it is, asks "
    "calculus which way each parameter should move, and takes a small step. This lab turns each idea of "
    "*Calculus for Deep Learning* into an experiment you can poke at — and every derivative it shows is "
    "checked on screen by an independent method (analytic vs finite differences vs autodiff).",
    r"\theta^* = \arg\min_\theta \mathcal{L}(\theta), \qquad "
    r"\theta_{t+1} = \theta_t - \eta\, \nabla_\theta \mathcal{L}(\theta_t)",
)

st.subheader("The training loop")
LOOP = f"""
digraph loop {{
  rankdir=LR; bgcolor="transparent"; nodesep=0.3; ranksep=0.3;
  node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=17, penwidth=2, margin="0.12,0.06",
        color="{palette.LOOP["node"]}", fillcolor="{palette.LOOP["fill"]}", fontcolor="{palette.LOOP["text"]}"];
  edge [color="{palette.LOOP["edge"]}", penwidth=2, fontname="Helvetica", fontsize=15, fontcolor="{palette.LOOP["node"]}"];
  forward [label="1. Forward pass\\nŷ = f(x; θ)"];
  loss    [label="2. Loss\\nL(ŷ, y)"];
  back    [label="3. Backward pass\\n∇θ L, by the chain rule"];
  update  [label="4. Update\\nθ ← θ − η ∇θ L"];
  forward -> loss [label="predictions"]; loss -> back [label="dL/dŷ"];
  back -> update [label="gradients"];
  update -> forward [label="new θ", constraint=false];
}}
"""
# The diagram is the stage: a row across the page, so its letters stay large (a circle squeezed into a
# column rendered them at 6–7 px).
stage_chart().graphviz_chart(LOOP, width="stretch")
with st.expander("The same loop in code", icon=":material/code:", expanded=False):
    st.code(
        "for epoch in range(num_epochs):\n"
        "    # 1. forward pass\n"
        "    predictions = model(inputs)\n"
        "    # 2. loss\n"
        "    loss = compute_loss(predictions, targets)\n"
        "    # 3. backward pass (calculus happens here!)\n"
        "    gradients = compute_gradients(loss, model.parameters)\n"
        "    # 4. update (gradient descent)\n"
        "    for param, grad in zip(model.parameters, gradients):\n"
        "        param -= learning_rate * grad",
        language="python",
        wrap_lines=True,
    )
st.caption(
    "The article's simplified training loop. Steps 3 and 4 are where the calculus happens: "
    "the pages below take them apart one concept at a time."
)

st.subheader("Map of the lab")
pages = [p for p in available_pages() if p.url_path]
by_section: dict[str, list] = {}
for p in pages:
    by_section.setdefault(p.section, []).append(p)
for section, items in by_section.items():
    st.markdown(f"##### {section}")
    cols = st.columns(3)
    for i, p in enumerate(items):
        with cols[i % 3].container(border=True, key=f"card_{p.url_path}"):  # the whole card is the link
            st.page_link(p.file, label=p.title, icon=p.icon)
            st.caption(p.promise)
