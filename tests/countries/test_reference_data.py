import json

import pytest
from django.core.management import call_command

from ipvalue.countries.models import Country, RegionalGroup, SelectionCriterion
from ipvalue.countries.services import MEMBER_STATES_FILE, reference_data_load

pytestmark = pytest.mark.django_db

CACEEC = {"AM", "AZ", "BY", "KZ", "KG", "MD", "RU", "TJ", "TM", "UZ"}


def test_all_193_member_states_load_with_codes_and_six_names(reference_data):
    assert Country.objects.count() == 193
    assert Country.objects.values("iso3").distinct().count() == 193
    for country in Country.objects.all():
        assert len(country.iso2) == 2 and country.iso2.isupper()
        assert len(country.iso3) == 3 and country.iso3.isupper()
        assert all(country.names.values()), country.iso2
        assert country.groups.exists(), f"{country.iso2} is in no regional group"


def test_wipo_membership_differs_from_the_un_as_documented(reference_data):
    codes = set(Country.objects.values_list("iso2", flat=True))
    assert {"VA", "CK", "NU"} <= codes  # WIPO members outside the UN
    assert not {"FM", "PW", "SS"} & codes  # UN members outside WIPO


def test_names_are_real_translations(reference_data):
    kazakhstan = Country.objects.get(iso2="KZ")
    assert kazakhstan.names["ru"] == "Казахстан"
    assert kazakhstan.names["es"] == "Kazajistán"
    assert any("\u0600" <= char <= "\u06ff" for char in kazakhstan.names["ar"])
    assert any("\u4e00" <= char <= "\u9fff" for char in kazakhstan.names["zh-hans"])
    assert Country.objects.get(iso2="MD").name_en == "Republic of Moldova"


def test_default_beneficiaries_are_the_caceec_group_with_their_selection_record(reference_data):
    assert set(Country.objects.beneficiaries().values_list("iso2", flat=True)) == CACEEC
    assert set(RegionalGroup.objects.get(code="CACEEC").countries.values_list("iso2", flat=True)) == CACEEC
    assert SelectionCriterion.objects.filter(country__iso2__in=CACEEC).count() == 2 * len(CACEEC)
    need = SelectionCriterion.objects.get(country__iso2="KZ", criterion="need_and_interest")
    assert need.assessment == "met" and "CDIP/36" in need.source


def test_second_load_changes_nothing():
    first = reference_data_load()
    assert (first.countries_created, first.groups_created) == (193, 7)
    second = reference_data_load()
    assert (
        second.countries_created,
        second.countries_updated,
        second.groups_created,
        second.groups_updated,
    ) == (
        0,
        0,
        0,
        0,
    )
    assert second.beneficiaries_set == []


def test_reload_keeps_the_secretariats_decisions_but_follows_the_reference_file(tmp_path):
    reference_data_load()
    kazakhstan = Country.objects.get(iso2="KZ")
    kazakhstan.is_beneficiary = False
    kazakhstan.name_en = "Typo"
    kazakhstan.save()
    SelectionCriterion.objects.filter(country=kazakhstan, criterion="data_willingness").update(
        assessment="met", evidence="Letter from the IP office"
    )
    # A newer reference file renames a group: the update is applied.
    data = json.loads(MEMBER_STATES_FILE.read_text(encoding="utf-8"))
    data["regional_groups"][0]["names"]["en"] = "African Group (renamed)"
    newer = tmp_path / "states.json"
    newer.write_text(json.dumps(data), encoding="utf-8")

    report = reference_data_load(states_file=newer)

    kazakhstan.refresh_from_db()
    assert kazakhstan.name_en == "Kazakhstan"  # reference data follows the file
    assert kazakhstan.is_beneficiary is False  # the decision is kept
    kept = SelectionCriterion.objects.get(country=kazakhstan, criterion="data_willingness")
    assert (kept.assessment, kept.evidence) == ("met", "Letter from the IP office")
    assert report.groups_updated == 1 and report.countries_updated == 1
    assert RegionalGroup.objects.get(code="AFRICAN").name_en == "African Group (renamed)"

    reference_data_load(reset_beneficiaries=True)
    kazakhstan.refresh_from_db()
    assert kazakhstan.is_beneficiary is True


def test_management_command_reports_what_it_did(capsys):
    call_command("load_reference_data")
    assert "countries: 193 created" in capsys.readouterr().out
    call_command("load_reference_data")
    assert "countries: 0 created, 0 updated" in capsys.readouterr().out
