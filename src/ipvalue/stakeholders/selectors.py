"""Reads of the stakeholder registry, always within the countries the user may see."""

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Lower

from ipvalue.accounts.predicates import is_secretariat
from ipvalue.accounts.selectors import user_country_scope
from ipvalue.stakeholders.models import ConsentEvent, Organisation, Partnership, Person, PersonList


@dataclass(frozen=True)
class PersonFilter:
    countries: tuple[str, ...] = ()  # ISO alpha-2 codes
    groups: tuple[str, ...] = ()
    organisation_types: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    consent: str = ""
    search: str = ""


def organisation_list(
    *, user: Any, countries: tuple[str, ...] = (), types: tuple[str, ...] = (), search: str = ""
) -> QuerySet[Organisation]:
    organisations = Organisation.objects.filter(country__in=user_country_scope(user=user)).select_related("country")
    if countries:
        organisations = organisations.filter(country__iso2__in=[code.upper() for code in countries])
    if types:
        organisations = organisations.filter(type__in=types)
    if search:
        organisations = organisations.filter(
            Q(name__icontains=search) | Q(name_en__icontains=search) | Q(name_ru__icontains=search)
        )
    return organisations.annotate(people_count=Count("people", filter=Q(people__erased_at__isnull=True)))


def person_list(*, user: Any, filters: PersonFilter = PersonFilter()) -> QuerySet[Person]:
    """People the user may see (erased records excluded), filtered."""
    people = (
        Person.objects.current()
        .filter(country__in=user_country_scope(user=user))
        .select_related("country", "organisation")
    )
    if filters.countries:
        people = people.filter(country__iso2__in=[code.upper() for code in filters.countries])
    if filters.groups:
        people = people.filter(group__in=filters.groups)
    if filters.organisation_types:
        people = people.filter(organisation__type__in=filters.organisation_types)
    if filters.statuses:
        people = people.filter(status__in=filters.statuses)
    if filters.consent:
        people = people.filter(_consent_in_force(filters.consent))
    if filters.search:
        text = filters.search.strip()
        people = people.filter(
            Q(full_name__icontains=text)
            | Q(email__icontains=text)
            | Q(position__icontains=text)
            | Q(organisation__name__icontains=text)
        )
    return people


def _consent_in_force(purpose: str) -> Exists:
    """True for people whose latest consent event for ``purpose`` grants it."""
    latest = ConsentEvent.objects.filter(person=OuterRef("person"), purpose=purpose).order_by("-occurred_at", "-pk")
    return Exists(
        ConsentEvent.objects.filter(person=OuterRef("pk"), purpose=purpose, granted=True).filter(
            pk=latest.values("pk")[:1]
        )
    )


def person_consents(*, person: Person) -> dict[str, ConsentEvent]:
    """The consent in force for each purpose with any record: purpose -> latest event."""
    current: dict[str, ConsentEvent] = {}
    for event in person.consent_events.all():  # newest first
        current.setdefault(event.purpose, event)
    return current


def saved_list_members(*, user: Any, saved: PersonList) -> QuerySet[Person]:
    """The people a saved list selects today, within the countries ``user`` may see."""
    return person_list(
        user=user,
        filters=PersonFilter(
            countries=tuple(saved.countries.values_list("iso2", flat=True)),
            groups=tuple(saved.groups),
            organisation_types=tuple(saved.organisation_types),
            statuses=tuple(saved.statuses),
            consent=saved.consent,
        ),
    )


def saved_lists(*, user: Any) -> QuerySet[PersonList]:
    lists = PersonList.objects.prefetch_related("countries").select_related("owner")
    return lists if is_secretariat(user) else lists.filter(owner=user)


def partnership_list(*, user: Any) -> QuerySet[Partnership]:
    return Partnership.objects.filter(organisation__country__in=user_country_scope(user=user)).select_related(
        "organisation", "organisation__country"
    )


def duplicate_people(*, user: Any) -> list[list[Person]]:
    """Groups of people (two or more) who share an e-mail address, case-insensitively."""
    people = person_list(user=user).exclude(email="").annotate(email_key=Lower("email"))
    repeated = people.values("email_key").annotate(n=Count("pk")).filter(n__gt=1).values_list("email_key", flat=True)
    groups: dict[str, list[Person]] = {}
    for person in people.filter(email_key__in=list(repeated)).order_by("email_key", "created_at"):
        groups.setdefault(person.email_key, []).append(person)
    return list(groups.values())


def normalised_name(name: str) -> str:
    """A name for comparison: case, punctuation, quotes and extra spaces ignored."""
    kept = "".join(char if char.isalnum() else " " for char in name.casefold())
    return " ".join(kept.split())


def duplicate_organisations(*, user: Any) -> list[list[Organisation]]:
    """Groups of organisations in the same country whose names match once case and punctuation are ignored."""
    groups: dict[tuple[int, str], list[Organisation]] = {}
    for organisation in organisation_list(user=user).order_by("created_at"):
        groups.setdefault((organisation.country_id, normalised_name(organisation.name)), []).append(organisation)
    return [group for group in groups.values() if len(group) > 1]


def person_export_data(*, person: Person) -> dict[str, Any]:
    """Everything held on a person, for a subject-access request (JSON-ready)."""
    return {
        "id": person.pk,
        "full_name": person.full_name,
        "organisation": person.organisation.name if person.organisation else None,
        "position": person.position,
        "country": person.country.iso2,
        "languages": person.languages,
        "email": person.email,
        "phone": person.phone,
        "stakeholder_group": person.group,
        "mobilisation_status": person.status,
        "notes": person.notes,
        "created_at": person.created_at.isoformat(),
        "updated_at": person.updated_at.isoformat(),
        "status_history": [
            {"status": change.status, "date": change.changed_on.isoformat()} for change in person.status_changes.all()
        ],
        "interactions": [
            {"kind": item.kind, "date": item.occurred_on.isoformat(), "notes": item.notes}
            for item in person.interactions.all()
        ],
        "consents": [
            {
                "purpose": event.purpose,
                "granted": event.granted,
                "at": event.occurred_at.isoformat(),
                "evidence": event.evidence,
            }
            for event in person.consent_events.all()
        ],
    }


def people_counts(*, user: Any) -> list[dict[str, Any]]:
    """Counts of people by country, group and status, erased records included (they stay counted)."""
    return list(
        Person.objects.filter(country__in=user_country_scope(user=user))
        .values("country__iso2", "group", "status")
        .annotate(count=Count("pk"))
        .order_by("country__iso2", "group", "status")
    )
