"""Reads shared across the site."""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Indicator:
    code: str
    description: Promise
    target: Promise


def project_indicators() -> list[Indicator]:
    """The indicators the project is judged by, with their targets (CDIP/36 proposal, section 2.4)."""
    return [
        Indicator(
            "O1",
            _("Beneficiary countries confirming they implemented the project's recommendations or tools"),
            # xgettext:no-python-format
            _("at least 60% of countries"),
        ),
        Indicator(
            "R1a",
            _("Participating countries that drafted reports from interviews, surveys and other data collection"),
            _("every country"),
        ),
        Indicator(
            "R1b",
            _("Seminar and webinar participants confirming a better understanding of valuation and commercialization"),
            _("at least 80%"),
        ),
        Indicator(
            "R2",
            _("Stakeholders in beneficiary countries confirming they implemented recommendations or set up frameworks"),
            _("at least 60%"),
        ),
        Indicator("P1a", _("Analytical report prepared, published and presented at a CDIP session"), _("done")),
        Indicator(
            "P1b",
            _("Stakeholders confirming the report helped identify opportunities and gaps"),
            _("at least 80%"),
        ),
        Indicator("P2a", _("Practical recommendations and a manual prepared and published"), _("done")),
        Indicator("P2b", _("Stakeholders using the recommendations in their work"), _("at least 60%")),
        Indicator(
            "P3a",
            _("National seminars (one per beneficiary country) and joint webinars held"),
            _("at least 1 per country and 2 joint webinars"),
        ),
        Indicator(
            "P3b",
            _("Participants who found the events useful and feel better prepared"),
            _("at least 75%"),
        ),
    ]
