"""Valuation reports: one engine run (or several, reconciled) written up as a report in any of the six languages, as
PDF (WeasyPrint) or DOCX (python-docx), with a compliance checklist against four standards.

The report's sections follow the content IVS 106 *Documentation and Reporting* (IVSC, International Valuation
Standards effective 31 January 2025) asks a valuation report to state: the asset, the purpose and intended users, the
basis of value (IVS 104), the valuation date, the scope of work and sources, the assumptions, the approaches and why
they were chosen, the inputs, the value and its reconciliation, the uncertainty around it and the limitations. The
checklist (``data/report-standards.json``) paraphrases what IVS 106, ISO 10668:2010 (monetary brand valuation, for
trademarks only), Russia's FSO XI (Order No. 659 of 30 November 2022, with items for pledged IP) and Kazakhstan's
standard for IP and intangible assets (Ministry of Finance Order No. 519 of 2018, amended 2022) expect a report to
state, and says for each item whether this report states it and what to add. It is an aid, not an opinion of
compliance.

Every text a reader sees goes through Django's ``gettext`` inside ``translation.override(language)``; numbers and dates
are formatted with Babel in the report's language. Fonts (Noto Sans, Noto Sans Arabic, Noto Sans CJK) come from the
font packages installed with ipvalue and are embedded in the PDF, so a report renders Cyrillic, Arabic (right to left)
and Chinese on a machine without any system font.

    report = build_report(parse_report_input(data), "ru")
    pdf = render_pdf(report)
    docx = render_docx(report)
"""

from __future__ import annotations

import base64
import copy
import dataclasses
import functools
import importlib
import io
import json
import math
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from babel.core import Locale
from babel.dates import format_date
from babel.numbers import format_compact_decimal, format_decimal, format_percent
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import get_language_bidi, gettext_lazy, override, to_locale
from django.utils.translation import gettext as _
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from pydantic_core import InitErrorDetails, PydanticCustomError

from ipvalue.toolkit import charts
from ipvalue.toolkit.texts import field_text
from ipvalue.valuation import METHODS, ValuationResult, valuate
from ipvalue.valuation.uncertainty import Range, check_path

__all__ = [
    "ChecklistItem",
    "Report",
    "ReportInput",
    "ReportInputError",
    "build_report",
    "checklist",
    "font_files",
    "parse_report_input",
    "render_docx",
    "render_pdf",
]

# --- Constants and translatable texts -------------------------------------------------------------------------------

# Engine methods that do not give the value of one asset: rates and factors (inputs to a valuation), analyses that wrap
# a method, qualitative scores and a lender's or a loan book's view.
NOT_A_VALUE = frozenset(
    {"tab-factor", "discount-rate", "royalty-rate-range", "sensitivity", "scorecard", "loan-book", "loan-assessment"}
)
# Default tornado (IVS 105/210 practice of testing key inputs): each top-level numeric input at 80% and 120% of its
# base value, one at a time; the six that move the value most are shown.
DEFAULT_RELATIVE_RANGE = 0.2
MAX_DEFAULT_TORNADO = 6
# Percentiles a Monte Carlo report always shows (added to those the input asks for).
REPORT_PERCENTILES = (10.0, 50.0, 90.0)

AssetType = Literal["patent", "trademark", "industrial_design", "copyright_software", "know_how"]
Purpose = Literal["financing", "licensing", "sale_purchase", "financial_reporting", "litigation", "internal"]
BasisOfValue = Literal["market_value", "investment_value", "fair_value", "liquidation_value"]

ASSET_TYPES: dict[str, Promise] = {
    "patent": gettext_lazy("Patent"),
    "trademark": gettext_lazy("Trademark"),
    "industrial_design": gettext_lazy("Industrial design"),
    "copyright_software": gettext_lazy("Copyright in software"),
    "know_how": gettext_lazy("Know-how (trade secret)"),
}
PURPOSES: dict[str, Promise] = {
    "financing": gettext_lazy("Financing: the IP as collateral for a loan"),
    "licensing": gettext_lazy("Licensing"),
    "sale_purchase": gettext_lazy("Sale or purchase"),
    "financial_reporting": gettext_lazy("Financial reporting"),
    "litigation": gettext_lazy("Litigation or dispute resolution"),
    "internal": gettext_lazy("Internal management and planning"),
}
# The bases of value of IVS 104, described in our own words (not quotations).
BASES: dict[str, tuple[Promise, Promise]] = {
    "market_value": (
        gettext_lazy("Market value"),
        gettext_lazy(
            "The price the asset would most probably fetch on the valuation date in an arm's-length exchange between "
            "a willing buyer and a willing seller, both informed and neither under pressure to act (IVS 104)."
        ),
    ),
    "investment_value": (
        gettext_lazy("Investment value"),
        gettext_lazy(
            "The value of the asset to one particular owner or prospective owner, given that party's own plans and "
            "synergies; it can differ from market value (IVS 104)."
        ),
    ),
    "fair_value": (
        gettext_lazy("Fair value"),
        gettext_lazy(
            "The exit price between market participants in an orderly transaction on the measurement date, as "
            "financial reporting defines it (IFRS 13, a basis IVS 104 refers to)."
        ),
    ),
    "liquidation_value": (
        gettext_lazy("Liquidation value"),
        gettext_lazy(
            "What the asset would fetch in a forced or orderly sale within a short time, such as a lender's sale of "
            "pledged IP after a default; usually below market value (IVS 104)."
        ),
    ),
}
METHOD_NAMES: dict[str, Promise] = {
    "cost": gettext_lazy("Cost method (replacement or reproduction cost)"),
    "licence": gettext_lazy("Licence valuation (net present value to the licensor)"),
    "npv": gettext_lazy("Net present value of cash flows"),
    "relief-from-royalty": gettext_lazy("Relief from royalty"),
    "mpeem": gettext_lazy("Multi-period excess earnings"),
    "with-and-without": gettext_lazy("With-and-without (incremental cash flow)"),
    "premium-profit": gettext_lazy("Premium profit"),
    "profit-split": gettext_lazy("Profit split"),
    "market-comparables": gettext_lazy("Comparable transactions"),
    "black-scholes": gettext_lazy("Black-Scholes-Merton option model"),
    "binomial": gettext_lazy("Binomial option tree"),
    "patent-option": gettext_lazy("Patent as a real option"),
    "monte-carlo": gettext_lazy("Monte Carlo simulation"),
}
APPROACHES: dict[str, Promise] = {
    "income": gettext_lazy("Income approach"),
    "market": gettext_lazy("Market approach"),
    "cost": gettext_lazy("Cost approach"),
    "option": gettext_lazy("Real options (income approach)"),
}
METHOD_APPROACH = {
    "cost": "cost",
    "market-comparables": "market",
    "black-scholes": "option",
    "binomial": "option",
    "patent-option": "option",
}
SECTION_TITLES: dict[str, Promise] = {
    "asset": gettext_lazy("Identification of the asset"),
    "purpose": gettext_lazy("Purpose and intended users"),
    "basis": gettext_lazy("Basis of value"),
    "date": gettext_lazy("Valuation date"),
    "scope": gettext_lazy("Scope of work and sources"),
    "assumptions": gettext_lazy("Assumptions"),
    "methods": gettext_lazy("Methods and why they were chosen"),
    "inputs": gettext_lazy("Inputs"),
    "results": gettext_lazy("Results and reconciliation"),
    "sensitivity": gettext_lazy("Sensitivity"),
    "limitations": gettext_lazy("Limitations"),
    "checklist": gettext_lazy("Compliance checklist"),
}
SECTION_ORDER = tuple(key for key in SECTION_TITLES if key != "checklist")
# Figures of results and schedules, by key; others are shown with their key, capitalised.
FIGURE_LABELS: dict[str, Promise] = {
    "period": gettext_lazy("Period"),
    "year": gettext_lazy("Year"),
    "revenue": gettext_lazy("Revenue"),
    "royalty": gettext_lazy("Royalty"),
    "royalty_after_tax": gettext_lazy("Royalty saved after tax"),
    "discount_factor": gettext_lazy("Discount factor"),
    "present_value": gettext_lazy("Present value"),
    "cash_flow": gettext_lazy("Cash flow"),
    "profit_after_tax": gettext_lazy("Profit after tax"),
    "contributory_charges": gettext_lazy("Contributory asset charges"),
    "excess_earnings": gettext_lazy("Excess earnings"),
    "with": gettext_lazy("With the asset"),
    "without": gettext_lazy("Without the asset"),
    "incremental": gettext_lazy("Incremental cash flow"),
    "value_before_tab": gettext_lazy("Value before the tax amortisation benefit"),
    "tab_factor": gettext_lazy("Tax amortisation benefit factor"),
    "terminal_value_present": gettext_lazy("Present value of the terminal value"),
    "mean": gettext_lazy("Mean"),
    "sd": gettext_lazy("Standard deviation"),
    "standard_error": gettext_lazy("Standard error of the mean"),
    "relative_standard_error": gettext_lazy("Relative standard error"),
    "min": gettext_lazy("Minimum"),
    "max": gettext_lazy("Maximum"),
    "deterministic_value": gettext_lazy("Value with every input at its base value"),
    "cost_total": gettext_lazy("Total cost"),
    "developer_profit": gettext_lazy("Developer's profit"),
    "opportunity_cost": gettext_lazy("Opportunity cost"),
    "cost_new": gettext_lazy("Cost new"),
    "obsolescence_factor": gettext_lazy("Obsolescence factor"),
    "obsolescence": gettext_lazy("Obsolescence"),
    "npv_licensor": gettext_lazy("Net present value to the licensor"),
    "npv_licensee": gettext_lazy("Net present value to the licensee"),
    "royalties_pv": gettext_lazy("Present value of royalties"),
    "upfront_fee": gettext_lazy("Upfront fee"),
    "expected_milestones_pv": gettext_lazy("Present value of expected milestones"),
    "royalty_rate": gettext_lazy("Royalty rate"),
    "low": gettext_lazy("Low"),
    "high": gettext_lazy("High"),
    "median": gettext_lazy("Median"),
    "count": gettext_lazy("Count"),
    "comparable": gettext_lazy("Comparable"),
    "price": gettext_lazy("Price"),
    "net_adjustment": gettext_lazy("Net adjustment"),
    "gross_adjustment": gettext_lazy("Gross adjustment"),
    "adjusted_price": gettext_lazy("Adjusted price"),
    "weight": gettext_lazy("Weight"),
    "weight_share": gettext_lazy("Share of weight"),
    "intrinsic_value": gettext_lazy("Intrinsic value"),
    "time_value": gettext_lazy("Time value"),
    "licensor_cash_flow_after_tax": gettext_lazy("Licensor's cash flow after tax"),
    "minimum_top_up": gettext_lazy("Top-up to the minimum royalty"),
    "milestone_expected": gettext_lazy("Expected milestone payments"),
}
CONVENTION_LABELS: dict[str, Promise] = {
    "rates": gettext_lazy("Rates"),
    "currency": gettext_lazy("Currency"),
    "price_basis": gettext_lazy("Price basis"),
    "timing": gettext_lazy("Timing of cash flows"),
    "first_period": gettext_lazy("Period of the first cash flow"),
    "tab": gettext_lazy("Tax amortisation benefit"),
    "sampling": gettext_lazy("Sampling"),
    "seed": gettext_lazy("Random seed"),
    "percentiles": gettext_lazy("Percentiles"),
    "tornado": gettext_lazy("Tornado"),
}
DISTRIBUTION_NAMES: dict[str, Promise] = {
    "normal": gettext_lazy("Normal"),
    "lognormal": gettext_lazy("Lognormal"),
    "triangular": gettext_lazy("Triangular"),
    "uniform": gettext_lazy("Uniform"),
    "pert": gettext_lazy("Beta-PERT"),
    "discrete": gettext_lazy("Discrete"),
}
PARAMETER_NAMES: dict[str, Promise] = {
    "mean": gettext_lazy("mean"),
    "sd": gettext_lazy("standard deviation"),
    "low": gettext_lazy("low"),
    "mode": gettext_lazy("most likely"),
    "high": gettext_lazy("high"),
    "shape": gettext_lazy("shape"),
    "values": gettext_lazy("values"),
    "probabilities": gettext_lazy("probabilities"),
}
# What each checklist requirement asks, by code (data/report-standards.json keeps the English reference text).
REQUIREMENT_TEXTS: dict[str, Promise] = {
    "ivs106.valuer": gettext_lazy("The report identifies the valuer and states their qualification or status."),
    "ivs106.client": gettext_lazy("The report names the client or owner and the intended users."),
    "ivs106.purpose": gettext_lazy("The report states the purpose (intended use) of the valuation."),
    "ivs106.asset": gettext_lazy("The report identifies the asset valued."),
    "ivs106.basis": gettext_lazy("The report states the basis of value."),
    "ivs106.valuation_date": gettext_lazy("The report states the valuation date."),
    "ivs106.report_date": gettext_lazy("The report is dated."),
    "ivs106.currency": gettext_lazy("The report states the currency of the value."),
    "ivs106.scope": gettext_lazy("The report describes the scope of work and the sources of information relied on."),
    "ivs106.assumptions": gettext_lazy("The report states the significant assumptions and any special assumptions."),
    "ivs106.approach": gettext_lazy("The report states the approaches and methods used and why they were chosen."),
    "ivs106.inputs": gettext_lazy("The report sets out the key inputs."),
    "ivs106.conclusion": gettext_lazy("The report states the conclusion of value."),
    "ivs106.uncertainty": gettext_lazy("The report comments on significant uncertainty in the value."),
    "ivs106.restrictions": gettext_lazy("The report states limitations and any restrictions on its use."),
    "iso10668.purpose": gettext_lazy(
        "The report states the purpose of the valuation and the basis (premise) of value."
    ),
    "iso10668.date": gettext_lazy("The report states the valuation date."),
    "iso10668.brand": gettext_lazy("The report identifies and describes the brand valued."),
    "iso10668.legal": gettext_lazy(
        "The report covers the legal protection of the brand: the rights, where they apply and how long they last."
    ),
    "iso10668.behavioural": gettext_lazy(
        "The report draws on evidence about the brand's market and customers, with its sources."
    ),
    "iso10668.financial": gettext_lazy("The report explains the valuation approach and method chosen, and why."),
    "iso10668.assumptions": gettext_lazy("The report states the key assumptions and the data used."),
    "iso10668.sensitivity": gettext_lazy("The report shows how the value responds to changes in its key assumptions."),
    "iso10668.valuer": gettext_lazy("The report says who carried out the valuation and for whom."),
    "fso11.object": gettext_lazy("The report identifies the intellectual property object and the right valued."),
    "fso11.title": gettext_lazy(
        "The report cites the documents that establish the right, such as the registration number and where it is "
        "registered."
    ),
    "fso11.holder": gettext_lazy("The report names the right holder."),
    "fso11.term": gettext_lazy("The report takes into account the remaining term of legal protection."),
    "fso11.purpose": gettext_lazy("The report states the purpose of the valuation and the type of value."),
    "fso11.date": gettext_lazy("The report states the valuation date."),
    "fso11.approaches": gettext_lazy("The report explains the approaches used, and why any others were not."),
    "fso11.reconciliation": gettext_lazy(
        "The report reconciles the results of the approaches used, or explains why one suffices."
    ),
    "fso11.sources": gettext_lazy("The report lists the information used and its sources."),
    "fso11.assumptions": gettext_lazy("The report states the assumptions and limiting conditions."),
    "fso11.pledge_right": gettext_lazy(
        "For IP to be pledged: the report identifies the right pledged, its holder and its registration."
    ),
    "fso11.pledge_term": gettext_lazy(
        "For IP to be pledged: the report compares the remaining term of protection with the life of the loan."
    ),
    "fso11.pledge_basis": gettext_lazy("For IP to be pledged: the report states which value is given for the pledge."),
    "fso11.pledge_realisation": gettext_lazy(
        "For IP to be pledged: the report discusses the risks of selling the right if the borrower defaults and how "
        "uncertain the value is."
    ),
    "kz.object": gettext_lazy("The report identifies the object valued and the rights to it."),
    "kz.title": gettext_lazy(
        "The report cites the documents that confirm the rights (registration or application number, where protected)."
    ),
    "kz.holder": gettext_lazy("The report names the right holder."),
    "kz.term": gettext_lazy("The report takes into account the remaining useful life and term of protection."),
    "kz.purpose": gettext_lazy("The report states the purpose of the valuation and the type of value."),
    "kz.date": gettext_lazy("The report states the valuation date and the date of the report."),
    "kz.approaches": gettext_lazy("The report explains the approaches and methods used, and why any others were not."),
    "kz.reconciliation": gettext_lazy(
        "The report reconciles the results of the approaches into one value, or explains why one suffices."
    ),
    "kz.sources": gettext_lazy("The report lists the information used and its sources."),
    "kz.assumptions": gettext_lazy("The report states the assumptions and limiting conditions."),
    "kz.valuer": gettext_lazy("The report identifies the appraiser and their qualification."),
}
# What to add when a fact is missing; the field of ReportInput to fill is named in brackets.
FACT_ACTIONS: dict[str, Promise] = {
    "asset": gettext_lazy("Identify the asset: its name and type (asset.name, asset.type)."),
    "asset_identifier": gettext_lazy("Give the registration or application number (asset.identifier)."),
    "asset_jurisdiction": gettext_lazy("Give the country or region where the right is protected (asset.jurisdiction)."),
    "asset_description": gettext_lazy("Describe the asset, its market and how it is used (asset.description)."),
    "asset_protection": gettext_lazy("Give the date its legal protection ends (asset.protection_until)."),
    "owner": gettext_lazy("Name the owner or right holder (owner.name)."),
    "purpose": gettext_lazy("State the purpose of the valuation (purpose)."),
    "intended_users": gettext_lazy("Name the intended users of the report (intended_users)."),
    "basis_of_value": gettext_lazy("State the basis of value (basis_of_value)."),
    "valuation_date": gettext_lazy("Give the valuation date (valuation_date)."),
    "report_date": gettext_lazy("Give the date of the report (report_date)."),
    "valuer": gettext_lazy("Name the valuer (valuer.name)."),
    "valuer_qualification": gettext_lazy("State the valuer's qualification (valuer.qualification)."),
    "currency": gettext_lazy("Give the currency of the amounts (currency)."),
    "sources": gettext_lazy("List the sources of information relied on (sources)."),
    "assumptions": gettext_lazy("State the assumptions (assumptions)."),
    "method_rationale": gettext_lazy("Explain why this method was chosen and others were not (method_rationale)."),
    "reconciliation": gettext_lazy(
        "Reconcile the results of several methods (reconciliation), or explain why one suffices (method_rationale)."
    ),
    "inputs": gettext_lazy("Give the method's inputs (input)."),
    "value": gettext_lazy("The method gave no finite value: check the inputs."),
    "uncertainty": gettext_lazy(
        "Add a sensitivity analysis (sensitivity) or use a Monte Carlo simulation (method monte-carlo)."
    ),
    "limitations": gettext_lazy("State the limitations and any restrictions on the use of the report (limitations)."),
}
# Inputs shown as percentages (the engine takes rates as decimals) and inputs counted in years.
RATE_INPUTS = frozenset(
    {
        "rate", "royalty_rate", "tax_rate", "discount_rate", "growth_rate", "terminal_growth", "operating_margin",
        "split", "volatility", "dividend_yield", "cost_of_delay", "level", "return_on", "return_of",
        "developer_profit_rate", "functional_obsolescence", "technological_obsolescence", "economic_obsolescence",
        "licensee_operating_margin", "licensee_profit_share_to_licensor", "probability", "low", "high",
        "subject_rate", "adjustments", "risk_free_rate", "equity_risk_premium", "size_premium", "industry_premium",
        "country_risk_premium", "asset_specific_premium", "disposal_discount", "ltv_cap", "guarantee_share",
        "guarantee_fee_rate", "insurance_cover", "probability_of_default", "loss_given_default", "correlation",
    }
)  # fmt: skip
YEAR_INPUTS = frozenset(
    {
        "years", "year", "maturity", "remaining_life", "amortisation_years", "development_years", "term_years",
        "time_to_sell_years", "loan_term_years",
    }
)  # fmt: skip
COUNT_INPUTS = frozenset(
    {"steps", "scenarios", "seed", "first_period", "weight", "up", "down", "shape", "volumes", "top_contributors",
     "confidence_percentile", "percentiles"}
)  # fmt: skip
RATE_FIGURES = frozenset(
    {"net_adjustment", "gross_adjustment", "weight_share", "royalty_rate", "relative_standard_error"}
)
FACTOR_FIGURES = frozenset({"discount_factor", "tab_factor", "obsolescence_factor"})
COUNT_FIGURES = frozenset({"period", "year", "comparable", "count"})
BIDI_MARKS = re.compile("[\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]")


# --- Input ----------------------------------------------------------------------------------------------------------


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False, str_strip_whitespace=True)


class Asset(_Strict):
    """The asset valued (IVS 106: identification of the asset; FSO XI and Kazakhstan's standard: the object and the
    documents establishing the right)."""

    name: str = Field(min_length=1, max_length=300)
    type: AssetType
    identifier: str = Field("", max_length=200, description="Registration or application number")
    jurisdiction: str = Field("", max_length=200, description="Country or region where the right is protected")
    description: str = Field("", max_length=5000)
    protection_until: date | None = Field(None, description="When legal protection ends (patent expiry, renewal...)")


class Owner(_Strict):
    name: str = Field(min_length=1, max_length=300)
    country: str = Field("", max_length=100, description="ISO 3166 alpha-2 code (shown by name) or a country name")


class Valuer(_Strict):
    name: str = Field(min_length=1, max_length=300)
    qualification: str = Field("", max_length=500)


def _located(model: str, errors: Sequence[Any], prefix: tuple[str | int, ...]) -> ValidationError:
    """A ValidationError whose errors sit under ``prefix``: raised from a model validator, pydantic keeps these
    locations, so ``input.tax_rate`` is reported as ``["input", "tax_rate"]``, not as a message on the whole model."""
    return ValidationError.from_exception_data(
        model,
        [
            InitErrorDetails(
                type=PydanticCustomError("invalid_input", "{message}", {"message": error["msg"]}),
                loc=(*prefix, *error["loc"]),
                input=error.get("input"),
            )
            for error in errors
        ],
    )


def _value_method(name: str) -> str:
    if name not in METHODS:
        raise ValueError(f"{name!r} is not a method of the engine; `ipvalue valuate --list` lists them")
    if name in NOT_A_VALUE:
        raise ValueError(f"{name!r} does not give the value of an asset; use a valuation method")
    return name


class _MethodRun(_Strict):
    """A method of the engine and its inputs, validated by the method's own model."""

    method: str = Field(description="A valuation method of the engine, e.g. relief-from-royalty or monte-carlo")
    input: dict[str, Any] = Field(description="The method's inputs, exactly as the API and `ipvalue valuate` take them")

    @field_validator("method")
    @classmethod
    def _known(cls, name: str) -> str:
        return _value_method(name)

    @model_validator(mode="after")
    def _input_valid(self) -> _MethodRun:
        definition = METHODS[self.method]
        if self.method == "monte-carlo":
            inner = self.input.get("method")
            if isinstance(inner, str):
                try:
                    _value_method(inner)
                except ValueError as error:
                    raise _located(type(self).__name__, [{"msg": str(error), "loc": ()}], ("input", "method")) from None
                if isinstance(self.input.get("inputs"), dict):
                    try:
                        METHODS[inner].inputs.model_validate(self.input["inputs"])
                    except ValidationError as error:
                        raise _located(type(self).__name__, error.errors(), ("input", "inputs")) from None
        try:
            definition.inputs.model_validate(self.input)
        except ValidationError as error:
            raise _located(type(self).__name__, error.errors(), ("input",)) from None
        return self


class ReconciliationItem(_MethodRun):
    """Another method whose value is weighed into the conclusion (IVS 105: reconciling several approaches)."""

    weight: float = Field(ge=0.0, le=1000.0, description="Relative weight; weights are normalised to sum to 1")
    label: str = Field("", max_length=200, description="How to name this indication (default: the method's name)")


class ReportInput(_MethodRun):
    """Everything a report needs. Only ``method`` and ``input`` are required: a report with gaps is still produced,
    and its compliance checklist says what is missing."""

    title: str = Field("", max_length=300)
    currency: str = Field("", pattern=r"^([A-Z]{3})?$", description="ISO 4217 code, shown next to amounts")
    asset: Asset | None = None
    owner: Owner | None = None
    purpose: Purpose | None = None
    intended_users: str = Field("", max_length=1000, description="Who may rely on the report")
    basis_of_value: BasisOfValue | None = Field(None, description="IVS 104 basis of value")
    valuation_date: date | None = None
    report_date: date | None = Field(None, description="Date of the report (default: the day it is produced)")
    valuer: Valuer | None = None
    sources: list[str] = Field(default_factory=list, max_length=100)
    input_sources: dict[str, str] = Field(
        default_factory=dict, description="Source of each input, by input path (royalty_rate, revenues...)"
    )
    assumptions: list[str] = Field(default_factory=list, max_length=100, description="The valuer's own assumptions")
    method_rationale: str = Field("", max_length=5000, description="Why this method (and not others)")
    limitations: str = Field("", max_length=5000)
    sensitivity: dict[str, Range] | None = Field(
        None, description="Tornado ranges by input path, as the engine's sensitivity `ranges` (default: ±20%)"
    )
    reconciliation: list[ReconciliationItem] = Field(default_factory=list, max_length=10)
    weight: float = Field(1.0, ge=0.0, le=1000.0, description="Weight of the main method when reconciling")

    @model_validator(mode="after")
    def _analyses_valid(self) -> ReportInput:
        if self.sensitivity:
            method, base = _simulated(self.method, self.input)
            if method.kernel is None:
                raise _located("ReportInput", [{"msg": "this method cannot be analysed", "loc": ()}], ("sensitivity",))
            validated = method.inputs.model_validate(base).model_dump()
            for path in self.sensitivity:
                try:
                    check_path(validated, path, method)
                except ValueError as error:
                    raise _located("ReportInput", [{"msg": str(error), "loc": ()}], ("sensitivity", path)) from None
        if self.reconciliation and self.weight + sum(item.weight for item in self.reconciliation) <= 0:
            raise _located("ReportInput", [{"msg": "the weights must not all be zero", "loc": ()}], ("weight",))
        return self


class ReportInputError(ValueError):
    """Invalid report input; ``detail`` lists ``{"loc": [...], "msg": ...}`` objects as the valuation CLI does."""

    def __init__(self, detail: list[dict[str, Any]]) -> None:
        super().__init__("; ".join(f"{'.'.join(str(p) for p in d['loc']) or 'input'}: {d['msg']}" for d in detail))
        self.detail = detail


def parse_report_input(data: Any) -> ReportInput:
    """Validate a JSON-like object as a ReportInput; raises ReportInputError naming each bad field."""
    try:
        return ReportInput.model_validate(data)
    except ValidationError as error:
        raise ReportInputError(
            [{"loc": list(e["loc"]), "msg": e["msg"].removeprefix("Value error, ")} for e in error.errors()]
        ) from None


def _simulated(method: str, inputs: Mapping[str, Any]) -> tuple[Any, dict[str, Any]]:
    """The method a report analyses and its base inputs: for monte-carlo, the simulated method and its base case."""
    if method == "monte-carlo":
        return METHODS[inputs["method"]], dict(inputs["inputs"])
    return METHODS[method], dict(inputs)


# --- Fonts ----------------------------------------------------------------------------------------------------------


@functools.cache
def font_files() -> dict[str, Path]:
    """The bundled font files: ``sans`` (Noto Sans, Latin, Greek and Cyrillic; a variable font), ``arabic`` (Noto Sans
    Arabic) and ``cjk`` (Noto Sans CJK, Chinese, Japanese and Korean), located inside their Python packages."""

    def upright(package: str) -> Path:
        root = resources.files(package)
        candidates = sorted(
            Path(str(item))
            for item in (root / "files").iterdir()
            if item.name.lower().endswith((".ttf", ".otf")) and "italic" not in item.name.lower()
        )
        if not candidates:
            raise FileNotFoundError(f"no font file in the package {package}")
        return candidates[0]

    cjk = importlib.import_module("cvttf_NotoSansCJK_Regular")
    return {
        "sans": upright("fontpkg_noto_sans"),
        "arabic": upright("fontpkg_noto_sans_arabic"),
        "cjk": Path(cjk.get_TTF_path()),
    }


# --- Formatting -----------------------------------------------------------------------------------------------------


class Formatter:
    """Numbers and dates in one language, with Babel (CLDR)."""

    def __init__(self, language: str) -> None:
        self.locale = Locale.parse(to_locale(language))

    def number(self, value: float, decimals: int = 2) -> str:
        if not math.isfinite(value):
            return "–"
        pattern = "#,##0" + ("." + "#" * decimals if decimals else "")
        return format_decimal(value, format=pattern, locale=self.locale)

    def amount(self, value: float) -> str:
        """Whole units from 100 up, cents below."""
        if not math.isfinite(value):
            return "–"
        if abs(value) >= 100:
            return format_decimal(round(value), format="#,##0", locale=self.locale)
        return format_decimal(value, format="#,##0.00" if abs(value) >= 1 else "#,##0.####", locale=self.locale)

    def percent(self, value: float) -> str:
        if not math.isfinite(value):
            return "–"
        return format_percent(round(value, 6), locale=self.locale, decimal_quantization=False)

    def factor(self, value: float) -> str:
        return format_decimal(value, format="#,##0.0000", locale=self.locale) if math.isfinite(value) else "–"

    def compact(self, value: float) -> str:
        """For chart axes: 1.2M, 1,2 млн, 120万."""
        if not math.isfinite(value):
            return "–"
        if abs(value) >= 10_000:
            return format_compact_decimal(value, format_type="short", fraction_digits=1, locale=self.locale)
        if value == 0 or abs(value) >= 100:
            return format_decimal(round(value), format="#,##0", locale=self.locale)
        digits = max(0, 2 - math.floor(math.log10(abs(value))))
        return format_decimal(value, format="#,##0." + "#" * digits, locale=self.locale)

    def date(self, value: date | None) -> str:
        return format_date(value, format="long", locale=self.locale) if value else ""

    def country(self, text: str) -> str:
        """A country given as an ISO alpha-2 code, by name in this language; anything else as given."""
        if len(text) == 2 and text.isalpha():
            return str(self.locale.territories.get(text.upper(), text))
        return text


# --- The report's structure ------------------------------------------------------------------------------------------


@dataclass
class Paragraph:
    text: str
    kind: str = field(default="paragraph", init=False)


@dataclass
class Facts:
    """Label-value pairs (a definition list)."""

    items: list[tuple[str, str]]
    kind: str = field(default="facts", init=False)


@dataclass
class Bullets:
    items: list[str]
    title: str = ""
    kind: str = field(default="bullets", init=False)


@dataclass
class Table:
    columns: list[str]
    rows: list[list[str]]
    caption: str = ""
    numeric: list[bool] = field(default_factory=list)  # per column: right-aligned figures
    row_classes: list[str] = field(default_factory=list)  # per row, e.g. a checklist status: met, missing...
    kind: str = field(default="table", init=False)

    def _numeric(self, index: int) -> bool:
        return index < len(self.numeric) and self.numeric[index]

    @property
    def header(self) -> list[tuple[str, bool]]:
        """(column, numeric) pairs, for templates."""
        return [(column, self._numeric(index)) for index, column in enumerate(self.columns)]

    @property
    def body(self) -> list[tuple[str, list[tuple[str, bool]]]]:
        """Rows as (class, [(cell, numeric), ...]), for templates."""
        return [
            (
                self.row_classes[number] if number < len(self.row_classes) else "",
                [(cell, self._numeric(index)) for index, cell in enumerate(row)],
            )
            for number, row in enumerate(self.rows)
        ]


@dataclass
class Chart:
    """An SVG chart of :mod:`ipvalue.toolkit.charts`. ``png_uri`` is set only on the copy a PDF is rendered from, for
    charts whose text WeasyPrint's SVG renderer cannot shape (Arabic)."""

    svg: str
    title: str
    png_uri: str = ""
    width_px: float = 0.0
    kind: str = field(default="chart", init=False)


Block = Paragraph | Facts | Bullets | Table | Chart


@dataclass
class Section:
    """One section of the report; ``number`` is None for the checklist, which follows the numbered sections."""

    key: str
    number: int | None
    title: str
    blocks: list[Block] = field(default_factory=list)

    @property
    def heading(self) -> str:
        return f"{self.number}. {self.title}" if self.number is not None else self.title


@dataclass
class ChecklistItem:
    """One requirement of one standard: applicable or not, met or not, and what to add."""

    standard: str
    standard_name: str
    code: str
    text: str
    applicable: bool
    met: bool
    missing: list[str] = field(default_factory=list)
    note: str = ""

    @property
    def status(self) -> Literal["met", "missing", "not_applicable"]:
        if not self.applicable:
            return "not_applicable"
        return "met" if self.met else "missing"


@dataclass
class StandardStatus:
    code: str
    name: str
    issuer: str
    reference: str
    applicable: bool
    reason: str
    met: int
    total: int


@dataclass
class Indication:
    """One method's value in the reconciliation."""

    method: str
    label: str
    value: float
    weight: float
    share: float


@dataclass
class Report:
    """A built report: plain data, rendered by :func:`render_pdf` and :func:`render_docx` alike."""

    language: str
    html_lang: str
    direction: Literal["ltr", "rtl"]
    title: str
    subtitle: str
    method: str
    method_name: str
    value: float
    value_text: str
    currency: str
    value_range: tuple[float, float] | None
    range_text: str
    valuation_date: date | None
    report_date: date
    author: str
    summary: list[tuple[str, str]]
    sections: list[Section]
    checklist: list[ChecklistItem]
    standards: list[StandardStatus]
    indications: list[Indication]
    tornado: list[dict[str, Any]]
    result: ValuationResult
    labels: dict[str, str]

    @property
    def rtl(self) -> bool:
        return self.direction == "rtl"

    def section(self, key: str) -> Section:
        return next(section for section in self.sections if section.key == key)


# --- Checklist ------------------------------------------------------------------------------------------------------


@functools.cache
def standards_data() -> dict[str, Any]:
    """``data/report-standards.json``: the four standards, their requirements and the facts that satisfy them."""
    text = (resources.files("ipvalue.toolkit") / "data" / "report-standards.json").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def _facts(report_input: ReportInput, result: ValuationResult) -> dict[str, bool]:
    """What the report states, as the checklist's facts."""
    asset, method = report_input.asset, METHODS.get(report_input.method)
    simulated = METHODS.get(report_input.input.get("method", "")) if report_input.method == "monte-carlo" else method
    return {
        "asset": asset is not None,
        "asset_identifier": bool(asset and asset.identifier),
        "asset_jurisdiction": bool(asset and asset.jurisdiction),
        "asset_description": bool(asset and asset.description),
        "asset_protection": bool(asset and asset.protection_until),
        "owner": report_input.owner is not None,
        "purpose": report_input.purpose is not None,
        "intended_users": bool(report_input.intended_users),
        "basis_of_value": report_input.basis_of_value is not None,
        "valuation_date": report_input.valuation_date is not None,
        "report_date": True,  # given, or the day the report is produced
        "valuer": report_input.valuer is not None,
        "valuer_qualification": bool(report_input.valuer and report_input.valuer.qualification),
        "currency": bool(report_input.currency),
        "sources": bool(report_input.sources),
        "assumptions": bool(report_input.assumptions or result.assumptions),
        "method_rationale": bool(report_input.method_rationale),
        "reconciliation": bool(report_input.reconciliation),
        "inputs": bool(report_input.input),
        "value": math.isfinite(result.value),
        "uncertainty": result.method == "monte-carlo"
        or bool(report_input.sensitivity)
        or (simulated is not None and simulated.kernel is not None),
        "limitations": bool(report_input.limitations),
    }


def _fact_met(facts: Mapping[str, bool], spec: str | list[str]) -> bool:
    return any(facts[name] for name in spec) if isinstance(spec, list) else facts[spec]


def _applies(condition: Mapping[str, list[str]] | None, report_input: ReportInput) -> bool:
    return all(getattr(report_input, name) in allowed for name, allowed in (condition or {}).items())


def checklist(report_input: ReportInput, result: ValuationResult) -> list[ChecklistItem]:
    """The compliance checklist (in the active language): each requirement of IVS 106, ISO 10668:2010 (applicable to a
    trademark only), FSO XI (with the pledge items when the purpose is financing) and Kazakhstan's standard, met or
    missing and what to add. Requirements that do not apply are listed as not applicable, with the reason."""
    facts = _facts(report_input, result)
    asset_type = report_input.asset.type if report_input.asset else None
    items: list[ChecklistItem] = []
    for standard in standards_data()["standards"]:
        types = standard.get("applies_to_asset_types")
        standard_applies = types is None or asset_type in types
        reason = "" if standard_applies else _standard_reason(types, asset_type)
        for requirement in standard["requirements"]:
            code = requirement["code"]
            applies = standard_applies and _applies(requirement.get("when"), report_input)
            specs = requirement["facts"]
            missing_specs = [spec for spec in specs if not _fact_met(facts, spec)]
            note = reason
            if standard_applies and not applies:
                note = _("Applies only when the purpose is: %(purposes)s.") % {
                    "purposes": ", ".join(str(PURPOSES[p]) for p in requirement["when"].get("purpose", []))
                }
            items.append(
                ChecklistItem(
                    standard=standard["code"],
                    standard_name=standard["name"],
                    code=code,
                    text=str(REQUIREMENT_TEXTS.get(code, requirement["text"])),
                    applicable=applies,
                    met=applies and not missing_specs,
                    missing=[str(FACT_ACTIONS[spec if isinstance(spec, str) else spec[-1]]) for spec in missing_specs]
                    if applies
                    else [],
                    note=note,
                )
            )
    return items


def _standard_reason(types: list[str], asset_type: str | None) -> str:
    kinds = ", ".join(str(ASSET_TYPES[kind]).lower() for kind in types)
    if asset_type is None:
        return _("Applies only to: %(types)s; the asset's type is not given.") % {"types": kinds}
    return _("Applies only to: %(types)s; the asset is a %(type)s.") % {
        "types": kinds,
        "type": str(ASSET_TYPES[asset_type]).lower(),
    }


def _standard_statuses(items: list[ChecklistItem]) -> list[StandardStatus]:
    statuses = []
    for standard in standards_data()["standards"]:
        own = [item for item in items if item.standard == standard["code"]]
        applicable = [item for item in own if item.applicable]
        statuses.append(
            StandardStatus(
                code=standard["code"],
                name=standard["name"],
                issuer=standard["issuer"],
                reference=standard["reference"],
                applicable=bool(applicable),
                reason=next((item.note for item in own if not item.applicable and item.note), "")
                if not applicable
                else "",
                met=sum(item.met for item in applicable),
                total=len(applicable),
            )
        )
    return statuses


# --- Building -------------------------------------------------------------------------------------------------------


def _engine_text(text: str) -> str:
    """An English text of the engine (assumption, warning, convention), translated where the catalogue has it."""
    return _(text) if text else text


def _method_name(method: str) -> str:
    return str(METHOD_NAMES.get(method, method))


def _figure_label(key: str) -> str:
    if key in FIGURE_LABELS:
        return str(FIGURE_LABELS[key])
    match = re.fullmatch(r"p(\d+(?:\.\d+)?)", key)
    if match:
        return _("Percentile %(p)s") % {"p": match.group(1)}
    return key.replace("_", " ").capitalize()


def _input_label(path: str) -> str:
    """The label of an input path (``contributory_assets[1].level`` -> "Level (share of revenue) (2)")."""
    generic = re.sub(r"\[\d+\]", "", path)
    label = field_text(generic)[0]
    indices = [str(int(index) + 1) for index in re.findall(r"\[(\d+)\]", path)]
    return f"{label} ({', '.join(indices)})" if indices else label


def _input_kind(path: str) -> Literal["rate", "years", "amount", "count"]:
    parts = re.sub(r"\[\d+\]", "", path).split(".")
    if "adjustments" in parts:
        return "rate"
    name = parts[-1]
    if name in RATE_INPUTS:
        return "rate"
    if name in YEAR_INPUTS:
        return "years"
    if name in COUNT_INPUTS:
        return "count"
    return "amount"


def _flatten(value: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    """(path, value) of each leaf of validated inputs; lists of numbers stay whole, None values are left out."""
    if value is None:
        return
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _flatten(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list) and value and all(isinstance(item, dict) for item in value):
        for index, item in enumerate(value):
            yield from _flatten(item, f"{path}[{index}]")
    else:
        yield path, value


class _Builder:
    """Builds a Report; one instance per report, used inside ``translation.override(language)``."""

    def __init__(self, report_input: ReportInput, language: str) -> None:
        self.input = report_input
        self.language = language
        self.fmt = Formatter(language)
        self.rtl = bool(get_language_bidi())
        self.currency = report_input.currency

    # Formatting helpers

    def money(self, value: float) -> str:
        text = self.fmt.amount(value)
        return f"{text}\u00a0{self.currency}" if self.currency and text != "–" else text

    def input_value(self, path: str, value: Any) -> tuple[str, str]:
        """An input's value and its unit, as the inputs table shows them: rates in per cent (the engine takes them as
        decimals), amounts in the report's currency, periods in years."""
        kind = _input_kind(path)
        if isinstance(value, bool):
            return (_("yes") if value else _("no")), ""
        if isinstance(value, str):
            generic = re.sub(r"\[\d+\]", "", path)
            label = field_text(f"{generic}={value}")[0]
            return (label if "=" not in label else value), ""
        if isinstance(value, list):
            shown = [self.input_value(path, item)[0] for item in value]
            unit = self.input_value(path, value[0])[1] if value else ""
            return "; ".join(shown), unit
        number = float(value)
        if kind == "rate":
            return self.fmt.number(round(number * 100, 6), 4), "%"
        if kind == "years":
            return self.fmt.number(number, 2), _("years")
        if kind == "count":
            return self.fmt.number(number, 4), ""
        return self.fmt.amount(number), self.currency or _("currency units")

    def input_text(self, path: str, value: Any) -> str:
        """An input's value on its own (a rate with its per cent sign), for the sensitivity and simulation tables."""
        if _input_kind(path) == "rate" and isinstance(value, (int, float)) and not isinstance(value, bool):
            return self.fmt.percent(float(value))
        return self.input_value(path, value)[0]

    def figure(self, key: str, value: float) -> str:
        if key in RATE_FIGURES:
            return self.fmt.percent(value)
        if key in FACTOR_FIGURES:
            return self.fmt.factor(value)
        if key in COUNT_FIGURES:
            return self.fmt.number(value, 1)
        return self.fmt.amount(value)

    # Engine runs

    def run(self) -> None:
        ri = self.input
        inputs = copy.deepcopy(ri.input)
        if ri.method == "monte-carlo":
            asked = [float(p) for p in inputs.get("percentiles") or [5, 10, 25, 50, 75, 90, 95]]
            inputs["percentiles"] = sorted({*asked, *REPORT_PERCENTILES})
        self.result = valuate(ri.method, inputs)
        self.analysed, self.base_inputs = _simulated(ri.method, inputs)
        self.base_result = valuate(self.analysed.name, self.base_inputs) if ri.method == "monte-carlo" else self.result
        self.validated_base = self.analysed.inputs.model_validate(self.base_inputs).model_dump()
        self.others = [(item, valuate(item.method, item.input)) for item in ri.reconciliation]
        self.tornado_skipped: list[str] = []
        self.tornado, self.tornado_default = self._tornado()
        self.indications = self._indications()
        if self.indications:
            self.value = sum(i.value * i.share for i in self.indications)
        else:
            self.value = self.result.value

    def _tornado(self) -> tuple[list[dict[str, Any]], bool]:
        method = self.analysed
        if method.kernel is None:
            return [], False
        if self.input.sensitivity:
            ranges = {path: spec.model_dump(exclude_none=True) for path, spec in self.input.sensitivity.items()}
            default = False
        else:
            ranges = self._default_ranges()
            default = True
        rows: list[dict[str, Any]] = []
        for path, spec in ranges.items():  # one input at a time, so that one the kernel cannot vary leaves the others
            try:
                analysis = valuate(
                    "sensitivity", {"method": method.name, "inputs": self.base_inputs, "ranges": {path: spec}}
                )
            except (ValueError, ArithmeticError):
                self.tornado_skipped.append(path)
                continue
            rows += analysis.extra["tornado"]
        rows.sort(key=lambda row: row["swing"] if math.isfinite(row["swing"]) else -1.0, reverse=True)
        return (rows[:MAX_DEFAULT_TORNADO] if default else rows), default

    def _default_ranges(self) -> dict[str, dict[str, float]]:
        """±20% on each top-level input that is a rate or an amount (not a count, a period in years, a per-year list or
        a nested setting; not an input that is zero, which ±20% would not move), kept within its valid range."""
        ranges: dict[str, dict[str, float]] = {}
        for name, value in self.validated_base.items():
            if not isinstance(value, float) or value == 0 or not math.isfinite(value):
                continue
            if _input_kind(name) not in ("rate", "amount"):
                continue
            try:
                check_path(self.validated_base, name, self.analysed)
            except ValueError:
                continue
            low, high = value * (1 - DEFAULT_RELATIVE_RANGE), value * (1 + DEFAULT_RELATIVE_RANGE)
            low, high = sorted((low, high))
            low, high = _within_bounds(self.analysed.inputs.model_fields[name].metadata, value, low, high)
            if low < high:
                ranges[name] = {"low": low, "high": high}
        return ranges

    def _indications(self) -> list[Indication]:
        if not self.input.reconciliation:
            return []
        runs = [(self.input.method, self.input.weight, "", self.result.value)]
        runs += [(item.method, item.weight, item.label, result.value) for item, result in self.others]
        total = sum(weight for _m, weight, _l, _v in runs)
        return [
            Indication(method, label or _method_name(method), value, weight, weight / total)
            for method, weight, label, value in runs
        ]

    # Sections

    def build(self) -> Report:
        self.run()
        ri = self.input
        title = ri.title or (
            _("Valuation of %(asset)s") % {"asset": ri.asset.name} if ri.asset else _("Valuation report")
        )
        self.checklist = checklist(ri, self.result)
        value_range, range_text = self._range()
        self.value_range, self.range_text = value_range, range_text
        sections = [
            Section(key, number, str(SECTION_TITLES[key]), getattr(self, f"_section_{key}")())
            for number, key in enumerate(SECTION_ORDER, start=1)
        ]
        sections.append(Section("checklist", None, str(SECTION_TITLES["checklist"]), self._section_checklist()))
        report_date = ri.report_date or timezone.localdate()
        summary = [
            (_("Asset"), ri.asset.name if ri.asset else _("Not stated")),
            (_("Method"), self._methods_text()),
            (_("Basis of value"), str(BASES[ri.basis_of_value][0]) if ri.basis_of_value else _("Not stated")),
            (_("Valuation date"), self.fmt.date(ri.valuation_date) or _("Not stated")),
            (_("Report date"), self.fmt.date(report_date)),
        ]
        if ri.valuer:
            summary.append((_("Valuer"), ri.valuer.name))
        return Report(
            language=self.language,
            html_lang=Locale.parse(to_locale(self.language)).language + ("-Hans" if self.language == "zh-hans" else ""),
            direction="rtl" if self.rtl else "ltr",
            title=title,
            subtitle=_("Valuation report prepared with ipvalue"),
            method=ri.method,
            method_name=self._methods_text(),
            value=self.value,
            value_text=self.money(self.value),
            currency=self.currency,
            value_range=value_range,
            range_text=range_text,
            valuation_date=ri.valuation_date,
            report_date=report_date,
            author=ri.valuer.name if ri.valuer else "",
            summary=summary,
            sections=sections,
            checklist=self.checklist,
            standards=_standard_statuses(self.checklist),
            indications=self.indications,
            tornado=self.tornado,
            result=self.result,
            labels={
                "concluded_value": _("Concluded value"),
                "contents": _("Contents"),
                "page": _("Page"),
                "of": _("of"),
                "generated_by": _("Produced with ipvalue, open-source software for valuing intellectual property."),
            },
        )

    def _methods_text(self) -> str:
        name = _method_name(self.input.method)
        if self.input.method == "monte-carlo":
            name = _("%(simulation)s: %(method)s") % {"simulation": name, "method": _method_name(self.analysed.name)}
        if self.others:
            name += " + " + ", ".join(_method_name(item.method) for item, _r in self.others)
        return name

    def _range(self) -> tuple[tuple[float, float] | None, str]:
        """The range around the concluded value: of the reconciled indications, else the simulation's P10 to P90, else
        the lowest and highest value of the sensitivity analysis."""
        breakdown = self.result.breakdown
        if len(self.indications) > 1:
            values = [i.value for i in self.indications]
            return (min(values), max(values)), _("%(low)s to %(high)s (lowest to highest indication)") % {
                "low": self.money(min(values)),
                "high": self.money(max(values)),
            }
        if self.input.method == "monte-carlo" and "p10" in breakdown and "p90" in breakdown:
            low, high = breakdown["p10"], breakdown["p90"]
            return (low, high), _("%(low)s to %(high)s (10th to 90th percentile of the simulated values)") % {
                "low": self.money(low),
                "high": self.money(high),
            }
        if self.tornado:
            values = [
                v for row in self.tornado for v in (row["value_at_low"], row["value_at_high"]) if math.isfinite(v)
            ]
            if values:
                return (min(values), max(values)), _(
                    "%(low)s to %(high)s (lowest to highest value in the sensitivity analysis)"
                ) % {"low": self.money(min(values)), "high": self.money(max(values))}
        return None, ""

    def _section_asset(self) -> list[Block]:
        asset, owner = self.input.asset, self.input.owner
        if asset is None:
            blocks: list[Block] = [Paragraph(_("The asset is not identified: no name, type or registration given."))]
        else:
            items = [(_("Name"), asset.name), (_("Type"), str(ASSET_TYPES[asset.type]))]
            if asset.identifier:
                items.append((_("Registration or application number"), asset.identifier))
            if asset.jurisdiction:
                items.append((_("Jurisdiction"), self.fmt.country(asset.jurisdiction)))
            if asset.protection_until:
                items.append((_("Legal protection until"), self.fmt.date(asset.protection_until)))
            blocks = [Facts(items)]
            if asset.description:
                blocks.append(Paragraph(asset.description))
        if owner is not None:
            owner_items = [(_("Owner (right holder)"), owner.name)]
            if owner.country:
                owner_items.append((_("Owner's country"), self.fmt.country(owner.country)))
            blocks.append(Facts(owner_items))
        else:
            blocks.append(Paragraph(_("The owner is not stated.")))
        return blocks

    def _section_purpose(self) -> list[Block]:
        ri = self.input
        items = [
            (_("Purpose"), str(PURPOSES[ri.purpose]) if ri.purpose else _("Not stated")),
            (_("Intended users"), ri.intended_users or _("Not stated")),
        ]
        blocks: list[Block] = [Facts(items)]
        blocks.append(
            Paragraph(
                _(
                    "The value in this report is for the purpose stated above and may not be suitable for any other; "
                    "only the intended users may rely on it."
                )
            )
        )
        return blocks

    def _section_basis(self) -> list[Block]:
        ri = self.input
        if ri.basis_of_value is None:
            blocks: list[Block] = [Paragraph(_("The basis of value is not stated."))]
        else:
            name, definition = BASES[ri.basis_of_value]
            blocks = [Facts([(_("Basis of value"), str(name))]), Paragraph(str(definition))]
        blocks.append(
            Facts(
                [
                    (_("Currency"), self.currency or _("Not stated: amounts are in the currency of the inputs")),
                    (_("Price basis"), _("Nominal: the inputs and the discount rate include inflation")),
                ]
            )
        )
        return blocks

    def _section_date(self) -> list[Block]:
        ri = self.input
        report_date = ri.report_date or timezone.localdate()
        blocks: list[Block] = [
            Facts(
                [
                    (_("Valuation date"), self.fmt.date(ri.valuation_date) or _("Not stated")),
                    (_("Report date"), self.fmt.date(report_date)),
                ]
            ),
            Paragraph(
                _(
                    "The value is that on the valuation date. Events after it are not taken into account unless the "
                    "report says so."
                )
            ),
        ]
        if ri.valuation_date and ri.valuation_date > report_date:
            blocks.append(Paragraph(_("The valuation date is after the report date: this is a prospective value.")))
        return blocks

    def _section_scope(self) -> list[Block]:
        ri = self.input
        text = _(
            "The value was estimated with the %(method)s method of ipvalue's valuation engine, from the inputs set "
            "out in section 8."
        ) % {"method": _method_name(self.analysed.name)}
        blocks: list[Block] = [Paragraph(text)]
        extra = self.result.extra
        if ri.method == "monte-carlo":
            blocks.append(
                Paragraph(
                    _("The uncertainty of the value was simulated with %(count)s scenarios (Monte Carlo).")
                    % {"count": self.fmt.number(float(extra.get("scenarios", 0)), 0)}
                )
            )
        if self.tornado:
            blocks.append(Paragraph(_("The sensitivity of the value to its main inputs was tested (section 10).")))
        if self.others:
            blocks.append(
                Paragraph(
                    _("The result was reconciled with %(count)s other method(s) (section 9).")
                    % {"count": len(self.others)}
                )
            )
        if ri.sources:
            blocks.append(Bullets(list(ri.sources), _("Sources of information")))
        else:
            blocks.append(Paragraph(_("No sources of information are listed.")))
        references = [self.base_result.source] + [result.source for _item, result in self.others]
        if ri.method == "monte-carlo":
            references.append(self.result.source)
        blocks.append(Bullets([_engine_text(s) for s in dict.fromkeys(references) if s], _("Method references")))
        return blocks

    def _section_assumptions(self) -> list[Block]:
        ri = self.input
        blocks: list[Block] = []
        if ri.assumptions:
            blocks.append(Bullets(list(ri.assumptions), _("The valuer's assumptions")))
        engine = list(self.base_result.assumptions)
        if ri.method == "monte-carlo":
            engine += self.result.assumptions
        for _item, result in self.others:
            engine += result.assumptions
        if engine:
            blocks.append(Bullets([_engine_text(a) for a in dict.fromkeys(engine)], _("Assumptions of the method")))
        conventions = {**self.base_result.conventions}
        if ri.method == "monte-carlo":
            conventions.update({k: v for k, v in self.result.conventions.items() if k in ("sampling", "seed")})
        rows = [
            [str(CONVENTION_LABELS.get(key, key.replace("_", " ").capitalize())), self._convention(key, value)]
            for key, value in conventions.items()
            if value is not None and value != ""
        ]
        blocks.append(Table([_("Convention"), _("Setting")], rows, _("Conventions"), [False, False]))
        return blocks

    def _convention(self, key: str, value: Any) -> str:
        if key == "timing":
            return _("end of each period") if value == "end" else _("middle of each period")
        if key == "first_period":
            return _("today (t = 0)") if value == 0 else _("one period from the valuation date (t = 1)")
        if key == "currency" and self.currency:
            return self.currency
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return self.fmt.number(float(value), 4)
        return _engine_text(str(value))

    def _section_methods(self) -> list[Block]:
        ri = self.input
        method = self.analysed
        approach = METHOD_APPROACH.get(method.name, "income")
        items = [
            (_("Method"), _method_name(method.name)),
            (_("Approach"), str(APPROACHES[approach])),
        ]
        if ri.method == "monte-carlo":
            extra = self.result.extra
            items.append(
                (
                    _("Simulation"),
                    _("Monte Carlo, %(count)s scenarios, %(sampling)s sampling")
                    % {
                        "count": self.fmt.number(float(extra.get("scenarios", 0)), 0),
                        "sampling": _("quasi-random (Sobol')")
                        if ri.input.get("sampling") == "sobol"
                        else _("pseudo-random"),
                    },
                )
            )
        blocks: list[Block] = [Facts(items), Paragraph(_engine_text(method.summary) + ".")]
        if ri.method_rationale:
            blocks.append(Paragraph(ri.method_rationale))
        else:
            blocks.append(Paragraph(_("The reasons for choosing this method are not stated.")))
        if self.others:
            blocks.append(
                Bullets(
                    [
                        f"{_method_name(item.method)} ({APPROACHES[METHOD_APPROACH.get(item.method, 'income')]})"
                        for item, _r in self.others
                    ],
                    _("Other methods reconciled"),
                )
            )
        return blocks

    def _inputs_table(self, method_name: str, validated: dict[str, Any], caption: str) -> Table:
        rows = []
        sources = self.input.input_sources
        for path, value in _flatten(validated):
            if path in ("timing", "first_period") or value == [] or value == {}:
                continue  # conventions, shown in section 6
            shown, unit = self.input_value(path, value)
            source = sources.get(path) or sources.get(re.sub(r"\[\d+\]", "", path)) or ""
            rows.append([_input_label(path), shown, unit, source])
        return Table([_("Input"), _("Value"), _("Unit"), _("Source")], rows, caption, [False, True, False, False])

    def _section_inputs(self) -> list[Block]:
        ri = self.input
        blocks: list[Block] = [
            self._inputs_table(self.analysed.name, self.validated_base, _method_name(self.analysed.name))
        ]
        if ri.method == "monte-carlo":
            rows = []
            for path, variation in (ri.input.get("vary") or {}).items():
                distribution = variation["distribution"]
                scale = variation.get("apply") == "scale"
                params = []
                for key, value in distribution.items():
                    if key == "distribution":
                        continue
                    if isinstance(value, list):
                        shown = "; ".join(self._distribution_value(path, v, scale, key) for v in value)
                    else:
                        shown = self._distribution_value(path, value, scale, key)
                    params.append(f"{PARAMETER_NAMES.get(key, key)} {shown}")
                rows.append(
                    [
                        _input_label(path),
                        str(DISTRIBUTION_NAMES.get(distribution["distribution"], distribution["distribution"])),
                        ", ".join(params),
                        _("factor on the base value") if scale else _("value of the input"),
                    ]
                )
            blocks.append(
                Table(
                    [_("Input"), _("Distribution"), _("Parameters"), _("Applied as")],
                    rows,
                    _("Inputs that vary in the simulation"),
                    [False, False, False, False],
                )
            )
        for item, _result in self.others:
            validated = METHODS[item.method].inputs.model_validate(item.input).model_dump()
            if item.method == "monte-carlo":
                inner = METHODS[validated["method"]]
                validated = inner.inputs.model_validate(validated["inputs"]).model_dump()
            blocks.append(self._inputs_table(item.method, validated, item.label or _method_name(item.method)))
        if ri.sources:
            blocks.append(Paragraph(_("General sources are listed in section 5.")))
        return blocks

    def _distribution_value(self, path: str, value: Any, scale: bool, key: str) -> str:
        if key in ("probabilities", "shape") or scale:
            return self.fmt.number(float(value), 4)
        return self.input_text(path, float(value))

    def _section_results(self) -> list[Block]:
        ri = self.input
        result, fmt = self.result, self.fmt
        items = [(_("Concluded value"), self.money(self.value))]
        if self.range_text:
            items.append((_("Range"), self.range_text))
        blocks: list[Block] = [Facts(items)]
        if ri.method == "monte-carlo":
            breakdown = result.breakdown
            stats = [
                (_("Mean of the simulated values"), self.money(breakdown["mean"])),
                (_("Value with every input at its base value"), self.money(breakdown["deterministic_value"])),
                (_("10th percentile (P10)"), self.money(breakdown["p10"])),
                (_("Median (P50)"), self.money(breakdown["p50"])),
                (_("90th percentile (P90)"), self.money(breakdown["p90"])),
                (_("Standard deviation"), self.money(breakdown["sd"])),
                (_("Standard error of the mean"), self.money(breakdown["standard_error"])),
                (_("Scenarios"), fmt.number(float(result.extra["scenarios"]), 0)),
                (_("Converged"), _("yes") if result.extra.get("converged") else _("no")),
            ]
            blocks.append(Facts(stats))
            histogram = result.extra["histogram"]
            title = _("Distribution of the simulated values")
            blocks.append(
                Chart(
                    charts.histogram_svg(
                        histogram["edges"],
                        histogram["counts"],
                        markers={"P10": breakdown["p10"], "P50": breakdown["p50"], "P90": breakdown["p90"]},
                        title=title,
                        x_label=_("Value") + (f" ({self.currency})" if self.currency else ""),
                        number_format=fmt.compact,
                        rtl=self.rtl,
                    ),
                    title,
                )
            )
            percentile_rows = [
                [_figure_label(key), self.money(value)]
                for key, value in breakdown.items()
                if re.fullmatch(r"p\d+(\.\d+)?", key)
            ]
            blocks.append(Table([_("Percentile"), _("Value")], percentile_rows, _("Percentiles"), [False, True]))
        figures = dict(self.base_result.breakdown)
        if figures.get("tab_factor") == 1.0:  # no tax amortisation benefit: the value before it is the value
            figures.pop("tab_factor")
            figures.pop("value_before_tab", None)
        if figures:
            blocks.append(
                Table(
                    [_("Figure"), _("Value")],
                    [[_figure_label(k), self.figure(k, v)] for k, v in figures.items()],
                    _("Figures of the method") if ri.method != "monte-carlo" else _("Figures of the base case"),
                    [False, True],
                )
            )
        schedule = self.base_result.schedule
        if schedule:
            keys = list(schedule[0])
            blocks.append(
                Table(
                    [_figure_label(k) for k in keys],
                    [[self.figure(k, float(row.get(k, math.nan))) for k in keys] for row in schedule],
                    _("Schedule, period by period") if ri.method != "monte-carlo" else _("Schedule of the base case"),
                    [True] * len(keys),
                )
            )
            if "present_value" in keys:
                axis = "period" if "period" in keys else ("year" if "year" in keys else None)
                labels = [
                    fmt.number(float(row[axis]), 1) if axis else str(index + 1) for index, row in enumerate(schedule)
                ]
                title = _("Present value by period")
                blocks.append(
                    Chart(
                        charts.bars_svg(
                            labels,
                            [float(row["present_value"]) for row in schedule],
                            title=title,
                            number_format=fmt.compact,
                            rtl=self.rtl,
                        ),
                        title,
                    )
                )
        if self.indications:
            rows = [
                [
                    i.label,
                    self.money(i.value),
                    fmt.number(i.weight, 4),
                    fmt.percent(round(i.share, 4)),
                    self.money(i.value * i.share),
                ]
                for i in self.indications
            ]
            rows.append([_("Reconciled value"), "", "", fmt.percent(1.0), self.money(self.value)])
            blocks.append(
                Table(
                    [_("Method"), _("Value"), _("Weight"), _("Share"), _("Weighted value")],
                    rows,
                    _("Reconciliation: weighted mean of the indications"),
                    [False, True, True, True, True],
                )
            )
            title = _("Value by method")
            blocks.append(
                Chart(
                    charts.bars_svg(
                        [i.label for i in self.indications],
                        [i.value for i in self.indications],
                        title=title,
                        number_format=fmt.compact,
                        rtl=self.rtl,
                    ),
                    title,
                )
            )
        return blocks

    def _section_sensitivity(self) -> list[Block]:
        if not self.tornado:
            if self.analysed.kernel is None:
                return [Paragraph(_("This method cannot be analysed for sensitivity."))]
            return [Paragraph(_("No input could be varied for a sensitivity analysis."))]
        if self.tornado_default:
            intro = _(
                "Each input below was set 20%% below and 20%% above its base value (within its valid range), one at a "
                "time, the others staying at their base values. The inputs with the largest effect on the value are "
                "shown, at most %(count)s."
            ) % {"count": MAX_DEFAULT_TORNADO}
        else:
            intro = _(
                "Each input below was set to the low and high values the valuer chose, one at a time, the others "
                "staying at their base values."
            )
        skipped = []
        if self.tornado_skipped:
            skipped = [
                Paragraph(
                    _("The engine could not vary these inputs on their own, so they are left out: %(inputs)s.")
                    % {"inputs": ", ".join(_input_label(path) for path in self.tornado_skipped)}
                )
            ]
        base_value = self.base_result.value
        labels = {row["input"]: _input_label(row["input"]) for row in self.tornado}
        title = _("Sensitivity of the value to its inputs")
        chart = charts.tornado_svg(
            self.tornado,
            base_value,
            labels=labels,
            title=title,
            number_format=self.fmt.compact,
            rtl=self.rtl,
        )
        rows = [
            [
                labels[row["input"]],
                self.input_text(row["input"], row["low"]),
                self.input_text(row["input"], row["high"]),
                self.money(row["value_at_low"]),
                self.money(row["value_at_high"]),
                self.money(row["swing"]),
            ]
            for row in self.tornado
        ]
        return [
            Paragraph(intro),
            *skipped,
            Facts([(_("Base value"), self.money(base_value))]),
            Chart(chart, title),
            Table(
                [_("Input"), _("Low"), _("High"), _("Value at low"), _("Value at high"), _("Swing")],
                rows,
                _("One input at a time"),
                [False, True, True, True, True, True],
            ),
        ]

    def _section_limitations(self) -> list[Block]:
        ri = self.input
        blocks: list[Block] = []
        if ri.limitations:
            blocks.append(Paragraph(ri.limitations))
        else:
            blocks.append(Paragraph(_("The valuer has stated no limitations.")))
        warnings = list(self.result.warnings)
        if ri.method == "monte-carlo":
            warnings = list(self.base_result.warnings) + warnings
        for _item, result in self.others:
            warnings += result.warnings
        if warnings:
            blocks.append(Bullets([_engine_text(w) for w in dict.fromkeys(warnings)], _("Warnings of the method")))
        blocks.append(
            Paragraph(
                _(
                    "The figures depend on the inputs supplied, which were not audited. The compliance checklist "
                    "below is an aid to the valuer, not an opinion that the report complies with any standard."
                )
            )
        )
        return blocks

    def _section_checklist(self) -> list[Block]:
        blocks: list[Block] = [
            Paragraph(
                _(
                    "What the standards below expect a valuation report to state, paraphrased, and whether this "
                    "report states it. Check the standards themselves before relying on this list."
                )
            )
        ]
        statuses = _standard_statuses(self.checklist)
        for status in statuses:
            caption = f"{status.name} — {status.issuer}; {status.reference}"
            if not status.applicable:
                blocks.append(
                    Table(
                        [_("Standard"), _("Status")],
                        [[status.name, _("Not applicable") + ". " + status.reason]],
                        caption,
                        [False, False],
                    )
                )
                continue
            rows, classes = [], []
            for item in self.checklist:
                if item.standard != status.code:
                    continue
                if not item.applicable:
                    rows.append([item.text, _("Not applicable"), item.note])
                else:
                    rows.append([item.text, _("Met") if item.met else _("Missing"), " ".join(item.missing)])
                classes.append(f"status-{item.status}")
            blocks.append(
                Table(
                    [_("Requirement"), _("Status"), _("What to add")],
                    rows,
                    caption + " — " + _("%(met)s of %(total)s met") % {"met": status.met, "total": status.total},
                    [False, False, False],
                    classes,
                )
            )
        return blocks


def _within_bounds(metadata: Sequence[Any], base: float, low: float, high: float) -> tuple[float, float]:
    """Clip a range to an input's bounds (pydantic ``ge``/``gt``/``le``/``lt``); a strict bound is approached halfway
    from the base value."""
    for bound in metadata:
        if getattr(bound, "ge", None) is not None:
            low = max(low, float(bound.ge))
        if getattr(bound, "gt", None) is not None and low <= bound.gt:
            low = (base + float(bound.gt)) / 2
        if getattr(bound, "le", None) is not None:
            high = min(high, float(bound.le))
        if getattr(bound, "lt", None) is not None and high >= bound.lt:
            high = (base + float(bound.lt)) / 2
    return low, high


def _check_language(language: str) -> str:
    codes = [code for code, _name in settings.LANGUAGES]
    if language not in codes:
        raise ValueError(f"{language!r} is not a language of ipvalue; one of {', '.join(codes)}")
    return language


def build_report(report_input: ReportInput, language: str) -> Report:
    """Run the engine (and the sensitivity analysis and any reconciliation) and lay out the report in ``language``, in
    the order of IVS 106: asset, purpose and users, basis of value, valuation date, scope and sources, assumptions,
    methods and why, inputs, results and reconciliation, sensitivity, limitations; then the compliance checklist."""
    with override(_check_language(language)):
        return _Builder(report_input, language).build()


# --- PDF ------------------------------------------------------------------------------------------------------------


FONT_FAMILIES = {"sans": "Noto Sans ipvalue", "arabic": "Noto Sans Arabic ipvalue", "cjk": "Noto Sans CJK ipvalue"}


def _css_string(text: str) -> str:
    """Text to put inside a double-quoted CSS string in a <style> element (which HTML does not unescape)."""
    return re.sub(r'["\\<>\n\r]', "", text)


def _font_stack(report: Report) -> str:
    order = ["sans", "arabic", "cjk"]
    if report.language.startswith("zh"):
        order = ["sans", "cjk", "arabic"]
    return ", ".join(f'"{FONT_FAMILIES[key]}"' for key in order)


ARABIC_TEXT = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
SVG_WIDTH = re.compile(r'<svg[^>]*?\swidth="([\d.]+)"')


def _printable(block: Block) -> Block:
    """A chart as WeasyPrint should draw it: vector SVG, except where its text has Arabic letters, which WeasyPrint's
    SVG renderer lays out letter by letter, unjoined and left to right; those charts are drawn by resvg (which shapes
    Arabic) as a PNG at three times their size."""
    if not isinstance(block, Chart) or not ARABIC_TEXT.search(block.svg):
        return block
    match = SVG_WIDTH.search(block.svg)
    png = base64.b64encode(svg_to_png(block.svg, zoom=3.0)).decode("ascii")
    return dataclasses.replace(
        block, png_uri=f"data:image/png;base64,{png}", width_px=float(match.group(1)) if match else 640.0
    )


def render_pdf(report: Report) -> bytes:
    """The report as an A4 PDF (WeasyPrint), with its fonts embedded, page numbers, the charts as vector graphics and
    the title, author and language in the document's metadata."""
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    fonts = font_files()
    font_faces = [{"family": FONT_FAMILIES[key], "url": path.resolve().as_uri()} for key, path in fonts.items()]
    with override(report.language):
        sections = [
            dataclasses.replace(section, blocks=[_printable(block) for block in section.blocks])
            for section in report.sections
        ]
        html = render_to_string(
            "toolkit/report_pdf.html",
            {
                "report": report,
                "sections": sections,
                "font_faces": font_faces,
                "font_stack": _font_stack(report),
                "page_of": (_css_string(report.labels["page"]), _css_string(report.labels["of"])),
            },
        )
        font_config = FontConfiguration()
        document = HTML(string=html, base_url=str(fonts["sans"].parent)).render(font_config=font_config)
        document.metadata.title = report.title
        document.metadata.lang = report.html_lang
        if report.author:
            document.metadata.authors = [report.author]
        document.metadata.description = report.subtitle
        document.metadata.keywords = [report.method_name, str(SECTION_TITLES["checklist"])]
        document.metadata.created = report.report_date.isoformat()
        document.metadata.generator = "ipvalue"
        pdf: bytes = document.write_pdf()
    return pdf


# --- DOCX -----------------------------------------------------------------------------------------------------------


def svg_to_png(svg: str, zoom: float = 2.0) -> bytes:
    """A chart's SVG as PNG (resvg), with the bundled fonts only, so it looks the same on every machine."""
    import resvg_py

    png = resvg_py.svg_to_bytes(
        svg_string=svg,
        font_files=[str(path) for path in font_files().values()],
        skip_system_fonts=True,
        font_family="Noto Sans",
        sans_serif_family="Noto Sans",
        zoom=zoom,
    )
    return bytes(png)


RPR_AFTER_SZCS = (
    "w:highlight",
    "w:u",
    "w:effect",
    "w:bdr",
    "w:shd",
    "w:fitText",
    "w:vertAlign",
    "w:rtl",
    "w:cs",
    "w:em",
    "w:lang",
    "w:eastAsianLayout",
    "w:specVanish",
    "w:oMath",
)
PPR_AFTER_BIDI = (
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
)


class _Docx:
    """Writes a Report with python-docx. Elements are inserted in the order the WordprocessingML schema requires, so
    that Word opens the file without repairing it; Arabic gets right-to-left paragraphs (``w:bidi``), runs
    (``w:rtl``, with the complex-script bold and size that Arabic text uses) and tables (``w:bidiVisual``)."""

    def __init__(self, report: Report) -> None:
        from docx import Document
        from docx.shared import Cm, Pt

        self.report = report
        self.rtl = report.rtl
        self.document = Document()
        section = self.document.sections[0]
        section.page_width, section.page_height = Cm(21.0), Cm(29.7)
        section.left_margin = section.right_margin = section.top_margin = section.bottom_margin = Cm(2.0)
        if self.rtl:
            self._element_once(
                section._sectPr, "w:bidi", ("w:rtlGutter", "w:docGrid", "w:printerSettings", "w:sectPrChange")
            )
        for name in ("Normal", "Title", "Subtitle", "Heading 1", "Caption", "List Bullet", "Table Grid"):
            style = self.document.styles[name]
            self._fonts(style.element.get_or_add_rPr())
            if self.rtl and name != "Table Grid":
                self._element_once(style.element.get_or_add_pPr(), "w:bidi", PPR_AFTER_BIDI)
                style.element.get_or_add_rPr().get_or_add_rtl()
        self.document.styles["Normal"].font.size = Pt(10)
        self._footer()
        properties = self.document.core_properties
        properties.title = report.title
        properties.subject = report.subtitle
        properties.language = report.html_lang
        properties.author = report.author or "ipvalue"
        properties.keywords = report.method_name
        properties.comments = report.labels["generated_by"]

    @staticmethod
    def _element_once(parent: Any, tag: str, successors: Sequence[str], **attributes: str) -> Any:
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        element = parent.find(qn(tag))
        if element is None:
            element = OxmlElement(tag)
            parent.insert_element_before(element, *successors)
        for name, value in attributes.items():
            element.set(qn(f"w:{name}"), value)
        return element

    def _fonts(self, r_pr: Any) -> None:
        """The bundled fonts by script (Latin and Cyrillic, East Asian, complex scripts such as Arabic) and the
        report's language, so that Word picks the right font and spell checker."""
        fonts = r_pr.get_or_add_rFonts()
        for attribute, family in (
            ("ascii", "Noto Sans"),
            ("hAnsi", "Noto Sans"),
            ("eastAsia", "Noto Sans CJK TC"),
            ("cs", "Noto Sans Arabic"),
        ):
            fonts.set(f"{{http://schemas.openxmlformats.org/wordprocessingml/2006/main}}{attribute}", family)
        language = self.report.html_lang
        self._element_once(
            r_pr,
            "w:lang",
            ("w:eastAsianLayout", "w:specVanish", "w:oMath"),
            val=language,
            eastAsia="zh-CN" if language.startswith("zh") else language,
            bidi="ar-SA" if self.rtl else language,
        )

    def _footer(self) -> None:
        """Page numbers: "Page N of M" with Word's PAGE and NUMPAGES fields."""
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        paragraph = self.document.sections[0].footer.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        labels = self.report.labels
        for text, instruction in ((labels["page"] + " ", "PAGE"), (" " + labels["of"] + " ", "NUMPAGES")):
            paragraph.add_run(text)
            # A complex field, one element per run: begin, the instruction, separate, a placeholder result, end.
            for kind in ("begin", "instr", "separate", "result", "end"):
                run = paragraph.add_run("1" if kind == "result" else None)
                if kind == "instr":
                    element = OxmlElement("w:instrText")
                    element.set(qn("xml:space"), "preserve")
                    element.text = f" {instruction} "
                    run._r.append(element)
                elif kind != "result":
                    element = OxmlElement("w:fldChar")
                    element.set(qn("w:fldCharType"), kind)
                    run._r.append(element)
        self._direction(paragraph)

    def _direction(self, paragraph: Any) -> Any:
        if self.rtl:
            self._element_once(paragraph._p.get_or_add_pPr(), "w:bidi", PPR_AFTER_BIDI)
            for run in paragraph.runs:
                run._r.get_or_add_rPr().get_or_add_rtl()
        return paragraph

    def _run(self, paragraph: Any, text: str, *, bold: bool = False, size: float | None = None) -> Any:
        from docx.shared import Pt

        run = paragraph.add_run(text)
        if bold:
            run.bold = True
            run._r.get_or_add_rPr().get_or_add_bCs()
        if size:
            run.font.size = Pt(size)
            self._element_once(run._r.get_or_add_rPr(), "w:szCs", RPR_AFTER_SZCS, val=str(round(size * 2)))
        return run

    def paragraph(self, container: Any, text: str, style: str | None = None, **run: Any) -> Any:
        paragraph = container.add_paragraph(style=style)
        self._run(paragraph, text, **run)
        return self._direction(paragraph)

    def table(self, columns: list[str], rows: list[list[str]], numeric: list[bool], caption: str = "") -> None:
        from docx.enum.table import WD_TABLE_ALIGNMENT
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        if caption:
            self.paragraph(self.document, caption, "Caption")
        table = self.document.add_table(rows=1, cols=len(columns))
        table.style = self.document.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        if self.rtl:
            table._tbl.tblPr.get_or_add_bidiVisual()
        end = WD_ALIGN_PARAGRAPH.LEFT if self.rtl else WD_ALIGN_PARAGRAPH.RIGHT
        for index, column in enumerate(columns):
            cell = table.rows[0].cells[index]
            self._run(cell.paragraphs[0], column, bold=True)
            self._direction(cell.paragraphs[0])
            shading = OxmlElement("w:shd")
            shading.set(qn("w:val"), "clear")
            shading.set(qn("w:color"), "auto")
            shading.set(qn("w:fill"), "F3F6F9")
            cell._tc.get_or_add_tcPr().append(shading)
            if index < len(numeric) and numeric[index]:
                cell.paragraphs[0].alignment = end
        for row in rows:
            cells = table.add_row().cells
            for index, text in enumerate(row):
                paragraph = cells[index].paragraphs[0]
                self._run(paragraph, text)
                self._direction(paragraph)
                if index < len(numeric) and numeric[index]:
                    paragraph.alignment = end
        self.document.add_paragraph()

    def write(self) -> bytes:
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Cm, RGBColor

        report, document = self.report, self.document
        with override(report.language):
            self._direction(document.add_heading(report.title, level=0))
            self.paragraph(document, report.subtitle, "Subtitle")
            value = self.paragraph(
                document, f"{report.labels['concluded_value']}: {report.value_text}", bold=True, size=16
            )
            value.runs[0].font.color.rgb = RGBColor(0x0B, 0x4F, 0x8A)
            if report.range_text:
                self.paragraph(document, report.range_text)
            self.table([_("Item"), _("Detail")], [list(pair) for pair in report.summary], [False, False])
            for section in report.sections:
                self._direction(document.add_heading(section.heading, level=1))
                for block in section.blocks:
                    if isinstance(block, Paragraph):
                        self.paragraph(document, block.text)
                    elif isinstance(block, Facts):
                        self.table([_("Item"), _("Detail")], [list(pair) for pair in block.items], [False, False])
                    elif isinstance(block, Bullets):
                        if block.title:
                            self.paragraph(document, block.title, bold=True)
                        for item in block.items:
                            self.paragraph(document, item, "List Bullet")
                    elif isinstance(block, Table):
                        self.table(block.columns, block.rows, block.numeric, block.caption)
                    elif isinstance(block, Chart):
                        document.add_picture(io.BytesIO(svg_to_png(block.svg)), width=Cm(16))
                        document.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
                        self.paragraph(document, block.title, "Caption")
            self.paragraph(document, report.labels["generated_by"], "Caption")
        output = io.BytesIO()
        document.save(output)
        return output.getvalue()


def render_docx(report: Report) -> bytes:
    """The report as a Word document (python-docx): the same sections, headings and tables as the PDF, the charts as
    PNG pictures drawn by resvg from the same SVG with the same bundled fonts, page numbers in the footer, and
    right-to-left paragraphs, runs and tables for Arabic."""
    return _Docx(report).write()


def render(report: Report, output_format: Literal["pdf", "docx"]) -> bytes:
    """The report as ``pdf`` or ``docx`` bytes."""
    renderers: dict[str, Callable[[Report], bytes]] = {"pdf": render_pdf, "docx": render_docx}
    return renderers[output_format](report)


def strip_bidi_marks(text: str) -> str:
    """Text without invisible direction marks (as PDF text extraction returns it)."""
    return BIDI_MARKS.sub("", text)
