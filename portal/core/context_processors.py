from django.conf import settings
from django.http import HttpRequest


def portal(request: HttpRequest) -> dict:
    """Values every page template needs (site name, language list for the switcher)."""
    return {"SITE_NAME": settings.WAGTAIL_SITE_NAME, "PORTAL_LANGUAGES": settings.LANGUAGES}
