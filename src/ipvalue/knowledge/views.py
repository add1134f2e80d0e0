"""Public pages of the knowledge base: countries side by side, provision by provision, with sources (and as XLSX)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from ipvalue.core.tabular import table_response
from ipvalue.countries.models import Country
from ipvalue.knowledge import selectors, services
from ipvalue.knowledge.forms import FactForm
from ipvalue.knowledge.models import Fact, Obstacle, Practice, ReviewStatus

MAX_COUNTRIES = 12
REVIEWABLE = {"fact": Fact, "practice": Practice, "obstacle": Obstacle}


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
    }
    return render(request, "knowledge/review.html", pending)


@login_required
def propose_fact_view(request: HttpRequest) -> HttpResponse:
    """A national coordinator (for their countries) or the Secretariat proposes the value of a provision."""
    if not request.user.has_perm("knowledge.propose_any"):
        raise PermissionDenied
    form = FactForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.fact_propose(
                actor=request.user, country=data["country"], provision=data["provision"], value=data["value"],
                detail=data["detail"], source_title=data["source_title"], source_article=data["source_article"],
                source_url=data["source_url"], source_date=data["source_date"], confidence=data["confidence"],
                verified_at=data["verified_at"],
            )  # fmt: skip
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("The fact was proposed: it is published once the Secretariat has reviewed it."))
            return redirect("knowledge:propose")
    return render(request, "knowledge/propose.html", {"form": form}, status=422 if form.errors else 200)
