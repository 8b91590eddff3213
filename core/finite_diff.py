"""Finite differences: derivatives from function values alone.

The article's definition of the derivative,

    f'(x) = lim_{h -> 0} (f(x + h) - f(x)) / h,

becomes a numerical method as soon as we stop at a small but finite step ``h``. This module
implements the three classic difference quotients, gradients and Jacobians built from them,
the relative error used to compare two derivatives, and the
error-versus-step sweep that shows the trade-off between truncation error (``h`` too big)
and round-off error (``h`` too small). The gradient check built on them is ``core.gradient_check``.

Conventions:
- everything is float64; ``f`` receives float64 values;
- ``derivative`` applies ``f`` to whole arrays (``f`` must be elementwise/vectorized), while
  ``gradient`` and ``jacobian`` call ``f`` once per perturbed point;
- our own arithmetic never warns: if ``f`` itself returns inf or NaN (for instance exp
  overflowing), the difference quotient is non-finite and the caller decides what to show.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from types import MappingProxyType
from typing import NamedTuple

import numpy as np

ArrayLike = float | Sequence[float] | np.ndarray

METHODS: tuple[str, ...] = ("forward", "backward", "central")
"""The difference quotients ``derivative`` understands."""

ORDER: Mapping[str, int] = MappingProxyType({"forward": 1, "backward": 1, "central": 2})
"""Truncation order of each method: the error shrinks like ``h**ORDER[method]``."""

ERROR_FLOOR: float = 1e-20
"""Smallest error ``error_vs_step`` reports. An error of exactly 0 (the quotient happened to be
exact in floating point) is shown as this floor, so log-scale plots and log-log fits never take
``log(0)``. Any error at the floor means "exact to machine precision"."""


def _as_float_array(x: ArrayLike) -> np.ndarray:
    """Return ``x`` as a float64 array (a copy only when a conversion is needed)."""
    return np.asarray(x, dtype=np.float64)


def _check_step(h: float) -> float:
    """Validate a finite-difference step: a positive, finite number."""
    h = float(h)
    if not (math.isfinite(h) and h > 0.0):
        raise ValueError(f"step h must be a positive finite number, got {h!r}")
    return h


def _scalar(value: ArrayLike, what: str = "f") -> float:
    """Convert a one-element result of ``f`` to a Python float."""
    array = _as_float_array(value)
    if array.size != 1:
        raise ValueError(f"{what} must return a single number, got shape {array.shape}")
    return float(array.reshape(()))


def derivative(
    f: Callable[[np.ndarray], ArrayLike],
    x: ArrayLike,
    h: float = 1e-5,
    method: str = "central",
) -> float | np.ndarray:
    """Difference quotient: forward (f(x+h)-f(x))/h, backward (f(x)-f(x-h))/h, central (f(x+h)-f(x-h))/(2h).

    ``x`` may be a scalar (returns a float) or an array (returns an array of the same shape,
    one derivative per element; ``f`` must then work elementwise on arrays). The forward and
    backward quotients have error O(h); the central quotient has error O(h²).
    """
    h = _check_step(h)
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; choose one of {', '.join(METHODS)}")
    x_array = _as_float_array(x)
    with np.errstate(over="ignore", invalid="ignore"):
        if method == "forward":
            result = (_as_float_array(f(x_array + h)) - _as_float_array(f(x_array))) / h
        elif method == "backward":
            result = (_as_float_array(f(x_array)) - _as_float_array(f(x_array - h))) / h
        else:
            result = (_as_float_array(f(x_array + h)) - _as_float_array(f(x_array - h))) / (2.0 * h)
    if x_array.ndim == 0:
        return _scalar(result)
    return np.asarray(result, dtype=np.float64)


def gradient(f: Callable[[np.ndarray], ArrayLike], x: ArrayLike, h: float = 1e-5) -> np.ndarray:
    """Central-difference gradient of f: R^n -> R, component i = (f(x + h e_i) - f(x - h e_i)) / (2h).

    ``x`` may have any shape; the gradient has the same shape. ``f`` is called 2n times, each
    time with a perturbed float64 copy of ``x`` (never the caller's array).
    """
    h = _check_step(h)
    x_array = np.array(x, dtype=np.float64)  # a private copy we may perturb
    grad = np.empty_like(x_array)
    for i in range(x_array.size):
        original = x_array.flat[i]
        x_array.flat[i] = original + h
        f_plus = _scalar(f(x_array.copy()))
        x_array.flat[i] = original - h
        f_minus = _scalar(f(x_array.copy()))
        x_array.flat[i] = original
        with np.errstate(over="ignore", invalid="ignore"):
            grad.flat[i] = (np.float64(f_plus) - np.float64(f_minus)) / (2.0 * h)
    return grad


def jacobian(f: Callable[[np.ndarray], ArrayLike], x: ArrayLike, h: float = 1e-5) -> np.ndarray:
    """Central-difference Jacobian of f: R^n -> R^m, column j = (f(x + h e_j) - f(x - h e_j)) / (2h).

    Returns an ``(m, n)`` matrix with ``J[i, j] = ∂f_i/∂x_j``; ``x`` and ``f(x)`` are flattened
    (n = x.size, m = f(x).size), so a scalar-valued ``f`` gives a ``(1, n)`` row.
    """
    h = _check_step(h)
    x_array = np.array(x, dtype=np.float64)
    columns = []
    for j in range(x_array.size):
        original = x_array.flat[j]
        x_array.flat[j] = original + h
        f_plus = _as_float_array(f(x_array.copy())).ravel()
        x_array.flat[j] = original - h
        f_minus = _as_float_array(f(x_array.copy())).ravel()
        x_array.flat[j] = original
        if f_plus.shape != f_minus.shape:
            raise ValueError("f must return arrays of the same size at every point")
        with np.errstate(over="ignore", invalid="ignore"):
            columns.append((f_plus - f_minus) / (2.0 * h))
    if not columns:
        m = _as_float_array(f(x_array.copy())).size
        return np.zeros((m, 0))
    return np.stack(columns, axis=1)


def relative_error(a: ArrayLike, b: ArrayLike) -> float:
    """Relative error |a - b| / max(|a| + |b|, tiny), with Euclidean norms for arrays.

    Symmetric, between 0 (equal) and 1 (opposite signs or one of them zero). Returns 0.0 when
    both are zero. Computed after scaling by the largest magnitude, so values near the float64
    limit (±1e308) neither overflow nor warn. Returns NaN if an input contains NaN or inf:
    such a comparison has no meaningful size.
    """
    a_array, b_array = np.broadcast_arrays(_as_float_array(a), _as_float_array(b))
    if not (np.all(np.isfinite(a_array)) and np.all(np.isfinite(b_array))):
        return math.nan
    scale = max(float(np.max(np.abs(a_array), initial=0.0)), float(np.max(np.abs(b_array), initial=0.0)))
    if scale == 0.0:
        return 0.0
    a_scaled, b_scaled = a_array / scale, b_array / scale
    numerator = float(np.linalg.norm(a_scaled - b_scaled))
    denominator = float(np.linalg.norm(a_scaled)) + float(np.linalg.norm(b_scaled))
    return numerator / max(denominator, np.finfo(np.float64).tiny)


def relative_errors(a: ArrayLike, b: ArrayLike) -> np.ndarray:
    """Elementwise relative error |a_i - b_i| / max(|a_i| + |b_i|, tiny) (0 where both are 0).

    Same conventions as ``relative_error`` but one value per component; NaN where a component
    of either input is NaN or inf.
    """
    a_array, b_array = np.broadcast_arrays(_as_float_array(a), _as_float_array(b))
    finite = np.isfinite(a_array) & np.isfinite(b_array)
    a_finite = np.where(finite, a_array, 0.0)
    b_finite = np.where(finite, b_array, 0.0)
    scale = np.maximum(np.abs(a_finite), np.abs(b_finite))
    safe_scale = np.where(scale > 0.0, scale, 1.0)
    a_scaled, b_scaled = a_finite / safe_scale, b_finite / safe_scale
    denominator = np.maximum(np.abs(a_scaled) + np.abs(b_scaled), np.finfo(np.float64).tiny)
    errors = np.abs(a_scaled - b_scaled) / denominator
    return np.where(finite, errors, np.nan)


def gradient_check(
    f: Callable[[np.ndarray], ArrayLike],
    grad_f: Callable[[np.ndarray], ArrayLike],
    x: ArrayLike,
    h: float = 1e-7,
) -> np.ndarray:
    """Per-component relative errors |g_i − n_i| / (|g_i| + |n_i|) of g = grad_f(x) against central differences n.

    The bare numbers of DESIGN's API (``h = 1e-7``, the article's epsilon). The app's pages ask
    ``core.gradient_check.check_function`` instead, which grades the same comparison in a report.
    """
    x_array = _as_float_array(x)
    analytic = np.asarray(grad_f(x_array.copy()), dtype=np.float64)
    if analytic.shape != x_array.shape:
        raise ValueError(f"grad_f(x) has shape {analytic.shape}, x has shape {x_array.shape}")
    return relative_errors(analytic, gradient(f, x_array, h))


def step_sizes(lo: float = 1e-16, hi: float = 1e-1, per_decade: int = 4) -> np.ndarray:
    """Log-spaced steps h = 10**k for k from log10(lo) to log10(hi), ``per_decade`` per factor of 10."""
    lo, hi = _check_step(lo), _check_step(hi)
    if lo >= hi:
        raise ValueError("need lo < hi")
    decades = math.log10(hi) - math.log10(lo)
    count = max(2, int(round(decades * per_decade)) + 1)
    return np.logspace(math.log10(lo), math.log10(hi), count)


def error_vs_step(
    f: Callable[[np.ndarray], ArrayLike],
    df_exact: float | Callable[[float], ArrayLike],
    x: float,
    hs: ArrayLike | None = None,
    methods: Sequence[str] = ("forward", "central"),
) -> dict[str, np.ndarray]:
    """Absolute error |D_h f(x) - f'(x)| of each method for each step h (default hs: ``step_sizes()``).

    ``df_exact`` is the exact derivative at ``x`` (a number) or a function returning it. Errors
    are floored at ``ERROR_FLOOR`` (an exact 0 becomes the floor, safe for log scales) and any
    non-finite error (f overflowing or leaving its domain at x ± h) is NaN for the caller to mask.
    Returns ``{method: errors}``, each array aligned with ``hs``.
    """
    steps = step_sizes() if hs is None else _as_float_array(hs).ravel()
    exact = _scalar(df_exact(x) if callable(df_exact) else df_exact, "df_exact")
    for h in steps:
        _check_step(float(h))
    for method in methods:
        if method not in METHODS:
            raise ValueError(f"unknown method {method!r}; choose one of {', '.join(METHODS)}")
    estimates = _quotients_at_steps(f, float(x), steps, methods)
    result: dict[str, np.ndarray] = {}
    for method in methods:
        with np.errstate(over="ignore", invalid="ignore"):
            errors = np.abs(estimates[method] - np.float64(exact))
        result[method] = np.where(np.isfinite(errors), np.maximum(errors, ERROR_FLOOR), np.nan)
    return result


def _quotients_at_steps(
    f: Callable[[np.ndarray], ArrayLike], x: float, steps: np.ndarray, methods: Sequence[str]
) -> dict[str, np.ndarray]:
    """Each method's difference quotient at x for every step: f is called on all of x ± h at once when
    it works elementwise on arrays (3 calls instead of 2 per step and method), else once per step."""
    with np.errstate(over="ignore", invalid="ignore"):
        try:
            f0 = _as_float_array(f(_as_float_array(x)))
            plus = _as_float_array(f(x + steps))
            minus = _as_float_array(f(x - steps)) if {"central", "backward"} & set(methods) else plus
        except (TypeError, ValueError):
            plus = minus = np.empty(0)
            f0 = np.empty(0)
        if f0.ndim == 0 and plus.shape == steps.shape and minus.shape == steps.shape:
            quotients = {
                "forward": lambda: (plus - f0) / steps,
                "backward": lambda: (f0 - minus) / steps,
                "central": lambda: (plus - minus) / (2.0 * steps),
            }
            return {m: np.asarray(quotients[m](), dtype=np.float64) for m in methods}
    return {
        m: np.array([_scalar(derivative(f, x, h=float(h), method=m)) for h in steps], dtype=np.float64)
        for m in methods
    }


class BestStep(NamedTuple):
    """The step with the smallest error in a sweep, and that error."""

    h: float
    error: float


def best_step(hs: ArrayLike, errors: Mapping[str, ArrayLike]) -> dict[str, BestStep]:
    """For each method, the h minimizing the error: argmin_h errors[method] (NaN errors ignored).

    Takes the output of ``error_vs_step``. A method whose errors are all NaN gets
    ``BestStep(nan, nan)``.
    """
    steps = _as_float_array(hs).ravel()
    best: dict[str, BestStep] = {}
    for method, method_errors in errors.items():
        values = _as_float_array(method_errors).ravel()
        if values.shape != steps.shape:
            raise ValueError(f"errors for {method!r} do not match the steps")
        finite = np.isfinite(values)
        if not np.any(finite):
            best[method] = BestStep(math.nan, math.nan)
            continue
        i = int(np.argmin(np.where(finite, values, np.inf)))
        best[method] = BestStep(float(steps[i]), float(values[i]))
    return best


def suggested_step(method: str = "central", x: float = 1.0) -> float:
    """Rule-of-thumb step balancing truncation and round-off: ε^(1/2)·max(1,|x|) (one-sided), ε^(1/3)·max(1,|x|) (central).

    ε is float64's machine epsilon (≈ 2.2e-16): about 1.5e-8 for forward/backward and 6e-6
    for central differences at |x| <= 1.
    """
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; choose one of {', '.join(METHODS)}")
    eps = float(np.finfo(np.float64).eps)
    scale = max(1.0, abs(float(x))) if math.isfinite(float(x)) else 1.0
    power = 1.0 / (ORDER[method] + 1)
    return eps**power * scale


def fitted_slope(
    hs: ArrayLike,
    errors: ArrayLike,
    h_range: tuple[float, float] | None = None,
) -> float:
    """Least-squares slope p of log10(error) = p·log10(h) + c: the observed order of accuracy.

    Only the truncation-dominated region is fitted: steps inside ``h_range = (lo, hi)`` if
    given, otherwise the steps at least 10× larger than the step with the smallest error.
    Errors that are NaN or at/below ``ERROR_FLOOR`` (exact zeros) are left out, so no log of 0
    is ever taken. Needs at least 3 usable points (ValueError otherwise).
    """
    steps = _as_float_array(hs).ravel()
    values = _as_float_array(errors).ravel()
    if steps.shape != values.shape:
        raise ValueError("hs and errors must have the same length")
    usable = np.isfinite(values) & (values > ERROR_FLOOR) & np.isfinite(steps) & (steps > 0.0)
    if h_range is not None:
        lo, hi = h_range
        usable &= (steps >= lo) & (steps <= hi)
    elif np.any(usable):
        h_best = steps[usable][int(np.argmin(values[usable]))]
        usable &= steps >= 10.0 * h_best
    if int(np.count_nonzero(usable)) < 3:
        raise ValueError("fewer than 3 usable points in the truncation region")
    log_h = np.log10(steps[usable])
    log_e = np.log10(values[usable])
    centered_h = log_h - log_h.mean()
    return float(np.sum(centered_h * (log_e - log_e.mean())) / np.sum(centered_h**2))


# -- kinks and the expected error of a difference quotient ---------------------------------------


class OneSided(NamedTuple):
    """The one-sided slopes of f at x, and whether they disagree like a kink's (|x| at 0: −1 and 1)."""

    left: float  # (f(x) − f(x − h)) / h
    right: float  # (f(x + h) − f(x)) / h
    kink: bool  # the gap right − left does not shrink with h: f has no derivative at (or within h of) x


def one_sided_slopes(f: Callable[[float], float], x: float, h: float = 1e-6) -> OneSided:
    """Left and right difference quotients at x, and a kink test that needs no formula.

    For a smooth f the gap right − left ≈ f''(x)·h shrinks in proportion to h; at a kink (|x|, relu
    at 0) it tends to the jump of the slope. The gap is measured at 100·h and at h: a kink when the
    small-step gap keeps at least half of the large-step one and is above round-off
    (≈ 4ε·max(1, |f(x)|)/h) by a wide margin. Non-finite values are never called a kink.
    """
    h = _check_step(h)
    x = float(x)
    with np.errstate(all="ignore"):
        f0 = _scalar(f(x))

        def slopes(step: float) -> tuple[float, float]:
            return (f0 - _scalar(f(x - step))) / step, (_scalar(f(x + step)) - f0) / step

        left, right = slopes(h)
        big_left, big_right = slopes(100.0 * h)
    gap, big_gap = right - left, big_right - big_left
    noise = 4.0 * np.finfo(np.float64).eps * max(1.0, abs(f0)) / h
    finite = all(math.isfinite(v) for v in (left, right, big_left, big_right, f0))
    kink = (
        finite
        and abs(gap) > 1e3 * noise
        and abs(gap) >= 0.5 * abs(big_gap)
        and abs(gap) > 1e-6 * max(1.0, abs(left), abs(right))
    )
    return OneSided(float(left), float(right), bool(kink))


class StepError(NamedTuple):
    """The error a difference quotient should have at step h: truncation + round-off, and which rules."""

    truncation: float  # |f''|·h/2 (forward, backward) or |f'''|·h²/6 (central)
    roundoff: float  # ≈ ε·|f(x)|/h: the cancellation in f(x+h) − f(x)
    total: float
    regime: str  # "truncation" or "round-off": the larger of the two


def expected_step_error(
    f: Callable[[float], float], x: float, h: float, method: str = "central"
) -> StepError:
    """The expected error of ``derivative(f, x, h, method)``, from f alone (never from the exact value).

    Forward and backward differences are first order: error ≈ |f''(x)|·h/2. The central difference
    is second order: ≈ |f'''(x)|·h²/6. Either way round-off adds ≈ ε·|f(x)|/h. f'' and f''' are
    estimated by wide central differences (step s = 1e-2·max(1, |x|)).
    """
    if method not in ("forward", "backward", "central"):
        raise ValueError(f"method must be 'forward', 'backward' or 'central', got {method!r}")
    h = _check_step(h)
    x = float(x)
    s = 1e-2 * max(1.0, abs(x))
    with np.errstate(all="ignore"):
        v = {k: _scalar(f(x + k * s)) for k in (-2, -1, 0, 1, 2)}
        f2 = (v[1] - 2.0 * v[0] + v[-1]) / s**2
        f3 = (v[2] - 2.0 * v[1] + 2.0 * v[-1] - v[-2]) / (2.0 * s**3)
        trunc = float(abs(f2) * h / 2.0 if method != "central" else abs(f3) * h * h / 6.0)
        rounding = float(np.finfo(np.float64).eps * max(abs(v[0]), np.finfo(np.float64).tiny) / h)
    truncation = trunc if math.isfinite(trunc) else math.inf
    roundoff = rounding if math.isfinite(rounding) else math.inf
    regime = "truncation" if truncation >= roundoff else "round-off"
    return StepError(truncation, roundoff, truncation + roundoff, regime)


def step_error_thresholds(expected: StepError, exact: float, factor: float = 10.0) -> tuple[float, float]:
    """Relative-error thresholds (fine, suspicious) for grading a difference quotient by its own rule.

    Fine: within ``factor`` × the expected error; suspicious: within ``factor``² ×; beyond: wrong.
    Expressed relative to |exact| the way ``relative_error`` measures (|a−b| / (|a|+|b|) ≈ err/2|exact|).
    """
    scale = max(2.0 * abs(float(exact)), np.finfo(np.float64).tiny)
    base = max(expected.total, 4.0 * np.finfo(np.float64).eps * abs(float(exact)))
    good = factor * base / scale
    return float(good), float(max(factor * good, good))


class ShownRange(NamedTuple):
    """Where a sampled function stays inside float64 with room to spare (for plotting and for words)."""

    lo: float
    hi: float
    clipped: bool  # the range was narrowed because f or f′ overflowed or exceeded `limit`
    reason: str  # e.g. "|f| exceeds 1e+100 (or overflows to inf) for x ≤ -1.72 and x ≥ 1.72"
    limit: float


def representable_range(
    xs: ArrayLike, fs: ArrayLike, dfs: ArrayLike | None = None, limit: float = 1e100
) -> ShownRange:
    """The sample grid ``xs`` trimmed at both ends where |f| (or |f′|) is infinite or above ``limit``.

    Only the ends are trimmed: the function runs off float64 towards the edges of the range (exp(x¹⁰)).
    An isolated pole inside (1/x, log x at 0) and NaN outside a domain (log of a negative) are not
    overflows of the range and leave it as it is.
    """
    x = _as_float_array(xs)
    vals = [_as_float_array(fs)] + ([] if dfs is None else [_as_float_array(dfs)])
    with np.errstate(all="ignore"):
        bad = np.zeros(x.shape, dtype=bool)
        for v in vals:
            bad |= np.isinf(v) | (np.abs(np.nan_to_num(v, nan=0.0, posinf=0.0, neginf=0.0)) > limit)
    good = np.flatnonzero(~bad)
    if x.size < 2 or good.size < 2 or (good[0] == 0 and good[-1] == x.size - 1):
        return ShownRange(float(x[0]), float(x[-1]), False, "", limit)
    start, end = int(good[0]), int(good[-1])
    where = []
    if start > 0:
        where.append(f"x ≤ {x[start - 1]:.4g}")
    if end < x.size - 1:
        where.append(f"x ≥ {x[end + 1]:.4g}")
    what = "|f| or |f′|" if dfs is not None else "|f|"
    reason = f"{what} exceeds {limit:.0e} (or overflows to inf) for {' and '.join(where)}"
    return ShownRange(float(x[start]), float(x[end]), True, reason, limit)
