"""Parsing the World Bank and WIPO layouts, and refusing malformed files with the line and the reason."""

import datetime as dt

import pytest

from ipvalue.indicators import parsing
from ipvalue.indicators.parsing import IndicatorFileError

from .conftest import WB_API, WB_BULK, WIPO_OFFICE, WIPO_ORIGIN

MEMBERS3 = {"ARM", "KAZ", "SGP", "UZB"}
MEMBERS2 = {"AM", "KZ", "SG", "UZ"}


def test_world_bank_api_file_with_bom_preamble_and_trailing_commas():
    raw = WB_API.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and raw.splitlines()[4].endswith(b'"2023",')
    parsed = parsing.parse("worldbank", raw, members=MEMBERS3)
    assert parsed.last_updated == dt.date(2024, 6, 28)
    assert parsed.metadata["Data Source"] == "World Development Indicators"
    kz = {row.year: row.value for row in parsed.rows if row.country == "KAZ"}
    assert kz == {
        2015: 20500000.0, 2016: 21600000.0, 2017: 24400000.0, 2018: 31900000.0,
        2019: 29800000.0, 2020: 27300000.0, 2021: 36100000.0, 2022: 41200000.0,
    }  # fmt: skip
    assert {row.indicator for row in parsed.rows} == {"ip_receipts"}
    # Armenia's empty 2020 cell is no value; Uzbekistan's row is all empty
    assert sorted(row.year for row in parsed.rows if row.country == "ARM") == [2018, 2019, 2021, 2022]
    assert not [row for row in parsed.rows if row.country == "UZB"]
    assert (parsed.skipped_aggregates, parsed.aggregate_codes) == (2, {"EAS", "WLD"})
    assert (parsed.skipped_non_members, parsed.non_member_codes) == (1, {"ABW"})
    assert next(row for row in parsed.rows if row.country == "ARM").line == 7


def test_world_bank_bulk_file_keeps_the_chosen_indicators_and_counts_the_others():
    parsed = parsing.parse("worldbank", WB_BULK.read_bytes(), members=MEMBERS3)
    assert parsed.last_updated is None
    assert {row.indicator for row in parsed.rows} == {
        "gdp",
        "patents_nonresident",
        "patents_resident",
        "rd_expenditure",
    }
    assert parsed.skipped_indicators == 6  # SP.POP.TOTL, one row per country
    assert parsed.aggregate_codes == {"ARB", "WLD"}
    rd = [row for row in parsed.rows if row.indicator == "rd_expenditure" and row.country == "SGP"]
    assert [(row.year, row.value) for row in rd] == [(2020, 2.16)]


def test_wipo_office_report_maps_resident_non_resident_and_total():
    parsed = parsing.parse("wipo", WIPO_OFFICE.read_bytes(), members=MEMBERS2)
    kz = {(row.indicator, row.year): row.value for row in parsed.rows if row.country == "KZ"}
    assert kz[("patents_resident", 2020)] == 1034
    assert kz[("patents_nonresident", 2021)] == 677
    assert kz[("patents_total", 2018)] == 1884
    assert ("patents_resident", 2022) not in kz  # empty last cell
    assert parsed.metadata["Report type"] == "Resident and non-resident count by filing office"
    assert (parsed.aggregate_codes, parsed.non_member_codes) == ({"EA"}, {"HK"})


def test_wipo_origin_report():
    parsed = parsing.parse("wipo", WIPO_ORIGIN.read_bytes(), members=MEMBERS2)
    assert {row.indicator for row in parsed.rows} == {"patents_origin_total"}
    assert {row.year: row.value for row in parsed.rows if row.country == "SG"}[2022] == 4700
    assert parsed.aggregate_codes == {"EP"}


def test_wipo_origin_report_with_resident_and_abroad_rows():
    text = (
        "Intellectual property right :Patent\n\nIndicator :1 - Total patent applications\n\n"
        "Report type :Resident and abroad count by applicant's origin\n\n"
        "Origin,Origin (Code),Type,2021,2022\nKazakhstan,KZ,Resident,987,\nKazakhstan,KZ,Abroad,63,70\n"
    )
    parsed = parsing.parse_wipo(text)
    assert {(row.indicator, row.year, row.value) for row in parsed.rows} == {
        ("patents_resident", 2021, 987.0), ("patents_abroad", 2021, 63.0), ("patents_abroad", 2022, 70.0),
    }  # fmt: skip


def _replace_line(text: str, number: int, new: str | None) -> str:
    lines = text.split("\n")
    if new is None:
        del lines[number - 1]
    else:
        lines[number - 1] = new
    return "\n".join(lines)


def _refused(source: str, content: bytes) -> IndicatorFileError:
    with pytest.raises(IndicatorFileError) as refused:
        parsing.parse(source, content)
    return refused.value


WB_CASES = {
    "wrong header": (
        lambda t: t.replace('"Country Code","Indicator Name"', '"Code","Indicator Name"'),
        5,
        "must begin with",
    ),
    "missing header": (lambda t: _replace_line(t, 5, None), 5, "Expected the header row"),
    "non-numeric value": (lambda t: t.replace('"20500000"', '"20.5m"'), 9, "“20.5m” for 2015 is not a number"),
    "year column not a year": (lambda t: t.replace('"1995"', '"199S"'), 5, "“199S” of column 40 is not a year"),
    "different number of fields": (
        lambda t: t.replace('"World","WLD"', '"World","WLD","x"'),
        12,
        "has 70 fields; the header row has 69",
    ),
    "duplicate": (
        lambda t: t + t.split("\n")[8] + "\n",
        13,
        "KAZ for BX.GSR.ROYL.CD (1960 to 2023) are already on line 9",
    ),
    "none of the indicators": (lambda t: t.replace("BX.GSR.ROYL.CD", "SP.POP.TOTL"), 5, "none of the indicators"),
    "bad date": (lambda t: t.replace("2024-06-28", "28/06/2024"), 3, "“28/06/2024” is not a date"),
}


@pytest.mark.parametrize("case", WB_CASES)
def test_malformed_world_bank_files_name_the_line_and_the_reason(wb_text, case):
    change, line, reason = WB_CASES[case]
    error = _refused("worldbank", change(wb_text).encode("utf-8-sig"))
    assert error.line == line
    assert reason in error.reason
    assert str(error).startswith(f"Line {line}: ")


WIPO_CASES = {
    "wrong header": (lambda t: t.replace("Office (Code)", "Code"), 7, "must begin with"),
    "missing header": (lambda t: _replace_line(t, 7, None), 7, "must begin with"),
    "non-numeric value": (
        lambda t: t.replace("Kazakhstan,KZ,Total,1884", 'Kazakhstan,KZ,Total,"1 884"'),
        15,
        "“1 884” for 2018 is not a number",
    ),
    "year column not a year": (lambda t: t.replace(",2020,", ",2O20,"), 7, "“2O20” of column 6 is not a year"),
    "different number of fields": (
        lambda t: t.replace("Uzbekistan,UZ,Resident,310,320,330,297,", "Uzbekistan,UZ,Resident,310,320,330,297"),
        18,
        "has 7 fields; the header row has 8",
    ),
    "duplicate": (
        lambda t: t + "Kazakhstan,KZ,Resident,1,2,3,4,5\n",
        20,
        "KZ for Resident (2018 to 2022) are already on line 13",
    ),
    "not a chosen indicator": (lambda t: t.replace("right :Patent", "right :Trademark"), 3, "none of the indicators"),
    "preamble missing": (
        lambda t: t.split("\n\n", 3)[3].replace("Report type", "Report"),
        1,
        "“Intellectual property right :...” is missing",
    ),
}


@pytest.mark.parametrize("case", WIPO_CASES)
def test_malformed_wipo_files_name_the_line_and_the_reason(wipo_text, case):
    change, line, reason = WIPO_CASES[case]
    error = _refused("wipo", change(wipo_text).encode())
    assert (error.line, reason in error.reason) == (line, True), str(error)


def test_empty_non_utf8_and_unknown_source_are_refused(wb_text):
    assert _refused("worldbank", b"").line == 1
    assert "empty" in _refused("wipo", b"\xef\xbb\xbf\n\n").reason
    latin1 = wb_text.replace('"Aruba"', '"Côte d\'Ivoire"').encode("latin-1")
    error = _refused("worldbank", latin1)
    assert (error.line, "not in UTF-8" in error.reason) == (6, True)
    error = _refused("imf", WB_API.read_bytes())
    assert "Unknown source “imf”" in str(error) and "worldbank, wipo" in str(error)


def test_broken_quoting_is_refused_with_its_line(wb_text):
    error = _refused("worldbank", wb_text.replace('"Singapore","SGP"', '"Singapore"x,"SGP"').encode())
    assert error.line == 10 and "not valid CSV" in error.reason


def test_windows_line_endings_read_the_same(wb_text):
    plain = parsing.parse_worldbank(wb_text, members=MEMBERS3)
    crlf = parsing.parse_worldbank(wb_text.replace("\n", "\r\n"), members=MEMBERS3)
    assert crlf.rows == plain.rows and crlf.last_updated == plain.last_updated
