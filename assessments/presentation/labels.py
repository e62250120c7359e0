"""Names of the things a result talks about: levels, sections (clauses), items and answer keys.

GB/T 29490 schemes number their sections and items by the clauses of the standard: section
``"8"`` is clause 8, item ``"4.1-context"`` belongs to clause 4.1. People read the clause
number, never the internal code: :func:`item_reference` turns ``"4.1-context"`` into ``"4.1"``
and :func:`section_label` shows ``"8 运行"``. Codes without a slug part (``C1``, ``B2``,
``V1``, ``P3``) are the scheme's own public numbering and are shown as they are.
"""

from __future__ import annotations

import re
from typing import Any

from assessments import engine
from assessments.engine.model import LocalText

_CLAUSE = re.compile(r"^\d+(?:\.\d+)*$")


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


def level_label_of(record: Any, lang: str) -> str:
    """The level label of a stored record in ``lang``.

    A certificate keeps the labels it was issued with (``level_label_zh``/``level_label_en``);
    an application shows its (reviewed) ``level`` under its programme's scheme version; a
    submission its ``level`` under its own scheme version.
    """
    if hasattr(record, "level_label_zh"):
        return LocalText(record.level_label_zh, record.level_label_en or "").get(lang)
    if hasattr(record, "programme"):
        return level_label(record.programme.scheme_version.engine_scheme, record.level, lang)
    return level_label(record.scheme_version.engine_scheme, record.level, lang)


def recommendation(scheme: engine.Scheme, item_code: str, lang: str) -> str:
    """What the scheme recommends for an item below its maximum, in ``lang``."""
    try:
        return scheme.item(item_code).recommendation.get(lang)
    except KeyError:
        return ""


def is_clause_number(code: str) -> bool:
    return bool(_CLAUSE.match(code))


def item_reference(code: str) -> str:
    """What people call an item: its clause number (``"4.1-context"`` → ``"4.1"``) or its code."""
    head, _sep, _slug = code.partition("-")
    return head or code


def section_title(scheme: engine.Scheme, code: str, lang: str) -> str:
    for section in scheme.sections:
        if section.code == code:
            return section.title.get(lang)
    return code


def section_label(scheme: engine.Scheme, code: str, lang: str) -> str:
    """A section's title, after its clause number when it is a clause (``"8 运行"``)."""
    title = section_title(scheme, code, lang)
    return f"{code} {title}" if is_clause_number(code) and title != code else title


def _texts(scheme: engine.Scheme) -> dict[str, LocalText]:
    cached = scheme.__dict__.get("_presentation_texts")
    if cached is None:
        cached = {i.code: i.label for i in scheme.inputs}
        cached.update({i.code: i.text for i in scheme.items})
        cached.update({b.code: b.label for b in (scheme.bonus.items if scheme.bonus else ())})
        cached.update({v.code: v.label for v in scheme.vetoes})
        cached.update({p.code: p.label for p in scheme.prerequisites if p.code not in cached})
        object.__setattr__(scheme, "_presentation_texts", cached)
    return cached


def key_text(scheme: engine.Scheme, key: str, lang: str) -> str:
    """The question or label of any answer key, item, bonus item, veto or prerequisite."""
    text = _texts(scheme).get(key)
    return text.get(lang) if text is not None else key


def item_label(scheme: engine.Scheme, code: str, lang: str) -> str:
    """An item (or bonus item, veto) with its reference: ``"4.1 是否识别…"``, ``"C1 知识…"``."""
    text = key_text(scheme, code, lang)
    if text == code:
        return item_reference(code)
    return f"{item_reference(code)} {text}"


def prerequisite_label(scheme: engine.Scheme, code: str, lang: str) -> str:
    for prerequisite in scheme.prerequisites:
        if prerequisite.code == code:
            return prerequisite.label.get(lang)
    return code
