"""A slider move reruns only the stage it belongs to (issue 17): a page's controls and everything they change
live in functions decorated with `@st.fragment`, called from the page, so a move does not rerun the
sidebar, the header, the code or the challenge. Read from the page source (AppTest runs whole scripts and
cannot tell a fragment's rerun from a full one).
"""

from __future__ import annotations

import ast

import pytest

from ui.navigation import ROOT

# page -> its main slider (the one benchmarks/classroom.py moves)
MAIN_SLIDER = {
    "derivatives": "x0",
    "gradient_checking": "eps",
    "jacobians": "m",
    "autodiff": "step",
    "losses": "p0",
    "vanishing_gradients": "depth",
    "gradients": "w1",
    "gradient_descent": "w1",
    "activations": "xmax",
}
# page -> (a slider, the nested fragment that draws it): a step of it reruns only that inner part
NESTED = {
    "vanishing_gradients": ("depth", "by_depth"),
    "jacobians": ("m", "by_m"),
}
WIDGETS = {"slider", "log_slider", "number", "select", "multiselect", "toggle", "text"}  # ui.state.UrlState's


def _is_fragment(decorator: ast.expr) -> bool:
    target = decorator.func if isinstance(decorator, ast.Call) else decorator  # @st.fragment(...) too
    return (
        isinstance(target, ast.Attribute)
        and target.attr == "fragment"
        and isinstance(target.value, ast.Name)
        and target.value.id == "st"
    )


def _widgets(node: ast.AST) -> list[str]:
    """The names of the URL-state widgets created under node (`state.slider("x0", ...)` -> "x0")."""
    out = []
    for n in ast.walk(node):
        if (
            isinstance(n, ast.Call)
            and isinstance(n.func, ast.Attribute)
            and n.func.attr in WIDGETS
            and isinstance(n.func.value, ast.Name)
            and n.func.value.id == "state"
            and n.args
        ):
            first = n.args[0]
            out.append(first.value if isinstance(first, ast.Constant) else ast.unparse(first))
        elif isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == "stepper":
            # ui.stepper: a slider the browser draws, its position the page's URL parameter `name`
            out += [
                k.value.value for k in n.keywords if k.arg == "name" and isinstance(k.value, ast.Constant)
            ]
        elif isinstance(n, ast.Call) and _name_of(n.func) == "multi_stepper":
            # ui.stepper.multi_stepper: one slider per axis (`axes=AXES`, a tuple of sp.Axis("y", ...))
            for k in n.keywords:
                if k.arg == "axes":
                    out += (
                        _AXES.get(k.value.id, []) if isinstance(k.value, ast.Name) else _axis_names(k.value)
                    )
    return out


def _name_of(func: ast.expr) -> str | None:
    return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else None


def _axis_names(node: ast.AST) -> list[str]:
    """The URL names of the `Axis("y", ...)` calls in a tuple or list of them."""
    if not isinstance(node, ast.Tuple | ast.List):
        return []
    return [
        e.args[0].value
        for e in node.elts
        if isinstance(e, ast.Call)
        and _name_of(e.func) == "Axis"
        and e.args
        and isinstance(e.args[0], ast.Constant)
    ]


_AXES: dict[str, list[str]] = {}  # a page's `NAME = (sp.Axis(...), ...)` assignments: NAME -> axis names


def _read_axes(tree: ast.AST) -> None:
    _AXES.clear()
    for n in ast.walk(tree):
        if isinstance(n, ast.Assign) and len(n.targets) == 1 and isinstance(n.targets[0], ast.Name):
            names = _axis_names(n.value)
            if names:
                _AXES[n.targets[0].id] = names


def _called_names(node: ast.AST) -> set[str]:
    return {n.func.id for n in ast.walk(node) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)}


@pytest.mark.parametrize("page", list(MAIN_SLIDER))
def test_the_controls_and_what_they_change_are_in_fragments(page):
    tree = ast.parse((ROOT / "pages" / f"{page}.py").read_text(encoding="utf-8"))
    _read_axes(tree)
    functions = {f.name: f for f in tree.body if isinstance(f, ast.FunctionDef)}
    fragments = {name for name, f in functions.items() if any(_is_fragment(d) for d in f.decorator_list)}
    assert fragments, f"{page}: no function decorated with @st.fragment"

    # each fragment is drawn by the page itself (a module-level call) or by another fragment (a nested
    # one: its widgets rerun only it), not only defined
    page_level = [s for s in tree.body if not isinstance(s, ast.FunctionDef | ast.ClassDef)]
    called = set().union(*(_called_names(s) for s in page_level))
    assert fragments & called, f"{page}: no fragment is drawn by the page itself"
    nested = set().union(*(_called_names(functions[name]) for name in fragments)) & fragments
    assert fragments <= called | nested, (
        f"{page}: fragments never called: {sorted(fragments - called - nested)}"
    )

    inside = [w for name in fragments for w in _widgets(functions[name])]
    assert MAIN_SLIDER[page] in inside, f"{page}: the main slider {MAIN_SLIDER[page]!r} is not in a fragment"

    # no widget outside a fragment: not at module level, nor in a helper that the page calls outside one
    outside = [w for s in page_level for w in _widgets(s)]
    in_fragments = set().union(*(_called_names(functions[name]) for name in fragments))
    for name, f in functions.items():
        if name not in fragments and _widgets(f) and (name in called or name not in in_fragments):
            outside += _widgets(f)
    assert not outside, f"{page}: widgets outside any fragment rerun the whole page: {outside}"


@pytest.mark.parametrize("page", list(NESTED))
def test_a_slider_that_changes_little_reruns_only_a_nested_fragment(page):
    tree = ast.parse((ROOT / "pages" / f"{page}.py").read_text(encoding="utf-8"))
    _read_axes(tree)  # a multi_stepper's axes (`axes=AXES`)
    functions = {f.name: f for f in tree.body if isinstance(f, ast.FunctionDef)}
    slider, inner = NESTED[page]
    assert any(_is_fragment(d) for d in functions[inner].decorator_list), f"{page}: {inner} is not a fragment"
    assert slider in _widgets(functions[inner]), f"{page}: {slider!r} is not drawn by {inner}"
    outer = [
        name
        for name, f in functions.items()
        if name != inner and any(_is_fragment(d) for d in f.decorator_list) and inner in _called_names(f)
    ]
    assert outer, (
        f"{page}: {inner} is not nested in another fragment (its parent's controls would not redraw it)"
    )
