"""Vanishing and exploding gradients: per-layer gradient norms through a deep stack, and the remedies."""

from ui import cache
from ui.shell import ensure_entry

ensure_entry()

import numpy as np
import streamlit as st

from core import gradient_flow as gf
from core.activations import ACTIVATIONS
from core.gradient_check import flow_weight_check
from core.initialisation import INITS
from core.mlp import parse_param_name
from ui import stepper as sp
from ui.layout import stage_chart, stage_control
from ui.palette import CATEGORICAL, DASHES
from ui.shell import check_level, fmt, header, show_code, thresholds_caption
from ui.state import UrlState

STDS = (0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 1.0, 2.0, 3.0, 5.0, 10.0)
CLIPS = (0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0)
PROBLEMS = ("vanishing", "exploding")
REMEDIES = ("relu", "residual", "batchnorm", "init", "clipping")
SERIES_INPUT = "‖∂L/∂h_l‖ (layer output)"
SERIES_WEIGHT = "‖∂L/∂W_l‖ (weights)"
SERIES_CLIPPED = "‖∂L/∂W_l‖ after clipping"
SERIES_BOUND = "bound ‖∂L/∂h_L‖·Π ¼‖W_k‖₂ (σ′ ≤ ¼)"
SERIES_BASE = "‖∂L/∂h_l‖ before the remedy"
SHORT = {
    "vanishing": "Vanishing (sigmoid)",
    "exploding": "Exploding (ReLU, σ = 1)",
    "relu": "ReLU instead of sigmoid",
    "residual": "Residual connections",
    "init": "Better init (Xavier)",
    "clipping": "Gradient clipping",
    "batchnorm": "Batch normalization",
}

header(
    "Vanishing gradients — and exploding ones",
    "Backpropagation multiplies the gradient by one local Jacobian per layer on its way down. "
    "Multiply thirty factors that are each a bit smaller than one and the first layers receive "
    "almost nothing (they stop learning: *vanishing*); a bit larger than one and the update blows up "
    "(*exploding*). Below, a deep stack of dense layers — pick its depth, width, activation and "
    "initialisation — and the gradient norm at every layer. Then try the four remedies from the "
    "article's FAQ, one click each.",
    r"\frac{\partial L}{\partial h_l} = \frac{\partial L}{\partial h_L}\prod_{k=l+1}^{L} J_k,"
    r"\qquad J_k = \frac{\partial h_k}{\partial h_{k-1}},\qquad"
    r"\lVert J_k \rVert \le \max|\sigma'|\,\lVert W_k \rVert",
)

state = UrlState("vanishing_gradients")


def _apply_preset(key: str) -> None:
    """Set every control to the preset's settings (from a widget callback, before the widgets render)."""
    kw = gf.PRESETS[key].kwargs
    values = {
        "depth": kw["depth"],
        "width": kw["width"],
        "activation": kw["activation"],
        "init": kw["init"],
        "residual": bool(kw["residual"]),
        "clip": kw["clip"] is not None,
        "batchnorm": bool(kw.get("batch_norm", False)),
    }
    if kw.get("std") is not None:
        values["std"] = float(kw["std"])
    if kw["clip"] is not None:
        values["threshold"] = float(kw["clip"])
    state.apply(values)


def _preset_label(key: str) -> str:
    icon = ":material/warning:" if gf.PRESETS[key].role == "problem" else ":material/healing:"
    return f"{icon} {SHORT[key]}"


def _choose_preset(widget_key: str) -> None:
    """A preset picked in the Problem or Remedy row: every control takes its settings (a callback, before
    the widgets render). Picking the preset already on deselects it in the widget only: nothing changes."""
    chosen = st.session_state.get(widget_key)
    if chosen is not None:
        _apply_preset(chosen)


def _preset_row(label: str, keys: tuple[str, ...], active: str | None, help: str) -> None:
    """One row of presets as a single widget (pills: they wrap on a phone). The preset whose settings are
    on shows as selected; any other change of the controls leaves none selected."""
    widget_key = f"vanishing_gradients.presets_{label.lower()}"
    st.session_state[widget_key] = active if active in keys else None
    st.pills(
        label,
        list(keys),
        format_func=_preset_label,
        key=widget_key,
        on_change=_choose_preset,
        args=(widget_key,),
        help=help,
        width="stretch",
    )


def _activation_name(key: str) -> str:
    return ACTIVATIONS[key].name


def _init_name(key: str) -> str:
    return INITS[key].name


@cache.data(show_spinner=False, max_entries=128)
def analyse(
    depth: int,
    width: int,
    activation: str,
    init: str,
    std: float | None,
    residual: bool,
    clip: float | None,
    batch_norm: bool = False,
) -> dict:
    """The per-layer norms (small arrays) and the finite-difference check of one stack, from core."""
    flow = gf.gradient_flow(
        depth=depth,
        width=width,
        activation=activation,
        init=init,
        std=std,
        residual=residual,
        clip=clip,
        batch_norm=batch_norm,
    )
    return {
        "input": np.array(flow.input_grad_norms),
        "weight": np.array(flow.weight_grad_norms),
        "clipped": np.array(flow.clipped_weight_grad_norms),
        "bound": None if flow.bound is None else np.array(flow.bound),
        "before": flow.global_norm_before,
        "after": flow.global_norm_after,
        "scale": flow.clip_scale,
        "attenuation": flow.attenuation,
        "finite": flow.finite,
        "sigma": flow.std,
        "peak": flow.peak_grad,
        "check": flow_weight_check(flow) if flow.finite else None,
    }


def _settings_of(kw) -> tuple:
    fixed = INITS[kw["init"]].fixed
    return (
        int(kw["depth"]),
        int(kw["width"]),
        kw["activation"],
        kw["init"],
        float(kw["std"]) if fixed and kw.get("std") is not None else None,
        bool(kw["residual"]),
        None if kw["clip"] is None else float(kw["clip"]),
        bool(kw.get("batch_norm", False)),
    )


# ---- what every depth shows (ui.stepper blocks) ---------------------------------------------------
DEPTHS = range(1, 51)  # the stepper's first axis: option k is depth k + 1
WIDTHS = range(4, 65)  # its second: option k is width k + 4
DEFAULT_DEPTH, DEFAULT_WIDTH = 20, 32
AXES = (
    sp.Axis(
        "depth",
        "Depth L (layers)",
        options=list(DEPTHS),
        default=DEFAULT_DEPTH,
        help="The number of dense layers in the stack. Arrow keys step; Home and End jump.",
    ),
    sp.Axis(
        "width",
        "Width (units per layer)",
        options=list(WIDTHS),
        default=DEFAULT_WIDTH,
        help="The units of every layer: each W_k is width × width. Arrow keys step; Home and End jump.",
    ),
)
# A window: every depth at the shown width, and the widths up to WIDTH_RADIUS either side at the shown depth
# (a step further is reported at once; the rerun sends the window around it). Each width beside costs a new
# stack per depth move (core: ~10-30 ms each) and ~2.5 kB of payload; a whole width column costs 50 stacks,
# computed once per width (`column`).
WIDTH_RADIUS = 2
STYLES = {
    SERIES_INPUT: 0,
    SERIES_WEIGHT: 1,
    SERIES_CLIPPED: 2,
    SERIES_BOUND: 4,
    SERIES_BASE: 3,
}  # palette index: colour and dash
THIN = (SERIES_BOUND, SERIES_BASE)  # bounds and baselines: drawn thinner (as the Vega chart did)
WORDS = {"green": "✓ agree", "orange": "⚠ suspicious", "red": "✗ disagree"}
CHART_NOTE = (
    "Going down one layer multiplies the gradient by that layer's Jacobian J_k = diag(f′(z_k))·W_kᵀ, so the "
    "gradient reaching layer l is a product of L − l such factors and changes geometrically with depth — "
    "a straight line on this log axis. For the sigmoid f′ ≤ ¼, so unless ‖W_k‖ > 4 every factor shrinks it "
    "(the dashed bound), while large weights with a slope-1 activation make every factor exceed one and the "
    "gradient explodes."
)
READOUT_NOTE = (
    "ratio = ‖∂L/∂h₀‖ / ‖∂L/∂h_L‖: ≪ 1 vanishing, ≫ 1 exploding, ≈ 1 healthy. Global norm = "
    "√(Σ_l ‖∂L/∂W_l‖²) before any clipping: the size of one full update direction."
)
CLIP_NOTE = (
    "Clipping rescales every layer's gradient by the same factor: the direction and the layer-to-layer ratios "
    "stay (the green line is parallel to the red one), only the size of the step is capped. It tames "
    "exploding updates; it cannot revive a vanished gradient."
)


def _active(settings: tuple) -> str | None:
    """The preset whose settings these are (None if none)."""
    return next((k for k, p in gf.PRESETS.items() if _settings_of(p.kwargs) == settings), None)


def _colour(i: int) -> dict[str, str]:
    k = i % len(CATEGORICAL["light"])
    return {"light": CATEGORICAL["light"][k], "dark": CATEGORICAL["dark"][k]}


def _verdict(r: dict) -> str:
    att = r["attenuation"]
    if not r["finite"]:
        return "**✗ Overflow.** The numbers overflowed float64: this stack explodes beyond 1e308."
    if att < 1e-3:
        return f"**⚠ Vanishing.** The first layer gets {fmt(att, 3)} × the output's gradient: its weights barely move."
    if att > 1e3:
        return (
            f"**⚠ Exploding.** The first layer gets {fmt(att, 3)} × the output's gradient: one step can throw "
            "the weights far away."
        )
    return "**✓ Healthy.** The gradient stays within three orders of magnitude across the stack."


def _readouts(r: dict, active: str | None, baseline: dict | None, clip_on: bool) -> list[str]:
    """What reaches the first layer (Markdown subset: ui.stepper.paragraphs): the verdict and the numbers."""
    items = [
        f"- ‖∂L/∂h₀‖ (network input): `{fmt(float(r['input'][0]), 4)}`",
        f"- ‖∂L/∂h_L‖ (output): `{fmt(float(r['input'][-1]), 4)}`",
    ]
    ratio = f"- ratio first / last: `{fmt(r['attenuation'], 4)}`"
    if baseline is not None and active != "clipping":
        way = "up" if r["attenuation"] > baseline["attenuation"] else "down"
        ratio += f" :gray[({way} from {fmt(baseline['attenuation'], 3)} before the remedy)]"
    items.append(ratio)
    items.append(f"- global norm ‖∂L/∂W‖: `{fmt(r['before'], 4)}`")
    if clip_on:
        after = f"- global norm after clipping: `{fmt(r['after'], 4)}`"
        if baseline is not None and active == "clipping":
            after += f" :gray[(down from {fmt(baseline['before'], 3)})]"
        items.append(after)
    return [
        "**What reaches the first layer**",
        _verdict(r),
        "\n".join(items),
    ]


def _check(r: dict) -> tuple[list[str], str | None]:
    """Backprop against central differences on one weight (Markdown subset), and its level."""
    report = r["check"]
    if report is None:
        return ["**Backprop vs central differences:** no check, the forward pass overflowed float64."], None
    chk = report.rows[0]
    layer, (i, j) = int(chk.group[1:]), parse_param_name(chk.name)[1]
    level = check_level(chk.rel_error)
    note = (
        f"Perturbing W_{layer}[{i},{j}] by ±{report.h:.0e} and rerunning the whole forward pass "
        "(no backprop involved); the step is picked from the differences alone."
    )
    if report.skipped:
        note += (
            f" Layers 1–{layer - 1} were skipped: their gradients (max |∂L/∂W₁| = "
            f"{report.skipped_max:.1e}) are below the round-off of the loss itself "
            f"(≈ {report.roundoff:.0e} per difference) — finite differences cannot measure a gradient "
            "that has vanished, backprop can."
        )
    if not report.reliable and chk.rel_error >= 1e-7:
        note += (
            f" Here the numeric estimate is itself uncertain (≈ ±{report.spread:.0e} relative, from how it "
            "changes with h): the loss varies too wildly at this scale (a chaotic, exploding regime) for "
            "finite differences to judge backprop."
        )
    return [
        f"**Backprop vs central differences: ∂L/∂W_{layer}[{i},{j}] — {WORDS[level]}**",
        f"backprop: `{fmt(chk.analytic)}` · (L(W+h) − L(W−h))/2h: `{fmt(chk.numeric)}` · relative error "
        f"`{chk.rel_error:.1e}`",
        f":gray[{note}]",
    ], level


@cache.data(show_spinner=False, max_entries=64)
def _preset_note(active: str | None, clip_on: bool) -> list[str]:
    """The preset these settings are (at this depth), explained: drawn by the stepper with the depth, so it
    never lags a step (Markdown subset, ui.stepper.paragraphs)."""
    if active is None:
        return []
    preset = gf.PRESETS[active]
    lines = [f"{'⚠' if preset.role == 'problem' else '✚'} **{preset.label}.** {preset.explanation}"]
    if not clip_on and active == "exploding":
        lines.append("Try the **gradient clipping** remedy to cap this enormous update.")
    return lines


def _piece(depth: int, width: int, rest: tuple) -> dict:
    """What one (depth, width) shows, formatted (core computes it: `analyse`, cached per stack): the
    chart's series, the values it cannot draw, its alt text, the readouts, the preset's note, the check and
    the clipping bars. ``rest``: the other controls (activation, init, std, residual, threshold, batch norm)."""
    activation, _, _, residual, threshold, _ = rest
    clip_on = threshold is not None
    settings = (depth, width, *rest)
    r = analyse(*settings)
    active = _active(settings)
    preset = gf.PRESETS[active] if active else None
    baseline = None
    if preset is not None and preset.role == "remedy" and preset.baseline:
        baseline = analyse(*_settings_of(gf.PRESETS[preset.baseline].kwargs))
    frame = {
        SERIES_INPUT: r["input"],
        SERIES_WEIGHT: r["weight"],
        SERIES_CLIPPED: r["clipped"] if clip_on and r["scale"] < 1.0 else None,
        SERIES_BOUND: r["bound"] if activation == "sigmoid" and r["bound"] is not None else None,
        SERIES_BASE: (
            baseline["input"]
            if baseline is not None and active != "clipping" and baseline["input"].size == depth + 1
            else None
        ),
    }
    series, gone = {}, []
    for name, values in frame.items():
        series[name] = None if values is None else [float(v) for v in values]
        if values is not None and not np.all(np.isfinite(values) & (np.asarray(values) > 0)):
            gone.append(name)
    out = {
        "series": series,
        "dropped": (
            sp.paragraphs(
                "Not drawn on the log axis (exactly zero or overflowed): " + ", ".join(gone) + ".", small=True
            )
            if gone
            else []
        ),
        "alt": (
            f"Line chart, log scale: gradient norm at every layer of a {depth}-layer stack of width {width}, "
            f"layer 0 (input) to {depth} (output). ‖∂L/∂h‖ goes from {fmt(float(r['input'][-1]), 3)} at the "
            f"output to {fmt(float(r['input'][0]), 3)} at the input (ratio {fmt(r['attenuation'], 3)})."
        ),
        "readouts": sp.paragraphs(_readouts(r, active, baseline, clip_on)),
        "note": sp.paragraphs(_preset_note(active, clip_on)),
        "check": sp.paragraphs(_check(r)[0]),
        "clip": None,
    }
    if clip_on:
        if r["scale"] < 1.0:
            reading = (
                f"All weight gradients were multiplied by **{fmt(r['scale'], 3)}** = c / ‖g‖, so the "
                f"global norm went from `{fmt(r['before'])}` to `{fmt(r['after'])}`."
            )
        else:
            reading = (
                f"The global norm `{fmt(r['before'])}` is already below c = {threshold:g}: "
                "clipping leaves the gradients unchanged."
            )
        out["clip"] = {
            "reading": sp.paragraphs(reading),
            "values": [r["before"], r["after"]],
            "alt": (
                f"Bars, log scale: global gradient norm {fmt(r['before'], 3)} before clipping, "
                f"{fmt(r['after'], 3)} after, threshold c = {threshold:g}."
            ),
        }
    return out


@cache.shared(show_spinner=False, max_entries=32)
def column(width: int, rest: tuple) -> list[dict]:
    """Every depth at one width (`_piece`), once per width and setting of the other controls, for everyone:
    every window at this width reuses it (a depth move computes only the other widths at the new depth).
    Shared, not copied: the windows only read it."""
    return [_piece(depth, width, rest) for depth in DEPTHS]


def _notes(rest: tuple) -> list[str]:
    """What the chart's lines mean for this kind of stack (the same at every depth and width)."""
    activation, _, _, residual, _, batch_norm = rest
    notes = [CHART_NOTE]
    if activation != "sigmoid" and not residual:
        notes.append(
            f"The analytic bound is drawn for the sigmoid; for {ACTIVATIONS[activation].name} "
            f"max|f′| = {gf.peak_grad(activation):.3g}, so it is no tighter than the product of the weight norms."
        )
    if residual:
        notes.append(
            "With residual connections J_k = I + diag(f′)·W_kᵀ: the product no longer has to shrink, "
            "and the bound for plain stacks does not apply."
        )
    if batch_norm:
        notes.append(
            "With batch normalization each layer's pre-activations have mean 0 and variance 1 over the "
            "batch (then γ, β): the sigmoid works in its steep middle, and the backward pass through "
            "1/√(σ² + ε) divides out the small weights' scale — the bound for plain stacks does not apply."
        )
    return notes


@cache.shared(show_spinner=False, max_entries=32)
def stack_blocks(rest: tuple, frames: tuple[tuple[int, int], ...]) -> list[dict]:
    """Everything the depth and the width change, at every position of `frames` (option indices into
    DEPTHS, WIDTHS; ui.stepper blocks): the norms per layer, the readouts, the check, the clipping bars.
    Each position is its own stack, computed by core exactly as that depth and width alone would be
    (`analyse`); the positions at the window's width come from `column` (cached per width). Cached per
    window and setting of the other controls, for everyone (the charts carry both themes' colours: the
    browser picks the one it shows); shared, not copied (the stepper only encodes it)."""
    threshold = rest[4]
    width_at = frames[0][1]
    col = column(WIDTHS[width_at], rest)
    pieces = [col[i] if j == width_at else _piece(DEPTHS[i], WIDTHS[j], rest) for i, j in frames]
    depths = [DEPTHS[i] for i, _ in frames]
    shown = [name for name in STYLES if any(p["series"][name] is not None for p in pieces)]
    chart = sp.layerlog(
        "Gradient norm per layer (log scale)",
        [
            {
                "name": name,
                "colour": _colour(STYLES[name]),
                "dash": DASHES[STYLES[name] % len(DASHES)],
                "width": 2 if name in THIN else 3,
                "start": 1 if name in (SERIES_WEIGHT, SERIES_CLIPPED) else 0,
                "values": [p["series"][name] for p in pieces],
            }
            for name in shown
        ],
        x_domain=(0, DEPTHS[-1]),
        x_title="layer l  (0 = network input, L = output)",
        y_title="Frobenius norm (log scale)",
        alt=[p["alt"] for p in pieces],
        notes=sp.paragraphs(_notes(rest), small=True),
        dropped=[p["dropped"] for p in pieces],
        marker=depths,
        marker_label=[f"output, L = {d}" for d in depths],
        height=340,
        flex="3 1 420px",  # the wider side of its row, as the old [3, 2] columns
    )
    blocks = [
        sp.row(chart, sp.text([p["readouts"] for p in pieces], per_frame=True)),
        sp.text(sp.paragraphs(READOUT_NOTE, small=True), per_frame=False, small=True),
        sp.text([p["check"] for p in pieces], per_frame=True, border=True),
        sp.text(sp.paragraphs(thresholds_caption(), small=True), per_frame=False, small=True),
        # the preset these settings are, at the positions where they are one
        sp.text(sp.shared([p["note"] for p in pieces]), per_frame=True),
    ]
    if threshold is not None:
        bars = sp.layerlog_bars(
            "Gradient norms before and after clipping",
            ["before clipping", "after clipping"],
            [_colour(1), _colour(2)],
            [p["clip"]["values"] for p in pieces],
            y_title="global norm ‖∂L/∂W‖ (log)",
            alt=[p["clip"]["alt"] for p in pieces],
            rules=[(threshold, f"threshold c = {threshold:g}", _colour(1))],
        )
        reading = sp.text([p["clip"]["reading"] for p in pieces], per_frame=True)
        blocks += [
            sp.heading("Gradient clipping: before and after"),
            sp.row(bars, reading),
            sp.text(sp.paragraphs(CLIP_NOTE, small=True), per_frame=False, small=True),
        ]
    return blocks


@st.fragment
def body() -> None:
    """The stack's settings, the presets and everything they change (a move reruns only this, not the
    header, the code or the challenge). The network's kind (activation, initialisation, the remedies'
    toggles, σ, the clipping threshold) are ordinary widgets here; the depth and the width are a stepper
    (`by_depth`, a fragment of its own): every position of a window is drawn by the browser from one
    payload."""
    # The network's kind: one row.
    kind = st.container(horizontal=True, gap="small", vertical_alignment="center")
    activation = state.select(
        "activation",
        "Activation f",
        list(ACTIVATIONS),
        "sigmoid",
        format_func=_activation_name,
        container=kind,
    )
    init = state.select(
        "init", "Initialisation", list(INITS), "xavier", format_func=_init_name, container=kind
    )
    scheme = INITS[init]
    pair = kind.container(gap="small")  # the residual and batch-norm toggles, one above the other
    residual = state.toggle(
        "residual",
        "Residual connections",
        False,
        container=pair,
        help="h_l = h_{l−1} + f(h_{l−1}W_l + b_l): adds the identity to every layer's Jacobian, "
        "a gradient highway to the first layers.",
    )
    batch_norm = state.toggle(
        "batchnorm",
        "Batch normalization",
        False,
        container=pair,
        help="z ← γ·(z − μ_batch)/√(σ²_batch + ε) + β before every activation (γ = 1, β = 0 "
        "at the start): each layer's input to f is centred and scaled, whatever W does.",
    )
    clip_on = state.toggle(
        "clip",
        "Gradient clipping",
        False,
        container=kind,
        help="Rescale all weight gradients together so their global norm is at most the threshold.",
    )
    # The weights' scale and the clipping threshold: one row (one block, not a block per column).
    sizes = st.container(horizontal=True, gap="small")
    if scheme.fixed:
        std = state.log_slider(
            "std",
            "Weight std σ",
            STDS,
            0.1,
            container=sizes,
            help="W_ij ~ N(0, σ²). Small σ shrinks every layer's Jacobian, large σ grows it.",
        )
    else:
        std = None
        sizes.latex(scheme.formula)
    threshold = (
        state.log_slider("threshold", "Clipping threshold c", CLIPS, 1.0, container=sizes)
        if clip_on
        else None
    )
    rest = (
        activation,
        init,
        None if std is None else float(std),
        bool(residual),
        None if threshold is None else float(threshold),
        bool(batch_norm),
    )
    # No heading of its own above the stepper: its chart is titled, and in presentation mode (text 1.5×)
    # a heading pushed the chart's top below a projector's first screen.
    seen: dict = {}  # the preset this run draws as on: by_depth's own reruns compare theirs with it
    active = by_depth(rest, seen)
    seen["active"] = active
    # The presets sit under the chart they change (the stage above keeps the chart on the first screen).
    with st.container(border=True):  # two widgets, not a button and a column per preset
        _preset_row(
            "Problem", PROBLEMS, active, "Settings that show the problem: one click sets every control."
        )
        _preset_row(
            "Remedy", REMEDIES, active, "A fix from the article's FAQ, applied to the problem it solves."
        )


@st.fragment
def by_depth(rest: tuple, seen: dict) -> str | None:
    """The stack's stepper over its depth and width: every depth at this width and the widths beside it at
    this depth (chart, readouts, check and clipping bars) in one payload, drawn by the browser (a step sends
    nothing). The browser's report of a position reruns only this, to write the link and send the window
    around it (and the whole body when the position turns a preset on or off: its explanation and rows
    change too). It draws only in its own place, never into containers `body` made (Streamlit 1.67 refuses a
    nested fragment's write into its parent's containers when the outer fragment reruns), and it nests one
    level only (body → by_depth). ``rest``: the other controls. Returns the preset whose settings are on
    (None if none)."""
    at = sp.locate(url=state, axes=AXES)
    frames = sp.cross(at, AXES, radius=(None, WIDTH_RADIUS))
    with stage_control(), stage_chart():  # the stepper is both: the sizes and the chart they draw
        depth, width = sp.multi_stepper(
            "vanishing_gradients.stack",
            url=state,
            axes=AXES,
            at=at,
            frames=frames,
            blocks=stack_blocks(rest, tuple(frames)),
        )
    active = _active((int(depth), int(width), *rest))
    if "active" in seen and seen["active"] != active:
        st.rerun()  # this position turned a preset on or off: its explanation and the preset rows change too
    return active


body()

show_code(gf.forward_backward, gf.gradient_bound, gf.clip_by_global_norm, flow_weight_check)

from ui.challenge import challenge_panel

challenge_panel("vanishing_gradients")
