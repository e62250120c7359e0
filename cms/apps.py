from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = _("Policies and notices")

    def ready(self) -> None:
        # Imported when the app registry is ready: connects the cache invalidation receivers.
        from cms import signals  # noqa: F401
