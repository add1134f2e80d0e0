import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from ipvalue.valuation import valuate
from ipvalue.valuation.uncertainty import CHUNK

BASE = {"base_revenue": 1e6, "growth_rate": 0.05, "years": 15, "royalty_rate": 0.05, "tax_rate": 0.25,
        "discount_rate": 0.12}  # fmt: skip
VARY = {
    "growth_rate": {"distribution": {"distribution": "normal", "mean": 0.05, "sd": 0.02}},
    "royalty_rate": {"distribution": {"distribution": "triangular", "low": 0.03, "mode": 0.05, "high": 0.07}},
    "discount_rate": {"distribution": {"distribution": "uniform", "low": 0.10, "high": 0.14}},
}


def simulate(**options):
    return valuate("monte-carlo", {"method": "relief-from-royalty", "inputs": BASE, **options})


@settings(max_examples=25, deadline=None)
@given(scenarios=st.integers(1, 3000), seed=st.integers(0, 2**32))
def test_inputs_that_do_not_vary_give_the_deterministic_value(scenarios, seed):
    constant = {
        "royalty_rate": {"distribution": {"distribution": "pert", "low": 0.05, "mode": 0.05, "high": 0.05}},
        "growth_rate": {"distribution": {"distribution": "normal", "mean": 0.05, "sd": 0}},
    }
    result = simulate(vary=constant, scenarios=scenarios, seed=seed)
    assert result.value == pytest.approx(valuate("relief-from-royalty", BASE).value, rel=1e-12)
    assert result.breakdown["sd"] == 0


@settings(max_examples=10, deadline=None)
@given(seed=st.integers(0, 2**32), sampling=st.sampled_from(["random", "sobol"]))
def test_a_fixed_seed_gives_the_same_result_twice(seed, sampling):
    first = simulate(vary=VARY, scenarios=2000, seed=seed, sampling=sampling)
    second = simulate(vary=VARY, scenarios=2000, seed=seed, sampling=sampling)
    assert first.as_output() == second.as_output()
    other = simulate(vary=VARY, scenarios=2000, seed=seed + 1, sampling=sampling)
    assert other.value != first.value


def test_statistics_percentiles_and_convergence():
    result = simulate(vary=VARY, scenarios=200_000, seed=7)
    b = result.breakdown
    assert b["p5"] < b["p25"] < b["p50"] < b["p75"] < b["p95"]
    assert b["min"] <= b["p5"] and b["p95"] <= b["max"]
    assert b["standard_error"] == pytest.approx(b["sd"] / np.sqrt(200_000))
    assert result.extra["converged"] and result.extra["scenarios"] == 200_000
    assert sum(result.extra["histogram"]["counts"]) == 200_000
    # The mean of a symmetric-ish simulation is near the deterministic value.
    assert b["mean"] == pytest.approx(b["deterministic_value"], rel=0.03)


def test_sobol_sampling_converges_faster_than_random():
    exact = simulate(vary=VARY, scenarios=1 << 20, seed=1, sampling="sobol").value
    sobol_errors, random_errors = [], []
    for seed in range(8):
        sobol_errors.append(abs(simulate(vary=VARY, scenarios=4096, seed=seed, sampling="sobol").value - exact))
        random_errors.append(abs(simulate(vary=VARY, scenarios=4096, seed=seed).value - exact))
    assert np.mean(sobol_errors) < np.mean(random_errors)


def test_chunks_join_seamlessly():
    """A run longer than one chunk gives the same statistics as its parts would: no scenario lost or repeated."""
    result = simulate(vary=VARY, scenarios=CHUNK + 1000, seed=3)
    assert result.extra["scenarios"] == CHUNK + 1000
    assert result.extra["convergence"][-1]["scenarios"] == CHUNK + 1000


def test_paths_into_lists_and_scaling():
    inputs = {"revenues": [100.0, 200.0, 300.0], "royalty_rate": 0.1, "tax_rate": 0.0, "discount_rate": 0.1}
    one_year = valuate(
        "monte-carlo",
        {"method": "relief-from-royalty", "inputs": inputs, "scenarios": 1000, "seed": 1,
         "vary": {"revenues[1]": {"distribution": {"distribution": "discrete", "values": [0, 400],
                                                   "probabilities": [0.5, 0.5]}}}},
    )  # fmt: skip
    low, high = sorted({round(v, 6) for v in (10 / 1.1 + 0 + 30 / 1.331, 10 / 1.1 + 40 / 1.21 + 30 / 1.331)})
    assert one_year.breakdown["min"] == pytest.approx(low) and one_year.breakdown["max"] == pytest.approx(high)
    scaled = valuate(
        "monte-carlo",
        {"method": "relief-from-royalty", "inputs": inputs, "scenarios": 1000, "seed": 1,
         "vary": {"revenues": {"distribution": {"distribution": "discrete", "values": [2], "probabilities": [1]},
                               "apply": "scale"}}},
    )  # fmt: skip
    assert scaled.value == pytest.approx(2 * valuate("relief-from-royalty", inputs).value)


def test_samples_outside_an_inputs_bounds_are_reported():
    vary = {"tax_rate": {"distribution": {"distribution": "normal", "mean": 0.9, "sd": 0.1}}}
    result = simulate(vary=vary, scenarios=5000, seed=2)
    assert any(w.startswith("tax_rate:") and "outside" in w for w in result.warnings)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"vary": {"royalty": VARY["royalty_rate"]}}, "not an input"),
        ({"vary": {"royalty_rate": {"distribution": {"distribution": "triangular", "low": 1, "mode": 0, "high": 2}}}},
         "low <= mode <= high"),
        ({"vary": {"royalty_rate": {"distribution": {"distribution": "gamma", "a": 1}}}}, "distribution"),
        ({"scenarios": 0}, "scenarios"),
        ({"inputs": {**BASE, "tax_rate": 1.5}}, "inputs.tax_rate"),
        ({"method": "nope"}, "not a method"),
        ({"vary": {"years": {"distribution": {"distribution": "uniform", "low": 10, "high": 20}}}}, "whole-number"),
        (
            {
                "inputs": {k: v for k, v in BASE.items() if k not in ("base_revenue", "growth_rate", "years")}
                | {"revenues": [1.0, 2.0]},
                "vary": {"revenues": VARY["growth_rate"]},
            },
            "scale the whole list",
        ),
    ],
)  # fmt: skip
def test_monte_carlo_input_errors(options, message):
    with pytest.raises(ValidationError, match=message):
        valuate("monte-carlo", {"method": "relief-from-royalty", "inputs": BASE, "scenarios": 10, **options})


def test_tornado_and_sobol_indices():
    result = valuate(
        "sensitivity",
        {
            "method": "relief-from-royalty",
            "inputs": BASE,
            "ranges": {"royalty_rate": {"relative": 0.2}, "tax_rate": {"low": 0.2, "high": 0.3}},
            "variance_based": {"vary": {k: VARY[k] for k in ("growth_rate", "royalty_rate")}, "scenarios": 1024,
                               "seed": 5},
        },
    )  # fmt: skip
    tornado = result.extra["tornado"]
    assert [row["input"] for row in tornado] == ["royalty_rate", "tax_rate"]  # sorted by swing
    base = valuate("relief-from-royalty", BASE).value
    assert tornado[0]["value_at_high"] == pytest.approx(base * 1.2)  # the value is linear in the royalty rate
    assert result.value == pytest.approx(base)
    indices = {row["input"]: row for row in result.extra["sobol_indices"]}
    assert indices["royalty_rate"]["first_order"] > indices["growth_rate"]["first_order"] > 0
    assert sum(row["first_order"] for row in indices.values()) == pytest.approx(1.0, abs=0.1)
