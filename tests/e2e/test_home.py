import re

import pytest
from playwright.sync_api import expect

from ipvalue.countries.models import Country
from ipvalue.countries.services import reference_data_load


@pytest.fixture
def loaded(transactional_db):
    reference_data_load()


def test_home_page_switches_to_russian_and_arabic(page, loaded):
    page.goto("/en/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Put a value on intellectual property")

    page.get_by_role("navigation", name="Language").get_by_role("link", name="Русский").click()
    expect(page).to_have_url(re.compile(r"/ru/$"))
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page.locator("html")).to_have_attribute("dir", "ltr")
    heading = page.get_by_role("heading", level=1).inner_text()
    assert re.search(r"[А-Яа-яЁё]{4,}", heading), heading
    assert Country.objects.get(iso2="KZ").names["ru"] in page.content()

    page.locator('a[hreflang="ar"]').click()
    expect(page).to_have_url(re.compile(r"/ar/$"))
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    heading = page.get_by_role("heading", level=1).inner_text()
    assert re.search(r"[\u0600-\u06ff]{3,}", heading), heading
    # Right to left: the brand sits on the right of the header.
    brand = page.locator(".brand").bounding_box()
    viewport = page.viewport_size
    assert brand["x"] > viewport["width"] / 2


def test_keyboard_user_reaches_the_skip_link_first(page, loaded):
    page.goto("/en/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className")
    assert focused == "skip-link"
    expect(page.locator(".skip-link")).to_be_in_viewport()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_country_list_filters_and_opens_a_country(page, loaded):
    page.goto("/fr/countries/")
    page.locator("#id_group").select_option("CACEEC")
    page.locator("form.filters button[type=submit]").click()
    expect(page.locator("tbody tr")).to_have_count(10)
    page.locator("tbody a[href='/fr/countries/kz/']").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(Country.objects.get(iso2="KZ").names["fr"])
