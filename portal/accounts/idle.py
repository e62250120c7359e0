"""An idle timeout for staff sessions: reviewers, editors, moderators and administrators.

Company users keep the normal session length (``SESSION_COOKIE_AGE``). A staff session is
marked when it signs in; :class:`StaffIdleTimeoutMiddleware` then signs it out once it has
been idle for ``STAFF_IDLE_TIMEOUT`` seconds and sends the user to the sign-in page, which
brings them back to where they were. The last activity is written at most once a minute.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.dispatch import receiver
from django.utils.translation import gettext as _

from portal.accounts.roles import is_staff_role

STAFF_KEY = "portal_staff_idle_timeout"
LAST_SEEN_KEY = "portal_last_seen"
WRITE_EVERY = 60  # seconds


@receiver(user_logged_in, dispatch_uid="portal.accounts.idle.mark_staff_session")
def mark_staff_session(sender, request, user, **kwargs) -> None:
    if request is None or not hasattr(request, "session"):
        return
    if is_staff_role(user):
        request.session[STAFF_KEY] = True
        request.session[LAST_SEEN_KEY] = int(time.time())


class StaffIdleTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if session is not None and session.get(STAFF_KEY) and request.user.is_authenticated:
            now = int(time.time())
            last = int(session.get(LAST_SEEN_KEY) or now)
            if now - last > settings.STAFF_IDLE_TIMEOUT:
                logout(request)
                minutes = settings.STAFF_IDLE_TIMEOUT // 60
                messages.info(
                    request,
                    _("You were signed out after %(minutes)s minutes without activity.")
                    % {"minutes": minutes},
                )
                return redirect_to_login(request.get_full_path())
            if now - last >= WRITE_EVERY:
                session[LAST_SEEN_KEY] = now
        return self.get_response(request)
