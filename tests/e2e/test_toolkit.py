import io
import re

from playwright.sync_api import expect
from pypdf import PdfReader


def fill_relief_from_royalty(page):
    page.locator("#id_revenues").fill("1000000 1100000 1200000 1300000 1400000")
    page.locator("#id_royalty_rate").fill("5%")
    page.locator("#id_royalty_rate ~ details.uncertain summary").click()
    page.locator("#id_royalty_rate__low").fill("3%")
    page.locator("#id_royalty_rate__high").fill("7%")
    page.locator("#id_tax_rate").fill("25%")
    page.locator("#id_discount_rate").fill("12%")


def test_sme_owner_values_a_patent_with_an_uncertain_royalty_rate(page, transactional_db):
    page.goto("/en/toolkit/")
    page.get_by_label("Small firm or start-up").check()
    page.get_by_label("Patent").check()
    page.get_by_label("Revenue forecasts for the product or service that uses the asset").check()
    page.get_by_label("Royalty rates of comparable licences").check()
    page.get_by_role("button", name="Suggest methods").click()
    page.locator("ol.suggestions li").first.get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"/en/toolkit/value/relief-from-royalty/$"))
    fill_relief_from_royalty(page)
    page.locator("form.valuation-form button[type=submit]").first.click()
    expect(page).to_have_url(re.compile(r"/en/toolkit/result/$"))
    value = page.get_by_test_id("value").inner_text()
    assert 150_000 < float(value.replace(",", "")) < 170_000  # the mean of the simulation, near 159,167.92
    expect(page.get_by_test_id("range")).to_contain_text("P10")
    expect(page.locator("figure.chart svg")).to_have_count(3)
    page.locator("#id_asset_name").fill("Patent KZ 12345")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the report").click()
    pdf = PdfReader(io.BytesIO(download.value.path().read_bytes()))
    text = "\n".join(page_.extract_text() for page_ in pdf.pages)
    assert f"{round(float(value.replace(',', ''))):,}" in text  # the same concluded value as on the page, rounded
    assert "Patent KZ 12345" in text


def test_bank_officer_runs_a_loan_assessment(page, transactional_db):
    page.goto("/en/toolkit/value/loan-assessment/")
    page.locator("#id_collateral__appraised_value").fill("50 000 000")
    page.locator("#id_disposal_discount").fill("0")
    page.locator("#id_time_to_sell_years").fill("0")
    page.locator("#id_discount_rate").fill("10%")
    page.locator("#id_requested_loan").fill("12000000")
    page.locator("#id_probability_of_default").fill("4%")
    page.locator("#id_preset").select_option("malaysia-ipfs")
    page.locator("form.valuation-form button[type=submit]").first.click()
    expect(page.get_by_test_id("value")).to_have_text("10,000,000")  # the RM10m ceiling of the scheme
    expect(page.locator(".warnings")).to_be_visible()  # the requested loan exceeds the maximum


def test_a_form_error_keeps_what_was_typed_in_russian(page, transactional_db):
    page.goto("/ru/toolkit/value/relief-from-royalty/")
    fill_relief_from_royalty(page)
    page.locator("#id_tax_rate").fill("сто")
    page.locator("form.valuation-form button[type=submit]").first.click()
    expect(page.locator(".error-summary")).to_be_visible()
    expect(page.locator("#id_tax_rate")).to_have_value("сто")
    expect(page.locator("#id_royalty_rate__low")).to_have_value("3%")
    expect(page.locator("#id_revenues")).to_have_value("1000000 1100000 1200000 1300000 1400000")
    # Leaving the page and coming back keeps the draft too (kept in the browser until the form is sent).
    page.goto("/ru/")
    page.goto("/ru/toolkit/value/relief-from-royalty/")
    expect(page.locator("#id_discount_rate")).to_have_value("12%")
