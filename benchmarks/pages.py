"""Per page: median server-side rerun time at defaults and after one widget change, and chart bytes.

Run: `python benchmarks/pages.py` (prints a table; budget ≤ 100 ms per rerun, ≤ 250 KB of chart data).
The baseline is a one-line Streamlit script measured in the same run, so the ratios compare
like with like on a shared, noisy machine.
"""

from __future__ import annotations

import logging
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from streamlit.testing.v1 import AppTest  # noqa: E402

from ui.navigation import available_pages  # noqa: E402

REPEATS = 15


def timed_runs(at: AppTest, n: int, before=None) -> list[float]:
    out = []
    for i in range(n):
        if before:
            before(at, i)
        t0 = time.perf_counter()
        at.run()
        out.append(time.perf_counter() - t0)
        assert not at.exception, at.exception[0].value
    return out


def chart_bytes(at: AppTest) -> int:
    total = 0
    for chart in at.get("arrow_vega_lite_chart") + at.get("vega_lite_chart"):
        proto = chart.proto
        total += len(proto.spec.encode())
        total += sum(len(d.data.data) for d in proto.datasets)
        if proto.HasField("data"):
            total += len(proto.data.data)
    return total


def first_changeable(at: AppTest):
    for kind in ("slider", "select_slider", "number_input", "selectbox"):
        for w in at.get(kind):
            if w.key and not w.key.startswith("sidebar."):
                return kind, w.key
    return None


def toggle_widget(kind: str, key: str):
    def change(at: AppTest, i: int) -> None:
        w = next(x for x in at.get(kind) if x.key == key)
        if kind == "slider":
            lo, hi = w.min, w.max
            w.set_value(lo if i % 2 else hi) if isinstance(lo, int) else w.set_value(
                lo + (hi - lo) * (0.4 + 0.2 * (i % 2))
            )
        elif kind == "select_slider":
            opts = at.session_state["_url_specs"][key.split(".", 1)[1]].options
            w.set_value(opts[len(opts) // 2 - (i % 2)])
        elif kind == "number_input":
            w.set_value(w.min if i % 2 else w.max)
        else:
            w.select_index((i + 1) % len(w.options))

    return change


def main() -> None:
    # AppTest runs scripts "bare": Streamlit logs a harmless ScriptRunContext warning per run.
    logging.getLogger("streamlit").setLevel(logging.ERROR)
    for name in list(logging.root.manager.loggerDict):
        if name.startswith("streamlit"):
            logging.getLogger(name).setLevel(logging.ERROR)
    with tempfile.TemporaryDirectory() as tmp:
        base_script = Path(tmp) / "baseline.py"
        base_script.write_text("import streamlit as st\nst.write('baseline')\n")
        at = AppTest.from_file(str(base_script), default_timeout=60)
        at.run()
        baseline = statistics.median(timed_runs(at, REPEATS))
    print(f"baseline (one-line script) rerun: {baseline * 1e3:.1f} ms\n")
    print(f"{'page':22} {'defaults ms':>12} {'x base':>7} {'changed ms':>11} {'widget':>22} {'chart KB':>9}")
    worst = 0.0
    for page in available_pages():
        at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60)
        at.run()
        if page.url_path:
            at.switch_page(page.file)
        at.run()
        at.run()  # warm caches, as a visitor's second rerun would be
        defaults = statistics.median(timed_runs(at, REPEATS))
        kb = chart_bytes(at) / 1024
        target = first_changeable(at)
        changed = float("nan")
        label = "-"
        if target:
            kind, key = target
            changed = statistics.median(timed_runs(at, REPEATS, toggle_widget(kind, key)))
            label = key
        worst = max(worst, defaults, changed if changed == changed else 0.0)
        print(
            f"{(page.url_path or 'home'):22} {defaults * 1e3:12.1f} {defaults / baseline:7.1f} "
            f"{changed * 1e3:11.1f} {label:>22} {kb:9.1f}"
        )
    print(f"\nworst median rerun: {worst * 1e3:.1f} ms (budget 100 ms); chart budget 250 KB per page")


if __name__ == "__main__":
    main()
