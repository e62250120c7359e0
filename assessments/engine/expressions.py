"""A small, safe arithmetic evaluator for derived indicators.

Grammar (spaces, tabs and newlines ignored)::

    expr   := term (("+" | "-") term)*
    term   := factor (("*" | "/") factor)*
    factor := ("+" | "-") factor | NUMBER | NAME | "(" expr ")"
    NUMBER := digits ["." digits]
    NAME   := letter or "_" followed by letters, digits or "_"

Nothing is ever passed to ``eval``/``exec``: the text is tokenised and parsed by hand into a
tree of closures working on exact :class:`~fractions.Fraction` values. A missing operand or a
division by zero makes the whole expression "not computable" (``None``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from fractions import Fraction

Env = Mapping[str, Fraction | None]
Evaluator = Callable[[Env], Fraction | None]

MAX_LENGTH = 500
MAX_DEPTH = 50

_TOKEN = re.compile(r"[ \t\r\n]*(?:([0-9]+(?:\.[0-9]+)?)|([A-Za-z_][A-Za-z0-9_]*)|([-+*/()]))")


class ExpressionError(ValueError):
    """The expression text is not a valid arithmetic expression over known names."""


@dataclass(frozen=True)
class Expression:
    """A compiled expression: its source, the names it reads and its evaluator.

    ``order`` holds the names in the order they first appear in the source.
    """

    source: str
    names: frozenset[str]
    evaluate: Evaluator
    is_name: bool
    order: tuple[str, ...] = ()


def _tokenize(source: str) -> list[tuple[str, str]]:
    if len(source) > MAX_LENGTH:
        raise ExpressionError(f"expression longer than {MAX_LENGTH} characters")
    tokens: list[tuple[str, str]] = []
    pos = 0
    text = source.rstrip(" \t\r\n")
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None or match.end() == pos:
            raise ExpressionError(f"unexpected character {text[pos:].lstrip()[:1]!r} at {pos}")
        number, name, op = match.groups()
        if number is not None:
            tokens.append(("num", number))
        elif name is not None:
            tokens.append(("name", name))
        else:
            tokens.append(("op", op))
        pos = match.end()
    if not tokens:
        raise ExpressionError("empty expression")
    return tokens


def _add(a: Evaluator, b: Evaluator) -> Evaluator:
    def run(env: Env) -> Fraction | None:
        x = a(env)
        y = b(env)
        return None if x is None or y is None else x + y

    return run


def _sub(a: Evaluator, b: Evaluator) -> Evaluator:
    def run(env: Env) -> Fraction | None:
        x = a(env)
        y = b(env)
        return None if x is None or y is None else x - y

    return run


def _mul(a: Evaluator, b: Evaluator) -> Evaluator:
    def run(env: Env) -> Fraction | None:
        x = a(env)
        y = b(env)
        return None if x is None or y is None else x * y

    return run


def _div(a: Evaluator, b: Evaluator) -> Evaluator:
    def run(env: Env) -> Fraction | None:
        x = a(env)
        y = b(env)
        if x is None or y is None or y == 0:
            return None
        return x / y

    return run


def _neg(a: Evaluator) -> Evaluator:
    def run(env: Env) -> Fraction | None:
        x = a(env)
        return None if x is None else -x

    return run


def _const(value: Fraction) -> Evaluator:
    return lambda env: value


def _name(key: str) -> Evaluator:
    return lambda env: env.get(key)


_BINARY = {"+": _add, "-": _sub, "*": _mul, "/": _div}


class _Parser:
    def __init__(self, tokens: list[tuple[str, str]], allowed: Collection[str] | None) -> None:
        self.tokens = tokens
        self.pos = 0
        self.allowed = allowed
        self.names: dict[str, None] = {}  # insertion-ordered set

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        token = self.peek()
        if token is None:
            raise ExpressionError("unexpected end of expression")
        self.pos += 1
        return token

    def expr(self, depth: int) -> Evaluator:
        node = self.term(depth)
        while (tok := self.peek()) is not None and tok in (("op", "+"), ("op", "-")):
            self.pos += 1
            node = _BINARY[tok[1]](node, self.term(depth))
        return node

    def term(self, depth: int) -> Evaluator:
        node = self.factor(depth)
        while (tok := self.peek()) is not None and tok in (("op", "*"), ("op", "/")):
            self.pos += 1
            node = _BINARY[tok[1]](node, self.factor(depth))
        return node

    def factor(self, depth: int) -> Evaluator:
        if depth > MAX_DEPTH:
            raise ExpressionError("expression nested too deeply")
        kind, text = self.take()
        if kind == "num":
            return _const(Fraction(text))
        if kind == "name":
            if self.allowed is not None and text not in self.allowed:
                raise ExpressionError(f"unknown name {text!r}")
            self.names.setdefault(text)
            return _name(text)
        if text in "+-":
            inner = self.factor(depth + 1)
            return inner if text == "+" else _neg(inner)
        if text == "(":
            node = self.expr(depth + 1)
            if self.take() != ("op", ")"):
                raise ExpressionError("missing ')'")
            return node
        raise ExpressionError(f"unexpected {text!r}")


def compile_expression(source: str, allowed_names: Collection[str] | None = None) -> Expression:
    """Compile ``source``; names must be in ``allowed_names`` when it is given.

    Raises :class:`ExpressionError` for anything that is not plain arithmetic.
    """
    if not isinstance(source, str):
        raise ExpressionError("expression must be a string")
    tokens = _tokenize(source)
    parser = _Parser(tokens, allowed_names)
    evaluator = parser.expr(0)
    if parser.peek() is not None:
        raise ExpressionError(f"unexpected {parser.peek()[1]!r} after the expression")  # type: ignore[index]
    is_name = len(tokens) == 1 and tokens[0][0] == "name"
    return Expression(source, frozenset(parser.names), evaluator, is_name, tuple(parser.names))


def evaluate(
    source: str, env: Env, allowed_names: Collection[str] | None = None
) -> Fraction | None:
    """Compile and evaluate ``source`` once (convenience for tests and tools)."""
    return compile_expression(source, allowed_names).evaluate(env)
