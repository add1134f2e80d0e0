"""Writes to country data. Every function takes keyword-only arguments and records who acted in the audit log."""

import datetime
import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from auditlog.context import set_actor
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from ipvalue.core.languages import LANGUAGE_CODES, field_suffix
from ipvalue.countries.models import Country, RegionalGroup, SelectionCriterion

DATA_DIR = Path(__file__).resolve().parent / "data"
MEMBER_STATES_FILE = DATA_DIR / "member_states.json"
BENEFICIARIES_FILE = DATA_DIR / "beneficiaries.json"


@cache
def reference_data(path: Path = MEMBER_STATES_FILE) -> dict[str, Any]:
    """The member-state reference file (states, groups, and the source and date of each)."""
    return json.loads(path.read_text(encoding="utf-8"))


def _name_fields(names: dict[str, str]) -> dict[str, str]:
    return {f"name_{field_suffix(code)}": names.get(code, "") for code in LANGUAGE_CODES}


@dataclass
class LoadReport:
    """What a reference-data load changed."""

    groups_created: int = 0
    groups_updated: int = 0
    countries_created: int = 0
    countries_updated: int = 0
    beneficiaries_set: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return (
            f"regional groups: {self.groups_created} created, {self.groups_updated} updated; "
            f"countries: {self.countries_created} created, {self.countries_updated} updated; "
            f"beneficiaries set: {', '.join(self.beneficiaries_set) or 'none'}"
        )


@transaction.atomic
def reference_data_load(
    *,
    states_file: Path = MEMBER_STATES_FILE,
    beneficiaries_file: Path = BENEFICIARIES_FILE,
    reset_beneficiaries: bool = False,
) -> LoadReport:
    """Create or update the member states and regional groups from the reference files; idempotent.

    Codes, names and group membership always follow the files. Beneficiary status and selection criteria are
    decisions the Secretariat may change, so they are applied only to countries that have no selection record
    yet, or to all countries with ``reset_beneficiaries``.
    """
    data = json.loads(states_file.read_text(encoding="utf-8"))
    report = LoadReport()

    groups = {group.code: group for group in RegionalGroup.objects.all()}
    for entry in data["regional_groups"]:
        fields = _name_fields(entry["names"])
        group = groups.get(entry["code"])
        if group is None:
            groups[entry["code"]] = RegionalGroup.objects.create(code=entry["code"], **fields)
            report.groups_created += 1
        elif any(getattr(group, key) != value for key, value in fields.items()):
            for key, value in fields.items():
                setattr(group, key, value)
            group.save()
            report.groups_updated += 1

    existing = {country.iso2: country for country in Country.objects.prefetch_related("groups")}
    new_countries, changed_countries, memberships = [], [], []
    Membership = Country.groups.through
    for entry in data["member_states"]:
        fields = {"iso3": entry["iso3"], "numeric": entry["numeric"], **_name_fields(entry["names"])}
        country = existing.get(entry["iso2"])
        if country is None:
            new_countries.append((Country(iso2=entry["iso2"], **fields), entry["groups"]))
            continue
        changed = False
        if any(getattr(country, key) != value for key, value in fields.items()):
            for key, value in fields.items():
                setattr(country, key, value)
            changed_countries.append(country)
            changed = True
        if {group.code for group in country.groups.all()} != set(entry["groups"]):
            country.groups.set([groups[code] for code in entry["groups"]])
            changed = True
        report.countries_updated += changed
    if changed_countries:
        now = timezone.now()
        for country in changed_countries:
            country.updated_at = now
        Country.objects.bulk_update(changed_countries, ["iso3", "numeric", *_name_fields({}).keys(), "updated_at"])
    # New countries in bulk: a first load is 193 rows and runs on every fresh database (and in many tests).
    created = Country.objects.bulk_create([country for country, _codes in new_countries])
    for country, (_unsaved, codes) in zip(created, new_countries, strict=True):
        memberships.extend(Membership(country_id=country.pk, regionalgroup_id=groups[code].pk) for code in codes)
    Membership.objects.bulk_create(memberships)
    report.countries_created = len(created)

    beneficiaries = json.loads(beneficiaries_file.read_text(encoding="utf-8"))["beneficiaries"]
    for entry in beneficiaries:
        country = Country.objects.get(iso2=entry["iso2"])
        if country.selection_criteria.exists() and not reset_beneficiaries:
            continue
        country.is_beneficiary = True
        country.save(update_fields=["is_beneficiary", "updated_at"])
        for criterion, record in entry["criteria"].items():
            SelectionCriterion.objects.update_or_create(
                country=country,
                criterion=criterion,
                defaults={
                    "assessment": record["assessment"],
                    "evidence": record["evidence"],
                    "source": record["source"],
                    "assessed_on": datetime.date.fromisoformat(record["assessed_on"])
                    if record["assessed_on"]
                    else None,
                },
            )
        report.beneficiaries_set.append(country.iso2)
    return report


@dataclass(frozen=True)
class CriterionInput:
    """One selection criterion as entered on the form."""

    criterion: str
    assessment: str
    evidence: str = ""
    source: str = ""
    assessed_on: datetime.date | None = None


@transaction.atomic
def country_selection_update(
    *,
    actor: Any,
    country: Country,
    criteria: list[CriterionInput],
    is_beneficiary: bool | None = None,
) -> Country:
    """Record a country's selection criteria and, for the Secretariat, its beneficiary status.

    Raises ``PermissionDenied`` unless ``actor`` may change this country (the Secretariat, or an active
    coordinator of the country); only the Secretariat may change ``is_beneficiary``.
    """
    if not actor.has_perm("countries.change_country", country):
        raise PermissionDenied
    with set_actor(actor):
        if is_beneficiary is not None and is_beneficiary != country.is_beneficiary:
            if not actor.has_perm("countries.change_beneficiary_status", country):
                raise PermissionDenied
            country.is_beneficiary = is_beneficiary
            country.save(update_fields=["is_beneficiary", "updated_at"])
        for item in criteria:
            record, created = SelectionCriterion.objects.get_or_create(country=country, criterion=item.criterion)
            values = {
                "assessment": item.assessment,
                "evidence": item.evidence,
                "source": item.source,
                "assessed_on": item.assessed_on,
            }
            if created or any(getattr(record, key) != value for key, value in values.items()):
                for key, value in values.items():
                    setattr(record, key, value)
                record.save()
    return country
