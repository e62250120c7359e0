"""Deadlines of requests for changes (补正): a reminder to the firm before the deadline and a
flag (with a message to the reviewers) once it has passed. Run daily:
``python manage.py remind_change_requests``."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from assessments.review import notifications
from assessments.review.models import ChangeRequest, ReviewEvent, State


def open_requests():
    return ChangeRequest.objects.filter(
        closed_at__isnull=True, application__state=State.RETURNED
    ).select_related("application__programme", "application__enterprise", "application__submission")


def remind_and_flag(today: dt.date | None = None) -> tuple[int, int]:
    """Send the reminders that are due and flag the requests past their deadline.

    Returns (reminders sent, requests flagged). Each happens once per request.
    """
    today = today or timezone.localdate()
    now = timezone.now()
    reminded = flagged = 0
    for request in open_requests():
        application = request.application
        days = application.programme.reminder_days
        with transaction.atomic():
            if (
                request.reminded_at is None
                and today <= request.deadline
                and today >= request.deadline - dt.timedelta(days=days)
                and ChangeRequest.objects.filter(pk=request.pk, reminded_at__isnull=True).update(
                    reminded_at=now
                )
            ):
                notifications.change_request_reminder(application, request)
                ReviewEvent.objects.create(
                    application=application,
                    action="change_reminder",
                    from_state=application.state,
                    to_state=application.state,
                    data={"deadline": request.deadline.isoformat()},
                )
                reminded += 1
            if (
                request.overdue_at is None
                and today > request.deadline
                and ChangeRequest.objects.filter(pk=request.pk, overdue_at__isnull=True).update(
                    overdue_at=now
                )
            ):
                notifications.change_request_overdue(application, request)
                ReviewEvent.objects.create(
                    application=application,
                    action="change_overdue",
                    from_state=application.state,
                    to_state=application.state,
                    internal=True,
                    data={"deadline": request.deadline.isoformat()},
                )
                flagged += 1
    return reminded, flagged
