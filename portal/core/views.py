from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import translation
from django.utils.translation import check_for_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.i18n import LANGUAGE_QUERY_PARAMETER
from django.views.i18n import set_language as django_set_language


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness and database round trip, for load balancers and monitoring."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # pragma: no cover - exercised by monitoring, not by unit tests
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok"})


def set_language(request: HttpRequest) -> HttpResponse:
    """Django's ``set_language``, resolving ``next`` in the language chosen.

    The switch posts ``next`` already in the chosen language (``url_in_language``). Django
    translates it once more, resolving it in the request's language, which is always the default
    here (``/i18n/setlang/`` has no language prefix): ``/en/policies/x/`` then matches the page
    tree's catch-all as the Chinese page ``en/policies/x/`` and becomes ``/en/en/policies/x/``.
    Resolved in the chosen language, the address maps onto itself.
    """
    language = request.POST.get(LANGUAGE_QUERY_PARAMETER)
    if request.method == "POST" and language and check_for_language(language):
        with translation.override(language):
            return django_set_language(request)
    return django_set_language(request)
