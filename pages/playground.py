"""Network playground: any small network on 2-D data (or your own points), each unit's map, any weight's chain rule."""

from ui import cache
from ui.shell import ensure_entry

ensure_entry()

import hashlib
import json
from dataclasses import replace

import numpy as np
import streamlit as st

from core.activations import ACTIVATIONS
from core.chain_path import chain_path_of
from core.datasets import DATASETS, PointsError, make_dataset, parse_points, points_dataset, points_to_text
from core.history import MLPHistory, frame_every, quantise, train_mlp_history
from core.mlp import INIT_CHOICES, MLP, parse_param_name
from core.mlp_export import RunSettings, export_script
from ui import player, wording
from ui import state as url
from ui.layout import stage_chart, stage_control
from ui.shell import check_badge, fmt, header, show_code, thresholds_caption
from ui.state import UrlState
from ui.text import md_table, plain, small

PAGE = "playground"
EDGE_WIDTH_LABELS = {"w": "|w|", "grad": "|∂L/∂w|"}  # what an edge's width shows
PLAYER_KEY = f"{PAGE}.player"
MAX_INTERVALS = (
    200  # at most 201 frames per replay: epoch 0, then every k epochs (k divides the run's epochs)
)
PLAY_FPS = 30  # frames per second at 1× (the default 200 epochs play in ~7 s)
MAX_BYTES = 380_000  # the player's data per page load (issue 12's budget: ≤ 400 KB per message)
GRID_N = 24  # decision map: 24 × 24 cells
UNIT_STRIDE = 2  # each unit's small map: every 2nd grid point (12 × 12)
MAX_HIDDEN_LAYERS = 4
MAX_STEPS = 12_000  # gradient steps per run at most (≈1 s for 4 × 8 units): tiny batches get fewer epochs
MAX_LINK_POINTS_CHARS = 1500  # hand-placed points go into the link when their text fits
POINTS_KEY = f"{PAGE}._points"  # (X, y) of the user's points, once accepted
POINTS_ERROR_KEY = f"{PAGE}._points_error"
EXPORT_KEY = f"{PAGE}.export_open"  # the "Copy as Python" expander's state (open: the script is drawn)
PRESET_BUTTONS = (  # (preset, label, icon, what it sets)
    (
        "default",
        "Defaults",
        ":material/restart_alt:",
        "Circles, 2 hidden layers of 6 tanh units, cross-entropy, η = 0.3, batches of 10, 200 epochs.",
    ),
    (
        "spirals",
        "Spirals",
        ":material/cyclone:",
        "400 spiral points, 3 hidden layers of 8 tanh units, 300 epochs.",
    ),
    (
        "article",
        "Article",
        ":material/menu_book:",
        "The article's 2-3-1 sigmoid network on its four XOR points: MSE, seed 42, η = 1, full batch.",
    ),
)
CSV_BOX = "playground_csv_text"  # the text area (not a URL parameter: the points travel as `pts`)
LEARNING_RATES = (0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0)
REG_RATES = (0.0001, 0.0003, 0.001, 0.003, 0.01, 0.03, 0.1)
BATCHES = ("1", "5", "10", "20", "50", "full")
EPOCHS = ("50", "100", "200", "300", "500", "1000")
DATASET_OPTIONS = (*DATASETS, "points")
DEFAULTS = {
    "dataset": "circles",
    "noise": 0.1,
    "n": 200,
    "dseed": 0,
    "layers": 2,
    "w1": 6,
    "w2": 6,
    "w3": 6,
    "w4": 6,
    "activation": "tanh",
    "loss": "ce",
    "output": "1",
    "init": "xavier",
    "seed": 1,
    "lr": 0.3,
    "reg": "none",
    "reg_rate": 0.001,
    "batch": "10",
    "epochs": "200",
}
PRESETS = {
    "default": DEFAULTS,
    "spirals": {
        **DEFAULTS,
        "dataset": "spirals",
        "n": 400,
        "layers": 3,
        "w1": 8,
        "w2": 8,
        "w3": 8,
        "epochs": "300",
    },
    "article": {
        **DEFAULTS,
        "dataset": "xor_article",
        "layers": 1,
        "w1": 3,
        "activation": "sigmoid",
        "loss": "mse",
        "init": "article",
        "seed": 42,
        "lr": 1.0,
        "batch": "full",
        "epochs": "1000",
    },
}
LABELS = {
    "ce": "cross-entropy",
    "mse": "MSE ½(a − y)²",
    "1": "1 sigmoid unit",
    "2": "2 softmax units",
    "article": "article N(0, 0.5²)",
    "xavier": "Xavier (Glorot)",
    "he": "He",
    "none": "none",
    "l1": "L1  λΣ|w|",
    "l2": "L2  ½λΣw²",
    "full": "full batch",
    "points": "Your points (paste below)",
    **{k: spec.label for k, spec in DATASETS.items()},
    **{k: a.name for k, a in ACTIVATIONS.items()},
}

header(
    "Network playground",
    "Any small network on real 2-D data — or on your own points. Every hidden unit draws what it has learned "
    "over the input plane, edges show each weight's sign and size, and any weight's gradient can be opened up "
    "through the chain rule and checked against finite differences. Settings live in the link; **Copy as "
    "Python** gives a NumPy script that trains to the same numbers.",
    r"\frac{\partial L}{\partial W_l[i,j]} = \frac{1}{m}\sum_{\text{samples}} a_{l-1}[i]\,\delta_l[j],\qquad "
    r"\delta_{l}= \bigl(\delta_{l+1} W_{l+1}^{\top}\bigr)\odot f'(z_{l})",
)

state = UrlState(PAGE)


def _label(option: str) -> str:
    return LABELS.get(option, option)


# -- the user's points: text area → validated points; the link carries them as `pts` ------------------
def _load_points_from_link() -> None:
    """Once per session: points from the link's `pts` (bad content: a notice, and the built-in data)."""
    if POINTS_KEY in st.session_state:
        return
    st.session_state[POINTS_KEY] = None
    raw = st.query_params.get("pts")
    if not raw:
        return
    try:
        st.session_state[POINTS_KEY] = parse_points(raw)
        st.session_state[CSV_BOX] = raw.replace(";", "\n")
    except PointsError as err:
        note = f"Link parameter `pts` could not be read ({plain(str(err))}); the link's points were left out."
        st.session_state[state._notices_key].append(note)
        state._notice_box.warning(note, icon=":material/link_off:")
        url.put("pts", None)


def _use_points() -> None:
    """Validate the pasted text; on success switch to the points, else keep the previous data and say why."""
    try:
        st.session_state[POINTS_KEY] = parse_points(st.session_state.get(CSV_BOX, ""))
    except PointsError as err:
        st.session_state[POINTS_ERROR_KEY] = plain(str(err))
        return
    st.session_state[POINTS_ERROR_KEY] = None
    state.set("dataset", "points")


def _apply_preset(name: str) -> None:
    state.apply(PRESETS[name])
    player.seek(PLAYER_KEY, MAX_INTERVALS)  # the end of the new run (the player clamps to its last frame)


_load_points_from_link()


# -- the run: one history per settings ------------------------------------------------------------------
def _dataset(s: RunSettings):
    if s.dataset == "points":
        X = np.array([p[:2] for p in s.points], dtype=np.float64)
        y = np.array([p[2] for p in s.points], dtype=np.int64)
        return points_dataset(X, y, s.test_fraction, s.data_seed)
    return make_dataset(s.dataset, s.n, s.noise, s.data_seed, s.test_fraction)


def _net(s: RunSettings) -> MLP:
    return MLP(s.sizes, s.activation, s.loss, s.init, s.seed, s.l1, s.l2)


def _every(s: RunSettings) -> int:
    """Epochs per frame: the smallest stride giving at most MAX_INTERVALS frames that ends on the last epoch."""
    return frame_every(s.epochs, MAX_INTERVALS, must_include=s.epochs)


@cache.shared(max_entries=16, show_spinner="Training…")
def run(s: RunSettings):
    """The dataset and the whole training history (a frame every `_every(s)` epochs) for the settings."""
    data = _dataset(s)
    history = train_mlp_history(
        _net(s),
        data.X_train,
        data.y_train,
        data.X_test,
        data.y_test,
        s.epochs,
        s.lr,
        s.batch_size,
        s.shuffle_seed,
        frames=s.epochs // _every(s) + 1,
        grid_n=GRID_N,
        extent=data.extent,
    )
    return data, history


def _shown(s: RunSettings, arrays: list[np.ndarray]) -> list[np.ndarray]:
    """Per-layer (…, n_in, n_out) arrays as drawn: two softmax outputs drawn as one (the class-1 unit)."""
    return [*arrays[:-1], arrays[-1][..., 1:]] if s.n_out == 2 else list(arrays)


def _to_u8(v: np.ndarray) -> np.ndarray:
    """[-1, 1] → uint8 (the player's diverging colours: 0 blue, 128 white, 255 orange)."""
    return np.rint((np.clip(v, -1.0, 1.0) + 1.0) * 127.5).astype(np.uint8)


@cache.shared(max_entries=16, show_spinner=False)
def panels(s: RunSettings, by_grad: bool) -> tuple[tuple[dict, ...], int]:
    """The player's panels and m: every m-th frame of the run (m = 1 unless a large network's frames would
    pass the player's budget of MAX_BYTES per message; the last frame is always kept)."""
    last = run(s)[1].n_frames - 1
    for m in (d for d in range(1, last + 1) if last % d == 0):
        specs = _panels(s, by_grad, m)
        if len(json.dumps(specs)) <= MAX_BYTES or m == last:
            return specs, m
    raise AssertionError("unreachable")


def _panels(s: RunSettings, by_grad: bool, m: int) -> tuple[dict, ...]:
    """The network with every unit's map, the decision map with the train (●) and test (▲) points, the
    train/test loss curves: frames 0, m, 2m, … of the run."""
    data, h = run(s)
    layers = len(s.sizes) - 1
    h = replace(
        h,
        frame_epochs=h.frame_epochs[::m],
        params=h.params[::m],
        output_maps=h.output_maps[::m],
        unit_maps=h.unit_maps[::m],
    )
    n_frames = h.n_frames
    weights = _shown(s, [np.stack([p[f"W{k + 1}"] for p in h.params]) for k in range(layers)])
    widths = None
    if by_grad:
        net = _net(s)
        grads = []
        for p in h.params:
            net.set_params(p)
            g = net.backward(data.X_train, data.y_train)
            grads.append([g[f"dW{k + 1}"] for k in range(layers)])
        widths = _shown(s, [np.stack([g[k] for g in grads]) for k in range(layers)])
    frames = [_unit_maps(h, f, data.extent) for f in range(n_frames)]  # per frame: one (k, k, n_l) per layer
    per_layer = [_to_u8(np.stack([fr[k].transpose(2, 0, 1) for fr in frames])) for k in range(layers + 1)]
    sizes = [*s.sizes[:-1], 1]
    titles = ["inputs", *[f"layer {k}" for k in range(1, layers)], "output"]
    pts = [
        {"x": float(a), "y": float(b), "t": float(c)}
        for (a, b), c in zip(data.X_train, data.y_train, strict=True)
    ]
    pts += [
        {"x": float(a), "y": float(b), "t": float(c), "s": "^"}
        for (a, b), c in zip(data.X_test, data.y_test, strict=True)
    ]
    at = h.frame_epochs
    return (
        player.network_panel(
            "Network: " + " → ".join(titles) + (" (width |∂L/∂w|)" if by_grad else " (width |w|)"),
            sizes,
            weights,
            unit_maps=per_layer,
            widths=widths,
            aspect=0.72,
            alt="The network at the current epoch: each unit's output over the input plane, "
            "edges coloured by the sign of their weight",
        ),
        player.map_panel(
            f"Decision map P(class 1) ({GRID_N} × {GRID_N}), train ● test ▲",
            quantise(h.output_maps),
            data.extent,
            points=pts,
            point_radius=3.5,
            xlabel="x₁",
            ylabel="x₂",
            alt="The network's P(class 1) over the plane with the data",
        ),
        player.curve_panel(
            "Loss: train (green), test (pink), log scale",
            [
                ("train", player.PALETTE["series"][2], h.train_loss[at]),
                ("test", player.PALETTE["series"][3], h.test_loss[at]),
            ],
            log=True,
            xlabel=f"epoch 0 … {s.epochs}",
            alt="Train and test loss with the current epoch marked",
        ),
    )


def _digest(s: RunSettings) -> str:
    """A short stable name for a run's settings (part of the player's history id)."""
    return hashlib.sha1(repr(s).encode()).hexdigest()[:16]


def _highlight(s: RunSettings, chosen: str) -> tuple[int, int, int] | None:
    """The chosen weight W_l[i,j] as the player's (layer, i, j) edge (None if it is not drawn)."""
    key, (i, j) = parse_param_name(chosen)
    layer = int(key[1:]) - 1
    if s.n_out == 2 and layer == len(s.sizes) - 2:
        return (layer, i, 0) if j == 1 else None
    return (layer, i, j)


def _unit_maps(h: MLPHistory, f: int, extent) -> list[np.ndarray]:
    """[-1, 1]-scaled maps for every layer: the inputs, each hidden unit, the output (2p − 1)."""
    xs, ys = h.xs[::UNIT_STRIDE], h.ys[::UNIT_STRIDE]
    gx, gy = np.meshgrid(xs, ys)
    scale = lambda g, lo, hi: (2 * (g - lo) / (hi - lo) - 1)[:, :, None]  # noqa: E731
    maps = [np.concatenate([scale(gx, extent[0], extent[1]), scale(gy, extent[2], extent[3])], axis=2)]
    maps += [u[::UNIT_STRIDE, ::UNIT_STRIDE, :] for u in h.unit_maps[f]]
    maps.append((2 * h.output_maps[f][::UNIT_STRIDE, ::UNIT_STRIDE] - 1)[:, :, None])
    return maps


def _weight_choice(settings: RunSettings) -> str:
    """The chosen weight W_l[i,j] (layer, from, to), each kept inside the current architecture."""
    sizes = settings.sizes
    layer_opts = tuple(str(k) for k in range(1, len(sizes)))
    for name, opts in (("wl", layer_opts),):
        if st.session_state.get(state.key(name), "1") not in opts:
            state.set(name, "1")
    row = st.container(horizontal=True)  # one block, not a column row's five
    wl = int(state.select("wl", "Weight of layer", layer_opts, "1", container=row))
    from_opts = tuple(str(i) for i in range(sizes[wl - 1]))
    to_opts = tuple(str(j) for j in range(sizes[wl]))
    for name, opts in (("wi", from_opts), ("wj", to_opts)):
        if st.session_state.get(state.key(name), "0") not in opts:
            state.set(name, "0")
    wi = state.select("wi", "from unit", from_opts, "0", container=row)
    wj = state.select("wj", "to unit", to_opts, "0", container=row)
    state.select(
        "edge",
        "Edge width",
        ("w", "grad"),
        "w",
        container=row,
        format_func=EDGE_WIDTH_LABELS.__getitem__,
        help="Draw each edge as thick as its weight, or as its current gradient.",
    )
    return f"W{wl}[{wi},{wj}]"


@st.fragment
def stage(s: RunSettings, data, history: MLPHistory) -> None:
    """The player and everything that shows the frame it is paused on (a Pause, Step or scrub reruns only
    this fragment; nothing runs on the server while it plays)."""
    top = stage_control()  # the player's own buttons are the page's main control; its drawing the main chart
    st.markdown("**Open one weight's chain rule**")
    chosen = _weight_choice(s)
    shown, m = panels(s, state.get("edge") == "grad")
    specs = [{**shown[0], "highlight": _highlight(s, chosen)}, *shown[1:]]
    epochs = history.frame_epochs[::m]
    with top, stage_chart():
        frame = m * player.player(
            PLAYER_KEY,
            n_frames=len(epochs),
            panels=specs,
            columns=[[0], [1, 2]],
            col_widths=[1.25, 1],
            every=_every(s) * m,
            label="Epoch",
            readout=("Train loss", history.train_loss[epochs]),
            autoplay=True,
            url_param="epoch",
            fps=max(8, min(PLAY_FPS, len(epochs) // 6)),
            follow_end=True,
            history_id=f"playground:{_digest(s)}:{state.get('edge')}:{specs[0]['highlight']}",
            legend="Space plays/pauses, ← → step, Home/End jump. Each square is one unit's output over the input "
            "plane (blue −1 … white 0 … orange +1; the output square is 2·P(class 1) − 1); edges: colour = "
            "sign of the weight, width = |w| or |∂L/∂w|. The highlighted edge is the weight opened up "
            "below. The map: blue class 0, orange class 1, white the boundary.",
        )
    frame_panels(s, data, history, frame, chosen)


def frame_panels(s: RunSettings, data, history: MLPHistory, frame: int, chosen: str) -> None:
    """Metrics, the chosen weight's chain rule and its check, all at the frame the player is on."""
    settings = s
    epoch = int(history.frame_epochs[frame])
    net = _net(s)
    net.set_params(history.params[frame])
    row = st.container(horizontal=True)  # one block, not a column row's six
    row.metric(f"Epoch (of {s.epochs})", f"{epoch}")
    row.metric("Train loss", fmt(history.train_loss[epoch], 4))
    row.metric("Test loss", fmt(history.test_loss[epoch], 4))
    row.metric("Train accuracy", f"{100 * history.train_acc[epoch]:.1f} %")
    row.metric("Test accuracy", f"{100 * history.test_acc[epoch]:.1f} %")
    st.caption(f"History computed in {history.seconds:.2f} s: {s.epochs} epochs, {history.n_frames} frames.")

    # -- the chain rule for the chosen weight, at this frame ----------------------------------------------------
    st.subheader(f"The chain rule for {chosen} at epoch {epoch}")
    path = net.chain_path(data.X_train, data.y_train, chosen)
    rows = []
    for step_ in path.steps:
        vals = step_.values
        meaning = wording.chain_step_meaning(
            step_.role,
            step_.unit,
            step_.layer,
            mse=net.loss_name == "mse",
            output=net.output,
            activations=net.activations,
        )
        rows.append(
            (
                step_.symbol,
                meaning,
                f"{float(np.mean(vals)):.4g}",
                *(f"{float(v):.4g}" for v in vals[:3]),
            )
        )
    header = (
        "link",
        "what it is",
        "mean over samples",
        *(f"sample {k + 1}" for k in range(min(3, len(path.per_sample)))),
    )
    m = len(path.per_sample)
    st.markdown(  # the table, the sum and the note: one element (a Markdown table, not st.table's Styler)
        md_table(header, rows, "ll") + "\n\n"
        f"Backprop multiplies the links sample by sample: each hidden δ is *∂L/∂a × f′(z)*, and the weight's gradient "
        f"is the mean over the {m} training samples of δ × (the input it multiplies)"
        + (" plus the regulariser's share" if settings.l1 or settings.l2 else "")
        + ":  \n"
        f"∂L/∂{chosen} = `{fmt(path.data_part, 8)}`"
        + (f" + `{fmt(path.penalty_part, 8)}`" if settings.l1 or settings.l2 else "")
        + f" = `{fmt(path.total, 8)}` (backward pass: `{fmt(path.gradient, 8)}`).\n\n"
        + small(
            "Above the chosen layer the table follows one unit per layer (the strongest weight onward); its "
            "∂L/∂a already sums every path to the output — that sum is what backpropagation saves you from "
            "enumerating."
        )
    )
    check = net.gradient_check(data.X_train, data.y_train, h=1e-6, params=[chosen]).rows[0]
    check_badge(
        f"∂L/∂{chosen}: backprop vs central differences at this frame",
        check.analytic,
        check.numeric,
        check.rel_error,
        a_name="backprop",
        b_name="(L(w+h) − L(w−h))/2h, h = 1e-6",
        note=thresholds_caption(),  # in the check's box: one element fewer than a caption under it
    )


@st.fragment
def body() -> None:
    """Every setting and everything it changes (the run, the player, the chain rule, your points, the
    script): a setting reruns only this, not the sidebar, the header, the code or the challenge below."""
    # -- controls: the main ones beside each other, the rest folded ---------------------------------------------
    # Columns here (the dataset's names need the wider first one); the rows of the "More settings" below
    # are horizontal containers (one block each, not a block per column more).
    c1, c2, c3, c4, c5 = st.columns([1.5, 1, 1, 1, 1.1])
    dataset = state.select(
        "dataset", "Dataset", DATASET_OPTIONS, DEFAULTS["dataset"], format_func=_label, container=c1
    )
    noise = state.slider("noise", "Noise", 0.0, 1.0, DEFAULTS["noise"], 0.05, container=c2)
    n_layers = state.slider("layers", "Hidden layers", 0, MAX_HIDDEN_LAYERS, DEFAULTS["layers"], container=c3)
    activation = state.select(
        "activation",
        "Activation",
        tuple(ACTIVATIONS),
        DEFAULTS["activation"],
        format_func=_label,
        container=c4,
        help="Every hidden layer uses it.",
    )
    lr = state.log_slider("lr", "Learning rate η", LEARNING_RATES, DEFAULTS["lr"], container=c5)

    cols = st.columns(5)
    widths = [
        state.slider(f"w{k}", f"Units in layer {k}", 1, 8, DEFAULTS[f"w{k}"], container=col)
        for k, col in zip(range(1, n_layers + 1), cols[:4], strict=False)
    ]
    epochs = state.select("epochs", "Epochs", EPOCHS, DEFAULTS["epochs"], container=cols[4])

    # The player goes right under the main controls (filled at the end, once the history is known); the finer
    # settings and the presets follow it, so the stage stays on the first screen, in presentation mode too.
    player_slot = st.container()
    with st.expander(
        "More settings: loss, output, initialisation, regularisation, batch size, seeds",
        icon=":material/tune:",
    ):
        row = st.container(horizontal=True)
        loss = state.select(
            "loss", "Loss", ("ce", "mse"), DEFAULTS["loss"], format_func=_label, container=row
        )
        output = state.select(
            "output",
            "Output",
            ("1", "2"),
            DEFAULTS["output"],
            format_func=_label,
            container=row,
            help="One sigmoid unit gives P(class 1); two softmax units give both class probabilities.",
        )
        init = state.select(
            "init", "Initial weights", INIT_CHOICES, DEFAULTS["init"], format_func=_label, container=row
        )
        seed = state.number("seed", "Weight seed", 0, 9999, DEFAULTS["seed"], 1, container=row)
        batch = state.select(
            "batch", "Batch size", BATCHES, DEFAULTS["batch"], format_func=_label, container=row
        )
        row = st.container(horizontal=True)
        reg = state.select(
            "reg", "Regularisation", ("none", "l1", "l2"), DEFAULTS["reg"], format_func=_label, container=row
        )
        reg_rate = state.log_slider(
            "reg_rate", "Regularisation rate λ", REG_RATES, DEFAULTS["reg_rate"], container=row
        )
        n_points = state.slider(
            "n",
            "Points",
            50,
            500,
            DEFAULTS["n"],
            50,
            container=row,
            help="How many points are drawn; half train, half test.",
        )
        data_seed = state.number("dseed", "Data seed", 0, 9999, DEFAULTS["dseed"], 1, container=row)

    # One block, not a column row's five: the caption fills the row's first line, the buttons the next
    # (on a phone too, where a narrow box beside them squeezed the caption).
    presets = st.container(horizontal=True)
    presets.caption(
        "Press **Play** (or Space) to replay the training; Pause, Step (← →) or drag the scrubber and "
        "everything under the player shows that epoch. The link keeps the epoch."
    )
    for name, label, icon, tip in PRESET_BUTTONS:
        presets.button(
            label,
            key=f"{PAGE}.preset_{name}",
            on_click=_apply_preset,
            args=(name,),
            width="content",
            icon=icon,
            help=tip,
        )

    points = st.session_state.get(POINTS_KEY)
    using_points = dataset == "points" and points is not None
    settings = RunSettings(
        dataset="points" if using_points else ("circles" if dataset == "points" else dataset),
        n=int(n_points),
        noise=float(noise),
        data_seed=int(data_seed),
        hidden=tuple(int(w) for w in widths),
        activation=activation,
        loss=loss,
        n_out=int(output),
        init=init,
        seed=int(seed),
        lr=float(lr),
        l1=float(reg_rate) if reg == "l1" else 0.0,
        l2=float(reg_rate) if reg == "l2" else 0.0,
        batch_size=None if batch == "full" else int(batch),
        epochs=int(epochs),
        points=tuple((float(x), float(y), int(c)) for (x, y), c in zip(*points, strict=True))
        if using_points
        else (),
    )
    notice = st.empty()  # one fixed slot above the stage (its charts keep their place)
    if dataset == "points" and points is None:
        notice.info(
            "No points yet: paste `x1,x2,label` rows under **Your own points** below. Showing Circles.",
            icon=":material/info:",
        )
    n_train = (
        -(-len(settings.points) // 2)
        if using_points and len(settings.points) >= 10
        else (
            len(settings.points)
            if using_points
            else (4 if settings.dataset == "xor_article" else -(-settings.n // 2))
        )
    )
    steps_per_epoch = 1 if settings.batch_size is None else -(-n_train // settings.batch_size)
    if settings.epochs * steps_per_epoch > MAX_STEPS:
        capped = MAX_STEPS // steps_per_epoch
        capped = capped - capped % 50 if capped >= 50 else max(capped, 1)
        notice.info(
            f"{settings.epochs} epochs in batches of {settings.batch_size} would be "
            f"{settings.epochs * steps_per_epoch:,} gradient steps; the playground trains {capped} epochs "
            f"(at most {MAX_STEPS:,} steps). Choose a larger batch for longer runs.",
            icon=":material/speed:",
        )
        settings = RunSettings(**{**settings.__dict__, "epochs": capped})

    data, history = run(settings)

    with player_slot:
        stage(settings, data, history)

    # -- your own points --------------------------------------------------------------------------------------
    with st.expander(
        "Your own points (paste CSV)", icon=":material/scatter_plot:", expanded=dataset == "points"
    ):
        st.caption(
            "One point per line: `x1,x2,label` with label 0 or 1 (a header line `x1,x2,label` is fine). "
            "At most 300 points, coordinates within ±100. With 10 or more points half are held out for testing."
        )
        st.text_area("Points", key=CSV_BOX, height=140, placeholder="0,0,0\n0,1,1\n1,0,1\n1,1,0")
        st.button(
            "Use these points", key=f"{PAGE}.use_points", on_click=_use_points, icon=":material/upload:"
        )
        problem = st.session_state.get(POINTS_ERROR_KEY)
        if problem:
            st.error(
                f"Could not use these points — {problem}. The previous data are kept.",
                icon=":material/error:",
            )
        if points is not None:
            st.caption(f"Points in use: {len(points[1])}.")

    # the points in the link, when they fit
    if using_points:
        compact = points_to_text(*points, sep=";")
        if len(compact) <= MAX_LINK_POINTS_CHARS:
            url.put("pts", compact)
        else:
            url.put("pts", None)
            notice.info(
                f"Your {len(points[1])} points are too many for the link ({len(compact):,} characters, at "
                f"most {MAX_LINK_POINTS_CHARS:,}): a shared link opens with the other settings but without "
                "the points.",
                icon=":material/link_off:",
            )
    elif dataset != "points":
        url.put("pts", None)

    # -- export -------------------------------------------------------------------------------------------------
    # The script (a long highlighted code block) is only drawn while its expander is open: closed, a
    # setting's rerun does not send or re-highlight it.
    export = st.expander("Copy as Python", icon=":material/content_copy:", key=EXPORT_KEY, on_change="rerun")
    with export:
        st.caption(
            "A standalone NumPy script (no Streamlit, no Gradient Lab) that rebuilds this dataset and network "
            f"and trains it to the same numbers: it prints final train loss "
            f"`{history.train_loss[-1]:.12g}`. Use the copy button at the code's top right."
        )
        if export.open:
            st.code(export_script(settings), language="python")


body()

show_code(MLP.backward, MLP._deltas, chain_path_of, train_mlp_history)

from ui.challenge import challenge_panel

challenge_panel("playground")
