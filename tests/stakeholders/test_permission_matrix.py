"""Who may do what on the stakeholder registry's pages: every role × action × country, checked from one table.

The registry holds personal data. The Secretariat acts on every country; a national coordinator on the countries
of their term (records elsewhere answer 404, as if they did not exist); anyone else is refused outright, and an
anonymous visitor is sent to the sign-in page. A refusal changes nothing and shows nothing of the records.
"""

import datetime
import io
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.http import HttpResponse
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from ipvalue.accounts.models import Role, User
from ipvalue.accounts.services import coordinator_assign
from ipvalue.countries.models import Country
from ipvalue.stakeholders import services
from ipvalue.stakeholders.models import (
    ConsentEvent,
    ErasureRecord,
    Interaction,
    Organisation,
    Partnership,
    Person,
    PersonList,
    StatusChange,
)

pytestmark = pytest.mark.django_db

ALLOW, HIDE, FORBID, LOGIN = "allow", "hide", "forbid", "login"
COUNTRIES = ("KZ", "UZ")

# What each role gets for a record of Kazakhstan and for one of Uzbekistan.
EXPECTED_BY_ROLE: dict[str, dict[str, str]] = {
    "secretariat": {"KZ": ALLOW, "UZ": ALLOW},
    "coordinator_kz": {"KZ": ALLOW, "UZ": HIDE},
    "coordinator_kz_term_ended": {"KZ": FORBID, "UZ": FORBID},
    "expert": {"KZ": FORBID, "UZ": FORBID},
    "stakeholder": {"KZ": FORBID, "UZ": FORBID},
    "anonymous": {"KZ": LOGIN, "UZ": LOGIN},
}
# Where an action departs from its role's row: a saved list is private to its owner; of the others only the
# Secretariat may open it (rules.py: ``is_secretariat | owns_list``), whatever its countries.
EXCEPTIONS: dict[tuple[str, str, str], str] = {
    ("coordinator_kz", "open_someone_elses_list", "KZ"): HIDE,
}

# The records of each country, with the personal data that must never show in a refusal.
RECORDS = {
    "KZ": {
        "organisation": "Kazpatent Valuation Centre",
        "person": "Aizhan Nurlanqyzy",
        "email": "aizhan.nurlanqyzy@kazpatent.example",
        "list": "Kazakh banks and valuers",
    },
    "UZ": {
        "organisation": "Tashkent Innovation Fund",
        "person": "Bobur Karimov",
        "email": "bobur.karimov@innofund.example",
        "list": "Uzbek banks and valuers",
    },
}
CHANGED_POSITION = "Head of valuation"


@dataclass
class World:
    """The records of each country, built through the services by the Secretariat."""

    countries: dict[str, Country] = field(default_factory=dict)
    organisations: dict[str, Organisation] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)
    partnerships: dict[str, Partnership] = field(default_factory=dict)
    lists: dict[str, PersonList] = field(default_factory=dict)

    def secrets(self, iso: str) -> list[str]:
        return [RECORDS[iso]["person"], RECORDS[iso]["email"], RECORDS[iso]["organisation"]]


@pytest.fixture
def world(secretariat, make_user) -> World:
    # A colleague coordinating both countries owns the saved lists: "someone else" for every role under test.
    list_owner = make_user("dilnoza", Role.COORDINATOR, countries=("KZ", "UZ"))
    world = World()
    for iso in COUNTRIES:
        country = Country.objects.get(iso2=iso)
        organisation = services.organisation_create(
            actor=secretariat, data={"name": RECORDS[iso]["organisation"], "type": "bank", "country": country}
        )
        person = services.person_create(
            actor=secretariat,
            data={
                "full_name": RECORDS[iso]["person"],
                "email": RECORDS[iso]["email"],
                "country": country,
                "organisation": organisation,
                "group": "finance",
                "languages": ["ru"],
            },
        )
        partnership = services.partnership_save(
            actor=secretariat,
            partnership=Partnership(),
            data={"organisation": organisation, "kind": "bank", "scope": "Loans secured by patents"},
        )
        saved = services.person_list_save(
            actor=list_owner,
            person_list=PersonList(),
            name=RECORDS[iso]["list"],
            countries=[country],
            groups=["finance"],
            organisation_types=[],
            statuses=[],
        )
        world.countries[iso] = country
        world.organisations[iso] = organisation
        world.people[iso] = person
        world.partnerships[iso] = partnership
        world.lists[iso] = saved
    return world


@pytest.fixture
def users(secretariat, coordinator_kz, stakeholder, make_user) -> dict[str, User | None]:
    ended = make_user("yerlan", Role.COORDINATOR)
    coordinator_assign(
        actor=None,
        user=ended,
        country=Country.objects.get(iso2="KZ"),
        starts_on=datetime.date(2024, 1, 1),
        ends_on=timezone.localdate() - datetime.timedelta(days=1),
    )
    return {
        "secretariat": secretariat,
        "coordinator_kz": coordinator_kz,
        "coordinator_kz_term_ended": ended,
        "expert": make_user("elena", Role.EXPERT),
        "stakeholder": stakeholder,
        "anonymous": None,
    }


def snapshot() -> dict[str, Any]:
    """Everything in the registry, to show that a refused request changed nothing."""
    models = (Organisation, Person, StatusChange, Interaction, ConsentEvent, ErasureRecord, Partnership, PersonList)
    state: dict[str, Any] = {model.__name__: list(model.objects.order_by("pk").values()) for model in models}
    state["LogEntry"] = LogEntry.objects.count()
    return state


def today() -> str:
    return timezone.localdate().isoformat()


def person_form(world: World, iso: str, **changes: Any) -> dict[str, Any]:
    person = world.people[iso]
    return {
        "full_name": person.full_name,
        "organisation": world.organisations[iso].pk,
        "position": person.position,
        "country": world.countries[iso].pk,
        "email": person.email,
        "phone": person.phone,
        "group": person.group,
        "languages": person.languages,
        "notes": person.notes,
    } | changes


# --- What a successful request must have done ---------------------------------------------------------------------


def shows_person(world: World, iso: str, response: HttpResponse, before: dict[str, Any]) -> None:
    body = response.content.decode()
    assert RECORDS[iso]["person"] in body
    assert snapshot() == before


def shows_person_and_email(world: World, iso: str, response: HttpResponse, before: dict[str, Any]) -> None:
    assert RECORDS[iso]["email"] in response.content.decode()
    shows_person(world, iso, response, before)


def shows_organisation(world: World, iso: str, response: HttpResponse, before: dict[str, Any]) -> None:
    assert RECORDS[iso]["organisation"] in response.content.decode()
    assert snapshot() == before


def created_person(world: World, iso: str, response: HttpResponse, before: dict[str, Any]) -> None:
    created = Person.objects.get(full_name=f"Newcomer {iso}")
    assert response["Location"] == f"/en/stakeholders/people/{created.pk}/"
    assert created.country.iso2 == iso
    assert created.organisation == world.organisations[iso]
    assert list(created.status_changes.values_list("status", flat=True)) == ["identified"]
    assert Person.objects.count() == len(before["Person"]) + 1


def edited_person(world: World, iso: str, response: HttpResponse, before: dict[str, Any]) -> None:
    assert Person.objects.get(pk=world.people[iso].pk).position == CHANGED_POSITION


def changed_status(world: World, iso: str, response: HttpResponse, before: dict[str, Any]) -> None:
    person = Person.objects.get(pk=world.people[iso].pk)
    assert person.status == "engaged"
    assert list(person.status_changes.values_list("status", flat=True)) == ["engaged", "identified"]


def logged_interaction(world: World, iso: str, response: HttpResponse, before: dict[str, Any]) -> None:
    interaction = Interaction.objects.get(person=world.people[iso])
    assert (interaction.kind, interaction.notes) == ("meeting", "Discussed a pledge of patents")


def recorded_consent(world: World, iso: str, response: HttpResponse, before: dict[str, Any]) -> None:
    event = ConsentEvent.objects.get(person=world.people[iso])
    assert (event.purpose, event.granted, event.evidence) == ("contact", True, "Signed form")


def exported(world: World, iso: str, response: HttpResponse, before: dict[str, Any]) -> None:
    data = json.loads(response.content)
    assert (data["full_name"], data["email"], data["country"]) == (RECORDS[iso]["person"], RECORDS[iso]["email"], iso)
    assert response["Content-Disposition"] == f'attachment; filename="person-{world.people[iso].pk}.json"'
    assert snapshot() == before


def erased(world: World, iso: str, response: HttpResponse, before: dict[str, Any]) -> None:
    person = Person.objects.get(pk=world.people[iso].pk)
    assert person.erased_at is not None
    assert (person.full_name, person.email, person.organisation) == ("", "", None)
    assert ErasureRecord.objects.filter(country__iso2=iso, group="finance").count() == 1


def created_organisation(world: World, iso: str, response: HttpResponse, before: dict[str, Any]) -> None:
    created = Organisation.objects.get(name=f"New fund {iso}")
    assert created.country.iso2 == iso
    assert response["Location"] == f"/en/stakeholders/organisations/{created.pk}/"


@dataclass(frozen=True)
class Action:
    name: str
    method: str
    url: Callable[[World, str], str]
    succeeded: Callable[[World, str, HttpResponse, dict[str, Any]], None]
    data: Callable[[World, str], dict[str, Any]] = lambda world, iso: {}
    allowed_status: int = 200
    hidden_status: int = 404  # a record out of scope; a list page answers 200 without it, a creation 422

    def send(self, client: Client, world: World, iso: str) -> HttpResponse:
        url = "/en/stakeholders/" + self.url(world, iso)
        return client.post(url, self.data(world, iso)) if self.method == "post" else client.get(url)


ACTIONS = [
    Action("view_list_page", "get", lambda w, iso: "", shows_person, hidden_status=200),
    Action("view_person_page", "get", lambda w, iso: f"people/{w.people[iso].pk}/", shows_person_and_email),
    Action(
        "create_person",
        "post",
        lambda w, iso: "people/new/",
        created_person,
        data=lambda w, iso: {
            "full_name": f"Newcomer {iso}",
            "organisation": w.organisations[iso].pk,
            "country": w.countries[iso].pk,
            "email": f"newcomer.{iso.lower()}@example.org",
            "group": "",
            "languages": ["ru"],
        },
        allowed_status=302,
        hidden_status=422,
    ),
    Action(
        "edit_person",
        "post",
        lambda w, iso: f"people/{w.people[iso].pk}/edit/",
        edited_person,
        data=lambda w, iso: person_form(w, iso, position=CHANGED_POSITION),
        allowed_status=302,
    ),
    Action(
        "change_status",
        "post",
        lambda w, iso: f"people/{w.people[iso].pk}/status/",
        changed_status,
        data=lambda w, iso: {"status": "engaged", "changed_on": today()},
        allowed_status=302,
    ),
    Action(
        "log_interaction",
        "post",
        lambda w, iso: f"people/{w.people[iso].pk}/interactions/",
        logged_interaction,
        data=lambda w, iso: {"kind": "meeting", "occurred_on": today(), "notes": "Discussed a pledge of patents"},
        allowed_status=302,
    ),
    Action(
        "record_consent",
        "post",
        lambda w, iso: f"people/{w.people[iso].pk}/consents/",
        recorded_consent,
        data=lambda w, iso: {"purpose": "contact", "granted": "1", "evidence": "Signed form"},
        allowed_status=302,
    ),
    Action("export_json", "get", lambda w, iso: f"people/{w.people[iso].pk}/export.json", exported),
    Action(
        "erase",
        "post",
        lambda w, iso: f"people/{w.people[iso].pk}/erase/",
        erased,
        data=lambda w, iso: {"requested_on": today(), "confirm": "on"},
        allowed_status=302,
    ),
    Action(
        "view_organisation",
        "get",
        lambda w, iso: f"organisations/{w.organisations[iso].pk}/",
        shows_person,  # the organisation's page lists its people
    ),
    Action(
        "create_organisation",
        "post",
        lambda w, iso: "organisations/new/",
        created_organisation,
        data=lambda w, iso: {"name": f"New fund {iso}", "type": "bank", "country": w.countries[iso].pk},
        allowed_status=302,
        hidden_status=422,
    ),
    Action("view_partnership_list", "get", lambda w, iso: "partnerships/", shows_organisation, hidden_status=200),
    Action("open_someone_elses_list", "get", lambda w, iso: f"lists/{w.lists[iso].pk}/", shows_person),
]
ACTIONS_BY_NAME = {action.name: action for action in ACTIONS}


def expected_outcome(role: str, action: str, iso: str) -> str:
    return EXCEPTIONS.get((role, action, iso), EXPECTED_BY_ROLE[role][iso])


@pytest.mark.parametrize("iso", COUNTRIES)
@pytest.mark.parametrize("action_name", list(ACTIONS_BY_NAME))
@pytest.mark.parametrize("role", list(EXPECTED_BY_ROLE))
def test_permission_matrix(client, world, users, role, action_name, iso):
    action = ACTIONS_BY_NAME[action_name]
    expected = expected_outcome(role, action_name, iso)
    user = users[role]
    if user is not None:
        client.force_login(user)
    before = snapshot()

    response = action.send(client, world, iso)

    if expected == ALLOW:
        assert response.status_code == action.allowed_status, response.content.decode()[:2000]
        action.succeeded(world, iso, response, before)
        return
    # Refused: nothing changed, nothing of the record shown (for a role without access, nothing of any record).
    assert snapshot() == before
    body = response.content.decode()
    hidden = world.secrets(iso) if expected == HIDE else world.secrets("KZ") + world.secrets("UZ")
    assert [secret for secret in hidden if secret in body] == []
    expected_status = {HIDE: action.hidden_status, FORBID: 403, LOGIN: 302}[expected]
    assert response.status_code == expected_status
    if expected == LOGIN:
        assert response["Location"].startswith("/en/accounts/login/?next=/en/stakeholders/")
    if expected == FORBID:
        assert "Access denied" in body
    if expected == HIDE and action.hidden_status == 422:
        assert "country" in response.context["form"].errors  # only the user's countries are offered


def test_coordinator_sees_only_own_country_in_list_filters_and_downloads(client, world, users):
    """Asking the list page (or its CSV/XLSX download) for another country's people gives none of them."""
    client.force_login(users["coordinator_kz"])
    response = client.get("/en/stakeholders/", {"country": "UZ"})
    body = response.content.decode()
    assert response.status_code == 200
    assert RECORDS["UZ"]["person"] not in body and RECORDS["UZ"]["email"] not in body
    csv_download = client.get("/en/stakeholders/", {"country": "UZ", "format": "csv"})
    assert csv_download.status_code == 200
    csv_text = b"".join(csv_download.streaming_content).decode("utf-8-sig")
    assert RECORDS["UZ"]["person"] not in csv_text and RECORDS["UZ"]["email"] not in csv_text
    xlsx_download = client.get("/en/stakeholders/", {"format": "xlsx"})
    workbook = load_workbook(io.BytesIO(xlsx_download.content), read_only=True)
    cells = {str(cell) for row in workbook.active.iter_rows(values_only=True) for cell in row if cell is not None}
    assert {RECORDS["KZ"]["person"], RECORDS["KZ"]["email"]} <= cells
    assert not {RECORDS["UZ"]["person"], RECORDS["UZ"]["email"]} & cells
    everything = client.get("/en/stakeholders/", {"format": "csv"})
    all_text = b"".join(everything.streaming_content).decode("utf-8-sig")
    assert RECORDS["KZ"]["person"] in all_text and RECORDS["UZ"]["person"] not in all_text
