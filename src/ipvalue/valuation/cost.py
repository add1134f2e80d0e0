"""Cost approach: reproduction or replacement cost less obsolescence (IVS 105 section 60 ff.; IVS 210; DOMAIN.md).

The cost approach values an asset at what it would cost a participant to obtain one of equal utility, by purchase or by
recreating it, less deductions for every relevant form of obsolescence (IVS 105 Valuation Approaches and Methods,
60.1). For an intangible asset it fits best when the asset could be recreated quickly, with no premium for using the
subject asset at once, and when it does not generate identifiable income (IVS 105 60.2; IVS 210 Intangible Assets).

    cost_total           = sum of the cost items (or the single ``cost`` figure)
    developer_profit     = cost_total x developer_profit_rate
    opportunity_cost     = cost_total x ((1 + r)^(D / 2) - 1)
    cost_new             = cost_total + developer_profit + opportunity_cost
    obsolescence_factor  = (1 - functional) x (1 - technological) x (1 - economic)
    value                = cost_new x obsolescence_factor

Opportunity cost (the "entrepreneurial incentive": the return forgone on the money tied up while the asset is built;
Reilly & Schweihs, Guide to Intangible Asset Valuation, AICPA 2nd ed. 2016, chapter on the cost approach) uses the
mid-point convention: spending spread evenly over the D development years is treated as spent at D/2, so it earns r for
D/2 years on average. (The exact figure for a continuous even spend is ((1 + r)^D - 1) / (D ln(1 + r)) - 1; the
mid-point figure is slightly lower and is the usual practitioner approximation.) It is computed on ``cost_total`` only,
not on the developer's profit, which is not money spent during development.

Obsolescence is applied multiplicatively (each form removes its share of what the previous one left), the usual way of
combining percentage deductions in the cost approach, so that the total can never exceed 100%.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

import numpy as np
from pydantic import Field, ValidationInfo, field_validator

from ipvalue.valuation.core import FloatArray, Inputs, Method, ValuationResult, conventions, register, to_float

Obsolescence = Field(0.0, ge=0.0, lt=1.0, description="A fraction of the cost new, from 0 to below 1 (0.2 = 20%)")


class CostItem(Inputs):
    name: str = Field(min_length=1, description="What the cost is for, e.g. 'engineer time' or 'patent filing fees'")
    amount: float = Field(ge=0.0, description="The cost at today's prices, in the currency of the valuation")


class OpportunityCost(Inputs):
    rate: float = Field(ge=0.0, le=10.0, description="Return forgone per year on money spent, as a decimal")
    development_years: float = Field(gt=0.0, le=100.0, description="Years it would take to recreate the asset")


class CostInputs(Inputs):
    basis: Literal["reproduction", "replacement"] = Field(
        "replacement",
        description="Reproduction: an exact replica. Replacement: an asset of equal utility (the usual basis).",
    )
    cost_items: list[CostItem] | None = Field(
        None, min_length=1, description="The costs of recreating the asset, one per item. Or give a single cost."
    )
    cost: float | None = Field(
        None, ge=0.0, validate_default=True, description="The total cost of recreating the asset. Or give cost_items."
    )
    developer_profit_rate: float | None = Field(
        None, ge=0.0, le=10.0, description="Developer's profit as a markup on the cost, as a decimal (0.15 = 15%)"
    )
    opportunity_cost: OpportunityCost | None = Field(
        None, description="Return forgone on the money during development, spent evenly over the development years"
    )
    functional_obsolescence: float = Obsolescence
    technological_obsolescence: float = Obsolescence
    economic_obsolescence: float = Obsolescence

    @field_validator("cost")
    @classmethod
    def _cost_given_once(cls, value: float | None, info: ValidationInfo) -> float | None:
        if "cost_items" not in info.data:  # cost_items itself is invalid and already reported
            return value
        items = info.data["cost_items"]
        if value is None and items is None:
            raise ValueError("give cost_items or a single cost")
        if value is not None and items is not None:
            raise ValueError("give cost_items or cost, not both")
        return value


def _number(value: Any, default: float = 0.0) -> FloatArray:
    return np.asarray(default if value is None else value, dtype=np.float64)


def cost_total(params: Mapping[str, Any]) -> FloatArray:
    """The sum of the cost items' amounts, or the single ``cost``; each may be a number or an array of scenarios."""
    items = params.get("cost_items")
    if items is None:
        return _number(params["cost"])
    total = np.zeros((), dtype=np.float64)
    for item in items:
        total = total + _number(item["amount"])
    return total


def obsolescence_factor(params: Mapping[str, Any]) -> FloatArray:
    """(1 - functional) x (1 - technological) x (1 - economic)."""
    factor = np.ones((), dtype=np.float64)
    for name in ("functional_obsolescence", "technological_obsolescence", "economic_obsolescence"):
        factor = factor * (1.0 - _number(params.get(name)))
    return factor


def cost_parts(params: Mapping[str, Any]) -> dict[str, FloatArray]:
    """Every figure of the method, each broadcast over the scenarios: see the module docstring for the formulas."""
    total = cost_total(params)
    profit = total * _number(params.get("developer_profit_rate"))
    opportunity = np.zeros_like(total)
    setting = params.get("opportunity_cost")
    if setting is not None:
        growth = np.power(1.0 + _number(setting["rate"]), _number(setting["development_years"]) / 2.0)
        opportunity = total * (growth - 1.0)
    factor = obsolescence_factor(params)
    cost_new = total + profit + opportunity
    value = cost_new * factor
    return {
        "cost_total": total,
        "developer_profit": profit,
        "opportunity_cost": opportunity,
        "cost_new": cost_new,
        "obsolescence_factor": factor,
        "obsolescence": cost_new - value,
        "value": value,
    }


def cost_kernel(params: Mapping[str, Any]) -> FloatArray:
    """V = (C + C x p + C x ((1 + r)^(D/2) - 1)) x (1 - f)(1 - t)(1 - e) (IVS 105 section 60 ff.; IVS 210).

    Any number (a cost item's amount, ``cost``, the profit rate, the opportunity cost's rate or years, an obsolescence
    fraction) may be an array of scenarios of shape ``(n,)``; the result broadcasts to ``(n,)``.
    """
    return np.asarray(cost_parts(params)["value"], dtype=np.float64)


def cost_evaluate(inputs: CostInputs) -> ValuationResult:
    params = inputs.model_dump()
    parts = {name: to_float(figure[..., np.newaxis]) for name, figure in cost_parts(params).items()}
    value = to_float(cost_kernel(params)[..., np.newaxis])
    breakdown = {name: figure for name, figure in parts.items() if name != "value"}

    assumptions = [
        f"The asset is valued at its {inputs.basis} cost: "
        + (
            "the cost of an exact replica, with all its features."
            if inputs.basis == "reproduction"
            else "the cost of an asset of equal utility, built with today's methods."
        ),
        "Costs are at today's prices (not historical costs) and in the currency of the valuation.",
        "Obsolescence is applied multiplicatively: value = cost new x (1 - functional)(1 - technological)"
        "(1 - economic).",
        "The cost approach measures what the asset would cost to recreate, not what it will earn.",
    ]
    if inputs.developer_profit_rate is None:
        assumptions.append("No developer's profit is included.")
    if inputs.opportunity_cost is None:
        assumptions.append("No opportunity cost (entrepreneurial incentive) is included.")
    else:
        assumptions.append(
            "Opportunity cost: spending is spread evenly over the development years, so on average the money is tied "
            "up for half of them: cost_total x ((1 + rate)^(years / 2) - 1)."
        )

    warnings = []
    if inputs.basis == "reproduction" and inputs.functional_obsolescence == 0:
        warnings.append(
            "Reproduction cost replicates the asset with any superfluous or outdated features; functional "
            "obsolescence is zero: check that the asset has none."
        )
    if parts["obsolescence_factor"] < 0.5:
        warnings.append(
            f"Obsolescence removes {1 - parts['obsolescence_factor']:.0%} of the cost new: the cost approach may say "
            "little about this asset's value; check it against the income or market approach."
        )
    if parts["cost_total"] == 0:
        warnings.append("The cost is zero, so the value is zero.")

    return ValuationResult(
        method="cost",
        value=value,
        breakdown=breakdown,
        conventions=conventions(
            basis=inputs.basis,
            obsolescence="multiplicative: (1 - functional)(1 - technological)(1 - economic)",
            developer_profit="markup on cost_total" if inputs.developer_profit_rate is not None else "not included",
            opportunity_cost=(
                "cost_total x ((1 + rate)^(development_years / 2) - 1), even spending, mid-point"
                if inputs.opportunity_cost is not None
                else "not included"
            ),
        ),
        assumptions=assumptions,
        warnings=warnings,
        source="Cost approach: IVS 105 Valuation Approaches and Methods, section 60 ff. (replacement and reproduction "
        "cost, obsolescence), and IVS 210 Intangible Assets (IVSC); opportunity cost (entrepreneurial incentive) as in "
        "Reilly & Schweihs, Guide to Intangible Asset Valuation (AICPA, 2nd ed. 2016), mid-point convention",
    )


register(
    Method(
        "cost",
        "Reproduction or replacement cost, plus developer's profit and opportunity cost, less obsolescence",
        CostInputs,
        cost_evaluate,
        cost_kernel,
    )
)
