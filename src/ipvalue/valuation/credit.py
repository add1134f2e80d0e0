"""IP-backed financing: the loss distribution of a book of loans whose defaults are correlated (DOMAIN.md "IP-backed
financing": "for a book of loans, the loss distribution when defaults are correlated").

The model is the one-factor Gaussian copula of Vasicek ("Probability of loss on loan portfolio", KMV, 1987; "Loan
portfolio value", Risk 15(12), December 2002, pp. 160-162), which is also the asymptotic single risk factor model
behind the Basel II internal ratings-based (IRB) capital formula (Gordy, "A risk-factor model foundation for
ratings-based bank capital rules", Journal of Financial Intermediation 12(3), 2003, pp. 199-232; BCBS,
"International Convergence of Capital Measurement and Capital Standards", June 2006, paragraph 272; BCBS, "An
Explanatory Note on the Basel II IRB Risk Weight Functions", July 2005).

Loan i (exposure at default EAD_i, probability of default PD_i over the horizon, loss given default LGD_i) defaults
in scenario s when its asset value falls below the threshold c_i = Phi^-1(PD_i)::

    sqrt(rho) Z_s + sqrt(1 - rho) e_is < c_i,    Z_s, e_is independent N(0, 1),

and the book loses L_s = sum_i EAD_i x LGD_i x 1{loan i defaults in s}. Given the systematic factor Z the defaults
are independent, each with probability p_i(Z) = Phi((c_i - sqrt(rho) Z) / sqrt(1 - rho)), so a scenario draws Z_s
and then one uniform U_is per loan: loan i defaults when U_is < p_i(Z_s). This is the same distribution as drawing
the e_is (exact, no approximation), and a uniform is exactly one 64-bit draw of the generator, which the second pass
below relies on (a normal variate from numpy's ziggurat takes a variable number of draws).

Memory and time. Scenarios are processed in chunks of about ``CHUNK_ENTRIES`` loan-scenario entries (a chunk's
uniforms, probabilities and default flags; never a dense scenarios x loans matrix), on ``WORKERS`` threads (numpy and
scipy release the GIL). What is kept is one array of ``scenarios`` factors and one of losses. The tail scenarios (those
beyond the value at risk) are only known at the end, so the contributions to expected shortfall take a second pass
over the tail scenarios only, which regenerates their uniforms exactly: the idiosyncratic uniforms come from one
PCG64 stream in scenario-major order, U_is being its (s x loans + i)-th double (one 64-bit draw a double), and
``PCG64.advance`` jumps to any scenario in O(log n) steps. Results therefore do not depend on the chunk size or the
number of threads, and the second pass checks that it reproduces the first pass's losses. Loans with a zero
probability of default or a zero loss given default cannot lose and are left out of the simulation; when a book has
few distinct probabilities of default (rating grades), Phi is evaluated once per grade and scenario (the same numbers,
so an exact shortcut).

Risk measures (Acerbi & Tasche, "On the coherence of expected shortfall", Journal of Banking & Finance 26(7), 2002):
VaR is the lower empirical quantile (the m-th smallest of S losses, m = ceil(alpha S)); ES is the mean of the worst
(1 - alpha) fraction of scenarios, ES = [sum of the S - m largest losses + (m - alpha S) VaR] / ((1 - alpha) S),
which is the mean of the losses beyond VaR when alpha S is a whole number and is never below VaR. Loan i's
contribution to ES is its mean loss over the same weighted tail (Tasche, "Expected shortfall and beyond", Journal of
Banking & Finance 26(7), 2002), so the contributions add up to ES; ties at VaR are broken by scenario number.
"""

from __future__ import annotations

import math
import os
import secrets
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, Any

import numpy as np
import numpy.typing as npt
from pydantic import Field, model_validator
from scipy.special import ndtr, ndtri

from ipvalue.valuation.core import FloatArray, Inputs, Method, ValuationResult, conventions, field_error, register

BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]

CHUNK_ENTRIES = 1 << 19  # loan-scenario entries a chunk: 524,288 (about 9 MB of buffers a thread)
WORKERS = max(1, min(4, os.cpu_count() or 1))  # threads; the results do not depend on it
MAX_LOANS = 100_000
MAX_SCENARIOS = 10_000_000
MAX_LOAN_SCENARIOS = 20_000_000_000  # loans x scenarios: a few minutes on two cores (about 6 ns an entry)
HISTOGRAM_BINS = 40


# --- Inputs ---------------------------------------------------------------------------------------------------------


class Loan(Inputs):
    exposure: float = Field(gt=0.0, description="Exposure at default (EAD), in the currency of the book")
    probability_of_default: float = Field(
        ge=0.0, le=1.0, description="Probability of default over the horizon (usually one year), as a decimal"
    )
    loss_given_default: float = Field(
        ge=0.0, le=1.0, description="Share of the exposure lost on default, after recovery of the IP collateral"
    )
    sector: str | None = Field(None, min_length=1, max_length=100, description="Sector, for the sector totals")
    name: str | None = Field(None, min_length=1, max_length=200, description="Name of the loan or the borrower")


Percentile = Annotated[float, Field(ge=0.0, le=100.0)]


class LoanBookInputs(Inputs):
    loans: list[Loan] = Field(min_length=1, max_length=MAX_LOANS, description="The loans of the book")
    correlation: float = Field(
        ge=0.0,
        lt=1.0,
        description="Asset correlation rho of the one-factor model, from 0 to below 1 (Basel IRB uses 0.12 to 0.24 "
        "for corporate loans)",
    )
    scenarios: int = Field(100_000, ge=1, le=MAX_SCENARIOS, description="Number of simulated scenarios")
    seed: int | None = Field(None, ge=0, description="Seed for reproducible results (drawn and reported if absent)")
    confidence: float = Field(0.99, gt=0.0, lt=1.0, description="Confidence level of value at risk and shortfall")
    percentiles: list[Percentile] = Field(
        default=[50.0, 90.0, 95.0, 99.0, 99.9], min_length=1, max_length=100, description="Loss percentiles to report"
    )
    top_contributors: int = Field(10, ge=0, le=1000, description="How many loans to list by contribution to ES")

    @model_validator(mode="after")
    def _bounded_work(self) -> LoanBookInputs:
        work = len(self.loans) * self.scenarios
        if work > MAX_LOAN_SCENARIOS:
            most = MAX_LOAN_SCENARIOS // len(self.loans)
            message = (
                f"{len(self.loans):,} loans x {self.scenarios:,} scenarios is more than {MAX_LOAN_SCENARIOS:,} "
                f"loan-scenarios; use at most {most:,} scenarios for this book"
            )
            raise field_error(type(self).__name__, "scenarios", message, self.scenarios)
        return self


# --- Simulation -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Book:
    """The loans that can lose, as arrays: weight EAD x LGD, and the default threshold scaled by the idiosyncratic
    volatility, a_i = Phi^-1(PD_i) / sqrt(1 - rho), so that p_i(Z) = Phi(a_i - loading x Z) with
    loading = sqrt(rho / (1 - rho))."""

    weights: FloatArray
    thresholds: FloatArray
    loading: float

    @classmethod
    def of(cls, exposure: FloatArray, pd: FloatArray, lgd: FloatArray, correlation: float) -> Book:
        weights = exposure * lgd
        active = (weights > 0) & (pd > 0)
        scale = math.sqrt(1.0 - correlation)
        return cls(
            weights=np.ascontiguousarray(weights[active]),
            thresholds=np.asarray(ndtri(pd[active]), dtype=np.float64) / scale,
            loading=math.sqrt(correlation) / scale,
        )

    @property
    def size(self) -> int:
        return int(self.weights.size)


class _Workspace(threading.local):
    """A thread's chunk buffers, reused from chunk to chunk."""

    uniforms: FloatArray
    probabilities: FloatArray
    defaults: BoolArray
    shape: tuple[int, int] = (0, 0)

    def get(self, rows: int, loans: int) -> _Workspace:
        if self.shape != (rows, loans):
            self.uniforms = np.empty((rows, loans), dtype=np.float64)
            self.probabilities = np.empty((rows, loans), dtype=np.float64)
            self.defaults = np.empty((rows, loans), dtype=np.bool_)
            self.shape = (rows, loans)
        return self


class Simulation:
    """Default flags and losses of any run of scenarios, the same whichever chunk or thread computes them."""

    def __init__(self, book: Book, factor: FloatArray, stream: np.random.SeedSequence, rows: int) -> None:
        self.book, self.factor, self.stream, self.rows = book, factor, stream, rows
        self.workspace = _Workspace()
        distinct, inverse = np.unique(book.thresholds, return_inverse=True)
        self.shared = 4 * distinct.size <= book.size  # few distinct PDs (rating grades): Phi once per grade
        self.distinct, self.inverse = distinct, inverse.astype(np.intp).reshape(-1)

    def defaults(self, start: int, count: int) -> tuple[BoolArray, FloatArray]:
        """Default flags (count x loans, a view of the thread's buffer) and losses of scenarios start..start+count."""
        loans = self.book.size
        space = self.workspace.get(self.rows, loans)
        uniforms, probabilities = space.uniforms[:count], space.probabilities[:count]
        bits = np.random.PCG64(self.stream)
        bits.advance(start * loans)  # U_is is double number s x loans + i of the stream
        np.random.Generator(bits).random(out=uniforms)
        shift = self.book.loading * self.factor[start : start + count, np.newaxis]
        if self.shared:
            np.take(ndtr(self.distinct - shift), self.inverse, axis=1, out=probabilities)
        else:
            np.subtract(self.book.thresholds, shift, out=probabilities)
            ndtr(probabilities, out=probabilities)
        flags = np.less(uniforms, probabilities, out=space.defaults[:count])
        np.multiply(flags, self.book.weights, out=probabilities)
        return flags, np.asarray(probabilities.sum(axis=1), dtype=np.float64)

    def losses(self, workers: int) -> FloatArray:
        """First pass: the loss of every scenario, chunk by chunk."""
        scenarios = self.factor.size
        losses = np.zeros(scenarios, dtype=np.float64)
        if self.book.size == 0:
            return losses

        def run(start: int) -> None:
            count = min(self.rows, scenarios - start)
            losses[start : start + count] = self.defaults(start, count)[1]

        _run(run, range(0, scenarios, self.rows), workers)
        return losses

    def tail_defaults(self, tail: IntArray, losses: FloatArray, workers: int) -> IntArray:
        """Second pass: how often each loan defaults in the scenarios ``tail`` (sorted), regenerating only those
        scenarios (and short gaps between them, cheaper than a separate jump)."""
        counts = np.zeros(self.book.size, dtype=np.int64)
        if self.book.size == 0 or tail.size == 0:
            return counts
        lock = threading.Lock()

        def run(segments: list[tuple[int, int]]) -> None:
            local = np.zeros(self.book.size, dtype=np.int64)
            for start, count in segments:
                flags, chunk = self.defaults(start, count)
                first, last = np.searchsorted(tail, [start, start + count])
                rows = tail[first:last] - start
                if not np.array_equal(chunk[rows], losses[tail[first:last]]):
                    raise RuntimeError("the tail pass did not reproduce the simulated losses")  # pragma: no cover
                local += flags[rows].sum(axis=0, dtype=np.int64)
            with lock:
                counts[:] += local

        gap = min(self.rows - 1, max(0, 4096 // self.book.size))
        _run(run, _batches(_segments(tail, self.rows, gap), self.rows), workers)
        return counts


def _run(task: Callable[[Any], None], items: Iterable[Any], workers: int) -> None:
    jobs = list(items)
    if workers <= 1 or len(jobs) <= 1:
        for job in jobs:
            task(job)
        return
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for _ in pool.map(task, jobs):
            pass


def _segments(indices: IntArray, rows: int, gap: int) -> list[tuple[int, int]]:
    """Runs of scenarios (start, count) covering the sorted ``indices``: neighbours at most ``gap`` apart share a run,
    and no run is longer than ``rows``."""
    breaks = np.flatnonzero(np.diff(indices) > gap + 1) + 1
    starts = indices[np.concatenate(([0], breaks))]
    ends = indices[np.concatenate((breaks - 1, [indices.size - 1]))] + 1
    segments: list[tuple[int, int]] = []
    for first, last in zip(starts.tolist(), ends.tolist(), strict=True):
        segments.extend((start, min(rows, last - start)) for start in range(first, last, rows))
    return segments


def _batches(segments: list[tuple[int, int]], rows: int) -> list[list[tuple[int, int]]]:
    """Segments grouped into tasks of about ``rows`` scenarios, so that many short runs do not mean many tasks."""
    batches: list[list[tuple[int, int]]] = []
    size = rows
    for segment in segments:
        if size + segment[1] > rows:
            batches.append([])
            size = 0
        batches[-1].append(segment)
        size += segment[1]
    return batches


def _rank(level: Decimal, scenarios: int) -> int:
    """m = ceil(level x S) in exact decimal arithmetic (0.99 x 100,000 is 99,000, not 99,000.000...01), in [1, S]."""
    return min(scenarios, max(1, math.ceil(level * scenarios)))


def _decimal(value: float) -> Decimal:
    return Decimal(repr(value))


@dataclass(frozen=True)
class Tail:
    """The weighted tail of Acerbi & Tasche: the scenarios ranked above m (weight 1 each) and the scenario ranked m
    (the VaR scenario, weight m - alpha S); scenarios of equal loss are ranked by their number."""

    value_at_risk: float
    scenarios: IntArray  # sorted
    var_scenario: int
    var_weight: float
    denominator: float  # (1 - alpha) S = len(scenarios) + var_weight


def tail_of(losses: FloatArray, confidence: float) -> Tail:
    count = losses.size
    rank = _rank(_decimal(confidence), count)
    value = float(np.partition(losses, rank - 1)[rank - 1])
    below = int(np.count_nonzero(losses < value))
    ties = np.flatnonzero(losses == value)
    position = rank - 1 - below  # the VaR scenario's place among the ties, ordered by scenario number
    scenarios = np.sort(np.concatenate((np.flatnonzero(losses > value), ties[position + 1 :]))).astype(np.int64)
    weight = float(rank - _decimal(confidence) * count)
    return Tail(value, scenarios, int(ties[position]), weight, scenarios.size + weight)


# --- Evaluation -----------------------------------------------------------------------------------------------------


def asrf_quantile(weights: FloatArray, pd: FloatArray, correlation: float, confidence: float) -> float:
    """The loss quantile of an infinitely fine-grained book (Vasicek 2002; Gordy 2003, Proposition 5; the Basel IRB
    formula without maturity adjustment): sum_i EAD_i LGD_i Phi((Phi^-1(PD_i) + sqrt(rho) Phi^-1(alpha)) /
    sqrt(1 - rho)). The loss of such a book is a decreasing function of Z alone, so its alpha-quantile is the
    loss at Z = Phi^-1(1 - alpha)."""
    stressed = ndtr((ndtri(pd) + math.sqrt(correlation) * float(ndtri(confidence))) / math.sqrt(1.0 - correlation))
    return float(np.sum(weights * stressed))


def loan_book_evaluate(inputs: LoanBookInputs) -> ValuationResult:
    """Expected loss (the value), value at risk, expected shortfall, unexpected loss, percentiles and histogram of
    the loss, and the loans and sectors that contribute most to expected shortfall (one-factor Gaussian copula,
    Vasicek 2002; Gordy 2003; Basel II IRB)."""
    loans = inputs.loans
    exposure = np.array([loan.exposure for loan in loans], dtype=np.float64)
    pd = np.array([loan.probability_of_default for loan in loans], dtype=np.float64)
    lgd = np.array([loan.loss_given_default for loan in loans], dtype=np.float64)
    weights = exposure * lgd
    rho, alpha, count = inputs.correlation, inputs.confidence, inputs.scenarios
    seed = inputs.seed if inputs.seed is not None else secrets.randbits(52)

    # Random streams: the factor Z, and the idiosyncratic uniforms in scenario-major order.
    factor_stream, idiosyncratic_stream = np.random.SeedSequence(seed).spawn(2)
    factor = np.random.Generator(np.random.PCG64(factor_stream)).standard_normal(count)
    book = Book.of(exposure, pd, lgd, rho)
    simulation = Simulation(book, factor, idiosyncratic_stream, max(1, min(count, CHUNK_ENTRIES // max(book.size, 1))))
    losses = simulation.losses(WORKERS)

    # Loss statistics.
    expected = float(np.sum(weights * pd))
    simulated_mean = float(losses.mean())
    sd = float(losses.std(ddof=1)) if count > 1 else 0.0
    error = sd / math.sqrt(count)
    tail = tail_of(losses, alpha)
    var = tail.value_at_risk
    shortfall = (float(losses[tail.scenarios].sum()) + tail.var_weight * var) / tail.denominator
    ranks = [_rank(_decimal(p) / 100, count) for p in inputs.percentiles]
    ordered = np.partition(losses, sorted({rank - 1 for rank in ranks}))
    percentiles = {f"p{p:g}": float(ordered[rank - 1]) for p, rank in zip(inputs.percentiles, ranks, strict=True)}

    # Contributions to ES: a loan's mean loss over the weighted tail.
    active = (weights > 0) & (pd > 0)
    tail_rate = np.zeros(len(loans), dtype=np.float64)
    counts = simulation.tail_defaults(tail.scenarios, losses, WORKERS)
    var_flags = (
        simulation.defaults(tail.var_scenario, 1)[0][0].astype(np.float64) if book.size else np.zeros(0, np.float64)
    )
    tail_rate[active] = (counts + tail.var_weight * var_flags) / tail.denominator
    el_part, es_part = weights * pd, weights * tail_rate

    asrf = asrf_quantile(weights, pd, rho, alpha)
    total_exposure = float(exposure.sum())
    effective = float(weights.sum() ** 2 / np.sum(weights * weights)) if weights.any() else 0.0
    breakdown: dict[str, float] = {
        "total_exposure": total_exposure,
        "expected_loss": expected,
        "expected_loss_simulated": simulated_mean,
        "expected_loss_standard_error": error,
        "loss_sd": sd,
        "value_at_risk": var,
        "expected_shortfall": shortfall,
        "unexpected_loss": var - expected,
        **percentiles,
        "max_loss": float(losses.max()),
        "probability_of_no_loss": float(np.count_nonzero(losses == 0) / count),
        "asrf_loss_quantile": asrf,
        "asrf_unexpected_loss": asrf - expected,
        "effective_number_of_loans": effective,
    }
    homogeneous = bool(np.all(pd == pd[0]) and np.all(lgd == lgd[0]))
    if homogeneous:
        rate = float(lgd[0] * ndtr((ndtri(pd[0]) + math.sqrt(rho) * ndtri(alpha)) / math.sqrt(1.0 - rho)))
        breakdown["vasicek_loss_rate_quantile"] = rate
        breakdown["vasicek_loss_quantile"] = rate * total_exposure

    if losses.max() > losses.min():
        hist_counts, edges = np.histogram(losses, bins=HISTOGRAM_BINS)
    else:
        hist_counts, edges = np.array([count]), np.array([losses[0], losses[0]])

    order = sorted(range(len(loans)), key=lambda i: (-es_part[i], i))[: inputs.top_contributors]
    contributors = [
        {
            "index": i,
            "name": loans[i].name,
            "sector": loans[i].sector,
            "exposure": loans[i].exposure,
            "probability_of_default": loans[i].probability_of_default,
            "loss_given_default": loans[i].loss_given_default,
            "expected_loss": float(el_part[i]),
            "es_contribution": float(es_part[i]),
            "es_share": float(es_part[i] / shortfall) if shortfall > 0 else 0.0,
            "tail_default_rate": float(tail_rate[i]),
        }
        for i in order
    ]
    sectors: dict[str | None, dict[str, Any]] = {}
    for i, loan in enumerate(loans):
        row = sectors.setdefault(
            loan.sector,
            {"sector": loan.sector, "loans": 0, "exposure": 0.0, "expected_loss": 0.0, "es_contribution": 0.0},
        )
        row["loans"] += 1
        row["exposure"] += loan.exposure
        row["expected_loss"] += float(el_part[i])
        row["es_contribution"] += float(es_part[i])
    for row in sectors.values():
        row["es_share"] = row["es_contribution"] / shortfall if shortfall > 0 else 0.0
    sector_rows = sorted(sectors.values(), key=lambda row: -float(row["es_contribution"]))

    warnings = []
    if tail.denominator < 100:
        warnings.append(
            f"Expected shortfall and its contributions rest on {tail.denominator:g} tail scenarios; use more "
            "scenarios (at least 100 / (1 - confidence))."
        )
    if var < expected:
        warnings.append(
            f"The loss quantile at {alpha:.4g} is below the expected loss: at this confidence most scenarios lose "
            "less than on average, and the unexpected loss is negative."
        )
    if error > 0 and abs(simulated_mean - expected) > 4 * error:
        warnings.append(
            f"The simulated mean loss differs from the expected loss by {abs(simulated_mean - expected) / error:.1f} "
            "standard errors; use more scenarios."
        )
    if effective < 100:
        warnings.append(
            f"The book is concentrated (about {effective:.0f} equally weighted loans): the fine-grained (ASRF, "
            "Basel IRB) quantile understates the loss quantile; the simulated figures include the concentration."
        )
    assumptions = [
        "Defaults over the horizon follow a one-factor Gaussian copula: one systematic factor drives every loan, "
        f"with asset correlation {rho:g}; beyond it the loans default independently.",
        "Exposure at default and loss given default are fixed numbers: recoveries on the IP collateral do not fall "
        "in bad scenarios (no PD-LGD correlation), so the tail may be understated where collateral values move with "
        "the economy.",
        "Probabilities of default are for one common horizon (usually one year); no maturity adjustment.",
    ]
    if inputs.seed is None:
        assumptions.append(f"No seed was given; seed {seed} was drawn and reproduces this result.")
    return ValuationResult(
        method="loan-book",
        value=expected,
        breakdown=breakdown,
        extra={
            "scenarios": count,
            "tail_scenarios": int(tail.scenarios.size),
            "seed": seed,
            "histogram": {"edges": [float(e) for e in edges], "counts": [int(c) for c in hist_counts]},
            "top_contributors": contributors,
            "sectors": sector_rows,
        },
        conventions=conventions(
            value="the analytic expected loss sum_i PD_i x LGD_i x EAD_i, exact for any correlation; the simulated "
            "mean is reported beside it as a check",
            confidence=alpha,
            value_at_risk="lower empirical quantile of the simulated loss: the m-th smallest of S, m = ceil(alpha S)",
            percentiles="lower empirical quantiles, as value_at_risk (numpy method 'inverted_cdf')",
            expected_shortfall="mean loss of the worst (1 - alpha) fraction of scenarios (Acerbi & Tasche 2002)",
            unexpected_loss="value at risk less the analytic expected loss (Basel IRB)",
            contributions="a loan's mean loss over the tail scenarios of expected shortfall; they add up to it",
            seed=seed,
            random_streams="numpy PCG64: the factor Z and the idiosyncratic uniforms from two children of "
            "SeedSequence(seed); the results do not depend on chunk size or threads",
        ),
        assumptions=assumptions,
        warnings=warnings,
        source="One-factor Gaussian copula: Vasicek, 'Probability of loss on loan portfolio' (KMV, 1987) and 'Loan "
        "portfolio value', Risk, December 2002; Gordy, J. Financial Intermediation 12 (2003) for the fine-grained "
        "(ASRF) quantile; BCBS, Basel II (June 2006) para. 272 and the IRB explanatory note (2005); expected "
        "shortfall and contributions: Acerbi & Tasche (2002), Tasche (2002), J. Banking & Finance 26(7)",
    )


register(
    Method(
        "loan-book",
        "Loss distribution of a book of IP-backed loans with correlated defaults (one-factor Gaussian copula)",
        LoanBookInputs,
        loan_book_evaluate,
        kernel=None,
    )
)
