"""Users, their role, and the countries a national coordinator is appointed to."""

import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    SECRETARIAT = "secretariat", _("Secretariat")
    COORDINATOR = "coordinator", _("National coordinator")
    EXPERT = "expert", _("Expert")
    STAKEHOLDER = "stakeholder", _("Stakeholder")


class User(AbstractUser):
    """A person who signs in. What they may do follows from ``role`` and, for coordinators, their countries."""

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.STAKEHOLDER)
    preferred_language = models.CharField(
        _("preferred language"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @property
    def is_secretariat(self) -> bool:
        return self.is_active and (self.is_superuser or self.role == Role.SECRETARIAT)


class CountryAssignmentQuerySet(models.QuerySet["CountryAssignment"]):
    def active(self, on: datetime.date | None = None) -> "CountryAssignmentQuerySet":
        """Assignments in force on a date (today by default)."""
        day = on or timezone.localdate()
        return self.filter(Q(starts_on__isnull=True) | Q(starts_on__lte=day)).filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=day)
        )


class CountryAssignment(models.Model):
    """A national coordinator's appointment to a country, for a term (open-ended when ``ends_on`` is empty)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="country_assignments",
        verbose_name=_("coordinator"),
    )
    country = models.ForeignKey(
        "countries.Country",
        on_delete=models.CASCADE,
        related_name="coordinator_assignments",
        verbose_name=_("country"),
    )
    starts_on = models.DateField(_("term starts"), null=True, blank=True)
    ends_on = models.DateField(_("term ends"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = CountryAssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["country", "user"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(starts_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="assignment_term_ends_after_it_starts",
            )
        ]
        verbose_name = _("country assignment")
        verbose_name_plural = _("country assignments")

    def __str__(self) -> str:
        return f"{self.user} – {self.country.iso2}"


class ApiToken(models.Model):
    """A bearer token for the API. Only a SHA-256 hash of the token is stored; the token is shown once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user")
    )
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(_("prefix"), max_length=12, help_text=_("The first characters, to recognise a token."))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.user} {self.prefix}…"
