"""Open statistics: indicator definitions (``data/indicators.json``), imports with their provenance, and
observations (one value of one indicator for one country and year, from one publisher)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ipvalue.core.languages import in_active_language
from ipvalue.countries.models import Country


class Source(models.TextChoices):
    WORLDBANK = "worldbank", _("World Bank, World Development Indicators")
    WIPO = "wipo", _("WIPO IP Statistics Data Center")


class Kind(models.TextChoices):
    MONEY = "money", _("Amount of money")
    COUNT = "count", pgettext_lazy("kind of value", "Count")
    PERCENT = "percent", _("Percentage")


class Indicator(models.Model):
    """A statistic ipvalue keeps, named in the six languages, with the publishers' codes for it."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    names = models.JSONField(_("names"), default=dict)
    units = models.JSONField(_("units"), default=dict)
    kind = models.CharField(_("kind of value"), max_length=20, choices=Kind.choices)
    worldbank_code = models.CharField(_("World Bank code"), max_length=40, blank=True)
    wipo_keys = models.JSONField(_("WIPO rows"), default=list, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return in_active_language(self.names, self.code)

    @property
    def unit(self) -> str:
        return in_active_language(self.units, "")


class ImportRecord(models.Model):
    """One file loaded: which file (name, SHA-256), the publisher's date, when and by whom, and what it changed."""

    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    filename = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(_("SHA-256 of the file"), max_length=64)
    publisher_updated = models.DateField(_("last updated by the publisher"), null=True, blank=True)
    metadata = models.JSONField(_("publisher's notes"), default=dict, blank=True)
    imported_at = models.DateTimeField(_("imported"), auto_now_add=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("imported by"),
        help_text=_("Empty when the file was loaded from the command line."),
    )
    counts = models.JSONField(_("counts"), default=dict, blank=True)
    changes = models.JSONField(
        _("changed values"),
        default=list,
        blank=True,
        help_text=_("Values this import changed: indicator, country, year, old and new value."),
    )

    class Meta:
        ordering = ["-imported_at", "-pk"]
        verbose_name = _("statistics import")
        verbose_name_plural = _("statistics imports")

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_source_display()}, {self.imported_at:%Y-%m-%d})"


class Observation(models.Model):
    """The value of an indicator for a country and a year, as one publisher gives it (never mixed across sources)."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="observations", verbose_name=_("indicator")
    )
    country = models.ForeignKey(
        Country, on_delete=models.CASCADE, related_name="indicator_observations", verbose_name=_("country")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.FloatField(_("value"))
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    import_record = models.ForeignKey(
        ImportRecord, on_delete=models.PROTECT, related_name="observations", verbose_name=_("import")
    )

    class Meta:
        ordering = ["indicator", "country", "source", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "country", "source", "year"], name="indicators_observation_unique"
            )
        ]
        indexes = [models.Index(fields=["country", "indicator"], name="indicators_obs_country_idx")]
        verbose_name = _("observation")
        verbose_name_plural = _("observations")

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.country.iso2} {self.year} ({self.source}): {self.value}"
