from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "ipvalue.indicators"
    label = "indicators"
    verbose_name = _("Open statistics")

    def ready(self) -> None:
        from ipvalue.indicators import audit  # noqa: F401  (registers models with the audit log)
