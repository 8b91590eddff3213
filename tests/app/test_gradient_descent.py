"""Interaction tests for the gradient_descent page: article numbers, presets, divergence, step-through."""

from __future__ import annotations

import base64
import json
import re
import zlib

import numpy as np
import pytest

from core.optimizers import OPTIMIZERS
from core.surfaces import SURFACES
from tests.support import assert_ok, badges, open_page, prose
from ui.navigation import page_by_url

pytestmark = pytest.mark.timeout(300)

PAGE = page_by_url("gradient_descent")
PRESETS = ["article", "too_large", "ravine", "rosenbrock", "saddle"]


PLAYER = "gradient_descent.player"


def player_data(at) -> dict:
    """The data the page hands the player component (AppTest sees the component as an element)."""

    def walk(node):
        for child in getattr(node, "children", {}).values():
            if type(child).__name__ == "UnknownElement" and child.type == "bidi_component":
                yield child
            yield from walk(child)

    return json.loads(next(e for e in walk(at.main) if e.key == PLAYER).proto.json)


def _floats(blob: dict) -> np.ndarray:
    raw = base64.b64decode(blob["b64"])
    return np.frombuffer(zlib.decompress(raw) if blob["z"] else raw, dtype="<f4").astype(np.float64)


def dataset(at, name: str) -> dict:
    """What the player draws at the current step t, as {column: list}: 'paths' (θ₀ … θₜ per optimizer),
    'current' (θₜ), 'losses' (every step's loss per optimizer)."""
    data, t = player_data(at), step_value(at)
    map_panel, curve = data["panels"]
    out: dict[str, list] = {}
    if name in ("paths", "current"):
        for path in map_panel["paths"]:
            points = _floats(path["points"]).reshape(-1, 2)
            steps = list(range(min(t, len(points) - 1) + 1)) if name == "paths" else [min(t, len(points) - 1)]
            for c, values in (
                ("series", [path["name"]] * len(steps)),
                ("step", steps),
                ("x", [float(points[i, 0]) for i in steps]),
                ("y", [float(points[i, 1]) for i in steps]),
            ):
                out.setdefault(c, []).extend(values)
        return out
    if name == "losses":
        for series in curve["series"]:
            values = _floats(series["values"])
            out.setdefault("series", []).extend([series["name"]] * len(values))
            out.setdefault("step", []).extend(range(len(values)))
            out.setdefault("value", []).extend(float(v) for v in values)
        return out
    raise KeyError(name)


def text(at) -> str:
    return "\n".join(m.value for m in at.markdown)


def query(at) -> dict:
    return {k: at.query_params[k] for k in at.query_params}


def step_value(at) -> int:
    """The step the page shows (the player's reported frame): read off the step table's heading."""
    return int(re.search(r"\*\*Step t = (\d+):\*\*", text(at)).group(1))


# ---------------------------------------------------------------------------------------------


def test_default_is_the_articles_demo_with_its_final_numbers():
    at = open_page(PAGE)
    assert_ok(at)
    q = query(at)
    assert (q["surface"], q["w1"], q["w2"], q["lr"], q["steps"], q["opts"]) == (
        "bowl",
        "4",
        "3",
        "0.1",
        "50",
        "sgd",
    )
    body = text(at)
    # The article prints Final parameters: [5.70899077e-05 2.42484383e-11]; the loss is 3.259e-09
    assert "(5.7090e-05, 2.4248e-11)" in body
    assert "3.2593e-09" in body
    assert "Final parameters: [5.70899077e-05 2.42484383e-11]" in "\n".join(prose(at))  # a note in small type
    assert any("Article demo" in i.value for i in at.info)
    assert not at.warning
    assert badges(at) == ["green", "green", "green"]  # ∂L/∂w₁, ∂L/∂w₂ at θ₀; loop vs closed form
    paths = dataset(at, "paths")
    assert set(paths["series"]) == {"SGD"} and max(paths["step"]) == 50
    assert paths["x"][0] == 4.0 and paths["y"][0] == 3.0
    losses = dataset(at, "losses")
    assert len(losses["step"]) == 51 and min(losses["value"]) > 0


@pytest.mark.parametrize("preset", PRESETS)
def test_each_preset_changes_the_link_and_the_drawn_paths(preset):
    # start from a setting no preset uses, so every preset has something to change
    at = open_page(
        PAGE,
        {"surface": "coupled", "w1": "5", "w2": "-1", "lr": "0.2", "steps": "30", "opts": "nesterov,rmsprop"},
    )
    assert_ok(at)
    before_q, before_paths = query(at), dataset(at, "paths")
    at.button(key=f"gradient_descent.preset_{preset}").click().run()
    assert_ok(at)
    after_q, after_paths = query(at), dataset(at, "paths")
    assert after_q != before_q
    assert after_paths != before_paths
    expected = {
        "article": ("bowl", {"SGD"}, "0.1"),
        "too_large": ("bowl", {"SGD"}, "0.6"),
        "ravine": ("ravine", {"SGD", "Momentum"}, "0.03"),
        "rosenbrock": ("rosenbrock", {"SGD", "Adam"}, "0.002"),
        "saddle": ("saddle", {"SGD", "Momentum", "Adam"}, "0.05"),
    }[preset]
    assert after_q["surface"] == expected[0] and after_q["lr"] == expected[2]
    assert set(after_paths["series"]) == expected[1]
    assert int(after_q["step"]) == int(after_q["steps"])  # the whole path is shown
    # the settings of the optimizers the preset dropped left the link
    assert not any(k.startswith(("nesterov_", "rmsprop_")) for k in after_q)
    assert any(
        preset_label in i.value
        for i in at.info
        for preset_label in ("Article demo", "Too large η", "Ravine", "Rosenbrock", "Saddle")
    )


def test_rosenbrock_preset_gives_each_optimizer_its_own_learning_rate():
    at = open_page(PAGE)
    at.button(key="gradient_descent.preset_rosenbrock").click().run()
    assert_ok(at)
    q = query(at)
    assert (q["own_lr"], q["lr_sgd"], q["lr_adam"]) == ("1", "0.002", "0.1")
    body = text(at)
    assert "| SGD | 0.002 |" in body and "| Adam | 0.1 |" in body
    assert not at.warning  # both stay stable
    # switching the per-optimizer η off removes it from the link and runs both at the shared η
    at.toggle(key="gradient_descent.own_lr").set_value(False).run()
    assert_ok(at)
    assert "lr_sgd" not in query(at) and "| Adam | 0.002 |" in text(at)


def test_too_large_a_learning_rate_is_a_lesson_not_a_crash():
    at = open_page(PAGE, {"lr": "0.6"})
    assert_ok(at)
    notes = [w.value for w in at.warning]
    assert len(notes) == 1
    assert "diverged at step 22" in notes[0] and "η = 0.6 > 2/λmax = 0.5" in notes[0]
    assert "λmax = 4" in notes[0] and "the w₂ axis" in notes[0] and "1.4" in notes[0]
    paths = dataset(at, "paths")
    assert max(paths["step"]) == 22  # the path stops at the divergence step
    assert "diverged at step 22" in text(at)
    # the map keeps the surface's own domain (the bowl's ±5 plus half a cell)
    assert max(abs(v) for v in player_data(at)["panels"][0]["extent"]) < 6
    losses = dataset(at, "losses")
    assert np.all(np.isfinite(losses["value"])) and max(losses["value"]) > 1e6


@pytest.mark.parametrize("lr", ["0.7", "1", "2"])
def test_much_larger_learning_rates_too(lr):
    at = open_page(PAGE, {"lr": lr, "steps": "500", "opts": "sgd,momentum,nesterov,rmsprop,adam"})
    assert_ok(at)
    assert any("diverged" in w.value and "2/λmax = 0.5" in w.value for w in at.warning)


def test_the_stability_edge_and_just_beyond():
    at = open_page(PAGE, {"lr": "0.5"})
    assert_ok(at)
    assert any("exactly on the edge" in i.value for i in at.info) and not at.warning
    at = open_page(PAGE, {"lr": "0.51"})
    assert_ok(at)
    assert any("diverging slowly" in w.value and "1.04" in w.value for w in at.warning)
    at = open_page(PAGE, {"lr": "0.49"})
    assert_ok(at)
    assert not at.warning and not any("edge" in i.value for i in at.info)


def test_momentum_divergence_quotes_its_own_bound():
    at = open_page(PAGE, {"surface": "ravine", "w1": "-9", "w2": "1.5", "lr": "0.1", "opts": "momentum"})
    assert_ok(at)
    assert any("2(1+β)/λmax = 0.076" in w.value and "β = 0.9" in w.value for w in at.warning)


def test_saddle_escape_is_explained_and_drawn_on_a_symlog_axis():
    at = open_page(PAGE)
    at.button(key="gradient_descent.preset_saddle").click().run()
    assert_ok(at)
    assert any("escape, not an instability" in w.value for w in at.warning)
    assert player_data(at)["panels"][1]["symlog"] is True
    assert any(v < 0 for v in dataset(at, "losses")["value"])


def test_rosenbrock_divergence_uses_the_local_curvature():
    at = open_page(PAGE, {"surface": "rosenbrock", "w1": "-1.2", "w2": "1", "lr": "0.01"})
    assert_ok(at)
    notes = [w.value for w in at.warning]
    assert notes and "central differences of ∇L" in notes[0] and "diverged at step" in notes[0]


def test_a_reported_step_reveals_the_path_and_shows_that_steps_numbers():
    at = open_page(PAGE)
    at.session_state[PLAYER] = {"frame": 1}  # what the player's Step/Pause/scrub reports
    at.run()
    assert_ok(at)
    assert query(at)["step"] == "1"
    paths = dataset(at, "paths")
    assert paths["step"] == [0, 1]
    assert dataset(at, "current")["step"] == [1]
    # step 1 of the article's demo: θ₁ = (3.2, 1.8), ∇L(θ₁) = (6.4, 7.2), η∇L = (0.64, 0.72)
    body = text(at)
    assert "| SGD | 1 | (3.2000, 1.8000) |" in body and "(6.4000, 7.2000) | (0.6400, 0.7200) |" in body


def test_step_from_a_link():
    at = open_page(PAGE, {"steps": "100", "step": "80"})
    assert_ok(at)
    assert step_value(at) == 80 and max(dataset(at, "paths")["step"]) == 80
    assert player_data(at)["frame"] == 80 and player_data(at)["n"] == 101


def test_fewer_steps_clamp_the_step():
    at = open_page(PAGE)
    at.slider(key="gradient_descent.steps").set_value(10).run()
    assert_ok(at)
    assert step_value(at) == 10 and query(at)["step"] == "10"


def test_the_player_gets_every_run_once_and_a_preset_replays_from_the_end():
    at = open_page(PAGE, {"opts": "sgd,adam"})
    data = player_data(at)
    assert data["label"] == "Step t" and data["autoplay"] is False and data["frame"] == 50
    assert [p["name"] for p in data["panels"][0]["paths"]] == ["SGD", "Adam"]
    assert data["panels"][0]["static"] is True  # the map's background is one image, not one per frame
    at.session_state[PLAYER] = {"frame": 7}
    at.run()
    assert step_value(at) == 7
    at.button(key="gradient_descent.preset_ravine").click().run()
    assert_ok(at)
    assert step_value(at) == 100 and player_data(at)["seek"] == 1 and player_data(at)["frame"] == 100
    assert "_playing" not in json.dumps(query(at))


def test_changing_the_surface_resets_the_start():
    at = open_page(PAGE)
    at.selectbox(key="gradient_descent.surface").select("ravine").run()
    assert_ok(at)
    q = query(at)
    assert (q["w1"], q["w2"]) == ("-9", "1.5")
    assert dataset(at, "paths")["x"][0] == -9.0


def test_five_optimizers_and_500_steps_stay_small():
    at = open_page(PAGE, {"steps": "500", "opts": "sgd,momentum,nesterov,rmsprop,adam", "lr": "0.05"})
    assert_ok(at)
    assert len(json.dumps(player_data(at))) < 250_000  # 5 paths of 501 points and the map, once
    assert len(set(dataset(at, "paths")["series"])) == 5


def test_the_step_follows_the_end_when_it_was_there():
    at = open_page(PAGE)
    at.slider(key="gradient_descent.steps").set_value(100).run()
    assert_ok(at)
    assert step_value(at) == 100 and max(dataset(at, "paths")["step"]) == 100
    at.session_state[PLAYER] = {"frame": 10}
    at.run()
    at.slider(key="gradient_descent.steps").set_value(200).run()
    assert_ok(at)
    assert step_value(at) == 10  # a step chosen by hand stays


@pytest.mark.parametrize("surface", list(SURFACES))
@pytest.mark.parametrize("lr", ["0.0001", "2"])
def test_every_surface_with_every_optimizer_at_extreme_learning_rates(surface, lr):
    at = open_page(PAGE, {"surface": surface, "lr": lr, "steps": "500", "opts": ",".join(OPTIMIZERS)})
    assert_ok(at)
    assert not at.error
    if lr == "2":  # far beyond every plain-gradient bound here: explained, never silent
        assert any("diverged" in w.value or "left the map" in w.value for w in at.warning)
    for name in ("paths", "current", "losses"):
        for column in dataset(at, name).values():
            assert all(np.isfinite(v) for v in column if isinstance(v, float))


def test_framework_notes_are_shown_next_to_the_formulas():
    at = open_page(PAGE, {"opts": "nesterov,rmsprop"})
    captions = " ".join(c.value for c in at.caption)
    assert "0.99" in captions and "PyTorch refuses Nesterov" in captions


def test_the_checks_are_one_box_and_the_local_curvature_note_follows_the_start():
    # a step of the start re-sends every element that depends on it: the three checks are one element
    at = open_page(PAGE)
    boxes = [m.value for m in at.markdown if "-badge[" in m.value]
    assert len(boxes) == 1 and boxes[0].count("-badge[") == 3
    assert boxes[0].index("∂L/∂w₁") < boxes[0].index("∂L/∂w₂") < boxes[0].index("SGD: θ after 50 steps")
    # where the curvature varies, the η note is read at the start: it is drawn with Start w₁, not above it
    at = open_page(PAGE, {"surface": "rosenbrock", "w1": "-1.2", "w2": "1", "lr": "0.002"})

    def lam() -> str:
        notes = [c.value for c in at.caption if "λmax ≈" in c.value]
        assert len(notes) == 1
        return re.search(r"λmax ≈ ([\d.]+)", notes[0]).group(1)

    before = lam()
    at.slider(key="gradient_descent.w1").set_value(-1.0).run()
    assert_ok(at)
    assert lam() != before and query(at)["w1"] == "-1"
