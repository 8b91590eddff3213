"""The backprop page: the article's XOR network replayed by the player, the chain rule, the gradient check."""

from __future__ import annotations

import base64
import json
import zlib

import numpy as np
import pyarrow as pa
import pytest

from core.network import TwoLayerNet, xor_data
from tests.support import assert_ok, badges, chart_datasets, charts, notices, open_page
from ui import player
from ui.navigation import page_by_url

pytestmark = pytest.mark.timeout(300)

PAGE = page_by_url("backprop")
PLAYER = "backprop.player"
# The article's script prints these (epochs 0, 100, …, 900; then the predictions after epoch 1000).
ARTICLE_LINES = ["Epoch    0: Loss = 0.133791", "Epoch  900: Loss = 0.105993"]
ARTICLE_PREDICTIONS = ["0.3080", "0.6015", "0.5661", "0.5920"]


def _lesson(at) -> str:
    return " ".join(i.value for i in at.info)


def _epoch(at) -> int:
    """The epoch the panels show: their heading ("Paused at epoch 1,000") and the lesson's "on screen"."""
    heading = next(h.value for h in at.subheader if h.value.startswith("Paused at epoch "))
    epoch = int(heading.removeprefix("Paused at epoch ").replace(",", ""))
    assert f"at epoch {epoch:,}, the loss is" in _lesson(at)
    return epoch


def _loss(at) -> str:
    """The loss on screen at the paused epoch, as the lesson states it (6 decimals)."""
    return _lesson(at).split(", the loss is **")[1].split("**")[0]


def _check_table(at):
    """The gradient check's table: drawn once its expander is opened (closed, a step does not send it)."""
    if (
        "backprop.check_table_open" not in at.session_state
        or not at.session_state["backprop.check_table_open"]
    ):
        assert not at.table  # closed (the default): not drawn
        at.session_state["backprop.check_table_open"] = True
        at.run()
        assert_ok(at)
    return at.table[0].value


def _player_data(at) -> dict:
    """The data the page hands the player component (AppTest sees the component as an element)."""

    def walk(node):
        for child in getattr(node, "children", {}).values():
            if type(child).__name__ == "UnknownElement" and child.type == "bidi_component":
                yield child
            yield from walk(child)

    element = next(e for e in walk(at.main) if e.key == PLAYER)
    return json.loads(element.proto.json)


def _decode(blob: dict) -> np.ndarray:
    raw = base64.b64decode(blob["b64"])
    raw = zlib.decompress(raw) if blob["z"] else raw
    if blob["dtype"] == "f32":
        return np.frombuffer(raw, dtype="<f4")
    out = np.frombuffer(raw, dtype=np.uint8).reshape(-1, blob["size"])
    return np.cumsum(out, axis=0, dtype=np.uint64).astype(np.uint8) if blob["delta"] else out


def _fresh(epoch: int, lr: float = 1.0, **config) -> TwoLayerNet:
    """A fresh core run stopped at `epoch` (the reference for every panel)."""
    X, y = xor_data()
    net = TwoLayerNet(**config)
    net.train(X, y, epoch, lr)
    return net


def _click(at, name: str):
    at.button(key=f"backprop.{name}").click().run()
    assert_ok(at)
    return at


def _charts(at) -> list:
    return charts(at)


def _datasets(chart) -> dict[str, pa.Table]:
    return chart_datasets(chart)


def _chart_with(at, dataset: str) -> dict[str, pa.Table]:
    for chart in _charts(at):
        data = _datasets(chart)
        if dataset in data:
            return data
    raise AssertionError(f"no chart with a {dataset!r} dataset")


def _printout(at) -> str:
    """The article's printout: drawn once its expander is opened (closed, a rerun does not send it)."""
    at.session_state["backprop.printout_open"] = True
    at.run()
    assert_ok(at)
    return "\n".join(c.value for c in at.code)


def _predictions(at) -> list[str]:
    printout = _printout(at)
    return [line.split("Prediction: ")[1][:6] for line in printout.splitlines() if "Prediction: " in line]


@pytest.fixture
def at():
    app = open_page(PAGE)
    assert_ok(app)
    return app


@pytest.fixture
def at1000():
    app = open_page(PAGE, {"epoch": "1000"})
    assert_ok(app)
    return app


def test_defaults_show_the_articles_network_at_epoch_0_and_a_player(at) -> None:
    assert _epoch(at) == 0
    assert _loss(at) == "0.133791"
    data = _player_data(at)
    assert data["n"] == 1001 and data["epochs"] == {"first": 0, "every": 10} and data["pauseAt"] == 1000
    assert data["autoplay"] is True and data["label"] == "Epoch"
    assert [p["type"] for p in data["panels"]] == ["network", "map", "curve", "bars"]
    table = _check_table(at)
    fresh = _fresh(0)
    assert list(table["value"]) == [f"{fresh.get_param(n):.6f}" for n in fresh.param_names()]
    assert "epoch" in at.query_params and at.query_params["epoch"] in ("0", ["0"])


def test_the_player_carries_the_whole_history_in_one_small_chunk(at) -> None:
    data = _player_data(at)
    size = len(json.dumps(data))
    assert size < 400_000  # one chunk, the whole 10 000 epochs
    maps = _decode(data["panels"][1]["maps"]).reshape(1001, 40, 40)
    for epoch in (0, 1000, 10_000):
        expected = np.rint(_fresh(epoch).decision_grid(40, -0.5, 1.5)[2] * 255).astype(np.uint8)
        assert np.array_equal(maps[epoch // 10], expected)
    w1 = _decode(data["panels"][0]["weights"][0]).reshape(1001, 2, 3)
    assert np.allclose(w1[100], _fresh(1000).W1, atol=1e-6)  # float32 on the wire: drawing only
    loss = _decode(data["readout"]["values"])
    assert loss.shape == (1001,) and f"{loss[0]:.6f}" == "0.133791"
    preds = _decode(data["panels"][3]["values"]).reshape(1001, 4)
    assert [f"{p:.4f}" for p in preds[100]] == ARTICLE_PREDICTIONS
    # reruns hand the component the same data (Streamlit then sends it by reference)
    at.run()
    assert json.dumps(_player_data(at)) == json.dumps(data)


def test_a_link_to_epoch_1000_reproduces_the_article(at1000) -> None:
    at = at1000
    assert _epoch(at) == 1000
    assert not any("Epoch    0" in c.value for c in at.code)  # closed: the printout is not drawn
    printout = _printout(at)
    for line in ARTICLE_LINES:
        assert line in printout
    assert _predictions(at) == ARTICLE_PREDICTIONS
    lesson = _lesson(at)
    assert "not** solved XOR" in lesson and "0.5920" in lesson and "0.59" in lesson
    assert "from **epoch 1,372**" in lesson  # XOR solved
    assert _loss(at) == f"{_fresh(1000).loss(*xor_data()):.6f}"


def test_panels_equal_a_fresh_core_run_stopped_at_the_frame(at1000) -> None:
    fresh = _fresh(1000)
    X, y = xor_data()
    grads = fresh.backward(X, y)
    table = _check_table(at1000)
    for name, value, analytic in zip(table["parameter"], table["value"], table["backward()"], strict=True):
        key, index = name[:2], tuple(int(i) for i in name[3:-1].split(","))
        assert value == f"{fresh.get_param(name):.6f}"  # as shown: 6 decimals
        assert analytic == f"{grads['d' + key][index]:.6e}"


def test_simulated_pause_reports_a_frame_and_the_panels_follow(at) -> None:
    at.session_state[PLAYER] = {"frame": 137}  # what the component's setStateValue("frame", 137) stores
    at.run()
    assert_ok(at)
    assert _epoch(at) == 1370
    assert at.query_params["epoch"] in ("1370", ["1370"])
    table = _check_table(at)
    fresh = _fresh(1370)
    assert list(table["value"]) == [f"{fresh.get_param(n):.6f}" for n in fresh.param_names()]


def test_article_preset_goes_back_to_epoch_0_with_the_articles_settings(at1000) -> None:
    at = at1000
    at.slider(key="backprop.hidden").set_value(5).run()
    at.selectbox(key="backprop.activation").select("tanh").run()
    at.selectbox(key="backprop.loss").select("bce").run()
    at.selectbox(key="backprop.init").select("he").run()
    at.number_input(key="backprop.seed").set_value(7).run()
    at.select_slider(key="backprop.lr").set_value(0.1).run()
    assert _epoch(at) == 1000  # the player stays on its epoch when the settings change
    _click(at, "preset_article")
    assert at.slider(key="backprop.hidden").value == 3
    assert at.selectbox(key="backprop.activation").value == "sigmoid"
    assert at.selectbox(key="backprop.loss").value == "mse"
    assert at.selectbox(key="backprop.init").value == "article"
    assert at.number_input(key="backprop.seed").value == 42
    assert at.select_slider(key="backprop.lr").value == 1.0
    assert _epoch(at) == 0
    assert at.query_params["hidden"] == ["3"] or at.query_params["hidden"] == "3"
    assert _player_data(at)["seek"] == 1 and _player_data(at)["frame"] == 0


def test_settings_recompute_the_history_and_keep_the_epoch() -> None:
    at = open_page(PAGE, {"epoch": "500"})
    at.select_slider(key="backprop.lr").set_value(0.5).run()
    assert_ok(at)
    assert _epoch(at) == 500
    assert _loss(at) == f"{_fresh(500, 0.5).loss(*xor_data()):.6f}"
    at.slider(key="backprop.hidden").set_value(4).run()
    assert_ok(at)
    assert _epoch(at) == 500
    assert len(_check_table(at)) == 2 * 4 + 4 + 4 + 1
    assert _player_data(at)["panels"][0]["layers"] == [2, 4, 1]
    assert "W1[1,3]" in at.selectbox(key="backprop.param").options
    for name, value in [("activation", "relu"), ("loss", "bce"), ("init", "xavier")]:
        at.selectbox(key=f"backprop.{name}").select(value).run()
        assert_ok(at)
    config = {"n_hidden": 4, "activation": "relu", "loss": "bce", "init": "xavier", "seed": 42}
    fresh = _fresh(500, 0.5, **config)
    table = _check_table(at)
    assert list(table["value"]) == [f"{fresh.get_param(n):.6f}" for n in fresh.param_names()]


@pytest.mark.parametrize("param", ["W1[0,1]", "W1[1,2]", "b1[0]", "W2[2,0]", "b2[0]"])
def test_chain_rule_for_each_kind_of_parameter(at1000, param) -> None:
    at = at1000  # epoch 1000: every factor is away from its initial value
    at.selectbox(key="backprop.param").select(param).run()
    assert_ok(at)
    assert badges(at)[0] == "green"  # product of the factors == backward()
    X, y = xor_data()
    net = _fresh(1000)
    terms = net.chain_rule_terms(X, y, param)
    tex = param.replace("W1", "W_1").replace("W2", "W_2").replace("b1", "b_1").replace("b2", "b_2")
    assert any(
        tex in m.value and m.value.startswith("$$") for m in at.markdown
    )  # the formula, over the table
    assert any(f"{terms.product + 0.0:.4g}" in m.value and "mean" in m.value for m in at.markdown)
    # the chosen weight is highlighted in the player's network drawing (biases have no edge)
    highlight = _player_data(at)["panels"][0]["highlight"]
    expected = {"W1[0,1]": [0, 0, 1], "W1[1,2]": [0, 1, 2], "W2[2,0]": [1, 2, 0]}.get(param)
    assert highlight == expected
    # the loss along θ: its marked point is the current loss with backward()'s slope
    point = _chart_with(at, "point")["point"].to_pydict()
    assert point["x0"][0] == pytest.approx(terms.value, abs=1e-12)
    assert point["f0"][0] == pytest.approx(net.loss(X, y), abs=1e-12)
    assert point["s"][0] == pytest.approx(terms.gradient, abs=1e-12)
    curve = _chart_with(at, "point")["curve"].to_pydict()
    assert min(curve["x"]) < terms.value < max(curve["x"])


def test_gradient_check_table_and_badge(at) -> None:
    table = _check_table(at)
    assert list(table["parameter"]) == TwoLayerNet().param_names()
    assert (table["relative error"].astype(float) < 1e-7).all()
    assert badges(at)[1] == "green"
    # ReLU's kink at z = 0 (input [0, 0], zero biases) makes the check disagree: explained, not hidden
    at.selectbox(key="backprop.activation").select("relu").run()
    assert_ok(at)
    assert badges(at)[1] == "red"
    assert any("kink" in w.value for w in at.warning)


def test_deep_link_restores_the_state() -> None:
    app = open_page(
        PAGE,
        {"hidden": "8", "activation": "tanh", "param": "W1[1,7]", "lr": "0.05", "seed": "9", "epoch": "2500"},
    )
    assert_ok(app)
    assert not notices(app)
    assert app.selectbox(key="backprop.param").value == "W1[1,7]"
    assert _epoch(app) == 2500
    data = _player_data(app)
    assert data["frame"] == 250 and data["autoplay"] is False  # a link opens paused on its epoch
    fresh = _fresh(2500, 0.05, n_hidden=8, activation="tanh", seed=9)
    table = _check_table(app)
    assert list(table["value"]) == [f"{fresh.get_param(n):.6f}" for n in fresh.param_names()]
    assert app.select_slider(key="backprop.lr").value == 0.05
    # shrinking the layer drops a weight that no longer exists back to the default
    app.slider(key="backprop.hidden").set_value(2).run()
    assert_ok(app)
    assert app.selectbox(key="backprop.param").value == "W1[0,1]"
    assert app.query_params["param"] in ("W1[0,1]", ["W1[0,1]"])


@pytest.mark.parametrize(
    ("raw", "epoch"), [("abc", 0), ("-5", 0), ("99999999", 10_000), ("1004", 1000), ("1006", 1010)]
)
def test_epoch_links_out_of_range_or_off_frame_land_on_a_frame(raw, epoch) -> None:
    app = open_page(PAGE, {"epoch": raw})
    assert_ok(app)
    assert _epoch(app) == epoch


def test_two_sessions_never_share_a_frame() -> None:
    a, b = open_page(PAGE, {"epoch": "1000"}), open_page(PAGE)
    b.run()
    assert _epoch(a) == 1000 and _epoch(b) == 0


def test_sidebar_reset_goes_back_to_epoch_0(at1000) -> None:
    at1000.button(key="sidebar.reset").click().run()
    assert_ok(at1000)
    assert _epoch(at1000) == 0


def test_player_blob_round_trips() -> None:
    maps = np.random.RandomState(0).randint(0, 256, size=(7, 5, 4)).astype(np.uint8)
    assert np.array_equal(_decode(player.blob(maps, dtype="u8", delta=True)).reshape(maps.shape), maps)
    values = np.linspace(-1, 1, 12).reshape(3, 4)
    assert np.allclose(_decode(player.blob(values)).reshape(3, 4), values, atol=1e-7)


def test_player_blob_digest_names_its_content_and_small_arrays_travel_uncompressed() -> None:
    a = np.linspace(0, 1, 2000)
    assert player.blob(a)["h"] == player.blob(a.copy())["h"]  # the browser finds a decoded array by it
    assert player.blob(a)["h"] != player.blob(a + 1e-3)["h"]
    assert player.blob(a)["h"] != player.blob(a, dtype="u8")["h"]
    assert player.blob(np.zeros((3, 4), np.uint8), dtype="u8", delta=True)["z"] is False  # 12 bytes: as is
    assert player.blob(np.zeros((100, 100), np.uint8), dtype="u8", delta=True)["z"] is True
    assert np.allclose(_decode(player.blob(a[:10])), a[:10], atol=1e-7)
