"""WIPO member states, WIPO's regional groups, and the project's beneficiary countries with their selection record."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from ipvalue.core.languages import TranslatedNameMixin


class TranslatedNames(models.Model):
    """A name stored in each of the six languages."""

    name_en = models.CharField(_("name (English)"), max_length=200)
    name_fr = models.CharField(_("name (French)"), max_length=200, blank=True)
    name_es = models.CharField(_("name (Spanish)"), max_length=200, blank=True)
    name_ru = models.CharField(_("name (Russian)"), max_length=200, blank=True)
    name_zh_hans = models.CharField(_("name (Chinese)"), max_length=200, blank=True)
    name_ar = models.CharField(_("name (Arabic)"), max_length=200, blank=True)

    class Meta:
        abstract = True


class RegionalGroup(TranslatedNameMixin, TranslatedNames):
    """One of WIPO's regional groups (African Group, Group B, CACEEC, ...)."""

    code = models.CharField(_("code"), max_length=20, unique=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("regional group")
        verbose_name_plural = _("regional groups")

    def __str__(self) -> str:
        return self.name


class CountryQuerySet(models.QuerySet["Country"]):
    def beneficiaries(self) -> "CountryQuerySet":
        return self.filter(is_beneficiary=True)


class Country(TranslatedNameMixin, TranslatedNames):
    """A WIPO member state. Codes and names are reference data, kept up to date by ``load_reference_data``."""

    iso2 = models.CharField(_("ISO 3166 alpha-2 code"), max_length=2, unique=True)
    iso3 = models.CharField(_("ISO 3166 alpha-3 code"), max_length=3, unique=True)
    numeric = models.CharField(_("ISO 3166 numeric code"), max_length=3, blank=True)
    groups = models.ManyToManyField(
        RegionalGroup, related_name="countries", blank=True, verbose_name=_("regional groups")
    )
    is_beneficiary = models.BooleanField(
        _("beneficiary country"),
        default=False,
        help_text=_("Whether the country takes part in the project as a beneficiary."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = CountryQuerySet.as_manager()

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")
        permissions = [("change_beneficiary_status", _("Can change whether a country is a beneficiary"))]

    def __str__(self) -> str:
        return self.name

    @property
    def country(self) -> "Country":
        """A country is its own country: lets permission rules treat it like any country-bound record."""
        return self


class SelectionCriterion(models.Model):
    """How a country meets one of the project's criteria for choosing beneficiary countries (DOMAIN.md)."""

    class Criterion(models.TextChoices):
        NEED_AND_INTEREST = "need_and_interest", _("Need for and interest in the project")
        DATA_WILLINGNESS = "data_willingness", _("Willingness to provide data")

    class Assessment(models.TextChoices):
        MET = "met", _("Met")
        PARTLY_MET = "partly_met", _("Partly met")
        NOT_MET = "not_met", _("Not met")
        NOT_ASSESSED = "not_assessed", _("Not yet assessed")

    country = models.ForeignKey(
        Country, on_delete=models.CASCADE, related_name="selection_criteria", verbose_name=_("country")
    )
    criterion = models.CharField(_("criterion"), max_length=40, choices=Criterion.choices)
    assessment = models.CharField(
        _("assessment"), max_length=20, choices=Assessment.choices, default=Assessment.NOT_ASSESSED
    )
    evidence = models.TextField(_("evidence"), blank=True, max_length=4000)
    source = models.CharField(
        _("source"),
        max_length=500,
        blank=True,
        help_text=_("Where the evidence comes from: a document, a letter, a meeting, with its date."),
    )
    assessed_on = models.DateField(_("assessed on"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["country", "criterion"]
        constraints = [
            models.UniqueConstraint(fields=["country", "criterion"], name="unique_selection_criterion_per_country")
        ]
        verbose_name = _("selection criterion")
        verbose_name_plural = _("selection criteria")

    def __str__(self) -> str:
        return f"{self.country.iso2}: {self.get_criterion_display()}"
