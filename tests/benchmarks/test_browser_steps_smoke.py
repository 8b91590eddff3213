"""The browser step benchmark still runs: its servers, Chromium, one page, two presses, a table with ratios."""

import math
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.browser, pytest.mark.timeout(180)]


def test_one_page_two_presses_prints_a_finite_ratio():
    out = subprocess.run(
        [
            sys.executable,
            "benchmarks/browser_steps.py",
            "-n",
            "2",
            "--warmup",
            "1",
            "--pages",
            "derivatives",
            "--no-links",
            "--no-typed",
            "--component-floor",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=170,
        check=True,
    ).stdout
    rows = {r[0]: r for r in (line.split() for line in out.splitlines()) if r}
    page = rows["derivatives"]  # page, median ms, p90 ms, ratio, charts, ...
    median, ratio, charts = float(page[1]), float(page[3].rstrip("x")), int(page[4])
    assert median > 0 and math.isfinite(median), out
    assert ratio > 0 and math.isfinite(ratio), out
    assert charts >= 1, out
    comp = rows["component"]  # "component floor": the floor's line drawn by one component (no Vega chart)
    assert comp[1] == "floor" and float(comp[2]) > 0 and int(comp[5]) == 0, out
    assert "!" not in out, out  # no press failed to rerun or to go idle
    assert "load average" in out, out
