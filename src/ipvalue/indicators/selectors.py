"""Reading open statistics: a country's series (for its page and the API) and every observation (CSV)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from babel.numbers import format_compact_decimal
from django.utils import translation
from django.utils.formats import number_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from ipvalue.countries.models import Country
from ipvalue.indicators.models import ImportRecord, Indicator, Kind, Observation, Source
from ipvalue.toolkit import charts

OBSERVATION_COLUMNS = [
    "country",
    "country_iso3",
    "indicator",
    "publisher_code",
    "source",
    "year",
    "value",
    "unit",
    "file",
    "publisher_updated",
    "imported_at",
]


@dataclass
class Series:
    """One indicator for one country from one publisher: its values by year and where they come from."""

    indicator: Indicator
    source: str
    points: list[tuple[int, float]] = field(default_factory=list)
    latest_import: ImportRecord | None = None

    @property
    def source_label(self) -> str:
        return str(Source(self.source).label)

    @property
    def short_label(self) -> str:
        """The publisher's short name, for a chart's legend."""
        return _("World Bank") if self.source == Source.WORLDBANK else _("WIPO")

    @property
    def publisher_code(self) -> str:
        """The publisher's name for the series: the World Bank's code, or WIPO's indicator and report."""
        if self.source == Source.WORLDBANK:
            return self.indicator.worldbank_code
        metadata = self.latest_import.metadata if self.latest_import else {}
        parts = [metadata.get("Intellectual property right", ""), metadata.get("Indicator", "")]
        origins = sorted({key.get("origin", "") for key in self.indicator.wipo_keys if key.get("origin")})
        return " · ".join(part for part in [*parts, "/".join(origins)] if part)

    @property
    def publisher_updated(self) -> Any:
        return self.latest_import.publisher_updated if self.latest_import else None

    @property
    def imported_at(self) -> Any:
        return self.latest_import.imported_at if self.latest_import else None


@dataclass
class IndicatorChart:
    """An indicator with data for a country: one series per publisher, never merged, and its chart."""

    indicator: Indicator
    series: list[Series]

    @property
    def years(self) -> list[int]:
        return sorted({year for series in self.series for year, _value in series.points})

    @property
    def table(self) -> list[tuple[int, list[str]]]:
        """Rows of the data table: a year and each series' value in the page's number format ("" when none)."""
        values = [dict(series.points) for series in self.series]
        return [
            (year, [_format(self.indicator, by_year[year]) if year in by_year else "" for by_year in values])
            for year in self.years
        ]

    @cached_property
    def svg(self) -> SafeString:
        labels = [series.short_label for series in self.series]
        markup = charts.line_svg(
            [(label, series.points) for label, series in zip(labels, self.series, strict=True)],
            title=self.indicator.name,
            y_label=self.indicator.unit,
            rtl=translation.get_language_bidi(),
            number_format=_compact,
        )
        return mark_safe(markup)  # noqa: S308  (built by charts.line_svg, every text escaped)


def _compact(value: float) -> str:
    """An axis label in the page's language, CLDR's short form (Babel): 1.5K, 1,5 тыс., 6000万, 60 مليون."""
    locale = translation.to_locale(translation.get_language() or "en")
    return format_compact_decimal(value, format_type="short", locale=locale, fraction_digits=1)


def _format(indicator: Indicator, value: float) -> str:
    decimals = 2 if indicator.kind == Kind.PERCENT else 0
    return number_format(value, decimal_pos=decimals, use_l10n=True, force_grouping=True)


def country_series(country: Country) -> list[IndicatorChart]:
    """The indicators with data for a country, in the order of ``data/indicators.json``, each with one series per
    publisher (World Bank first)."""
    observations = (
        Observation.objects.filter(country=country)
        .order_by("indicator__position", "indicator__code", "source", "year")
        .values_list("indicator_id", "source", "year", "value", "import_record_id")
    )
    indicators = Indicator.objects.filter(observations__country=country).distinct().in_bulk()
    by_key: dict[tuple[int, str], Series] = {}
    latest: dict[tuple[int, str], int] = {}
    for indicator_id, source, year, value, record_id in observations:
        key = (indicator_id, source)
        series = by_key.get(key)
        if series is None:
            series = by_key[key] = Series(indicator=indicators[indicator_id], source=source)
        series.points.append((year, value))
        latest[key] = max(latest.get(key, 0), record_id)
    records = ImportRecord.objects.in_bulk(set(latest.values()))
    charts_by_indicator: dict[int, IndicatorChart] = {}
    for key, series in by_key.items():
        series.latest_import = records.get(latest[key])
        chart = charts_by_indicator.setdefault(key[0], IndicatorChart(indicator=series.indicator, series=[]))
        chart.series.append(series)
    order = [source for source, _label in Source.choices]
    for chart in charts_by_indicator.values():
        chart.series.sort(key=lambda series: order.index(series.source))
    return sorted(charts_by_indicator.values(), key=lambda chart: (chart.indicator.position, chart.indicator.code))


def country_indicators_data(country: Country) -> list[dict[str, Any]]:
    """A country's series as plain data for the API: indicator, names, unit, source, provenance, values."""
    data = []
    for chart in country_series(country):
        for series in chart.series:
            record = series.latest_import
            data.append(
                {
                    "indicator": chart.indicator.code,
                    "names": chart.indicator.names,
                    "unit": chart.indicator.units.get("en", ""),
                    "kind": chart.indicator.kind,
                    "source": series.source,
                    "publisher": series.source_label,
                    "publisher_code": series.publisher_code,
                    "publisher_updated": record.publisher_updated.isoformat()
                    if record and record.publisher_updated
                    else None,
                    "file": record.filename if record else "",
                    "file_sha256": record.sha256 if record else "",
                    "imported_at": record.imported_at.isoformat() if record else None,
                    "values": [{"year": year, "value": value} for year, value in series.points],
                }
            )
    return data


def observation_rows() -> Iterator[list[Any]]:
    """Every observation as a CSV row (``OBSERVATION_COLUMNS``), streamed."""
    rows = (
        Observation.objects.order_by("country__iso2", "indicator__position", "source", "year")
        .values_list(
            "country__iso2",
            "country__iso3",
            "indicator__code",
            "indicator__worldbank_code",
            "source",
            "year",
            "value",
            "indicator__units",
            "import_record__filename",
            "import_record__publisher_updated",
            "import_record__imported_at",
        )
        .iterator(chunk_size=2000)
    )
    for iso2, iso3, code, worldbank_code, source, year, value, units, filename, updated, imported in rows:
        yield [
            iso2,
            iso3,
            code,
            worldbank_code if source == Source.WORLDBANK else "",
            source,
            year,
            repr(value),
            (units or {}).get("en", ""),
            filename,
            updated.isoformat() if updated else "",
            imported.isoformat(),
        ]
