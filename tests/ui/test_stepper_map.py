"""ui.stepper_map: the surfacemap block (Gradients' map) and the stack block."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from ui import palette
from ui.stepper_map import log_shade, stack, surfacemap

BLOCKS = Path(__file__).resolve().parents[2] / "ui" / "stepper" / "blocks"


def _map(**per_frame):
    Z = np.arange(12.0).reshape(3, 4)
    field = {k: np.array([0.5, 1.5]) for k in ("x", "y", "x2", "y2", "norm")}
    frames = dict(
        point=[(1, 1), (2, 1)],
        tip=["a", "b"],
        grad=[(2, 2, 2.5, 2.5), None],
        u=[None, (3, 1, 3.2, 1)],
        alt=["x", "y"],
    )
    frames.update(per_frame)
    return surfacemap("t", Z, domain=((0, 4), (0, 3)), field=field, **frames)


def test_cells_are_coloured_by_log_loss_above_the_minimum_on_the_palettes_scale():
    block = _map()
    assert block["n"] == [4, 3] and len(block["shade"]) == 12
    assert block["shade"][0] == float(f"{log_shade(np.arange(12.0))[0]:.3g}")  # the lowest cell
    lo, hi = block["shadeDomain"]
    assert abs(lo - min(block["shade"])) < 1e-2 and abs(hi - max(block["shade"])) < 1e-2
    assert block["stops"] == list(palette.SEQUENTIAL) and len(palette.SEQUENTIAL) >= 5
    assert set(block["colours"].values()) <= set(palette.ON_MAP.values())


def test_per_frame_fields_plain_or_picked():
    block = _map()
    assert block["grad"] == [[2, 2, 2.5, 2.5], None] and block["u"][1] == [3, 1, 3.2, 1]
    packed = _map(point={"__pick": [0, 0], "__items": [(1.123456789, 1)]})
    assert packed["point"] == {"__pick": [0, 0], "__items": [[1.12346, 1.0]]}
    assert {"point", "grad", "u", "alt", "tip"} <= set(block["perFrame"])


def test_stack_holds_its_children_in_order():
    assert stack({"type": "text"}, {"type": "xy"}) == {
        "type": "stack",
        "children": [{"type": "text"}, {"type": "xy"}],
    }


def test_the_blocks_js_has_no_colour_literals():
    for name in ("surfacemap.js", "stack.js"):
        code = (BLOCKS / name).read_text(encoding="utf-8")
        assert not re.search(r"#[0-9a-fA-F]{3,6}\b|rgb\(\s*\d", code), name
