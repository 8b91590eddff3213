"""Tests for the direction helpers of core.surfaces used by the Gradients page.

unit_vector, directional_derivatives, steepest_ascent, slice_along, scaled_arrow, gradient_field,
fit_factor.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.finite_diff import derivative, relative_error
from core.surfaces import (
    SURFACES,
    directional_derivatives,
    fit_factor,
    gradient_field,
    scaled_arrow,
    slice_along,
    steepest_ascent,
    unit_vector,
)

KEYS = list(SURFACES)
unit = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)


def in_domain(key: str, u1: float, u2: float) -> np.ndarray:
    (lo1, hi1), (lo2, hi2) = SURFACES[key].domain
    return np.array([lo1 + u1 * (hi1 - lo1), lo2 + u2 * (hi2 - lo2)])


# ---------------------------------------------------------------------------------------------
# unit vectors and directional derivatives


def test_unit_vector_directions():
    np.testing.assert_allclose(unit_vector(0), [1.0, 0.0])
    np.testing.assert_allclose(unit_vector(90), [0.0, 1.0], atol=1e-15)
    np.testing.assert_allclose(unit_vector(225), [-math.sqrt(0.5), -math.sqrt(0.5)])
    u = unit_vector(np.arange(0, 361, 15))
    assert u.shape == (2, 25)
    np.testing.assert_allclose(np.hypot(u[0], u[1]), 1.0)


def test_article_example_directional_derivatives():
    """coupled at (1, 1): ∇L = (−1, −3), so D_u L is −1 at 0°, −3 at 90° and −4/√2 at 45°."""
    d = directional_derivatives("coupled", [1.0, 1.0], [0.0, 90.0, 45.0, 180.0])
    np.testing.assert_allclose(d, [-1.0, -3.0, -4 / math.sqrt(2), 1.0], atol=1e-14)
    assert directional_derivatives("coupled", [1.0, 1.0], 45.0).shape == ()


def test_steepest_ascent_article_example():
    theta, norm = steepest_ascent("coupled", np.array([1.0, 1.0]))
    assert theta == pytest.approx(180 + math.degrees(math.atan(3)))  # 251.565°, third quadrant
    assert norm == pytest.approx(math.sqrt(10))


@pytest.mark.parametrize(("w", "expected"), [((1.0, 0.0), 0.0), ((0.0, 1.0), 90.0), ((-1.0, 0.0), 180.0),
                                             ((0.0, -1.0), 270.0)])
def test_steepest_ascent_quadrants(w, expected):
    # bowl: ∇L = (2 w1, 4 w2) points along the axis the point sits on.
    theta, norm = steepest_ascent("bowl", w)
    assert theta == pytest.approx(expected)
    assert 0.0 <= theta < 360.0
    assert norm == pytest.approx(2.0 if w[1] == 0 else 4.0)


def test_steepest_ascent_at_a_stationary_point():
    assert steepest_ascent("saddle", [0.0, 0.0]) == (0.0, 0.0)
    assert steepest_ascent("bowl", [0.0, 0.0]) == (0.0, 0.0)


@settings(max_examples=60, deadline=None)
@given(key=st.sampled_from(KEYS), u1=unit, u2=unit)
def test_directional_derivative_peaks_along_the_gradient(key, u1, u2):
    """max over θ of ∇L·u(θ) is ‖∇L‖, reached at θ*; the minimum −‖∇L‖ at θ* + 180°."""
    w = in_domain(key, u1, u2)
    theta, norm = steepest_ascent(key, w)
    assert directional_derivatives(key, w, theta) == pytest.approx(norm, rel=1e-12, abs=1e-12)
    assert directional_derivatives(key, w, theta + 180) == pytest.approx(-norm, rel=1e-12, abs=1e-12)
    sweep = directional_derivatives(key, w, np.linspace(0, 360, 721))
    assert sweep.max() <= norm * (1 + 1e-12) + 1e-12
    assert sweep.max() >= norm * math.cos(math.radians(0.5)) - 1e-12  # grid of half degrees
    # ‖∇L‖ cos φ: perpendicular directions have zero slope.
    assert abs(float(directional_derivatives(key, w, theta + 90))) <= 1e-9 * max(norm, 1.0)


@settings(max_examples=60, deadline=None)
@given(key=st.sampled_from(KEYS), u1=unit, u2=unit, angle=st.floats(0, 360))
def test_slice_slope_equals_directional_derivative(key, u1, u2, angle):
    """The central difference of t ↦ L(w + t u) at 0 matches ∇L·u (an independent check)."""
    w = in_domain(key, u1, u2)
    u = unit_vector(angle)
    numeric = derivative(slice_along(key, w, u), 0.0, h=1e-5)
    analytic = float(directional_derivatives(key, w, angle))
    scale = max(steepest_ascent(key, w)[1], 1.0)
    assert abs(numeric - analytic) <= 1e-6 * scale


def test_slice_along_is_vectorized_and_exact():
    f = slice_along("coupled", [1.0, 1.0], [1.0, 0.0])  # L(1 + t, 1) = (t − 1)² + 4 + (1 + t)
    t = np.array([-1.0, 0.0, 2.0])
    np.testing.assert_allclose(f(t), (t - 1) ** 2 + 4 + (1 + t))
    assert f(0.0) == 6.0
    g = slice_along(SURFACES["bowl"], (4.0, 3.0), (0.0, 1.0))
    assert g(-3.0) == 16.0  # (4, 0)


# ---------------------------------------------------------------------------------------------
# arrows


def test_scaled_arrow_keeps_direction_and_sets_length_in_cells():
    cell = (2.0, 0.5)
    v = np.array([3.0, -1.0])
    a = scaled_arrow(v, cell, 1.5)
    assert math.hypot(a[0] / cell[0], a[1] / cell[1]) == pytest.approx(1.5)
    assert a[0] / v[0] == pytest.approx(a[1] / v[1])  # parallel, same sense
    assert a[0] > 0
    np.testing.assert_array_equal(scaled_arrow([0.0, 0.0], cell, 1.0), [0.0, 0.0])
    np.testing.assert_array_equal(scaled_arrow([np.inf, 1.0], cell, 1.0), [0.0, 0.0])
    many = scaled_arrow(np.array([[1.0, 0.0, 5.0], [0.0, 2.0, 5.0]]), (1.0, 1.0), 2.0)
    np.testing.assert_allclose(np.hypot(many[0], many[1]), 2.0)


@pytest.mark.parametrize("key", KEYS)
def test_gradient_field_points_downhill_with_equal_lengths(key):
    s = SURFACES[key]
    field = gradient_field(key, 10, 0.8)
    assert field["w1"].shape == field["d1"].shape == (100,)
    (lo1, hi1), (lo2, hi2) = s.domain
    np.testing.assert_allclose(field["cell"], [(hi1 - lo1) / 10, (hi2 - lo2) / 10])
    assert field["w1"].min() > lo1 and field["w1"].max() < hi1
    assert field["w2"].min() > lo2 and field["w2"].max() < hi2
    g = s.grad(np.stack([field["w1"], field["w2"]]))
    np.testing.assert_allclose(field["norm"], np.hypot(g[0], g[1]))
    moving = field["norm"] > 0
    lengths = np.hypot(field["d1"] / field["cell"][0], field["d2"] / field["cell"][1])
    np.testing.assert_allclose(lengths[moving], 0.8)
    # −∇L: a small step along the arrow lowers the loss.
    dot = field["d1"] * g[0] + field["d2"] * g[1]
    assert np.all(dot[moving] < 0)
    cross = field["d1"] * g[1] - field["d2"] * g[0]
    np.testing.assert_allclose(cross[moving] / field["norm"][moving], 0.0, atol=1e-9 * max(field["cell"]))


def test_gradient_field_rejects_bad_sizes():
    with pytest.raises(ValueError):
        gradient_field("bowl", 0)
    with pytest.raises(ValueError):
        gradient_field("bowl", True)


def test_fit_factor():
    box = ((-1.0, 1.0), (-2.0, 2.0))
    assert fit_factor((0.0, 0.0), (0.5, 0.5), box) == 1.0
    assert fit_factor((0.0, 0.0), (2.0, 0.0), box) == pytest.approx(0.5)
    assert fit_factor((0.0, 1.0), (0.0, 4.0), box) == pytest.approx(0.25)
    assert fit_factor((0.0, 0.0), (-4.0, -1.0), box) == pytest.approx(0.25)
    assert fit_factor((1.0, 0.0), (1.0, 0.0), box) == 0.0  # on the edge, pointing out
    assert fit_factor((0.0, 0.0), (np.nan, 0.0), box) == 0.0


def test_extreme_points():
    """Far outside the plotting domains: finite where the gradient is finite, never a warning."""
    for key in KEYS:
        w = np.array([1e100, -1e100])
        theta, norm = steepest_ascent(key, w)
        assert math.isfinite(theta) and math.isfinite(norm) and norm > 0
        assert np.all(np.isfinite(directional_derivatives(key, w, [0.0, 33.0, 90.0])))
        assert np.all(np.isfinite(gradient_field(key, 3)["d1"]))
        # 1e200: the higher-degree gradients overflow to ±inf; the helpers answer without warnings.
        theta, norm = steepest_ascent(key, [1e200, -1e200])
        assert 0.0 <= theta < 360.0 and norm > 1e199
        if norm == math.inf:
            assert theta == 0.0
        directional_derivatives(key, [1e200, -1e200], [0.0, 45.0])
        g = SURFACES[key].grad([1e200, 1e200])
        arrow = scaled_arrow(g, (1.0, 1.0), 1.0)
        assert np.all(np.isfinite(arrow))
        if not np.all(np.isfinite(g)):
            np.testing.assert_array_equal(arrow, [0.0, 0.0])  # no direction can be trusted
    assert relative_error(1.0, 1.0) == 0.0
