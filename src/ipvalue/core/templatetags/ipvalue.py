"""Template filters used across the site."""

import datetime
import math

from django import template

from ipvalue.core.languages import language_name

register = template.Library()


@register.filter
def minutes(duration: datetime.timedelta | None) -> int:
    """Whole minutes in a duration, rounded up (a lockout of 90 seconds reads as 2 minutes)."""
    if not duration:
        return 0
    return math.ceil(duration.total_seconds() / 60)


@register.filter
def language_names(codes: list[str] | None) -> str:
    """Language codes as names in the page's language, comma-separated."""
    return ", ".join(language_name(code) for code in codes or [])
