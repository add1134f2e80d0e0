"""URLs. Pages are under a language prefix (``/en/``, ``/ru/``, ``/ar/``, ...); the API and health check are not."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from ipvalue.config.api import api
from ipvalue.core import views as core_views

admin.site.site_header = _("ipvalue administration")
admin.site.site_title = _("ipvalue administration")
admin.site.index_title = _("Secretariat")

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("api/", api.urls),
]
urlpatterns += i18n_patterns(
    path("", include("ipvalue.core.urls")),
    path("accounts/", include("ipvalue.accounts.urls")),
    path("countries/", include("ipvalue.countries.urls")),
    path("stakeholders/", include("ipvalue.stakeholders.urls")),
    path("toolkit/", include("ipvalue.toolkit.urls")),
    path("surveys/", include("ipvalue.surveys.urls")),
    path("knowledge/", include("ipvalue.knowledge.urls")),
    path("admin/", admin.site.urls),
)
