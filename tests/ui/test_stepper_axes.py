"""ui.stepper over several sliders (`multi_stepper`): the window of frames, shared fields, the link and the
browser's report, driven through AppTest on tests/apps/two_axis_stepper.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.support import components, stepper_payload
from ui import stepper as sp

APP = str(Path(__file__).parents[1] / "apps" / "two_axis_stepper.py")
AXES = (
    sp.Axis("a", "a", [0, 1, 2, 3, 4], 0),
    sp.Axis("b", "b", [10, 20, 30], 10),
    sp.Axis("c", "c", [5, 6], 5),
)


def _open(query: dict | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    for k, v in (query or {}).items():
        at.query_params[k] = v
    return at.run()


def _data(at: AppTest) -> dict:
    (el,) = [e for e in components(at) if e.key == "axes.a._stepper"]
    return stepper_payload(el.proto.json)


def test_cross_moves_each_axis_alone_around_the_position_first():
    frames = sp.cross((2, 1, 0), AXES, radius=(1, None, 1))
    assert frames[0] == (2, 1, 0)
    assert sorted(frames[1:]) == sorted([(1, 1, 0), (3, 1, 0), (2, 0, 0), (2, 2, 0), (2, 1, 1)])
    assert len(set(frames)) == len(frames)
    # at an edge the window is cut, never out of range
    assert sp.cross((0, 0, 0), AXES, radius=(2, 0, 0)) == [(0, 0, 0), (1, 0, 0), (2, 0, 0)]


def test_shared_sends_each_distinct_value_once_and_keeps_the_order():
    got = sp.shared([[1, 2], "x", [1, 2], {"k": 1}, "x"])
    assert got["__items"] == [[1, 2], "x", {"k": 1}]
    assert [got["__items"][i] for i in got["__pick"]] == [[1, 2], "x", [1, 2], {"k": 1}, "x"]


def test_the_payload_holds_the_window_around_the_default_with_one_entry_per_frame():
    at = _open()
    assert not at.exception
    d = _data(at)
    assert [ax["name"] for ax in d["axes"]] == ["a", "b"]
    assert d["at"] == [2, 3]  # a = 1.0 (option 2), b = 0 (option 3)
    frames = [tuple(f) for f in d["frames"]]
    assert frames[0] == (2, 3) and len(frames) == 1 + 4 + 4  # ±2 on each axis
    texts = d["blocks"][0]["paras"]
    assert len(texts) == len(frames)
    assert texts[frames.index((4, 3))][0]["runs"][0][1] == "a = 2, b = 0"
    shared = d["blocks"][1]["paras"]
    assert len(shared["__items"]) == 5 and len(shared["__pick"]) == len(frames)  # one per row of a


def test_a_link_lands_on_the_nearest_options_and_an_out_of_range_value_is_refused():
    at = _open({"a": "3.4", "b": "99"})
    assert not at.exception
    d = _data(at)
    assert d["at"][0] == 7  # 3.4 snaps to 3.5
    assert d["at"][1] == 3  # b = 99 is refused: the default, with the page's notice
    assert any("b" in w.value and "99" in w.value for w in at.warning)


def test_a_report_moves_the_server_and_the_link_without_news_for_the_browser():
    at = _open()
    before = _data(at)
    # what the browser's report of position (4, 5) does: the component's state, then its callback
    at.session_state["axes.a"] = 2.0
    at.session_state["axes.b"] = 2
    at.session_state["axes.a._stepper._at"] = (4, 5)
    at.run()
    assert not at.exception
    d = _data(at)
    assert d["at"] == [4, 5] and d["seek"] == before["seek"]  # not news: the browser is there already
    assert tuple(d["frames"][0]) == (4, 5)  # the new window is around it
    assert at.query_params["a"] in ("2", ["2"]) and at.query_params["b"] in ("2", ["2"])
    # a value the server sets (a preset, Back) is news: sent with a new seek
    at.session_state["axes.b"] = 7
    at.run()
    d2 = _data(at)
    assert d2["at"] == [4, 10] and d2["seek"] == before["seek"] + 1


@pytest.mark.parametrize("bad", [{"at": [1]}, {"at": ["x", 1]}, {"at": [float("nan"), 1]}, {"at": None}, {}])
def test_a_malformed_report_changes_nothing(bad):
    """The callback reads what the browser sent: anything but one finite number per axis is ignored."""
    at = _open()
    before = _data(at)
    callback_state = type("S", (), dict(bad))() if bad else None
    at.session_state["axes.a._stepper"] = callback_state
    at.run()
    assert not at.exception
    assert _data(at)["at"] == before["at"]


def test_the_test_support_reads_and_sets_a_position_as_a_report_does():
    from tests.support import Stepper

    at = _open()
    s = Stepper(at, "axes.a")
    assert s.position == (2, 3)
    s.set_position(b=6).run()
    assert not at.exception
    assert s.position == (2, 6) and s.text().startswith("a = 1, b = 3")
    assert at.query_params["b"] in ("3", ["3"])
