from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "ipvalue.accounts"
    label = "accounts"
    verbose_name = _("People and permissions")

    def ready(self) -> None:
        from ipvalue.accounts import audit  # noqa: F401  (registers models with the audit log)
