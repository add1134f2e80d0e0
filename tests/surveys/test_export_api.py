"""Exports through the API and the Secretariat's page: streamed CSV/JSON, XLSX at once or by a background job."""

import csv
import io
import zipfile

import openpyxl
import pytest

from ipvalue.surveys import services

pytestmark = pytest.mark.django_db


def bearer(token: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


@pytest.fixture
def answered(survey, invitation):
    response = services.access_by_token(invitation.token).response
    services.answers_save(
        response=response,
        incoming={
            "organisation": "Казпатент",
            "ip_loans": "yes",
            "loans_count": 4,
            "instruments": ["ip_loan", "guarantee"],
            "case_studies": [{"case_title": "Первый", "case_amount": 100}, {"case_title": "Второй"}],
        },
    )
    assert services.response_submit(response=response) == {}
    return response


def body(reply) -> bytes:
    return b"".join(reply.streaming_content) if reply.streaming else reply.content


def test_csv_export_is_streamed_with_every_answer(client, survey, answered, staff_token):
    reply = client.get(f"/api/v1/surveys/{survey.pk}/export?format=csv", **bearer(staff_token))
    assert reply.status_code == 200 and reply.streaming
    rows = list(csv.DictReader(io.StringIO(body(reply).decode("utf-8-sig"))))
    assert len(rows) == 1 and rows[0]["organisation"] == "Казпатент" and rows[0]["instruments"] == "ip_loan guarantee"
    reply = client.get(f"/api/v1/surveys/{survey.pk}/export?format=csv&table=case_studies", **bearer(staff_token))
    cases = list(csv.DictReader(io.StringIO(body(reply).decode("utf-8-sig"))))
    assert [(row["_parent_key"], row["case_title"]) for row in cases] == [
        (str(answered.pk), "Первый"),
        (str(answered.pk), "Второй"),
    ]


def test_labels_in_russian_and_a_bad_request_named(client, survey, answered, staff_token):
    reply = client.get(f"/api/v1/surveys/{survey.pk}/export?format=csv&labels=ru", **bearer(staff_token))
    text = body(reply).decode("utf-8-sig")
    assert "Название вашей организации" in text and "Да" in text
    reply = client.get(f"/api/v1/surveys/{survey.pk}/export?format=csv&table=nope", **bearer(staff_token))
    assert reply.status_code == 422 and "table" in reply.content.decode()
    reply = client.get(f"/api/v1/surveys/{survey.pk}/export?format=pdf", **bearer(staff_token))
    assert reply.status_code == 422 and "format" in reply.content.decode()


def test_small_xlsx_at_once_large_by_a_background_job(client, survey, answered, staff_token, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    reply = client.get(f"/api/v1/surveys/{survey.pk}/export?format=xlsx", **bearer(staff_token))
    assert reply.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(body(reply)), read_only=True)
    assert set(book.sheetnames) >= {"responses", "case_studies"}
    settings.SURVEY_EXPORT_SYNC_ROWS = 0
    reply = client.get(f"/api/v1/surveys/{survey.pk}/export?format=zip", **bearer(staff_token))
    assert reply.status_code == 202
    job = reply.json()
    assert job["status"] == "done"  # the test task backend runs the job at once
    status = client.get(job["url"], **bearer(staff_token)).json()
    download = client.get(status["download"], **bearer(staff_token))
    assert download.status_code == 200
    with zipfile.ZipFile(io.BytesIO(body(download))) as archive:
        assert {"responses.csv", "case_studies.csv"} <= set(archive.namelist())


def test_exports_are_the_secretariats(client, survey, answered, stakeholder):
    from ipvalue.accounts.services import api_token_create

    token = api_token_create(user=stakeholder)
    assert client.get(f"/api/v1/surveys/{survey.pk}/export?format=csv", **bearer(token)).status_code == 404
    client.force_login(stakeholder)
    assert client.get(f"/en/surveys/{survey.pk}/export/?format=csv&labels=code&status=submitted").status_code == 404


def test_export_from_the_progress_page(client, survey, answered, secretariat):
    client.force_login(secretariat)
    reply = client.get(f"/en/surveys/{survey.pk}/export/?format=json&labels=code&table=responses&status=submitted")
    assert reply.status_code == 200
    assert "Казпатент" in body(reply).decode()


def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised(client, survey, invitation, staff_token):
    response = services.access_by_token(invitation.token).response
    services.answers_save(
        response=response, incoming={"organisation": '=HYPERLINK("http://evil","x")', "ip_loans": "no"}
    )
    assert services.response_submit(response=response) == {}
    reply = client.get(f"/api/v1/surveys/{survey.pk}/export?format=csv", **bearer(staff_token))
    row = next(csv.DictReader(io.StringIO(body(reply).decode("utf-8-sig"))))
    assert row["organisation"] == '\'=HYPERLINK("http://evil","x")'
    reply = client.get(f"/api/v1/surveys/{survey.pk}/export?format=json", **bearer(staff_token))
    assert '"=HYPERLINK' in body(reply).decode()  # JSON keeps the answer as given
