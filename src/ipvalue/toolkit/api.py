"""``POST /api/v1/valuations/{method}``: every method of the engine, with its inputs model in the OpenAPI schema.

Public (the toolkit is open to everyone), throttled, and capped in scenarios so that one request cannot hold a
worker for long; larger simulations belong to the command line or, later, background tasks.
"""

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja import Router, Status
from ninja.throttling import AnonRateThrottle, AuthRateThrottle

from ipvalue.core.api_errors import UnprocessableError
from ipvalue.valuation import METHODS
from ipvalue.valuation.cli import clean
from ipvalue.valuation.core import Method

router = Router(tags=["valuation"], throttle=[AnonRateThrottle("120/m"), AuthRateThrottle("600/m")])


def _scenario_cap(payload: Any) -> None:
    """Monte Carlo scenarios, or a sensitivity's model evaluations (n x (d + 2) for Sobol' indices), are capped."""
    limit = getattr(settings, "VALUATION_API_MAX_SCENARIOS", 1_000_000)
    scenarios, loc = getattr(payload, "scenarios", None), ["body", "payload", "scenarios"]
    variance = getattr(payload, "variance_based", None)
    if variance is not None:
        scenarios, loc = variance.scenarios * (len(variance.vary) + 2), ["body", "payload", "variance_based"]
    loans = getattr(payload, "loans", None)
    if loans is not None and scenarios is not None:  # a loan book's work is loans x scenarios
        scenarios = scenarios * len(loans) // 200  # 1,000,000 -> 200 loans x 1,000,000 or 10,000 x 20,000
    if scenarios is not None and scenarios > limit:
        raise UnprocessableError([{"loc": loc, "msg": f"at most {limit:,} evaluations through the API; use the CLI"}])


def _endpoint(method: Method) -> Any:
    def valuate(request: HttpRequest, payload: Any) -> dict[str, Any]:
        _scenario_cap(payload)
        result: dict[str, Any] = clean(method.evaluate(payload).as_output())
        return result

    valuate.__annotations__["payload"] = method.inputs
    valuate.__name__ = f"valuate_{method.name.replace('-', '_')}"
    valuate.__doc__ = f"{method.summary}. {method.evaluate.__doc__ or ''}".strip()
    return valuate


for _method in METHODS.values():
    router.post(f"/{_method.name}", response=dict[str, Any], summary=_method.summary)(_endpoint(_method))


@router.post("/{method}", response={404: dict[str, Any]}, include_in_schema=False)
def unknown_method(request: HttpRequest, method: str) -> Status[dict[str, Any]]:
    return Status(404, {"detail": f"{method!r} is not a method", "methods": sorted(METHODS)})
