"""Gradient-descent optimizers on 2-D surfaces: the ``OPTIMIZERS`` registry and ``descend``.

Every optimizer is a pure step function ``step(g, state, t, lr, hyper) -> (Δθ, new_state)`` that
sees only the gradient ``g = ∇L(θ_t)`` at the current point (Nesterov uses the equivalent
"look-ahead folded in" form, as PyTorch does), so a trajectory's ``grads[t]`` is exactly the
gradient the step used, and ``points[t+1] = points[t] + updates[t]``.

Divergence. ``descend`` stops at the first step ``t`` whose point θ_t

- is not finite, or
- has a coordinate with ``|w| > POINT_BOUND`` (1e6), or
- has a loss that is not finite or has ``|L(θ_t)| > LOSS_BOUND_FACTOR · (1 + |L(θ_0)|)``
  (1e6 · (1 + |L₀|); ``|L|`` so that a loss running off to −∞, as on the saddle, counts too),

and reports ``diverged_at = t``. The offending point is stored (as the last point) when its
coordinates, loss and gradient are all finite numbers; otherwise it is dropped and the trajectory
ends at θ_{t−1}. So every stored number is finite, and ``len(points)`` is ``t + 1`` or ``t``.
Bounds are checked before the loss is evaluated and all arithmetic runs under a local
``np.errstate``, so a diverging run never emits NumPy warnings.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from core.surfaces import Surface, get_surface

__all__ = [
    "LOSS_BOUND_FACTOR",
    "MAX_STEPS",
    "OPTIMIZERS",
    "POINT_BOUND",
    "Hyper",
    "OptimizerSpec",
    "Trajectory",
    "adam_step",
    "descend",
    "get_optimizer",
    "momentum_step",
    "nesterov_step",
    "rmsprop_step",
    "sgd_step",
    "StepView",
    "last_inside",
    "loss_gap",
    "min_loss",
    "step_view",
]

FloatArray = NDArray[np.float64]
State = dict[str, FloatArray]
StepFn = Callable[[FloatArray, State, int, float, Mapping[str, float]], tuple[FloatArray, State]]

POINT_BOUND: float = 1e6
"""A run has diverged once a coordinate of θ exceeds this in absolute value."""

LOSS_BOUND_FACTOR: float = 1e6
"""A run has diverged once |L(θ_t)| > LOSS_BOUND_FACTOR · (1 + |L(θ_0)|)."""

MAX_STEPS: int = 100_000
"""The most steps ``descend`` accepts (keeps a shared app responsive)."""


@dataclass(frozen=True)
class Hyper:
    """One hyperparameter: its default, a display range for a slider, and what values are valid.

    Attributes:
        symbol: LaTeX symbol (``r"\\beta_1"``).
        default: default value.
        lo, hi: display range (a slider's ends); values outside are still accepted if valid.
        step: slider step.
        kind: ``"decay"`` (valid in [0, 1)) or ``"epsilon"`` (valid when > 0).
        log: whether a slider should be logarithmic.
        help: one sentence for a tooltip.
    """

    symbol: str
    default: float
    lo: float
    hi: float
    step: float
    kind: Literal["decay", "epsilon"]
    log: bool = False
    help: str = ""

    def validate(self, name: str, value: float) -> float:
        """The value as a float, or ``ValueError`` if it is not finite or outside its valid set."""
        v = float(value)
        if not math.isfinite(v):
            raise ValueError(f"{name} must be finite; got {value!r}")
        if self.kind == "decay" and not 0.0 <= v < 1.0:
            raise ValueError(f"{name} must be in [0, 1); got {v}")
        if self.kind == "epsilon" and not v > 0.0:
            raise ValueError(f"{name} must be > 0; got {v}")
        return v


@dataclass(frozen=True)
class OptimizerSpec:
    """An optimizer: a name, its update rule in LaTeX, its hyperparameters and its step function.

    Attributes:
        key: registry key (``"adam"``...).
        name: display name.
        formula: LaTeX of the update rule (``\\begin{aligned}`` for several lines).
        hyper: hyperparameter name → :class:`Hyper` (the keyword names ``descend`` accepts).
        step: ``step(g, state, t, lr, hyper) -> (Δθ, new_state)``; ``g = ∇L(θ_t)``, ``t`` counts
            steps from 1, ``state`` starts as ``{}``; θ_{t+1} = θ_t + Δθ.
        default_lr: a learning rate that behaves well on the default surfaces.
        description: one sentence a student reads.
        short: the name in legends and tables (``"SGD"``).
        note: what differs from a framework's version of this optimizer (shown with the formula).
    """

    key: str
    name: str
    formula: str
    hyper: dict[str, Hyper] = field(compare=False)
    step: StepFn
    default_lr: float
    description: str
    short: str = ""
    note: str = ""

    def defaults(self) -> dict[str, float]:
        """The default hyperparameters, ``{name: default}``."""
        return {k: h.default for k, h in self.hyper.items()}


# ---------------------------------------------------------------------------------------------
# step functions (all pure; ``state`` is never mutated)


def _zeros_like(g: FloatArray) -> FloatArray:
    return np.zeros_like(g, dtype=np.float64)


def sgd_step(
    g: FloatArray, state: State, t: int, lr: float, hyper: Mapping[str, float]
) -> tuple[FloatArray, State]:
    """Δθ = −η ∇L(θ_t)  (the article's rule θ ← θ − η∇L)."""
    return -lr * g, {}


def momentum_step(
    g: FloatArray, state: State, t: int, lr: float, hyper: Mapping[str, float]
) -> tuple[FloatArray, State]:
    """v ← βv + ∇L(θ_t);  Δθ = −η v  (heavy ball, PyTorch's form; v₀ = 0)."""
    v = hyper["beta"] * state.get("v", _zeros_like(g)) + g
    return -lr * v, {"v": v}


def nesterov_step(
    g: FloatArray, state: State, t: int, lr: float, hyper: Mapping[str, float]
) -> tuple[FloatArray, State]:
    """v ← βv + ∇L(θ_t);  Δθ = −η (∇L(θ_t) + βv)  (Nesterov with the look-ahead folded in)."""
    beta = hyper["beta"]
    v = beta * state.get("v", _zeros_like(g)) + g
    return -lr * (g + beta * v), {"v": v}


def rmsprop_step(
    g: FloatArray, state: State, t: int, lr: float, hyper: Mapping[str, float]
) -> tuple[FloatArray, State]:
    """s ← βs + (1 − β)∇L²;  Δθ = −η ∇L / (√s + ε)  (s₀ = 0, elementwise)."""
    beta, eps = hyper["beta"], hyper["eps"]
    s = beta * state.get("s", _zeros_like(g)) + (1.0 - beta) * g * g
    return -lr * g / (np.sqrt(s) + eps), {"s": s}


def adam_step(
    g: FloatArray, state: State, t: int, lr: float, hyper: Mapping[str, float]
) -> tuple[FloatArray, State]:
    """m ← β₁m + (1−β₁)∇L;  v ← β₂v + (1−β₂)∇L²;  Δθ = −η m̂ / (√v̂ + ε), m̂ = m/(1−β₁ᵗ), v̂ = v/(1−β₂ᵗ)."""
    b1, b2, eps = hyper["beta1"], hyper["beta2"], hyper["eps"]
    m = b1 * state.get("m", _zeros_like(g)) + (1.0 - b1) * g
    v = b2 * state.get("v", _zeros_like(g)) + (1.0 - b2) * g * g
    m_hat = m / (1.0 - b1**t)
    v_hat = v / (1.0 - b2**t)
    return -lr * m_hat / (np.sqrt(v_hat) + eps), {"m": m, "v": v}


# ---------------------------------------------------------------------------------------------
# registry


def _beta(
    default: float, symbol: str = r"\beta", lo: float = 0.0, hi: float = 0.99, step: float = 0.01
) -> Hyper:
    return Hyper(
        symbol=symbol,
        default=default,
        lo=lo,
        hi=hi,
        step=step,
        kind="decay",
        help="decay rate of the running average: closer to 1 remembers more past steps",
    )


_EPS = Hyper(
    symbol=r"\varepsilon",
    default=1e-8,
    lo=1e-10,
    hi=1e-2,
    step=1e-10,
    kind="epsilon",
    log=True,
    help="added to the denominator so it never divides by zero",
)

OPTIMIZERS: dict[str, OptimizerSpec] = {
    o.key: o
    for o in (
        OptimizerSpec(
            key="sgd",
            name="Gradient descent (SGD)",
            formula=r"\theta_{t+1} = \theta_t - \eta\, \nabla L(\theta_t)",
            hyper={},
            step=sgd_step,
            default_lr=0.1,
            description="The article's update rule: step against the gradient, scaled by the learning rate.",
            short="SGD",
        ),
        OptimizerSpec(
            key="momentum",
            name="Momentum (heavy ball)",
            formula=(
                r"\begin{aligned} v_{t+1} &= \beta\, v_t + \nabla L(\theta_t) \\ "
                r"\theta_{t+1} &= \theta_t - \eta\, v_{t+1} \end{aligned}"
            ),
            hyper={"beta": _beta(0.9)},
            step=momentum_step,
            default_lr=0.02,
            description="Accumulates a velocity from past gradients: it speeds up along consistent directions and overshoots.",
            short="Momentum",
        ),
        OptimizerSpec(
            key="nesterov",
            name="Nesterov momentum",
            formula=(
                r"\begin{aligned} v_{t+1} &= \beta\, v_t + \nabla L(\theta_t) \\ "
                r"\theta_{t+1} &= \theta_t - \eta\, \bigl(\nabla L(\theta_t) + \beta\, v_{t+1}\bigr) \end{aligned}"
            ),
            hyper={"beta": _beta(0.9)},
            step=nesterov_step,
            default_lr=0.02,
            description="Momentum that corrects with a look-ahead, so it overshoots less than the heavy ball.",
            short="Nesterov",
            note="With β = 0 this is plain gradient descent: PyTorch refuses Nesterov without momentum (β > 0).",
        ),
        OptimizerSpec(
            key="rmsprop",
            name="RMSprop",
            formula=(
                r"\begin{aligned} s_{t+1} &= \beta\, s_t + (1 - \beta)\, \nabla L(\theta_t)^2 \\ "
                r"\theta_{t+1} &= \theta_t - \eta\, \frac{\nabla L(\theta_t)}{\sqrt{s_{t+1}} + \varepsilon}"
                r" \end{aligned}"
            ),
            hyper={"beta": _beta(0.9, lo=0.5, hi=0.999, step=0.001), "eps": _EPS},
            step=rmsprop_step,
            default_lr=0.05,
            description="Divides each coordinate's step by a running RMS of its gradients: steep and flat directions move alike.",
            short="RMSprop",
            note="The default decay β = 0.9 is Hinton's and Keras' choice; PyTorch's RMSprop defaults to α = 0.99 (its name for β).",
        ),
        OptimizerSpec(
            key="adam",
            name="Adam",
            formula=(
                r"\begin{aligned} m_{t+1} &= \beta_1 m_t + (1 - \beta_1)\, \nabla L(\theta_t) \\ "
                r"v_{t+1} &= \beta_2 v_t + (1 - \beta_2)\, \nabla L(\theta_t)^2 \\ "
                r"\hat m &= \frac{m_{t+1}}{1 - \beta_1^{\,t+1}}, \quad \hat v = \frac{v_{t+1}}{1 - \beta_2^{\,t+1}} \\ "
                r"\theta_{t+1} &= \theta_t - \eta\, \frac{\hat m}{\sqrt{\hat v} + \varepsilon} \end{aligned}"
            ),
            hyper={
                "beta1": _beta(0.9, symbol=r"\beta_1"),
                "beta2": _beta(0.999, symbol=r"\beta_2", lo=0.9, hi=0.9999, step=0.0001),
                "eps": _EPS,
            },
            step=adam_step,
            default_lr=0.1,
            description="Momentum plus RMSprop with bias correction: early steps have size ≈ η whatever the gradient's scale.",
            short="Adam",
        ),
    )
}


def get_optimizer(optimizer: OptimizerSpec | str) -> OptimizerSpec:
    """The spec itself, or ``OPTIMIZERS[key]`` for a key (``KeyError`` listing the keys if unknown)."""
    if isinstance(optimizer, OptimizerSpec):
        return optimizer
    try:
        return OPTIMIZERS[optimizer]
    except KeyError:
        raise KeyError(f"unknown optimizer {optimizer!r}; choose one of {list(OPTIMIZERS)}") from None


# ---------------------------------------------------------------------------------------------
# trajectories


def _readonly(a: FloatArray) -> FloatArray:
    a = np.ascontiguousarray(a, dtype=np.float64)
    a.setflags(write=False)
    return a


@dataclass(frozen=True)
class Trajectory:
    """The record of one descent run; every stored number is finite and arrays are read-only.

    Attributes:
        points: ``(k+1, 2)`` θ_0 … θ_k (θ_0 is the start).
        losses: ``(k+1,)`` L(θ_t).
        grads: ``(k+1, 2)`` ∇L(θ_t) (the gradient step t+1 used).
        updates: ``(k, 2)`` Δθ_t = θ_{t+1} − θ_t (for SGD this is −η ∇L(θ_t)).
        diverged_at: the first step index whose point left the bounds (see the module docstring),
            or ``None``. When the offending point was representable it is ``points[-1]``
            (``k == diverged_at``); otherwise it was dropped (``k == diverged_at − 1``).
        surface, optimizer: registry keys of what ran.
        lr: the learning rate.
        hyper: the hyperparameters used (defaults filled in).
        states: the optimizer's state after each step, ``name → (k, 2)`` (e.g. momentum's ``v``,
            Adam's ``m`` and ``v``); empty for SGD.
    """

    points: FloatArray
    losses: FloatArray
    grads: FloatArray
    updates: FloatArray
    diverged_at: int | None
    surface: str
    optimizer: str
    lr: float
    hyper: dict[str, float] = field(default_factory=dict, compare=False)
    states: dict[str, FloatArray] = field(default_factory=dict, compare=False)

    @property
    def steps_taken(self) -> int:
        """k, the number of stored steps: len(points) − 1."""
        return int(self.points.shape[0] - 1)

    @property
    def final_point(self) -> FloatArray:
        """θ_k, the last stored point."""
        return self.points[-1]

    @property
    def final_loss(self) -> float:
        """L(θ_k), the loss at the last stored point."""
        return float(self.losses[-1])

    @property
    def diverged(self) -> bool:
        """Whether the run left the bounds (``diverged_at is not None``)."""
        return self.diverged_at is not None

    def converged(self, tol: float = 1e-6) -> bool:
        """Did not diverge and ‖∇L(θ_k)‖₂ ≤ tol (a critical point: a minimum, or a saddle)."""
        return self.diverged_at is None and float(np.linalg.norm(self.grads[-1])) <= tol


def _finite(*arrays: ArrayLike) -> bool:
    return all(bool(np.all(np.isfinite(a))) for a in arrays)


def _check_hyper(spec: OptimizerSpec, hyper: Mapping[str, float]) -> dict[str, float]:
    unknown = sorted(set(hyper) - set(spec.hyper))
    if unknown:
        allowed = ", ".join(spec.hyper) or "none"
        raise TypeError(f"{spec.key} has no hyperparameter(s) {unknown}; it accepts: {allowed}")
    return {name: h.validate(name, hyper.get(name, h.default)) for name, h in spec.hyper.items()}


def descend(
    surface: Surface | str,
    optimizer: OptimizerSpec | str,
    start: ArrayLike,
    lr: float,
    steps: int,
    **hyper: float,
) -> Trajectory:
    """Run ``steps`` optimizer steps θ_{t+1} = θ_t + Δθ_t from ``start``; stop early on divergence.

    Args:
        surface: a :class:`~core.surfaces.Surface` or a ``SURFACES`` key.
        optimizer: an :class:`OptimizerSpec` or an ``OPTIMIZERS`` key.
        start: θ_0, two finite numbers. A start beyond ``POINT_BOUND`` gives ``diverged_at == 0``
            and a one-point trajectory; a start so far out that its loss overflows float64
            (|w| ≳ 1e75) is a ``ValueError``.
        lr: the learning rate η, finite and ≥ 0.
        steps: number of steps, an integer in [0, MAX_STEPS].
        **hyper: the optimizer's hyperparameters (see ``OPTIMIZERS[key].hyper``); missing ones take
            their defaults, unknown ones raise ``TypeError``, invalid values ``ValueError``.

    Returns:
        A :class:`Trajectory`; see the module docstring for the divergence rule.
    """
    surf = get_surface(surface)
    spec = get_optimizer(optimizer)
    params = _check_hyper(spec, hyper)
    lr_f = float(lr)
    if not math.isfinite(lr_f) or lr_f < 0:
        raise ValueError(f"lr must be finite and ≥ 0; got {lr!r}")
    if isinstance(steps, bool) or not isinstance(steps, int | np.integer) or not 0 <= steps <= MAX_STEPS:
        raise ValueError(f"steps must be an integer in [0, {MAX_STEPS}]; got {steps!r}")
    theta = np.asarray(start, dtype=np.float64).copy()
    if theta.shape != (2,) or not _finite(theta):
        raise ValueError(f"start must be two finite numbers; got {start!r}")

    loss0 = float(surf.value(theta))
    g = surf.grad(theta)
    if not _finite(loss0, g):
        raise ValueError(f"start {tuple(theta)} is too far out: its loss or gradient overflows float64")
    loss_bound = LOSS_BOUND_FACTOR * (1.0 + abs(loss0))

    def out_of_bounds(th: FloatArray, loss: float) -> bool:
        return bool(np.max(np.abs(th)) > POINT_BOUND) or abs(loss) > loss_bound

    points, losses, grads = [theta], [loss0], [g]
    updates: list[FloatArray] = []
    state_log: dict[str, list[FloatArray]] = {}
    state: State = {}
    diverged_at: int | None = 0 if out_of_bounds(theta, loss0) else None

    t = 0
    while diverged_at is None and t < steps:
        t += 1
        with np.errstate(all="ignore"):
            delta, new_state = spec.step(g, state, t, lr_f, params)
            delta = np.asarray(delta, dtype=np.float64)
            new_theta = theta + delta
        if not _finite(new_theta, delta, *new_state.values()):
            diverged_at = t
            break
        if np.max(np.abs(new_theta)) > POINT_BOUND:
            diverged_at = t  # still store it below if its loss and gradient are representable
        new_loss = float(surf.value(new_theta))
        new_g = surf.grad(new_theta)
        if not _finite(new_loss, new_g):
            diverged_at = t
            break
        theta, g, state = new_theta, new_g, new_state
        points.append(theta)
        losses.append(new_loss)
        grads.append(g)
        updates.append(delta)
        for name, value in state.items():
            state_log.setdefault(name, []).append(np.asarray(value, dtype=np.float64))
        if out_of_bounds(theta, new_loss):
            diverged_at = t

    return Trajectory(
        points=_readonly(np.array(points)),
        losses=_readonly(np.array(losses)),
        grads=_readonly(np.array(grads)),
        updates=_readonly(np.array(updates).reshape(-1, 2)),
        diverged_at=diverged_at,
        surface=surf.key,
        optimizer=spec.key,
        lr=lr_f,
        hyper=params,
        states={name: _readonly(np.array(vals)) for name, vals in state_log.items()},
    )


# ---------------------------------------------------------------------------------------------
# what a page shows about a run: a loss gap, display helpers (stability: core.stability)


def min_loss(surface: Surface | str) -> float | None:
    """L* = the smallest loss over the surface's known minima (``None`` if it has none)."""
    surf = get_surface(surface)
    if not surf.minima:
        return None
    return float(min(float(surf.value(np.asarray(m, dtype=np.float64))) for m in surf.minima))


def loss_gap(surface: Surface | str, losses: ArrayLike) -> tuple[FloatArray, float | None]:
    """Losses made positive for a log axis: (L − L*, L*); ``(L, None)`` when there is no minimum.

    Differences at the round-off level of L* (≤ 4·ε·|L*|) are floored there; an exact 0 becomes
    NaN (a log axis cannot draw it).
    """
    values = np.asarray(losses, dtype=np.float64)
    best = min_loss(surface)
    if best is None:
        return values.copy(), None
    gap = values - best
    floor = 4.0 * np.finfo(np.float64).eps * abs(best)
    if floor > 0:
        gap = np.maximum(gap, floor)
    return np.where(gap > 0, gap, np.nan), best


def last_inside(points: ArrayLike, domain: tuple[tuple[float, float], tuple[float, float]]) -> int:
    """Index of the last point inside the plotting ``domain`` (0 if none is)."""
    p = np.asarray(points, dtype=np.float64)
    (lo1, hi1), (lo2, hi2) = domain
    inside = (p[:, 0] >= lo1) & (p[:, 0] <= hi1) & (p[:, 1] >= lo2) & (p[:, 1] <= hi2)
    idx = np.flatnonzero(inside)
    return int(idx[-1]) if idx.size else 0


@dataclass(frozen=True)
class StepView:
    """The numbers of step t of a run: θ_t, L(θ_t), ∇L(θ_t), η∇L(θ_t) and the update applied.

    ``update`` and ``next_point`` are ``None`` at the last stored point (no step was taken from it).
    """

    t: int
    point: FloatArray
    loss: float
    grad: FloatArray
    lr_grad: FloatArray
    update: FloatArray | None
    next_point: FloatArray | None


def step_view(traj: Trajectory, t: int) -> StepView:
    """The numbers of step ``t`` (clamped to the stored steps) of a trajectory."""
    k = min(max(int(t), 0), traj.steps_taken)
    has_next = k < traj.steps_taken
    return StepView(
        t=k,
        point=traj.points[k],
        loss=float(traj.losses[k]),
        grad=traj.grads[k],
        lr_grad=traj.lr * traj.grads[k],
        update=traj.updates[k] if has_next else None,
        next_point=traj.points[k + 1] if has_next else None,
    )
