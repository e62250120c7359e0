from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewConfig(AppConfig):
    name = "assessments.review"
    label = "review"
    verbose_name = _("Programmes and review")

    def ready(self) -> None:
        from assessments.review import signals  # noqa: F401 - connects the receivers
