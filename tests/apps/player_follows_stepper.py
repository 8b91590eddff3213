"""A replay player and a follower's text that follow a two-axis stepper (tests/browser/test_player_follows_browser.py,
tests/ui/test_player_variants.py): the player's history is y = a·sin(t) + b over 40 frames; it holds one
history per position of the stepper's window (a ±1, every b) and shows the one the stepper shows."""

import numpy as np
import streamlit as st

from ui import player
from ui import stepper as sp
from ui.state import UrlState, flush

state = UrlState("follow")
AXES = (
    sp.Axis("a", "Amplitude a", list(range(7)), 2),  # 0..6
    sp.Axis("b", "Offset b", [0, 1, 2, 3], 0),
)
T = np.linspace(0.0, 2.0 * np.pi, 40)


def history(pos: tuple[int, ...]) -> dict:
    a, b = AXES[0].options[pos[0]], AXES[1].options[pos[1]]
    return {
        "n_frames": len(T),
        "panels": [
            player.curve_panel(
                f"y = {a}·sin t + {b}",
                [("y", player.PALETTE["series"][0], a * np.sin(T) + b)],
                xlabel="frame",
            )
        ],
        "history_id": f"follow:{a}:{b}",
    }


@st.fragment
def stage() -> None:
    at = sp.locate(url=state, axes=AXES)
    frames = sp.cross(at, AXES, radius=(1, None))
    blocks = [
        sp.text(
            [sp.paragraphs(f"a = {AXES[0].options[i]}, b = {AXES[1].options[j]}") for i, j in frames],
            per_frame=True,
        )
    ]
    sp.multi_stepper("follow.ab", url=state, axes=AXES, at=at, frames=frames, blocks=blocks)
    here = history(at)
    frame = player.player(
        "follow.player",
        columns=[[0]],
        label="Frame",
        start=5,
        follow=sp.component_key(state, "a"),
        at=at,
        variants={p: player.variant(**history(p)) for p in frames if p != at},
        **here,
    )
    sp.follower(
        "follow.below",
        lead=sp.component_key(state, "a"),
        at=at,
        frames=frames,
        blocks=[
            sp.text(
                [
                    sp.paragraphs(f"below: a = {AXES[0].options[i]}, b = {AXES[1].options[j]}, frame {frame}")
                    for i, j in frames
                ],
                per_frame=True,
            )
        ],
    )
    st.session_state["follow.runs"] = st.session_state.get("follow.runs", 0) + 1
    st.text(f"server: at={at} frame={frame} frames={len(frames)}")


stage()
flush()
