"""Step-size stability of gradient descent: the learning rate against the curvature (the Hessian's eigenvalues).

On a quadratic model of the loss one optimizer step is a linear map of the distance to the
critical point: :func:`step_limit` gives the largest stable η (``2/λmax`` for plain gradient
descent) and the per-step growth factor, :func:`sgd_closed_form` the exact path without
iterating, and :func:`diagnose` says why a run of :func:`core.optimizers.descend` diverged (or is
about to).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from core.optimizers import (
    OptimizerSpec,
    Trajectory,
    _check_hyper,
    _finite,
    _readonly,
    get_optimizer,
    last_inside,
)
from core.surfaces import Surface, get_surface

__all__ = [
    "Diagnosis",
    "StepLimit",
    "critical_point",
    "diagnose",
    "hessian_at",
    "sgd_closed_form",
    "step_limit",
]

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class StepLimit:
    """How the learning rate compares with the curvature, from the (constant or local) Hessian.

    Near a point the loss is ≈ quadratic with Hessian H; along an eigenvector with eigenvalue λ
    one optimizer step is a fixed linear map of the distance to the critical point. ``rate`` is
    the largest factor (spectral radius) by which a step multiplies that distance: below 1 the
    run contracts, above 1 it grows geometrically — divergence (or, when λ < 0, escape).

    Attributes:
        lam_max, lam_min: the Hessian's largest and smallest eigenvalues.
        direction: unit eigenvector of ``lam_max``.
        direction_min: unit eigenvector of ``lam_min`` (where a saddle curves down).
        lr_max: the η below which this optimizer contracts along ``lam_max`` (``None`` for the
            adaptive optimizers, whose step is not linear in the gradient, or when λmax ≤ 0).
        rule: that bound as text (``"2/λmax"``, ``"2(1+β)/λmax"``...), or ``None``.
        rate: the spectral radius of one step at ``lr`` over all eigen-directions (``None`` for
            the adaptive optimizers).
        constant: ``True`` when H is the surface's constant Hessian, ``False`` for a local one
            (central differences of the analytic gradient at ``point``).
        point: where a local Hessian was taken (``None`` for a constant one).
    """

    lam_max: float
    lam_min: float
    direction: FloatArray
    direction_min: FloatArray
    lr_max: float | None
    rule: str | None
    rate: float | None
    constant: bool
    point: FloatArray | None = None


def hessian_at(surface: Surface | str, point: ArrayLike) -> FloatArray:
    """The surface's constant Hessian, else central differences of its analytic gradient at ``point``."""
    surf = get_surface(surface)
    if surf.hessian is not None:
        return np.array(surf.hessian, dtype=np.float64)
    from core.finite_diff import jacobian

    p = np.asarray(point, dtype=np.float64)
    h = 1e-5 * max(1.0, float(np.max(np.abs(p))))
    H = jacobian(surf.grad, p, h=h)
    return 0.5 * (H + H.T)


def _linear_rate(key: str, a: float, beta: float) -> float:
    """Spectral radius of one step along an eigen-direction with a = η·λ (quadratic loss)."""
    if key == "sgd":  # d ← (1 − a) d
        return abs(1.0 - a)
    if key == "momentum":  # (d, ηv) ← ((1 − a)d − β·ηv, a·d + β·ηv)
        m = np.array([[1.0 - a, -beta], [a, beta]])
    else:  # nesterov: (d, ηv) ← ((1 − a(1+β))d − β²·ηv, a·d + β·ηv)
        m = np.array([[1.0 - a * (1.0 + beta), -beta * beta], [a, beta]])
    return float(np.max(np.abs(np.linalg.eigvals(m))))


def _oriented(v: FloatArray) -> FloatArray:
    """An eigenvector with its largest component positive (eigenvectors have no natural sign)."""
    return v if v[np.argmax(np.abs(v))] >= 0 else -v


def step_limit(
    surface: Surface | str,
    optimizer: OptimizerSpec | str,
    lr: float,
    point: ArrayLike | None = None,
    **hyper: float,
) -> StepLimit | None:
    """Compare η with the curvature: η_max and the per-step growth factor (see :class:`StepLimit`).

    Plain gradient descent contracts along every direction iff η < 2/λmax; heavy-ball momentum
    iff η < 2(1+β)/λmax; Nesterov (this module's form) iff η < 2(1+β)/((1+2β)·λmax). For surfaces
    without a constant Hessian pass ``point`` (the bound is then local); without it, ``None``.
    """
    surf = get_surface(surface)
    spec = get_optimizer(optimizer)
    params = _check_hyper(spec, hyper)
    if surf.hessian is None and point is None:
        return None
    p = None if surf.hessian is not None else np.asarray(point, dtype=np.float64)
    H = hessian_at(surf, p if p is not None else (0.0, 0.0))
    if not _finite(H):
        return None
    lams, vecs = np.linalg.eigh(H)
    lam_min, lam_max = float(lams[0]), float(lams[-1])
    direction, direction_min = _oriented(vecs[:, -1]), _oriented(vecs[:, 0])
    lr_f = float(lr)
    lr_max: float | None = None
    rule: str | None = None
    rate: float | None = None
    if spec.key in ("sgd", "momentum", "nesterov"):
        beta = params.get("beta", 0.0)
        rate = max(_linear_rate(spec.key, lr_f * float(lam), beta) for lam in lams)
        if lam_max > 0:
            if spec.key == "sgd":
                lr_max, rule = 2.0 / lam_max, "2/λmax"
            elif spec.key == "momentum":
                lr_max, rule = 2.0 * (1.0 + beta) / lam_max, "2(1+β)/λmax"
            else:
                lr_max, rule = 2.0 * (1.0 + beta) / ((1.0 + 2.0 * beta) * lam_max), "2(1+β)/((1+2β)·λmax)"
    return StepLimit(
        lam_max=lam_max,
        lam_min=lam_min,
        direction=_readonly(direction),
        direction_min=_readonly(direction_min),
        lr_max=lr_max,
        rule=rule,
        rate=rate,
        constant=surf.hessian is not None,
        point=None if p is None else _readonly(p),
    )


def critical_point(surface: Surface | str) -> FloatArray | None:
    """θ* with ∇L(θ*) = 0 for a quadratic surface (constant, invertible H): θ* = −H⁻¹ ∇L(0)."""
    surf = get_surface(surface)
    if surf.hessian is None:
        return None
    H = np.array(surf.hessian, dtype=np.float64)
    if abs(float(np.linalg.det(H))) < 1e-12:
        return None
    return np.asarray(np.linalg.solve(H, -surf.grad(np.zeros(2))), dtype=np.float64)


def sgd_closed_form(surface: Surface | str, start: ArrayLike, lr: float, k: int) -> FloatArray | None:
    """θ_k of plain gradient descent on a quadratic without iterating: θ* + (I − ηH)^k (θ_0 − θ*).

    (∇L(θ) = H(θ − θ*) on a quadratic, so each step multiplies θ − θ* by I − ηH.) ``None`` when the
    surface has no constant invertible Hessian. An independent check of ``descend``'s loop.
    """
    surf = get_surface(surface)
    theta_star = critical_point(surf)
    if theta_star is None:
        return None
    H = np.array(surf.hessian, dtype=np.float64)
    with np.errstate(all="ignore"):
        m = np.linalg.matrix_power(np.eye(2) - float(lr) * H, int(k))
        return theta_star + m @ (np.asarray(start, dtype=np.float64) - theta_star)


@dataclass(frozen=True)
class Diagnosis:
    """What a run's stability story is, for a page to explain (see :func:`diagnose`).

    Attributes:
        kind: ``None`` (nothing to explain), or one of
            ``"edge"`` — η is exactly at the bound of a constant Hessian: the run oscillates forever;
            ``"slow"`` — η is above that bound but the run has not left the bounds yet;
            ``"adaptive"`` — diverged, and the optimizer has no linear bound (RMSprop, Adam);
            ``"escape"`` — diverged along negative curvature with η below the positive-curvature
            bound (a saddle: the loss has no lower bound);
            ``"large"`` — diverged with η above the bound of the constant Hessian;
            ``"local"`` — diverged with η above the bound of the local Hessian at ``where``;
            ``"other"`` — diverged for another reason.
        limit: the :class:`StepLimit` at ``where`` (``None`` if it could not be computed).
        where: the last point of the run inside the plotting domain (where a local Hessian is taken).
    """

    kind: str | None
    limit: StepLimit | None
    where: FloatArray


def diagnose(
    traj: Trajectory, domain: tuple[tuple[float, float], tuple[float, float]] | None = None
) -> Diagnosis:
    """Classify a run against its stability limit: why it diverged, or whether it is about to."""
    surf = get_surface(traj.surface)
    where = traj.points[last_inside(traj.points, domain or surf.domain)]
    lim = step_limit(surf, traj.optimizer, traj.lr, point=where, **traj.hyper)
    kind: str | None
    if lim is None or lim.rate is None:  # no linear model of the step (adaptive optimizers)
        kind = None if traj.diverged_at is None else "adaptive"
        return Diagnosis(kind=kind, limit=lim, where=where)
    over = lim.lr_max is not None and traj.lr >= lim.lr_max * (1.0 - 1e-12)
    if traj.diverged_at is None:
        kind = None
        if over and lim.constant:
            kind = "slow" if lim.rate > 1.0 + 1e-9 else "edge"
    elif lim.lam_min < 0 and not over:
        kind = "escape"
    elif over:
        kind = "large" if lim.constant else "local"
    else:
        kind = "other"
    return Diagnosis(kind=kind, limit=lim, where=where)
