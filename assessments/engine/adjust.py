"""Re-scoring with a reviewer's per-item adjustments (pure; no Django).

A reviewer may give an item other points than the engine computed from the firm's answers (for
example when the evidence does not support the answer). :func:`adjust` re-evaluates the answers
exactly, replaces the points of the named items, and re-derives the section scores, the total, the
percentage, the gaps and the level with the scheme's own level rules. Vetoes and prerequisites
come from the answers and are not adjustable.

Overrides are given in displayed points (the ``points`` of the item in the result), between 0 and
the item's maximum. :func:`answer_keys` tells which answer keys feed an item, so that a reviewer's
"request changes" on an item can reopen exactly the answers behind it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

from .conditions import holds
from .model import Scheme
from .result import Result
from .scoring import ZERO, aggregate, build_result, evaluate_answers, level_index

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class AdjustmentError(ValueError):
    """An override names an unknown or inapplicable item, or its points are out of range."""

    def __init__(self, code: str, reason: str) -> None:
        super().__init__(f"{code}: {reason}")
        self.code = code
        self.reason = reason


def _points(code: str, value: Any) -> Fraction:
    if isinstance(value, bool):
        raise AdjustmentError(code, "points must be a number")
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise AdjustmentError(code, "points must be a number") from None
    if not number.is_finite():
        raise AdjustmentError(code, "points must be a number")
    return Fraction(number)


def adjust(
    scheme: Scheme,
    answers: Mapping[str, Any],
    on: dt.date,
    overrides: Mapping[str, Any],
) -> Result:
    """Score ``answers`` with the points of the items in ``overrides`` replaced.

    Raises :class:`~assessments.engine.InvalidAnswers` for invalid answers and
    :class:`AdjustmentError` for a bad override (unknown item, item not applicable, points
    below 0 or above the item's maximum). With no overrides the result equals ``score()``.
    """
    ev = evaluate_answers(scheme, answers, on)
    if not overrides:
        return build_result(ev)
    index = {state.plan.item.code: i for i, state in enumerate(ev.items)}
    states = list(ev.items)
    for code, value in overrides.items():
        i = index.get(code)
        if i is None:
            raise AdjustmentError(code, "no such scored item")
        state = states[i]
        section = state.plan.section_index
        if not state.applicable or not ev.section_applicable[section]:
            raise AdjustmentError(code, "the item is not applicable")
        scale = ev.section_scale[section]
        points = _points(code, value)
        maximum = state.plan.size * scale
        if points < ZERO or points > maximum:
            raise AdjustmentError(code, f"points must be between 0 and {float(maximum):g}")
        states[i] = dataclasses.replace(state, achieved=points / scale if scale else ZERO)
    visible = [holds(s.condition, answers) for s in scheme.sections]
    applicable, scales, achieved, size, total, max_ = aggregate(scheme, states, visible)
    level = None
    if not ev.vetoes:
        sections = [
            (achieved[i] * scales[i], size[i] * scales[i])
            for i in range(len(size))
            if applicable[i]
        ]
        met = all(m for _, m in ev.prerequisites)
        level = level_index(scheme, total, max_, ev.bonus, sections, met, ev.na_weight or None)
    adjusted = dataclasses.replace(
        ev,
        items=states,
        section_applicable=applicable,
        section_scale=scales,
        section_achieved=achieved,
        section_size=size,
        total=total,
        max=max_,
        level_index=level,
    )
    return build_result(adjusted)


def answer_keys(scheme: Scheme, code: str) -> tuple[str, ...]:
    """The answer keys behind a scored, bonus or veto item (its inputs for a derived item)."""
    fields = {f.key for f in scheme.answer_fields}
    for item in scheme.items:
        if item.code != code:
            continue
        if item.expression is None:
            return (code,)
        seen: list[str] = []
        for name in _NAME.findall(item.expression):
            if name in fields and name not in seen:
                seen.append(name)
        return tuple(seen)
    bonus_codes = {b.code for b in scheme.bonus.items} if scheme.bonus else set()
    if code in bonus_codes or code in {v.code for v in scheme.vetoes}:
        return (code,)
    raise KeyError(code)


def reviewable_codes(scheme: Scheme) -> tuple[str, ...]:
    """Codes a reviewer can name: scored items, then bonus items, then veto items."""
    codes = [item.code for item in scheme.items]
    if scheme.bonus:
        codes += [b.code for b in scheme.bonus.items]
    codes += [v.code for v in scheme.vetoes]
    return tuple(codes)


def keys_for(scheme: Scheme, codes: Iterable[str]) -> tuple[str, ...]:
    """The union of :func:`answer_keys` of ``codes``, in first-seen order."""
    out: list[str] = []
    for code in codes:
        for key in answer_keys(scheme, code):
            if key not in out:
                out.append(key)
    return tuple(out)
