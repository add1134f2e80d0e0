"""Public pages of the knowledge base: countries side by side, provision by provision, with sources (and as XLSX)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from ipvalue.core.tabular import table_response
from ipvalue.countries.models import Country
from ipvalue.knowledge import selectors

MAX_COUNTRIES = 12


def compare_view(request: HttpRequest) -> HttpResponse:
    """Pick countries and provisions; see the latest published value of each, with its source."""
    codes = [code.upper() for code in request.GET.getlist("countries") for code in code.split(",") if code.strip()]
    countries = list(Country.objects.filter(iso2__in=codes))
    countries.sort(key=lambda country: codes.index(country.iso2))
    all_provisions = list(selectors.provisions())
    wanted = [code for code in request.GET.getlist("provisions") if code]
    chosen = [item for item in all_provisions if item.code in wanted] or all_provisions
    error = (
        _("Choose at most %(count)s countries.") % {"count": MAX_COUNTRIES} if len(countries) > MAX_COUNTRIES else ""
    )
    countries = countries[:MAX_COUNTRIES]
    latest = selectors.latest_facts(countries, [item.code for item in chosen]) if countries else {}
    rows = [
        {"provision": item, "cells": [latest.get((country.iso2, item.code)) for country in countries]}
        for item in chosen
    ]
    if request.GET.get("format") == "xlsx" and countries:
        return _xlsx(countries, rows)
    context: dict[str, Any] = {
        "countries": countries,
        "all_countries": Country.objects.order_by("iso2"),
        "provisions": all_provisions,
        "chosen": {item.code for item in chosen} if wanted else set(),
        "rows": rows,
        "error": error,
        "query": request.GET.urlencode(),
    }
    return render(request, "knowledge/compare.html", context)


def _xlsx(countries: list[Country], rows: list[dict[str, Any]]) -> HttpResponse:
    headers = [_("Provision")] + [
        column for country in countries for column in (country.name, f"{country.name}: {_('Source')}")
    ]
    table = []
    for row in rows:
        line: list[Any] = [row["provision"].name]
        for fact in row["cells"]:
            if fact is None:
                line += ["", ""]
            else:
                value = str(fact.value_label) + (f" ({fact.detail})" if fact.detail else "")
                source = ", ".join(part for part in (fact.source_title, fact.source_article, fact.source_date) if part)
                line += [value, source]
        table.append(line)
    return table_response(headers=headers, rows=table, file_format="xlsx", filename="ipvalue-comparison")
