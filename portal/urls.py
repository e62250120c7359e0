"""The portal's addresses. The apps' URL configurations are included by dotted name, so this
module imports nothing from ``assessments`` or ``cms``."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from portal.core import languages
from portal.core import views as core_views

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("i18n/setlang/", languages.switch_language, name="set_language"),
    path("admin/", include(wagtailadmin_urls)),
    path("django-admin/", admin.site.urls),
    path("documents/", include(wagtaildocs_urls)),
    path("", include("cms.urls")),  # sitemap.xml, robots.txt
]

urlpatterns += i18n_patterns(
    path("accounts/", include("portal.accounts.urls")),
    path("", include("portal.accounts.dashboard_urls")),
    path("assessments/", include("assessments.wizard.urls")),
    path("reports/", include("assessments.reports.urls")),
    path("verify/", include("assessments.reports.verify_urls")),
    path("transfer/", include("assessments.transfer.urls")),
    path("review/", include("assessments.review.urls")),
    path("applications/", include("assessments.review.firm_urls")),
    path("plans/", include("assessments.plans.urls")),
    path("publicity/", include("assessments.review.publicity_urls")),
    path("search/", include("cms.search_urls")),
    # Wagtail's page tree serves everything else (home, policies, notices), through the
    # shared cache of public pages.
    path("", include("cms.page_urls")),
    prefix_default_language=False,
)

if settings.DEBUG:
    # Only public CMS images are served straight from MEDIA_ROOT in development; private files
    # (evidence, reports, exports) are always served through views that check permissions.
    from django.conf.urls.static import static

    for public_dir in ("images/", "original_images/"):
        urlpatterns = (
            static(settings.MEDIA_URL + public_dir, document_root=settings.MEDIA_ROOT / public_dir)
            + urlpatterns
        )
