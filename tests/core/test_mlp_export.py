"""The exported script, run as-is in a subprocess, trains to the playground's numbers."""

from __future__ import annotations

import re
import subprocess
import sys

import numpy as np
import pytest

from core.activations import ACTIVATIONS
from core.datasets import make_dataset, parse_points, points_dataset
from core.history import train_mlp_history
from core.mlp import MLP
from core.mlp_export import RunSettings, export_script

BASE = RunSettings(
    dataset="circles",
    n=120,
    noise=0.1,
    data_seed=0,
    hidden=(5, 4),
    activation="tanh",
    loss="ce",
    n_out=1,
    init="xavier",
    seed=1,
    lr=0.3,
    l1=0.0,
    l2=0.0,
    batch_size=10,
    epochs=15,
)


def _page_run(s: RunSettings) -> tuple[float, float]:
    """What the page computes for the settings: the history's final train and test loss."""
    if s.dataset == "points":
        X = np.array([p[:2] for p in s.points])
        y = np.array([p[2] for p in s.points])
        d = points_dataset(X, y, s.test_fraction, s.data_seed)
    else:
        d = make_dataset(s.dataset, s.n, s.noise, s.data_seed, s.test_fraction)
    net = MLP(s.sizes, s.activation, s.loss, s.init, s.seed, s.l1, s.l2)
    h = train_mlp_history(
        net,
        d.X_train,
        d.y_train,
        d.X_test,
        d.y_test,
        s.epochs,
        s.lr,
        s.batch_size,
        s.shuffle_seed,
        frames=5,
        grid_n=4,
        extent=d.extent,
    )
    return float(h.train_loss[-1]), float(h.test_loss[-1])


def _run_script(s: RunSettings, tmp_path) -> tuple[float, float]:
    path = tmp_path / "run.py"
    path.write_text(export_script(s))
    out = subprocess.run(
        [sys.executable, "-I", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
        check=True,
    ).stdout
    train = float(re.search(r"final train loss (\S+)", out).group(1))
    test = float(re.search(r"final test loss (\S+)", out).group(1))
    return train, test


CASES = [
    BASE,
    *(BASE.__class__(**{**BASE.__dict__, "activation": a}) for a in sorted(ACTIVATIONS) if a != "tanh"),
    BASE.__class__(**{**BASE.__dict__, "loss": "mse", "n_out": 2, "l1": 0.01, "l2": 0.02, "init": "he"}),
    BASE.__class__(
        **{**BASE.__dict__, "hidden": (), "batch_size": None, "dataset": "xor", "init": "article"}
    ),
    BASE.__class__(**{**BASE.__dict__, "dataset": "spirals", "hidden": (3, 3, 3, 3), "activation": "relu"}),
    BASE.__class__(
        **{
            **BASE.__dict__,
            "dataset": "xor_article",
            "hidden": (3,),
            "activation": "sigmoid",
            "loss": "mse",
            "init": "article",
            "seed": 42,
            "lr": 1.0,
            "batch_size": None,
            "epochs": 1000,
        }
    ),
    BASE.__class__(
        **{
            **BASE.__dict__,
            "dataset": "points",
            "points": tuple(
                (float(x), float(y), int(c))
                for (x, y), c in zip(*parse_points("0,0,0\n1,1,0\n0,1,1\n1,0,1\n0.5,0.5,1"), strict=True)
            ),
        }
    ),
]


@pytest.mark.parametrize(
    "settings", CASES, ids=[f"{c.dataset}-{c.activation}-{c.loss}-{c.n_out}" for c in CASES]
)
def test_exported_script_prints_the_pages_final_loss(settings, tmp_path) -> None:
    page_train, page_test = _page_run(settings)
    script_train, script_test = _run_script(settings, tmp_path)
    assert f"{script_train:.12g}" == f"{page_train:.12g}"
    assert f"{script_test:.12g}" == f"{page_test:.12g}"


def test_article_export_prints_the_articles_last_loss(tmp_path) -> None:
    s = CASES[-2]
    train, _ = _run_script(s, tmp_path)
    net = MLP([2, 3, 1], "sigmoid", "mse", "article", 42)
    from core.network import xor_data

    X, y = xor_data()
    net.train(X, y, 1000, 1.0)
    assert train == pytest.approx(net.loss(X, y), rel=1e-15)


def test_script_needs_only_numpy() -> None:
    text = export_script(BASE)
    imports = set(re.findall(r"^(?:import|from) (\w+)", text, flags=re.M))
    assert imports == {"math", "numpy"}
    assert "streamlit" not in text and "core." not in text
    assert len(text.splitlines()) < 230
