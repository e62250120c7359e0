"""What a result report says: the result as :mod:`assessments.presentation` shows it, plus what
only the report has (cover, verification address and QR code, charts).

:func:`report_context` is pure (no database): the submission path
(:func:`assessments.reports.services.submission_report_context`) and the ``render_report
--scheme`` command both feed it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils import translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from assessments import presentation
from assessments.charts import MIN_RADAR_AXES, radar_svg, section_bars_svg
from assessments.engine.model import Scheme
from assessments.presentation.rows import EvidenceRecord
from assessments.presentation.rules import scheme_rules
from assessments.presentation.warnings import warning_rows
from portal.core.i18n import django_language, text_lang

from .pdf import qr_png_data_uri


@dataclass
class Enterprise:
    name: str
    credit_code: str = ""


def _svg(svg: str) -> SafeString:
    return mark_safe(svg)  # noqa: S308 (charts escape every text they contain)


def report_context(
    *,
    scheme: Scheme,
    result: Mapping[str, Any],
    answers: Mapping[str, Any],
    enterprise: Enterprise,
    assessed_on: dt.date,
    lang: str,
    verify_code: str = "",
    verify_url: str = "",
    issued_on: dt.date | None = None,
    evidence: Iterable[EvidenceRecord] = (),
    warnings: Iterable[Mapping[str, Any]] | None = None,
) -> dict[str, Any]:
    """Everything the report template shows, already in ``lang`` and formatted.

    ``warnings`` are the plausibility warnings as the submission stored them, with the firm's
    explanations (``Submission.warnings``); without them, those of the result.
    """
    text = text_lang(lang)
    with translation.override(django_language(lang)):
        view = presentation.result_view(scheme, result, answers, assessed_on, text, evidence)
        applicable = sum(1 for s in view.sections if s.applicable)
        return {
            "lang": text,
            "view": view,
            "summary": view.summary,
            "rules": scheme_rules(scheme, text),
            "warnings": warning_rows(
                scheme,
                (result.get("warnings") or ()) if warnings is None else warnings,
                answers,
                text,
            ),
            "level_label": view.summary.level_label,
            "enterprise": enterprise,
            "scheme_title": view.scheme_title,
            "scheme_code": scheme.code,
            "scheme_version": scheme.version,
            "assessed_on": assessed_on,
            "issued_on": issued_on or assessed_on,
            "verify_code": verify_code,
            "verify_url": verify_url,
            "qr_png": qr_png_data_uri(verify_url) if verify_url else "",
            "qr_label": _("QR code of the verification address %(url)s") % {"url": verify_url},
            "bars_svg": _svg(section_bars_svg(result, scheme, text)),
            "radar_svg": _svg(radar_svg(result, scheme, text))
            if applicable >= MIN_RADAR_AXES
            else "",
        }


def report_title(scheme: Scheme, enterprise_name: str, lang: str) -> str:
    with translation.override(django_language(lang)):
        return _("%(scheme)s — self-assessment report — %(enterprise)s") % {
            "scheme": scheme.title.get(text_lang(lang)),
            "enterprise": enterprise_name,
        }
