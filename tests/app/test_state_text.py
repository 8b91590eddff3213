"""ui.text (user text made inert) and ui.state's small truths about link values."""

from __future__ import annotations

import re

import pytest

from tests.support import INJECTION
from ui.shell import _sentence
from ui.state import Param
from ui.text import escape, inert, plain, shorten


@pytest.mark.parametrize("raw", list(INJECTION))
def test_inert_escapes_every_markdown_construct(raw):
    out = inert(raw, limit=None)
    body = out[1:-1]  # inside the quotes
    i = 0
    while i < len(body):  # every ASCII punctuation character is escaped by a backslash
        ch = body[i]
        if ch == "\\":
            assert i + 1 < len(body) and not body[i + 1].isalnum(), (raw, out)
            i += 2
            continue
        assert ch.isalnum() or ch in " ⟨⟩…" or ord(ch) > 127, (raw, ch, out)
        i += 1
    assert "\n" not in out and "\r" not in out
    # GitHub-flavoured Markdown links bare URLs and e-mail addresses in the text left after escapes
    unescaped = re.sub(r"\\(.)", r"\1", out)
    assert not re.search(r"(?i)(https?://|www\.|[\w.+-]@\w)", unescaped), out
    assert not any(c in out for c in "\u200b\u200d\u202e\u202c")


def test_inert_quotes_at_most_forty_characters():
    out = inert("a" * 10_000)
    assert out.count("a") == 39 and out.endswith("…”")
    assert shorten("ab\u202ecd") == "ab⟨U+202E⟩cd"  # shown, not obeyed
    assert inert("") == "an empty value" and inert("  ") == "a blank value"


def test_plain_keeps_dunder_names_literal():
    assert plain("unknown name '__import__'") == "unknown name \\'\\_\\_import\\_\\_\\'"
    assert escape("*") == "\\*"


def test_minus_zero_from_a_link_is_zero():
    value, problem = Param("float", 1.0, -5, 5).parse("-0")
    assert problem is None and Param("float", 1.0).format(value) == "0"


def test_duplicates_are_removed_before_counting():
    spec = Param("multi", ["sgd"], options=("sgd", "adam", "momentum"), max_items=3)
    assert spec.parse(",".join(["sgd"] * 10)) == (["sgd"], None)
    assert spec.parse("sgd,adam,sgd,momentum,adam") == (["sgd", "adam", "momentum"], None)
    assert spec.parse("sgd,adam,momentum,sgd,nope")[1] is not None


def test_hints_are_sentences():
    assert _sentence("use only ASCII letters") == "Use only ASCII letters."
    assert _sentence("did you mean sin?") == "Did you mean sin?"


def test_parser_messages_show_names_literally_and_hints_as_sentences():
    from tests.support import assert_ok, open_page
    from ui.navigation import page_by_url

    at = open_page(page_by_url("derivatives"), {"fn": "custom", "expr": "__import__"})
    assert_ok(at)
    err = at.error[0].value
    assert "\\_\\_import\\_\\_" in err and "'__import__'" not in err  # not bold "import"
    assert ". Allowed names are" in err  # the hint starts a sentence
