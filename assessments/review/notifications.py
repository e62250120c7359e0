"""E-mail notifications: the firm's members on every state change, the assignee on assignment.

Messages are rendered in the application's language when the change is made and sent after the
commit by the portal's mail task (in-process by default, ``db_worker`` in production), so a
rolled-back transition never sends mail.
"""

from __future__ import annotations

from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from assessments.review.models import Application, ReviewEvent
from portal.accounts.models import User
from portal.core.siteurls import absolute_url, site_root
from portal.core.tasks import send_plain_mail_task
from portal.core.text import subject_line


def _absolute(path: str) -> str:
    return absolute_url(path)


def _firm_recipients(application: Application) -> list[str]:
    return sorted(
        {
            m.user.email
            for m in application.enterprise.memberships.select_related("user")
            if m.user.email and m.user.is_active
        }
    )


def _enqueue(subject: str, body: str, recipients: list[str]) -> None:
    if recipients:
        send_plain_mail_task.enqueue(subject=subject, body=body, recipients=recipients)


def state_changed(application: Application, event: ReviewEvent) -> None:
    """After the commit, tell the firm's members about ``event``."""
    recipients = _firm_recipients(application)
    with translation.override(application.language):
        context = {
            "application": application,
            "event": event,
            "url": _absolute(reverse("applications:detail", args=[application.pk])),
            "site": site_root(),
        }
        subject = render_to_string("review/email/state_changed_subject.txt", context)
        body = render_to_string("review/email/state_changed.txt", context)
    subject = subject_line(subject)
    transaction.on_commit(lambda: _enqueue(subject, body, recipients))


def assigned(application: Application, assignee: User, actor: User) -> None:
    """After the commit, tell the assignee about the assignment."""
    if not assignee.email or assignee.pk == actor.pk:
        return
    with translation.override(application.language):
        context = {
            "application": application,
            "assignee": assignee,
            "actor": actor,
            "url": _absolute(reverse("review:detail", args=[application.pk])),
        }
        subject = render_to_string("review/email/assigned_subject.txt", context)
        body = render_to_string("review/email/assigned.txt", context)
    subject = subject_line(subject)
    address = assignee.email
    transaction.on_commit(lambda: _enqueue(subject, body, [address]))
