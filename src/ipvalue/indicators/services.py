"""Writing open statistics: the indicator definitions and the import of a publisher's file.

An import reads and validates the whole file first (:mod:`ipvalue.indicators.parsing`); only a file without a single
error is loaded, in one transaction. Loading again updates the values (the same rows, never duplicates): the key of
an observation is (indicator, country, source, year).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from auditlog.context import set_actor
from django.db import transaction

from ipvalue.core.permissions import require_unless_system
from ipvalue.countries.models import Country
from ipvalue.indicators import parsing
from ipvalue.indicators.models import ImportRecord, Indicator, Observation
from ipvalue.indicators.parsing import IndicatorFileError

# Values changed by one import kept with it (old and new); beyond this only the count is kept.
MAX_CHANGES_KEPT = 5000
BATCH = 2000

__all__ = ["ImportSummary", "IndicatorFileError", "indicator_definitions_load", "indicators_import"]


@dataclass
class ImportSummary:
    """What an import did, in rows of the file (skipped) and in values (created, updated, unchanged)."""

    record: ImportRecord
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped_aggregates: int = 0
    skipped_non_members: int = 0
    skipped_indicators: int = 0
    aggregate_codes: list[str] = field(default_factory=list)
    non_member_codes: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "skipped_aggregates": self.skipped_aggregates,
            "skipped_non_members": self.skipped_non_members,
            "skipped_indicators": self.skipped_indicators,
        }


def indicator_definitions_load() -> dict[str, Indicator]:
    """Create or update the indicators of ``data/indicators.json``; returns them by code."""
    indicators = {}
    for position, item in enumerate(parsing.definitions()):
        indicator, _created = Indicator.objects.update_or_create(
            code=item["code"],
            defaults={
                "names": item["name"],
                "units": item["unit"],
                "kind": item["kind"],
                "worldbank_code": item["worldbank"],
                "wipo_keys": item["wipo"],
                "position": position,
            },
        )
        indicators[indicator.code] = indicator
    return indicators


def indicators_import(*, actor: Any, content: bytes, filename: str, source: str) -> ImportSummary:
    """Validate a World Bank or WIPO file entirely, then load it in one transaction; raises IndicatorFileError
    (line and reason) and loads nothing when anything in the file is wrong. ``actor`` None: the command line."""
    require_unless_system(actor, "indicators.import_file")
    parsed = parsing.parse(source, content)  # the whole file is checked before the database is read
    countries = list(Country.objects.all())
    if source == parsing.WORLDBANK:
        by_code = {country.iso3: country for country in countries}
    else:
        by_code = {country.iso2: country for country in countries}
    _keep_members(parsed, set(by_code))
    with transaction.atomic(), set_actor(actor):
        indicators = indicator_definitions_load()
        record = ImportRecord.objects.create(
            source=source,
            filename=filename[:255],
            sha256=hashlib.sha256(content).hexdigest(),
            publisher_updated=parsed.last_updated,
            metadata=parsed.metadata,
            imported_by=actor if getattr(actor, "pk", None) else None,
        )
        summary = ImportSummary(
            record=record,
            skipped_aggregates=parsed.skipped_aggregates,
            skipped_non_members=parsed.skipped_non_members,
            skipped_indicators=parsed.skipped_indicators,
            aggregate_codes=sorted(parsed.aggregate_codes),
            non_member_codes=sorted(parsed.non_member_codes),
        )
        changes = _load(parsed, record, indicators, by_code, summary)
        record.counts = summary.counts() | {
            "aggregate_codes": summary.aggregate_codes,
            "non_member_codes": summary.non_member_codes,
            "changes_kept": min(len(changes), MAX_CHANGES_KEPT),
        }
        record.changes = changes[:MAX_CHANGES_KEPT]
        record.save(update_fields=["counts", "changes"])
    return summary


def _keep_members(parsed: parsing.ParsedFile, members: set[str]) -> None:
    """Drop the rows of ISO countries that are not member states, counting their lines."""
    outside = {code: lines for code, lines in parsed.country_lines.items() if code not in members}
    parsed.rows = [row for row in parsed.rows if row.country not in outside]
    parsed.non_member_codes.update(outside)
    parsed.skipped_non_members += sum(outside.values())


def _load(
    parsed: parsing.ParsedFile,
    record: ImportRecord,
    indicators: dict[str, Indicator],
    by_code: dict[str, Country],
    summary: ImportSummary,
) -> list[dict[str, Any]]:
    """Insert new values, update changed ones, and point every value of the file at this import."""
    wanted = {(indicators[row.indicator].pk, by_code[row.country].pk, row.year): row.value for row in parsed.rows}
    indicator_ids = {key[0] for key in wanted}
    country_ids = {key[1] for key in wanted}
    existing = Observation.objects.filter(source=parsed.source, indicator_id__in=indicator_ids)
    if len(country_ids) < 50:  # a small file: read only its countries' values
        existing = existing.filter(country_id__in=country_ids)
    changed: list[Observation] = []
    unchanged: list[int] = []
    changes: list[dict[str, Any]] = []
    codes = {indicator.pk: code for code, indicator in indicators.items()}
    iso2 = {country.pk: country.iso2 for country in by_code.values()}
    for pk, indicator_id, country_id, year, value in existing.values_list(
        "pk", "indicator_id", "country_id", "year", "value"
    ).iterator(chunk_size=BATCH):
        key = (indicator_id, country_id, year)
        if key not in wanted:
            continue
        new = wanted.pop(key)
        if new == value:
            unchanged.append(pk)
            continue
        changed.append(Observation(pk=pk, value=new, import_record=record))
        changes.append(
            {"indicator": codes[indicator_id], "country": iso2[country_id], "year": year, "old": value, "new": new}
        )
    Observation.objects.bulk_create(
        (
            Observation(
                indicator_id=indicator_id,
                country_id=country_id,
                year=year,
                value=value,
                source=parsed.source,
                import_record=record,
            )
            for (indicator_id, country_id, year), value in wanted.items()
        ),
        batch_size=BATCH,
    )
    Observation.objects.bulk_update(changed, ["value", "import_record"], batch_size=BATCH)
    for start in range(0, len(unchanged), BATCH):
        Observation.objects.filter(pk__in=unchanged[start : start + BATCH]).update(import_record=record)
    summary.created = len(wanted)
    summary.updated = len(changed)
    summary.unchanged = len(unchanged)
    return changes
