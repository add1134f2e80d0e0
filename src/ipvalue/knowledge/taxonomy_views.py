"""The Secretariat's taxonomy pages: the list with translation completeness and use, adding and editing terms in the
six languages, retiring them, their history, and the export in the format of ``data/taxonomy.json``."""

from __future__ import annotations

import re

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ipvalue.core.languages import LANGUAGE_CODES
from ipvalue.knowledge import taxonomy
from ipvalue.knowledge.models import Term, TermKind
from ipvalue.knowledge.taxonomy_forms import TermForm


def _check(request: HttpRequest, term: Term | None = None) -> None:
    if not request.user.has_perm(taxonomy.PERM, term):
        raise PermissionDenied


def _term(kind: str, code: str) -> Term:
    return get_object_or_404(Term, kind=kind, code=code)


@login_required
def taxonomy_list_view(request: HttpRequest) -> HttpResponse:
    """Every term by kind, in position order: its name here, what it lacks in each language, in use or retired, and
    how many records use it."""
    _check(request)
    kind = request.GET.get("kind", "")
    kind = kind if kind in TermKind.values else ""
    missing = request.GET.get("missing", "")
    missing = missing if missing in LANGUAGE_CODES else ""
    context = {
        "groups": taxonomy.taxonomy_list(kind=kind, missing_language=missing),
        "kinds": TermKind.choices,
        "languages": settings.LANGUAGES,
        "kind": kind,
        "missing": missing,
        "version": taxonomy.taxonomy_version(),
    }
    return render(request, "knowledge/taxonomy_list.html", context)


@login_required
def taxonomy_add_view(request: HttpRequest, kind: str) -> HttpResponse:
    _check(request)
    if kind not in TermKind.values:
        raise Http404
    form = TermForm(request.POST or None, kind=kind)
    if request.method == "POST" and form.is_valid():
        values = form.service_values()
        try:
            term = taxonomy.term_create(actor=request.user, kind=kind, code=form.cleaned_data["code"], **values)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("The term was added."))
            return redirect("knowledge:taxonomy_edit", kind=term.kind, code=term.code)
    context = {"form": form, "kind_label": TermKind(kind).label, "kind": kind}
    return render(request, "knowledge/taxonomy_form.html", context, status=422 if form.errors else 200)


@login_required
def taxonomy_edit_view(request: HttpRequest, kind: str, code: str) -> HttpResponse:
    """Edit a term; its kind and code are shown, never edited."""
    term = _term(kind, code)
    _check(request, term)
    form = TermForm(request.POST or None, kind=kind, term=term)
    if request.method == "POST" and form.is_valid():
        try:
            taxonomy.term_update(actor=request.user, term=term, **form.service_values())
        except ValidationError as error:
            term.refresh_from_db()
            form.add_service_errors(error)
        else:
            messages.success(request, _("The term was saved."))
            return redirect("knowledge:taxonomy_edit", kind=term.kind, code=term.code)
    usage = taxonomy.term_usage().get(term.pk, {"facts": 0, "practices": 0, "obstacles": 0})
    context = {
        "form": form, "term": term, "kind": kind, "kind_label": TermKind(kind).label, "usage": usage,
        "used": sum(usage.values()),
    }  # fmt: skip
    return render(request, "knowledge/taxonomy_form.html", context, status=422 if form.errors else 200)


@login_required
@require_POST
def taxonomy_retire_view(request: HttpRequest, kind: str, code: str) -> HttpResponse:
    """Retire a term (or bring it back into use): never a deletion."""
    term = _term(kind, code)
    _check(request, term)
    try:
        if request.POST.get("action") == "reinstate":
            taxonomy.term_update(actor=request.user, term=term, active=True)
            messages.success(request, _("The term is in use again."))
        else:
            taxonomy.term_retire(actor=request.user, term=term)
            messages.success(request, _("The term was retired: it stays on the records that use it."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("knowledge:taxonomy_edit", kind=term.kind, code=term.code)


@login_required
def taxonomy_history_view(request: HttpRequest, kind: str, code: str) -> HttpResponse:
    term = _term(kind, code)
    _check(request, term)
    return render(
        request, "knowledge/taxonomy_history.html", {"term": term, "history": taxonomy.term_history(term=term)}
    )


@login_required
def taxonomy_export_view(request: HttpRequest) -> HttpResponse:
    """The taxonomy as a JSON file in the format of ``data/taxonomy.json``."""
    _check(request)
    text = taxonomy.taxonomy_export_text(actor=request.user)
    version = re.sub(r"[^0-9A-Za-z._-]", "", taxonomy.taxonomy_version())
    response = HttpResponse(text, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="ipvalue-taxonomy-{version or "current"}.json"'
    return response
