"""Import of people (and their organisations) from a CSV or XLSX table, with an error for each bad row and column.

Columns (header names, case-insensitive; aliases in brackets): ``full_name`` [name], ``email`` [e-mail], ``phone``,
``position``, ``organisation`` [organization], ``organisation_type`` [type], ``country`` (ISO alpha-2), ``group``,
``languages`` (codes separated by commas or spaces), ``status``. Only ``full_name`` and ``country`` are required.

Modes: ``all-or-nothing`` imports nothing when any row has an error; ``good-rows`` imports the rows without errors.
A row whose e-mail is already registered (in the user's countries) or repeated in the file is a duplicate: an error.
"""

from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.db import transaction
from django.db.models.functions import Lower
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ipvalue.accounts.selectors import user_country_scope
from ipvalue.core.tabular import read_table
from ipvalue.stakeholders import services
from ipvalue.stakeholders.models import Organisation, Person
from ipvalue.stakeholders.selectors import normalised_name
from ipvalue.stakeholders.taxonomy import (
    DEFAULT_GROUP,
    SPOKEN_LANGUAGES,
    MobilisationStatus,
    OrganisationType,
    StakeholderGroup,
)

MODES = ("all-or-nothing", "good-rows")
ALIASES = {"name": "full_name", "e-mail": "email", "organization": "organisation", "type": "organisation_type"}
COLUMNS = ("full_name", "email", "phone", "position", "organisation", "organisation_type", "country", "group",
           "languages", "status")  # fmt: skip


class PersonRowForm(forms.Form):
    """One row of the table; validation messages are in the user's language."""

    full_name = forms.CharField(max_length=200)
    email = forms.EmailField(required=False)
    phone = forms.CharField(max_length=50, required=False)
    position = forms.CharField(max_length=200, required=False)
    organisation = forms.CharField(max_length=300, required=False)
    organisation_type = forms.ChoiceField(choices=[("", ""), *OrganisationType.choices], required=False)
    country = forms.CharField(max_length=2, min_length=2)
    group = forms.ChoiceField(choices=[("", ""), *StakeholderGroup.choices], required=False)
    languages = forms.CharField(required=False)
    status = forms.ChoiceField(choices=[("", ""), *MobilisationStatus.choices], required=False)

    def clean_languages(self) -> list[str]:
        codes = [code.lower() for code in self.cleaned_data["languages"].replace(",", " ").split()]
        unknown = [code for code in codes if code not in SPOKEN_LANGUAGES]
        if unknown:
            raise forms.ValidationError(
                gettext_lazy("Unknown language code: %(codes)s.") % {"codes": ", ".join(unknown)}
            )
        return codes


@dataclass
class RowError:
    row: int  # as numbered in the spreadsheet: the header is row 1
    column: str
    message: str


@dataclass
class ImportReport:
    mode: str
    rows: int = 0
    imported: int = 0
    organisations_created: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def rows_with_errors(self) -> int:
        return len({error.row for error in self.errors})

    def as_dict(self) -> dict[str, Any]:
        return {
            "mode": self.mode,
            "rows": self.rows,
            "imported": self.imported,
            "organisations_created": self.organisations_created,
            "errors": [error.__dict__ for error in self.errors],
        }


@dataclass
class _ValidRow:
    number: int
    data: dict[str, Any]
    organisation_name: str
    organisation_type: str
    status: str


def people_import(*, actor: Any, content: bytes, filename: str, mode: str) -> ImportReport:
    """Validate every row, then import all of them, only the good ones, or none (see the module docstring).

    Raises ``core.tabular.TableError`` when the file itself cannot be read.
    """
    if mode not in MODES:
        raise ValueError(mode)
    header, raw_rows = read_table(content, filename)
    header = [ALIASES.get(name, name) for name in header]
    report = ImportReport(mode=mode, rows=len(raw_rows))
    for required in ("full_name", "country"):
        if required not in header:
            report.errors.append(RowError(1, required, _("The column “%(column)s” is missing.") % {"column": required}))
    if report.errors:
        return report

    scope = {country.iso2: country for country in user_country_scope(user=actor)}
    known_emails = set(
        Person.objects.current()
        .filter(country__iso2__in=scope)
        .exclude(email="")
        .annotate(key=Lower("email"))
        .values_list("key", flat=True)
    )
    organisations = {
        (organisation.country.iso2, normalised_name(organisation.name)): organisation
        for organisation in Organisation.objects.filter(country__iso2__in=scope).select_related("country")
    }
    valid: list[_ValidRow] = []
    seen_emails: dict[str, int] = {}
    new_organisation_types: dict[tuple[str, str], str] = {}  # organisations the file introduces
    for index, values in raw_rows:
        row = {name: value for name, value in zip(header, values, strict=True) if name in COLUMNS}
        form = PersonRowForm(row)
        errors = []
        if not form.is_valid():
            errors = [RowError(index, column, " ".join(messages)) for column, messages in form.errors.items()]
        data = form.cleaned_data
        country = scope.get((data.get("country") or "").upper())
        if "country" in data and country is None:
            errors.append(
                RowError(index, "country", _("%(code)s is not one of your countries.") % {"code": data["country"]})
            )
        email = (data.get("email") or "").lower()
        if email and email in known_emails:
            errors.append(RowError(index, "email", _("A person with this e-mail is already registered.")))
        elif email and email in seen_emails:
            errors.append(
                RowError(index, "email", _("The same e-mail is in row %(row)s.") % {"row": seen_emails[email]})
            )
        if email:
            seen_emails.setdefault(email, index)
        organisation_name = data.get("organisation", "")
        organisation_type = data.get("organisation_type", "")
        type_missing = False
        if organisation_name and country:
            key = (country.iso2, normalised_name(organisation_name))
            if key in organisations:
                organisation_type = organisations[key].type
            elif key in new_organisation_types:
                organisation_type = new_organisation_types[key]
            elif organisation_type:
                new_organisation_types[key] = organisation_type
            else:
                type_missing = True
                errors.append(RowError(index, "organisation_type", _("Give the type of this new organisation.")))
        if not data.get("group") and not organisation_type and not type_missing and "group" not in form.errors:
            errors.append(RowError(index, "group", _("Give a stakeholder group, or an organisation with its type.")))
        if errors:
            report.errors.extend(errors)
            continue
        valid.append(
            _ValidRow(
                number=index,
                data={
                    "full_name": data["full_name"],
                    "email": data["email"],
                    "phone": data["phone"],
                    "position": data["position"],
                    "country": country,
                    "languages": data["languages"],
                    "group": data["group"] or DEFAULT_GROUP[organisation_type],
                },
                organisation_name=organisation_name,
                organisation_type=organisation_type,
                status=data["status"] or MobilisationStatus.IDENTIFIED,
            )
        )
    if report.errors and mode == "all-or-nothing":
        return report
    with transaction.atomic():
        for row in valid:
            if row.organisation_name:
                key = (row.data["country"].iso2, normalised_name(row.organisation_name))
                if key not in organisations:
                    organisations[key] = services.organisation_create(
                        actor=actor,
                        data={
                            "name": row.organisation_name,
                            "type": row.organisation_type,
                            "country": row.data["country"],
                        },
                    )
                    report.organisations_created += 1
                row.data["organisation"] = organisations[key]
            services.person_create(actor=actor, data=row.data, status=row.status)
            report.imported += 1
    return report
