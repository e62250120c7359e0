"""A scheme's introduction page and its question list (web, PDF and XLSX).

What the scheme measures (its description), how long it takes and which documents to have at
hand (``data/introductions.json``, per scheme code), how levels are decided
(:func:`assessments.presentation.level_thresholds`), and every question of the wizard, step by
step, with what kind of answer it takes. The files are made once per scheme version and
language and kept in the cache.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.core.cache import cache
from django.utils.translation import gettext as _

from assessments import engine
from assessments.models import SchemeVersion
from assessments.presentation import labels, numbers
from assessments.presentation.answers import join, words

from .facts import fact_keys
from .selectors import step_title
from .steps import FieldSpec, Plan, build_plan

DATA = Path(__file__).resolve().parent / "data" / "introductions.json"
#: How long a rendered question list stays in the cache (a published version never changes).
FILE_CACHE_SECONDS = 24 * 3600
FORMATS = ("pdf", "xlsx")


@lru_cache(maxsize=1)
def _introductions() -> dict[str, Any]:
    data = json.loads(DATA.read_text(encoding="utf-8"))
    return data.get("introductions", {})


@dataclass(frozen=True)
class Question:
    number: int
    reference: str  # "C1", "4.1" ("" for a figure that feeds an indicator)
    text: str
    help: str
    answer: str  # what kind of answer it takes, in words
    required: bool
    from_profile: bool  # taken from the enterprise record
    conditional: bool  # asked only in some cases


@dataclass(frozen=True)
class QuestionStep:
    title: str
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class Introduction:
    title: str
    description: str
    minutes: tuple[int, int] | None
    question_count: int
    documents: tuple[str, ...]
    steps: tuple[QuestionStep, ...]


def _answer_words(spec: FieldSpec, lang: str) -> str:
    if spec.kind == "number":
        parts = [_("a whole number") if spec.integer else _("a number")]
        unit = numbers.unit_text(spec.unit, lang)
        if unit:
            parts.append(_("in %(unit)s") % {"unit": unit})
        if spec.max is not None:
            parts.append(
                _("from %(min)s to %(max)s")
                % {"min": numbers.figure(spec.min or 0), "max": numbers.figure(spec.max)}
            )
        return " ".join(parts) if lang == "en" else "，".join(parts)
    if spec.kind == "date":
        return _("a date (YYYY-MM-DD)")
    if spec.kind == "boolean":
        return _("yes or no")
    options = [o.label.get(lang) for o in spec.options if not (o.na and not spec.na_allowed)]
    if spec.kind == "multi":
        return _("one or more of: %(options)s") % {"options": join(options, lang)}
    return _("one of: %(options)s") % {"options": join(options, lang)}


def _reference(spec: FieldSpec) -> str:
    return labels.item_reference(spec.key) if spec.role != "input" else ""


def question_steps(plan: Plan, lang: str) -> tuple[QuestionStep, ...]:
    facts = fact_keys(plan.scheme)
    steps = []
    number = 0
    with words(lang):
        for step in plan.steps:
            questions = []
            for spec in step.fields:
                number += 1
                questions.append(
                    Question(
                        number=number,
                        reference=_reference(spec),
                        text=spec.label.get(lang),
                        help=spec.help.get(lang),
                        answer=_("from your enterprise profile")
                        if spec.key in facts
                        else _answer_words(spec, lang),
                        required=spec.required,
                        from_profile=spec.key in facts,
                        conditional=bool(spec.conditions),
                    )
                )
            steps.append(QuestionStep(step_title(step, lang), tuple(questions)))
    return tuple(steps)


def introduction(version: SchemeVersion, lang: str) -> Introduction:
    scheme: engine.Scheme = version.engine_scheme
    data = _introductions().get(scheme.code, {})
    minutes = data.get("minutes")
    steps = question_steps(build_plan(scheme), lang)
    return Introduction(
        title=scheme.title.get(lang),
        description=scheme.description.get(lang),
        minutes=(int(minutes[0]), int(minutes[1])) if minutes else None,
        question_count=sum(len(s.questions) for s in steps),
        documents=tuple(d.get(lang, "") for d in data.get("documents", ())),
        steps=steps,
    )


# --------------------------------------------------------------------------- files


def file_name(version: SchemeVersion, fmt: str, lang: str) -> str:
    return f"{version.scheme.code}-v{version.version}-questions-{lang}.{fmt}"


def _xlsx(version: SchemeVersion, lang: str) -> bytes:
    # The transfer app's writer: every cell neutralised, bold frozen header, sized columns.
    from assessments.transfer.files import write_table

    intro = introduction(version, lang)
    with words(lang):
        headers = [
            _("No."),
            _("Step"),
            _("Item"),
            _("Question"),
            _("Answer"),
            _("Required"),
            _("Explanation"),
        ]
        yes, no = _("Yes"), _("No")
        rows = [
            [q.number, step.title, q.reference, q.text, q.answer, yes if q.required else no, q.help]
            for step in intro.steps
            for q in step.questions
        ]
    out = io.BytesIO()
    write_table(headers, rows, "xlsx", out, title=version.scheme.code)
    return out.getvalue()


def _pdf(version: SchemeVersion, lang: str) -> bytes:
    # WeasyPrint is heavy: the PDF helpers import it only when a PDF is made.
    from assessments.reports.pdf import render_pdf

    intro = introduction(version, lang)
    with words(lang):
        title = _("%(scheme)s — question list") % {"scheme": intro.title}
    return render_pdf(
        "assessments/wizard/questions_pdf.html",
        {"intro": intro, "version": version},
        lang=lang,
        title=title,
    )


def question_file(version: SchemeVersion, fmt: str, lang: str) -> bytes:
    """The question list of ``version`` as ``fmt`` ("pdf" or "xlsx") in ``lang`` (cached)."""
    if fmt not in FORMATS:
        raise ValueError(fmt)
    key = f"wizard-questions:{version.pk}:{version.definition_hash[:16]}:{lang}:{fmt}"
    content = cache.get(key)
    if content is None:
        content = _pdf(version, lang) if fmt == "pdf" else _xlsx(version, lang)
        cache.set(key, content, FILE_CACHE_SECONDS)
    return content
