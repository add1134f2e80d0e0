"""The questionnaire API: staff endpoints with a bearer token, respondent endpoints with the token of their link."""

import io
import json

import pytest
from django.test import Client

from ipvalue.surveys import demo
from ipvalue.surveys.models import Invitation, Response, Survey

pytestmark = pytest.mark.django_db


def bearer(token: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def patch(client: Client, token: str, answers: dict, lang: str = "ru"):
    return client.patch(
        f"/api/v1/responses/{token}?lang={lang}", data=json.dumps({"answers": answers}), content_type="application/json"
    )


def test_post_survey_imports_the_xlsform_and_answers_its_summary(client, staff_token):
    upload = io.BytesIO(demo.case_study_form())
    upload.name = "case_studies.xlsx"
    reply = client.post("/api/v1/surveys", {"file": upload}, **bearer(staff_token))
    assert reply.status_code == 201, reply.content
    body = reply.json()
    assert body["languages"] == ["en", "fr", "ru"]
    assert body["repeats"] == ["case_studies"]
    assert body["fields"][:3] == ["organisation", "staff", "ip_loans"]
    assert "case_title" in body["fields"] and "case_count" in body["fields"]
    survey = Survey.objects.get(pk=body["id"])
    assert survey.status == "draft" and survey.versions.count() == 1


def test_post_survey_refuses_a_malformed_form_with_located_errors(client, staff_token):
    upload = io.BytesIO(demo.workbook("Broken", [{"type": "select_one missing_list", "name": "q"}], [], form_id="x"))
    upload.name = "broken.xlsx"
    reply = client.post("/api/v1/surveys", {"file": upload}, **bearer(staff_token))
    assert reply.status_code == 422
    errors = reply.json()["errors"]
    assert errors and all("message" in error for error in errors)
    assert Survey.objects.count() == 0


def test_staff_endpoints_need_the_secretariat(client, stakeholder, survey):
    from ipvalue.accounts.services import api_token_create

    token = api_token_create(user=stakeholder)
    assert (
        client.post(
            f"/api/v1/surveys/{survey.pk}/invitations", data={}, content_type="application/json", **bearer(token)
        ).status_code
        == 404
    )
    assert client.get("/api/v1/surveys").status_code == 401


def test_invitation_gives_a_token_and_a_personal_link(client, staff_token, survey):
    reply = client.post(
        f"/api/v1/surveys/{survey.pk}/invitations",
        data={"email": "focal@example.am", "name": "Anna", "language": "ru", "country": "AM"},
        content_type="application/json",
        **bearer(staff_token),
    )
    assert reply.status_code == 201, reply.content
    body = reply.json()
    assert len(body["token"]) >= 22  # 128 bits in URL-safe base64 is 22 characters; ours are 43
    assert body["url"].endswith(f"/ru/surveys/r/{body['token']}/")
    assert Invitation.objects.get(token=body["token"]).country.iso2 == "AM"


def test_get_lists_questions_in_the_respondents_language(client, invitation):
    reply = client.get(f"/api/v1/responses/{invitation.token}?lang=ru")
    assert reply.status_code == 200
    body = reply.json()
    assert body["status"] == "draft"
    by_name = {question["name"]: question for question in body["questions"]}
    assert by_name["organisation"]["label"] == "Название вашей организации"
    assert by_name["organisation"]["required"] is True
    assert by_name["loans_count"]["visible"] is False  # shown only when ${ip_loans} = 'yes'
    assert body["answers"] == {}


def test_skip_logic_follows_the_answers(client, invitation):
    patch(client, invitation.token, {"ip_loans": "no"})
    by_name = {q["name"]: q for q in client.get(f"/api/v1/responses/{invitation.token}").json()["questions"]}
    assert by_name["loans_count"]["visible"] is False
    patch(client, invitation.token, {"ip_loans": "yes"})
    by_name = {q["name"]: q for q in client.get(f"/api/v1/responses/{invitation.token}").json()["questions"]}
    assert by_name["loans_count"]["visible"] is True


def test_patch_keeps_valid_answers_and_refuses_invalid_ones_in_russian(client, invitation):
    reply = patch(
        client,
        invitation.token,
        {"organisation": "Казпатент", "staff": "много", "loans_count": 0, "instruments": ["ip_loan", "guarantee"]},
    )
    assert reply.status_code == 422
    body = reply.json()
    assert set(body["errors"]) == {"staff", "loans_count"}
    assert body["errors"]["loans_count"] == "Число кредитов должно быть от 1 до 10 000."
    assert body["answers"] == {"organisation": "Казпатент", "instruments": ["ip_loan", "guarantee"], "case_count": "0"}
    stored = Response.objects.get(invitation=invitation)
    assert stored.answers["organisation"] == "Казпатент"


def test_a_refused_answer_leaves_the_saved_one(client, invitation):
    assert patch(client, invitation.token, {"staff": "12"}).status_code == 200
    assert patch(client, invitation.token, {"staff": -5}).status_code == 422
    assert client.get(f"/api/v1/responses/{invitation.token}").json()["answers"]["staff"] == 12


def test_repeats_are_lists_of_objects_and_count_in_calculations(client, invitation):
    reply = patch(
        client,
        invitation.token,
        {
            "case_studies": [
                {"case_title": "Loan to a software SME", "case_amount": "250000"},
                {"case_title": "Guarantee"},
            ]
        },
    )
    assert reply.status_code == 200, reply.json()
    body = reply.json()
    assert body["answers"]["case_studies"][0]["case_amount"] == 250000.0
    assert body["answers"]["case_count"] == "2"
    thanks = next(q for q in body["questions"] if q["name"] == "thanks")
    assert "2" in thanks["label"]
    reply = patch(client, invitation.token, {"case_studies/1/case_amount": "-1"})
    assert reply.status_code == 422
    assert reply.json()["errors"] == {"case_studies/1/case_amount": "Сумма должна быть положительной."}


def test_submit_reports_what_is_missing_then_locks_the_response(client, invitation):
    reply = client.post(f"/api/v1/responses/{invitation.token}/submit?lang=ru")
    assert reply.status_code == 422
    assert set(reply.json()["errors"]) == {"organisation", "ip_loans"}
    patch(client, invitation.token, {"organisation": "Казпатент", "ip_loans": "no", "loans_count": 7})
    assert client.post(f"/api/v1/responses/{invitation.token}/submit").status_code == 200
    body = client.get(f"/api/v1/responses/{invitation.token}").json()
    assert body["status"] == "submitted"
    assert "loans_count" not in body["answers"]  # hidden by skip logic at submission: dropped, as in ODK
    assert patch(client, invitation.token, {"organisation": "Other"}).status_code == 409
    invitation.refresh_from_db()
    assert invitation.completed_at is not None and invitation.uses_left == 0


def test_unknown_token_answers_404_everywhere(client, invitation):
    assert client.get("/api/v1/responses/not-a-token").status_code == 404
    assert patch(client, "not-a-token", {"organisation": "x"}).status_code == 404
    assert client.post("/api/v1/responses/not-a-token/submit").status_code == 404


def test_an_anonymous_response_token_cannot_be_reached_through_another(client, invitation, survey, secretariat):
    from ipvalue.surveys import services

    other = services.invitation_create(actor=secretariat, survey=survey, email="other@example.org")
    patch(client, invitation.token, {"organisation": "Secret answer"})
    body = client.get(f"/api/v1/responses/{other.token}").json()
    assert body["answers"] == {}
    assert "Secret answer" not in json.dumps(body, ensure_ascii=False)


def test_expired_and_not_yet_valid_links_refuse_without_leaking(client, invitation):
    import datetime as dt

    from django.utils import timezone

    patch(client, invitation.token, {"organisation": "Казпатент"})
    invitation.valid_until = timezone.now() - dt.timedelta(minutes=1)
    invitation.save()
    for reply in (client.get(f"/api/v1/responses/{invitation.token}"), patch(client, invitation.token, {"staff": 1})):
        assert reply.status_code == 410
        assert "Казпатент" not in reply.content.decode()
    invitation.valid_until = None
    invitation.valid_from = timezone.now() + dt.timedelta(days=2)
    invitation.save()
    reply = client.get(f"/api/v1/responses/{invitation.token}")
    assert reply.status_code == 403 and "Казпатент" not in reply.content.decode()


def test_a_used_up_link_shows_its_submission_but_takes_no_change(client, invitation):
    patch(client, invitation.token, {"organisation": "Казпатент", "ip_loans": "no"})
    assert client.post(f"/api/v1/responses/{invitation.token}/submit").status_code == 200
    assert client.post(f"/api/v1/responses/{invitation.token}/submit").status_code == 409
    assert patch(client, invitation.token, {"organisation": "Changed"}).status_code == 409
    assert Response.objects.get(invitation=invitation).answers["organisation"] == "Казпатент"


def test_staff_reopens_a_response_through_the_api(client, invitation, staff_token, survey):
    patch(client, invitation.token, {"organisation": "Казпатент", "ip_loans": "no"})
    client.post(f"/api/v1/responses/{invitation.token}/submit")
    response = Response.objects.get(invitation=invitation)
    reply = client.post(f"/api/v1/surveys/{survey.pk}/responses/{response.pk}/reopen", **bearer(staff_token))
    assert reply.status_code == 200 and reply.json()["status"] == "draft"
    assert patch(client, invitation.token, {"organisation": "Казпатент (исправлено)"}).status_code == 200


def test_a_draft_questionnaire_is_not_reachable_by_its_links(client, secretariat):
    from ipvalue.surveys import services

    draft = services.survey_import(actor=secretariat, content=demo.case_study_form(), filename="d.xlsx")
    link = services.invitation_create(actor=secretariat, survey=draft, email="x@example.org")
    assert client.get(f"/api/v1/responses/{link.token}").status_code == 404


def test_tokens_are_long_random_and_distinct(invitation, survey, secretariat):
    from ipvalue.surveys import services

    tokens = {services.invitation_create(actor=secretariat, survey=survey).token for _ in range(50)}
    assert len(tokens) == 50
    assert all(len(token) == 43 for token in tokens)  # 32 random bytes in URL-safe base64: 256 bits
