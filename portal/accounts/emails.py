"""Account e-mails: rendered in the active language, sent after the commit by a task.

Sending through django-tasks (in-process by default, ``db_worker`` in production) keeps a
rolled-back change from sending mail and, in production, keeps the time a registration takes
from depending on how many messages it causes.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django_tasks import task


@task()
def send_account_mail(subject: str, body: str, recipients: list[str]) -> int:
    """One plain-text message per recipient (no shared To: list)."""
    sent = 0
    for address in recipients:
        sent += send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address])
    return sent


def send_later(subject: str, template: str, context: dict, recipients: Iterable[str]) -> None:
    """Render now (in the request's language), send once the transaction has committed."""
    to = sorted({address for address in recipients if address})
    if not to:
        return
    body = render_to_string(template, context)
    transaction.on_commit(
        lambda: send_account_mail.enqueue(subject=str(subject), body=body, recipients=to)
    )
