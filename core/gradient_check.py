"""Gradient checking: compare a hand-written gradient with central differences, and catch bugs.

A gradient check evaluates the analytic gradient g (backprop, a symbolic derivative, a
formula such as softmax-CE's p − y) and the central differences

    n_i = (f(θ + ε e_i) − f(θ − ε e_i)) / 2ε

for every parameter θ_i, and compares them with the relative error

    rel_i = |g_i − n_i| / max(|g_i| + |n_i|, tiny).

Rule of thumb (float64, ε ≈ 1e-6): below 1e-7 the gradient is right, up to 1e-4 suspicious
(kinks, an ε that is too big or too small), above 1e-4 there is a bug. The error as a
function of ε is a V on a log-log plot: to the right the truncation error of the difference
quotient (∝ ε²), to the left round-off (∝ machine-ε·|f| / ε).

A component whose true value is 0 has no meaningful relative error: the numeric estimate is
pure round-off and rel_i ≈ 1 even for a correct gradient. Such a component — both |g_i| and
|n_i| below the round-off level ``roundoff_level(f(θ), ε)`` — is scored 0 and flagged with a
note, the usual absolute-tolerance escape hatch.

This module is the app's one gradient check: every check is a ``CheckProblem`` (a request)
answered by ``check_gradient`` with a ``CheckReport`` (rows, verdict), used by every page:

- ``check_gradient`` (generic), ``sweep_steps`` (the V) and the problems: ``check_function``
  (f and a hand-written gradient), ``expression_problem`` (a typed function of x, y, z),
  ``network_problem`` (a ``TwoLayerNet`` or any ``MLP``: its ``backward`` or a bug planted in it
  from ``core.planted_bugs.BUGS``; every parameter or chosen ones; ``MLP.gradient_check`` is
  this) and ``softmax_ce_problem`` (analytic p − y over the logits);
- ``activation_check``: an activation's f′ on a plotting grid, with saturated points scored
  against a fraction of the peak;
- ``flow_weight_check``: backprop through a deep stack (``core.gradient_flow``) against
  central differences, for one weight, with the step chosen from the differences alone.

Pure NumPy and the standard library; nothing prints or warns.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike

from core import finite_diff, surfaces
from core.activations import Activation, saturation_mask
from core.gradient_flow import FlowResult, network_loss
from core.losses import softmax_cross_entropy, softmax_cross_entropy_grad
from core.planted_bugs import BUGS

if TYPE_CHECKING:  # the network imports this module for its gradient_check: no import cycle at runtime
    from core.mlp import MLP
    from core.network import TwoLayerNet

__all__ = [
    "GOOD",
    "SUSPICIOUS",
    "ROUNDOFF_FACTOR",
    "LEVELS",
    "level_of",
    "roundoff_level",
    "CheckProblem",
    "SATURATED_NOTE",
    "activation_check",
    "CheckRow",
    "CheckReport",
    "check_gradient",
    "Sweep",
    "sweep_steps",
    "expression_problem",
    "network_problem",
    "function_problem",
    "check_function",
    "TARGETS",
    "softmax_ce_logits",
    "softmax_ce_target",
    "softmax_ce_problem",
    "relu_kinks",
    "STACK_STEPS",
    "flow_weight_check",
]

GOOD: float = 1e-7
"""Relative errors below this are 'fine' (the gradient is right)."""

SUSPICIOUS: float = 1e-4
"""Relative errors up to this are 'suspicious'; above it, 'bug'."""

ROUNDOFF_FACTOR: float = 10.0
"""Safety factor on the round-off estimate machine-ε·max(1, |f|)/ε of a central difference."""

LEVELS: tuple[str, ...] = ("fine", "suspicious", "bug")

_MACHINE_EPS = float(np.finfo(np.float64).eps)


def level_of(rel_error: float, good: float = GOOD, suspicious: float = SUSPICIOUS) -> str:
    """'fine' if rel < good, 'suspicious' if rel ≤ suspicious, else 'bug' (NaN/inf is a bug)."""
    if not math.isfinite(rel_error):
        return "bug"
    if rel_error < good:
        return "fine"
    if rel_error <= suspicious:
        return "suspicious"
    return "bug"


def roundoff_level(f_value: float, h: float) -> float:
    """Absolute round-off of a central difference: ROUNDOFF_FACTOR · machine-ε · max(1, |f|) / h."""
    scale = max(1.0, abs(float(f_value))) if math.isfinite(float(f_value)) else 1.0
    return ROUNDOFF_FACTOR * _MACHINE_EPS * scale / float(h)


# ---------------------------------------------------------------------------------------------
# the generic check


@dataclass(frozen=True, eq=False)
class CheckProblem:
    """Something to check: f(θ) → scalar at a flat θ, its analytic gradient and parameter names.

    ``numeric(h)`` returns the central differences at θ (defaults to ``finite_diff.gradient``
    on ``f``); ``groups`` name the array each scalar belongs to (e.g. "W1" for "W1[0,2]").
    """

    names: tuple[str, ...]
    groups: tuple[str, ...]
    theta: np.ndarray
    f: Callable[[np.ndarray], float]
    analytic: np.ndarray
    numeric_fn: Callable[[float], np.ndarray] | None = None

    def value(self) -> float:
        """f(θ)."""
        return float(self.f(self.theta.copy()))

    def numeric(self, h: float) -> np.ndarray:
        """Central differences (f(θ + h e_i) − f(θ − h e_i)) / 2h for every i."""
        if self.numeric_fn is not None:
            return np.asarray(self.numeric_fn(float(h)), dtype=np.float64).ravel()
        return np.asarray(
            finite_diff.gradient(self.f, self.theta.copy(), h=float(h)), dtype=np.float64
        ).ravel()


@dataclass(frozen=True)
class CheckRow:
    """One parameter: analytic vs numeric, raw relative error, the error that is scored, verdict."""

    name: str
    group: str
    analytic: float
    numeric: float
    rel_error: float  # |a − n| / max(|a| + |n|, tiny)
    score: float  # rel_error, or 0.0 when both values are below the round-off level
    level: str  # "fine" | "suspicious" | "bug"
    note: str  # "" or why the score differs from rel_error
    value: float = math.nan  # the parameter's value θ_i where the gradient was checked


@dataclass(frozen=True)
class CheckReport:
    """All rows of one check at step h, the worst row, the norm-wise error and the verdict."""

    rows: tuple[CheckRow, ...]
    h: float
    f_value: float
    roundoff: float  # absolute round-off level used for the "both ≈ 0" rule
    overall: float  # ‖a − n‖ / (‖a‖ + ‖n‖)
    spread: float = 0.0  # estimated relative error of the central differences themselves (0: not estimated)
    skipped: tuple[str, ...] = ()  # groups left unchecked: their gradients are below the loss's round-off
    skipped_max: float = 0.0  # the largest |gradient| in the first skipped group

    @property
    def reliable(self) -> bool:
        """Whether the numeric estimates are trustworthy: their own estimated error ≤ SUSPICIOUS."""
        return math.isfinite(self.spread) and self.spread <= SUSPICIOUS

    @property
    def worst(self) -> CheckRow:
        """The row with the largest score (NaN counts as the largest)."""

        def key(r: CheckRow) -> float:
            return math.inf if math.isnan(r.score) else r.score

        return max(self.rows, key=key)

    @property
    def level(self) -> str:
        """The verdict of the worst row."""
        return self.worst.level

    @property
    def affected(self) -> tuple[str, ...]:
        """Names of the parameters whose check says 'bug'."""
        return tuple(r.name for r in self.rows if r.level == "bug")

    @property
    def affected_groups(self) -> tuple[str, ...]:
        """The arrays (groups) holding at least one 'bug' parameter, in order of appearance."""
        return tuple(dict.fromkeys(r.group for r in self.rows if r.level == "bug"))


def check_gradient(problem: CheckProblem, h: float = 1e-6) -> CheckReport:
    """Per parameter: rel_i = |g_i − n_i| / max(|g_i| + |n_i|, tiny) with n = central differences at step h."""
    h = float(h)
    if not (math.isfinite(h) and h > 0.0):
        raise ValueError(f"step h must be a positive finite number, got {h!r}")
    analytic = np.asarray(problem.analytic, dtype=np.float64).ravel()
    numeric = problem.numeric(h)
    rel = finite_diff.relative_errors(analytic, numeric)
    f_value = problem.value()
    floor = roundoff_level(f_value, h)
    rows = []
    for i, name in enumerate(problem.names):
        a, n, r = float(analytic[i]), float(numeric[i]), float(rel[i])
        note = ""
        score = r
        if math.isfinite(a) and math.isfinite(n) and abs(a) <= floor and abs(n) <= floor and r > 0.0:
            score = 0.0
            note = f"both ≈ 0 (below the round-off level {floor:.0e})"
        elif r > SUSPICIOUS and math.isfinite(a) and math.isfinite(n) and abs(a - n) <= floor:
            # A component small next to f: the difference is within the central difference's own
            # round-off (≈ ε|f|/h), so finite differences cannot tell the two apart at this h:
            # not evidence of a bug, at most suspicious.
            score = SUSPICIOUS
            note = (
                f"differ by {abs(a - n):.0e}, within the round-off level {floor:.0e} of f = {f_value:.3g}: "
                "finite differences cannot check this component more closely at this h"
            )
        rows.append(
            CheckRow(name, problem.groups[i], a, n, r, score, level_of(score), note, float(problem.theta[i]))
        )
    return CheckReport(
        rows=tuple(rows),
        h=h,
        f_value=f_value,
        roundoff=floor,
        overall=finite_diff.relative_error(analytic, numeric),
    )


@dataclass(frozen=True, eq=False)
class Sweep:
    """The error of the check for each step: norm-wise and worst scored parameter."""

    hs: np.ndarray
    overall: np.ndarray  # ‖a − n(h)‖ / (‖a‖ + ‖n(h)‖)
    worst: np.ndarray  # max_i score_i(h)

    @property
    def best_error(self) -> float:
        """The smallest norm-wise error over the sweep (NaN if none is finite)."""
        finite = np.isfinite(self.overall)
        return float(np.min(self.overall[finite])) if np.any(finite) else math.nan

    @property
    def best_h(self) -> float:
        """The step with the smallest norm-wise error (NaN if none is finite)."""
        finite = np.isfinite(self.overall)
        if not np.any(finite):
            return math.nan
        return float(self.hs[int(np.argmin(np.where(finite, self.overall, np.inf)))])


def sweep_steps(problem: CheckProblem, hs: Sequence[float] | np.ndarray) -> Sweep:
    """The check repeated for every step h: truncation (∝ h²) to the right, round-off (∝ 1/h) to the left."""
    steps = np.asarray(hs, dtype=np.float64).ravel()
    overall = np.empty(steps.size)
    worst = np.empty(steps.size)
    for k, h in enumerate(steps):
        report = check_gradient(problem, float(h))
        overall[k] = report.overall
        worst[k] = report.worst.score
    # floor exact zeros so log axes never see 0
    overall = np.where(np.isfinite(overall), np.maximum(overall, finite_diff.ERROR_FLOOR), np.nan)
    worst = np.where(np.isfinite(worst), np.maximum(worst, finite_diff.ERROR_FLOOR), np.nan)
    return Sweep(hs=steps, overall=overall, worst=worst)


# ---------------------------------------------------------------------------------------------
# 0. an activation's derivative on a grid of points


SATURATED_NOTE = "saturated (|f′| < frac·peak): measured against frac·peak"
"""The note of a grid point inside a saturated stretch in ``activation_check``."""


def activation_check(
    act: Activation, x: ArrayLike, h: float = 1e-5, frac: float = 0.01, **params: float
) -> CheckReport:
    """The registry's f′ against central differences at every grid point x_i (one row each, named "x[i]").

    The score is |a − n| / max(|a| + |n|, frac·peak): the usual relative error wherever f′ is not
    saturated, and the error relative to frac·peak inside the saturated zone (note ``SATURATED_NOTE``),
    where f′ is so small that the difference quotient's round-off (about ε·|f|/h) would dominate a
    relative measure. Keep the grid away from kinks (x = 0 for ReLU, leaky ReLU and ELU with α ≠ 1): a
    central difference there straddles two slopes, and this check reports it.
    """
    xs = np.asarray(x, dtype=np.float64).ravel()
    analytic = np.asarray(act.grad(xs, **params), dtype=np.float64)
    numeric = np.asarray(
        finite_diff.derivative(partial(act.fn, **params), xs, h=h, method="central"), dtype=np.float64
    )
    floor = frac * act.peak_grad_for(**params)
    with np.errstate(all="ignore"):
        scores = np.abs(analytic - numeric) / np.maximum(np.abs(analytic) + np.abs(numeric), floor)
    scores = np.where(np.isfinite(scores), scores, np.inf)
    saturated = saturation_mask(act, xs, frac, **params)
    rel = finite_diff.relative_errors(analytic, numeric)
    rows = tuple(
        CheckRow(
            f"x[{i}]",
            act.key,
            float(analytic[i]),
            float(numeric[i]),
            float(rel[i]),
            float(scores[i]),
            level_of(float(scores[i])),
            SATURATED_NOTE if saturated[i] else "",
            float(xs[i]),
        )
        for i in range(xs.size)
    )
    return CheckReport(
        rows=rows,
        h=float(h),
        f_value=math.nan,
        roundoff=0.0,
        overall=finite_diff.relative_error(analytic, numeric),
    )


# ---------------------------------------------------------------------------------------------
# 1. a typed function of up to three variables


def expression_problem(
    expr, point: Mapping[str, float], variables: Sequence[str] | None = None
) -> CheckProblem:
    """f = a parsed ``core.expression`` Expression at ``point``; analytic ∂f/∂v is its symbolic derivative.

    ``variables`` (default: the keys of ``point``) are the parameters checked, in order; every
    variable of ``point`` is passed to ``evaluate``. Evaluation runs with NumPy warnings off (a
    value outside the domain, e.g. log of a negative number, is NaN and the caller reports it).
    """
    names = tuple(variables if variables is not None else point)
    base = {k: float(v) for k, v in point.items()}
    theta = np.array([base[v] for v in names], dtype=np.float64)

    def f(t: np.ndarray) -> float:
        env = dict(base)
        env.update({v: float(t[i]) for i, v in enumerate(names)})
        with np.errstate(all="ignore"):
            return float(np.asarray(expr.evaluate(**env), dtype=np.float64).reshape(()))

    with np.errstate(all="ignore"):
        analytic = np.array(
            [
                float(np.asarray(expr.derivative(v).evaluate(**base), dtype=np.float64).reshape(()))
                for v in names
            ],
            dtype=np.float64,
        )
    return CheckProblem(names=names, groups=names, theta=theta, f=f, analytic=analytic)


# ---------------------------------------------------------------------------------------------
# 2. softmax cross-entropy over the logits


def softmax_ce_logits(k: int, scale: float = 1.0, seed: int = 0) -> np.ndarray:
    """k logits z = scale · N(0, 1) draws from ``np.random.default_rng(seed)``."""
    if isinstance(k, bool) or not 2 <= int(k) <= 64:
        raise ValueError(f"k must be an integer in [2, 64], got {k!r}")
    return float(scale) * np.random.default_rng(int(seed)).standard_normal(int(k))


TARGETS: tuple[str, ...] = ("largest", "smallest")
"""Which logit the true class is: the largest (the model is right) or the smallest (it is wrong)."""


def softmax_ce_target(logits: Sequence[float] | np.ndarray, which: str = "largest") -> int:
    """Index of the largest (argmax) or smallest (argmin) logit: the true class of the example."""
    z = np.asarray(logits, dtype=np.float64).ravel()
    if which not in TARGETS:
        raise ValueError(f"which must be one of {TARGETS}, got {which!r}")
    return int(np.argmax(z) if which == "largest" else np.argmin(z))


def softmax_ce_problem(logits: Sequence[float] | np.ndarray, target: int) -> CheckProblem:
    """L(z) = −log softmax(z)_target; the analytic gradient is p − y (``core.losses``)."""
    z = np.asarray(logits, dtype=np.float64).ravel()
    if not 0 <= int(target) < z.size:
        raise ValueError(f"target must be in [0, {z.size}), got {target!r}")
    y = np.zeros(z.size)
    y[int(target)] = 1.0

    def f(t: np.ndarray) -> float:
        return softmax_cross_entropy(y, t)

    names = tuple(f"z[{i}]" for i in range(z.size))
    return CheckProblem(
        names=names,
        groups=names,
        theta=z.copy(),
        f=f,
        analytic=np.asarray(softmax_cross_entropy_grad(y, z), dtype=np.float64),
    )


# ---------------------------------------------------------------------------------------------
# 3. a network's backward pass (or a bug planted in it: core.planted_bugs)


def network_problem(
    net: MLP, X: ArrayLike, y: ArrayLike, bug: str = "none", params: Sequence[str] | None = None
) -> CheckProblem:
    """Backprop (``net.backward`` or the planted bug's backward) vs ``net.numeric_gradients``.

    Every scalar parameter of the network (a ``TwoLayerNet`` or any ``MLP``), or only the names in
    ``params`` (e.g. the one weight a page is explaining). The planted bugs are for the article's
    ``TwoLayerNet`` only.
    """
    if bug not in BUGS:
        raise ValueError(f"unknown bug {bug!r}; choose one of {sorted(BUGS)}")
    work = net.copy()
    X, y = work._check_Xy(X, y)
    planted = BUGS[bug].backward
    grads = work.backward(X, y) if planted is None else planted(work, X, y)  # type: ignore[arg-type]
    names = tuple(work.param_names()) if params is None else tuple(params)
    located = [work._locate(n) for n in names]
    groups = tuple(key for key, _ in located)
    analytic = np.array([float(grads["d" + key][index]) for key, index in located], dtype=np.float64)
    theta = np.array([work.get_param(n) for n in names], dtype=np.float64)
    probe = work.copy()

    def f(t: np.ndarray) -> float:
        for (key, index), v in zip(located, t, strict=True):
            probe._array(key)[index] = v
        return probe.data_loss(X, y) + probe.penalty()

    def numeric(h: float) -> np.ndarray:
        if params is None:
            g = work.numeric_gradients(X, y, h)
            return np.array([float(g["d" + key][index]) for key, index in located], dtype=np.float64)
        return np.array([work.numeric_gradient(X, y, n, h) for n in names], dtype=np.float64)

    return CheckProblem(names=names, groups=groups, theta=theta, f=f, analytic=analytic, numeric_fn=numeric)


def function_problem(
    f: Callable[[np.ndarray], float],
    grad_f: Callable[[np.ndarray], np.ndarray | Sequence[float]],
    x: Sequence[float] | np.ndarray,
) -> CheckProblem:
    """f(θ) with its hand-written gradient grad_f(θ) at θ = x (any shape; scalars named "θ[i, j]" row-major)."""
    theta = np.array(x, dtype=np.float64)
    analytic = np.array(grad_f(theta.copy()), dtype=np.float64)
    if analytic.size != theta.size:
        raise ValueError(f"grad_f returned {analytic.size} components for {theta.size} parameters")
    shape = theta.shape

    def flat_f(t: np.ndarray) -> float:
        return float(f(t.reshape(shape)))

    names = tuple(f"θ[{', '.join(str(i) for i in idx)}]" for idx in np.ndindex(shape)) if shape else ("θ",)
    return CheckProblem(names=names, groups=names, theta=theta.ravel(), f=flat_f, analytic=analytic.ravel())


def directional_check(
    surface: surfaces.Surface, w: Sequence[float], angle: float, h: float = 1e-5
) -> CheckRow:
    """D_u L = ∇L·u (the analytic gradient) against d/dt L(w + t·u) at t = 0 by central differences.

    ``angle`` in degrees, u = (cos θ, sin θ). The numeric slope only evaluates L along the line.
    """
    point = np.asarray(w, dtype=np.float64)
    analytic = float(surfaces.directional_derivatives(surface, point, angle))
    along = surfaces.slice_along(surface, point, surfaces.unit_vector(angle))
    return check_function(lambda t: float(along(t[0])), lambda t: [analytic], [0.0], h=h).rows[0]


def directional_checks(
    surface: surfaces.Surface, w: Sequence[float], angles: Sequence[float], h: float = 1e-5
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``directional_check`` at many angles at once: (∇L·u, the central difference along u, their relative
    error) per angle, the same numbers it gives angle by angle, with one evaluation of L for all of them.

    Each u is unit_vector(θ) of one angle (as there); L(w ± h·u) is evaluated elementwise.
    """
    h = float(h)
    if not (math.isfinite(h) and h > 0.0):
        raise ValueError(f"step h must be a positive finite number, got {h!r}")
    point = np.asarray(w, dtype=np.float64).reshape(2)
    u = np.array([surfaces.unit_vector(float(a)) for a in angles], dtype=np.float64).reshape(-1, 2).T
    g = surfaces.get_surface(surface).grad(point)
    with np.errstate(all="ignore"):
        analytic = np.asarray(g[0] * u[0] + g[1] * u[1], dtype=np.float64)
    f = surfaces.get_surface(surface).f
    w1, w2 = float(point[0]), float(point[1])
    t_plus, t_minus = (
        np.float64(0.0) + h,
        np.float64(0.0) - h,
    )  # the slice's t = 0 ± h, as finite_diff steps it
    f_plus = np.asarray(f(w1 + t_plus * u[0], w2 + t_plus * u[1]), dtype=np.float64)
    f_minus = np.asarray(f(w1 + t_minus * u[0], w2 + t_minus * u[1]), dtype=np.float64)
    with np.errstate(over="ignore", invalid="ignore"):
        numeric = (f_plus - f_minus) / (2.0 * h)
    return analytic, numeric, finite_diff.relative_errors(analytic, numeric)


def check_function(
    f: Callable[[np.ndarray], float],
    grad_f: Callable[[np.ndarray], np.ndarray | Sequence[float]],
    x: Sequence[float] | np.ndarray,
    h: float = 1e-7,
) -> CheckReport:
    """grad_f(x) against central differences of f at x, every component (``h = 1e-7``: the article's epsilon)."""
    return check_gradient(function_problem(f, grad_f, x), h)


def relu_kinks(net: TwoLayerNet, X: np.ndarray, h: float) -> tuple[int, ...]:
    """Hidden units j of a ReLU net with |z1[s, j]| ≤ h for some sample s: the check straddles the kink there.

    ReLU has no derivative at 0; backprop uses ReLU′(0) = 0 while a central difference across
    the kink averages the two sides (½). Empty for sigmoid and tanh nets.
    """
    if net.activation != "relu":
        return ()
    X = np.asarray(X, dtype=np.float64)
    z1 = X @ net.W1 + net.b1
    close = np.any(np.abs(z1) <= float(h), axis=0)
    return tuple(int(j) for j in np.flatnonzero(close))


# ---------------------------------------------------------------------------------------------
# deep stacks (Vanishing gradients page): one weight, backprop vs central differences


STACK_STEPS: tuple[float, ...] = (1e-3, 1e-4, 1e-5, 1e-6, 1e-7, 1e-8)
"""Relative steps tried by ``flow_weight_check`` (times max(1, |w|))."""


def _stack_roundoff(flow: FlowResult, h: float) -> float:
    """Round-off of a central difference of L = Σh_L/batch: machine-ε · max(1, |L|, ‖h_L‖·√(width/batch)) / h."""
    spread = float(flow.activation_norms[-1]) * math.sqrt(flow.width / flow.batch)
    scale = max(1.0, abs(flow.loss), spread if math.isfinite(spread) else 1.0)
    return _MACHINE_EPS * scale / h


def flow_weight_check(flow: FlowResult, layer: int | None = None, resolvable: float = 1e-6) -> CheckReport:
    """Backprop's ∂L/∂W_l[i,j] (largest entry of layer l) vs (L(W + h e_ij) − L(W − h e_ij)) / 2h.

    A one-row ``CheckReport`` (row "W{l}[i,j]", group "W{l}") at the chosen step ``h``, with the
    numeric estimate's own relative ``spread`` (``reliable`` when ≤ SUSPICIOUS), the layers below
    ``l`` that were ``skipped`` and ``skipped_max`` = max |∂L/∂W_1|.

    With ``layer=None`` the layer closest to the input whose largest weight gradient finite
    differences can resolve — round-off(h = 1e-5) / |g| ≤ ``resolvable`` — is checked (the last
    layer if none can): a gradient smaller than the round-off of the loss itself cannot be
    measured by differences; ``skipped`` names the layers passed over for that reason.

    The step is chosen from the differences alone (never from the analytic value): among
    h ∈ ``STACK_STEPS`` (times max(1, |w|)) the one with the smallest estimated error
    |n(h) − n(h/10)| (truncation) + machine-ε·scale/h (round-off). That estimate, relative, is
    ``spread``: when it is large the loss is too rough at every step for differences to say anything.
    """
    if not flow.finite:
        raise ValueError("the stack overflowed: no finite gradient to check")
    depth = flow.depth
    maxima = [float(np.max(np.abs(g))) for g in flow.weight_grads]
    noise = _stack_roundoff(flow, 1e-5)
    if layer is None:
        layer = next((k + 1 for k, g in enumerate(maxima) if g > 0.0 and noise / g <= resolvable), depth)
    if not 1 <= int(layer) <= depth:
        raise ValueError(f"layer must be in [1, {depth}], got {layer!r}")
    layer = int(layer)
    grad = np.asarray(flow.weight_grads[layer - 1])
    i, j = (int(v) for v in np.unravel_index(int(np.argmax(np.abs(grad))), grad.shape))
    weights = [np.array(w, dtype=np.float64) for w in flow.weights]
    w0 = float(weights[layer - 1][i, j])

    def central(step: float) -> float:
        weights[layer - 1][i, j] = w0 + step
        plus = network_loss(flow.x, weights, flow.biases, flow.activation, flow.residual, flow.batch_norm)
        weights[layer - 1][i, j] = w0 - step
        minus = network_loss(flow.x, weights, flow.biases, flow.activation, flow.residual, flow.batch_norm)
        weights[layer - 1][i, j] = w0
        with np.errstate(all="ignore"):
            return float((plus - minus) / (2.0 * step))

    steps = [h * max(1.0, abs(w0)) for h in STACK_STEPS]
    estimates = [central(s) for s in steps]
    # estimated error of each estimate: truncation ≈ |n(h) − n(h/10)|, plus round-off ε·scale/h
    totals = []
    for k in range(len(steps) - 1):
        with np.errstate(all="ignore"):
            total = abs(estimates[k] - estimates[k + 1]) + _stack_roundoff(flow, steps[k])
        totals.append(total if math.isfinite(total) else math.inf)
    best = int(np.argmin(totals))
    size = max(abs(estimates[best]), float(np.finfo(np.float64).tiny))
    spread = totals[best] / size if math.isfinite(totals[best]) else math.inf
    analytic = float(grad[i, j])
    rel = finite_diff.relative_error(analytic, estimates[best])
    skipped = tuple(
        f"W{k + 1}" for k, g in enumerate(maxima[: layer - 1]) if g == 0.0 or noise / g > resolvable
    )
    row = CheckRow(f"W{layer}[{i},{j}]", f"W{layer}", analytic, estimates[best], rel, rel, level_of(rel), "")
    return CheckReport(
        rows=(row,),
        h=steps[best],
        f_value=float(flow.loss),
        roundoff=_stack_roundoff(flow, steps[best]),
        overall=rel,
        spread=spread,
        skipped=skipped,
        skipped_max=maxima[0],
    )
