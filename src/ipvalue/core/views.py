"""Home, about and health-check views."""

from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from ipvalue.core.languages import collation_key
from ipvalue.core.selectors import project_indicators
from ipvalue.countries.models import Country


def home_view(request: HttpRequest) -> HttpResponse:
    beneficiaries = sorted(Country.objects.beneficiaries(), key=lambda country: collation_key(country.name))
    return render(
        request,
        "core/home.html",
        {"beneficiaries": beneficiaries, "member_state_count": Country.objects.count()},
    )


def about_view(request: HttpRequest) -> HttpResponse:
    return render(request, "core/about.html", {"indicators": project_indicators()})


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database answers a query, 503 otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def rate_limited(request: HttpRequest, exception: Exception) -> HttpResponse:
    """429 for a visitor who sent too many heavy requests (simulations, reports) in a short time."""
    return render(request, "429.html", status=429)
