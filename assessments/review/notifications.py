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

from assessments.presentation import labels
from assessments.review.models import Application, ChangeRequest, Objection, ReviewEvent
from portal.accounts import roles
from portal.accounts.models import User
from portal.core.i18n import text_lang
from portal.core.siteurls import absolute_url, site_root
from portal.core.tasks import send_plain_mail_task
from portal.core.text import subject_line


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


def _send(template: str, recipients: list[str], **context) -> None:
    """Render ``review/email/<template>_subject.txt`` and ``<template>.txt`` in the active
    language and send them to ``recipients`` after the commit."""
    subject = subject_line(render_to_string(f"review/email/{template}_subject.txt", context))
    body = render_to_string(f"review/email/{template}.txt", context)
    transaction.on_commit(lambda: _enqueue(subject, body, recipients))


def item_titles(application: Application, codes) -> list[str]:
    """Item codes as the firm reads them ("M4 知识产权管理人员"), in the active language."""
    scheme = application.submission.scheme_version.engine_scheme
    return [labels.item_label(scheme, code, text_lang()) for code in codes or ()]


def state_changed(application: Application, event: ReviewEvent) -> None:
    """After the commit, tell the firm's members about ``event`` (never an internal one)."""
    if event.internal:
        return
    recipients = _firm_recipients(application)
    with translation.override(application.language):
        _send(
            "state_changed",
            recipients,
            application=application,
            event=event,
            items=item_titles(application, event.data.get("items"))
            if event.action == "return"
            else [],
            url=absolute_url(reverse("applications:detail", args=[application.pk])),
            site=site_root(),
        )


def assigned(application: Application, assignee: User, actor: User) -> None:
    """After the commit, tell the assignee about the assignment."""
    if not assignee.email or assignee.pk == actor.pk:
        return
    with translation.override(application.language):
        _send(
            "assigned",
            [assignee.email],
            application=application,
            assignee=assignee,
            actor=actor,
            url=absolute_url(reverse("review:detail", args=[application.pk])),
        )


def _reviewer_recipients(application: Application) -> list[str]:
    """The assignee and the lead reviewers whose regions cover the application."""
    addresses = set()
    if application.assignee_id and application.assignee.email and application.assignee.is_active:
        addresses.add(application.assignee.email)
    region = application.enterprise.region
    codes = [region.code] + ([region.parent_id] if region.parent_id else [])
    leads = roles.reviewers().filter(reviewer_profile__regions__code__in=codes).distinct()
    for user in leads:
        if user.email and roles.is_lead(user):
            addresses.add(user.email)
    return sorted(addresses)


def objection_lodged(application: Application, objection: Objection) -> None:
    """After the commit, tell the reviewers that an objection needs their answer."""
    recipients = _reviewer_recipients(application)
    with translation.override(application.language):
        _send(
            "objection",
            recipients,
            application=application,
            objection=objection,
            url=absolute_url(reverse("review:detail", args=[application.pk])),
        )


def change_request_reminder(application: Application, request: ChangeRequest) -> None:
    """Remind the firm's members of the deadline of a request for changes."""
    recipients = _firm_recipients(application)
    with translation.override(application.language):
        _send(
            "change_reminder",
            recipients,
            application=application,
            request=request,
            items=item_titles(application, request.items),
            url=absolute_url(reverse("applications:detail", args=[application.pk])),
        )


def change_request_overdue(application: Application, request: ChangeRequest) -> None:
    """Tell the reviewers that the firm let the deadline of a request for changes pass."""
    recipients = _reviewer_recipients(application)
    with translation.override(application.language):
        _send(
            "change_overdue",
            recipients,
            application=application,
            request=request,
            url=absolute_url(reverse("review:detail", args=[application.pk])),
        )
