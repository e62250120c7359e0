"""What changed in a resubmission, per item: old answer, new answer, new evidence, in words
(item titles and answers as :mod:`assessments.presentation` shows them, never answer keys)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from assessments import engine
from assessments.engine.adjust import answer_keys
from assessments.presentation import labels
from assessments.presentation.answers import answer_text
from assessments.review.models import Application, ReviewEvent


@dataclass(frozen=True)
class AnswerChange:
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class ItemChange:
    code: str
    label: str  # "M1 知识产权管理体系认证"
    answers: tuple[AnswerChange, ...]
    evidence: tuple[tuple[int | None, str], ...]  # (evidence id, file name)
    materials: tuple[str, ...] = ()


def _keys_of(scheme: engine.Scheme, code: str) -> tuple[str, ...]:
    try:
        return answer_keys(scheme, code)
    except KeyError:
        return ()


def item_changes(scheme: engine.Scheme, event: ReviewEvent, lang: str) -> list[ItemChange]:
    """The changes of one ``resubmit`` event, grouped by the items that were reopened."""
    data = event.data or {}
    changes = data.get("changes") or {}
    evidence = data.get("evidence") or []
    codes = list(data.get("items") or [])
    shown: set[str] = set()
    out = []
    for code in codes:
        keys = [k for k in _keys_of(scheme, code) if k in changes]
        shown.update(keys)
        files = tuple((e.get("pk"), e.get("file", "")) for e in evidence if e.get("item") == code)
        out.append(
            ItemChange(
                code=code,
                label=labels.item_label(scheme, code, lang),
                answers=tuple(_answer(scheme, key, changes[key], lang) for key in keys),
                evidence=files,
            )
        )
    rest = [k for k in changes if k not in shown]
    if rest:
        out.append(
            ItemChange(
                code="",
                label="",
                answers=tuple(_answer(scheme, key, changes[key], lang) for key in rest),
                evidence=(),
            )
        )
    return out


def _answer(scheme: engine.Scheme, key: str, change: dict, lang: str) -> AnswerChange:
    return AnswerChange(
        label=labels.key_text(scheme, key, lang),
        old=answer_text(scheme, key, change.get("old"), lang),
        new=answer_text(scheme, key, change.get("new"), lang),
    )


def last_resubmission(application: Application) -> ReviewEvent | None:
    return application.events.filter(action="resubmit").order_by("-created_at", "-pk").first()


def decorate(application: Application, events: Iterable[ReviewEvent], lang: str) -> list:
    """The events with words for the timeline: ``item_titles`` and ``material_titles`` of a
    return, ``changes`` of a resubmission (attributes set on each event)."""
    scheme = application.submission.scheme_version.engine_scheme
    materials = {m.code: m.title for m in application.programme.materials.all()}
    out = []
    for event in events:
        data = event.data or {}
        event.item_titles = [
            labels.item_label(scheme, code, lang) for code in data.get("items", ())
        ]
        event.material_titles = [
            materials.get(m if isinstance(m, str) else m.get("material", ""), "")
            for m in data.get("materials", ())
        ]
        event.changes = item_changes(scheme, event, lang) if event.action == "resubmit" else []
        out.append(event)
    return out
