"""The classroom load benchmark still speaks Streamlit's protocol: one student, a few seconds, no errors."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_one_student_for_a_few_seconds():
    out = subprocess.run(
        [
            sys.executable,
            "benchmarks/classroom.py",
            "-n",
            "1",
            "-d",
            "4",
            "-i",
            "1",
            "--ramp",
            "0",
            "--pages",
            "gradients",
            "--no-floor",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
        check=True,
    ).stdout
    row = next(r for r in (line.split() for line in out.splitlines()) if r[:1] == ["app"] and r[1].isdigit())
    interactions, errors = int(row[2]), int(row[8])
    assert errors == 0, out
    assert interactions >= 2, out
