import re

import pytest
from playwright.sync_api import expect

from ipvalue.accounts.models import Role
from ipvalue.countries.models import Country, SelectionCriterion
from ipvalue.countries.services import reference_data_load
from tests.conftest import PASSWORD


@pytest.fixture
def coordinator(transactional_db, make_user):
    reference_data_load()
    return make_user("aigerim", Role.COORDINATOR, countries=("KZ",))


def test_coordinator_signs_in_edits_own_country_and_is_refused_another(page, coordinator):
    page.goto("/ru/countries/kz/selection/")
    expect(page).to_have_url(re.compile(r"/ru/accounts/login/"))
    page.locator("#id_username").fill("aigerim")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form.stacked button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/ru/countries/kz/selection/$"))

    # A validation error keeps what was typed and saves nothing.
    page.locator("#id_data_willingness-assessment").select_option("met")
    page.locator("#id_data_willingness-source").fill("Письмо Казпатента")
    page.locator("form.stacked button[type=submit]").click()
    expect(page.locator(".error-summary")).to_be_visible()
    expect(page.locator("#id_data_willingness-source")).to_have_value("Письмо Казпатента")
    assert SelectionCriterion.objects.get(country__iso2="KZ", criterion="data_willingness").source == ""

    page.locator("#id_data_willingness-evidence").fill("Казпатент подтвердил готовность предоставить данные.")
    page.locator("#id_data_willingness-assessed_on").fill("2026-05-02")
    page.locator("form.stacked button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/ru/countries/kz/$"))
    expect(page.locator(".message-success")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Казпатент подтвердил готовность")
    assert SelectionCriterion.objects.get(country__iso2="KZ", criterion="data_willingness").assessment == "met"

    page.get_by_role("link", name=re.compile("История изменений")).click()
    expect(page.locator("tbody")).to_contain_text("aigerim")

    uzbekistan = Country.objects.get(iso2="UZ")
    response = page.goto("/ru/countries/uz/selection/")
    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).not_to_have_text("Access denied")
    assert not page.locator("form.stacked").count()
    assert uzbekistan.selection_criteria.filter(evidence__contains="Казпатент").count() == 0
