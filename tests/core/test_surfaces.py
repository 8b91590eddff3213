"""Tests for core.surfaces: analytic gradients vs finite differences, minima, Hessians, extremes."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.finite_diff import derivative, relative_error
from core.finite_diff import gradient as numeric_gradient
from core.surfaces import (
    SURFACES,
    Surface,
    _derivative_terms,
    _poly_scaled,
    directional_derivatives,
    get_surface,
    gradient_field,
    grid,
    scaled_arrow,
    slice_along,
    stable_lr,
    steepest_ascent,
    unit_vector,
)

KEYS = list(SURFACES)
CONSTANT_HESSIAN = [k for k in KEYS if SURFACES[k].hessian is not None]

unit = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)


def in_domain(s: Surface, u1: float, u2: float) -> np.ndarray:
    """The point at fractions (u1, u2) of the way across the surface's plotting domain."""
    (lo1, hi1), (lo2, hi2) = s.domain
    return np.array([lo1 + u1 * (hi1 - lo1), lo2 + u2 * (hi2 - lo2)])


def numeric_hessian(s: Surface, w: np.ndarray, h: float = 1e-3) -> np.ndarray:
    """H_ij ≈ [f(w+h e_i+h e_j) − f(w+h e_i−h e_j) − f(w−h e_i+h e_j) + f(w−h e_i−h e_j)] / (4h²)."""
    H = np.empty((2, 2))
    e = np.eye(2) * h
    for i in range(2):
        for j in range(2):
            H[i, j] = (
                s.value(w + e[i] + e[j])
                - s.value(w + e[i] - e[j])
                - s.value(w - e[i] + e[j])
                + s.value(w - e[i] - e[j])
            ) / (4 * h * h)
    return H


# ---------------------------------------------------------------------------------------------
# registry


def test_registry_keys_in_order():
    required = ["bowl", "coupled", "ravine", "saddle", "rosenbrock", "himmelblau"]
    assert [k for k in KEYS if k in required] == required  # DESIGN's surfaces; more may follow


@pytest.mark.parametrize("key", KEYS)
def test_surface_metadata_is_consistent(key):
    s = SURFACES[key]
    assert s.key == key and get_surface(key) is s and get_surface(s) is s
    assert s.name and s.description and s.formula.startswith("L(w_1, w_2) =")
    assert r"\partial w_1" in s.grad_formula and r"\partial w_2" in s.grad_formula
    (lo1, hi1), (lo2, hi2) = s.domain
    assert lo1 < hi1 and lo2 < hi2

    def inside(p):
        return lo1 <= p[0] <= hi1 and lo2 <= p[1] <= hi2

    assert inside(s.default_start)
    assert all(inside(m) for m in s.minima)
    hash(s)  # usable as a cache key


def test_unknown_surface_lists_choices():
    with pytest.raises(KeyError, match="bowl"):
        get_surface("volcano")


def test_the_saddle_has_no_minimum_and_the_others_do():
    assert SURFACES["saddle"].minima == ()
    assert len(SURFACES["himmelblau"].minima) == 4
    assert all(len(SURFACES[k].minima) == 1 for k in ("bowl", "coupled", "ravine", "rosenbrock"))


# ---------------------------------------------------------------------------------------------
# the article's numbers


def test_coupled_matches_the_articles_example_point():
    s = SURFACES["coupled"]
    assert s.f(1.0, 1.0) == pytest.approx(6.0, abs=1e-15)
    np.testing.assert_array_equal(s.grad([1.0, 1.0]), [-1.0, -3.0])
    # the article's numerical verification, h = 1e-5
    np.testing.assert_allclose(numeric_gradient(s.value, [1.0, 1.0]), [-1.0, -3.0], atol=1e-8)


def test_coupled_minimum_solves_the_linear_system():
    # ∇L = 0:  2(w1 − 2) + w2 = 0  and  2(w2 − 3) + w1 = 0  ⇒  w1 = 2/3, w2 = 8/3, L = 11/3
    s = SURFACES["coupled"]
    ((w1, w2),) = s.minima
    assert (w1, w2) == pytest.approx((2 / 3, 8 / 3), rel=1e-15)
    assert s.f(w1, w2) == pytest.approx(11 / 3, rel=1e-14)


def test_bowl_is_the_gradient_demo_loss():
    s = SURFACES["bowl"]
    assert s.f(4.0, 3.0) == 4.0**2 + 2 * 3.0**2
    np.testing.assert_array_equal(s.grad([4.0, 3.0]), [2 * 4.0, 4 * 3.0])


# ---------------------------------------------------------------------------------------------
# gradients


@settings(max_examples=60, deadline=None)
@given(key=st.sampled_from(KEYS), u1=unit, u2=unit)
def test_analytic_gradient_matches_central_differences(key, u1, u2):
    s = SURFACES[key]
    w = in_domain(s, u1, u2)
    analytic = s.grad(w)
    numeric = numeric_gradient(s.value, w, h=1e-5)
    np.testing.assert_allclose(analytic, numeric, rtol=1e-6, atol=1e-6 * (1.0 + abs(float(s.value(w)))))


@pytest.mark.parametrize("key", KEYS)
def test_vectorized_f_and_grad_match_pointwise(key):
    s = SURFACES[key]
    W1, W2, Z = grid(s, 7)
    G = s.grad(np.stack([W1, W2]))
    assert Z.shape == (7, 7) and G.shape == (2, 7, 7)
    for i in range(7):
        for j in range(7):
            p = np.array([W1[i, j], W2[i, j]])
            assert Z[i, j] == s.f(p[0], p[1])
            np.testing.assert_array_equal(G[:, i, j], s.grad(p))


@pytest.mark.parametrize("key", KEYS)
def test_shapes_and_scalars(key):
    s = SURFACES[key]
    z = s.f(1.0, 2.0)
    assert np.ndim(z) == 0 and isinstance(float(z), float)
    assert s.f(np.zeros(3), 1.0).shape == (3,)  # broadcasts
    assert s.grad((1.0, 2.0)).shape == (2,)
    assert s.grad(np.zeros((2, 4, 5))).shape == (2, 4, 5)
    assert s.value(np.zeros((2, 4))).shape == (4,)
    with pytest.raises(ValueError, match="shape"):
        s.grad([1.0, 2.0, 3.0])


def test_grid_spans_the_domain():
    W1, W2, Z = grid("coupled", 11)
    assert W1.shape == W2.shape == Z.shape == (11, 11)
    assert (W1[0, 0], W1[0, -1], W2[0, 0], W2[-1, 0]) == (-2.0, 6.0, -2.0, 8.0)
    np.testing.assert_allclose(Z, (W1 - 2) ** 2 + (W2 - 3) ** 2 + W1 * W2)
    for bad in (1, 0, 2.5, True):
        with pytest.raises(ValueError):
            grid("bowl", bad)


# ---------------------------------------------------------------------------------------------
# minima and Hessians


@pytest.mark.parametrize("key", KEYS)
def test_minima_have_zero_gradient_and_are_minima(key):
    s = SURFACES[key]
    for m in s.minima:
        w = np.array(m)
        np.testing.assert_allclose(s.grad(w), 0.0, atol=1e-12)
        f0 = float(s.value(w))
        expected = 11 / 3 if key == "coupled" else 0.0
        assert f0 == pytest.approx(expected, abs=1e-14)
        for angle in np.linspace(0, 2 * np.pi, 8, endpoint=False):
            step = 1e-3 * np.array([np.cos(angle), np.sin(angle)])
            assert s.value(w + step) > f0


@settings(max_examples=30, deadline=None)
@given(key=st.sampled_from(CONSTANT_HESSIAN), u1=unit, u2=unit)
def test_constant_hessians_match_second_differences(key, u1, u2):
    s = SURFACES[key]
    w = in_domain(s, u1, u2)
    np.testing.assert_allclose(numeric_hessian(s, w), s.hessian, atol=1e-5)


def test_which_hessians_are_constant():
    assert {"bowl", "coupled", "ravine", "saddle"} <= set(CONSTANT_HESSIAN)
    assert not {"rosenbrock", "himmelblau"} & set(CONSTANT_HESSIAN)
    np.testing.assert_array_equal(SURFACES["bowl"].hessian, [[2, 0], [0, 4]])
    np.testing.assert_array_equal(SURFACES["coupled"].hessian, [[2, 1], [1, 2]])
    np.testing.assert_array_equal(SURFACES["ravine"].hessian, [[1, 0], [0, 50]])
    # the ravine's condition number λmax/λmin
    eig = np.linalg.eigvalsh(SURFACES["ravine"].hessian)
    assert eig[-1] / eig[0] == 50.0
    for key in CONSTANT_HESSIAN:
        assert not SURFACES[key].hessian.flags.writeable


def test_non_quadratic_hessians_really_vary():
    for key in ("rosenbrock", "himmelblau"):
        s = SURFACES[key]
        assert not np.allclose(
            numeric_hessian(s, np.array([0.0, 0.0])), numeric_hessian(s, np.array([1.0, 2.0]))
        )


def test_stable_lr_is_two_over_lambda_max():
    assert stable_lr("bowl") == 2 / 4
    assert stable_lr("coupled") == pytest.approx(2 / 3)  # eigenvalues 1 and 3
    assert stable_lr("ravine") == pytest.approx(2 / 50)
    assert stable_lr("saddle") == pytest.approx(2 / 2)  # the curving-up direction only
    assert stable_lr("rosenbrock") is None and stable_lr("himmelblau") is None


# ---------------------------------------------------------------------------------------------
# the overflow-safe polynomial form


@settings(max_examples=40, deadline=None)
@given(
    key=st.sampled_from(KEYS),
    w1=st.floats(min_value=-1e3, max_value=1e3, allow_nan=False),
    w2=st.floats(min_value=-1e3, max_value=1e3, allow_nan=False),
)
def test_polynomial_terms_are_the_same_surface(key, w1, w2):
    s = SURFACES[key]
    a1, a2 = np.array([w1]), np.array([w2])
    scale = 1.0 + max(abs(w1), abs(w2)) ** 4  # cancellation error grows with the largest term
    assert _poly_scaled(s.terms, a1, a2)[0] == pytest.approx(float(s.f(w1, w2)), abs=1e-12 * scale)
    g = s.grad([w1, w2])
    for axis in (0, 1):
        got = _poly_scaled(_derivative_terms(s.terms, axis), a1, a2)[0]
        assert got == pytest.approx(g[axis], abs=1e-12 * scale)


huge = st.floats(allow_nan=False, allow_infinity=False)


@settings(max_examples=80, deadline=None)
@given(key=st.sampled_from(KEYS), w1=huge, w2=huge)
def test_no_nan_and_no_warnings_for_any_finite_input(key, w1, w2):
    s = SURFACES[key]
    z = s.f(w1, w2)
    g = s.grad([w1, w2])
    assert not np.isnan(z) and not np.any(np.isnan(g))
    # a finite answer wherever the inputs are small enough for it to be representable
    if max(abs(w1), abs(w2)) < 1e60:
        assert np.isfinite(z) and np.all(np.isfinite(g))


def test_extreme_values_are_right_not_just_finite():
    saddle, coupled, himmelblau = SURFACES["saddle"], SURFACES["coupled"], SURFACES["himmelblau"]
    # w1² − w2² with w1 = w2: the squares overflow but the difference is exactly 0
    assert saddle.f(1e200, 1e200) == 0.0
    assert saddle.f(1e308, -1e308) == 0.0
    # positive definite: the true value overflows to +inf (naively inf + inf − inf = nan)
    assert coupled.f(1e200, -1e200) == math.inf
    # 2(w1 − 2) + w2 = 2e308 − 1.7e308 − 4 fits although 2·w1 does not
    assert coupled.grad([1e308, -1.7e308])[0] == pytest.approx(0.3e308, rel=1e-12)
    # dominated by 4·w1³ and 4·w2³ (naively −inf + inf = nan)
    np.testing.assert_array_equal(himmelblau.grad([-1e154, 1e154]), [-math.inf, math.inf])
    assert SURFACES["bowl"].f(1e300, 0.0) == math.inf
    assert SURFACES["rosenbrock"].f(-1e300, 1e300) == math.inf


def test_non_finite_inputs_propagate_quietly():
    s = SURFACES["saddle"]
    assert np.isnan(s.f(math.nan, 1.0))
    assert np.isnan(s.f(math.inf, math.inf))  # inf − inf: undefined, and no warning


# ---------------------------------------------------------------------------------------------
# Tests for the direction helpers of core.surfaces used by the Gradients page.
# ---------------------------------------------------------------------------------------------
def in_domain_of(key: str, u1: float, u2: float) -> np.ndarray:
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


@pytest.mark.parametrize(
    ("w", "expected"), [((1.0, 0.0), 0.0), ((0.0, 1.0), 90.0), ((-1.0, 0.0), 180.0), ((0.0, -1.0), 270.0)]
)
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
    w = in_domain_of(key, u1, u2)
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
    w = in_domain_of(key, u1, u2)
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
