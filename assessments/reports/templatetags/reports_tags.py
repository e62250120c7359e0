from __future__ import annotations

from django import template
from django.urls import reverse

from portal.core.i18n import html_language

from ..models import ReportFile
from ..selectors import report_files
from ..services import verify_url

register = template.Library()


@register.simple_tag
def report_entries(submission) -> list[dict]:
    """One entry per report language: the file (or None) and the download address."""
    files = report_files(submission)
    base = reverse("reports:download", kwargs={"pk": submission.pk})
    return [
        {
            "language": code,
            "name": name,
            "html_lang": html_language(code),
            "report": files.get(code),
            "download_url": f"{base}?lang={code}",
        }
        for code, name in ReportFile.Language.choices
    ]


@register.simple_tag
def report_verify_url(submission) -> str:
    return verify_url(submission.verify_code)


@register.filter
def any_pending(entries: list[dict]) -> bool:
    return any(e["report"] is not None and e["report"].status == "pending" for e in entries)
