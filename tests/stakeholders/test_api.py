"""``/api/v1/stakeholders``: bearer tokens, CRUD, country scope, validation, subject access, erasure and import."""

import csv
import datetime
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from openpyxl import Workbook

from ipvalue.accounts.models import Role, User
from ipvalue.accounts.services import api_token_create, coordinator_assign
from ipvalue.countries.models import Country
from ipvalue.stakeholders import services
from ipvalue.stakeholders.models import (
    ConsentEvent,
    ErasureRecord,
    Interaction,
    Organisation,
    Partnership,
    Person,
    StatusChange,
)
from ipvalue.stakeholders.selectors import people_counts

pytestmark = pytest.mark.django_db

BASE = "/api/v1/stakeholders"


class Api:
    """The test client speaking to the API with a bearer token (or none)."""

    def __init__(self, client: Client, token: str | None) -> None:
        self.client = client
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}

    def get(self, path: str, params: dict[str, Any] | None = None) -> Any:
        return self.client.get(BASE + path, params or {}, **self.headers)

    def post(self, path: str, body: dict[str, Any] | None = None) -> Any:
        return self.client.post(BASE + path, body, content_type="application/json", **self.headers)

    def patch(self, path: str, body: dict[str, Any]) -> Any:
        return self.client.patch(BASE + path, body, content_type="application/json", **self.headers)

    def delete(self, path: str) -> Any:
        return self.client.delete(BASE + path, **self.headers)

    def upload(self, filename: str, content: bytes, mode: str) -> Any:
        upload = SimpleUploadedFile(filename, content)
        return self.client.post(BASE + "/import", {"file": upload, "mode": mode}, **self.headers)


def api_for(client: Client, user: User) -> Api:
    return Api(client, api_token_create(user=user))


@pytest.fixture
def registry(secretariat) -> dict[str, Any]:
    """Two organisations and three people in Kazakhstan and Uzbekistan, built by the Secretariat."""
    kz, uz = Country.objects.get(iso2="KZ"), Country.objects.get(iso2="UZ")
    bank = services.organisation_create(actor=secretariat, data={"name": "Halyk Bank", "type": "bank", "country": kz})
    university = services.organisation_create(
        actor=secretariat, data={"name": "Tashkent State University", "type": "university", "country": uz}
    )
    aizhan = services.person_create(
        actor=secretariat,
        data={
            "full_name": "Aizhan Nurlanqyzy",
            "email": "aizhan@halyk.example",
            "country": kz,
            "organisation": bank,
            "group": "finance",
        },
    )
    daniyar = services.person_create(
        actor=secretariat,
        data={"full_name": "Daniyar Seitov", "country": kz, "group": "public_authorities"},
        status="contacted",
    )
    bobur = services.person_create(
        actor=secretariat,
        data={
            "full_name": "Bobur Karimov",
            "email": "bobur@tsu.example",
            "country": uz,
            "organisation": university,
            "group": "research_education",
        },
        status="engaged",
    )
    return {"kz": kz, "uz": uz, "bank": bank, "university": university, "aizhan": aizhan, "daniyar": daniyar,
            "bobur": bobur}  # fmt: skip


def registry_state() -> dict[str, Any]:
    models = (Organisation, Person, StatusChange, Interaction, ConsentEvent, ErasureRecord, Partnership)
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in models}


def names(response: Any) -> list[str]:
    return [item["full_name"] for item in response.json()["items"]]


# --- Authentication -----------------------------------------------------------------------------------------------


def test_no_token_or_a_wrong_token_answers_401_and_serves_nothing(client, registry):
    for api in (Api(client, None), Api(client, "ipv_not-a-real-token")):
        for response in (api.get("/people"), api.get(f"/people/{registry['aizhan'].pk}"), api.get("/organisations")):
            assert response.status_code == 401
            assert "Aizhan" not in response.content.decode()
        before = registry_state()
        created = api.post("/people", {"full_name": "Intruder", "country": "KZ", "group": "finance"})
        assert created.status_code == 401
        assert api.delete(f"/people/{registry['aizhan'].pk}").status_code == 401
        assert registry_state() == before


def test_a_deactivated_users_token_is_refused(client, registry, secretariat):
    api = api_for(client, secretariat)
    assert api.get("/people").status_code == 200
    secretariat.is_active = False
    secretariat.save()
    response = api.get("/people")
    assert response.status_code == 401
    assert "Aizhan" not in response.content.decode()


def test_an_experts_token_is_forbidden_the_registry(client, registry, make_user):
    api = api_for(client, make_user("elena", Role.EXPERT))
    for path in ("/people", "/organisations"):
        response = api.get(path)
        assert response.status_code == 403
        assert "Aizhan" not in response.content.decode() and "Halyk" not in response.content.decode()
    assert api.get(f"/people/{registry['aizhan'].pk}").status_code == 404
    before = registry_state()
    assert api.post("/people", {"full_name": "Elena's pick", "country": "KZ", "group": "finance"}).status_code == 403
    assert registry_state() == before


def test_a_coordinator_whose_term_ended_is_forbidden_the_registry(client, registry, make_user):
    """Only coordinators during their term use the registry (rules.py); afterwards the list is refused, not empty."""
    former = make_user("yerlan", Role.COORDINATOR)
    coordinator_assign(
        actor=None,
        user=former,
        country=registry["kz"],
        starts_on=datetime.date(2024, 1, 1),
        ends_on=timezone.localdate() - datetime.timedelta(days=1),
    )
    api = api_for(client, former)
    assert api.get(f"/people/{registry['aizhan'].pk}").status_code == 404
    response = api.get("/people")
    assert "Aizhan" not in response.content.decode()
    assert response.status_code == 403


# --- Organisations ------------------------------------------------------------------------------------------------


def test_organisation_crud(client, registry, secretariat):
    api = api_for(client, secretariat)
    created = api.post(
        "/organisations",
        {"name": "Kazpatent", "type": "ip_office", "country": "kz", "website": "https://kazpatent.example"},
    )
    assert created.status_code == 201
    body = created.json()
    assert (body["name"], body["type"], body["country"], body["stip_target_group"]) == (
        "Kazpatent",
        "ip_office",
        "KZ",
        "TG23",
    )
    organisation = Organisation.objects.get(pk=body["id"])
    assert organisation.country.iso2 == "KZ" and organisation.website == "https://kazpatent.example"

    fetched = api.get(f"/organisations/{organisation.pk}")
    assert fetched.status_code == 200 and fetched.json()["name"] == "Kazpatent"
    assert api.get(f"/organisations/{registry['bank'].pk}").json()["stip_target_group"] is None  # banks have none

    everything = api.get("/organisations").json()
    assert everything["count"] == 3
    assert [item["name"] for item in everything["items"]] == ["Halyk Bank", "Kazpatent", "Tashkent State University"]
    assert [item["name"] for item in api.get("/organisations", {"country": "KZ"}).json()["items"]] == [
        "Halyk Bank",
        "Kazpatent",
    ]
    assert [item["name"] for item in api.get("/organisations", {"type": "university"}).json()["items"]] == [
        "Tashkent State University"
    ]
    page = api.get("/organisations", {"limit": 1, "offset": 1}).json()
    assert page["count"] == 3 and [item["name"] for item in page["items"]] == ["Kazpatent"]

    patched = api.patch(f"/organisations/{organisation.pk}", {"name_en": "National Institute of IP"})
    assert patched.status_code == 200 and patched.json()["name_en"] == "National Institute of IP"
    organisation.refresh_from_db()
    assert (organisation.name, organisation.name_en) == ("Kazpatent", "National Institute of IP")

    assert api.delete(f"/organisations/{organisation.pk}").status_code == 204
    assert not Organisation.objects.filter(pk=organisation.pk).exists()
    assert api.get(f"/organisations/{organisation.pk}").status_code == 404


def test_an_organisation_with_partnerships_is_not_deleted(client, registry, secretariat):
    services.partnership_save(
        actor=secretariat,
        partnership=Partnership(),
        data={"organisation": registry["bank"], "kind": "bank", "scope": "IP-backed loans"},
    )
    response = api_for(client, secretariat).delete(f"/organisations/{registry['bank'].pk}")
    assert response.status_code == 422
    assert "partnerships" in response.json()["detail"][0]["msg"]
    assert Organisation.objects.filter(pk=registry["bank"].pk).exists()


# --- People -------------------------------------------------------------------------------------------------------


def test_people_list_filters_and_pagination(client, registry, secretariat):
    api = api_for(client, secretariat)
    everyone = api.get("/people")
    assert everyone.status_code == 200
    assert everyone.json()["count"] == 3
    assert names(everyone) == ["Aizhan Nurlanqyzy", "Bobur Karimov", "Daniyar Seitov"]
    assert names(api.get("/people", {"country": "kz"})) == ["Aizhan Nurlanqyzy", "Daniyar Seitov"]
    assert names(api.get("/people", {"group": "research_education"})) == ["Bobur Karimov"]
    assert names(api.get("/people", {"type": "bank"})) == ["Aizhan Nurlanqyzy"]
    assert names(api.get("/people", {"status": "contacted"})) == ["Daniyar Seitov"]
    assert names(api.get("/people", {"country": "KZ", "status": "identified"})) == ["Aizhan Nurlanqyzy"]
    assert names(api.get("/people", {"q": "halyk"})) == ["Aizhan Nurlanqyzy"]  # by organisation name

    first = api.get("/people", {"limit": 2}).json()
    assert first["count"] == 3 and len(first["items"]) == 2
    rest = api.get("/people", {"limit": 2, "offset": 2}).json()
    assert rest["count"] == 3 and [item["full_name"] for item in rest["items"]] == ["Daniyar Seitov"]

    bad = api.get("/people", {"group": "astronauts"})
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["loc"][-1] == "group"


def test_person_crud_with_status_history(client, registry, secretariat):
    api = api_for(client, secretariat)
    created = api.post(
        "/people",
        {
            "full_name": "Gulnara Sadykova",
            "country": "KZ",
            "organisation_id": registry["bank"].pk,
            "email": "gulnara@halyk.example",
            "languages": ["kk", "ru"],
            "position": "Credit officer",
        },
    )
    assert created.status_code == 201
    body = created.json()
    assert body["group"] == "finance"  # from the organisation's type
    assert (body["status"], body["country"], body["organisation_id"]) == ("identified", "KZ", registry["bank"].pk)
    person = Person.objects.get(pk=body["id"])
    assert (person.email, person.languages, person.position) == (
        "gulnara@halyk.example",
        ["kk", "ru"],
        "Credit officer",
    )
    assert list(person.status_changes.values_list("status", flat=True)) == ["identified"]

    fetched = api.get(f"/people/{person.pk}")
    assert fetched.status_code == 200
    assert fetched.json()["email"] == "gulnara@halyk.example"

    patched = api.patch(f"/people/{person.pk}", {"status": "contacted", "phone": "+7 701 000 00 00"})
    assert patched.status_code == 200
    assert (patched.json()["status"], patched.json()["phone"]) == ("contacted", "+7 701 000 00 00")
    person.refresh_from_db()
    assert (person.status, person.phone) == ("contacted", "+7 701 000 00 00")
    steps = list(person.status_changes.values_list("status", "changed_by", "changed_on"))
    assert steps[0] == ("contacted", secretariat.pk, timezone.localdate())
    assert len(steps) == 2

    unchanged_status = api.patch(f"/people/{person.pk}", {"position": "Head of credit"})
    assert unchanged_status.status_code == 200 and unchanged_status.json()["status"] == "contacted"
    assert person.status_changes.count() == 2  # no step when the status does not change

    assert api.delete(f"/people/{person.pk}").status_code == 204
    assert not Person.objects.filter(pk=person.pk).exists()
    assert api.get(f"/people/{person.pk}").status_code == 404


def test_validation_errors_name_the_field_and_save_nothing(client, registry, secretariat):
    api = api_for(client, secretariat)
    before = registry_state()
    valid = {"full_name": "Timur Bekov", "country": "KZ", "group": "business"}
    cases = [
        ({"email": "timur-at-example"}, "email", "email address"),
        ({"group": "astronauts"}, "group", "public_authorities"),  # the message lists the groups there are
        ({"languages": ["ru", "xx"]}, "languages", "xx"),
        ({"country": "XX"}, None, "XX"),
        ({"status": "retired"}, "status", "identified"),
    ]
    for change, field, mentioned in cases:
        response = api.post("/people", valid | change)
        assert response.status_code == 422, change
        detail = response.json()["detail"]
        if field is None:  # an unknown country is reported in a sentence that names the field
            assert "country" in str(detail) and mentioned in str(detail)
        else:
            assert [error["loc"][-1] for error in detail] == [field], detail
            assert mentioned in detail[0]["msg"]
    no_group = api.post("/people", {"full_name": "Timur Bekov", "country": "KZ"})
    assert no_group.status_code == 422
    assert no_group.json()["detail"][0]["loc"] == ["body", "group"]
    bad_patch = api.patch(f"/people/{registry['aizhan'].pk}", {"languages": ["klingon"]})
    assert bad_patch.status_code == 422
    assert bad_patch.json()["detail"][0]["loc"][-1] == "languages"
    bad_website = api.post(
        "/organisations", {"name": "Qazaq Invest", "type": "bank", "country": "KZ", "website": "nope"}
    )
    assert bad_website.status_code == 422
    assert bad_website.json()["detail"][0]["loc"][-1] == "website"
    assert registry_state() == before


def test_coordinator_reaches_only_own_country(client, registry, coordinator_kz):
    api = api_for(client, coordinator_kz)
    bobur, university = registry["bobur"], registry["university"]
    assert names(api.get("/people")) == ["Aizhan Nurlanqyzy", "Daniyar Seitov"]
    assert names(api.get("/people", {"country": "UZ"})) == []
    assert [item["name"] for item in api.get("/organisations").json()["items"]] == ["Halyk Bank"]
    assert api.get(f"/people/{registry['aizhan'].pk}").status_code == 200
    before = registry_state()

    refused = [
        api.get(f"/people/{bobur.pk}"),
        api.patch(f"/people/{bobur.pk}", {"position": "Rector"}),
        api.patch(f"/people/{bobur.pk}", {"status": "active"}),
        api.delete(f"/people/{bobur.pk}"),
        api.get(f"/people/{bobur.pk}/export"),
        api.post(f"/people/{bobur.pk}/erase"),
        api.get(f"/organisations/{university.pk}"),
        api.patch(f"/organisations/{university.pk}", {"name": "Renamed"}),
        api.delete(f"/organisations/{university.pk}"),
    ]
    for response in refused:
        assert response.status_code == 404
        body = response.content.decode()
        assert "Bobur" not in body and "bobur@tsu.example" not in body and "Tashkent" not in body

    person_in_uz = api.post("/people", {"full_name": "Nodira Usmanova", "country": "UZ", "group": "business"})
    assert person_in_uz.status_code == 403
    organisation_in_uz = api.post("/organisations", {"name": "Uzpatent", "type": "ip_office", "country": "UZ"})
    assert organisation_in_uz.status_code == 403
    moved = api.patch(f"/people/{registry['aizhan'].pk}", {"country": "UZ"})
    assert moved.status_code == 403
    linked = api.post(
        "/people",
        {"full_name": "Nodira Usmanova", "country": "KZ", "group": "business", "organisation_id": university.pk},
    )
    assert linked.status_code == 404  # an organisation outside the user's countries does not exist for them
    assert registry_state() == before

    own = api.post("/people", {"full_name": "Nodira Usmanova", "country": "KZ", "group": "business"})
    assert own.status_code == 201 and own.json()["country"] == "KZ"


def test_export_returns_everything_held_on_a_person(client, registry, secretariat):
    aizhan = registry["aizhan"]
    services.interaction_log(
        actor=secretariat,
        person=aizhan,
        kind="meeting",
        occurred_on=datetime.date(2026, 3, 4),
        notes="Pledge of patents",
    )
    services.consent_record(actor=secretariat, person=aizhan, purpose="contact", granted=True, evidence="Signed form")
    services.consent_record(actor=secretariat, person=aizhan, purpose="newsletter", granted=False)
    services.person_set_status(actor=secretariat, person=aizhan, status="engaged", changed_on=datetime.date(2026, 3, 5))

    response = api_for(client, secretariat).get(f"/people/{aizhan.pk}/export")
    assert response.status_code == 200
    data = response.json()
    assert (data["id"], data["full_name"], data["email"], data["country"]) == (
        aizhan.pk,
        "Aizhan Nurlanqyzy",
        "aizhan@halyk.example",
        "KZ",
    )
    assert (data["organisation"], data["stakeholder_group"], data["mobilisation_status"]) == (
        "Halyk Bank",
        "finance",
        "engaged",
    )
    assert data["interactions"] == [{"kind": "meeting", "date": "2026-03-04", "notes": "Pledge of patents"}]
    consents = {(event["purpose"], event["granted"], event["evidence"]) for event in data["consents"]}
    assert consents == {("contact", True, "Signed form"), ("newsletter", False, "")}
    assert {"status": "engaged", "date": "2026-03-05"} in data["status_history"]
    assert {step["status"] for step in data["status_history"]} == {"identified", "engaged"}


def test_erasure_hides_the_person_but_keeps_the_counts(client, registry, secretariat):
    aizhan = registry["aizhan"]
    services.interaction_log(actor=secretariat, person=aizhan, kind="call", occurred_on=datetime.date(2026, 3, 4))
    services.consent_record(actor=secretariat, person=aizhan, purpose="contact", granted=True)
    counts_before = people_counts(user=secretariat)
    api = api_for(client, secretariat)

    response = api.post(f"/people/{aizhan.pk}/erase", {"requested_on": "2026-03-10"})
    assert response.status_code == 200
    assert response.json()["erased"] is True
    record = ErasureRecord.objects.get(pk=response.json()["erasure_record"])
    assert (record.country.iso2, record.group, record.requested_on) == ("KZ", "finance", datetime.date(2026, 3, 10))
    assert record.erased_by == secretariat

    assert api.get(f"/people/{aizhan.pk}").status_code == 404
    assert api.get(f"/people/{aizhan.pk}/export").status_code == 404
    assert api.post(f"/people/{aizhan.pk}/erase").status_code == 404
    listed = api.get("/people")
    assert "Aizhan" not in listed.content.decode() and listed.json()["count"] == 2
    row = Person.objects.get(pk=aizhan.pk)
    assert (row.full_name, row.email, row.organisation_id, row.erased_at is not None) == ("", "", None, True)
    assert not Interaction.objects.filter(person=row).exists()
    assert not ConsentEvent.objects.filter(person=row).exists()

    counts_after = people_counts(user=secretariat)
    assert counts_after == counts_before
    assert {"country__iso2": "KZ", "group": "finance", "status": "identified", "count": 1} in counts_after


# --- Import -------------------------------------------------------------------------------------------------------

IMPORT_HEADER = ["full_name", "email", "organisation", "organisation_type", "country", "group", "languages", "status"]
IMPORT_ROWS = [
    ["Gulnara Sadykova", "gulnara@valuers.example", "Qazaq Valuers", "valuation_body", "KZ", "", "ru, kk", "contacted"],
    ["Bad Email", "not-an-email", "", "", "KZ", "finance", "", ""],
    ["Nodira Usmanova", "nodira@example.org", "", "", "UZ", "business", "", ""],
    ["Timur Bekov", "timur@example.org", "", "", "KZ", "business", "ru xx", ""],
    ["Aliya Duplicate", "AIZHAN@halyk.example", "", "", "KZ", "finance", "", ""],
    ["Marat Ospanov", "marat@example.org", "Halyk Bank", "", "KZ", "", "en", ""],
]
# As a coordinator of Kazakhstan sees them: rows 3 (e-mail), 4 (country), 5 (language) and 6 (duplicate) are bad.
EXPECTED_ERRORS = {(3, "email"), (4, "country"), (5, "languages"), (6, "email")}


def csv_bytes(header: list[str], rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def test_import_all_or_nothing_reports_rows_and_imports_nothing(client, registry, coordinator_kz):
    before = registry_state()
    response = api_for(client, coordinator_kz).upload(
        "people.csv", csv_bytes(IMPORT_HEADER, IMPORT_ROWS), "all-or-nothing"
    )
    assert response.status_code == 422
    report = response.json()
    assert (report["mode"], report["rows"], report["imported"]) == ("all-or-nothing", 6, 0)
    assert {(error["row"], error["column"]) for error in report["errors"]} == EXPECTED_ERRORS
    assert all(error["message"] for error in report["errors"])
    assert "xx" in next(error["message"] for error in report["errors"] if error["column"] == "languages")
    assert registry_state() == before


def test_import_good_rows_imports_only_the_good_ones(client, registry, coordinator_kz):
    response = api_for(client, coordinator_kz).upload("people.csv", csv_bytes(IMPORT_HEADER, IMPORT_ROWS), "good-rows")
    assert response.status_code == 200
    report = response.json()
    assert (report["mode"], report["rows"], report["imported"], report["organisations_created"]) == (
        "good-rows",
        6,
        2,
        1,
    )
    assert {(error["row"], error["column"]) for error in report["errors"]} == EXPECTED_ERRORS
    gulnara = Person.objects.get(full_name="Gulnara Sadykova")
    assert (gulnara.country.iso2, gulnara.group, gulnara.status, gulnara.languages) == (
        "KZ",
        "valuation",
        "contacted",
        ["ru", "kk"],
    )
    assert (gulnara.organisation.name, gulnara.organisation.type) == ("Qazaq Valuers", "valuation_body")
    marat = Person.objects.get(full_name="Marat Ospanov")
    assert (marat.organisation, marat.group) == (registry["bank"], "finance")  # the existing organisation's type
    for bad in ("Bad Email", "Nodira Usmanova", "Timur Bekov", "Aliya Duplicate"):
        assert not Person.objects.filter(full_name=bad).exists()
    assert Person.objects.count() == 5


def test_import_xlsx(client, registry, secretariat):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Name", "E-mail", "Phone", "Organization", "Type", "Country", "Languages"])
    sheet.append(
        ["Sardor Aliev", "sardor@uzvaluers.example", 998901234567, "Uz Valuers", "valuation_body", "uz", "uz ru"]
    )
    sheet.append(["Olga Kim", "olga@uzvaluers.example", None, "Uz Valuers", "valuation_body", "UZ", "ru"])
    buffer = io.BytesIO()
    workbook.save(buffer)

    response = api_for(client, secretariat).upload("people.xlsx", buffer.getvalue(), "all-or-nothing")
    assert response.status_code == 200, response.content
    report = response.json()
    assert (report["rows"], report["imported"], report["organisations_created"], report["errors"]) == (2, 2, 1, [])
    sardor = Person.objects.get(email="sardor@uzvaluers.example")
    assert (sardor.full_name, sardor.phone, sardor.country.iso2, sardor.languages) == (
        "Sardor Aliev",
        "998901234567",
        "UZ",
        ["uz", "ru"],
    )
    assert sardor.group == "valuation"
    assert Organisation.objects.get(name="Uz Valuers").people.count() == 2
    assert list(sardor.status_changes.values_list("status", flat=True)) == ["identified"]


def test_import_row_numbers_count_blank_rows_as_the_spreadsheet_does(client, registry, secretariat):
    """Row numbers are "as numbered in the spreadsheet: the header is row 1" (importing.RowError), blank rows too."""
    content = (
        b"full_name,email,country,group\r\n"  # row 1
        b"Gulnara Sadykova,gulnara@example.org,KZ,finance\r\n"  # row 2
        b",,,\r\n"  # row 3: left blank
        b"Bad Email,not-an-email,KZ,finance\r\n"  # row 4
    )
    response = api_for(client, secretariat).upload("people.csv", content, "all-or-nothing")
    assert response.status_code == 422
    assert [(error["row"], error["column"]) for error in response.json()["errors"]] == [(4, "email")]


def test_import_rows_may_share_an_organisation_new_in_the_file(client, registry, secretariat):
    """The type of an organisation new in the file is given once; later rows naming it need not repeat it."""
    rows = [
        ["Gulnara Sadykova", "gulnara@example.org", "Qazaq Valuers", "valuation_body", "KZ", "", "", ""],
        ["Marat Ospanov", "marat@example.org", "Qazaq Valuers", "", "KZ", "", "", ""],
    ]
    response = api_for(client, secretariat).upload("people.csv", csv_bytes(IMPORT_HEADER, rows), "all-or-nothing")
    assert response.json()["errors"] == []
    assert response.status_code == 200
    assert Person.objects.get(full_name="Marat Ospanov").group == "valuation"


def test_import_refuses_an_unreadable_file_and_an_unknown_mode(client, registry, secretariat):
    api = api_for(client, secretariat)
    before = registry_state()
    not_a_table = api.upload("people.pdf", b"%PDF-1.4", "good-rows")
    assert not_a_table.status_code == 422
    assert not_a_table.json()["detail"][0]["loc"] == ["form", "file"]
    bad_mode = api.upload("people.csv", csv_bytes(IMPORT_HEADER, IMPORT_ROWS[:1]), "whatever")
    assert bad_mode.status_code == 422
    assert bad_mode.json()["detail"][0]["loc"] == ["form", "mode"]
    missing_column = api.upload("people.csv", b"full_name,email\r\nGulnara,g@example.org\r\n", "good-rows")
    assert missing_column.status_code == 422
    assert missing_column.json()["errors"] == [
        {"row": 1, "column": "country", "message": "The column “country” is missing."}
    ]
    assert registry_state() == before


def test_an_experts_token_cannot_import(client, registry, make_user):
    api = api_for(client, make_user("elena", Role.EXPERT))
    response = api.upload("people.csv", csv_bytes(IMPORT_HEADER, IMPORT_ROWS[:1]), "good-rows")
    assert response.status_code == 403
    assert not Person.objects.filter(full_name="Gulnara Sadykova").exists()
