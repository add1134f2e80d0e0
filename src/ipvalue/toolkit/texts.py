"""Labels and plain-language explanations of the engine's inputs, in the user's language.

Keys are input paths (``tab.amortisation_years``, ``comparables.price``) and, for choices, ``path=value``.
"""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

RATE_HINT = _("Type it as a decimal or a percentage: 0.12 and 12% are the same.")

FIELD_TEXTS: dict[str, tuple[Promise, Promise | str]] = {
    # Income
    "revenues": (_("Revenues, year by year"), _("Sales that use the asset in each future year, separated by spaces.")),
    "base_revenue": (_("Revenue in the first year"), _("Sales that use the asset in the first year.")),
    "growth_rate": (_("Yearly revenue growth"), _("How fast sales grow each year after the first.")),
    "years": (_("Number of years"), _("How many years the asset will earn money (its remaining useful life).")),
    "royalty_rate": (
        _("Royalty rate"),
        _("The share of revenue a licensee would pay to use the asset, as in comparable licence agreements."),
    ),
    "tax_rate": (_("Tax rate"), _("The profit tax rate that applies to the income.")),
    "discount_rate": (
        _("Discount rate"),
        _("The yearly return an investor would require for the risk of this asset; higher risk, higher rate."),
    ),
    "timing": (_("When cash arrives"), _("At the end of each year (the usual convention) or spread through the year.")),
    "timing=end": (_("End of each year"), ""),
    "timing=mid": (_("Mid-year"), ""),
    "first_period": (_("First cash flow"), _("One year from today (usual), or today.")),
    "first_period=1": (_("In one year"), ""),
    "first_period=0": (_("Today"), ""),
    "terminal_growth": (
        _("Growth after the last year"),
        _("Leave empty if the asset's life ends with the last year; fill it for an asset without a finite life."),
    ),
    "tab.amortisation_years": (
        _("Tax amortisation period (years)"),
        _("Fill it to add the tax amortisation benefit a buyer would get (fair value for accounting)."),
    ),
    "amortisation_years": (_("Tax amortisation period (years)"), ""),
    "rate": (_("Rate"), RATE_HINT),
    "cash_flows": (_("Cash flows, period by period"), _("Negative numbers for payments, positive for receipts.")),
    "operating_margin": (_("Operating margin"), _("Operating profit before tax as a share of revenue.")),
    "contributory_assets": (
        _("Contributory assets"),
        _("One line per asset the business needs: name; level as a share of revenue; return on it; return of it."),
    ),
    "contributory_assets.name": (_("Name"), ""),
    "contributory_assets.level": (_("Level (share of revenue)"), ""),
    "contributory_assets.return_on": (_("Return on the asset"), ""),
    "contributory_assets.return_of": (_("Return of the asset"), ""),
    "cash_flows_with": (_("Cash flows with the asset"), _("After-tax cash flows of the business with the asset.")),
    "cash_flows_without": (_("Cash flows without the asset"), _("The same business without it.")),
    "volumes": (_("Units sold, year by year"), ""),
    "price_premium": (_("Price premium per unit"), _("How much more customers pay per unit thanks to the asset.")),
    "incremental_cost_per_unit": (_("Extra cost per unit"), _("What it costs per unit to earn the premium.")),
    "profits": (_("Operating profits, year by year"), _("Profits of the business that uses the asset.")),
    "split": (
        _("Share of profit due to the asset"),
        # xgettext:no-python-format
        _("For example 25% under the 25% rule, a heuristic."),
    ),
    "rule": (_("Rule of thumb used"), ""),
    # Cost
    "cost": (_("Cost to recreate the asset"), _("What it would cost today to develop an asset of the same use.")),
    "cost_items": (_("Cost items"), _("One line per item: name; amount.")),
    "cost_items.name": (_("Name"), ""),
    "cost_items.amount": (_("Amount"), ""),
    "basis": (_("Cost basis"), ""),
    "basis=replacement": (_("Replacement (an asset of equal use)"), ""),
    "basis=reproduction": (_("Reproduction (an exact copy)"), ""),
    "developer_profit_rate": (_("Developer's profit"), _("The markup a developer would expect on the cost.")),
    "opportunity_cost.rate": (_("Return forgone during development"), ""),
    "opportunity_cost.development_years": (_("Development time (years)"), ""),
    "functional_obsolescence": (_("Functional obsolescence"), _("Loss of value because the asset does less.")),
    "technological_obsolescence": (_("Technological obsolescence"), _("Loss of value to newer technology.")),
    "economic_obsolescence": (_("Economic obsolescence"), _("Loss of value because the market pays less.")),
    # Market
    "comparables": (
        _("Comparable transactions"),
        _("One line per transaction: name; price; adjustments such as size=-10%, age=5%; weight."),
    ),
    "comparables.name": (_("Name"), ""),
    "comparables.price": (_("Price"), ""),
    "comparables.adjustments": (_("Adjustments"), ""),
    "comparables.weight": (_("Weight"), ""),
    "rates": (
        _("Royalty rates of comparable licences"),
        # xgettext:no-python-format
        _("Separated by spaces, for example 3% 4.5% 5% 6%."),
    ),
    "comparable_rates": (
        _("Royalty rates of comparable licences"),
        _("Optional: a warning tells you when the royalty rate lies outside their middle half."),
    ),
    "subject_rate": (_("Royalty rate to check"), _("Optional: a rate to place within the comparables' range.")),
    "risk_free_rate": (_("Risk-free rate"), _("Yield of a government bond in the currency of the cash flows.")),
    "equity_risk_premium": (_("Equity risk premium"), ""),
    "size_premium": (_("Size premium"), ""),
    "industry_premium": (_("Industry premium"), ""),
    "country_risk_premium": (_("Country risk premium"), ""),
    "asset_specific_premium": (_("Asset-specific premium"), _("Extra return for the risks of this asset.")),
    # Options
    "spot": (_("Value of the underlying today"), ""),
    "strike": (_("Exercise price"), ""),
    "volatility": (_("Volatility"), _("Yearly volatility of the underlying value, for example 30%.")),
    "maturity": (_("Time to expiry (years)"), ""),
    "dividend_yield": (_("Dividend yield"), ""),
    "option": (_("Option"), ""),
    "option=call": (pgettext_lazy("option", "Call"), ""),
    "option=put": (pgettext_lazy("option", "Put"), ""),
    "steps": (_("Steps of the tree"), ""),
    "up": (_("Up factor"), ""),
    "down": (_("Down factor"), ""),
    "exercise": (_("Exercise"), ""),
    "exercise=european": (_("European (at expiry only)"), ""),
    "exercise=american": (_("American (at any time)"), ""),
    "pv_cash_flows": (
        _("Present value of the commercialisation cash flows"),
        _("What the product's cash flows are worth today if it is launched."),
    ),
    "development_cost": (_("Cost to develop and launch"), ""),
    "remaining_life": (_("Remaining patent life (years)"), ""),
    "cost_of_delay": (_("Cost of delay"), _("Leave empty to use 1 / remaining life.")),
    # Finance
    "collateral.appraised_value": (_("Appraised value of the IP"), _("The value of the IP offered as collateral.")),
    "confidence_percentile": (_("Confidence percentile"), ""),
    "disposal_discount": (_("Forced-sale discount"), _("How much less the IP would fetch if sold after a default.")),
    "time_to_sell_years": (_("Time to sell (years)"), _("How long selling the IP after a default would take.")),
    "ltv_cap": (_("Loan-to-value cap"), _("The largest share of the lending value the bank lends.")),
    "loan_cap_amount": (_("Loan ceiling"), _("An absolute maximum loan, if the scheme has one.")),
    "requested_loan": (_("Loan requested"), ""),
    "guarantee_share": (_("Guarantee cover"), _("Share of the loss a guarantee fund covers.")),
    "guarantee_fee_rate": (_("Guarantee fee (yearly)"), ""),
    "insurance_cover": (_("Insurance cover"), _("Share of the remaining loss covered by insurance.")),
    "probability_of_default": (_("Probability of default"), _("The chance the borrower defaults, for example 3%.")),
    "loan_term_years": (_("Loan term (years)"), ""),
    "preset": (_("Published scheme"), _("Fill the cap and guarantee as a published scheme does.")),
    "preset=malaysia-ipfs": (_("Malaysia IP Financing Scheme"), ""),
    # xgettext:no-python-format
    "preset=uk-bank-50": (_("UK bank practice (50% cap)"), ""),
    "upfront_fee": (_("Upfront fee"), ""),
    "milestones": (_("Milestone payments"), _("One line per milestone: year; amount; probability; name.")),
    "milestones.year": (_("Year"), ""),
    "milestones.amount": (_("Amount"), ""),
    "milestones.probability": (_("Probability"), ""),
    "milestones.name": (_("Name"), ""),
    "minimum_annual_royalty": (_("Minimum annual royalty"), ""),
    "term_years": (_("Term of the licence (years)"), ""),
    "licensee_operating_margin": (_("Licensee's operating margin"), ""),
    "licensee_profit_share_to_licensor": (
        _("Licensor's share of the licensee's profit"),
        # xgettext:no-python-format
        _("25% under the 25% rule, a heuristic."),
    ),
    "royalty_rate_range.low": (_("Royalty rate, low"), ""),
    "royalty_rate_range.high": (_("Royalty rate, high"), ""),
    "loans": (
        _("Loans"),
        _("One line per loan: exposure; probability of default; loss given default; sector; name."),
    ),
    "loans.exposure": (_("Exposure"), ""),
    "loans.probability_of_default": (_("Probability of default"), ""),
    "loans.loss_given_default": (_("Loss given default"), ""),
    "loans.sector": (_("Sector"), ""),
    "loans.name": (_("Name"), ""),
    "correlation": (_("Correlation of defaults"), _("How much defaults move together, for example 15%.")),
    "scenarios": (_("Scenarios"), ""),
    "seed": (_("Seed"), _("Fix it to get the same result every time.")),
    "confidence": (_("Confidence level"), _("For example 99%.")),
    "percentiles": (_("Percentiles"), ""),
    "top_contributors": (_("Largest contributors to list"), ""),
}


def field_text(path: str) -> tuple[str, str]:
    """The label and the explanation of an input (English name of the field when none is written)."""
    label, help_text = FIELD_TEXTS.get(path, (path.rsplit(".", 1)[-1].replace("_", " ").capitalize(), ""))
    return str(label), str(help_text)


OUTPUT_TEXTS: dict[str, Promise] = {
    "period": _("Year"),
    "revenue": _("Revenue"),
    "royalty_after_tax": _("Royalty saved, after tax"),
    "discount_factor": _("Discount factor"),
    "present_value": _("Present value"),
    "cash_flow": _("Cash flow"),
    "profit_after_tax": _("Profit after tax"),
    "contributory_charges": _("Contributory asset charges"),
    "excess_earnings": _("Excess earnings"),
    "with": _("With the asset"),
    "without": _("Without the asset"),
    "incremental": _("Difference"),
    "value_before_tab": _("Value before the tax amortisation benefit"),
    "tab_factor": _("Tax amortisation benefit factor"),
    "terminal_value_present": _("Present value of the terminal value"),
    "implied_royalty_rate": _("Implied royalty rate"),
    "lending_value": _("Lending value"),
    "maximum_loan": _("Maximum loan"),
    "expected_loss": _("Expected loss"),
    "loss_given_default": _("Loss given default"),
    "value_at_risk": _("Value at risk"),
    "expected_shortfall": _("Expected shortfall"),
    "npv_licensor": _("NPV for the licensor"),
    "npv_licensee": _("NPV for the licensee"),
}


def output_label(key: str) -> str:
    """The label of a result figure or schedule column (the key itself, readable, when none is written)."""
    return str(OUTPUT_TEXTS.get(key, key.replace("_", " ").capitalize()))
