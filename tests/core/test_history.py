"""core.history: whole training/descent histories, exact against fresh core runs (TwoLayerNet, MLP, descend)."""

from __future__ import annotations

import numpy as np
import pytest

from core.datasets import make_dataset
from core.history import (
    MAP_HI,
    MAP_LO,
    MAP_N,
    descent_history,
    frame_every,
    quantise,
    train_history,
    train_mlp_history,
)
from core.mlp import MLP
from core.network import TwoLayerNet, xor_data
from core.optimizers import descend

ARTICLE = {"n_hidden": 3, "activation": "sigmoid", "loss": "mse", "init": "article", "seed": 42}


@pytest.fixture(scope="module")
def article():
    return train_history(ARTICLE, 1.0, 10_000, 10)


def test_frames_are_every_k_epochs_and_the_articles_1000_is_one(article) -> None:
    assert article.n_frames == 1001 and article.epochs[0] == 0 and article.epochs[-1] == 10_000
    assert np.all(np.diff(article.epochs) == 10)
    assert article.frame_of(1000) == 100 and article.epochs[100] == 1000
    with pytest.raises(ValueError):
        article.frame_of(1005)
    assert article.nearest_frame(1004) == 100 and article.nearest_frame(10**9) == 1000
    assert article.maps.shape == (1001, MAP_N, MAP_N) and article.maps.dtype == np.uint8


@pytest.mark.parametrize("epoch", [0, 10, 1000, 1370, 10_000])
def test_a_frame_is_a_fresh_run_stopped_there(article, epoch) -> None:
    X, y = xor_data()
    fresh = TwoLayerNet(**ARTICLE)
    fresh.train(X, y, epoch, 1.0)
    f = article.frame_of(epoch)
    net = article.net_at(f)
    for key, value in fresh.params().items():
        assert np.max(np.abs(net.params()[key] - value), initial=0.0) <= 1e-12
    assert net.epochs_trained == epoch
    assert abs(article.loss[f] - fresh.loss(X, y)) <= 1e-12
    assert np.max(np.abs(article.predictions[f] - fresh.predict(X)[:, 0])) <= 1e-12
    assert np.array_equal(article.maps[f], quantise(fresh.decision_grid(MAP_N, MAP_LO, MAP_HI)[2]))
    gf, gn = fresh.backward(X, y), net.backward(X, y)
    for key in gf:
        assert np.max(np.abs(gf[key] - gn[key])) <= 1e-12


def test_the_articles_numbers(article) -> None:
    assert f"{article.epoch_loss[0]:.6f}" == "0.133791" and f"{article.epoch_loss[900]:.6f}" == "0.105993"
    assert [f"{p:.4f}" for p in article.predictions[100]] == ["0.3080", "0.6015", "0.5661", "0.5920"]
    assert article.solved_at == 1372
    assert article.epoch_loss.shape == (10_001,)


def test_arrays_are_read_only_and_quantise_clips() -> None:
    h = train_history(ARTICLE, 0.5, 100, 25)
    assert h.n_frames == 5 and not h.maps.flags.writeable and not h.params["W1"].flags.writeable
    assert list(quantise(np.array([-1.0, 0.0, 0.5, 1.0, 2.0]))) == [0, 0, 128, 255, 255]
    with pytest.raises(ValueError):
        train_history(ARTICLE, 1.0, 10, 0)
    with pytest.raises(ValueError):
        train_history(ARTICLE, 1.0, 10**6, 1)


def test_frame_every_keeps_a_chosen_epoch() -> None:
    assert frame_every(10_000, 1000) == 10
    k = frame_every(10_000, 300, must_include=1000)
    assert 1000 % k == 0 and 10_000 // k <= 1000
    assert frame_every(7, 1000) == 1


def test_relu_and_bce_histories_stay_finite() -> None:
    h = train_history({**ARTICLE, "activation": "relu", "loss": "bce"}, 10.0, 2000, 20)
    assert np.all(np.isfinite(h.loss)) and all(np.all(np.isfinite(v)) for v in h.params.values())


def test_descent_history_pads_runs_to_a_common_length() -> None:
    runs = [("sgd", 0.1, {}), ("sgd", 0.6, {}), ("adam", 0.1, {"beta1": 0.9})]
    h = descent_history("bowl", runs, (4.0, 3.0), 50)
    assert h.n_frames == 51 and h.points.shape == (3, 51, 2) and h.losses.shape == (3, 51)
    ref = descend("bowl", "sgd", (4.0, 3.0), 0.1, 50)
    assert np.array_equal(h.points[0], ref.points) and np.array_equal(h.losses[0], ref.losses)
    diverged = descend("bowl", "sgd", (4.0, 3.0), 0.6, 50)
    k = diverged.points.shape[0]
    assert h.lengths[1] == k < 51
    assert np.array_equal(h.points[1, :k], diverged.points)
    assert np.all(h.points[1, k:] == diverged.points[-1])


def test_mlp_history_records_frames_maps_and_curves() -> None:
    d = make_dataset("circles", 200, 0.1, 0)
    net = MLP([2, 6, 6, 1], "tanh", "ce", init="xavier", seed=1)
    h = train_mlp_history(
        net, d.X_train, d.y_train, d.X_test, d.y_test, 50, 0.3, 10, frames=11, grid_n=20, extent=d.extent
    )
    assert list(h.frame_epochs) == list(range(0, 51, 5))
    assert h.train_loss.shape == h.test_loss.shape == h.train_acc.shape == (51,)
    assert h.output_maps.shape == (11, 20, 20) and len(h.unit_maps) == 11
    assert [m.shape for m in h.unit_maps[0]] == [(20, 20, 6), (20, 20, 6)]
    # the replay is the training: the same run by MLP.train ends on the same parameters
    ref = MLP([2, 6, 6, 1], "tanh", "ce", init="xavier", seed=1)
    losses = ref.train(d.X_train, d.y_train, 50, 0.3, batch_size=10)
    for key in ref.param_keys:
        np.testing.assert_array_equal(h.params[-1][key], getattr(ref, key))
    np.testing.assert_allclose(h.train_loss[:50], losses, rtol=1e-12)
    # a frame's parameters reproduce that frame's maps
    probe = MLP([2, 6, 6, 1], "tanh", "ce", init="xavier", seed=1)
    probe.set_params(h.params[4])
    gx, gy = np.meshgrid(h.xs, h.ys)
    p = probe.predict(np.column_stack([gx.ravel(), gy.ravel()]))[:, 0].reshape(20, 20)
    np.testing.assert_allclose(h.output_maps[4], p, atol=1e-6)
