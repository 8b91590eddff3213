"""Recursive-descent parser over the tokens, bounded in depth, node count and exponent size (never eval)."""

from __future__ import annotations

import difflib
import keyword
import math

from core.expression.evaluate import constant_value
from core.expression.functions import CONSTANTS, FUNCTION_NAMES, INTERNAL_FUNCTION_NAMES
from core.expression.lexer import NAME_CHARS, NAME_START, Token, tokenize
from core.expression.tree import (
    MAX_DEPTH,
    MAX_EXPONENT,
    MAX_LENGTH,
    MAX_NODES,
    BinOp,
    Call,
    Const,
    Neg,
    Node,
    Num,
    ParseError,
    Var,
)


class Parser:
    """Recursive descent over the token list, bounded in depth and node count."""

    def __init__(self, text: str, tokens: list[Token], variables: tuple[str, ...], allow_internal: bool):
        self.text = text
        self.tokens = tokens
        self.index = 0
        self.depth = 0
        self.nodes = 0
        self.variables = variables
        self.functions = FUNCTION_NAMES + (INTERNAL_FUNCTION_NAMES if allow_internal else ())
        self.constant_cache: dict[int, float | None] = {}

    # token helpers -------------------------------------------------------------------------

    def peek(self) -> Token:
        """The next token; a lexical error becomes a ParseError as soon as the parser reaches it."""
        token = self.tokens[self.index]
        if token.kind == "BAD":
            raise ParseError(token.message, token.position, token.hint)
        return token

    def advance(self) -> Token:
        """Consume and return the next token."""
        token = self.peek()
        self.index += 1
        return token

    def previous(self) -> Token | None:
        """The last consumed token."""
        return self.tokens[self.index - 1] if self.index > 0 else None

    def make(self, node: Node, position: int) -> Node:
        """Count a new node against MAX_NODES."""
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise ParseError(
                f"formula too large: more than {MAX_NODES} numbers, names and operators",
                position,
                "split it into smaller pieces",
            )
        return node

    def enter(self, position: int) -> None:
        """Go one nesting level deeper, refusing more than MAX_DEPTH."""
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ParseError(
                f"formula nested too deeply: more than {MAX_DEPTH} levels of parentheses, signs or powers",
                position,
                "simplify the formula",
            )

    def leave(self) -> None:
        """Come back up one nesting level."""
        self.depth -= 1

    def constant(self, node: Node) -> float | None:
        """Cached float value of a variable-free sub-tree (None if it has variables)."""
        key = id(node)
        if key not in self.constant_cache:
            self.constant_cache[key] = constant_value(node)
        return self.constant_cache[key]

    # errors ---------------------------------------------------------------------------------

    def implicit_multiplication(self, token: Token) -> ParseError:
        """The error for two operands written side by side, such as 2x or (x)(y)."""
        before = self.previous()
        left = before.text if before is not None and before.kind in ("NUM", "NAME") else "(...)"
        right = token.text if token.kind in ("NUM", "NAME") else "(...)"
        typed = f"{left}{right}"
        if before is not None and before.kind in ("NUM", "NAME") and token.kind in ("NUM", "NAME"):
            typed = self.text[before.position : token.position + len(token.text)]  # as the student typed it
        return ParseError(
            f"missing operator before '{token.text}'",
            token.position,
            f"multiplication must be written out: write {left}*{right}, not {typed}",
        )

    def unexpected(self, token: Token, context: str) -> ParseError:
        """The error for a token that cannot appear here."""
        if token.kind == "END":
            before = self.previous()
            after = f" after '{before.text}'" if before is not None else ""
            return ParseError(
                f"formula ends too early{after}",
                token.position,
                "expected a number, a name or '(' next",
            )
        if token.kind == "COMMA":
            return ParseError("commas are not allowed", token.position, "each function takes one argument")
        if token.kind == "RPAREN":
            return ParseError("unexpected ')'", token.position, f"expected {context}")
        return ParseError(f"unexpected '{token.text}'", token.position, f"expected {context}")

    # grammar --------------------------------------------------------------------------------

    def parse(self) -> Node:
        """expression END"""
        first = self.peek()
        if first.kind == "END":
            raise ParseError("empty formula", 0, "type a formula such as x**2 + 1")
        node = self.expression()
        token = self.peek()
        if token.kind == "END":
            return node
        if token.kind == "RPAREN":
            raise ParseError(
                "unbalanced parentheses: ')' has no matching '('", token.position, "remove it or add a '('"
            )
        if token.kind in ("NUM", "NAME", "LPAREN"):
            raise self.implicit_multiplication(token)
        raise self.unexpected(token, "an operator such as + - * / **")

    def expression(self) -> Node:
        """term (("+" | "-") term)*"""
        self.enter(self.peek().position)
        node = self.term()
        while (token := self.peek()).kind == "OP" and token.text in "+-":
            self.advance()
            node = self.make(BinOp(token.text, node, self.term()), token.position)
        self.leave()
        return node

    def term(self) -> Node:
        """unary (("*" | "/") unary)*"""
        node = self.unary()
        while (token := self.peek()).kind == "OP" and token.text in ("*", "/"):
            self.advance()
            node = self.make(BinOp(token.text, node, self.unary()), token.position)
        return node

    def unary(self) -> Node:
        """("+" | "-") unary | power"""
        token = self.peek()
        if token.kind == "OP" and token.text in "+-":
            self.advance()
            self.enter(token.position)
            operand = self.unary()
            self.leave()
            return operand if token.text == "+" else self.make(Neg(operand), token.position)
        return self.power()

    def power(self) -> Node:
        """primary (("**" | "^") unary)?"""
        base = self.primary()
        token = self.peek()
        if not (token.kind == "OP" and token.text == "**"):
            return base
        self.advance()
        self.enter(token.position)
        exponent = self.unary()
        self.leave()
        node = self.make(BinOp("**", base, exponent), token.position)
        exponent_value = self.constant(exponent)
        if exponent_value is not None and math.isnan(exponent_value):
            raise ParseError(
                "the exponent is not a number (it works out to NaN, e.g. 0/0)",
                token.position,
                "use an exponent that is a number, such as 2 or 0.5",
            )
        if exponent_value is not None and not abs(exponent_value) <= MAX_EXPONENT:
            shown = f"{exponent_value:.6g}" if math.isfinite(exponent_value) else "too large to compute"
            raise ParseError(
                f"exponent too large: {shown}",
                token.position,
                f"constant exponents must be between -{MAX_EXPONENT:g} and {MAX_EXPONENT:g}",
            )
        base_value = self.constant(base)
        if base_value is not None and exponent_value is not None:
            value = self.constant(node)
            if value is not None and math.isinf(value) and math.isfinite(base_value) and base_value != 0.0:
                raise ParseError(
                    "number too large: this power overflows",
                    token.position,
                    "the largest float64 is about 1.8e308",
                )
        return node

    def primary(self) -> Node:
        """number | name | function "(" expression ")" | "(" expression ")" """
        token = self.peek()
        if token.kind == "NUM":
            self.advance()
            return self.make(Num(token.value), token.position)
        if token.kind == "NAME":
            return self.name()
        if token.kind == "LPAREN":
            self.advance()
            if self.peek().kind == "RPAREN":
                raise ParseError("empty parentheses ()", token.position, "put a formula inside, e.g. (x + 1)")
            inner = self.expression()
            self.close(token)
            return inner
        raise self.unexpected(token, "a number, a name or '('")

    def close(self, opening: Token, function: str | None = None) -> None:
        """Consume the ')' matching ``opening``."""
        token = self.peek()
        if token.kind == "RPAREN":
            self.advance()
            return
        if token.kind == "END":
            raise ParseError(
                "unbalanced parentheses: '(' is never closed", opening.position, "add the missing ')'"
            )
        if token.kind == "COMMA":
            if function is not None:
                raise ParseError(
                    f"{function}() takes exactly one argument", token.position, f"write {function}(x)"
                )
            raise ParseError("commas are not allowed", token.position, "write a single formula")
        if token.kind in ("NUM", "NAME", "LPAREN"):
            raise self.implicit_multiplication(token)
        raise self.unexpected(token, "an operator or ')'")

    def name(self) -> Node:
        """A variable, a constant, or a function call."""
        token = self.advance()
        name = token.text
        following = self.peek()  # raises first if an attribute access (name.attr) follows
        calls = following.kind == "LPAREN"
        if name in self.functions:
            if not calls:
                raise ParseError(
                    f"'{name}' is a function", token.position, f"call it with parentheses: {name}(x)"
                )
            self.advance()
            if self.peek().kind == "RPAREN":
                raise ParseError(f"{name}() needs an argument", following.position, f"e.g. {name}(x)")
            arg = self.expression()
            self.close(following, function=name)
            return self.make(Call(name, arg), token.position)
        if name in self.variables or name in CONSTANTS:
            if calls:
                kind = "variable" if name in self.variables else "constant"
                raise ParseError(
                    f"'{name}' is a {kind}, not a function",
                    following.position,
                    f"write {name}*(...) to multiply",
                )
            node: Node = Var(name) if name in self.variables else Const(name)
            return self.make(node, token.position)
        allowed_names = self.variables + CONSTANTS
        if calls:
            hint = f"the functions are {', '.join(FUNCTION_NAMES)}"
            suggestion = difflib.get_close_matches(name.lower(), self.functions, n=1)
            if suggestion:
                hint = f"did you mean {suggestion[0]}? " + hint
            raise ParseError(f"unknown function '{name}'", token.position, hint)
        hint = f"allowed names are {', '.join(allowed_names)} and the functions {', '.join(FUNCTION_NAMES)}"
        suggestion = difflib.get_close_matches(name.lower(), allowed_names + self.functions, n=1)
        if suggestion:
            hint = f"did you mean {suggestion[0]}? " + hint
        raise ParseError(f"unknown name '{name}'", token.position, hint)


def check_variables(variables: tuple[str, ...] | list[str] | str) -> tuple[str, ...]:
    """Validate variable names: identifiers that are not keywords, functions or constants."""
    names = (variables,) if isinstance(variables, str) else tuple(variables)
    reserved = set(FUNCTION_NAMES) | set(INTERNAL_FUNCTION_NAMES) | set(CONSTANTS)
    for name in names:
        if (
            not isinstance(name, str)
            or not name
            or name[0] not in NAME_START
            or any(c not in NAME_CHARS for c in name)
            or keyword.iskeyword(name)
            or name in reserved
        ):
            raise ValueError(f"invalid variable name {name!r}")
    if len(set(names)) != len(names):
        raise ValueError("variable names must be distinct")
    return names


def parse_tree(text: str, variables: tuple[str, ...], allow_internal: bool = False) -> Node:
    """The tree of a formula: length check, tokenize, then recursive descent (never eval)."""
    if len(text) > MAX_LENGTH:
        raise ParseError(
            f"formula too long: {len(text)} characters",
            MAX_LENGTH,
            f"at most {MAX_LENGTH} characters are allowed",
        )
    return Parser(text, tokenize(text), variables, allow_internal).parse()
