"""Generic AppTest checks run on every page in the navigation (new pages need no new test code)."""

from __future__ import annotations

import math

import pytest

from tests.support import MALFORMED, PAGE_IDS, PAGES, assert_ok, notices, open_page, url_specs
from ui.state import Param

pytestmark = pytest.mark.timeout(300)


@pytest.mark.parametrize("page", PAGES, ids=PAGE_IDS)
def test_renders_at_defaults(page):
    at = open_page(page)
    assert_ok(at)
    assert at.title, "every page has a title"
    assert not at.error, [e.value for e in at.error]
    assert not notices(at)
    # Every URL-backed widget is mirrored in the address bar.
    specs = url_specs(at)
    for name, spec in specs.items():
        if spec.kind != "multi":
            assert name in at.query_params, f"{name} missing from the URL"


def _widgets(at):
    for kind in ("slider", "select_slider", "number_input", "selectbox", "multiselect", "radio", "toggle",
                 "checkbox", "text_input"):
        for w in at.get(kind):
            if getattr(w, "key", None) and not w.key.startswith(("sidebar.", "challenge.")):  # challenges: test_challenges.py
                yield kind, w.key


def _find(at, kind, key):
    for w in at.get(kind):
        if getattr(w, "key", None) == key:
            return w
    return None


def _extreme_values(kind, w):
    if kind == "slider":
        return [w.min, w.max]
    if kind == "number_input":
        return [v for v in (w.min, w.max) if v is not None]
    if kind == "select_slider":
        return ["first", "last"]
    if kind in ("selectbox", "radio"):
        return list(range(len(w.options)))
    if kind == "multiselect":
        n = len(w.options)
        cap = w.max_selections or n
        return [[i] for i in range(n)] + [list(range(min(n, cap)))]
    if kind in ("toggle", "checkbox"):
        return [True, False]
    if kind == "text_input":
        return ["", "__import__('os').system('ls')", "x" * 400]
    return []


def _set(at, kind, w, v):
    if kind == "select_slider":
        w.set_value(_select_slider_value(at, w, v))
    elif kind == "selectbox":
        w.select_index(v)
    elif kind == "radio":  # options are display labels; the URL spec knows the values
        w.set_value(url_specs(at)[w.key.split(".", 1)[1]].options[v])
    elif kind == "multiselect":
        opts = _multiselect_values(at, w)
        w.set_value([opts[i] for i in v])
    else:
        w.set_value(v)


def _select_slider_value(at, w, which):
    spec = url_specs(at)[w.key.split(".", 1)[1]]
    return spec.options[0] if which == "first" else spec.options[-1]


def _multiselect_values(at, w):
    return list(url_specs(at)[w.key.split(".", 1)[1]].options)


@pytest.mark.parametrize("page", [p for p in PAGES if p.url_path], ids=[i for i in PAGE_IDS if i != "home"])
def test_every_widget_at_its_extremes(page):
    """Each slider/number at min and max, each option of each select, each toggle: no exception."""
    at = open_page(page)
    assert_ok(at)
    seen = list(_widgets(at))
    assert seen, "a page without widgets?"
    tried = 0
    for kind, key in seen:
        w = _find(at, kind, key)
        if w is None:  # hidden by an earlier choice (e.g. only shown for a custom function)
            continue
        for v in _extreme_values(kind, w):
            w = _find(at, kind, key)
            if w is None:
                break
            _set(at, kind, w, v)
            at.run()
            assert_ok(at)
            tried += 1
    assert tried >= len(seen)


@pytest.mark.parametrize("page", [p for p in PAGES if p.url_path], ids=[i for i in PAGE_IDS if i != "home"])
def test_every_button_click(page):
    at = open_page(page)
    for b in list(at.button):
        if not b.key or b.key.startswith("sidebar."):
            continue
        btn = next((x for x in at.button if x.key == b.key), None)
        if btn is None or btn.disabled:
            continue
        btn.click()
        at.run()
        assert_ok(at)


def _is_refused(spec: Param, raw: str) -> bool:
    return spec.parse(raw)[1] is not None


@pytest.mark.parametrize("page", [p for p in PAGES if p.url_path], ids=[i for i in PAGE_IDS if i != "home"])
def test_malformed_links_fall_back_with_a_notice(page):
    base = open_page(page)
    specs = url_specs(base)
    if not specs:
        pytest.skip("page has no URL parameters")
    cases: list[dict[str, str]] = [{name: bad for name in specs} for bad in MALFORMED]
    for name, spec in specs.items():  # just outside each numeric range
        if spec.kind in ("float", "int") and spec.lo is not None:
            cases.append({name: f"{spec.lo - abs(spec.lo) - 1:g}"})
            cases.append({name: f"{spec.hi + abs(spec.hi) + 1:g}"})
    assert len(cases) >= 20
    for query in cases:
        at = open_page(page, query)
        assert_ok(at)
        refused = {n for n, raw in query.items() if _is_refused(specs[n], raw)}
        shown = notices(at)
        for name in refused:
            assert any(f"`{name}`" in n for n in shown), (name, query[name][:30], shown)
            value = at.session_state[f"{page.url_path}.{name}"]
            default = specs[name].default
            assert value == default or (isinstance(default, float) and math.isclose(value, default)), name
            # The address bar is repaired: it now holds a valid value.
            repaired = at.query_params.get(name)
            if repaired is not None:
                raw = repaired if isinstance(repaired, str) else repaired[-1]
                assert not _is_refused(specs[name], raw), (name, raw)
        # refusal must be the rule for non-text parameters
        for name, raw in query.items():
            if specs[name].kind not in ("text",) and raw not in ("1", "0"):
                assert name in refused, (name, raw)


def test_every_registered_page_has_its_file_and_every_page_file_is_registered():
    from ui.navigation import PAGES as REGISTERED
    from ui.navigation import ROOT

    missing = [p.file for p in REGISTERED if not p.exists]
    assert not missing, f"registered in ui/navigation.py but missing: {missing}"
    files = {str(path.relative_to(ROOT)) for path in (ROOT / "pages").glob("*.py")}
    assert files == {p.file for p in REGISTERED}, files ^ {p.file for p in REGISTERED}
