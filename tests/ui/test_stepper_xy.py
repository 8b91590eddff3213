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
