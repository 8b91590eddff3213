"""Warm a fresh Streamlit process before students reach it: open every page once over the websocket (and
Backprop once per width: EXTRA).

    python deploy/warm.py http://127.0.0.1:8501 [http://127.0.0.1:8502 ...]

Results and chart payloads are cached per process and shared by every session (ui.cache). On a cold
process the first student on a page computes them: Vanishing gradients' 50 depths take ~0.5 s, and a class
arriving at once queues behind that. Opening each page once (its default link, as a class gets it) fills
those caches before the proxy lets anyone in. deploy/cluster.py runs this for every process it starts.
Uses benchmarks/classroom.py's websocket client (Streamlit's own protocol; `websockets` comes with
Streamlit).
"""

from __future__ import annotations

import asyncio
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


# Links opened besides each page's default: a setting whose every value retrains what the page shows and that a
# class explores first. Backprop's hidden units (2-8) each train a 10 000-epoch history, ~0.5 s of CPU; on a
# cold process the first class queued behind them (p95 2.2 s on Backprop, 2026-12-02).
EXTRA = {"backprop": [f"hidden={k}" for k in range(2, 9) if k != 3]}


async def warm(base: str, paths: list[str] | None = None) -> dict[str, float]:
    """Open each page of `paths` (default: every page of ui/navigation.py) once on `base`, one after the
    other; the seconds each took. A page that fails raises (a process that cannot draw a page is not ready)."""
    from benchmarks.classroom import Student
    from ui.navigation import available_pages

    out: dict[str, float] = {}
    for path in paths if paths is not None else [p.url_path for p in available_pages()]:
        for query in ["", *EXTRA.get(path, [])]:
            student = Student(base, path, "", random.Random(0), query=query)
            try:
                took = await student.open()
            finally:
                await student.close()
            out[path or "home"] = out.get(path or "home", 0.0) + took
    return out


def warm_all(bases: list[str]) -> None:
    """Warm every process, side by side (each process has its own core); print what each page took."""

    async def go() -> list[dict[str, float]]:
        return await asyncio.gather(*(warm(b) for b in bases))

    t0 = time.perf_counter()
    for base, took in zip(bases, asyncio.run(go()), strict=True):
        slowest = sorted(took.items(), key=lambda kv: -kv[1])[:3]
        print(
            f"warmed {base}: {len(took)} pages in {sum(took.values()):.1f} s (slowest: "
            + ", ".join(f"{k} {v:.2f} s" for k, v in slowest)
            + ")",
            flush=True,
        )
    print(f"warm-up done in {time.perf_counter() - t0:.1f} s", flush=True)


if __name__ == "__main__":
    warm_all(sys.argv[1:] or ["http://127.0.0.1:8501"])
