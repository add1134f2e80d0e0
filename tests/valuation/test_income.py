import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from ipvalue.valuation import METHODS, valuate
from ipvalue.valuation.income import npv_kernel, rfr_kernel

RFR = {"revenues": [1000.0, 1100.0, 1200.0], "royalty_rate": 0.05, "tax_rate": 0.25, "discount_rate": 0.12}
rates = st.floats(min_value=0.01, max_value=0.5)


def test_npv_timing_conventions():
    flows = [100.0, 100.0]
    end = valuate("npv", {"rate": 0.1, "cash_flows": flows}).value
    assert end == pytest.approx(100 / 1.1 + 100 / 1.21)
    assert valuate("npv", {"rate": 0.1, "cash_flows": flows, "first_period": 0}).value == pytest.approx(100 + 100 / 1.1)
    mid = valuate("npv", {"rate": 0.1, "cash_flows": flows, "timing": "mid"})
    assert mid.value == pytest.approx(100 / 1.1**0.5 + 100 / 1.1**1.5)
    assert mid.conventions["timing"] == "mid" and mid.schedule[0]["period"] == 0.5
    assert valuate("npv", {"rate": 0.1, "cash_flows": flows, "first_period": 0}).warnings


def test_relief_from_royalty_by_growth_equals_the_explicit_list():
    by_growth = valuate(
        "relief-from-royalty",
        {"base_revenue": 1000.0, "growth_rate": 0.1, "years": 3, **{k: v for k, v in RFR.items() if k != "revenues"}},
    )
    explicit = valuate("relief-from-royalty", {**RFR, "revenues": [1000.0, 1100.0, 1210.0]})
    assert by_growth.value == pytest.approx(explicit.value)
    assert [row["revenue"] for row in by_growth.schedule] == pytest.approx([1000, 1100, 1210])


def test_terminal_value_is_a_growing_perpetuity():
    result = valuate("relief-from-royalty", {**RFR, "terminal_growth": 0.02})
    last = 1200 * 0.05 * 0.75
    expected_terminal = last * 1.02 / (0.12 - 0.02) / 1.12**3
    assert result.breakdown["terminal_value_present"] == pytest.approx(expected_terminal)
    assert result.value == pytest.approx(valuate("relief-from-royalty", RFR).value + expected_terminal)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"tax_rate": 1.5}, "tax_rate"),
        ({"royalty_rate": -0.1}, "royalty_rate"),
        ({"revenues": []}, "revenues"),
        ({"discount_rate": 0}, "discount_rate"),
        ({"timing": "start"}, "timing"),
        ({"royalty": 0.05}, "royalty"),
    ],
)
def test_bad_inputs_name_the_field(change, field):
    with pytest.raises(ValidationError) as error:
        valuate("relief-from-royalty", {**RFR, **change})
    assert any(field in item["loc"] for item in error.value.errors())


def test_bad_combinations_are_explained():
    with pytest.raises(ValidationError, match="terminal_growth must be below discount_rate"):
        valuate("relief-from-royalty", {**RFR, "terminal_growth": 0.2})
    with pytest.raises(ValidationError, match="not both"):
        valuate("relief-from-royalty", {**RFR, "base_revenue": 5.0})
    with pytest.raises(ValidationError, match="same number of years"):
        valuate("with-and-without", {"cash_flows_with": [1, 2], "cash_flows_without": [1], "discount_rate": 0.1})


@settings(max_examples=50, deadline=None)
@given(low=st.floats(0.0, 0.5), high=st.floats(0.0, 0.5), rate=rates)
def test_value_rises_with_the_royalty_rate(low, high, rate):
    low, high = sorted((low, high))
    at_low = valuate("relief-from-royalty", {**RFR, "royalty_rate": low, "discount_rate": rate}).value
    at_high = valuate("relief-from-royalty", {**RFR, "royalty_rate": high, "discount_rate": rate}).value
    assert at_high >= at_low


@settings(max_examples=50, deadline=None)
@given(low=rates, high=rates)
def test_value_falls_with_the_discount_rate(low, high):
    low, high = sorted((low, high))
    assert valuate("relief-from-royalty", {**RFR, "discount_rate": low}).value >= (
        valuate("relief-from-royalty", {**RFR, "discount_rate": high}).value
    )


@settings(max_examples=50, deadline=None)
@given(tax=st.floats(0.01, 0.6), rate=rates, years=st.integers(1, 30), timing=st.sampled_from(["end", "mid"]))
def test_tab_factor_is_above_one(tax, rate, years, timing):
    factor = valuate(
        "tab-factor", {"tax_rate": tax, "discount_rate": rate, "amortisation_years": years, "timing": timing}
    ).value
    assert factor > 1.0 and math.isfinite(factor)


def test_kernels_take_arrays_of_scenarios():
    rates_array = np.array([0.05, 0.1, 0.2])
    vector = npv_kernel({"rate": rates_array, "cash_flows": [-100.0, 60.0, 60.0]})
    scalars = [valuate("npv", {"rate": r, "cash_flows": [-100.0, 60.0, 60.0]}).value for r in rates_array]
    assert vector == pytest.approx(scalars)
    royalties = np.array([0.02, 0.05])
    assert rfr_kernel({**RFR, "royalty_rate": royalties}) == pytest.approx(
        [valuate("relief-from-royalty", {**RFR, "royalty_rate": r}).value for r in royalties]
    )


def test_mpeem_with_and_without_premium_profit_profit_split():
    mpeem = valuate(
        "mpeem",
        {
            "revenues": [100.0, 110.0],
            "operating_margin": 0.3,
            "tax_rate": 0.25,
            "discount_rate": 0.15,
            "contributory_assets": [{"name": "working capital", "level": 0.1, "return_on": 0.05}],
        },
    )
    # (100 x 0.3 x 0.75 - 100 x 0.1 x 0.05) / 1.15 + (110 x 0.3 x 0.75 - 110 x 0.1 x 0.05) / 1.15^2
    assert mpeem.value == pytest.approx(22.0 / 1.15 + 24.2 / 1.15**2)
    assert mpeem.schedule[1]["contributory_charges"] == pytest.approx(0.55)
    assert valuate(
        "with-and-without", {"cash_flows_with": [150, 160], "cash_flows_without": [100, 100], "discount_rate": 0.1}
    ).value == pytest.approx(50 / 1.1 + 60 / 1.21)
    premium = valuate(
        "premium-profit",
        {"volumes": [1000, 1000], "price_premium": 2.0, "incremental_cost_per_unit": 0.5, "tax_rate": 0.2,
         "discount_rate": 0.1},
    )  # fmt: skip
    assert premium.value == pytest.approx(1200 / 1.1 + 1200 / 1.21)
    split = valuate(
        "profit-split",
        {"profits": [400.0], "split": 0.25, "rule": "25% rule", "tax_rate": 0.25, "discount_rate": 0.1,
         "revenues": [2000.0]},
    )  # fmt: skip
    assert split.value == pytest.approx(75 / 1.1)
    assert split.breakdown["implied_royalty_rate"] == pytest.approx(0.05)
    assert "heuristic" in split.warnings[0] and "25% rule" in split.warnings[0]


def test_every_method_documents_its_source_and_conventions():
    examples = {
        "npv": {"rate": 0.1, "cash_flows": [1.0]},
        "tab-factor": {"tax_rate": 0.2, "discount_rate": 0.1, "amortisation_years": 10},
        "relief-from-royalty": RFR,
    }
    for name, inputs in examples.items():
        result = valuate(name, inputs)
        assert result.source and result.conventions["price_basis"] == "nominal" and result.assumptions
    assert {"npv", "tab-factor", "relief-from-royalty", "mpeem", "monte-carlo", "sensitivity"} <= set(METHODS)


def test_only_the_base_revenue_varies():
    from ipvalue.valuation import valuate as run

    base = {"base_revenue": 1000.0, "growth_rate": 0.05, "years": 5, "royalty_rate": 0.05, "tax_rate": 0.25,
            "discount_rate": 0.12}  # fmt: skip
    vary = {"base_revenue": {"distribution": {"distribution": "discrete", "values": [2000.0], "probabilities": [1]}}}
    result = run("monte-carlo", {"method": "relief-from-royalty", "inputs": base, "vary": vary, "scenarios": 10})
    assert result.value == pytest.approx(2 * run("relief-from-royalty", base).value)


def test_royalty_rate_outside_the_comparables_range_is_flagged():
    inside = valuate("relief-from-royalty", {**RFR, "comparable_rates": [0.03, 0.04, 0.05, 0.06, 0.07]})
    assert not any("interquartile" in w for w in inside.warnings)
    assert inside.breakdown["comparables_q1"] == pytest.approx(0.04)
    outside = valuate("relief-from-royalty", {**RFR, "royalty_rate": 0.09, "comparable_rates": [0.03, 0.04, 0.05]})
    assert any("outside the interquartile range" in w for w in outside.warnings)
    assert outside.value == pytest.approx(valuate("relief-from-royalty", {**RFR, "royalty_rate": 0.09}).value)
