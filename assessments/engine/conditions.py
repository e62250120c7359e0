"""Declarative display conditions on answers (used by the wizard and the engine).

JSON forms: ``{"key": K, "op": OP, "value": V}`` with OP one of ``eq ne gt ge lt le in
answered``; ``{"all": [...]}``; ``{"any": [...]}``; ``{"not": {...}}``. Numeric comparisons
are exact; a comparison with a missing or non-numeric answer is false.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .model import Condition
from .numbers import parse_number

COMPARISONS = frozenset({"eq", "ne", "gt", "ge", "lt", "le", "in", "answered"})


def condition_from_dict(data: Mapping[str, Any]) -> Condition:
    """Build a Condition from its JSON form (already schema-validated)."""
    for group in ("all", "any"):
        if group in data:
            return Condition(group, children=tuple(condition_from_dict(c) for c in data[group]))
    if "not" in data:
        return Condition("not", children=(condition_from_dict(data["not"]),))
    value = data.get("value")
    if isinstance(value, list):
        value = tuple(value)
    return Condition(data["op"], key=data["key"], value=value)


def condition_to_dict(condition: Condition) -> dict[str, Any]:
    """The JSON form of a Condition."""
    if condition.op in ("all", "any"):
        return {condition.op: [condition_to_dict(c) for c in condition.children]}
    if condition.op == "not":
        return {"not": condition_to_dict(condition.children[0])}
    out: dict[str, Any] = {"key": condition.key, "op": condition.op}
    if condition.value is not None:
        value = condition.value
        out["value"] = list(value) if isinstance(value, tuple) else value
    return out


def condition_keys(condition: Condition) -> set[str]:
    """Every answer key a condition reads."""
    if condition.key is not None:
        return {condition.key}
    keys: set[str] = set()
    for child in condition.children:
        keys |= condition_keys(child)
    return keys


def _compare(op: str, answer: Any, expected: Any) -> bool:
    if op == "answered":
        return answer is not None and answer != "" and answer != []
    if answer is None:
        return False
    if op == "in":
        return isinstance(answer, str) and answer in (expected or ())
    if isinstance(expected, bool) or isinstance(answer, bool):
        equal = answer is expected if isinstance(expected, bool) else answer == expected
        return {"eq": equal, "ne": not equal}.get(op, False)
    left = parse_number(answer)
    right = parse_number(expected)
    if left is None or right is None:
        if op in ("eq", "ne"):
            equal = str(answer) == str(expected)
            return equal if op == "eq" else not equal
        return False
    return {
        "eq": left == right,
        "ne": left != right,
        "gt": left > right,
        "ge": left >= right,
        "lt": left < right,
        "le": left <= right,
    }[op]


def holds(condition: Condition | None, answers: Mapping[str, Any]) -> bool:
    """Whether ``condition`` holds for the raw ``answers`` (None always holds)."""
    if condition is None:
        return True
    if condition.op == "all":
        return all(holds(c, answers) for c in condition.children)
    if condition.op == "any":
        return any(holds(c, answers) for c in condition.children)
    if condition.op == "not":
        return not holds(condition.children[0], answers)
    return _compare(condition.op, answers.get(condition.key or ""), condition.value)
