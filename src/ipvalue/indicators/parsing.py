"""Reading open-statistics files as their publishers write them; plain Python, no Django.

Two layouts:

* World Bank indicator CSV, as downloaded from data.worldbank.org (``API_<code>_DS2_en_csv_v2_*.csv``: UTF-8 with a
  byte order mark, a preamble of ``"Data Source"`` and ``"Last Updated Date"`` lines, then the table, every line ending
  with a comma) and the bulk World Development Indicators file (``WDICSV.csv``: the same table without a preamble).
  Columns ``Country Name,Country Code,Indicator Name,Indicator Code,1960,...``; codes are ISO 3166 alpha-3 or the
  bank's aggregates (WLD, EAS, HIC, ...); an empty cell has no value. Source: World Bank, "Data Catalog: World
  Development Indicators", https://datacatalog.worldbank.org/ and the files of https://data.worldbank.org/indicator.
* WIPO IP Statistics Data Center CSV export (https://www3.wipo.int/ipstats/): ``Key :Value`` lines (IP right,
  indicator, report type) separated by blank lines, then ``Office,Office (Code),Origin,2018,...`` (reports by filing
  office) or ``Origin,Origin (Code),...`` (reports by applicant's origin); codes are ISO 3166 alpha-2 or regional
  offices (EP, EA, WO, AP, OA, ...).

Each parser validates the whole file and returns the rows to load, or raises :class:`IndicatorFileError` with the
line (numbered from 1, as an editor shows it) and the reason. Reasons are marked for translation with ``_`` and
translated when shown, so that this module needs no Django settings.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import math
import re
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pycountry

DATA_FILE = Path(__file__).resolve().parent / "data" / "indicators.json"
WORLDBANK = "worldbank"
WIPO = "wipo"
SOURCES = (WORLDBANK, WIPO)
WORLDBANK_LABELS = ("Country Name", "Country Code", "Indicator Name", "Indicator Code")
FIRST_YEAR, LAST_YEAR = 1800, 2100
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_YEAR = re.compile(r"\d{4}")
_WIPO_KEY_VALUE = re.compile(r"^\s*([^:,]+?)\s*:\s*(.*?)\s*$")


def _(message: str) -> str:
    """Marks a message for translation (``makemessages`` collects ``_("...")``); translated when shown."""
    return message


def _translate(message: str) -> str:
    try:
        from django.conf import settings

        if settings.configured:
            from django.utils.translation import gettext

            return gettext(message)
    except ImportError:  # pragma: no cover - used without Django
        pass
    return message


class IndicatorFileError(ValueError):
    """A file refused: the line (from 1) and the reason, translated into the active language when shown."""

    def __init__(self, line: int, message: str, **params: Any) -> None:
        self.line = line
        self.message = message
        self.params = params
        super().__init__(line, message)

    @property
    def reason(self) -> str:
        return _translate(self.message) % self.params

    def __str__(self) -> str:
        if not self.line:  # not about a line of the file (an unknown source)
            return self.reason
        return _translate(_("Line %(line)s: %(reason)s")) % {"line": self.line, "reason": self.reason}


@dataclass(frozen=True, slots=True)
class Row:
    """One value: the line it comes from, the country code as written in the file, ipvalue's indicator code."""

    line: int
    country: str
    indicator: str
    year: int
    value: float


@dataclass
class ParsedFile:
    """What a file holds: the values to load, the publisher's metadata, and what was skipped (counted in rows)."""

    source: str
    rows: list[Row] = field(default_factory=list)
    last_updated: dt.date | None = None
    metadata: dict[str, str] = field(default_factory=dict)
    skipped_aggregates: int = 0
    skipped_non_members: int = 0
    skipped_indicators: int = 0
    aggregate_codes: set[str] = field(default_factory=set)
    non_member_codes: set[str] = field(default_factory=set)
    publisher_codes: set[str] = field(default_factory=set)
    country_lines: dict[str, int] = field(default_factory=dict)  # kept lines by country code


# Indicator definitions -----------------------------------------------------------------------------------------


@cache
def definitions() -> tuple[dict[str, Any], ...]:
    """The indicators ipvalue keeps, from ``data/indicators.json``."""
    return tuple(json.loads(DATA_FILE.read_text(encoding="utf-8"))["indicators"])


def worldbank_codes() -> dict[str, str]:
    """World Bank indicator code -> ipvalue's indicator code."""
    return {item["worldbank"]: item["code"] for item in definitions() if item["worldbank"]}


def wipo_keys() -> dict[tuple[str, str, str, str], str]:
    """(IP right, indicator number, report "office" or "origin", origin column value), lower case -> indicator."""
    keys = {}
    for item in definitions():
        for key in item["wipo"]:
            parts = (key["right"], key["indicator"], key["report"], key["origin"])
            keys[tuple(part.strip().lower() for part in parts)] = item["code"]
    return keys  # type: ignore[return-value]


# Shared reading ------------------------------------------------------------------------------------------------


def decode(content: bytes) -> str:
    """The text of a file in UTF-8 (a byte order mark is dropped); refuses an empty or non-UTF-8 file."""
    if not content.strip(b" \t\r\n\xef\xbb\xbf"):
        raise IndicatorFileError(1, _("The file is empty."))
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = content[: error.start].count(b"\n") + 1
        raise IndicatorFileError(
            line, _("The file is not in UTF-8 (byte %(position)s); download it again."), position=error.start + 1
        ) from None


def _lines(text: str) -> Iterator[str]:
    """The lines of text with their endings, one at a time (``io.StringIO`` would hold a second, wider copy)."""
    start, size = 0, len(text)
    while start < size:
        end = text.find("\n", start)
        if end == -1:
            yield text[start:]
            return
        yield text[start : end + 1]
        start = end + 1


def _records(text: str) -> Iterator[tuple[int, list[str]]]:
    """CSV records with the line each starts on; a record broken by its quoting is refused."""
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise IndicatorFileError(line, _("The line holds a NUL character: this is not a CSV file."))
    reader = csv.reader(_lines(text), strict=True)
    start = 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise IndicatorFileError(start, _("The line is not valid CSV (%(error)s)."), error=str(error)) from None
        yield start, cells
        start = reader.line_num + 1


def _blank(cells: list[str]) -> bool:
    return not any(cell.strip() for cell in cells)


def _value(text: str, line: int, year: int) -> float | None:
    """A cell's number, None when empty; anything else is refused."""
    text = text.strip()
    if not text:
        return None
    if not _NUMBER.fullmatch(text):
        raise IndicatorFileError(line, _("The value “%(value)s” for %(year)s is not a number."), value=text, year=year)
    number = float(text)
    if not math.isfinite(number):
        raise IndicatorFileError(line, _("The value “%(value)s” for %(year)s is too large."), value=text, year=year)
    return number


def _years(headings: list[str], line: int, first_column: int) -> list[int]:
    """The year of each heading; a heading that is not a year, or a year given twice, is refused."""
    years: list[int] = []
    for offset, heading in enumerate(headings):
        text = heading.strip()
        if not _YEAR.fullmatch(text) or not FIRST_YEAR <= int(text) <= LAST_YEAR:
            raise IndicatorFileError(
                line,
                _("The heading “%(heading)s” of column %(column)s is not a year."),
                heading=text,
                column=first_column + offset + 1,
            )
        if int(text) in years:
            raise IndicatorFileError(line, _("The year %(year)s has two columns."), year=text)
        years.append(int(text))
    if not years:
        raise IndicatorFileError(line, _("The header row has no year columns."))
    return years


def _classify(parsed: ParsedFile, code: str, members: Collection[str] | None, is_country: bool) -> bool:
    """Whether code is a member state's; otherwise count the row as an aggregate/regional office or non-member."""
    if not is_country:
        parsed.skipped_aggregates += 1
        parsed.aggregate_codes.add(code)
        return False
    if members is not None and code not in members:
        parsed.skipped_non_members += 1
        parsed.non_member_codes.add(code)
        return False
    parsed.country_lines[code] = parsed.country_lines.get(code, 0) + 1
    return True


def _check_fields(cells: list[str], expected: int, line: int) -> None:
    if len(cells) != expected:
        raise IndicatorFileError(
            line,
            _("The line has %(found)s fields; the header row has %(expected)s."),
            found=len(cells),
            expected=expected,
        )


# World Bank ----------------------------------------------------------------------------------------------------


def parse_worldbank(
    text: str, *, indicators: Mapping[str, str] | None = None, members: Collection[str] | None = None
) -> ParsedFile:
    """The values of a World Bank indicator CSV (``API_*.csv`` with its preamble, or the bulk ``WDICSV.csv``).

    ``indicators`` maps the bank's indicator codes to keep onto ipvalue's (default: ``data/indicators.json``); rows of
    other indicators are counted in ``skipped_indicators`` and their values not read. ``members`` are the ISO alpha-3
    codes to keep (default: every ISO 3166 country); the bank's aggregates (codes that are not ISO 3166 countries:
    WLD, EAS, HIC, ...) and other countries are counted, not errors.
    """
    indicators = worldbank_codes() if indicators is None else indicators
    parsed = ParsedFile(source=WORLDBANK)
    records = _records(text)
    header_line = 0
    years: list[int] = []
    width = 0
    last_line = 1
    for line, cells in records:
        last_line = line
        if _blank(cells):
            continue
        if cells[0].strip() == WORLDBANK_LABELS[0]:
            header_line = line
            break
        filled = [cell.strip() for cell in cells if cell.strip()]
        if len(cells) <= 3 and len(filled) <= 2:  # a preamble line: "Key","Value",
            key, value = filled[0], filled[1] if len(filled) > 1 else ""
            parsed.metadata[key] = value
            if key == "Last Updated Date" and value:
                try:
                    parsed.last_updated = dt.date.fromisoformat(value)
                except ValueError:
                    raise IndicatorFileError(
                        line, _("The date “%(value)s” is not a date (YYYY-MM-DD)."), value=value
                    ) from None
            continue
        raise IndicatorFileError(
            line, _("Expected the header row “%(header)s,1960,...”."), header=",".join(WORLDBANK_LABELS)
        )
    if not header_line:
        raise IndicatorFileError(
            last_line, _("No header row “%(header)s,1960,...” in the file."), header=",".join(WORLDBANK_LABELS)
        )
    header = cells
    width = len(header)
    trailing = width > len(WORLDBANK_LABELS) and not header[-1].strip()  # every line of the API files ends with ","
    labels = [cell.strip() for cell in header[: len(WORLDBANK_LABELS)]]
    if tuple(labels) != WORLDBANK_LABELS:
        raise IndicatorFileError(
            header_line,
            _("The header row must begin with “%(header)s”."),
            header=",".join(WORLDBANK_LABELS),
        )
    year_headings = header[len(WORLDBANK_LABELS) : width - 1 if trailing else width]
    years = _years(year_headings, header_line, len(WORLDBANK_LABELS))
    seen: dict[tuple[str, str], int] = {}
    first_value = len(WORLDBANK_LABELS)
    for line, cells in records:
        if _blank(cells):
            continue
        _check_fields(cells, width, line)
        if trailing and cells[-1].strip():
            raise IndicatorFileError(line, _("The line has a value after the last year column."))
        country = cells[1].strip().upper()
        code = cells[3].strip()
        if not re.fullmatch(r"[A-Z0-9]{3}", country):
            raise IndicatorFileError(line, _("“%(code)s” is not a country code."), code=cells[1].strip())
        if not code:
            raise IndicatorFileError(line, _("The line has no indicator code."))
        indicator = indicators.get(code)
        if indicator is None:
            parsed.skipped_indicators += 1
            continue
        if (country, code) in seen:
            raise IndicatorFileError(
                line,
                _("The values of %(country)s for %(indicator)s (%(first)s to %(last)s) are already on line %(other)s."),
                country=country,
                indicator=code,
                first=years[0],
                last=years[-1],
                other=seen[(country, code)],
            )
        seen[(country, code)] = line
        parsed.publisher_codes.add(code)
        values = [(year, _value(cell, line, year)) for year, cell in zip(years, cells[first_value:], strict=False)]
        is_country = pycountry.countries.get(alpha_3=country) is not None
        if not _classify(parsed, country, members, is_country):
            continue
        parsed.rows.extend(Row(line, country, indicator, year, value) for year, value in values if value is not None)
    if not parsed.publisher_codes:
        raise IndicatorFileError(
            header_line,
            _("The file has none of the indicators ipvalue keeps (%(codes)s)."),
            codes=", ".join(sorted(indicators)),
        )
    return parsed


# WIPO ----------------------------------------------------------------------------------------------------------

WIPO_PREAMBLE = ("Intellectual property right", "Indicator", "Report type")


def parse_wipo(
    text: str,
    *,
    keys: Mapping[tuple[str, str, str, str], str] | None = None,
    members: Collection[str] | None = None,
) -> ParsedFile:
    """The values of a WIPO IP Statistics Data Center CSV export.

    The preamble names the IP right and the indicator (``1 - Total patent applications ...``); the first two columns
    name the filing office or the applicant's origin and its code; a third, optional label column (``Origin`` in
    reports by office) says whose filings a row counts: ``Resident``, ``Non-resident``, ``Abroad`` or ``Total``.
    ``keys`` maps (right, indicator number, report, origin value), lower case, to ipvalue's indicator (default:
    ``data/indicators.json``); other rows are counted in ``skipped_indicators``. ``members`` are the ISO alpha-2
    codes to keep; regional offices (EP, EA, WO, AP, OA, ...) and other non-country codes are counted as aggregates.
    """
    keys = wipo_keys() if keys is None else keys
    parsed = ParsedFile(source=WIPO)
    records = _records(text)
    header_line = 0
    preamble_lines: dict[str, int] = {}
    last_line = 1
    cells: list[str] = []
    for line, cells in records:
        last_line = line
        if _blank(cells):
            continue
        raw = ",".join(cells)
        match = _WIPO_KEY_VALUE.match(raw)
        if match and ":" in raw:
            parsed.metadata[match.group(1)] = match.group(2)
            preamble_lines[match.group(1).lower()] = line
            continue
        header_line = line
        break
    if not header_line:
        raise IndicatorFileError(last_line, _("No header row “Office,Office (Code),...” in the file."))
    header = [cell.strip() for cell in cells]
    if len(header) < 3 or header[0] not in ("Office", "Origin") or header[1] != f"{header[0]} (Code)":
        raise IndicatorFileError(
            header_line, _("The header row must begin with “Office,Office (Code)” or “Origin,Origin (Code)”.")
        )
    report = header[0].lower()
    category = 2 if header[2] and not header[2][:1].isdigit() else None
    if category is not None and header[2].endswith("(Code)"):
        raise IndicatorFileError(
            header_line,
            _(
                "ipvalue reads WIPO reports by filing office or by applicant's origin, not by both "
                "(column “%(heading)s”)."
            ),
            heading=header[2],
        )
    first_value = 3 if category is not None else 2
    years = _years(header[first_value:], header_line, first_value)
    metadata = {key.lower(): value for key, value in parsed.metadata.items()}
    missing = [key for key in WIPO_PREAMBLE if key.lower() not in metadata]
    if missing:
        raise IndicatorFileError(
            1, _("The WIPO preamble line “%(key)s :...” is missing before the table."), key=missing[0]
        )
    right = metadata["intellectual property right"].strip().lower()
    number = metadata["indicator"].split("-", 1)[0].strip().lower()
    kept = {key: code for key, code in keys.items() if key[:3] == (right, number, report)}
    if not kept:
        raise IndicatorFileError(
            preamble_lines["indicator"],
            _("The file has none of the indicators ipvalue keeps: “%(right)s: %(indicator)s” (%(report)s)."),
            right=parsed.metadata.get("Intellectual property right", right),
            indicator=metadata["indicator"],
            report=metadata["report type"],
        )
    width = len(header)
    seen: dict[tuple[str, str], int] = {}
    for line, cells in records:
        if _blank(cells):
            continue
        _check_fields(cells, width, line)
        code = cells[1].strip().upper()
        if not re.fullmatch(r"[A-Z]{2}", code):
            raise IndicatorFileError(line, _("“%(code)s” is not a country or office code."), code=cells[1].strip())
        origin = cells[category].strip() if category is not None else ""
        indicator = kept.get((right, number, report, origin.lower()))
        if indicator is None:
            parsed.skipped_indicators += 1
            continue
        if (code, indicator) in seen:
            raise IndicatorFileError(
                line,
                _("The values of %(country)s for %(indicator)s (%(first)s to %(last)s) are already on line %(other)s."),
                country=code,
                indicator=origin or metadata["indicator"],
                first=years[0],
                last=years[-1],
                other=seen[(code, indicator)],
            )
        seen[(code, indicator)] = line
        parsed.publisher_codes.add(f"{origin}" if origin else metadata["indicator"])
        values = [(year, _value(cell, line, year)) for year, cell in zip(years, cells[first_value:], strict=True)]
        if not _classify(parsed, code, members, pycountry.countries.get(alpha_2=code) is not None):
            continue
        parsed.rows.extend(Row(line, code, indicator, year, value) for year, value in values if value is not None)
    if not seen:
        raise IndicatorFileError(
            header_line,
            _("The table has no rows of the indicators ipvalue keeps (%(origins)s)."),
            origins=", ".join(sorted(key[3] or "-" for key in kept)),
        )
    return parsed


def parse(source: str, content: bytes, **options: Any) -> ParsedFile:
    """Decode and parse a file of the given source (``worldbank`` or ``wipo``)."""
    if source not in SOURCES:
        raise IndicatorFileError(
            0, _("Unknown source “%(source)s”: use %(sources)s."), source=source, sources=", ".join(SOURCES)
        )
    text = decode(content)
    if source == WORLDBANK:
        return parse_worldbank(text, **options)
    return parse_wipo(text, **options)
