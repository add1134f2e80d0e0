"""The knowledge base: a taxonomy (methods, instruments, provisions, obstacle types, stakeholder groups), and per
country, facts (one value per provision, with its source), practices and case studies, and obstacles.

Every record goes through review: a national coordinator (for their countries) or the Secretariat proposes it, the
Secretariat publishes or rejects it; only published records appear on public pages, in exports and in the API.
Demo records (``is_demo``) are never published.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ipvalue.core.languages import in_active_language
from ipvalue.countries.models import Country


class TermKind(models.TextChoices):
    METHOD = "method", _("Valuation method")
    INSTRUMENT = "instrument", _("Financial instrument")
    PROVISION = "provision", _("Legal or institutional provision")
    OBSTACLE = "obstacle", _("Obstacle type")
    STAKEHOLDER_GROUP = "stakeholder_group", _("Stakeholder group")


class ValueType(models.TextChoices):
    YES_NO = "yes_no", _("Yes or no")
    CHOICE = "choice", _("One of a list")
    TEXT = "text", _("Text")
    NUMBER = "number", _("Number")


class Term(models.Model):
    """One entry of the taxonomy, named in the six languages (data: ``knowledge/data/taxonomy.json``)."""

    kind = models.CharField(_("kind"), max_length=30, choices=TermKind.choices)
    code = models.SlugField(_("code"), max_length=80)
    names = models.JSONField(_("names"), default=dict)
    descriptions = models.JSONField(_("descriptions"), default=dict, blank=True)
    value_type = models.CharField(_("type of value"), max_length=20, choices=ValueType.choices, blank=True)
    choices = models.JSONField(_("choices"), default=list, blank=True)
    category = models.CharField(_("category"), max_length=30, blank=True)
    stip_codes = models.JSONField(_("OECD STIP Compass codes"), default=list, blank=True)
    parent = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="children")
    position = models.PositiveIntegerField(default=0)
    active = models.BooleanField(_("in use"), default=True)
    version = models.CharField(_("taxonomy version"), max_length=20, blank=True)

    class Meta:
        ordering = ["kind", "position", "code"]
        constraints = [models.UniqueConstraint(fields=["kind", "code"], name="knowledge_term_kind_code_unique")]
        verbose_name = _("taxonomy term")
        verbose_name_plural = _("taxonomy terms")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return in_active_language(self.names, self.code)

    @property
    def description(self) -> str:
        return in_active_language(self.descriptions, "")

    def choice_name(self, code: str) -> str:
        for choice in self.choices:
            if choice.get("code") == code:
                return in_active_language(choice.get("name", {}), code)
        return code


class ReviewStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed, waiting for review")
    PUBLISHED = "published", pgettext_lazy("review status", "Published")
    REJECTED = "rejected", _("Rejected")


class Confidence(models.TextChoices):
    HIGH = "high", _("High: the text of the law or an official source")
    MEDIUM = "medium", _("Medium: a secondary source or an official's statement")
    LOW = "low", _("Low: to be verified")


class Reviewed(models.Model):
    """What facts, practices and obstacles share: their country, source, review and provenance."""

    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="+", verbose_name=_("country"))
    source_title = models.CharField(_("source"), max_length=500, help_text=_("Law and article, or document title."))
    source_url = models.URLField(_("link"), max_length=500, blank=True)
    source_date = models.CharField(
        _("date of the source"), max_length=20, blank=True, help_text="YYYY, YYYY-MM or YYYY-MM-DD"
    )
    status = models.CharField(_("review"), max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.PROPOSED)
    is_demo = models.BooleanField(
        _("demo data"), default=False, help_text=_("Invented for demonstration: never published.")
    )
    origin_response = models.ForeignKey(
        "surveys.Response", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("from the questionnaire response"),
    )  # fmt: skip
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("entered by"),
    )  # fmt: skip
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("reviewed by"),
    )  # fmt: skip
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    review_note = models.CharField(_("review note"), max_length=1000, blank=True)
    created_at = models.DateTimeField(_("entered"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class Fact(Reviewed):
    """The value of one provision in one country, with its source: ``IP can be pledged: yes (Civil Code, art. 3)``."""

    provision = models.ForeignKey(
        Term, on_delete=models.PROTECT, related_name="facts", limit_choices_to={"kind": TermKind.PROVISION},
        verbose_name=_("provision"),
    )  # fmt: skip
    value = models.CharField(_("value"), max_length=200, help_text=_("yes / no, a choice's code, or a number."))
    detail = models.TextField(_("detail"), blank=True, max_length=5000)
    source_article = models.CharField(_("article"), max_length=200, blank=True)
    confidence = models.CharField(_("confidence"), max_length=10, choices=Confidence.choices, default=Confidence.MEDIUM)
    verified_at = models.DateField(_("last verified"), null=True, blank=True)

    class Meta:
        ordering = ["country", "provision", "-reviewed_at", "-pk"]
        verbose_name = _("fact")
        verbose_name_plural = _("facts")

    def __str__(self) -> str:
        return f"{self.country.iso2} {self.provision.code} = {self.value}"

    @property
    def value_label(self) -> str:
        """The value in words, in the current language."""
        provision = self.provision
        if provision.value_type == ValueType.YES_NO:
            return str({"yes": _("Yes"), "no": _("No")}.get(self.value, self.value))
        if provision.value_type == ValueType.CHOICE:
            return provision.choice_name(self.value)
        return self.value


class Outcome(models.TextChoices):
    SUCCESSFUL = "successful", _("Successful")
    PARTLY = "partly", _("Partly successful")
    UNSUCCESSFUL = "unsuccessful", _("Unsuccessful")
    ONGOING = "ongoing", _("Ongoing")
    UNKNOWN = "unknown", _("Not known")


class Practice(Reviewed):
    """A practice or case study: what was done, with which instrument and stakeholders, and what came of it."""

    titles = models.JSONField(_("title"), default=dict, help_text=_('Per language: {"en": ..., "ru": ...}'))
    instrument = models.ForeignKey(
        Term, on_delete=models.PROTECT, null=True, blank=True, related_name="practices",
        limit_choices_to={"kind": TermKind.INSTRUMENT}, verbose_name=_("instrument"),
    )  # fmt: skip
    methods = models.ManyToManyField(
        Term, blank=True, related_name="method_practices", limit_choices_to={"kind": TermKind.METHOD},
        verbose_name=_("valuation methods"),
    )  # fmt: skip
    stakeholder_groups = models.JSONField(_("stakeholder groups"), default=list, blank=True)
    descriptions = models.JSONField(_("what happened"), default=dict, blank=True)
    figures = models.CharField(_("figures"), max_length=1000, blank=True)
    year = models.PositiveIntegerField(_("year"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, default=Outcome.UNKNOWN)
    source_publisher = models.CharField(_("publisher"), max_length=300, blank=True)

    class Meta:
        ordering = ["country", "-year", "pk"]
        verbose_name = _("practice or case study")
        verbose_name_plural = _("practices and case studies")

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return in_active_language(self.titles, f"#{self.pk}")

    @property
    def description(self) -> str:
        return in_active_language(self.descriptions, "")


class Obstacle(Reviewed):
    """An obstacle to valuing or financing IP in a country, of a type of the taxonomy, with its severity (1 to 5)."""

    type = models.ForeignKey(
        Term, on_delete=models.PROTECT, related_name="obstacles", limit_choices_to={"kind": TermKind.OBSTACLE},
        verbose_name=_("type"),
    )  # fmt: skip
    description = models.TextField(_("description"), max_length=5000, blank=True)
    severity = models.PositiveSmallIntegerField(_("severity (1 to 5)"), default=3)

    class Meta:
        ordering = ["country", "-severity", "pk"]
        verbose_name = _("obstacle")
        verbose_name_plural = _("obstacles")

    def __str__(self) -> str:
        return f"{self.country.iso2} {self.type.code}"


class InstitutionKind(models.TextChoices):
    IP_OFFICE = "ip_office", _("IP office")
    MINISTRY = "ministry", _("Ministry or government agency")
    REGISTRY = "registry", _("Registry of security interests")
    COURT = "court", _("Court or arbitration body")
    CENTRAL_BANK = "central_bank", _("Central bank or financial regulator")
    BANK = "bank", _("Bank or lender")
    GUARANTEE = "guarantee", _("Guarantee or development fund")
    INVESTOR = "investor", _("Investor or venture fund")
    VALUATION_BODY = "valuation_body", _("Valuation standard-setter or valuers' association")
    TTO = "tto", _("Technology transfer office")
    UNIVERSITY = "university", _("University or research institute")
    OTHER = "other", _("Other")


class Institution(Reviewed):
    """An institution that matters for valuing or financing IP in a country (IP office, registry of pledges, guarantee
    fund, valuers' association, technology transfer office...), with its role and source."""

    names = models.JSONField(_("name"), default=dict, help_text=_('Per language: {"en": ..., "ru": ...}'))
    kind = models.CharField(_("kind"), max_length=30, choices=InstitutionKind.choices, default=InstitutionKind.OTHER)
    roles = models.JSONField(_("role"), default=dict, blank=True)
    website = models.URLField(_("website"), max_length=500, blank=True)

    class Meta:
        ordering = ["country", "kind", "pk"]
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return in_active_language(self.names, f"#{self.pk}")

    @property
    def role(self) -> str:
        return in_active_language(self.roles, "")


def published(queryset: Any) -> Any:
    """Only what the public may see: published, never demo."""
    return queryset.filter(status=ReviewStatus.PUBLISHED, is_demo=False)
