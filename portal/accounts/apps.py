from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "portal.accounts"
    label = "accounts"
    verbose_name = _("Accounts and enterprises")

    def ready(self) -> None:
        # Connect the receivers: the sign-in signal, and role changes for the navigation.
        from portal.accounts import idle, navigation  # noqa: F401
