"""Several checks in ONE bordered box, one Markdown element: a line (or two) per check.

`ui.shell.check_badge` draws each check as a box and a Markdown element; a row of them (Activations: one
per activation, in columns) is re-sent and re-rendered on every slider step of its fragment, two elements
and a column block per check. Here the same text — the label, the green/amber/red badge, both values and
the relative error, from `ui.shell`'s own classification and formats — goes into one element.

(Owned by the Derivatives/Activations/Losses helper of session 5. Meant to be folded into `ui.shell`:
`check_badge` could build its Markdown with `check_text` and the private names imported below go away.)
"""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from core.gradient_check import GOOD, SUSPICIOUS
from ui.shell import _ICONS, _WORDS, check_level, fmt
from ui.text import small


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
    """(colour, Markdown) of one check, worded as `check_badge` words it; `one_line` puts the values on
    the label's line (a list of many short checks)."""
    level = check_level(rel_err, good, suspicious)
    values = f"{a_name}: `{fmt(a)}` · {b_name}: `{fmt(b)}` · relative error `{rel_err:.1e}`"
    head = f"**{label}** &nbsp; :{level}-badge[{_ICONS[level]} {_WORDS[level]}]"
    text = f"{head} &nbsp; {values}" if one_line else f"{head}  \n{values}"
    return level, text + (f"\n\n{small(note)}" if note else "")


def check_box(texts: Sequence[str], *, note: str | None = None, container=st) -> None:
    """The checks' texts (from `check_text`) in one bordered box, one Markdown element, then `note` in
    small type."""
    body = "\n\n".join(texts) + (f"\n\n{small(note)}" if note else "")
    container.container(border=True).markdown(body)
