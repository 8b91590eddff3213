"""The Network playground page: pasted points (good and bad), points in the link, export = page numbers."""

from __future__ import annotations

import base64
import json
import re
import subprocess
import sys
import zlib

import numpy as np
import pytest

from tests.support import assert_ok, badges, open_page
from ui.navigation import page_by_url

pytestmark = pytest.mark.timeout(300)
PAGE = page_by_url("playground")
CSV_BOX = "playground_csv_text"
PLAYER = "playground.player"


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


def _player_data(at) -> dict:
    """The data the page hands the replay player (AppTest sees the component as an element)."""

    def walk(node):
        for child in getattr(node, "children", {}).values():
            if type(child).__name__ == "UnknownElement" and child.type == "bidi_component":
                yield child
            yield from walk(child)

    return json.loads(next(e for e in walk(at.main) if e.key == PLAYER).proto.json)


def _decode(blob: dict) -> np.ndarray:
    raw = base64.b64decode(blob["b64"])
    raw = zlib.decompress(raw) if blob["z"] else raw
    if blob["dtype"] == "f32":
        return np.frombuffer(raw, dtype="<f4")
    out = np.frombuffer(raw, dtype=np.uint8).reshape(-1, blob["size"])
    return np.cumsum(out, axis=0, dtype=np.uint64).astype(np.uint8) if blob["delta"] else out


def _pause(at, frame: int):
    at.session_state[PLAYER] = {"frame": frame}  # what the component's setStateValue("frame", i) stores
    at.run()
    assert_ok(at)
    return at


def _fresh(epochs: int, **settings) -> tuple:
    """A fresh core run of the page's default settings stopped after `epochs` epochs (the reference)."""
    from core.datasets import make_dataset
    from core.mlp import MLP

    s = {"n": 200, "noise": 0.1, "hidden": [6, 6], "lr": 0.3, "batch": 10, **settings}
    d = make_dataset("circles", s["n"], s["noise"], 0)
    net = MLP([2, *s["hidden"], 1], "tanh", "ce", "xavier", 1)
    net.train(d.X_train, d.y_train, epochs, s["lr"], batch_size=s["batch"])
    return net, d


def test_defaults_play_from_epoch_0_and_a_pause_at_the_end_trains_and_checks() -> None:
    at = open_page(PAGE)
    assert_ok(at)
    data = _player_data(at)
    assert data["n"] == 201 and data["epochs"] == {"first": 0, "every": 1} and data["autoplay"] is True
    assert [p["type"] for p in data["panels"]] == ["network", "map", "curve"]
    assert _metric(at, "Epoch (of 200)") == "0"  # the player starts at the untrained network and plays
    assert float(_metric(at, "Test accuracy").split()[0]) < 95.0
    _pause(at, 200)
    assert _metric(at, "Epoch (of 200)") == "200"
    assert float(_metric(at, "Test accuracy").split()[0]) >= 95.0
    assert badges(at) == ["green"]
    assert at.query_params["epoch"] in ("200", ["200"])
    assert json.dumps(_player_data(at)) == json.dumps(data)  # a pause re-sends nothing new (same data)
    linked = open_page(PAGE, {"epoch": "120"})  # a shared link opens paused on its epoch
    assert _metric(linked, "Epoch (of 200)") == "120"
    assert _player_data(linked)["autoplay"] is False


def test_a_paused_frame_equals_a_fresh_run_stopped_there() -> None:
    at = _pause(open_page(PAGE), 73)
    assert _metric(at, "Epoch (of 200)") == "73"
    net, d = _fresh(73)
    assert _metric(at, "Train loss") == f"{net.loss(d.X_train, d.y_train):.4f}"
    assert "at epoch 73" in " ".join(h.value for h in at.subheader)
    data = _player_data(at)
    w1 = _decode(data["panels"][0]["weights"][0]).reshape(201, 2, 6)
    assert np.allclose(w1[73], net.W1, atol=1e-6)  # float32 on the wire: drawing only
    maps = _decode(data["panels"][1]["maps"]).reshape(201, 24, 24)
    xs = np.linspace(d.extent[0], d.extent[1], 24)
    ys = np.linspace(d.extent[2], d.extent[3], 24)
    gx, gy = np.meshgrid(xs, ys)
    p = net.predict(np.column_stack([gx.ravel(), gy.ravel()]))[:, 0].astype(np.float32).reshape(24, 24)
    assert np.max(np.abs(maps[73].astype(int) - np.rint(p * 255).astype(int))) <= 1
    units = _decode(data["panels"][0]["unitMaps"][1]).reshape(201, 6, 12, 12)  # layer 1's six unit maps
    assert units.std() > 10  # the maps are pictures, not constants
    assert len(json.dumps(data)) < 400_000


def test_the_chain_rule_table_is_the_weights_path_at_the_paused_frame() -> None:
    at = _pause(open_page(PAGE), 73)
    table = next(m.value for m in at.markdown if m.value.startswith("| link | what it is |"))
    lines = table.split("\n\n")[0].splitlines()
    net, d = _fresh(73)
    path = net.chain_path(d.X_train, d.y_train, "W1[0,0]")  # the default weight
    assert lines[1] == "|---|---|---:|---:|---:|---:|"  # link and meaning left, numbers right
    assert len(lines) == 2 + len(path.steps)
    for line, step in zip(lines[2:], path.steps, strict=True):
        cells = [c.strip() for c in line.strip("|").split(" | ")]
        assert cells[0] == step.symbol
        assert cells[2] == f"{float(np.mean(step.values)):.4g}"  # the mean over the samples
        assert cells[3:] == [f"{float(v):.4g}" for v in step.values[:3]]


def test_the_largest_settings_stay_within_one_chunk() -> None:
    at = open_page(
        PAGE,
        {
            "dataset": "spirals",
            "n": "500",
            "layers": "4",
            "w1": "8",
            "w2": "8",
            "w3": "8",
            "w4": "8",
            "batch": "full",
            "epochs": "1000",
            "edge": "grad",
        },
    )
    assert_ok(at)
    data = _player_data(at)
    assert len(json.dumps(data)) < 400_000
    every = data["epochs"]["every"]  # 5 epochs a frame, or a multiple of 5 when 201 frames would not fit
    assert every % 5 == 0 and (data["n"] - 1) * every == 1000 and data["n"] >= 21
    _pause(at, data["n"] - 1)
    assert _metric(at, "Epoch (of 1000)") == "1000"
    _pause(at, 3)
    assert _metric(at, "Epoch (of 1000)") == str(3 * every)


def test_bad_csv_names_row_and_column_and_keeps_the_data() -> None:
    at = open_page(PAGE)
    before = _metric(at, "Train loss")
    _use(at, "0,0,0\n1,1,1\n0.5,oops,1")
    errors = [_plain(e.value) for e in at.error]
    assert len(errors) == 1 and "Row 3, column 2 (x2)" in errors[0] and "'oops' is not a number" in errors[0]
    assert at.session_state["playground.dataset"] == "circles"
    assert _metric(at, "Train loss") == before
    _use(at, "0,0,1\n1,1,1")  # one class only
    assert (
        "each class" in _plain(at.error[0].value) and "column 3 (label)" in _plain(at.error[0].value).lower()
    )
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
    assert at.query_params["pts"] in (
        "0.0,0.0,0;0.0,1.0,1;1.0,0.0,1;1.0,1.0,0",
        ["0.0,0.0,0;0.0,1.0,1;1.0,0.0,1;1.0,1.0,0"],
    )
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
    at = open_page(
        PAGE,
        {
            "layers": "1",
            "w1": "4",
            "epochs": "50",
            "reg": "l2",
            "reg_rate": "0.01",
            "activation": "relu",
            "batch": "20",
        },
    )
    assert_ok(at)
    assert not any("Gradient Lab playground run" in c.value for c in at.code)  # closed: not drawn
    at.session_state["playground.export_open"] = True  # the learner opens "Copy as Python"
    at.run()
    assert_ok(at)
    script = next(c.value for c in at.code if "Gradient Lab playground run" in c.value)
    page_loss = re.search(r"prints final train loss `([^`]+)`", " ".join(c.value for c in at.caption)).group(
        1
    )
    path = tmp_path / "run.py"
    path.write_text(script)
    out = subprocess.run(
        [sys.executable, "-I", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
        check=True,
    ).stdout
    assert re.search(r"final train loss (\S+)", out).group(1) == page_loss


def test_tiny_batches_are_capped_with_a_notice() -> None:
    at = open_page(PAGE, {"batch": "1", "epochs": "1000", "n": "500", "layers": "1", "w1": "2"})
    assert_ok(at)
    assert any("gradient steps" in i.value for i in at.info)
    assert _metric(at, "Epoch (of 48)") == "0"  # 12 000 steps // 250 samples per epoch
    assert _player_data(at)["n"] == 49


def test_edges_sized_by_weight_or_by_gradient() -> None:
    at = _pause(open_page(PAGE, {"edge": "grad"}), 40)
    network = _player_data(at)["panels"][0]
    net, d = _fresh(40)
    grads = net.backward(d.X_train, d.y_train)
    top = network["wmax"]  # widths travel as uint8 fractions of the largest |∂L/∂w| of the run
    assert top >= max(float(np.max(np.abs(g))) for g in grads.values())
    for k, shape in enumerate([(2, 6), (6, 6), (6, 1)]):
        widths = _decode(network["widths"][k]).reshape(201, *shape)
        np.testing.assert_allclose(widths[40] / 255 * top, np.abs(grads[f"dW{k + 1}"]), atol=top / 500)
    assert network["weights"][0]["dtype"] == "f32"  # colours still follow the sign of w
    assert "widths" not in _player_data(open_page(PAGE))["panels"][0]


def test_the_chosen_weight_is_the_highlighted_edge() -> None:
    at = open_page(PAGE, {"wl": "2", "wi": "3", "wj": "5"})
    assert _player_data(at)["panels"][0]["highlight"] == [1, 3, 5]
    assert "W2[3,5]" in " ".join(h.value for h in at.subheader)


@pytest.mark.parametrize(
    ("preset", "label", "last"),
    [("spirals", "Epoch (of 300)", "300"), ("article", "Epoch (of 1000)", "1000")],
)
def test_a_preset_opens_its_run_at_the_end(preset: str, label: str, last: str) -> None:
    at = _pause(open_page(PAGE), 30)
    at.button(key=f"playground.preset_{preset}").click().run()
    assert_ok(at)
    assert _metric(at, label) == last  # the player is sent to the new run's last frame
    assert at.query_params["epoch"] in (last, [last])
    data = _player_data(at)
    assert (data["n"] - 1) * data["epochs"]["every"] == int(last) and len(json.dumps(data)) < 400_000


@pytest.mark.parametrize(
    "query",
    [
        {"layers": "0"},
        {"output": "2", "wl": "3", "wi": "2", "wj": "1"},
        {"output": "2", "layers": "1", "wl": "2", "wj": "0", "edge": "grad"},
    ],
)
def test_other_shapes_are_drawn(query: dict) -> None:
    at = _pause(open_page(PAGE, query), 10)
    network = _player_data(at)["panels"][0]
    hidden = [6] * int(query.get("layers", "2"))
    assert network["layers"] == [2, *hidden, 1]  # two softmax outputs drawn as one map: P(class 1)
    assert len(network["unitMaps"]) == len(hidden) + 2
    assert network["highlight"] == {"3": [2, 2, 0], "2": None}.get(query.get("wl"), [0, 0, 0])


def test_changing_the_epochs_keeps_the_epoch_on_screen() -> None:
    at = _pause(open_page(PAGE), 150)
    at.selectbox(key="playground.epochs").select("1000").run()
    assert_ok(at)
    assert _metric(at, "Epoch (of 1000)") == "150"  # frame 30 of a frame every 5 epochs
    assert at.query_params["epoch"] in ("150", ["150"])
    at.run()  # later reruns (before the browser reports its new index) stay there too
    assert _metric(at, "Epoch (of 1000)") == "150"
    _pause(at, 30)  # the browser's report of the same epoch under the new index
    assert _metric(at, "Epoch (of 1000)") == "150"
