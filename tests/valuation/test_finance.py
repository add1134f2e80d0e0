"""IP finance: the lender's loan assessment and the licensing deal, checked against hand-computed figures.

Every expected figure below is worked out by hand in the comments next to it (formulas in the module docstring of
``ipvalue.valuation.finance``).
"""

from __future__ import annotations

import io
import json
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

import ipvalue.valuation.finance  # noqa: F401  (registers the methods)
from ipvalue.valuation import METHODS, valuate
from ipvalue.valuation.cli import main
from ipvalue.valuation.finance import LoanAssessmentInputs, licence_kernel, loan_kernel, loan_parts

FEW = settings(max_examples=40, deadline=None)

# --- Loan assessment -------------------------------------------------------------------------------------------------

LOAN: dict[str, Any] = {
    "collateral": {"appraised_value": 1_000_000},
    "disposal_discount": 0.3,
    "time_to_sell_years": 1,
    "discount_rate": 0.10,
    "ltv_cap": 0.5,
    "requested_loan": 800_000,
    "guarantee_share": 0.5,
    "guarantee_fee_rate": 0.01,
    "insurance_cover": 0.2,
    "probability_of_default": 0.05,
}
# Scheme terms are reproduced with no stress: lending value = appraised value.
UNSTRESSED = {"disposal_discount": 0, "time_to_sell_years": 0, "discount_rate": 0.1, "probability_of_default": 0.02}

RFR = {"base_revenue": 1e6, "growth_rate": 0.05, "years": 15, "royalty_rate": 0.05, "tax_rate": 0.25,
       "discount_rate": 0.12}  # fmt: skip
SIMULATED = {
    "method": "relief-from-royalty",
    "inputs": RFR,
    "vary": {"royalty_rate": {"distribution": {"distribution": "triangular", "low": 0.02, "mode": 0.05, "high": 0.08}}},
    "scenarios": 20_000,
    "seed": 3,
}


def test_registered() -> None:
    assert METHODS["loan-assessment"].kernel is loan_kernel
    assert METHODS["licence"].kernel is licence_kernel


def test_loan_hand_computed() -> None:
    result = valuate("loan-assessment", LOAN)
    b = result.breakdown
    # lending value = 1,000,000 x (1 - 0.3) / 1.1^1 = 700,000 / 1.1 = 636,363.64
    assert b["lending_value"] == pytest.approx(700_000 / 1.1)
    # maximum loan = 0.5 x 636,363.64 = 318,181.82 (no absolute cap)
    assert result.value == b["maximum_loan"] == pytest.approx(350_000 / 1.1)
    # LTV = 800,000 / 1,000,000 = 0.8 on the appraised value; 800,000 / 636,363.64 = 1.2571 on the lending value
    assert b["collateral_value"] == 1_000_000
    assert b["ltv_requested"] == pytest.approx(0.8)
    assert b["ltv_requested_on_lending_value"] == pytest.approx(800_000 * 1.1 / 700_000)
    # EAD = 800,000; recovery = min(800,000, 636,363.64) = 636,363.64; shortfall = 163,636.36 = 1.8m / 11
    assert b["exposure_at_default"] == 800_000
    assert b["recovery_amount"] == pytest.approx(700_000 / 1.1)
    assert b["shortfall"] == pytest.approx(1_800_000 / 11)
    # guarantee = 0.5 x 163,636.36 = 81,818.18; insurance = 0.2 x 81,818.18 = 16,363.64; net = 65,454.55 = 720,000/11
    assert b["guarantee_payment"] == pytest.approx(900_000 / 11)
    assert b["insurance_payment"] == pytest.approx(180_000 / 11)
    assert b["net_loss"] == pytest.approx(720_000 / 11)
    # LGD = 65,454.55 / 800,000 = 0.9 / 11 = 0.081818; EL = 0.05 x 0.081818 x 800,000 = 3,272.73 = 36,000 / 11
    assert b["loss_given_default"] == pytest.approx(0.9 / 11)
    assert b["expected_loss"] == pytest.approx(36_000 / 11)
    # guarantee fee = 0.01 x (0.5 x 800,000) = 4,000 a year
    assert b["guarantee_fee_per_year"] == pytest.approx(4_000)
    assert any("exceeds the maximum loan" in warning for warning in result.warnings)


def test_expected_loss_is_pd_times_lgd_times_ead() -> None:
    for pd in (0.0, 0.01, 0.3, 1.0):
        b = valuate("loan-assessment", {**LOAN, "probability_of_default": pd}).breakdown
        assert b["expected_loss"] == pytest.approx(pd * b["loss_given_default"] * b["exposure_at_default"])


def test_recovery_scenario_is_dated_and_adds_up() -> None:
    result = valuate("loan-assessment", LOAN)
    steps = {step["step"]: step for step in result.extra["recovery_scenario"]}
    assert list(steps) == ["default", "sale_proceeds", "guarantee_payment", "insurance_payment", "net_loss"]
    assert steps["default"]["year"] == 0 and steps["default"]["present_value"] == 800_000
    # the sale comes after 1 year: 700,000 of gross proceeds, all of it to the lender (below the debt x 1.1)
    assert steps["sale_proceeds"]["year"] == 1
    assert steps["sale_proceeds"]["gross_sale_proceeds"] == pytest.approx(700_000)
    assert steps["sale_proceeds"]["amount"] == pytest.approx(700_000)
    # net loss at year 1 = 65,454.55 x 1.1 = 72,000
    assert steps["net_loss"]["amount"] == pytest.approx(72_000)
    recovered = sum(
        steps[name]["present_value"] for name in ("sale_proceeds", "guarantee_payment", "insurance_payment")
    )
    assert recovered + steps["net_loss"]["present_value"] == pytest.approx(800_000)


def test_small_loan_is_fully_recovered() -> None:
    # lending value 636,363.64 > loan 300,000: recovery = 300,000, LGD = 0, EL = 0
    b = valuate("loan-assessment", {**LOAN, "requested_loan": 300_000}).breakdown
    assert b["recovery_amount"] == 300_000
    assert b["loss_given_default"] == 0 and b["expected_loss"] == 0


def test_absolute_cap_and_term() -> None:
    # min(318,181.82, 200,000) = 200,000; fee over 5 years = 4,000 x 5 = 20,000
    result = valuate("loan-assessment", {**LOAN, "loan_cap_amount": 200_000, "loan_term_years": 5})
    assert result.value == 200_000
    assert result.breakdown["guarantee_fee_total"] == pytest.approx(20_000)


def test_malaysia_preset_caps_at_ten_million_for_a_large_ip_value() -> None:
    result = valuate(
        "loan-assessment",
        {"collateral": {"appraised_value": 50_000_000}, "requested_loan": 4_000_000, "preset": "malaysia-ipfs",
         **UNSTRESSED},
    )  # fmt: skip
    # min(0.8 x 50,000,000 = 40,000,000, 10,000,000) = 10,000,000
    assert result.value == 10_000_000
    assert result.conventions["ltv_cap"] == 0.8 and result.conventions["loan_cap_amount"] == 10_000_000
    # 50% guarantee for 0.5% a year: 0.005 x 0.5 x 4,000,000 = 10,000
    assert result.breakdown["guarantee_fee_per_year"] == pytest.approx(10_000)
    assert result.extra["preset"] == "malaysia-ipfs"
    assert "cgc.com.my" in result.extra["preset_source"]
    assert "Credit Guarantee Corporation Malaysia" in result.source


def test_malaysia_preset_caps_at_eighty_percent_for_a_small_ip_value() -> None:
    result = valuate(
        "loan-assessment",
        {"collateral": {"appraised_value": 5_000_000}, "requested_loan": 5_000_000, "preset": "malaysia-ipfs",
         **UNSTRESSED},
    )  # fmt: skip
    # min(0.8 x 5,000,000 = 4,000,000, 10,000,000) = 4,000,000
    assert result.value == pytest.approx(4_000_000)
    # the loan of 5,000,000 is fully covered by the unstressed value: recovery 5,000,000, no loss, so the
    # guarantee pays nothing; its fee is 0.005 x 0.5 x 5,000,000 = 12,500 a year
    assert result.breakdown["guarantee_payment"] == 0
    assert result.breakdown["guarantee_fee_per_year"] == pytest.approx(12_500)


def test_malaysia_guarantee_pays_half_of_the_loss() -> None:
    # lending value = 5,000,000 x 0.5 = 2,500,000; loan 4,000,000: shortfall 1,500,000, guarantee 750,000,
    # LGD = 750,000 / 4,000,000 = 0.1875, EL = 0.02 x 750,000 = 15,000
    b = valuate(
        "loan-assessment",
        {"collateral": {"appraised_value": 5_000_000}, "requested_loan": 4_000_000, "preset": "malaysia-ipfs",
         **UNSTRESSED, "disposal_discount": 0.5},
    ).breakdown  # fmt: skip
    assert b["guarantee_payment"] == pytest.approx(750_000)
    assert b["loss_given_default"] == pytest.approx(0.1875)
    assert b["expected_loss"] == pytest.approx(15_000)


def test_explicit_fields_override_a_preset() -> None:
    result = valuate(
        "loan-assessment",
        {"collateral": {"appraised_value": 5_000_000}, "requested_loan": 1_000_000, "preset": "malaysia-ipfs",
         "ltv_cap": 0.6, **UNSTRESSED},
    )  # fmt: skip
    assert result.value == pytest.approx(3_000_000)  # 0.6 x 5,000,000
    assert result.breakdown["guarantee_fee_per_year"] == pytest.approx(2_500)  # 0.005 x 0.5 x 1,000,000
    assert any("replaces the malaysia-ipfs preset" in warning for warning in result.warnings)


def test_uk_preset_caps_at_half() -> None:
    result = valuate(
        "loan-assessment",
        {"collateral": {"appraised_value": 2_000_000}, "requested_loan": 500_000, "preset": "uk-bank-50", **UNSTRESSED},
    )
    assert result.value == pytest.approx(1_000_000)  # 0.5 x 2,000,000
    assert result.breakdown["guarantee_fee_per_year"] == 0
    assert result.extra["preset"] == "uk-bank-50"
    assert "Banking on IP?" in result.extra["preset_source"]


def test_monte_carlo_collateral_lends_on_a_low_percentile() -> None:
    inputs = {"collateral": {"monte_carlo": SIMULATED}, "confidence_percentile": 10, "requested_loan": 100_000,
              "ltv_cap": 0.5, **UNSTRESSED}  # fmt: skip
    result = valuate("loan-assessment", inputs)
    b = result.breakdown
    simulation = valuate("monte-carlo", {**SIMULATED, "percentiles": [10, 50]}).breakdown  # the same seed
    assert b["collateral_value"] == simulation["p50"]  # the LTV is on the median
    assert b["lending_value"] == simulation["p10"] < simulation["p50"]
    assert result.value == pytest.approx(0.5 * simulation["p10"])
    assert b["ltv_requested"] == pytest.approx(100_000 / simulation["p50"])
    assert result.extra["collateral_distribution"]["percentiles"]["p10"] == simulation["p10"]
    assert result.conventions["collateral_value"] == "the median of the simulated values"


def test_monte_carlo_collateral_warnings() -> None:
    wide = {**SIMULATED, "vary": {"royalty_rate": {"distribution": {"distribution": "lognormal", "mean": 0.05,
                                                                       "sd": 0.06}}}}  # fmt: skip
    result = valuate(
        "loan-assessment",
        {"collateral": {"monte_carlo": wide}, "confidence_percentile": 75, "requested_loan": 1, "ltv_cap": 0.5,
         **UNSTRESSED},
    )  # fmt: skip
    assert any("very wide" in warning for warning in result.warnings)
    assert any("above the median" in warning for warning in result.warnings)


def test_kernel_is_vectorised_and_monte_carlo_runs_on_it() -> None:
    params = METHODS["loan-assessment"].inputs.model_validate(LOAN).model_dump()
    params["collateral"]["appraised_value"] = np.array([1e6, 2e6, 3e6])
    params["disposal_discount"] = np.array([0.3, 0.3, 0.5])
    # 0.5 x [700,000, 1,400,000, 1,500,000] / 1.1
    np.testing.assert_allclose(loan_kernel(params), np.array([350_000, 700_000, 750_000]) / 1.1)
    assert loan_parts(params)["loss_given_default"].shape == (3,)
    simulated = valuate(
        "monte-carlo",
        {"method": "loan-assessment", "inputs": LOAN, "scenarios": 2000, "seed": 1,
         "vary": {"collateral.appraised_value": {"distribution": {"distribution": "lognormal", "mean": 1e6,
                                                                  "sd": 3e5}}}},
    )  # fmt: skip
    assert simulated.breakdown["deterministic_value"] == pytest.approx(350_000 / 1.1)
    assert simulated.breakdown["p10"] < simulated.breakdown["p90"]


def test_a_simulated_collateral_reports_its_scenarios() -> None:
    """The HTTP API caps a request's ``scenarios``; the collateral's nested simulation is exposed under that name."""
    simulated = {"collateral": {"monte_carlo": SIMULATED}, "requested_loan": 1, "ltv_cap": 0.5, **UNSTRESSED}
    assert LoanAssessmentInputs.model_validate(simulated).scenarios == 20_000
    assert LoanAssessmentInputs.model_validate(LOAN).scenarios is None


def test_simulating_a_simulated_collateral_is_refused() -> None:
    inputs = {"collateral": {"monte_carlo": {**SIMULATED, "scenarios": 200}}, "requested_loan": 1, "ltv_cap": 0.5,
              **UNSTRESSED}  # fmt: skip
    with pytest.raises(ValidationError) as caught:
        valuate(
            "monte-carlo",
            {"method": "loan-assessment", "inputs": inputs, "scenarios": 100, "seed": 1,
             "vary": {"disposal_discount": {"distribution": {"distribution": "uniform", "low": 0.1, "high": 0.2}}}},
        )  # fmt: skip
    assert caught.value.errors()[0]["loc"] == ("collateral",)


# --- Licence ---------------------------------------------------------------------------------------------------------

LICENCE: dict[str, Any] = {
    "revenues": [1000, 2000, 500, 9999],
    "term_years": 3,
    "royalty_rate": 0.05,
    "minimum_annual_royalty": 60,
    "upfront_fee": 100,
    "milestones": [{"year": 1, "amount": 200, "probability": 0.5}, {"year": 2.5, "amount": 1000, "probability": 0.2}],
    "discount_rate": 0.10,
    "tax_rate": 0.2,
    "licensee_operating_margin": 0.2,
}


def test_licence_hand_computed() -> None:
    result = valuate("licence", LICENCE)
    b = result.breakdown
    # royalties 5% of 1000, 2000, 500 (year 4 is after the term) = 50, 100, 25; minimum 60 -> paid 60, 100, 60
    # royalties PV = 60/1.1 + 100/1.21 + 60/1.331 = 54.545455 + 82.644628 + 45.078888 = 182.268971
    assert b["royalties_pv"] == pytest.approx(60 / 1.1 + 100 / 1.1**2 + 60 / 1.1**3)
    assert b["royalties_pv"] == pytest.approx(182.268971, abs=1e-6)
    # milestones: 0.5 x 200 / 1.1 + 0.2 x 1000 / 1.1^2.5 = 90.909091 + 157.597122 = 248.506213
    assert b["expected_milestones_pv"] == pytest.approx(100 / 1.1 + 200 / 1.1**2.5)
    assert b["expected_milestones_pv"] == pytest.approx(248.506213, abs=1e-6)
    # NPV licensor = (1 - 0.2) x (100 + 182.268971 + 248.506213) = 0.8 x 530.775184 = 424.620147
    assert result.value == b["npv_licensor"] == pytest.approx(424.620147, abs=1e-6)
    # licensee: profit 20% of revenue = 200, 400, 100; PV = 181.818182 + 330.578512 + 75.131480 = 587.528174;
    # after tax 0.8 x 587.528174 = 470.022539; less its after-tax payments 424.620147 = 45.402392
    assert b["npv_licensee"] == pytest.approx(0.8 * (200 / 1.1 + 400 / 1.1**2 + 100 / 1.1**3) - b["npv_licensor"])
    assert b["npv_licensee"] == pytest.approx(45.402392, abs=1e-6)
    # profit split: 25% x 20% margin = 5% royalty
    assert b["royalty_rate_for_profit_split"] == pytest.approx(0.05)
    assert any("25% rule" in warning and "Uniloc" in warning for warning in result.warnings)
    assert "Goldscheider" in result.source


def test_licence_schedule() -> None:
    result = valuate("licence", LICENCE)
    rows = {int(row["year"]): row for row in result.schedule}
    assert list(rows) == [0, 1, 2, 3]  # year 0 for the upfront fee; revenues after the 3-year term are ignored
    assert rows[0]["upfront_fee"] == 100 and rows[0]["present_value"] == pytest.approx(80)  # 0.8 x 100
    # year 1: royalty 50 topped up by 10 to 60; milestone 0.5 x 200 = 100; after tax 0.8 x 160 = 128
    assert rows[1]["royalty"] == 50 and rows[1]["minimum_top_up"] == 10
    assert rows[1]["milestone_expected"] == 100
    assert rows[1]["licensor_cash_flow_after_tax"] == pytest.approx(128)
    assert rows[1]["present_value"] == pytest.approx(128 / 1.1)
    assert rows[2]["minimum_top_up"] == 0  # 100 > 60
    # year 3: the 2.5-year milestone (0.2 x 1000 = 200) is discounted from 2.5 years, the royalty from 3
    assert rows[3]["minimum_top_up"] == pytest.approx(35) and rows[3]["milestone_expected"] == pytest.approx(200)
    assert rows[3]["present_value"] == pytest.approx(0.8 * (60 / 1.1**3 + 200 / 1.1**2.5))
    assert sum(row["present_value"] for row in result.schedule) == pytest.approx(result.value)


def test_minimum_royalty_tops_up_a_low_year() -> None:
    # revenues 1000 and 100 at 10%: royalties 100 and 10; minimum 50 -> 100 and 50; no tax, no discounting
    base = {"revenues": [1000, 100], "royalty_rate": 0.1, "discount_rate": 0, "tax_rate": 0}
    assert valuate("licence", base).value == pytest.approx(110)
    topped = valuate("licence", {**base, "minimum_annual_royalty": 50})
    assert topped.value == pytest.approx(150)
    assert [row["minimum_top_up"] for row in topped.schedule] == [0, 40]
    assert any("minimum annual royalty exceeds the royalty in 1 of 2" in w for w in topped.warnings)


def test_milestones_are_probability_weighted() -> None:
    # one milestone of 1000 at year 2 with probability 0.3, 10% discount rate, no tax: 300 / 1.21 = 247.93
    base = {"revenues": [0, 0], "royalty_rate": 0.1, "discount_rate": 0.1, "tax_rate": 0}
    milestone = {"year": 2, "amount": 1000, "probability": 0.3}
    result = valuate("licence", {**base, "milestones": [milestone]})
    assert result.value == pytest.approx(300 / 1.21)
    assert result.breakdown["expected_milestones_pv"] == pytest.approx(300 / 1.21)
    certain = valuate("licence", {**base, "milestones": [{**milestone, "probability": 1}]})
    assert certain.value == pytest.approx(1000 / 1.21)


def test_licence_without_margin_counts_payments_as_the_licensees_cost() -> None:
    # 10% of 100 and 200 = 10 and 20; no discounting; tax 25%: licensor 0.75 x 30 = 22.5, licensee -22.5
    result = valuate("licence", {"revenues": [100, 200], "royalty_rate": 0.1, "discount_rate": 0, "tax_rate": 0.25})
    assert result.value == pytest.approx(22.5)
    assert result.breakdown["npv_licensee"] == pytest.approx(-22.5)
    assert "royalty_rate_for_profit_split" not in result.breakdown


def test_mid_year_timing() -> None:
    # one year of royalty 100 at t = 0.5: 100 / 1.1^0.5
    result = valuate("licence", {"revenues": [1000], "royalty_rate": 0.1, "discount_rate": 0.1, "tax_rate": 0,
                                 "timing": "mid"})  # fmt: skip
    assert result.value == pytest.approx(100 / 1.1**0.5)


def test_royalty_range_gives_ordered_npvs() -> None:
    inputs = {**LICENCE}
    del inputs["royalty_rate"]
    result = valuate("licence", {**inputs, "royalty_rate_range": {"low": 0.03, "high": 0.07}})
    b = result.breakdown
    assert b["npv_licensor_low"] <= b["npv_licensor_mid"] <= b["npv_licensor_high"]
    # the value is at the middle of the range, 5%: the same as the single-rate case above
    assert result.value == b["npv_licensor_mid"] == pytest.approx(valuate("licence", LICENCE).value)
    # at 7%: royalties 70, 140, 35 -> 70, 140, 60; the high NPV adds 0.8 x (10/1.1 + 40/1.21) over the mid
    assert b["npv_licensor_high"] - b["npv_licensor_mid"] == pytest.approx(0.8 * (10 / 1.1 + 40 / 1.21))


def test_licence_kernel_is_vectorised() -> None:
    params = METHODS["licence"].inputs.model_validate(LICENCE).model_dump()
    params["royalty_rate"] = np.array([0.05, 0.05])
    params["discount_rate"] = np.array([0.10, 0.0])
    values = licence_kernel(params)
    # no discounting: 0.8 x (100 + 60 + 100 + 60 + 100 + 200) = 0.8 x 620 = 496
    np.testing.assert_allclose(values, [424.620147, 496.0], atol=1e-6)
    simulated = valuate(
        "monte-carlo",
        {"method": "licence", "inputs": LICENCE, "scenarios": 1000, "seed": 2,
         "vary": {"milestones[1].probability": {"distribution": {"distribution": "uniform", "low": 0, "high": 0.4}}}},
    )  # fmt: skip
    assert simulated.breakdown["min"] < simulated.breakdown["deterministic_value"] < simulated.breakdown["max"]


# --- Validation ------------------------------------------------------------------------------------------------------


def _locations(method: str, inputs: dict[str, Any]) -> list[tuple[Any, ...]]:
    with pytest.raises(ValidationError) as caught:
        valuate(method, inputs)
    return [tuple(error["loc"]) for error in caught.value.errors()]


WITHOUT_RATE = {key: value for key, value in LICENCE.items() if key != "royalty_rate"}


@pytest.mark.parametrize(
    ("method", "inputs", "location"),
    [
        ("loan-assessment", {**LOAN, "probability_of_default": 1.5}, ("probability_of_default",)),
        ("loan-assessment", {**LOAN, "disposal_discount": 1}, ("disposal_discount",)),
        ("loan-assessment", {**LOAN, "collateral": {"appraised_value": 1e6, "monte_carlo": SIMULATED}},
         ("collateral", "monte_carlo")),
        ("loan-assessment", {**LOAN, "collateral": {}}, ("collateral",)),
        ("loan-assessment", {**LOAN, "collateral": {"appraised_value": 0}}, ("collateral", "appraised_value")),
        ("loan-assessment", {**LOAN, "ltv_cap": None}, ("ltv_cap",)),
        ("loan-assessment", {**LOAN, "ltv_cap": 1.2}, ("ltv_cap",)),
        ("loan-assessment", {**LOAN, "confidence_percentile": 100}, ("confidence_percentile",)),
        ("loan-assessment", {**LOAN, "preset": "atlantis"}, ("preset",)),
        ("loan-assessment", {**LOAN, "requested_loan": 0}, ("requested_loan",)),
        ("loan-assessment", {**LOAN, "loan_value": 1}, ("loan_value",)),
        ("loan-assessment", {**LOAN, "collateral": {"monte_carlo": {**SIMULATED, "method": "loan-assessment"}}},
         ("collateral", "monte_carlo")),
        ("licence", {**LICENCE, "milestones": [{"year": 1, "amount": 1, "probability": 2}]},
         ("milestones", 0, "probability")),
        ("licence", {**LICENCE, "term_years": 5}, ("term_years",)),
        ("licence", WITHOUT_RATE, ("royalty_rate",)),
        ("licence", {**LICENCE, "royalty_rate_range": {"low": 0.01, "high": 0.02}}, ("royalty_rate_range",)),
        ("licence", {**WITHOUT_RATE, "royalty_rate_range": {"low": 0.05, "high": 0.02}},
         ("royalty_rate_range", "high")),
        ("licence", {**LICENCE, "revenues": [100, -1, 100]}, ("revenues", 1)),
        ("licence", {**LICENCE, "tax_rate": 1}, ("tax_rate",)),
        ("licence", {**LICENCE, "discount_rate": float("nan")}, ("discount_rate",)),
    ],
)  # fmt: skip
def test_invalid_input_names_the_field(method: str, inputs: dict[str, Any], location: tuple[Any, ...]) -> None:
    assert location in _locations(method, inputs)


def test_cli_refuses_a_probability_of_default_above_one() -> None:
    out = io.StringIO()
    status = main(["loan-assessment"], stdin=io.StringIO(json.dumps({**LOAN, "probability_of_default": 1.5})), out=out)
    assert status == 2
    error = json.loads(out.getvalue())
    assert error["error"] == "invalid input"
    assert [item["loc"] for item in error["detail"]] == [["probability_of_default"]]


def test_cli_writes_the_assessment() -> None:
    out = io.StringIO()
    assert main(["loan-assessment"], stdin=io.StringIO(json.dumps(LOAN)), out=out) == 0
    output = json.loads(out.getvalue())
    assert output["maximum_loan"] == pytest.approx(350_000 / 1.1)
    assert output["recovery_scenario"][0]["step"] == "default"


# --- Properties ------------------------------------------------------------------------------------------------------

values = st.floats(1e3, 1e9)
fractions = st.floats(0.0, 0.99)
loans = st.fixed_dictionaries(
    {
        "collateral": st.fixed_dictionaries({"appraised_value": values}),
        "disposal_discount": fractions,
        "time_to_sell_years": st.floats(0.0, 10.0),
        "discount_rate": st.floats(0.0, 0.5),
        "ltv_cap": st.floats(0.01, 1.0),
        "loan_cap_amount": st.none() | values,
        "requested_loan": values,
        "guarantee_share": st.floats(0.0, 1.0),
        "guarantee_fee_rate": st.floats(0.0, 0.05),
        "insurance_cover": st.floats(0.0, 1.0),
        "probability_of_default": st.floats(0.0, 1.0),
    }
)


@FEW
@given(loan=loans)
def test_maximum_loan_never_exceeds_the_capped_lending_value(loan: dict[str, Any]) -> None:
    b = valuate("loan-assessment", loan).breakdown
    assert b["maximum_loan"] <= b["lending_value"] * loan["ltv_cap"]
    assert b["lending_value"] <= loan["collateral"]["appraised_value"]
    if loan["loan_cap_amount"] is not None:
        assert b["maximum_loan"] <= loan["loan_cap_amount"]


@FEW
@given(loan=loans)
def test_loss_given_default_lies_between_zero_and_one(loan: dict[str, Any]) -> None:
    b = valuate("loan-assessment", loan).breakdown
    assert 0.0 <= b["loss_given_default"] <= 1.0
    assert 0.0 <= b["expected_loss"] <= b["exposure_at_default"] * (1 + 1e-12)


@FEW
@given(loan=loans, discounts=st.tuples(fractions, fractions))
def test_a_higher_disposal_discount_never_raises_the_maximum_loan(loan: dict[str, Any], discounts: Any) -> None:
    low, high = sorted(discounts)
    at_low = valuate("loan-assessment", {**loan, "disposal_discount": low}).value
    at_high = valuate("loan-assessment", {**loan, "disposal_discount": high}).value
    assert at_high <= at_low
