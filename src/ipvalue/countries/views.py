"""Country pages: the list of member states, a country's page, its selection record and its history."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ipvalue.core.languages import LANGUAGE_CODES, collation_key
from ipvalue.core.tabular import table_response
from ipvalue.countries import selectors, services
from ipvalue.countries.forms import BeneficiaryStatusForm, CountryListFilterForm, SelectionCriterionForm
from ipvalue.countries.models import Country, RegionalGroup
from ipvalue.indicators import selectors as indicators_selectors
from ipvalue.knowledge import selectors as knowledge_selectors


def _country_or_404(iso2: str) -> Country:
    try:
        return selectors.country_get(code=iso2)
    except Country.DoesNotExist as error:
        raise Http404(_("No member state has the code %(code)s.") % {"code": iso2.upper()}) from error


def country_list_view(request: HttpRequest) -> HttpResponse:
    groups = sorted(RegionalGroup.objects.all(), key=lambda group: collation_key(group.name))
    form = CountryListFilterForm(request.GET or None, group_choices=[(g.code, g.name) for g in groups])
    filters = form.cleaned_data if form.is_valid() else {}
    countries = sorted(
        selectors.country_list(
            group=filters.get("group") or None,
            beneficiary=filters.get("beneficiary"),
            search=filters.get("q") or None,
        ),
        key=lambda country: collation_key(country.name),
    )
    if request.GET.get("format") == "csv":
        return _countries_csv(countries)
    return render(
        request,
        "countries/country_list.html",
        {"form": form, "countries": countries, "source": services.reference_data()["source"]},
    )


def _countries_csv(countries: list[Country]) -> HttpResponse | StreamingHttpResponse:
    rows = (
        [
            country.iso2,
            country.iso3,
            country.numeric,
            *[country.name_in(code) for code in LANGUAGE_CODES],
            " ".join(group.code for group in country.groups.all()),
            "yes" if country.is_beneficiary else "no",
        ]
        for country in countries
    )
    headers = ["iso2", "iso3", "numeric", *[f"name_{code}" for code in LANGUAGE_CODES], "groups", "beneficiary"]
    return table_response(headers=headers, rows=rows, file_format="csv", filename="wipo-member-states")


def country_detail_view(request: HttpRequest, iso2: str) -> HttpResponse:
    country = _country_or_404(iso2)
    return render(
        request,
        "countries/country_detail.html",
        {
            "country": country,
            "criteria": selectors.country_selection_criteria(country=country),
            "coordinators": selectors.country_coordinators(country=country),
            "can_edit": request.user.has_perm("countries.change_country", country),
            "can_view_history": request.user.has_perm("countries.view_country_history", country),
            "knowledge": knowledge_selectors.country_page(country),
            "indicators": indicators_selectors.country_series(country),
        },
    )


@login_required
def country_selection_edit_view(request: HttpRequest, iso2: str) -> HttpResponse:
    country = _country_or_404(iso2)
    if not request.user.has_perm("countries.change_country", country):
        raise PermissionDenied
    may_set_status = request.user.has_perm("countries.change_beneficiary_status", country)
    data = request.POST if request.method == "POST" else None
    criterion_forms = [
        SelectionCriterionForm(data, instance=record, prefix=record.criterion)
        for record in selectors.country_selection_criteria(country=country)
    ]
    status_form = (
        BeneficiaryStatusForm(data, initial={"is_beneficiary": country.is_beneficiary}, prefix="status")
        if may_set_status
        else None
    )
    if request.method == "POST":
        forms_valid = all([form.is_valid() for form in criterion_forms])  # validate every form, not just the first
        if forms_valid and (status_form is None or status_form.is_valid()):
            services.country_selection_update(
                actor=request.user,
                country=country,
                criteria=[form.to_input() for form in criterion_forms],
                is_beneficiary=status_form.cleaned_data["is_beneficiary"] if status_form else None,
            )
            messages.success(request, _("The selection record of %(country)s was saved.") % {"country": country})
            return redirect("countries:detail", iso2=country.iso2.lower())
    return render(
        request,
        "countries/country_selection_form.html",
        {"country": country, "criterion_forms": criterion_forms, "status_form": status_form},
        status=422 if request.method == "POST" else 200,
    )


@login_required
def country_history_view(request: HttpRequest, iso2: str) -> HttpResponse:
    country = _country_or_404(iso2)
    if not request.user.has_perm("countries.view_country_history", country):
        raise PermissionDenied
    return render(
        request,
        "countries/country_history.html",
        {"country": country, "entries": selectors.country_history(country=country)[:200]},
    )
