"""``/api/v1/stakeholders``: the registry over HTTP, with the same permissions as its pages.

A record outside the caller's countries answers 404, as if it did not exist; creating one in such a country
answers 403. Personal data is never served without authentication.
"""

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from ninja import File, Form, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile
from ninja.pagination import LimitOffsetPagination, paginate
from pydantic import EmailStr, Field

from ipvalue.accounts.selectors import user_country_scope
from ipvalue.core.api_auth import API_AUTH
from ipvalue.core.api_errors import UnprocessableError
from ipvalue.core.tabular import TableError
from ipvalue.countries.models import Country
from ipvalue.stakeholders import importing, selectors, services
from ipvalue.stakeholders.models import Organisation, Person
from ipvalue.stakeholders.taxonomy import DEFAULT_GROUP, MobilisationStatus, OrganisationType, StakeholderGroup

router = Router(tags=["stakeholders"], auth=API_AUTH)

FORBIDDEN = "You may not act on records of this country."


class OrganisationIn(Schema):
    name: str = Field(min_length=1, max_length=300)
    type: OrganisationType
    country: str = Field(min_length=2, max_length=2, description="ISO alpha-2 code")
    website: str = ""
    notes: str = ""
    name_en: str = ""
    name_ru: str = ""


class OrganisationPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=300)
    type: OrganisationType | None = None
    country: str | None = Field(None, min_length=2, max_length=2)
    website: str | None = None
    notes: str | None = None
    name_en: str | None = None
    name_ru: str | None = None


class OrganisationOut(Schema):
    id: int
    name: str
    name_en: str
    name_ru: str
    type: str
    stip_target_group: str | None
    country: str
    website: str
    notes: str
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_country(obj: Organisation) -> str:
        return obj.country.iso2

    @staticmethod
    def resolve_stip_target_group(obj: Organisation) -> str | None:
        return obj.stip_code or None


class PersonIn(Schema):
    full_name: str = Field(min_length=1, max_length=200)
    country: str = Field(min_length=2, max_length=2)
    organisation_id: int | None = None
    position: str = ""
    languages: list[str] = []
    email: EmailStr | None = None
    phone: str = ""
    group: StakeholderGroup | None = Field(None, description="Taken from the organisation's type when omitted")
    status: MobilisationStatus = MobilisationStatus.IDENTIFIED
    notes: str = ""


class PersonPatch(Schema):
    full_name: str | None = Field(None, min_length=1, max_length=200)
    country: str | None = Field(None, min_length=2, max_length=2)
    organisation_id: int | None = None
    position: str | None = None
    languages: list[str] | None = None
    email: EmailStr | None = None
    phone: str | None = None
    group: StakeholderGroup | None = None
    status: MobilisationStatus | None = None
    notes: str | None = None


class PersonOut(Schema):
    id: int
    full_name: str
    country: str
    organisation_id: int | None
    position: str
    languages: list[str]
    email: str
    phone: str
    group: str
    status: str
    notes: str
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_country(obj: Person) -> str:
        return obj.country.iso2


class PeopleFilters(Schema):
    country: str | None = None
    group: StakeholderGroup | None = None
    type: OrganisationType | None = Field(None, description="Organisation type")
    status: MobilisationStatus | None = None
    q: str | None = None


class ErasureIn(Schema):
    requested_on: datetime.date | None = None


def _country(request: HttpRequest, code: str) -> Country:
    country = user_country_scope(user=request.user).filter(iso2=code.upper()).first()
    if country is None:
        if Country.objects.filter(iso2=code.upper()).exists():
            raise HttpError(403, FORBIDDEN)
        raise HttpError(422, f"country: no member state has the code {code!r}")
    return country


def _organisation(request: HttpRequest, pk: int, perm: str = "stakeholders.view_organisation") -> Organisation:
    organisation = Organisation.objects.select_related("country").filter(pk=pk).first()
    if organisation is None or not request.user.has_perm(perm, organisation):
        raise HttpError(404, "Not found")
    return organisation


def _person(request: HttpRequest, pk: int, perm: str = "stakeholders.view_person") -> Person:
    person = Person.objects.current().select_related("country").filter(pk=pk).first()
    if person is None or not request.user.has_perm(perm, person):
        raise HttpError(404, "Not found")
    return person


def _call(function: Any, **kwargs: Any) -> Any:
    """Run a service, turning its refusals into HTTP answers that name the field and the reason."""
    try:
        return function(**kwargs)
    except PermissionDenied as error:
        raise HttpError(403, FORBIDDEN) from error
    except ValidationError as error:
        detail = (
            [{"loc": ["body", field], "msg": " ".join(messages)} for field, messages in error.message_dict.items()]
            if hasattr(error, "error_dict")
            else [{"loc": ["body"], "msg": " ".join(error.messages)}]
        )
        raise UnprocessableError(detail) from error


def _registry_user(request: HttpRequest) -> None:
    if not request.user.has_perm("stakeholders.view_registry"):
        raise HttpError(403, "Only the Secretariat and national coordinators use the stakeholder registry.")


# --- Organisations ------------------------------------------------------------------------------------------------


@router.get("/organisations", response=list[OrganisationOut])
@paginate(LimitOffsetPagination)
def list_organisations(
    request: HttpRequest, country: str | None = None, type: OrganisationType | None = None, q: str = ""
) -> Any:
    _registry_user(request)
    return selectors.organisation_list(
        user=request.user, countries=(country,) if country else (), types=(type,) if type else (), search=q
    ).order_by("name")


@router.post("/organisations", response={201: OrganisationOut})
def create_organisation(request: HttpRequest, payload: OrganisationIn) -> Status[Organisation]:
    _registry_user(request)
    data = payload.dict() | {"country": _country(request, payload.country)}
    return Status(201, _call(services.organisation_create, actor=request.user, data=data))


@router.get("/organisations/{pk}", response=OrganisationOut)
def get_organisation(request: HttpRequest, pk: int) -> Organisation:
    return _organisation(request, pk)


@router.patch("/organisations/{pk}", response=OrganisationOut)
def update_organisation(request: HttpRequest, pk: int, payload: OrganisationPatch) -> Organisation:
    organisation = _organisation(request, pk, "stakeholders.change_organisation")
    data = payload.dict(exclude_unset=True)
    if "country" in data:
        data["country"] = _country(request, data["country"])
    return _call(services.organisation_update, actor=request.user, organisation=organisation, data=data)


@router.delete("/organisations/{pk}", response={204: None})
def delete_organisation(request: HttpRequest, pk: int) -> Status[None]:
    organisation = _organisation(request, pk, "stakeholders.delete_organisation")
    _call(services.organisation_delete, actor=request.user, organisation=organisation)
    return Status(204, None)


# --- People -------------------------------------------------------------------------------------------------------


def _person_data(request: HttpRequest, data: dict[str, Any]) -> dict[str, Any]:
    if "country" in data:
        data["country"] = _country(request, data["country"])
    if "organisation_id" in data:
        organisation_id = data.pop("organisation_id")
        data["organisation"] = _organisation(request, organisation_id) if organisation_id else None
    if "email" in data:
        data["email"] = data["email"] or ""
    return data


@router.get("/people", response=list[PersonOut])
@paginate(LimitOffsetPagination)
def list_people(request: HttpRequest, filters: Query[PeopleFilters]) -> Any:
    _registry_user(request)
    return selectors.person_list(
        user=request.user,
        filters=selectors.PersonFilter(
            countries=(filters.country,) if filters.country else (),
            groups=(filters.group,) if filters.group else (),
            organisation_types=(filters.type,) if filters.type else (),
            statuses=(filters.status,) if filters.status else (),
            search=filters.q or "",
        ),
    ).order_by("full_name", "pk")


@router.post("/people", response={201: PersonOut})
def create_person(request: HttpRequest, payload: PersonIn) -> Status[Person]:
    _registry_user(request)
    data = _person_data(request, payload.dict())
    status = data.pop("status")
    if not data.get("group"):
        if data.get("organisation") is None:
            raise UnprocessableError([{"loc": ["body", "group"], "msg": "Give a group, or an organisation_id."}])
        data["group"] = DEFAULT_GROUP[data["organisation"].type]
    return Status(201, _call(services.person_create, actor=request.user, data=data, status=status))


@router.get("/people/{pk}", response=PersonOut)
def get_person(request: HttpRequest, pk: int) -> Person:
    return _person(request, pk)


@router.patch("/people/{pk}", response=PersonOut)
def update_person(request: HttpRequest, pk: int, payload: PersonPatch) -> Person:
    person = _person(request, pk, "stakeholders.change_person")
    data = _person_data(request, payload.dict(exclude_unset=True))
    status = data.pop("status", None)
    person = _call(services.person_update, actor=request.user, person=person, data=data)
    if status and status != person.status:
        _call(services.person_set_status, actor=request.user, person=person, status=status)
    return person


@router.delete("/people/{pk}", response={204: None})
def delete_person(request: HttpRequest, pk: int) -> Status[None]:
    person = _person(request, pk, "stakeholders.delete_person")
    _call(services.person_delete, actor=request.user, person=person)
    return Status(204, None)


@router.get("/people/{pk}/export", summary="Everything held on a person (subject-access request)")
def export_person(request: HttpRequest, pk: int) -> dict[str, Any]:
    return selectors.person_export_data(person=_person(request, pk, "stakeholders.export_person"))


@router.post("/people/{pk}/erase", summary="Erase a person's personal data on their request")
def erase_person(request: HttpRequest, pk: int, payload: ErasureIn | None = None) -> dict[str, Any]:
    person = _person(request, pk, "stakeholders.erase_person")
    record = _call(
        services.person_erase, actor=request.user, person=person, requested_on=payload.requested_on if payload else None
    )
    return {"erased": True, "erasure_record": record.pk, "erased_at": record.erased_at.isoformat()}


@router.post("/import", response={200: dict, 422: dict}, summary="Import people from a CSV or XLSX file")
def import_people(
    request: HttpRequest,
    file: File[UploadedFile],
    mode: Form[str] = "all-or-nothing",
) -> Any:
    _registry_user(request)
    if mode not in importing.MODES:
        raise UnprocessableError(
            [{"loc": ["form", "mode"], "msg": f"mode must be one of {', '.join(importing.MODES)}"}]
        )
    try:
        report = importing.people_import(actor=request.user, content=file.read(), filename=file.name, mode=mode)
    except TableError as error:
        raise UnprocessableError([{"loc": ["form", "file"], "msg": str(error)}]) from error
    return Status(422 if report.errors and not report.imported else 200, report.as_dict())
