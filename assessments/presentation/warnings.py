"""Plausibility warnings in words: the scheme's message, the answers involved and the firm's
explanation.

A warning (``engine.AnswerWarning(code, items)``) flags figures that can be true but that a
reviewer must look at; it never changes points or levels. The firm confirms each one before it
submits, optionally with an explanation, and the submission keeps them
(``Submission.warnings``: ``[{code, items, explanation}]``). The wizard's review step, the
PDF report's appendix and the review workspace all show them through :func:`warning_rows`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from assessments import engine

from . import labels
from .answers import answer_text, words


@dataclass(frozen=True)
class WarningItem:
    key: str
    label: str  # the question, e.g. "近三年研发投入"
    value: str  # the answer as shown everywhere ("2,000 万元")


@dataclass(frozen=True)
class WarningRow:
    code: str  # "W2"
    message: str  # the scheme's message in the language asked for
    items: tuple[WarningItem, ...]
    explanation: str  # the firm's explanation ("" when it gave none)


def warning_message(scheme: engine.Scheme, code: str, lang: str) -> str:
    """The scheme's message of warning ``code`` (the code itself for an unknown warning)."""
    try:
        return scheme.warning(code).message.get(lang)
    except KeyError:
        return code


def _code_and_items(warning: Any) -> tuple[str, tuple[str, ...]]:
    if isinstance(warning, Mapping):
        return str(warning.get("code", "")), tuple(warning.get("items") or ())
    return warning.code, tuple(warning.items)


def warning_rows(
    scheme: engine.Scheme,
    warnings: Iterable[Any],
    answers: Mapping[str, Any],
    lang: str,
    explanations: Mapping[str, str] | None = None,
) -> tuple[WarningRow, ...]:
    """Rows for ``warnings`` (``AnswerWarning`` objects or stored ``{code, items, …}`` dicts).

    A stored dict's ``explanation`` is used unless ``explanations`` (code → text) gives one.
    """
    explanations = explanations or {}
    rows = []
    with words(lang):
        for warning in warnings:
            code, keys = _code_and_items(warning)
            stored = warning.get("explanation", "") if isinstance(warning, Mapping) else ""
            rows.append(
                WarningRow(
                    code=code,
                    message=warning_message(scheme, code, lang),
                    items=tuple(
                        WarningItem(
                            key,
                            labels.key_text(scheme, key, lang),
                            answer_text(scheme, key, answers.get(key), lang),
                        )
                        for key in keys
                    ),
                    explanation=str(explanations.get(code, stored) or ""),
                )
            )
    return tuple(rows)
