"""Requesting a report queues its rendering only when the transaction commits."""

from __future__ import annotations

import pytest
from django.db import transaction

from assessments.reports.models import ReportFile
from assessments.reports.services import request_report
from tests import factories

pytestmark = pytest.mark.django_db


def test_rendering_is_queued_after_the_commit(
    enterprise, owner, fake_render, django_capture_on_commit_callbacks
):
    submission = factories.make_submission(enterprise, user=owner)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic():
            report = request_report(submission, "zh-hans")
            assert report.status == ReportFile.Status.PENDING
        assert fake_render == []  # committed (to the test's transaction), not yet rendered
    assert len(callbacks) == 1
    report.refresh_from_db()
    assert report.status == ReportFile.Status.READY
    assert fake_render == [(submission.pk, "zh-hans")]


def test_a_rolled_back_request_queues_nothing(enterprise, owner, fake_render):
    submission = factories.make_submission(enterprise, user=owner)
    with transaction.atomic():
        request_report(submission, "zh-hans")
        transaction.set_rollback(True)
    assert not ReportFile.objects.exists() and fake_render == []
