"""Sending the portal's plain-text e-mails (invitations, review notifications)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail


def send_plain_mail(subject: str, body: str, recipients: list[str]) -> int:
    """Send one message per recipient (no shared To: list); returns how many were sent."""
    sent = 0
    for address in recipients:
        sent += send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address])
    return sent
