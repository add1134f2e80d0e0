"""The respondent's web form (without JavaScript: every button saves the page) and the Secretariat's pages."""

import io

import pytest
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext

from ipvalue.surveys import demo, services
from ipvalue.surveys.models import Response, Survey

pytestmark = pytest.mark.django_db


def page(client: Client, url: str, lang: str = "ru"):
    return client.get(f"/{lang}/surveys/r/{url}/")


def test_respondent_page_is_in_russian_and_hides_skipped_questions(client, invitation):
    reply = page(client, invitation.token)
    assert reply.status_code == 200
    html = reply.content.decode()
    assert "Название вашей организации" in html
    assert 'id="q-loans_count" data-path="loans_count" data-type="integer" hidden' in html
    assert reply["Cache-Control"] == "no-store"
    # "no-referrer" would make browsers send "Origin: null" with the page's forms, which CSRF refuses
    assert reply["Referrer-Policy"] == "same-origin"
    invitation.refresh_from_db()
    assert invitation.opened_at is not None


def test_saving_the_page_keeps_valid_answers_and_shows_messages(client, invitation):
    url = f"/ru/surveys/r/{invitation.token}/"
    reply = client.post(url, {"organisation": "Казпатент", "staff": "-4", "ip_loans": "yes", "action": "save"})
    assert reply.status_code == 422
    html = reply.content.decode()
    assert "Введите число от 0 до 100 000." in html
    assert 'value="-4"' in html  # what was typed is shown again with its message
    response = Response.objects.get(invitation=invitation)
    assert response.answers["organisation"] == "Казпатент" and "staff" not in response.answers


def test_repeat_instances_are_added_and_removed(client, invitation):
    url = f"/ru/surveys/r/{invitation.token}/"
    reply = client.post(url, {"organisation": "Казпатент", "action": "add:case_studies"})
    assert reply.status_code == 302 and reply["Location"].endswith("#q-case_studies/0")
    client.post(url, {"organisation": "Казпатент", "case_studies/0/case_title": "Первый", "action": "add:case_studies"})
    response = Response.objects.get(invitation=invitation)
    assert response.answers["case_studies"] == [{"case_title": "Первый"}, {}]
    client.post(
        url, {"organisation": "Казпатент", "case_studies/0/case_title": "Первый", "action": "remove:case_studies/0"}
    )
    response.refresh_from_db()
    assert response.answers["case_studies"] == [{}]


def test_submit_from_the_page_then_thanks_then_reopen(client, invitation, secretariat):
    url = f"/ru/surveys/r/{invitation.token}/"
    reply = client.post(url, {"organisation": "Казпатент", "ip_loans": "no", "action": "submit"})
    assert reply.status_code == 302
    reply = client.get(url)
    assert reply.status_code == 200  # the thank-you page, once, in this browser session
    assert "Казпатент" not in reply.content.decode()
    reply = client.get(url)
    assert reply.status_code == 410  # the link's only use is spent: a clear page, no answers shown
    assert "Казпатент" not in reply.content.decode()
    response = Response.objects.get(invitation=invitation)
    assert response.is_submitted
    services.response_reopen(actor=secretariat, response=response)
    reply = client.get(url)
    assert reply.status_code == 200 and "Казпатент" in reply.content.decode()


def test_unknown_and_expired_links_give_a_clear_page(client, invitation):
    import datetime as dt

    from django.utils import timezone

    reply = page(client, "x" * 43)
    assert reply.status_code == 404
    with translation.override("ru"):
        assert gettext("This link does not lead to a questionnaire") in reply.content.decode()
    invitation.valid_until = timezone.now() - dt.timedelta(days=1)
    invitation.save()
    reply = page(client, invitation.token)
    assert reply.status_code == 410
    assert "Айгерим" not in reply.content.decode()
    assert not Response.objects.filter(invitation=invitation).exists()


def test_open_questionnaire_starts_an_anonymous_response(client, secretariat):
    survey = services.survey_import(actor=secretariat, content=demo.feedback_form(), filename="f.xlsx", access="open")
    services.survey_publish(actor=secretariat, survey=survey)
    url = f"/en/surveys/s/{survey.public_token}/"
    assert client.get(url).status_code == 200
    reply = client.post(url)
    assert reply.status_code == 302
    response = Response.objects.get(survey=survey)
    assert reply["Location"].endswith(f"/surveys/r/{response.token}/")
    assert client.cookies[f"ipvalue_open_{survey.pk}"].value == response.token
    assert "Continue" in client.get(url).content.decode()


def test_secretariat_imports_previews_translates_and_publishes(client, secretariat):
    client.force_login(secretariat)
    upload = io.BytesIO(demo.case_study_form())
    upload.name = "cases.xlsx"
    reply = client.post("/en/surveys/", {"file": upload, "title": "", "access": "closed"})
    assert reply.status_code == 302
    survey = Survey.objects.get()
    detail = client.get(f"/en/surveys/{survey.pk}/")
    assert detail.status_code == 200 and "organisation" in detail.content.decode()
    reply = client.post(
        f"/en/surveys/{survey.pk}/translate/",
        {"language": "Қазақша (kk)", "text:organisation:label": "Ұйымыңыздың атауы"},
    )
    assert reply.status_code == 302
    form = services.latest_version(survey).definition
    assert any(language["code"] == "kk" for language in form["languages"])
    reply = client.post(f"/en/surveys/{survey.pk}/preview/")
    assert reply.status_code == 302
    preview = client.get(reply["Location"] + "?lang=kk")
    assert "Ұйымыңыздың атауы" in preview.content.decode()
    assert client.post(f"/en/surveys/{survey.pk}/do/publish/").status_code == 302
    survey.refresh_from_db()
    assert survey.status == "published"
    xlsform = client.get(f"/en/surveys/{survey.pk}/xlsform/")
    assert xlsform.status_code == 200 and xlsform.content[:2] == b"PK"


def test_question_edit_with_answers_makes_a_new_version(client, secretariat, survey, invitation):
    services.answers_save(response=services.access_by_token(invitation.token).response, incoming={"staff": 3})
    client.force_login(secretariat)
    reply = client.post(
        f"/en/surveys/{survey.pk}/questions/staff/",
        {
            "label:English (en)": "Staff working on IP",
            "label:Русский (ru)": "Сотрудники по ИС",
            "constraint": ". >= 0",
            "relevant": "",
            "calculation": "",
        },
    )
    assert reply.status_code == 302
    assert survey.versions.count() == 2
    reply = client.post(f"/en/surveys/{survey.pk}/questions/staff/", {"constraint": ". >=", "relevant": ""})
    assert reply.status_code == 422


def test_pages_of_the_secretariat_are_closed_to_others(client, stakeholder, survey):
    client.force_login(stakeholder)
    assert client.get("/en/surveys/").status_code == 403
    assert client.get(f"/en/surveys/{survey.pk}/").status_code == 404


def test_open_questionnaires_are_protected_against_floods(client, secretariat, settings):
    from django.core.cache import cache

    settings.RATELIMIT_ENABLE = True
    settings.SURVEY_OPEN_START_RATE = "3/d"  # a day-long window, so the five requests never straddle its end
    cache.clear()
    survey = services.survey_import(actor=secretariat, content=demo.feedback_form(), filename="f.xlsx", access="open")
    services.survey_publish(actor=secretariat, survey=survey)
    url = f"/en/surveys/s/{survey.pk and survey.public_token}/"
    codes = [client.post(url).status_code for _ in range(5)]
    assert codes == [302, 302, 302, 429, 429]
    assert Response.objects.filter(survey=survey).count() == 3
    cache.clear()


def test_a_closed_access_questionnaire_has_no_public_link(client, survey):
    assert client.get(f"/en/surveys/s/{survey.public_token}/").status_code == 404
    assert client.post(f"/en/surveys/s/{survey.public_token}/").status_code == 404


def test_the_secretariat_downloads_an_example_to_start_from(client, secretariat, stakeholder):
    from ipvalue.surveys.xlsform import import_xlsform

    client.force_login(secretariat)
    reply = client.get("/en/surveys/example.xlsx")
    assert reply.status_code == 200
    assert import_xlsform(reply.content, "example.xlsx").title == "IP-backed finance: practices and case studies"
    client.force_login(stakeholder)
    assert client.get("/en/surveys/example.xlsx").status_code == 403


def test_the_form_keeps_its_own_language_and_direction_on_a_page_in_another(client, invitation):
    reply = page(client, invitation.token, lang="ar")  # the form has no Arabic: it stays in the invitation's Russian
    html = reply.content.decode()
    assert '<div lang="ru" dir="ltr">' in html and "Название вашей организации" in html
    assert '<html lang="ar" dir="rtl">' in html
