"""The derived-indicator evaluator: exact arithmetic and nothing else."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assessments.engine.expressions import ExpressionError, compile_expression, evaluate

NAMES = {"a", "b", "c"}
ENV = {"a": Fraction(3), "b": Fraction(5), "c": Fraction(0)}


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("a / b", Fraction(3, 5)),
        ("a + b * 2", Fraction(13)),
        ("(a + b) * 2", Fraction(16)),
        ("a - b - 1", Fraction(-3)),
        ("a / b / 3", Fraction(1, 5)),
        ("-a + +b", Fraction(2)),
        ("0.1 + 0.2", Fraction(3, 10)),
        ("  a*b  ", Fraction(15)),
        ("2 - -a", Fraction(5)),
    ],
)
def test_arithmetic(source: str, expected: Fraction) -> None:
    assert evaluate(source, ENV, NAMES) == expected


def test_exactness() -> None:
    assert evaluate("0.1 + 0.2", {}, NAMES) == Fraction(3, 10)  # not 0.30000000000000004
    assert evaluate("1 / 3 * 3", {}, NAMES) == 1


@pytest.mark.parametrize("source", ["a / c", "a / (b - 5)", "a / 0", "d + 1", "a / d"])
def test_not_computable(source: str) -> None:
    env = {**ENV, "d": None}
    assert evaluate(source, env, {*NAMES, "d"}) is None


@pytest.mark.parametrize(
    "source",
    [
        "",
        "   ",
        "a.b",
        "a.__class__",
        "f(a)",
        "max(a, b)",
        "__import__('os')",
        "a[0]",
        "a ** 2",
        "a // b",
        "a % b",
        "lambda: 1",
        "'text'",
        '"a"',
        "a if b else c",
        "a == b",
        "a < b",
        "a and b",
        "not a",
        "a; b",
        "a, b",
        "(a",
        "a)",
        "a +",
        "* a",
        "1e3",
        "1.",
        ".5",
        "0x10",
        "a b",
        "unknown + a",
        "A",
        "a\n.b",
        "١",
        "ａ",
        "{a}",
        "[a]",
        "a @ b",
        "$a",
    ],
)
def test_rejects_anything_but_arithmetic(source: str) -> None:
    with pytest.raises(ExpressionError):
        compile_expression(source, NAMES)


def test_names_are_reported() -> None:
    expression = compile_expression("(a + b) / a", NAMES)
    assert expression.names == {"a", "b"}
    assert not expression.is_name
    assert compile_expression(" a ", NAMES).is_name


def test_limits() -> None:
    with pytest.raises(ExpressionError, match="longer"):
        compile_expression("a+" * 300 + "a", NAMES)
    with pytest.raises(ExpressionError, match="deeply"):
        compile_expression("(" * 60 + "a" + ")" * 60, NAMES)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_random_text_never_escapes(source: str) -> None:
    try:
        expression = compile_expression(source, NAMES)
    except ExpressionError:
        return
    assert set(source) <= set("abc0123456789.+-*/() \t\n\r")
    value = expression.evaluate(ENV)
    assert value is None or isinstance(value, Fraction)


ARITH = st.recursive(
    st.sampled_from(["a", "b", "c", "1", "2.5", "0"]),
    lambda inner: st.tuples(inner, st.sampled_from("+-*/"), inner).map(
        lambda t: f"({t[0]} {t[1]} {t[2]})"
    ),
    max_leaves=12,
)


@settings(max_examples=200, deadline=None)
@given(ARITH)
def test_matches_python_fractions(source: str) -> None:
    """Same value as Python's own Fraction arithmetic (the test's oracle)."""
    value = evaluate(source, ENV, NAMES)
    oracle = source.replace("2.5", "F").replace("1", "E").replace("0", "Z")
    names = {**ENV, "F": Fraction(5, 2), "E": Fraction(1), "Z": Fraction(0)}
    try:
        expected = eval(oracle, {"__builtins__": {}}, names)  # noqa: S307 - oracle in a test
    except ZeroDivisionError:
        expected = None
    assert value == expected
