"""Freezing answers into immutable submissions: the one place where a Submission is created."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.utils import timezone

from assessments import engine
from assessments.models import Assessment, SchemeVersion, Submission
from assessments.peers.services import record_scores
from portal.accounts.models import Enterprise


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
) -> Submission:
    """Score ``answers`` under the assessment's scheme version and store the submission.

    The caller is responsible for the assessment's state (closing the draft, locking).
    """
    version = assessment.scheme_version
    on = on or timezone.localdate()
    result = engine.score(version.engine_scheme, answers, on)
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
    )
    record_scores(submission)  # the figures peer benchmarks compare
    return submission


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
