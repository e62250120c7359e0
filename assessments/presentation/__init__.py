"""The one place that turns a stored result into what people read.

The engine returns codes and numbers; this package adds the words (level labels, gap
recommendations) in the language asked for, from the scheme's bilingual data.
"""

from __future__ import annotations

from typing import Any

from assessments import engine


def level_label(scheme: engine.Scheme, code: str | None, lang: str) -> str:
    """The label of a level code (the veto level included) in ``lang`` ("zh" or "en").

    A retired scheme's record may replace level labels (for every version, pinned results
    included), so that e.g. a 2013 result no longer promises a certification.
    """
    if not code:
        return ""
    retired = engine.retirement(scheme.code)
    replaced = retired.level_label(code) if retired else None
    if replaced is not None:
        return replaced.get(lang)
    if code == scheme.veto_level.code:
        return scheme.veto_level.label.get(lang)
    try:
        return scheme.level(code).label.get(lang)
    except KeyError:
        return code


def recommendation(scheme: engine.Scheme, item_code: str, lang: str) -> str:
    """What the scheme recommends for an item below its maximum, in ``lang``."""
    try:
        return scheme.item(item_code).recommendation.get(lang)
    except KeyError:
        return ""


def contract_dict(scheme: engine.Scheme, result: engine.Result, lang: str) -> dict[str, Any]:
    """The result in the published contract's shape, with the words in ``lang``.

    This is what ``manage.py score`` prints: the engine's codes and numbers plus
    ``level_label`` after ``level`` and a ``recommendation`` on every gap.
    """
    data = engine.result_to_dict(result)
    out: dict[str, Any] = {}
    for key, value in data.items():
        out[key] = value
        if key == "level":
            out["level_label"] = level_label(scheme, result.level, lang)
    out["gaps"] = [
        {**gap, "recommendation": recommendation(scheme, gap["item"], lang)} for gap in data["gaps"]
    ]
    return out
