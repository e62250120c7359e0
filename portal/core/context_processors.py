from django.conf import settings
from django.http import HttpRequest

from portal.accounts import roles


def portal(request: HttpRequest) -> dict:
    """Values every page template needs (site name, language list for the switcher, the
    navigation's role questions)."""
    user = getattr(request, "user", None)
    return {
        "SITE_NAME": settings.WAGTAIL_SITE_NAME,
        "PORTAL_LANGUAGES": settings.LANGUAGES,
        "is_reviewer": roles.is_reviewer(user),
    }
