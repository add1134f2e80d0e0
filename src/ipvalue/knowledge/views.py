"""Public pages of the knowledge base: countries side by side, provision by provision, with sources (and as XLSX)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from ipvalue.core.languages import collation_key
from ipvalue.core.tabular import table_response
from ipvalue.countries.models import Country
from ipvalue.knowledge import documents, selectors, services
from ipvalue.knowledge.forms import FactForm, InstitutionForm, ObstacleForm, PracticeForm, TranslationsForm
from ipvalue.knowledge.models import Fact, Institution, Obstacle, Practice, ReviewStatus, TermKind

MAX_COUNTRIES = 12
REVIEWABLE = {"fact": Fact, "practice": Practice, "obstacle": Obstacle, "institution": Institution}


def home_view(request: HttpRequest) -> HttpResponse:
    """The knowledge base's front page: what it holds, and the ways in (comparison, search, open data, proposals)."""
    return render(request, "knowledge/home.html", {"totals": selectors.published_totals()})


def compare_view(request: HttpRequest) -> HttpResponse:
    """Pick countries and provisions; see the latest published value of each, with its source."""
    codes = [code.upper() for code in request.GET.getlist("countries") for code in code.split(",") if code.strip()]
    countries = list(Country.objects.filter(iso2__in=codes))
    countries.sort(key=lambda country: codes.index(country.iso2))
    all_provisions = list(selectors.provisions())
    wanted = [code for code in request.GET.getlist("provisions") if code]
    chosen = [item for item in all_provisions if item.code in wanted] or all_provisions
    error = (
        _("Choose at most %(count)s countries.") % {"count": MAX_COUNTRIES} if len(countries) > MAX_COUNTRIES else ""
    )
    countries = countries[:MAX_COUNTRIES]
    latest = selectors.latest_facts(countries, [item.code for item in chosen]) if countries else {}
    rows = [
        {"provision": item, "cells": [latest.get((country.iso2, item.code)) for country in countries]}
        for item in chosen
    ]
    if request.GET.get("format") == "xlsx" and countries:
        return _xlsx(countries, rows)
    if request.GET.get("format") == "pdf" and countries:
        response = HttpResponse(documents.comparison_pdf(countries, rows), content_type="application/pdf")
        response["Content-Disposition"] = 'attachment; filename="ipvalue-comparison.pdf"'
        return response
    context: dict[str, Any] = {
        "countries": countries,
        "all_countries": Country.objects.order_by("iso2"),
        "provisions": all_provisions,
        "chosen": {item.code for item in chosen} if wanted else set(),
        "rows": rows,
        "error": error,
        "query": request.GET.urlencode(),
    }
    return render(request, "knowledge/compare.html", context)


def _xlsx(countries: list[Country], rows: list[dict[str, Any]]) -> HttpResponse:
    headers = [_("Provision")] + [
        column for country in countries for column in (country.name, f"{country.name}: {_('Source')}")
    ]
    table = []
    for row in rows:
        line: list[Any] = [row["provision"].name]
        for fact in row["cells"]:
            if fact is None:
                line += ["", ""]
            else:
                value = str(fact.value_label) + (f" ({fact.detail})" if fact.detail else "")
                source = ", ".join(part for part in (fact.source_title, fact.source_article, fact.source_date) if part)
                line += [value, source]
        table.append(line)
    return table_response(headers=headers, rows=table, file_format="xlsx", filename="ipvalue-comparison")


# --------------------------------------------------------------------------------------------------------- search

FACET_NAMES = {
    "country": _lazy("Country"),
    "instrument": _lazy("Financial instrument"),
    "method": _lazy("Valuation method"),
    "group": _lazy("Stakeholder group"),
    "outcome": _lazy("Outcome"),
}


def practices_view(request: HttpRequest) -> HttpResponse:
    """Faceted search of the published practices and case studies (country, instrument, method, stakeholder group,
    outcome, words), with counts per value; the results download as CSV or XLSX."""
    filters = {
        facet: [value.strip() for raw in request.GET.getlist(facet) for value in raw.split(",") if value.strip()]
        for facet in selectors.FACETS
    }
    filters["country"] = [code.upper() for code in filters["country"]]
    text = request.GET.get("q", "")[:200]
    found = selectors.practice_search(filters=filters, text=text)
    file_format = request.GET.get("format")
    if file_format in ("csv", "xlsx"):
        return table_response(
            headers=selectors.PRACTICE_COLUMNS, rows=selectors.practice_rows(found["results"]),
            file_format=file_format, filename="ipvalue-practices",
        )  # fmt: skip
    labels = selectors.facet_labels()
    facets = []
    for facet in selectors.FACETS:
        counts, chosen = found["counts"][facet], found["chosen"][facet]
        values = [
            {
                "code": code, "label": labels[facet].get(code, code), "count": counts.get(code, 0),
                "checked": code in chosen,
            }
            for code in set(counts) | chosen
        ]  # fmt: skip
        values.sort(key=lambda item: (-item["count"], collation_key(item["label"])))
        facets.append({"name": facet, "label": FACET_NAMES[facet], "values": values})
    context = {
        "results": found["results"], "facets": facets, "q": text, "labels": labels,
        "filtered": any(found["chosen"].values()) or bool(text), "query": request.GET.urlencode(),
    }  # fmt: skip
    return render(request, "knowledge/practices.html", context)


def practice_view(request: HttpRequest, pk: int) -> HttpResponse:
    """One practice or case study with everything recorded about it; unpublished ones only for the Secretariat."""
    practice = get_object_or_404(Practice.objects.select_related("country", "instrument"), pk=pk)
    visible = practice.status == ReviewStatus.PUBLISHED and not practice.is_demo
    if not visible and not request.user.has_perm("knowledge.review_record", practice):
        raise Http404
    groups = selectors.term_names(TermKind.STAKEHOLDER_GROUP)
    context = {
        "practice": practice, "methods": list(practice.methods.all()),
        "groups": [groups.get(code, code) for code in practice.stakeholder_groups],
        "can_translate": request.user.has_perm("knowledge.review_record", practice),
    }  # fmt: skip
    return render(request, "knowledge/practice.html", context)


TRANSLATABLE = {"practice": (Practice, ("titles", "descriptions")), "institution": (Institution, ("names", "roles"))}


@login_required
def translate_view(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """The Secretariat adds or corrects a practice's or an institution's texts in the six languages."""
    if kind not in TRANSLATABLE:
        raise Http404
    model, fields = TRANSLATABLE[kind]
    record = get_object_or_404(model.objects.select_related("country"), pk=pk)
    if not request.user.has_perm("knowledge.review_record", record):
        raise PermissionDenied
    form = TranslationsForm(request.POST or None, record=record, fields=fields)
    if request.method == "POST" and form.is_valid():
        try:
            services.texts_translate(actor=request.user, record=record, texts=form.texts())
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("The translations were saved."))
            if kind == "practice":
                return redirect("knowledge:practice", pk=record.pk)
            return redirect("knowledge:translate", kind=kind, pk=record.pk)
    context = {"form": form, "record": record, "kind": kind}
    return render(request, "knowledge/translate.html", context, status=422 if form.errors else 200)


# --------------------------------------------------------------------------------------------------------- review


@login_required
def review_view(request: HttpRequest) -> HttpResponse:
    """The Secretariat's queue: proposed facts, practices and obstacles, to publish or reject one by one."""
    if not request.user.has_perm("knowledge.review_record"):
        raise PermissionDenied
    if request.method == "POST":
        model = REVIEWABLE.get(request.POST.get("kind", ""))
        if model is None:
            raise Http404
        record = get_object_or_404(model, pk=request.POST.get("pk"), status=ReviewStatus.PROPOSED)
        try:
            services.record_review(
                actor=request.user, record=record, publish=request.POST.get("decision") == "publish",
                note=request.POST.get("note", ""),
            )  # fmt: skip
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Published.") if record.status == ReviewStatus.PUBLISHED else _("Rejected."))
        return redirect("knowledge:review")
    pending = {
        "facts": Fact.objects.filter(status=ReviewStatus.PROPOSED).select_related("country", "provision", "entered_by"),
        "practices": Practice.objects.filter(status=ReviewStatus.PROPOSED).select_related("country", "instrument"),
        "obstacles": Obstacle.objects.filter(status=ReviewStatus.PROPOSED).select_related("country", "type"),
        "institutions": Institution.objects.filter(status=ReviewStatus.PROPOSED).select_related("country"),
    }
    return render(request, "knowledge/review.html", pending)


def _propose_fact(user: Any, data: dict[str, Any]) -> Any:
    return services.fact_propose(
        actor=user, country=data["country"], provision=data["provision"], value=data["value"], detail=data["detail"],
        source_title=data["source_title"], source_article=data["source_article"], source_url=data["source_url"],
        source_date=data["source_date"], confidence=data["confidence"], verified_at=data["verified_at"],
    )  # fmt: skip


def _propose_practice(user: Any, data: dict[str, Any]) -> Any:
    language = data["language"]
    return services.practice_propose(
        actor=user, country=data["country"], titles={language: data["title"]},
        descriptions={language: data["description"]}, instrument=data["instrument"], methods=list(data["methods"]),
        stakeholder_groups=[group.code for group in data["stakeholder_groups"]], figures=data["figures"],
        year=data["year"], outcome=data["outcome"], source_title=data["source_title"],
        source_publisher=data["source_publisher"], source_url=data["source_url"], source_date=data["source_date"],
    )  # fmt: skip


def _propose_obstacle(user: Any, data: dict[str, Any]) -> Any:
    return services.obstacle_propose(
        actor=user, country=data["country"], type=data["type"], severity=data["severity"],
        description=data["description"], source_title=data["source_title"], source_url=data["source_url"],
        source_date=data["source_date"],
    )  # fmt: skip


def _propose_institution(user: Any, data: dict[str, Any]) -> Any:
    language = data["language"]
    return services.institution_propose(
        actor=user, country=data["country"], kind=data["kind"], names={language: data["name"]},
        roles={language: data["role"]}, website=data["website"], source_title=data["source_title"],
        source_url=data["source_url"], source_date=data["source_date"],
    )  # fmt: skip


PROPOSALS: dict[str, dict[str, Any]] = {
    "fact": {
        "form": FactForm, "propose": _propose_fact, "title": _lazy("Propose a fact"),
        "intro": _lazy("Record how a provision stands in a country, with its source."),
    },
    "practice": {
        "form": PracticeForm, "propose": _propose_practice, "title": _lazy("Propose a practice or case study"),
        "intro": _lazy("Describe what was done, with which instrument and with whom, what came of it, and the source."),
    },
    "obstacle": {
        "form": ObstacleForm, "propose": _propose_obstacle, "title": _lazy("Report an obstacle"),
        "intro": _lazy("What stands in the way of valuing or financing IP in the country, and how much."),
    },
    "institution": {
        "form": InstitutionForm, "propose": _propose_institution, "title": _lazy("Propose an institution"),
        "intro": _lazy("An institution that matters for valuing or financing IP, and its role."),
    },
}  # fmt: skip


@login_required
def propose_view(request: HttpRequest, kind: str = "fact") -> HttpResponse:
    """A national coordinator (for their countries) or the Secretariat proposes a fact, a practice, an obstacle or an
    institution; the Secretariat reviews it before it is published."""
    if not request.user.has_perm("knowledge.propose_any"):
        raise PermissionDenied
    proposal = PROPOSALS.get(kind)
    if proposal is None:
        raise Http404
    form = proposal["form"](request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            proposal["propose"](request.user, form.cleaned_data)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Proposed: it is published once the Secretariat has reviewed it."))
            return redirect("knowledge:propose_kind", kind=kind)
    context = {"form": form, "kind": kind, "proposal": proposal, "kinds": PROPOSALS}
    return render(request, "knowledge/propose.html", context, status=422 if form.errors else 200)
