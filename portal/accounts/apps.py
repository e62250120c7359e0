from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "portal.accounts"
    label = "accounts"
    verbose_name = _("Accounts and enterprises")

    def ready(self) -> None:
        from portal.accounts import idle  # noqa: F401  (connects the sign-in signal)
