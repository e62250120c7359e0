from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from portal.accounts.navigation import navigation


def portal(request: HttpRequest) -> dict:
    """Values every page template needs: the site name, the language list for the switcher and
    the header's links (``header_links.<name>``: which ones this user sees, kept in the session)."""
    return {
        "SITE_NAME": settings.WAGTAIL_SITE_NAME,
        "PORTAL_LANGUAGES": settings.LANGUAGES,
        "header_links": SimpleLazyObject(lambda: navigation(request)),
    }
