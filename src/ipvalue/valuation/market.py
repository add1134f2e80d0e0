"""Market approach: comparable transactions and royalty-rate ranges (IVS 105 section 20 ff.; IVS 210; DOMAIN.md).

``market-comparables``: each comparable transaction's price is adjusted for its differences from the subject asset
with a sales-comparison grid. The adjustments are percentages of the comparable's price and are ADDED, not chained:

    adjusted price_i = price_i x (1 + sum over k of adjustment_ik)
    value            = sum_i w_i x adjusted price_i / sum_i w_i          (equal weights unless given)

Additive percentage adjustments are the usual grid for the characteristics of the asset (Appraisal Institute, The
Appraisal of Real Estate, sales comparison approach; IVS 105 20.x on comparable transactions). The gross adjustment
(sum of absolute adjustments) measures how far a comparable is from the subject; above 25% it is flagged, as a
comparable that needs large adjustments is a weak one.

``royalty-rate-range``: the royalty rates of comparable licences, summarised by their median and inclusive quartiles,
i.e. Hyndman & Fan (1996) definition 7, numpy ``quantile(method="linear")`` and Excel QUARTILE.INC: for sorted rates
x_0..x_(m-1), the p-quantile is x at position h = p (m - 1), interpolated linearly between neighbours. The
interquartile range narrows a range of comparables as in the OECD Transfer Pricing Guidelines (2022), 3.57.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Annotated, Any

import numpy as np
from pydantic import Field, field_validator

from ipvalue.valuation.core import FloatArray, Inputs, Method, ValuationResult, conventions, register, to_float

ADJUSTMENT_LIMIT = 0.25  # gross adjustment above which a comparable is flagged as unreliable
FEW = 3  # fewer comparables or rates than this is flagged


def _number(value: Any, default: float = 0.0) -> FloatArray:
    return np.asarray(default if value is None else value, dtype=np.float64)


# --- Comparable transactions ------------------------------------------------------------------------------------------

Adjustment = Annotated[float, Field(ge=-1.0, le=1.0)]


class Comparable(Inputs):
    name: str = Field(min_length=1, description="The comparable transaction, e.g. the licence or sale it comes from")
    price: float = Field(gt=0.0, description="The price paid, in the currency of the valuation")
    adjustments: dict[str, Adjustment] = Field(
        default_factory=dict,
        description="Named percentage adjustments to the price, as decimals from -1 to 1, added together: "
        '{"size": -0.10, "remaining_life": 0.05} adjusts the price by -5%',
    )
    weight: float | None = Field(None, gt=0.0, description="Weight in the mean; give it for all comparables or none")

    @field_validator("adjustments")
    @classmethod
    def _adjusted_price_positive(cls, value: dict[str, float]) -> dict[str, float]:
        if sum(value.values()) <= -1.0:
            raise ValueError("the adjustments add up to -100% or less, so the adjusted price would not be positive")
        return value


class MarketComparablesInputs(Inputs):
    comparables: list[Comparable] = Field(min_length=1, description="Comparable transactions, at least one")

    @field_validator("comparables")
    @classmethod
    def _weights_all_or_none(cls, value: list[Comparable]) -> list[Comparable]:
        given = [comparable.weight is not None for comparable in value]
        if any(given) and not all(given):
            raise ValueError("give a weight for every comparable, or for none (equal weights)")
        return value


def adjusted_prices(comparables: Sequence[Mapping[str, Any]]) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Net adjustments, adjusted prices and weights, each stacked with the comparables first: shape ``(m,)`` or
    ``(m, n)`` when any price, adjustment or weight is an array of ``n`` scenarios."""
    nets: list[FloatArray] = []
    prices: list[FloatArray] = []
    weights: list[FloatArray] = []
    for comparable in comparables:
        net = np.zeros((), dtype=np.float64)
        for adjustment in (comparable.get("adjustments") or {}).values():
            net = net + _number(adjustment)
        nets.append(net)
        prices.append(_number(comparable["price"]) * (1.0 + net))
        weights.append(_number(comparable.get("weight"), 1.0))
    count = len(prices)
    stacked = np.stack(np.broadcast_arrays(*nets, *prices, *weights))
    return stacked[:count], stacked[count : 2 * count], stacked[2 * count :]


def comparables_kernel(params: Mapping[str, Any]) -> FloatArray:
    """V = sum_i w_i P_i (1 + sum_k a_ik) / sum_i w_i (additive sales-comparison grid; IVS 105 market approach).

    ``params["comparables"]`` is a list of ``{"price", "adjustments", "weight"}`` in which any number may be an array
    of scenarios of shape ``(n,)``.
    """
    _nets, prices, weights = adjusted_prices(params["comparables"])
    return np.asarray(np.sum(prices * weights, axis=0) / np.sum(weights, axis=0), dtype=np.float64)


def comparables_evaluate(inputs: MarketComparablesInputs) -> ValuationResult:
    params = inputs.model_dump()
    nets, prices, weights = adjusted_prices(params["comparables"])
    value = to_float(comparables_kernel(params)[..., np.newaxis])
    shares = weights / np.sum(weights)
    gross = [float(sum(abs(a) for a in comparable.adjustments.values())) for comparable in inputs.comparables]

    warnings = []
    if len(inputs.comparables) < FEW:
        warnings.append(
            f"Only {len(inputs.comparables)} comparable(s): the value rests on too few transactions; {FEW} or more "
            "are usually expected."
        )
    for comparable, net, gross_adjustment in zip(inputs.comparables, nets, gross, strict=True):
        if gross_adjustment > ADJUSTMENT_LIMIT + 1e-12:  # binary rounding of a sum of decimals
            warnings.append(
                f"Comparable {comparable.name!r} needs adjustments of {gross_adjustment:.0%} in total (net "
                f"{float(net):+.0%}), above {ADJUSTMENT_LIMIT:.0%}: it is an unreliable comparable."
            )

    weighted = any(comparable.weight is not None for comparable in inputs.comparables)
    return ValuationResult(
        method="market-comparables",
        value=value,
        breakdown={
            "low": float(np.min(prices)),
            "high": float(np.max(prices)),
            "median": float(np.median(prices)),
            "count": float(len(inputs.comparables)),
        },
        schedule=[
            {
                "comparable": float(index),
                "price": comparable.price,
                "net_adjustment": float(net),
                "gross_adjustment": gross_adjustment,
                "adjusted_price": float(price),
                "weight": float(weight),
                "weight_share": float(share),
            }
            for index, (comparable, net, gross_adjustment, price, weight, share) in enumerate(
                zip(inputs.comparables, nets, gross, prices, weights, shares, strict=True), start=1
            )
        ],
        conventions=conventions(
            adjustments="additive: adjusted price = price x (1 + sum of the percentage adjustments)",
            weights="as given" if weighted else "equal",
            unreliable_comparable=f"gross adjustment (sum of absolute adjustments) above {ADJUSTMENT_LIMIT:.0%}",
        ),
        assumptions=[
            "The comparable transactions were at arm's length, at or near the valuation date, for similar rights.",
            "Each adjustment is a percentage of the comparable's own price; the percentages are added, not chained.",
            "The value is the weighted mean of the adjusted prices.",
        ],
        warnings=warnings,
        source="Market approach, comparable transactions method: IVS 105 Valuation Approaches and Methods, section 20 "
        "ff., and IVS 210 Intangible Assets (IVSC); additive percentage adjustment grid as in the sales comparison "
        "approach (Appraisal Institute, The Appraisal of Real Estate)",
        extra={"comparable_names": [comparable.name for comparable in inputs.comparables]},
    )


# --- Royalty-rate range -----------------------------------------------------------------------------------------------

RoyaltyRate = Annotated[float, Field(ge=0.0, le=1.0)]


class RoyaltyRateRangeInputs(Inputs):
    rates: list[RoyaltyRate] = Field(
        min_length=1, description="Royalty rates of comparable licences, as decimals from 0 to 1 (0.05 = 5%)"
    )
    subject_rate: float | None = Field(
        None, ge=0.0, le=1.0, description="A royalty rate to position within the range, e.g. the subject's own"
    )


def rate_matrix(rates: Sequence[Any] | FloatArray) -> FloatArray:
    """The rates with the licence axis last: ``(m,)``, or ``(n, m)`` for ``n`` scenarios.

    ``rates`` is a list whose items are numbers or arrays of shape ``(n,)``, or already an array ``(m,)`` or ``(n, m)``
    (the layout Monte Carlo gives a list of numbers when one of its items varies, as for a per-period list).
    """
    if isinstance(rates, np.ndarray):
        return np.asarray(rates, dtype=np.float64)
    return np.stack(np.broadcast_arrays(*(_number(rate) for rate in rates)), axis=-1)


def royalty_range_kernel(params: Mapping[str, Any]) -> FloatArray:
    """The median of the rates (the "linear" 0.5-quantile, = Excel MEDIAN); see ``rate_matrix`` for the layouts."""
    return np.asarray(np.quantile(rate_matrix(params["rates"]), 0.5, axis=-1, method="linear"), dtype=np.float64)


def percentile_rank(rates: Sequence[float], subject: float) -> float:
    """Where ``subject`` lies in the rates, from 0 to 1: the inverse of the inclusive ("linear") quantile function.

    For sorted rates x_0..x_(m-1), a subject between x_j < s < x_(j+1) has rank (j + (s - x_j) / (x_(j+1) - x_j)) /
    (m - 1), so the first quartile has rank 0.25 (for distinct rates this is Excel PERCENTRANK.INC). A subject equal to
    rates at positions i..j (ties) has the middle rank (i + j) / 2 / (m - 1). Below the lowest rate it is 0, above the
    highest 1; with one rate, equal to it is 0.5.
    """
    ordered = np.sort(np.asarray(rates, dtype=np.float64))
    count = ordered.size
    if subject < ordered[0]:
        return 0.0
    if subject > ordered[-1]:
        return 1.0
    if count == 1:
        return 0.5
    first = int(np.searchsorted(ordered, subject, side="left"))
    last = int(np.searchsorted(ordered, subject, side="right")) - 1
    if first <= last:  # the subject is one of the rates
        return (first + last) / 2.0 / (count - 1)
    below, above = ordered[last], ordered[last + 1]
    return float((last + (subject - below) / (above - below)) / (count - 1))


def royalty_range_evaluate(inputs: RoyaltyRateRangeInputs) -> ValuationResult:
    rates = np.asarray(inputs.rates, dtype=np.float64)
    q1, q3 = (float(q) for q in np.quantile(rates, [0.25, 0.75], method="linear"))
    value = to_float(royalty_range_kernel(inputs.model_dump())[..., np.newaxis])
    breakdown = {
        "q1": q1,
        "q3": q3,
        "min": float(np.min(rates)),
        "max": float(np.max(rates)),
        "mean": float(np.mean(rates)),
        "count": float(rates.size),
    }
    warnings = []
    if rates.size < FEW:
        warnings.append(f"Only {rates.size} rate(s): quartiles of so few licences say little about the range.")
    if inputs.subject_rate is not None:
        breakdown["subject_percentile"] = percentile_rank(inputs.rates, inputs.subject_rate)
        if not q1 <= inputs.subject_rate <= q3:
            warnings.append(
                f"The subject rate {inputs.subject_rate:.2%} lies outside the interquartile range "
                f"{q1:.2%} to {q3:.2%} of the comparable licences."
            )
    return ValuationResult(
        method="royalty-rate-range",
        value=value,
        breakdown=breakdown,
        conventions=conventions(
            quartiles='inclusive: Hyndman & Fan definition 7, numpy method="linear", Excel QUARTILE.INC',
            subject_percentile="inverse of the inclusive quantile function (Excel PERCENTRANK.INC for distinct rates)",
        ),
        assumptions=[
            "The licences are comparable to the subject's: similar rights, field, territory, exclusivity and terms.",
            "Each licence counts once, with equal weight.",
        ],
        warnings=warnings,
        source="Market approach, royalty rates from comparable licences: IVS 105 section 20 ff. and IVS 210 "
        "Intangible Assets (IVSC); interquartile range as in the OECD Transfer Pricing Guidelines (2022) 3.57; "
        "quartiles: Hyndman & Fan (1996), Sample quantiles in statistical packages, definition 7",
    )


register(
    Method(
        "market-comparables",
        "Comparable transactions: weighted mean of prices adjusted with an additive percentage grid",
        MarketComparablesInputs,
        comparables_evaluate,
        comparables_kernel,
    )
)
register(
    Method(
        "royalty-rate-range",
        "Median and interquartile range of royalty rates from comparable licences",
        RoyaltyRateRangeInputs,
        royalty_range_evaluate,
        royalty_range_kernel,
    )
)
