"""The published knowledge base as open data: ``/api/v1/knowledge/...`` (CSV and JSON), ``/api/v1/compare`` and, on
the countries router, ``/api/v1/countries/{iso2}/profile``. Public: only published, non-demo records are served."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from ipvalue.core.tabular import table_response
from ipvalue.countries.models import Country
from ipvalue.knowledge import selectors
from ipvalue.knowledge.models import Term

router = Router(tags=["knowledge"])
compare_router = Router(tags=["knowledge"])

DICTIONARY = {
    "facts.csv": {
        "country": "ISO 3166-1 alpha-2 code of the country",
        "provision": "code of the provision in the taxonomy (GET /api/v1/knowledge/taxonomy)",
        "value": "yes / no, the code of one of the provision's choices, a number or a text, per the provision's type",
        "detail": "explanation of the value",
        "source_title": "the law, or the document, the value comes from",
        "source_article": "the article of the law",
        "source_url": "a link to the source",
        "source_date": "date of the source (YYYY, YYYY-MM or YYYY-MM-DD)",
        "confidence": "high (the law or an official source), medium (secondary source), low (to be verified)",
        "verified_at": "when the value was last checked against its source",
        "published_at": "when the Secretariat published the value",
    },
    "practices.csv": {
        "country": "ISO 3166-1 alpha-2 code",
        "title_LANG": "title in each language (en, fr, es, ru, zh-hans, ar) when given",
        "instrument": "code of the financial instrument in the taxonomy",
        "methods": "codes of the valuation methods, separated by spaces",
        "stakeholder_groups": "codes of the stakeholder groups involved, separated by spaces",
        "description_LANG": "what happened, per language",
        "figures": "amounts and counts, as the source gives them",
        "year": "year the practice started or the case took place",
        "outcome": "successful, partly, unsuccessful, ongoing or unknown",
        "source_title, source_publisher, source_url, source_date": "the source",
        "published_at": "when the Secretariat published the record",
    },
}


def country_or_404(code: str) -> Country:
    country = Country.objects.filter(Q(iso2=code.upper()) | Q(iso3=code.upper())).first()
    if country is None:
        raise HttpError(404, f"{code!r} is not a WIPO member state's code")
    return country


@router.get("/facts.csv", response={200: None}, summary="The published facts as CSV (one row per country x provision)")
def facts_csv(request: HttpRequest) -> Any:
    return table_response(
        headers=selectors.FACT_COLUMNS, rows=selectors.fact_rows(), file_format="csv", filename="ipvalue-facts"
    )


@router.get("/practices.csv", response={200: None}, summary="The published practices and case studies as CSV")
def practices_csv(request: HttpRequest) -> Any:
    return table_response(
        headers=selectors.PRACTICE_COLUMNS, rows=selectors.practice_rows(), file_format="csv",
        filename="ipvalue-practices",
    )  # fmt: skip


@router.get("/facts", response=list[dict[str, Any]], summary="The published facts as JSON")
def facts_json(request: HttpRequest) -> list[dict[str, Any]]:
    latest = selectors.latest_facts()
    return [{"country": key[0], **selectors.fact_out(latest[key])} for key in sorted(latest)]


class PracticeFilters(Schema):
    """Facets of the practices: codes separated by commas (alternatives); different facets all apply."""

    country: str = ""
    instrument: str = ""
    method: str = ""
    group: str = ""
    outcome: str = ""
    q: str = ""

    def search(self) -> dict[str, Any]:
        def split(text: str) -> list[str]:
            return [code.strip() for code in text.split(",") if code.strip()]

        facets = {facet: split(getattr(self, facet)) for facet in selectors.FACETS}
        facets["country"] = [code.upper() for code in facets["country"]]
        return selectors.practice_search(filters=facets, text=self.q[:200])


@router.get("/practices", response=list[dict[str, Any]], summary="The published practices and case studies as JSON")
def practices_json(request: HttpRequest, filters: Query[PracticeFilters]) -> list[dict[str, Any]]:
    """Every published practice, or those matching the facets (``country``, ``instrument``, ``method``, ``group``,
    ``outcome``: codes separated by commas) and ``q`` (words that must all appear in a title, description, figures or
    source). ``/practices/search`` adds the count of each facet value."""
    return [selectors.practice_out(practice) for practice in filters.search()["results"]]


@router.get("/practices/search", response=dict[str, Any], summary="Faceted search of practices, with counts")
def practices_search(request: HttpRequest, filters: Query[PracticeFilters]) -> dict[str, Any]:
    """The matching practices, and for each facet how many results each value gives with the other facets' choices
    applied."""
    found = filters.search()
    return {
        "count": len(found["results"]),
        "results": [selectors.practice_out(practice) for practice in found["results"]],
        "facets": found["counts"],
    }


@router.get("/taxonomy", response=list[dict[str, Any]], summary="The taxonomy, with names in the six languages")
def taxonomy(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {
            "kind": term.kind, "code": term.code, "names": term.names, "descriptions": term.descriptions,
            "value_type": term.value_type, "choices": term.choices, "category": term.category,
            "stip_codes": term.stip_codes, "parent": term.parent.code if term.parent else None,
        }
        for term in Term.objects.filter(active=True).select_related("parent")
    ]  # fmt: skip


@router.get("/dictionary", response=dict[str, Any], summary="The data dictionary of the CSV files")
def dictionary(request: HttpRequest) -> dict[str, Any]:
    return DICTIONARY


@compare_router.get("", response=dict[str, Any], summary="Countries side by side, provision by provision")
def compare(request: HttpRequest, countries: str, provisions: str = "") -> dict[str, Any]:
    """``countries=KZ,AM,SG`` (ISO alpha-2 or alpha-3) and optionally ``provisions=CODE,CODE`` (else every one): the
    latest published value of each provision in each country, with its source (null when none is published)."""
    codes = [code.strip() for code in countries.split(",") if code.strip()]
    if not codes or len(codes) > 50:
        raise HttpError(422, "countries: give 1 to 50 country codes separated by commas")
    chosen = [country_or_404(code) for code in codes]
    wanted = [code.strip() for code in provisions.split(",") if code.strip()] or None
    if wanted:
        known = set(selectors.provisions().values_list("code", flat=True))
        unknown = [code for code in wanted if code not in known]
        if unknown:
            raise HttpError(422, f"provisions: {', '.join(unknown)} not in the taxonomy")
    return selectors.comparison(chosen, wanted)
