"""The valuation toolkit's pages. Anonymous visitors use every tool; a signed-in user also saves, edits, duplicates
and shares. What was typed is kept: in the form after an error, in the session between pages, in the saved record."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language_bidi
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_ratelimit.decorators import ratelimit
from pydantic import ValidationError

from ipvalue.toolkit import guide, services
from ipvalue.toolkit.inputs import engine_errors, field_specs, parse_form
from ipvalue.toolkit.models import SavedValuation
from ipvalue.toolkit.reports import NOT_A_VALUE
from ipvalue.toolkit.texts import field_text, output_label
from ipvalue.valuation import METHODS

SESSION_KEY = "toolkit_last"


def compute_rate(group: str, request: HttpRequest) -> str:
    """Valuations (with simulations) one address may run: TOOLKIT_COMPUTE_RATE, 60 a minute by default."""
    return str(getattr(settings, "TOOLKIT_COMPUTE_RATE", "60/m"))


def report_rate(group: str, request: HttpRequest) -> str:
    """Reports (PDF, DOCX) one address may have made: TOOLKIT_REPORT_RATE, 20 a minute by default."""
    return str(getattr(settings, "TOOLKIT_REPORT_RATE", "20/m"))


WEB_METHODS = [name for name in METHODS if name not in ("monte-carlo", "sensitivity", "scorecard")]


def start_view(request: HttpRequest) -> HttpResponse:
    """Who you are, what you hold, what you know -> the methods that fit."""
    profile = request.GET.get("profile", "")
    asset = request.GET.get("asset", "")
    information = set(request.GET.getlist("information"))
    suggestions = guide.suggest(profile, asset, information) if request.GET else []
    return render(
        request,
        "toolkit/start.html",
        {
            "profiles": guide.PROFILES,
            "assets": guide.ASSET_TYPES,
            "information_choices": guide.INFORMATION,
            "profile": profile,
            "asset": asset,
            "information": information,
            "suggestions": suggestions,
            "methods": [(name, guide.TITLES.get(name, METHODS[name].summary)) for name in WEB_METHODS],
        },
    )


def _method_or_404(method: str) -> Any:
    if method not in WEB_METHODS:
        raise Http404
    return METHODS[method]


def _form_context(method: str, raw: dict[str, str], errors: dict[str, list[str]]) -> dict[str, Any]:
    definition = METHODS[method]
    specs = field_specs(definition.inputs)
    fields = []
    for spec in specs:
        default = spec.default
        if isinstance(default, list):
            default = " ".join(str(value) for value in default) if default else ""
        value = raw.get(spec.name, "" if default is None or spec.kind in ("rows",) else str(default))
        fields.append(
            {
                "spec": spec,
                "value": value,
                "low": raw.get(f"{spec.name}__low", ""),
                "high": raw.get(f"{spec.name}__high", ""),
                "errors": errors.get(spec.name, []),
                "can_vary": spec.uncertain and definition.kernel is not None and "." not in spec.path,
            }
        )
    return {
        "method": method,
        "title": guide.TITLES.get(method, definition.summary),
        "fields": fields,
        "form_errors": errors.get("__all__", []),
        "has_errors": bool(errors),
    }


@ratelimit(key="ip", rate=compute_rate, method="POST", block=True)
def method_view(request: HttpRequest, method: str, pk: int | None = None) -> HttpResponse:
    """The form of one method; on success the result page (the valuation is saved when asked and signed in)."""
    definition = _method_or_404(method)
    valuation = None
    if pk is not None:
        valuation = _owned(request, pk)
    if request.method != "POST":
        raw = dict(valuation.form_data) if valuation else {}
        if not raw and request.GET.get("again") and (last := request.session.get(SESSION_KEY)):
            raw = last["form_data"] if last.get("method") == method else {}
        context = _form_context(method, raw, {})
        return render(request, "toolkit/method_form.html", {**context, "valuation": valuation})
    raw = {key: request.POST.get(key, "") for key in request.POST if key != "csrfmiddlewaretoken"}
    for key in request.POST:
        if key.endswith("__low") or key.endswith("__high"):
            raw[key] = request.POST[key]
    specs = field_specs(definition.inputs)
    parsed = parse_form(specs, raw, definition.inputs)
    run = None
    errors = parsed.errors
    if not errors:
        try:
            run = services.run_valuation(method=method, engine_input=parsed.data, uncertain=parsed.uncertain)
        except ValidationError as error:
            errors = engine_errors(error, specs)
    request.session[SESSION_KEY] = {"method": method, "form_data": raw, "run": run.as_json() if run else None}
    if errors:
        context = _form_context(method, raw, errors)
        return render(request, "toolkit/method_form.html", {**context, "valuation": valuation}, status=422)
    assert run is not None  # noqa: S101
    if request.user.is_authenticated and (valuation is not None or request.POST.get("save")):
        valuation = services.valuation_save(
            owner=request.user,
            title=request.POST.get("title") or (valuation.title if valuation else guide.TITLES.get(method, method)),
            method=method,
            form_data=raw,
            run=run,
            valuation=valuation,
        )
        messages.success(request, _("The valuation was saved."))
        return redirect("toolkit:saved_detail", pk=valuation.pk)
    return redirect("toolkit:result")


def result_view(request: HttpRequest) -> HttpResponse:
    last = request.session.get(SESSION_KEY)
    if not last or not last.get("run"):
        return redirect("toolkit:start")
    run = services.Run.from_json(last["run"])
    return render(request, "toolkit/result.html", _result_context(run, None, editable=True))


def _result_context(run: services.Run, valuation: SavedValuation | None, *, editable: bool) -> dict[str, Any]:
    return {
        "run": run,
        "title": valuation.title if valuation else guide.TITLES.get(run.method, run.method),
        "method_title": guide.TITLES.get(run.method, METHODS[run.method].summary),
        "charts": services.run_charts(run, rtl=get_language_bidi()),
        "valuation": valuation,
        "editable": editable,
        "reportable": run.method not in NOT_A_VALUE,
        "asset_types": guide.ASSET_TYPES,
        # With uncertain inputs the concluded value is the mean of the simulation, as in the report.
        "value": services.number(run.simulation.breakdown["mean"] if run.simulation else run.result.value),
        "base_value": services.number(run.result.value) if run.simulation else None,
        "range": tuple(services.number(v) for v in run.range) if run.range else None,
        "breakdown": [(output_label(key), services.number(value)) for key, value in run.result.breakdown.items()],
        "schedule_columns": [output_label(key) for key in run.result.schedule[0]] if run.result.schedule else [],
        "schedule": [[services.number(v) for v in row.values()] for row in run.result.schedule],
        "uncertain": [
            (field_text(path)[0], services.number(low), services.number(high))
            for path, (low, high) in run.uncertain.items()
        ],
    }


def _owned(request: HttpRequest, pk: int) -> SavedValuation:
    valuation = SavedValuation.objects.filter(pk=pk).first()
    if valuation is None or not request.user.has_perm("toolkit.view_savedvaluation", valuation):
        raise Http404
    return valuation


@login_required
def saved_list_view(request: HttpRequest) -> HttpResponse:
    valuations = SavedValuation.objects.filter(owner=request.user)
    return render(request, "toolkit/saved_list.html", {"valuations": valuations})


@login_required
def saved_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    valuation = _owned(request, pk)
    if not valuation.result:
        return redirect("toolkit:saved_edit", method=valuation.method, pk=valuation.pk)
    run = services.Run.from_json(valuation.result)
    editable = request.user.has_perm("toolkit.change_savedvaluation", valuation)
    return render(request, "toolkit/result.html", _result_context(run, valuation, editable=editable))


@login_required
@require_POST
def saved_action_view(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    valuation = _owned(request, pk)
    if not request.user.has_perm("toolkit.change_savedvaluation", valuation):
        raise PermissionDenied
    if action == "duplicate":
        copy = services.valuation_duplicate(owner=request.user, valuation=valuation)
        messages.success(request, _("A copy was made: change it to try another scenario."))
        return redirect("toolkit:saved_edit", method=copy.method, pk=copy.pk)
    if action in ("share", "unshare"):
        services.valuation_share(owner=request.user, valuation=valuation, shared=action == "share")
        return redirect("toolkit:saved_detail", pk=valuation.pk)
    if action == "delete":
        valuation.delete()
        messages.success(request, _("The valuation was deleted."))
        return redirect("toolkit:saved_list")
    raise Http404


def shared_view(request: HttpRequest, token: str) -> HttpResponse:
    valuation = SavedValuation.objects.filter(share_token=token).exclude(share_token=None).first()
    if valuation is None or not valuation.result:
        raise Http404
    run = services.Run.from_json(valuation.result)
    return render(request, "toolkit/result.html", _result_context(run, valuation, editable=False) | {"shared": True})


@login_required
@require_POST
def save_last_view(request: HttpRequest) -> HttpResponse:
    """Save the valuation just run (anonymous work kept in the session, saved after signing in)."""
    last = request.session.get(SESSION_KEY)
    if not last or not last.get("run"):
        return redirect("toolkit:start")
    valuation = services.valuation_save(
        owner=request.user,
        title=request.POST.get("title", ""),
        method=last["method"],
        form_data=last["form_data"],
        run=services.Run.from_json(last["run"]),
    )
    messages.success(request, _("The valuation was saved."))
    return redirect(reverse("toolkit:saved_detail", kwargs={"pk": valuation.pk}))


# --- Scorecard ---------------------------------------------------------------------------------------------------


def _catalogue_groups(language: str, ratings: dict[str, str]) -> list[dict[str, Any]]:
    from ipvalue.valuation.scorecard import CATALOGUE, localized

    groups = []
    for group in CATALOGUE.groups:
        factors = [
            {
                "code": factor.code,
                "name": localized(factor.name, language),
                "levels": list(enumerate(localized(factor.levels, language), start=1)),
                "dimension": factor.dimension,
                "rating": ratings.get(factor.code, ""),
            }
            for factor in CATALOGUE.factors
            if factor.group == group.code
        ]
        groups.append({"code": group.code, "name": localized(group.name, language), "factors": factors})
    return groups


@ratelimit(key="ip", rate=compute_rate, method="POST", block=True)
def scorecard_view(request: HttpRequest) -> HttpResponse:
    """Rate an asset factor by factor (1 to 5, each level explained); see its profile and place on the matrix."""
    from ipvalue.valuation.scorecard import CATALOGUE

    language = services.active_language()
    raw = {key: value for key, value in request.POST.items() if key != "csrfmiddlewaretoken"}
    ratings = {code: raw[f"rating_{code}"] for code in (f.code for f in CATALOGUE.factors) if raw.get(f"rating_{code}")}
    context: dict[str, Any] = {"asset_name": raw.get("asset_name", ""), "errors": []}
    status = 200
    if request.method == "POST":
        payload = {
            "assets": [
                {"name": raw.get("asset_name") or _("Asset"), "ratings": {k: int(v) for k, v in ratings.items()}}
            ],
            "language": language,
        }
        try:
            result = services.valuate("scorecard", payload)
        except (ValidationError, ValueError):
            context["errors"] = [_("Rate at least one factor with a whole number from 1 to 5.")]
            status = 422
        else:
            asset = result.extra["assets"][0]
            rtl = get_language_bidi()
            context["result"] = result
            context["asset"] = asset
            context["radar"] = services.charts.radar_svg(
                [item["name"] for item in asset["radar"]],
                [item["score"] for item in asset["radar"]],
                title=_("Profile by group"),
                rtl=rtl,
            )
            located = asset["opportunity"] is not None and asset["risk"] is not None
            context["matrix"] = services.charts.matrix_svg(
                [(asset["name"], asset["opportunity"], asset["risk"])] if located else [],
                x_label=_("Opportunity"),
                y_label=_("Risk"),
                title=_("Opportunity and risk"),
                rtl=rtl,
            )
            if request.user.is_authenticated and raw.get("save"):
                saved = services.valuation_save(
                    owner=request.user, title=asset["name"], method="scorecard", form_data=raw, run=None
                )
                saved.result = {"scorecard": result.model_dump()}
                saved.save(update_fields=["result"])
                messages.success(request, _("The scorecard was saved."))
    context["groups"] = _catalogue_groups(language, ratings)
    context["catalogue_version"] = CATALOGUE.version
    context["portfolio"] = _portfolio(request) if request.user.is_authenticated else None
    return render(request, "toolkit/scorecard.html", context, status=status)


def _portfolio(request: HttpRequest) -> dict[str, Any] | None:
    saved = SavedValuation.objects.filter(owner=request.user, method="scorecard")
    points = []
    rows = []
    for valuation in saved:
        data = valuation.result.get("scorecard")
        if not data:
            continue
        asset = data["extra"]["assets"][0]
        if asset["opportunity"] is not None and asset["risk"] is not None:
            points.append((valuation.title, asset["opportunity"], asset["risk"]))
        quadrant = (asset.get("quadrant") or {}).get("label", "–")
        rows.append({"title": valuation.title, "overall": asset["overall"], "quadrant": quadrant})
    if len(rows) < 2:
        return None
    rows.sort(key=lambda row: row["overall"] or 0, reverse=True)
    matrix = services.charts.matrix_svg(
        points, x_label=_("Opportunity"), y_label=_("Risk"), title=_("Your portfolio"), rtl=get_language_bidi()
    )
    return {"rows": rows, "matrix": matrix}


# --- Reports -----------------------------------------------------------------------------------------------------


def _report_response(
    request: HttpRequest, run: services.Run, title: str, *, weight: float = 1.0,
    reconciliation: list[dict[str, Any]] | None = None,
) -> HttpResponse:  # fmt: skip
    from ipvalue.toolkit import reports

    language = request.GET.get("lang") or services.active_language()
    if language not in dict(settings.LANGUAGES):
        raise Http404
    file_format = "docx" if request.GET.get("format") == "docx" else "pdf"
    details: dict[str, Any] = {"method": run.method, "input": run.engine_input, "title": str(title)}
    if run.uncertain:
        details["method"] = "monte-carlo"
        details["input"] = services.monte_carlo_spec(run.method, run.engine_input, run.uncertain)
    if reconciliation:
        details["weight"] = weight
        details["reconciliation"] = reconciliation
    asset_type = request.GET.get("asset_type", "")
    if asset_type not in dict(guide.ASSET_TYPES):
        asset_type = "patent"
    name = request.GET.get("asset_name", "").strip()[:200]
    if name:  # without a name the asset is not identified, and the report's checklist says so
        details["asset"] = {"type": asset_type, "name": name}
    if owner := request.GET.get("owner_name", "").strip()[:200]:
        details["owner"] = {"name": owner}
    try:
        report_input = reports.parse_report_input(details)
    except reports.ReportInputError as error:
        return render(request, "toolkit/report_error.html", {"detail": error.detail}, status=422)
    report = reports.build_report(report_input, language)
    if file_format == "docx":
        content = reports.render_docx(report)
        content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    else:
        content = reports.render_pdf(report)
        content_type = "application/pdf"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="valuation-report-{language}.{file_format}"'
    return response


@ratelimit(key="ip", rate=report_rate, block=True)
def result_report_view(request: HttpRequest) -> HttpResponse:
    last = request.session.get(SESSION_KEY)
    if not last or not last.get("run"):
        return redirect("toolkit:start")
    run = services.Run.from_json(last["run"])
    return _report_response(request, run, guide.TITLES.get(run.method, run.method))


@ratelimit(key="ip", rate=report_rate, block=True)
@login_required
def saved_report_view(request: HttpRequest, pk: int) -> HttpResponse:
    valuation = _owned(request, pk)
    if not valuation.result or "method" not in valuation.result:
        raise Http404
    return _report_response(request, services.Run.from_json(valuation.result), valuation.title)


@ratelimit(key="ip", rate=report_rate, block=True)
def shared_report_view(request: HttpRequest, token: str) -> HttpResponse:
    valuation = SavedValuation.objects.filter(share_token=token).exclude(share_token=None).first()
    if valuation is None or not valuation.result or "method" not in valuation.result:
        raise Http404
    return _report_response(request, services.Run.from_json(valuation.result), valuation.title)


# --- Reconciliation ------------------------------------------------------------------------------------------------


def _reportable_run(valuation: SavedValuation) -> services.Run | None:
    if not valuation.result or "method" not in valuation.result or valuation.result["method"] in NOT_A_VALUE:
        return None
    return services.Run.from_json(valuation.result)


@ratelimit(key="ip", rate=report_rate, block=True)
@login_required
def reconcile_view(request: HttpRequest) -> HttpResponse:
    """Weigh several saved valuations into one conclusion of value (IVS 105: reconciling approaches)."""
    candidates = [(valuation, run) for valuation in request.user.valuations.all()
                  if (run := _reportable_run(valuation)) is not None]  # fmt: skip
    chosen: list[tuple[SavedValuation, services.Run, float]] = []
    errors: list[str] = []
    if request.GET.get("reconcile"):
        for valuation, run in candidates:
            if str(valuation.pk) in request.GET.getlist("use"):
                try:
                    weight = float(request.GET.get(f"weight_{valuation.pk}", "1").replace(",", "."))
                except ValueError:
                    weight = -1.0
                if weight < 0:
                    errors.append(_("Give each weight as a number of zero or more."))
                    break
                chosen.append((valuation, run, weight))
        total = sum(weight for _v, _r, weight in chosen)
        if not errors and (len(chosen) < 2 or total <= 0):
            errors.append(_("Choose at least two valuations, with weights that are not all zero."))
    context: dict[str, Any] = {"candidates": candidates, "errors": errors, "query": request.GET}
    if chosen and not errors:
        total = sum(weight for _v, _r, weight in chosen)
        rows = [
            {"title": valuation.title, "value": run.result.value, "share": weight / total}
            for valuation, run, weight in chosen
        ]
        conclusion = sum(row["value"] * row["share"] for row in rows)
        context["rows"] = [
            {"title": row["title"], "value": services.number(row["value"]), "share": f"{row['share']:.0%}"}
            for row in rows
        ]
        context["conclusion"] = services.number(conclusion)
        context["chart"] = services.charts.bars_svg(
            [row["title"] for row in rows], [row["value"] for row in rows], title=_("Indications of value"),
            number_format=services.compact, rtl=get_language_bidi(),
        )  # fmt: skip
        if request.GET.get("format") in ("pdf", "docx"):
            main_valuation, main_run, main_weight = chosen[0]
            others = [
                {"method": run.method, "input": run.engine_input, "weight": weight, "label": valuation.title[:200]}
                for valuation, run, weight in chosen[1:]
            ]
            return _report_response(request, main_run, main_valuation.title, weight=main_weight, reconciliation=others)
    return render(request, "toolkit/reconcile.html", context, status=422 if errors else 200)
