import datetime
import re

import pytest
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext
from playwright.sync_api import expect

from ipvalue.accounts.models import Role
from ipvalue.countries.models import Country
from ipvalue.countries.services import reference_data_load
from ipvalue.stakeholders import services
from ipvalue.stakeholders.models import Organisation, Person, StatusChange
from tests.conftest import PASSWORD

ORGANISATION_NAME = "Национальный институт интеллектуальной собственности"
PERSON_NAME = "Айгуль Сапарбекова"
PERSON_EMAIL = "a.saparbekova@example.kz"
UZ_ORGANISATION_NAME = "Агентство интеллектуальной собственности Узбекистана"
UZ_PERSON_NAME = "Дилноза Юсупова"


def ru(message: str) -> str:
    """The Russian translation of ``message`` (the English text while the catalog lacks it)."""
    with translation.override("ru"):
        return gettext(message)


def ru_label(message: str) -> re.Pattern[str]:
    """A form label as Django renders it: the translation with its first letter capitalised."""
    return re.compile(re.escape(ru(message)), re.IGNORECASE)


def ru_date(day: datetime.date) -> str:
    with translation.override("ru"):
        return date_format(day, "SHORT_DATE_FORMAT")


@pytest.fixture
def coordinator(transactional_db, make_user):
    reference_data_load()
    return make_user("aigerim", Role.COORDINATOR, countries=("KZ",))


@pytest.fixture
def uzbek_records(coordinator, make_user):
    secretariat = make_user("sofia", Role.SECRETARIAT)
    uzbekistan = Country.objects.get(iso2="UZ")
    organisation = services.organisation_create(
        actor=secretariat, data={"name": UZ_ORGANISATION_NAME, "type": "ip_office", "country": uzbekistan}
    )
    person = services.person_create(
        actor=secretariat,
        data={
            "full_name": UZ_PERSON_NAME,
            "organisation": organisation,
            "country": uzbekistan,
            "email": "d.yusupova@example.uz",
            "group": "public_authorities",
            "languages": ["uz", "ru"],
        },
    )
    return organisation, person


def test_coordinator_registers_a_person_logs_contact_and_cannot_see_another_country(page, coordinator, uzbek_records):
    uz_organisation, uz_person = uzbek_records
    kazakhstan = Country.objects.get(iso2="KZ")

    # 1. Sign in through the login form.
    page.goto("/ru/accounts/login/")
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    page.locator("#id_username").fill("aigerim")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form.stacked button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/ru/$"))

    # 2a. Add an organisation, in Russian.
    page.locator(".main-nav a[href='/ru/stakeholders/']").click()
    expect(page).to_have_url(re.compile(r"/ru/stakeholders/$"))
    page.locator("main a[href='/ru/stakeholders/organisations/new/']").first.click()
    expect(page).to_have_url(re.compile(r"/ru/stakeholders/organisations/new/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(ru("Add an organisation"))
    expect(page.locator("label[for=id_country]")).to_have_text(ru_label("Country"))
    page.locator("#id_name").fill(ORGANISATION_NAME)
    page.locator("#id_type").select_option("ip_office")
    page.locator("#id_country").select_option(str(kazakhstan.pk))
    page.locator("form.stacked button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/ru/stakeholders/organisations/\d+/$"))
    expect(page.locator(".message-success")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text(ORGANISATION_NAME)
    organisation = Organisation.objects.get(name=ORGANISATION_NAME)
    assert organisation.country == kazakhstan and organisation.type == "ip_office"

    # 2b. Add a person in it: the organisation and the country come filled in.
    page.locator(f"main a[href='/ru/stakeholders/people/new/?organisation={organisation.pk}']").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(ru("Add a person"))
    expect(page.locator("#id_organisation")).to_have_value(str(organisation.pk))
    expect(page.locator("#id_country")).to_have_value(str(kazakhstan.pk))
    expect(page.locator("label[for=id_full_name]")).to_have_text(ru_label("full name"))
    expect(page.locator("label[for=id_country]")).to_have_text(ru_label("Country"))
    expect(page.locator("form.stacked")).to_contain_text(ru("Languages"))
    page.locator("#id_full_name").fill(PERSON_NAME)
    page.locator("#id_email").fill(PERSON_EMAIL)
    page.locator("input[name=languages][value=ru]").check()
    page.locator("input[name=languages][value=kk]").check()
    page.locator("form.stacked button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/ru/stakeholders/people/\d+/$"))
    expect(page.locator(".message-success")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text(PERSON_NAME)
    person = Person.objects.get(full_name=PERSON_NAME)
    assert person.organisation == organisation
    assert person.country == kazakhstan
    assert person.email == PERSON_EMAIL
    assert sorted(person.languages) == ["kk", "ru"]
    assert person.group == "public_authorities"  # from the organisation's type
    assert person.status == "identified"
    assert page.url.endswith(f"/ru/stakeholders/people/{person.pk}/")

    # 3. Log a meeting on the person's page.
    met_on = timezone.localdate() - datetime.timedelta(days=3)
    interaction_form = page.locator(f"form[action='/ru/stakeholders/people/{person.pk}/interactions/']")
    interaction_form.locator("#id_kind").select_option("meeting")
    interaction_form.locator("#id_occurred_on").fill(met_on.isoformat())
    interaction_form.locator("#id_notes").fill("Обсудили оценку патентного портфеля института.")
    interaction_form.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/ru/stakeholders/people/{person.pk}/$"))
    expect(page.locator(".message-success")).to_be_visible()
    interactions = page.locator("section[aria-labelledby=interactions-title] .timeline li")
    expect(interactions).to_have_count(1)
    expect(interactions.first).to_contain_text(ru("Meeting"))
    expect(interactions.first).to_contain_text(ru_date(met_on))
    expect(interactions.first).to_contain_text("Обсудили оценку патентного портфеля")
    assert person.interactions.get().kind == "meeting"

    # 4. Move the person to "engaged".
    engaged_on = timezone.localdate() - datetime.timedelta(days=1)
    status_form = page.locator(f"form[action='/ru/stakeholders/people/{person.pk}/status/']")
    expect(status_form.locator("label[for=id_status]")).to_have_text(ru_label("Mobilisation status"))
    status_form.locator("#id_status").select_option("engaged")
    status_form.locator("#id_changed_on").fill(engaged_on.isoformat())
    status_form.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/ru/stakeholders/people/{person.pk}/$"))
    expect(page.locator(".message-success")).to_contain_text(ru("Engaged"))
    expect(page.locator("h1 .badge.status-engaged")).to_have_text(ru("Engaged"))
    history = page.locator("section[aria-labelledby=status-title] ol.timeline li")
    expect(history).to_have_count(2)  # identified on creation, then engaged
    expect(history.filter(has_text=ru("Engaged"))).to_have_count(1)
    expect(history.filter(has_text=ru("Engaged"))).to_contain_text(ru_date(engaged_on))
    person.refresh_from_db()
    assert person.status == "engaged"
    assert StatusChange.objects.filter(
        person=person, status="engaged", changed_on=engaged_on, changed_by=coordinator
    ).exists()

    # 5. The Uzbek records stay out of reach: not in the unfiltered list (scope, not just the filter)...
    page.goto("/ru/stakeholders/")
    expect(page.locator("tbody")).to_contain_text(PERSON_NAME)
    assert UZ_PERSON_NAME not in page.content()

    # ... nor when asked for by country (UZ is no choice of the filter; nothing is listed)...
    page.goto("/ru/stakeholders/?country=UZ")
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    assert not page.locator("#id_country option[value=UZ]").count()
    expect(page.locator("tbody")).not_to_contain_text(UZ_PERSON_NAME)
    expect(page.locator(f"a[href='/ru/stakeholders/people/{uz_person.pk}/']")).to_have_count(0)
    assert UZ_PERSON_NAME not in page.content()

    # ... nor by URL: 404, as if the records did not exist.
    response = page.goto(f"/ru/stakeholders/people/{uz_person.pk}/")
    assert response.status == 404
    assert UZ_PERSON_NAME not in page.content()
    assert UZ_ORGANISATION_NAME not in page.content()

    response = page.goto(f"/ru/stakeholders/organisations/{uz_organisation.pk}/")
    assert response.status == 404
    assert UZ_ORGANISATION_NAME not in page.content()

    uz_person.refresh_from_db()
    assert uz_person.status == "identified" and not uz_person.interactions.exists()
