"""Questionnaire pages: the respondent's form (through a token), and the Secretariat's pages to manage questionnaires.

The respondent's form works without JavaScript (every button saves the whole page); with it, each answer is saved
through ``PATCH /api/v1/responses/{token}`` as it is given and the page shows and hides questions as the answers
change (``surveys/respond.js``).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_ratelimit.decorators import ratelimit

from ipvalue.countries.models import Country
from ipvalue.stakeholders.taxonomy import StakeholderGroup
from ipvalue.surveys import campaign, demo, export_jobs, exports, forms, runtime, selectors, services
from ipvalue.surveys.models import ExportJob, Invitation, Response, ResponseFile, Survey, SurveyStatus
from ipvalue.surveys.xlsform import XLSFormError, export_xlsform, summary

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def open_start_rate(group: str, request: HttpRequest) -> str:
    """Anonymous responses one address may start on open questionnaires: SURVEY_OPEN_START_RATE (30 an hour)."""
    return str(getattr(settings, "SURVEY_OPEN_START_RATE", "30/h"))


def form_save_rate(group: str, request: HttpRequest) -> str:
    """Form submissions one address may make: SURVEY_FORM_RATE, 120 a minute by default."""
    return str(getattr(settings, "SURVEY_FORM_RATE", "120/m"))


# --------------------------------------------------------------------------------------------------------- respondents


def _form_language(request: HttpRequest, form: Any, response: Response) -> str:
    """The form's language: ``?lang``, else the page's language if the form has it, else the response's."""
    page_language = translation.get_language() or "en"
    return runtime.response_language(form, [request.GET.get("lang"), page_language, response.language])


def _token_page(request: HttpRequest, template: str, status: int, **context: Any) -> HttpResponse:
    response = render(request, f"surveys/{template}", context, status=status)
    # The token is in the URL: never cache the page. The site-wide "same-origin" referrer policy already keeps it from
    # other sites ("no-referrer" would make browsers send "Origin: null" on the page's own forms, failing CSRF).
    response["Cache-Control"] = "no-store"
    return response


JUST_SUBMITTED = "survey_just_submitted"
#: Languages written right to left: the form's texts get ``dir="rtl"`` whatever the page's language.
RTL_LANGUAGES = {"ar", "he", "fa", "ur", "ps", "yi", "dv", "ku", "sd", "ug"}


def _posted_answers(items: list[runtime.Item], request: HttpRequest) -> dict[str, Any]:
    """What the page posted for every answerable question it showed, by path (unticked boxes are empty)."""
    posted: dict[str, Any] = {}
    for item in runtime.iter_items(items):
        node = item.node
        if item.kind != "question" or "/__new__/" in item.path:
            continue
        kind = node.type  # type: ignore[union-attr]
        if kind in runtime.COMPUTED_TYPES | runtime.DISPLAY_TYPES | runtime.FILE_TYPES | runtime.METADATA_TYPES:
            continue
        if kind in {"select_multiple", "select_multiple_from_file", "rank"}:
            posted[item.path] = request.POST.getlist(item.path)
        elif kind == "acknowledge":
            posted[item.path] = "OK" if request.POST.get(item.path) else ""
        elif item.path in request.POST:
            posted[item.path] = request.POST.get(item.path, "")
    return posted


@ratelimit(key="ip", rate=form_save_rate, method="POST", block=True)
def respond_view(request: HttpRequest, token: str) -> HttpResponse:
    """The respondent's questionnaire, reached through a personal link or an open questionnaire's own token."""
    found = services.access_by_token(token, language=translation.get_language())
    if found.access is services.Access.UNKNOWN:
        return _token_page(request, "link_unknown.html", 404)
    if found.access is services.Access.EXPIRED:
        return _token_page(request, "link_expired.html", 410, until=found.invitation and found.invitation.valid_until)
    if found.access is services.Access.NOT_YET:
        return _token_page(request, "link_not_yet.html", 403, since=found.invitation and found.invitation.valid_from)
    if found.access is services.Access.USED_UP:
        if found.response is not None and request.session.get(JUST_SUBMITTED) == found.response.pk:
            del request.session[JUST_SUBMITTED]  # the thank-you page, once, to whoever just submitted
            return _token_page(request, "thanks.html", 200, response=found.response, survey=found.response.survey)
        return _token_page(request, "link_used.html", 410, survey=found.response and found.response.survey)
    response = found.response
    if response is None:
        return _token_page(request, "survey_closed.html", 410)
    if response.is_submitted:
        return _token_page(request, "thanks.html", 200, response=response, survey=response.survey)
    form = services.form_of(response.version)
    language = _form_language(request, form, response)
    closed = found.access is services.Access.CLOSED
    errors: dict[str, str] = {}
    posted: dict[str, Any] = {}
    if request.method == "POST" and not closed:
        outcome = _handle_post(request, response, form, language)
        if isinstance(outcome, HttpResponse):
            return outcome
        errors, posted = outcome
    items = runtime.walk(form, response.answers, language)
    for item in runtime.iter_items(items):  # show what was typed where it was refused
        if item.path in errors and item.path in posted:
            item.value = posted[item.path]
    context = {
        "response": response,
        "survey": response.survey,
        "items": items,
        "errors": errors,
        "closed": closed,
        "form_language": language,
        "form_dir": "rtl" if language.split("-")[0].lower() in RTL_LANGUAGES else "ltr",
        "form_languages": runtime.form_languages(form),
        "files": {attached.key: attached for attached in response.files.all()},
        "api_url": f"/api/v1/responses/{token}",
        "token": token,
        "is_rtl": translation.get_language_bidi(),
    }
    return _token_page(request, "respond.html", 422 if errors else 200, **context)


def _handle_post(
    request: HttpRequest, response: Response, form: Any, language: str
) -> HttpResponse | tuple[dict[str, str], dict[str, Any]]:
    """Save the whole page, then do what the button asked: submit, add or remove a repeat instance, or just save."""
    items = runtime.walk(form, response.answers, language)
    posted = _posted_answers(items, request)
    action = request.POST.get("action", "save")
    here = request.path + (f"?lang={request.GET['lang']}" if request.GET.get("lang") else "")
    try:
        result = services.answers_save(response=response, incoming=posted, language=language)
        errors = dict(result.errors)
        for key, upload in request.FILES.items():
            try:
                services.file_attach(response=response, question=key, upload=upload)
            except ValidationError as error:
                errors.update({field: " ".join(msgs) for field, msgs in error.message_dict.items()})
        if errors:
            return errors, posted
        if action == "submit":
            missing = services.response_submit(response=response, language=language)
            if missing:
                messages.error(request, _("Some answers are missing or not valid: see the messages below."))
                return missing, posted
            request.session[JUST_SUBMITTED] = response.pk
            return redirect(here)
        if action.startswith("add:"):
            index = services.repeat_add(response=response, path=action.removeprefix("add:"))
            return HttpResponseRedirect(f"{here}#q-{action.removeprefix('add:')}/{index}")
        if action.startswith("remove:"):
            services.repeat_remove(response=response, path=action.removeprefix("remove:"))
            messages.success(request, _("The part was removed."))
            return redirect(here)
    except services.ResponseLocked:
        return redirect(here)
    except ValidationError as error:
        return {field: " ".join(msgs) for field, msgs in error.message_dict.items()}, posted
    messages.success(request, _("Your answers are saved. You can come back to this page through the same link."))
    return redirect(here)


def response_file_view(request: HttpRequest, token: str, key: str) -> HttpResponse:
    """A file the respondent attached, for the token holder."""
    found = services.access_by_token(token, mark_opened=False)
    if found.response is None:
        raise Http404
    attached = get_object_or_404(ResponseFile, key=key, response=found.response)
    return _file_response(attached)


def _file_response(attached: ResponseFile) -> HttpResponse:
    response = FileResponse(attached.file.open("rb"), as_attachment=True, filename=attached.original_name)
    response["Content-Type"] = "application/octet-stream"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response


def opt_out_view(request: HttpRequest, token: str) -> HttpResponse:
    """The link at the foot of invitation e-mails: no more e-mails about this questionnaire (asked, then confirmed)."""
    invitation = Invitation.objects.select_related("survey").filter(token=token).first()
    if invitation is None:
        return _token_page(request, "link_unknown.html", 404)
    done = invitation.opted_out_at is not None
    if request.method == "POST":
        campaign.opt_out(invitation=invitation)
        done = True
    return _token_page(request, "opt_out.html", 200, survey=invitation.survey, done=done)


OPEN_COOKIE = "ipvalue_open_{}"


@ratelimit(key="ip", rate=open_start_rate, method="POST", block=True)
def open_survey_view(request: HttpRequest, public_token: str) -> HttpResponse:
    """The public link of an open questionnaire: continue this browser's response, or start a new one."""
    survey = Survey.objects.filter(public_token=public_token).select_related("current_version").first()
    if survey is None or not survey.is_open or survey.status == SurveyStatus.DRAFT:
        return _token_page(request, "link_unknown.html", 404)
    if survey.status == SurveyStatus.CLOSED:
        return _token_page(request, "survey_closed.html", 410)
    cookie = OPEN_COOKIE.format(survey.pk)
    existing = request.COOKIES.get(cookie)
    if request.method == "POST":
        response = services.open_response_start(survey=survey, language=translation.get_language())
        redirect_response = redirect("surveys:respond", token=response.token)
        redirect_response.set_cookie(
            cookie,
            response.token,
            max_age=60 * 60 * 24 * 90,
            httponly=True,
            samesite="Lax",
            secure=request.is_secure(),
        )
        return redirect_response
    draft = Response.objects.filter(token=existing, survey=survey, status="draft").first() if existing else None
    return _token_page(request, "open_start.html", 200, survey=survey, draft=draft)


# --------------------------------------------------------------------------------------------------------- Secretariat


def _managed(request: HttpRequest, pk: int) -> Survey:
    survey = get_object_or_404(Survey, pk=pk)
    if not request.user.has_perm("surveys.view_survey", survey):
        raise Http404
    return survey


@login_required
def survey_list_view(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("surveys.view_survey"):
        raise PermissionDenied
    upload = forms.SurveyUploadForm()
    if request.method == "POST":
        upload = forms.SurveyUploadForm(request.POST, request.FILES)
        if upload.is_valid():
            file = upload.cleaned_data["file"]
            try:
                survey = services.survey_import(
                    actor=request.user,
                    content=file.read(),
                    filename=file.name,
                    access=upload.cleaned_data["access"],
                    title=upload.cleaned_data["title"],
                )
            except XLSFormError as error:
                return render(
                    request,
                    "surveys/survey_list.html",
                    {"surveys": selectors.survey_list(), "upload": upload, "xlsform_errors": error.errors},
                    status=422,
                )
            messages.success(request, _("The questionnaire was imported as a draft."))
            return redirect("surveys:detail", pk=survey.pk)
    return render(request, "surveys/survey_list.html", {"surveys": selectors.survey_list(), "upload": upload})


@login_required
def starter_xlsform_view(request: HttpRequest) -> HttpResponse:
    """An example XLSForm (English, French, Russian; groups, a repeat, skip logic, constraints) to start from."""
    if not request.user.has_perm("surveys.add_survey"):
        raise PermissionDenied
    response = HttpResponse(demo.case_study_form(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="example-questionnaire.xlsx"'
    return response


@login_required
def survey_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _managed(request, pk)
    version = services.latest_version(survey)
    form = runtime.load(version.definition)
    page_language = translation.get_language()
    context = {
        "survey": survey,
        "version": version,
        "versions": survey.versions.all(),
        "summary": summary(form),
        "items": runtime.walk(form, {}, page_language),
        "form_languages": form.languages,
        "has_answers": services.has_answers(version),
        "invitations": selectors.survey_invitations(survey)[:200],
        "responses": selectors.survey_responses(survey)[:200],
        "invitation_form": forms.InvitationForm(),
        "replace_form": forms.ReplaceForm(),
        "settings_form": forms.SurveySettingsForm(instance=survey),
        "public_url": request.build_absolute_uri(reverse("surveys:open", kwargs={"public_token": survey.public_token}))
        if survey.is_open
        else None,
        "new_invitation": request.session.pop("survey_new_invitation", None),
    }
    return render(request, "surveys/survey_detail.html", context)


@login_required
@require_POST
def survey_action_view(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Publish, close, change settings, load a new XLSForm, invite someone."""
    survey = _managed(request, pk)
    detail = redirect("surveys:detail", pk=survey.pk)
    if action == "publish":
        version = services.survey_publish(actor=request.user, survey=survey)
        messages.success(request, _("Version %(number)s is published.") % {"number": version.number})
    elif action == "close":
        services.survey_close(actor=request.user, survey=survey)
        messages.success(request, _("The questionnaire is closed: it takes no more answers."))
    elif action == "settings":
        settings_form = forms.SurveySettingsForm(request.POST, instance=Survey.objects.get(pk=survey.pk))
        if settings_form.is_valid():
            services.survey_update(actor=request.user, survey=survey, **settings_form.cleaned_data)
            messages.success(request, _("Saved."))
        else:
            messages.error(
                request,
                _("The settings were not saved: %(errors)s")
                % {"errors": " ".join(" ".join(errors) for errors in settings_form.errors.values())},
            )
    elif action == "replace":
        replace_form = forms.ReplaceForm(request.POST, request.FILES)
        if replace_form.is_valid():
            file = replace_form.cleaned_data["file"]
            try:
                version = services.survey_replace_form(
                    actor=request.user, survey=survey, content=file.read(), filename=file.name
                )
            except XLSFormError as error:
                for located in error.errors:
                    messages.error(request, str(located.model_dump(exclude_none=True)))
                return detail
            messages.success(request, _("The form was loaded into version %(number)s.") % {"number": version.number})
        else:
            messages.error(request, _("Choose an XLSForm file (.xlsx or .xls)."))
    elif action == "invite":
        invitation_form = forms.InvitationForm(request.POST)
        if invitation_form.is_valid():
            data = invitation_form.cleaned_data
            invitation = services.invitation_create(
                actor=request.user, survey=survey, email=data["email"], name=data["name"],
                language=data["language"], country=data["country"], group=data["group"],
                valid_until=data["valid_until"], uses=data["uses"],
            )  # fmt: skip
            link = request.build_absolute_uri(campaign.personal_path(invitation))
            request.session["survey_new_invitation"] = {"name": str(invitation), "url": link}
        else:
            messages.error(
                request,
                _("The invitation was not created: %(errors)s")
                % {
                    "errors": " ".join(
                        f"{field}: {' '.join(errors)}" for field, errors in invitation_form.errors.items()
                    )
                },
            )
    else:
        raise Http404
    return detail


@login_required
def survey_xlsform_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The latest version as an XLSForm workbook."""
    survey = _managed(request, pk)
    version = services.latest_version(survey)
    content = export_xlsform(runtime.load(version.definition))
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="questionnaire-{survey.pk}-v{version.number}.xlsx"'
    return response


@login_required
@require_POST
def survey_preview_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Try the latest version as a respondent would (test answers, left out of results)."""
    survey = _managed(request, pk)
    response = services.preview_response(actor=request.user, survey=survey, language=translation.get_language())
    return redirect("surveys:respond", token=response.token)


@login_required
def question_edit_view(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    survey = _managed(request, pk)
    version = services.latest_version(survey)
    form = runtime.load(version.definition)
    question = next((item for item in services.runtime_questions(form) if item.name == name), None)
    if question is None:
        raise Http404
    edit = forms.QuestionForm(question=question, languages=form.languages, data=request.POST or None)
    if request.method == "POST" and edit.is_valid():
        try:
            services.question_update(
                actor=request.user, survey=survey, name=name, texts=edit.texts(), properties=edit.properties()
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                edit.add_error(field if field in edit.fields else None, errors)
        else:
            messages.success(request, _("The question was saved."))
            return redirect("surveys:detail", pk=survey.pk)
    return render(
        request, "surveys/question_edit.html",
        {"survey": survey, "question": question, "form": edit, "has_answers": services.has_answers(version),
         "version": version},
        status=422 if edit.errors else 200,
    )  # fmt: skip


@login_required
def translate_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Every text of the form, a column per language: fill in a language, or add one (``Қазақша (kk)``)."""
    survey = _managed(request, pk)
    version = services.latest_version(survey)
    form = runtime.load(version.definition)
    keys = [item.key for item in form.languages] or ["default"]
    target = request.POST.get("language") or request.GET.get("language") or (keys[1] if len(keys) > 1 else keys[0])
    source = request.GET.get("source") or keys[0]
    entries = services.text_entries(form)
    if request.method == "POST":
        texts = {entry.id: request.POST.get(f"text:{entry.id}", "") for entry in entries}
        try:
            services.survey_translate(actor=request.user, survey=survey, language_key=target.strip(), texts=texts)
        except ValidationError as error:
            messages.error(request, " ".join(" ".join(msgs) for msgs in error.message_dict.values()))
        else:
            messages.success(request, _("The translation was saved."))
            return redirect(f"{reverse('surveys:translate', kwargs={'pk': survey.pk})}?language={target}")
    rows = [
        {"entry": entry, "source": entry.texts.get(source, ""), "target": entry.texts.get(target, "")}
        for entry in entries
    ]
    return render(
        request, "surveys/translate.html",
        {"survey": survey, "rows": rows, "keys": keys, "target": target, "source": source, "version": version},
    )  # fmt: skip


@login_required
def response_detail_view(request: HttpRequest, pk: int, response_id: int) -> HttpResponse:
    survey = _managed(request, pk)
    response = get_object_or_404(
        Response.objects.select_related("invitation", "version"), pk=response_id, survey=survey
    )
    if request.method == "POST" and request.POST.get("action") == "reopen":
        services.response_reopen(actor=request.user, response=response)
        messages.success(request, _("The response is open again: its respondent can change and submit it."))
        return redirect("surveys:response", pk=survey.pk, response_id=response.pk)
    form = runtime.load(response.version.definition)
    items = runtime.walk(form, response.answers, translation.get_language())
    return render(
        request, "surveys/response_detail.html",
        {"survey": survey, "response": response, "items": items,
         "files": {attached.key: attached for attached in response.files.all()}},
    )  # fmt: skip


@login_required
def response_file_staff_view(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    survey = _managed(request, pk)
    attached = get_object_or_404(ResponseFile, key=key, response__survey=survey)
    return _file_response(attached)


# --------------------------------------------------------------------------------------------------------- campaign


@login_required
def progress_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Who was invited, opened, started and completed, per country and group; who to chase; the campaign's tools."""
    survey = _managed(request, pk)
    progress = campaign.survey_progress(survey)
    countries = {country.iso2: country for country in Country.objects.filter(iso2__in=progress["by_country"].keys())}
    groups = dict(StakeholderGroup.choices)
    context = {
        "survey": survey,
        "progress": progress,
        "funnel": [(name, progress[name]) for name in campaign.FUNNEL],
        "by_country": [(countries.get(code), code, counts) for code, counts in progress["by_country"].items()],
        "by_group": [(groups.get(code, code), counts) for code, counts in progress["by_group"].items()],
        "chase": campaign.to_chase(survey)[:300],
        "due": campaign.reminders_due(survey).count(),
        "unsent": survey.invitations.filter(sent_at__isnull=True).exclude(email="").count(),
        "schedule_form": forms.ReminderScheduleForm(instance=survey),
        "list_form": forms.InviteListForm(user=request.user),
        "import_form": forms.RespondentImportForm(),
        "import_report": request.session.pop("survey_import_report", None),
        "export_form": forms.ExportForm(survey=survey),
        "jobs": survey.export_jobs.all()[:10],
    }
    return render(request, "surveys/progress.html", context)


@login_required
@require_POST
def campaign_action_view(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Send invitations, remind now, set the reminder schedule, invite a saved list, import respondents."""
    survey = _managed(request, pk)
    back = redirect("surveys:progress", pk=survey.pk)
    try:
        if action == "send":
            count = campaign.invitations_send(actor=request.user, survey=survey)
            messages.success(request, _("%(count)s invitation e-mails are being sent.") % {"count": count})
        elif action == "remind":
            if not request.user.has_perm("surveys.change_survey", survey):
                raise PermissionDenied
            counts = campaign.reminders_send(survey=survey)
            messages.success(request, _("Reminders sent: %(sent)s.") % {"sent": counts["sent"]})
        elif action == "schedule":
            schedule = forms.ReminderScheduleForm(request.POST, instance=Survey.objects.get(pk=survey.pk))
            if not schedule.is_valid():
                messages.error(request, " ".join(" ".join(errors) for errors in schedule.errors.values()))
                return back
            data = schedule.cleaned_data
            campaign.schedule_update(
                actor=request.user, survey=survey, enabled=data["reminders_enabled"],
                after_days=data["reminder_after_days"], interval_days=data["reminder_interval_days"],
                max_reminders=data["max_reminders"],
            )  # fmt: skip
            messages.success(request, _("The reminder schedule was saved."))
        elif action == "invite-list":
            list_form = forms.InviteListForm(request.POST, user=request.user)
            if not list_form.is_valid():
                messages.error(request, " ".join(" ".join(errors) for errors in list_form.errors.values()))
                return back
            report = campaign.invitations_from_list(
                actor=request.user, survey=survey, saved=list_form.cleaned_data["saved_list"],
                language=list_form.cleaned_data["language"],
            )  # fmt: skip
            messages.success(
                request,
                _("%(created)s people invited, %(skipped)s skipped.")
                % {"created": len(report.created), "skipped": len(report.skipped)},
            )
            request.session["survey_import_report"] = report.as_dict()
        elif action == "import":
            import_form = forms.RespondentImportForm(request.POST, request.FILES)
            if not import_form.is_valid():
                messages.error(request, " ".join(" ".join(errors) for errors in import_form.errors.values()))
                return back
            file = import_form.cleaned_data["file"]
            report = campaign.invitations_import(
                actor=request.user, survey=survey, content=file.read(), filename=file.name,
                mode=import_form.cleaned_data["mode"], language=import_form.cleaned_data["language"],
            )  # fmt: skip
            request.session["survey_import_report"] = report.as_dict()
            if report.saved:
                messages.success(request, _("%(created)s respondents invited.") % {"created": len(report.created)})
            else:
                messages.error(request, _("Nobody was invited: correct the rows listed below and try again."))
        else:
            raise Http404
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return back


@login_required
def export_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Download the responses (CSV, XLSX, ZIP, JSON), with codes or labels; large files come from a background job."""
    survey = _managed(request, pk)
    form = forms.ExportForm(request.GET, survey=survey)
    if not form.is_valid():
        messages.error(request, " ".join(" ".join(errors) for errors in form.errors.values()))
        return redirect("surveys:progress", pk=survey.pk)
    data = form.cleaned_data
    try:
        result = export_jobs.export_response(
            survey, fmt=data["format"], labels=data["labels"], table=data["table"] or "responses",
            status=data["status"], user=request.user,
        )  # fmt: skip
    except exports.ExportError as error:
        messages.error(request, str(error))
        return redirect("surveys:progress", pk=survey.pk)
    if isinstance(result, ExportJob):
        messages.success(request, _("The export is being prepared: its download link appears below when it is ready."))
        return redirect(f"{reverse('surveys:progress', kwargs={'pk': survey.pk})}#exports")
    return result


@login_required
def export_download_view(request: HttpRequest, key: str) -> HttpResponse:
    job = get_object_or_404(ExportJob.objects.select_related("survey"), key=key)
    if not request.user.has_perm("surveys.view_survey", job.survey):
        raise Http404
    if job.status != ExportJob.Status.DONE or not job.file:
        raise Http404
    return FileResponse(
        job.file.open("rb"), as_attachment=True, filename=export_jobs.filename(job.survey, job.format, job.table)
    )
