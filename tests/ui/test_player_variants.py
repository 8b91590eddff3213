"""ui.player following a ui.stepper (tests/apps/player_follows_stepper.py): the player holds one history per
position of the stepper's window, each the page's own history at that position, and each blob once."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from streamlit.testing.v1 import AppTest

from tests.support import Stepper, player_blob, player_data
from ui import player

APP = str(Path(__file__).parents[1] / "apps" / "player_follows_stepper.py")
T = np.linspace(0.0, 2.0 * np.pi, 40)


def _run(**query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    for k, v in query.items():
        at.query_params[k] = v
    return at.run()


def _curve(history: dict) -> np.ndarray:
    return player_blob(history["panels"][0]["series"][0]["values"])


def test_the_player_holds_the_history_of_every_other_position_of_the_window():
    at = _run()
    assert not at.exception
    data = player_data(at, "follow.player")
    lead = data["lead"]
    assert lead["leader"] == "follow.a._stepper"
    assert lead["at"] == "2,0"
    frames = [tuple(f) for f in Stepper(at, "follow.a").data["frames"]]
    assert sorted(lead["variants"]) == sorted(",".join(map(str, f)) for f in frames if f != (2, 0))
    for pos, v in lead["variants"].items():
        a, b = (int(x) for x in pos.split(","))
        assert v["n"] == 40 and v["id"] == f"follow:{a}:{b}"
        np.testing.assert_allclose(_curve(v), (a * np.sin(T) + b).astype(np.float32), rtol=0, atol=1e-6)
    np.testing.assert_allclose(_curve(data), (2 * np.sin(T)).astype(np.float32), atol=1e-6)


def test_a_report_makes_the_variant_the_centre_with_the_same_id():
    at = _run()
    before = player_data(at, "follow.player")["lead"]["variants"]["3,0"]["id"]
    Stepper(at, "follow.a").set_position(a=3)
    at.run()
    data = player_data(at, "follow.player")
    assert data["lead"]["at"] == "3,0"
    assert data["id"] == before  # the browser, already showing it, rebuilds nothing
    assert "3,0" not in data["lead"]["variants"] and "4,0" in data["lead"]["variants"]
    assert "1,0" not in data["lead"]["variants"]  # a ±1 window around a = 3


def test_a_link_lands_on_its_position():
    at = _run(a="5", b="3")
    assert player_data(at, "follow.player")["lead"]["at"] == "5,3"
    np.testing.assert_allclose(
        _curve(player_data(at, "follow.player")), (5 * np.sin(T) + 3).astype(np.float32), atol=1e-5
    )


def test_a_blob_repeated_across_variants_is_sent_once():
    same = player.curve_panel("flat", [("y", "#000000", np.zeros(40))])
    data = {"panels": [same], "lead": {"variants": {"1": {"panels": [same]}, "2": {"panels": [same]}}}}
    player._dedupe(data)
    h = same["series"][0]["values"]["h"]
    assert data["panels"][0]["series"][0]["values"]["b64"]
    for v in data["lead"]["variants"].values():
        assert v["panels"][0]["series"][0]["values"] == {"ref": h}
    refs = {h: data["panels"][0]["series"][0]["values"]}
    np.testing.assert_array_equal(
        player_blob(data["lead"]["variants"]["1"]["panels"][0]["series"][0]["values"], refs), np.zeros(40)
    )


def test_a_player_without_a_leader_sends_no_variants():
    at = AppTest.from_string(
        "import numpy as np\nfrom ui import player\n"
        "player.player('p', n_frames=3, panels=[player.curve_panel('c', [('y', '#000000', np.arange(3.0))])], columns=[[0]])"
    ).run()
    assert not at.exception
    assert "lead" not in player_data(at, "p")
