"""Discount rate by the build-up method (DOMAIN.md "Valuation"; Pratt & Grabowski; Kroll, formerly Duff & Phelps).

    k = risk-free rate + equity risk premium + size premium + industry premium + country risk premium
        + asset-specific premium

The build-up method adds premiums for the risks an investor bears on top of a risk-free rate, without a beta (Pratt &
Grabowski, Cost of Capital: Applications and Examples, Wiley, 5th ed. 2014, the build-up method; Kroll Cost of Capital
Navigator, formerly the Duff & Phelps Valuation Handbook). The country risk premium is added where the cash flows come
from a country riskier than the one of the risk-free rate (Damodaran, Country Risk: Determinants, Measures and
Implications). The asset-specific premium carries the extra risk of an intangible asset over the business that holds
it (IVS 210 Intangible Assets: the discount rate of an intangible reflects its own risk).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from pydantic import Field

from ipvalue.valuation.core import FloatArray, Inputs, Method, ValuationResult, conventions, register, to_float

COMPONENTS = (
    "risk_free_rate",
    "equity_risk_premium",
    "size_premium",
    "industry_premium",
    "country_risk_premium",
    "asset_specific_premium",
)
HIGH_RATE = 0.5


def _component(default: float | None, what: str) -> Any:
    if default is None:
        return Field(ge=-0.5, le=1.0, description=f"{what}, as a decimal from -0.5 to 1 (0.05 = 5%)")
    return Field(default, ge=-0.5, le=1.0, description=f"{what}, as a decimal from -0.5 to 1; 0 if not given")


class DiscountRateInputs(Inputs):
    risk_free_rate: float = _component(None, "Yield of a risk-free government bond in the currency of the cash flows")
    equity_risk_premium: float = _component(None, "Return of equities over the risk-free rate")
    size_premium: float = _component(0.0, "Premium for a small company")
    industry_premium: float = _component(0.0, "Premium (or discount, if negative) for the industry's risk")
    country_risk_premium: float = _component(0.0, "Premium for the risk of the country the cash flows come from")
    asset_specific_premium: float = _component(0.0, "Premium for the risk of this asset over the business")


def discount_rate_kernel(params: Mapping[str, Any]) -> FloatArray:
    """k = sum of the components (build-up method); any component may be an array of scenarios of shape ``(n,)``."""
    total = np.zeros((), dtype=np.float64)
    for name in COMPONENTS:
        value = params.get(name)
        total = total + np.asarray(0.0 if value is None else value, dtype=np.float64)
    return total


def discount_rate_evaluate(inputs: DiscountRateInputs) -> ValuationResult:
    params = inputs.model_dump()
    value = to_float(discount_rate_kernel(params)[..., np.newaxis])
    warnings = []
    if value > HIGH_RATE:
        warnings.append(
            f"A discount rate of {value:.1%} is above {HIGH_RATE:.0%}: it is that of a venture at its earliest stage; "
            "check the premiums are not counted twice."
        )
    if value < inputs.risk_free_rate:
        warnings.append(
            f"The discount rate {value:.2%} is below the risk-free rate {inputs.risk_free_rate:.2%}: the premiums "
            "add up to less than zero, so the asset would be safer than a government bond."
        )
    return ValuationResult(
        method="discount-rate",
        value=value,
        breakdown={name: float(params[name]) for name in COMPONENTS},
        conventions=conventions(
            method="build-up: the sum of the risk-free rate and the premiums",
            rate_basis="nominal, in the currency of the risk-free rate; for nominal cash flows in that currency",
        ),
        assumptions=[
            "The rate is a cost of equity for the asset, built up without a beta.",
            "Each premium is for a distinct risk; none is counted twice.",
        ],
        warnings=warnings,
        source="Build-up method: Pratt & Grabowski, Cost of Capital: Applications and Examples (Wiley, 5th ed. 2014); "
        "Kroll (formerly Duff & Phelps) Cost of Capital Navigator; country risk premium: Damodaran; IVS 210 "
        "Intangible Assets (IVSC)",
    )


register(
    Method(
        "discount-rate",
        "Discount rate by the build-up method: risk-free rate plus premiums",
        DiscountRateInputs,
        discount_rate_evaluate,
        discount_rate_kernel,
    )
)
