from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CountriesConfig(AppConfig):
    name = "ipvalue.countries"
    label = "countries"
    verbose_name = _("Countries")

    def ready(self) -> None:
        from ipvalue.countries import audit  # noqa: F401  (registers models with the audit log)
