"""Loading the open-data CSV of facts back (``ipvalue knowledge import-facts FILE``): the export round-trips, so a
fresh database given the file holds the same published facts. Every problem names its line and column, and nothing is
loaded unless every row is right."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.dateparse import parse_datetime

from ipvalue.core.tabular import TableError, read_table
from ipvalue.countries.models import Country
from ipvalue.knowledge import services
from ipvalue.knowledge.models import Fact, ReviewStatus, Term, TermKind
from ipvalue.knowledge.selectors import FACT_COLUMNS


@dataclass
class FactImport:
    created: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)


def facts_import(content: bytes, filename: str) -> FactImport:
    """Load published facts from the open-data CSV (or XLSX) layout; all or nothing."""
    report = FactImport()
    try:
        header, rows = read_table(content, filename)
    except TableError as error:
        report.errors.append({"line": None, "column": None, "message": str(error)})
        return report
    missing = [column for column in ("country", "provision", "value", "source_title") if column not in header]
    if missing:
        report.errors.append({"line": 1, "column": missing[0], "message": "missing column"})
        return report
    countries = {country.iso2: country for country in Country.objects.all()}
    provisions = {term.code: term for term in Term.objects.filter(kind=TermKind.PROVISION)}
    pending: list[Fact] = []
    for number, cells in rows:
        data = dict(zip(header, cells, strict=False))
        country = countries.get(data["country"].strip().upper())
        provision = provisions.get(data["provision"].strip())
        if country is None:
            report.errors.append({"line": number, "column": "country", "message": "unknown country code"})
            continue
        if provision is None:
            report.errors.append({"line": number, "column": "provision", "message": "not a provision of the taxonomy"})
            continue
        try:
            value = services.fact_value_clean(provision, data["value"])
        except services.ValidationError as error:
            report.errors.append({"line": number, "column": "value", "message": " ".join(error.messages)})
            continue
        if not data["source_title"].strip():
            report.errors.append({"line": number, "column": "source_title", "message": "every fact needs its source"})
            continue
        verified = data.get("verified_at", "").strip()
        published = parse_datetime(data.get("published_at", "").strip() or "") if "published_at" in data else None
        try:
            verified_at = dt.date.fromisoformat(verified) if verified else None
        except ValueError:
            report.errors.append({"line": number, "column": "verified_at", "message": "write the date as YYYY-MM-DD"})
            continue
        pending.append(
            Fact(
                country=country, provision=provision, value=value, detail=data.get("detail", ""),
                source_title=data["source_title"].strip()[:500], source_article=data.get("source_article", "")[:200],
                source_url=data.get("source_url", ""), source_date=data.get("source_date", ""),
                confidence=data.get("confidence", "") or "medium", verified_at=verified_at,
                status=ReviewStatus.PUBLISHED, reviewed_at=published,
            )
        )  # fmt: skip
    if report.errors:
        return report
    with transaction.atomic():
        for fact in pending:
            fact.save()
    report.created = len(pending)
    return report


__all__ = ["FACT_COLUMNS", "FactImport", "facts_import"]
