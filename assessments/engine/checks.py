"""Declarative checks on answers: consistency rules and plausibility warnings.

A check is a comparison of two expressions, or a group of checks::

    {"left": EXPR, "op": "lt|le|eq|ne|ge|gt", "right": EXPR}
    {"all": [CHECK, ...]}    {"any": [CHECK, ...]}    {"not": CHECK}

``EXPR`` is the safe arithmetic of :mod:`.expressions` over number answer keys and decimal
literals, or, for a date comparison, a single date answer key or ``assessment_date``. Both sides
of a comparison are numbers or both are dates. Evaluation is exact and three-valued: a side
that is missing or not computable (a zero denominator) makes the comparison unknown (None);
``all`` is false when any part is false, ``any`` is true when any part is true, and unknown
otherwise when a part is unknown. A rule fails only when its check is false; a warning fires
only when its check is true.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Callable, Collection, Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Any

from .expressions import ExpressionError, compile_expression
from .model import Check, ConsistencyRule
from .numbers import FOUR_PLACES, normalized, round_half_up

ASSESSMENT_DATE = "assessment_date"
COMPARISONS = ("lt", "le", "eq", "ne", "ge", "gt")
GROUPS = ("all", "any", "not")

Env = Mapping[str, Fraction | None]

_OPERATORS: dict[str, Callable[[Fraction, Fraction], bool]] = {
    "lt": operator.lt,
    "le": operator.le,
    "eq": operator.eq,
    "ne": operator.ne,
    "ge": operator.ge,
    "gt": operator.gt,
}
_SYMBOLS = {"lt": "<", "le": "<=", "eq": "=", "ne": "!=", "ge": ">=", "gt": ">"}
_NUMBER_WORDS = {
    "lt": "must be less than",
    "le": "must not be greater than",
    "eq": "must equal",
    "ne": "must differ from",
    "ge": "must not be less than",
    "gt": "must be greater than",
}
_DATE_WORDS = {
    "lt": "must be before",
    "le": "must not be after",
    "eq": "must be the same day as",
    "ne": "must not be the same day as",
    "ge": "must not be before",
    "gt": "must be after",
}


class CheckError(ValueError):
    """A check is malformed (unknown name, dates compared with numbers, ...)."""


# --------------------------------------------------------------------------- JSON form


def check_from_dict(data: Mapping[str, Any]) -> Check:
    """Build an (uncompiled) Check from its JSON form (already schema-validated)."""
    for group in ("all", "any"):
        if group in data:
            return Check(group, children=tuple(check_from_dict(c) for c in data[group]))
    if "not" in data:
        return Check("not", children=(check_from_dict(data["not"]),))
    return Check(data["op"], left=data["left"], right=data["right"])


def check_to_dict(check: Check) -> dict[str, Any]:
    """The JSON form of a Check."""
    if check.op in ("all", "any"):
        return {check.op: [check_to_dict(c) for c in check.children]}
    if check.op == "not":
        return {"not": check_to_dict(check.children[0])}
    return {"left": check.left, "op": check.op, "right": check.right}


# --------------------------------------------------------------------------- compiling


def _all(parts: tuple[Callable[[Env], bool | None], ...]) -> Callable[[Env], bool | None]:
    def run(env: Env) -> bool | None:
        unknown = False
        for part in parts:
            value = part(env)
            if value is False:
                return False
            if value is None:
                unknown = True
        return None if unknown else True

    return run


def _any(parts: tuple[Callable[[Env], bool | None], ...]) -> Callable[[Env], bool | None]:
    def run(env: Env) -> bool | None:
        unknown = False
        for part in parts:
            value = part(env)
            if value is True:
                return True
            if value is None:
                unknown = True
        return None if unknown else False

    return run


def _not(part: Callable[[Env], bool | None]) -> Callable[[Env], bool | None]:
    def run(env: Env) -> bool | None:
        value = part(env)
        return None if value is None else not value

    return run


def _compare(
    left: Callable[[Env], Fraction | None],
    right: Callable[[Env], Fraction | None],
    op: Callable[[Fraction, Fraction], bool],
) -> Callable[[Env], bool | None]:
    def run(env: Env) -> bool | None:
        x = left(env)
        if x is None:
            return None
        y = right(env)
        if y is None:
            return None
        return op(x, y)

    return run


def compile_check(check: Check, numbers: Collection[str], dates: Collection[str]) -> Check:
    """Check names and types and attach the evaluator; raises :class:`CheckError`."""
    if check.op in GROUPS:
        children = tuple(compile_check(c, numbers, dates) for c in check.children)
        parts = tuple(c.evaluate for c in children)  # type: ignore[misc]
        if check.op == "all":
            run = _all(parts)  # type: ignore[arg-type]
        elif check.op == "any":
            run = _any(parts)  # type: ignore[arg-type]
        else:
            run = _not(parts[0])  # type: ignore[arg-type]
        return Check(check.op, children=children, evaluate=run)
    date_names = set(dates) | {ASSESSMENT_DATE}
    allowed = set(numbers) | date_names
    sides = []
    kinds = []
    for source in (check.left, check.right):
        try:
            expression = compile_expression(source or "", allowed)
        except ExpressionError as exc:
            raise CheckError(f"bad expression {source!r}: {exc}") from exc
        if expression.names & date_names:
            if not expression.is_name:
                raise CheckError(f"{source!r}: a date is compared as it is, without arithmetic")
            kinds.append("date")
        else:
            kinds.append("number")
        sides.append(expression.evaluate)
    if kinds[0] != kinds[1]:
        raise CheckError(f"{check.left!r} and {check.right!r}: a date compares only with a date")
    run = _compare(sides[0], sides[1], _OPERATORS[check.op])
    return Check(
        check.op,
        left=check.left,
        right=check.right,
        kind=kinds[0],
        evaluate=run,  # type: ignore[arg-type]
    )


def check_keys(check: Check, known: Collection[str]) -> tuple[str, ...]:
    """The answer keys a check reads, in the order they first appear (left before right)."""
    out: dict[str, None] = {}
    if check.op in GROUPS:
        for child in check.children:
            out.update(dict.fromkeys(check_keys(child, known)))
        return tuple(out)
    for source in (check.left, check.right):
        for name in compile_expression(source or "").order:
            if name in known:
                out.setdefault(name)
    return tuple(out)


def uses_assessment_date(check: Check) -> bool:
    """Whether a check reads the assessment date."""
    if check.op in GROUPS:
        return any(uses_assessment_date(c) for c in check.children)
    return any(
        ASSESSMENT_DATE in compile_expression(source or "").names
        for source in (check.left, check.right)
    )


# --------------------------------------------------------------------------- evaluating


def check_env(
    parsed: Mapping[str, Any],
    number_keys: Collection[str],
    date_keys: Collection[str],
    on: dt.date | None,
) -> dict[str, Fraction | None]:
    """The values checks read: exact numbers, and dates as day numbers (ordinals)."""
    env: dict[str, Fraction | None] = {}
    for key in number_keys:
        value = parsed.get(key)
        env[key] = Fraction(value) if isinstance(value, Decimal) else None
    for key in date_keys:
        value = parsed.get(key)
        env[key] = Fraction(value.toordinal()) if isinstance(value, dt.date) else None
    env[ASSESSMENT_DATE] = None if on is None else Fraction(on.toordinal())
    return env


def _shown(value: Fraction | None, kind: str | None) -> str:
    if value is None:
        return "?"
    if kind == "date":
        return dt.date.fromordinal(int(value)).isoformat()
    if value.denominator == 1:
        return str(value.numerator)
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    if Fraction(exact) == value:
        return format(normalized(exact), "f")
    return format(round_half_up(value, FOUR_PLACES), "f")


def _side(source: str, env: Env, kind: str | None) -> str:
    """One side of a comparison for a message: its name or formula, and its value."""
    expression = compile_expression(source)
    value = _shown(expression.evaluate(env), kind)
    if not expression.names:
        return source.strip()  # a constant shows itself
    if source.strip() == ASSESSMENT_DATE:
        return f"the assessment date ({value})"
    if expression.is_name:
        return f"{source.strip()} ({value})"
    return f"({source.strip()}) ({value})"


def _render(check: Check) -> str:
    if check.op in ("all", "any"):
        joiner = " and " if check.op == "all" else " or "
        return "(" + joiner.join(_render(c) for c in check.children) + ")"
    if check.op == "not":
        return "not " + _render(check.children[0])
    return f"{check.left} {_SYMBOLS[check.op]} {check.right}"


def violation_message(rule: ConsistencyRule, env: Env) -> str:
    """An English message naming the keys of a violated rule and what must hold."""
    check = rule.holds
    if check.op in COMPARISONS:
        left = _side(check.left or "", env, check.kind)
        right = _side(check.right or "", env, check.kind)
        words = (_DATE_WORDS if check.kind == "date" else _NUMBER_WORDS)[check.op]
        return f"{rule.code}: {left} {words} {right}"
    return f"{rule.code}: the answers to {', '.join(rule.keys)} must satisfy {_render(check)}"
