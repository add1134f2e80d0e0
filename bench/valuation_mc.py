"""Monte Carlo benchmark of the valuation engine (issue: the valuation engine, performance).

Model: a 15-year relief from royalty, revenue growth ~ normal(5%, 2%), royalty rate ~ triangular(3%, 5%, 7%),
discount rate ~ uniform(10%, 14%). Three ways, in one process, on the same machine:
1. the engine: ``valuate("monte-carlo", ...)`` with validation, chunking, statistics and result objects;
2. a bare numpy kernel of exactly that model: chunked, no validation, no result objects (the limit here);
3. per-scenario Python loops (timed on fewer scenarios, scaled): plain arithmetic, and the model's own API called
   once per scenario, as scenario-by-scenario tools do it.
Then 10,000,000 scenarios through the engine, with the peak resident memory of the process.
Writes ``bench/results/valuation-mc-latest.json``.
"""

import json
import os
import platform
import resource
import time
from pathlib import Path

import numpy as np

from ipvalue.valuation import valuate

YEARS, BASE, TAX = 15, 1_000_000.0, 0.25
SCENARIOS = 1_000_000
CHUNK = 1 << 17
INPUTS = {"base_revenue": BASE, "growth_rate": 0.05, "years": YEARS, "royalty_rate": 0.05, "tax_rate": TAX,
          "discount_rate": 0.12}  # fmt: skip
VARY = {
    "growth_rate": {"distribution": {"distribution": "normal", "mean": 0.05, "sd": 0.02}},
    "royalty_rate": {"distribution": {"distribution": "triangular", "low": 0.03, "mode": 0.05, "high": 0.07}},
    "discount_rate": {"distribution": {"distribution": "uniform", "low": 0.10, "high": 0.14}},
}


def engine(scenarios: int, seed: int = 1) -> float:
    payload = {"method": "relief-from-royalty", "inputs": INPUTS, "vary": VARY, "scenarios": scenarios, "seed": seed}
    return valuate("monte-carlo", payload).value


def bare_kernel(scenarios: int, seed: int = 1) -> float:
    rng = np.random.default_rng(seed)
    t = np.arange(YEARS, dtype=np.float64)
    exponents = t + 1.0
    total, done = 0.0, 0
    while done < scenarios:
        n = min(CHUNK, scenarios - done)
        growth = rng.normal(0.05, 0.02, n)
        royalty = rng.triangular(0.03, 0.05, 0.07, n)
        rate = rng.uniform(0.10, 0.14, n)
        revenues = BASE * np.power(1.0 + growth[:, None], t)
        values = np.sum(revenues * royalty[:, None] * (1.0 - TAX) * np.power(1.0 + rate[:, None], -exponents), axis=1)
        total += values.sum()
        done += n
    return total / scenarios


def python_loop(scenarios: int, seed: int = 1) -> float:
    rng = np.random.default_rng(seed)
    total = 0.0
    for _ in range(scenarios):
        growth, royalty, rate = rng.normal(0.05, 0.02), rng.triangular(0.03, 0.05, 0.07), rng.uniform(0.10, 0.14)
        value = 0.0
        for year in range(YEARS):
            value += BASE * (1 + growth) ** year * royalty * (1 - TAX) / (1 + rate) ** (year + 1)
        total += value
    return total / scenarios


def library_loop(scenarios: int, seed: int = 1) -> float:
    """Scenario by scenario through the model's own API (validated inputs, a result object per scenario), as
    scenario-based tools built on a deterministic valuation function do it."""
    rng = np.random.default_rng(seed)
    total = 0.0
    for _ in range(scenarios):
        inputs = {**INPUTS, "growth_rate": rng.normal(0.05, 0.02), "royalty_rate": rng.triangular(0.03, 0.05, 0.07),
                  "discount_rate": rng.uniform(0.10, 0.14)}  # fmt: skip
        total += valuate("relief-from-royalty", inputs).value
    return total / scenarios


def best_of(function, scenarios: int, repeats: int = 3) -> tuple[float, float]:
    times, value = [], 0.0
    for _ in range(repeats):
        started = time.perf_counter()
        value = function(scenarios)
        times.append(time.perf_counter() - started)
    return min(times), value


def main() -> None:
    engine(10_000)  # warm up imports and caches
    engine_seconds, engine_value = best_of(engine, SCENARIOS)
    bare_seconds, bare_value = best_of(bare_kernel, SCENARIOS)
    loop_scenarios = 20_000
    loop_seconds, loop_value = best_of(python_loop, loop_scenarios, repeats=1)
    loop_per_million = loop_seconds * SCENARIOS / loop_scenarios
    library_scenarios = 2_000
    library_seconds, library_value = best_of(library_loop, library_scenarios, repeats=1)
    library_per_million = library_seconds * SCENARIOS / library_scenarios
    started = time.perf_counter()
    engine(10_000_000)
    ten_million_seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    report = {
        "date": time.strftime("%Y-%m-%d"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"numpy {np.__version__}",
        "model": "15-year relief from royalty; growth, royalty rate and discount rate varying",
        "scenarios": SCENARIOS,
        "engine_seconds": round(engine_seconds, 3),
        "bare_kernel_seconds": round(bare_seconds, 3),
        "engine_over_bare_kernel": round(engine_seconds / bare_seconds, 2),
        "python_loop_seconds_per_million (bare arithmetic, from 20,000)": round(loop_per_million, 1),
        "engine_speedup_over_python_loop": round(loop_per_million / engine_seconds),
        "library_loop_seconds_per_million (valuate() per scenario, from 2,000)": round(library_per_million, 1),
        "engine_speedup_over_library_loop": round(library_per_million / engine_seconds),
        "means (engine, bare, loop, library loop)": [
            round(engine_value),
            round(bare_value),
            round(loop_value),
            round(library_value),
        ],
        "ten_million_scenarios_seconds": round(ten_million_seconds, 2),
        "peak_resident_memory_mb": round(peak_mb),
        "targets": "engine <= 1.5 x bare kernel; >= 400 x faster than the loop; 10M scenarios under 2 GB",
    }
    out = Path(__file__).resolve().parent / "results" / "valuation-mc-latest.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
