"""Writing the knowledge base: loading the taxonomy and starter content, proposing records, reviewing them.

A national coordinator proposes facts, practices and obstacles for their own countries; the Secretariat for any
country, and it alone publishes or rejects them. Demo records can never be published.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from auditlog.context import set_actor
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ipvalue.core.permissions import require_unless_system
from ipvalue.countries.models import Country
from ipvalue.knowledge.models import (
    Confidence,
    Fact,
    Institution,
    InstitutionKind,
    Obstacle,
    Outcome,
    Practice,
    ReviewStatus,
    Term,
    TermKind,
    ValueType,
)

DATA = Path(__file__).resolve().parent / "data"
TAXONOMY_FILE = DATA / "taxonomy.json"
STARTER_PRACTICES_FILE = DATA / "starter_practices.json"
SOURCE_FIELDS = ("source_title", "source_url", "source_date")


# --------------------------------------------------------------------------------------------------------- taxonomy


def taxonomy_load(path: Path = TAXONOMY_FILE) -> dict[str, int]:
    """Create the terms the database lacks and fill in missing translations; the Secretariat's edits are kept."""
    data = json.loads(path.read_text(encoding="utf-8"))
    version = str(data.get("version", ""))
    counts = {"created": 0, "updated": 0}
    terms: dict[tuple[str, str], Term] = {}
    with transaction.atomic():
        for position, item in enumerate(data["terms"]):
            term, created = Term.objects.get_or_create(
                kind=item["kind"],
                code=item["code"],
                defaults={
                    "names": item.get("name", {}),
                    "descriptions": item.get("description", {}),
                    "value_type": item.get("value_type", ""),
                    "choices": item.get("choices", []),
                    "category": item.get("category", ""),
                    "stip_codes": item.get("stip_codes", []),
                    "position": position,
                    "version": version,
                },
            )
            if not created:
                before = (dict(term.names), dict(term.descriptions))
                term.names = {**item.get("name", {}), **{k: v for k, v in term.names.items() if v}}
                term.descriptions = {**item.get("description", {}), **{k: v for k, v in term.descriptions.items() if v}}
                if (term.names, term.descriptions) != before:
                    term.save(update_fields=["names", "descriptions"])
                    counts["updated"] += 1
            else:
                counts["created"] += 1
            terms[(item["kind"], item["code"])] = term
        for item in data["terms"]:
            if item.get("parent"):
                parent = terms.get((item["kind"], item["parent"]))
                term = terms[(item["kind"], item["code"])]
                if parent is not None and term.parent_id != parent.pk:
                    term.parent = parent
                    term.save(update_fields=["parent"])
    return counts


def term(kind: str, code: str) -> Term:
    found = Term.objects.filter(kind=kind, code=code).first()
    if found is None:
        raise ValidationError({kind: _("“%(code)s” is not in the taxonomy.") % {"code": code}})
    return found


# --------------------------------------------------------------------------------------------------------- facts


def fact_value_clean(provision: Term, value: Any) -> str:
    """A fact's value as stored for the provision's type (``yes``/``no``, a choice's code, a number, a text)."""
    text = str(value).strip() if value is not None else ""
    if provision.value_type == ValueType.YES_NO:
        normalised = {"yes": "yes", "true": "yes", "1": "yes", "no": "no", "false": "no", "0": "no"}.get(text.lower())
        if normalised is None:
            raise ValidationError({"value": _("Answer yes or no.")})
        return normalised
    if provision.value_type == ValueType.CHOICE:
        codes = [choice.get("code") for choice in provision.choices]
        if text not in codes:
            raise ValidationError({"value": _("Choose one of: %(codes)s.") % {"codes": ", ".join(codes)}})
        return text
    if provision.value_type == ValueType.NUMBER:
        try:
            float(text.replace(",", "."))
        except ValueError:
            raise ValidationError({"value": _("Enter a number.")}) from None
        return text.replace(",", ".")
    if not text:
        raise ValidationError({"value": _("Give the value.")})
    return text[:200]


def _check_source(data: dict[str, Any]) -> None:
    if not (data.get("source_title") or "").strip():
        raise ValidationError({"source_title": _("Every fact needs its source: a law and article, or a document.")})


def fact_propose(
    *,
    actor: Any,
    country: Country,
    provision: Term,
    value: Any,
    source_title: str,
    detail: str = "",
    source_article: str = "",
    source_url: str = "",
    source_date: str = "",
    confidence: str = Confidence.MEDIUM,
    verified_at: dt.date | None = None,
    origin_response: Any = None,
    is_demo: bool = False,
) -> Fact:
    """A fact waiting for the Secretariat's review (``actor`` None: the command line or a data load)."""
    require_unless_system(actor, "knowledge.propose_record", country)
    if provision.kind != TermKind.PROVISION:
        raise ValidationError({"provision": _("Choose a provision of the taxonomy.")})
    _check_source({"source_title": source_title})
    if confidence not in Confidence.values:
        raise ValidationError({"confidence": _("Choose high, medium or low.")})
    with set_actor(actor):
        return Fact.objects.create(
            country=country,
            provision=provision,
            value=fact_value_clean(provision, value),
            detail=detail,
            source_title=source_title.strip()[:500],
            source_article=source_article[:200],
            source_url=source_url,
            source_date=source_date,
            confidence=confidence,
            verified_at=verified_at,
            origin_response=origin_response,
            is_demo=is_demo,
            entered_by=actor if actor is not None and actor.is_authenticated else None,
        )


def practice_propose(
    *,
    actor: Any,
    country: Country,
    titles: dict[str, str],
    source_title: str,
    instrument: Term | None = None,
    methods: list[Term] | None = None,
    stakeholder_groups: list[str] | None = None,
    descriptions: dict[str, str] | None = None,
    figures: str = "",
    year: int | None = None,
    outcome: str = "unknown",
    source_publisher: str = "",
    source_url: str = "",
    source_date: str = "",
    origin_response: Any = None,
    is_demo: bool = False,
) -> Practice:
    require_unless_system(actor, "knowledge.propose_record", country)
    if not any((text or "").strip() for text in titles.values()):
        raise ValidationError({"titles": _("Give the practice a title.")})
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": _("Choose an outcome from the list.")})
    if instrument is not None and instrument.kind != TermKind.INSTRUMENT:
        raise ValidationError({"instrument": _("Choose a financial instrument of the taxonomy.")})
    if year is not None and not 1900 <= year <= timezone.now().year + 1:
        raise ValidationError({"year": _("Give a year between 1900 and next year.")})
    _check_source({"source_title": source_title})
    with set_actor(actor), transaction.atomic():
        practice = Practice.objects.create(
            country=country,
            titles={key: value for key, value in titles.items() if value},
            instrument=instrument,
            stakeholder_groups=stakeholder_groups or [],
            descriptions={key: value for key, value in (descriptions or {}).items() if value},
            figures=figures[:1000],
            year=year,
            outcome=outcome,
            source_title=source_title[:500],
            source_publisher=source_publisher[:300],
            source_url=source_url,
            source_date=source_date,
            origin_response=origin_response,
            is_demo=is_demo,
            entered_by=actor if actor is not None and actor.is_authenticated else None,
        )
        if methods:
            practice.methods.set(methods)
    return practice


def obstacle_propose(
    *,
    actor: Any,
    country: Country,
    type: Term,
    source_title: str,
    description: str = "",
    severity: int = 3,
    source_url: str = "",
    source_date: str = "",
    origin_response: Any = None,
    is_demo: bool = False,
) -> Obstacle:
    """An obstacle (legal, technical or organisational) waiting for review, with its severity from 1 to 5."""
    require_unless_system(actor, "knowledge.propose_record", country)
    if type.kind != TermKind.OBSTACLE:
        raise ValidationError({"type": _("Choose an obstacle type of the taxonomy.")})
    if not 1 <= severity <= 5:
        raise ValidationError({"severity": _("Rate the severity from 1 to 5.")})
    _check_source({"source_title": source_title})
    with set_actor(actor):
        return Obstacle.objects.create(
            country=country, type=type, description=description[:5000], severity=severity,
            source_title=source_title.strip()[:500], source_url=source_url, source_date=source_date,
            origin_response=origin_response, is_demo=is_demo,
            entered_by=actor if actor is not None and actor.is_authenticated else None,
        )  # fmt: skip


def institution_propose(
    *,
    actor: Any,
    country: Country,
    names: dict[str, str],
    kind: str,
    source_title: str,
    roles: dict[str, str] | None = None,
    website: str = "",
    source_url: str = "",
    source_date: str = "",
    is_demo: bool = False,
) -> Institution:
    """An institution of a country (IP office, pledge registry, guarantee fund...) with its role, waiting for review."""
    require_unless_system(actor, "knowledge.propose_record", country)
    if not any((text or "").strip() for text in names.values()):
        raise ValidationError({"names": _("Give the institution's name.")})
    if kind not in InstitutionKind.values:
        raise ValidationError({"kind": _("Choose a kind of institution from the list.")})
    _check_source({"source_title": source_title})
    with set_actor(actor):
        return Institution.objects.create(
            country=country, names={key: value.strip() for key, value in names.items() if (value or "").strip()},
            kind=kind, roles={key: value for key, value in (roles or {}).items() if value}, website=website,
            source_title=source_title.strip()[:500], source_url=source_url, source_date=source_date, is_demo=is_demo,
            entered_by=actor if actor is not None and actor.is_authenticated else None,
        )  # fmt: skip


def texts_translate(
    *, actor: Any, record: Practice | Institution, texts: dict[str, dict[str, str]]
) -> Practice | Institution:
    """The Secretariat adds or corrects the translations of a practice's title and description, or an institution's
    name and role (``texts``: field -> language -> text; an empty text removes that language). A record keeps at least
    one title or name."""
    require_unless_system(actor, "knowledge.review_record", record)
    fields = ("titles", "descriptions") if isinstance(record, Practice) else ("names", "roles")
    changed = []
    for field in fields:
        if field not in texts:
            continue
        merged = {**getattr(record, field), **texts[field]}
        cleaned = {language: text.strip() for language, text in merged.items() if (text or "").strip()}
        if field == fields[0] and not cleaned:
            raise ValidationError({field: _("Keep the text in at least one language.")})
        setattr(record, field, cleaned)
        changed.append(field)
    if changed:
        with set_actor(actor):
            record.save(update_fields=[*changed, "updated_at"])
    return record


Reviewable = Fact | Practice | Obstacle | Institution


def record_review(*, actor: Any, record: Reviewable, publish: bool, note: str = "") -> Any:
    """The Secretariat publishes or rejects a proposed record; demo records are never published."""
    require_unless_system(actor, "knowledge.review_record", record)
    if publish and record.is_demo:
        raise ValidationError({"status": _("Demo records are never published.")})
    record.status = ReviewStatus.PUBLISHED if publish else ReviewStatus.REJECTED
    record.reviewed_by = actor if actor is not None and actor.is_authenticated else None
    record.reviewed_at = timezone.now()
    record.review_note = note[:1000]
    with set_actor(actor):
        record.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_note", "updated_at"])
    return record


# --------------------------------------------------------------------------------------------------------- starter


def starter_practices_load(path: Path = STARTER_PRACTICES_FILE) -> int:
    """Publish the reference practices (Singapore, Malaysia, Korea, China, Japan, United Kingdom) once, with their
    sources; returns how many were created."""
    data = json.loads(path.read_text(encoding="utf-8"))
    created = 0
    for item in data["practices"]:
        country = Country.objects.get(iso2=item["country"])
        title_en = item["title"].get("en", "")
        if Practice.objects.filter(country=country, titles__en=title_en).exists():
            continue
        source = item.get("source", {})
        practice = practice_propose(
            actor=None,
            country=country,
            titles=item["title"],
            source_title=source.get("title", ""),
            instrument=Term.objects.filter(kind=TermKind.INSTRUMENT, code=item.get("instrument")).first(),
            methods=list(Term.objects.filter(kind=TermKind.METHOD, code__in=item.get("methods", []))),
            stakeholder_groups=item.get("stakeholder_groups", []),
            descriptions=item.get("description", {}),
            figures=item.get("figures", ""),
            year=item.get("year"),
            outcome=item.get("outcome", "unknown"),
            source_publisher=source.get("publisher", ""),
            source_url=source.get("url", ""),
            source_date=source.get("date", ""),
        )
        record_review(actor=None, record=practice, publish=True, note="Starter content from the project's brief.")
        created += 1
    return created
