"""Erasure on request leaves no trace of the person in any text column of any table, and counts stay right."""

import datetime

import pytest
from django.apps import apps
from django.db import connection, models

from ipvalue.countries.models import Country
from ipvalue.stakeholders import selectors, services
from ipvalue.stakeholders.models import ErasureRecord, Person

pytestmark = pytest.mark.django_db


def tables_containing(text: str) -> list[str]:
    """Every (table.column) of a text-like column whose value contains ``text``: a scan of the whole database."""
    found = []
    with connection.cursor() as cursor:
        for model in apps.get_models(include_auto_created=True):
            table = model._meta.db_table
            for field in model._meta.concrete_fields:
                if not isinstance(field, (models.CharField, models.TextField, models.JSONField)):
                    continue
                column = connection.ops.quote_name(field.column)
                cursor.execute(
                    f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)} WHERE CAST({column} AS TEXT) LIKE %s",  # noqa: S608
                    [f"%{text}%"],
                )
                if cursor.fetchone()[0]:
                    found.append(f"{table}.{field.column}")
    return found


def test_erasure_leaves_no_trace_and_keeps_counts(secretariat, aigul, kz_bank):
    services.interaction_log(
        actor=secretariat, person=aigul, kind="meeting", occurred_on=datetime.date(2026, 5, 4), notes="Call Aigul back"
    )
    services.consent_record(
        actor=secretariat, person=aigul, purpose="contact", granted=True, evidence="aigul.zh@example.kz"
    )
    services.person_set_status(actor=secretariat, person=aigul, status="engaged")
    services.person_update(actor=secretariat, person=aigul, data={"phone": "+7 701 555 0200"})
    services.organisation_merge(
        actor=secretariat,
        keep=kz_bank,
        duplicate=services.organisation_create(
            actor=secretariat, data={"name": "HALYK bank", "type": "bank", "country": aigul.country}
        ),
    )
    for trace in ("Zhaksylykova", "aigul.zh@example.kz", "555 0199", "555 0200", "Head of SME lending"):
        assert tables_containing(trace), f"setup: {trace} should be stored before erasure"
    counts_before = selectors.people_counts(user=secretariat)

    record = services.person_erase(actor=secretariat, person=aigul, requested_on=datetime.date(2026, 6, 1))

    for trace in ("Zhaksylykova", "Aigul", "aigul.zh@example.kz", "555 0199", "555 0200", "Head of SME lending"):
        assert tables_containing(trace) == [], trace
    assert selectors.people_counts(user=secretariat) == counts_before
    assert record == ErasureRecord.objects.get()
    assert (record.country.iso2, record.group, record.erased_by) == ("KZ", "finance", secretariat)
    assert record.requested_on == datetime.date(2026, 6, 1)
    erased = Person.objects.get(pk=aigul.pk)
    assert erased.erased_at and erased.status_changes.count() == 2
    assert not selectors.person_list(user=secretariat).filter(pk=aigul.pk).exists()
    assert kz_bank.people.current().count() == 0


def test_erasure_of_an_erased_person_is_refused(secretariat, aigul):
    services.person_erase(actor=secretariat, person=aigul)
    with pytest.raises(Exception, match="already been erased"):
        services.person_erase(actor=secretariat, person=Person.objects.get(pk=aigul.pk))


def test_export_has_everything_held(secretariat, aigul):
    services.interaction_log(
        actor=secretariat, person=aigul, kind="call", occurred_on=datetime.date(2026, 5, 4), notes="Follow-up"
    )
    services.consent_record(actor=secretariat, person=aigul, purpose="newsletter", granted=False)
    data = selectors.person_export_data(person=aigul)
    assert data["full_name"] == "Aigul Zhaksylykova" and data["email"] == "aigul.zh@example.kz"
    assert data["organisation"] == "Halyk Bank" and data["languages"] == ["ru", "kk"]
    assert data["interactions"] == [{"kind": "call", "date": "2026-05-04", "notes": "Follow-up"}]
    assert data["consents"][0]["purpose"] == "newsletter" and data["consents"][0]["granted"] is False
    assert data["status_history"][0]["status"] == "identified"


def test_coordinator_of_another_country_cannot_erase(make_user, aigul):
    from django.core.exceptions import PermissionDenied

    coordinator_uz = make_user("uz", "coordinator", countries=("UZ",))
    with pytest.raises(PermissionDenied):
        services.person_erase(actor=coordinator_uz, person=aigul)
    assert Person.objects.get(pk=aigul.pk).full_name == "Aigul Zhaksylykova"
    assert Country.objects.get(iso2="KZ").people.count() == 1
