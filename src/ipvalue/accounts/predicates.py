"""Permission predicates (django-rules), shared by every app's ``rules.py``.

Object rules take any record that belongs to a country: a ``Country`` itself or anything with a ``country``
attribute. A national coordinator acts only on the countries of their active assignments.
"""

from typing import Any

import rules

from ipvalue.accounts.models import CountryAssignment, Role


def country_of(obj: Any) -> Any:
    """The country a record belongs to, or None."""
    return getattr(obj, "country", None) if obj is not None else None


@rules.predicate
def is_secretariat(user: Any) -> bool:
    return bool(getattr(user, "is_secretariat", False))


@rules.predicate
def is_coordinator(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_active and getattr(user, "role", None) == Role.COORDINATOR)


@rules.predicate
def is_expert(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_active and getattr(user, "role", None) == Role.EXPERT)


@rules.predicate
def is_coordinator_of_country(user: Any, obj: Any) -> bool:
    """True when ``user`` is an active coordinator of the country ``obj`` belongs to."""
    country = country_of(obj)
    if country is None or not is_coordinator(user):
        return False
    return CountryAssignment.objects.active().filter(user=user, country=country).exists()


@rules.predicate
def is_coordinator_in_office(user: Any) -> bool:
    """A national coordinator with at least one appointment in force today."""
    return is_coordinator(user) and CountryAssignment.objects.active().filter(user=user).exists()
