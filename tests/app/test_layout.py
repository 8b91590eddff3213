"""The page pattern without a browser: presentation mode from the link, kept across pages, and left again."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.support import ENTRY, assert_ok
from ui import layout
from ui.navigation import page_by_url


def _toggle(at: AppTest):
    return at.toggle(key="_layout.present_toggle")


def test_link_turns_presentation_on_and_it_survives_navigation():
    at = AppTest.from_file(ENTRY, default_timeout=30)
    at.query_params[layout.PRESENT_PARAM] = "1"
    at.run()
    assert_ok(at)
    assert _toggle(at).value is True
    # a sidebar link drops the query parameters: the next page puts the mode back into the URL
    at.query_params.clear()
    at.switch_page(page_by_url("losses").file).run()
    assert_ok(at)
    assert at.query_params.get(layout.PRESENT_PARAM) in ("1", ["1"])
    assert _toggle(at).value is True
    assert any(b.key == "_layout.leave" for b in at.button), "a way out on the page itself"


def test_toggle_off_removes_the_parameter_and_the_intro_comes_back():
    at = AppTest.from_file(ENTRY, default_timeout=30)
    at.query_params[layout.PRESENT_PARAM] = "1"
    at.run()
    _toggle(at).set_value(False).run()
    assert_ok(at)
    assert layout.PRESENT_PARAM not in at.query_params
    assert not any(b.key == "_layout.leave" for b in at.button)


def test_header_keeps_the_old_call_and_hides_the_intro_behind_a_popover():
    at = AppTest.from_file(ENTRY, default_timeout=30).run()
    assert_ok(at)
    texts = [m.value for m in at.markdown]
    home = page_by_url("")
    assert home.promise in texts, "the one-line promise comes from the page registry"
    # the long introduction is inside the "About this page" popover, not in the page flow
    assert any("Every neural network learns the same way" in t for t in texts)
    assert at.get("popover"), "the introduction sits in a popover"


def test_injected_css_and_script_survive_the_html_sanitiser():
    """st.html's sanitiser removes a style or script whose text holds '<' followed by a letter or '/'."""
    import re

    for name in ("_BASE_CSS", "_PRESENT_CSS", "_SCRIPT"):
        inner = re.sub(r"</?(style|script)>", "", getattr(layout, name))
        assert not re.findall(r"<[/\w]", inner), name
