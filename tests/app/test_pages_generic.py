"""Generic AppTest checks run on every page in the navigation (new pages need no new test code)."""

from __future__ import annotations

import math

import pytest

from tests.support import (
    INJECTION,
    MALFORMED,
    PAGE_IDS,
    PAGES,
    assert_ok,
    live_markup,
    notices,
    open_page,
    url_specs,
)
from ui.state import Param
from ui.text import inert

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
    for kind in (
        "slider",
        "select_slider",
        "number_input",
        "selectbox",
        "multiselect",
        "radio",
        "toggle",
        "checkbox",
        "text_input",
    ):
        for w in at.get(kind):
            if getattr(w, "key", None) and not w.key.startswith(
                ("sidebar.", "challenge.")
            ):  # challenges: test_challenges.py
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


SUB_PAGES = [p for p in PAGES if p.url_path]
SUB_IDS = [i for i in PAGE_IDS if i != "home"]


@pytest.mark.parametrize("page", SUB_PAGES, ids=SUB_IDS)
def test_hostile_links_show_only_inert_text(page):
    """Every parameter set to a link/HTML/LaTeX/icon/bidi payload: nothing of it renders as live markup."""
    specs = url_specs(open_page(page))
    if not specs:
        pytest.skip("page has no URL parameters")
    for raw in INJECTION:
        at = open_page(page, {name: raw for name in specs})
        assert_ok(at)
        assert not live_markup(at, raw), (raw, live_markup(at, raw)[:2])
        shown = notices(at)
        for name, spec in specs.items():
            if _is_refused(spec, raw):
                quoted = [n for n in shown if f"`{name}`" in n]
                assert quoted and inert(raw) in quoted[0], (name, raw, shown)
                assert len(quoted[0]) < 200 + len(", ".join(map(str, spec.options))), (
                    "the value is quoted short"
                )


def _bad_value(spec: Param) -> str | None:
    return None if spec.kind == "text" else "abc"


@pytest.mark.parametrize("page", SUB_PAGES, ids=SUB_IDS)
def test_a_notice_belongs_to_its_link(page):
    """Bad link → its notice; then a clean link → none; then another bad link → exactly one, not two."""
    specs = url_specs(open_page(page))
    name = next((n for n, sp in specs.items() if _bad_value(sp)), None)
    if name is None:
        pytest.skip("no parameter that can be malformed")
    at = open_page(page, {name: "abc"})
    assert len([n for n in notices(at) if f"`{name}`" in n]) == 1
    at.query_params.clear()
    at.query_params[name] = specs[name].format(specs[name].default)
    at.run()
    assert_ok(at)
    assert not notices(at), notices(at)
    at.query_params[name] = "not-a-value"
    at.run()
    assert_ok(at)
    assert len(notices(at)) == 1, notices(at)
    at.run()  # a plain rerun (a widget moved) keeps the notice of the link that is still current
    assert len(notices(at)) == 1, notices(at)


def _changed_value(kind, w, current):
    for v in _extreme_values(kind, w):
        if kind == "text_input":
            v = "x"
        if v != current and not (kind in ("selectbox", "radio") and isinstance(current, str)):
            return v
    return None


@pytest.mark.parametrize("page", SUB_PAGES, ids=SUB_IDS)
def test_leaving_a_page_and_coming_back_keeps_its_work(page):
    """Change every widget, go to another page through the navigation, come back: all as it was left."""
    at = open_page(page)
    for kind, key in list(_widgets(at)):
        w = _find(at, kind, key)
        if w is None:
            continue
        v = _changed_value(kind, w, w.value)
        if v is None:
            continue
        _set(at, kind, w, v)
        at.run()
        assert_ok(at)
    names = url_specs(at)
    left = {
        n: at.session_state[f"{page.url_path}.{n}"]
        for n in names
        if f"{page.url_path}.{n}" in at.session_state
    }
    url_left = {k: at.query_params[k] for k in at.query_params}
    assert left
    other = next(p for p in PAGES if p.url_path != page.url_path)
    at.query_params.clear()  # the browser drops a page's parameters when the navigation changes page
    at.switch_page(other.file).run()
    assert_ok(at)
    at.query_params.clear()
    at.switch_page(page.file).run()
    assert_ok(at)
    back = {n: at.session_state[f"{page.url_path}.{n}"] for n in left}
    assert back == left
    url_back = {k: at.query_params[k] for k in at.query_params}
    assert url_back and all(url_left.get(k) == v for k, v in url_back.items()), "the address shows it again"
    assert {k for k in url_back} >= {n for n in left if n in url_left and n in url_specs(at)}
