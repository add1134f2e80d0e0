import csv
import datetime
import io

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied
from django.utils import translation
from django.utils.translation import gettext

from ipvalue.accounts.models import CountryAssignment, Role
from ipvalue.countries.models import Country, SelectionCriterion
from ipvalue.countries.services import CriterionInput, country_selection_update

pytestmark = pytest.mark.django_db


def criteria_post(assessment: str = "met", evidence: str = "Letter of 2 May 2026", **overrides: str) -> dict:
    data = {}
    for criterion in ("need_and_interest", "data_willingness"):
        data |= {
            f"{criterion}-assessment": assessment,
            f"{criterion}-evidence": evidence,
            f"{criterion}-source": "Ministry of Justice",
            f"{criterion}-assessed_on": "2026-05-02",
        }
    return data | overrides


def test_country_list_in_russian_with_filters_and_csv(client, reference_data):
    page = client.get("/ru/countries/", {"group": "CACEEC"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "Казахстан" in html and "Франция" not in html
    assert page.context["countries"][0].iso2 == "AZ"  # Азербайджан sorts before Армения in Russian
    export = client.get("/en/countries/", {"beneficiary": "1", "format": "csv"})
    rows = list(csv.DictReader(io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig"))))
    assert len(rows) == 10
    assert {row["iso2"] for row in rows} >= {"KZ", "UZ"}
    assert rows[0]["name_ru"]


def test_country_page_shows_codes_names_and_selection_record(client, reference_data):
    page = client.get("/en/countries/kz/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "KAZ" in html and "Казахстан" in html and "CDIP/36" in html
    assert "Edit the selection record" not in html  # anonymous visitors do not get edit links
    assert client.get("/en/countries/xx/").status_code == 404


def test_coordinator_edits_own_country_and_leaves_an_audit_record(client, coordinator_kz):
    client.force_login(coordinator_kz)
    assert client.get("/en/countries/kz/").context["can_edit"] is True
    response = client.post("/en/countries/kz/selection/", criteria_post(evidence="Signed letter from Kazpatent"))
    assert response.status_code == 302
    record = SelectionCriterion.objects.get(country__iso2="KZ", criterion="data_willingness")
    assert record.evidence == "Signed letter from Kazpatent"
    assert record.assessed_on == datetime.date(2026, 5, 2)
    entry = LogEntry.objects.get_for_object(record).latest("timestamp")
    assert entry.actor == coordinator_kz
    assert entry.action == LogEntry.Action.UPDATE
    assert entry.changes_dict["evidence"][1] == "Signed letter from Kazpatent"
    history = client.get("/en/countries/kz/history/")
    assert history.status_code == 200
    assert "Signed letter from Kazpatent" in history.content.decode()


def test_edit_form_shows_recorded_dates_in_any_language(client, coordinator_kz):
    client.force_login(coordinator_kz)
    html = client.get("/ru/countries/kz/selection/").content.decode()
    assert 'name="need_and_interest-assessed_on" value="2026-03-18"' in html


def test_coordinator_cannot_edit_another_country(client, coordinator_kz):
    client.force_login(coordinator_kz)
    before = list(SelectionCriterion.objects.filter(country__iso2="UZ").values())
    assert client.get("/en/countries/uz/selection/").status_code == 403
    response = client.post("/en/countries/uz/selection/", criteria_post(evidence="Forged"))
    assert response.status_code == 403
    assert "Access denied" in response.content.decode()
    assert list(SelectionCriterion.objects.filter(country__iso2="UZ").values()) == before
    assert client.get("/en/countries/uz/history/").status_code == 403
    with pytest.raises(PermissionDenied):
        country_selection_update(
            actor=coordinator_kz,
            country=Country.objects.get(iso2="UZ"),
            criteria=[CriterionInput(criterion="data_willingness", assessment="met", evidence="Forged")],
        )
    assert not LogEntry.objects.filter(actor=coordinator_kz).exists()


def test_coordinator_cannot_change_beneficiary_status(client, coordinator_kz):
    kazakhstan = Country.objects.get(iso2="KZ")
    client.force_login(coordinator_kz)
    assert client.get("/en/countries/kz/selection/").context["status_form"] is None
    client.post("/en/countries/kz/selection/", criteria_post() | {"status-is_beneficiary": ""})
    kazakhstan.refresh_from_db()
    assert kazakhstan.is_beneficiary is True
    with pytest.raises(PermissionDenied):
        country_selection_update(actor=coordinator_kz, country=kazakhstan, criteria=[], is_beneficiary=False)


def test_expired_term_ends_a_coordinators_rights(client, coordinator_kz):
    CountryAssignment.objects.filter(user=coordinator_kz).update(
        starts_on=datetime.date(2024, 1, 1), ends_on=datetime.date(2025, 12, 31)
    )
    client.force_login(coordinator_kz)
    assert client.get("/en/countries/kz/selection/").status_code == 403


def test_stakeholder_and_anonymous_cannot_edit(client, stakeholder):
    anonymous = client.get("/en/countries/kz/selection/")
    assert anonymous.status_code == 302 and "/en/accounts/login/" in anonymous["Location"]
    client.force_login(stakeholder)
    assert client.post("/en/countries/kz/selection/", criteria_post()).status_code == 403


def test_secretariat_changes_beneficiary_status_of_any_country(client, secretariat):
    client.force_login(secretariat)
    response = client.post("/en/countries/ge/selection/", criteria_post() | {"status-is_beneficiary": "on"})
    assert response.status_code == 302
    georgia = Country.objects.get(iso2="GE")
    assert georgia.is_beneficiary is True
    entry = LogEntry.objects.get_for_object(georgia).latest("timestamp")
    assert entry.actor == secretariat and entry.changes_dict["is_beneficiary"] == ["False", "True"]


def test_invalid_form_names_the_field_in_the_users_language_and_saves_nothing(client, coordinator_kz):
    client.force_login(coordinator_kz)
    before = list(SelectionCriterion.objects.filter(country__iso2="KZ").values())
    response = client.post(
        "/ru/countries/kz/selection/",
        criteria_post(evidence="") | {"need_and_interest-assessed_on": "not a date"},
    )
    assert response.status_code == 422
    form = response.context["criterion_forms"][0]
    assert set(form.errors) == {"evidence", "assessed_on"}
    html = response.content.decode()
    assert "Введите правильную дату." in html  # Django's own Russian message for a bad date
    assert "not a date" in html  # what the user typed is shown again, not lost
    with translation.override("ru"):
        expected = gettext("Give the evidence for this assessment.")
    assert expected != "Give the evidence for this assessment."
    assert expected in html
    assert list(SelectionCriterion.objects.filter(country__iso2="KZ").values()) == before


def test_role_choices_cover_the_four_roles():
    assert set(Role.values) == {"secretariat", "coordinator", "expert", "stakeholder"}
