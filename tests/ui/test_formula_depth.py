"""A formula is typeset only while it stays readable: bounded length and bounded fraction nesting (issue 11)."""

from __future__ import annotations

import pytest

from core.expression import parse
from ui.shell import MAX_FRACTION_DEPTH, _fraction_depth, formula


@pytest.mark.parametrize(
    ("text", "depth"),
    [("x", 0), ("x/y", 1), ("x/(y/z)", 2), ("x/x/x/x", 3), ("exp(x/y)/z", 2), ("(x/2)/(3/(4/x))", 3)],
)
def test_fraction_depth_counts_fractions_inside_fractions(text, depth):
    assert _fraction_depth(parse(text, variables=("x", "y", "z")).latex()) == depth


class Box:
    def __init__(self):
        self.calls: list[tuple[str, str]] = []

    def latex(self, tex):
        self.calls.append(("latex", tex))

    def caption(self, text):
        self.calls.append(("caption", text))

    def code(self, text, **_):
        self.calls.append(("code", text))


def test_a_tower_of_fractions_is_shown_as_text_and_a_readable_one_typeset():
    tower = parse("/".join(["x"] * 150), variables=("x",))
    box = Box()
    assert not formula(f"f(x) = {tower.latex()}", "f(x) = x/x/…", container=box)
    kinds = [k for k, _ in box.calls]
    assert kinds == ["caption", "code"], kinds
    assert "149 fractions nested" in box.calls[0][1]
    ok = parse("/".join(["x"] * (MAX_FRACTION_DEPTH + 1)), variables=("x",))
    box = Box()
    assert formula(ok.latex(), "x/…", container=box)
    assert [k for k, _ in box.calls] == ["latex"]
