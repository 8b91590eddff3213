"""Backpropagation: the article's 2-3-1 XOR network, trained live, with the chain rule laid open."""

from ui.shell import ensure_entry

ensure_entry()

import numpy as np
import pandas as pd
import streamlit as st

from core import finite_diff
from core.formatting import short_number
from core.network import (
    ACTIVATION_CHOICES,
    INIT_CHOICES,
    LOSS_CHOICES,
    TwoLayerNet,
    slice_along,
)
from ui import charts, training, wording
from ui.shell import check_badge, fmt, header, show_code, thresholds_caption
from ui.state import UrlState

TRAINER_KEY = "backprop.trainer"  # the session's network (reset with the page's other "backprop." keys)
# While playing, the training panel asks for a rerun every 120 ms. Measured on a 2-core machine in headless
# Chromium: 7.5 visible updates/s (a one-metric fragment peaks at about 10/s there). Shorter intervals are
# slower, not faster: rerun requests that overlap cancel each other (0.05 s gave 6/s, 0.02 s under 3/s).
TICK_SECONDS = 0.12
EPOCHS_PER_TICK = 20  # …advancing 20 epochs each time
GRID_N = 40  # decision map when paused: 40 × 40 = 1 600 cells over [−0.5, 1.5]²
GRID_N_PLAYING = 20  # while playing: 400 cells, light enough to redraw several times a second
GRID_LO, GRID_HI = -0.5, 1.5
LEARNING_RATES = (0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0)
TRAIN_NOW = ("100", "1000", "5000")
DEFAULT_PARAM = "W1[0,1]"
DARK_BACKGROUND = "#0e1117"  # Streamlit's dark theme background
ALONG_SPAN = 3.0  # the loss-along-one-weight chart spans θ ± 3
ARTICLE = {"hidden": 3, "activation": "sigmoid", "loss": "mse", "init": "article", "seed": 42, "lr": 1.0}
ARTICLE_NET = {"n_hidden": 3, "activation": "sigmoid", "loss": "mse", "init": "article", "seed": 42}
INPUTS = ("[0, 0]", "[0, 1]", "[1, 0]", "[1, 1]")

ACTIVATION_LABELS = {"sigmoid": "sigmoid σ", "tanh": "tanh", "relu": "ReLU"}
LOSS_LABELS = {"mse": "MSE (article)", "bce": "cross-entropy"}
INIT_LABELS = {"article": "article N(0, 0.5²)", "xavier": "Xavier (Glorot)", "he": "He"}
LABELS = {**ACTIVATION_LABELS, **LOSS_LABELS, **INIT_LABELS}

header(
    "Backpropagation",
    "The article's network has 2 inputs, 3 sigmoid hidden units and 1 sigmoid output, and learns XOR "
    "(output 1 when exactly one input is 1) with backpropagation written by hand. The forward pass "
    "computes and caches z₁ = xW₁ + b₁, a₁ = σ(z₁), z₂ = a₁W₂ + b₂, a₂ = σ(z₂). The backward pass multiplies "
    "local derivatives from the loss back to every weight — the chain rule. Press **Play** to watch it "
    "learn, then open the chain rule for any single weight and check backprop against finite differences.",
    r"\frac{\partial L}{\partial W_1} = \frac{\partial L}{\partial a_2}\cdot\frac{\partial a_2}{\partial z_2}"
    r"\cdot\frac{\partial z_2}{\partial a_1}\cdot\frac{\partial a_1}{\partial z_1}"
    r"\cdot\frac{\partial z_1}{\partial W_1}",
)

state = UrlState("backprop")


def _config() -> dict:
    """The architecture controls as TwoLayerNet arguments (learning rate excluded: it does not rebuild)."""
    return {"n_hidden": int(state.get("hidden")), "activation": state.get("activation"),
            "loss": state.get("loss"), "init": state.get("init"), "seed": int(state.get("seed"))}


def _trainer() -> training.Trainer:
    return training.get_trainer(TRAINER_KEY, _config())


def _lr() -> float:
    return float(state.get("lr"))


def _architecture_changed() -> None:
    """A new architecture means a new network (get_trainer rebuilds it); keep the chosen weight valid."""
    names = TwoLayerNet(n_hidden=int(state.get("hidden"))).param_names()
    if st.session_state.get(state.key("param")) not in names:
        state.set("param", DEFAULT_PARAM)


def _apply_article() -> None:
    """The article's settings, and its run from the start (epoch 0, paused)."""
    state.apply(ARTICLE)
    _architecture_changed()
    st.session_state.pop(TRAINER_KEY, None)


def _play() -> None:
    _trainer().play()


def _pause() -> None:
    _trainer().pause()


def _step() -> None:
    _trainer().step(_lr())


def _reset() -> None:
    _trainer().reset()


def _num(v: float) -> str:
    """A factor's value in 4 significant digits (−0 shown as 0)."""
    return short_number(v, 4, "-")


def _label(option: str) -> str:
    """How an activation, loss or initialisation is named in its selectbox."""
    return LABELS.get(option, option)


def _epochs_label(n: str) -> str:
    return f"{int(n):,}" if n.isdigit() else n


def _train_now() -> None:
    _trainer().train(int(state.get("n_now")), _lr())


# -- controls ---------------------------------------------------------------------------------
st.subheader("The network")
c1, c2, c3, c4, c5, c6 = st.columns([1.1, 1, 1.1, 1.2, 0.8, 1.5])
state.slider("hidden", "Hidden units", 2, 8, 3, container=c1, on_change=_architecture_changed,
             help="Width of the hidden layer (the article uses 3).")
state.select("activation", "Hidden activation", ACTIVATION_CHOICES, "sigmoid", container=c2,
             format_func=_label, on_change=_architecture_changed,
             help="The output is always a sigmoid; this is the hidden layer's f.")
state.select("loss", "Loss", LOSS_CHOICES, "mse", container=c3, format_func=_label,
             on_change=_architecture_changed, help="MSE: the article's ½·mean((a₂ − y)²). BCE: mean binary "
                                                     "cross-entropy −[y ln a₂ + (1 − y) ln(1 − a₂)].")
state.select("init", "Initial weights", INIT_CHOICES, "article", container=c4, format_func=_label,
             on_change=_architecture_changed, help="The article draws N(0, 1)·0.5 for every weight, zero biases.")
state.number("seed", "Seed", 0, 9999, 42, step=1, container=c5,
             help="The random seed of the initial weights. Changing any of these controls rebuilds the network.")
state.log_slider("lr", "Learning rate η", LEARNING_RATES, 1.0, container=c6,
                 help="Step size of gradient descent: θ ← θ − η·∂L/∂θ. Changing it does not reset training.")

trainer = _trainer()
b1, b2, b3, b4, b5, b6, b7 = st.columns([1, 1, 1, 1, 1, 1.2, 1.5], vertical_alignment="bottom")
b1.button("Play", key="backprop.play", icon=":material/play_arrow:", type="primary", on_click=_play,
          disabled=trainer.playing, width="stretch",
          help=f"Train continuously: {EPOCHS_PER_TICK} epochs per frame, several frames a second.")
b2.button("Pause", key="backprop.pause", icon=":material/pause:", on_click=_pause,
          disabled=not trainer.playing, width="stretch")
b3.button("Step", key="backprop.step", icon=":material/skip_next:", on_click=_step, width="stretch",
          help="Pause and take one gradient-descent step (one epoch on the four XOR samples).")
b4.button("Reset", key="backprop.reset", icon=":material/replay:", on_click=_reset, width="stretch",
          help="Back to epoch 0: the seed's exact initial weights.")
state.select("n_now", "Epochs at once", TRAIN_NOW, "1000", container=b5, format_func=_epochs_label)
b6.button("Train now", key="backprop.train_n", icon=":material/fast_forward:", on_click=_train_now,
          width="stretch", help="Train the chosen number of epochs at once (no waiting).")
b7.button("Article defaults", key="backprop.preset_article", icon=":material/menu_book:",
          on_click=_apply_article, width="stretch",
          help="3 sigmoid units, MSE, the article's initial weights (seed 42), η = 1.0 — from epoch 0.")


# -- the live training panel ------------------------------------------------------------------
def _background() -> str:
    """The page background of the active theme (the halo behind the weight labels)."""
    return DARK_BACKGROUND if st.context.theme.type == "dark" else "#ffffff"


def _network_chart(t: training.Trainer, highlight: str | None) -> None:
    net = t.net
    grads = net.backward(t.X, t.y)
    labels = [["x[0]", "x[1]"], [f"a₁[{j}]" for j in range(net.n_hidden)], ["a₂"]]
    chart = charts.network_diagram([net.W1, net.W2], [net.b1, net.b2], [grads["dW1"], grads["dW2"]],
                                   [grads["db1"], grads["db2"]], node_labels=labels, highlight=highlight,
                                   edge_labels=net.n_hidden <= 3, background=_background(), height=380)
    st.vega_lite_chart(chart, width="stretch")
    st.caption("Edge thickness = |weight|, colour = sign. Hover an edge or a node for its value and its current "
               "gradient ∂L/∂θ. The highlighted edge is the weight opened up in the chain rule below.")


def _decision_chart(t: training.Trainer) -> None:
    xs, ys, probs = t.net.decision_grid(GRID_N_PLAYING if t.playing else GRID_N, GRID_LO, GRID_HI)
    points = pd.DataFrame({"x": t.X[:, 0], "y": t.X[:, 1], "target": t.y[:, 0],
                           "label": [f"{p:.2f}" for p in t.predictions()]})
    st.vega_lite_chart(charts.decision_map(xs, ys, probs, points, height=380), width="stretch")
    st.caption("The network's output a₂ over the input plane: blue → 0, orange → 1, white = 0.5 (the decision "
               "boundary). XOR needs two boundaries: one straight line cannot separate it.")


def _loss_chart(t: training.Trainer) -> None:
    epochs, losses = t.curve()
    chart = charts.loss_curve(epochs, losses, marker=training.ARTICLE_EPOCHS, marker_label="article stops",
                              height=250)
    st.vega_lite_chart(chart, width="stretch")


def _predictions_table(t: training.Trainer) -> None:
    # A markdown table, not st.dataframe: it is redrawn up to 12 times a second while playing, and the
    # canvas data grid costs the browser far more per redraw than a few rows of HTML.
    rows = ["| input x | target y | prediction a₂ | 0 → 1 |", "|:---:|:---:|---:|:---|"]
    for x, target, p in zip(INPUTS, t.y[:, 0].astype(int), t.predictions(), strict=True):
        bar = "▮" * int(round(p * 10))
        rows.append(f"| {x.replace(' ', '')} | {target} | {p:.4f} | :{'orange' if p >= 0.5 else 'blue'}[{bar}] |")
    st.markdown("\n".join(rows))


def _lesson(t: training.Trainer, article_run: bool) -> None:
    snap = t.snapshot
    if snap is None:
        st.caption(f"The article trains for {training.ARTICLE_EPOCHS} epochs (dashed line) and stops there. "
                   "Press Play — or train 1000 epochs at once — and see where it has got to by then.")
        return
    preds = ", ".join(f"{x} → {p:.4f}" for x, p in zip(INPUTS, snap.predictions, strict=True))
    now = f"now, at epoch {t.epoch:,}, the loss is {t.current_loss():.6f}."
    if t.solved_at is None:
        later = (f"Not all four samples are on the right side of 0.5 yet; {now} Keep it running and watch the "
                 "loss curve: the plateau ends and the loss drops.")
    else:
        later = f"All four samples are on the right side of 0.5 from **epoch {t.solved_at:,}**; {now}"
    if article_run and (t.solved_at is None or t.solved_at > snap.epoch):
        printed = f" (its last printed loss, epoch 900: {t.printout[900]:.6f})" if 900 in t.printout else ""
        st.info(
            f"**The article's lesson.** After its {snap.epoch} epochs{printed} the predictions are {preds} "
            f"for targets 0, 1, 1, 0: [1, 1] still gets **{snap.predictions[3]:.2f}** instead of 0 — the network "
            "has **not** solved XOR. Nothing is broken: it is crossing a plateau of the loss where the gradients "
            f"are small. {later}", icon=":material/school:")
    else:
        st.info(f"**At epoch {snap.epoch}**, where the article stops, this network's loss was {snap.loss:.6f} "
                f"and its predictions were {preds} (targets 0, 1, 1, 0). {later}", icon=":material/school:")


def _printout(t: training.Trainer) -> None:
    if not t.printout:
        return
    with st.expander("The article's printout, reproduced by this network", icon=":material/terminal:"):
        lines = [f"Epoch {e:4d}: Loss = {loss:.6f}" for e, loss in sorted(t.printout.items())]
        if t.snapshot is not None:
            lines += ["", "Final predictions:"]
            lines += [f"Input: {x.replace(',', '')} -> Prediction: {p:.4f}, Target: {int(y)}"
                      for x, p, y in zip(INPUTS, t.snapshot.predictions, t.y[:, 0], strict=True)]
        st.code("\n".join(lines), language=None)
        st.caption("The same lines the article's script prints (losses at epochs 0, 100, …, 900, before each "
                   "update; predictions after epoch 1000). With the article defaults they match it digit for digit.")


@st.fragment(run_every=TICK_SECONDS if trainer.playing else None)
def training_panel() -> None:
    """Redrawn on its own while playing: advances EPOCHS_PER_TICK epochs per run (the rest of the page waits)."""
    t = _trainer()
    if t.playing:
        t.train(EPOCHS_PER_TICK, _lr())
    m1, m2, m3, m4 = st.columns(4)
    m1.metric("Epoch", f"{t.epoch:,}")
    m2.metric("Loss", f"{t.current_loss():.6f}")
    m3.metric("XOR solved", f"epoch {t.solved_at:,}" if t.solved_at is not None else "not yet",
              help="First epoch at which all four predictions are on the right side of 0.5.")
    m4.metric("Training", "running" if t.playing else "paused")
    left, right = st.columns(2, gap="large")
    with left:
        _network_chart(t, st.session_state.get(state.key("param"), DEFAULT_PARAM))
    with right:
        _decision_chart(t)
    left, right = st.columns([1.25, 1], gap="large")
    with left:
        _loss_chart(t)
    with right:
        _predictions_table(t)
    article_run = t.config == ARTICLE_NET and _lr() == ARTICLE["lr"]
    _lesson(t, article_run)
    _printout(t)


training_panel()

# -- the chain rule for one weight ----------------------------------------------------------------
net = trainer.net
X, y = trainer.X, trainer.y
st.subheader("The chain rule for one weight")
if trainer.playing:
    st.caption(f"Training is running: the panels below show epoch {trainer.epoch:,} (when you pressed Play or "
               "last changed a control). Pause to bring them up to date.")
top_left, top_right = st.columns([1, 2.2], gap="large", vertical_alignment="center")
param = state.select("param", "Weight or bias θ", net.param_names(), DEFAULT_PARAM, container=top_left,
                     help="W1[i,j]: input i → hidden unit j; W2[j,0]: hidden unit j → output; b: biases. "
                          "Its edge is highlighted in the network above.")
terms = net.chain_rule_terms(X, y, param)
top_right.latex(terms.formula)
values = [np.ravel(factor.values) for factor in terms.factors]
head = "| sample x | " + " | ".join(f"${factor.symbol}$" for factor in terms.factors) + " | product |"
rows = [head, "|:---|" + "---:|" * (len(terms.factors) + 1)]
for k, x in enumerate(INPUTS):
    cells = " | ".join(f"`{_num(v[k])}`" for v in values)
    rows.append(f"| {x} | {cells} | **`{_num(terms.per_sample[k])}`** |")
blanks = " | " * len(terms.factors)
rows.append(f"| **mean** (÷ {terms.m}) |{blanks}**`{_num(terms.product)}`** |")
st.markdown("\n".join(rows))
st.caption("Each factor is a local derivative read off the forward pass's cache (z₁, a₁, z₂, a₂). For one sample "
           "they multiply; the loss is a mean over the 4 samples, so the gradient is the mean of the products.")
left, right = st.columns([1, 1.1], gap="large")
with left:
    st.markdown("\n".join(f"- ${factor.symbol}$ "
                           f"{wording.chain_factor_meaning(factor.role, factor.unit, net.activation, net.n_out)}"
                           for factor in terms.factors))
    st.markdown(f"**∂L/∂{param} = `{fmt(terms.product)}`** (the mean of the products)")
    check_badge("Chain rule vs backward()", terms.product, terms.gradient,
                finite_diff.relative_error(terms.product, terms.gradient),
                a_name="product of the factors", b_name="backward()",
                note="Two independent computations: the factors multiplied sample by sample here, and "
                     "backward()'s matrix code (δ₂ = (a₂ − y)·σ′(z₂), δ₁ = δ₂W₂ᵀ ⊙ f′(z₁), dW₁ = xᵀδ₁/m).")
with right:
    offsets = np.linspace(-ALONG_SPAN, ALONG_SPAN, 121)
    thetas = terms.value + offsets
    along, slopes = slice_along(net, param, offsets)
    f0 = trainer.current_loss()
    loss_chart, slope_chart = charts.loss_slice(
        thetas, along, slopes, x0=terms.value, f0=f0, slope0=terms.gradient,
        x_title=f"θ = {param}", f_title="loss L(θ)", df_title="∂L/∂θ", height=230)
    st.vega_lite_chart(loss_chart, width="stretch")
    st.vega_lite_chart(slope_chart, width="stretch")
    st.caption(f"The loss as a function of {param} alone (every other parameter frozen), around its current "
               f"value {fmt(terms.value)} (green dot). The green tangent's slope is backward()'s "
               f"∂L/∂θ = {fmt(terms.gradient)}; gradient descent moves θ against it, downhill. "
               "Hover to slide the tangent along the curve.")

# -- gradient check -----------------------------------------------------------------------------
st.subheader("Gradient check: backward() against central differences")
check = net.gradient_check(X, y)
check_rows = check.rows
table = pd.DataFrame({
    "parameter": [r.name for r in check_rows],
    "value": [net.get_param(r.name) for r in check_rows],
    "backward()": [r.analytic for r in check_rows],
    "central difference": [r.numeric for r in check_rows],
    "relative error": [r.rel_error for r in check_rows],
})
worst = check_rows[int(np.argmax(table["relative error"].to_numpy()))]
g1, g2 = st.columns([1, 1.3], gap="large")
with g1:
    level = check_badge(f"Worst of {len(check_rows)} parameters: {worst.name}", worst.analytic, worst.numeric,
                        worst.rel_error, a_name="backward()", b_name="(L(θ+h) − L(θ−h)) / 2h, h = 1e-6")
    whole = check.overall
    st.markdown(f"Whole gradient vector (all {len(check_rows)} components, norm-wise): relative error "
                f"`{whole:.1e}`.")
    st.caption(thresholds_caption() + " Each row moves one parameter by ±h and recomputes the loss: no chain "
               "rule involved, so it checks backward() independently.")
    if level != "green" and state.get("activation") == "relu":
        st.warning("ReLU has a kink at z = 0, where it has no derivative. With zero biases the input [0, 0] gives "
                   "z₁ = 0 exactly: backward() uses ReLU′(0) = 0, the central difference straddles the kink and "
                   "sees the average slope. The disagreement is the kink, not a bug.", icon=":material/info:")
    elif level != "green":
        st.caption(f"{worst.name}'s gradient is tiny ({fmt(worst.analytic)}): the central difference's round-off "
                   "(≈ 1e-16·L/h) is no longer small next to it, so its relative error grows although backward() "
                   "is right — the whole-vector error above stays small. Compare at epoch 0 (Reset).")
with g2:
    st.dataframe(table, hide_index=True, width="stretch", height=min(38 + 35 * len(table), 600),
                 column_config={
                     "value": st.column_config.NumberColumn(format="%.6f"),
                     "backward()": st.column_config.NumberColumn(format="%.6e"),
                     "central difference": st.column_config.NumberColumn(format="%.6e"),
                     "relative error": st.column_config.NumberColumn(format="%.1e"),
                 })

show_code(TwoLayerNet.backward, TwoLayerNet.chain_rule_terms, TwoLayerNet.gradient_check,
          TwoLayerNet.numeric_gradients, slice_along)

from ui.challenge import challenge_panel

challenge_panel("backprop")
