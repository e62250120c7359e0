"""Sign-in by e-mail address or user name.

Accounts created by registration sign in with their e-mail address (their user name is derived
from it and never shown as something to remember), so registration never has to refuse a user
name as taken — which would tell anyone which user names exist. Older accounts and invited
colleagues keep their user names, which work as before.
"""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from portal.accounts.models import User
from portal.core.text import normalise_identifier


def login_key(identifier: str | None) -> str:
    """One spelling per account for what is typed at sign-in (also the lock-out key):
    NFKC, trimmed, and case-folded when it is an e-mail address."""
    text = normalise_identifier(identifier)
    return text.lower() if "@" in text else text


class EmailOrUsernameBackend(ModelBackend):
    """A typed e-mail address finds the account with that address (case-insensitively);
    anything else is a user name."""

    def authenticate(
        self, request: HttpRequest | None, username: str | None = None, password: str | None = None,
        **kwargs,
    ):  # fmt: skip
        key = login_key(username)
        if "@" in key and password is not None:
            user = User.objects.filter(email__iexact=key).order_by("pk").first()
            if user is not None:
                if user.check_password(password) and self.user_can_authenticate(user):
                    return user
                return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def axes_username(request: HttpRequest, credentials: dict | None) -> str:
    """django-axes counts failures per :func:`login_key`, so that "A@x.cn" and "a@x.cn", or
    full-width and ASCII spellings, are one account and not several."""
    from django.conf import settings

    field = settings.AXES_USERNAME_FORM_FIELD
    if credentials:
        return login_key(credentials.get(field))
    data = getattr(request, "data", None) or request.POST
    return login_key(data.get(field))
