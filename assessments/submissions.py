"""Freezing answers into immutable submissions: the one place where a Submission is created,
and :func:`warnings_of`, the plausibility warnings a submission was made with."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from typing import Any

from django.utils import timezone

from assessments import engine
from assessments.models import Assessment, SchemeVersion, Submission
from assessments.peers.services import record_scores
from assessments.presentation import WarningRow, warning_rows
from portal.accounts.models import Enterprise
from portal.core.i18n import text_lang


def frozen(data: Any) -> Any:
    """JSON-safe copy with the engine's exact decimal text (no float rounding)."""
    return json.loads(engine.dumps(data))


def create_submission(
    *,
    assessment: Assessment,
    answers: dict[str, Any],
    user=None,
    on: dt.date | None = None,
    language: str = "zh-hans",
    explanations: Mapping[str, str] | None = None,
) -> Submission:
    """Score ``answers`` under the assessment's scheme version and store the submission.

    The plausibility warnings of the result are stored with it (``Submission.warnings``), each
    with the firm's explanation from ``explanations`` (code → text, "" for none).
    The caller is responsible for the assessment's state (closing the draft, locking).
    """
    version = assessment.scheme_version
    on = on or timezone.localdate()
    result = engine.score(version.engine_scheme, answers, on)
    explanations = explanations or {}
    submission = Submission.objects.create(
        enterprise=assessment.enterprise,
        assessment=assessment,
        scheme_version=version,
        answers=frozen(answers),
        result=frozen(engine.result_to_dict(result)),
        total=result.total,
        percent=result.percent or 0,
        level=result.level,
        vetoed=result.vetoed,
        assessed_on=on,
        language=language,
        submitted_by=user,
        warnings=[
            {"code": w.code, "items": list(w.items), "explanation": explanations.get(w.code, "")}
            for w in result.warnings
        ],
    )
    record_scores(submission)  # the figures peer benchmarks compare
    return submission


def warnings_of(submission: Submission, lang: str | None = None) -> tuple[WarningRow, ...]:
    """The plausibility warnings a submission was made with, ready to show.

    Each row has the ``code`` (W1…), the scheme's ``message`` in ``lang`` (default: the active
    language), the ``items`` involved (``key``, ``label``, ``value`` as shown everywhere) and the
    firm's ``explanation`` ("" when it gave none). Submissions made before warnings were stored
    fall back to the warnings in their result.
    """
    lang = text_lang(lang)
    scheme = submission.scheme_version.engine_scheme
    stored = submission.warnings or (submission.result or {}).get("warnings") or []
    return warning_rows(scheme, stored, submission.answers or {}, lang)


def freeze_answers(
    *,
    enterprise: Enterprise,
    version: SchemeVersion,
    answers: dict[str, Any],
    user=None,
    on: dt.date | None = None,
    language: str = "zh-hans",
    carried_from: Submission | None = None,
) -> Submission:
    """A closed assessment and its submission in one go (amended resubmissions, demo data)."""
    assessment = Assessment.objects.create(
        enterprise=enterprise,
        scheme=version.scheme,
        scheme_version=version,
        status=Assessment.Status.SUBMITTED,
        answers=answers,
        carried_from=carried_from,
        created_by=user,
        updated_by=user,
    )
    return create_submission(
        assessment=assessment, answers=answers, user=user, on=on, language=language
    )
