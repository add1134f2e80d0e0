"""Reads of country data."""

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet

from ipvalue.accounts.models import CountryAssignment
from ipvalue.countries.models import Country, SelectionCriterion


def country_list(
    *, group: str | None = None, beneficiary: bool | None = None, search: str | None = None
) -> QuerySet[Country]:
    """Member states, optionally filtered by regional group code, beneficiary status and a search text
    matched against codes and the names in every language."""
    countries = Country.objects.prefetch_related("groups")
    if group:
        countries = countries.filter(groups__code__iexact=group)
    if beneficiary is not None:
        countries = countries.filter(is_beneficiary=beneficiary)
    if search:
        text = search.strip()
        countries = countries.filter(
            Q(iso2__iexact=text)
            | Q(iso3__iexact=text)
            | Q(name_en__icontains=text)
            | Q(name_fr__icontains=text)
            | Q(name_es__icontains=text)
            | Q(name_ru__icontains=text)
            | Q(name_zh_hans__icontains=text)
            | Q(name_ar__icontains=text)
        )
    return countries.distinct()


def country_get(*, code: str) -> Country:
    """A country by its alpha-2 or alpha-3 code, case-insensitive; raises ``Country.DoesNotExist``."""
    field = "iso2__iexact" if len(code) == 2 else "iso3__iexact"
    return Country.objects.prefetch_related("groups").get(**{field: code})


def country_coordinators(*, country: Country) -> QuerySet[CountryAssignment]:
    """The country's national coordinators in office today."""
    return CountryAssignment.objects.active().filter(country=country).select_related("user")


def country_selection_criteria(*, country: Country) -> list[SelectionCriterion]:
    """One record per selection criterion, unsaved placeholders where none is recorded yet."""
    recorded = {item.criterion: item for item in country.selection_criteria.all()}
    return [
        recorded.get(value) or SelectionCriterion(country=country, criterion=value)
        for value in SelectionCriterion.Criterion.values
    ]


def country_history(*, country: Country) -> QuerySet[LogEntry]:
    """Audit-log entries for the country, its selection criteria and its knowledge-base records (facts, practices,
    obstacles, institutions: proposed, reviewed, edited), newest first."""
    from ipvalue.knowledge.models import Fact, Institution, Obstacle, Practice

    criteria_ids = [str(pk) for pk in country.selection_criteria.values_list("pk", flat=True)]
    records = Q(content_type=ContentType.objects.get_for_model(Country), object_pk=str(country.pk)) | Q(
        content_type=ContentType.objects.get_for_model(SelectionCriterion), object_pk__in=criteria_ids
    )
    for model in (Fact, Practice, Obstacle, Institution):
        ids = [str(pk) for pk in model.objects.filter(country=country).values_list("pk", flat=True)]
        if ids:
            records |= Q(content_type=ContentType.objects.get_for_model(model), object_pk__in=ids)
    return LogEntry.objects.filter(records).select_related("actor", "content_type").order_by("-timestamp")
