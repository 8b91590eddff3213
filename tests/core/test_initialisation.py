"""Tests for core.initialisation: the weight initialisation schemes' standard deviations."""

from __future__ import annotations

import math

import pytest

from core.initialisation import INITS


def test_init_schemes() -> None:
    for key, scheme in INITS.items():
        assert scheme.key == key and scheme.name and scheme.formula and scheme.description
    assert INITS["xavier"].std(16, 16) == pytest.approx(math.sqrt(2 / 32))
    assert INITS["he"].std(16, 16) == pytest.approx(math.sqrt(2 / 16))
    assert INITS["he"].std(16, 16, std=5.0) == pytest.approx(math.sqrt(2 / 16))  # fan-based: std ignored
    assert INITS["small"].std(16, 16) == INITS["small"].default_std
    assert INITS["large"].std(16, 16, std=3.0) == 3.0
