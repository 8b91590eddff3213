"""Vanishing and exploding gradients: per-layer gradient norms through a deep stack, and the remedies."""

from ui import cache
from ui.shell import ensure_entry

ensure_entry()

import numpy as np
import pandas as pd
import streamlit as st

from core import gradient_flow as gf
from core.activations import ACTIVATIONS
from core.gradient_check import flow_weight_check
from core.initialisation import INITS
from core.mlp import parse_param_name
from ui import charts
from ui.layout import draw_chart, stage_chart, stage_control, titled
from ui.shell import check_badge, fmt, header, show_code, thresholds_caption
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


# ---- the chart ------------------------------------------------------------------------------------
STYLES = {
    SERIES_INPUT: 0,
    SERIES_WEIGHT: 1,
    SERIES_CLIPPED: 2,
    SERIES_BOUND: 4,
    SERIES_BASE: 3,
}  # palette index


@cache.data(show_spinner=False, max_entries=128)
def views(settings: tuple, active: str | None) -> dict:
    """The charts of one setting as Vega-Lite specs (built once, then cached) and the series left out."""
    r = analyse(*settings)
    depth, activation, clip = settings[0], settings[2], settings[6]
    layers = np.arange(depth + 1)
    frames = [
        pd.DataFrame({"layer": layers, "norm": r["input"], "series": SERIES_INPUT}),
        pd.DataFrame({"layer": layers[1:], "norm": r["weight"], "series": SERIES_WEIGHT}),
    ]
    order = [SERIES_INPUT, SERIES_WEIGHT]
    dashed: list[str] = []
    if clip is not None and r["scale"] < 1.0:
        frames.append(pd.DataFrame({"layer": layers[1:], "norm": r["clipped"], "series": SERIES_CLIPPED}))
        order.append(SERIES_CLIPPED)
    if activation == "sigmoid" and r["bound"] is not None:
        frames.append(pd.DataFrame({"layer": layers, "norm": r["bound"], "series": SERIES_BOUND}))
        order.append(SERIES_BOUND)
        dashed.append(SERIES_BOUND)
    preset = gf.PRESETS[active] if active else None
    if preset is not None and preset.role == "remedy" and active != "clipping" and preset.baseline:
        base = analyse(*_settings_of(gf.PRESETS[preset.baseline].kwargs))
        if base["input"].size == depth + 1:
            frames.append(pd.DataFrame({"layer": layers, "norm": base["input"], "series": SERIES_BASE}))
            order.append(SERIES_BASE)
            dashed.append(SERIES_BASE)
    data = pd.concat(frames, ignore_index=True)
    shown = data[np.isfinite(data["norm"]) & (data["norm"] > 0)]
    dropped = [str(v) for v in data.loc[~data.index.isin(shown.index), "series"].unique()]
    chart = charts.series_log(
        shown,
        "layer",
        "norm",
        "series",
        dashed=dashed,
        color_domain=order,
        styles=[STYLES[s] for s in order],
        x_title="layer l  (0 = network input, L = output)",
        y_title="Frobenius norm (log scale)",
        height=380,
    )
    out = {"norms": charts.vega_spec(chart), "dropped": dropped, "clip": None}
    if clip is not None:
        bars = pd.DataFrame(
            {"global norm": ["before clipping", "after clipping"], "norm": [r["before"], r["after"]]}
        )
        bars = bars[np.isfinite(bars["norm"]) & (bars["norm"] > 0)]
        out["clip"] = charts.vega_spec(
            charts.alt.layer(
                charts.bars_log(
                    bars,
                    "global norm",
                    "norm",
                    x_title="",
                    y_title="global norm ‖∂L/∂W‖ (log)",
                    styles=[1, 2],
                    extra_values=[clip],
                ),
                charts.hrule(clip, f"threshold c = {clip:g}", charts.PALETTE[1]),
            )
        )
    return out


@st.fragment
def body() -> None:
    """The stack's settings, the presets and everything they change (a move reruns only this, not the
    header, the code or the challenge). The network's kind (activation, initialisation, the remedies'
    toggles) is drawn here; its sizes and all that they change are `stack`, a fragment of its own."""
    stage = stage_control()
    # The network's kind: drawn once per change of its own, outside `stack` (a size move does not re-send
    # these selectboxes and toggles).
    kind = stage.container(horizontal=True, gap="small", vertical_alignment="center")
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
    drawn = {
        "activation": activation,
        "init": init,
        "residual": residual,
        "batchnorm": batch_norm,
        "clip": clip_on,
    }

    def stack() -> None:
        """The sizes other than the depth (width, σ, the clipping threshold), the presets, and the slots
        `by_depth` fills; a depth step reruns only `by_depth`. (Not a fragment of its own: Streamlit 1.67
        refuses a fragment nested two deep that writes into its parent's containers when the outermost one
        reruns, "did not write to that container during the last full app run".)"""
        if any(state.get(name) != value for name, value in drawn.items()):
            st.rerun()  # a preset below set the controls above too: draw the whole page again
        # One row (one block, not a block per column): every block of this fragment is re-sent per move.
        sizes = st.container(horizontal=True, gap="small")
        depth_slot = sizes.container()  # the depth slider, drawn by by_depth
        width = state.slider("width", "Width (units per layer)", 4, 64, 32, container=sizes)
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
            int(width),
            activation,
            init,
            None if std is None else float(std),
            bool(residual),
            None if threshold is None else float(threshold),
            bool(batch_norm),
        )
        info_slot = st.container()  # the preset's explanation, once by_depth tells which preset is on
        left, right = st.columns([3, 2], gap="large")
        with left:
            st.subheader("Gradient norm at every layer")
            chart_slot = stage_chart()  # the chart and its notes, drawn by by_depth
        # The presets sit under the chart they change (the stage above keeps the chart on the first screen).
        presets = st.container(border=True)  # two widgets, not a button and a column per preset
        clip_slots = None
        if clip_on:
            st.subheader("Gradient clipping: before and after")
            clip_slots = st.columns([2, 3], gap="large")  # the bars and their reading, drawn by by_depth

        seen: dict = {}  # the preset this run draws as on: by_depth's own reruns compare theirs with it
        active = by_depth(rest, depth_slot, chart_slot, right, clip_slots, seen)
        seen["active"] = active
        if active is not None:
            preset = gf.PRESETS[active]
            icon = ":material/warning:" if preset.role == "problem" else ":material/healing:"
            info_slot.info(f"**{preset.label}.** {preset.explanation}", icon=icon)
        with presets:
            _preset_row(
                "Problem", PROBLEMS, active, "Settings that show the problem: one click sets every control."
            )
            _preset_row(
                "Remedy", REMEDIES, active, "A fix from the article's FAQ, applied to the problem it solves."
            )
        if not clip_on and active == "exploding":
            st.caption("Try the **gradient clipping** remedy to cap this enormous update.")

    with stage:
        stack()


@st.fragment
def by_depth(rest: tuple, depth_slot, chart_slot, readout_slot, clip_slots, seen: dict) -> str | None:
    """What the depth changes, in the slots `stack` left for it: the depth slider, the chart and its notes,
    the readouts and the check, the clipping bars. A depth step reruns only this (the width, the presets,
    the headings stay). Returns the preset whose settings are on (None if none)."""
    depth = state.slider("depth", "Depth L (layers)", 1, 50, 20, container=depth_slot)
    settings = (int(depth), *rest)
    width, activation, init, std, residual, threshold, batch_norm = rest
    clip_on = threshold is not None
    r = analyse(*settings)
    active = next((k for k, p in gf.PRESETS.items() if _settings_of(p.kwargs) == settings), None)
    if "active" in seen and seen["active"] != active:
        st.rerun()  # this step turned a preset on or off: its explanation and the preset rows change too
    baseline = None
    if active is not None:
        preset = gf.PRESETS[active]
        if preset.role == "remedy" and preset.baseline:
            baseline = analyse(*_settings_of(gf.PRESETS[preset.baseline].kwargs))

    view = views(settings, active)
    with chart_slot:
        draw_chart(titled(view["norms"], "Gradient norm per layer (log scale)"))
        # The chart's explanation and the notes that apply: one element
        notes = [
            "Going down one layer multiplies the gradient by that layer's Jacobian J_k = diag(f′(z_k))·W_kᵀ, so the "
            "gradient reaching layer l is a product of L − l such factors and changes geometrically with depth — "
            "a straight line on this log axis. For the sigmoid f′ ≤ ¼, so unless ‖W_k‖ > 4 every factor shrinks it "
            "(the dashed bound), while large weights with a slope-1 activation make every factor exceed one and the "
            "gradient explodes."
        ]
        if view["dropped"]:
            notes.append(
                "Not drawn on the log axis (exactly zero or overflowed): " + ", ".join(view["dropped"]) + "."
            )
        if activation != "sigmoid" and not residual:
            notes.append(
                f"The analytic bound is drawn for the sigmoid; for {ACTIVATIONS[activation].name} "
                f"max|f′| = {r['peak']:.3g}, so it is no tighter than the product of the weight norms."
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
        st.caption("\n\n".join(notes))
    with readout_slot:
        # The heading and the verdict are one element; the numbers follow, two a row (a block a row,
        # not one per column)
        heading = "### What reaches the first layer\n\n"
        att = r["attenuation"]
        if not r["finite"]:
            st.markdown(heading)
            st.error(
                "The numbers overflowed float64: this stack explodes beyond 1e308.",
                icon=":material/error:",
            )
        elif att < 1e-3:
            st.markdown(
                heading + f":red[**Vanishing.**] The first layer gets {fmt(att, 3)} × the output's gradient: "
                "its weights barely move."
            )
        elif att > 1e3:
            st.markdown(
                heading + f":red[**Exploding.**] The first layer gets {fmt(att, 3)} × the output's gradient: "
                "one step can throw the weights far away."
            )
        else:
            st.markdown(
                heading
                + ":green[**Healthy.**] The gradient stays within three orders of magnitude across the stack."
            )
        metrics = st.container(horizontal=True, gap="small", wrap=False)
        metrics.metric("‖∂L/∂h₀‖ (network input)", fmt(float(r["input"][0]), 4))
        metrics.metric("‖∂L/∂h_L‖ (output)", fmt(float(r["input"][-1]), 4))
        metrics = st.container(horizontal=True, gap="small", wrap=False)
        delta = None
        if baseline is not None and active != "clipping":
            delta = (
                f"{'up' if r['attenuation'] > baseline['attenuation'] else 'down'} from "
                f"{fmt(baseline['attenuation'], 3)}"
            )
        metrics.metric(
            "ratio first / last",
            fmt(r["attenuation"], 4),
            delta=delta,
            delta_color="off",
            help="‖∂L/∂h₀‖ / ‖∂L/∂h_L‖. ≪ 1: vanishing; ≫ 1: exploding; ≈ 1: healthy.",
        )
        if clip_on:  # the norm after clipping under the norm before
            metrics = metrics.container(gap="small")
        metrics.metric(
            "global norm ‖∂L/∂W‖",
            fmt(r["before"], 4),
            help="√(Σ_l ‖∂L/∂W_l‖²) before any clipping: the size of one full update direction.",
        )
        if clip_on:
            after_delta = None
            if baseline is not None and active == "clipping":
                after_delta = f"down from {fmt(baseline['before'], 3)}"
            metrics.metric(
                "global norm after clipping",
                fmt(r["after"], 4),
                delta=after_delta,
                delta_color="off",
            )

        report = r["check"]
        if report is not None:
            chk = report.rows[0]
            layer, (i, j) = int(chk.group[1:]), parse_param_name(chk.name)[1]
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
            check_badge(
                f"Backprop vs central differences: ∂L/∂W_{layer}[{i},{j}]",
                chk.analytic,
                chk.numeric,
                chk.rel_error,
                a_name="backprop",
                b_name="(L(W+h) − L(W−h))/2h",
                note=f"{note} {thresholds_caption()}",
            )

    if clip_slots is not None:  # the bars and their reading, under the heading `stack` drew
        b1, b2 = clip_slots
        draw_chart(titled(view["clip"], "Gradient norms before and after clipping"), container=b1)
        with b2:
            if r["scale"] < 1.0:
                st.markdown(
                    f"All weight gradients were multiplied by **{fmt(r['scale'], 3)}** = c / ‖g‖, so the "
                    f"global norm went from `{fmt(r['before'])}` to `{fmt(r['after'])}`."
                )
            else:
                st.markdown(
                    f"The global norm `{fmt(r['before'])}` is already below c = {threshold:g}: "
                    "clipping leaves the gradients unchanged."
                )
            st.caption(
                "Clipping rescales every layer's gradient by the same factor: the direction and the "
                "layer-to-layer ratios stay (the green line is parallel to the red one), only the size of the "
                "step is capped. It tames exploding updates; it cannot revive a vanished gradient."
            )
    return active


body()

show_code(gf.forward_backward, gf.gradient_bound, gf.clip_by_global_norm, flow_weight_check)

from ui.challenge import challenge_panel

challenge_panel("vanishing_gradients")
