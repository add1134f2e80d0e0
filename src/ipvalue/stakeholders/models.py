"""The registry of organisations and people the project mobilises, their consent, and partnerships."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from ipvalue.core.languages import active_language, field_suffix
from ipvalue.countries.models import Country
from ipvalue.stakeholders.taxonomy import (
    SPOKEN_LANGUAGES,
    STIP_TARGET_GROUP,
    ConsentPurpose,
    InteractionKind,
    MobilisationStatus,
    OrganisationType,
    PartnershipKind,
    StakeholderGroup,
)


class Organisation(models.Model):
    """An IP office, ministry, university, firm, bank, valuer, incubator... in a country."""

    name = models.CharField(
        _("organisation name"), max_length=300, help_text=_("The name as the organisation writes it.")
    )
    name_en = models.CharField(_("name in English"), max_length=300, blank=True)
    name_fr = models.CharField(_("name in French"), max_length=300, blank=True)
    name_es = models.CharField(_("name in Spanish"), max_length=300, blank=True)
    name_ru = models.CharField(_("name in Russian"), max_length=300, blank=True)
    name_zh_hans = models.CharField(_("name in Chinese"), max_length=300, blank=True)
    name_ar = models.CharField(_("name in Arabic"), max_length=300, blank=True)
    country = models.ForeignKey(
        Country, on_delete=models.PROTECT, related_name="organisations", verbose_name=_("country")
    )
    type = models.CharField(_("type"), max_length=30, choices=OrganisationType.choices)
    website = models.URLField(_("website"), blank=True)
    notes = models.TextField(_("notes"), blank=True, max_length=5000)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["country", "type"])]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        """The name in the page's language when recorded, else the organisation's own."""
        return getattr(self, f"name_{field_suffix(active_language())}", "") or self.name

    @property
    def stip_code(self) -> str:
        return STIP_TARGET_GROUP.get(self.type, "")


class PersonQuerySet(models.QuerySet["Person"]):
    def current(self) -> "PersonQuerySet":
        """People whose personal data is held (not erased)."""
        return self.filter(erased_at__isnull=True)


class Person(models.Model):
    """Someone the project works with. After erasure only ``country``, ``group`` and ``status`` remain, for counts."""

    full_name = models.CharField(_("full name"), max_length=200)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="people",
        verbose_name=_("organisation"),
    )
    position = models.CharField(_("position"), max_length=200, blank=True)
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="people", verbose_name=_("country"))
    languages = models.JSONField(_("languages"), default=list, blank=True)
    email = models.EmailField(_("e-mail"), blank=True, db_index=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    group = models.CharField(_("stakeholder group"), max_length=30, choices=StakeholderGroup.choices)
    status = models.CharField(
        _("mobilisation status"),
        max_length=20,
        choices=MobilisationStatus.choices,
        default=MobilisationStatus.IDENTIFIED,
    )
    notes = models.TextField(_("notes"), blank=True, max_length=5000)
    erased_at = models.DateTimeField(_("erased"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["full_name"]
        indexes = [models.Index(fields=["country", "group", "status"])]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return self.full_name if not self.erased_at else str(_("(erased)"))

    def clean(self) -> None:
        unknown = [code for code in self.languages or [] if code not in SPOKEN_LANGUAGES]
        if unknown:
            raise ValidationError({"languages": _("Unknown language code: %(codes)s.") % {"codes": ", ".join(unknown)}})


class StatusChange(models.Model):
    """One step of a person's mobilisation: identified, contacted, engaged, active."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="status_changes")
    status = models.CharField(_("status"), max_length=20, choices=MobilisationStatus.choices)
    changed_on = models.DateField(_("date"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("changed by")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-changed_on", "-created_at"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self) -> str:
        return f"{self.get_status_display()} ({self.changed_on})"

    @property
    def country(self) -> Country:
        return self.person.country


class Interaction(models.Model):
    """A meeting, call, e-mail or event with a person, with notes."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="interactions")
    kind = models.CharField(_("kind"), max_length=20, choices=InteractionKind.choices)
    occurred_on = models.DateField(_("date"))
    notes = models.TextField(_("notes"), blank=True, max_length=5000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("recorded by")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-occurred_on", "-created_at"]
        verbose_name = _("interaction")
        verbose_name_plural = _("interactions")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.occurred_on})"

    @property
    def country(self) -> Country:
        return self.person.country


class ConsentEvent(models.Model):
    """A person giving or withdrawing consent for one purpose; the latest event per purpose is in force."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="consent_events")
    purpose = models.CharField(_("purpose"), max_length=20, choices=ConsentPurpose.choices)
    granted = models.BooleanField(_("consent given"), help_text=_("Unticked: consent withdrawn."))
    occurred_at = models.DateTimeField(_("when"))
    evidence = models.CharField(
        _("how it was given"), max_length=300, blank=True, help_text=_("For example: signed form, e-mail of 3 May.")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("recorded by")
    )

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")

    def __str__(self) -> str:
        return f"{self.get_purpose_display()}: {'+' if self.granted else '-'}"

    @property
    def country(self) -> Country:
        return self.person.country


class ErasureRecord(models.Model):
    """That a person's personal data was erased on request: when, by whom; nothing that identifies them."""

    country = models.ForeignKey(Country, on_delete=models.PROTECT, verbose_name=_("country"))
    group = models.CharField(_("stakeholder group"), max_length=30, choices=StakeholderGroup.choices)
    requested_on = models.DateField(_("requested on"))
    erased_at = models.DateTimeField(_("erased"), auto_now_add=True)
    erased_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, verbose_name=_("erased by")
    )

    class Meta:
        ordering = ["-erased_at"]
        verbose_name = _("erasure record")
        verbose_name_plural = _("erasure records")

    def __str__(self) -> str:
        return f"{self.country.iso2} {self.erased_at:%Y-%m-%d}"


class Partnership(models.Model):
    """A partnership of the project with an organisation: a bank, an expert community, an incubator..."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="partnerships", verbose_name=_("organisation")
    )
    kind = models.CharField(_("type"), max_length=30, choices=PartnershipKind.choices)
    scope = models.TextField(_("scope"), max_length=5000)
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "organisation__name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(starts_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="partnership_ends_after_it_starts",
            )
        ]
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")

    def __str__(self) -> str:
        return f"{self.organisation} – {self.get_kind_display()}"

    @property
    def country(self) -> Country:
        return self.organisation.country


def partnership_document_path(instance: "PartnershipDocument", filename: str) -> str:
    return f"partnerships/{instance.partnership_id}/{filename}"


class PartnershipDocument(models.Model):
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=partnership_document_path)
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self) -> str:
        return self.title

    @property
    def country(self) -> Country:
        return self.partnership.organisation.country


class PersonList(models.Model):
    """A saved filter over people ("banks and valuers in Kazakhstan and Uzbekistan"), evaluated when used, always
    within the countries of whoever uses it."""

    name = models.CharField(_("list name"), max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="person_lists", verbose_name=_("owner")
    )
    countries = models.ManyToManyField(Country, blank=True, verbose_name=_("countries"))
    groups = models.JSONField(_("stakeholder groups"), default=list, blank=True)
    organisation_types = models.JSONField(_("organisation types"), default=list, blank=True)
    statuses = models.JSONField(_("mobilisation statuses"), default=list, blank=True)
    consent = models.CharField(_("with consent for"), max_length=20, choices=ConsentPurpose.choices, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("list")
        verbose_name_plural = _("lists")

    def __str__(self) -> str:
        return self.name
