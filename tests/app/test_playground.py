"""The Network playground page: pasted points (good and bad), points in the link, export = page numbers."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from tests.support import assert_ok, badges, open_page
from ui.navigation import page_by_url

pytestmark = pytest.mark.timeout(300)
PAGE = page_by_url("playground")
CSV_BOX = "playground_csv_text"


def _metric(at, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def _plain(markdown: str) -> str:
    """A message without the backslashes that keep pasted text inert."""
    return markdown.replace("\\", "")


def _use(at, text: str):
    at.text_area(key=CSV_BOX).set_value(text)
    at.button(key="playground.use_points").click()
    at.run()
    assert_ok(at)
    return at


def test_defaults_train_and_the_chain_rule_checks() -> None:
    at = open_page(PAGE)
    assert_ok(at)
    assert _metric(at, "Epoch (of 200)") == "200"
    assert float(_metric(at, "Test accuracy").split()[0]) >= 95.0
    assert badges(at) == ["green"]
    first = open_page(PAGE, {"frame": "0"})  # the frame is in the link too: frame 0 = the untrained net
    assert _metric(first, "Epoch (of 200)") == "0"
    assert float(_metric(first, "Test accuracy").split()[0]) < 95.0


def test_bad_csv_names_row_and_column_and_keeps_the_data() -> None:
    at = open_page(PAGE)
    before = _metric(at, "Train loss")
    _use(at, "0,0,0\n1,1,1\n0.5,oops,1")
    errors = [_plain(e.value) for e in at.error]
    assert len(errors) == 1 and "Row 3, column 2 (x2)" in errors[0] and "'oops' is not a number" in errors[0]
    assert at.session_state["playground.dataset"] == "circles"
    assert _metric(at, "Train loss") == before
    _use(at, "0,0,1\n1,1,1")  # one class only
    assert "each class" in _plain(at.error[0].value) and "column 3 (label)" in _plain(at.error[0].value).lower()
    _use(at, "\n".join("0,0,0" for _ in range(301)))
    assert "Row 301" in _plain(at.error[0].value) and "at most 300" in _plain(at.error[0].value)
    _use(at, "1,2\n")
    assert "Row 1" in _plain(at.error[0].value) and "3 columns" in _plain(at.error[0].value)
    _use(at, "0,0,0\n1,**x**<b>[a](javascript:1),1")  # pasted text stays inert in the message
    shown = at.error[0].value
    assert "\\*\\*x\\*\\*\\<b\\>\\[a\\]\\(javascri" in shown  # the cell, cut at 20 characters
    assert "**" not in shown.replace("\\*", "") and "<b>" not in shown and "](" not in shown


def test_good_points_are_used_and_put_in_the_link() -> None:
    at = open_page(PAGE)
    _use(at, "x1,x2,label\n0,0,0\n0,1,1\n1,0,1\n1,1,0")
    assert not at.error
    assert at.session_state["playground.dataset"] == "points"
    assert at.query_params["pts"] in ("0.0,0.0,0;0.0,1.0,1;1.0,0.0,1;1.0,1.0,0",
                                      ["0.0,0.0,0;0.0,1.0,1;1.0,0.0,1;1.0,1.0,0"])
    # a later bad paste keeps these points
    _use(at, "0,0,0\n1,x,1")
    assert at.session_state["playground.dataset"] == "points" and at.error


def test_points_from_a_link_and_a_bad_link() -> None:
    at = open_page(PAGE, {"dataset": "points", "pts": "0,0,0;0,1,1;1,0,1;1,1,0;0.5,0.5,1"})
    assert_ok(at)
    assert not at.warning
    assert "Points in use: 5" in " ".join(c.value for c in at.caption)
    bad = open_page(PAGE, {"dataset": "points", "pts": "0,0,0;0,1,7"})
    assert_ok(bad)
    assert any("`pts`" in w.value and "Row 2, column 3" in _plain(w.value) for w in bad.warning)
    assert "pts" not in bad.query_params


def test_too_many_points_for_the_link_get_a_notice() -> None:
    at = open_page(PAGE)
    text = "\n".join(f"{i / 7:.15f},{(i * 3 % 11) / 13:.15f},{i % 2}" for i in range(120))
    _use(at, text)
    assert not at.error
    assert "pts" not in at.query_params
    assert any("too many for the link" in i.value for i in at.info)


def test_export_script_prints_the_pages_final_loss(tmp_path) -> None:
    at = open_page(PAGE, {"layers": "1", "w1": "4", "epochs": "50", "reg": "l2", "reg_rate": "0.01",
                          "activation": "relu", "batch": "20"})
    assert_ok(at)
    script = next(c.value for c in at.code if "Gradient Lab playground run" in c.value)
    page_loss = re.search(r"prints final train loss `([^`]+)`", " ".join(c.value for c in at.caption)).group(1)
    path = tmp_path / "run.py"
    path.write_text(script)
    out = subprocess.run([sys.executable, "-I", str(path)], capture_output=True, text=True, timeout=120,
                         cwd=tmp_path, check=True).stdout
    assert re.search(r"final train loss (\S+)", out).group(1) == page_loss


def test_tiny_batches_are_capped_with_a_notice() -> None:
    at = open_page(PAGE, {"batch": "1", "epochs": "1000", "n": "500", "layers": "1", "w1": "2"})
    assert_ok(at)
    assert any("gradient steps" in i.value for i in at.info)
    assert _metric(at, "Epoch (of 48)") == "48"  # 12 000 steps // 250 samples per epoch


def test_edges_sized_by_weight_or_by_gradient() -> None:
    import numpy as np

    from tests.support import chart_datasets, charts

    for mode, column in (("w", "weight"), ("grad", "grad")):
        at = open_page(PAGE, {"edge": mode})
        assert_ok(at)
        edges = next(chart_datasets(c)["edges"] for c in charts(at) if "edges" in chart_datasets(c))
        np.testing.assert_allclose(edges.column("size").to_numpy(), np.abs(edges.column(column).to_numpy()))
        assert len(edges) == 2 * 6 + 6 * 6 + 6 * 1
