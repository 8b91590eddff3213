"""The backprop page: the article's XOR network trained in session state, the chain rule, the gradient check."""

from __future__ import annotations

import json

import numpy as np
import pyarrow as pa
import pytest

from core.network import TwoLayerNet, xor_data
from tests.support import assert_ok, badges, chart_datasets, charts, notices, open_page
from ui import training
from ui.navigation import page_by_url

pytestmark = pytest.mark.timeout(300)

PAGE = page_by_url("backprop")
TRAINER = "backprop.trainer"
# The article's script prints these (epochs 0, 100, …, 900; then the predictions after epoch 1000).
ARTICLE_LINES = ["Epoch    0: Loss = 0.133791", "Epoch  900: Loss = 0.105993"]
ARTICLE_PREDICTIONS = ["0.3080", "0.6015", "0.5661", "0.5920"]


def _metric(at, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def _epoch(at) -> int:
    return int(_metric(at, "Epoch").replace(",", ""))


def _trainer(at) -> training.Trainer:
    return at.session_state[TRAINER]


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


@pytest.fixture
def at():
    app = open_page(PAGE)
    assert_ok(app)
    return app


def test_defaults_show_the_articles_network_at_epoch_0(at) -> None:
    assert _epoch(at) == 0
    assert _metric(at, "Loss") == "0.133791"  # the article's first printed loss
    assert _metric(at, "Training") == "paused"
    assert at.selectbox(key="backprop.param").value == "W1[0,1]"
    assert at.button(key="backprop.pause").disabled and not at.button(key="backprop.play").disabled
    net = _trainer(at).net
    assert net.config == TwoLayerNet().config
    for key, value in TwoLayerNet().params().items():
        assert np.array_equal(net.params()[key], value)
    # network, decision map, loss curve, loss along θ and its slope
    assert len(_charts(at)) == 5
    assert badges(at) == ["green", "green"]  # chain rule vs backward(); gradient check
    assert not at.error and not notices(at)


def test_step_advances_one_epoch_and_pauses(at) -> None:
    _click(at, "step")
    assert _epoch(at) == 1
    assert _metric(at, "Loss") != "0.133791"
    _click(at, "step")
    assert _epoch(at) == 2
    X, y = xor_data()
    reference = TwoLayerNet()
    reference.train(X, y, 2, 1.0)
    for key, value in reference.params().items():
        assert np.array_equal(_trainer(at).net.params()[key], value)
    _click(at, "play")
    _click(at, "step")  # Step while playing: pause, then one step
    assert not _trainer(at).playing
    epoch = _epoch(at)
    at.run()
    assert _epoch(at) == epoch


def test_reset_returns_to_epoch_0_with_the_seeds_exact_weights(at) -> None:
    at.selectbox(key="backprop.n_now").select("100").run()
    _click(at, "train_n")
    assert _epoch(at) == 100
    _click(at, "step")
    _click(at, "reset")
    assert _epoch(at) == 0
    assert _metric(at, "Loss") == "0.133791"
    fresh = TwoLayerNet()
    for key, value in fresh.params().items():
        assert np.array_equal(_trainer(at).net.params()[key], value)  # bit for bit
    assert len(_trainer(at).history) == 0 and _trainer(at).snapshot is None


def test_play_and_pause(at) -> None:
    _click(at, "play")
    assert _trainer(at).playing
    assert _metric(at, "Training") == "running"
    assert at.button(key="backprop.play").disabled and not at.button(key="backprop.pause").disabled
    # The full rerun ran the training panel once: it advanced one frame's worth of epochs.
    assert _epoch(at) > 0
    assert any("Pause to bring them up to date" in c.value for c in at.caption)
    _click(at, "pause")
    assert not _trainer(at).playing and _metric(at, "Training") == "paused"
    epoch = _epoch(at)
    at.run()
    at.run()
    assert _epoch(at) == epoch  # paused: reruns do not train


def test_article_preset_and_1000_epochs_reproduce_the_article(at) -> None:
    # wander off first: other architecture, seed, learning rate, some training
    at.slider(key="backprop.hidden").set_value(5).run()
    at.selectbox(key="backprop.activation").select("tanh").run()
    at.selectbox(key="backprop.loss").select("bce").run()
    at.selectbox(key="backprop.init").select("he").run()
    at.number_input(key="backprop.seed").set_value(7).run()
    at.select_slider(key="backprop.lr").set_value(0.1).run()
    _click(at, "step")
    assert _epoch(at) == 1
    _click(at, "preset_article")
    assert at.slider(key="backprop.hidden").value == 3
    assert at.selectbox(key="backprop.activation").value == "sigmoid"
    assert at.selectbox(key="backprop.loss").value == "mse"
    assert at.selectbox(key="backprop.init").value == "article"
    assert at.number_input(key="backprop.seed").value == 42
    assert at.select_slider(key="backprop.lr").value == 1.0
    assert _epoch(at) == 0
    assert at.query_params["hidden"] == ["3"] or at.query_params["hidden"] == "3"
    assert at.selectbox(key="backprop.n_now").value == "1000"
    _click(at, "train_n")
    assert _epoch(at) == 1000
    printout = "\n".join(c.value for c in at.code)
    for line in ARTICLE_LINES:
        assert line in printout
    for p in ARTICLE_PREDICTIONS:
        assert f"Prediction: {p}" in printout
    lesson = " ".join(i.value for i in at.info)
    assert "not** solved XOR" in lesson and "0.5920" in lesson and "0.59" in lesson
    assert _predictions(at) == ARTICLE_PREDICTIONS
    assert _metric(at, "XOR solved") == "not yet"
    # letting it run on: the plateau ends and XOR is solved
    _click(at, "train_n")
    assert _epoch(at) == 2000
    assert _metric(at, "XOR solved") == "epoch 1,372"
    assert "from **epoch 1,372**" in " ".join(i.value for i in at.info)


def test_learning_rate_changes_do_not_reset_but_architecture_changes_do(at) -> None:
    at.selectbox(key="backprop.n_now").select("100").run()
    _click(at, "train_n")
    at.select_slider(key="backprop.lr").set_value(0.5).run()
    assert _epoch(at) == 100
    _click(at, "step")
    assert _epoch(at) == 101
    at.slider(key="backprop.hidden").set_value(4).run()
    assert_ok(at)
    assert _epoch(at) == 0
    net = _trainer(at).net
    assert net.n_hidden == 4 and net.epochs_trained == 0
    assert len(at.dataframe[0].value) == net.n_params == 2 * 4 + 4 + 4 + 1
    assert "W1[1,3]" in at.selectbox(key="backprop.param").options
    for name, value in [("activation", "relu"), ("loss", "bce"), ("init", "xavier")]:
        _click(at, "step")
        at.selectbox(key=f"backprop.{name}").select(value).run()
        assert_ok(at)
        assert _epoch(at) == 0 and getattr(_trainer(at).net, "loss_name" if name == "loss" else name) == value
    _click(at, "step")
    at.number_input(key="backprop.seed").set_value(3).run()
    assert _epoch(at) == 0 and _trainer(at).net.seed == 3


@pytest.mark.parametrize("param", ["W1[0,1]", "W1[1,2]", "b1[0]", "W2[2,0]", "b2[0]"])
def test_chain_rule_for_each_kind_of_parameter(at, param) -> None:
    _click(at, "train_n")  # epoch 1000: every factor is away from its initial value
    at.selectbox(key="backprop.param").select(param).run()
    assert_ok(at)
    assert badges(at)[0] == "green"  # product of the factors == backward()
    X, y = xor_data()
    terms = _trainer(at).net.chain_rule_terms(X, y, param)
    tex = param.replace("W1", "W_1").replace("W2", "W_2").replace("b1", "b_1").replace("b2", "b_2")
    assert any(tex in latex.value for latex in at.latex)
    assert any(f"{terms.product + 0.0:.4g}" in m.value and "mean" in m.value for m in at.markdown)
    # the chosen weight is highlighted in the network drawing
    network = _chart_with(at, "nodes")
    edges, nodes = network["edges"].to_pylist(), network["nodes"].to_pylist()
    marked = network["hl_edges"].to_pylist() + network["hl_nodes"].to_pylist()
    assert len(marked) == 1
    chosen = next(row for row in edges + nodes if row["name"] == param)
    assert all(marked[0][k] == chosen[k] for k in marked[0])
    # the loss along θ: its marked point is the current loss with backward()'s slope
    point = _chart_with(at, "point")["point"].to_pydict()
    assert point["x0"][0] == pytest.approx(terms.value)
    assert point["f0"][0] == pytest.approx(_trainer(at).current_loss())
    assert point["s"][0] == pytest.approx(terms.gradient)
    curve = _chart_with(at, "point")["curve"].to_pydict()
    assert min(curve["x"]) < terms.value < max(curve["x"])


def test_network_tooltips_carry_values_and_gradients(at) -> None:
    _click(at, "step")
    network = _chart_with(at, "nodes")
    edges = network["edges"].to_pydict()
    net = _trainer(at).net
    X, y = xor_data()
    grads = net.backward(X, y)
    for name, weight, grad in zip(edges["name"], edges["weight"], edges["grad"], strict=True):
        key = name[:2]
        index = tuple(int(i) for i in name[3:-1].split(","))
        assert weight == net.get_param(name)
        assert grad == pytest.approx(grads["d" + key][index], rel=1e-12, abs=1e-300)
    spec = json.loads(next(c for c in _charts(at) if "nodes" in _datasets(c)).proto.spec)
    assert "∂L/∂w (gradient)" in json.dumps(spec, ensure_ascii=False)


def test_chart_data_stay_small_and_the_loss_history_is_thinned(at) -> None:
    at.selectbox(key="backprop.n_now").select("5000").run()
    for _ in range(3):
        _click(at, "train_n")
    assert _epoch(at) == 15000
    cells = _chart_with(at, "cells")["cells"]
    assert cells.num_rows <= 2500
    assert min(cells.column("x").to_pylist()) == pytest.approx(-0.5)
    assert max(cells.column("y").to_pylist()) == pytest.approx(1.5)
    curve = _chart_with(at, "curve")["curve"]
    assert 500 <= curve.num_rows <= 1000
    epochs = curve.column("epoch").to_pylist()
    assert epochs[0] == 0 and epochs[-1] == 15000 and epochs == sorted(epochs)
    total = sum(len(d.data.data) + len(c.proto.spec) for c in _charts(at) for d in c.proto.datasets)
    assert total < 250_000


def _predictions(at) -> list[str]:
    """The prediction column of the live panel's predictions table (a markdown table)."""
    table = next(m.value for m in at.markdown if m.value.startswith("| input x |"))
    return [row.split("|")[3].strip() for row in table.splitlines()[2:]]


def test_gradient_check_table_and_badge(at) -> None:
    table = at.dataframe[0].value
    assert list(table["parameter"]) == TwoLayerNet().param_names()
    assert (table["relative error"] < 1e-7).all()
    assert badges(at)[1] == "green"
    # ReLU's kink at z = 0 (input [0, 0], zero biases) makes the check disagree: explained, not hidden
    at.selectbox(key="backprop.activation").select("relu").run()
    assert_ok(at)
    assert badges(at)[1] == "red"
    assert any("kink" in w.value for w in at.warning)


def test_deep_link_restores_the_state(at) -> None:
    app = open_page(PAGE, {"hidden": "8", "activation": "tanh", "param": "W1[1,7]", "lr": "0.05", "seed": "9"})
    assert_ok(app)
    assert not notices(app)
    assert app.selectbox(key="backprop.param").value == "W1[1,7]"
    net = _trainer(app).net
    assert (net.n_hidden, net.activation, net.seed) == (8, "tanh", 9)
    assert app.select_slider(key="backprop.lr").value == 0.05
    # shrinking the layer drops a weight that no longer exists back to the default
    app.slider(key="backprop.hidden").set_value(2).run()
    assert_ok(app)
    assert app.selectbox(key="backprop.param").value == "W1[0,1]"
    assert app.query_params["param"] in ("W1[0,1]", ["W1[0,1]"])


def test_two_sessions_never_share_a_network() -> None:
    a, b = open_page(PAGE), open_page(PAGE)
    _click(a, "train_n")
    b.run()
    assert _epoch(a) == 1000 and _epoch(b) == 0
    assert _trainer(a) is not _trainer(b)


def test_sidebar_reset_forgets_the_training(at) -> None:
    _click(at, "step")
    at.button(key="sidebar.reset").click().run()
    assert_ok(at)
    assert _epoch(at) == 0


# -- the controller itself ----------------------------------------------------------------------


def test_loss_history_thins_evenly_and_keeps_epoch_0() -> None:
    h = training.LossHistory()
    h.extend(0, np.arange(1.0, 1001.0))
    assert len(h) == 500 and h.stride == 2  # 1000 > 999 points: every other one
    for start in range(1000, 100_000, 777):
        h.extend(start, np.full(777, 0.5))
        assert len(h) <= training.HISTORY_LIMIT
    assert h.epochs[0] == 0 and h.losses[0] == 1.0
    gaps = np.diff(h.epochs)
    assert (gaps == h.stride).all()
    h.extend(10**6, [])
    assert len(h) <= training.HISTORY_LIMIT


def test_trainer_milestones_match_the_article() -> None:
    t = training.Trainer(TwoLayerNet().config)
    t.train(999, 1.0)
    assert t.snapshot is None
    t.train(3, 1.0)  # crosses epoch 1000: it stops there for the snapshot, then goes on
    assert t.epoch == 1002 and t.snapshot is not None and t.snapshot.epoch == 1000
    assert [f"{p:.4f}" for p in t.snapshot.predictions] == ARTICLE_PREDICTIONS
    assert sorted(t.printout) == list(range(0, 1000, 100))
    assert f"{t.printout[0]:.6f}" == "0.133791" and f"{t.printout[900]:.6f}" == "0.105993"
    epochs, losses = t.curve()
    assert epochs[-1] == 1002 and losses[-1] == pytest.approx(t.current_loss())
    t.step(1.0)
    assert t.epoch == 1003 and not t.playing
