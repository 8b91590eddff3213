"""Gradient descent: optimizer paths on 2-D loss surfaces, step by step, with divergence explained."""

from ui import cache
from ui.shell import ensure_entry

ensure_entry()

import numpy as np
import pandas as pd
import streamlit as st

from core import finite_diff, stability
from core import optimizers as opt
from core.optimizers import OPTIMIZERS, descend
from core.surfaces import SURFACES, grid
from ui import charts, palette, player
from ui.layout import stage_chart, stage_control
from ui.shell import check_box, check_text, fmt, header, show_code, thresholds_caption
from ui.state import UrlState, follow_outside_fragment, stop_ends_the_page, stop_page
from ui.text import small

PAGE = "gradient_descent"
# Learning rates: 1-2-5 steps, plus values around the stability edges of the quadratic surfaces
# (ravine 2/λmax = 0.04, bowl 0.5, coupled 0.667).
LRS = (
    1e-4,
    2e-4,
    5e-4,
    1e-3,
    2e-3,
    5e-3,
    0.01,
    0.02,
    0.03,
    0.04,
    0.05,
    0.1,
    0.2,
    0.3,
    0.4,
    0.45,
    0.49,
    0.5,
    0.51,
    0.55,
    0.6,
    0.7,
    1.0,
    2.0,
)
EPSILONS = (1e-10, 1e-9, 1e-8, 1e-7, 1e-6, 1e-5, 1e-4, 1e-3, 1e-2)
MAX_STEPS = 500
MAP_N = 80  # map cells per axis (sent to the browser once per surface)
PLAYER_KEY = f"{PAGE}.player"
SHORT = {key: spec.short or spec.name for key, spec in OPTIMIZERS.items()}
SYMBOLS = {"beta": "β", "beta1": "β₁", "beta2": "β₂", "eps": "ε"}
TUNING = tuple(
    [f"lr_{k}" for k in OPTIMIZERS] + [f"{k}_{h}" for k in OPTIMIZERS for h in OPTIMIZERS[k].hyper]
)
BOUND = "|L| passed 10⁶ × (1 + |L(θ₀)|) or a coordinate passed 10⁶"

# key: (button label, widget values, what to look for)
PRESETS = {
    "article": (
        "Article demo",
        {"surface": "bowl", "w1": 4.0, "w2": 3.0, "lr": 0.1, "steps": 50, "opts": ["sgd"]},
        "The article's `GradientDemo`: plain gradient descent on w₁² + 2w₂² from (4, 3) with η = 0.1. "
        "Each step multiplies w₁ by 1 − 2η = 0.8 and w₂ by 1 − 4η = 0.6, so the path curves in: w₂, the "
        "steeper direction, is gone first.",
    ),
    "too_large": (
        "Too large η",
        {"surface": "bowl", "w1": 4.0, "w2": 3.0, "lr": 0.6, "steps": 50, "opts": ["sgd"]},
        "Same bowl, η = 0.6 > 2/λmax = 0.5: along w₂ each step multiplies the distance by 1 − 4η = −1.4. "
        "The path zigzags outward and the loss explodes. Then try 0.49, 0.5 and 0.51 on the η slider.",
    ),
    "ravine": (
        "Ravine: momentum vs SGD",
        {
            "surface": "ravine",
            "w1": -9.0,
            "w2": 1.5,
            "lr": 0.03,
            "steps": 100,
            "opts": ["sgd", "momentum"],
            "momentum_beta": 0.6,
        },
        "Curvature 50 across the ravine, 1 along it. SGD must keep η < 2/50 = 0.04, so along the floor "
        "it only shrinks w₁ by 1 − η = 0.97 per step and crawls. Momentum (β = 0.6), with the same η, "
        "builds up speed along the floor's consistent slope: its distance shrinks by about 0.91 per "
        "step. Then set β = 0.9 under *Optimizer settings*: too much momentum overshoots and rocks "
        "across the ravine.",
    ),
    "rosenbrock": (
        "Rosenbrock: Adam vs SGD",
        {
            "surface": "rosenbrock",
            "w1": -1.2,
            "w2": 1.0,
            "lr": 0.002,
            "steps": 500,
            "opts": ["sgd", "adam"],
            "own_lr": True,
            "lr_sgd": 0.002,
            "lr_adam": 0.1,
        },
        "The valley walls are steep (λ ≈ 1,000 near the minimum), so SGD needs η ≈ 0.002 to stay "
        "stable — and then crawls along the flat, curved floor. Adam divides each step by the "
        "gradient's running size: with its own η = 0.1 it moves about η per step wherever it is. "
        "Each optimizer has its own η here (see *Optimizer settings*); give SGD η = 0.01 to see it "
        "blow up.",
    ),
    "saddle": (
        "Saddle point",
        {
            "surface": "saddle",
            "w1": 2.5,
            "w2": 0.05,
            "lr": 0.05,
            "steps": 80,
            "opts": ["sgd", "momentum", "adam"],
        },
        "The gradient vanishes at (0, 0), but it is no minimum. Starting almost on the w₁ axis, descent "
        "first slides towards the saddle and lingers where ∇L ≈ 0, then escapes along w₂, where the "
        "surface curves down. Momentum escapes first; from exactly w₂ = 0 nothing would ever escape.",
    ),
}

NOTICES = {
    "slow": (
        "**{name} is diverging slowly: η = {lr} > {rule} = {lr_max}{beta}.** Along {axis} "
        "(λmax = {lam_max}) each step multiplies the distance to the minimum by {rate} instead of "
        "shrinking it. After {steps} steps the loss is {loss}; with more steps it leaves every bound."
    ),
    "edge": (
        "**{name} sits exactly on the edge: η = {rule} = {lr_max}{beta}.** Along {axis} each step maps "
        "the distance d to −d: the path bounces between two points forever and never converges. Any "
        "smaller η converges, any larger one diverges."
    ),
    "adaptive": (
        "**{name} diverged at step {t}.** {name} scales each coordinate's step to about η whatever "
        "the gradient, so it rarely blows up — but with η = {lr} its steps overshoot what this "
        "surface allows. The path stops at step {t} ({bound}). Lower η."
    ),
    "escape": (
        "**{name} left the map at step {t} — an escape, not an instability.** Here the surface curves "
        "down along {axis_min} (λ = {lam_min} < 0), so each step multiplies the distance from the "
        "critical point along it by {rate} for *every* η > 0. The loss has no lower bound: descent is "
        "doing its job, and there is no minimum to find. The run stops at step {t} ({bound})."
    ),
    "large": (
        "**{name} diverged at step {t}: η = {lr} > {rule} = {lr_max}{beta}.** The steepest curvature "
        "of this surface is λmax = {lam_max}, along {axis}; there each step multiplies the distance to "
        "the minimum by {rate} instead of shrinking it, so the path zigzags outward and the loss "
        "explodes. The path stops at step {t} ({bound}). Any η below {lr_max} converges."
    ),
    "local": (
        "**{name} diverged at step {t}.** This surface's curvature changes from place to place. Near "
        "θ = {where}, the last point on the map, the Hessian (central differences of ∇L) has λmax ≈ "
        "{lam_max}, so a stable step there needs η < {rule} ≈ {lr_max}{beta}; η = {lr} multiplies the "
        "error by ≈ {rate} per step. The path stops at step {t} ({bound})."
    ),
    "other": (
        "**{name} diverged at step {t}.** The loss left the bounds ({bound}): with η = {lr} the steps "
        "overshoot more than the curvature along the way allows. Lower η."
    ),
}

header(
    "Gradient descent",
    "The gradient points uphill, so gradient descent steps the other way: θ ← θ − η∇L(θ), over and over. "
    "Pick a surface, a start point and a learning rate η, then watch the path — step by step with **Play** — "
    "and compare it with momentum, RMSprop and Adam on the same map. A learning rate that is too large is "
    "not a crash here but a lesson: the page tells you which curvature it overshot.",
    r"\theta_{t+1} = \theta_t - \eta\, \nabla L(\theta_t)",
)

state = UrlState(PAGE)


# -- callbacks and small helpers --------------------------------------------------------------------
def _reset_start() -> None:
    start = SURFACES[state.get("surface")].default_start
    state.apply({"w1": float(start[0]), "w2": float(start[1])})


def _apply_preset(name: str) -> None:
    for param in TUNING:  # forget earlier per-optimizer settings, in the session and in the link
        st.session_state.pop(state.key(param), None)
        st.query_params.pop(param, None)
    values = {"own_lr": False, **PRESETS[name][1]}
    state.apply(values)
    player.seek(PLAYER_KEY, values["steps"])  # the whole path, ready to be replayed


def _keep_inside(name: str, lo: float, hi: float, default: float) -> None:
    """A value left over from another surface's range would break the slider: use the default."""
    key = state.key(name)
    if key in st.session_state and not lo <= st.session_state[key] <= hi:
        state.set(name, default)


def _name(key: str) -> str:
    return OPTIMIZERS[key].name


def _surface_name(key: str) -> str:
    return SURFACES[key].name


def _vec(v, digits: int = 5) -> str:
    return f"({fmt(float(v[0]), digits)}, {fmt(float(v[1]), digits)})"


def _axis(v) -> str:
    """'the w₂ axis' for an axis-aligned direction, else the direction's components."""
    aligned = {(True, False): "the w₂ axis", (False, True): "the w₁ axis"}
    return aligned.get(
        (abs(float(v[0])) < 1e-9, abs(float(v[1])) < 1e-9),
        f"the direction ({float(v[0]):.2f}, {float(v[1]):.2f})",
    )


def _hyper_text(hyper: dict) -> str:
    return ", ".join(f"{SYMBOLS.get(k, k)} = {v:g}" for k, v in hyper.items()) or "—"


def _hyper_widget(col, key: str, name: str) -> float:
    """One hyperparameter slider (log-spaced for ε); URL name '<optimizer>_<hyperparameter>'."""
    h = OPTIMIZERS[key].hyper[name]
    label, pname = f"${h.symbol}$", f"{key}_{name}"
    if h.kind == "epsilon":
        return state.log_slider(pname, label, EPSILONS, h.default, container=col, help=h.help)
    return state.slider(
        pname, label, h.lo, h.hi, h.default, step=h.step, container=col, help=h.help, format="%.4g"
    )


# -- presets and controls ---------------------------------------------------------------------------
# The player (its buttons: the main control) goes first, filled once the runs are known.
@cache.data(show_spinner=False, max_entries=256)
def run(surface: str, key: str, start: tuple, lr: float, steps: int, hyper: tuple) -> dict:
    """One descent (core.optimizers.descend) and the lowest loss of its surface (None: unbounded below)."""
    traj = descend(surface, key, start, lr, steps, **dict(hyper))
    _, best = opt.loss_gap(surface, traj.losses)
    return {"traj": traj, "best": best}


@cache.data(show_spinner=False, max_entries=16)
def surface_frame(surface: str, n: int) -> pd.DataFrame:
    W1, W2, Z = grid(surface, n)
    return charts.grid_frame(W1[0], W2[:, 0], Z, value="loss", names=("w1", "w2"))


@cache.data(show_spinner=False, max_entries=16)
def map_extent(surface: str, n: int) -> tuple:
    return charts.map_extent(surface_frame(surface, n))


@cache.data(show_spinner=False, max_entries=16)
def background(surface: str, n: int) -> tuple[np.ndarray, tuple[float, float, float, float]]:
    """The map's colours as uint8 (row r: w₂ from the bottom), sent to the player once, and its extent."""
    _, _, Z = grid(surface, n)
    (a, b), (c, d) = map_extent(surface, n)
    return player.shade(Z, log_above_min=bool(SURFACES[surface].minima)), (a, b, c, d)


@st.fragment
@stop_ends_the_page(PAGE)
def body():
    """Every control and everything it changes: a widget here reruns only this part of the page (not the
    sidebar, the header, the code or the challenge below)."""
    stage_box = stage_control()
    st.markdown("**Presets for class** — one click sets everything below:")
    bar = st.container(horizontal=True, wrap=True)
    for key in PRESETS:
        bar.button(
            PRESETS[key][0],
            key=f"{PAGE}.preset_{key}",
            on_click=_apply_preset,
            args=(key,),
            icon=":material/school:" if key == "article" else None,
        )

    c1, c2 = st.columns([1, 1.4], gap="large")
    surface_key = state.select(
        "surface",
        "Loss surface",
        list(SURFACES),
        "bowl",
        format_func=_surface_name,
        container=c1,
        on_change=_reset_start,
        help="Changing the surface moves the start to that surface's usual starting point.",
    )
    chosen = state.multiselect(
        "opts",
        "Optimizers (up to five, drawn on the same map)",
        list(OPTIMIZERS),
        ["sgd"],
        format_func=_name,
        max_selections=5,
        container=c2,
    )
    follow_outside_fragment("gradient_descent.opts", tuple(chosen))  # the code below shows their steps
    surf = SURFACES[surface_key]
    (lo1, hi1), (lo2, hi2) = surf.domain
    c1.latex(surf.formula)
    c2.caption(surf.description)
    _keep_inside("w1", lo1, hi1, float(surf.default_start[0]))
    _keep_inside("w2", lo2, hi2, float(surf.default_start[1]))

    # The optimizers' settings sit under the optimizers they tune, outside runs_part: a move of the start,
    # η or the steps does not re-send this expander's formulas, notes and sliders.
    tuning = st.expander(
        "Optimizer settings: β, β₁, β₂, ε — and a separate η per optimizer", icon=":material/tune:"
    )
    own_lr = state.toggle(
        "own_lr",
        "Give each optimizer its own learning rate η",
        False,
        container=tuning,
        help="Off: every optimizer uses the η below. On: each gets its own η (optimizers are "
        "tuned separately in practice: Adam usually wants a larger η than SGD).",
    )
    own_lrs: dict[str, float] = {}  # each optimizer's own η (only when own_lr is on)
    hypers: dict[str, dict] = {}
    shown: set[str] = set()
    for col, key in zip(tuning.columns(max(len(chosen), 1)), chosen, strict=False):
        col.markdown(f"**{OPTIMIZERS[key].name}**")
        col.latex(OPTIMIZERS[key].formula)
        if OPTIMIZERS[key].note:
            col.caption(OPTIMIZERS[key].note)
        if own_lr:
            own_lrs[key] = float(
                state.log_slider(f"lr_{key}", "η", LRS, OPTIMIZERS[key].default_lr, container=col)
            )
        hypers[key] = {h: _hyper_widget(col, key, h) for h in OPTIMIZERS[key].hyper}
        shown.update([f"lr_{key}"] * bool(own_lr) + [f"{key}_{h}" for h in OPTIMIZERS[key].hyper])
    tuning.caption(" ".join(f"**{SHORT[k]}**: {OPTIMIZERS[k].description}" for k in chosen))
    for param in set(TUNING) - shown:  # settings of optimizers not shown stay out of the link
        st.query_params.pop(param, None)

    @st.fragment
    def runs_part() -> None:
        """The start, η, the steps and everything they change (the runs, the player, the results and
        checks): a move reruns only this, not the presets, the surface, the optimizer choice and their
        settings above."""
        # One row (one block), not a column per slider: every block of this fragment is re-sent per move.
        row = st.container(horizontal=True, gap="medium")
        w1 = state.slider("w1", "Start w₁", lo1, hi1, float(surf.default_start[0]), step=0.01, container=row)
        w2 = state.slider("w2", "Start w₂", lo2, hi2, float(surf.default_start[1]), step=0.01, container=row)
        lr = state.log_slider(
            "lr",
            "Learning rate η",
            LRS,
            0.1,
            container=row,
            help="The step size of θ ← θ − η∇L, shared by all optimizers (unless each has its own η "
            "under *Optimizer settings*). Log-spaced, with the stability edges 0.04, 0.5 and 0.67.",
        )
        steps = state.slider("steps", "Number of steps", 1, MAX_STEPS, 50, container=row)
        start = (float(w1), float(w2))
        settings = {k: (own_lrs.get(k, float(lr)), hypers[k]) for k in chosen}

        # What η does on this surface, in one line of small type (one element)
        notes = []
        sgd_limit = stability.step_limit(surface_key, "sgd", float(lr), point=start)
        if sgd_limit is not None and sgd_limit.constant:
            notes.append(
                f"Constant Hessian, eigenvalues λ = {sgd_limit.lam_min:g} and {sgd_limit.lam_max:g}: plain "
                f"gradient descent converges iff η < 2/λmax = **{sgd_limit.lr_max:.4g}**"
                + (
                    "."
                    if sgd_limit.lam_min > 0
                    else f" along {_axis(sgd_limit.direction)}; along {_axis(sgd_limit.direction_min)} the surface "
                    "curves down (λ < 0) and descent moves away for every η > 0."
                )
            )
        elif sgd_limit is not None and sgd_limit.lr_max is not None:
            notes.append(
                f"The curvature changes over this surface, so no single η is safe everywhere. At the start θ₀ "
                f"the Hessian (central differences of ∇L) has λmax ≈ {sgd_limit.lam_max:.4g}: plain gradient "
                f"descent needs η < 2/λmax ≈ **{sgd_limit.lr_max:.3g}** there."
            )
        if own_lr:
            notes.append(
                "The learning rate η above is not used: each optimizer has its own η under *Optimizer settings*."
            )
        if notes:
            st.caption(" ".join(notes))
        else:
            st.empty()  # keeps the elements below in place

        if not chosen:
            st.info("Pick at least one optimizer above.", icon=":material/touch_app:")
            stop_page()

        # -- the runs -----------------------------------------------------------------------------------------
        runs = {
            k: run(surface_key, k, start, settings[k][0], int(steps), tuple(sorted(settings[k][1].items())))
            for k in chosen
        }

        def _notice_values(key: str, traj: opt.Trajectory, lim: stability.StepLimit | None, where) -> dict:
            """The numbers a notice quotes (NOTICES placeholders)."""
            vals = {
                "name": SHORT[key],
                "lr": f"{traj.lr:g}",
                "t": traj.diverged_at,
                "bound": BOUND,
                "steps": traj.steps_taken,
                "loss": fmt(traj.final_loss),
                "where": _vec(where, 4),
                "beta": f" (β = {traj.hyper['beta']:g})" if key in ("momentum", "nesterov") else "",
            }
            return (
                vals
                if lim is None
                else {
                    **vals,
                    "rule": lim.rule,
                    "lr_max": f"{lim.lr_max:.4g}" if lim.lr_max else "—",
                    "lam_max": f"{lim.lam_max:.4g}",
                    "lam_min": f"{lim.lam_min:.4g}",
                    "axis": _axis(lim.direction),
                    "axis_min": _axis(lim.direction_min),
                    "rate": f"{lim.rate:.3g}" if lim.rate is not None else "—",
                }
            )

        # The preset's lesson, when the settings match one: under the sliders, so that moving one off the
        # preset's value does not move the slider itself. One element either way (an alert or an empty
        # slot): the elements below keep their positions, and the browser updates them in place.
        current = {
            "surface": surface_key,
            "w1": start[0],
            "w2": start[1],
            "lr": float(lr),
            "steps": int(steps),
            "opts": list(chosen),
            "own_lr": bool(own_lr),
            **{p: state.get(p) for p in shown},
        }
        matched = [
            p
            for p in PRESETS.values()
            if all(current.get(k) == v for k, v in {"own_lr": False, **p[1]}.items())
        ]
        if matched:
            st.info(f"**{matched[0][0]}.** {matched[0][2]}", icon=":material/school:")
        else:
            st.empty()

        diagnoses = {k: stability.diagnose(runs[k]["traj"]) for k in chosen}
        for key, d in [(k, d) for k, d in diagnoses.items() if d.kind]:
            text = NOTICES[d.kind].format(**_notice_values(key, runs[key]["traj"], d.limit, d.where))
            (st.info if d.kind == "edge" else st.warning)(text, icon=":material/warning:")

        # -- the map and the loss, step by step: the player --------------------------------------------------
        best = runs[chosen[0]]["best"]
        STEP_HEAD = "| optimizer | t | θₜ | L(θₜ) | ∇L(θₜ) | η∇L(θₜ) | update θₜ₊₁ − θₜ |\n|---|---|---|---|---|---|---|\n"

        def _step_row(key: str, t: int) -> str:
            """Step t of one run: its row of numbers."""
            traj = runs[key]["traj"]
            view = opt.step_view(traj, t)
            stopped = f" (stopped: diverged at step {traj.diverged_at})" if view.t < t else ""
            update = _vec(view.update, 4) if view.update is not None else "— (last point)"
            return (
                f"| {SHORT[key]} | {view.t}{stopped} | {_vec(view.point, 4)} | {fmt(view.loss, 5)} | "
                f"{_vec(view.grad, 4)} | {_vec(view.lr_grad, 4)} | {update} |"
            )

        def _gaps(key: str) -> np.ndarray:
            """The loss curve drawn for one run: L − L* (≥ 1e-15, log axis), or L itself when there is no minimum."""
            values, _ = opt.loss_gap(surface_key, runs[key]["traj"].losses)
            values = np.where(np.isfinite(values), values, np.nan)
            return np.maximum(values, 1e-15) if best is not None else values

        @st.fragment
        def stepper() -> None:
            """The player (every optimizer's path and loss, advancing together) and step t's numbers."""
            n = int(steps)
            colours = player.PALETTE["series"]
            bg, box = background(surface_key, MAP_N)
            paths = [
                (SHORT[k], colours[i % len(colours)], np.asarray(runs[k]["traj"].points))
                for i, k in enumerate(chosen)
            ]
            marks = [{"x": float(start[0]), "y": float(start[1]), "label": "θ₀"}] + [
                {"x": float(m[0]), "y": float(m[1]), "label": "min"} for m in surf.minima
            ]
            panels = [
                player.map_panel(
                    f"{surf.name}: paths θ₀ … θₜ",
                    bg,
                    box,
                    static=True,
                    sequential=True,
                    points=marks,
                    paths=paths,
                    xlabel="w₁",
                    ylabel="w₂",
                    aspect=0.62,
                    alt="The loss surface with each optimizer's path up to step t",
                ),
                player.curve_panel(
                    f"L(θₜ) − L* (log axis, L* = {best:.4g})"
                    if best is not None
                    else "L(θₜ) (symlog axis: no minimum)",
                    [(SHORT[k], colours[i % len(colours)], _gaps(k)) for i, k in enumerate(chosen)],
                    log=best is not None,
                    symlog=best is None,
                    xlabel=f"step 0 … {n}",
                    aspect=0.72,
                    alt="Each optimizer's loss against the step",
                ),
            ]
            legend = " · ".join(
                f"{SHORT[k]} = {palette.SERIES_NAMES[i % len(palette.SERIES_NAMES)]}, "
                f"{palette.DASH_NAMES[i % len(palette.DASH_NAMES)]}"
                for i, k in enumerate(chosen)
            )
            t = player.player(
                PLAYER_KEY,
                n_frames=n + 1,
                every=1,
                label="Step t",
                panels=panels,
                columns=[[0], [1]],
                col_widths=[1.25, 1],
                start=n,
                url_param="step",
                follow_end=True,
                fps=int(np.clip(n / 5, 8, 40)),
                history_id=f"gd:{surface_key}:{start}:{n}:{sorted(settings.items())}",
                legend=f"{legend}. Colour: {'log of the loss above its lowest value' if best is not None else 'the loss'}"
                " (dark = low). Space plays/pauses, ← → step, Home/End jump; the table below shows "
                "the step you pause on.",
            )
            st.markdown(
                f"**Step t = {t}:** the numbers each optimizer used (SGD's update is exactly −η∇L; the others "
                "mix in their running averages).\n\n" + STEP_HEAD + "\n".join(_step_row(k, t) for k in chosen)
            )

        with stage_box, stage_chart():
            stepper()

        # -- results and checks -------------------------------------------------------------------------------
        # The heading, the table, the article's note and the next heading are one Markdown element (each
        # element of this fragment is re-sent and redrawn per slider move).
        OUTCOMES = {True: "converged (‖∇L‖ ≤ 1e-6)", False: "still moving"}
        table = (
            "| optimizer | η | hyperparameters | steps run | final θ | final loss | ∇L there | outcome |\n"
            "|---|---|---|---|---|---|---|---|\n"
            + "\n".join(
                f"| {SHORT[k]} | {r['traj'].lr:g} | {_hyper_text(r['traj'].hyper)} | {r['traj'].steps_taken} | "
                f"{_vec(r['traj'].final_point, 6)} | {fmt(r['traj'].final_loss, 6)} | {_vec(r['traj'].grads[-1], 4)} | "
                + (
                    f"diverged at step {r['traj'].diverged_at}"
                    if r["traj"].diverged
                    else OUTCOMES[r["traj"].converged(1e-6)]
                )
                + " |"
                for k, r in runs.items()
            )
        )
        article = (
            surface_key == "bowl"
            and start == (4.0, 3.0)
            and settings.get("sgd", (0,))[0] == 0.1
            and steps == 50
        )
        article_note = (
            "\n\n"
            + small(
                "The article's script prints `Final parameters: [5.70899077e-05 2.42484383e-11]` and "
                "`Final loss: 0.000000` — six decimals of the 3.26e-09 above."
            )
            if article
            else ""
        )
        st.markdown(f"### After {int(steps)} steps\n\n{table}{article_note}\n\n### Check")

        # The gradient's two checks at the start and the closed form's: one box, one Markdown element
        # (each element here is re-sent and redrawn per slider step)
        analytic = surf.grad(np.array(start))
        numeric = finite_diff.gradient(surf.value, np.array(start))
        checks = [
            check_text(
                f"{part} at the start θ₀",
                float(analytic[i]),
                float(numeric[i]),
                finite_diff.relative_error(analytic[i], numeric[i]),
                a_name="analytic",
                b_name="central differences",
            )[1]
            for i, part in enumerate(("∂L/∂w₁", "∂L/∂w₂"))
        ]
        sgd_run = runs["sgd"]["traj"] if "sgd" in runs else None
        closed = (
            stability.sgd_closed_form(surface_key, start, sgd_run.lr, sgd_run.steps_taken)
            if sgd_run
            else None
        )
        if closed is not None:
            checks.append(
                check_text(
                    f"SGD: θ after {sgd_run.steps_taken} steps, L(θ)",
                    sgd_run.final_loss,
                    float(surf.value(closed)),
                    finite_diff.relative_error(sgd_run.final_point, closed),
                    a_name="the update loop",
                    b_name="closed form",
                    note=f"θ from the loop {_vec(sgd_run.final_point, 6)}; closed form {_vec(closed, 6)}. "
                    "The relative error shown is that of θ.",
                )[1]
            )
        check_box(checks)

    runs_part()
    # What the checks compare: text that changes with the surface and the optimizers only, so it sits
    # outside runs_part (a move of the start does not re-send it).
    closed_form = "sgd" in chosen and stability.critical_point(surface_key) is not None
    st.caption(
        "The first two checks: the gradient every step relies on, against central differences. "
        + (
            "The closed form: on a quadratic ∇L(θ) = H(θ − θ*), so every SGD step multiplies θ − θ* by (I − ηH): "
            "θₖ = θ* + (I − ηH)ᵏ(θ₀ − θ*), computed here without iterating. The eigenvalues 1 − ηλ of "
            "I − ηH are the factors the notices quote. "
            if closed_form
            else "A closed form for θₖ exists for plain gradient descent (SGD) on the quadratic surfaces (bowl, "
            "coupled, ravine, saddle): select SGD on one of them to check the update loop against it. "
        )
        + thresholds_caption()
    )
    return chosen


chosen = body()

show_code(descend, *[OPTIMIZERS[k].step for k in chosen], stability.step_limit, stability.sgd_closed_form)

from ui.challenge import challenge_panel

challenge_panel("gradient_descent")
