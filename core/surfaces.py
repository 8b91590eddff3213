"""Two-parameter loss surfaces L(w1, w2) with analytic gradients, plus the ``SURFACES`` registry.

Each surface is written twice, on purpose:

- a readable function of ``(w1, w2)`` and, right next to it, its analytic partial derivatives
  (what a learner reads in "show the code");
- its polynomial coefficients ``(c, i, j)`` meaning ``c · w1^i · w2^j``. They are used only where
  the readable form overflows (|w| ≳ 1e75): there the polynomial is evaluated in the scaled
  variables ``w / s`` with ``s = max(|w1|, |w2|, 1)`` and multiplied back by ``s`` one factor at a
  time, so a value that exceeds float64 becomes ``±inf`` and never ``inf − inf = NaN``.

So ``Surface.f`` and ``Surface.grad`` return finite values wherever the true value fits in
float64, ``±inf`` where it does not, never NaN for finite input, and never emit NumPy warnings.

The surfaces (in registry order): ``bowl`` (the article's ``GradientDemo``), ``coupled`` (the
article's ``loss_2d``), ``ravine`` (ill-conditioned quadratic), ``saddle``, ``rosenbrock`` and
``himmelblau``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "SURFACES",
    "Surface",
    "Terms",
    "bowl",
    "bowl_grad",
    "coupled",
    "coupled_grad",
    "directional_derivatives",
    "get_surface",
    "gradient_field",
    "grid",
    "himmelblau",
    "himmelblau_grad",
    "ravine",
    "ravine_grad",
    "rosenbrock",
    "rosenbrock_grad",
    "saddle",
    "saddle_grad",
    "scaled_arrow",
    "slice_along",
    "stable_lr",
    "steepest_ascent",
    "unit_vector",
]

FloatArray = NDArray[np.float64]
Terms = tuple[tuple[float, int, int], ...]
"""Polynomial coefficients: ``((c, i, j), ...)`` means ``Σ c · w1^i · w2^j``."""


# ---------------------------------------------------------------------------------------------
# robust polynomial evaluation (used only where the readable form overflows)


def _derivative_terms(terms: Terms, axis: int) -> Terms:
    """∂/∂w_axis of Σ c·w1^i·w2^j, term by term: c·i·w1^(i−1)·w2^j (axis 0) or c·j·w1^i·w2^(j−1)."""
    out: list[tuple[float, int, int]] = []
    for c, i, j in terms:
        if axis == 0 and i > 0:
            out.append((c * i, i - 1, j))
        elif axis == 1 and j > 0:
            out.append((c * j, i, j - 1))
    return tuple(out) if out else ((0.0, 0, 0),)


def _poly_scaled(terms: Terms, w1: FloatArray, w2: FloatArray) -> FloatArray:
    """Σ c·w1^i·w2^j evaluated as s^D · Σ c·u1^i·u2^j·s^(i+j−D), u = w/s, s = max(|w1|, |w2|, 1)."""
    deg = max(i + j for _, i, j in terms)
    with np.errstate(all="ignore"):
        s = np.maximum(np.maximum(np.abs(w1), np.abs(w2)), 1.0)
        u1, u2 = w1 / s, w2 / s  # in [−1, 1]
        inner = np.zeros(np.broadcast(w1, w2).shape)
        for c, i, j in terms:
            inner = inner + c * u1**i * u2**j / s ** (deg - i - j)  # finite: |u| ≤ 1, s ≥ 1
        # Multiply back one factor s ≥ 1 at a time: |value| only grows, so an overflow to ±inf
        # means the true value overflows too, and no 0·inf or inf − inf can appear.
        out = inner
        for _ in range(deg):
            out = out * s
    return np.asarray(out, dtype=np.float64)


def _repair(values: FloatArray, terms: Terms | None, w1: FloatArray, w2: FloatArray) -> FloatArray:
    """Replace entries that overflowed (finite input, non-finite output) by the scaled polynomial."""
    if terms is None:
        return values
    shape = np.broadcast(values, w1, w2).shape
    b1, b2 = np.broadcast_to(w1, shape), np.broadcast_to(w2, shape)
    bad = ~np.isfinite(values) & np.isfinite(b1) & np.isfinite(b2)
    if not np.any(bad):
        return values
    fixed = np.array(np.broadcast_to(values, shape), dtype=np.float64)
    fixed[bad] = _poly_scaled(terms, b1[bad], b2[bad])
    return fixed


# ---------------------------------------------------------------------------------------------
# the Surface type


@dataclass(frozen=True)
class Surface:
    """A loss surface L(w1, w2) with its analytic gradient and what a page needs to draw it.

    Attributes:
        key: registry key (``"bowl"``...).
        name: display name.
        loss_fn: the readable L(w1, w2) (use :meth:`f`, which adds float64 conversion and
            overflow safety).
        grad_fn: the readable (∂L/∂w1, ∂L/∂w2) as a pair (use :meth:`grad`).
        formula: LaTeX of L(w1, w2), including the left-hand side.
        grad_formula: LaTeX of the two partial derivatives.
        domain: ``((w1_lo, w1_hi), (w2_lo, w2_hi))`` for plotting.
        minima: known global/local minimizers (empty for the saddle).
        hessian: the constant 2×2 Hessian (read-only) for quadratic surfaces, else ``None``.
        default_start: a starting point for gradient descent inside ``domain``.
        description: one sentence a student reads.
        terms: polynomial coefficients ``((c, i, j), ...)`` of L, for overflow-safe evaluation.
    """

    key: str
    name: str
    loss_fn: Callable[[FloatArray, FloatArray], FloatArray]
    grad_fn: Callable[[FloatArray, FloatArray], tuple[FloatArray, FloatArray]]
    formula: str
    grad_formula: str
    domain: tuple[tuple[float, float], tuple[float, float]]
    minima: tuple[tuple[float, float], ...]
    hessian: FloatArray | None = field(compare=False)
    default_start: tuple[float, float]
    description: str
    terms: Terms | None = None

    def f(self, w1: ArrayLike, w2: ArrayLike) -> FloatArray:
        """L(w1, w2), elementwise over broadcast arrays (a NumPy scalar for scalar input)."""
        a1, a2 = _atleast_1d(w1), _atleast_1d(w2)
        shape = np.broadcast_shapes(np.shape(w1), np.shape(w2))
        with np.errstate(all="ignore"):
            z = np.asarray(self.loss_fn(a1, a2), dtype=np.float64)
        return _repair(z, self.terms, a1, a2).reshape(shape)[()]

    def value(self, w: ArrayLike) -> FloatArray:
        """L(w) for a point ``w = (w1, w2)`` (or an array shaped ``(2, ...)``): f(w[0], w[1])."""
        a = _as_points(w)
        return self.f(a[0], a[1])

    def grad(self, w: ArrayLike) -> FloatArray:
        """∇L(w) = (∂L/∂w1, ∂L/∂w2) for ``w`` shaped ``(2,)`` or ``(2, ...)``; same shape out."""
        a = _as_points(w)
        w1, w2 = _atleast_1d(a[0]), _atleast_1d(a[1])
        with np.errstate(all="ignore"):
            g1, g2 = self.grad_fn(w1, w2)
            g1 = np.asarray(g1, dtype=np.float64)
            g2 = np.asarray(g2, dtype=np.float64)
        if self.terms is not None:
            g1 = _repair(g1, _derivative_terms(self.terms, 0), w1, w2)
            g2 = _repair(g2, _derivative_terms(self.terms, 1), w1, w2)
        shape = a.shape[1:]
        g1 = np.broadcast_to(g1, w1.shape).reshape(shape)
        g2 = np.broadcast_to(g2, w1.shape).reshape(shape)
        return np.stack([g1, g2]).astype(np.float64)


def _atleast_1d(x: ArrayLike) -> FloatArray:
    # Scalars go through the same array loops as grids, so a point's value is bit-for-bit the
    # value at that point of a grid (NumPy's scalar ``x**2`` can differ from the array one by an ulp).
    return np.atleast_1d(np.asarray(x, dtype=np.float64))


def _as_points(w: ArrayLike) -> FloatArray:
    a = np.asarray(w, dtype=np.float64)
    if a.ndim == 0 or a.shape[0] != 2:
        raise ValueError(f"a point must have shape (2,) or (2, ...); got shape {a.shape}")
    return a


def _frozen(matrix: list[list[float]]) -> FloatArray:
    a = np.array(matrix, dtype=np.float64)
    a.setflags(write=False)
    return a


# ---------------------------------------------------------------------------------------------
# bowl — the article's GradientDemo


def bowl(w1: FloatArray, w2: FloatArray) -> FloatArray:
    """L = w1² + 2·w2²."""
    return w1**2 + 2 * w2**2


def bowl_grad(w1: FloatArray, w2: FloatArray) -> tuple[FloatArray, FloatArray]:
    """∇L = (2·w1, 4·w2)."""
    return 2 * w1, 4 * w2


# ---------------------------------------------------------------------------------------------
# coupled — the article's loss_2d


def coupled(w1: FloatArray, w2: FloatArray) -> FloatArray:
    """L = (w1 − 2)² + (w2 − 3)² + w1·w2."""
    return (w1 - 2) ** 2 + (w2 - 3) ** 2 + w1 * w2


def coupled_grad(w1: FloatArray, w2: FloatArray) -> tuple[FloatArray, FloatArray]:
    """∇L = (2(w1 − 2) + w2, 2(w2 − 3) + w1)."""
    return 2 * (w1 - 2) + w2, 2 * (w2 - 3) + w1


# ---------------------------------------------------------------------------------------------
# ravine — an ill-conditioned quadratic


def ravine(w1: FloatArray, w2: FloatArray) -> FloatArray:
    """L = ½·w1² + 25·w2²  (Hessian diag(1, 50): condition number 50)."""
    return 0.5 * w1**2 + 25 * w2**2


def ravine_grad(w1: FloatArray, w2: FloatArray) -> tuple[FloatArray, FloatArray]:
    """∇L = (w1, 50·w2)."""
    return 1.0 * w1, 50 * w2


# ---------------------------------------------------------------------------------------------
# saddle


def saddle(w1: FloatArray, w2: FloatArray) -> FloatArray:
    """L = w1² − w2²."""
    return w1**2 - w2**2


def saddle_grad(w1: FloatArray, w2: FloatArray) -> tuple[FloatArray, FloatArray]:
    """∇L = (2·w1, −2·w2)."""
    return 2 * w1, -2 * w2


# ---------------------------------------------------------------------------------------------
# rosenbrock


def rosenbrock(w1: FloatArray, w2: FloatArray) -> FloatArray:
    """L = (1 − w1)² + 100·(w2 − w1²)²."""
    return (1 - w1) ** 2 + 100 * (w2 - w1**2) ** 2


def rosenbrock_grad(w1: FloatArray, w2: FloatArray) -> tuple[FloatArray, FloatArray]:
    """∇L = (2(w1 − 1) − 400·w1·(w2 − w1²), 200·(w2 − w1²))."""
    return 2 * (w1 - 1) - 400 * w1 * (w2 - w1**2), 200 * (w2 - w1**2)


# ---------------------------------------------------------------------------------------------
# himmelblau


def himmelblau(w1: FloatArray, w2: FloatArray) -> FloatArray:
    """L = (w1² + w2 − 11)² + (w1 + w2² − 7)²."""
    return (w1**2 + w2 - 11) ** 2 + (w1 + w2**2 - 7) ** 2


def himmelblau_grad(w1: FloatArray, w2: FloatArray) -> tuple[FloatArray, FloatArray]:
    """∇L = (4·w1·(w1² + w2 − 11) + 2(w1 + w2² − 7), 2(w1² + w2 − 11) + 4·w2·(w1 + w2² − 7))."""
    a = w1**2 + w2 - 11
    b = w1 + w2**2 - 7
    return 4 * w1 * a + 2 * b, 2 * a + 4 * w2 * b


# ---------------------------------------------------------------------------------------------
# registry

_DL1 = r"\frac{\partial L}{\partial w_1}"
_DL2 = r"\frac{\partial L}{\partial w_2}"

SURFACES: dict[str, Surface] = {
    s.key: s
    for s in (
        Surface(
            key="bowl",
            name="Bowl (the article's GradientDemo)",
            loss_fn=bowl,
            grad_fn=bowl_grad,
            formula=r"L(w_1, w_2) = w_1^2 + 2 w_2^2",
            grad_formula=_DL1 + r" = 2 w_1, \qquad " + _DL2 + r" = 4 w_2",
            domain=((-5.0, 5.0), (-5.0, 5.0)),
            minima=((0.0, 0.0),),
            hessian=_frozen([[2.0, 0.0], [0.0, 4.0]]),
            default_start=(4.0, 3.0),
            description="A round-ish bowl: curvature 2 along w1 and 4 along w2, one minimum at the origin.",
            terms=((1.0, 2, 0), (2.0, 0, 2)),
        ),
        Surface(
            key="coupled",
            name="Coupled quadratic (the article's loss_2d)",
            loss_fn=coupled,
            grad_fn=coupled_grad,
            formula=r"L(w_1, w_2) = (w_1 - 2)^2 + (w_2 - 3)^2 + w_1 w_2",
            grad_formula=_DL1 + r" = 2(w_1 - 2) + w_2, \qquad " + _DL2 + r" = 2(w_2 - 3) + w_1",
            domain=((-2.0, 6.0), (-2.0, 8.0)),
            minima=((2.0 / 3.0, 8.0 / 3.0),),
            hessian=_frozen([[2.0, 1.0], [1.0, 2.0]]),
            default_start=(1.0, 1.0),
            description=(
                "The w1·w2 term couples the parameters: each partial derivative depends on both, "
                "and the minimum sits at (2/3, 8/3), not at (2, 3)."
            ),
            terms=((1.0, 2, 0), (1.0, 0, 2), (1.0, 1, 1), (-4.0, 1, 0), (-6.0, 0, 1), (13.0, 0, 0)),
        ),
        Surface(
            key="ravine",
            name="Ravine (ill-conditioned)",
            loss_fn=ravine,
            grad_fn=ravine_grad,
            formula=r"L(w_1, w_2) = \tfrac{1}{2} w_1^2 + 25 w_2^2",
            grad_formula=_DL1 + r" = w_1, \qquad " + _DL2 + r" = 50 w_2",
            domain=((-10.0, 10.0), (-2.0, 2.0)),
            minima=((0.0, 0.0),),
            hessian=_frozen([[1.0, 0.0], [0.0, 50.0]]),
            default_start=(-9.0, 1.5),
            description=(
                "Ill-conditioned: curvature 50× larger along w2 (λ = 1 and 50), so a learning rate "
                "small enough for w2 crawls along w1."
            ),
            terms=((0.5, 2, 0), (25.0, 0, 2)),
        ),
        Surface(
            key="saddle",
            name="Saddle",
            loss_fn=saddle,
            grad_fn=saddle_grad,
            formula=r"L(w_1, w_2) = w_1^2 - w_2^2",
            grad_formula=_DL1 + r" = 2 w_1, \qquad " + _DL2 + r" = -2 w_2",
            domain=((-3.0, 3.0), (-3.0, 3.0)),
            minima=(),
            hessian=_frozen([[2.0, 0.0], [0.0, -2.0]]),
            default_start=(2.5, 0.05),
            description=(
                "No minimum: the gradient vanishes at (0, 0), but the surface curves up along w1 "
                "and down along w2, so descent slides in along w1 and escapes along w2."
            ),
            terms=((1.0, 2, 0), (-1.0, 0, 2)),
        ),
        Surface(
            key="rosenbrock",
            name="Rosenbrock's banana valley",
            loss_fn=rosenbrock,
            grad_fn=rosenbrock_grad,
            formula=r"L(w_1, w_2) = (1 - w_1)^2 + 100\,(w_2 - w_1^2)^2",
            grad_formula=(
                _DL1 + r" = 2(w_1 - 1) - 400\, w_1 (w_2 - w_1^2), \qquad " + _DL2 + r" = 200\,(w_2 - w_1^2)"
            ),
            domain=((-2.0, 2.0), (-1.0, 3.0)),
            minima=((1.0, 1.0),),
            hessian=None,
            default_start=(-1.2, 1.0),
            description=(
                "A curved, flat-bottomed valley: finding the valley is easy, following it to the "
                "minimum at (1, 1) is slow."
            ),
            terms=((1.0, 0, 0), (-2.0, 1, 0), (1.0, 2, 0), (100.0, 0, 2), (-200.0, 2, 1), (100.0, 4, 0)),
        ),
        Surface(
            key="himmelblau",
            name="Himmelblau (four minima)",
            loss_fn=himmelblau,
            grad_fn=himmelblau_grad,
            formula=r"L(w_1, w_2) = (w_1^2 + w_2 - 11)^2 + (w_1 + w_2^2 - 7)^2",
            grad_formula=(
                _DL1
                + r" = 4 w_1 (w_1^2 + w_2 - 11) + 2 (w_1 + w_2^2 - 7), \qquad "
                + _DL2
                + r" = 2 (w_1^2 + w_2 - 11) + 4 w_2 (w_1 + w_2^2 - 7)"
            ),
            domain=((-5.0, 5.0), (-5.0, 5.0)),
            minima=(
                (3.0, 2.0),
                (-2.805118086952745, 3.131312518250573),
                (-3.779310253377747, -3.283185991286169),
                (3.5844283403304917, -1.8481265269644034),
            ),
            hessian=None,
            default_start=(0.0, 0.0),
            description=(
                "Four minima, all with loss 0: which one gradient descent finds depends on where it starts."
            ),
            # (w1² + w2 − 11)² + (w1 + w2² − 7)² expanded
            terms=(
                (1.0, 4, 0),
                (2.0, 2, 1),
                (-21.0, 2, 0),
                (1.0, 0, 4),
                (2.0, 1, 2),
                (-13.0, 0, 2),
                (-14.0, 1, 0),
                (-22.0, 0, 1),
                (170.0, 0, 0),
            ),
        ),
    )
}


# ---------------------------------------------------------------------------------------------
# helpers


def get_surface(surface: Surface | str) -> Surface:
    """The surface itself, or ``SURFACES[key]`` for a key (``KeyError`` listing the keys if unknown)."""
    if isinstance(surface, Surface):
        return surface
    try:
        return SURFACES[surface]
    except KeyError:
        raise KeyError(f"unknown surface {surface!r}; choose one of {list(SURFACES)}") from None


def stable_lr(surface: Surface | str) -> float | None:
    """η_max = 2 / λ_max(H): plain gradient descent on a quadratic converges iff η < η_max.

    ``None`` when the Hessian is not constant (or has no positive eigenvalue). For the saddle
    the bound only concerns the curving-up direction w1: along w2 (λ = −2) the factor
    ``1 + 2η`` exceeds 1 for every η > 0, so descent escapes there whatever the learning rate.
    """
    s = get_surface(surface)
    if s.hessian is None:
        return None
    lam_max = float(np.max(np.linalg.eigvalsh(s.hessian)))
    return 2.0 / lam_max if lam_max > 0 else None


def grid(surface: Surface | str, n: int = 100) -> tuple[FloatArray, FloatArray, FloatArray]:
    """(W1, W2, Z) on an n×n grid over the surface's domain: Z[i, j] = L(W1[i, j], W2[i, j]).

    ``W1`` varies along columns and ``W2`` along rows (``np.meshgrid``'s default "xy" indexing).
    """
    s = get_surface(surface)
    if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 2:
        raise ValueError(f"n must be an integer ≥ 2; got {n!r}")
    (lo1, hi1), (lo2, hi2) = s.domain
    W1, W2 = np.meshgrid(np.linspace(lo1, hi1, int(n)), np.linspace(lo2, hi2, int(n)))
    return W1, W2, np.asarray(s.f(W1, W2), dtype=np.float64)


# ---------------------------------------------------------------------------------------------
# directions: directional derivatives, slices along a direction, arrow fields


def unit_vector(angle_deg: ArrayLike) -> FloatArray:
    """u(θ) = (cos θ, sin θ) for θ in degrees (θ = 0 points along +w1, 90 along +w2); shape (2, ...)."""
    theta = np.deg2rad(np.asarray(angle_deg, dtype=np.float64))
    return np.stack([np.cos(theta), np.sin(theta)])


def directional_derivatives(surface: Surface | str, w: ArrayLike, angles_deg: ArrayLike) -> FloatArray:
    """D_u L(w) = ∇L(w)·u(θ) = ∂L/∂w1·cos θ + ∂L/∂w2·sin θ, one value per angle θ (degrees).

    It is largest, equal to ‖∇L(w)‖, when u points along the gradient: steepest ascent.
    """
    g = get_surface(surface).grad(_as_points(w).reshape(2))
    u = unit_vector(angles_deg)
    with np.errstate(all="ignore"):
        return np.asarray(g[0] * u[0] + g[1] * u[1], dtype=np.float64)


def steepest_ascent(surface: Surface | str, w: ArrayLike) -> tuple[float, float]:
    """(θ*, ‖∇L(w)‖): the gradient's direction in degrees, in [0, 360), and its length.

    θ* = atan2(∂L/∂w2, ∂L/∂w1). At a stationary point (∇L = 0) every direction is flat and
    θ* is reported as 0.
    """
    g = get_surface(surface).grad(_as_points(w).reshape(2))
    norm = float(np.hypot(g[0], g[1]))
    if norm == 0.0 or not np.isfinite(norm):
        return 0.0, norm
    return float(np.rad2deg(np.arctan2(g[1], g[0])) % 360.0), norm


def slice_along(surface: Surface | str, w: ArrayLike, u: ArrayLike) -> Callable[[ArrayLike], FloatArray]:
    """The 1-D slice t ↦ L(w + t·u) (vectorized over t); its derivative at t = 0 is D_u L(w).

    With u = (1, 0) it is L(w1 + t, w2), whose slope is ∂L/∂w1; with u = (0, 1), ∂L/∂w2.
    """
    s = get_surface(surface)
    w1, w2 = (float(v) for v in _as_points(w).reshape(2))
    u1, u2 = (float(v) for v in np.asarray(u, dtype=np.float64).reshape(2))

    def along(t: ArrayLike) -> FloatArray:
        t = np.asarray(t, dtype=np.float64)
        return s.f(w1 + t * u1, w2 + t * u2)

    return along


def scaled_arrow(v: ArrayLike, cell: ArrayLike, length: float) -> FloatArray:
    """The vector v rescaled to ``length`` measured in cells: v·length / ‖(v1/c1, v2/c2)‖.

    A plot whose axes have different units (a cell c1 wide and c2 tall) shows arrows of equal
    length in cells as equally long on screen; the direction of v is kept. Zero (or non-finite)
    vectors become zero arrows. ``v`` has shape ``(2, ...)``.
    """
    a = np.asarray(v, dtype=np.float64)
    c1, c2 = (float(c) for c in np.asarray(cell, dtype=np.float64).reshape(2))
    with np.errstate(all="ignore"):
        n = np.hypot(a[0] / c1, a[1] / c2)
        ok = (n > 0) & np.isfinite(n)
        k = np.where(ok, float(length) / np.where(ok, n, 1.0), 0.0)
        return np.stack([np.where(ok, a[0] * k, 0.0), np.where(ok, a[1] * k, 0.0)]).astype(np.float64)


def gradient_field(surface: Surface | str, n: int = 10, length: float = 0.8) -> dict[str, FloatArray]:
    """Arrows of −∇L (downhill) at the centres of an n×n grid of cells over the domain.

    Every arrow has the same length (``length`` cells, see :func:`scaled_arrow`): the arrows show
    the direction only; ``norm`` holds ‖∇L‖ at each tail. Returns flat arrays ``w1, w2`` (tails),
    ``d1, d2`` (arrow vectors), ``norm``, and ``cell`` = (cell width, cell height).
    """
    s = get_surface(surface)
    if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 1:
        raise ValueError(f"n must be an integer ≥ 1; got {n!r}")
    (lo1, hi1), (lo2, hi2) = s.domain
    cell = np.array([(hi1 - lo1) / n, (hi2 - lo2) / n])
    W1, W2 = np.meshgrid(lo1 + cell[0] * (np.arange(n) + 0.5), lo2 + cell[1] * (np.arange(n) + 0.5))
    g = s.grad(np.stack([W1.ravel(), W2.ravel()]))
    d = scaled_arrow(-g, cell, length)
    with np.errstate(all="ignore"):
        norm = np.hypot(g[0], g[1])
    return {"w1": W1.ravel(), "w2": W2.ravel(), "d1": d[0], "d2": d[1], "norm": norm, "cell": cell}
