"""Pages of the stakeholder registry. Objects outside the user's countries answer 404: their existence is not told."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ipvalue.accounts.models import CountryAssignment
from ipvalue.accounts.selectors import user_country_scope
from ipvalue.accounts.services import coordinator_assign
from ipvalue.core.tabular import TableError, table_response
from ipvalue.stakeholders import importing, selectors, services
from ipvalue.stakeholders.forms import (
    AppointmentForm,
    ConsentForm,
    DocumentForm,
    ErasureForm,
    ImportForm,
    InteractionForm,
    OrganisationForm,
    PartnershipForm,
    PersonFilterForm,
    PersonForm,
    SaveListForm,
    StatusForm,
)
from ipvalue.stakeholders.models import Organisation, Partnership, PartnershipDocument, Person, PersonList

PEOPLE_COLUMNS = ["full_name", "organisation", "position", "country", "email", "phone", "group", "status", "languages"]


def registry_required(view: Any) -> Any:
    """Signed in, and a user of the registry (the Secretariat or a national coordinator)."""

    @login_required
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.has_perm("stakeholders.view_registry"):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def _get(model: type[Model], pk: int, user: Any, perm: str, queryset: Any = None) -> Any:
    """The record if ``user`` has ``perm`` on it, else 404 (whether or not it exists)."""
    record = (queryset if queryset is not None else model.objects).filter(pk=pk).first()
    if record is None or getattr(record, "erased_at", None) or not user.has_perm(perm, record):
        raise Http404
    return record


def _form_errors_from(error: ValidationError, form: Any) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


# --- People -------------------------------------------------------------------------------------------------------


@registry_required
def person_list_view(request: HttpRequest) -> HttpResponse:
    form = PersonFilterForm(request.GET or None, user=request.user)
    filters = selectors.PersonFilter()
    if form.is_valid():
        data = form.cleaned_data
        filters = selectors.PersonFilter(
            countries=tuple(data["country"]),
            groups=tuple(data["group"]),
            organisation_types=tuple(data["type"]),
            statuses=tuple(data["status"]),
            consent=data["consent"],
            search=data["q"],
        )
    people = selectors.person_list(user=request.user, filters=filters) if not form.errors else Person.objects.none()
    if request.GET.get("format") in ("csv", "xlsx"):
        return _people_table(people, request.GET["format"], "stakeholders")
    save_form = SaveListForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and save_form.is_valid():
        scope = user_country_scope(user=request.user)
        saved = services.person_list_save(
            actor=request.user,
            person_list=PersonList(),
            name=save_form.cleaned_data["name"],
            countries=list(scope.filter(iso2__in=filters.countries)),
            groups=list(filters.groups),
            organisation_types=list(filters.organisation_types),
            statuses=list(filters.statuses),
            consent=filters.consent,
        )
        messages.success(request, _("The list “%(name)s” was saved.") % {"name": saved.name})
        return redirect("stakeholders:list_detail", pk=saved.pk)
    return render(
        request,
        "stakeholders/person_list.html",
        {"form": form, "people": people[:500], "count": people.count(), "save_form": save_form},
    )


def _people_table(people: Any, file_format: str, filename: str) -> HttpResponse:
    rows = (
        [
            person.full_name,
            person.organisation.name if person.organisation else "",
            person.position,
            person.country.iso2,
            person.email,
            person.phone,
            person.group,
            person.status,
            " ".join(person.languages),
        ]
        for person in people.iterator(chunk_size=500)
    )
    return table_response(headers=PEOPLE_COLUMNS, rows=rows, file_format=file_format, filename=filename)


@registry_required
def person_create_view(request: HttpRequest) -> HttpResponse:
    initial = {}
    if organisation_id := request.GET.get("organisation"):
        organisation = Organisation.objects.filter(pk=organisation_id).first()
        if organisation and request.user.has_perm("stakeholders.view_organisation", organisation):
            initial = {"organisation": organisation, "country": organisation.country}
    form = PersonForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_create(actor=request.user, data=form.cleaned_data)
        except ValidationError as error:
            _form_errors_from(error, form)
        else:
            messages.success(request, _("%(name)s was added.") % {"name": person.full_name})
            return redirect("stakeholders:person_detail", pk=person.pk)
    return render(
        request,
        "stakeholders/form.html",
        {"form": form, "title": _("Add a person"), "cancel_url": "stakeholders:person_list"},
        status=422 if request.method == "POST" else 200,
    )


@registry_required
def person_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    person = _get(Person, pk, request.user, "stakeholders.view_person")
    return render(request, "stakeholders/person_detail.html", _person_context(request, person))


def _person_context(request: HttpRequest, person: Person, **forms: Any) -> dict[str, Any]:
    today = timezone.localdate()
    return {
        "person": person,
        "status_form": forms.get("status_form") or StatusForm(initial={"status": person.status, "changed_on": today}),
        "interaction_form": forms.get("interaction_form") or InteractionForm(initial={"occurred_on": today}),
        "consent_form": forms.get("consent_form") or ConsentForm(),
        "consents": selectors.person_consents(person=person),
        "can_erase": request.user.has_perm("stakeholders.erase_person", person),
    }


@registry_required
def person_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    person = _get(Person, pk, request.user, "stakeholders.change_person")
    form = PersonForm(request.POST or None, instance=person, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.person_update(actor=request.user, person=person, data=form.cleaned_data)
        except ValidationError as error:
            _form_errors_from(error, form)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect("stakeholders:person_detail", pk=person.pk)
    return render(
        request,
        "stakeholders/form.html",
        {"form": form, "title": person.full_name, "cancel_url": "stakeholders:person_list"},
        status=422 if request.method == "POST" else 200,
    )


def _person_action(
    request: HttpRequest, pk: int, form_class: type[Any], context_key: str, action: Any, success: Any
) -> HttpResponse:
    """One of the forms on a person's page: validate, call the service, or show the page again with the errors."""
    person = _get(Person, pk, request.user, "stakeholders.change_person")
    form = form_class(request.POST)
    if form.is_valid():
        try:
            action(actor=request.user, person=person, **form.cleaned_data)
        except ValidationError as error:
            _form_errors_from(error, form)
        else:
            messages.success(request, success(person))
            return redirect("stakeholders:person_detail", pk=person.pk)
    context = _person_context(request, person, **{context_key: form})
    return render(request, "stakeholders/person_detail.html", context, status=422)


@registry_required
@require_POST
def person_status_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _person_action(
        request,
        pk,
        StatusForm,
        "status_form",
        services.person_set_status,
        lambda person: _("The status was changed to “%(status)s”.") % {"status": person.get_status_display()},
    )


@registry_required
@require_POST
def person_interaction_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _person_action(
        request,
        pk,
        InteractionForm,
        "interaction_form",
        services.interaction_log,
        lambda _person: _("The interaction was logged."),
    )


@registry_required
@require_POST
def person_consent_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _person_action(
        request,
        pk,
        ConsentForm,
        "consent_form",
        services.consent_record,
        lambda _person: _("The consent was recorded."),
    )


@registry_required
def person_export_view(request: HttpRequest, pk: int) -> JsonResponse:
    person = _get(Person, pk, request.user, "stakeholders.export_person")
    response = JsonResponse(
        selectors.person_export_data(person=person), json_dumps_params={"ensure_ascii": False, "indent": 2}
    )
    response["Content-Disposition"] = f'attachment; filename="person-{person.pk}.json"'
    return response


@registry_required
def person_erase_view(request: HttpRequest, pk: int) -> HttpResponse:
    person = _get(Person, pk, request.user, "stakeholders.erase_person")
    form = ErasureForm(request.POST or None, initial={"requested_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        services.person_erase(actor=request.user, person=person, requested_on=form.cleaned_data["requested_on"])
        messages.success(request, _("The person's personal data was erased. Only anonymous counts remain."))
        return redirect("stakeholders:person_list")
    return render(request, "stakeholders/person_erase.html", {"person": person, "form": form})


# --- Organisations --------------------------------------------------------------------------------------------------


@registry_required
def organisation_list_view(request: HttpRequest) -> HttpResponse:
    search = request.GET.get("q", "")[:100]
    organisations = selectors.organisation_list(user=request.user, search=search).order_by("name")
    if request.GET.get("format") in ("csv", "xlsx"):
        rows = (
            [o.name, o.name_en, o.country.iso2, o.type, o.stip_code, o.website, o.people_count] for o in organisations
        )
        return table_response(
            headers=["name", "name_en", "country", "type", "stip_target_group", "website", "people"],
            rows=rows,
            file_format=request.GET["format"],
            filename="organisations",
        )
    return render(request, "stakeholders/organisation_list.html", {"organisations": organisations, "q": search})


@registry_required
def organisation_edit_view(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    organisation = _get(Organisation, pk, request.user, "stakeholders.change_organisation") if pk else None
    form = OrganisationForm(request.POST or None, instance=organisation, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            if organisation:
                organisation = services.organisation_update(
                    actor=request.user, organisation=organisation, data=form.cleaned_data
                )
            else:
                organisation = services.organisation_create(actor=request.user, data=form.cleaned_data)
        except ValidationError as error:
            _form_errors_from(error, form)
        else:
            messages.success(request, _("The organisation was saved."))
            return redirect("stakeholders:organisation_detail", pk=organisation.pk)
    title = organisation.display_name if organisation else _("Add an organisation")
    return render(
        request,
        "stakeholders/form.html",
        {"form": form, "title": title, "cancel_url": "stakeholders:organisation_list"},
        status=422 if request.method == "POST" else 200,
    )


@registry_required
def organisation_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _get(Organisation, pk, request.user, "stakeholders.view_organisation")
    return render(
        request,
        "stakeholders/organisation_detail.html",
        {
            "organisation": organisation,
            "people": organisation.people.current(),
            "partnerships": organisation.partnerships.all(),
        },
    )


# --- Partnerships ---------------------------------------------------------------------------------------------------


@registry_required
def partnership_list_view(request: HttpRequest) -> HttpResponse:
    return render(
        request, "stakeholders/partnership_list.html", {"partnerships": selectors.partnership_list(user=request.user)}
    )


@registry_required
def partnership_edit_view(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    partnership = _get(Partnership, pk, request.user, "stakeholders.change_partnership") if pk else Partnership()
    form = PartnershipForm(request.POST or None, instance=partnership if pk else None, user=request.user)
    document_form = DocumentForm()
    if request.method == "POST" and "file" in request.FILES and pk:
        document_form = DocumentForm(request.POST, request.FILES)
        if document_form.is_valid():
            services.partnership_document_add(actor=request.user, partnership=partnership, **document_form.cleaned_data)
            messages.success(request, _("The document was added."))
            return redirect("stakeholders:partnership_edit", pk=partnership.pk)
    elif request.method == "POST" and form.is_valid():
        try:
            partnership = services.partnership_save(actor=request.user, partnership=partnership, data=form.cleaned_data)
        except ValidationError as error:
            _form_errors_from(error, form)
        else:
            messages.success(request, _("The partnership was saved."))
            return redirect("stakeholders:partnership_edit", pk=partnership.pk)
    return render(
        request,
        "stakeholders/partnership_form.html",
        {"form": form, "document_form": document_form, "partnership": partnership},
        status=422 if request.method == "POST" else 200,
    )


@registry_required
def partnership_document_view(request: HttpRequest, pk: int) -> FileResponse:
    """Documents are private: served through this view, after the permission check, never from a public folder."""
    document = _get(PartnershipDocument, pk, request.user, "stakeholders.view_partnershipdocument")
    return FileResponse(document.file.open("rb"), as_attachment=True, filename=document.file.name.rsplit("/", 1)[-1])


# --- Saved lists ----------------------------------------------------------------------------------------------------


@registry_required
def saved_list_index_view(request: HttpRequest) -> HttpResponse:
    return render(request, "stakeholders/list_index.html", {"lists": selectors.saved_lists(user=request.user)})


@registry_required
def saved_list_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    saved = _get(PersonList, pk, request.user, "stakeholders.view_personlist")
    members = selectors.saved_list_members(user=request.user, saved=saved)
    if request.GET.get("format") in ("csv", "xlsx"):
        return _people_table(members, request.GET["format"], f"list-{saved.pk}")
    return render(request, "stakeholders/list_detail.html", {"saved": saved, "people": members})


# --- Import and duplicates --------------------------------------------------------------------------------------------


@registry_required
def import_view(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            report = importing.people_import(
                actor=request.user, content=upload.read(), filename=upload.name, mode=form.cleaned_data["mode"]
            )
        except TableError as error:
            form.add_error("file", str(error))
    status = 422 if form.errors or (report and report.errors and not report.imported) else 200
    return render(request, "stakeholders/import.html", {"form": form, "report": report}, status=status)


@registry_required
def duplicates_view(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        kind, keep_id, duplicate_id = request.POST.get("kind"), request.POST.get("keep"), request.POST.get("duplicate")
        model = {"person": Person, "organisation": Organisation}.get(kind or "")
        if model is None or not (keep_id or "").isdigit() or not (duplicate_id or "").isdigit():
            raise Http404
        keep = _get(model, int(keep_id), request.user, f"stakeholders.change_{kind}")
        duplicate = _get(model, int(duplicate_id), request.user, f"stakeholders.delete_{kind}")
        merge = services.person_merge if model is Person else services.organisation_merge
        merge(actor=request.user, keep=keep, duplicate=duplicate)
        messages.success(request, _("The records were merged."))
        return redirect("stakeholders:duplicates")
    return render(
        request,
        "stakeholders/duplicates.html",
        {
            "people": selectors.duplicate_people(user=request.user),
            "organisations": selectors.duplicate_organisations(user=request.user),
        },
    )


@registry_required
def coordinators_view(request: HttpRequest) -> HttpResponse:
    """National coordinators of the user's countries and their terms (appointed in the admin or by the CLI)."""
    assignments = (
        CountryAssignment.objects.filter(country__in=user_country_scope(user=request.user))
        .select_related("user", "country")
        .order_by("country__name_en", "-starts_on")
    )
    today = timezone.localdate()
    form = None
    if request.user.has_perm("accounts.add_countryassignment"):
        form = AppointmentForm(request.POST or None, user=request.user)
        if request.method == "POST" and form.is_valid():
            try:
                coordinator_assign(actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                _form_errors_from(error, form)
            else:
                messages.success(request, _("The coordinator was appointed."))
                return redirect("stakeholders:coordinators")
    elif request.method == "POST":
        raise PermissionDenied
    return render(
        request,
        "stakeholders/coordinators.html",
        {"assignments": assignments, "today": today, "form": form},
        status=422 if form is not None and form.errors else 200,
    )
