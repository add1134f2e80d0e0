"""The knowledge base: who proposes what, review before publication, what the public sees, comparison, open data."""

import csv
import io
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from ipvalue.countries.models import Country
from ipvalue.knowledge import importing, selectors, services
from ipvalue.knowledge.models import Fact, ReviewStatus, Term, TermKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def taxonomy(reference_data):
    pledge = Term.objects.create(
        kind=TermKind.PROVISION, code="ip_pledge_allowed", value_type="yes_no",
        names={"en": "IP can be pledged", "ru": "ИС может быть предметом залога"},
    )  # fmt: skip
    register = Term.objects.create(
        kind=TermKind.PROVISION, code="security_interest_register", value_type="choice",
        names={"en": "Where security interests are registered"},
        choices=[{"code": "ip_office", "name": {"en": "IP office", "ru": "Патентное ведомство"}},
                 {"code": "none", "name": {"en": "None"}}],
    )  # fmt: skip
    loan = Term.objects.create(kind=TermKind.INSTRUMENT, code="ip_backed_loan", names={"en": "IP-backed loan"})
    return {"pledge": pledge, "register": register, "loan": loan}


def propose(actor, iso2, provision, value, source="Civil Code"):
    return services.fact_propose(
        actor=actor, country=Country.objects.get(iso2=iso2), provision=provision, value=value, source_title=source
    )


def publish(secretariat, record):
    return services.record_review(actor=secretariat, record=record, publish=True)


def test_a_coordinator_proposes_facts_for_their_own_country_only(coordinator_kz, taxonomy):
    fact = propose(coordinator_kz, "KZ", taxonomy["pledge"], "yes")
    assert fact.status == ReviewStatus.PROPOSED and fact.entered_by == coordinator_kz
    with pytest.raises(PermissionDenied):
        propose(coordinator_kz, "AM", taxonomy["pledge"], "yes")
    with pytest.raises(PermissionDenied):
        services.record_review(actor=coordinator_kz, record=fact, publish=True)


def test_values_and_sources_are_checked(secretariat, taxonomy):
    with pytest.raises(ValidationError) as refused:
        propose(secretariat, "KZ", taxonomy["pledge"], "perhaps")
    assert "value" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        propose(secretariat, "KZ", taxonomy["register"], "bank")
    assert "value" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        propose(secretariat, "KZ", taxonomy["pledge"], "yes", source="  ")
    assert "source_title" in refused.value.message_dict


def test_an_unpublished_fact_never_appears_publicly(client, secretariat, taxonomy):
    propose(secretariat, "KZ", taxonomy["pledge"], "yes")  # proposed, not reviewed
    demo = services.fact_propose(
        actor=secretariat, country=Country.objects.get(iso2="KZ"), provision=taxonomy["register"], value="ip_office",
        source_title="Demo", is_demo=True,
    )  # fmt: skip
    with pytest.raises(ValidationError):
        publish(secretariat, demo)
    assert client.get("/api/v1/countries/KZ/profile").json()["facts"] == []
    assert (
        list(csv.reader(io.StringIO(client.get("/api/v1/knowledge/facts.csv").getvalue().decode("utf-8-sig"))))[1:]
        == []
    )
    assert client.get("/api/v1/compare?countries=KZ").json()["provisions"][0]["values"] == {"KZ": None}


def test_the_comparison_shows_the_latest_published_value_and_its_source(client, secretariat, taxonomy):
    publish(secretariat, propose(secretariat, "KZ", taxonomy["pledge"], "no", source="Old law"))
    publish(secretariat, propose(secretariat, "KZ", taxonomy["pledge"], "yes", source="Civil Code, art. 3 (2024)"))
    propose(secretariat, "KZ", taxonomy["pledge"], "no", source="Draft, not reviewed")
    publish(secretariat, propose(secretariat, "SG", taxonomy["register"], "ip_office", source="Registered Designs Act"))
    reply = client.get("/api/v1/compare?countries=KZ,SG,AM&provisions=ip_pledge_allowed,security_interest_register")
    assert reply.status_code == 200
    rows = {row["provision"]: row["values"] for row in reply.json()["provisions"]}
    assert rows["ip_pledge_allowed"]["KZ"]["value"] == "yes"
    assert rows["ip_pledge_allowed"]["KZ"]["source"]["title"] == "Civil Code, art. 3 (2024)"
    assert rows["ip_pledge_allowed"]["SG"] is None and rows["ip_pledge_allowed"]["AM"] is None
    assert rows["security_interest_register"]["SG"]["value"] == "ip_office"
    assert client.get("/api/v1/compare?countries=KZ&provisions=nope").status_code == 422
    assert client.get("/api/v1/compare?countries=XX").status_code == 404


def test_the_profile_speaks_the_language_asked(client, secretariat, taxonomy):
    publish(secretariat, propose(secretariat, "KZ", taxonomy["register"], "ip_office"))
    facts = client.get("/api/v1/countries/kz/profile", HTTP_ACCEPT_LANGUAGE="ru").json()["facts"]
    assert facts[0]["value"] == "ip_office" and facts[0]["source"]["title"] == "Civil Code"


def test_the_facts_csv_round_trips_into_a_fresh_database(client, secretariat, taxonomy):
    publish(secretariat, propose(secretariat, "KZ", taxonomy["pledge"], "yes", source="Civil Code, art. 3"))
    publish(secretariat, propose(secretariat, "SG", taxonomy["register"], "ip_office", source="Registered Designs Act"))
    exported = client.get("/api/v1/knowledge/facts.csv").getvalue()
    before = [(key, fact.value, fact.source_title) for key, fact in sorted(selectors.latest_facts().items())]
    Fact.objects.all().delete()  # a fresh knowledge base, same taxonomy
    report = importing.facts_import(exported, "facts.csv")
    assert report.errors == [] and report.created == 2
    after = [(key, fact.value, fact.source_title) for key, fact in sorted(selectors.latest_facts().items())]
    assert after == before
    assert client.get("/api/v1/knowledge/facts.csv").getvalue() == exported


def test_a_malformed_facts_file_loads_nothing_and_names_the_line(tmp_path, secretariat, taxonomy):
    path = tmp_path / "facts.csv"
    path.write_text(
        "country,provision,value,source_title\nKZ,ip_pledge_allowed,yes,Civil Code\nXX,ip_pledge_allowed,yes,Law\n"
    )
    out = io.StringIO()
    with pytest.raises(CommandError) as failed:
        call_command("knowledge", "import-facts", str(path), stdout=out)
    assert getattr(failed.value, "returncode", None) == 2
    assert json.loads(out.getvalue())["errors"] == [{"line": 3, "column": "country", "message": "unknown country code"}]
    assert Fact.objects.count() == 0


def test_the_shipped_taxonomy_and_reference_practices_load_once(client, reference_data):
    first = services.taxonomy_load()
    assert first["created"] == Term.objects.count() > 50
    assert services.taxonomy_load() == {"created": 0, "updated": 0}
    created = services.starter_practices_load()
    assert created >= 6 and services.starter_practices_load() == 0
    profile = client.get("/api/v1/countries/SG/profile").json()
    assert profile["practices"] and all(item["source"]["title"] for item in profile["practices"])
    rows = list(csv.reader(io.StringIO(client.get("/api/v1/knowledge/practices.csv").getvalue().decode("utf-8-sig"))))
    assert rows[0] == list(selectors.PRACTICE_COLUMNS) and len(rows) - 1 == created
    assert {row[0] for row in rows[1:]} == {"SG", "MY", "KR", "CN", "JP", "GB"}
    edited = Term.objects.get(kind=TermKind.PROVISION, code="ip_pledge_allowed")
    edited.names = {**edited.names, "ru": "Залог ИС допускается (правка Секретариата)"}
    edited.save()
    services.taxonomy_load()
    edited.refresh_from_db()
    assert edited.names["ru"] == "Залог ИС допускается (правка Секретариата)"  # the Secretariat's edit is kept


def test_the_country_page_and_the_comparison_show_only_what_is_published(client, secretariat, taxonomy):
    import openpyxl

    publish(secretariat, propose(secretariat, "KZ", taxonomy["pledge"], "yes", source="Гражданский кодекс, ст. 3"))
    propose(secretariat, "KZ", taxonomy["register"], "ip_office", source="Not reviewed yet")
    page = client.get("/ru/countries/kz/").content.decode()
    assert "ИС может быть предметом залога" in page and "Гражданский кодекс, ст. 3" in page
    assert "Not reviewed yet" not in page
    reply = client.get("/ru/knowledge/compare/?countries=KZ&countries=SG")
    html = reply.content.decode()
    assert reply.status_code == 200 and "Гражданский кодекс, ст. 3" in html and "Not reviewed yet" not in html
    xlsx = client.get("/ru/knowledge/compare/?countries=KZ,SG&format=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    pledge_row = next(row for row in values if row[0] == "ИС может быть предметом залога")
    assert pledge_row[1] == "Да" and "Гражданский кодекс" in pledge_row[2] and pledge_row[3] is None


def test_a_coordinator_proposes_on_the_page_and_the_secretariat_publishes(
    client, coordinator_kz, secretariat, taxonomy
):
    client.force_login(coordinator_kz)
    form = client.get("/en/knowledge/propose/").content.decode()
    assert '<option value="' in form and "Armenia" not in form  # only the coordinator's countries
    data = {
        "country": Country.objects.get(iso2="KZ").pk, "provision": taxonomy["pledge"].pk, "value": "yes",
        "source_title": "Civil Code", "source_article": "art. 3", "confidence": "high",
    }  # fmt: skip
    assert client.post("/en/knowledge/propose/", data).status_code == 302
    fact = Fact.objects.get(country__iso2="KZ")
    assert fact.status == ReviewStatus.PROPOSED and fact.entered_by == coordinator_kz
    bad = client.post("/en/knowledge/propose/", {**data, "value": "perhaps"})
    assert bad.status_code == 422 and Fact.objects.count() == 1
    assert client.get("/en/knowledge/review/").status_code == 403
    client.force_login(secretariat)
    page = client.get("/en/knowledge/review/").content.decode()
    assert f'data-fact="{fact.pk}"' in page
    client.post("/en/knowledge/review/", {"kind": "fact", "pk": fact.pk, "decision": "publish"})
    fact.refresh_from_db()
    assert fact.status == ReviewStatus.PUBLISHED and fact.reviewed_by == secretariat
    assert client.get("/api/v1/countries/KZ/profile").json()["facts"][0]["source"]["article"] == "art. 3"


def test_demo_facts_are_proposed_flagged_and_never_public(client, secretariat, reference_data):
    from ipvalue.knowledge.demo import DEMO_SOURCE, demo_facts_create

    services.taxonomy_load()
    assert demo_facts_create() == 4 and demo_facts_create() == 0
    demo = Fact.objects.filter(is_demo=True)
    assert demo.count() == 4 and not demo.exclude(status=ReviewStatus.PROPOSED).exists()
    with pytest.raises(ValidationError):
        services.record_review(actor=secretariat, record=demo.first(), publish=True)
    assert client.get("/api/v1/countries/KZ/profile").json()["facts"] == []
    assert DEMO_SOURCE not in client.get("/api/v1/knowledge/facts.csv").getvalue().decode("utf-8-sig")
    assert DEMO_SOURCE not in client.get("/ru/countries/kz/").content.decode()
