"""Interaction tests for the Losses page (the generic tests cover rendering and bad links)."""

from __future__ import annotations

import re

import numpy as np
import pytest

from core import finite_diff
from core.jacobians import softmax
from core.losses import LOSS_TABLE, LOSSES, loss_slope_check
from tests.support import Stepper, assert_ok, badges, notices, open_page, page_tables
from ui.navigation import page_by_url
from ui.shell import check_level, fmt

pytestmark = pytest.mark.timeout(300)

PAGE = page_by_url("losses")
LOSS_BADGE = "∂L/∂ŷ: formula vs central differences"
VERDICTS = {"green": "✓ agree", "orange": "⚠ suspicious", "red": "✗ disagree"}
Y_GRID = [round(0.05 * k, 10) for k in range(21)]
P0_GRID = [round(0.01 * k, 10) for k in range(1, 100)]
PRED_GRID = np.linspace(0.005, 0.995, 199)  # the page's curve grid (its check is over the whole curve)
H = 1e-6  # the page's central-difference step
SOFTMAX_BADGE = "∂L/∂z: chain rule through the softmax Jacobian"


def _markdown(at) -> str:
    return "\n".join(m.value for m in at.markdown)


def _badge(at, title: str) -> str:
    for m in at.markdown:
        if title in m.value:
            found = re.search(r":(green|orange|red)-badge\[", m.value)
            assert found, m.value
            return found.group(1)
    raise AssertionError(f"no badge {title!r}")


def _tables(at) -> list:
    return [table.to_pandas() for table in page_tables(at)]


def _point(at) -> Stepper:
    """Section 1's stepper over the target y and the prediction ŷ₀."""
    return Stepper(at, "losses.y")


def _frames(sp: Stepper) -> list[tuple[float, float, int]]:
    """(y, ŷ₀, frame index) of every position the stepper's window holds."""
    axes = sp.data["axes"]
    return [(axes[0]["options"][i], axes[1]["options"][j], f) for f, (i, j) in enumerate(sp.data["frames"])]


def _at(sp: Stepper, frame: int) -> tuple[list[list[str]], str]:
    """A frame's table rows (cell texts) and its check's text (plain: no Markdown markers)."""
    table = sp.blocks("table")[0]
    rows = [["".join(text for _, text in c) for c in row] for row in sp.at_frame(table, "rows", frame)]
    check = next(b for b in sp.blocks("text") if b.get("live"))
    return rows, "\n".join("".join(text for _, text in p["runs"]) for p in sp.at_frame(check, "paras", frame))


def _verdict(text: str) -> str:
    assert LOSS_BADGE in text, text
    found = [level for level, words in VERDICTS.items() if words in text]
    assert len(found) == 1, text
    return found[0]


def _series_values(at, label: str) -> np.ndarray:
    """The bar values of one series (e.g. 'shortcut: p − y'), in class order."""
    for t in _tables(at):
        if {"class", "value", "series"} <= set(t.columns) and label in set(t["series"]):
            return t[t["series"] == label]["value"].to_numpy()
    raise AssertionError(f"no bars {label!r}")


def _set_logits(at, values, cls: int) -> None:
    at.slider(key="losses.k").set_value(len(values)).run()
    for i, v in enumerate(values):
        at.slider(key=f"losses.z{i + 1}").set_value(float(v))
    at.radio(key="losses.cls").set_value(str(cls))
    at.run()
    assert_ok(at)


def test_defaults_show_the_articles_table_and_green_checks():
    at = open_page(PAGE)
    assert_ok(at)
    assert badges(at) == ["green"]  # the softmax check; the loss's check is drawn by the stepper
    sp = _point(at)
    assert sp.position == (Y_GRID.index(1.0), P0_GRID.index(0.7))
    assert _verdict(_at(sp, sp.value)[1]) == "green"
    assert "Target y = 1." in sp.text()
    text = _markdown(at)
    for row in LOSS_TABLE:
        assert f"| {row.loss} | ${row.formula}$ | ${row.derivative}$ |" in text
    assert not notices(at) and not at.error and not at.warning
    # the article's softmax example: softmax([2, 1, 0.1]) ≈ [0.659, 0.242, 0.099]
    np.testing.assert_allclose(_series_values(at, "softmax p"), softmax([2.0, 1.0, 0.1]))
    np.testing.assert_allclose(_series_values(at, "softmax p"), [0.659, 0.242, 0.099], atol=1e-3)


@pytest.mark.parametrize("loss", list(LOSSES))
def test_each_loss_derivative_checks_green_for_any_target(loss):
    at = open_page(PAGE)
    at.selectbox(key="losses.loss").select(loss).run()
    assert any(LOSSES[loss].formula in m.value for m in at.markdown)
    for y in (0.0, 0.3, 0.7, 1.0):  # each window holds every ŷ₀ at its y, including ŷ₀ = y (slope exactly 0)
        _point(at).set_position(y=Y_GRID.index(y)).run()
        assert_ok(at)
        sp = _point(at)
        assert sp.position[0] == Y_GRID.index(y)
        shown = [(p0, f) for yy, p0, f in _frames(sp) if yy == y]
        assert len(shown) == len(P0_GRID)
        for p0, f in shown:
            assert _verdict(_at(sp, f)[1]) == "green", (loss, y, p0)


@pytest.mark.parametrize("loss", list(LOSSES))
def test_every_frame_shows_a_fresh_core_computation(loss):
    """Each position of the window (every y at ŷ₀, every ŷ₀ at y): the numbers, the check and the curves are
    core.losses' at that (y, ŷ₀), computed here afresh."""
    at = open_page(PAGE, {"loss": loss, "y": "0.35", "p0": "0.2"})
    assert_ok(at)
    sp = _point(at)
    frames = _frames(sp)
    assert len(frames) == len(Y_GRID) + len(P0_GRID) - 1  # the cross: each axis whole, moved alone
    curve_line, tangent = sp.blocks("xy")[0]["items"][:2]
    grad_line = sp.blocks("xy")[1]["items"][0]
    for y, p0, f in frames:
        (v0,), (g0,), (n0,) = loss_slope_check(LOSSES[loss], y, [p0], h=H)
        v0, g0, n0 = v0 + 0.0, g0 + 0.0, n0 + 0.0  # −0 (cross-entropy at y = 0) is shown as 0
        values, grads, numeric = loss_slope_check(LOSSES[loss], y, PRED_GRID, h=H)
        rel = finite_diff.relative_error(grads, numeric)
        rows, check = _at(sp, f)
        assert rows == [[f"L at ŷ₀ = {p0:g}", fmt(v0, 4)], ["∂L/∂ŷ at ŷ₀", fmt(g0, 4)]], (y, p0)
        assert f"formula at ŷ₀: {fmt(g0)} · difference at ŷ₀: {fmt(n0)} · relative error {rel:.1e}" in check
        assert _verdict(check) == check_level(rel)
        drawn = np.array(sp.at_frame(curve_line, "y", f), dtype=float)
        np.testing.assert_allclose(drawn, values, rtol=1e-3, atol=1e-4)
        np.testing.assert_allclose(
            np.array(sp.at_frame(grad_line, "y", f), dtype=float), grads, rtol=1e-3, atol=1e-4
        )
        (xa, xb), (ya, yb) = sp.at_frame(tangent, "x", f), sp.at_frame(tangent, "y", f)
        assert (xa + xb) / 2 == pytest.approx(p0, abs=1e-6)
        assert (ya + yb) / 2 == pytest.approx(v0, rel=1e-5, abs=1e-6)
        assert (yb - ya) / (xb - xa) == pytest.approx(g0, rel=1e-4, abs=1e-6)


def test_a_link_lands_on_its_position_and_a_report_writes_the_link():
    at = open_page(PAGE, {"y": "0.35", "p0": "0.2"})
    assert_ok(at)
    assert not notices(at)
    sp = _point(at)
    assert sp.position == (Y_GRID.index(0.35), P0_GRID.index(0.2))
    assert sp.data["frames"][sp.value] == list(sp.position)
    rows, _ = _at(sp, sp.value)
    assert rows[0][0] == "L at ŷ₀ = 0.2"
    assert "Target y = 0.35." in sp.text()
    # the learner steps ŷ₀ in the browser and stops at 0.55: the report writes the link, y stays
    sp.set_position(p0=P0_GRID.index(0.55)).run()
    assert_ok(at)
    assert at.query_params["p0"] in ("0.55", ["0.55"]) and at.query_params["y"] in ("0.35", ["0.35"])
    sp = _point(at)
    assert sp.position == (Y_GRID.index(0.35), P0_GRID.index(0.55))
    assert _at(sp, sp.value)[0][0][0] == "L at ŷ₀ = 0.55"
    # a value between two options snaps to the nearer, as the slider's link did
    at = open_page(PAGE, {"y": "0.36", "p0": "0.203"})
    assert_ok(at)
    assert _point(at).position == (Y_GRID.index(0.35), P0_GRID.index(0.2))


def test_the_two_softmax_ce_gradients_agree_for_random_logits():
    at = open_page(PAGE)
    rng = np.random.default_rng(20240611)
    for _ in range(8):
        k = int(rng.integers(3, 6))
        logits = np.round(rng.uniform(-10.0, 10.0, size=k), 1)
        cls = int(rng.integers(1, k + 1))
        _set_logits(at, logits, cls)
        assert _badge(at, SOFTMAX_BADGE) == "green", (logits, cls)
        long_way = _series_values(at, "long way: Jᵀ · (−y / p)")
        shortcut = _series_values(at, "shortcut: p − y")
        assert len(long_way) == len(shortcut) == k
        np.testing.assert_allclose(long_way, shortcut, rtol=1e-9, atol=1e-12)
        target = np.zeros(k)
        target[cls - 1] = 1.0
        np.testing.assert_allclose(shortcut, softmax(logits) - target, atol=1e-12)
        assert shortcut.sum() == pytest.approx(0.0, abs=1e-12)
        assert shortcut[cls - 1] < 0 and np.all(np.delete(shortcut, cls - 1) > 0)


def test_extreme_logits_stay_green():
    at = open_page(PAGE)
    _set_logits(at, [10.0, -10.0, -10.0, -10.0, -10.0], 5)  # p5 ≈ 2e-9: the long way still holds
    assert _badge(at, SOFTMAX_BADGE) == "green"
    _set_logits(at, [-10.0, 10.0, 10.0], 1)
    assert _badge(at, SOFTMAX_BADGE) == "green"


def test_random_logits_button():
    at = open_page(PAGE)
    before = [at.slider(key=f"losses.z{i}").value for i in (1, 2, 3)]
    at.button(key="losses.random").click().run()
    assert_ok(at)
    after = [at.slider(key=f"losses.z{i}").value for i in (1, 2, 3)]
    assert after != before
    assert all(-10 <= v <= 10 for v in after)
    assert _badge(at, SOFTMAX_BADGE) == "green"


def test_true_class_follows_the_number_of_classes():
    at = open_page(PAGE)
    at.slider(key="losses.k").set_value(5).run()
    assert at.radio(key="losses.cls").options == ["1", "2", "3", "4", "5"]
    at.radio(key="losses.cls").set_value("5").run()
    assert_ok(at)
    at.slider(key="losses.k").set_value(3).run()
    assert_ok(at)
    assert at.radio(key="losses.cls").value == "1"
    assert {s.key for s in at.slider} >= {"losses.z1", "losses.z2", "losses.z3"}
    assert "losses.z4" not in {s.key for s in at.slider}


def test_link_with_four_classes():
    at = open_page(PAGE, {"k": "4", "z4": "3", "cls": "4"})
    assert_ok(at)
    assert not notices(at)
    p = _series_values(at, "softmax p")
    np.testing.assert_allclose(p, softmax([2.0, 1.0, 0.1, 3.0]))
    assert _series_values(at, "target y (one-hot)").tolist() == [0.0, 0.0, 0.0, 1.0]


def test_stability_section_names_where_the_naive_form_breaks():
    at = open_page(PAGE)
    text = _markdown(at)
    assert "Breaks for z ≥ 36.8" in text and "NaN" in text
    assert "wrong in the digits from z ≈ 24.3" in text
    naive = next(t for t in _tables(at) if "computed" in t.columns)
    stable = naive[naive["computed"] == "from logits (stable)"]
    assert stable["loss"].notna().all() and (stable["loss"] > 0).all()
    gaps = naive[(naive["computed"] != "from logits (stable)") & naive["loss"].isna()]["z"]
    assert gaps.min() == pytest.approx(36.8)

    at.radio(key="losses.label").set_value("0").run()
    assert_ok(at)
    text = _markdown(at)
    assert "Breaks for z ≥ 36.8" in text and "+∞" in text
    assert "for z ≤ -24.4" in text
    assert not at.warning and not at.error
