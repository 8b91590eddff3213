"""ui.wording: every planted bug of core has its on-screen explanation."""

from __future__ import annotations

from core.gradient_check import BUGS
from ui.wording import BUG_EXPLANATIONS


def test_every_planted_bug_is_explained_once():
    assert set(BUG_EXPLANATIONS) == set(BUGS)
    assert all(text.strip() for text in BUG_EXPLANATIONS.values())
