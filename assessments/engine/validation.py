"""Checking answers against a scheme before scoring."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from .checks import check_env, violation_message
from .conditions import holds
from .model import AnswerField, Scheme
from .numbers import parse_number

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$", re.ASCII)

# Machine codes of answer errors.
REQUIRED = "required"
WRONG_TYPE = "wrong_type"
UNKNOWN_OPTION = "unknown_option"
NEGATIVE = "negative"
NOT_INTEGER = "not_integer"
OUT_OF_RANGE = "out_of_range"
INVALID_DATE = "invalid_date"
NA_NOT_ALLOWED = "na_not_allowed"
NOT_AN_OBJECT = "not_an_object"
INCONSISTENT = "inconsistent"  # a consistency rule of the scheme does not hold

# Numbers beyond these bounds are refused (they would only make exact arithmetic slow).
MAX_MAGNITUDE = 30  # at most 10**30
MAX_PLACES = 20  # at most 20 decimal places

ParsedValue = Decimal | dt.date | bool | str | tuple[str, ...]


@dataclass(frozen=True)
class AnswerError:
    """One problem with the answers.

    ``key`` is the answer key to show it on (the first one for a rule); ``keys`` holds every
    key concerned (a rule's keys, else just ``key``) so that a form can mark each field;
    ``rule`` is the code of the violated consistency rule (``code`` is then ``inconsistent``).
    """

    key: str
    code: str
    message: str
    keys: tuple[str, ...] = ()
    rule: str | None = None

    def __post_init__(self) -> None:
        if not self.keys:
            object.__setattr__(self, "keys", (self.key,) if self.key else ())

    def to_dict(self) -> dict[str, Any]:
        """JSON form ``{key, code, message, keys}`` (plus ``rule`` for a rule violation)."""
        out: dict[str, Any] = {
            "key": self.key,
            "code": self.code,
            "message": self.message,
            "keys": list(self.keys),
        }
        if self.rule is not None:
            out["rule"] = self.rule
        return out


class InvalidAnswers(ValueError):
    """Raised by :func:`~assessments.engine.scoring.score` when answers do not validate."""

    def __init__(self, errors: list[AnswerError]) -> None:
        self.errors = errors
        summary = "; ".join(f"{e.key}: {e.message}" for e in errors[:5])
        more = f" (+{len(errors) - 5} more)" if len(errors) > 5 else ""
        super().__init__(f"invalid answers: {summary}{more}")


def _unreasonable(value: Decimal) -> bool:
    exponent = value.as_tuple().exponent
    return value.adjusted() > MAX_MAGNITUDE or (
        isinstance(exponent, int) and exponent < -MAX_PLACES
    )


def _number(f: AnswerField, raw: Any) -> tuple[ParsedValue | None, AnswerError | None]:
    value = parse_number(raw)
    if value is None:
        return None, AnswerError(f.key, WRONG_TYPE, f"{f.key} must be a number, got {raw!r}")
    if value and _unreasonable(value):
        return None, AnswerError(
            f.key, OUT_OF_RANGE, f"{f.key} is too large or has too many decimal places"
        )
    if value < 0 and (f.min is None or f.min >= 0):
        return None, AnswerError(f.key, NEGATIVE, f"{f.key} must not be negative (got {value})")
    if f.integer and value != value.to_integral_value():
        return None, AnswerError(f.key, NOT_INTEGER, f"{f.key} must be a whole number")
    if (f.min is not None and value < f.min) or (f.max is not None and value > f.max):
        low = "" if f.min is None else str(f.min)
        high = "" if f.max is None else str(f.max)
        return None, AnswerError(
            f.key, OUT_OF_RANGE, f"{f.key} must be between {low or '-inf'} and {high or 'inf'}"
        )
    return value, None


def _date(f: AnswerField, raw: Any) -> tuple[ParsedValue | None, AnswerError | None]:
    if isinstance(raw, dt.date) and not isinstance(raw, dt.datetime):
        return raw, None
    if not isinstance(raw, str):
        return None, AnswerError(f.key, WRONG_TYPE, f"{f.key} must be a date YYYY-MM-DD")
    if _ISO_DATE.match(raw):
        try:
            return dt.date.fromisoformat(raw), None
        except ValueError:
            pass
    return None, AnswerError(f.key, INVALID_DATE, f"{f.key} is not a valid date YYYY-MM-DD")


def _boolean(f: AnswerField, raw: Any) -> tuple[ParsedValue | None, AnswerError | None]:
    if isinstance(raw, bool):
        return raw, None
    return None, AnswerError(f.key, WRONG_TYPE, f"{f.key} must be true or false")


def _option(f: AnswerField, raw: Any) -> AnswerError | None:
    if not isinstance(raw, str):
        return AnswerError(f.key, WRONG_TYPE, f"{f.key} must be an option code")
    if raw not in f.options:
        choices = ", ".join(sorted(f.options))
        return AnswerError(f.key, UNKNOWN_OPTION, f"{f.key}: unknown option {raw!r} ({choices})")
    if raw in f.na_codes and not f.na_allowed:
        return AnswerError(f.key, NA_NOT_ALLOWED, f"{f.key} cannot be answered not applicable")
    return None


def _choice(f: AnswerField, raw: Any) -> tuple[ParsedValue | None, AnswerError | None]:
    error = _option(f, raw)
    return (None, error) if error else (raw, None)


def _multi(f: AnswerField, raw: Any) -> tuple[ParsedValue | None, AnswerError | None]:
    if not isinstance(raw, list | tuple):
        return None, AnswerError(f.key, WRONG_TYPE, f"{f.key} must be a list of option codes")
    for code in raw:
        error = _option(f, code)
        if error:
            return None, error
    return tuple(dict.fromkeys(raw)), None


_PARSERS = {
    "number": _number,
    "date": _date,
    "boolean": _boolean,
    "choice": _choice,
    "multi": _multi,
}


def parse_answers(
    scheme: Scheme, answers: Mapping[str, Any]
) -> tuple[dict[str, ParsedValue], list[AnswerError]]:
    """Parse and check every known answer key; unknown keys are ignored.

    Returns the parsed values of the keys that are shown (conditions hold) and answered, and
    the list of errors in scheme order.
    """
    if not isinstance(answers, Mapping):
        return {}, [AnswerError("", NOT_AN_OBJECT, "answers must be a JSON object")]
    parsed: dict[str, ParsedValue] = {}
    errors: list[AnswerError] = []
    for f in scheme.answer_fields:
        if f.conditions and not all(holds(c, answers) for c in f.conditions):
            continue
        raw = answers.get(f.key)
        if raw is None or raw == "":
            if f.required:
                errors.append(AnswerError(f.key, REQUIRED, f"{f.key} is required"))
            continue
        value, error = _PARSERS[f.kind](f, raw)
        if error is not None:
            errors.append(error)
        else:
            parsed[f.key] = value  # type: ignore[assignment]
    return parsed, errors


def _date_keys(scheme: Scheme) -> tuple[str, ...]:
    return tuple(f.key for f in scheme.answer_fields if f.kind == "date")


def _number_keys(scheme: Scheme) -> tuple[str, ...]:
    return tuple(f.key for f in scheme.answer_fields if f.kind == "number")


def rule_errors(
    scheme: Scheme, parsed: Mapping[str, ParsedValue], on: dt.date | None
) -> list[AnswerError]:
    """One error per consistency rule that the parsed answers break, in scheme order.

    A rule whose answers are missing or invalid, or that reads the assessment date when
    ``on`` is None, is not checked (the missing or invalid answer is its own error).
    """
    if not scheme.rules:
        return []
    env = check_env(parsed, _number_keys(scheme), _date_keys(scheme), on)
    errors = []
    for rule in scheme.rules:
        if rule.holds.evaluate(env) is False:  # type: ignore[misc]
            message = violation_message(rule, env)
            errors.append(AnswerError(rule.keys[0], INCONSISTENT, message, rule.keys, rule.code))
    return errors


def validate_answers(
    scheme: Scheme, answers: Mapping[str, Any], on: dt.date | str | None = None
) -> list[AnswerError]:
    """Every problem with ``answers`` for ``scheme`` (empty list when they can be scored).

    Field errors come first, in scheme order, then broken consistency rules. Give the
    assessment date ``on`` to check the rules that compare a date with it (the score does).
    """
    parsed, errors = parse_answers(scheme, answers)
    if isinstance(on, dt.datetime):
        on = on.date()
    elif isinstance(on, str):
        on = dt.date.fromisoformat(on)
    return errors + rule_errors(scheme, parsed, on)
