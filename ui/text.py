"""User text made inert: the one place a typed or linked string is prepared for Markdown.

Streamlit renders every notice, error and caption as Markdown (GitHub flavour, LaTeX, its own
`:icon:` and `:color[...]` directives, emoji shortcodes). A string from a link or a text box must
show as the characters it is, never as a link, a heading, a formula or an icon. `inert` does that:

- every ASCII punctuation character is backslash-escaped (CommonMark allows it for all of them),
  which disarms links `[t](u)`, autolinks `<u>`, raw HTML, `**bold**`, `$…$` and `:directives:`;
- bare-link literals (`www.x`, `https://x`, `a@b.c`) are found by GitHub-flavoured Markdown in the
  text *after* escapes are resolved, so a WORD JOINER (U+2060, invisible, zero width) goes between
  `www`/`http(s)`/`ftp` and what follows and before `@`: the text reads the same but is no link;
- line breaks and tabs become spaces (no line can start a heading or a list);
- invisible and direction-changing characters (zero-width, bidi overrides, other controls) are
  shown as their code point, e.g. `U+202E`, so what is on screen is what was sent;
- the result quotes at most `limit` characters of the value (then "…").
"""

from __future__ import annotations

import re
import string
import unicodedata
from collections.abc import Iterable, Sequence

_PUNCT = frozenset(string.punctuation)
_JOINER = "\u2060"
_AUTOLINK = re.compile(r"(?i)(?<![a-z0-9])(https?|ftp|www|mailto|xmpp)(?=[:.])|(?=@)")
LIMIT = 40


def _visible(ch: str) -> str:
    if ch in "\r\n\t\v\f":
        return " "
    if unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"):
        return f"⟨U+{ord(ch):04X}⟩"
    return ch


def shorten(text: str, limit: int | None = LIMIT) -> str:
    """`text` with invisible characters made visible, line breaks as spaces, cut to `limit` characters."""
    out = "".join(_visible(ch) for ch in str(text))
    if limit is not None and len(out) > limit:
        out = out[: max(limit - 1, 1)] + "…"
    return out


def escape(text: str) -> str:
    """Backslash-escape every ASCII punctuation character: Markdown then shows `text` literally."""
    text = _AUTOLINK.sub(lambda m: (m.group(1) or "") + _JOINER, text)
    return "".join("\\" + ch if ch in _PUNCT else ch for ch in text)


def inert(text: str, limit: int | None = LIMIT) -> str:
    """A user-controlled string as inert Markdown text, quoted, at most `limit` characters of it."""
    shown = shorten(text, limit)
    if not shown.strip():
        return "an empty value" if not shown else "a blank value"
    return f"“{escape(shown)}”"


def plain(text: str) -> str:
    """A whole message that may embed user text (e.g. a parser message), shown literally."""
    return escape(shorten(text, None))


_CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)*\1", re.S)
_BARE_BRACKET = re.compile(r"(?<!\\)([\[\]])")


def small(markdown: str) -> str:
    """`markdown` in Streamlit's small type (`:small[...]`), as a line inside a larger Markdown element.

    One element instead of a markdown and a caption (each element costs a browser re-render per slider
    step). A bracket outside a code span would end the directive early, so it is escaped; text already
    made inert keeps its escapes."""
    out, at = [], 0
    for m in _CODE_SPAN.finditer(markdown):
        out.append(_BARE_BRACKET.sub(r"\\\1", markdown[at : m.start()]))
        out.append(m.group(0))
        at = m.end()
    out.append(_BARE_BRACKET.sub(r"\\\1", markdown[at:]))
    return ":small[" + "".join(out) + "]"


def md_table(header: Sequence[str], rows: Iterable[Sequence[str]], align: str = "") -> str:
    """A Markdown table (one Markdown element: cheaper to build and to redraw than st.table or
    st.dataframe on every rerun). Cells are Markdown; a "|" in one is escaped. `align`: one letter per
    column, "l" left or "r" right; columns it does not cover are right-aligned (numbers)."""
    marks = ["---" if a == "l" else "---:" for a in align.ljust(len(header), "r")]
    cell = lambda c: str(c).replace("|", "\\|")  # noqa: E731
    lines = ["| " + " | ".join(cell(h) for h in header) + " |", "|" + "|".join(marks) + "|"]
    return "\n".join(lines + ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows])
