"""Income approach: NPV, the tax amortisation benefit, relief from royalty (IVS 210; DOMAIN.md "Valuation")."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

import numpy as np
from pydantic import Field, model_validator

from ipvalue.valuation.core import (
    FloatArray,
    Inputs,
    Method,
    Timing,
    ValuationResult,
    conventions,
    discount_factors,
    dot,
    periods,
    register,
    scalar,
    series,
    to_float,
    total,
)

Rate = Field(gt=-1.0, le=10.0, description="A rate per period, as a decimal (0.12 = 12%)")
TaxRate = Field(ge=0.0, lt=1.0, description="Tax rate as a decimal, from 0 to below 1")


# --- NPV ------------------------------------------------------------------------------------------------------------


class NpvInputs(Inputs):
    rate: float = Field(gt=-1.0, le=10.0, description="Discount rate per period, as a decimal")
    cash_flows: list[float] = Field(min_length=1, description="Cash flows, one per period, in order")
    first_period: Literal[0, 1] = Field(
        1, description="Period of the first cash flow: 1 (end of the first year, spreadsheet NPV) or 0 (today)"
    )
    timing: Timing = Field("end", description="Cash flows at the end of each period, or mid-period")


def npv_kernel(params: Mapping[str, Any]) -> FloatArray:
    """NPV = sum over t of CF_t / (1 + r)^t, t from ``first_period``; less half a period for mid-period timing."""
    flows = series(params["cash_flows"])
    exponents = periods(flows.shape[-1], int(params.get("first_period", 1)), params.get("timing", "end"))
    return total(flows * discount_factors(params["rate"], exponents))


def npv_evaluate(inputs: NpvInputs) -> ValuationResult:
    exponents = periods(len(inputs.cash_flows), inputs.first_period, inputs.timing)
    factors = discount_factors(inputs.rate, exponents)
    flows = np.asarray(inputs.cash_flows, dtype=np.float64)
    warnings = []
    if inputs.first_period == 0:
        warnings.append(
            "The first cash flow is at t=0 and is not discounted; a spreadsheet NPV() starts at t=1 and would differ."
        )
    return ValuationResult(
        method="npv",
        value=to_float(npv_kernel(inputs.model_dump())[..., np.newaxis]),
        schedule=[
            {"period": float(t), "cash_flow": float(c), "discount_factor": float(d), "present_value": float(c * d)}
            for t, c, d in zip(exponents, flows, factors, strict=True)
        ],
        conventions=conventions(timing=inputs.timing, first_period=inputs.first_period),
        assumptions=["Cash flows are discounted at one constant rate."],
        warnings=warnings,
        source="Net present value, e.g. Brealey, Myers & Allen, Principles of Corporate Finance, ch. 2",
    )


# --- Tax amortisation benefit ----------------------------------------------------------------------------------------


class TabInputs(Inputs):
    tax_rate: float = TaxRate
    discount_rate: float = Field(gt=0.0, le=10.0, description="Discount rate of the asset, as a decimal")
    amortisation_years: int = Field(ge=1, le=100, description="Tax amortisation period, in years")
    timing: Timing = "end"


def annuity_factor(rate: Any, years: int, timing: Timing = "end") -> FloatArray:
    """Present value of 1 a year for ``years`` years: sum over t=1..n of (1 + k)^-t (t - 0.5 mid-period)."""
    return total(discount_factors(rate, periods(years, 1, timing)))


def tab_kernel(params: Mapping[str, Any]) -> FloatArray:
    """TAB factor = 1 / (1 - (tax / n) x annuity factor(k, n)) (IVS practice; AICPA, Valuation of intangible assets)."""
    years = int(params["amortisation_years"])
    factor = annuity_factor(params["discount_rate"], years, params.get("timing", "end"))
    return 1.0 / (1.0 - np.asarray(params["tax_rate"], dtype=np.float64) / years * factor)


def tab_evaluate(inputs: TabInputs) -> ValuationResult:
    value = to_float(tab_kernel(inputs.model_dump())[..., np.newaxis])
    return ValuationResult(
        method="tab-factor",
        value=value,
        breakdown={
            "annuity_factor": to_float(
                annuity_factor(inputs.discount_rate, inputs.amortisation_years, inputs.timing)[..., np.newaxis]
            )
        },
        conventions=conventions(timing=inputs.timing, amortisation="straight line"),
        assumptions=[
            "The buyer amortises the asset for tax straight-line over the amortisation period.",
            "The amortisation tax savings are discounted at the asset's discount rate.",
        ],
        source="TAB = 1 / (1 - (t/n) x PV annuity factor(k, n)); IVS 210 practice, AICPA Accounting and Valuation "
        "Guide (Intangible assets)",
    )


# --- Relief from royalty ---------------------------------------------------------------------------------------------


class TabSetting(Inputs):
    amortisation_years: int = Field(ge=1, le=100, description="Tax amortisation period, in years")


class ReliefFromRoyaltyInputs(Inputs):
    revenues: list[float] | None = Field(
        None, min_length=1, description="Revenue of each year. Or give base_revenue, growth_rate and years."
    )
    base_revenue: float | None = Field(None, ge=0.0, description="Revenue of the first year")
    growth_rate: float | None = Field(None, gt=-1.0, le=10.0, description="Yearly revenue growth, as a decimal")
    years: int | None = Field(None, ge=1, le=200, description="Number of years of revenue")
    royalty_rate: float = Field(ge=0.0, le=1.0, description="Royalty rate on revenue, as a decimal")
    tax_rate: float = TaxRate
    discount_rate: float = Field(gt=0.0, le=10.0, description="Discount rate, as a decimal")
    timing: Timing = "end"
    first_period: Literal[0, 1] = 1
    terminal_growth: float | None = Field(
        None, gt=-1.0, description="Growth after the last year, for a terminal value (asset without a finite life)"
    )
    tab: TabSetting | None = Field(None, description="Apply the tax amortisation benefit")
    comparable_rates: list[float] | None = Field(
        None, description="Royalty rates of comparable licences, to check the rate used against their range"
    )

    @model_validator(mode="after")
    def _revenue_given_once(self) -> ReliefFromRoyaltyInputs:
        generated = (self.base_revenue, self.growth_rate, self.years)
        if self.revenues is None and None in generated:
            raise ValueError("give revenues, or base_revenue with growth_rate and years")
        if self.revenues is not None and any(value is not None for value in generated):
            raise ValueError("give revenues or base_revenue/growth_rate/years, not both")
        if self.revenues is not None and any(value < 0 for value in self.revenues):
            raise ValueError("revenues cannot be negative")
        if self.terminal_growth is not None and self.terminal_growth >= self.discount_rate:
            raise ValueError("terminal_growth must be below discount_rate")
        return self


def revenue_series(params: Mapping[str, Any]) -> FloatArray:
    """Revenues as given, or base x (1 + g)^(t - 1) for t = 1..years."""
    if params.get("revenues") is not None:
        return series(params["revenues"])
    growth = np.arange(int(params["years"]), dtype=np.float64)
    revenues = np.power(1.0 + scalar(params["growth_rate"]), growth)
    base = scalar(params["base_revenue"])
    if np.broadcast_shapes(revenues.shape, base.shape) == revenues.shape:
        revenues *= base  # in place: one (n, T) array, not two
        return revenues
    return revenues * base  # the base varies but the growth does not: the product has the scenarios' shape


def _rfr_parts(params: Mapping[str, Any]) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """After-tax royalties, discount factors, present value before TAB and the terminal value's present value."""
    revenues = revenue_series(params)
    savings = revenues * (scalar(params["royalty_rate"]) * (1.0 - scalar(params["tax_rate"])))
    exponents = periods(revenues.shape[-1], int(params.get("first_period", 1)), params.get("timing", "end"))
    factors = discount_factors(params["discount_rate"], exponents)
    present = dot(savings, factors)
    terminal = np.zeros_like(present)
    if params.get("terminal_growth") is not None:
        growth = np.asarray(params["terminal_growth"], dtype=np.float64)
        rate = np.asarray(params["discount_rate"], dtype=np.float64)
        terminal = savings[..., -1] * (1.0 + growth) / (rate - growth) * factors[..., -1]
    return savings, factors, present, terminal


def rfr_kernel(params: Mapping[str, Any]) -> FloatArray:
    """V = [sum_t R_t x royalty x (1 - tax) / (1 + k)^t + TV] x TAB (DOMAIN.md; IVS 210; ISO 10668 for brands)."""
    _savings, _factors, present, terminal = _rfr_parts(params)
    value = present + terminal
    tab = params.get("tab")
    if tab is not None:
        value = value * tab_kernel(
            {
                "tax_rate": params["tax_rate"],
                "discount_rate": params["discount_rate"],
                "amortisation_years": tab["amortisation_years"],
                "timing": params.get("timing", "end"),
            }
        )
    return value


def rfr_evaluate(inputs: ReliefFromRoyaltyInputs) -> ValuationResult:
    params = inputs.model_dump()
    savings, factors, present, terminal = _rfr_parts(params)
    revenues = revenue_series(params)
    before_tab = to_float((present + terminal)[..., np.newaxis])
    value = to_float(rfr_kernel(params)[..., np.newaxis])
    exponents = periods(revenues.shape[-1], inputs.first_period, inputs.timing)
    tab_factor = 1.0
    if inputs.tab is not None:
        tab_factor = to_float(
            tab_kernel(
                {
                    "tax_rate": inputs.tax_rate,
                    "discount_rate": inputs.discount_rate,
                    "amortisation_years": inputs.tab.amortisation_years,
                    "timing": inputs.timing,
                }
            )[..., np.newaxis]
        )
    breakdown = {"value_before_tab": before_tab, "tab_factor": tab_factor}
    if inputs.terminal_growth is not None:
        breakdown["terminal_value_present"] = to_float(terminal[..., np.newaxis])
    warnings = []
    if inputs.royalty_rate > 0.25:
        warnings.append("A royalty rate above 25% of revenue is unusual; check it against comparable licences.")
    if inputs.comparable_rates:
        q1, q3 = (float(q) for q in np.percentile(inputs.comparable_rates, [25, 75]))
        breakdown["comparables_q1"], breakdown["comparables_q3"] = q1, q3
        if not q1 <= inputs.royalty_rate <= q3:
            warnings.append(
                f"The royalty rate {inputs.royalty_rate:.2%} lies outside the interquartile range of the comparable "
                f"licences ({q1:.2%} to {q3:.2%}); explain why, or choose a rate within it."
            )
    if inputs.terminal_growth is not None:
        share = breakdown["terminal_value_present"] / before_tab if before_tab else 0.0
        if share > 0.5:
            warnings.append(f"The terminal value is {share:.0%} of the value: the result rests on the long term.")
    assumptions = [
        "The owner saves the royalty it would otherwise pay a licensor for the same rights.",
        "Royalty savings are taxed at the tax rate and discounted at one constant rate.",
    ]
    if inputs.terminal_growth is not None:
        assumptions.append("After the last year the royalty savings grow forever at the terminal growth rate (Gordon).")
    return ValuationResult(
        method="relief-from-royalty",
        value=value,
        breakdown=breakdown,
        schedule=[
            {
                "period": float(t),
                "revenue": float(r),
                "royalty_after_tax": float(s),
                "discount_factor": float(d),
                "present_value": float(s * d),
            }
            for t, r, s, d in zip(exponents, revenues, savings, factors, strict=True)
        ],
        conventions=conventions(
            timing=inputs.timing,
            first_period=inputs.first_period,
            tab=f"applied, {inputs.tab.amortisation_years} years straight line" if inputs.tab else "not applied",
        ),
        assumptions=assumptions,
        warnings=warnings,
        source="Relief from royalty: IVS 210 (IVSC); ISO 10668:2010 section 5.4.3.4; TAB as in tab-factor",
    )


# --- Multi-period excess earnings ------------------------------------------------------------------------------------


class ContributoryAsset(Inputs):
    name: str = Field(min_length=1, max_length=100)
    level: float = Field(ge=0.0, le=10.0, description="The asset's value as a fraction of revenue (0.1 = 10%)")
    return_on: float = Field(ge=0.0, le=1.0, description="Required after-tax return on the asset, as a decimal")
    return_of: float = Field(
        0.0, ge=0.0, le=1.0, description="Yearly recovery of a wasting asset, as a fraction of its value (1/life)"
    )


class MpeemInputs(Inputs):
    revenues: list[float] = Field(min_length=1, description="Revenue the subject asset helps earn, per year")
    operating_margin: float = Field(gt=-1.0, le=1.0, description="Operating profit before tax, as a share of revenue")
    tax_rate: float = TaxRate
    contributory_assets: list[ContributoryAsset] = Field(
        default_factory=list, description="Assets the subject needs (working capital, fixed assets, workforce...)"
    )
    discount_rate: float = Field(gt=0.0, le=10.0)
    timing: Timing = "end"
    first_period: Literal[0, 1] = 1
    tab: TabSetting | None = None


def _mpeem_parts(params: Mapping[str, Any]) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """Profit after tax, contributory charges, excess earnings and discount factors, per period."""
    revenues = series(params["revenues"])
    after_tax = revenues * scalar(params["operating_margin"]) * (1.0 - scalar(params["tax_rate"]))
    charges = np.zeros_like(after_tax)
    for asset in params.get("contributory_assets") or []:
        rate = scalar(asset["return_on"]) + scalar(asset.get("return_of", 0.0))
        charges = charges + revenues * scalar(asset["level"]) * rate
    excess = after_tax - charges
    exponents = periods(revenues.shape[-1], int(params.get("first_period", 1)), params.get("timing", "end"))
    return after_tax, charges, excess, discount_factors(params["discount_rate"], exponents)


def mpeem_kernel(params: Mapping[str, Any]) -> FloatArray:
    """V = sum_t [R_t x margin x (1 - tax) - sum_a R_t x level_a x (return on_a + return of_a)] / (1 + k)^t x TAB.

    Contributory asset charges as in The Appraisal Foundation, "The Identification of Contributory Assets and
    Calculation of Economic Rents" (VFR Advisory #1, 2010); IVS 210 (excess earnings method).
    """
    _after_tax, _charges, excess, factors = _mpeem_parts(params)
    value = total(excess * factors)
    if params.get("tab") is not None:
        value = value * tab_kernel(
            {
                "tax_rate": params["tax_rate"],
                "discount_rate": params["discount_rate"],
                "amortisation_years": params["tab"]["amortisation_years"],
                "timing": params.get("timing", "end"),
            }
        )
    return value


def mpeem_evaluate(inputs: MpeemInputs) -> ValuationResult:
    params = inputs.model_dump()
    after_tax, charges, excess, factors = _mpeem_parts(params)
    exponents = periods(len(inputs.revenues), inputs.first_period, inputs.timing)
    value = to_float(mpeem_kernel(params)[..., np.newaxis])
    warnings = []
    if np.any(excess < 0):
        warnings.append("Excess earnings are negative in some years: the contributory charges exceed the profit.")
    if not inputs.contributory_assets:
        warnings.append("No contributory asset charges: the value includes the return of every other asset used.")
    return ValuationResult(
        method="mpeem",
        value=value,
        breakdown={"value_before_tab": float(np.sum(excess * factors))},
        schedule=[
            {
                "period": float(t),
                "revenue": float(r),
                "profit_after_tax": float(p),
                "contributory_charges": float(c),
                "excess_earnings": float(e),
                "discount_factor": float(d),
                "present_value": float(e * d),
            }
            for t, r, p, c, e, d in zip(exponents, inputs.revenues, after_tax, charges, excess, factors, strict=True)
        ],
        conventions=conventions(
            timing=inputs.timing,
            first_period=inputs.first_period,
            contributory_charges="after tax, return on plus return of, as a share of revenue",
            tab=f"applied, {inputs.tab.amortisation_years} years" if inputs.tab else "not applied",
        ),
        assumptions=[
            "The subject asset earns what is left of after-tax profit once every contributory asset has its return.",
            "Contributory asset levels are constant shares of revenue.",
        ],
        warnings=warnings,
        source="Multi-period excess earnings method: IVS 210; The Appraisal Foundation VFR Advisory #1 (2010)",
    )


# --- With and without ------------------------------------------------------------------------------------------------


class WithAndWithoutInputs(Inputs):
    cash_flows_with: list[float] = Field(min_length=1, description="After-tax cash flows with the asset, per year")
    cash_flows_without: list[float] = Field(min_length=1, description="After-tax cash flows without it")
    discount_rate: float = Field(gt=-1.0, le=10.0)
    timing: Timing = "end"
    first_period: Literal[0, 1] = 1

    @model_validator(mode="after")
    def _same_length(self) -> WithAndWithoutInputs:
        if len(self.cash_flows_with) != len(self.cash_flows_without):
            raise ValueError("cash_flows_with and cash_flows_without must have the same number of years")
        return self


def with_without_kernel(params: Mapping[str, Any]) -> FloatArray:
    """V = sum_t (CF_with,t - CF_without,t) / (1 + k)^t (IVS 210, with-and-without method)."""
    difference = series(params["cash_flows_with"]) - series(params["cash_flows_without"])
    exponents = periods(difference.shape[-1], int(params.get("first_period", 1)), params.get("timing", "end"))
    return total(difference * discount_factors(params["discount_rate"], exponents))


def with_without_evaluate(inputs: WithAndWithoutInputs) -> ValuationResult:
    exponents = periods(len(inputs.cash_flows_with), inputs.first_period, inputs.timing)
    factors = discount_factors(inputs.discount_rate, exponents)
    return ValuationResult(
        method="with-and-without",
        value=to_float(with_without_kernel(inputs.model_dump())[..., np.newaxis]),
        schedule=[
            {"period": float(t), "with": a, "without": b, "incremental": a - b, "present_value": (a - b) * float(d)}
            for t, a, b, d in zip(exponents, inputs.cash_flows_with, inputs.cash_flows_without, factors, strict=True)
        ],
        conventions=conventions(timing=inputs.timing, first_period=inputs.first_period),
        assumptions=["The two scenarios differ only by the presence of the subject asset."],
        source="With-and-without method: IVS 210 Intangible Assets",
    )


# --- Premium profit --------------------------------------------------------------------------------------------------


class PremiumProfitInputs(Inputs):
    volumes: list[float] = Field(min_length=1, description="Units sold per year")
    price_premium: float = Field(ge=0.0, description="Extra price per unit the asset commands")
    incremental_cost_per_unit: float = Field(0.0, ge=0.0, description="Extra cost per unit of earning the premium")
    tax_rate: float = TaxRate
    discount_rate: float = Field(gt=0.0, le=10.0)
    timing: Timing = "end"
    first_period: Literal[0, 1] = 1


def premium_profit_kernel(params: Mapping[str, Any]) -> FloatArray:
    """V = sum_t Q_t x (premium - extra cost) x (1 - tax) / (1 + k)^t (IVS 210, premium profit method)."""
    volumes = series(params["volumes"])
    margin = scalar(params["price_premium"]) - scalar(params.get("incremental_cost_per_unit", 0.0))
    profit = volumes * margin * (1.0 - scalar(params["tax_rate"]))
    exponents = periods(volumes.shape[-1], int(params.get("first_period", 1)), params.get("timing", "end"))
    return total(profit * discount_factors(params["discount_rate"], exponents))


def premium_profit_evaluate(inputs: PremiumProfitInputs) -> ValuationResult:
    warnings = []
    if inputs.incremental_cost_per_unit >= inputs.price_premium:
        warnings.append("The incremental cost absorbs the whole premium: the asset adds no profit.")
    return ValuationResult(
        method="premium-profit",
        value=to_float(premium_profit_kernel(inputs.model_dump())[..., np.newaxis]),
        conventions=conventions(timing=inputs.timing, first_period=inputs.first_period),
        assumptions=["Without the asset the same volumes would sell at the price without the premium."],
        warnings=warnings,
        source="Premium profit (price premium) method: IVS 210; ISO 10668:2010 section 5.4.3.3",
    )


# --- Profit split ----------------------------------------------------------------------------------------------------


class ProfitSplitInputs(Inputs):
    profits: list[float] = Field(min_length=1, description="Operating profit of the business using the asset, per year")
    split: float = Field(gt=0.0, le=1.0, description="Share of the profit attributed to the asset (0.25 = 25% rule)")
    rule: str = Field("", max_length=100, description="Name of the rule of thumb behind the split, if any")
    tax_rate: float = TaxRate
    discount_rate: float = Field(gt=0.0, le=10.0)
    timing: Timing = "end"
    first_period: Literal[0, 1] = 1
    revenues: list[float] | None = Field(None, description="Revenues, to report the implied royalty rate")


def profit_split_kernel(params: Mapping[str, Any]) -> FloatArray:
    """V = sum_t profit_t x split x (1 - tax) / (1 + k)^t (profit split method; Goldscheider et al., "Use of the 25
    per cent rule in valuing IP", les Nouvelles 2002, for the 25% heuristic)."""
    profits = series(params["profits"]) * scalar(params["split"]) * (1.0 - scalar(params["tax_rate"]))
    exponents = periods(profits.shape[-1], int(params.get("first_period", 1)), params.get("timing", "end"))
    return total(profits * discount_factors(params["discount_rate"], exponents))


def profit_split_evaluate(inputs: ProfitSplitInputs) -> ValuationResult:
    breakdown: dict[str, float] = {}
    warnings = [
        "A profit split is a heuristic"
        + (f" ({inputs.rule})" if inputs.rule else "")
        + ", not a market-derived rate: the 25% rule in particular was rejected as evidence by US courts "
        "(Uniloc v. Microsoft, 2011). Corroborate with comparable licences."
    ]
    if inputs.revenues is not None:
        if len(inputs.revenues) != len(inputs.profits) or not sum(inputs.revenues):
            warnings.append("revenues ignored: they must match profits year by year and not sum to zero.")
        else:
            breakdown["implied_royalty_rate"] = inputs.split * sum(inputs.profits) / sum(inputs.revenues)
    return ValuationResult(
        method="profit-split",
        value=to_float(profit_split_kernel(inputs.model_dump())[..., np.newaxis]),
        breakdown=breakdown,
        conventions=conventions(timing=inputs.timing, first_period=inputs.first_period, split=inputs.split),
        assumptions=[f"The asset earns {inputs.split:.0%} of the operating profit of the business that uses it."],
        warnings=warnings,
        source="Profit split method; 25% rule: Goldscheider, Jarosz & Mulhern, les Nouvelles, December 2002",
    )


register(Method("npv", "Net present value of a series of cash flows", NpvInputs, npv_evaluate, npv_kernel))
register(Method("tab-factor", "Tax amortisation benefit factor", TabInputs, tab_evaluate, tab_kernel))
register(
    Method(
        "relief-from-royalty",
        "Relief from royalty, with optional terminal value and tax amortisation benefit",
        ReliefFromRoyaltyInputs,
        rfr_evaluate,
        rfr_kernel,
    )
)
register(
    Method(
        "mpeem",
        "Multi-period excess earnings with contributory asset charges",
        MpeemInputs,
        mpeem_evaluate,
        mpeem_kernel,
    )
)
register(
    Method(
        "with-and-without",
        "With-and-without (incremental cash flow)",
        WithAndWithoutInputs,
        with_without_evaluate,
        with_without_kernel,
    )
)
register(
    Method(
        "premium-profit",
        "Premium profit (price premium)",
        PremiumProfitInputs,
        premium_profit_evaluate,
        premium_profit_kernel,
    )
)
register(
    Method(
        "profit-split",
        "Profit split (rules of thumb labelled as heuristics)",
        ProfitSplitInputs,
        profit_split_evaluate,
        profit_split_kernel,
    )
)
