from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "portal.core"
    label = "core"
    verbose_name = _("Portal core")

    def ready(self) -> None:
        # Imported when the app registry is ready: the system checks register themselves, and
        # the cached site, locale and view-restriction look-ups import Wagtail's models.
        from portal.core import checks, wagtail_lookups  # noqa: F401

        wagtail_lookups.install()
