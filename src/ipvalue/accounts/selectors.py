"""Reads about people's accounts and what they may reach."""

from typing import Any

from django.db.models import QuerySet

from ipvalue.accounts.models import CountryAssignment
from ipvalue.accounts.predicates import is_coordinator, is_secretariat
from ipvalue.countries.models import Country


def user_country_scope(*, user: Any) -> QuerySet[Country]:
    """The countries whose restricted data ``user`` may see: all for the Secretariat, a coordinator's countries in
    office today, none for anyone else."""
    if is_secretariat(user):
        return Country.objects.all()
    if is_coordinator(user):
        return Country.objects.filter(pk__in=CountryAssignment.objects.active().filter(user=user).values("country_id"))
    return Country.objects.none()
