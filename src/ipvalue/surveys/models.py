"""Questionnaires, their versions, invitations (personal links) and responses.

A questionnaire (``Survey``) is described by versions: each ``SurveyVersion`` holds the form as
:class:`ipvalue.surveys.xlsform.Questionnaire` JSON (and the workbook it came from). The survey's ``current_version``
is what new respondents get; a response keeps the version it was started on, so that a published form that already
has answers only ever changes by a new version.

A respondent reaches a response through a token: the personal link of an ``Invitation`` (closed questionnaires) or
the token of an anonymous ``Response`` started from an open questionnaire's public link. Tokens are 256-bit random
values (``secrets.token_urlsafe(32)``), kept in clear because invitations and reminders must carry them (as
LimeSurvey does); they are compared only by database lookup on a unique index.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ipvalue.countries.models import Country
from ipvalue.stakeholders.taxonomy import StakeholderGroup


def new_token() -> str:
    """A fresh unguessable token: 32 random bytes (256 bits), URL-safe base64, 43 characters."""
    return secrets.token_urlsafe(32)


class SurveyStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    CLOSED = "closed", _("Closed")


class SurveyAccess(models.TextChoices):
    CLOSED = "closed", _("By personal invitation")
    OPEN = "open", _("Open to anyone with the link")


class Survey(models.Model):
    """A questionnaire: what respondents see is its ``current_version``."""

    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True, max_length=5000)
    status = models.CharField(_("status"), max_length=20, choices=SurveyStatus.choices, default=SurveyStatus.DRAFT)
    access = models.CharField(_("access"), max_length=20, choices=SurveyAccess.choices, default=SurveyAccess.CLOSED)
    public_token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    current_version = models.ForeignKey(
        "SurveyVersion", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("version")
    )
    reminders_enabled = models.BooleanField(_("send reminders automatically"), default=False)
    reminder_after_days = models.PositiveIntegerField(_("first reminder, days after the invitation"), default=7)
    reminder_interval_days = models.PositiveIntegerField(_("days between reminders"), default=7)
    max_reminders = models.PositiveIntegerField(_("reminders at most"), default=3)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.access == SurveyAccess.OPEN

    @property
    def is_published(self) -> bool:
        return self.status == SurveyStatus.PUBLISHED


class SurveyVersion(models.Model):
    """One version of a questionnaire's form. A draft version is edited in place; a published one never changes."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    definition = models.JSONField(_("form"), help_text="ipvalue.surveys.xlsform.Questionnaire as JSON")
    source_name = models.CharField(_("file name"), max_length=255, blank=True)
    source = models.BinaryField(_("XLSForm as uploaded"), blank=True, default=b"")
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["survey", "-number"]
        constraints = [models.UniqueConstraint(fields=["survey", "number"], name="survey_version_number_unique")]
        verbose_name = _("questionnaire version")
        verbose_name_plural = _("questionnaire versions")

    def __str__(self) -> str:
        return f"{self.survey} v{self.number}"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class InvitationStatus(models.TextChoices):
    """Where an invitation stands, from sending to completion (the order of the funnel)."""

    INVITED = "invited", _("Invited")
    OPENED = "opened", _("Opened")
    STARTED = "started", _("Started")
    COMPLETED = "completed", _("Completed")


class Invitation(models.Model):
    """A personal link to a closed questionnaire, for one respondent."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="invitations")
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    email = models.EmailField(_("e-mail"), blank=True)
    name = models.CharField(_("name"), max_length=200, blank=True)
    language = models.CharField(_("language"), max_length=10, default="en")
    country = models.ForeignKey(
        Country, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("country")
    )
    group = models.CharField(_("stakeholder group"), max_length=30, choices=StakeholderGroup.choices, blank=True)
    valid_from = models.DateTimeField(_("valid from"), null=True, blank=True)
    valid_until = models.DateTimeField(_("valid until"), null=True, blank=True)
    uses_left = models.PositiveIntegerField(_("uses left"), default=1)
    person = models.ForeignKey(
        "stakeholders.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("person"),
    )  # fmt: skip
    sent_at = models.DateTimeField(_("invitation sent"), null=True, blank=True)
    last_reminded_at = models.DateTimeField(_("last reminder"), null=True, blank=True)
    reminder_count = models.PositiveIntegerField(_("reminders sent"), default=0)
    email_attempts = models.PositiveIntegerField(default=0)
    email_error = models.CharField(_("last e-mail error"), max_length=500, blank=True)
    bounced_at = models.DateTimeField(_("e-mail bounced"), null=True, blank=True)
    opted_out_at = models.DateTimeField(_("opted out of e-mails"), null=True, blank=True)
    opened_at = models.DateTimeField(_("opened"), null=True, blank=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return self.name or self.email or f"#{self.pk}"

    @property
    def status(self) -> str:
        if self.completed_at:
            return InvitationStatus.COMPLETED
        if self.started_at:
            return InvitationStatus.STARTED
        if self.opened_at:
            return InvitationStatus.OPENED
        return InvitationStatus.INVITED

    def is_expired(self, now: Any = None) -> bool:
        return self.valid_until is not None and (now or timezone.now()) > self.valid_until

    def is_not_yet_valid(self, now: Any = None) -> bool:
        return self.valid_from is not None and (now or timezone.now()) < self.valid_from


class ResponseStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")


class Response(models.Model):
    """The answers of one respondent, saved on the server as they are given.

    ``answers`` maps question names to answers as the respondent gave them, validated one by one: text as text,
    numbers as numbers, a select_multiple as a list of choice names, a repeat as a list of objects (one per instance).
    """

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    version = models.ForeignKey(SurveyVersion, on_delete=models.PROTECT, related_name="responses")
    invitation = models.ForeignKey(
        Invitation, on_delete=models.CASCADE, null=True, blank=True, related_name="responses"
    )
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    language = models.CharField(_("language"), max_length=10, default="en")
    status = models.CharField(_("status"), max_length=20, choices=ResponseStatus.choices, default=ResponseStatus.DRAFT)
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    is_preview = models.BooleanField(default=False, help_text="A Secretariat's test answers, left out of results.")
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    reopened_at = models.DateTimeField(_("reopened"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("response")
        verbose_name_plural = _("responses")

    def __str__(self) -> str:
        return f"{self.survey} #{self.pk}"

    @property
    def is_submitted(self) -> bool:
        return self.status == ResponseStatus.SUBMITTED

    @property
    def country(self) -> Country | None:
        return self.invitation.country if self.invitation_id and self.invitation else None


def _upload_to(instance: ResponseFile, filename: str) -> str:
    return f"survey-files/{instance.response.survey_id}/{secrets.token_hex(16)}"


class ResponseFile(models.Model):
    """A file a respondent attached to a file question; served only to the token holder and the Secretariat."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="files")
    question = models.CharField(max_length=200)
    file = models.FileField(upload_to=_upload_to)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    key = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.original_name


class EmailSuppression(models.Model):
    """An address no questionnaire e-mail goes to again: it bounced, or its owner asked for no more e-mails."""

    class Reason(models.TextChoices):
        BOUNCE = "bounce", _("Bounced")
        OPT_OUT = "opt_out", _("Opted out")

    email = models.EmailField(_("e-mail"), unique=True)
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    detail = models.CharField(_("detail"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("suppressed address")
        verbose_name_plural = _("suppressed addresses")

    def __str__(self) -> str:
        return self.email


class ExportJob(models.Model):
    """A large export made in the background; its file is downloaded by whoever asked for it (or the Secretariat)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Running")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="export_jobs")
    format = models.CharField(max_length=10)
    labels = models.CharField(max_length=20, default="code")
    table = models.CharField(max_length=200, blank=True)
    response_status = models.CharField(max_length=20, default="submitted")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    file = models.FileField(upload_to="survey-exports/", blank=True)
    rows = models.PositiveIntegerField(default=0)
    error = models.CharField(max_length=500, blank=True)
    key = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.survey} {self.format} ({self.status})"
