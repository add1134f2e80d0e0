"""The ``loan-book`` method: a book of IP-backed loans with defaults correlated through a one-factor Gaussian copula.

Checks against closed forms: the expected loss sum PD x LGD x EAD; Vasicek's large-portfolio quantile (Vasicek,
"Loan portfolio value", Risk 2002), LGD x Phi((Phi^-1(PD) + sqrt(rho) Phi^-1(alpha)) / sqrt(1 - rho)) x exposure;
the binomial (Poisson-binomial) distribution when rho = 0; and the variance of the loss from the bivariate normal
joint default probabilities. Then a dense reconstruction of a small simulation from the documented random streams,
chunking and threads that do not change the result, and validation that names the field.
"""

from __future__ import annotations

import io
import json
import math
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError
from scipy import stats
from scipy.special import ndtr, ndtri

import ipvalue.valuation.credit  # noqa: F401  (registers the method)
from ipvalue.valuation import METHODS, cli, credit, valuate

MIXED = [
    {"exposure": 1_000_000, "probability_of_default": 0.02, "loss_given_default": 0.45, "sector": "software"},
    {"exposure": 250_000, "probability_of_default": 0.10, "loss_given_default": 0.60, "sector": "biotech"},
    {"exposure": 600_000, "probability_of_default": 0.05, "loss_given_default": 0.30, "sector": "software"},
    {"exposure": 2_000_000, "probability_of_default": 0.01, "loss_given_default": 0.70, "name": "Brand Co"},
    {"exposure": 400_000, "probability_of_default": 0.20, "loss_given_default": 0.50, "sector": "media"},
]


def book(loans: int, seed: int = 3, grades: int | None = None) -> list[dict[str, Any]]:
    """A book of mixed loans; with ``grades``, the probabilities of default take that many values (rating grades)."""
    rng = np.random.default_rng(seed)
    pds = rng.uniform(0.005, 0.10, loans)
    if grades is not None:
        pds = rng.choice(np.linspace(0.005, 0.10, grades), loans)
    return [
        {
            "exposure": float(rng.uniform(1e4, 1e6)),
            "probability_of_default": float(pd),
            "loss_given_default": float(rng.uniform(0.3, 0.8)),
            "sector": ["software", "biotech", "media"][index % 3],
        }
        for index, pd in enumerate(pds)
    ]


def loan_book(loans: list[dict[str, Any]], **options: Any) -> Any:
    return valuate("loan-book", {"loans": loans, **options})


def vasicek_quantile(pd: float, lgd: float, rho: float, alpha: float) -> float:
    return lgd * float(ndtr((ndtri(pd) + math.sqrt(rho) * ndtri(alpha)) / math.sqrt(1 - rho)))


def test_registered_and_not_simulable_again() -> None:
    assert METHODS["loan-book"].kernel is None


# --- Closed forms ----------------------------------------------------------------------------------------------------


def test_expected_loss_is_the_analytic_sum_and_the_simulated_mean_agrees() -> None:
    result = loan_book(MIXED, correlation=0.2, scenarios=50_000, seed=11)
    expected = sum(loan["exposure"] * loan["probability_of_default"] * loan["loss_given_default"] for loan in MIXED)
    assert result.value == pytest.approx(expected, rel=1e-12)
    assert result.breakdown["expected_loss"] == result.value
    error = result.breakdown["expected_loss_standard_error"]
    assert 0 < error < 0.05 * expected
    assert abs(result.breakdown["expected_loss_simulated"] - expected) < 4 * error
    assert result.breakdown["total_exposure"] == pytest.approx(4_250_000)


def test_large_homogeneous_book_matches_vasicek_large_portfolio_quantile() -> None:
    loan = {"exposure": 1000.0, "probability_of_default": 0.02, "loss_given_default": 0.45}
    result = loan_book([loan] * 2000, correlation=0.2, scenarios=20_000, seed=2026)
    rate = vasicek_quantile(0.02, 0.45, 0.2, 0.99)
    analytic = rate * 2000 * 1000.0
    assert result.breakdown["vasicek_loss_rate_quantile"] == pytest.approx(rate, rel=1e-12)
    assert result.breakdown["vasicek_loss_quantile"] == pytest.approx(analytic, rel=1e-12)
    assert result.breakdown["asrf_loss_quantile"] == pytest.approx(analytic, rel=1e-12)
    # 2,000 loans are close to the fine-grained limit; over seeds 1-5 the simulated quantile is within 2.1%
    assert result.breakdown["value_at_risk"] == pytest.approx(analytic, rel=0.05)
    assert not any("concentrated" in warning for warning in result.warnings)


def test_vasicek_check_only_for_a_homogeneous_book() -> None:
    result = loan_book(MIXED, correlation=0.2, scenarios=1000, seed=1)
    assert "vasicek_loss_quantile" not in result.breakdown
    weights = np.array([loan["exposure"] * loan["loss_given_default"] for loan in MIXED])
    pds = np.array([loan["probability_of_default"] for loan in MIXED])
    stressed = ndtr((ndtri(pds) + math.sqrt(0.2) * ndtri(0.99)) / math.sqrt(0.8))
    assert result.breakdown["asrf_loss_quantile"] == pytest.approx(float(np.sum(weights * stressed)), rel=1e-12)
    assert any("concentrated" in warning for warning in result.warnings)


def test_zero_correlation_gives_the_binomial_distribution() -> None:
    loan = {"exposure": 1.0, "probability_of_default": 0.05, "loss_given_default": 1.0}
    levels = [1, 5, 10, 25, 50, 75, 90, 95, 99]
    result = loan_book([loan] * 200, correlation=0.0, scenarios=40_000, seed=5, percentiles=levels)
    binomial = stats.binom(200, 0.05)
    assert result.breakdown["loss_sd"] == pytest.approx(binomial.std(), rel=0.03)
    for level in levels:  # the losses are whole numbers of defaults: the quantiles are exact or one default off
        assert abs(result.breakdown[f"p{level:g}"] - binomial.ppf(level / 100)) <= 1
    # rho = 0: no systematic risk, so the fine-grained quantile is the expected loss
    assert result.breakdown["asrf_loss_quantile"] == pytest.approx(10.0, rel=1e-9)


def test_zero_correlation_heterogeneous_variance_is_poisson_binomial() -> None:
    loans = book(60, seed=8)
    result = loan_book(loans, correlation=0.0, scenarios=40_000, seed=9)
    weights = np.array([loan["exposure"] * loan["loss_given_default"] for loan in loans])
    pds = np.array([loan["probability_of_default"] for loan in loans])
    assert result.breakdown["loss_sd"] == pytest.approx(math.sqrt(np.sum(weights**2 * pds * (1 - pds))), rel=0.03)


def test_correlated_variance_matches_bivariate_normal_joint_defaults() -> None:
    """Var L = sum_ij w_i w_j (P(D_i and D_j) - p_i p_j), P(D_i and D_j) = Phi_2(c_i, c_j; rho) for i != j."""
    pds = np.array([0.05, 0.10, 0.15, 0.20])
    weights = np.array([1.0, 2.0, 1.5, 0.5])
    rho = 0.3
    loans = [
        {"exposure": float(w), "probability_of_default": float(p), "loss_given_default": 1.0}
        for w, p in zip(weights, pds, strict=True)
    ]
    result = loan_book(loans, correlation=rho, scenarios=200_000, seed=17)
    thresholds = ndtri(pds)
    variance = 0.0
    for i in range(4):
        for j in range(4):
            if i == j:
                joint = pds[i]
            else:
                joint = stats.multivariate_normal(mean=[0, 0], cov=[[1, rho], [rho, 1]]).cdf(
                    [thresholds[i], thresholds[j]]
                )
            variance += weights[i] * weights[j] * (joint - pds[i] * pds[j])
    assert result.breakdown["loss_sd"] == pytest.approx(math.sqrt(variance), rel=0.02)
    # correlation widens the distribution against the independent book
    independent = math.sqrt(np.sum(weights**2 * pds * (1 - pds)))
    assert result.breakdown["loss_sd"] > 1.1 * independent


# --- Risk measures and contributions ---------------------------------------------------------------------------------


def test_shortfall_at_least_var_at_least_expected_loss() -> None:
    result = loan_book(book(300), correlation=0.15, scenarios=20_000, seed=4)
    figures = result.breakdown
    assert figures["expected_shortfall"] >= figures["value_at_risk"] >= figures["expected_loss"]
    assert figures["unexpected_loss"] == pytest.approx(figures["value_at_risk"] - figures["expected_loss"])
    assert figures["p99"] == figures["value_at_risk"]  # same quantile definition
    assert figures["p50"] <= figures["p90"] <= figures["p95"] <= figures["p99"] <= figures["p99.9"]
    assert figures["p99.9"] <= figures["max_loss"]
    assert result.extra["tail_scenarios"] == 200
    assert sum(result.extra["histogram"]["counts"]) == 20_000
    assert len(result.extra["histogram"]["edges"]) == len(result.extra["histogram"]["counts"]) + 1


def test_contributions_add_up_and_rank_the_loans() -> None:
    loans = book(40, seed=12)
    result = loan_book(loans, correlation=0.25, scenarios=5000, seed=13, top_contributors=40, confidence=0.995)
    figures, rows = result.breakdown, result.extra["top_contributors"]
    assert len(rows) == 40
    assert sum(row["es_contribution"] for row in rows) == pytest.approx(figures["expected_shortfall"], rel=1e-9)
    assert sum(row["expected_loss"] for row in rows) == pytest.approx(figures["expected_loss"], rel=1e-12)
    assert sum(row["es_share"] for row in rows) == pytest.approx(1.0, rel=1e-9)
    contributions = [row["es_contribution"] for row in rows]
    assert contributions == sorted(contributions, reverse=True)
    for row in rows:
        loan = loans[row["index"]]
        assert row["exposure"] == loan["exposure"] and row["sector"] == loan["sector"]
        assert row["expected_loss"] == pytest.approx(
            loan["exposure"] * loan["probability_of_default"] * loan["loss_given_default"]
        )
        assert row["es_contribution"] <= loan["exposure"] * loan["loss_given_default"] * (1 + 1e-12)
    sectors = {row["sector"]: row for row in result.extra["sectors"]}
    assert set(sectors) == {"software", "biotech", "media"}
    assert sum(row["loans"] for row in sectors.values()) == 40
    assert sum(row["es_contribution"] for row in sectors.values()) == pytest.approx(
        figures["expected_shortfall"], rel=1e-9
    )
    assert sum(row["expected_loss"] for row in sectors.values()) == pytest.approx(figures["expected_loss"], rel=1e-12)
    assert len(loan_book(loans, correlation=0.25, scenarios=500, seed=1).extra["top_contributors"]) == 10


def dense_simulation(loans: list[dict[str, Any]], rho: float, scenarios: int, seed: int) -> np.ndarray:
    """The documented random streams, as one dense (scenarios x loans) matrix: Z from the first child of
    SeedSequence(seed), the uniforms U_is from the second, scenario-major; loan i defaults when
    U_is < Phi((Phi^-1(PD_i) - sqrt(rho) Z_s) / sqrt(1 - rho)). Every loan here can lose."""
    factor_stream, idiosyncratic = np.random.SeedSequence(seed).spawn(2)
    z = np.random.Generator(np.random.PCG64(factor_stream)).standard_normal(scenarios)
    u = np.random.Generator(np.random.PCG64(idiosyncratic)).random((scenarios, len(loans)))
    pds = np.array([loan["probability_of_default"] for loan in loans])
    p = ndtr((ndtri(pds)[np.newaxis, :] - math.sqrt(rho) * z[:, np.newaxis]) / math.sqrt(1 - rho))
    return u < p


@pytest.mark.parametrize("confidence", [0.99, 0.9975])
def test_matches_a_dense_reconstruction_of_the_streams(confidence: float) -> None:
    """The chunked, two-pass engine against a brute-force dense computation: VaR, ES with Acerbi-Tasche weights
    (0.9975 x 1000 is not a whole number: the VaR scenario gets weight 0.5), and each loan's ES contribution."""
    loans, rho, scenarios, seed = book(25, seed=21), 0.3, 1000, 99
    result = loan_book(loans, correlation=rho, scenarios=scenarios, seed=seed, confidence=confidence,
                       top_contributors=25)  # fmt: skip
    defaults = dense_simulation(loans, rho, scenarios, seed)
    weights = np.array([loan["exposure"] * loan["loss_given_default"] for loan in loans])
    losses = (defaults * weights).sum(axis=1)
    order = np.argsort(losses, kind="stable")
    rank = math.ceil(round(confidence * scenarios, 9))
    var = losses[order[rank - 1]]
    weight = rank - confidence * scenarios
    tail = order[rank:]
    denominator = len(tail) + weight
    shortfall = (losses[tail].sum() + weight * var) / denominator
    assert result.breakdown["value_at_risk"] == pytest.approx(var, rel=1e-12)
    assert result.breakdown["expected_shortfall"] == pytest.approx(shortfall, rel=1e-12)
    assert result.breakdown["expected_loss_simulated"] == pytest.approx(losses.mean(), rel=1e-12)
    per_loan = (defaults[tail].sum(axis=0) + weight * defaults[order[rank - 1]]) * weights / denominator
    for row in result.extra["top_contributors"]:
        assert row["es_contribution"] == pytest.approx(per_loan[row["index"]], rel=1e-12, abs=1e-9)


def test_loans_that_cannot_lose_and_certain_defaults() -> None:
    loans = [
        {"exposure": 100.0, "probability_of_default": 0.0, "loss_given_default": 0.5, "sector": "a"},
        {"exposure": 100.0, "probability_of_default": 0.3, "loss_given_default": 0.0, "sector": "a"},
        {"exposure": 100.0, "probability_of_default": 1.0, "loss_given_default": 0.4, "sector": "b"},
    ]
    result = loan_book(loans, correlation=0.5, scenarios=2000, seed=1, top_contributors=3)
    figures = result.breakdown
    assert figures["expected_loss"] == figures["value_at_risk"] == figures["expected_shortfall"] == 40.0
    assert figures["loss_sd"] == 0 and figures["probability_of_no_loss"] == 0
    assert result.extra["histogram"] == {"edges": [40.0, 40.0], "counts": [2000]}
    assert [row["index"] for row in result.extra["top_contributors"]] == [2, 0, 1]
    assert result.extra["top_contributors"][2]["es_contribution"] == 0
    nothing = loan_book(loans[:2], correlation=0.5, scenarios=100, seed=1)
    assert nothing.value == 0 and nothing.breakdown["max_loss"] == 0 and nothing.breakdown["expected_shortfall"] == 0
    assert nothing.breakdown["effective_number_of_loans"] == 1  # EAD x LGD of 50 and 0


def test_few_tail_scenarios_and_a_var_below_expected_loss_are_flagged() -> None:
    one = [{"exposure": 100.0, "probability_of_default": 0.005, "loss_given_default": 1.0}]
    result = loan_book(one, correlation=0.1, scenarios=1000, seed=3)
    assert result.breakdown["value_at_risk"] == 0 < result.breakdown["expected_loss"]
    assert any("below the expected loss" in warning for warning in result.warnings)
    assert any("rest on 10 tail scenarios" in warning for warning in result.warnings)


# --- Reproducibility, chunks and threads -----------------------------------------------------------------------------


def test_a_fixed_seed_gives_the_same_result_twice() -> None:
    loans = book(50)
    first = loan_book(loans, correlation=0.2, scenarios=3000, seed=7)
    assert first.as_output() == loan_book(loans, correlation=0.2, scenarios=3000, seed=7).as_output()
    assert first.breakdown != loan_book(loans, correlation=0.2, scenarios=3000, seed=8).breakdown


def test_a_missing_seed_is_drawn_and_reported() -> None:
    loans = book(20)
    first = loan_book(loans, correlation=0.2, scenarios=500)
    seed = first.extra["seed"]
    assert first.conventions["seed"] == seed and any(str(seed) in text for text in first.assumptions)
    assert loan_book(loans, correlation=0.2, scenarios=500, seed=seed).breakdown == first.breakdown


@pytest.mark.parametrize("grades", [None, 4])  # distinct PDs; or rating grades sharing one Phi per grade
def test_chunk_size_and_threads_do_not_change_the_result(monkeypatch: pytest.MonkeyPatch, grades: int | None) -> None:
    loans = book(30, seed=5, grades=grades)
    options = {"correlation": 0.2, "scenarios": 2000, "seed": 31, "top_contributors": 30, "confidence": 0.95}
    monkeypatch.setattr(credit, "CHUNK_ENTRIES", 1 << 30)
    monkeypatch.setattr(credit, "WORKERS", 1)
    single = loan_book(loans, **options).model_dump()
    for entries, workers in [(1, 1), (1, 2), (45, 2), (1000, 3)]:  # one scenario a chunk; 1 and 33 scenarios
        monkeypatch.setattr(credit, "CHUNK_ENTRIES", entries)
        monkeypatch.setattr(credit, "WORKERS", workers)
        assert loan_book(loans, **options).model_dump() == single


def test_segments_cover_the_tail_in_bounded_runs() -> None:
    tail = np.array([0, 1, 2, 5, 6, 20, 21, 22, 23, 24, 25, 26], dtype=np.int64)
    segments = credit._segments(tail, rows=4, gap=2)
    assert segments == [(0, 4), (4, 3), (20, 4), (24, 3)]
    covered = {row for start, count in segments for row in range(start, start + count)}
    assert set(tail.tolist()) <= covered
    batches = credit._batches(segments, rows=8)
    assert [segment for batch in batches for segment in batch] == segments
    assert all(sum(count for _, count in batch) <= 8 for batch in batches)


@settings(max_examples=15, deadline=None)
@given(
    size=st.integers(1, 12),
    rho=st.floats(0.0, 0.95),
    scenarios=st.integers(1, 400),
    confidence=st.floats(0.5, 0.999),
    seed=st.integers(0, 2**32),
)
def test_invariants(size: int, rho: float, scenarios: int, confidence: float, seed: int) -> None:
    loans = book(size, seed=seed % 1000)
    result = loan_book(loans, correlation=rho, scenarios=scenarios, seed=seed, confidence=confidence,
                       top_contributors=size)  # fmt: skip
    figures = result.breakdown
    assert figures["expected_shortfall"] >= figures["value_at_risk"] * (1 - 1e-12)
    assert figures["max_loss"] >= figures["expected_shortfall"] * (1 - 1e-12)
    total = sum(row["es_contribution"] for row in result.extra["top_contributors"])
    assert total == pytest.approx(figures["expected_shortfall"], rel=1e-9, abs=1e-6)


# --- Validation ------------------------------------------------------------------------------------------------------


def error_locations(payload: dict[str, Any]) -> list[tuple[Any, ...]]:
    with pytest.raises(ValidationError) as caught:
        valuate("loan-book", payload)
    return [tuple(item["loc"]) for item in caught.value.errors()]


@pytest.mark.parametrize(
    ("change", "location"),
    [
        ({"loans": [{**MIXED[0], "probability_of_default": 1.5}]}, ("loans", 0, "probability_of_default")),
        ({"loans": [MIXED[0], {**MIXED[1], "exposure": -5}]}, ("loans", 1, "exposure")),
        ({"loans": [{**MIXED[0], "exposure": 0}]}, ("loans", 0, "exposure")),
        ({"loans": [{**MIXED[0], "loss_given_default": 1.2}]}, ("loans", 0, "loss_given_default")),
        ({"loans": [{**MIXED[0], "colour": "red"}]}, ("loans", 0, "colour")),
        ({"loans": []}, ("loans",)),
        ({"correlation": 1}, ("correlation",)),
        ({"correlation": -0.1}, ("correlation",)),
        ({"scenarios": 0}, ("scenarios",)),
        ({"scenarios": 10_000_001}, ("scenarios",)),
        ({"confidence": 1.0}, ("confidence",)),
        ({"percentiles": [50, 101]}, ("percentiles", 1)),
        ({"top_contributors": -1}, ("top_contributors",)),
        ({"seed": -1}, ("seed",)),
    ],
)
def test_invalid_input_names_the_field(change: dict[str, Any], location: tuple[Any, ...]) -> None:
    payload = {"loans": MIXED, "correlation": 0.2, "scenarios": 1000, **change}
    assert location in error_locations(payload)


def test_work_is_capped_on_scenarios(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(credit, "MAX_LOAN_SCENARIOS", 4000)
    assert error_locations({"loans": MIXED, "correlation": 0.2, "scenarios": 1000}) == [("scenarios",)]
    assert loan_book(MIXED, correlation=0.2, scenarios=800, seed=1).extra["scenarios"] == 800


def test_cli_refuses_a_correlation_of_one() -> None:
    out = io.StringIO()
    status = cli.main(["loan-book"], stdin=io.StringIO(json.dumps({"loans": MIXED, "correlation": 1})), out=out)
    assert status == 2
    error = json.loads(out.getvalue())
    assert error["error"] == "invalid input" and error["detail"][0]["loc"] == ["correlation"]


def test_cli_prints_the_result() -> None:
    out = io.StringIO()
    payload = {"loans": MIXED, "correlation": 0.2, "scenarios": 2000, "seed": 1}
    assert cli.main(["loan-book"], stdin=io.StringIO(json.dumps(payload)), out=out) == 0
    output = json.loads(out.getvalue())
    assert output["method"] == "loan-book" and output["value"] == pytest.approx(output["expected_loss"])
    assert {"value_at_risk", "expected_shortfall", "histogram", "top_contributors", "sectors"} <= set(output)
