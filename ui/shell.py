"""What every page has: the deep-link guard, a header, check badges and "show the code"."""

from __future__ import annotations

import inspect
import math
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import streamlit as st

from core.expression import ParseError
from core.gradient_check import GOOD, SUSPICIOUS, level_of
from ui.text import inert, plain, small


def ensure_entry() -> None:
    """First line of every page: render through the entry script even when started directly.

    On a fresh server whose first request is a deep link (`/derivatives?x0=2.5`), Streamlit's
    legacy `pages/` router runs the page file on its own. Then we run the entry (page config,
    navigation, shared sidebar), which runs this page properly, and stop the direct run.
    """
    from ui.app import inside_entry, run_app

    if inside_entry():
        return
    run_app()
    st.stop()


def header(
    title: str, intro: str, formula: str | None = None, *, icon: str | None = None, promise: str | None = None
) -> None:
    """Title, one-line promise, the page's key formula; the introduction behind "About this page".

    The page pattern lives in `ui.layout` (this name is kept for the pages that call it).
    """
    from ui import layout

    layout.header(title, intro, formula, icon=icon, promise=promise)


# -- checks ---------------------------------------------------------------------------------
# One classification of relative error for the whole app: core.gradient_check's thresholds
# (below 1e-7 fine, up to 1e-4 suspicious, above a bug), shown as green / amber / red.
_COLOURS = {"fine": "green", "suspicious": "orange", "bug": "red"}


def check_level(rel_err: float, good: float = GOOD, suspicious: float = SUSPICIOUS) -> str:
    """The badge colour of a relative error: 'green', 'orange' or 'red' (core's level_of)."""
    return _COLOURS[level_of(rel_err, good, suspicious)]


_WORDS = {"green": "agree", "orange": "suspicious", "red": "disagree"}
_ICONS = {"green": ":material/check_circle:", "orange": ":material/warning:", "red": ":material/error:"}


def fmt(x: float, digits: int = 6) -> str:
    """A number for the screen: fixed for moderate magnitudes, scientific otherwise."""
    if isinstance(x, int):
        return str(x)
    x = float(x)
    if x == 0 or not math.isfinite(x):
        return f"{x:g}"
    return f"{x:.{digits}f}" if 1e-3 <= abs(x) < 1e6 else f"{x:.{max(digits - 2, 1)}e}"


def check_text(
    label: str,
    a: float,
    b: float,
    rel_err: float,
    *,
    a_name: str = "analytic",
    b_name: str = "numeric",
    good: float = GOOD,
    suspicious: float = SUSPICIOUS,
    note: str | None = None,
    one_line: bool = False,
) -> tuple[str, str]:
    """(colour, Markdown) of one check: label, green/amber/red badge, both values, relative error, and
    `note` in small type; `one_line` puts the values on the label's line (a list of many short checks)."""
    level = check_level(rel_err, good, suspicious)
    values = f"{a_name}: `{fmt(a)}` · {b_name}: `{fmt(b)}` · relative error `{rel_err:.1e}`"
    head = f"**{label}** &nbsp; :{level}-badge[{_ICONS[level]} {_WORDS[level]}]"
    text = f"{head} &nbsp; {values}" if one_line else f"{head}  \n{values}"
    return level, text + (f"\n\n{small(note)}" if note else "")


def check_box(
    texts: Sequence[str], *, note: str | None = None, container=st, width: int | str = "stretch"
) -> None:
    """Several checks (`check_text`'s Markdown) in one bordered box, ONE Markdown element (each element is
    re-sent and re-rendered on every slider step of its fragment), then `note` in small type."""
    body = "\n\n".join(texts) + (f"\n\n{small(note)}" if note else "")
    container.container(border=True, width=width).markdown(body)


def check_badge(
    label: str,
    a: float,
    b: float,
    rel_err: float,
    *,
    a_name: str = "analytic",
    b_name: str = "numeric",
    good: float = GOOD,
    suspicious: float = SUSPICIOUS,
    container=st,
    note: str | None = None,
    width: int | str = "stretch",
) -> str:
    """Two independently computed values, their relative error, and a green/amber/red verdict, in a box.

    `rel_err` is passed in (computed by `core.finite_diff.relative_error`) so this module holds no math.
    Returns the colour, which tests and callers may use.
    """
    level, text = check_text(
        label, a, b, rel_err, a_name=a_name, b_name=b_name, good=good, suspicious=suspicious, note=note
    )
    check_box([text], container=container, width=width)
    return level


def thresholds_caption(good: float = GOOD, suspicious: float = SUSPICIOUS) -> str:
    return (
        f"Relative error |a−b| / (|a|+|b|): green below {good:.0e}, amber up to {suspicious:.0e}, red above."
    )


# -- typed formulas ---------------------------------------------------------------------------
MAX_LATEX = (
    3000  # characters of LaTeX sent to the browser for one formula (KaTeX draws this in well under 1 s)
)
MAX_FORMULA_TEXT = 600  # characters of the plain-text fallback shown
MAX_FRACTION_DEPTH = 6  # fractions inside fractions inside … typeset as a readable formula (x/x/…/x is 149)


def _fraction_depth(tex: str) -> int:
    """How deeply `\\frac`s nest in a LaTeX string: 1 for x/y, 2 for x/(y/z), 0 without any."""
    stack: list[bool] = []  # per open brace: does it open a fraction's argument?
    args_due: dict[int, int] = {}  # brace level -> fraction arguments still to open at that level
    depth = deepest = i = 0
    while i < len(tex):
        if tex.startswith("\\frac", i):
            args_due[len(stack)] = args_due.get(len(stack), 0) + 2
            i += 5
            continue
        c = tex[i]
        if c == "{":
            is_arg = args_due.get(len(stack), 0) > 0
            if is_arg:
                args_due[len(stack)] -= 1
            stack.append(is_arg)
            depth += is_arg
            deepest = max(deepest, depth)
        elif c == "}" and stack:
            depth -= stack.pop()
            args_due.pop(len(stack) + 1, None)
        i += 1
    return deepest


def typesets(tex: str, limit: int = MAX_LATEX) -> bool:
    """True when `tex` is small enough for `formula` to typeset it (its length and its nested fractions)."""
    return len(tex) <= limit and _fraction_depth(tex) <= MAX_FRACTION_DEPTH


def formula(tex: str, text: str | None = None, *, container=st, limit: int = MAX_LATEX) -> bool:
    """A formula in LaTeX if it is small enough to typeset quickly, else a plain-text excerpt.

    A derivative of an accepted formula can be huge (`x/x/…/x` has a 116 kB LaTeX derivative, which
    blocks a browser tab for seconds): only the size is said, plus the start of `text` as code.
    Returns True when the LaTeX was drawn.
    """
    depth = _fraction_depth(tex)
    if typesets(tex, limit):
        container.latex(tex)
        return True
    why = (
        f"{len(tex):,} characters of LaTeX"
        if len(tex) > limit
        else f"{depth} fractions nested in each other: a tower no one can read"
    )
    container.caption(
        f"Too large to typeset ({why}); "
        + ("its beginning as text:" if text else "the numbers below are unaffected.")
    )
    if text:
        cut = (
            text
            if len(text) <= MAX_FORMULA_TEXT
            else text[:MAX_FORMULA_TEXT] + f" … ({len(text):,} characters)"
        )
        container.code(cut, language=None, wrap_lines=True)
    return False


def _sentence(text: str) -> str:
    """A hint as a sentence: capital first letter, final full stop."""
    text = text.strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "?", "!")) else text + "."


def show_parse_error(err: ParseError, text: str, what: str, then: str, *, fallback: str | None = None) -> str:
    """The parser's message, its hint and a caret under the position.

    `what` names the formula ("f(x)"), `then` what follows once it is fixed ("the graph"). Without a
    `fallback` the page run stops here. With one (the last formula that parsed), the page goes on with
    it, greyed out below the message, so a typo does not blank the page: returns the text to use.
    """
    hint = f" {plain(_sentence(err.hint))}" if err.hint else ""
    st.error(
        f"**Could not read {what}:** {plain(err.message)} (at character {err.position + 1}).{hint}",
        icon=":material/error:",
    )
    st.code(f"{text}\n{' ' * err.position}^", language=None)
    if fallback is None or fallback == text:
        st.info(f"Fix the formula above; {then} will follow.", icon=":material/edit:")
        from ui.state import stop_page

        stop_page()  # inside a fragment too, the whole page ends here
    marker = "stale-formula"
    with st.container(key=marker):  # the marker: everything after it on the page is drawn faded
        st.info(
            f"Fix the formula above. Until then, {then} shows the last formula that worked, greyed: "
            f"{inert(fallback, limit=80)}.",
            icon=":material/edit:",
        )
    st.html(
        f"<style>.st-key-{marker} ~ div, div:has(> .st-key-{marker}) ~ div "
        "{ opacity: 0.45; filter: grayscale(0.6); }</style>"
    )
    return fallback


# -- show the code ----------------------------------------------------------------------------
@st.cache_data(show_spinner=False)
def _source(module: str, qualname: str) -> str:
    import importlib

    obj = importlib.import_module(module)
    for part in qualname.split("."):
        obj = getattr(obj, part)
    return inspect.getsource(obj)


SNIPPETS = Path(__file__).resolve().parent / "snippets"  # one short, runnable teaching version per page


def teaching_snippet(page: str) -> str | None:
    """The page's teaching version (`ui/snippets/<page>.py`): NumPy only, 10–30 lines, runs on its own."""
    path = SNIPPETS / f"{page}.py"
    return path.read_text(encoding="utf-8") if path.is_file() else None


def show_code_key(page: str) -> str:
    """The session-state key of a page's "Show the code" expander (True: open, its code is drawn)."""
    return f"{page}.show_code_open"


def show_code(
    *objects: Callable | type,
    label: str = "Show the code",
    caption: str | None = None,
    page: str | None = None,
) -> None:
    """A short teaching version of the page's computation, and the exact `core/` source one click further.

    The teaching version is `ui/snippets/<page>.py` (page = the calling page file's name by default).
    The code is drawn only while the expander is open (opening it is a rerun): a closed expander's
    content is still in the browser, and its syntax-highlighted blocks were re-rendered on every slider
    step, ~15 ms of each step on Jacobians (`benchmarks/browser_steps.py`).
    """
    if page is None:
        caller = inspect.currentframe()
        page = Path(caller.f_back.f_code.co_filename).stem if caller and caller.f_back else ""
    snippet = teaching_snippet(page)
    box = st.expander(label, icon=":material/code:", key=show_code_key(page), on_change="rerun")
    with box:
        if not box.open:
            return
        if snippet is not None:
            teach, full = st.tabs(["Teaching version", "Full core source"])
            teach.caption("The same computation in a few lines of NumPy: copy it into a file and run it.")
            teach.code(snippet, language="python")
        else:
            full = st.container()
        full.caption(caption or "The exact `core/` code that produced the numbers on this page.")
        for obj in objects:
            name = getattr(obj, "__qualname__", getattr(obj, "__name__", str(obj)))
            full.code(_source(obj.__module__, name), language="python")


def explain(*paragraphs: str) -> None:
    """Short explanation next to a plot, in the caption style."""
    for p in paragraphs:
        st.caption(p)


def bullet_list(items: Iterable[str]) -> str:
    return "\n".join(f"- {i}" for i in items)
