"""Valuation reports (ipvalue.toolkit.reports): the input model, the engine runs behind a report, the IVS 106 sections,
the compliance checklist, PDF and DOCX in four scripts with embedded fonts, and the ``ipvalue report`` command.

Expected texts are computed with ``translation.override(lang)`` and gettext, so the tests hold before and after the
catalogues translate them. Arabic text extracted from a PDF cannot be compared letter for letter: Noto Sans Arabic
draws dotted letters as a shared skeleton plus dots, and the PDF maps each glyph to one character, so extraction
confuses letters that share dots. Headings are therefore read from the PDF's outline (bookmarks, stored as text), and
the extracted text is checked for the value and for Arabic characters.
"""

from __future__ import annotations

import copy
import functools
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation
from django.utils.translation import gettext
from docx import Document
from pypdf import PdfReader

from ipvalue.toolkit import reports
from ipvalue.toolkit.reports import (
    ReportInputError,
    build_report,
    checklist,
    font_files,
    parse_report_input,
    render_docx,
    render_pdf,
)
from ipvalue.valuation import valuate

RFR = {
    "revenues": [1_000_000, 1_100_000, 1_200_000, 1_300_000, 1_400_000],
    "royalty_rate": 0.05,
    "tax_rate": 0.25,
    "discount_rate": 0.12,
    "tab": {"amortisation_years": 5},
}
REPORT: dict[str, Any] = {
    "method": "monte-carlo",
    "input": {
        "method": "relief-from-royalty",
        "inputs": RFR,
        "vary": {
            "royalty_rate": {"distribution": {"distribution": "triangular", "low": 0.03, "mode": 0.05, "high": 0.07}}
        },
        "scenarios": 5000,
        "seed": 11,
    },
    "currency": "USD",
    "asset": {
        "name": "Soil sensor patent family",
        "type": "patent",
        "identifier": "KZ 12345",
        "jurisdiction": "KZ",
        "description": "A patent family on a low-power soil moisture sensor.",
        "protection_until": "2038-05-01",
    },
    "owner": {"name": "AgroTech LLP", "country": "KZ"},
    "purpose": "financing",
    "intended_users": "The lending bank's credit committee",
    "basis_of_value": "market_value",
    "valuation_date": "2026-03-31",
    "report_date": "2026-04-15",
    "valuer": {"name": "A. Valuer", "qualification": "Member of a chamber of appraisers"},
    "sources": ["Business plan, March 2026", "Comparable licences"],
    "input_sources": {"royalty_rate": "Comparable licences, interquartile range"},
    "assumptions": ["The patents are maintained until expiry."],
    "method_rationale": "Royalty rates for comparable sensors are observable.",
    "limitations": "The revenue forecast was not audited.",
}
HEADINGS = ("Identification of the asset", "Basis of value", "Inputs", "Sensitivity", "Compliance checklist")
SCRIPTS = {"ru": "[\u0400-\u04ff]", "ar": "[\u0600-\u06ff]", "zh-hans": "[\u4e00-\u9fff]"}
WHITESPACE = re.compile(r"\s+")


def normal(text: str) -> str:
    """Whitespace collapsed (no-break spaces included) and invisible direction marks removed."""
    return WHITESPACE.sub(" ", reports.strip_bidi_marks(text).replace("\u00a0", " ").replace("\u202f", " ")).strip()


def report_input(**changes: Any) -> reports.ReportInput:
    data = copy.deepcopy(REPORT)
    data.update(changes)
    return parse_report_input({key: value for key, value in data.items() if value is not None})


@functools.cache
def built(language: str) -> reports.Report:
    return build_report(report_input(), language)


@functools.cache
def pdf(language: str) -> bytes:
    return render_pdf(built(language))


def outline_titles(reader: PdfReader) -> list[str]:
    titles: list[str] = []

    def walk(items: list[Any]) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                titles.append(normal(item.title))

    walk(reader.outline)
    return titles


# --- The report's content -------------------------------------------------------------------------------------------


def test_monte_carlo_report_concludes_on_the_mean_with_p10_to_p90_range() -> None:
    report = built("en")
    result = report.result
    assert report.method == "monte-carlo" and result.method == "monte-carlo"
    assert report.value == pytest.approx(result.breakdown["mean"])
    assert report.value_range == (result.breakdown["p10"], result.breakdown["p90"])
    assert report.value_text == f"{round(report.value):,}\u00a0USD"
    assert [section.key for section in report.sections] == [*reports.SECTION_ORDER, "checklist"]
    assert [section.number for section in report.sections] == [*range(1, 12), None]
    results = report.section("results")
    kinds = [block.kind for block in results.blocks]
    assert kinds.count("chart") == 2  # the histogram and the present value per year
    assert "P10" in results.blocks[kinds.index("chart")].svg
    schedule = next(b for b in results.blocks if isinstance(b, reports.Table) and len(b.rows) == 5)
    assert schedule.rows[0][0] == "1"


def test_default_tornado_moves_rates_twenty_percent_and_keeps_at_most_six() -> None:
    report = built("en")
    rows = {row["input"]: row for row in report.tornado}
    assert set(rows) == {"royalty_rate", "tax_rate", "discount_rate"}
    assert rows["royalty_rate"]["low"] == pytest.approx(0.04) and rows["royalty_rate"]["high"] == pytest.approx(0.06)
    assert [row["swing"] for row in report.tornado] == sorted((row["swing"] for row in report.tornado), reverse=True)
    # A range that would leave the input's valid range is clipped: tax 0.9 x 1.2 would be 1.08, but tax < 1.
    heavy = build_report(report_input(method="relief-from-royalty", input={**RFR, "tax_rate": 0.9}), "en")
    tax = next(row for row in heavy.tornado if row["input"] == "tax_rate")
    assert tax["low"] == pytest.approx(0.72) and 0.9 < tax["high"] < 1.0
    options = {"spot": 100.0, "strike": 90.0, "rate": 0.05, "volatility": 0.3, "maturity": 2.0, "option": "call"}
    option_rows = build_report(report_input(method="black-scholes", input=options), "en").tornado
    assert {row["input"] for row in option_rows} == {"spot", "strike", "rate", "volatility"}  # not years, not zero
    licence = {
        "revenues": [1000.0, 1200.0, 1400.0],
        "royalty_rate": 0.05,
        "upfront_fee": 100.0,
        "minimum_annual_royalty": 40.0,
        "discount_rate": 0.1,
        "tax_rate": 0.2,
        "licensee_operating_margin": 0.3,
        "licensee_profit_share_to_licensor": 0.25,
    }
    assert len(build_report(report_input(method="licence", input=licence), "en").tornado) == 6


def test_sensitivity_ranges_given_replace_the_default() -> None:
    ranges = {"discount_rate": {"low": 0.10, "high": 0.15}}
    report = build_report(report_input(method="relief-from-royalty", input=RFR, sensitivity=ranges), "en")
    assert [row["input"] for row in report.tornado] == ["discount_rate"]
    assert report.tornado[0]["value_at_low"] > report.value > report.tornado[0]["value_at_high"]


def test_reconciliation_is_the_weighted_mean_with_normalised_weights() -> None:
    cost = {"cost": 150_000.0, "developer_profit_rate": 0.1}
    data = report_input(
        method="relief-from-royalty",
        input=RFR,
        weight=3,
        reconciliation=[{"method": "cost", "input": cost, "weight": 1}],
    )
    report = build_report(data, "en")
    income, cost_value = valuate("relief-from-royalty", RFR).value, valuate("cost", cost).value
    assert [i.share for i in report.indications] == [0.75, 0.25]
    assert report.value == pytest.approx(0.75 * income + 0.25 * cost_value)
    assert report.value_range == (min(income, cost_value), max(income, cost_value))
    table = next(
        b for b in report.section("results").blocks if isinstance(b, reports.Table) and b.columns[0] == "Method"
    )
    assert [row[3] for row in table.rows] == ["75%", "25%", "100%"]
    assert report.checklist and by_code(report.checklist)["kz.reconciliation"].met


def test_numbers_and_dates_follow_the_language() -> None:
    ru = built("ru")
    assert ru.value_text == f"{round(ru.value):,}".replace(",", "\u00a0") + "\u00a0USD"
    assert any(normal(value) == "31 марта 2026 г." for _label, value in ru.summary)
    assert any(value == "March 31, 2026" for _label, value in built("en").summary)
    assert any(value == "2026年3月31日" for _label, value in built("zh-hans").summary)
    assert built("ar").direction == "rtl" and built("en").direction == "ltr"


# --- Checklist ------------------------------------------------------------------------------------------------------


def by_code(items: list[reports.ChecklistItem]) -> dict[str, reports.ChecklistItem]:
    return {item.code: item for item in items}


def test_iso_10668_applies_to_trademarks_only() -> None:
    result = valuate("relief-from-royalty", RFR)
    patent = [i for i in checklist(report_input(), result) if i.standard == "iso-10668"]
    assert patent and all(i.status == "not_applicable" and "trademark" in i.note for i in patent)
    trademark_input = report_input(asset={**REPORT["asset"], "type": "trademark"})
    trademark = [i for i in checklist(trademark_input, result) if i.standard == "iso-10668"]
    assert trademark and all(i.applicable for i in trademark)
    assert by_code(trademark)["iso10668.legal"].met  # identifier, jurisdiction and end of protection are given


def test_missing_asset_purpose_and_basis_are_listed_with_what_to_add() -> None:
    bare = parse_report_input({"method": "relief-from-royalty", "input": RFR})
    items = by_code(checklist(bare, valuate("relief-from-royalty", RFR)))
    for code, field in (
        ("ivs106.asset", "asset.name"),
        ("ivs106.purpose", "purpose"),
        ("ivs106.basis", "basis_of_value"),
        ("ivs106.valuation_date", "valuation_date"),
    ):
        assert items[code].status == "missing", code
        assert any(field in action for action in items[code].missing), items[code].missing
    assert items["ivs106.inputs"].status == "met" and items["ivs106.uncertainty"].status == "met"
    assert items["iso10668.brand"].status == "not_applicable"  # no asset type: ISO 10668 cannot be said to apply
    assert items["fso11.pledge_right"].status == "not_applicable"  # no purpose, so not a pledge
    full = by_code(built("en").checklist)
    assert all(full[code].status == "met" for code in full if code.startswith("ivs106."))


def test_pledge_items_apply_when_the_purpose_is_financing() -> None:
    result = valuate("relief-from-royalty", RFR)
    financing = by_code(checklist(report_input(), result))
    licensing = by_code(checklist(report_input(purpose="licensing"), result))
    pledge = [code for code in financing if code.startswith("fso11.pledge")]
    assert len(pledge) == 4
    assert all(financing[code].applicable for code in pledge)
    assert all(licensing[code].status == "not_applicable" for code in pledge)


def test_checklist_data_and_translatable_texts_agree() -> None:
    data = reports.standards_data()
    assert [s["code"] for s in data["standards"]] == ["ivs-106", "iso-10668", "fso-xi", "kz-ip"]
    facts = reports._facts(report_input(), valuate("relief-from-royalty", RFR))
    assert set(facts) == set(data["facts"]) == set(reports.FACT_ACTIONS)
    for standard in data["standards"]:
        for requirement in standard["requirements"]:
            assert str(reports.REQUIREMENT_TEXTS[requirement["code"]]) == requirement["text"]
            for spec in requirement["facts"]:
                assert all(name in facts for name in (spec if isinstance(spec, list) else [spec]))


# --- Input validation -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "loc"),
    [
        ({"method": "relief-from-royalty", "input": {**RFR, "tax_rate": 1.5}}, ["input", "tax_rate"]),
        ({"method": "relief-from-royalty", "input": {**RFR, "royalty": 0.05}}, ["input", "royalty"]),
        ({"input": {**REPORT["input"], "inputs": {**RFR, "tax_rate": 1.5}}}, ["input", "inputs", "tax_rate"]),
        ({"method": "no-such-method"}, ["method"]),
        ({"method": "scorecard"}, ["method"]),
        ({"purpose": "fun"}, ["purpose"]),
        ({"asset": {"name": "X", "type": "plant_variety"}}, ["asset", "type"]),
        ({"sensitivity": {"royalty": {"relative": 0.1}}}, ["sensitivity", "royalty"]),
        ({"currency": "usd"}, ["currency"]),
        (
            {"reconciliation": [{"method": "cost", "input": {"cost": -1}, "weight": 1}]},
            ["reconciliation", 0, "input", "cost"],
        ),
        ({"surprise": True}, ["surprise"]),
    ],
)
def test_bad_input_names_the_field(changes: dict[str, Any], loc: list[Any]) -> None:
    data = {**copy.deepcopy(REPORT), **changes}
    with pytest.raises(ReportInputError) as raised:
        parse_report_input(data)
    assert loc in [item["loc"] for item in raised.value.detail], raised.value.detail


# --- PDF ------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "ru", "ar", "zh-hans"])
def test_pdf_shows_the_value_and_the_headings_in_the_language(language: str) -> None:
    report = built(language)
    reader = PdfReader(io.BytesIO(pdf(language)))
    text = normal("\n".join(page.extract_text() for page in reader.pages))
    with translation.override(language):
        headings = [normal(gettext(heading)) for heading in HEADINGS]
        labels = [normal(gettext(label)) for label in ("Page", "Type", "Concluded value")]
    assert normal(reports.Formatter(language).amount(report.value)) in text
    outline = outline_titles(reader)
    for heading in headings:
        assert any(heading in title for title in outline), (heading, outline)
        if language != "ar":  # see the module's docstring
            assert heading in text
    if language in SCRIPTS:
        assert re.search(SCRIPTS[language], text), f"no {language} characters in the extracted text"
    if language != "ar":
        assert all(label in text for label in labels), labels
    assert reader.metadata.title == report.title
    assert reader.trailer["/Root"]["/Lang"] == report.html_lang
    assert len(reader.pages) >= 5


def embedded_fonts(data: bytes) -> dict[str, bool]:
    """BaseFont name -> whether the font program is embedded, over every page."""
    fonts = {}
    for page in PdfReader(io.BytesIO(data)).pages:
        for font in page["/Resources"].get("/Font", {}).values():
            font = font.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
            fonts[str(font["/BaseFont"])] = any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
    return fonts


@pytest.mark.parametrize(
    ("language", "family"),
    [("ru", "Noto-Sans-ipvalue"), ("ar", "Noto-Sans-Arabic-ipvalue"), ("zh-hans", "Noto-Sans-CJK-ipvalue")],
)
def test_pdf_embeds_the_bundled_noto_fonts(language: str, family: str) -> None:
    fonts = embedded_fonts(pdf(language))
    assert any(name.split("+", 1)[-1] == family for name in fonts), fonts
    assert all(name.split("+", 1)[-1].startswith("Noto-Sans") for name in fonts), fonts  # no system font
    assert all(fonts.values())


BARE_MACHINE_SCRIPT = """
import io, json, re, sys, warnings
import django
django.setup()
from pypdf import PdfReader
from ipvalue.toolkit.reports import build_report, parse_report_input, render_pdf
warnings.simplefilter("ignore")  # WeasyPrint warns that fontconfig knows no font: that is the point
report_input = parse_report_input(json.loads(sys.argv[1]))
out = {}
for language in ("ru", "ar", "zh-hans"):
    reader = PdfReader(io.BytesIO(render_pdf(build_report(report_input, language))))
    fonts = {
        str(font.get_object()["/BaseFont"]).split("+")[-1]
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    out[language] = {"fonts": sorted(fonts), "text": "".join(page.extract_text() for page in reader.pages)}
print(json.dumps(out))
"""


def test_pdf_renders_every_script_without_system_fonts(tmp_path: Path) -> None:
    """fontconfig pointed at a configuration without any font directory: a bare machine."""
    config = tmp_path / "fonts.conf"
    config.write_text(f"<?xml version='1.0'?><fontconfig><cachedir>{tmp_path}/cache</cachedir></fontconfig>")
    environment = {
        **os.environ,
        "FONTCONFIG_FILE": str(config),
        "DJANGO_SETTINGS_MODULE": "ipvalue.config.test_settings",
        "LOG_LEVEL": "WARNING",
    }
    data = {**REPORT, "method": "relief-from-royalty", "input": RFR}
    completed = subprocess.run(
        [sys.executable, "-c", BARE_MACHINE_SCRIPT, json.dumps(data)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=environment,
        timeout=180,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    rendered = json.loads(completed.stdout.strip().splitlines()[-1])
    for language, script in SCRIPTS.items():
        assert re.search(script, rendered[language]["text"]), language
        assert all(font.startswith("Noto-Sans") for font in rendered[language]["fonts"]), rendered[language]["fonts"]


def test_font_files_come_from_the_font_packages() -> None:
    files = font_files()
    assert set(files) == {"sans", "arabic", "cjk"}
    assert all(path.is_file() and path.suffix.lower() in (".ttf", ".otf") for path in files.values())
    assert "site-packages" in str(files["cjk"]) or "dist-packages" in str(files["cjk"])


def test_arabic_charts_are_drawn_as_shaped_images_in_the_pdf() -> None:
    chart = reports.Chart(
        svg='<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40"><text x="5" y="20">القيمة</text></svg>',
        title="t",
    )
    printable = reports._printable(chart)
    assert isinstance(printable, reports.Chart) and printable.png_uri.startswith("data:image/png;base64,")
    assert printable.width_px == 200
    latin = reports.Chart(svg=chart.svg.replace("القيمة", "Value"), title="t")
    assert reports._printable(latin) is latin


# --- DOCX -----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "ar"])
def test_docx_has_the_headings_the_value_and_pictures(language: str) -> None:
    report = built(language)
    document = Document(io.BytesIO(render_docx(report)))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings == [section.heading for section in report.sections]
    with translation.override(language):
        assert f"{report.section('basis').number}. {gettext('Basis of value')}" in headings
    body = "\n".join(p.text for p in document.paragraphs)
    assert report.value_text in body
    assert len(document.inline_shapes) == 3  # histogram, present value per year, tornado
    assert document.core_properties.title == report.title
    assert document.core_properties.language == report.html_lang
    bidi = document.element.body.findall(".//{http://schemas.openxmlformats.org/wordprocessingml/2006/main}bidi")
    assert bool(bidi) == (language == "ar")


# --- The `report` command -------------------------------------------------------------------------------------------


def write_input(tmp_path: Path, data: dict[str, Any]) -> Path:
    path = tmp_path / "report.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_report_command_writes_a_pdf(tmp_path: Path) -> None:
    source = write_input(tmp_path, REPORT)
    output, target = io.StringIO(), tmp_path / "out.pdf"
    call_command("report", str(source), "--lang", "ru", "--output", str(target), stdout=output)
    assert target.read_bytes().startswith(b"%PDF-")
    lines = output.getvalue().splitlines()
    assert lines[0] == str(target) and lines[1] == built("ru").value_text


def test_report_command_writes_docx_by_extension(tmp_path: Path) -> None:
    source = write_input(tmp_path, {**REPORT, "method": "relief-from-royalty", "input": RFR})
    call_command("report", str(source), "--output", str(tmp_path / "out.docx"), stdout=io.StringIO())
    assert Document(str(tmp_path / "out.docx")).paragraphs


@pytest.mark.parametrize(
    ("data", "arguments", "loc"),
    [
        ({**REPORT, "method": "relief-from-royalty", "input": {**RFR, "tax_rate": 1.5}}, [], ["input", "tax_rate"]),
        ({**REPORT, "method": "appraise"}, [], ["method"]),
        (REPORT, ["--lang", "xx"], ["lang"]),
        (REPORT, ["--format", "odt"], ["format"]),
    ],
)
def test_report_command_refuses_bad_input_with_status_2(
    tmp_path: Path, data: dict[str, Any], arguments: list[str], loc: list[str]
) -> None:
    source, output = write_input(tmp_path, data), io.StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("report", str(source), *arguments, stdout=output)
    assert raised.value.returncode == 2
    error = json.loads(output.getvalue())
    assert loc in [item["loc"] for item in error["detail"]]
    assert not list(tmp_path.glob("*.pdf"))


def test_ipvalue_report_exits_2_naming_the_field(tmp_path: Path) -> None:
    source = write_input(tmp_path, {"method": "relief-from-royalty", "input": {**RFR, "tax_rate": 1.5}})
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "ipvalue.config.test_settings"}
    completed = subprocess.run(
        [sys.executable, "-m", "ipvalue", "report", str(source)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=environment,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 2, completed.stderr
    assert json.loads(completed.stdout)["detail"][0]["loc"] == ["input", "tax_rate"]
    assert "tax_rate" in completed.stderr
