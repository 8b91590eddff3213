"""Wall-clock timings for cost charts. Not calculus: it only times `core/` functions.

Measured once per server process (`st.cache_data`, no arguments that change with widgets), never on
a rerun. `CALLS` counts how often a measurement really ran, so tests can check the cache holds.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np
import pandas as pd
import streamlit as st

from core import jacobians

VJP_FULL = "full Jacobian, then vᵀJ"
VJP_FAST = "VJP  s ⊙ (v − v·s)"
VJP_SIZES: tuple[int, ...] = tuple(int(n) for n in np.unique(np.round(np.geomspace(10, 2000, 12))))

CALLS: dict[str, int] = {"vjp_costs": 0}


def _loops(fn: Callable, args: tuple, min_seconds: float) -> tuple[int, float]:
    """(calls per timing, seconds per call): loop fn(*args) until one timing lasts min_seconds."""
    number = 1
    while True:
        start = time.perf_counter()
        for _ in range(number):
            fn(*args)
        elapsed = time.perf_counter() - start
        if elapsed >= min_seconds or number >= 100_000:
            return number, elapsed / number
        number *= 10 if elapsed < min_seconds / 10 else 2


def _once(fn: Callable, args: tuple, number: int) -> float:
    start = time.perf_counter()
    for _ in range(number):
        fn(*args)
    return (time.perf_counter() - start) / number


def time_call(
    fn: Callable, *args, repeats: int = 5, min_seconds: float = 5e-4, budget_seconds: float = 0.2
) -> float:
    """Seconds per call of fn(*args): the fastest of up to `repeats` timings (time.perf_counter).

    Each timing loops enough calls to last at least `min_seconds` (so tiny calls are measurable);
    repeats stop early once `budget_seconds` are spent (at least two timings are always taken).
    """
    start = time.perf_counter()
    number, best = _loops(fn, args, min_seconds)
    for i in range(1, repeats):
        if i >= 2 and time.perf_counter() - start >= budget_seconds:
            break
        best = min(best, _once(fn, args, number))
    return best


@st.cache_data(show_spinner="Timing both VJPs once for this server (about a second)…", max_entries=2)
def vjp_costs(
    sizes: tuple[int, ...] = VJP_SIZES, rounds: int = 7, budget_seconds: float = 0.8
) -> pd.DataFrame:
    """Seconds per softmax VJP at each n: via the full n × n Jacobian vs `core.jacobians.vjp_softmax`.

    Columns: method, n, seconds — the fastest of up to `rounds` timings. The rounds sweep every
    (method, n) in turn, so a burst of load from elsewhere on the machine spoils one round of many
    points rather than every timing of one point. Cheap cases (looped to 0.5 ms per timing) always
    get every round; expensive ones (the big Jacobians) stop once `budget_seconds` are spent, after
    at least two timings. Cached for the life of the process.
    """
    CALLS["vjp_costs"] += 1
    rng = np.random.default_rng(0)
    cases = []
    for n in sizes:
        x, v = rng.standard_normal(n), rng.standard_normal(n)
        cases.append((VJP_FULL, int(n), jacobians.vjp_softmax_full, (v, x)))
        cases.append((VJP_FAST, int(n), jacobians.vjp_softmax, (v, x)))
    start = time.perf_counter()
    calibrated = [_loops(fn, args, 5e-4) for _, _, fn, args in cases]
    numbers = [number for number, _ in calibrated]
    best = [seconds for _, seconds in calibrated]
    for r in range(1, rounds):
        over_budget = time.perf_counter() - start >= budget_seconds
        for k, (_, _, fn, args) in enumerate(cases):
            if r >= 2 and over_budget and numbers[k] == 1:
                continue
            best[k] = min(best[k], _once(fn, args, numbers[k]))
    return pd.DataFrame({"method": [c[0] for c in cases], "n": [c[1] for c in cases], "seconds": best})
