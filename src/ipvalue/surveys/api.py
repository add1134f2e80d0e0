"""``/api/v1/surveys`` (the Secretariat's, with a bearer token or a session) and ``/api/v1/responses/{token}``
(the respondent's: the token is the only credential).

A respondent's endpoints answer in the language asked for (``?lang=ru``), else the response's; an unknown token
answers 404, an expired link 410, a link not valid yet 403, and a submitted response refuses changes with 409.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile
from ninja.throttling import AnonRateThrottle
from pydantic import EmailStr, Field

from ipvalue.core.api_auth import API_AUTH
from ipvalue.core.api_errors import UnprocessableError
from ipvalue.countries.models import Country
from ipvalue.stakeholders.taxonomy import StakeholderGroup
from ipvalue.surveys import campaign, export_jobs, exports, runtime, selectors, services
from ipvalue.surveys.models import ExportJob, Response, Survey, SurveyAccess
from ipvalue.surveys.xlsform import XLSFormError, summary

router = Router(tags=["surveys"], auth=API_AUTH)
# Requests one address may make on a respondent's endpoints: SURVEY_API_RATE, 600 a minute by default.
respondent_router = Router(
    tags=["responses"], throttle=[AnonRateThrottle(getattr(settings, "SURVEY_API_RATE", "600/m"))]
)


def _survey(request: HttpRequest, pk: int) -> Survey:
    survey = get_object_or_404(Survey, pk=pk)
    if not request.user.has_perm("surveys.view_survey", survey):
        raise HttpError(404, "Not Found")
    return survey


def _survey_out(survey: Survey) -> dict[str, Any]:
    version = services.latest_version(survey)
    out: dict[str, Any] = {
        "id": survey.pk,
        "status": survey.status,
        "access": survey.access,
        "version": version.number,
        "published_version": survey.current_version.number if survey.current_version and survey.is_published else None,
    }
    out.update(summary(runtime.load(version.definition)))
    out["title"] = survey.title
    return out


@router.post("", response={201: dict[str, Any], 422: dict[str, Any]})
def create_survey(
    request: HttpRequest,
    file: File[UploadedFile],
    title: Form[str] = "",
    access: Form[SurveyAccess] = SurveyAccess.CLOSED,
) -> Status[dict[str, Any]]:
    """Import an XLSForm (``.xlsx`` or ``.xls``) as a new draft questionnaire; 422 lists every error located."""
    if not request.user.has_perm("surveys.add_survey"):
        raise HttpError(403, "Only the Secretariat creates questionnaires.")
    try:
        survey = services.survey_import(
            actor=request.user, content=file.read(), filename=file.name or "form.xlsx", access=access, title=title
        )
    except XLSFormError as error:
        return Status(422, error.as_dict())
    return Status(201, _survey_out(survey))


@router.get("", response=list[dict[str, Any]])
def list_surveys(request: HttpRequest) -> list[dict[str, Any]]:
    if not request.user.has_perm("surveys.view_survey"):
        raise HttpError(403, "Only the Secretariat manages questionnaires.")
    return [_survey_out(survey) for survey in selectors.survey_list()]


@router.get("/{pk}", response=dict[str, Any])
def get_survey(request: HttpRequest, pk: int) -> dict[str, Any]:
    return _survey_out(_survey(request, pk))


@router.post("/{pk}/publish", response=dict[str, Any])
def publish_survey(request: HttpRequest, pk: int) -> dict[str, Any]:
    """Publish the latest version: new respondents get it, responses already started keep theirs."""
    survey = _survey(request, pk)
    services.survey_publish(actor=request.user, survey=survey)
    return _survey_out(survey)


class BouncesIn(Schema):
    emails: list[EmailStr] = Field(min_length=1, max_length=10000)
    reason: Literal["bounce", "opt_out"] = "bounce"
    detail: str = Field("", max_length=500)


class InvitationIn(Schema):
    email: EmailStr | None = None
    name: str = Field("", max_length=200)
    language: str = Field("en", min_length=2, max_length=10)
    country: str | None = Field(None, min_length=2, max_length=2, description="ISO alpha-2 code")
    group: StakeholderGroup | None = None
    valid_from: dt.datetime | None = None
    valid_until: dt.datetime | None = None
    uses: int = Field(1, ge=1, le=1000)
    send: bool = Field(False, description="E-mail the invitation now (in the background, with retries).")


@router.post("/{pk}/invitations", response={201: dict[str, Any]})
def create_invitation(request: HttpRequest, pk: int, payload: InvitationIn) -> Status[dict[str, Any]]:
    """A personal link for one respondent; the token is shown here and carried by the invitation e-mails."""
    survey = _survey(request, pk)
    country = None
    if payload.country:
        country = Country.objects.filter(iso2=payload.country.upper()).first()
        if country is None:
            raise UnprocessableError([{"loc": ["body", "payload", "country"], "msg": "unknown country code"}])
    language = payload.language.lower().replace("_", "-")
    try:
        invitation = services.invitation_create(
            actor=request.user,
            survey=survey,
            email=payload.email or "",
            name=payload.name,
            language=language,
            country=country,
            group=payload.group or "",
            valid_from=payload.valid_from,
            valid_until=payload.valid_until,
            uses=payload.uses,
        )
    except ValidationError as error:
        raise UnprocessableError(
            [{"loc": ["body", "payload", field], "msg": " ".join(msgs)} for field, msgs in error.message_dict.items()]
        ) from error
    if payload.send:
        try:
            campaign.invitations_send(
                actor=request.user, survey=survey, invitations=survey.invitations.filter(pk=invitation.pk)
            )
        except ValidationError as error:
            raise UnprocessableError([{"loc": ["body", "payload", "send"], "msg": " ".join(error.messages)}]) from error
    return Status(
        201,
        {
            "id": invitation.pk,
            "token": invitation.token,
            "url": request.build_absolute_uri(campaign.personal_path(invitation)),
            "language": invitation.language,
            "country": country.iso2 if country else None,
        },
    )


@router.post("/bounces", response=dict[str, Any])
def record_bounces(request: HttpRequest, payload: BouncesIn) -> dict[str, Any]:
    """Addresses the mail system reports as bouncing (or whose owners opted out): never e-mailed again."""
    if not request.user.has_perm("surveys.change_survey"):
        raise HttpError(403, "Only the Secretariat records bounces.")
    marked = sum(
        campaign.bounce_record(email=email, detail=payload.detail, reason=payload.reason) for email in payload.emails
    )
    return {"addresses": len(payload.emails), "invitations_marked": marked}


@router.get("/exports/{key}", response=dict[str, Any])
def export_job_status(request: HttpRequest, key: str) -> dict[str, Any]:
    """Where a background export stands, and its download link once it is ready."""
    job = get_object_or_404(ExportJob.objects.select_related("survey"), key=key)
    if not request.user.has_perm("surveys.view_survey", job.survey):
        raise HttpError(404, "Not Found")
    return _job_out(request, job)


def _job_out(request: HttpRequest, job: ExportJob) -> dict[str, Any]:
    out: dict[str, Any] = {"key": job.key, "status": job.status, "format": job.format, "rows": job.rows}
    out["url"] = request.build_absolute_uri(f"/api/v1/surveys/exports/{job.key}")
    if job.status == ExportJob.Status.DONE:
        out["download"] = request.build_absolute_uri(f"/api/v1/surveys/exports/{job.key}/download")
    if job.error:
        out["error"] = job.error
    return out


@router.get("/exports/{key}/download", response={200: None})
def export_job_download(request: HttpRequest, key: str) -> Any:
    job = get_object_or_404(ExportJob.objects.select_related("survey"), key=key)
    if not request.user.has_perm("surveys.view_survey", job.survey) or job.status != ExportJob.Status.DONE:
        raise HttpError(404, "Not Found")
    return FileResponse(
        job.file.open("rb"), as_attachment=True, filename=export_jobs.filename(job.survey, job.format, job.table)
    )


@router.get("/{pk}/progress", response=dict[str, Any])
def survey_progress(request: HttpRequest, pk: int) -> dict[str, Any]:
    """Invited, opened, started and completed, in all, per country (ISO alpha-2) and per stakeholder group."""
    return campaign.survey_progress(_survey(request, pk))


@router.get("/{pk}/export", response={200: None, 202: dict[str, Any], 422: dict[str, Any]})
def export_survey(
    request: HttpRequest,
    pk: int,
    format: str = "csv",
    labels: str = "code",
    table: str = "responses",
    status: str = "submitted",
) -> Any:
    """The answers as CSV (one table: ``table=responses`` or a repeat's name), XLSX (a sheet per table), ZIP (a CSV per
    table) or JSON; ``labels=code`` or a language code of the form. CSV and JSON are streamed; a large XLSX or ZIP is
    made in the background: 202 with the job's ``url`` to follow and, when ready, its ``download`` link."""
    survey = _survey(request, pk)
    try:
        result = export_jobs.export_response(
            survey, fmt=format, labels=labels, table=table, status=status, user=request.user
        )
    except exports.ExportError as error:
        return Status(422, {"detail": [{"loc": ["query", str(error).split(":")[0]], "msg": str(error)}]})
    if isinstance(result, ExportJob):
        return Status(202, _job_out(request, result))
    return result


@router.post("/{pk}/invitations/import", response={200: dict[str, Any], 422: dict[str, Any]})
def import_invitations(
    request: HttpRequest,
    pk: int,
    file: File[UploadedFile],
    mode: Form[str] = "all-or-nothing",
    language: Form[str] = "en",
    send: Form[bool] = False,
) -> Status[dict[str, Any]]:
    """Invite the respondents of a CSV/XLSX file (email, name, language, country, group, valid_until, uses); every
    problem is reported with its row and column; ``mode`` all-or-nothing or good-rows; ``send`` e-mails them."""
    survey = _survey(request, pk)
    try:
        report = campaign.invitations_import(
            actor=request.user, survey=survey, content=file.read(), filename=file.name or "respondents.csv",
            mode=mode, language=language,
        )  # fmt: skip
    except ValidationError as error:
        raise UnprocessableError([{"loc": ["body", "mode"], "msg": " ".join(error.messages)}]) from error
    if send and report.created:
        ids = [invitation.pk for invitation in report.created]
        campaign.invitations_send(actor=request.user, survey=survey, invitations=survey.invitations.filter(pk__in=ids))
    return Status(200 if report.saved else 422, report.as_dict())


@router.post("/{pk}/invitations/send", response=dict[str, Any])
def send_invitations(request: HttpRequest, pk: int) -> dict[str, Any]:
    """E-mail every invitation not sent yet (in the background, with retries)."""
    survey = _survey(request, pk)
    try:
        return {"queued": campaign.invitations_send(actor=request.user, survey=survey)}
    except ValidationError as error:
        raise UnprocessableError([{"loc": ["path", "pk"], "msg": " ".join(error.messages)}]) from error


@router.post("/{pk}/responses/{response_id}/reopen", response=dict[str, Any])
def reopen_response(request: HttpRequest, pk: int, response_id: int) -> dict[str, Any]:
    """Give a submitted response back to its respondent."""
    survey = _survey(request, pk)
    response = get_object_or_404(Response, pk=response_id, survey=survey)
    try:
        response = services.response_reopen(actor=request.user, response=response)
    except PermissionDenied as error:
        raise HttpError(403, "Only the Secretariat reopens responses.") from error
    return {"id": response.pk, "status": response.status}


# --------------------------------------------------------------------------------------------------------- respondents


def _language(request: HttpRequest, response: Response | None = None) -> str:
    wanted = (request.GET.get("lang") or "").strip().lower()
    if wanted:
        return wanted[:10]
    return response.language if response is not None else "en"


def _open(request: HttpRequest, token: str) -> tuple[services.TokenAccess, Response]:
    found = services.access_by_token(token, language=request.GET.get("lang"))
    if found.access is services.Access.UNKNOWN:
        raise HttpError(404, "No questionnaire answers to this link.")
    if found.access is services.Access.EXPIRED:
        raise HttpError(410, "This link has expired.")
    if found.access is services.Access.NOT_YET:
        raise HttpError(403, "This link is not valid yet.")
    if found.response is None:  # a closed questionnaire never started
        raise HttpError(410, "This questionnaire is closed.")
    return found, found.response


def questions_out(items: list[runtime.Item]) -> list[dict[str, Any]]:
    """Every group, repeat and question in form order (repeat instances included), with what is shown."""
    out: list[dict[str, Any]] = []
    for item in runtime.iter_items(items):
        entry: dict[str, Any] = {
            "name": item.name,
            "path": item.path,
            "type": item.type,
            "label": item.label,
            "visible": item.visible,
        }
        if item.hint:
            entry["hint"] = item.hint
        if item.kind == "question":
            entry["required"] = item.required
            if item.choices or item.type in runtime.SELECT_TYPES:
                entry["choices"] = [{"name": name, "label": label} for name, label in item.choices]
        else:
            entry["required"] = False
        if item.kind == "repeat":
            entry["instances"] = len(item.instances)
            entry["fields"] = [child.name for child in runtime.iter_items(item.children) if child.kind == "question"]
        out.append(entry)
    return out


def response_state(response: Response, language: str) -> dict[str, Any]:
    form = services.form_of(response.version)
    answers = response.answers
    code = runtime.response_language(form, [language, response.language])
    return {
        "status": response.status,
        "language": code,
        "languages": [{"code": item.code, "name": item.name} for item in runtime.form_languages(form)],
        "title": response.survey.title,
        "submitted_at": response.submitted_at.isoformat() if response.submitted_at else None,
        "questions": questions_out(runtime.walk(form, answers, code)),
        "answers": answers,
    }


class AnswersIn(Schema):
    answers: dict[str, Any] = Field(
        description="Question name -> answer; a select_multiple as a list of choice names; a repeat as a list of "
        "objects, one per instance; or a path into an instance: case_studies/0/title."
    )


@respondent_router.get("/{token}", response=dict[str, Any], auth=None)
def get_response(request: HttpRequest, token: str) -> dict[str, Any]:
    """The questions (with what is shown under the current answers) and the answers of the token's response."""
    _found, response = _open(request, token)
    language = _language(request, response)
    with translation.override(campaign.site_language(language)):
        return response_state(response, language)


@respondent_router.patch(
    "/{token}", response={200: dict[str, Any], 409: dict[str, Any], 422: dict[str, Any]}, auth=None
)
def patch_response(request: HttpRequest, token: str, payload: AnswersIn) -> Status[dict[str, Any]]:
    """Save the answers given: 200 when all were kept, 422 with a message for each refused one (the others kept)."""
    found, response = _open(request, token)
    language = _language(request, response)
    if found.access is not services.Access.OPEN or response.is_submitted:
        return Status(409, {"detail": _locked_message(response)})
    with translation.override(campaign.site_language(language)):
        try:
            result = services.answers_save(response=response, incoming=payload.answers, language=language)
        except services.ResponseLocked:
            return Status(409, {"detail": _locked_message(response)})
        state = response_state(response, language)
        state["errors"] = result.errors
    return Status(422 if result.errors else 200, state)


def _locked_message(response: Response) -> str:
    if response.is_submitted:
        return "This response was submitted and takes no more changes; the Secretariat can reopen it."
    return "This questionnaire is closed and takes no more answers."


@respondent_router.post(
    "/{token}/submit", response={200: dict[str, Any], 409: dict[str, Any], 422: dict[str, Any]}, auth=None
)
def submit_response(request: HttpRequest, token: str) -> Status[dict[str, Any]]:
    """Submit the response: 422 lists each required question left empty and each answer no longer valid."""
    found, response = _open(request, token)
    language = _language(request, response)
    if found.access is not services.Access.OPEN or response.is_submitted:
        return Status(409, {"detail": _locked_message(response)})
    with translation.override(campaign.site_language(language)):
        try:
            errors = services.response_submit(response=response, language=language)
        except services.ResponseLocked:
            return Status(409, {"detail": _locked_message(response)})
        if errors:
            return Status(422, {"errors": errors, "detail": _("Some answers are missing or not valid.")})
    return Status(200, {"status": response.status, "submitted_at": response.submitted_at.isoformat()})
