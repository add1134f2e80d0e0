"""Writes to the stakeholder registry. Every function checks the actor's permission on the record (or on the
country a new record belongs to) and records the actor in the audit history."""

import datetime
from typing import Any

from auditlog.context import disable_auditlog, set_actor
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ipvalue.countries.models import Country
from ipvalue.stakeholders.models import (
    ConsentEvent,
    ErasureRecord,
    Interaction,
    Organisation,
    Partnership,
    PartnershipDocument,
    Person,
    PersonList,
    StatusChange,
)

ORGANISATION_FIELDS = ("name", "name_en", "name_fr", "name_es", "name_ru", "name_zh_hans", "name_ar", "country",
                       "type", "website", "notes")  # fmt: skip
PERSON_FIELDS = ("full_name", "organisation", "position", "country", "languages", "email", "phone", "group", "notes")


def _require(actor: Any, perm: str, obj: Any) -> None:
    if not actor.has_perm(perm, obj):
        raise PermissionDenied


def _check_organisation_visible(actor: Any, organisation: Organisation | None) -> None:
    if organisation is not None and not actor.has_perm("stakeholders.view_organisation", organisation):
        raise ValidationError({"organisation": _("You cannot link to an organisation outside your countries.")})


def _apply(record: Any, fields: tuple[str, ...], data: dict[str, Any]) -> None:
    for key in fields:
        if key in data:
            setattr(record, key, data[key])


# --- Organisations ------------------------------------------------------------------------------------------------


@transaction.atomic
def organisation_create(*, actor: Any, data: dict[str, Any]) -> Organisation:
    _require(actor, "stakeholders.add_organisation", data["country"])
    organisation = Organisation()
    _apply(organisation, ORGANISATION_FIELDS, data)
    organisation.full_clean()
    with set_actor(actor):
        organisation.save()
    return organisation


@transaction.atomic
def organisation_update(*, actor: Any, organisation: Organisation, data: dict[str, Any]) -> Organisation:
    _require(actor, "stakeholders.change_organisation", organisation)
    if "country" in data:
        _require(actor, "stakeholders.add_organisation", data["country"])
    _apply(organisation, ORGANISATION_FIELDS, data)
    organisation.full_clean()
    with set_actor(actor):
        organisation.save()
    return organisation


@transaction.atomic
def organisation_delete(*, actor: Any, organisation: Organisation) -> None:
    _require(actor, "stakeholders.delete_organisation", organisation)
    if organisation.partnerships.exists():
        raise ValidationError(_("This organisation has partnerships; delete or move them first."))
    with set_actor(actor):
        organisation.delete()


@transaction.atomic
def organisation_merge(*, actor: Any, keep: Organisation, duplicate: Organisation) -> Organisation:
    """Move the duplicate's people and partnerships to ``keep``, fill ``keep``'s empty fields from it, delete it."""
    _require(actor, "stakeholders.change_organisation", keep)
    _require(actor, "stakeholders.delete_organisation", duplicate)
    if keep.pk == duplicate.pk:
        raise ValidationError(_("An organisation cannot be merged with itself."))
    with set_actor(actor):
        for person in duplicate.people.all():
            person.organisation = keep
            person.save(update_fields=["organisation", "updated_at"])
        duplicate.partnerships.update(organisation=keep)
        for field in ORGANISATION_FIELDS:
            if not getattr(keep, field) and getattr(duplicate, field):
                setattr(keep, field, getattr(duplicate, field))
        keep.save()
        duplicate.delete()
    return keep


# --- People -------------------------------------------------------------------------------------------------------


@transaction.atomic
def person_create(*, actor: Any, data: dict[str, Any], status: str | None = None) -> Person:
    _require(actor, "stakeholders.add_person", data["country"])
    _check_organisation_visible(actor, data.get("organisation"))
    person = Person()
    _apply(person, PERSON_FIELDS, data)
    if status:
        person.status = status
    person.full_clean()
    with set_actor(actor):
        person.save()
    StatusChange.objects.create(
        person=person, status=person.status, changed_on=timezone.localdate(), changed_by=_user_or_none(actor)
    )
    return person


@transaction.atomic
def person_update(*, actor: Any, person: Person, data: dict[str, Any]) -> Person:
    _require(actor, "stakeholders.change_person", person)
    if "country" in data:
        _require(actor, "stakeholders.add_person", data["country"])
    _check_organisation_visible(actor, data.get("organisation"))
    _apply(person, PERSON_FIELDS, data)
    person.full_clean()
    with set_actor(actor):
        person.save()
    return person


@transaction.atomic
def person_delete(*, actor: Any, person: Person) -> None:
    """Delete a record entered by mistake. To honour a request to forget someone, use ``person_erase``."""
    _require(actor, "stakeholders.delete_person", person)
    with set_actor(actor):
        person.delete()


@transaction.atomic
def person_set_status(
    *, actor: Any, person: Person, status: str, changed_on: datetime.date | None = None
) -> StatusChange:
    """Move a person along the mobilisation path (identified, contacted, engaged, active), dated."""
    _require(actor, "stakeholders.change_person", person)
    changed_on = changed_on or timezone.localdate()
    if changed_on > timezone.localdate():
        raise ValidationError({"changed_on": _("The date cannot be in the future.")})
    with set_actor(actor):
        person.status = status
        person.full_clean()
        person.save(update_fields=["status", "updated_at"])
    return StatusChange.objects.create(
        person=person, status=status, changed_on=changed_on, changed_by=_user_or_none(actor)
    )


@transaction.atomic
def interaction_log(
    *, actor: Any, person: Person, kind: str, occurred_on: datetime.date, notes: str = ""
) -> Interaction:
    _require(actor, "stakeholders.change_person", person)
    interaction = Interaction(
        person=person, kind=kind, occurred_on=occurred_on, notes=notes, recorded_by=_user_or_none(actor)
    )
    interaction.full_clean()
    with set_actor(actor):
        interaction.save()
    return interaction


@transaction.atomic
def consent_record(
    *,
    actor: Any,
    person: Person,
    purpose: str,
    granted: bool,
    occurred_at: datetime.datetime | None = None,
    evidence: str = "",
) -> ConsentEvent:
    """Record that a person gave (or withdrew) consent for a purpose. Earlier events are kept as history."""
    _require(actor, "stakeholders.change_person", person)
    event = ConsentEvent(
        person=person,
        purpose=purpose,
        granted=granted,
        occurred_at=occurred_at or timezone.now(),
        evidence=evidence,
        recorded_by=_user_or_none(actor),
    )
    event.full_clean()
    with set_actor(actor):
        event.save()
    return event


@transaction.atomic
def person_erase(*, actor: Any, person: Person, requested_on: datetime.date | None = None) -> ErasureRecord:
    """Erase a person's personal data on their request (GDPR art. 17 style).

    Name, e-mail, phone, position, languages, notes and the link to their organisation are removed; their
    interactions, consents and the audit entries that describe them are deleted. What remains is an anonymous row
    (country, stakeholder group, mobilisation status and its dated steps) so that counts stay right, and an
    ``ErasureRecord`` saying when and by whom it was done.
    """
    _require(actor, "stakeholders.erase_person", person)
    if person.erased_at:
        raise ValidationError(_("This person's data has already been erased."))
    person_type = ContentType.objects.get_for_model(Person)
    personal_entries = [(person_type, [person.pk])]
    for model, related in ((Interaction, person.interactions), (ConsentEvent, person.consent_events)):
        personal_entries.append((ContentType.objects.get_for_model(model), list(related.values_list("pk", flat=True))))
    with disable_auditlog():
        person.interactions.all().delete()
        person.consent_events.all().delete()
        person.full_name = ""
        person.email = ""
        person.phone = ""
        person.position = ""
        person.notes = ""
        person.languages = []
        person.organisation = None
        person.erased_at = timezone.now()
        person.save()
        for content_type, pks in personal_entries:
            LogEntry.objects.filter(content_type=content_type, object_pk__in=[str(pk) for pk in pks]).delete()
        StatusChange.objects.filter(person=person).update(changed_by=None)
    with set_actor(actor):
        return ErasureRecord.objects.create(
            country=person.country,
            group=person.group,
            requested_on=requested_on or timezone.localdate(),
            erased_by=_user_or_none(actor),
        )


@transaction.atomic
def person_merge(*, actor: Any, keep: Person, duplicate: Person) -> Person:
    """Merge a duplicate record into ``keep``: its history moves over, empty fields are filled, it is deleted."""
    _require(actor, "stakeholders.change_person", keep)
    _require(actor, "stakeholders.delete_person", duplicate)
    if keep.pk == duplicate.pk:
        raise ValidationError(_("A person cannot be merged with themselves."))
    with set_actor(actor):
        duplicate.interactions.update(person=keep)
        duplicate.consent_events.update(person=keep)
        duplicate.status_changes.update(person=keep)
        for field in ("organisation", "position", "email", "phone", "notes"):
            if not getattr(keep, field) and getattr(duplicate, field):
                setattr(keep, field, getattr(duplicate, field))
        keep.languages = sorted(set(keep.languages) | set(duplicate.languages))
        keep.save()
        duplicate.delete()
    return keep


# --- Partnerships -------------------------------------------------------------------------------------------------


@transaction.atomic
def partnership_save(*, actor: Any, partnership: Partnership, data: dict[str, Any]) -> Partnership:
    """Create (``partnership`` unsaved) or update a partnership."""
    if partnership.pk:
        _require(actor, "stakeholders.change_partnership", partnership)
    organisation = data.get("organisation", getattr(partnership, "organisation", None))
    _require(actor, "stakeholders.add_partnership", organisation)
    _apply(partnership, ("organisation", "kind", "scope", "starts_on", "ends_on"), data)
    partnership.full_clean()
    with set_actor(actor):
        partnership.save()
    return partnership


@transaction.atomic
def partnership_document_add(*, actor: Any, partnership: Partnership, title: str, file: Any) -> PartnershipDocument:
    _require(actor, "stakeholders.change_partnership", partnership)
    document = PartnershipDocument(partnership=partnership, title=title, file=file)
    document.full_clean()
    document.save()
    return document


# --- Lists --------------------------------------------------------------------------------------------------------


@transaction.atomic
def person_list_save(
    *,
    actor: Any,
    person_list: PersonList,
    name: str,
    countries: list[Country],
    groups: list[str],
    organisation_types: list[str],
    statuses: list[str],
    consent: str = "",
) -> PersonList:
    """Create (``person_list`` unsaved) or update a saved list."""
    if person_list.pk:
        _require(actor, "stakeholders.change_personlist", person_list)
    else:
        _require(actor, "stakeholders.add_personlist", None)
        person_list.owner = actor
    for country in countries:
        _require(actor, "stakeholders.add_person", country)
    person_list.name = name
    person_list.groups = groups
    person_list.organisation_types = organisation_types
    person_list.statuses = statuses
    person_list.consent = consent
    person_list.full_clean()
    with set_actor(actor):
        person_list.save()
        person_list.countries.set(countries)
    return person_list


def _user_or_none(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) else None
