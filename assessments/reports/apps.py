from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "assessments.reports"
    label = "reports"
    verbose_name = _("Reports and verification")

    def ready(self) -> None:
        from .verification import register_resolver, submission_record

        register_resolver(submission_record)
