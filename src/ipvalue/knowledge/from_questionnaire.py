"""From questionnaire to profile: a submitted response to the project's questionnaire becomes proposed facts,
practices and obstacles of its respondent's country, each pointing at the response it came from, waiting for the
Secretariat's review. The correspondence is declared in ``data/questionnaire_mapping.json``."""

from __future__ import annotations

import json
import logging
from functools import cache
from pathlib import Path
from typing import Any

from django.db import transaction

from ipvalue.knowledge import services
from ipvalue.knowledge.models import Fact, Obstacle, Practice, Term, TermKind
from ipvalue.surveys.expressions import to_string

logger = logging.getLogger(__name__)
MAPPING_FILE = Path(__file__).resolve().parent / "data" / "questionnaire_mapping.json"


@cache
def mapping() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(MAPPING_FILE.read_text(encoding="utf-8"))
    return data


def _source(response: Any) -> str:
    return f"Questionnaire “{response.survey.title}”, response {response.pk}"[:500]


def _fact_value(rule: dict[str, Any], answer: Any) -> str | None:
    if "values" in rule:
        return rule["values"].get(answer) if isinstance(answer, str) else None
    chosen = set(answer if isinstance(answer, list) else [answer])
    for option in rule.get("rules", []):
        if ("all" in option and set(option["all"]) <= chosen) or ("any" in option and chosen & set(option["any"])):
            return str(option["value"])
    return None


def proposals_from_response(response: Any) -> dict[str, int]:
    """Propose the records a submitted response implies (once: a response already used proposes nothing more)."""
    rules = mapping()
    definition = response.version.definition
    country = response.invitation.country if response.invitation_id and response.invitation else None
    counts = {"facts": 0, "practices": 0, "obstacles": 0}
    if definition.get("form_id") != rules["form_id"] or country is None or response.is_preview:
        return counts
    if (
        Fact.objects.filter(origin_response=response).exists()
        or Practice.objects.filter(origin_response=response).exists()
        or Obstacle.objects.filter(origin_response=response).exists()
    ):
        return counts
    answers = response.answers
    language = (response.language or "en").lower()
    source = _source(response)
    terms = {(term.kind, term.code): term for term in Term.objects.filter(active=True)}
    with transaction.atomic():
        for rule in rules["facts"]:
            value = _fact_value(rule, answers.get(rule["question"]))
            provision = terms.get((TermKind.PROVISION, rule["provision"]))
            if value is None or provision is None:
                continue
            services.fact_propose(
                actor=None, country=country, provision=provision, value=value, source_title=source,
                detail=str(answers.get(rule.get("detail_from", ""), "") or ""), origin_response=response,
                confidence="medium",
            )  # fmt: skip
            counts["facts"] += 1
        spec = rules["practices"]
        for instance in answers.get(spec["repeat"]) or []:
            if any(instance.get(key) == value for key, value in spec.get("skip_when", {}).items()):
                continue
            title = str(instance.get(spec["title"]) or "").strip()
            if not title:
                continue
            amount = instance.get(spec["amount"])
            figures = (
                f"{to_string(amount)} {instance.get(spec['currency']) or ''}".strip()
                if amount not in (None, "")
                else ""
            )
            year = instance.get(spec["year"])
            instrument_code = spec["instruments"].get(instance.get(spec["instrument"]), "")
            services.practice_propose(
                actor=None,
                country=country,
                titles={language: title},
                descriptions={language: str(instance.get(spec["description"]) or "")},
                source_title=str(instance.get(spec["source"]) or source)[:500],
                instrument=terms.get((TermKind.INSTRUMENT, instrument_code)),
                methods=[
                    terms[(TermKind.METHOD, spec["methods"][code])]
                    for code in instance.get(spec["methods_from"]) or []
                    if code in spec["methods"] and (TermKind.METHOD, spec["methods"][code]) in terms
                ],
                stakeholder_groups=sorted(
                    {spec["stakeholders"][code] for code in instance.get(spec["stakeholders_from"]) or []
                     if code in spec["stakeholders"]}
                ),
                figures=figures,
                year=int(year) if isinstance(year, int | float) else None,
                outcome=spec["outcomes"].get(instance.get(spec["outcome"]), "unknown"),
                origin_response=response,
            )  # fmt: skip
            counts["practices"] += 1
        for rule in rules["obstacles"]:
            severity = answers.get(rule["severity_from"])
            for code in answers.get(rule["question"]) or []:
                kind = terms.get((TermKind.OBSTACLE, rule["types"].get(code, "")))
                if kind is None:
                    continue
                services.obstacle_propose(
                    actor=None, country=country, type=kind, source_title=source, origin_response=response,
                    severity=int(severity) if str(severity).isdigit() and 1 <= int(severity) <= 5 else 3,
                )  # fmt: skip
                counts["obstacles"] += 1
    return counts


def on_response_submitted(sender: Any, response: Any, **kwargs: Any) -> None:
    """Receiver of ``surveys.signals.response_submitted``: never lets a mapping problem undo a submission."""
    try:
        counts = proposals_from_response(response)
    except Exception:  # the response is submitted whatever happens here; the log has the detail
        logger.exception("could not propose knowledge-base records from response %s", response.pk)
        return
    if any(counts.values()):
        logger.info("response %s proposed %s", response.pk, counts)
