"""core.softmax: probabilities from logits, stable at any scale; its log without log(0)."""

from __future__ import annotations

import numpy as np
import pytest

from core.softmax import log_softmax, softmax


def test_softmax_sums_to_one_and_is_stable_for_huge_logits():
    p = softmax(np.array([1000.0, 0.0, -1000.0]))
    np.testing.assert_allclose(p, [1.0, 0.0, 0.0])
    assert p.sum() == 1.0


def test_log_softmax_is_finite_where_softmax_underflows():
    lp = log_softmax(np.array([1000.0, 0.0, -1000.0]))
    np.testing.assert_allclose(lp, [0.0, -1000.0, -2000.0])


def test_temperature_divides_the_logits():
    x = np.array([1.0, 2.0, 3.0])
    np.testing.assert_allclose(softmax(x, temperature=2.0), softmax(x / 2.0), rtol=1e-15)


@pytest.mark.parametrize("t", [0.0, -1.0, float("inf"), float("nan")])
def test_temperature_must_be_positive_and_finite(t):
    with pytest.raises(ValueError):
        softmax(np.array([1.0, 2.0]), temperature=t)
