"""The guided start: who you are, what you hold, what information you have -> methods that fit, and why.

The ranking follows DIN 77100 (patent valuation), which prefers income-based methods, with the licence analogy
(relief from royalty) first where comparable royalty rates exist, market-based methods where comparable
transactions exist, and cost-based methods last; ISO 10668 for brands; IVS 210 for intangible assets generally.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

PROFILES = [
    ("sme", _("Small firm or start-up")),
    ("university", _("University or research institute")),
    ("bank", _("Bank or lender")),
    ("office", _("IP office or valuer")),
]
ASSET_TYPES = [
    ("patent", _("Patent")),
    ("trademark", _("Trademark")),
    ("industrial_design", _("Industrial design")),
    ("copyright_software", _("Copyright or software")),
    ("know_how", _("Know-how")),
]
INFORMATION = [
    ("forecasts", _("Revenue forecasts for the product or service that uses the asset")),
    ("royalties", _("Royalty rates of comparable licences")),
    ("profits", _("Profit figures of the business that uses the asset")),
    ("sales", _("Prices paid for comparable IP")),
    ("costs", _("Records of what developing the asset cost")),
    ("early", _("The product is not on the market yet; launching it still costs money")),
]


@dataclass(frozen=True)
class Suggestion:
    method: str
    title: Promise
    reason: Promise


TITLES = {
    "relief-from-royalty": _("Relief from royalty (licence analogy)"),
    "royalty-rate-range": _("Royalty rate range from comparable licences"),
    "mpeem": _("Excess earnings"),
    "with-and-without": _("With and without"),
    "premium-profit": _("Premium profit"),
    "profit-split": _("Profit split"),
    "patent-option": _("Patent as a real option"),
    "market-comparables": _("Comparable transactions"),
    "cost": _("Cost approach"),
    "scorecard": _("IP scorecard"),
    "loan-assessment": _("IP-backed loan assessment"),
    "loan-book": _("Book of IP-backed loans"),
    "licence": _("Licence calculator"),
    "discount-rate": _("Discount rate build-up"),
    "npv": _("Net present value"),
}


def suggest(profile: str, asset: str, information: set[str]) -> list[Suggestion]:
    """Methods in the order DIN 77100 ranks them for what the user has, each with the reason."""
    found: list[Suggestion] = []

    def add(method: str, reason: Promise) -> None:
        if all(item.method != method for item in found):
            found.append(Suggestion(method, TITLES[method], reason))

    if "forecasts" in information and "royalties" in information:
        add(
            "relief-from-royalty",
            _("You have forecasts and comparable royalty rates: DIN 77100 and ISO 10668 prefer the licence analogy."),
        )
    if "royalties" in information:
        add("royalty-rate-range", _("Turns comparable royalty rates into a defensible range for the rate to use."))
    if "forecasts" in information and "profits" in information:
        add("mpeem", _("With profit figures, the earnings left after every other asset's return measure the asset."))
        add("with-and-without", _("Compares the business with and without the asset: the difference is its value."))
        if asset == "trademark":
            add("premium-profit", _("A brand often lets its owner charge more: the premium measures its value."))
        add("profit-split", _("A quick check: a share of the profit. A heuristic, to corroborate other methods."))
    if "early" in information and asset in ("patent", "know_how", "copyright_software"):
        add("patent-option", _("Early stage: the right to wait and decide whether to launch has value of its own."))
    if "sales" in information:
        add("market-comparables", _("Prices of comparable IP show what the market pays, after adjustments."))
    if "forecasts" in information and "royalties" not in information and "profits" not in information:
        add("relief-from-royalty", _("With forecasts, a royalty rate from published ranges gives a first estimate."))
    if "costs" in information:
        add(
            "cost",
            _("DIN 77100 ranks the cost approach last: it shows what the asset cost, not what it will earn."),
        )
    if profile == "bank":
        add("loan-assessment", _("For a loan secured on IP: lending value, loan-to-value and expected loss."))
        add("loan-book", _("For a whole book of IP-backed loans: expected loss and value at risk."))
    if profile == "university":
        add("licence", _("Prices a licence: upfront fee, royalties and milestones, for both parties."))
    add("scorecard", _("A quick qualitative read of the asset's strengths and risks, before a full valuation."))
    return found
