"""ui.text.small: a note in small type inside a larger Markdown element, its brackets kept literal."""

from __future__ import annotations

from ui.text import inert, small


def test_small_wraps_the_text_in_the_directive():
    assert small("relative error over the curve") == ":small[relative error over the curve]"


def test_a_bracket_outside_code_is_escaped_so_the_directive_does_not_end_early():
    assert small("entry W[i, j] largest") == r":small[entry W\[i, j\] largest]"


def test_code_spans_keep_their_brackets():
    assert small("shape `x[0]` and ``a[`b`]``") == ":small[shape `x[0]` and ``a[`b`]``]"


def test_inert_user_text_keeps_its_escapes():
    typed = inert("[evil](https://x.y)")
    out = small(f"you typed {typed}")
    assert out == f":small[you typed {typed}]"  # already escaped: nothing doubled
    assert "[evil]" not in out
