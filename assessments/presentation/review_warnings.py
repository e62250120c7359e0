"""Plausibility warnings of a result in words: the scheme's message, the answers involved, and
the firm's explanation when it gave one."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from assessments import engine

from . import labels


@dataclass(frozen=True)
class WarningRow:
    code: str
    message: str
    items: tuple[str, ...]  # the answers involved, by their questions
    explanation: str  # the firm's explanation ("" when it gave none)


def _code_and_items(warning: Any) -> tuple[str, tuple[str, ...]]:
    if isinstance(warning, Mapping):
        return str(warning.get("code", "")), tuple(warning.get("items") or ())
    return warning.code, tuple(warning.items)


def warning_rows(
    scheme: engine.Scheme,
    warnings: Iterable[Any],
    lang: str,
    explanations: Mapping[str, str] | None = None,
) -> list[WarningRow]:
    """One row per warning (stored dicts ``{code, items}`` or engine ``AnswerWarning``s)."""
    messages = {w.code: w.message for w in scheme.warnings}
    explanations = explanations or {}
    out = []
    for warning in warnings:
        code, items = _code_and_items(warning)
        message = messages.get(code)
        out.append(
            WarningRow(
                code=code,
                message=message.get(lang) if message is not None else code,
                items=tuple(labels.key_text(scheme, key, lang) for key in items),
                explanation=(explanations.get(code) or "").strip(),
            )
        )
    return out
