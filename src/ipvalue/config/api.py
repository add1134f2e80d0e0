"""The REST API (django-ninja), version 1. OpenAPI schema at ``/api/openapi.json``, documentation at ``/api/docs``."""

from csp.decorators import csp_update
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.renderers import JSONRenderer

from ipvalue import __version__
from ipvalue.core.api_errors import UnprocessableError
from ipvalue.countries.api import router as countries_router
from ipvalue.indicators.api import router as indicators_router
from ipvalue.knowledge.api import compare_router
from ipvalue.knowledge.api import router as knowledge_router
from ipvalue.stakeholders.api import router as stakeholders_router
from ipvalue.surveys.api import respondent_router as responses_router
from ipvalue.surveys.api import router as surveys_router
from ipvalue.toolkit.api import router as valuation_router


class UnicodeJSONRenderer(JSONRenderer):
    """JSON with names in their own script ("Казахстан"), not \\u escapes."""

    media_type = "application/json; charset=utf-8"
    json_dumps_params = {"ensure_ascii": False}


# Swagger UI sets inline styles, which the site-wide content security policy forbids; allow them on the docs page.
api = NinjaAPI(
    title="ipvalue API",
    version=__version__,
    description="Open data and tools of ipvalue, the platform for valuing and commercializing intellectual property.",
    urls_namespace="api",
    renderer=UnicodeJSONRenderer(),
    docs_decorator=csp_update({"style-src": ["'unsafe-inline'"]}),
)
api.add_router("/v1/countries", countries_router)
api.add_router("/v1/stakeholders", stakeholders_router)
api.add_router("/v1/valuations", valuation_router)
api.add_router("/v1/surveys", surveys_router)
api.add_router("/v1/responses", responses_router)
api.add_router("/v1/knowledge", knowledge_router)
api.add_router("/v1/compare", compare_router)
api.add_router("/v1", indicators_router)


@api.exception_handler(UnprocessableError)
def unprocessable(request: HttpRequest, exc: UnprocessableError) -> HttpResponse:
    return api.create_response(request, {"detail": exc.detail}, status=422)
