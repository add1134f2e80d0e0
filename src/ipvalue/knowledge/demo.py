"""Demo records of the knowledge base for beneficiary countries: flagged ``is_demo``, proposed and never publishable,
so that the review queue has something to show without any invented legal fact reaching a public page."""

from __future__ import annotations

from typing import Any

from ipvalue.countries.models import Country
from ipvalue.knowledge import services
from ipvalue.knowledge.models import Fact, Term, TermKind

DEMO_SOURCE = "Demo data: not a real legal fact"
DEMO_FACTS = (
    ("KZ", "ip_pledge_allowed", "yes"),
    ("KZ", "security_interest_register", "ip_office"),
    ("UZ", "ip_pledge_allowed", "yes"),
    ("UZ", "valuer_licensing", "licence_required"),
)


def demo_facts_create(actor: Any = None) -> int:
    """Propose the demo facts once (none when demo facts exist); returns how many were created."""
    if Fact.objects.filter(is_demo=True).exists():
        return 0
    created = 0
    for iso2, code, value in DEMO_FACTS:
        provision = Term.objects.filter(kind=TermKind.PROVISION, code=code).first()
        country = Country.objects.filter(iso2=iso2).first()
        if provision is None or country is None:
            continue
        services.fact_propose(
            actor=None, country=country, provision=provision, value=value, source_title=DEMO_SOURCE,
            confidence="low", is_demo=True,
        )  # fmt: skip
        created += 1
    return created
