"""The public country page and the comparison, in Arabic (right to left) and Russian, in a real browser."""

import re

import pytest
from playwright.sync_api import expect

from ipvalue.accounts.models import Role
from ipvalue.accounts.services import user_create
from ipvalue.countries.models import Country
from ipvalue.countries.services import reference_data_load
from ipvalue.knowledge import services
from ipvalue.knowledge.models import Term, TermKind


@pytest.fixture
def published_facts(transactional_db):
    reference_data_load()
    services.taxonomy_load()
    secretariat = user_create(username="sofia", email="s@example.org", role=Role.SECRETARIAT, password="x" * 20)
    pledge = Term.objects.get(kind=TermKind.PROVISION, code="ip_pledge_allowed")
    register = Term.objects.get(kind=TermKind.PROVISION, code="security_interest_register")
    for iso2, provision, value, source in (
        ("KZ", pledge, "yes", "Гражданский кодекс Республики Казахстан, ст. 3"),
        ("SG", register, "ip_office", "Registered Designs Act"),
    ):
        fact = services.fact_propose(
            actor=secretariat, country=Country.objects.get(iso2=iso2), provision=provision, value=value,
            source_title=source,
        )  # fmt: skip
        services.record_review(actor=secretariat, record=fact, publish=True)
    services.fact_propose(
        actor=secretariat, country=Country.objects.get(iso2="KZ"), provision=register, value="none",
        source_title="Unreviewed draft",
    )  # fmt: skip
    return pledge, register


def test_country_page_in_arabic_and_comparison_in_russian(page, published_facts):
    pledge, register = published_facts
    page.goto("/ar/countries/kz/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    row = page.locator(f'tr[data-provision="{pledge.code}"]')
    expect(row).to_contain_text(pledge.names["ar"])
    expect(row).to_contain_text("Гражданский кодекс Республики Казахстан, ст. 3")
    assert "Unreviewed draft" not in page.content()
    heading = page.locator("#knowledge").inner_text()
    assert re.search(r"[\u0600-\u06ff]{3,}", heading), heading

    page.goto("/ru/knowledge/compare/")
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    page.locator("#countries").select_option(["KZ", "SG"])
    page.locator(f'input[name=provisions][value="{pledge.code}"]').check()
    page.locator(f'input[name=provisions][value="{register.code}"]').check()
    page.locator("form.stacked button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"countries=KZ.*countries=SG"))
    table = page.locator("table.comparison")
    expect(table.locator("thead th")).to_have_count(3)
    pledge_cells = table.locator(f'tr[data-provision="{pledge.code}"] td')
    expect(pledge_cells.nth(0)).to_contain_text("Да")
    expect(pledge_cells.nth(0)).to_contain_text("Гражданский кодекс")
    register_cells = table.locator(f'tr[data-provision="{register.code}"] td')
    expect(register_cells.nth(1)).to_contain_text("Registered Designs Act")
    expect(register_cells.nth(0)).not_to_contain_text("Unreviewed draft")
    with page.expect_download() as download:
        page.locator("a", has_text=re.compile("XLSX")).click()
    assert download.value.suggested_filename == "ipvalue-comparison.xlsx"


def test_practice_search_in_arabic_narrows_by_facet(page, published_facts):
    services.starter_practices_load()
    page.goto("/ar/knowledge/practices/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    everything = page.locator("ul.practices > li[data-practice]").count()
    assert everything >= 6
    loans = page.locator('fieldset[data-facet="instrument"] label', has=page.locator('input[value="ip_backed_loan"]'))
    count = int(re.search(r"\((\d+)\)", loans.inner_text()).group(1))
    assert 0 < count < everything
    loans.locator("input").check()
    page.locator("form.facet-search > button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"instrument=ip_backed_loan"))
    expect(page.locator("ul.practices > li[data-practice]")).to_have_count(count)
    expect(page.locator('input[value="ip_backed_loan"]')).to_be_checked()
    with page.expect_download() as download:
        page.locator("a", has_text=re.compile("CSV")).click()
    assert download.value.suggested_filename == "ipvalue-practices.csv"
