"""Questionnaires: what changes them, with the permission checks (HackSoft-style services, keyword-only).

The Secretariat imports, edits, translates, publishes and closes questionnaires, invites respondents and reopens
submitted responses. Respondents act through a token only: :func:`access_by_token` says what the token opens, and
:func:`answers_save` / :func:`response_submit` change the response it leads to.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass
from typing import Any

from auditlog.context import set_actor
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import gettext as _

from ipvalue.countries.models import Country
from ipvalue.surveys import runtime
from ipvalue.surveys.models import (
    Invitation,
    Response,
    ResponseFile,
    ResponseStatus,
    Survey,
    SurveyAccess,
    SurveyStatus,
    SurveyVersion,
)
from ipvalue.surveys.signals import response_submitted
from ipvalue.surveys.xlsform import Language, Questionnaire, import_xlsform

MAX_FILE_SIZE = 10 * 1024 * 1024
#: Files a respondent may attach, by extension (documents, spreadsheets, images, archives of them).
ALLOWED_FILE_EXTENSIONS = {
    "pdf", "doc", "docx", "odt", "rtf", "txt", "xls", "xlsx", "ods", "csv", "ppt", "pptx", "odp",
    "png", "jpg", "jpeg", "gif", "webp", "zip",
}  # fmt: skip


def _require(actor: Any, perm: str, obj: Any = None) -> None:
    if actor is None or not actor.has_perm(perm, obj):
        raise PermissionDenied


# --------------------------------------------------------------------------------------------------------- the form


def survey_import(
    *,
    actor: Any,
    content: bytes,
    filename: str,
    access: str = SurveyAccess.CLOSED,
    title: str | None = None,
    warnings_out: list[str] | None = None,
) -> Survey:
    """A new questionnaire (draft, version 1) from an XLSForm workbook; raises :class:`XLSFormError`.

    ``actor`` None is the command line (run by whoever runs the server).
    """
    if actor is not None:
        _require(actor, "surveys.add_survey")
    form = import_xlsform(content, filename, warnings_out=warnings_out)
    user = actor if actor is not None and actor.is_authenticated else None
    with transaction.atomic(), set_actor(user):
        survey = Survey.objects.create(title=(title or form.title)[:300], access=access, created_by=user)
        version = SurveyVersion.objects.create(
            survey=survey,
            number=1,
            definition=form.model_dump(mode="json"),
            source_name=filename[:255],
            source=content,
            created_by=user,
        )
        survey.current_version = version
        survey.save(update_fields=["current_version"])
    return survey


def has_answers(version: SurveyVersion) -> bool:
    """Whether a respondent has answered anything on this version (a link only opened does not count)."""
    return version.responses.filter(is_preview=False, started_at__isnull=False).exists()


def latest_version(survey: Survey) -> SurveyVersion:
    version = survey.versions.order_by("-number").first()
    if version is None:  # pragma: no cover - a questionnaire is always created with its first version
        raise SurveyVersion.DoesNotExist(f"questionnaire {survey.pk} has no version")
    return version


def editable_version(*, actor: Any, survey: Survey) -> SurveyVersion:
    """The version edits go to: the latest, unless it is published and has answers (then a new draft copy)."""
    _require(actor, "surveys.change_survey", survey)
    version = latest_version(survey)
    if not version.is_published or not has_answers(version):
        return version
    with set_actor(actor):
        return SurveyVersion.objects.create(
            survey=survey,
            number=version.number + 1,
            definition=version.definition,
            source_name=version.source_name,
            source=b"",
            created_by=actor,
        )


def _save_definition(version: SurveyVersion, form: Questionnaire, actor: Any) -> SurveyVersion:
    version.definition = form.model_dump(mode="json")
    with set_actor(actor):
        version.save(update_fields=["definition"])
    return version


def survey_replace_form(*, actor: Any, survey: Survey, content: bytes, filename: str) -> SurveyVersion:
    """Load a new XLSForm into the questionnaire: into the draft version, or as a new version when answers exist."""
    _require(actor, "surveys.change_survey", survey)
    form = import_xlsform(content, filename)
    version = editable_version(actor=actor, survey=survey)
    version.source, version.source_name = content, filename[:255]
    version.definition = form.model_dump(mode="json")
    with set_actor(actor):
        version.save(update_fields=["definition", "source", "source_name"])
    return version


def survey_update(*, actor: Any, survey: Survey, title: str, description: str, access: str) -> Survey:
    _require(actor, "surveys.change_survey", survey)
    if access not in SurveyAccess.values:
        raise ValidationError({"access": _("Choose an access mode from the list.")})
    survey.title, survey.description, survey.access = title[:300], description[:5000], access
    with set_actor(actor):
        survey.save(update_fields=["title", "description", "access", "updated_at"])
    return survey


def survey_publish(*, actor: Any, survey: Survey) -> SurveyVersion:
    """Publish the latest version: new respondents get it; responses already started keep their version."""
    _require(actor, "surveys.change_survey", survey)
    version = latest_version(survey)
    with transaction.atomic(), set_actor(actor):
        if not version.is_published:
            version.published_at = timezone.now()
            version.save(update_fields=["published_at"])
        survey.current_version = version
        survey.status = SurveyStatus.PUBLISHED
        survey.save(update_fields=["current_version", "status", "updated_at"])
    return version


def publish_unattended(*, survey: Survey) -> SurveyVersion:
    """Publish from the command line or the demo loader (run by whoever runs the server: no permission check)."""
    version = latest_version(survey)
    with transaction.atomic():
        if not version.is_published:
            version.published_at = timezone.now()
            version.save(update_fields=["published_at"])
        survey.current_version, survey.status = version, SurveyStatus.PUBLISHED
        survey.save(update_fields=["current_version", "status", "updated_at"])
    return version


def survey_close(*, actor: Any, survey: Survey) -> Survey:
    """Stop accepting answers (drafts stay saved; reopening publishes again)."""
    _require(actor, "surveys.change_survey", survey)
    survey.status = SurveyStatus.CLOSED
    with set_actor(actor):
        survey.save(update_fields=["status", "updated_at"])
    return survey


@dataclass(frozen=True)
class TextEntry:
    """One translatable text of a form: where it is, what it is, and its text per language key."""

    id: str
    where: str
    what: str
    texts: dict[str, str]


_TEXT_FIELDS = (
    ("label", "label"),
    ("hint", "hint"),
    ("constraint_message", "constraint message"),
    ("required_message", "required message"),
)


def text_entries(form: Questionnaire) -> list[TextEntry]:
    """Every translatable text of a form, in form order: labels, hints, messages, and choice labels."""
    entries: list[TextEntry] = []

    def visit(nodes: list[Any]) -> None:
        for node in nodes:
            for attribute, what in _TEXT_FIELDS:
                texts = getattr(node, attribute, None)
                if texts is not None and (texts or attribute == "label"):
                    entries.append(TextEntry(f"{node.name}:{attribute}", node.name, what, dict(texts)))
            choices = getattr(node, "choices", None)
            if choices is not None:
                for choice in choices.options:
                    entry_id = f"{node.name}:choice:{choice.name}"
                    entries.append(TextEntry(entry_id, f"{node.name} / {choice.name}", "choice", dict(choice.label)))
            visit(getattr(node, "children", []) or [])

    visit(form.children)
    return entries


def _set_text(form: Questionnaire, entry_id: str, key: str, text: str) -> bool:
    name, _sep, rest = entry_id.partition(":")

    def visit(nodes: list[Any]) -> bool:
        for node in nodes:
            if node.name == name:
                if rest.startswith("choice:") and getattr(node, "choices", None) is not None:
                    choice_name = rest.removeprefix("choice:")
                    # Choice lists are shared between questions: change the list's option wherever it is used.
                    _set_choice_label(form, node.choices.list_name, choice_name, key, text)
                    return True
                texts = getattr(node, rest, None)
                if isinstance(texts, dict):
                    _put_text(texts, key, text)
                    return True
            if visit(getattr(node, "children", []) or []):
                return True
        return False

    return visit(form.children)


def _put_text(texts: dict[str, str], key: str, text: str) -> None:
    if text.strip():
        texts[key] = text.strip()
    else:
        texts.pop(key, None)


def _set_choice_label(form: Questionnaire, list_name: str, choice_name: str, key: str, text: str) -> None:
    for question in runtime_questions(form):
        if question.choices is not None and question.choices.list_name == list_name:
            for choice in question.choices.options:
                if choice.name == choice_name:
                    _put_text(choice.label, key, text)


def runtime_questions(form: Questionnaire) -> list[Any]:
    from ipvalue.surveys.xlsform import iter_questions

    return list(iter_questions(form.children))


@transaction.atomic  # a refusal leaves no new version behind
def survey_translate(
    *, actor: Any, survey: Survey, language_key: str, texts: dict[str, str], title: str | None = None
) -> SurveyVersion:
    """Set the texts of one language (``"Русский (ru)"``), adding the language to the form if it is new."""
    version = editable_version(actor=actor, survey=survey)
    form = runtime.load(version.definition)
    if language_key not in {item.key for item in form.languages}:
        language = Language.from_key(language_key)
        if not language.code:
            raise ValidationError({"language": _("Write the language as “Name (code)”, for example “Русский (ru)”.")})
        form.languages.append(language)
    for entry_id, text in texts.items():
        _set_text(form, entry_id, language_key, text)
    return _save_definition(version, form, actor)


#: Question properties the Secretariat edits on the web; the form's structure changes by a new XLSForm.
EDITABLE_PROPERTIES = ("required", "relevant", "constraint", "calculation", "choice_filter")


@transaction.atomic  # a refusal leaves no new version behind
def question_update(
    *,
    actor: Any,
    survey: Survey,
    name: str,
    texts: dict[str, dict[str, str]],
    properties: dict[str, Any],
) -> SurveyVersion:
    """Change a question's texts (attribute -> language key -> text) and logic; expressions are parsed first."""
    from ipvalue.surveys import expressions

    errors: dict[str, str] = {}
    for prop in ("relevant", "constraint", "calculation", "choice_filter"):
        expression = properties.get(prop)
        if expression:
            try:
                expressions.parse(expression)
            except expressions.ExpressionError as error:
                errors[prop] = str(error)
    if errors:
        raise ValidationError(errors)
    version = editable_version(actor=actor, survey=survey)
    form = runtime.load(version.definition)
    question = next((item for item in runtime_questions(form) if item.name == name), None)
    if question is None:
        raise ValidationError({"name": _("No question of this questionnaire has this name.")})
    for attribute, per_language in texts.items():
        target = getattr(question, attribute)
        for key, text in per_language.items():
            _put_text(target, key, text)
    for prop, value in properties.items():
        if prop not in EDITABLE_PROPERTIES:
            continue
        if prop == "required":
            question.required = bool(value)
        else:
            setattr(question, prop, (value or "").strip() or None)
    return _save_definition(version, form, actor)


# --------------------------------------------------------------------------------------------------------- invitations


def invitation_create(
    *,
    actor: Any,
    survey: Survey,
    email: str = "",
    name: str = "",
    language: str = "en",
    country: Country | None = None,
    group: str = "",
    valid_from: dt.datetime | None = None,
    valid_until: dt.datetime | None = None,
    uses: int = 1,
) -> Invitation:
    """A personal link to the questionnaire for one respondent."""
    _require(actor, "surveys.change_survey", survey)
    if uses < 1:
        raise ValidationError({"uses": _("A link must allow at least one submission.")})
    if valid_from and valid_until and valid_until <= valid_from:
        raise ValidationError({"valid_until": _("The end of validity must come after its start.")})
    with set_actor(actor):
        return Invitation.objects.create(
            survey=survey,
            email=email,
            name=name[:200],
            language=language,
            country=country,
            group=group,
            valid_from=valid_from,
            valid_until=valid_until,
            uses_left=uses,
            created_by=actor,
        )


# --------------------------------------------------------------------------------------------------------- respondents


class Access(enum.Enum):
    """What a token opens."""

    OPEN = "open"  # a response to answer (or a submitted one to look at)
    UNKNOWN = "unknown"
    EXPIRED = "expired"
    NOT_YET = "not_yet"
    USED_UP = "used_up"
    CLOSED = "closed"  # the questionnaire is not taking answers


@dataclass
class TokenAccess:
    access: Access
    response: Response | None = None
    invitation: Invitation | None = None


def access_by_token(token: str, *, language: str | None = None, mark_opened: bool = True) -> TokenAccess:
    """Resolve a respondent's token: an invitation's personal link, or an anonymous response's own token.

    An invitation leads to its current draft response (created on first use, in the invitation's language), or to its
    last submitted one; an invitation whose uses are spent and whose response was submitted is ``USED_UP``.
    """
    if not token or len(token) > 64:
        return TokenAccess(Access.UNKNOWN)
    # The usual case, a respondent coming back: the invitation's latest response, with all it needs, in one query.
    latest = (
        Response.objects.select_related("invitation", "survey", "survey__current_version", "version")
        .defer("version__source", "survey__current_version__source")
        .filter(invitation__token=token)
        .order_by("-created_at", "-pk")
        .first()
    )
    if latest is not None and latest.invitation is not None:
        invitation = latest.invitation
        invitation.survey = latest.survey
        return _invitation_access(invitation, latest, language=language, mark_opened=mark_opened)
    invitation = (
        Invitation.objects.select_related("survey", "survey__current_version")
        .defer("survey__current_version__source")  # the uploaded workbook: not needed to answer
        .filter(token=token)
        .first()
    )
    if invitation is None:
        response = (
            Response.objects.select_related("survey", "version", "invitation")
            .defer("version__source")
            .filter(token=token)
            .first()
        )
        if response is None or response.invitation_id is not None:
            return TokenAccess(Access.UNKNOWN)
        if response.survey.status == SurveyStatus.DRAFT and not response.is_preview:
            return TokenAccess(Access.UNKNOWN)
        if response.survey.status == SurveyStatus.CLOSED and not response.is_submitted:
            return TokenAccess(Access.CLOSED, response)
        return TokenAccess(Access.OPEN, response)
    return _invitation_access(invitation, None, language=language, mark_opened=mark_opened)


def _invitation_access(
    invitation: Invitation, response: Response | None, *, language: str | None, mark_opened: bool
) -> TokenAccess:
    """What an invitation's link opens, given the invitation's latest response (None when it has none)."""
    survey = invitation.survey
    if survey.status == SurveyStatus.DRAFT or survey.current_version is None:
        return TokenAccess(Access.UNKNOWN)
    now = timezone.now()
    if invitation.is_not_yet_valid(now):
        return TokenAccess(Access.NOT_YET, invitation=invitation)
    if response is not None and response.is_submitted:
        if invitation.uses_left == 0:
            return TokenAccess(Access.USED_UP, response, invitation)
        response = None
    if invitation.is_expired(now):
        return TokenAccess(Access.EXPIRED, invitation=invitation)
    if survey.status == SurveyStatus.CLOSED:
        return TokenAccess(Access.CLOSED, response, invitation)
    if response is None:
        form = form_of(survey.current_version)
        with transaction.atomic():
            Invitation.objects.select_for_update().filter(pk=invitation.pk).first()
            response = invitation.responses.filter(status=ResponseStatus.DRAFT).first()
            if response is None:
                response = Response.objects.create(
                    survey=survey,
                    version=survey.current_version,
                    invitation=invitation,
                    language=runtime.response_language(form, [language, invitation.language]),
                )
    if mark_opened and invitation.opened_at is None:
        Invitation.objects.filter(pk=invitation.pk, opened_at__isnull=True).update(opened_at=now)
        invitation.opened_at = now
    _share_loaded(response, invitation)
    return TokenAccess(Access.OPEN, response, invitation)


def _share_loaded(response: Response, invitation: Invitation) -> None:
    """Give the response the survey, version and invitation already loaded, so that they are not fetched again."""
    response.invitation = invitation
    response.survey = invitation.survey
    if response.version_id == invitation.survey.current_version_id:
        response.version = invitation.survey.current_version


def open_response_start(*, survey: Survey, language: str | None) -> Response:
    """A new anonymous response to an open questionnaire (its token is the respondent's way back)."""
    if not survey.is_open or survey.status != SurveyStatus.PUBLISHED or survey.current_version is None:
        raise PermissionDenied
    form = runtime.load(survey.current_version.definition)
    return Response.objects.create(
        survey=survey, version=survey.current_version, language=runtime.response_language(form, [language])
    )


def preview_response(*, actor: Any, survey: Survey, language: str | None) -> Response:
    """A throw-away response on the latest version, for the Secretariat to try the form (left out of results)."""
    _require(actor, "surveys.change_survey", survey)
    version = latest_version(survey)
    form = runtime.load(version.definition)
    return Response.objects.create(
        survey=survey, version=version, is_preview=True, language=runtime.response_language(form, [language])
    )


class ResponseLocked(Exception):
    """The response was submitted: it takes no more changes until the Secretariat reopens it."""


def form_of(version: SurveyVersion) -> Questionnaire:
    """The version's form, parsed once per loaded version object (for reading only: never change what it returns)."""
    cached: Questionnaire | None = getattr(version, "_parsed_form", None)
    if cached is None:
        cached = runtime.load(version.definition)
        version._parsed_form = cached  # type: ignore[attr-defined]
    return cached


def _form(response: Response) -> Questionnaire:
    return form_of(response.version)


def answers_save(*, response: Response, incoming: dict[str, Any], language: str | None = None) -> runtime.CleanResult:
    """Save every valid answer of ``incoming`` at once, refuse the invalid ones (messages in ``language``).

    The row is locked for the merge, so two tabs saving at once cannot undo each other's answers.
    """
    form = _form(response)
    with transaction.atomic():
        locked = Response.objects.select_for_update().get(pk=response.pk)
        if locked.is_submitted:
            raise ResponseLocked
        result = runtime.clean_answers(form, locked.answers, incoming, language or locked.language)
        fields = ["answers", "updated_at"]
        locked.answers = result.answers
        now = timezone.now()
        if language and language != locked.language:
            locked.language = language
            fields.append("language")
        if result.changed and _mark_started(locked, now):
            fields.append("started_at")
        if result.changed or "language" in fields:
            # A queryset update: the audit log records a response's status only, and answers change on every save.
            locked.updated_at = now
            Response.objects.filter(pk=locked.pk).update(**{field: getattr(locked, field) for field in fields})
    response.answers, response.language, response.started_at = locked.answers, locked.language, locked.started_at
    return result


def response_submit(*, response: Response, language: str | None = None) -> dict[str, str]:
    """Submit: returns what is missing or invalid (nothing saved changes), or ``{}`` once the response is locked.

    The answers kept are those of the questions shown under the final answers, as in ODK.
    """
    form = _form(response)
    with transaction.atomic():
        locked = Response.objects.select_for_update().get(pk=response.pk)
        if locked.is_submitted:
            raise ResponseLocked
        answers = runtime.compute(form, locked.answers)
        errors = runtime.submission_errors(form, answers, language or locked.language)
        if errors:
            return errors
        now = timezone.now()
        locked.answers = runtime.without_hidden(form, answers)
        locked.status, locked.submitted_at = ResponseStatus.SUBMITTED, now
        if locked.started_at is None:
            locked.started_at = now
        with set_actor(None):
            locked.save(update_fields=["answers", "status", "submitted_at", "started_at", "updated_at"])
        if locked.invitation_id:
            invitation = Invitation.objects.filter(pk=locked.invitation_id)
            invitation.update(completed_at=now, uses_left=Greatest(F("uses_left") - 1, 0))
            invitation.filter(started_at__isnull=True).update(started_at=now)
    response.refresh_from_db()
    response_submitted.send(sender=Response, response=response)
    return {}


def response_reopen(*, actor: Any, response: Response) -> Response:
    """The Secretariat gives a submitted response back to its respondent, who can change and submit it again."""
    _require(actor, "surveys.reopen_response", response)
    with transaction.atomic(), set_actor(actor):
        locked = Response.objects.select_for_update().get(pk=response.pk)
        if not locked.is_submitted:
            return locked
        locked.status, locked.reopened_at = ResponseStatus.DRAFT, timezone.now()
        locked.save(update_fields=["status", "reopened_at", "updated_at"])
        if locked.invitation_id:
            Invitation.objects.filter(pk=locked.invitation_id).update(completed_at=None, uses_left=F("uses_left") + 1)
    response.refresh_from_db()
    return response


def file_attach(*, response: Response, question: str, upload: UploadedFile) -> ResponseFile:
    """Attach a file to a file question (a name, or a path into a repeat instance); the answer is the file's key."""
    form = _form(response)
    name_in_form = question.rsplit("/", 1)[-1]
    node = next((item for item in runtime_questions(form) if item.name == name_in_form), None)
    if node is None or node.type not in runtime.FILE_TYPES:
        raise ValidationError({question: _("This question does not take a file.")})
    name = (upload.name or "file")[-255:]
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in ALLOWED_FILE_EXTENSIONS:
        raise ValidationError(
            {
                question: _(
                    "This kind of file is not accepted: attach a document, a spreadsheet, an image or a ZIP archive."
                )
            }
        )
    if (upload.size or 0) > MAX_FILE_SIZE:
        raise ValidationError({question: _("The file is larger than 10 MB.")})
    with transaction.atomic():
        locked = Response.objects.select_for_update().get(pk=response.pk)
        if locked.is_submitted:
            raise ResponseLocked
        answers = runtime.compute(form, locked.answers)  # a fresh copy
        try:
            scope, name_in_scope = runtime.instance_scope(answers, question)
        except runtime.InstanceMissing:
            raise ValidationError({question: _("This question does not take a file.")}) from None
        attached = ResponseFile.objects.create(
            response=locked,
            question=question,
            file=upload,
            original_name=name,
            content_type=(upload.content_type or "")[:100],
            size=upload.size or 0,
        )
        scope[name_in_scope] = attached.key
        locked.answers = answers
        _mark_started(locked)
        locked.save(update_fields=["answers", "started_at", "updated_at"])
    response.answers = locked.answers
    return attached


def repeat_add(*, response: Response, path: str) -> int:
    """Add an empty instance to the repeat at ``path`` (``case_studies``, or ``outer/0/inner``); returns its index."""
    return _change_repeat(response, path, remove=False)


def repeat_remove(*, response: Response, path: str) -> None:
    """Remove the instance at ``path`` (``case_studies/1``): its answers go with it."""
    repeat_path, _sep, index = path.rpartition("/")
    if not index.isdigit() or not repeat_path:
        raise ValidationError({path: _("Choose an instance to remove.")})
    _change_repeat(response, repeat_path, remove=True, index=int(index))


def _change_repeat(response: Response, path: str, *, remove: bool, index: int = -1) -> int:
    form = _form(response)
    parts = path.split("/")
    repeats = runtime.repeat_names(form.children)
    if parts[-1] not in repeats:
        raise ValidationError({path: _("No repeated part of this questionnaire has this name.")})
    with transaction.atomic():
        locked = Response.objects.select_for_update().get(pk=response.pk)
        if locked.is_submitted:
            raise ResponseLocked
        answers = runtime.compute(form, locked.answers)  # a fresh copy
        try:
            scope, repeat_name = runtime.instance_scope(answers, path)
        except runtime.InstanceMissing as missing:
            raise ValidationError(
                {path: _("This repeated part has no instance number %(number)s.") % {"number": missing.step}}
            ) from None
        instances = scope.setdefault(repeat_name, [])
        if remove:
            if not 0 <= index < len(instances):
                raise ValidationError(
                    {path: _("This repeated part has no instance number %(number)s.") % {"number": index}}
                )
            instances.pop(index)
        else:
            if len(instances) >= runtime.MAX_REPEAT_INSTANCES:
                raise ValidationError(
                    {path: _("At most %(count)s instances.") % {"count": runtime.MAX_REPEAT_INSTANCES}}
                )
            instances.append({})
            index = len(instances) - 1
        locked.answers = runtime.compute(form, answers)
        _mark_started(locked)
        locked.save(update_fields=["answers", "started_at", "updated_at"])
    response.answers = locked.answers
    return index


def _mark_started(locked: Response, when: dt.datetime | None = None) -> bool:
    """The first change to a response starts it, and its invitation; True when it did (the caller saves the response,
    under its row lock)."""
    if locked.started_at is not None:
        return False
    locked.started_at = when or timezone.now()
    if locked.invitation_id:
        Invitation.objects.filter(pk=locked.invitation_id, started_at__isnull=True).update(started_at=locked.started_at)
    return True
