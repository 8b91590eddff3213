"""Is a typed formula the same function as a reference? The judge behind the "Your turn" challenges.

A learner types ``2*x - 6`` for the derivative of ``(x-3)**2 + 1``; ``judge_derivative`` says
whether that is f′, judging *equivalence*, never textual equality: ``2*(x-3)``, ``-6 + x*2`` and
``(x-3)*2`` are all right. It works in three stages, each cheap (a judgement takes about a
millisecond; the budget is 100 ms):

1. **Reading.** The text goes through :func:`core.expression.parse` (never ``eval``). An
   unreadable answer gives the parser's message and 0-based position; a name that is not one of
   the variables (``t``, ``w``, ``a``) gives a sentence naming it and the variable to use.
2. **Symbolic.** If the answer's canonical text equals the reference's (``parse`` normalizes
   spacing, parentheses and light algebra), it is right without any sampling.
3. **Numeric.** Otherwise both are evaluated at ``SAMPLES`` points: a grid of round numbers over
   the domain plus seeded random points. Points where the reference is undefined (log of a
   negative, a kink's exact location, 0/0) are skipped. Where the reference is defined, the answer
   must be too, and agree within ``RTOL`` of the larger magnitude plus ``ATOL_SCALE`` times the
   reference's typical size (so a cancellation like ``1 - tanh(x)**2`` → 0 where ``1/cosh²``
   is 1e-17 is not a difference; a missing factor 2 or a constant added is). Kinks have measure
   zero: random points never land on them, and grid points exactly on a kink are skipped when
   either side is discontinuous there (the answer need not pick the reference's convention).

A wrong answer comes with a counterexample (the roundest sampled point where they differ: "at
x = 1.5 yours gives 3, f′ gives 1") and, when it is a simple slip, a diagnosis: a constant
factor (sign flipped, factor 2 missing), a constant added, or the function itself typed back.

The reference may be an :class:`Expression` (e.g. f′ from ``parse(f).derivative()``) or any
vectorized callable, so a page can judge a formula against numbers computed elsewhere in
``core`` (e.g. the softmax + cross-entropy gradient from ``core.losses``).
"""

from __future__ import annotations

import keyword
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.random  # noqa: F401 - loaded now, not inside the first timed judgement

from core.expression import Expression, ParseError, parse

SAMPLES: int = 400
"""Random points per judgement (plus a grid of round numbers)."""

GRID: int = 81
"""Round-number grid points per variable's domain (for readable counterexamples)."""

RTOL: float = 1e-7
"""Relative tolerance: |yours − reference| ≤ RTOL·max(|yours|, |reference|) + atol."""

ATOL_SCALE: float = 1e-9
"""Absolute tolerance as a fraction of the reference's typical (median) magnitude."""

KINK_PROBE: float = 1e-7
"""Relative offset used to tell a kink (jump) from a smooth point at a grid point."""

MIN_POINTS: int = 20
"""Fewer defined points than this and the judge cannot decide (the domain misses the function)."""

SEED: int = 20260
"""Fixed seed: the same answer always gets the same verdict and counterexample."""

# Verdict kinds
RIGHT = "right"
WRONG = "wrong"
UNREADABLE = "unreadable"
FREE_NAME = "free_name"
UNDECIDED = "undecided"

_IDENT = re.compile(r"[A-Za-z_][A-Za-z_0-9]*")


@dataclass(frozen=True)
class Counterexample:
    """A point where the answer and the reference differ: the point, both values (NaN = undefined)."""

    point: Mapping[str, float]
    yours: float
    expected: float


@dataclass(frozen=True)
class Verdict:
    """The judge's answer.

    ``kind`` is ``"right"``, ``"wrong"``, ``"unreadable"`` (parser error: ``position`` set),
    ``"free_name"`` (a name that is not a variable: ``name`` set) or ``"undecided"``.
    ``message`` is one or two sentences for the learner (plain text: the UI escapes it).
    ``method`` says how a right/wrong verdict was reached: ``"symbolic"`` or ``"numeric"``.
    ``diagnosis`` names a simple slip, e.g. ``"factor"``, ``"offset"``, ``"function"``.
    """

    kind: str
    message: str
    method: str = ""
    counterexample: Counterexample | None = None
    position: int | None = None
    name: str | None = None
    diagnosis: str | None = None
    factor: float | None = None
    points: int = 0
    extra: Mapping[str, float] = field(default_factory=dict)

    @property
    def right(self) -> bool:
        return self.kind == RIGHT


def fmt_number(v: float) -> str:
    """A number for a sentence: up to 6 significant digits, 'undefined' for NaN/inf."""
    if not math.isfinite(v):
        return "undefined" if math.isnan(v) else ("∞" if v > 0 else "−∞")
    if v == 0:
        return "0"
    text = f"{v:.6g}"
    return text.replace("-", "−")


def _point_text(point: Mapping[str, float]) -> str:
    return ", ".join(f"{k} = {fmt_number(v)}" for k, v in point.items())


def read_answer(text: str, variables: Sequence[str]) -> Expression | Verdict:
    """Parse an answer; a Verdict ("unreadable" or "free_name") when it cannot be read."""
    variables = tuple(variables)
    if not isinstance(text, str) or not text.strip():
        return Verdict(UNREADABLE, "Type a formula first.", position=0)
    try:
        return parse(text, variables)
    except ParseError as err:
        pos = max(0, min(int(err.position), len(text)))
        match = _IDENT.match(text, pos)
        starts_token = pos == 0 or not (text[pos - 1].isalnum() or text[pos - 1] == "_")
        if match and starts_token and not keyword.iskeyword(match.group(0)):
            name = match.group(0)
            rest = text[match.end() :].lstrip()
            known = name in variables or name.lower() in ("pi", "e")
            if not known and not rest.startswith("(") and not rest.startswith("."):
                want = " and ".join(variables)
                kind_of = "variable" if len(variables) == 1 else "variables"
                return Verdict(
                    FREE_NAME,
                    f"Your answer uses '{_short(name)}', which is not defined here: write it in terms of "
                    f"the {kind_of} {want}.",
                    position=pos,
                    name=name,
                )
        hint = f" ({err.hint})" if err.hint else ""
        return Verdict(
            UNREADABLE,
            f"Could not read your answer: {err.message} at character {pos + 1}{hint}.",
            position=pos,
        )


def _short(text: str, n: int = 24) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _as_callable(ref: Expression | Callable[..., np.ndarray]) -> Callable[..., np.ndarray]:
    if isinstance(ref, Expression):
        return lambda **env: ref.evaluate(**{k: v for k, v in env.items() if k in ref.variables})
    return ref


def sample_points(
    domains: Mapping[str, tuple[float, float]], samples: int = SAMPLES, seed: int = SEED
) -> dict[str, np.ndarray]:
    """Grid points of round numbers followed by seeded uniform random points, per variable.

    For one variable the grid is ``GRID`` evenly spaced points (ends included); for several, each
    variable's grid is shuffled against the others. Random points come after the grid.
    """
    rng = np.random.default_rng(seed)
    out: dict[str, np.ndarray] = {}
    for name, (lo, hi) in domains.items():
        lo, hi = float(lo), float(hi)
        grid = np.round(np.linspace(lo, hi, GRID), 10)
        if len(domains) > 1:
            grid = rng.permutation(grid)
        out[name] = np.concatenate([grid, rng.uniform(lo, hi, samples)])
    return out


def _jumps(fn: Callable[..., np.ndarray], env: Mapping[str, np.ndarray]) -> np.ndarray:
    """Where fn is not continuous at a point: undefined there or on one side, or its values a
    relative KINK_PROBE either side differ a lot (a kink of the function it differentiates)."""
    shifted_lo = {k: v - KINK_PROBE * np.maximum(np.abs(v), 1.0) for k, v in env.items()}
    shifted_hi = {k: v + KINK_PROBE * np.maximum(np.abs(v), 1.0) for k, v in env.items()}
    with np.errstate(all="ignore"):
        a = np.asarray(fn(**shifted_lo), dtype=np.float64)
        b = np.asarray(fn(**shifted_hi), dtype=np.float64)
        c = np.asarray(fn(**env), dtype=np.float64)
        a, b, c = (np.broadcast_to(t, next(iter(env.values())).shape) for t in (a, b, c))
        scale = np.maximum.reduce([np.abs(a), np.abs(b), np.abs(c), np.ones_like(c)])
        fa, fb = np.isfinite(a), np.isfinite(b)
        jump = fa & fb & (np.abs(a - b) > 1e-3 * scale)
    # The edge of a domain (defined on one side only), and an isolated undefined point with a
    # defined neighbourhood (x**2/x at 0: a removable singularity) are not judged either.
    return jump | (fa != fb) | (fa & fb & ~np.isfinite(c))


def judge(
    answer: str | Expression,
    reference: Expression | Callable[..., np.ndarray],
    domains: Mapping[str, tuple[float, float]],
    *,
    what: str = "the answer",
    also: Mapping[str, Expression | Callable[..., np.ndarray]] | None = None,
    points: Mapping[str, np.ndarray] | None = None,
) -> Verdict:
    """Judge whether ``answer`` (text or parsed) equals ``reference`` as a function on ``domains``.

    ``domains`` maps each variable to its (lo, hi) sampling interval, in the order the answer may
    use them. ``what`` names the reference in messages ("f′", "∂L/∂z"). ``also`` maps a name to a
    function a learner may type back by mistake (e.g. ``{"f itself": f}``) for the diagnosis.
    ``points`` overrides the sample (arrays per variable, e.g. probabilities paired with one-hot
    labels); by default :func:`sample_points`.
    """
    variables = tuple(domains)
    if isinstance(answer, Expression):
        expr = answer
    else:
        read = read_answer(answer, variables)
        if isinstance(read, Verdict):
            return read
        expr = read
    if isinstance(reference, Expression) and str(expr) == str(reference):
        return Verdict(RIGHT, f"Right: your formula is {what}, term for term.", method="symbolic")

    env = {k: np.asarray(v, dtype=np.float64) for k, v in (points or sample_points(domains)).items()}
    n = len(next(iter(env.values())))
    ref_fn = _as_callable(reference)
    yours_fn = _as_callable(expr)
    with np.errstate(all="ignore"):
        ref = np.broadcast_to(np.asarray(ref_fn(**env), dtype=np.float64), (n,))
        yours = np.broadcast_to(np.asarray(yours_fn(**env), dtype=np.float64), (n,))
    defined = np.isfinite(ref)
    grid_n = min(GRID, n) if points is None else 0
    if grid_n and defined[:grid_n].any():
        # Grid points can land exactly on a kink; judge there only where both sides are continuous.
        g = {k: v[:grid_n] for k, v in env.items()}
        jump = _jumps(ref_fn, g) | _jumps(yours_fn, g)
        defined[:grid_n] &= ~jump
    count = int(defined.sum())
    if count < MIN_POINTS:
        return Verdict(
            UNDECIDED,
            f"Cannot judge: {what} is undefined almost everywhere in the range checked.",
            points=count,
        )
    r, y = ref[defined], yours[defined]
    atol = ATOL_SCALE * max(float(np.median(np.abs(r))), 1e-300)
    both_finite = np.isfinite(y)
    with np.errstate(all="ignore"):
        diff = np.abs(y - r)
        bad = ~both_finite | (diff > RTOL * np.maximum(np.abs(y), np.abs(r)) + atol)
    if not bad.any():
        return Verdict(
            RIGHT,
            f"Right: your formula equals {what} at all {count} points checked (agreement to round-off).",
            method="numeric",
            points=count,
        )

    idx = np.flatnonzero(defined)[bad]
    pick = _roundest(env, idx)
    point = {k: float(v[pick]) for k, v in env.items()}
    ce = Counterexample(point=point, yours=float(yours[pick]), expected=float(ref[pick]))
    diagnosis, factor, note = _diagnose(y, r, both_finite, env, defined, also)
    msg = (
        f"Not quite: at {_point_text(point)} yours gives {fmt_number(ce.yours)}, "
        f"{what} gives {fmt_number(ce.expected)}."
    )
    if note:
        msg += " " + note
    return Verdict(
        WRONG, msg, method="numeric", counterexample=ce, diagnosis=diagnosis, factor=factor, points=count
    )


def _roundest(env: Mapping[str, np.ndarray], idx: np.ndarray) -> int:
    """The index among ``idx`` whose point has the fewest digits (then the smallest size)."""

    def digits(i: int) -> tuple[int, float]:
        total, size = 0, 0.0
        for v in env.values():
            x = float(v[i])
            text = f"{x:.10g}".lstrip("-")
            total += len(text.replace(".", "").lstrip("0")) if text != "0" else 0
            size += abs(x)
        return total, size

    return int(min(idx[:4000], key=lambda i: digits(int(i))))


def _diagnose(
    y: np.ndarray,
    r: np.ndarray,
    finite: np.ndarray,
    env: Mapping[str, np.ndarray],
    defined: np.ndarray,
    also: Mapping[str, Expression | Callable[..., np.ndarray]] | None,
) -> tuple[str | None, float | None, str]:
    """Name a simple slip: a constant factor, a constant added, or another known function typed."""
    if finite.all():
        nz = np.abs(r) > 1e-12 * max(float(np.max(np.abs(r))), 1e-300)
        if nz.sum() >= MIN_POINTS:
            with np.errstate(all="ignore"):
                ratio = y[nz] / r[nz]
            c = float(np.median(ratio))
            if (
                math.isfinite(c)
                and c != 0
                and np.allclose(ratio, c, rtol=1e-6, atol=0)
                and np.allclose(y[~nz], 0, atol=1e-9 * max(float(np.max(np.abs(r))), 1.0))
            ):
                if abs(c + 1) < 1e-9:
                    return "sign", -1.0, "Your sign is flipped: yours is −1 times the right answer."
                return "factor", c, f"Yours is a constant {fmt_number(c)} times the right answer."
        d = y - r
        off = float(np.median(d))
        if np.allclose(d, off, rtol=1e-6, atol=1e-9 * max(float(np.max(np.abs(r))), 1.0)):
            return (
                "offset",
                off,
                f"Yours differs from the right answer by the constant {fmt_number(off)} everywhere.",
            )
    for name, fn in (also or {}).items():
        with np.errstate(all="ignore"):
            other = np.broadcast_to(np.asarray(_as_callable(fn)(**env), dtype=np.float64), defined.shape)[
                defined
            ]
        ok = np.isfinite(other) & finite
        if ok.sum() >= MIN_POINTS and np.allclose(y[ok], other[ok], rtol=1e-7, atol=1e-12):
            return "other", None, f"That formula is {name}."
    return None, None, ""


def judge_derivative(
    function: str | Expression,
    answer: str | Expression,
    domain: tuple[float, float] = (-5.0, 5.0),
    var: str = "x",
) -> Verdict:
    """Judge a typed derivative of ``function`` (text in ``var`` or an Expression) on ``domain``.

    The reference is ``parse(function).derivative(var)``; typing f itself back is recognized.
    """
    f = function if isinstance(function, Expression) else parse(function, (var,))
    fprime = f.derivative(var)
    return judge(answer, fprime, {var: domain}, what="f′", also={"f itself, not f′": f})
