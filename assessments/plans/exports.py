"""The plan as a spreadsheet (XLSX, every cell neutralised) and as a PDF (WeasyPrint)."""

from __future__ import annotations

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from assessments import presentation
from assessments.presentation.answers import words, yes_no
from assessments.presentation.exports import points_cell
from assessments.reports.pdf import render_pdf
from assessments.transfer.files import write_table

from .selectors import PlanPage, person

PDF_TEMPLATE = "plans/pdf/plan.html"


def headers(lang: str) -> list[str]:
    with words(lang):
        return [
            _("Item"),
            _("Section"),
            _("Points lost"),
            _("On the shortest path"),
            pgettext("improvement plan", "Action"),
            _("Owner"),
            _("Due date"),
            _("Status"),
            _("Done on"),
            _("Notes"),
        ]


def rows(page: PlanPage, lang: str) -> list[list]:
    """One row per action; a target without actions gets one row with the action cells empty."""
    out = []
    with words(lang):
        for entry in page.targets:
            t = entry.target
            head = [t.label, t.section, points_cell(t.lost_value), yes_no(t.on_path, lang)]
            if not entry.actions:
                out.append([*head, "", "", None, "", None, ""])
            for a in entry.actions:
                out.append(
                    [
                        *head,
                        a.title,
                        person(a.owner),
                        a.due_on,
                        a.get_status_display(),
                        a.done_on,
                        a.notes,
                    ]
                )
        for a in page.other_actions:
            out.append(
                [
                    presentation.item_label(
                        page.submission.scheme_version.engine_scheme, a.item, lang
                    ),
                    "",
                    None,
                    "",
                    a.title,
                    person(a.owner),
                    a.due_on,
                    a.get_status_display(),
                    a.done_on,
                    a.notes,
                ]
            )
    return out


def file_stem(page: PlanPage) -> str:
    return f"plan-{page.submission.verify_code}"


def xlsx_bytes(page: PlanPage, lang: str) -> bytes:
    out = io.BytesIO()
    with words(lang):
        title = _("Improvement plan")
    write_table(headers(lang), rows(page, lang), "xlsx", out, title)
    return out.getvalue()


def pdf_title(page: PlanPage, lang: str) -> str:
    with words(lang):
        return _("Improvement plan · %(name)s") % {"name": page.submission.enterprise.name}


def pdf_bytes(page: PlanPage, lang: str) -> bytes:
    submission = page.submission
    scheme = submission.scheme_version.engine_scheme
    context = {
        "page": page,
        "submission": submission,
        "enterprise": submission.enterprise,
        "scheme_title": scheme.title.get(lang),
        "level_label": presentation.level_label(scheme, submission.level, lang),
        "generated_on": timezone.localdate(),
    }
    return render_pdf(PDF_TEMPLATE, context, lang=lang, title=pdf_title(page, lang))
