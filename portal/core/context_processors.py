from django.conf import settings
from django.http import HttpRequest


def portal(request: HttpRequest) -> dict:
    """Values every page template needs (site name, language list for the switcher)."""
    user = getattr(request, "user", None)
    return {
        "SITE_NAME": settings.WAGTAIL_SITE_NAME,
        "PORTAL_LANGUAGES": settings.LANGUAGES,
        "is_reviewer": bool(
            user
            and user.is_authenticated
            and (user.is_superuser or hasattr(user, "reviewer_profile"))
        ),
    }
