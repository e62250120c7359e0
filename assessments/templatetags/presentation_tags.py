"""Template filters over :mod:`assessments.presentation`, for figures stored on records.

``{{ submission.total|points }}``, ``{{ submission.percent|percent }}``,
``{{ submission|level_label }}`` (also for an application or a certificate) and
``{{ application|score_line }}`` (total + bonus = the deciding figure) read the same as
everywhere else, in the language of the request.
"""

from __future__ import annotations

from typing import Any

from django import template

from assessments.presentation import labels, levels, numbers
from portal.core.i18n import text_lang

register = template.Library()


@register.filter
def points(value: Any) -> str:
    """Points with two decimals (``72.00``); ``—`` when there are none."""
    return numbers.points(value)


@register.filter
def percent(value: Any) -> str:
    """A percentage with one decimal (``72.0 %``); ``—`` when there is none."""
    return numbers.percent(value)


@register.filter
def level_label(record: Any) -> str:
    """The level label of a submission, an application or a certificate."""
    if record is None:
        return ""
    return labels.level_label_of(record, text_lang())


@register.filter
def score_line(application: Any) -> str:
    """An application's deciding figure: ``72.00 + 2.00 = 74.00`` (reviewed where reviewed)."""
    if application is None:
        return numbers.NONE
    scheme = application.programme.scheme_version.engine_scheme
    total = application.total
    maximum = (application.submission.result or {}).get("max")
    return levels.score_sum(scheme, total, application.bonus, maximum)
