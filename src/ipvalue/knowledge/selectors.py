"""Reading the published knowledge base: the latest published value of each provision per country, profiles,
comparisons, and the rows of the open-data exports."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import QuerySet

from ipvalue.countries.models import Country
from ipvalue.knowledge.models import Fact, Institution, Obstacle, Outcome, Practice, Term, TermKind, published

FACT_COLUMNS = (
    "country", "provision", "value", "detail", "source_title", "source_article", "source_url", "source_date",
    "confidence", "verified_at", "published_at",
)  # fmt: skip
PRACTICE_LANGUAGES = ("en", "fr", "es", "ru", "zh-hans", "ar")
PRACTICE_COLUMNS = (
    "country",
    *(f"title_{language}" for language in PRACTICE_LANGUAGES),
    "instrument", "methods", "stakeholder_groups",
    *(f"description_{language}" for language in PRACTICE_LANGUAGES),
    "figures", "year", "outcome", "source_title", "source_publisher", "source_url", "source_date", "published_at",
)  # fmt: skip


def provisions() -> QuerySet[Term]:
    return Term.objects.filter(kind=TermKind.PROVISION, active=True).order_by("position", "code")


def latest_facts(
    countries: Iterable[Country] | None = None, provision_codes: Iterable[str] | None = None
) -> dict[tuple[str, str], Fact]:
    """The latest published fact per (country ISO2, provision code): the one reviewed last."""
    facts = published(Fact.objects.select_related("country", "provision"))
    if countries is not None:
        facts = facts.filter(country__in=list(countries))
    if provision_codes is not None:
        facts = facts.filter(provision__code__in=list(provision_codes))
    latest: dict[tuple[str, str], Fact] = {}
    for fact in facts.order_by("country__iso2", "provision__code", "-reviewed_at", "-pk"):
        latest.setdefault((fact.country.iso2, fact.provision.code), fact)
    return latest


def published_totals() -> dict[str, int]:
    """How much the public knowledge base holds."""
    latest = latest_facts()
    return {
        "countries": len({iso2 for iso2, _code in latest}),
        "facts": len(latest),
        "practices": published(Practice.objects.all()).count(),
        "obstacles": published(Obstacle.objects.all()).count(),
        "institutions": published(Institution.objects.all()).count(),
    }


def fact_out(fact: Fact) -> dict[str, Any]:
    return {
        "provision": fact.provision.code,
        "provision_name": fact.provision.name,
        "value": fact.value,
        "value_label": str(fact.value_label),
        "detail": fact.detail,
        "confidence": fact.confidence,
        "verified_at": fact.verified_at.isoformat() if fact.verified_at else None,
        "published_at": fact.reviewed_at.isoformat() if fact.reviewed_at else None,
        "source": {
            "title": fact.source_title,
            "article": fact.source_article,
            "url": fact.source_url,
            "date": fact.source_date,
        },
    }


def practice_out(practice: Practice) -> dict[str, Any]:
    return {
        "id": practice.pk,
        "country": practice.country.iso2,
        "title": practice.title,
        "titles": practice.titles,
        "instrument": practice.instrument.code if practice.instrument else None,
        "methods": [method.code for method in practice.methods.all()],
        "stakeholder_groups": practice.stakeholder_groups,
        "description": practice.description,
        "figures": practice.figures,
        "year": practice.year,
        "outcome": practice.outcome,
        "source": {
            "title": practice.source_title,
            "publisher": practice.source_publisher,
            "url": practice.source_url,
            "date": practice.source_date,
        },
    }


def obstacle_out(obstacle: Obstacle) -> dict[str, Any]:
    return {
        "type": obstacle.type.code,
        "type_name": obstacle.type.name,
        "category": obstacle.type.category,
        "description": obstacle.description,
        "severity": obstacle.severity,
        "source": {"title": obstacle.source_title, "url": obstacle.source_url, "date": obstacle.source_date},
    }


def institution_out(institution: Institution) -> dict[str, Any]:
    return {
        "kind": institution.kind,
        "name": institution.name,
        "names": institution.names,
        "role": institution.role,
        "website": institution.website,
        "source": {"title": institution.source_title, "url": institution.source_url, "date": institution.source_date},
    }


def published_institutions(country: Country) -> QuerySet[Institution]:
    return published(Institution.objects.filter(country=country))


def published_practices(country: Country | None = None) -> QuerySet[Practice]:
    practices = published(Practice.objects.select_related("country", "instrument").prefetch_related("methods"))
    return practices.filter(country=country) if country is not None else practices.order_by("country__iso2", "pk")


def country_profile(country: Country) -> dict[str, Any]:
    """A country's published facts (latest per provision), practices and obstacles, each with its source."""
    facts = latest_facts([country])
    obstacles = published(Obstacle.objects.filter(country=country).select_related("type"))
    return {
        "country": country.iso2,
        "facts": [fact_out(facts[key]) for key in sorted(facts)],
        "practices": [practice_out(practice) for practice in published_practices(country)],
        "obstacles": [obstacle_out(obstacle) for obstacle in obstacles],
        "institutions": [institution_out(institution) for institution in published_institutions(country)],
    }


def comparison(countries: list[Country], provision_codes: list[str] | None) -> dict[str, Any]:
    """Countries side by side: for each provision, each country's latest published value with its source."""
    wanted = list(provisions().filter(code__in=provision_codes)) if provision_codes else list(provisions())
    latest = latest_facts(countries, [item.code for item in wanted])
    return {
        "countries": [country.iso2 for country in countries],
        "provisions": [
            {
                "provision": item.code,
                "name": item.name,
                "values": {
                    country.iso2: fact_out(latest[(country.iso2, item.code)])
                    if (country.iso2, item.code) in latest
                    else None
                    for country in countries
                },
            }
            for item in wanted
        ],
    }


def fact_rows() -> Iterator[list[Any]]:
    """The open-data rows: one per country x provision (the latest published fact), in FACT_COLUMNS order."""
    latest = latest_facts()
    for key in sorted(latest):
        fact = latest[key]
        yield [
            fact.country.iso2, fact.provision.code, fact.value, fact.detail, fact.source_title, fact.source_article,
            fact.source_url, fact.source_date, fact.confidence,
            fact.verified_at.isoformat() if fact.verified_at else "",
            fact.reviewed_at.isoformat() if fact.reviewed_at else "",
        ]  # fmt: skip


def practice_rows(practices: Iterable[Practice] | None = None) -> Iterator[list[Any]]:
    """The open-data rows of practices (all published ones by default), in PRACTICE_COLUMNS order."""
    for practice in published_practices() if practices is None else practices:
        yield [
            practice.country.iso2,
            *(practice.titles.get(language, "") for language in PRACTICE_LANGUAGES),
            practice.instrument.code if practice.instrument else "",
            " ".join(method.code for method in practice.methods.all()),
            " ".join(practice.stakeholder_groups),
            *(practice.descriptions.get(language, "") for language in PRACTICE_LANGUAGES),
            practice.figures, practice.year or "", practice.outcome, practice.source_title, practice.source_publisher,
            practice.source_url, practice.source_date, practice.reviewed_at.isoformat() if practice.reviewed_at else "",
        ]  # fmt: skip


def country_page(country: Country) -> dict[str, Any]:
    """What a country's public page shows: published facts (latest per provision), practices and obstacles."""
    facts = latest_facts([country])
    return {
        "facts": [facts[key] for key in sorted(facts, key=lambda key: (facts[key].provision.position, key[1]))],
        "practices": list(published_practices(country)),
        "obstacles": list(published(Obstacle.objects.filter(country=country).select_related("type"))),
        "institutions": list(published_institutions(country)),
    }


# --------------------------------------------------------------------------------------------------------- search

FACETS = ("country", "instrument", "method", "group", "outcome")


def _practice_facet_values(practice: Practice) -> dict[str, set[str]]:
    return {
        "country": {practice.country.iso2},
        "instrument": {practice.instrument.code} if practice.instrument else set(),
        "method": {method.code for method in practice.methods.all()},
        "group": set(practice.stakeholder_groups),
        "outcome": {practice.outcome},
    }


def _practice_text(practice: Practice) -> str:
    parts = [*practice.titles.values(), *practice.descriptions.values(), practice.figures, practice.source_title,
             practice.source_publisher]  # fmt: skip
    return " ".join(str(part) for part in parts if part).casefold()


def practice_search(*, filters: dict[str, list[str]], text: str = "") -> dict[str, Any]:
    """Faceted search of the published practices and case studies.

    Within a facet the chosen values are alternatives (OR), across facets they all apply (AND), as in most faceted
    catalogues; each facet's counts are computed with every other facet's choice applied, so a count tells how many
    results ticking that value would add. Runs in Python over the published practices (hundreds, not millions).
    """
    chosen = {facet: {value for value in filters.get(facet, []) if value} for facet in FACETS}
    words = text.casefold().split()
    candidates = []
    for practice in published_practices():
        if words:
            haystack = _practice_text(practice)
            if not all(word in haystack for word in words):
                continue
        candidates.append((practice, _practice_facet_values(practice)))

    def matches(values: dict[str, set[str]], skip: str | None = None) -> bool:
        return all(not wanted or values[facet] & wanted for facet, wanted in chosen.items() if facet != skip)

    counts: dict[str, dict[str, int]] = {facet: {} for facet in FACETS}
    for _practice, values in candidates:
        for facet in FACETS:
            if matches(values, skip=facet):
                for value in values[facet]:
                    counts[facet][value] = counts[facet].get(value, 0) + 1
    results = [practice for practice, values in candidates if matches(values)]
    return {"results": results, "counts": counts, "chosen": chosen}


def term_names(kind: str) -> dict[str, str]:
    """Code -> name in the current language, for the terms of one kind."""
    return {term.code: term.name for term in Term.objects.filter(kind=kind)}


def facet_labels() -> dict[str, dict[str, str]]:
    """The names of facet values in the current language: countries, taxonomy terms, outcomes."""
    terms = Term.objects.filter(kind__in=[TermKind.INSTRUMENT, TermKind.METHOD, TermKind.STAKEHOLDER_GROUP])
    by_kind: dict[str, dict[str, str]] = {"instrument": {}, "method": {}, "group": {}}
    kind_facet = {TermKind.INSTRUMENT: "instrument", TermKind.METHOD: "method", TermKind.STAKEHOLDER_GROUP: "group"}
    for term in terms:
        by_kind[kind_facet[TermKind(term.kind)]][term.code] = term.name
    return {
        "country": {country.iso2: country.name for country in Country.objects.all()},
        **by_kind,
        "outcome": {value: str(label) for value, label in Outcome.choices},
    }
