"""A questionnaire campaign: inviting many respondents, e-mailing them their personal links, reminding those who have
not answered, respecting bounces and opt-outs, and following progress.

E-mails are rendered from translatable templates in each invitation's language and sent by background tasks
(``ipvalue.surveys.tasks``) with retries; :func:`email_send` is the one place that sends, so the command line, the
tasks and the tests go through the same rules.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
from dataclasses import dataclass, field
from typing import Any

from auditlog.context import set_actor
from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ipvalue.core.tabular import TableError, read_table
from ipvalue.countries.models import Country
from ipvalue.stakeholders.models import PersonList
from ipvalue.stakeholders.selectors import saved_list_members
from ipvalue.stakeholders.taxonomy import StakeholderGroup
from ipvalue.surveys import runtime, services
from ipvalue.surveys.models import EmailSuppression, Invitation, Survey, SurveyStatus

logger = logging.getLogger(__name__)

#: Attempts to send one e-mail before giving up, and the wait before each new attempt.
MAX_EMAIL_ATTEMPTS = 4
RETRY_DELAYS = (dt.timedelta(minutes=1), dt.timedelta(minutes=10), dt.timedelta(hours=1))
SITE_LANGUAGES = {code for code, _name in settings.LANGUAGES}


def _require(actor: Any, survey: Survey) -> None:
    if actor is None or not actor.has_perm("surveys.change_survey", survey):
        raise PermissionDenied


def site_language(code: str) -> str:
    """The site's language for an invitation's language (``zh`` -> ``zh-hans``; unknown -> ``en``)."""
    code = (code or "en").lower()
    if code in SITE_LANGUAGES:
        return code
    if code.startswith("zh"):
        return "zh-hans"
    return code.split("-")[0] if code.split("-")[0] in SITE_LANGUAGES else "en"


def personal_path(invitation: Invitation) -> str:
    """The path of the personal link, under the invitation's language when the site has it (``/ru/surveys/r/...``)."""
    with translation.override(site_language(invitation.language)):
        return reverse("surveys:respond", kwargs={"token": invitation.token})


def personal_link(invitation: Invitation) -> str:
    """The absolute personal link for e-mails (``SITE_URL`` + :func:`personal_path`)."""
    return settings.SITE_URL.rstrip("/") + personal_path(invitation)


def opt_out_link(invitation: Invitation) -> str:
    with translation.override(site_language(invitation.language)):
        path = reverse("surveys:opt_out", kwargs={"token": invitation.token})
    return settings.SITE_URL.rstrip("/") + path


# --------------------------------------------------------------------------------------------------------- e-mail


class EmailKind:
    INVITATION = "invitation"
    REMINDER = "reminder"


def is_suppressed(email: str) -> bool:
    return bool(email) and EmailSuppression.objects.filter(email__iexact=email).exists()


def why_not_email(invitation: Invitation, kind: str) -> str | None:
    """Why this invitation must not be e-mailed now (None when it may be)."""
    if not invitation.email:
        return "no e-mail address"
    if invitation.opted_out_at:
        return "opted out"
    if invitation.bounced_at or is_suppressed(invitation.email):
        return "address bounced or suppressed"
    if invitation.completed_at:
        return "completed"
    if invitation.survey.status != SurveyStatus.PUBLISHED:
        return "questionnaire not published"
    if invitation.is_expired():
        return "link expired"
    if kind == EmailKind.REMINDER and invitation.sent_at is None:
        return "never invited"
    return None


def render_email(invitation: Invitation, kind: str) -> tuple[str, str]:
    """Subject and text of an invitation or reminder e-mail, in the invitation's language."""
    with translation.override(site_language(invitation.language)):
        context = {
            "invitation": invitation,
            "survey": invitation.survey,
            "link": personal_link(invitation),
            "opt_out": opt_out_link(invitation),
            "valid_until": invitation.valid_until,
            "site_url": settings.SITE_URL,
        }
        subject = render_to_string(f"surveys/email/{kind}_subject.txt", context).strip()
        body = render_to_string(f"surveys/email/{kind}.txt", context)
    return " ".join(subject.split()), body


@dataclass
class SendOutcome:
    sent: bool
    reason: str = ""
    retry: bool = False


def email_send(invitation: Invitation, kind: str) -> SendOutcome:
    """Send one invitation or reminder now, recording what happened on the invitation.

    A refused recipient marks the address as bounced (and suppressed for every questionnaire); any other failure is
    recorded and reported as worth retrying.
    """
    reason = why_not_email(invitation, kind)
    if reason:
        return SendOutcome(False, reason)
    subject, body = render_email(invitation, kind)
    message = EmailMultiAlternatives(subject=subject, body=body, to=[invitation.email])
    message.extra_headers["List-Unsubscribe"] = f"<{opt_out_link(invitation)}>"
    now = timezone.now()
    try:
        message.send()
    except smtplib.SMTPRecipientsRefused as error:
        bounce_record(email=invitation.email, detail=str(error)[:500])
        return SendOutcome(False, "address refused")
    except (smtplib.SMTPException, OSError) as error:
        Invitation.objects.filter(pk=invitation.pk).update(
            email_attempts=F("email_attempts") + 1, email_error=str(error)[:500]
        )
        logger.warning("e-mail to invitation %s failed: %s", invitation.pk, error)
        return SendOutcome(False, "failed", retry=True)
    if kind == EmailKind.INVITATION:
        Invitation.objects.filter(pk=invitation.pk).update(sent_at=now, email_attempts=0, email_error="")
        invitation.sent_at = now
    else:
        Invitation.objects.filter(pk=invitation.pk).update(
            last_reminded_at=now, reminder_count=F("reminder_count") + 1, email_attempts=0, email_error=""
        )
        invitation.last_reminded_at = now
        invitation.reminder_count += 1
    return SendOutcome(True)


def bounce_record(*, email: str, detail: str = "", reason: str = EmailSuppression.Reason.BOUNCE) -> int:
    """Suppress an address (a bounce reported by the mail system, or an opt-out); returns the invitations marked."""
    email = email.strip()
    if not email:
        return 0
    EmailSuppression.objects.update_or_create(email=email.lower(), defaults={"reason": reason, "detail": detail})
    if reason == EmailSuppression.Reason.BOUNCE:
        return Invitation.objects.filter(email__iexact=email, bounced_at__isnull=True).update(bounced_at=timezone.now())
    return Invitation.objects.filter(email__iexact=email, opted_out_at__isnull=True).update(opted_out_at=timezone.now())


def opt_out(*, invitation: Invitation) -> None:
    """The respondent asks for no more e-mails about this questionnaire (the link keeps working)."""
    if invitation.opted_out_at is None:
        invitation.opted_out_at = timezone.now()
        Invitation.objects.filter(pk=invitation.pk).update(opted_out_at=invitation.opted_out_at)


def invitations_send(*, actor: Any, survey: Survey, invitations: QuerySet[Invitation] | None = None) -> int:
    """Queue the invitation e-mail of every invitation not sent yet (or of ``invitations``); returns how many."""
    from ipvalue.surveys.tasks import send_survey_email

    _require(actor, survey)
    if survey.status != SurveyStatus.PUBLISHED:
        raise ValidationError({"survey": _("Publish the questionnaire before sending invitations.")})
    pending = (
        (invitations if invitations is not None else survey.invitations.all())
        .filter(sent_at__isnull=True, completed_at__isnull=True, opted_out_at__isnull=True, bounced_at__isnull=True)
        .exclude(email="")
    )
    ids = list(pending.values_list("pk", flat=True))
    for pk in ids:
        transaction.on_commit(lambda pk=pk: send_survey_email.enqueue(pk, EmailKind.INVITATION, 1))
    return len(ids)


# --------------------------------------------------------------------------------------------------------- reminders


def reminders_due(survey: Survey, *, now: dt.datetime | None = None) -> QuerySet[Invitation]:
    """Invitations to remind now under the questionnaire's schedule: invited by e-mail, not completed, not opted out,
    not bounced, still valid, with fewer reminders than the maximum, and quiet for long enough."""
    now = now or timezone.now()
    first = now - dt.timedelta(days=survey.reminder_after_days)
    later = now - dt.timedelta(days=survey.reminder_interval_days)
    suppressed = EmailSuppression.objects.values("email")
    if survey.status != SurveyStatus.PUBLISHED:
        return Invitation.objects.none()
    return (
        survey.invitations.exclude(email="")
        .filter(
            sent_at__isnull=False,
            completed_at__isnull=True,
            opted_out_at__isnull=True,
            bounced_at__isnull=True,
            reminder_count__lt=survey.max_reminders,
        )
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gt=now))
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=now))
        .exclude(email__in=suppressed)
        .filter(
            Q(last_reminded_at__isnull=True, sent_at__lte=first)
            | Q(last_reminded_at__isnull=False, last_reminded_at__lte=later)
        )
        .select_related("survey", "country")
        .order_by("pk")
    )


def reminders_send(*, survey: Survey, now: dt.datetime | None = None) -> dict[str, int]:
    """Send the reminders due now, one by one (the command line and the periodic run); returns counts."""
    counts = {"sent": 0, "skipped": 0, "failed": 0}
    for invitation in reminders_due(survey, now=now):
        outcome = email_send(invitation, EmailKind.REMINDER)
        counts["sent" if outcome.sent else ("failed" if outcome.retry else "skipped")] += 1
    return counts


def schedule_update(
    *, actor: Any, survey: Survey, enabled: bool, after_days: int, interval_days: int, max_reminders: int
) -> Survey:
    _require(actor, survey)
    if after_days < 1 or interval_days < 1 or max_reminders > 20:
        raise ValidationError(_("Reminders come at least a day apart, and at most 20 times."))
    survey.reminders_enabled, survey.reminder_after_days = enabled, after_days
    survey.reminder_interval_days, survey.max_reminders = interval_days, max_reminders
    with set_actor(actor):
        survey.save(
            update_fields=[
                "reminders_enabled", "reminder_after_days", "reminder_interval_days", "max_reminders", "updated_at"
            ]
        )  # fmt: skip
    return survey


# ---------------------------------------------------------------------------------------------------- inviting many


@dataclass
class InviteReport:
    """What inviting many people did: created invitations, and each person or row skipped or refused, with why."""

    created: list[Invitation] = field(default_factory=list)
    skipped: list[dict[str, Any]] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)
    saved: bool = True

    def as_dict(self) -> dict[str, Any]:
        return {
            "created": len(self.created),
            "skipped": self.skipped,
            "errors": self.errors,
            "saved": self.saved,
        }


def _form_language(form: Any, wanted: list[str | None], default: str) -> str:
    codes = {item.code.lower() for item in runtime.form_languages(form)}
    for code in wanted:
        if code and code.lower().split("-")[0] in {c.split("-")[0] for c in codes}:
            return code.lower()
    return default


def invitations_from_list(
    *,
    actor: Any,
    survey: Survey,
    saved: PersonList,
    language: str = "en",
    valid_until: dt.datetime | None = None,
    uses: int = 1,
) -> InviteReport:
    """Invite every person of a saved list of the stakeholder registry (within the actor's countries) in one step.

    Each person is invited in their first language the form has (else ``language``), with their country and group;
    people without an e-mail address, already invited to this questionnaire, or whose address is suppressed are
    skipped and reported.
    """
    _require(actor, survey)
    form = services.form_of(services.latest_version(survey))
    report = InviteReport()
    already = {email.lower() for email in survey.invitations.exclude(email="").values_list("email", flat=True)}
    with transaction.atomic(), set_actor(actor):
        for person in saved_list_members(user=actor, saved=saved).select_related("country"):
            if not person.email:
                report.skipped.append({"person": person.pk, "name": person.full_name, "reason": _("no e-mail address")})
                continue
            if person.email.lower() in already:
                report.skipped.append({"person": person.pk, "name": person.full_name, "reason": _("already invited")})
                continue
            if is_suppressed(person.email):
                report.skipped.append(
                    {"person": person.pk, "name": person.full_name, "reason": _("address suppressed")}
                )
                continue
            report.created.append(
                Invitation.objects.create(
                    survey=survey,
                    person=person,
                    email=person.email,
                    name=person.full_name,
                    language=_form_language(form, list(person.languages or []), language),
                    country=person.country,
                    group=person.group,
                    valid_until=valid_until,
                    uses_left=uses,
                    created_by=actor,
                )
            )
            already.add(person.email.lower())
    return report


class RespondentRowForm(forms.Form):
    """One row of a respondents file: e-mail (required), name, language, country (ISO code), group, valid_until."""

    email = forms.EmailField(label=gettext_lazy("e-mail"))
    name = forms.CharField(label=gettext_lazy("name"), max_length=200, required=False)
    language = forms.CharField(label=gettext_lazy("language"), max_length=10, required=False)
    country = forms.CharField(label=gettext_lazy("country"), max_length=3, required=False)
    group = forms.ChoiceField(
        label=gettext_lazy("stakeholder group"), choices=[("", ""), *StakeholderGroup.choices], required=False
    )
    valid_until = forms.DateTimeField(label=gettext_lazy("valid until"), required=False)
    uses = forms.IntegerField(label=gettext_lazy("uses"), min_value=1, max_value=1000, required=False)

    def clean_country(self) -> Country | None:
        code = (self.cleaned_data.get("country") or "").strip().upper()
        if not code:
            return None
        country = Country.objects.filter(Q(iso2=code) | Q(iso3=code)).first()
        if country is None:
            raise ValidationError(_("“%(code)s” is not a country code (ISO alpha-2 or alpha-3).") % {"code": code})
        return country


RESPONDENT_COLUMNS = ("email", "name", "language", "country", "group", "valid_until", "uses")


def invitations_import(
    *, actor: Any, survey: Survey, content: bytes, filename: str, mode: str = "all-or-nothing", language: str = "en"
) -> InviteReport:
    """Invite the respondents of a CSV/XLSX file (a header row, then one respondent per row).

    Every problem is reported with its row (the header is row 1) and column. ``all-or-nothing`` invites nobody if any
    row is wrong; ``good-rows`` invites the valid rows. Addresses already invited or suppressed are skipped.
    """
    _require(actor, survey)
    if mode not in ("all-or-nothing", "good-rows"):
        raise ValidationError({"mode": _("Choose all-or-nothing or good-rows.")})
    try:
        header, rows = read_table(content, filename)
    except TableError as error:
        report = InviteReport(saved=False)
        report.errors.append({"row": None, "column": None, "message": str(error)})
        return report
    columns = [name.strip().lower().replace(" ", "_").replace("-", "_") for name in header]
    report = InviteReport()
    if "email" not in columns:
        report.errors.append({"row": 1, "column": "email", "message": _("The file needs an “email” column.")})
        report.saved = False
        return report
    already = {email.lower() for email in survey.invitations.exclude(email="").values_list("email", flat=True)}
    valid: list[tuple[int, dict[str, Any]]] = []
    seen: set[str] = set()
    for number, cells in rows:
        data = {column: (cells[index] if index < len(cells) else "") for index, column in enumerate(columns)}
        row_form = RespondentRowForm(data={key: data.get(key, "") for key in RESPONDENT_COLUMNS})
        if not row_form.is_valid():
            for column, messages in row_form.errors.items():
                for message in messages:
                    report.errors.append({"row": number, "column": column, "message": message})
            continue
        email = row_form.cleaned_data["email"].lower()
        if email in seen:
            report.errors.append(
                {"row": number, "column": "email", "message": _("This address is already in the file.")}
            )
            continue
        seen.add(email)
        if email in already:
            report.skipped.append({"row": number, "email": email, "reason": _("already invited")})
            continue
        if is_suppressed(email):
            report.skipped.append({"row": number, "email": email, "reason": _("address suppressed")})
            continue
        valid.append((number, row_form.cleaned_data))
    if report.errors and mode == "all-or-nothing":
        report.saved = False
        return report
    with transaction.atomic(), set_actor(actor):
        for _number, data in valid:
            report.created.append(
                Invitation.objects.create(
                    survey=survey,
                    email=data["email"],
                    name=data["name"] or "",
                    language=(data["language"] or language).lower(),
                    country=data["country"],
                    group=data["group"] or "",
                    valid_until=data["valid_until"],
                    uses_left=data["uses"] or 1,
                    created_by=actor,
                )
            )
    return report


# --------------------------------------------------------------------------------------------------------- progress

FUNNEL = ("invited", "opened", "started", "completed")


def _funnel(queryset: QuerySet[Invitation]) -> dict[str, int]:
    return queryset.aggregate(
        invited=Count("pk"),
        opened=Count("pk", filter=Q(opened_at__isnull=False)),
        started=Count("pk", filter=Q(started_at__isnull=False)),
        completed=Count("pk", filter=Q(completed_at__isnull=False)),
    )


def _funnel_by(queryset: QuerySet[Invitation], key: str) -> dict[str, dict[str, int]]:
    rows = (
        queryset.values(key)
        .annotate(
            invited=Count("pk"),
            opened=Count("pk", filter=Q(opened_at__isnull=False)),
            started=Count("pk", filter=Q(started_at__isnull=False)),
            completed=Count("pk", filter=Q(completed_at__isnull=False)),
        )
        .order_by(key)
    )
    return {(row[key] or ""): {name: row[name] for name in FUNNEL} for row in rows}


def survey_progress(survey: Survey) -> dict[str, Any]:
    """Invited, opened, started and completed: in all, per country (ISO alpha-2) and per stakeholder group."""
    invitations = survey.invitations.all()
    return {
        **_funnel(invitations),
        "bounced": invitations.filter(bounced_at__isnull=False).count(),
        "opted_out": invitations.filter(opted_out_at__isnull=False).count(),
        "by_country": _funnel_by(invitations, "country__iso2"),
        "by_group": _funnel_by(invitations, "group"),
    }


def to_chase(survey: Survey) -> QuerySet[Invitation]:
    """Who has not completed, those furthest along first, then those contacted longest ago."""
    return (
        survey.invitations.filter(completed_at__isnull=True)
        .select_related("country")
        .annotate(last_contact=Coalesce("last_reminded_at", "sent_at"))
        .order_by(
            F("started_at").desc(nulls_last=True),
            F("opened_at").desc(nulls_last=True),
            F("last_contact").asc(nulls_first=True),
        )
    )
