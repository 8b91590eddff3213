"""Backpropagation: the article's 2-3-1 XOR network, trained live, with the chain rule laid open."""

from ui import cache
from ui.shell import ensure_entry

ensure_entry()

from functools import cache as memo

import numpy as np
import pandas as pd
import streamlit as st

from core import finite_diff
from core.formatting import short_number
from core.gradient_check import CheckReport
from core.history import MAP_HI, MAP_LO, TrainingHistory, train_history
from core.network import (
    ACTIVATION_CHOICES,
    INIT_CHOICES,
    LOSS_CHOICES,
    TwoLayerNet,
    parse_param_name,
    slice_along,
    xor_data,
)
from ui import charts, player, wording
from ui.layout import draw_chart, stage_chart, stage_control
from ui.shell import check_badge, fmt, header, show_code, thresholds_caption
from ui.state import UrlState
from ui.text import small

PLAYER_KEY = "backprop.player"
PRINTOUT_KEY = "backprop.printout_open"  # the printout expander's state (open: its lines are drawn)
CHECK_TABLE_KEY = "backprop.check_table_open"  # the gradient check's table: drawn only while open
EPOCHS = 10_000  # the history the player replays: 10 000 epochs…
EVERY = 10  # …a frame every 10 epochs (1 001 frames; the article's 1 000 is frame 100)
ARTICLE_EPOCHS = 1000  # the article trains for 1000 epochs and prints every 100th loss
PRINT_EVERY = 100
LEARNING_RATES = (0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0)
DEFAULT_PARAM = "W1[0,1]"
ALONG_SPAN = 3.0  # the loss-along-one-weight chart spans θ ± 3
ARTICLE = {"hidden": 3, "activation": "sigmoid", "loss": "mse", "init": "article", "seed": 42, "lr": 1.0}
ARTICLE_NET = {"n_hidden": 3, "activation": "sigmoid", "loss": "mse", "init": "article", "seed": 42}
INPUTS = ("[0, 0]", "[0, 1]", "[1, 0]", "[1, 1]")

ACTIVATION_LABELS = {"sigmoid": "sigmoid σ", "tanh": "tanh", "relu": "ReLU"}
LOSS_LABELS = {"mse": "MSE", "bce": "cross-entropy"}  # short: the help names the article's choice
INIT_LABELS = {"article": "N(0, 0.5²)", "xavier": "Xavier (Glorot)", "he": "He"}
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
    return {
        "n_hidden": int(state.get("hidden")),
        "activation": state.get("activation"),
        "loss": state.get("loss"),
        "init": state.get("init"),
        "seed": int(state.get("seed")),
    }


def _lr() -> float:
    return float(state.get("lr"))


@memo
def _param_names(n_hidden: int) -> tuple[str, ...]:
    """The parameters' names for a hidden width (building a network for them was ~2 % of a rerun)."""
    return tuple(TwoLayerNet(n_hidden=n_hidden).param_names())


def _architecture_changed() -> None:
    """A new architecture means a new network (get_trainer rebuilds it); keep the chosen weight valid."""
    if st.session_state.get(state.key("param")) not in _param_names(int(state.get("hidden"))):
        state.set("param", DEFAULT_PARAM)


def _apply_article() -> None:
    """The article's settings, and its run from the start (epoch 0, paused)."""
    state.apply(ARTICLE)
    _architecture_changed()
    player.seek(PLAYER_KEY, 0)


def _num(v: float) -> str:
    """A factor's value in 4 significant digits (−0 shown as 0)."""
    return short_number(v, 4, "-")


def _label(option: str) -> str:
    """How an activation, loss or initialisation is named in its selectbox."""
    return LABELS.get(option, option)


# -- the history and the player ---------------------------------------------------------------
@cache.shared(show_spinner="Training 10 000 epochs…", max_entries=32)
def history(config: tuple, lr: float) -> TrainingHistory:
    """The whole run (core.history), shared by every session on the same settings."""
    return train_history(dict(config), lr, EPOCHS, EVERY)


@cache.data(show_spinner=False, max_entries=512)
def frame_check(config: tuple, lr: float, frame: int) -> tuple[CheckReport, tuple[float, ...]]:
    """The gradient check of the network at one frame of a run and its parameters' values: the same for
    every session paused there (2 forward passes per parameter, the largest part of a rerun before it
    was cached)."""
    net = history(config, lr).net_at(frame)
    report = net.gradient_check(*xor_data())
    return report, tuple(float(net.get_param(r.name)) for r in report.rows)


@cache.data(show_spinner=False, max_entries=512)
def frame_chain(config: tuple, lr: float, frame: int, param: str) -> tuple:
    """One weight's chain-rule terms at one frame, the loss along that weight and its slope there."""
    net = history(config, lr).net_at(frame)
    X, y = xor_data()
    offsets = np.linspace(-ALONG_SPAN, ALONG_SPAN, 121)
    along, slopes = slice_along(net, param, offsets)
    return net.chain_rule_terms(X, y, param), offsets, along, slopes, float(net.loss(X, y))


@cache.shared(show_spinner=False, max_entries=32)
def panels(config: tuple, lr: float) -> tuple[dict, ...]:
    """The player's panels for a history, encoded once (the highlighted edge is set per run)."""
    h = history(config, lr)
    n_hidden = dict(config)["n_hidden"]
    labels = [["x₀", "x₁"], [f"h{j}" for j in range(n_hidden)], ["a₂"]]
    X, y = xor_data()
    return (
        player.network_panel(
            "Network: orange solid +, blue dashed −, width |w|",
            [2, n_hidden, 1],
            [h.params["W1"], h.params["W2"]],
            labels=labels,
            values=n_hidden <= 3,
            alt="The network's weights at the current epoch",
        ),
        player.map_panel(
            "Decision map a₂ (40 × 40)",
            h.maps,
            (MAP_LO, MAP_HI, MAP_LO, MAP_HI),
            points=[
                {"x": float(a), "y": float(b), "t": float(t), "s": "s" if t else "o"}
                for (a, b), t in zip(X, y[:, 0], strict=True)
            ],
            xlabel="x₀",
            ylabel="x₁",
            alt="The network's output over the input plane",
        ),
        player.curve_panel(
            "Loss (log scale)",
            [("loss", player.PALETTE["series"][2], h.loss)],
            log=True,
            marks=[(ARTICLE_EPOCHS // EVERY, "article stops")],
            xlabel=f"epoch 0 … {EPOCHS:,}",
            alt="The loss curve with the current epoch marked",
        ),
        player.bars_panel(
            "Predictions a₂ (tick = target)",
            list(INPUTS),
            y[:, 0],
            h.predictions,
            alt="The four predictions at the current epoch",
        ),
    )


def _highlight(param: str, n_hidden: int) -> tuple[int, int, int] | None:
    key, index = parse_param_name(param)
    if key == "W1":
        return (0, index[0], index[1])
    if key == "W2":
        return (1, index[0], 0)
    return None


def _lesson(h: TrainingHistory, frame: int, article_run: bool) -> None:
    at = h.frame_of(ARTICLE_EPOCHS)
    preds = ", ".join(f"{x} → {p:.4f}" for x, p in zip(INPUTS, h.predictions[at], strict=True))
    epoch = int(h.epochs[frame])
    now = f"on screen, at epoch {epoch:,}, the loss is **{h.loss[frame]:.6f}**."
    if h.solved_at is None:
        later = f"Within {EPOCHS:,} epochs not all four samples get on the right side of 0.5; {now}"
    else:
        later = f"All four samples are on the right side of 0.5 from **epoch {h.solved_at:,}**; {now}"
    if article_run:
        printed = f" (its last printed loss, epoch 900: {h.epoch_loss[900]:.6f})"
        st.info(
            f"**The article's lesson.** After its {ARTICLE_EPOCHS} epochs{printed} the predictions are {preds} "
            f"for targets 0, 1, 1, 0: [1, 1] still gets **{h.predictions[at][3]:.2f}** instead of 0 — the network "
            "has **not** solved XOR. Nothing is broken: it is crossing a plateau of the loss where the gradients "
            f"are small. {later}",
            icon=":material/school:",
        )
    else:
        st.info(
            f"**At epoch {ARTICLE_EPOCHS}**, where the article stops, this network's loss was "
            f"{h.loss[at]:.6f} and its predictions were {preds} (targets 0, 1, 1, 0). {later}",
            icon=":material/school:",
        )


def _printout(h: TrainingHistory) -> None:
    """Drawn only while its expander is open: closed, a setting's rerun does not send the lines again."""
    box = st.expander(
        "The article's printout, reproduced by this network",
        icon=":material/terminal:",
        key=PRINTOUT_KEY,
        on_change="rerun",
    )
    if not box.open:
        return
    with box:
        lines = [f"Epoch {e:4d}: Loss = {h.epoch_loss[e]:.6f}" for e in range(0, ARTICLE_EPOCHS, PRINT_EVERY)]
        at = h.frame_of(ARTICLE_EPOCHS)
        lines += ["", "Final predictions:"]
        lines += [
            f"Input: {x.replace(',', '')} -> Prediction: {p:.4f}, Target: {int(t)}"
            for x, p, t in zip(INPUTS, h.predictions[at], xor_data()[1][:, 0], strict=True)
        ]
        st.code("\n".join(lines), language=None)
        st.caption(
            "The same lines the article's script prints (losses at epochs 0, 100, …, 900, before each "
            "update; predictions after epoch 1000). With the article defaults they match it digit for digit."
        )


def controls() -> None:
    """The network's settings, under the player (a change reruns the stage and recomputes the history)."""
    # One row (one block) rather than seven columns (eight blocks): each is re-sent with every setting.
    # It wraps: on a phone the settings go onto several lines (no sideways page); widths leave room for
    # presentation mode's larger type ("N(0, 0.5²)" was cut at 115 px).
    # Widths in px; the hidden activation's select takes the rest.
    row = st.container(horizontal=True, vertical_alignment="bottom", gap="small", wrap=True)
    state.slider(
        "hidden",
        "Hidden units",
        2,
        8,
        3,
        container=row,
        width=105,
        on_change=_architecture_changed,
        help="Width of the hidden layer (the article uses 3).",
    )
    state.select(
        "activation",
        "Hidden activation",
        ACTIVATION_CHOICES,
        "sigmoid",
        container=row,
        format_func=_label,
        on_change=_architecture_changed,
        help="The output is always a sigmoid; this is the hidden layer's f.",
    )
    state.select(
        "loss",
        "Loss",
        LOSS_CHOICES,
        "mse",
        container=row,
        width=140,
        format_func=_label,
        on_change=_architecture_changed,
        help="MSE: the article's ½·mean((a₂ − y)²). BCE: mean binary "
        "cross-entropy −[y ln a₂ + (1 − y) ln(1 − a₂)].",
    )
    state.select(
        "init",
        "Initial weights",
        INIT_CHOICES,
        "article",
        container=row,
        width=160,
        format_func=_label,
        on_change=_architecture_changed,
        help="The article draws N(0, 1)·0.5 for every weight, zero biases.",
    )
    state.number(
        "seed",
        "Seed",
        0,
        9999,
        42,
        step=1,
        container=row,
        width=65,
        help="The random seed of the initial weights. Changing any of these controls rebuilds the network.",
    )
    state.log_slider(
        "lr",
        "Learning rate η",
        LEARNING_RATES,
        1.0,
        container=row,
        width=120,
        help="Step size of gradient descent: θ ← θ − η·∂L/∂θ. Changing it retrains the whole history; "
        "the player stays on the same epoch.",
    )
    row.button(
        "Article defaults",
        width=105,
        key="backprop.preset_article",
        icon=":material/menu_book:",
        on_click=_apply_article,
        help="3 sigmoid units, MSE, the article's initial weights (seed 42), η = 1.0 — from epoch 0.",
    )


@st.fragment
def stage() -> None:
    """The player, its settings and everything that shows the frame it is paused on (one fragment: a Pause,
    Step or scrub reruns only this; a setting recomputes the history here too)."""
    top = stage_control()  # the player's own buttons are the page's main control; its drawing the main chart
    controls()
    config = tuple(sorted(_config().items()))
    h = history(config, _lr())
    param = st.session_state.get(state.key("param"), DEFAULT_PARAM)
    if param not in _param_names(int(state.get("hidden"))):
        param = DEFAULT_PARAM
    specs = list(panels(config, _lr()))
    specs[0] = {**specs[0], "highlight": _highlight(param, int(state.get("hidden")))}
    with top, stage_chart():
        frame = _player(h, specs, f"backprop:{config}:{_lr()!r}:{specs[0]['highlight']}")
    frame_panels(h, frame, config)


def _player(h: TrainingHistory, specs: list, history_id: str) -> int:
    return player.player(
        PLAYER_KEY,
        n_frames=h.n_frames,
        every=h.every,
        label="Epoch",
        panels=specs,
        columns=[[0], [1], [2, 3]],
        col_widths=[1, 1, 1.15],
        readout=("Loss", h.loss),
        pause_at=ARTICLE_EPOCHS,
        autoplay=True,
        url_param="epoch",
        history_id=history_id,
        legend="Space plays/pauses, ← → step 10 epochs, Home/End jump. The map: blue → 0, "
        "orange → 1, white = 0.5 (the decision boundary); the four XOR samples are drawn in their "
        "target's colour and shape (● target 0, ■ target 1). Edges: orange solid = positive weight, blue "
        "dashed = negative. The highlighted edge is the weight opened up below.",
    )


def frame_panels(h: TrainingHistory, frame: int, config: tuple) -> None:
    """What the paused frame shows. Its epoch and loss are in the player's readout and the lesson below
    (with the epoch XOR is solved from): no row of metrics repeating them (4 more elements per step)."""
    epoch = int(h.epochs[frame])
    st.subheader(f"Paused at epoch {epoch:,}")
    _lesson(h, frame, dict(config) == ARTICLE_NET and _lr() == ARTICLE["lr"])
    _printout(h)
    names = _param_names(dict(config)["n_hidden"])
    chain_rule(names, epoch, (config, _lr(), frame))
    gradient_check(*frame_check(config, _lr(), frame))


# -- the chain rule for one weight ----------------------------------------------------------------
def chain_rule(names: tuple[str, ...], epoch: int, at: tuple) -> None:
    """`at` = (config, lr, frame): where in which run (the numbers come from `frame_chain`'s cache)."""
    st.subheader(f"The chain rule for one weight, at epoch {epoch:,}")
    param = state.select(
        "param",
        "Weight or bias θ",
        names,
        DEFAULT_PARAM,
        width=300,
        help="W1[i,j]: input i → hidden unit j; W2[j,0]: hidden unit j → output; b: biases. "
        "Its edge is highlighted in the network above.",
    )
    terms, offsets, along, slopes, f0 = frame_chain(*at, param)
    values = [np.ravel(factor.values) for factor in terms.factors]
    # The factors as plain text in the table and the list (`factor.text`): typeset, their ten formulas were
    # re-typeset on every step (~20 ms of a step in Chrome); the formula above them stays typeset.
    head = "| sample x | " + " | ".join(factor.text for factor in terms.factors) + " | product |"
    rows = [head, "|:---|" + "---:|" * (len(terms.factors) + 1)]
    for k, x in enumerate(INPUTS):
        cells = " | ".join(f"`{_num(v[k])}`" for v in values)
        rows.append(f"| {x} | {cells} | **`{_num(terms.per_sample[k])}`** |")
    blanks = " | " * len(terms.factors)
    rows.append(f"| **mean** (÷ {terms.m}) |{blanks}**`{_num(terms.product)}`** |")
    # The formula, the table and its note: one Markdown element (they change together).
    st.markdown(
        f"$$\n{terms.formula}\n$$\n\n"
        + "\n".join(rows)
        + "\n\n"
        + small(
            "Each factor is a local derivative read off the forward pass's cache (z₁, a₁, z₂, a₂). For one "
            "sample they multiply; the loss is a mean over the 4 samples, so the gradient is the mean of the "
            "products."
        )
    )
    left, right = st.columns([1, 1.1], gap="large")
    activation = dict(at[0])["activation"]
    with left:
        st.markdown(
            "\n".join(
                f"- **{factor.text}** {wording.chain_factor_meaning(factor.role, factor.unit, activation, 1)}"
                for factor in terms.factors
            )
            + f"\n\n**∂L/∂{param} = `{fmt(terms.product)}`** (the mean of the products)"
        )
        check_badge(
            "Chain rule vs backward()",
            terms.product,
            terms.gradient,
            finite_diff.relative_error(terms.product, terms.gradient),
            a_name="product of the factors",
            b_name="backward()",
            note="Two independent computations: the factors multiplied sample by sample here, and "
            "backward()'s matrix code (δ₂ = (a₂ − y)·σ′(z₂), δ₁ = δ₂W₂ᵀ ⊙ f′(z₁), dW₁ = xᵀδ₁/m).",
        )
    with right:
        thetas = terms.value + offsets
        chart = charts.loss_slice(
            thetas,
            along,
            slopes,
            x0=terms.value,
            f0=f0,
            slope0=terms.gradient,
            x_title=f"θ = {param}",
            f_title="loss L(θ)",
            df_title="∂L/∂θ",
            height=230,
        )
        draw_chart(chart)
        st.caption(
            f"The loss as a function of {param} alone (every other parameter frozen), around its current "
            f"value {fmt(terms.value)} (green dot). The green tangent's slope is backward()'s "
            f"∂L/∂θ = {fmt(terms.gradient)}; gradient descent moves θ against it, downhill. "
            "Hover to slide the tangent along the curve."
        )


# -- gradient check -----------------------------------------------------------------------------
def gradient_check(check: CheckReport, values: tuple[float, ...]) -> None:
    st.subheader("Gradient check: backward() against central differences")
    check_rows = check.rows
    worst = check_rows[int(np.argmax([r.rel_error for r in check_rows]))]
    row = st.container(
        horizontal=True, gap="large", wrap=False
    )  # the verdict beside what it means: one block
    level = check_badge(
        f"Worst of {len(check_rows)} parameters: {worst.name}",
        worst.analytic,
        worst.numeric,
        worst.rel_error,
        a_name="backward()",
        b_name="(L(θ+h) − L(θ−h)) / 2h, h = 1e-6",
        container=row,
        width=340,
    )
    notes = [
        thresholds_caption() + " Each row moves one parameter by ±h and recomputes the loss: no chain rule "
        "involved, so it checks backward() independently."
    ]
    relu_kink = level != "green" and state.get("activation") == "relu"
    if level != "green" and not relu_kink:
        notes.append(
            f"{worst.name}'s gradient is tiny ({fmt(worst.analytic)}): the central difference's round-off "
            "(≈ 1e-16·L/h) is no longer small next to it, so its relative error grows although backward() "
            "is right — the whole-vector error above stays small. Compare at epoch 0 (Reset)."
        )
    row.markdown(
        f"Whole gradient vector (all {len(check_rows)} components, norm-wise): relative error "
        f"`{check.overall:.1e}`.\n\n" + "\n\n".join(small(n) for n in notes),
        width="stretch",
    )
    if relu_kink:
        st.warning(
            "ReLU has a kink at z = 0, where it has no derivative. With zero biases the input [0, 0] gives "
            "z₁ = 0 exactly: backward() uses ReLU′(0) = 0, the central difference straddles the kink and "
            "sees the average slope. The disagreement is the kink, not a bug.",
            icon=":material/info:",
        )
    # Every parameter's row: drawn only while open (closed, a step does not re-send and redraw 13–33 rows).
    box = st.expander(
        f"Every parameter: backward() and the central difference side by side ({len(check_rows)} rows)",
        icon=":material/table:",
        key=CHECK_TABLE_KEY,
        on_change="rerun",
    )
    if not box.open:
        return
    # Written as text here: a pandas Styler's formatting was a fifth of this page's rerun on the server.
    table = pd.DataFrame(
        {
            "parameter": [r.name for r in check_rows],
            "value": [f"{v:.6f}" for v in values],
            "backward()": [f"{r.analytic:.6e}" for r in check_rows],
            "central difference": [f"{r.numeric:.6e}" for r in check_rows],
            "relative error": [f"{r.rel_error:.1e}" for r in check_rows],
        }
    )
    # A static table, not st.dataframe: the data grid redraws its accessible copy ~200 ms after every rerun.
    box.table(
        table,
        hide_index=True,
        height="content" if len(table) <= 18 else 600,  # 8 hidden units: 33 rows, scrolled
    )


stage()

show_code(
    TwoLayerNet.backward,
    TwoLayerNet.chain_rule_terms,
    TwoLayerNet.gradient_check,
    TwoLayerNet.numeric_gradients,
    slice_along,
)

from ui.challenge import challenge_panel

challenge_panel("backprop")
