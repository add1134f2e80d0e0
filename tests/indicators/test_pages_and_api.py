"""Charts on the country page (only for indicators with data), the line chart itself, and the open-data API."""

import csv
import io
import re

import pytest
from django.utils import translation

from ipvalue.toolkit.charts import line_svg

from .conftest import WB_API, WB_BULK, WIPO_OFFICE, load

pytestmark = pytest.mark.django_db

RECEIPTS = "Charges for the use of intellectual property, receipts (BoP, current US$)"


def test_the_country_page_charts_only_the_indicators_with_data(client, reference_data):
    load(WB_API, "worldbank")
    page = client.get("/en/countries/kz/").content.decode()
    assert "Open statistics" in page
    svgs = re.findall(r"<svg .*?</svg>", page, flags=re.S)
    assert len(svgs) == 1
    assert RECEIPTS.replace("&", "&amp;") in svgs[0] or RECEIPTS in svgs[0]
    assert "GDP (current US$)" not in page  # no GDP data imported
    # data table and source line
    assert "<details>" in page and '<td class="number">41,200,000</td>' in page
    assert "BX.GSR.ROYL.CD" in page and "World Bank, World Development Indicators" in page
    # a country whose row in the file is empty has no section at all
    uz = client.get("/en/countries/uz/").content.decode()
    assert "Open statistics" not in uz and "<svg" not in uz


def test_two_publishers_give_two_lines_in_one_chart(client, reference_data):
    load(WB_BULK, "worldbank")
    load(WIPO_OFFICE, "wipo")
    page = client.get("/en/countries/kz/").content.decode()
    section = page.split('data-indicator="patents_resident"')[1].split("</section>")[0]
    assert section.count("<polyline") == 2 and "WIPO</text>" in section
    assert "World Bank, World Development Indicators" in section and "WIPO IP Statistics Data Center" in section
    assert "Patent · 1 - Total patent applications" in section
    charts = re.findall(r'data-indicator="([a-z_]+)"', page)
    assert charts == ["patents_resident", "patents_nonresident", "patents_total", "rd_expenditure", "gdp"]


def test_the_chart_speaks_the_page_language(client, reference_data):
    load(WB_API, "worldbank")
    page = client.get("/ru/countries/kz/").content.decode()
    assert "Плата за использование интеллектуальной собственности, поступления" in page
    svg = re.search(r"<svg .*?</svg>", page, flags=re.S).group(0)
    assert re.search(r">\d+\xa0млн</text>", svg), "the axis speaks Russian (CLDR short numbers)"
    assert "M</text>" not in svg
    arabic = client.get("/ar/countries/kz/").content.decode()
    assert "رسوم استخدام الملكية الفكرية، المقبوضات" in arabic


def test_line_chart_is_accessible_breaks_at_gaps_and_mirrors_for_rtl():
    points = [(2018, 1.0), (2019, 2.0), (2021, 4.0), (2022, 5.0)]
    with translation.override("en"):
        svg = line_svg([("Receipts", points)], title="IP receipts")
    assert 'role="img"' in svg and "<title id=" in svg and "IP receipts" in svg
    assert "Receipts: 4 values from 2018 to 2022; lowest 1 (2018), highest 5 (2022), latest 5 (2022)." in svg
    assert svg.count("<polyline") == 2  # 2020 is missing: the line breaks
    assert "style=" not in svg and "<script" not in svg

    def x_of(markup: str, year: int) -> float:
        return float(re.search(rf'<circle cx="([\d.]+)"[^>]*><title>Receipts, {year}:', markup).group(1))

    rtl = line_svg([("Receipts", points)], title="IP receipts", rtl=True)
    assert x_of(svg, 2018) < x_of(svg, 2022)
    assert x_of(rtl, 2018) > x_of(rtl, 2022)
    with translation.override("en"):
        assert "No data" in line_svg([("Receipts", [(2020, None)])])


def test_api_gives_each_series_with_its_source(client, reference_data):
    load(WB_BULK, "worldbank")
    load(WIPO_OFFICE, "wipo")
    series = client.get("/api/v1/countries/kz/indicators").json()
    resident = [item for item in series if item["indicator"] == "patents_resident"]
    assert [item["source"] for item in resident] == ["worldbank", "wipo"]
    assert resident[0]["publisher_code"] == "IP.PAT.RESD" and resident[0]["file"] == WB_BULK.name
    assert {"year": 2020, "value": 1034.0} in resident[1]["values"]
    assert resident[0]["names"]["ru"] == "Патентные заявки, резиденты"
    assert client.get("/api/v1/countries/KAZ/indicators").json() == series
    assert client.get("/api/v1/countries/xx/indicators").status_code == 404
    assert client.get("/api/v1/countries/uz/indicators").status_code == 200


def test_csv_of_all_observations(client, reference_data):
    load(WB_API, "worldbank")
    response = client.get("/api/v1/indicators/observations.csv")
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert len(rows) == 16
    kz = next(row for row in rows if row["country"] == "KZ" and row["year"] == "2022")
    assert (kz["indicator"], kz["publisher_code"], float(kz["value"]), kz["publisher_updated"]) == (
        "ip_receipts", "BX.GSR.ROYL.CD", 41200000.0, "2024-06-28",
    )  # fmt: skip


def test_a_long_bold_title_is_shortened_with_an_ellipsis_rather_than_clipped():
    title = "Плата за использование интеллектуальной собственности, поступления"
    svg = line_svg([("A", [(2020, 1.0), (2021, 2.0)])], title=title)
    visible = re.search(r'font-weight="bold"[^>]*><title>(.*?)</title>(.*?)</text>', svg)
    assert visible.group(1) == title and visible.group(2).endswith("…") and len(visible.group(2)) < len(title)
