"""ipvalue's valuation engine: pure Python over numpy and scipy, no Django.

    >>> from ipvalue.valuation import valuate
    >>> round(valuate("npv", {"rate": 0.281, "cash_flows": [-100, 39, 59, 55, 20], "first_period": 0}).value, 7)
    -0.0084786

Every method takes its inputs as a JSON-like mapping (validated by its pydantic model) and returns a
``ValuationResult`` with the value, a breakdown, a per-period schedule where there is one, the conventions used,
assumptions and warnings. ``METHODS`` lists them; ``monte-carlo`` and ``sensitivity`` wrap any of them.
"""

from typing import Any

from ipvalue.valuation import (  # noqa: F401  (each module registers its methods)
    cost,
    credit,
    finance,
    income,
    market,
    options,
    rates,
    scorecard,
    uncertainty,
)
from ipvalue.valuation.core import METHODS, Method, ValuationResult

__all__ = ["METHODS", "Method", "ValuationResult", "valuate"]


def valuate(method: str, inputs: dict[str, Any]) -> ValuationResult:
    """Validate ``inputs`` for ``method`` and evaluate it. Raises ``KeyError`` for an unknown method and
    ``pydantic.ValidationError`` for bad inputs."""
    definition = METHODS[method]
    return definition.evaluate(definition.inputs.model_validate(inputs))
