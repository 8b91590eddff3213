"""ui.geometry: arrows kept on the plot."""

from __future__ import annotations

import numpy as np
import pytest

from ui.geometry import fit_factor


def test_fit_factor():
    box = ((-1.0, 1.0), (-2.0, 2.0))
    assert fit_factor((0.0, 0.0), (0.5, 0.5), box) == 1.0
    assert fit_factor((0.0, 0.0), (2.0, 0.0), box) == pytest.approx(0.5)
    assert fit_factor((0.0, 1.0), (0.0, 4.0), box) == pytest.approx(0.25)
    assert fit_factor((0.0, 0.0), (-4.0, -1.0), box) == pytest.approx(0.25)
    assert fit_factor((1.0, 0.0), (1.0, 0.0), box) == 0.0  # on the edge, pointing out
    assert fit_factor((0.0, 0.0), (np.nan, 0.0), box) == 0.0
