"""Interaction tests for the Losses page (the generic tests cover rendering and bad links)."""

from __future__ import annotations

import re

import numpy as np
import pytest

from core.jacobians import softmax
from core.losses import LOSS_TABLE, LOSSES
from tests.support import assert_ok, badges, notices, open_page, page_tables
from ui.navigation import page_by_url

pytestmark = pytest.mark.timeout(300)

PAGE = page_by_url("losses")
LOSS_BADGE = "∂L/∂ŷ: formula vs central differences"
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
    assert badges(at) == ["green", "green"]
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
    for y in (0.0, 0.3, 0.7, 1.0):
        for p0 in (0.01, 0.3, 0.7, 0.99):  # includes ŷ₀ = y, where MSE's and BCE's slope is exactly 0
            at.slider(key="losses.y").set_value(y)
            at.slider(key="losses.p0").set_value(p0)
            at.run()
            assert_ok(at)
            assert _badge(at, LOSS_BADGE) == "green", (loss, y, p0)
    assert any(LOSSES[loss].formula in m.value for m in at.markdown)


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
