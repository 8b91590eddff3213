"""ui.stepper: the Markdown subset becomes inert runs, and the browser side never parses data as markup."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from tests.support import INJECTION
from ui import stepper as sp


def test_runs_read_bold_code_muted_and_escapes():
    assert sp.runs("**Step 3**: node `w2x2` is :gray[0] \\*not bold\\*") == [
        ["b", "Step 3"],
        ["", ": node "],
        ["c", "w2x2"],
        ["", " is "],
        ["m", "0"],
        ["", " *not bold*"],
    ]
    assert sp.runs("**a `b` c**") == [["b", "a "], ["bc", "b"], ["b", " c"]]
    assert sp.runs("`**not bold**`") == [["c", "**not bold**"]]  # code is literal
    # brackets inside a muted span nest (a weight's name), as Streamlit's Markdown reads them
    assert sp.runs(":gray[Perturbing W_25[23,5] by 1e-3.] Next") == [
        ["m", "Perturbing W_25[23,5] by 1e-3."],
        ["", " Next"],
    ]


def test_paragraphs_and_list_items():
    paras = sp.paragraphs("First line\ncontinues.\n\n- one\n- **two**")
    assert paras == [
        {"runs": [["", "First line continues."]], "li": False},
        {"runs": [["", "one"]], "li": True},
        {"runs": [["b", "two"]], "li": True},
    ]


@pytest.mark.parametrize("raw", list(INJECTION))
def test_hostile_text_stays_literal_text(raw):
    """Whatever a link or a typed name holds is text in a run: its characters all arrive, as data."""
    runs = sp.plain(raw)
    assert runs == [["", raw]]
    text = "".join(t for _, t in sp.runs(raw))
    # nothing that could make a link, a tag, a formula or an icon is dropped or rewritten
    for ch in "<>[]()$:":
        assert text.count(ch) == raw.count(ch)


def test_the_browser_side_sets_data_as_text_only():
    """The stepper's JS builds the DOM with textContent/createTextNode: no HTML parsing of data anywhere."""
    for path in sorted(sp.ASSETS.rglob("*.js")) + [sp.GRAPH_CORE]:
        code = path.read_text(encoding="utf-8")
        assert not re.search(
            r"innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(|new Function", code
        ), path


def test_bars_keep_one_axis_over_every_frame():
    vals = np.array([[0.0, 1.0], [2.0, -3.0], [np.nan, 0.5]])
    block = sp.bars("t", ["a", "b"], [("s", {"light": "x", "dark": "y"}, vals)])
    lo, hi = block["domain"]
    assert lo < -3.0 and hi > 2.0  # the extremes of all frames, padded; NaN ignored
    assert block["series"][0]["values"][2] == [0.0, 0.5]  # a NaN is drawn as nothing (0 height)


_UI = Path(__file__).resolve().parents[2] / "ui"
_MODULES = ["stepper (assembled)"] + sorted(
    str(p.relative_to(_UI)) for p in _UI.rglob("*.js") if p.parent.name not in ("stepper", "blocks")
)


@pytest.mark.parametrize("which", _MODULES)
def test_each_component_module_parses(which, tmp_path):
    """The browser gets a component's JS as ONE module (the stepper's: its core, every block file and its
    mount, concatenated): two files, or a bad merge, declaring the same top-level name make the whole
    component a SyntaxError, and nothing is drawn. Node parses each module as the browser would."""
    import shutil
    import subprocess

    node = shutil.which("node")
    if not node:
        pytest.skip("node is not installed (.ci/run installs it)")
    if which.startswith("stepper"):
        from ui.stepper import _js

        code = _js()
    else:
        code = (_UI / which).read_text(encoding="utf-8")
    path = tmp_path / "module.mjs"
    path.write_text(code, encoding="utf-8")
    out = subprocess.run([node, "--check", str(path)], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr[-2000:]
