"""Sign-in lock-outs (django-axes) and the page shown when sign-in is blocked.

Two limits, both kept in the database (so every app server sees the same counts):

- per account and address: ``AXES_FAILURE_LIMIT`` failures lock that pair for
  ``AXES_COOLOFF_TIME`` (django-axes' own rule, ``AXES_LOCKOUT_PARAMETERS``);
- per account from any address: ``ACCOUNT_LOCKOUT_FAILURES`` failures within
  ``ACCOUNT_LOCKOUT_WINDOW`` lock the account until the oldest of them is older than the
  window. It counts django-axes' failure log (``AXES_ENABLE_ACCESS_FAILURE_LOG``), which keeps
  one row per failure; attempts refused while locked are not logged and do not prolong it.
"""

from __future__ import annotations

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessFailureLog
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone


def account_failures(username: str | None) -> int:
    """Failed sign-ins for ``username`` within the account window, from any address."""
    if not username:
        return 0
    since = timezone.now() - settings.ACCOUNT_LOCKOUT_WINDOW
    return AccessFailureLog.objects.filter(username=username, attempt_time__gte=since).count()


def account_locked(username: str | None) -> bool:
    return account_failures(username) >= settings.ACCOUNT_LOCKOUT_FAILURES


class AccountCapHandler(AxesDatabaseHandler):
    """django-axes' database handler, plus the per-account cap across addresses."""

    def is_locked(self, request, credentials: dict | None = None) -> bool:
        if super().is_locked(request, credentials):
            return True
        return account_locked(get_client_username(request, credentials))


def lockout_response(
    request: HttpRequest, original_response=None, credentials=None
) -> HttpResponse:
    username = get_client_username(request, credentials)
    if account_locked(username):
        minutes = int(settings.ACCOUNT_LOCKOUT_WINDOW.total_seconds() // 60)
        whole_account = True
    else:
        minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
        whole_account = False
    context = {"cooloff_minutes": max(1, minutes), "whole_account": whole_account}
    return render(request, "accounts/locked.html", context, status=429)
