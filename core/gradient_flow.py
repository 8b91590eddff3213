"""Gradient flow through a deep stack: why gradients vanish or explode, and the remedies.

The network is a plain stack of ``depth`` square dense layers of size ``width`` (row-vector
convention, one example per row of the ``batch × width`` input)::

    z_l = h_{l-1} @ W_l + b_l,    h_l = f(z_l)                 (plain)
                                   h_l = h_{l-1} + f(z_l)       (residual)

with ``h_0 = X`` (standard normal, drawn from ``seed``) and zero biases. The loss is the
simplest honest scalar, ``L = sum(h_L) / batch``, so the upstream gradient is
``dL/dh_L = 1 / batch`` everywhere and ``‖dL/dh_L‖_F = sqrt(width / batch)``.

Backpropagation multiplies, once per layer, by the local Jacobian::

    dL/dz_l     = dL/dh_l ⊙ f'(z_l)
    dL/dW_l     = h_{l-1}ᵀ @ dL/dz_l,       dL/db_l = Σ_batch dL/dz_l
    dL/dh_{l-1} = dL/dz_l @ W_lᵀ  (+ dL/dh_l with a residual connection)

so ``‖dL/dh_{l-1}‖ ≤ max|f'| · ‖W_l‖₂ · ‖dL/dh_l‖`` (‖·‖₂ the spectral norm). For the sigmoid
``max σ' = 1/4``: unless the weights are large, every layer shrinks the gradient by a factor
up to four and the first layers learn nothing (vanishing). Large weights with a slope-1
activation make the factor exceed one and the gradient grows geometrically (exploding).

A residual connection adds the identity to each local Jacobian, so the gradient can no longer
vanish; it can still grow when the branch's weights are large (the bound reported for plain
stacks does not apply and is ``None``). Gradient clipping (by global norm, over the weight
gradients ∂L/∂W_1 … ∂L/∂W_L; biases are left out) caps the size of an update: it rescales all
weight gradients by one common factor and leaves the backward pass itself untouched.

All arithmetic is float64. Nothing here prints or warns: the forward and backward passes run
under ``np.errstate(all="ignore")``; with the validated settings (depth ≤ 50, width ≤ 64,
std ≤ 100) every number stays finite, and if a value ever did overflow, the reported norm is
``inf`` (never NaN) and ``FlowResult.finite`` is False. Norms are computed by scaling with the
largest entry first, so squares of huge entries never overflow.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from numbers import Integral, Real
from types import MappingProxyType
from typing import Any

import numpy as np

from core.activations import ACTIVATIONS
from core.initialisation import INITS

__all__ = [
    "DEPTH_RANGE",
    "WIDTH_RANGE",
    "BATCH_RANGE",
    "STD_RANGE",
    "Backprop",
    "FlowResult",
    "Preset",
    "PRESETS",
    "frobenius_norm",
    "global_norm",
    "spectral_norms",
    "init_weights",
    "peak_grad",
    "network_loss",
    "forward_backward",
    "clip_by_global_norm",
    "BN_EPS",
    "batch_norm_forward",
    "batch_norm_backward",
    "gradient_bound",
    "gradient_flow",
]

DEPTH_RANGE: tuple[int, int] = (1, 50)
WIDTH_RANGE: tuple[int, int] = (4, 64)
BATCH_RANGE: tuple[int, int] = (1, 256)
STD_RANGE: tuple[float, float] = (1e-6, 100.0)  # inclusive bounds for an explicit ``std``


# --------------------------------------------------------------------------------------------
# Norms
# --------------------------------------------------------------------------------------------


def frobenius_norm(a: np.ndarray) -> float:
    """Frobenius norm ‖A‖_F = m·√(Σ (a_ij/m)²), m = max|a_ij| (no overflow; inf if A is not finite)."""
    return float(_norms([np.asarray(a, dtype=np.float64)])[0])


def _norms(arrays: Sequence[np.ndarray]) -> np.ndarray:
    """Frobenius norm of each array of a same-shape sequence: ‖A‖_F = m·√(Σ (a/m)²), m = max|a|.

    Plain √(Σ a²) when no square can overflow or underflow; inf for an array with inf/NaN.
    """
    if len(arrays) == 0:
        return np.zeros(0, dtype=np.float64)
    flat = np.stack([np.asarray(a, dtype=np.float64) for a in arrays]).reshape(len(arrays), -1)
    if flat.shape[1] == 0:
        return np.zeros(len(arrays), dtype=np.float64)
    with np.errstate(all="ignore"):
        m = np.max(np.abs(flat), axis=1)  # inf if any entry is ±inf, nan if any is nan
        if np.all((m < 1e150) & ((m > 1e-150) | (m == 0.0))):
            # fast path: squares can neither overflow nor lose the norm to underflow
            return np.sqrt(np.einsum("ij,ij->i", flat, flat))
        finite = np.isfinite(m)
        safe = np.where(finite & (m > 0.0), m, 1.0)
        scaled = flat / safe[:, None]
        norms = m * np.sqrt(np.sum(scaled * scaled, axis=1))
    return np.where(finite, norms, np.inf)


def global_norm(grads: Sequence[np.ndarray]) -> float:
    """Global norm over several arrays: √(Σ_k ‖G_k‖_F²), computed without overflow."""
    norms = [frobenius_norm(g) for g in grads]
    return _combine(norms)


def _combine(norms: Sequence[float]) -> float:
    """√(Σ n_k²) of non-negative norms, scaled by the largest (inf if any is inf)."""
    if len(norms) == 0:
        return 0.0
    if any(math.isinf(n) for n in norms):
        return math.inf
    m = max(norms)
    if m == 0.0:
        return 0.0
    return float(m * math.sqrt(sum((n / m) ** 2 for n in norms)))


def spectral_norms(weights: Sequence[np.ndarray]) -> np.ndarray:
    """Spectral norm of each matrix: ‖W‖₂ = largest singular value σ_max(W)."""
    if len(weights) == 0:
        return np.zeros(0, dtype=np.float64)
    stack = np.stack([np.asarray(w, dtype=np.float64) for w in weights])
    return np.linalg.svd(stack, compute_uv=False)[:, 0].astype(np.float64)


# --------------------------------------------------------------------------------------------
# Building blocks
# --------------------------------------------------------------------------------------------


def init_weights(
    depth: int,
    width: int,
    init: str = "xavier",
    std: float | None = None,
    rng: np.random.Generator | None = None,
) -> tuple[list[np.ndarray], float]:
    """Draw ``depth`` square weight matrices W_l ~ N(0, σ²) (σ from ``INITS[init]``); returns (Ws, σ)."""
    if init not in INITS:
        raise ValueError(f"unknown init {init!r}; choose one of {sorted(INITS)}")
    scheme = INITS[init]
    sigma = scheme.std(width, width, std)
    gen = rng if rng is not None else np.random.default_rng(0)
    weights = [gen.standard_normal((width, width)) * sigma for _ in range(depth)]
    return weights, sigma


def peak_grad(activation: str) -> float:
    """The activation's steepest slope, sup_x |f'(x)| at default parameters (1/4 for σ), from ``ACTIVATIONS``."""
    if activation not in ACTIVATIONS:
        raise ValueError(f"unknown activation {activation!r}; choose one of {sorted(ACTIVATIONS)}")
    return float(ACTIVATIONS[activation].peak_grad)


def _act(activation: str) -> tuple[Callable[[np.ndarray], np.ndarray], Callable[[np.ndarray], np.ndarray]]:
    if activation not in ACTIVATIONS:
        raise ValueError(f"unknown activation {activation!r}; choose one of {sorted(ACTIVATIONS)}")
    entry = ACTIVATIONS[activation]
    return entry.fn, entry.grad


BN_EPS = 1e-5  # the ε of batch normalization (PyTorch's default)


def batch_norm_forward(
    z: np.ndarray, gamma: np.ndarray, beta: np.ndarray, eps: float = BN_EPS
) -> tuple[np.ndarray, tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Batch normalization (training mode): y = γ ⊙ ẑ + β, ẑ = (z − μ) / √(σ² + ε) per unit over the batch.

    μ and σ² are the batch mean and (biased) variance of each column of ``z`` (batch × width); γ
    (learnable scale) and β (learnable shift) have one entry per unit. Returns (y, cache for backward).
    """
    z = np.asarray(z, dtype=np.float64)
    with np.errstate(all="ignore"):
        mu = z.mean(axis=0)
        centred = z - mu
        var = np.mean(centred * centred, axis=0)
        inv_std = 1.0 / np.sqrt(var + eps)
        z_hat = centred * inv_std
        y = np.asarray(gamma, dtype=np.float64) * z_hat + np.asarray(beta, dtype=np.float64)
    return y, (z_hat, inv_std, np.asarray(gamma, dtype=np.float64))


def batch_norm_backward(
    dy: np.ndarray, cache: tuple[np.ndarray, np.ndarray, np.ndarray]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Backward pass of ``batch_norm_forward``: (∂L/∂z, ∂L/∂γ, ∂L/∂β) from ∂L/∂y.

    ∂L/∂β = Σ_batch ∂L/∂y,  ∂L/∂γ = Σ_batch ∂L/∂y ⊙ ẑ,  and with g = ∂L/∂y ⊙ γ (per unit, N = batch)
    ∂L/∂z = (1/√(σ²+ε)) · (g − mean(g) − ẑ ⊙ mean(g ⊙ ẑ)): μ and σ² depend on every row, so each
    row's gradient loses its share of the batch mean and of the spread.
    """
    z_hat, inv_std, gamma = cache
    dy = np.asarray(dy, dtype=np.float64)
    with np.errstate(all="ignore"):
        dbeta = dy.sum(axis=0)
        dgamma = np.sum(dy * z_hat, axis=0)
        g = dy * gamma
        dz = inv_std * (g - g.mean(axis=0) - z_hat * np.mean(g * z_hat, axis=0))
    return dz, dgamma, dbeta


def network_loss(
    x: np.ndarray,
    weights: Sequence[np.ndarray],
    biases: Sequence[np.ndarray],
    activation: str = "sigmoid",
    residual: bool = False,
    batch_norm: bool = False,
    gammas: Sequence[np.ndarray] | None = None,
    betas: Sequence[np.ndarray] | None = None,
) -> float:
    """Forward pass only: L = Σ h_L / batch with h_l = f(BN(h_{l-1} W_l + b_l)) (+ h_{l-1} if residual).

    BN is batch normalization when ``batch_norm`` (scales ``gammas``, default 1, shifts ``betas``, default 0).
    """
    fn, _ = _act(activation)
    h = np.asarray(x, dtype=np.float64)
    width = h.shape[1]
    gs = list(gammas) if gammas is not None else [np.ones(width)] * len(weights)
    bs = list(betas) if betas is not None else [np.zeros(width)] * len(weights)
    with np.errstate(all="ignore"):
        for layer, (w, b) in enumerate(zip(weights, biases, strict=True)):
            z = h @ w + b
            if batch_norm:
                z, _ = batch_norm_forward(z, gs[layer], bs[layer])
            a = fn(z)
            h = h + a if residual else a
        return float(np.sum(h) / h.shape[0])


@dataclass(frozen=True, eq=False)
class Backprop:
    """Raw arrays of one forward + backward pass (index l = 0..L; ``input_grads[l]`` = ∂L/∂h_l)."""

    loss: float
    activations: tuple[np.ndarray, ...]  # h_0 .. h_L          (L+1) × (batch, width)
    pre_activations: tuple[np.ndarray, ...]  # z_1 .. z_L      L × (batch, width)
    input_grads: tuple[np.ndarray, ...]  # ∂L/∂h_0 .. ∂L/∂h_L  (L+1) × (batch, width)
    weight_grads: tuple[np.ndarray, ...]  # ∂L/∂W_1 .. ∂L/∂W_L  L × (width, width)
    bias_grads: tuple[np.ndarray, ...]  # ∂L/∂b_1 .. ∂L/∂b_L    L × (width,)
    local_grads: tuple[np.ndarray, ...]  # f'(z_1) .. f'(z_L)  L × (batch, width)
    gamma_grads: tuple[np.ndarray, ...] = ()  # ∂L/∂γ_1 .. ∂L/∂γ_L (batch normalization only)
    beta_grads: tuple[np.ndarray, ...] = ()  # ∂L/∂β_1 .. ∂L/∂β_L


def forward_backward(
    x: np.ndarray,
    weights: Sequence[np.ndarray],
    biases: Sequence[np.ndarray],
    activation: str = "sigmoid",
    residual: bool = False,
    batch_norm: bool = False,
    gammas: Sequence[np.ndarray] | None = None,
    betas: Sequence[np.ndarray] | None = None,
) -> Backprop:
    """Backprop of L = Σh_L/batch: ∂L/∂h_{l-1} = (∂L/∂h_l ⊙ f'(z_l)) W_lᵀ (+ ∂L/∂h_l if residual).

    With ``batch_norm`` each layer is h_l = f(BN(h_{l-1}W_l + b_l)) and the backward pass goes through
    ``batch_norm_backward`` between f' and W_lᵀ; ``pre_activations`` then hold the normalized values.
    """
    fn, grad = _act(activation)
    h = np.asarray(x, dtype=np.float64)
    batch, width = h.shape
    gs = list(gammas) if gammas is not None else [np.ones(width)] * len(weights)
    bs = list(betas) if betas is not None else [np.zeros(width)] * len(weights)
    hs: list[np.ndarray] = [h]
    zs: list[np.ndarray] = []
    caches: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    with np.errstate(all="ignore"):
        for layer, (w, b) in enumerate(zip(weights, biases, strict=True)):
            z = h @ w + b
            if batch_norm:
                z, cache = batch_norm_forward(z, gs[layer], bs[layer])
                caches.append(cache)
            a = np.asarray(fn(z), dtype=np.float64)
            h = h + a if residual else a
            zs.append(z)
            hs.append(h)
        loss = float(np.sum(h) / batch)

        g = np.full_like(h, 1.0 / batch)  # ∂L/∂h_L
        input_grads: list[np.ndarray] = [g]
        weight_grads: list[np.ndarray] = []
        bias_grads: list[np.ndarray] = []
        local_grads: list[np.ndarray] = []
        gamma_grads: list[np.ndarray] = []
        beta_grads: list[np.ndarray] = []
        for layer in range(len(weights) - 1, -1, -1):
            fprime = np.asarray(grad(zs[layer]), dtype=np.float64)
            dz = g * fprime
            if batch_norm:
                dz, dgamma, dbeta = batch_norm_backward(dz, caches[layer])
                gamma_grads.append(dgamma)
                beta_grads.append(dbeta)
            weight_grads.append(hs[layer].T @ dz)
            bias_grads.append(dz.sum(axis=0))
            local_grads.append(fprime)
            g_prev = dz @ weights[layer].T
            g = g_prev + g if residual else g_prev
            input_grads.append(g)

    for arr in (*hs, *zs, *input_grads, *weight_grads, *bias_grads, *local_grads, *gamma_grads, *beta_grads):
        arr.flags.writeable = False
    return Backprop(
        loss=loss,
        activations=tuple(hs),
        pre_activations=tuple(zs),
        input_grads=tuple(reversed(input_grads)),
        weight_grads=tuple(reversed(weight_grads)),
        bias_grads=tuple(reversed(bias_grads)),
        local_grads=tuple(reversed(local_grads)),
        gamma_grads=tuple(reversed(gamma_grads)),
        beta_grads=tuple(reversed(beta_grads)),
    )


def clip_by_global_norm(
    grads: Sequence[np.ndarray], max_norm: float
) -> tuple[list[np.ndarray], float, float]:
    """Clip by global norm: G_k ← G_k · min(1, c / ‖G‖) with ‖G‖ = √(Σ_k ‖G_k‖_F²); returns (Gs, before, after).

    If the global norm is not finite (an entry overflowed) no finite rescaling exists: the
    gradients are returned unchanged (as copies) and ``before == after == inf``.
    """
    if isinstance(max_norm, bool) or not isinstance(max_norm, Real):
        raise ValueError(f"max_norm must be a positive number, got {max_norm!r}")
    c = float(max_norm)
    if not math.isfinite(c) or c <= 0.0:
        raise ValueError(f"max_norm must be a positive finite number, got {max_norm!r}")
    arrays = [np.asarray(g, dtype=np.float64) for g in grads]
    before = global_norm(arrays)
    if not math.isfinite(before) or before <= c:
        clipped = [a.copy() for a in arrays]
        return clipped, before, before
    scale = c / before
    clipped = [a * scale for a in arrays]
    return clipped, before, global_norm(clipped)


def gradient_bound(upstream_norm: float, weight_norms: np.ndarray, peak: float) -> np.ndarray:
    """Bound per layer l = 0..L: ‖∂L/∂h_l‖ ≤ ‖∂L/∂h_L‖ · Π_{k>l} peak·‖W_k‖₂ (plain stack, |f'| ≤ peak)."""
    factors = peak * np.asarray(weight_norms, dtype=np.float64)
    with np.errstate(all="ignore"):
        # suffix products: tail[l] = Π_{k=l+1..L} factors[k-1]
        tail = np.ones(len(factors) + 1, dtype=np.float64)
        if len(factors):
            tail[:-1] = np.cumprod(factors[::-1])[::-1]
        return upstream_norm * tail


# --------------------------------------------------------------------------------------------
# The experiment
# --------------------------------------------------------------------------------------------


def _check_int(name: str, value: Any, lo: int, hi: int) -> int:
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise ValueError(f"{name} must be an integer in [{lo}, {hi}], got {value!r}")
    if not lo <= int(value) <= hi:
        raise ValueError(f"{name} must be in [{lo}, {hi}], got {value}")
    return int(value)


def _readonly(a: np.ndarray) -> np.ndarray:
    a = np.asarray(a, dtype=np.float64)
    a.flags.writeable = False
    return a


@dataclass(frozen=True, eq=False)
class FlowResult:
    """Per-layer gradient norms of one deep stack (index 0 = network input, L = output).

    Norms are Frobenius norms over the whole batch; ``inf`` marks an overflow (never NaN).
    """

    # settings (``std`` is the std actually used to draw the weights)
    depth: int
    width: int
    activation: str
    init: str
    std: float
    residual: bool
    clip: float | None
    batch: int
    seed: int
    # results
    loss: float
    input_grad_norms: np.ndarray  # (depth+1,) ‖∂L/∂h_l‖_F, l = 0..L
    weight_grad_norms: np.ndarray  # (depth,)  ‖∂L/∂W_l‖_F, l = 1..L, before clipping
    clipped_weight_grad_norms: np.ndarray  # (depth,) after clipping (== weight_grad_norms if no clip)
    weight_norms: np.ndarray  # (depth,)  ‖W_l‖₂ spectral norms
    activation_norms: np.ndarray  # (depth+1,) ‖h_l‖_F forward signal
    mean_local_grad: np.ndarray  # (depth,)  mean |f'(z_l)| over the batch and units
    peak_grad: float  # max |f'| of the activation
    bound: np.ndarray | None  # (depth+1,) analytic upper bound on input_grad_norms; None if residual
    global_norm_before: float  # √(Σ_l ‖∂L/∂W_l‖_F²)
    global_norm_after: float  # after clipping (== before if clip is None or not needed)
    clip_scale: float  # min(1, clip / global_norm_before); 1.0 without clipping
    finite: bool  # every reported number finite
    # raw arrays, for checks and "show me the numbers"
    x: np.ndarray = field(repr=False)
    weights: tuple[np.ndarray, ...] = field(repr=False)
    biases: tuple[np.ndarray, ...] = field(repr=False)
    input_grads: tuple[np.ndarray, ...] = field(repr=False)
    weight_grads: tuple[np.ndarray, ...] = field(repr=False)  # before clipping
    clipped_weight_grads: tuple[np.ndarray, ...] = field(repr=False)
    bias_grads: tuple[np.ndarray, ...] = field(repr=False)
    batch_norm: bool = False  # batch normalization after every linear layer (γ = 1, β = 0 at init)

    @property
    def clipped(self) -> bool:
        """Whether clipping actually rescaled the gradients (clip_scale < 1)."""
        return self.clip_scale < 1.0

    @property
    def attenuation(self) -> float:
        """‖∂L/∂h_0‖ / ‖∂L/∂h_L‖: ≪ 1 vanishing, ≫ 1 exploding (inf/0 propagate, never NaN)."""
        top, bottom = float(self.input_grad_norms[-1]), float(self.input_grad_norms[0])
        if top == 0.0:
            return 0.0 if bottom == 0.0 else math.inf
        if math.isinf(top):
            return 1.0 if math.isinf(bottom) else 0.0
        return bottom / top


def gradient_flow(
    depth: int = 10,
    width: int = 16,
    activation: str = "sigmoid",
    init: str = "xavier",
    std: float | None = None,
    residual: bool = False,
    clip: float | None = None,
    batch: int = 32,
    seed: int = 0,
    batch_norm: bool = False,
) -> FlowResult:
    """Per-layer norms ‖∂L/∂h_l‖ for L = Σ h_L / batch through h_l = f(h_{l-1}W_l + b_l) (+ h_{l-1}).

    ``depth`` 1–50, ``width`` 4–64, ``batch`` 1–256, ``activation`` a key of ``ACTIVATIONS``,
    ``init`` a key of ``INITS``; ``std`` (1e-6–100) overrides the std of the fixed schemes
    ("small", "large") and is ignored by Xavier/He. ``clip`` (positive) clips the weight
    gradients by their global norm. The input X (batch × width, standard normal) is drawn
    first from ``np.random.default_rng(seed)``, then W_1 … W_L; biases are zero. ``batch_norm``
    normalizes every layer's pre-activation over the batch (γ = 1, β = 0): the bound, which
    assumes a plain stack, is then ``None``.
    """
    depth = _check_int("depth", depth, *DEPTH_RANGE)
    width = _check_int("width", width, *WIDTH_RANGE)
    batch = _check_int("batch", batch, *BATCH_RANGE)
    if isinstance(seed, bool) or not isinstance(seed, Integral) or int(seed) < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
    seed = int(seed)
    if activation not in ACTIVATIONS:
        raise ValueError(f"unknown activation {activation!r}; choose one of {sorted(ACTIVATIONS)}")
    if init not in INITS:
        raise ValueError(f"unknown init {init!r}; choose one of {sorted(INITS)}")
    if std is not None:
        if isinstance(std, bool) or not isinstance(std, Real) or not math.isfinite(float(std)):
            raise ValueError(f"std must be a number in [{STD_RANGE[0]}, {STD_RANGE[1]}], got {std!r}")
        if not STD_RANGE[0] <= float(std) <= STD_RANGE[1]:
            raise ValueError(f"std must be in [{STD_RANGE[0]}, {STD_RANGE[1]}], got {std}")
        std = float(std)
    if clip is not None:
        if isinstance(clip, bool) or not isinstance(clip, Real) or not (0.0 < float(clip) < math.inf):
            raise ValueError(f"clip must be a positive finite number or None, got {clip!r}")
        clip = float(clip)
    residual = bool(residual)
    batch_norm = bool(batch_norm)

    rng = np.random.default_rng(seed)
    x = rng.standard_normal((batch, width))
    weights, sigma = init_weights(depth, width, init, std, rng)
    biases = [np.zeros(width) for _ in range(depth)]

    bp = forward_backward(x, weights, biases, activation, residual, batch_norm)

    input_grad_norms = _norms(bp.input_grads)
    weight_grad_norms = _norms(bp.weight_grads)
    w_norms = spectral_norms(weights)
    activation_norms = _norms(bp.activations)
    with np.errstate(all="ignore"):
        mean_local = np.array([float(np.mean(np.abs(fp))) for fp in bp.local_grads])
    mean_local = np.where(np.isfinite(mean_local), mean_local, np.inf)
    peak = peak_grad(activation)
    plain = not (residual or batch_norm)
    bound = gradient_bound(float(input_grad_norms[-1]), w_norms, peak) if plain else None

    if clip is None:
        clipped_grads = list(bp.weight_grads)
        before = after = _combine(weight_grad_norms.tolist())
    else:
        clipped_grads, before, after = clip_by_global_norm(bp.weight_grads, clip)
    scale = 1.0 if (not math.isfinite(before) or before == 0.0 or after >= before) else clip / before
    clipped_norms = _norms(clipped_grads)

    reported = [input_grad_norms, weight_grad_norms, clipped_norms, activation_norms, mean_local, w_norms]
    finite = all(bool(np.all(np.isfinite(a))) for a in reported) and math.isfinite(before)
    loss = math.inf if math.isnan(bp.loss) else bp.loss

    for a in (x, *weights, *biases, *clipped_grads):
        a.flags.writeable = False
    return FlowResult(
        depth=depth,
        width=width,
        activation=activation,
        init=init,
        std=sigma,
        residual=residual,
        clip=clip,
        batch=batch,
        seed=seed,
        loss=loss,
        input_grad_norms=_readonly(input_grad_norms),
        weight_grad_norms=_readonly(weight_grad_norms),
        clipped_weight_grad_norms=_readonly(clipped_norms),
        weight_norms=_readonly(w_norms),
        activation_norms=_readonly(activation_norms),
        mean_local_grad=_readonly(mean_local),
        peak_grad=peak,
        bound=None if bound is None else _readonly(bound),
        global_norm_before=before,
        global_norm_after=after,
        clip_scale=scale,
        finite=finite,
        x=x,
        weights=tuple(weights),
        biases=tuple(biases),
        input_grads=bp.input_grads,
        weight_grads=bp.weight_grads,
        clipped_weight_grads=tuple(clipped_grads),
        bias_grads=bp.bias_grads,
        batch_norm=batch_norm,
    )


# --------------------------------------------------------------------------------------------
# Presets: the FAQ's problem and its remedies, one click each
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Preset:
    """One-click settings for ``gradient_flow(**kwargs)``; a remedy names the problem it fixes."""

    key: str
    label: str
    explanation: str
    kwargs: Mapping[str, Any]
    role: str  # "problem" or "remedy"
    baseline: str | None  # for a remedy: the key of the problem preset it should be compared with


def _preset(key: str, label: str, explanation: str, role: str, baseline: str | None, **kwargs: Any) -> Preset:
    return Preset(key, label, explanation, MappingProxyType(dict(kwargs)), role, baseline)


_VANISHING = dict(depth=30, width=32, activation="sigmoid", init="small", std=0.1, residual=False, clip=None)
_EXPLODING = dict(depth=30, width=32, activation="relu", init="large", std=1.0, residual=False, clip=None)

PRESETS: Mapping[str, Preset] = MappingProxyType(
    {
        p.key: p
        for p in (
            _preset(
                "vanishing",
                "Problem: sigmoid, deep, small init",
                "σ′ ≤ 1/4 and small weights: each layer multiplies the gradient by a factor < 1, "
                "so after 30 layers almost nothing reaches the first layer.",
                "problem",
                None,
                **_VANISHING,
            ),
            _preset(
                "relu",
                "Remedy: ReLU instead of sigmoid",
                "ReLU's slope is exactly 1 wherever a unit is active (sigmoid's is at most 1/4); "
                "with He init, its matching scale, the per-layer factor is ≈ 1.",
                "remedy",
                "vanishing",
                **{**_VANISHING, "activation": "relu", "init": "he", "std": None},
            ),
            _preset(
                "residual",
                "Remedy: residual connections",
                "h_l = h_{l-1} + f(…) adds an identity path: ∂L/∂h_{l-1} = ∂L/∂h_l + (…), so the "
                "gradient reaches early layers undiminished (the branch must stay small, or it grows).",
                "remedy",
                "vanishing",
                **{**_VANISHING, "residual": True},
            ),
            _preset(
                "init",
                "Remedy: better init (Xavier)",
                "Xavier scales the weights so a tanh layer neither shrinks nor grows the signal "
                "(σ² = 2/(n_in+n_out)); with tanh (slope 1 at 0) the gradient survives far deeper.",
                "remedy",
                "vanishing",
                **{**_VANISHING, "activation": "tanh", "init": "xavier", "std": None},
            ),
            _preset(
                "batchnorm",
                "Remedy: batch normalization",
                "Normalizing each layer's pre-activations over the batch (mean 0, variance 1, then a "
                "learnable scale γ and shift β) keeps the sigmoid in its steep middle whatever the weights' "
                "scale, and the backward pass through the normalization undoes the small weights' shrinkage.",
                "remedy",
                "vanishing",
                **{**_VANISHING, "batch_norm": True},
            ),
            _preset(
                "exploding",
                "Problem: ReLU, deep, large init",
                "Weights with σ = 1 make each ReLU layer multiply the gradient by ≈ σ·√(n/2) ≈ 4: "
                "the norm grows geometrically and a single update would be enormous.",
                "problem",
                None,
                **_EXPLODING,
            ),
            _preset(
                "clipping",
                "Remedy: gradient clipping",
                "Rescale all weight gradients together so their global norm is at most 1: the step "
                "stays bounded. It keeps the direction and the layer-to-layer ratios; it caps size.",
                "remedy",
                "exploding",
                **{**_EXPLODING, "clip": 1.0},
            ),
        )
    }
)
