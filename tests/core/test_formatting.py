"""core.formatting: one way to write a short number."""

from __future__ import annotations

import pytest

from core.formatting import short_number


@pytest.mark.parametrize(
    ("x", "digits", "minus", "text"),
    [
        (0.4, 4, "−", "0.4"),
        (-0.06, 4, "−", "−0.06"),
        (6.8813735870195432, 4, "−", "6.881"),
        (1e-10, 4, "−", "1e−10"),
        (-0.0, 4, "−", "0"),
        (-0.0, 6, "-", "0"),
        (-2.5, 6, "-", "-2.5"),
        (1234567.0, 6, "−", "1.23457e+06"),
    ],
)
def test_short_number(x, digits, minus, text):
    assert short_number(x, digits, minus) == text


@pytest.mark.parametrize(
    ("text", "shown"), [("2", "2"), ("2.0", "2"), ("-1", "−1"), ("0.5", "0.5"), ("x", "x")]
)
def test_number_or_text(text, shown):
    from core.formatting import number_or_text

    assert number_or_text(text) == shown
