"""How long core.equivalence takes to judge each answer of its test corpus (budget: 100 ms each).

For every (function, answer) pair of tests/core/equivalence_corpus.py (rewritings, near-misses,
local near-misses, hostile input) we time ``judge_derivative`` (best of ``--repeats``) and, as the
baseline measured in the same run, one ``parse(answer)`` + ``evaluate`` at the same number of
points (what any judge must at least do). Prints the corpus size, the verdict counts, false
accepts/rejects, and the median / 99th percentile / maximum judge time with its ratio to the baseline.

Run: ``python benchmarks/equivalence.py [--repeats N]``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "core"))

from equivalence_corpus import CASES, HOSTILE, LOCAL  # noqa: E402

from core.equivalence import GRID, SAMPLES, judge_derivative  # noqa: E402
from core.expression import ParseError, parse  # noqa: E402


def best(fn, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def baseline(answer: str) -> None:
    try:
        parse(answer).evaluate(x=np.linspace(-5, 5, GRID + SAMPLES))
    except ParseError:
        pass


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()
    pairs: list[tuple[str, tuple[float, float], str, bool | None]] = []
    for f, (dom, rights, wrongs) in CASES.items():
        pairs += [(f, dom or (-5.0, 5.0), a, True) for a in rights]
        pairs += [(f, dom or (-5.0, 5.0), a, False) for a in wrongs]
    pairs += [(f, (-5.0, 5.0), a, False) for f, a in LOCAL]
    pairs += [("x**2", (-5.0, 5.0), a, None) for a in HOSTILE]  # None: anything but "right"
    judge_derivative("x**2", "2*x + 1")  # warm-up (first-call imports)

    times, bases, kinds = [], [], {}
    false_accept = false_reject = 0
    worst = ("", "", 0.0)
    for f, dom, answer, want in pairs:
        verdict = judge_derivative(f, answer, dom)
        kinds[verdict.kind] = kinds.get(verdict.kind, 0) + 1
        false_accept += verdict.right and want is not True
        false_reject += (not verdict.right) and want is True
        t = best(lambda f=f, a=answer, d=dom: judge_derivative(f, a, d), args.repeats)
        times.append(t)
        bases.append(best(lambda a=answer: baseline(a), args.repeats))
        if t > worst[2]:
            worst = (f, answer[:40], t)
    ms = np.array(times) * 1e3
    base = statistics.median(bases) * 1e3
    print(
        f"corpus: {len(pairs)} pairs ({sum(p[3] is True for p in pairs)} equivalent, "
        f"{sum(p[3] is False for p in pairs)} near-misses, {len(HOSTILE)} hostile)"
    )
    print("verdicts: " + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())))
    print(f"false accepts: {false_accept}   false rejects: {false_reject}")
    print(f"baseline (parse + evaluate at {GRID + SAMPLES} points), median: {base:.3f} ms")
    for label, v in (
        ("median", float(np.median(ms))),
        ("p99", float(np.percentile(ms, 99))),
        ("max", float(ms.max())),
    ):
        print(
            f"judge {label:6}: {v:7.3f} ms  ({v / base:5.1f}x baseline, {v / 100:.1%} of the 100 ms budget)"
        )
    print(f"slowest: d/dx {worst[0]}  answer {worst[1]!r}")


if __name__ == "__main__":
    main()
