"""IP finance: a lender's assessment of IP collateral and the value of a licensing deal (DOMAIN.md, "IP-backed
financing" and "Valuation").

``loan-assessment`` (the lender's view). With V the collateral value at the chosen confidence percentile (the
appraised value itself, or the p-th percentile of a simulated value distribution), d the disposal (forced-sale)
discount, t the time to sell in years and r the yearly cost of that time::

    lending value   LV = max(V, 0) x (1 - d) / (1 + r)^t           (stressed value, at the default date)
    maximum loan       = min(ltv_cap x LV, loan_cap_amount)          (the cap amount only where one is given)
    LTV requested      = requested_loan / collateral value           (appraised value, or the simulated MEDIAN)
    LTV on lending     = requested_loan / LV
    EAD                = requested_loan                              (the whole loan outstanding at default)
    recovery        R  = min(EAD, LV)                                (sale proceeds beyond the debt go to the borrower)
    shortfall       S  = EAD - R
    guarantee       G  = guarantee_share x S                         (pro rata loss sharing, see below)
    insurance       I  = insurance_cover x (S - G)                   (covers part of what the guarantee leaves)
    net loss        L  = S - G - I = (EAD - R) (1 - g) (1 - i)
    LGD                = L / EAD                                     (in [0, 1])
    expected loss   EL = PD x LGD x EAD                              (Basel II IRB; = PD x L)
    guarantee fee      = guarantee_fee_rate x guarantee_share x requested_loan, per year

All amounts of the recovery are present values at the default date (t = 0), discounted at ``discount_rate``.

The guarantee follows the usual credit-guarantee convention of pro rata (pari passu) loss sharing: the guarantor
covers ``guarantee_share`` of the loan's loss. Where it pays g x the outstanding amount at the claim, it takes g of
the later recoveries, so it bears g x (EAD - R) in the end, which is what is modelled; its fee is charged on the
guaranteed part of the loan (g x loan). Malaysia's IP Financing Scheme (2013-2017) had Credit Guarantee
Corporation Malaysia guarantee 50% of loans made by Malaysia Debt Ventures for a 0.5% fee (cgc.com.my), with
loans of the lower of RM10 million or 80% of the IP value; UK bank products lend up to about 50% of the estimated
IP value (UK IPO, "Banking on IP?", 2013). Expected loss as PD x LGD x EAD: Basel Committee on Banking
Supervision, "International Convergence of Capital Measurement and Capital Standards" (Basel II, June 2006), IRB
approach. The lending value as a prudent, stressed value rather than a market value follows the mortgage-lending
value idea (and Russia's FSO XI on pledged IP: see DOMAIN.md).

``licence`` (a licensing deal, from the licensor's side, with the licensee's side alongside). For years
t = 1..term (t - 0.5 with mid-year timing), revenue R_t, royalty rate k, minimum annual royalty M, tax rate T and
discount rate r::

    royalty_t      = k x R_t,   paid_t = max(royalty_t, M),   top-up_t = paid_t - royalty_t
    royalties PV   = sum_t paid_t / (1 + r)^t
    milestones PV  = sum_j p_j x amount_j / (1 + r)^(year_j)          (expected, at each milestone's own date)
    NPV licensor   = (1 - T) x (upfront fee + royalties PV + milestones PV)     (the upfront fee at t = 0)
    NPV licensee   = (1 - T) x sum_t margin x R_t / (1 + r)^t - NPV licensor    (margin given; payments deductible)
                   = - NPV licensor                                             (no margin: the payments as a cost)
    profit-split royalty rate = share x margin      (the "25% rule" with share = 0.25: a heuristic)

Both sides use the same tax rate and discount rate, so the licensee's after-tax cost of the payments equals the
licensor's after-tax receipts. Licensing deal structures (upfront fees, milestones, minimum royalties): WIPO & ITC,
"Exchanging Value: Negotiating Technology Licensing Agreements" (2005); R. Razgaitis, "Valuation and Pricing of
Technology-Based Intellectual Property" (Wiley, 2003). The 25% rule: R. Goldscheider, J. Jarosz & C. Mulhern, "Use
of the 25 per cent rule in valuing IP", les Nouvelles, December 2002; rejected as a basis for damages in Uniloc USA,
Inc. v. Microsoft Corp., 632 F.3d 1292 (Fed. Cir. 2011).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Any, Literal

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
    field_error,
    periods,
    register,
    scalar,
    series,
    to_float,
)
from ipvalue.valuation.uncertainty import MonteCarloInputs, monte_carlo_evaluate

WIDE_SPREAD = 1.0  # (p90 - p10) / median above this: the collateral's distribution is flagged as very wide


def _array(value: Any) -> FloatArray:
    return np.asarray(value, dtype=np.float64)


# --- Loan assessment -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Preset:
    """Lending terms of a published IP-financing scheme."""

    name: str
    terms: dict[str, float]
    source: str
    note: str


PRESETS: dict[str, Preset] = {
    "malaysia-ipfs": Preset(
        name="malaysia-ipfs",
        terms={"ltv_cap": 0.8, "loan_cap_amount": 10_000_000.0, "guarantee_share": 0.5, "guarantee_fee_rate": 0.005},
        source="Malaysia's IP Financing Scheme 2013-2017: loans by Malaysia Debt Ventures of the lower of RM10 million "
        "or 80% of the IP value, 50% guaranteed by Credit Guarantee Corporation Malaysia for a 0.5% fee (cgc.com.my)",
        note="The RM10,000,000 cap is in Malaysian ringgit: give the amounts in RM.",
    ),
    "uk-bank-50": Preset(
        name="uk-bank-50",
        terms={"ltv_cap": 0.5},
        source='UK bank products lend up to about 50% of the estimated IP value (UK IPO, "Banking on IP?", 2013)',
        note="No guarantee or absolute cap is part of this preset.",
    ),
}


class Collateral(Inputs):
    """The IP pledged: an appraised value, or a Monte Carlo simulation of its value (give exactly one)."""

    appraised_value: float | None = Field(None, gt=0.0, description="The appraised value of the IP")
    monte_carlo: MonteCarloInputs | None = Field(
        None,
        description="A Monte Carlo simulation of the IP's value (method, inputs, vary, scenarios, seed, sampling): "
        "the lending value is then taken at confidence_percentile of the simulated values",
    )

    @model_validator(mode="after")
    def _one_collateral(self) -> Collateral:
        if self.appraised_value is not None and self.monte_carlo is not None:
            raise field_error(
                type(self).__name__, "monte_carlo", "give appraised_value or monte_carlo, not both", "both given"
            )
        if self.appraised_value is None and self.monte_carlo is None:
            raise ValueError("give the collateral's appraised_value, or a monte_carlo simulation of its value")
        if self.monte_carlo is not None and self.monte_carlo.method == "loan-assessment":
            raise field_error(
                type(self).__name__,
                "monte_carlo",
                "the collateral's value cannot be a loan assessment",
                "loan-assessment",
            )
        return self


class LoanAssessmentInputs(Inputs):
    collateral: Collateral = Field(description="The IP pledged: appraised_value, or monte_carlo")
    confidence_percentile: float = Field(
        10.0,
        gt=0.0,
        lt=100.0,
        description="Percentile of the simulated value distribution taken as the collateral value (10: a value "
        "exceeded in 90% of scenarios); ignored for an appraised value",
    )
    disposal_discount: float = Field(
        ge=0.0, lt=1.0, description="Forced-sale discount on default, as a fraction of the value (0.3 = 30%)"
    )
    time_to_sell_years: float = Field(ge=0.0, le=100.0, description="Years from default to the sale of the IP")
    discount_rate: float = Field(
        ge=0.0, le=10.0, description="Yearly cost of the time to sell, as a decimal: proceeds are divided by (1+r)^t"
    )
    ltv_cap: float | None = Field(
        None, gt=0.0, le=1.0, description="Loan-to-value cap applied to the lending value (a preset may give it)"
    )
    loan_cap_amount: float | None = Field(None, gt=0.0, description="Absolute ceiling on the loan, e.g. 10,000,000")
    requested_loan: float = Field(gt=0.0, description="The loan the borrower asks for")
    guarantee_share: float | None = Field(
        None, ge=0.0, le=1.0, description="Share of the loan's loss a guarantor covers (0.5 = 50%); default 0"
    )
    guarantee_fee_rate: float | None = Field(
        None, ge=0.0, le=1.0, description="Yearly guarantee fee, as a decimal of the guaranteed amount; default 0"
    )
    insurance_cover: float = Field(
        0.0, ge=0.0, le=1.0, description="Share of the loss left after the guarantee that insurance covers"
    )
    probability_of_default: float = Field(
        ge=0.0, le=1.0, description="Probability that the borrower defaults over the horizon of the expected loss"
    )
    loan_term_years: float | None = Field(
        None, gt=0.0, le=100.0, description="Term of the loan in years, for the guarantee fee over the term"
    )
    preset: Literal["malaysia-ipfs", "uk-bank-50"] | None = Field(
        None,
        description="Terms of a published scheme: malaysia-ipfs (lower of RM10m or 80%, 50% guarantee for 0.5%) or "
        "uk-bank-50 (50% of the IP value); fields given explicitly take precedence",
    )

    @property
    def scenarios(self) -> int | None:
        """The scenarios a simulated collateral runs (None for an appraised value): a caller that caps the
        ``scenarios`` of a request, as the HTTP API does, caps this nested simulation too."""
        return self.collateral.monte_carlo.scenarios if self.collateral.monte_carlo is not None else None

    @model_validator(mode="after")
    def _apply_preset(self) -> LoanAssessmentInputs:
        """A preset fills each of its fields that is missing (or null); then a cap must be known."""
        if self.preset is not None:
            for name, value in PRESETS[self.preset].terms.items():
                if getattr(self, name) is None:
                    setattr(self, name, value)
        if self.ltv_cap is None:
            raise field_error(type(self).__name__, "ltv_cap", "give ltv_cap, or a preset that sets it", None)
        if self.guarantee_share is None:
            self.guarantee_share = 0.0
        if self.guarantee_fee_rate is None:
            self.guarantee_fee_rate = 0.0
        return self


def _term(params: Mapping[str, Any], name: str, default: float | None = None) -> Any:
    """An input as given, else the preset's value for it, else ``default``."""
    value = params.get(name)
    if value is None and params.get("preset") is not None:
        value = PRESETS[params["preset"]].terms.get(name)
    return default if value is None else value


def loan_parts(params: Mapping[str, Any]) -> dict[str, FloatArray]:
    """Every figure of the loan assessment for a collateral valued at ``collateral.appraised_value`` (the value at
    the confidence percentile), vectorised over the numeric inputs (formulas in the module docstring)."""
    value = np.maximum(_array(params["collateral"]["appraised_value"]), 0.0)
    growth = np.power(1.0 + _array(params["discount_rate"]), _array(params["time_to_sell_years"]))
    lending = value * (1.0 - _array(params["disposal_discount"])) / growth
    maximum = _array(_term(params, "ltv_cap")) * lending
    cap_amount = _term(params, "loan_cap_amount")
    if cap_amount is not None:
        maximum = np.minimum(maximum, _array(cap_amount))
    exposure = _array(params["requested_loan"])
    guarantee_share = _array(_term(params, "guarantee_share", 0.0))
    recovery = np.minimum(exposure, lending)
    shortfall = exposure - recovery
    guarantee = guarantee_share * shortfall
    insurance = _array(params.get("insurance_cover", 0.0)) * (shortfall - guarantee)
    net_loss = shortfall - guarantee - insurance
    loss_given_default = net_loss / exposure
    return {
        "collateral_value_at_confidence": value,
        "growth": growth,
        "lending_value": lending,
        "maximum_loan": maximum,
        "exposure_at_default": exposure,
        "recovery_amount": recovery,
        "shortfall": shortfall,
        "guarantee_payment": guarantee,
        "insurance_payment": insurance,
        "net_loss": net_loss,
        "loss_given_default": loss_given_default,
        "expected_loss": _array(params["probability_of_default"]) * loss_given_default * exposure,
        "guarantee_fee_per_year": _array(_term(params, "guarantee_fee_rate", 0.0)) * guarantee_share * exposure,
    }


def loan_kernel(params: Mapping[str, Any]) -> FloatArray:
    """The maximum loan, min(ltv_cap x value x (1 - d) / (1 + r)^t, loan_cap_amount), for an appraised collateral.

    A simulated collateral (``collateral.monte_carlo``) is already a distribution: vary its own inputs in its
    ``vary`` instead; Monte Carlo and sensitivity of a loan assessment need ``collateral.appraised_value``.
    """
    if params["collateral"].get("appraised_value") is None:
        raise field_error(
            "LoanAssessmentInputs",
            "collateral",
            "Monte Carlo and sensitivity of a loan assessment need collateral.appraised_value; a monte_carlo "
            "collateral is already a distribution (vary its inputs in collateral.monte_carlo.vary)",
            None,
        )
    return loan_parts(params)["maximum_loan"]


def _percentile_key(percentile: float) -> str:
    return f"p{percentile:g}"  # as monte_carlo_evaluate names its percentiles


def _simulated_collateral(inputs: LoanAssessmentInputs) -> tuple[float, float, dict[str, Any], list[str]]:
    """The collateral value at the confidence percentile and the median, from the engine's Monte Carlo."""
    simulation = inputs.collateral.monte_carlo
    assert simulation is not None  # noqa: S101  (the caller checks the mode)
    wanted = sorted({*simulation.percentiles, 10.0, 50.0, 90.0, inputs.confidence_percentile})
    result = monte_carlo_evaluate(simulation.model_copy(update={"percentiles": wanted}))
    figures = result.breakdown
    at_confidence = figures[_percentile_key(inputs.confidence_percentile)]
    median = figures["p50"]
    spread = (figures["p90"] - figures["p10"]) / median if median > 0 else math.inf
    summary = {
        "simulated_method": simulation.method,
        "scenarios": result.extra["scenarios"],
        "converged": result.extra["converged"],
        "seed": simulation.seed,
        "sampling": simulation.sampling,
        "mean": figures["mean"],
        "sd": figures["sd"],
        "deterministic_value": figures["deterministic_value"],
        "percentiles": {_percentile_key(p): figures[_percentile_key(p)] for p in wanted},
        "value_at_confidence": at_confidence,
        "relative_spread_p10_p90": spread,
    }
    warnings = [f"Collateral simulation: {warning}" for warning in result.warnings]
    if spread > WIDE_SPREAD:
        warnings.append(
            f"The collateral's value distribution is very wide: p10 to p90 spans {spread:.0%} of the median "
            f"({figures['p10']:,.0f} to {figures['p90']:,.0f}); the lending value rests on a very uncertain valuation."
        )
    if inputs.confidence_percentile > 50:
        warnings.append(
            f"The lending value is taken at the {inputs.confidence_percentile:g}th percentile, above the median: "
            "the collateral is worth less in most scenarios; a prudent lender takes a low percentile (e.g. 10)."
        )
    if at_confidence <= 0:
        warnings.append(
            f"The collateral is worth nothing at the {inputs.confidence_percentile:g}th percentile: no lending value."
        )
    return at_confidence, median, summary, warnings


def _ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator > 0 else math.inf


def loan_evaluate(inputs: LoanAssessmentInputs) -> ValuationResult:
    params = inputs.model_dump()
    warnings: list[str] = []
    extra: dict[str, Any] = {}
    if inputs.collateral.appraised_value is not None:
        at_confidence = collateral_value = inputs.collateral.appraised_value
        basis = "the appraised value"
        if "confidence_percentile" in inputs.model_fields_set:
            warnings.append("confidence_percentile is ignored: the collateral is a single appraised value.")
    else:
        at_confidence, collateral_value, extra["collateral_distribution"], simulated = _simulated_collateral(inputs)
        basis = "the median of the simulated values"
        warnings.extend(simulated)
        params["collateral"] = {"appraised_value": at_confidence}
    parts = {name: to_float(array) for name, array in loan_parts(params).items()}
    growth = parts.pop("growth")
    lending, maximum, exposure = parts["lending_value"], parts["maximum_loan"], parts["exposure_at_default"]
    ltv_cap, cap_amount = inputs.ltv_cap, inputs.loan_cap_amount
    assert ltv_cap is not None  # noqa: S101  (the validator fills it or refuses the inputs)
    breakdown = {
        "collateral_value": collateral_value,
        **parts,
        "ltv_requested": _ratio(exposure, collateral_value),
        "ltv_requested_on_lending_value": _ratio(exposure, lending),
    }
    if inputs.loan_term_years is not None:
        breakdown["guarantee_fee_total"] = parts["guarantee_fee_per_year"] * inputs.loan_term_years
    if exposure > maximum:
        warnings.append(
            f"The requested loan ({exposure:,.0f}) exceeds the maximum loan ({maximum:,.0f}) by "
            f"{exposure - maximum:,.0f}."
        )
    if lending <= 0:
        warnings.append("The lending value is zero: the IP gives the lender no security.")
    if inputs.disposal_discount == 0 and inputs.time_to_sell_years == 0:
        warnings.append(
            "No disposal discount and no time to sell: the lending value is the collateral value itself, not a "
            "stressed value; IP sold on default usually takes time and sells at a discount."
        )
    preset = PRESETS[inputs.preset] if inputs.preset else None
    if preset is not None:
        for name, value in preset.terms.items():
            given = getattr(inputs, name)
            if given != value:
                warnings.append(f"{name} = {given:g} replaces the {preset.name} preset's {value:g}.")
    t = inputs.time_to_sell_years
    steps = (
        ("default", 0.0, exposure, "The borrower defaults; the whole loan is outstanding (EAD)."),
        ("sale_proceeds", t, parts["recovery_amount"], "The IP is sold at the disposal discount; the lender keeps at "
         "most the debt and its cost of carry."),
        ("guarantee_payment", t, parts["guarantee_payment"], "The guarantor pays its share of the shortfall."),
        ("insurance_payment", t, parts["insurance_payment"], "Insurance pays its cover of the loss left."),
        ("net_loss", t, parts["net_loss"], "The lender's loss given default."),
    )  # fmt: skip
    extra["recovery_scenario"] = [
        {
            "step": step,
            "year": year,
            "amount": present * (growth if year else 1.0),  # paid at `year`; present_value at the default date
            "present_value": present,
            "description": description,
        }
        for step, year, present, description in steps
    ]
    extra["recovery_scenario"][1]["gross_sale_proceeds"] = at_confidence * (1.0 - inputs.disposal_discount)
    extra["preset"] = preset.name if preset else None
    extra["preset_source"] = preset.source if preset else None
    assumptions = [
        f"The collateral value for the loan-to-value ratio is {basis}; the lending value is a stressed value: "
        "the value at the confidence percentile, less the disposal discount, discounted for the time to sell.",
        "The loan cap applies to the lending value; to reproduce a scheme that caps on the appraised value, set "
        "disposal_discount and time_to_sell_years to 0.",
        "The whole requested loan is outstanding at default (EAD = requested loan: no repayment before default).",
        "Sale proceeds beyond the debt go back to the borrower: recovery = min(EAD, lending value).",
        "The guarantor shares the loss pro rata: it bears guarantee_share of the loss left after the sale; its fee is "
        "charged yearly on guarantee_share of the loan.",
        "Insurance covers insurance_cover of the loss left after the guarantee.",
        "Expected loss = PD x LGD x EAD over the horizon of the probability of default; amounts of the recovery are "
        "present values at the default date.",
    ]
    if preset is not None:
        assumptions.append(preset.note)
    if cap_amount is not None and maximum == cap_amount:
        assumptions.append(f"The absolute cap of {cap_amount:,.0f} sets the maximum loan, not the LTV cap.")
    return ValuationResult(
        method="loan-assessment",
        value=maximum,
        breakdown=breakdown,
        extra=extra,
        conventions=conventions(
            collateral_value=basis,
            confidence_percentile=inputs.confidence_percentile if inputs.collateral.monte_carlo else None,
            present_values="at the default date, discounted at discount_rate over time_to_sell_years",
            ltv_cap=ltv_cap,
            loan_cap_amount=cap_amount,
            guarantee="pro rata share of the loss; fee yearly on the guaranteed part of the loan",
            preset=preset.name if preset else None,
        ),
        assumptions=assumptions,
        warnings=warnings,
        source="Lending value, LTV caps and guarantees as in IP-financing schemes (Malaysia IP Financing Scheme "
        '2013-2017, cgc.com.my; UK IPO "Banking on IP?" 2013); expected loss = PD x LGD x EAD (Basel II, BCBS 2006, '
        "IRB approach)" + (f"; preset: {preset.source}" if preset else ""),
    )


# --- Licence ----------------------------------------------------------------------------------------------------------

Revenue = Annotated[float, Field(ge=0.0)]
RoyaltyRate = Annotated[float, Field(ge=0.0, le=1.0)]


class RoyaltyRateRange(Inputs):
    low: RoyaltyRate = Field(description="Lowest royalty rate negotiated, as a decimal")
    high: RoyaltyRate = Field(description="Highest royalty rate, as a decimal")

    @model_validator(mode="after")
    def _ordered(self) -> RoyaltyRateRange:
        if self.low > self.high:
            raise field_error(type(self).__name__, "high", f"high must be at least low ({self.low:g})", self.high)
        return self


class Milestone(Inputs):
    name: str = Field("", max_length=100, description="The event, e.g. regulatory approval")
    year: float = Field(ge=0.0, le=200.0, description="When it is paid, in years from signing (may be fractional)")
    amount: float = Field(ge=0.0, description="The payment if the milestone is reached")
    probability: float = Field(1.0, ge=0.0, le=1.0, description="Probability, seen today, that it is paid")


class LicenceInputs(Inputs):
    revenues: list[Revenue] = Field(min_length=1, description="The licensee's revenue forecast per year (royalty base)")
    royalty_rate: float | None = Field(None, ge=0.0, le=1.0, description="Royalty rate on revenue, as a decimal")
    royalty_rate_range: RoyaltyRateRange | None = Field(
        None, description="Or a range {low, high}: NPVs at low, mid and high, the value at mid"
    )
    upfront_fee: float = Field(0.0, ge=0.0, description="Paid at signing (t = 0)")
    milestones: list[Milestone] = Field(default_factory=list, description="Milestone payments, probability-weighted")
    minimum_annual_royalty: float = Field(
        0.0, ge=0.0, description="Each year of the term the licensor receives at least this"
    )
    term_years: int | None = Field(
        None, ge=1, description="Years of the licence, at most the years of revenues (default: all of them)"
    )
    discount_rate: float = Field(ge=0.0, le=10.0, description="Discount rate, as a decimal")
    tax_rate: float = Field(ge=0.0, lt=1.0, description="Tax rate of both sides, as a decimal")
    licensee_operating_margin: float | None = Field(
        None, gt=-1.0, le=1.0, description="The licensee's operating profit margin on the revenues, for a profit split"
    )
    licensee_profit_share_to_licensor: float = Field(
        0.25, ge=0.0, le=1.0, description='Share of the licensee\'s operating profit for the licensor ("25% rule")'
    )
    timing: Timing = Field("end", description="Royalties at the end of each year, or mid-year")

    @model_validator(mode="after")
    def _consistent(self) -> LicenceInputs:
        name = type(self).__name__
        if self.royalty_rate is None and self.royalty_rate_range is None:
            raise field_error(name, "royalty_rate", "give royalty_rate or royalty_rate_range", None)
        if self.royalty_rate is not None and self.royalty_rate_range is not None:
            raise field_error(
                name, "royalty_rate_range", "give royalty_rate or royalty_rate_range, not both", "both given"
            )
        if self.term_years is not None and self.term_years > len(self.revenues):
            raise field_error(
                name,
                "term_years",
                f"term_years ({self.term_years}) is longer than the revenue forecast ({len(self.revenues)} years)",
                self.term_years,
            )
        return self


def _licence_rate(params: Mapping[str, Any]) -> FloatArray:
    if params.get("royalty_rate") is not None:
        return _array(params["royalty_rate"])
    spread = params["royalty_rate_range"]
    return (_array(spread["low"]) + _array(spread["high"])) / 2.0


def licence_parts(params: Mapping[str, Any]) -> dict[str, FloatArray]:
    """Every figure of the licence, vectorised over the numeric inputs (formulas in the module docstring)."""
    revenues = series(params["revenues"])
    term = int(params.get("term_years") or revenues.shape[-1])
    revenues = revenues[..., :term]
    royalty = revenues * scalar(_licence_rate(params))
    paid = np.maximum(royalty, scalar(params.get("minimum_annual_royalty", 0.0)))
    rate = _array(params["discount_rate"])
    factors = discount_factors(rate, periods(term, 1, params.get("timing", "end")))
    royalties_pv = dot(paid, factors)
    milestones_pv = np.zeros_like(royalties_pv)
    for milestone in params.get("milestones") or []:
        expected = _array(milestone["amount"]) * _array(milestone.get("probability", 1.0))
        milestones_pv = milestones_pv + expected * np.power(1.0 + rate, -_array(milestone["year"]))
    after_tax = 1.0 - _array(params["tax_rate"])
    upfront = _array(params.get("upfront_fee", 0.0))
    licensor = after_tax * (upfront + royalties_pv + milestones_pv)
    margin = params.get("licensee_operating_margin")
    profit_pv = dot(revenues * scalar(margin), factors) if margin is not None else np.zeros_like(licensor)
    return {
        "revenues": revenues,
        "royalty": royalty,
        "paid": paid,
        "factors": factors,
        "royalties_pv": royalties_pv,
        "expected_milestones_pv": milestones_pv,
        "npv_licensor": licensor,
        "npv_licensee": after_tax * profit_pv - licensor,
    }


def licence_kernel(params: Mapping[str, Any]) -> FloatArray:
    """NPV for the licensor = (1 - tax) x (upfront + sum_t max(k R_t, M) / (1 + r)^t + sum_j p_j A_j / (1 + r)^y_j),
    at the middle of the royalty range where a range is given."""
    return licence_parts(params)["npv_licensor"]


def _licence_schedule(inputs: LicenceInputs, parts: Mapping[str, FloatArray]) -> list[dict[str, float]]:
    """One row per year: year 0 for the upfront fee and milestones at signing, 1..term for royalties, later years for
    milestones after the term. A milestone belongs to the year that ends at or after it (ceil) and is discounted from
    its own date, so a row's present value can differ from its cash flow x the year's discount factor."""
    term = parts["revenues"].shape[-1]
    tax, rate = inputs.tax_rate, inputs.discount_rate
    buckets: dict[int, list[Milestone]] = {}
    for milestone in inputs.milestones:
        buckets.setdefault(math.ceil(milestone.year), []).append(milestone)
    first = 0 if inputs.upfront_fee > 0 or 0 in buckets else 1
    last = max([term, *buckets])
    exponents = periods(last, 1, inputs.timing)
    rows = []
    for year in range(first, last + 1):
        in_term = 1 <= year <= term
        revenue = float(parts["revenues"][year - 1]) if in_term else 0.0
        royalty = float(parts["royalty"][year - 1]) if in_term else 0.0
        paid = float(parts["paid"][year - 1]) if in_term else 0.0
        factor = float((1.0 + rate) ** -exponents[year - 1]) if year else 1.0
        upfront = inputs.upfront_fee if year == 0 else 0.0
        expected = [m.amount * m.probability for m in buckets.get(year, [])]
        milestones_pv = sum(m.amount * m.probability * (1.0 + rate) ** -m.year for m in buckets.get(year, []))
        rows.append(
            {
                "year": float(year),
                "revenue": revenue,
                "royalty": royalty,
                "minimum_top_up": paid - royalty,
                "upfront_fee": upfront,
                "milestone_expected": float(sum(expected)),
                "licensor_cash_flow_after_tax": (1.0 - tax) * (upfront + paid + sum(expected)),
                "discount_factor": factor,
                "present_value": (1.0 - tax) * (upfront + paid * factor + milestones_pv),
            }
        )
    return rows


def licence_evaluate(inputs: LicenceInputs) -> ValuationResult:
    params = inputs.model_dump()
    parts = licence_parts(params)
    figures = {name: to_float(parts[name]) for name in ("npv_licensor", "npv_licensee", "expected_milestones_pv")}
    rate = to_float(_licence_rate(params))
    margin = inputs.licensee_operating_margin
    share = inputs.licensee_profit_share_to_licensor
    breakdown = {
        **figures,
        "royalty_rate": rate,
        "royalties_pv": to_float(parts["royalties_pv"]),
        "upfront_fee": inputs.upfront_fee,
    }
    warnings: list[str] = []
    assumptions = [
        "The upfront fee is paid at signing (t = 0) and is not discounted; royalties are paid yearly over the term.",
        "Milestones are paid at their own dates; each counts probability x amount, discounted at the same rate.",
        "The minimum annual royalty applies to each year of the term separately (no carry-forward of excess "
        "royalties).",
        "Both sides pay tax at tax_rate: the licensor's receipts are taxed and the licensee deducts its payments in "
        "the year they are paid (an upfront fee may in practice have to be amortised).",
        "Both sides discount at the same rate.",
    ]
    if inputs.royalty_rate_range is not None:
        spread = inputs.royalty_rate_range
        scenarios = licence_kernel({**params, "royalty_rate": np.array([spread.low, rate, spread.high])})
        for label, value in zip(("low", "mid", "high"), scenarios, strict=True):
            breakdown[f"npv_licensor_{label}"] = float(value)
        assumptions.append(f"The value is at the middle of the royalty range, {rate:.4g}.")
    if margin is not None:
        breakdown["royalty_rate_for_profit_split"] = share * margin
        if margin > 0:
            breakdown["implied_profit_share"] = rate / margin
        warnings.append(
            f"The profit-split royalty rate ({share:.0%} of the licensee's operating margin) is a heuristic, not a "
            'market rate: the "25% rule" (Goldscheider, Jarosz & Mulhern, les Nouvelles, 2002) was rejected as a '
            "basis for royalty damages in Uniloc v. Microsoft (Fed. Cir. 2011). Corroborate with comparable licences."
        )
        if rate > margin:
            warnings.append(
                f"The royalty rate ({rate:.2%}) exceeds the licensee's operating margin ({margin:.2%}): the licensee "
                "loses money on every sale."
            )
        if figures["npv_licensee"] < 0:
            warnings.append("The deal has a negative NPV for the licensee.")
    else:
        assumptions.append(
            "No licensee operating margin: npv_licensee is the present value of its after-tax payments, as a cost."
        )
        if "licensee_profit_share_to_licensor" in inputs.model_fields_set:
            warnings.append("licensee_profit_share_to_licensor is unused without licensee_operating_margin.")
    term = parts["revenues"].shape[-1]
    if term < len(inputs.revenues):
        assumptions.append(f"Revenues after the {term}-year term are ignored.")
    topped = int(np.count_nonzero(parts["paid"] > parts["royalty"]))
    if topped:
        warnings.append(f"The minimum annual royalty exceeds the royalty in {topped} of {term} years.")
    late = [m for m in inputs.milestones if m.year > term]
    if late:
        warnings.append(f"{len(late)} milestone(s) fall after the {term}-year term.")
    if rate > 0.25:
        warnings.append("A royalty rate above 25% of revenue is unusual; check it against comparable licences.")
    return ValuationResult(
        method="licence",
        value=figures["npv_licensor"],
        breakdown=breakdown,
        schedule=_licence_schedule(inputs, {name: parts[name] for name in ("revenues", "royalty", "paid")}),
        conventions=conventions(
            timing=inputs.timing,
            first_period=1,
            upfront_fee="at t = 0",
            milestones="at their own dates, probability-weighted",
            tax="the same rate for both sides; npv_licensor and npv_licensee are after tax, the other PVs before",
        ),
        assumptions=assumptions,
        warnings=warnings,
        source='Licence NPV: WIPO & ITC, "Exchanging Value: Negotiating Technology Licensing Agreements" (2005); '
        "Razgaitis, Valuation and Pricing of Technology-Based IP (2003); 25% rule: Goldscheider, Jarosz & Mulhern, "
        "les Nouvelles, December 2002; Uniloc USA v. Microsoft, 632 F.3d 1292 (Fed. Cir. 2011)",
    )


register(
    Method(
        "loan-assessment",
        "A lender's view of IP collateral: lending value, maximum loan, LTV, guarantee, insurance and expected loss",
        LoanAssessmentInputs,
        loan_evaluate,
        loan_kernel,
        uncertain=frozenset(
            {"collateral", "disposal_discount", "time_to_sell_years", "discount_rate", "ltv_cap", "loan_cap_amount"}
        ),
    )
)
register(
    Method(
        "licence",
        "A licensing deal: NPV for the licensor and the licensee, royalty range, minimum royalty, milestones",
        LicenceInputs,
        licence_evaluate,
        licence_kernel,
    )
)
