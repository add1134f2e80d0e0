"""Real-options methods: published worked examples, no-arbitrage properties, vectorised kernels and validation.

Sources of the worked examples:

- J. Hull, Options, Futures and Other Derivatives (10th ed.): Example 15.6 (Black-Scholes, S=42, K=40, r=10%,
  sigma=20%, T=0.5: call 4.7594, put 0.8086, d1 0.7693, d2 0.6278); the one-step binomial example of ch. 13
  (S=20, K=21, u=1.1, d=0.9, r=12%, T=3 months: 0.633); the two-step put of ch. 13 (S=50, K=52, u=1.2, d=0.8,
  r=5%, T=2: European 4.1923, American 5.0894); Example 21.1 (American put, S=50, K=50, r=10%, sigma=40%,
  T=5 months, 5 steps: 4.49); and the Greek letters of ch. 19 for S=49, K=50, r=5%, sigma=20%, T=20 weeks
  (call 2.40, delta 0.522, gamma 0.066, vega 12.1, theta -4.31 a year, rho 8.91).
- A. Damodaran, Damodaran on Valuation (2nd ed.), Illustration 12.5 "Valuing a patent: Avonex in 1997", also in
  "The Promise and Peril of Real Options" (NYU Stern, 2000): S = $3,422 million, K = $2,875 million, 17 years,
  riskless rate 6.7%, variance 0.224 (sigma = sqrt(0.224)), cost of delay 1/17; d1 = 1.1362, N(d2) = 0.2076,
  value $907 million against an NPV of $547 million (time premium $360 million). The paper prints d2 as -0.8512;
  d1 - sigma sqrt(T) = -0.8152, which is what N(d2) = 0.2076 belongs to, so -0.8152 is used here.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

import ipvalue.valuation.options  # noqa: F401  (registers the methods)
from ipvalue.valuation import METHODS, options, valuate
from ipvalue.valuation.options import (
    binomial_european_kernel,
    binomial_kernel,
    black_scholes_kernel,
    patent_option_kernel,
)

FAST = settings(max_examples=50, deadline=None)
FEW = settings(max_examples=25, deadline=None)

HULL_BS = {"spot": 42, "strike": 40, "rate": 0.10, "volatility": 0.20, "maturity": 0.5}
AVONEX = {
    "pv_cash_flows": 3422.0,
    "development_cost": 2875.0,
    "remaining_life": 17.0,
    "volatility": math.sqrt(0.224),
    "rate": 0.067,
}

# --- Published examples ----------------------------------------------------------------------------------------------


def test_registered() -> None:
    for name in ("black-scholes", "binomial", "patent-option"):
        assert METHODS[name].kernel is not None


def test_hull_black_scholes_call() -> None:
    result = valuate("black-scholes", {**HULL_BS, "option": "call"})
    assert result.value == pytest.approx(4.7594, abs=0.0005)
    assert result.breakdown["d1"] == pytest.approx(0.7693, abs=0.0005)
    assert result.breakdown["d2"] == pytest.approx(0.6278, abs=0.0005)
    output = result.as_output()
    assert output["method"] == "black-scholes"
    assert "delta" in output


def test_hull_black_scholes_put() -> None:
    result = valuate("black-scholes", {**HULL_BS, "option": "put"})
    assert result.value == pytest.approx(0.8086, abs=0.0005)


def test_hull_greek_letters() -> None:
    result = valuate(
        "black-scholes",
        {"spot": 49, "strike": 50, "rate": 0.05, "volatility": 0.20, "maturity": 20 / 52, "option": "call"},
    )
    assert result.value == pytest.approx(2.40, abs=0.005)
    greeks = result.breakdown
    assert greeks["delta"] == pytest.approx(0.522, abs=0.0005)
    assert greeks["gamma"] == pytest.approx(0.066, abs=0.0005)
    assert greeks["vega"] == pytest.approx(12.1, abs=0.05)
    assert greeks["theta"] == pytest.approx(-4.31, abs=0.005)
    assert greeks["rho"] == pytest.approx(8.91, abs=0.005)


def test_hull_binomial_one_step() -> None:
    result = valuate(
        "binomial",
        {
            "spot": 20,
            "strike": 21,
            "rate": 0.12,
            "maturity": 0.25,
            "steps": 1,
            "up": 1.1,
            "down": 0.9,
            "option": "call",
            "exercise": "european",
        },
    )
    assert result.value == pytest.approx(0.633, abs=0.001)
    assert result.breakdown["up"] == 1.1
    assert result.breakdown["down"] == 0.9
    assert result.breakdown["probability_up"] == pytest.approx(0.6523, abs=0.0001)
    assert "early_exercise_premium" not in result.breakdown


def test_hull_binomial_two_step_put() -> None:
    inputs = {"spot": 50, "strike": 52, "rate": 0.05, "maturity": 2, "steps": 2, "up": 1.2, "down": 0.8}
    european = valuate("binomial", {**inputs, "option": "put", "exercise": "european"})
    american = valuate("binomial", {**inputs, "option": "put", "exercise": "american"})
    # Hull rounds p and the node values to four decimals along the way, hence the tolerance.
    assert european.value == pytest.approx(4.1923, abs=0.0005)
    assert american.value == pytest.approx(5.0894, abs=0.0005)
    assert american.breakdown["early_exercise_premium"] == pytest.approx(american.value - european.value)


def test_hull_american_put_five_steps() -> None:
    result = valuate(
        "binomial",
        {
            "spot": 50,
            "strike": 50,
            "rate": 0.10,
            "volatility": 0.40,
            "maturity": 5 / 12,
            "steps": 5,
            "option": "put",
            "exercise": "american",
        },
    )
    assert result.value == pytest.approx(4.49, abs=0.005)
    assert result.breakdown["up"] == pytest.approx(1.1224, abs=0.0001)
    assert result.breakdown["down"] == pytest.approx(0.8909, abs=0.0001)
    assert result.breakdown["probability_up"] == pytest.approx(0.5073, abs=0.0001)
    assert any("coarse" in warning for warning in result.warnings)


def test_damodaran_avonex_patent() -> None:
    result = valuate("patent-option", AVONEX)
    assert result.value == pytest.approx(907, abs=0.5)
    assert result.breakdown["d1"] == pytest.approx(1.1362, abs=0.0001)
    assert result.breakdown["d2"] == pytest.approx(-0.8152, abs=0.0001)
    assert result.breakdown["cost_of_delay"] == pytest.approx(1 / 17)
    assert result.breakdown["intrinsic_value"] == pytest.approx(547)
    assert result.breakdown["time_value"] == pytest.approx(360, abs=0.5)
    assert any("evenly over the remaining life" in text for text in result.assumptions)
    assert any("cost_of_delay was not given" in text for text in result.warnings)


def test_patent_equals_black_scholes_call_with_cost_of_delay_as_yield() -> None:
    patent = valuate("patent-option", {**AVONEX, "cost_of_delay": 0.03})
    call = valuate(
        "black-scholes",
        {
            "spot": 3422,
            "strike": 2875,
            "rate": 0.067,
            "volatility": math.sqrt(0.224),
            "maturity": 17,
            "dividend_yield": 0.03,
            "option": "call",
        },
    )
    assert patent.value == pytest.approx(call.value, rel=1e-12)
    assert patent.breakdown["cost_of_delay"] == 0.03
    assert not any("cost_of_delay was not given" in text for text in patent.warnings)


# --- Properties ------------------------------------------------------------------------------------------------------

prices = st.floats(min_value=1.0, max_value=1000.0)
rates = st.floats(min_value=-0.02, max_value=0.15)
yields = st.floats(min_value=0.0, max_value=0.1)
vols = st.floats(min_value=0.05, max_value=1.0)
maturities = st.floats(min_value=0.05, max_value=10.0)


@FAST
@given(spot=prices, strike=prices, rate=rates, volatility=vols, maturity=maturities, dividend=yields)
def test_put_call_parity(
    spot: float, strike: float, rate: float, volatility: float, maturity: float, dividend: float
) -> None:
    """C - P = S e^(-qT) - K e^(-rT) (Hull, 10th ed., eq. 17.3)."""
    inputs = {
        "spot": spot,
        "strike": strike,
        "rate": rate,
        "volatility": volatility,
        "maturity": maturity,
        "dividend_yield": dividend,
    }
    call = valuate("black-scholes", {**inputs, "option": "call"}).value
    put = valuate("black-scholes", {**inputs, "option": "put"}).value
    forward = spot * math.exp(-dividend * maturity) - strike * math.exp(-rate * maturity)
    assert call - put == pytest.approx(forward, abs=1e-9 * max(spot, strike))


@FEW
@given(
    moneyness=st.floats(min_value=0.8, max_value=1.25),
    rate=st.floats(min_value=0.0, max_value=0.1),
    dividend=st.floats(min_value=0.0, max_value=0.05),
    volatility=st.floats(min_value=0.1, max_value=0.6),
    maturity=st.floats(min_value=0.25, max_value=3.0),
    option=st.sampled_from(["call", "put"]),
)
def test_binomial_converges_to_black_scholes(
    moneyness: float, rate: float, dividend: float, volatility: float, maturity: float, option: str
) -> None:
    """CRR European values converge to Black-Scholes-Merton as steps grow (Cox, Ross & Rubinstein 1979). The error
    oscillates with the number of steps, so coarse and fine trees are compared on the mean error of ten step counts."""
    params: dict[str, Any] = {
        "spot": 100.0,
        "strike": 100.0 * moneyness,
        "rate": rate,
        "dividend_yield": dividend,
        "volatility": volatility,
        "maturity": maturity,
        "option": option,
    }
    exact = float(black_scholes_kernel(params))

    def error(steps: int) -> float:
        return abs(float(binomial_european_kernel({**params, "steps": steps})) - exact)

    fine = [error(steps) for steps in range(2000, 2010)]
    coarse = [error(steps) for steps in range(50, 60)]
    assert max(fine) < 0.01
    assert sum(fine) < sum(coarse)


tree_inputs = {
    "spot": st.floats(min_value=10.0, max_value=200.0),
    "strike": st.floats(min_value=10.0, max_value=200.0),
    "rate": st.floats(min_value=0.0, max_value=0.15),
    "volatility": st.floats(min_value=0.1, max_value=0.8),
    "maturity": st.floats(min_value=0.1, max_value=5.0),
}


@FAST
@given(**tree_inputs, dividend=st.floats(min_value=0.0, max_value=0.1))
def test_american_put_at_least_european(
    spot: float, strike: float, rate: float, volatility: float, maturity: float, dividend: float
) -> None:
    inputs = {
        "spot": spot,
        "strike": strike,
        "rate": rate,
        "volatility": volatility,
        "maturity": maturity,
        "dividend_yield": dividend,
        "steps": 100,
        "option": "put",
    }
    american = valuate("binomial", {**inputs, "exercise": "american"})
    european = valuate("binomial", {**inputs, "exercise": "european"})
    assert american.value >= european.value - 1e-9
    assert american.breakdown["early_exercise_premium"] >= -1e-9
    assert american.breakdown["european_value"] == european.value


@FAST
@given(**tree_inputs)
def test_american_call_without_dividends_is_european(
    spot: float, strike: float, rate: float, volatility: float, maturity: float
) -> None:
    """Early exercise of a call on an asset without dividends is never optimal (Hull, 10th ed., section 11.5)."""
    inputs = {
        "spot": spot,
        "strike": strike,
        "rate": rate,
        "volatility": volatility,
        "maturity": maturity,
        "steps": 100,
        "option": "call",
    }
    american = valuate("binomial", {**inputs, "exercise": "american"}).value
    european = valuate("binomial", {**inputs, "exercise": "european"}).value
    assert american == pytest.approx(european, rel=1e-9, abs=1e-9)


@FAST
@given(
    spot=prices,
    strike=prices,
    rate=rates,
    maturity=maturities,
    dividend=yields,
    vols=st.tuples(vols, vols).map(sorted),
    option=st.sampled_from(["call", "put"]),
)
def test_value_rises_with_volatility(
    spot: float, strike: float, rate: float, maturity: float, dividend: float, vols: list[float], option: str
) -> None:
    low, high = vols
    inputs = {"spot": spot, "strike": strike, "rate": rate, "maturity": maturity, "dividend_yield": dividend}
    option_low = valuate("black-scholes", {**inputs, "volatility": low, "option": option})
    option_high = valuate("black-scholes", {**inputs, "volatility": high, "option": option})
    assert option_high.value >= option_low.value - 1e-9 * max(spot, strike)
    assert option_low.breakdown["vega"] >= 0.0
    patent = {"pv_cash_flows": spot, "development_cost": strike, "remaining_life": maturity, "rate": rate}
    patent_low = valuate("patent-option", {**patent, "volatility": low}).value
    patent_high = valuate("patent-option", {**patent, "volatility": high}).value
    assert patent_high >= patent_low - 1e-9 * max(spot, strike)


# --- Vectorised kernels ----------------------------------------------------------------------------------------------

scenario = st.fixed_dictionaries(
    {
        "spot": st.floats(min_value=10.0, max_value=200.0),
        "strike": st.floats(min_value=10.0, max_value=200.0),
        "rate": st.floats(min_value=0.0, max_value=0.15),
        "volatility": st.floats(min_value=0.1, max_value=0.8),
        "maturity": st.floats(min_value=0.1, max_value=5.0),
        "dividend_yield": st.floats(min_value=0.0, max_value=0.1),
    }
)


def _stack(scenarios: list[dict[str, Any]]) -> dict[str, Any]:
    """Scenario rows as one array per input; an input absent (None) in every row stays None."""
    return {
        name: None if scenarios[0][name] is None else np.array([row[name] for row in scenarios])
        for name in scenarios[0]
    }


def _assert_vectorised(kernel: Any, scenarios: list[dict[str, Any]], settings_: dict[str, Any]) -> None:
    values = kernel({**_stack(scenarios), **settings_})
    assert values.shape == (len(scenarios),)
    expected = [float(kernel({**row, **settings_})) for row in scenarios]
    np.testing.assert_allclose(values, expected, rtol=1e-12, atol=1e-12)


@FAST
@given(scenarios=st.lists(scenario, min_size=1, max_size=8), option=st.sampled_from(["call", "put"]))
def test_black_scholes_kernel_accepts_arrays(scenarios: list[dict[str, float]], option: str) -> None:
    _assert_vectorised(black_scholes_kernel, scenarios, {"option": option})


@FEW
@given(
    scenarios=st.lists(scenario, min_size=1, max_size=6),
    option=st.sampled_from(["call", "put"]),
    exercise=st.sampled_from(["european", "american"]),
)
def test_binomial_kernel_accepts_arrays(scenarios: list[dict[str, float]], option: str, exercise: str) -> None:
    _assert_vectorised(binomial_kernel, scenarios, {"option": option, "exercise": exercise, "steps": 40})


@FEW
@given(scenarios=st.lists(scenario, min_size=1, max_size=6), option=st.sampled_from(["call", "put"]))
def test_binomial_kernel_accepts_up_down_arrays(scenarios: list[dict[str, float]], option: str) -> None:
    """Given up and down factors (here the CRR ones of 10 steps) vectorise like volatility does."""
    rows = []
    for row in scenarios:
        up = math.exp(row["volatility"] * math.sqrt(row["maturity"] / 10))
        rows.append({**row, "volatility": None, "up": up, "down": 1 / up})
    for exercise in ("european", "american"):
        _assert_vectorised(binomial_kernel, rows, {"option": option, "exercise": exercise, "steps": 10})


@FAST
@given(scenarios=st.lists(scenario, min_size=1, max_size=8), given_delay=st.booleans())
def test_patent_kernel_accepts_arrays(scenarios: list[dict[str, float]], given_delay: bool) -> None:
    rows = [
        {
            "pv_cash_flows": row["spot"],
            "development_cost": row["strike"],
            "remaining_life": row["maturity"],
            "volatility": row["volatility"],
            "rate": row["rate"],
            "cost_of_delay": row["dividend_yield"] if given_delay else None,
        }
        for row in scenarios
    ]
    stacked: dict[str, Any] = {
        name: np.array([row[name] for row in rows]) for name in rows[0] if name != "cost_of_delay"
    }
    stacked["cost_of_delay"] = np.array([row["cost_of_delay"] for row in rows]) if given_delay else None
    values = patent_option_kernel(stacked)
    assert values.shape == (len(rows),)
    np.testing.assert_allclose(values, [float(patent_option_kernel(row)) for row in rows], rtol=1e-12, atol=1e-12)


def test_binomial_at_5000_steps_and_many_scenarios() -> None:
    params = {
        "spot": np.full(3, 100.0),
        "strike": np.array([90.0, 100.0, 110.0]),
        "rate": 0.05,
        "volatility": 0.3,
        "maturity": 1.0,
        "dividend_yield": 0.0,
        "option": "call",
    }
    tree = binomial_european_kernel({**params, "steps": 5000})
    np.testing.assert_allclose(tree, black_scholes_kernel(params), atol=0.005)


@pytest.mark.parametrize("exercise", ["european", "american"])
def test_binomial_kernel_in_blocks_of_scenarios(monkeypatch: pytest.MonkeyPatch, exercise: str) -> None:
    """Large scenario arrays are valued in blocks to bound memory; the blocks give the same values as one pass."""
    params = {
        "spot": np.linspace(80.0, 120.0, 7),
        "strike": 100.0,
        "rate": np.linspace(0.0, 0.1, 7),
        "volatility": 0.3,
        "maturity": 1.0,
        "dividend_yield": 0.02,
        "steps": 20,
        "option": "put",
        "exercise": exercise,
    }
    whole = binomial_kernel(params)
    monkeypatch.setattr(options, "_BLOCK_NODES", 64)  # 21 nodes: blocks of 3 scenarios
    blocked = binomial_kernel(params)
    assert blocked.shape == (7,)
    np.testing.assert_array_equal(blocked, whole)


# --- Validation ------------------------------------------------------------------------------------------------------


def _error_locations(method: str, inputs: dict[str, Any]) -> list[tuple[Any, ...]]:
    with pytest.raises(ValidationError) as caught:
        valuate(method, inputs)
    return [tuple(error["loc"]) for error in caught.value.errors()]


BINOMIAL = {"spot": 20, "strike": 21, "rate": 0.12, "maturity": 0.25, "steps": 1, "option": "call"}


@pytest.mark.parametrize(
    ("method", "inputs", "field"),
    [
        ("black-scholes", {**HULL_BS, "volatility": -0.2, "option": "call"}, "volatility"),
        ("black-scholes", {**HULL_BS, "volatility": 6.0, "option": "call"}, "volatility"),
        ("black-scholes", {**HULL_BS, "spot": 0, "option": "call"}, "spot"),
        ("black-scholes", {**HULL_BS, "maturity": 0, "option": "call"}, "maturity"),
        ("black-scholes", {**HULL_BS, "rate": -1.5, "option": "call"}, "rate"),
        ("black-scholes", {**HULL_BS, "dividend_yield": -0.01, "option": "call"}, "dividend_yield"),
        ("black-scholes", {**HULL_BS, "option": "straddle"}, "option"),
        ("black-scholes", {**HULL_BS, "option": "call", "volatilty": 0.2}, "volatilty"),
        ("binomial", {**BINOMIAL, "volatility": -0.2}, "volatility"),
        ("binomial", {**BINOMIAL, "volatility": 0.2, "steps": 0}, "steps"),
        ("binomial", {**BINOMIAL, "volatility": 0.2, "steps": 5001}, "steps"),
        ("binomial", {**BINOMIAL, "volatility": 0.2, "exercise": "bermudan"}, "exercise"),
        ("binomial", {**BINOMIAL, "volatility": 0.2, "up": 1.1}, "up"),
        ("binomial", {**BINOMIAL, "volatility": 0.2, "down": 0.9}, "down"),
        ("binomial", {**BINOMIAL}, "up"),
        ("binomial", {**BINOMIAL, "up": 1.1}, "down"),
        ("binomial", {**BINOMIAL, "down": 0.9}, "up"),
        ("binomial", {**BINOMIAL, "up": 0.9, "down": 1.1}, "down"),
        ("binomial", {**BINOMIAL, "up": 1.1, "down": -0.9}, "down"),
        ("binomial", {**BINOMIAL, "rate": 0.5, "maturity": 1, "up": 1.05, "down": 0.9}, "up"),
        ("binomial", {**BINOMIAL, "rate": -0.5, "maturity": 1, "up": 1.1, "down": 0.9}, "down"),
        ("binomial", {**BINOMIAL, "rate": 0.5, "maturity": 1, "volatility": 0.01}, "volatility"),
        ("patent-option", {**AVONEX, "volatility": -0.2}, "volatility"),
        ("patent-option", {**AVONEX, "pv_cash_flows": -1}, "pv_cash_flows"),
        ("patent-option", {**AVONEX, "development_cost": 0}, "development_cost"),
        ("patent-option", {**AVONEX, "remaining_life": 0}, "remaining_life"),
        ("patent-option", {**AVONEX, "cost_of_delay": -0.1}, "cost_of_delay"),
    ],
)
def test_validation_errors_name_the_field(method: str, inputs: dict[str, Any], field: str) -> None:
    assert any(field in location for location in _error_locations(method, inputs))


def test_risk_neutral_probability_error_explains() -> None:
    with pytest.raises(ValidationError) as caught:
        valuate("binomial", {**BINOMIAL, "rate": 0.5, "maturity": 1, "up": 1.05, "down": 0.9})
    (error,) = caught.value.errors()
    assert error["loc"] == ("up",)
    assert "risk-neutral probability" in error["msg"]
    assert "outside [0, 1]" in error["msg"]
