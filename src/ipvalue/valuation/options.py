"""Real options: Black-Scholes-Merton, the Cox-Ross-Rubinstein binomial tree and a patent as a call option.

Every kernel takes its inputs as a mapping in which any numeric input may be a number or an array of scenarios of
shape ``(n,)`` and returns the value of each scenario (shape ``()`` or ``(n,)``); ``option`` and ``exercise`` are
settings, not scenarios. Rates and yields are continuously compounded, as in option pricing (Hull, ch. 4 and 15).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

import numpy as np
from pydantic import Field, model_validator
from scipy.special import gammaln, ndtr, xlogy

from ipvalue.valuation.core import (
    FloatArray,
    Inputs,
    Kernel,
    Method,
    ValuationResult,
    conventions,
    field_error,
    register,
    to_float,
)

OptionKind = Literal["call", "put"]
Exercise = Literal["european", "american"]

_SQRT_2PI = float(np.sqrt(2.0 * np.pi))
_BLOCK_NODES = 1 << 21  # scenarios x nodes of a binomial tree's arrays: 2,097,152 numbers, 16 MB an array
_TREE_INPUTS = ("spot", "strike", "rate", "maturity", "volatility", "up", "down", "dividend_yield")
_RATE_CONVENTION = "continuously compounded (discount factor e^(-rT)); from an annual rate R use ln(1 + R)"
_YIELD_CONVENTION = (
    "continuous dividend yield / cost of delay q (the underlying grows at r - q under the risk-neutral measure)"
)


def _array(value: Any) -> FloatArray:
    return np.asarray(value, dtype=np.float64)


def _node_axis(value: Any) -> FloatArray:
    """A scenario input as an array that broadcasts against a tree's node axis: shape ``(n, 1)`` or ``(1,)``."""
    return _array(value)[..., np.newaxis]


def _normal_pdf(x: FloatArray) -> FloatArray:
    return np.exp(-0.5 * x * x) / _SQRT_2PI


# --- Black-Scholes-Merton ---------------------------------------------------------------------------------------------

Spot = Field(gt=0.0, description="Price (value) of the underlying asset today")
Strike = Field(gt=0.0, description="Exercise (strike) price")
OptionRate = Field(gt=-1.0, le=10.0, description="Risk-free rate, continuously compounded, as a decimal")
Volatility = Field(gt=0.0, le=5.0, description="Volatility of the underlying's return, a yearly decimal (0.2 = 20%)")
Maturity = Field(gt=0.0, le=200.0, description="Time to expiry, in years")
DividendYield = Field(0.0, ge=0.0, le=10.0, description="Continuous dividend yield of the underlying, as a decimal")


class BlackScholesInputs(Inputs):
    spot: float = Spot
    strike: float = Strike
    rate: float = OptionRate
    volatility: float = Volatility
    maturity: float = Maturity
    dividend_yield: float = DividendYield
    option: OptionKind = Field(description="call or put")


def bsm_d1_d2(params: Mapping[str, Any]) -> tuple[FloatArray, FloatArray]:
    """d1 = [ln(S/K) + (r - q + sigma^2/2) T] / (sigma sqrt T), d2 = d1 - sigma sqrt T (Merton 1973; Hull, Options,
    Futures and Other Derivatives, 10th ed., sections 15.8 and 17.4)."""
    spot, strike = _array(params["spot"]), _array(params["strike"])
    rate, maturity = _array(params["rate"]), _array(params["maturity"])
    volatility, dividend = _array(params["volatility"]), _array(params.get("dividend_yield", 0.0))
    spread = volatility * np.sqrt(maturity)
    d1 = (np.log(spot / strike) + (rate - dividend + 0.5 * volatility * volatility) * maturity) / spread
    return d1, d1 - spread


def black_scholes_kernel(params: Mapping[str, Any]) -> FloatArray:
    """Black-Scholes-Merton with a continuous dividend yield q (Merton 1973; Hull, 10th ed., eq. 17.4 and 17.5):

    c = S e^(-qT) N(d1) - K e^(-rT) N(d2),  p = K e^(-rT) N(-d2) - S e^(-qT) N(-d1).
    """
    d1, d2 = bsm_d1_d2(params)
    maturity = _array(params["maturity"])
    carried = _array(params["spot"]) * np.exp(-_array(params.get("dividend_yield", 0.0)) * maturity)
    discounted = _array(params["strike"]) * np.exp(-_array(params["rate"]) * maturity)
    if params.get("option", "call") == "call":
        return carried * ndtr(d1) - discounted * ndtr(d2)
    return discounted * ndtr(-d2) - carried * ndtr(-d1)


def black_scholes_greeks(params: Mapping[str, Any]) -> dict[str, FloatArray]:
    """The Greek letters with a dividend yield (Hull, 10th ed., ch. 19, Table 19.6): delta, gamma, vega (per 1.00 of
    volatility), theta (per year) and rho (per 1.00 of rate)."""
    d1, d2 = bsm_d1_d2(params)
    spot, strike = _array(params["spot"]), _array(params["strike"])
    rate, maturity = _array(params["rate"]), _array(params["maturity"])
    volatility, dividend = _array(params["volatility"]), _array(params.get("dividend_yield", 0.0))
    root = np.sqrt(maturity)
    carry, discount = np.exp(-dividend * maturity), np.exp(-rate * maturity)
    density = _normal_pdf(d1)
    decay = -spot * density * volatility * carry / (2.0 * root)
    if params.get("option", "call") == "call":
        delta = carry * ndtr(d1)
        theta = decay + dividend * spot * ndtr(d1) * carry - rate * strike * discount * ndtr(d2)
        rho = strike * maturity * discount * ndtr(d2)
    else:
        delta = carry * (ndtr(d1) - 1.0)
        theta = decay - dividend * spot * ndtr(-d1) * carry + rate * strike * discount * ndtr(-d2)
        rho = -strike * maturity * discount * ndtr(-d2)
    return {
        "delta": delta,
        "gamma": carry * density / (spot * volatility * root),
        "vega": spot * carry * density * root,
        "theta": theta,
        "rho": rho,
    }


def black_scholes_evaluate(inputs: BlackScholesInputs) -> ValuationResult:
    params = inputs.model_dump()
    d1, d2 = bsm_d1_d2(params)
    breakdown = {"d1": to_float(d1), "d2": to_float(d2)}
    breakdown.update({name: to_float(greek) for name, greek in black_scholes_greeks(params).items()})
    warnings = []
    if inputs.volatility > 1.0:
        warnings.append(f"A volatility of {inputs.volatility:.0%} a year is very high; check the estimate.")
    if inputs.option == "put" or inputs.dividend_yield > 0:
        warnings.append(
            "The value is for European exercise; an American option may be worth more (use binomial with "
            "exercise american)."
        )
    return ValuationResult(
        method="black-scholes",
        value=to_float(black_scholes_kernel(params)),
        breakdown=breakdown,
        conventions=conventions(
            rates=_RATE_CONVENTION,
            dividend_yield=_YIELD_CONVENTION,
            exercise="european",
            greeks="delta and gamma per unit of spot; vega per 1.00 of volatility; theta per year; rho per 1.00 "
            "of rate",
        ),
        assumptions=[
            "The underlying follows a geometric Brownian motion: lognormal prices, constant volatility.",
            "The risk-free rate and the dividend yield are constant; no transaction costs; exercise only at expiry.",
        ],
        warnings=warnings,
        source="Black & Scholes (1973); Merton (1973) for the dividend yield; Hull, Options, Futures and Other "
        "Derivatives, 10th ed., ch. 15 and 17 (eq. 17.4-17.5); Greeks from Hull ch. 19",
    )


# --- Cox-Ross-Rubinstein binomial tree --------------------------------------------------------------------------------


class BinomialInputs(Inputs):
    spot: float = Spot
    strike: float = Strike
    rate: float = OptionRate
    maturity: float = Maturity
    steps: int = Field(ge=1, le=5000, description="Number of time steps of the tree")
    volatility: float | None = Field(
        None, gt=0.0, le=5.0, description="Volatility, for u = e^(sigma sqrt(dt)), d = 1/u. Or give up and down."
    )
    up: float | None = Field(None, gt=0.0, description="Up factor of one step (u). Give with down, not volatility.")
    down: float | None = Field(None, gt=0.0, description="Down factor of one step (d). Give with up, not volatility.")
    dividend_yield: float = DividendYield
    option: OptionKind = Field(description="call or put")
    exercise: Exercise = Field("european", description="european (at expiry only) or american (at any node)")

    @model_validator(mode="after")
    def _tree_given_once(self) -> BinomialInputs:
        name = type(self).__name__
        if self.volatility is not None:
            for factor in ("up", "down"):
                if getattr(self, factor) is not None:
                    raise field_error(name, factor, "give volatility, or up and down, not both", getattr(self, factor))
        else:
            if self.up is None:
                raise field_error(name, "up", "give volatility, or both up and down", None)
            if self.down is None:
                raise field_error(name, "down", "give volatility, or both up and down", None)
            if self.down >= self.up:
                raise field_error(name, "down", f"down must be below up ({self.up:g})", self.down)
        up, down = binomial_factors(self.model_dump())
        growth = np.exp((self.rate - self.dividend_yield) * self.maturity / self.steps)
        probability = float((growth - down) / (up - down))
        if not 0.0 <= probability <= 1.0:
            if self.volatility is not None:
                field, hint = "volatility", "raise volatility or steps"
            else:
                field, hint = ("up", "raise up") if probability > 1.0 else ("down", "lower down")
            message = (
                f"the risk-neutral probability p = (e^((r-q)dt) - d) / (u - d) = {probability:.4g} is outside [0, 1]: "
                f"e^((r-q)dt) = {float(growth):.6g} must lie between d = {float(down):.6g} and u = {float(up):.6g} "
                f"({hint}), else the tree allows arbitrage"
            )
            raise field_error(name, field, message, getattr(self, field))
        return self


def binomial_factors(params: Mapping[str, Any]) -> tuple[FloatArray, FloatArray]:
    """u and d of one step: u = e^(sigma sqrt(dt)), d = 1/u (Cox, Ross & Rubinstein 1979; Hull, 10th ed., eq. 13.15
    and 13.16), or the given up and down factors."""
    if params.get("volatility") is None:
        return _array(params["up"]), _array(params["down"])
    up = np.exp(_array(params["volatility"]) * np.sqrt(_array(params["maturity"]) / int(params["steps"])))
    return up, 1.0 / up


def _tree_parameters(params: Mapping[str, Any]) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """u, d, the risk-neutral probability p = (e^((r-q)dt) - d) / (u - d) and the one-step discount e^(-r dt)
    (Hull, 10th ed., eq. 13.2 and section 13.11 for the dividend yield)."""
    up, down = binomial_factors(params)
    step = _array(params["maturity"]) / int(params["steps"])
    rate = _array(params["rate"])
    growth = np.exp((rate - _array(params.get("dividend_yield", 0.0))) * step)
    return up, down, (growth - down) / (up - down), np.exp(-rate * step)


def _payoff(prices: FloatArray, strike: FloatArray, option: str) -> FloatArray:
    return np.maximum(prices - strike if option == "call" else strike - prices, 0.0)


def _node_prices(spot: FloatArray, up: FloatArray, down: FloatArray, level: int) -> FloatArray:
    """S u^j d^(level - j) for j = 0..level (j up moves), shape ``(n, level + 1)`` or ``(level + 1,)``."""
    moves = np.arange(level + 1, dtype=np.float64)
    return spot * np.exp(moves * np.log(up) + (level - moves) * np.log(down))


def _european_tree(params: Mapping[str, Any]) -> FloatArray:
    steps = int(params["steps"])
    up, down, probability, discount = (_node_axis(v) for v in _tree_parameters(params))
    moves = np.arange(steps + 1, dtype=np.float64)
    log_weights = (
        gammaln(steps + 1.0)
        - gammaln(moves + 1.0)
        - gammaln(steps - moves + 1.0)
        + xlogy(moves, probability)
        + xlogy(steps - moves, 1.0 - probability)
    )
    prices = _node_prices(_node_axis(params["spot"]), up, down, steps)
    payoff = _payoff(prices, _node_axis(params["strike"]), params.get("option", "call"))
    weights = np.exp(_array(log_weights))
    return _array(np.sum(weights * payoff, axis=-1)) * discount[..., 0] ** steps


def _american_tree(params: Mapping[str, Any]) -> FloatArray:
    steps = int(params["steps"])
    up, down, probability, discount = (_node_axis(v) for v in _tree_parameters(params))
    strike, option = _node_axis(params["strike"]), params.get("option", "call")
    up_weight, down_weight = discount * probability, discount * (1.0 - probability)
    prices = _node_prices(_node_axis(params["spot"]), up, down, steps)
    values = _payoff(prices, strike, option)
    for _level in range(steps):  # from level + 1 to level: S u^j d^(level - j) = S u^j d^(level + 1 - j) / d
        prices = prices[..., :-1] / down
        values = np.maximum(
            up_weight * values[..., 1:] + down_weight * values[..., :-1], _payoff(prices, strike, option)
        )
    return values[..., 0]


def _in_blocks(tree: Kernel, params: Mapping[str, Any]) -> FloatArray:
    """Run ``tree`` on blocks of scenarios so that a block's node arrays hold about ``_BLOCK_NODES`` numbers: a Monte
    Carlo chunk of 131,072 scenarios at 5,000 steps would otherwise need arrays of 5 GB each. A loop over blocks of
    scenarios (a few hundred at 5,000 steps), not over scenarios."""
    nodes = int(params["steps"]) + 1
    arrays = {name: _array(params[name]) for name in _TREE_INPUTS if params.get(name) is not None}
    shape = np.broadcast_shapes(*(array.shape for array in arrays.values()))
    if len(shape) != 1 or shape[0] * nodes <= _BLOCK_NODES:
        return tree(params)
    block = max(1, _BLOCK_NODES // nodes)
    scenarios = {name: np.broadcast_to(array, shape) for name, array in arrays.items() if array.ndim}
    return np.concatenate(
        [
            tree({**params, **{name: array[start : start + block] for name, array in scenarios.items()}})
            for start in range(0, shape[0], block)
        ]
    )


def binomial_european_kernel(params: Mapping[str, Any]) -> FloatArray:
    """European value as the closed sum over the N + 1 terminal nodes (Cox, Ross & Rubinstein 1979, eq. 6;
    Hull, 10th ed., section 13.10):

    V = e^(-rT) sum_j C(N, j) p^j (1 - p)^(N - j) payoff(S u^j d^(N - j)),

    with the binomial coefficients in log space (``gammaln``) so that N up to 5000 does not overflow. Arrays of shape
    ``(n, N + 1)``, in blocks of scenarios.
    """
    return _in_blocks(_european_tree, params)


def binomial_american_kernel(params: Mapping[str, Any]) -> FloatArray:
    """American value by backward induction, V = max(payoff(S), e^(-r dt) [p V_up + (1 - p) V_down]) at each node
    (Cox, Ross & Rubinstein 1979; Hull, 10th ed., sections 13.8 and 21.1). Arrays of shape ``(n, nodes)``, one loop
    over the steps, in blocks of scenarios; the cost grows as n N^2 / 2."""
    return _in_blocks(_american_tree, params)


def binomial_kernel(params: Mapping[str, Any]) -> FloatArray:
    """Cox-Ross-Rubinstein binomial value, European or American as ``exercise`` says."""
    if params.get("exercise", "european") == "american":
        return binomial_american_kernel(params)
    return binomial_european_kernel(params)


def binomial_evaluate(inputs: BinomialInputs) -> ValuationResult:
    params = inputs.model_dump()
    up, down, probability, _discount = _tree_parameters(params)
    european = to_float(binomial_european_kernel(params))
    breakdown = {"up": to_float(up), "down": to_float(down), "probability_up": to_float(probability)}
    value = european
    if inputs.exercise == "american":
        value = to_float(binomial_american_kernel(params))
        breakdown["european_value"] = european
        breakdown["early_exercise_premium"] = value - european
    warnings = []
    if inputs.volatility is not None and inputs.steps < 50:
        warnings.append(
            f"A tree of {inputs.steps} steps is coarse; the value converges to the continuous-time value only as "
            "steps grow (a few hundred are usual)."
        )
    assumptions = [
        "The underlying moves up by u or down by d each step; values are risk-neutral expectations discounted at "
        "the risk-free rate.",
    ]
    if inputs.volatility is not None:
        assumptions.append("u = e^(sigma sqrt(dt)) and d = 1/u (Cox-Ross-Rubinstein): lognormal in the limit.")
    if inputs.exercise == "american":
        assumptions.append("The holder exercises at the first node where exercise is worth more than holding.")
    return ValuationResult(
        method="binomial",
        value=value,
        breakdown=breakdown,
        conventions=conventions(
            rates=_RATE_CONVENTION,
            dividend_yield=_YIELD_CONVENTION,
            exercise=inputs.exercise,
            tree=f"Cox-Ross-Rubinstein, {inputs.steps} steps of {inputs.maturity / inputs.steps:.6g} years",
        ),
        assumptions=assumptions,
        warnings=warnings,
        source="Cox, Ross & Rubinstein, Option pricing: a simplified approach, J. Financial Economics 7 (1979); Hull, "
        "Options, Futures and Other Derivatives, 10th ed., ch. 13 and 21",
    )


# --- Patent as a call option ------------------------------------------------------------------------------------------


class PatentOptionInputs(Inputs):
    pv_cash_flows: float = Field(
        gt=0.0, description="Present value of the cash flows from commercialising the patent today (S)"
    )
    development_cost: float = Field(gt=0.0, description="Cost of developing the product for commercial use (K)")
    remaining_life: float = Field(gt=0.0, le=100.0, description="Remaining life of the patent, in years (T)")
    volatility: float = Field(
        gt=0.0, le=5.0, description="Volatility of the present value of the cash flows, a yearly decimal"
    )
    rate: float = Field(
        gt=-1.0, le=10.0, description="Risk-free rate for the remaining life, continuously compounded, as a decimal"
    )
    cost_of_delay: float | None = Field(
        None, ge=0.0, le=10.0, description="Yearly cost of delay, a continuous yield; default 1 / remaining_life"
    )


def _patent_as_bsm(params: Mapping[str, Any]) -> dict[str, Any]:
    """The patent as Black-Scholes-Merton inputs: S, K, T, sigma, r and q = the cost of delay (1/T if not given)."""
    delay = params.get("cost_of_delay")
    if delay is None:
        delay = 1.0 / _array(params["remaining_life"])
    return {
        "spot": params["pv_cash_flows"],
        "strike": params["development_cost"],
        "rate": params["rate"],
        "volatility": params["volatility"],
        "maturity": params["remaining_life"],
        "dividend_yield": delay,
        "option": "call",
    }


def patent_option_kernel(params: Mapping[str, Any]) -> FloatArray:
    """A patent as a call on the product: value = S e^(-yT) N(d1) - K e^(-rT) N(d2), the dividend-adjusted
    Black-Scholes call with the cost of delay y as the dividend yield (Damodaran, The Promise and Peril of Real
    Options, NYU Stern 2000, and Damodaran on Valuation, 2nd ed., ch. 12, "Valuing a patent")."""
    return black_scholes_kernel(_patent_as_bsm(params))


def patent_option_evaluate(inputs: PatentOptionInputs) -> ValuationResult:
    params = inputs.model_dump()
    bsm = _patent_as_bsm(params)
    d1, d2 = bsm_d1_d2(bsm)
    value = to_float(patent_option_kernel(params))
    delay = to_float(_array(bsm["dividend_yield"]))
    intrinsic = max(inputs.pv_cash_flows - inputs.development_cost, 0.0)
    assumptions = [
        "The patent is a European call on the product: the firm develops it only if the present value of its cash "
        "flows (S) exceeds the development cost (K), which is constant.",
        "The present value of the cash flows is lognormal with the given volatility (Black-Scholes-Merton).",
        "Excess returns exist only during the patent's life; competition removes them afterwards.",
    ]
    warnings = []
    if inputs.cost_of_delay is None:
        assumptions.append(
            f"Cost of delay = 1 / remaining life = 1/{inputs.remaining_life:g} = {delay:.4%} a year (Damodaran): it "
            "assumes the patent-protected cash flows are lost evenly over the remaining life, so each year of delay "
            "costs one year of them."
        )
        warnings.append(
            "cost_of_delay was not given: 1 / remaining_life is used, which assumes the cash flows are lost evenly "
            "over the remaining life; give cost_of_delay if they are not."
        )
    else:
        assumptions.append(f"Cost of delay {delay:.4%} a year, as given, treated as a continuous dividend yield.")
    if inputs.volatility > 1.0:
        warnings.append(f"A volatility of {inputs.volatility:.0%} a year is very high; check the estimate.")
    return ValuationResult(
        method="patent-option",
        value=value,
        breakdown={
            "d1": to_float(d1),
            "d2": to_float(d2),
            "cost_of_delay": delay,
            "intrinsic_value": intrinsic,
            "time_value": value - intrinsic,
        },
        conventions=conventions(
            rates=_RATE_CONVENTION,
            cost_of_delay="continuous yield, the dividend yield of the Black-Scholes-Merton call",
            exercise="european, at the end of the remaining life",
        ),
        assumptions=assumptions,
        warnings=warnings,
        source="Damodaran, The Promise and Peril of Real Options (NYU Stern, 2000) and Damodaran on Valuation, "
        "2nd ed., ch. 12 (patent as a call option, cost of delay 1/n); Black-Scholes-Merton as in black-scholes",
    )


_BSM_UNCERTAIN = frozenset({"spot", "strike", "rate", "volatility", "maturity", "dividend_yield"})

register(
    Method(
        "black-scholes",
        "Black-Scholes-Merton value of a European call or put, with a continuous dividend yield",
        BlackScholesInputs,
        black_scholes_evaluate,
        black_scholes_kernel,
        _BSM_UNCERTAIN,
    )
)
register(
    Method(
        "binomial",
        "Cox-Ross-Rubinstein binomial tree for a European or American call or put",
        BinomialInputs,
        binomial_evaluate,
        binomial_kernel,
        _BSM_UNCERTAIN | {"up", "down"},
    )
)
register(
    Method(
        "patent-option",
        "A patent as a call option on its commercialisation (Damodaran), with a cost of delay",
        PatentOptionInputs,
        patent_option_evaluate,
        patent_option_kernel,
        frozenset({"pv_cash_flows", "development_cost", "remaining_life", "volatility", "rate", "cost_of_delay"}),
    )
)
