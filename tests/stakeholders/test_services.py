import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from ipvalue.countries.models import Country
from ipvalue.stakeholders import selectors, services
from ipvalue.stakeholders.models import Interaction, Organisation, Person, PersonList

pytestmark = pytest.mark.django_db


def test_new_person_starts_identified_with_a_dated_step(aigul):
    step = aigul.status_changes.get()
    assert (step.status, step.changed_on) == ("identified", timezone.localdate())


def test_status_changes_are_dated_and_not_in_the_future(secretariat, aigul):
    services.person_set_status(
        actor=secretariat, person=aigul, status="contacted", changed_on=datetime.date(2026, 4, 1)
    )
    services.person_set_status(actor=secretariat, person=aigul, status="engaged")
    # Newest date first: the back-dated step sorts by its date, not by when it was entered.
    assert [step.status for step in aigul.status_changes.all()] == ["engaged", "identified", "contacted"]
    with pytest.raises(ValidationError) as error:
        services.person_set_status(
            actor=secretariat, person=aigul, status="active", changed_on=timezone.localdate() + datetime.timedelta(1)
        )
    assert "changed_on" in error.value.message_dict
    assert Person.objects.get(pk=aigul.pk).status == "engaged"


def test_consent_in_force_is_the_latest_decision(secretariat, aigul):
    earlier = timezone.now() - datetime.timedelta(days=3)
    services.consent_record(actor=secretariat, person=aigul, purpose="contact", granted=True, occurred_at=earlier)
    services.consent_record(actor=secretariat, person=aigul, purpose="listing", granted=True, occurred_at=earlier)
    services.consent_record(actor=secretariat, person=aigul, purpose="listing", granted=False)
    consents = selectors.person_consents(person=aigul)
    assert consents["contact"].granted and not consents["listing"].granted and "newsletter" not in consents
    with_contact = selectors.person_list(user=secretariat, filters=selectors.PersonFilter(consent="contact"))
    with_listing = selectors.person_list(user=secretariat, filters=selectors.PersonFilter(consent="listing"))
    assert list(with_contact) == [aigul] and list(with_listing) == []


def test_saved_list_is_evaluated_within_the_users_countries(secretariat, coordinator_kz, aigul, make_user):
    uzbek = services.person_create(
        actor=secretariat,
        data={"full_name": "Bobur", "country": Country.objects.get(iso2="UZ"), "group": "finance"},
    )
    saved = services.person_list_save(
        actor=secretariat,
        person_list=PersonList(),
        name="Banks and valuers in KZ and UZ",
        countries=list(Country.objects.filter(iso2__in=["KZ", "UZ"])),
        groups=["finance", "valuation"],
        organisation_types=[],
        statuses=[],
    )
    assert set(selectors.saved_list_members(user=secretariat, saved=saved)) == {aigul, uzbek}
    assert set(selectors.saved_list_members(user=coordinator_kz, saved=saved)) == {aigul}
    assert not coordinator_kz.has_perm("stakeholders.view_personlist", saved)
    with pytest.raises(PermissionDenied):
        services.person_list_save(
            actor=coordinator_kz,
            person_list=PersonList(),
            name="Peek",
            countries=list(Country.objects.filter(iso2="UZ")),
            groups=[],
            organisation_types=[],
            statuses=[],
        )


def test_duplicates_are_found_and_merged(secretariat, aigul, kz_bank):
    twin = services.person_create(
        actor=secretariat,
        data={
            "full_name": "A. Zhaksylykova",
            "email": "AIGUL.ZH@example.kz",
            "country": aigul.country,
            "group": "finance",
            "languages": ["en"],
        },
    )
    services.interaction_log(actor=secretariat, person=twin, kind="call", occurred_on=datetime.date(2026, 3, 3))
    assert selectors.duplicate_people(user=secretariat) == [[aigul, twin]]
    services.person_merge(actor=secretariat, keep=aigul, duplicate=twin)
    aigul.refresh_from_db()
    assert not Person.objects.filter(pk=twin.pk).exists()
    assert Interaction.objects.get().person == aigul
    assert aigul.languages == ["en", "kk", "ru"] and aigul.status_changes.count() == 2
    assert selectors.duplicate_people(user=secretariat) == []

    copy = services.organisation_create(
        actor=secretariat, data={"name": "HALYK  Bank.", "type": "bank", "country": aigul.country}
    )
    other_country = services.organisation_create(
        actor=secretariat, data={"name": "Halyk Bank", "type": "bank", "country": Country.objects.get(iso2="UZ")}
    )
    assert selectors.duplicate_organisations(user=secretariat) == [[kz_bank, copy]]
    services.organisation_merge(actor=secretariat, keep=kz_bank, duplicate=copy)
    assert set(Organisation.objects.all()) == {kz_bank, other_country}
    with pytest.raises(ValidationError):
        services.person_merge(actor=secretariat, keep=aigul, duplicate=aigul)


def test_coordinator_cannot_link_a_person_to_another_countrys_organisation(secretariat, coordinator_kz):
    uz_org = services.organisation_create(
        actor=secretariat, data={"name": "Uzpatent", "type": "ip_office", "country": Country.objects.get(iso2="UZ")}
    )
    with pytest.raises(ValidationError) as error:
        services.person_create(
            actor=coordinator_kz,
            data={
                "full_name": "X",
                "country": Country.objects.get(iso2="KZ"),
                "group": "business",
                "organisation": uz_org,
            },
        )
    assert "organisation" in error.value.message_dict
    assert Person.objects.count() == 0


def test_languages_are_checked(secretariat):
    with pytest.raises(ValidationError) as error:
        services.person_create(
            actor=secretariat,
            data={
                "full_name": "X",
                "country": Country.objects.get(iso2="KZ"),
                "group": "business",
                "languages": ["xx"],
            },
        )
    assert "languages" in error.value.message_dict


def test_stip_codes_beside_organisation_types(kz_bank, secretariat):
    assert kz_bank.stip_code == ""  # STIP has no target group for banks
    office = services.organisation_create(
        actor=secretariat, data={"name": "Kazpatent", "type": "ip_office", "country": kz_bank.country}
    )
    tto = services.organisation_create(
        actor=secretariat, data={"name": "TTO", "type": "tto", "country": kz_bank.country}
    )
    assert (office.stip_code, tto.stip_code) == ("TG23", "TG35")


def test_secretariat_appoints_a_coordinator_on_the_page(client, secretariat, make_user, coordinator_kz):
    dana = make_user("dana", "coordinator")
    client.force_login(secretariat)
    response = client.post(
        "/en/stakeholders/coordinators/",
        {
            "user": dana.pk,
            "country": Country.objects.get(iso2="TJ").pk,
            "starts_on": "2026-01-01",
            "ends_on": "2025-01-01",
        },
    )
    assert response.status_code == 422 and "ends_on" in response.context["form"].errors
    response = client.post(
        "/en/stakeholders/coordinators/",
        {"user": dana.pk, "country": Country.objects.get(iso2="TJ").pk, "starts_on": "2026-01-01"},
    )
    assert response.status_code == 302
    assert dana.has_perm("stakeholders.add_person", Country.objects.get(iso2="TJ"))
    client.force_login(coordinator_kz)
    page = client.get("/en/stakeholders/coordinators/")
    assert page.context["form"] is None and "dana" not in page.content.decode()  # TJ is not theirs
    refused = client.post("/en/stakeholders/coordinators/", {"user": dana.pk, "country": 1})
    assert refused.status_code == 403
