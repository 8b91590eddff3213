"""Tokenizer: text to tokens (numbers, names, operators, parentheses), with a student's word for each bad character."""

from __future__ import annotations

import keyword
import math
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

_DIGITS = frozenset("0123456789")
NAME_START = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_")
NAME_CHARS = NAME_START | _DIGITS
_WHITESPACE = frozenset(" \t\n\r")

_UNICODE_HINTS: Mapping[str, str] = MappingProxyType(
    {
        "²": "write x**2 for a square",
        "³": "write x**3 for a cube",
        "√": "write sqrt(x) for a square root",
        "×": "write * for multiplication",
        "·": "write * for multiplication",
        "⋅": "write * for multiplication",
        "÷": "write / for division",
        "−": "type the minus sign as the keyboard's -",
        "–": "type the minus sign as the keyboard's -",
        "—": "type the minus sign as the keyboard's -",
        "π": "write pi",
        "σ": "write sigmoid(x)",
        "∞": "infinity is not a number you can type",
    }
)


_ONE_CHARACTER: Mapping[str, str] = MappingProxyType(
    {"+": "OP", "-": "OP", "*": "OP", "/": "OP", "(": "LPAREN", ")": "RPAREN", ",": "COMMA"}
)
"""Tokens of one character, by kind."""


@dataclass(frozen=True, slots=True)
class Token:
    """One token. ``kind`` is NUM, NAME, OP, LPAREN, RPAREN, COMMA, END or BAD (a lexical error)."""

    kind: str
    text: str
    position: int
    value: float = 0.0
    message: str = ""
    hint: str = ""


def _bad(position: int, message: str, hint: str = "", text: str = "") -> Token:
    """A token that raises ``ParseError(message, position, hint)`` when the parser reaches it."""
    return Token("BAD", text, position, message=message, hint=hint)


def tokenize(text: str) -> list[Token]:
    """Split text into tokens; stops at the first lexical error, recorded as a BAD token."""
    tokens: list[Token] = []
    n = len(text)
    i = 0
    while i < n:
        c = text[i]
        if c in _WHITESPACE:
            i += 1
            continue
        if c in _DIGITS or (c == "." and i + 1 < n and text[i + 1] in _DIGITS):
            j = i
            while j < n and text[j] in _DIGITS:
                j += 1
            if j < n and text[j] == ".":
                j += 1
                while j < n and text[j] in _DIGITS:
                    j += 1
            if j < n and text[j] in "eE":
                k = j + 1
                if k < n and text[k] in "+-":
                    k += 1
                if k < n and text[k] in _DIGITS:
                    while k < n and text[k] in _DIGITS:
                        k += 1
                    j = k
            literal = text[i:j]
            value = float(literal)  # a plain decimal literal: float() is a number parser, nothing more
            if not math.isfinite(value):
                tokens.append(_bad(i, f"number too large: {literal}", "the largest float64 is about 1.8e308"))
                return tokens
            tokens.append(Token("NUM", literal, i, value=value))
            i = j
            continue
        if c in NAME_START:
            j = i
            while j < n and text[j] in NAME_CHARS:
                j += 1
            name = text[i:j]
            if name == "lambda":
                tokens.append(_bad(i, "lambda functions are not allowed", "type a formula such as x**2"))
                return tokens
            if keyword.iskeyword(name):
                tokens.append(
                    _bad(
                        i,
                        f"Python keywords like '{name}' are not allowed",
                        "type a single formula such as sin(x) + x**2",
                    )
                )
                return tokens
            tokens.append(Token("NAME", name, i))
            i = j
            continue
        if text.startswith("**", i):
            tokens.append(Token("OP", "**", i))
            i += 2
            continue
        if c == "^":
            tokens.append(Token("OP", "**", i))  # a student's ^ means power, as in LaTeX
            i += 1
            continue
        if c in _ONE_CHARACTER:
            tokens.append(Token(_ONE_CHARACTER[c], c, i))
            i += 1
            continue
        tokens.append(lexical_error(text, i, tokens))
        return tokens
    tokens.append(Token("END", "", n))
    return tokens


def lexical_error(text: str, i: int, tokens: list[Token]) -> Token:
    """The BAD token explaining why character ``text[i]`` cannot start a token."""
    c = text[i]
    previous = tokens[-1] if tokens else None
    if c == ".":
        if previous is not None and previous.kind in ("NAME", "RPAREN"):
            j = i + 1
            while j < len(text) and text[j] in NAME_CHARS:
                j += 1
            attribute = text[i:j] if j > i + 1 else ".__class__"
            return _bad(
                i,
                f"attributes like {attribute} are not allowed",
                "type a formula with numbers, variables, operators and functions only",
            )
        return _bad(i, "unexpected '.'", "a decimal point must be part of a number such as 0.5")
    if c in "'\"":
        return _bad(i, "strings (text in quotes) are not allowed", "type the formula without quotes")
    if c in "[]":
        return _bad(i, "square brackets [ ] are not allowed", "use parentheses ( ) for grouping")
    if c in "{}":
        return _bad(i, "curly braces { } are not allowed", "use parentheses ( ) for grouping")
    if c == "=" and not text.startswith("==", i):
        return _bad(
            i,
            "'=' is not allowed",
            "type only the right-hand side, e.g. x**2 instead of y = x**2 (no assignments)",
        )
    if c in "=<>!":
        return _bad(i, "comparisons like ==, < and > are not allowed", "type a formula such as x**2")
    if c == ";":
        return _bad(i, "';' is not allowed", "type a single formula, not several statements")
    if c == ":":
        return _bad(i, "':' is not allowed", "type a formula such as x**2")
    if c == "%":
        return _bad(i, "'%' is not allowed", "use / for division; remainders are not supported")
    if c == "#":
        return _bad(i, "comments ('#') are not allowed", "type only the formula")
    code = ord(c)
    if code < 32 or code == 127:
        return _bad(i, f"invalid control character U+{code:04X}", "remove it and type the formula again")
    if code > 127:
        hint = _UNICODE_HINTS.get(c, "use only ASCII letters, digits, + - * / ** ^ and parentheses")
        return _bad(i, f"the character '{c}' (U+{code:04X}) is not allowed", hint)
    return _bad(i, f"the character '{c}' is not allowed", "use only + - * / ** ^ and parentheses")
