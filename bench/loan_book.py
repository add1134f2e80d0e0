"""Benchmark of the ``loan-book`` method: 10,000 IP-backed loans x 100,000 scenarios (10^9 loan-scenarios).

Book: exposures uniform from 50,000 to 2,000,000; probabilities of default uniform from 0.5% to 10%; loss given
default uniform from 30% to 80%; six sectors; asset correlation 0.15; seed fixed. Times the engine
(``valuate("loan-book", ...)``: validation, both passes, statistics and result) with the default threads, then with
one thread, and reports the peak resident memory of the process (``ru_maxrss``). Writes
``bench/results/loan-book-latest.json`` and prints it.
"""

import json
import os
import platform
import resource
import time
from pathlib import Path

import numpy as np

from ipvalue.valuation import credit, valuate

LOANS, SCENARIOS, CORRELATION, SEED = 10_000, 100_000, 0.15, 20261127
SECTORS = ["software", "biotech", "media", "manufacturing", "brands", "energy"]


def book(loans: int = LOANS, seed: int = 7) -> list[dict[str, object]]:
    rng = np.random.default_rng(seed)
    return [
        {
            "exposure": round(float(rng.uniform(50_000, 2_000_000)), 2),
            "probability_of_default": round(float(rng.uniform(0.005, 0.10)), 5),
            "loss_given_default": round(float(rng.uniform(0.30, 0.80)), 3),
            "sector": SECTORS[int(rng.integers(len(SECTORS)))],
            "name": f"loan {index + 1}",
        }
        for index in range(loans)
    ]


def timed(payload: dict[str, object]) -> tuple[float, dict[str, object]]:
    started = time.perf_counter()
    result = valuate("loan-book", payload).as_output()
    return time.perf_counter() - started, result


def main() -> None:
    payload = {"loans": book(), "correlation": CORRELATION, "scenarios": SCENARIOS, "seed": SEED}
    valuate("loan-book", {**payload, "loans": book(100), "scenarios": 1000})  # warm up imports
    seconds, result = timed(payload)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    workers = credit.WORKERS
    credit.WORKERS = 1
    try:
        single_seconds, single = timed(payload)
    finally:
        credit.WORKERS = workers
    figures = ("expected_loss", "expected_loss_simulated", "expected_loss_standard_error", "value_at_risk",
               "expected_shortfall", "unexpected_loss", "asrf_loss_quantile", "p99.9")  # fmt: skip
    report = {
        "date": time.strftime("%Y-%m-%d"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"numpy {np.__version__}",
        "model": "loan-book: one-factor Gaussian copula; PD 0.5%-10%, LGD 30%-80%, exposures 50k-2m, rho 0.15",
        "loans": LOANS,
        "scenarios": SCENARIOS,
        "loan_scenarios": LOANS * SCENARIOS,
        "chunk_entries": credit.CHUNK_ENTRIES,
        "threads": workers,
        "seconds": round(seconds, 2),
        "ns_per_loan_scenario": round(seconds / (LOANS * SCENARIOS) * 1e9, 2),
        "seconds_one_thread": round(single_seconds, 2),
        "same_result_with_one_thread": single == result,
        "peak_resident_memory_mb": round(peak_mb),
        "results": {name: round(float(result[name])) for name in figures},  # type: ignore[arg-type]
        "top_contributor": result["top_contributors"][0],  # type: ignore[index]
        "targets": "10,000 loans x 100,000 scenarios in a few minutes on 2 cores, well under 2 GB",
    }
    out = Path(__file__).resolve().parent / "results" / "loan-book-latest.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
