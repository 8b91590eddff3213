"""Interaction tests for the Activations page (the generic tests cover rendering and bad links)."""

from __future__ import annotations

import re

import numpy as np
import pytest

from core.activations import ACTIVATIONS, saturation_intervals
from core.gradient_check import activation_check
from tests.support import Stepper, assert_ok, charts, notices, open_page
from ui.navigation import page_by_url
from ui.shell import check_level

pytestmark = pytest.mark.timeout(300)

PAGE = page_by_url("activations")
ARTICLE_FIVE = ["sigmoid", "tanh", "relu", "leaky_relu", "gelu"]
RANGES = list(range(2, 21))  # the x range stepper's positions: ±2 … ±20
LEVELS = {"✓": "green", "⚠": "orange", "✗": "red"}


def rng(at) -> Stepper:
    return Stepper(at, "activations.xmax")


def half(at) -> int:
    return RANGES[rng(at).value]


def levels(at) -> list[str]:
    """The check's verdicts at the stepper's position, one per activation ('green' / 'orange' / 'red')."""
    return [LEVELS[m] for m in re.findall(r"\*\*([✓⚠✗]) (?:agree|suspicious|disagree)\*\*", rng(at).text())]


def panels(at) -> tuple[dict, dict]:
    f, df = rng(at).blocks("xy")
    return f, df


def curves(at, panel: int = 0) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Each activation's drawn line on the f (0) or f′ (1) panel: name -> (x, y)."""
    return {
        it["name"]: (np.array(it["x"], dtype=float), np.array(it["y"], dtype=float))
        for it in panels(at)[panel]["items"]
        if it["kind"] == "line"
    }


def at_frame(block: dict, field: str, frame: int):
    return block[field][min(frame, len(block[field]) - 1)]


def bands(at) -> dict[str, list[tuple[float, float]]]:
    """The strip's saturated stretches at the stepper's position: activation name -> [(x0, x1)]."""
    f = rng(at).value
    df = panels(at)[1]
    out = {}
    for it in df["items"]:
        if it["kind"] == "band" and "lane" in it:
            spans = at_frame(it, "x", f)
            if spans:
                out[df["lanes"][it["lane"]]] = [tuple(s) for s in spans]
    return out


def x_domain(at) -> list[float]:
    return at_frame(panels(at)[0], "xDomains", rng(at).value)


def _sliders(at) -> set[str]:
    return {s.key for s in at.slider}


def _set_acts(at, keys):
    at.multiselect(key="activations.acts").set_value(list(keys)).run()
    assert_ok(at)


def _registry(key: str, x: np.ndarray, **p) -> tuple[np.ndarray, np.ndarray]:
    act = ACTIVATIONS[key]
    return act.fn(x, **p), act.grad(x, **p)


def test_defaults_are_the_articles_five_with_green_checks():
    at = open_page(PAGE)
    assert_ok(at)
    assert at.multiselect(key="activations.acts").value == ARTICLE_FIVE
    assert list(curves(at)) == [ACTIVATIONS[k].name for k in ARTICLE_FIVE]
    assert list(curves(at, 1)) == [ACTIVATIONS[k].name for k in ARTICLE_FIVE]
    assert levels(at) == ["green"] * 5
    assert half(at) == 8 and x_domain(at) == [-8, 8] and at.query_params["xmax"] == "8"
    assert rng(at).max == len(RANGES) - 1
    assert rng(at).data["values"] == [str(v) for v in RANGES]
    # neither the drawn grid nor the checked one contains the kink at 0 (even point counts, symmetric)
    assert not any(np.any(x == 0.0) for x, _ in curves(at).values())
    assert rng(at).text().count("worst of 300 points") == 5
    assert not notices(at) and not at.error
    assert not charts(at), "the chart is the stepper's now, not a Vega chart"


def test_adding_an_activation_adds_a_series_and_a_check():
    at = open_page(PAGE)
    before = len(curves(at))
    _set_acts(at, [*ARTICLE_FIVE, "softplus"])
    assert len(curves(at)) == before + 1
    assert "Softplus" in curves(at)
    assert levels(at) == ["green"] * 6
    # and its values are the registry's (to the payload's 4 significant digits)
    x, y = curves(at)["Softplus"]
    f, df = _registry("softplus", x)
    np.testing.assert_allclose(y, f, rtol=1e-3, atol=2e-3)
    x, y = curves(at, 1)["Softplus"]
    np.testing.assert_allclose(y, _registry("softplus", x)[1], rtol=1e-3, atol=2e-3)
    _set_acts(at, ["tanh"])
    assert list(curves(at)) == ["Tanh"]
    assert levels(at) == ["green"]


def test_every_activation_at_once_over_the_widest_range_stays_green():
    at = open_page(PAGE, {"acts": ",".join(ACTIVATIONS), "xmax": "20"})
    assert_ok(at)
    assert half(at) == 20 and x_domain(at) == [-20, 20]
    assert len(curves(at)) == len(ACTIVATIONS)
    assert levels(at) == ["green"] * len(ACTIVATIONS)


def test_alpha_sliders_appear_with_their_activation_and_change_the_curve():
    at = open_page(PAGE)
    assert "activations.leaky_alpha" in _sliders(at)
    assert "activations.elu_alpha" not in _sliders(at)

    at.slider(key="activations.leaky_alpha").set_value(0.3).run()
    assert_ok(at)
    x, y = curves(at)["Leaky ReLU"]
    np.testing.assert_allclose(y[x < 0], 0.3 * x[x < 0], rtol=1e-3)
    dx, dy = curves(at, 1)["Leaky ReLU"]
    np.testing.assert_allclose(dy[dx < 0], 0.3)
    assert at.query_params["leaky_alpha"] == "0.3"
    assert levels(at) == ["green"] * 5

    _set_acts(at, ["sigmoid", "elu"])
    assert "activations.leaky_alpha" not in _sliders(at)
    assert "activations.elu_alpha" in _sliders(at)
    x, y = curves(at)["ELU"]
    elu_min = y[(x >= -8) & (x <= 8)].min()
    at.slider(key="activations.elu_alpha").set_value(2.5).run()
    assert_ok(at)
    x, y = curves(at)["ELU"]
    shown = y[(x >= -8) & (x <= 8)]
    assert shown.min() < elu_min - 1.0
    assert shown.min() == pytest.approx(-2.5, abs=1e-2)  # ELU → −α for very negative x
    assert at.query_params["elu_alpha"] == "2.5"
    assert levels(at) == ["green", "green"]
    table = next(m.value for m in at.markdown if "| Range |" in m.value)
    assert "(-2.5, ∞)" in table and "**2.5** at x → 0⁻" in table


def test_alpha_from_a_link():
    at = open_page(PAGE, {"acts": "leaky_relu", "leaky_alpha": "0.2", "xmax": "4"})
    assert_ok(at)
    assert at.slider(key="activations.leaky_alpha").value == pytest.approx(0.2)
    x, y = curves(at)["Leaky ReLU"]
    np.testing.assert_allclose(y[x < 0], 0.2 * x[x < 0], rtol=1e-3)
    assert half(at) == 4 and x_domain(at) == [-4, 4]


def test_saturation_bands_and_peak_annotations():
    at = open_page(PAGE)
    by = bands(at)
    # sigmoid: |σ′| < 1 % of ¼ beyond |x| ≈ 6; ReLU: the whole negative side; leaky ReLU (α = 0.01): nowhere
    (a, b), (c, d) = by["Sigmoid"]
    assert a == -8 and d == 8 and b == pytest.approx(-6.0, abs=0.05) and c == pytest.approx(6.0, abs=0.05)
    assert by["ReLU"] == [(-8.0, pytest.approx(0.0, abs=0.03))]
    assert "Leaky ReLU" not in by
    (lo, hi), *_ = by["Tanh"]
    assert lo == -8 and hi == pytest.approx(-3.0, abs=0.05)
    assert panels(at)[1]["lanes"] == [ACTIVATIONS[k].name for k in ARTICLE_FIVE]

    marks = [it for it in panels(at)[1]["items"] if it["kind"] == "points"]
    peaks = {at_frame(m, "labels", 6)[0]: at_frame(m, "xy", 6)[0] for m in marks}
    assert peaks["max ¼"] == [0.0, 0.25]
    assert len(marks) == 3  # sigmoid, tanh and GELU: the ones with a single peak point


def test_hover_is_client_side():
    at = open_page(PAGE)
    f, df = panels(at)
    assert f["hover"] == df["hover"] == "activations"  # one pointer moves both panels' marks
    for it in f["items"]:  # every f line carries f′ for the hover's tangent
        key = next(k for k in ACTIVATIONS if ACTIVATIONS[k].name == it["name"])
        x = np.array(it["x"], dtype=float)
        np.testing.assert_allclose(it["slope"], ACTIVATIONS[key].grad(x), rtol=1e-3, atol=2e-3)


def test_peak_table_and_link_to_vanishing_gradients():
    at = open_page(PAGE)
    table = next(m.value for m in at.markdown if "| Range |" in m.value)
    assert "**0.25** at x = 0" in table and "transformers" in table
    text = "\n".join(m.value for m in at.markdown)
    assert "¼" in text
    vg = page_by_url("vanishing_gradients")
    if vg.exists:
        links = at.get("page_link")
        assert any("Vanishing gradients" in link.value for link in links)
    else:
        assert "(/vanishing_gradients)" in text


def test_x_range_changes_the_grid_and_the_check():
    at = open_page(PAGE)
    rng(at).set_value(0).run()
    assert_ok(at)
    assert half(at) == 2 and x_domain(at) == [-2, 2]
    assert at.query_params["xmax"] == "2"  # the link keeps the range, not the position
    assert levels(at) == ["green"] * 5
    assert "worst of 300 points" in rng(at).text()


@pytest.mark.parametrize(("raw", "shown"), [("13", 13), ("2", 2), ("20", 20), ("13.0", 13)])
def test_an_xmax_link_lands_on_its_range(raw, shown):
    at = open_page(PAGE, {"xmax": raw})
    assert_ok(at)
    assert half(at) == shown and x_domain(at) == [-shown, shown]
    assert at.query_params["xmax"] == str(shown)
    assert not notices(at)


@pytest.mark.parametrize("raw", ["25", "1", "3.5", "wide"])
def test_an_invalid_xmax_link_gives_the_sliders_notice(raw):
    at = open_page(PAGE, {"xmax": raw})
    assert half(at) == 8 and at.query_params["xmax"] == "8"
    assert any("`xmax`" in n for n in notices(at))


def test_empty_selection_asks_for_one():
    at = open_page(PAGE)
    _set_acts(at, [])
    assert any("Pick at least one" in i.value for i in at.info)
    assert not rng(at).blocks("xy") and not charts(at)
    assert rng(at).data is not None and at.query_params["xmax"] == "8"  # the x range stays


def test_alpha_changes_the_peak_table_and_the_x_range_does_not():
    at = open_page(PAGE, {"acts": "elu", "elu_alpha": "2.5", "xmax": "2"})
    assert_ok(at)
    table = next(m.value for m in at.markdown if "| Range |" in m.value)
    assert "**2.5** at x → 0⁻" in table  # the peak is over all x, not only the plotted [−2, 2]
    rng(at).set_value(len(RANGES) - 1).run()
    assert_ok(at)
    assert next(m.value for m in at.markdown if "| Range |" in m.value) == table
    assert x_domain(at) == [-20, 20] and at.query_params["xmax"] == "20"


def test_every_range_shows_core_s_check_and_bands():
    """Every position of the stepper (not only the one on screen) against a fresh core computation: the
    worst point of the check on that range's grid, its verdict, and the saturated stretches."""
    keys = ["sigmoid", "elu", "gelu"]
    at = open_page(PAGE, {"acts": ",".join(keys), "elu_alpha": "2"})
    assert_ok(at)
    check = rng(at).blocks("text")[-1]
    df = panels(at)[1]
    lanes = {it["lane"]: it for it in df["items"] if it["kind"] == "band" and "lane" in it}
    for frame, r in enumerate(RANGES):
        xs = np.linspace(-r, r, 300)
        lines = [p["runs"] for p in at_frame(check, "paras", frame)]
        assert len(lines) == len(keys)
        for i, (k, runs) in enumerate(zip(keys, lines, strict=True)):
            p = {"alpha": 2.0} if k == "elu" else {}
            worst = activation_check(ACTIVATIONS[k], xs, h=1e-5, frac=0.01, **p).worst
            text = "".join(t for _, t in runs)
            assert f"f′({worst.value:.3f})" in text, (r, k, text)
            assert f"relative error {worst.score:.1e}" in text
            assert LEVELS[re.search(r"([✓⚠✗]) ", text).group(1)] == check_level(worst.score)
            want = saturation_intervals(ACTIVATIONS[k], xs, 0.01, **p)
            got = at_frame(lanes[i], "x", frame)
            np.testing.assert_allclose(np.array(got).reshape(-1, 2), np.array(want).reshape(-1, 2), atol=1e-3)
        assert at_frame(panels(at)[0], "xDomains", frame) == [-r, r]


def test_the_drawn_curves_are_exact_at_the_narrowest_range():
    """One line per curve serves every range: at the narrowest (±2, the largest scale), the line through
    the drawn samples stays within half a pixel of f and f′ (on a 1000 × 500 px plot) at every grid point."""
    at = open_page(PAGE, {"acts": ",".join(ACTIVATIONS), "xmax": "2"})
    assert_ok(at)
    xs = np.linspace(-2, 2, 2001)
    for panel in (0, 1):
        lo, hi = at_frame(panels(at)[panel], "yDomains", 0)
        px = (hi - lo) / 500
        for name, (x, y) in curves(at, panel).items():
            key = next(k for k in ACTIVATIONS if ACTIVATIONS[k].name == name)
            want = _registry(key, xs)[panel]
            err = np.abs(np.interp(xs, x, y) - want)
            away = np.abs(xs) > 0.01  # the kinks at 0: a step in f′ is drawn across one fine grid cell
            assert np.max(err[away]) <= 0.5 * px + 1e-3 * np.max(np.abs(want)), (name, panel)
