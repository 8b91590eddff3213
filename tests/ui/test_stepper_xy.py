"""ui.stepper's `xy` block builder: fixed axes over every frame, undrawable points left out, palette colours."""

from __future__ import annotations

import json
import math

import pytest

from ui import palette
from ui import stepper as sp


def test_log_axes_are_whole_decades_with_room_above_the_data_and_undrawable_points_are_none():
    line = sp.xy_line("a", [1e-3, 1e-2, 1e-1, 1.0], [1.0, 0.0, math.nan, 1e-4], colour=1)
    assert line["y"] == [
        1.0,
        0.0,
        None,
        0.0001,
    ]  # 0 is kept (drawable on a linear axis; the JS skips it on log)
    assert line["y"][2] is None
    block = sp.xy("t", [line], x_title="x", y_title="y", log_x=True, log_y=True)
    assert block["xDomain"] == [1e-3, 1.0]  # x ends where the data ends
    assert block["yDomain"] == [1e-5, 10.0]  # a value on a decade gets the next one: not on the frame
    json.dumps(block, allow_nan=False)  # strict JSON: no NaN or infinity reaches the browser


def test_linear_axes_pad_and_rules_and_points_count_in_the_domain():
    block = sp.xy(
        "t",
        [sp.xy_line("a", [0, 1], [0, 1])],
        x_title="x",
        y_title="y",
        rules=[sp.xy_rule("r", [0.5, 3.0], label=["at 0.5", "at 3"])],
        points=[sp.xy_points("p", [[(0.5, 2.0)], [(3.0, -1.0)]])],
        alt=["frame 0", "frame 1"],
    )
    lo, hi = block["xDomain"]
    assert lo < 0 and hi > 3.0
    lo, hi = block["yDomain"]
    assert lo < -1.0 and hi > 2.0
    assert block["perFrame"] == ["alt"] and block["alt"][1] == "frame 1"
    rule = block["items"][1]
    assert rule["x"] == [0.5, 3.0] and rule["label"] == ["at 0.5", "at 3"]


@pytest.mark.parametrize("i", range(9))
def test_colours_and_dashes_come_from_the_palette(i):
    line = sp.xy_line("a", [1], [1], colour=i)
    k = len(palette.CATEGORICAL["light"])
    assert line["colour"] == {
        "light": palette.CATEGORICAL["light"][i % k],
        "dark": palette.CATEGORICAL["dark"][i % k],
    }
    assert line["dash"] == palette.DASHES[i % len(palette.DASHES)]
    assert sp.xy_line("a", [1], [1], colour=i, dash=0)["dash"] == palette.DASHES[0]


def test_a_static_rule_is_one_entry():
    rule = sp.xy_rule("best", 1e-8, label="best: 1e-08")
    assert rule["x"] == [1e-8] and rule["label"] == ["best: 1e-08"]
    with pytest.raises(ValueError):
        sp.xy_line("bad", [1, 2], [1])


# -- per-frame lines (Losses, Gradients): a curve that changes with the position ------------------------------
def test_a_static_line_is_unchanged_by_the_per_frame_option():
    line = sp.xy_line("a", [0, 1, 2], [1.23456, 2, 3], slope=[1, 1, 1])
    assert "perFrame" not in line and line["y"] == [1.235, 2.0, 3.0] and line["slope"] == [1.0, 1.0, 1.0]


def test_a_per_frame_line_sends_each_distinct_curve_once_and_the_axes_cover_every_frame():
    x = [0.0, 0.5, 1.0]
    ys = [
        [0, 1, 2],
        [0, 1, 2],
        [5, -3, 1],
        [0, 1.00001, 2],
    ]  # frames 0, 1 and 3 draw the same curve (4 digits)
    slopes = [[1, 1, 1], [1, 1, 1], [2, 2, 2], [1, 1, 1]]
    line = sp.xy_line("L", x, ys, slope=slopes, per_frame=True)
    assert line["perFrame"] == ["y", "slope"] and line["x"] == x
    assert line["y"] == {"__pick": [0, 0, 1, 0], "__items": [[0.0, 1.0, 2.0], [5.0, -3.0, 1.0]]}
    assert line["slope"] == {"__pick": [0, 0, 1, 0], "__items": [[1.0, 1.0, 1.0], [2.0, 2.0, 2.0]]}
    block = sp.xy("t", [line], x_title="x", y_title="y")
    lo, hi = block["yDomain"]
    assert lo < -3.0 and hi > 5.0  # every frame's curve is on the (fixed) axis
    json.dumps(block, allow_nan=False)


def test_a_per_frame_line_without_repeats_is_a_plain_list_and_takes_the_picked_form_too():
    x = [1.0, 2.0]
    assert sp.xy_line("a", x, [[1, 2], [3, math.nan]], per_frame=True)["y"] == [[1.0, 2.0], [3.0, None]]
    picked = {"__pick": [1, 0, 1], "__items": [[1, 2], [3, 4]]}
    assert sp.xy_line("a", x, picked, per_frame=True)["y"] == {
        "__pick": [1, 0, 1],
        "__items": [[1.0, 2.0], [3.0, 4.0]],
    }
    with pytest.raises(ValueError):
        sp.xy_line("bad", x, [[1, 2], [1]], per_frame=True)


NODE_CHECK = r"""
const fs = require("fs");
const BLOCKS = {};
eval(fs.readFileSync(process.argv[1], "utf8"));
const picked = { __pick: [0, 1, 0], __items: [[0, 1, 4], [0, -1, -4]] };
const it = { kind: "line", x: [0, 1, 2], y: picked, slope: { __pick: [0, 1, 0], __items: [[0, 2, 4], [0, -2, -4]] },
  perFrame: ["y", "slope"] };
const out = {
  y0: xyField(it, "y", 0), y1: xyField(it, "y", 1), same: xyField(it, "y", 0) === xyField(it, "y", 2),
  x: xyField(it, "x", 1), at0: xyAt(it, 1.5, 0), at1: xyAt(it, 1.5, 1),
  staticAt: xyAt({ x: [0, 1], y: [0, 10] }, 0.5, 3),
  path: xyPath(Object.assign((v) => v * 10, { ok: (v) => v !== null && Number.isFinite(v) }),
    Object.assign((v) => -v, { ok: (v) => v !== null && Number.isFinite(v) }), [0, 1, 2, 3], [1, null, 2, 3]),
};
console.log(JSON.stringify(out));
"""


def test_the_browser_reads_a_per_frame_line_at_each_frame():
    """xy.js's own reading of a per-frame line (the picked form expanded once, the hover's interpolation)."""
    import shutil
    import subprocess
    from pathlib import Path

    node = shutil.which("node")
    if not node:
        pytest.skip("node is not installed")
    js = Path(__file__).resolve().parents[2] / "ui" / "stepper" / "blocks" / "xy.js"
    done = subprocess.run(
        [node, "-e", NODE_CHECK, str(js)], capture_output=True, text=True, timeout=60, check=True
    )
    got = json.loads(done.stdout)
    assert got["y0"] == [0, 1, 4] and got["y1"] == [0, -1, -4] and got["same"] is True
    assert got["x"] == [0, 1, 2]
    assert got["at0"] == {"y": 2.5, "s": 3} and got["at1"] == {"y": -2.5, "s": -3}
    assert got["staticAt"] == {"y": 5}
    assert got["path"] == "M0.0 -1.0M20.0 -2.0L30.0 -3.0"
