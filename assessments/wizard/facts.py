"""Firm facts: answers that come from the enterprise record and are never typed in the wizard.

One source for each fact: the founding date a scheme asks for (``founded_on``, read by the
prerequisite "founded at least three years ago") is the enterprise's own date. The wizard shows
it read-only with the enterprise's region, industry and size and a link to correct the profile;
every save and the submission take it from the record, so a draft always holds the current
value.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from assessments import engine
from portal.accounts.models import Enterprise

#: Answer key → attribute of :class:`~portal.accounts.models.Enterprise`.
ENTERPRISE_FACTS: dict[str, str] = {"founded_on": "founded_on"}


def fact_keys(scheme: engine.Scheme) -> frozenset[str]:
    """The answer keys of ``scheme`` that come from the enterprise record."""
    known = {f.key for f in scheme.answer_fields}
    return frozenset(k for k in ENTERPRISE_FACTS if k in known)


def _answer(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def fact_answers(enterprise: Enterprise, scheme: engine.Scheme) -> dict[str, Any]:
    """The enterprise's facts as answers of ``scheme`` (only the keys the scheme asks for)."""
    out = {}
    for key in fact_keys(scheme):
        value = getattr(enterprise, ENTERPRISE_FACTS[key], None)
        if value not in (None, ""):
            out[key] = _answer(value)
    return out
