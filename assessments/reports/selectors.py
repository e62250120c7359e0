"""Read-only queries for reports: who may see a submission's report, and its files."""

from __future__ import annotations

from django.http import Http404

from assessments.models import Submission
from portal.accounts import roles
from portal.accounts.models import User
from portal.accounts.selectors import membership_for

from .models import ReportFile


def can_view_submission(user: User, submission: Submission) -> bool:
    """Members of the submitting enterprise, and reviewers whose scope covers its region."""
    if not user.is_authenticated:
        return False
    membership = membership_for(user)
    if membership is not None and membership.enterprise_id == submission.enterprise_id:
        return True
    if not roles.is_reviewer(user):
        return False
    scope = roles.region_scope(user)
    return scope is None or submission.enterprise.region_id in scope


def submission_for_user(user: User, submission_id: int) -> Submission:
    """The submission if ``user`` may see it, else 404 (never a hint that it exists)."""
    submission = (
        Submission.objects.select_related("enterprise", "scheme_version__scheme")
        .defer("scheme_version__definition")  # the engine model is cached by version id
        .filter(pk=submission_id)
        .first()
    )
    if submission is None or not can_view_submission(user, submission):
        raise Http404
    return submission


def report_files(submission: Submission) -> dict[str, ReportFile]:
    """The submission's report files by language code."""
    return {r.language: r for r in ReportFile.objects.filter(submission=submission)}
