"""The backprop page's training controller: one `TwoLayerNet` per browser session, in session state.

No math here: the network (`core.network`) trains itself; this module only holds it, counts
epochs, keeps a downsampled loss history for the chart and remembers a few milestones (the
article's printout at epochs 0, 100, …, 900, the state after its 1000 epochs, the first epoch at
which every XOR sample is on the right side of 0.5).

`get_trainer(key, config)` returns the session's trainer for `config`; a different config (an
architecture control changed) replaces it with a fresh one at epoch 0. `st.session_state` is
per browser session, so two sessions never share a network.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import streamlit as st

from core.network import TwoLayerNet, accuracy, xor_data

HISTORY_LIMIT = 999  # stored loss points; with the current point the chart gets ≤ 1000
ARTICLE_EPOCHS = 1000  # the article trains for 1000 epochs and prints every 100th loss
PRINT_EVERY = 100


class LossHistory:
    """Loss per epoch, thinned to ≤ HISTORY_LIMIT points: the stride doubles whenever it overflows.

    Keeps the epochs that are multiples of the stride (so epoch 0 always stays), which spreads
    the points evenly over the whole run however long it gets.
    """

    def __init__(self) -> None:
        self.stride = 1
        self.epochs = np.zeros(0, dtype=np.int64)
        self.losses = np.zeros(0)

    def __len__(self) -> int:
        return int(self.epochs.size)

    def extend(self, first_epoch: int, losses: list[float] | np.ndarray) -> None:
        """Add the losses of epochs first_epoch, first_epoch + 1, …."""
        values = np.asarray(losses, dtype=np.float64)
        if values.size == 0:
            return
        epochs = np.arange(first_epoch, first_epoch + values.size, dtype=np.int64)
        keep = epochs % self.stride == 0
        self.epochs = np.concatenate([self.epochs, epochs[keep]])
        self.losses = np.concatenate([self.losses, values[keep]])
        while self.epochs.size > HISTORY_LIMIT:
            self.stride *= 2
            keep = self.epochs % self.stride == 0
            self.epochs, self.losses = self.epochs[keep], self.losses[keep]


@dataclass(frozen=True)
class Snapshot:
    """The network after the article's 1000 epochs: the loss then and the four predictions."""

    epoch: int
    loss: float
    predictions: tuple[float, ...]


class Trainer:
    """A network, its data (XOR), play/pause state and what the page draws about its training."""

    def __init__(self, config: Mapping[str, Any]) -> None:
        self.config = dict(config)
        self.net = TwoLayerNet(**self.config)
        self.X, self.y = xor_data()
        self.playing = False
        self._clear()

    def _clear(self) -> None:
        self.history = LossHistory()
        self.printout: dict[int, float] = {}
        self.snapshot: Snapshot | None = None
        self.solved_at: int | None = None
        self._first = 0

    # -- state ------------------------------------------------------------------------------
    @property
    def epoch(self) -> int:
        """Updates applied so far (the weights on screen are the ones after this many steps)."""
        return self.net.epochs_trained

    def play(self) -> None:
        self.playing = True

    def pause(self) -> None:
        self.playing = False

    def reset(self) -> None:
        """Pause and go back to the seed's exact initial weights, epoch 0, an empty history."""
        self.playing = False
        self.net.reset()
        self._clear()

    # -- training ---------------------------------------------------------------------------
    def _watch(self, epoch: int, loss: float) -> None:
        """on_epoch hook: the first epoch whose forward pass gets all four samples right."""
        if self.solved_at is None and accuracy(self.net.a2, self.y) == 1.0:
            self.solved_at = self._first + epoch

    def train(self, epochs: int, lr: float) -> None:
        """`epochs` gradient-descent steps at learning rate `lr`, recording history and milestones."""
        remaining = int(epochs)
        while remaining > 0:
            start = self.epoch
            chunk = remaining
            if start < ARTICLE_EPOCHS < start + chunk:  # stop at epoch 1000 to take the snapshot
                chunk = ARTICLE_EPOCHS - start
            self._first = start
            losses = self.net.train(self.X, self.y, chunk, lr,
                                    on_epoch=self._watch if self.solved_at is None else None)
            self.history.extend(start, losses)
            for e in range(-(-start // PRINT_EVERY) * PRINT_EVERY, min(start + chunk, ARTICLE_EPOCHS),
                           PRINT_EVERY):
                self.printout[e] = float(losses[e - start])
            if self.epoch == ARTICLE_EPOCHS:
                self.snapshot = Snapshot(self.epoch, self.current_loss(),
                                         tuple(float(p) for p in self.predictions()))
            remaining -= chunk

    def step(self, lr: float) -> None:
        """Pause and take one step (one epoch: the whole XOR batch)."""
        self.playing = False
        self.train(1, lr)

    # -- views ------------------------------------------------------------------------------
    def current_loss(self) -> float:
        """The loss of the weights on screen (before the next update)."""
        return self.net.loss(self.X, self.y)

    def predictions(self) -> np.ndarray:
        """a2 for the four XOR inputs, shape (4,)."""
        return self.net.predict(self.X)[:, 0]

    def curve(self) -> tuple[np.ndarray, np.ndarray]:
        """(epochs, losses) for the loss chart: the thinned history plus the current point."""
        return (np.append(self.history.epochs, self.epoch),
                np.append(self.history.losses, self.current_loss()))


def get_trainer(key: str, config: Mapping[str, Any]) -> Trainer:
    """The session's trainer under `key`; a fresh one (epoch 0, paused) if absent or built for another config."""
    trainer = st.session_state.get(key)
    if not isinstance(trainer, Trainer) or trainer.config != dict(config):
        trainer = Trainer(config)
        st.session_state[key] = trainer
    return trainer
