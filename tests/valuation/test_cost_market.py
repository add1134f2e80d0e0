"""Cost approach, market approach and the build-up discount rate: worked examples, properties, kernels, validation."""

from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

import ipvalue.valuation.cost
import ipvalue.valuation.market
import ipvalue.valuation.rates  # noqa: F401  (registers the methods)
from ipvalue.valuation import valuate
from ipvalue.valuation.core import METHODS
from ipvalue.valuation.cost import cost_kernel
from ipvalue.valuation.market import comparables_kernel, percentile_rank, royalty_range_kernel
from ipvalue.valuation.rates import COMPONENTS, discount_rate_kernel

PROPERTY = settings(max_examples=50, deadline=None)
fraction = st.floats(min_value=0.0, max_value=0.99, allow_nan=False, allow_infinity=False)
amount = st.floats(min_value=0.0, max_value=1e9, allow_nan=False, allow_infinity=False)


def error_locations(method: str, inputs: dict[str, Any]) -> list[tuple[int | str, ...]]:
    with pytest.raises(ValidationError) as caught:
        valuate(method, inputs)
    return [error["loc"] for error in caught.value.errors()]


def test_the_methods_are_registered_with_kernels():
    for name in ("cost", "market-comparables", "royalty-rate-range", "discount-rate"):
        assert METHODS[name].kernel is not None


# --- cost ------------------------------------------------------------------------------------------------------------

COST_EXAMPLE: dict[str, Any] = {
    "basis": "replacement",
    "cost_items": [{"name": "engineering", "amount": 60_000}, {"name": "testing", "amount": 40_000}],
    "developer_profit_rate": 0.20,
    "opportunity_cost": {"rate": 0.10, "development_years": 2},
    "functional_obsolescence": 0.10,
    "technological_obsolescence": 0.20,
    "economic_obsolescence": 0.05,
}


def test_cost_worked_example():
    # cost_total          = 60,000 + 40,000                    = 100,000
    # developer_profit    = 100,000 x 0.20                     =  20,000
    # opportunity_cost    = 100,000 x ((1.10)^(2/2) - 1)       =  10,000
    # cost_new            = 100,000 + 20,000 + 10,000          = 130,000
    # obsolescence_factor = 0.90 x 0.80 x 0.95                 =   0.684
    # value               = 130,000 x 0.684                    =  88,920
    result = valuate("cost", COST_EXAMPLE)
    assert result.method == "cost"
    assert result.value == pytest.approx(88_920.0)
    assert result.breakdown["cost_total"] == pytest.approx(100_000.0)
    assert result.breakdown["developer_profit"] == pytest.approx(20_000.0)
    assert result.breakdown["opportunity_cost"] == pytest.approx(10_000.0)
    assert result.breakdown["obsolescence_factor"] == pytest.approx(0.684)
    assert result.breakdown["obsolescence"] == pytest.approx(130_000.0 - 88_920.0)
    assert result.conventions["basis"] == "replacement"
    assert "IVS 105" in result.source and "IVS 210" in result.source
    assert result.warnings == []


def test_cost_single_figure_with_reproduction_basis_and_mid_point_opportunity_cost():
    # 50,000 x (1.08^(3/2) - 1) = 50,000 x (1.122369... - 1) = 6,118.46...; value = 56,118.46... x 0.6 x 0.7
    result = valuate(
        "cost",
        {
            "basis": "reproduction",
            "cost": 50_000,
            "opportunity_cost": {"rate": 0.08, "development_years": 3},
            "technological_obsolescence": 0.4,
            "economic_obsolescence": 0.3,
        },
    )
    opportunity = 50_000 * (1.08**1.5 - 1)
    assert result.breakdown["opportunity_cost"] == pytest.approx(opportunity)
    assert result.breakdown["developer_profit"] == 0.0
    assert result.value == pytest.approx((50_000 + opportunity) * 0.6 * 0.7)
    assert any("functional obsolescence is zero" in warning for warning in result.warnings)
    assert any("Obsolescence removes 58%" in warning for warning in result.warnings)  # 1 - 0.6 x 0.7 = 0.58
    assert "No developer's profit is included." in result.assumptions


@PROPERTY
@given(
    amounts=st.lists(amount, min_size=1, max_size=5),
    profit=st.floats(min_value=0.0, max_value=2.0),
    rate=st.floats(min_value=0.0, max_value=0.5),
    years=st.floats(min_value=0.1, max_value=10.0),
    functional=fraction,
    technological=fraction,
    economic=fraction,
)
def test_cost_value_never_exceeds_cost_plus_profit_plus_opportunity_cost(
    amounts, profit, rate, years, functional, technological, economic
):
    result = valuate(
        "cost",
        {
            "cost_items": [{"name": f"item {i}", "amount": a} for i, a in enumerate(amounts)],
            "developer_profit_rate": profit,
            "opportunity_cost": {"rate": rate, "development_years": years},
            "functional_obsolescence": functional,
            "technological_obsolescence": technological,
            "economic_obsolescence": economic,
        },
    )
    total = result.breakdown["cost_total"]
    ceiling = total * (1 + profit) + result.breakdown["opportunity_cost"]
    assert 0.0 <= result.value <= ceiling * (1 + 1e-12)
    assert total == pytest.approx(sum(amounts))


@PROPERTY
@given(
    which=st.sampled_from(["functional_obsolescence", "technological_obsolescence", "economic_obsolescence"]),
    low=fraction,
    high=fraction,
    others=st.tuples(fraction, fraction),
)
def test_more_obsolescence_never_raises_the_value(which, low, high, others):
    low, high = min(low, high), max(low, high)
    base = {**COST_EXAMPLE}
    for name, value in zip(
        [
            name
            for name in ("functional_obsolescence", "technological_obsolescence", "economic_obsolescence")
            if name != which
        ],
        others,
        strict=True,
    ):
        base[name] = value
    assert valuate("cost", {**base, which: high}).value <= valuate("cost", {**base, which: low}).value


def test_cost_kernel_accepts_arrays_of_scenarios():
    rng = np.random.default_rng(7)
    n = 20
    params: dict[str, Any] = {
        "cost_items": [{"name": "a", "amount": rng.uniform(0, 1e5, n)}, {"name": "b", "amount": 25_000.0}],
        "developer_profit_rate": rng.uniform(0, 0.3, n),
        "opportunity_cost": {"rate": rng.uniform(0, 0.2, n), "development_years": rng.uniform(0.5, 4, n)},
        "functional_obsolescence": rng.uniform(0, 0.5, n),
        "technological_obsolescence": 0.1,
        "economic_obsolescence": rng.uniform(0, 0.5, n),
    }
    values = cost_kernel(params)
    assert values.shape == (n,)
    for i in range(n):
        one = {
            "cost_items": [
                {"name": "a", "amount": params["cost_items"][0]["amount"][i]},
                {"name": "b", "amount": 25_000},
            ],
            "developer_profit_rate": params["developer_profit_rate"][i],
            "opportunity_cost": {
                "rate": params["opportunity_cost"]["rate"][i],
                "development_years": params["opportunity_cost"]["development_years"][i],
            },
            "functional_obsolescence": params["functional_obsolescence"][i],
            "technological_obsolescence": 0.1,
            "economic_obsolescence": params["economic_obsolescence"][i],
        }
        assert values[i] == pytest.approx(valuate("cost", one).value, rel=1e-12)
    assert cost_kernel({"cost": np.array([1.0, 2.0]), "economic_obsolescence": 0.5}).tolist() == [0.5, 1.0]


def test_cost_validation_errors_name_the_field():
    assert ("functional_obsolescence",) in error_locations("cost", {"cost": 100, "functional_obsolescence": 1.2})
    assert ("economic_obsolescence",) in error_locations("cost", {"cost": 100, "economic_obsolescence": 1.0})
    both = {"cost": 100, "cost_items": [{"name": "a", "amount": 100}]}
    assert error_locations("cost", both) == [("cost",)]
    assert error_locations("cost", {"basis": "replacement"}) == [("cost",)]
    assert error_locations("cost", {"cost_items": []}) == [("cost_items",)]
    assert error_locations("cost", {"cost_items": [{"name": "a", "amount": -1}]}) == [("cost_items", 0, "amount")]
    assert error_locations("cost", {"cost": float("inf")}) == [("cost",)]
    assert error_locations("cost", {"cost": 1, "basis": "historical"}) == [("basis",)]
    assert error_locations("cost", {"cost": 1, "opportunity_cost": {"rate": 0.1, "development_years": 0}}) == [
        ("opportunity_cost", "development_years")
    ]
    assert error_locations("cost", {"cost": 1, "obsolescence": 0.1}) == [("obsolescence",)]


# --- market-comparables -----------------------------------------------------------------------------------------------

COMPARABLES: dict[str, Any] = {
    "comparables": [
        {"name": "Licence A", "price": 100_000, "adjustments": {"size": -0.10, "remaining_life": 0.05}},
        {"name": "Licence B", "price": 120_000, "adjustments": {"size": -0.20, "territory": 0.10}},
        {"name": "Licence C", "price": 90_000},
    ]
}


def test_market_comparables_worked_example():
    # A: 100,000 x (1 - 0.10 + 0.05) =  95,000 (gross 15%)
    # B: 120,000 x (1 - 0.20 + 0.10) = 108,000 (gross 30% > 25%: flagged)
    # C:  90,000 x (1 + 0)           =  90,000
    # value = (95,000 + 108,000 + 90,000) / 3 = 293,000 / 3 = 97,666.67; low 90,000, high 108,000, median 95,000
    result = valuate("market-comparables", COMPARABLES)
    assert result.value == pytest.approx(293_000 / 3)
    assert result.breakdown == pytest.approx({"low": 90_000, "high": 108_000, "median": 95_000, "count": 3})
    assert [row["adjusted_price"] for row in result.schedule] == pytest.approx([95_000, 108_000, 90_000])
    assert [row["net_adjustment"] for row in result.schedule] == pytest.approx([-0.05, -0.10, 0.0])
    assert [row["gross_adjustment"] for row in result.schedule] == pytest.approx([0.15, 0.30, 0.0])
    assert [row["weight_share"] for row in result.schedule] == pytest.approx([1 / 3] * 3)
    assert result.extra["comparable_names"] == ["Licence A", "Licence B", "Licence C"]
    assert len(result.warnings) == 1 and "'Licence B'" in result.warnings[0]
    assert result.conventions["weights"] == "equal"


def test_market_comparables_weights_and_few_comparables():
    # (200 x 1.1 x 3 + 100 x 1) / (3 + 1) = (660 + 100) / 4 = 190
    result = valuate(
        "market-comparables",
        {
            "comparables": [
                {"name": "X", "price": 200, "adjustments": {"quality": 0.10}, "weight": 3},
                {"name": "Y", "price": 100, "weight": 1},
            ]
        },
    )
    assert result.value == pytest.approx(190.0)
    assert [row["weight_share"] for row in result.schedule] == pytest.approx([0.75, 0.25])
    assert any("Only 2 comparable(s)" in warning for warning in result.warnings)
    assert result.conventions["weights"] == "as given"


def test_an_exactly_25_percent_adjustment_is_not_flagged():
    result = valuate(
        "market-comparables",
        {"comparables": [{"name": n, "price": 10, "adjustments": {"a": -0.1, "b": 0.15}} for n in "PQR"]},
    )
    assert result.warnings == []


comparable = st.fixed_dictionaries(
    {
        "name": st.just("c"),
        "price": st.floats(min_value=0.01, max_value=1e9),
        "adjustments": st.dictionaries(st.sampled_from(["size", "life", "field"]), st.floats(-0.3, 0.3), max_size=3),
    }
)


@PROPERTY
@given(comparables=st.lists(comparable, min_size=1, max_size=6), weighted=st.booleans(), data=st.data())
def test_market_value_lies_between_the_lowest_and_highest_adjusted_price(comparables, weighted, data):
    if weighted:
        for item in comparables:
            item["weight"] = data.draw(st.floats(min_value=0.01, max_value=100))
    result = valuate("market-comparables", {"comparables": comparables})
    low, high = result.breakdown["low"], result.breakdown["high"]
    assert low <= result.breakdown["median"] <= high
    assert low * (1 - 1e-12) <= result.value <= high * (1 + 1e-12)


def test_comparables_kernel_accepts_arrays_of_scenarios():
    rng = np.random.default_rng(11)
    n = 15
    prices = rng.uniform(50, 150, n)
    size = rng.uniform(-0.2, 0.2, n)
    weights = rng.uniform(0.5, 2, n)
    params = {
        "comparables": [
            {"price": prices, "adjustments": {"size": size, "life": 0.05}, "weight": weights},
            {"price": 120.0, "adjustments": {"size": -0.1}, "weight": 1.0},
            {"price": 80.0, "adjustments": {}, "weight": 2.0},
        ]
    }
    values = comparables_kernel(params)
    assert values.shape == (n,)
    for i in range(n):
        one = {
            "comparables": [
                {"name": "a", "price": prices[i], "adjustments": {"size": size[i], "life": 0.05}, "weight": weights[i]},
                {"name": "b", "price": 120.0, "adjustments": {"size": -0.1}, "weight": 1.0},
                {"name": "c", "price": 80.0, "weight": 2.0},
            ]
        }
        assert values[i] == pytest.approx(valuate("market-comparables", one).value, rel=1e-12)


def test_market_comparables_validation_errors_name_the_field():
    assert error_locations("market-comparables", {"comparables": []}) == [("comparables",)]
    assert error_locations("market-comparables", {"comparables": [{"name": "a", "price": 0}]}) == [
        ("comparables", 0, "price")
    ]
    mixed = {"comparables": [{"name": "a", "price": 1, "weight": 2}, {"name": "b", "price": 1}]}
    assert error_locations("market-comparables", mixed) == [("comparables",)]
    sunk = {"comparables": [{"name": "a", "price": 1, "adjustments": {"x": -0.6, "y": -0.4}}]}
    assert error_locations("market-comparables", sunk) == [("comparables", 0, "adjustments")]
    huge = {"comparables": [{"name": "a", "price": 1, "adjustments": {"x": 1.5}}]}
    assert error_locations("market-comparables", huge) == [("comparables", 0, "adjustments", "x")]


# --- royalty-rate-range -----------------------------------------------------------------------------------------------


def test_royalty_rate_range_worked_example():
    # sorted: 0.02 0.03 0.04 0.05 0.08 (m = 5); position h = p x (m - 1) = 4p
    # q1: h = 1 -> 0.03; median: h = 2 -> 0.04; q3: h = 3 -> 0.05 (Excel QUARTILE.INC gives the same)
    # mean = 0.22 / 5 = 0.044; subject 0.07 lies between 0.05 (index 3) and 0.08:
    # percentile = (3 + (0.07 - 0.05) / (0.08 - 0.05)) / 4 = (3 + 2/3) / 4 = 0.91667, outside [q1, q3]
    result = valuate("royalty-rate-range", {"rates": [0.05, 0.02, 0.08, 0.03, 0.04], "subject_rate": 0.07})
    assert result.value == pytest.approx(0.04)
    expected = {"q1": 0.03, "q3": 0.05, "min": 0.02, "max": 0.08, "mean": 0.044, "count": 5}
    assert result.breakdown == pytest.approx({**expected, "subject_percentile": 11 / 12})
    assert len(result.warnings) == 1 and "outside the interquartile range" in result.warnings[0]


def test_royalty_rate_range_even_count_interpolates_like_excel_quartile_inc():
    # 1%, 2%, 3%, 4%: h = 3p -> q1 at h = 0.75: 1% + 0.75 x 1% = 1.75%; median 2.5%; q3 at h = 2.25: 3.25%
    # subject 2%: a rate at index 1 -> 1/3, inside [1.75%, 3.25%]: no warning beyond none
    result = valuate("royalty-rate-range", {"rates": [0.01, 0.02, 0.03, 0.04], "subject_rate": 0.02})
    assert (result.breakdown["q1"], result.value, result.breakdown["q3"]) == pytest.approx((0.0175, 0.025, 0.0325))
    assert result.breakdown["subject_percentile"] == pytest.approx(1 / 3)
    assert result.warnings == []


def test_royalty_rate_range_of_one_rate_warns_and_ranks_ties_in_the_middle():
    single = valuate("royalty-rate-range", {"rates": [0.05], "subject_rate": 0.05})
    assert single.value == 0.05 and single.breakdown["subject_percentile"] == 0.5
    assert any("Only 1 rate(s)" in warning for warning in single.warnings)
    assert percentile_rank([0.01, 0.02, 0.02, 0.03], 0.02) == pytest.approx(0.5)  # positions 1..2 -> 1.5 / 3
    assert percentile_rank([0.01, 0.02], 0.0) == 0.0 and percentile_rank([0.01, 0.02], 0.5) == 1.0


@PROPERTY
@given(rates=st.lists(st.floats(min_value=0.0, max_value=1.0), min_size=1, max_size=30), subject=st.floats(0.0, 1.0))
def test_quartiles_are_ordered(rates, subject):
    result = valuate("royalty-rate-range", {"rates": rates, "subject_rate": subject})
    b = result.breakdown
    assert b["min"] <= b["q1"] <= result.value <= b["q3"] <= b["max"]
    assert 0.0 <= b["subject_percentile"] <= 1.0
    assert b["count"] == len(rates)


@PROPERTY
@given(basis_points=st.lists(st.integers(min_value=0, max_value=10_000), min_size=2, max_size=30, unique=True))
def test_the_percentile_rank_inverts_the_quartiles_of_distinct_rates(basis_points):
    rates = [points / 10_000 for points in basis_points]  # distinct by at least 0.01%, as quoted rates are
    result = valuate("royalty-rate-range", {"rates": rates})
    for quantile, name in ((0.25, "q1"), (0.75, "q3")):
        assert percentile_rank(rates, result.breakdown[name]) == pytest.approx(quantile, abs=1e-6)
    assert percentile_rank(rates, result.value) == pytest.approx(0.5, abs=1e-6)


def test_royalty_range_kernel_accepts_arrays_of_scenarios():
    rng = np.random.default_rng(3)
    first = rng.uniform(0, 0.1, 12)
    values = royalty_range_kernel({"rates": [first, 0.03, 0.05, 0.04]})
    assert values.shape == (12,)
    for i in range(12):
        assert values[i] == pytest.approx(valuate("royalty-rate-range", {"rates": [first[i], 0.03, 0.05, 0.04]}).value)


def test_royalty_range_kernel_accepts_the_per_item_layout_of_monte_carlo():
    # Monte Carlo turns a list of numbers into an (n, m) array when one item varies: licences on the last axis
    matrix = np.array([[0.01, 0.02, 0.09], [0.05, 0.03, 0.04]])
    assert royalty_range_kernel({"rates": matrix}).tolist() == pytest.approx([0.02, 0.04])
    assert royalty_range_kernel({"rates": np.array([0.01, 0.03, 0.02])}) == pytest.approx(0.02)


def test_royalty_rate_range_validation_errors_name_the_field():
    assert error_locations("royalty-rate-range", {"rates": []}) == [("rates",)]
    assert error_locations("royalty-rate-range", {"rates": [0.02, 1.5]}) == [("rates", 1)]
    assert error_locations("royalty-rate-range", {"rates": [0.02], "subject_rate": -0.01}) == [("subject_rate",)]


# --- discount-rate ----------------------------------------------------------------------------------------------------


def test_discount_rate_worked_example():
    # 4.0% + 5.5% + 3.0% + 1.0% + 2.0% + 5.0% = 20.5%
    inputs = {
        "risk_free_rate": 0.04,
        "equity_risk_premium": 0.055,
        "size_premium": 0.03,
        "industry_premium": 0.01,
        "country_risk_premium": 0.02,
        "asset_specific_premium": 0.05,
    }
    result = valuate("discount-rate", inputs)
    assert result.value == pytest.approx(0.205)
    assert result.breakdown == pytest.approx(inputs)
    assert result.warnings == []
    assert "Pratt & Grabowski" in result.source


def test_discount_rate_defaults_and_warnings():
    # 3% + 5%, other premiums 0 -> 8%
    plain = valuate("discount-rate", {"risk_free_rate": 0.03, "equity_risk_premium": 0.05})
    assert plain.value == pytest.approx(0.08) and plain.breakdown["size_premium"] == 0.0
    # 5% + 30% + 20% = 55% > 50%
    high = valuate("discount-rate", {"risk_free_rate": 0.05, "equity_risk_premium": 0.3, "asset_specific_premium": 0.2})
    assert any("above 50%" in warning for warning in high.warnings)
    # 4% + 5% - 10% = -1% < 4%
    low = valuate("discount-rate", {"risk_free_rate": 0.04, "equity_risk_premium": 0.05, "industry_premium": -0.1})
    assert any("below the risk-free rate" in warning for warning in low.warnings)


component = st.floats(min_value=-0.5, max_value=1.0)


@PROPERTY
@given(parts=st.fixed_dictionaries({name: component for name in COMPONENTS}))
def test_the_discount_rate_is_the_sum_of_its_parts(parts):
    result = valuate("discount-rate", parts)
    assert result.value == pytest.approx(sum(parts.values()), abs=1e-12)
    assert sum(result.breakdown.values()) == pytest.approx(result.value, abs=1e-12)


def test_discount_rate_kernel_accepts_arrays_of_scenarios():
    rng = np.random.default_rng(5)
    risk_free = rng.uniform(0.0, 0.06, 10)
    size = rng.uniform(0.0, 0.05, 10)
    values = discount_rate_kernel({"risk_free_rate": risk_free, "equity_risk_premium": 0.05, "size_premium": size})
    assert values.shape == (10,)
    for i in range(10):
        one = {"risk_free_rate": risk_free[i], "equity_risk_premium": 0.05, "size_premium": size[i]}
        assert values[i] == pytest.approx(valuate("discount-rate", one).value, rel=1e-12)


def test_discount_rate_validation_errors_name_the_field():
    assert error_locations("discount-rate", {"equity_risk_premium": 0.05}) == [("risk_free_rate",)]
    too_high = {"risk_free_rate": 0.04, "equity_risk_premium": 0.05, "size_premium": 2}
    assert error_locations("discount-rate", too_high) == [("size_premium",)]


# --- through Monte Carlo --------------------------------------------------------------------------------------------


def simulated(method: str, inputs: dict[str, Any], vary: dict[str, Any]) -> Any:
    return valuate("monte-carlo", {"method": method, "inputs": inputs, "vary": vary, "scenarios": 2000, "seed": 1})


def uniform(low: float, high: float) -> dict[str, Any]:
    return {"distribution": {"distribution": "uniform", "low": low, "high": high}}


def test_monte_carlo_varies_nested_inputs_of_the_cost_approach():
    # value is linear in the first item's amount: mean ~ value at its mean, 60,000 (the worked example, 88,920)
    result = simulated("cost", COST_EXAMPLE, {"cost_items[0].amount": uniform(50_000, 70_000)})
    assert result.breakdown["mean"] == pytest.approx(88_920.0, rel=0.01)
    assert result.breakdown["deterministic_value"] == pytest.approx(88_920.0)
    # a higher opportunity-cost rate only adds value: every scenario is at least the value at rate 0.05
    at_five = valuate("cost", {**COST_EXAMPLE, "opportunity_cost": {"rate": 0.05, "development_years": 2}}).value
    varied = simulated("cost", COST_EXAMPLE, {"opportunity_cost.rate": uniform(0.05, 0.15)})
    assert varied.breakdown["min"] >= at_five * (1 - 1e-12)


def test_monte_carlo_varies_a_comparable_adjustment_and_a_royalty_rate():
    # B's size adjustment from -0.30 to -0.10: B adjusted 96,000 to 120,000; value = (185,000 + B) / 3
    result = simulated("market-comparables", COMPARABLES, {"comparables[1].adjustments.size": uniform(-0.3, -0.1)})
    assert (185_000 + 96_000) / 3 <= result.breakdown["min"] <= result.breakdown["max"] <= (185_000 + 120_000) / 3
    assert result.breakdown["mean"] == pytest.approx(293_000 / 3, rel=0.01)
    # the third rate anywhere in [0, 0.1]: the median of 2%, 3%, x, 5%, 8% stays within [3%, 5%]
    rates = simulated("royalty-rate-range", {"rates": [0.02, 0.03, 0.04, 0.05, 0.08]}, {"rates[2]": uniform(0, 0.1)})
    assert 0.03 <= rates.breakdown["min"] < rates.breakdown["max"] <= 0.05
    scaled = simulated(
        "royalty-rate-range", {"rates": [0.02, 0.04, 0.06]}, {"rates": {**uniform(0.5, 1.5), "apply": "scale"}}
    )
    assert 0.02 <= scaled.breakdown["min"] < scaled.breakdown["max"] <= 0.06


def test_monte_carlo_varies_a_premium_of_the_discount_rate():
    # 3% + 5% + size premium uniform on [0, 4%]: mean ~ 10%, every scenario within [8%, 12%]
    result = simulated(
        "discount-rate", {"risk_free_rate": 0.03, "equity_risk_premium": 0.05}, {"size_premium": uniform(0, 0.04)}
    )
    assert result.breakdown["mean"] == pytest.approx(0.10, rel=0.01)
    assert 0.08 <= result.breakdown["min"] <= result.breakdown["max"] <= 0.12
