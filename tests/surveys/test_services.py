"""Questionnaire services (``ipvalue.surveys.services``): import, versions, translation, tokens, answers, files."""

import datetime as dt
from collections.abc import Sequence
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from ipvalue.surveys import demo, runtime, services
from ipvalue.surveys.models import Invitation, Response, ResponseFile, Survey, SurveyAccess, SurveyStatus
from ipvalue.surveys.services import Access

pytestmark = pytest.mark.django_db

EN = "English (en)"


def import_form(
    actor: Any,
    rows: list[dict[str, Any]],
    choices: Sequence[tuple[str, str, tuple[str, ...]]] = (),
    *,
    publish: bool = True,
    access: str = SurveyAccess.CLOSED,
) -> Survey:
    """A one-language (English) questionnaire made of ``rows``, imported by ``actor`` and published."""
    content = demo.workbook("Small form", rows, list(choices), form_id="small", languages=(EN,))
    survey = services.survey_import(actor=actor, content=content, filename="small.xlsx", access=access)
    if publish:
        services.survey_publish(actor=actor, survey=survey)
    return survey


def invite(actor: Any, survey: Survey, **options: Any) -> Invitation:
    return services.invitation_create(actor=actor, survey=survey, email="respondent@example.org", **options)


def open_response(invitation: Invitation) -> Response:
    found = services.access_by_token(invitation.token)
    assert found.access is Access.OPEN, found.access
    return found.response


def fill_and_submit(response: Response) -> None:
    """Give the demo form's required answers and submit."""
    services.answers_save(response=response, incoming={"organisation": "Kazpatent", "ip_loans": "no"})
    assert services.response_submit(response=response) == {}


def definition_question(definition: dict[str, Any], name: str) -> dict[str, Any]:
    def visit(nodes: list[dict[str, Any]]) -> dict[str, Any] | None:
        for node in nodes:
            if node["name"] == name:
                return node
            found = visit(node.get("children", []))
            if found:
                return found
        return None

    found = visit(definition["children"])
    assert found is not None, name
    return found


FILE_FORM = [
    {"type": "text", "name": "organisation", "label": ("Organisation",)},
    {"type": "file", "name": "report", "label": ("Your annual report",)},
    {"type": "image", "name": "logo", "label": ("Your logo",)},
]


# --------------------------------------------------------------------------------------------------------- import


def test_survey_import_needs_the_secretariat(stakeholder):
    with pytest.raises(PermissionDenied):
        services.survey_import(actor=stakeholder, content=demo.case_study_form(), filename="cases.xlsx")
    assert not Survey.objects.exists()


def test_survey_import_creates_a_draft_first_version_with_the_workbook(secretariat):
    content = demo.case_study_form()
    survey = services.survey_import(actor=secretariat, content=content, filename="cases.xlsx", access="open")
    survey.refresh_from_db()
    assert survey.status == SurveyStatus.DRAFT and survey.access == SurveyAccess.OPEN
    assert survey.title == "IP-backed finance: practices and case studies"
    assert survey.created_by == secretariat
    version = survey.current_version
    assert version is not None and version.number == 1 and not version.is_published
    assert survey.versions.count() == 1
    assert bytes(version.source) == content and version.source_name == "cases.xlsx"
    assert runtime.load(version.definition).form_id == "case_studies"


def test_survey_import_from_the_command_line_takes_a_title(db):
    survey = services.survey_import(actor=None, content=demo.feedback_form(), filename="f.xlsx", title="Seminar")
    assert survey.title == "Seminar" and survey.created_by is None


# --------------------------------------------------------------------------------------------------------- versions


def test_a_published_version_without_answers_changes_in_place(secretariat, survey):
    services.question_update(
        actor=secretariat,
        survey=survey,
        name="staff",
        texts={"label": {EN: "People working on IP"}},
        properties={"required": True, "constraint": ". >= 1"},
    )
    assert survey.versions.count() == 1
    version = services.latest_version(survey)
    assert version.is_published
    staff = definition_question(version.definition, "staff")
    assert staff["label"][EN] == "People working on IP"
    assert staff["label"]["Русский (ru)"] == "Сколько сотрудников вашей организации занимаются ИС?"
    assert staff["required"] is True and staff["constraint"] == ". >= 1"


def test_editing_a_version_with_answers_makes_a_new_version_for_new_respondents(secretariat, survey, invitation):
    first = open_response(invitation)
    services.answers_save(response=first, incoming={"organisation": "Kazpatent"})
    services.question_update(
        actor=secretariat, survey=survey, name="staff", texts={"label": {EN: "Staff on IP"}}, properties={}
    )
    assert survey.versions.count() == 2
    v1, v2 = survey.versions.order_by("number")
    assert v2.number == 2 and not v2.is_published and bytes(v2.source) == b""
    assert (
        definition_question(v1.definition, "staff")["label"][EN] == "How many people work on IP in your organisation?"
    )
    assert definition_question(v2.definition, "staff")["label"][EN] == "Staff on IP"
    survey.refresh_from_db()
    assert survey.current_version == v1  # the new version is a draft until published

    services.question_update(  # a second edit goes to the same draft
        actor=secretariat, survey=survey, name="organisation", texts={"label": {EN: "Organisation"}}, properties={}
    )
    assert survey.versions.count() == 2

    before_publishing = open_response(invite(secretariat, survey))
    assert before_publishing.version == v1
    services.survey_publish(actor=secretariat, survey=survey)
    after_publishing = open_response(invite(secretariat, survey))
    assert after_publishing.version == v2
    first.refresh_from_db()
    assert first.version == v1 and open_response(invitation).pk == first.pk


def test_preview_answers_do_not_count_as_answers(secretariat, survey):
    preview = services.preview_response(actor=secretariat, survey=survey, language="fr")
    assert preview.is_preview and preview.language == "fr"
    services.answers_save(response=preview, incoming={"organisation": "Test"})
    assert not services.has_answers(survey.current_version)
    services.question_update(actor=secretariat, survey=survey, name="staff", texts={}, properties={"required": True})
    assert survey.versions.count() == 1
    assert definition_question(services.latest_version(survey).definition, "staff")["required"] is True


def test_question_update_refuses_an_invalid_expression_and_saves_nothing(secretariat, survey):
    before = services.latest_version(survey).definition
    with pytest.raises(ValidationError) as refused:
        services.question_update(
            actor=secretariat,
            survey=survey,
            name="staff",
            texts={"label": {EN: "Changed"}},
            properties={"constraint": ". >=", "relevant": "${ip_loans} = 'yes'"},
        )
    assert set(refused.value.message_dict) == {"constraint"}
    assert services.latest_version(survey).definition == before
    assert survey.versions.count() == 1


def test_question_update_of_an_unknown_question_leaves_no_new_version(secretariat, survey, invitation):
    services.answers_save(response=open_response(invitation), incoming={"organisation": "Kazpatent"})
    with pytest.raises(ValidationError) as refused:
        services.question_update(actor=secretariat, survey=survey, name="nope", texts={}, properties={})
    assert set(refused.value.message_dict) == {"name"}
    assert survey.versions.count() == 1


def test_question_update_needs_the_secretariat(stakeholder, survey):
    with pytest.raises(PermissionDenied):
        services.question_update(actor=stakeholder, survey=survey, name="staff", texts={}, properties={})


def test_question_update_clears_an_expression_given_empty(secretariat, survey):
    services.question_update(
        actor=secretariat, survey=survey, name="staff", texts={}, properties={"constraint": "", "colour": "red"}
    )
    staff = definition_question(services.latest_version(survey).definition, "staff")
    assert staff["constraint"] is None and "colour" not in staff


# --------------------------------------------------------------------------------------------------------- translation

SHARED_CHOICES = [
    {"type": "select_one yes_no", "name": "first", "label": ("First?",)},
    {"type": "select_one yes_no", "name": "second", "label": ("Second?",)},
]
YES_NO = [("yes_no", "yes", ("Yes",)), ("yes_no", "no", ("No",))]


def test_survey_translate_adds_a_language_and_its_texts(secretariat):
    survey = import_form(secretariat, SHARED_CHOICES, YES_NO, publish=False)
    kazakh = "Қазақша (kk)"
    version = services.survey_translate(
        actor=secretariat,
        survey=survey,
        language_key=kazakh,
        texts={"first:label": " Бірінші? ", "first:choice:yes": "Иә", "second:hint": ""},
    )
    form = runtime.load(version.definition)
    assert [(item.key, item.code) for item in form.languages] == [(EN, "en"), (kazakh, "kk")]
    first, second = form.children
    assert first.label == {EN: "First?", kazakh: "Бірінші?"}
    assert second.label == {EN: "Second?"}
    for question in (first, second):  # the choice list is shared: its label changes for both questions
        assert question.choices.options[0].label == {EN: "Yes", kazakh: "Иә"}
        assert question.choices.options[1].label == {EN: "No"}
    assert runtime.form_languages(form)[1].code == "kk"
    items = {item.name: item for item in runtime.walk(form, {}, "kk")}
    assert items["first"].label == "Бірінші?" and items["second"].choices == [("yes", "Иә"), ("no", "No")]


def test_survey_translate_an_empty_text_removes_the_translation(secretariat):
    survey = import_form(secretariat, SHARED_CHOICES, YES_NO, publish=False)
    version = services.survey_translate(actor=secretariat, survey=survey, language_key=EN, texts={"first:label": ""})
    form = runtime.load(version.definition)
    assert form.children[0].label == {} and len(form.languages) == 1


def test_survey_translate_refuses_a_language_without_a_code(secretariat, survey, invitation):
    services.answers_save(response=open_response(invitation), incoming={"organisation": "Kazpatent"})
    before = services.latest_version(survey).definition
    with pytest.raises(ValidationError) as refused:
        services.survey_translate(
            actor=secretariat, survey=survey, language_key="Kazakh", texts={"organisation:label": "Атауы"}
        )
    assert set(refused.value.message_dict) == {"language"}
    assert survey.versions.count() == 1  # no new version was left behind
    assert services.latest_version(survey).definition == before


def test_text_entries_list_every_translatable_text(secretariat):
    survey = import_form(secretariat, SHARED_CHOICES, YES_NO, publish=False)
    entries = services.text_entries(runtime.load(survey.current_version.definition))
    assert [entry.id for entry in entries] == [
        "first:label",
        "first:choice:yes",
        "first:choice:no",
        "second:label",
        "second:choice:yes",
        "second:choice:no",
    ]
    assert entries[1].texts == {EN: "Yes"} and entries[1].what == "choice"


# --------------------------------------------------------------------------------------------------------- tokens


def test_access_by_token_unknown_tokens(survey, invitation):
    for token in ("", "nope", "x" * 65, invitation.token + "x"):
        assert services.access_by_token(token).access is Access.UNKNOWN
    assert not Response.objects.exists()


def test_access_by_token_of_a_draft_questionnaire_is_unknown(secretariat):
    survey = import_form(secretariat, SHARED_CHOICES, YES_NO, publish=False)
    invitation = invite(secretariat, survey)
    assert services.access_by_token(invitation.token).access is Access.UNKNOWN
    assert not Response.objects.exists()
    preview = services.preview_response(actor=secretariat, survey=survey, language="en")
    assert services.access_by_token(preview.token).access is Access.OPEN  # the Secretariat's preview


def test_access_by_token_not_yet_valid_and_expired(secretariat, survey):
    now = timezone.now()
    later = invite(secretariat, survey, valid_from=now + dt.timedelta(days=1))
    found = services.access_by_token(later.token)
    assert found.access is Access.NOT_YET and found.response is None and found.invitation == later
    expired = invite(secretariat, survey, valid_until=now - dt.timedelta(minutes=1))
    assert services.access_by_token(expired.token).access is Access.EXPIRED
    current = invite(secretariat, survey, valid_from=now - dt.timedelta(days=1), valid_until=now + dt.timedelta(days=1))
    assert services.access_by_token(current.token).access is Access.OPEN
    assert Response.objects.get().invitation == current
    later.refresh_from_db()
    assert later.opened_at is None


def test_access_by_token_of_a_closed_questionnaire(secretariat, survey, invitation):
    never_opened = invite(secretariat, survey)
    response = open_response(invitation)
    services.answers_save(response=response, incoming={"organisation": "Kazpatent"})
    services.survey_close(actor=secretariat, survey=survey)
    found = services.access_by_token(invitation.token)
    assert found.access is Access.CLOSED and found.response == response
    found = services.access_by_token(never_opened.token)
    assert found.access is Access.CLOSED and found.response is None
    assert Response.objects.count() == 1


def test_the_response_of_an_invitation_is_reached_through_the_invitation_only(secretariat, survey, invitation):
    response = open_response(invitation)
    assert services.access_by_token(response.token).access is Access.UNKNOWN


def test_an_invitation_opens_one_draft_response_in_its_language(survey, invitation):
    first = services.access_by_token(invitation.token)
    second = services.access_by_token(invitation.token, language="fr")
    assert first.response.pk == second.response.pk
    assert first.response.language == "ru"  # the invitation's language
    assert first.response.version == survey.current_version and first.invitation == invitation
    assert Response.objects.count() == 1


def test_the_language_asked_for_wins_over_the_invitations(secretariat, survey):
    assert (
        services.access_by_token(invite(secretariat, survey, language="ru").token, language="fr").response.language
        == "fr"
    )
    assert services.access_by_token(invite(secretariat, survey, language="kk").token).response.language == "en"


def test_opened_at_is_set_once(invitation):
    services.access_by_token(invitation.token, mark_opened=False)
    invitation.refresh_from_db()
    assert invitation.opened_at is None
    services.access_by_token(invitation.token)
    invitation.refresh_from_db()
    opened = invitation.opened_at
    assert opened is not None
    services.access_by_token(invitation.token)
    invitation.refresh_from_db()
    assert invitation.opened_at == opened


def test_a_link_is_used_up_after_its_submission(invitation):
    response = open_response(invitation)
    fill_and_submit(response)
    found = services.access_by_token(invitation.token)
    assert found.access is Access.USED_UP and found.response == response
    assert Response.objects.count() == 1


def test_a_link_for_two_submissions_opens_a_fresh_response_after_the_first(secretariat, survey):
    invitation = invite(secretariat, survey, uses=2)
    first = open_response(invitation)
    fill_and_submit(first)
    second = open_response(invitation)
    assert second.pk != first.pk and second.answers == {} and not second.is_submitted
    assert open_response(invitation).pk == second.pk  # the same draft until it is submitted
    fill_and_submit(second)
    found = services.access_by_token(invitation.token)
    assert found.access is Access.USED_UP and found.response == second
    invitation.refresh_from_db()
    assert invitation.uses_left == 0


def test_reopening_gives_the_last_response_back(secretariat, survey, invitation):
    response = open_response(invitation)
    fill_and_submit(response)
    invitation.refresh_from_db()
    assert invitation.completed_at is not None and invitation.uses_left == 0
    reopened = services.response_reopen(actor=secretariat, response=response)
    assert reopened.status == "draft" and reopened.reopened_at is not None
    invitation.refresh_from_db()
    assert invitation.completed_at is None and invitation.uses_left == 1
    found = services.access_by_token(invitation.token)
    assert found.access is Access.OPEN and found.response.pk == response.pk
    assert found.response.answers["organisation"] == "Kazpatent"
    assert services.response_reopen(actor=secretariat, response=response).status == "draft"  # already a draft
    invitation.refresh_from_db()
    assert invitation.uses_left == 1


def test_reopening_needs_the_secretariat(stakeholder, invitation):
    response = open_response(invitation)
    fill_and_submit(response)
    with pytest.raises(PermissionDenied):
        services.response_reopen(actor=stakeholder, response=response)
    response.refresh_from_db()
    assert response.is_submitted


# --------------------------------------------------------------------------------------------------------- answers


def test_answers_save_starts_the_response_only_when_something_changed(invitation):
    response = open_response(invitation)
    for nothing in ({}, {"organisation": ""}, {"staff": "many"}):
        result = services.answers_save(response=response, incoming=nothing)
        assert not result.changed
        response.refresh_from_db()
        invitation.refresh_from_db()
        assert response.started_at is None and invitation.started_at is None
    with translation.override("en"):
        result = services.answers_save(response=response, incoming={"organisation": "Kazpatent", "staff": "-1"})
    assert result.changed and result.errors == {"staff": "Введите число от 0 до 100 000."}  # the response's language
    response.refresh_from_db()
    invitation.refresh_from_db()
    started = response.started_at
    assert started is not None and invitation.started_at == started
    assert response.answers == {"organisation": "Kazpatent", "case_count": "0"}
    services.answers_save(response=response, incoming={"organisation": "Other"})
    response.refresh_from_db()
    invitation.refresh_from_db()
    assert response.started_at == started and invitation.started_at == started
    assert response.answers["organisation"] == "Other"


def test_answers_save_in_another_language_keeps_it(invitation):
    response = open_response(invitation)
    result = services.answers_save(response=response, incoming={"staff": "-1"}, language="fr")
    assert result.errors == {"staff": "Entrez un nombre entre 0 et 100 000."}
    response.refresh_from_db()
    assert response.language == "fr" and response.started_at is None


def test_a_submitted_response_takes_no_more_answers(invitation):
    response = open_response(invitation)
    fill_and_submit(response)
    with pytest.raises(services.ResponseLocked):
        services.answers_save(response=response, incoming={"organisation": "Other"})
    with pytest.raises(services.ResponseLocked):
        services.response_submit(response=response)
    with pytest.raises(services.ResponseLocked):
        services.repeat_add(response=response, path="case_studies")
    response.refresh_from_db()
    assert response.answers["organisation"] == "Kazpatent"


def test_submit_with_errors_changes_nothing(invitation):
    response = open_response(invitation)
    services.answers_save(response=response, incoming={"organisation": "Kazpatent"})
    response.refresh_from_db()
    answers, updated = response.answers, response.updated_at
    errors = services.response_submit(response=response, language="en")
    assert errors == {"ip_loans": "This question needs an answer."}
    response.refresh_from_db()
    invitation.refresh_from_db()
    assert response.status == "draft" and response.submitted_at is None
    assert response.answers == answers and response.updated_at == updated
    assert invitation.completed_at is None and invitation.uses_left == 1


def test_submit_locks_the_response_and_completes_the_invitation(invitation):
    response = open_response(invitation)
    services.answers_save(
        response=response, incoming={"organisation": "Kazpatent", "ip_loans": "yes", "loans_count": 3}
    )
    services.answers_save(response=response, incoming={"ip_loans": "no"})  # loans_count is hidden now
    assert services.response_submit(response=response) == {}
    assert response.is_submitted and response.submitted_at is not None  # the object given is refreshed
    response.refresh_from_db()
    invitation.refresh_from_db()
    assert response.status == "submitted"
    assert response.answers == {"organisation": "Kazpatent", "ip_loans": "no", "case_count": "0"}
    assert invitation.completed_at == response.submitted_at and invitation.uses_left == 0
    assert invitation.started_at is not None


def test_submit_without_any_save_sets_started_at(secretariat):
    survey = import_form(secretariat, [{"type": "text", "name": "comment", "label": ("Comment",)}])
    invitation = invite(secretariat, survey)
    response = open_response(invitation)
    assert services.response_submit(response=response) == {}
    invitation.refresh_from_db()
    assert response.started_at == response.submitted_at and invitation.started_at == response.submitted_at


def test_uses_left_never_goes_below_zero(invitation):
    response = open_response(invitation)
    Invitation.objects.filter(pk=invitation.pk).update(uses_left=0)
    fill_and_submit(response)
    invitation.refresh_from_db()
    assert invitation.uses_left == 0 and invitation.completed_at is not None


def test_open_response_start_refuses_closed_access(secretariat, survey):
    with pytest.raises(PermissionDenied):
        services.open_response_start(survey=survey, language="en")
    assert not Response.objects.exists()


def test_open_response_start_on_an_open_questionnaire(secretariat):
    survey = services.survey_import(actor=secretariat, content=demo.feedback_form(), filename="f.xlsx", access="open")
    with pytest.raises(PermissionDenied):  # not published yet
        services.open_response_start(survey=survey, language="en")
    services.survey_publish(actor=secretariat, survey=survey)
    response = services.open_response_start(survey=survey, language="ru")
    assert response.invitation is None and response.language == "ru" and response.version == survey.current_version
    found = services.access_by_token(response.token)
    assert found.access is Access.OPEN and found.response == response and found.invitation is None
    services.survey_close(actor=secretariat, survey=survey)
    assert services.access_by_token(response.token).access is Access.CLOSED
    with pytest.raises(PermissionDenied):
        services.open_response_start(survey=survey, language="en")


# --------------------------------------------------------------------------------------------------------- repeats


def test_repeat_add_and_remove(invitation):
    response = open_response(invitation)
    assert services.repeat_add(response=response, path="case_studies") == 0
    assert services.repeat_add(response=response, path="case_studies") == 1
    assert response.answers["case_studies"] == [{}, {}] and response.answers["case_count"] == "2"
    services.answers_save(response=response, incoming={"case_studies/1/case_title": "Second"})
    services.repeat_remove(response=response, path="case_studies/0")
    response.refresh_from_db()
    assert response.answers["case_studies"] == [{"case_title": "Second"}]
    assert response.answers["case_count"] == "1"
    assert response.started_at is not None


@pytest.mark.parametrize(
    ("action", "path", "key"),
    [
        ("remove", "case_studies/1", "case_studies"),
        ("remove", "case_studies", "case_studies"),
        ("remove", "case_studies/x", "case_studies/x"),
        ("remove", "nope/0", "nope"),
        ("add", "nope", "nope"),
        ("add", "case_studies/0", "case_studies/0"),
        ("add", "organisation", "organisation"),
    ],
)
def test_repeat_add_and_remove_refuse_wrong_paths(invitation, action, path, key):
    response = open_response(invitation)
    services.repeat_add(response=response, path="case_studies")
    change = services.repeat_add if action == "add" else services.repeat_remove
    with pytest.raises(ValidationError) as refused:
        change(response=response, path=path)
    assert list(refused.value.message_dict) == [key]
    response.refresh_from_db()
    assert response.answers["case_studies"] == [{}]


def test_repeat_add_into_an_instance_of_an_outer_repeat(secretariat):
    rows = [
        {"type": "begin_repeat", "name": "outer", "label": ("Outer",)},
        {"type": "begin_repeat", "name": "inner", "label": ("Inner",)},
        {"type": "text", "name": "x", "label": ("X",)},
        {"type": "end_repeat"},
        {"type": "end_repeat"},
    ]
    response = open_response(invite(secretariat, import_form(secretariat, rows)))
    assert services.repeat_add(response=response, path="outer") == 0
    assert services.repeat_add(response=response, path="outer/0/inner") == 0
    assert services.repeat_add(response=response, path="outer/0/inner") == 1
    assert response.answers == {"outer": [{"inner": [{}, {}]}]}
    with pytest.raises(ValidationError, match="no instance number 1"):
        services.repeat_add(response=response, path="outer/1/inner")
    services.repeat_remove(response=response, path="outer/0/inner/0")
    response.refresh_from_db()
    assert response.answers == {"outer": [{"inner": [{}]}]}


def test_repeat_add_stops_at_the_maximum(invitation, monkeypatch):
    monkeypatch.setattr(runtime, "MAX_REPEAT_INSTANCES", 2)
    response = open_response(invitation)
    services.repeat_add(response=response, path="case_studies")
    services.repeat_add(response=response, path="case_studies")
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.repeat_add(response=response, path="case_studies")
    assert refused.value.message_dict == {"case_studies": ["At most 2 instances."]}
    response.refresh_from_db()
    assert len(response.answers["case_studies"]) == 2


# --------------------------------------------------------------------------------------------------------- files


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def file_response(secretariat, media) -> Response:
    return open_response(invite(secretariat, import_form(secretariat, FILE_FORM)))


def test_file_attach_stores_the_file_and_answers_with_its_key(file_response, media):
    content = b"%PDF-1.4 a small report\n"
    upload = SimpleUploadedFile("Annual report 2024.PDF", content, content_type="application/pdf")
    attached = services.file_attach(response=file_response, question="report", upload=upload)
    attached.refresh_from_db()
    assert attached.original_name == "Annual report 2024.PDF" and attached.size == len(content)
    assert attached.content_type == "application/pdf" and attached.question == "report"
    with attached.file.open("rb") as stored:
        assert stored.read() == content
    assert (media / attached.file.name).is_file()
    assert "Annual" not in attached.file.name  # stored under a random name
    file_response.refresh_from_db()
    assert file_response.answers == {"report": attached.key}
    assert file_response.files.get() == attached


def test_file_attach_takes_an_image_question(file_response):
    upload = SimpleUploadedFile("logo.png", b"\x89PNG\r\n\x1a\n", content_type="image/png")
    attached = services.file_attach(response=file_response, question="logo", upload=upload)
    file_response.refresh_from_db()
    assert file_response.answers == {"logo": attached.key}


@pytest.mark.parametrize("name", ["setup.exe", "report", "page.html", "archive.tar.gz"])
def test_file_attach_refuses_other_kinds_of_files(file_response, name):
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.file_attach(response=file_response, question="report", upload=SimpleUploadedFile(name, b"data"))
    assert "This kind of file is not accepted" in refused.value.message_dict["report"][0]
    assert not ResponseFile.objects.exists()


def test_file_attach_refuses_a_file_too_large(file_response, monkeypatch):
    monkeypatch.setattr(services, "MAX_FILE_SIZE", 10)
    assert services.file_attach(
        response=file_response, question="report", upload=SimpleUploadedFile("a.txt", b"0" * 10)
    )
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.file_attach(response=file_response, question="report", upload=SimpleUploadedFile("b.txt", b"0" * 11))
    assert refused.value.message_dict == {"report": ["The file is larger than 10 MB."]}
    assert ResponseFile.objects.count() == 1


@pytest.mark.parametrize("question", ["organisation", "nope"])
def test_file_attach_refuses_a_question_that_takes_no_file(file_response, question):
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.file_attach(response=file_response, question=question, upload=SimpleUploadedFile("a.pdf", b"%PDF"))
    assert refused.value.message_dict == {question: ["This question does not take a file."]}
    assert not ResponseFile.objects.exists()


def test_file_attach_to_a_submitted_response_is_refused(file_response):
    assert services.response_submit(response=file_response) == {}
    with pytest.raises(services.ResponseLocked):
        services.file_attach(response=file_response, question="report", upload=SimpleUploadedFile("a.pdf", b"%PDF"))
    assert not ResponseFile.objects.exists()


def test_file_attach_into_a_repeat_instance(secretariat, media):
    survey = import_form(
        secretariat,
        [
            {"type": "begin_repeat", "name": "cases", "label": ("Case",)},
            {"type": "text", "name": "title", "label": ("Title",)},
            {"type": "file", "name": "evidence", "label": ("Evidence",)},
            {"type": "end_repeat"},
        ],
    )
    response = open_response(invite(secretariat, survey))
    services.answers_save(response=response, incoming={"cases": [{"title": "A"}, {"title": "B"}]})
    upload = SimpleUploadedFile("contract.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    attached = services.file_attach(response=response, question="cases/1/evidence", upload=upload)
    response.refresh_from_db()
    assert response.answers["cases"] == [{"title": "A"}, {"title": "B", "evidence": attached.key}]
    missing = SimpleUploadedFile("other.pdf", b"%PDF-1.4", content_type="application/pdf")
    with pytest.raises(ValidationError):
        services.file_attach(response=response, question="cases/5/evidence", upload=missing)


def test_device_metadata_rows_are_neither_shown_nor_answerable(secretariat):
    survey = import_form(
        secretariat,
        [
            {"type": "start", "name": "started"},
            {"type": "deviceid", "name": "device"},
            {"type": "text", "name": "q", "label": ("Question",)},
        ],
    )
    response = open_response(invite(secretariat, survey))
    with translation.override("en"):
        result = services.answers_save(response=response, incoming={"device": "my phone", "q": "answer"})
    assert set(result.errors) == {"device"}
    assert response.answers == {"q": "answer"}
    assert runtime.answerable_names(runtime.load(survey.current_version.definition)) == ["q"]


def test_a_link_only_opened_does_not_freeze_the_version(secretariat, survey, invitation):
    open_response(invitation)  # opened, nothing answered
    version = services.editable_version(actor=secretariat, survey=survey)
    assert version.number == 1
    services.answers_save(response=open_response(invitation), incoming={"staff": 2})
    assert services.editable_version(actor=secretariat, survey=survey).number == 2
