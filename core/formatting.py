"""How a number is written in labels and sentences: a few significant digits, −0 as 0, a typographic minus."""

from __future__ import annotations


def short_number(x: float, digits: int = 4, minus: str = "−") -> str:
    """``x`` to ``digits`` significant digits (0.4, −0.06, 6.881, 1e−10); −0 reads 0; ``minus="-"`` for ASCII."""
    return f"{float(x) + 0.0:.{digits}g}".replace("-", minus)


def number_or_text(text: str) -> str:
    """``short_number`` of ``text`` if it is a number (``"2.0"`` → ``"2"``), else ``text`` unchanged."""
    try:
        return short_number(float(text))
    except ValueError:
        return text
