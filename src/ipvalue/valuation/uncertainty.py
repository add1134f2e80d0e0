"""Uncertainty: Monte Carlo over any numeric input of any method, and sensitivity (tornado and Sobol' indices).

Inputs to vary are named by path: ``royalty_rate``, ``revenues[2]``, ``contributory_assets[0].level``. Samples are
drawn for all scenarios of a chunk at once and passed to the method's vectorised kernel, chunk by chunk, so memory
stays bounded whatever the number of scenarios. Sampling is pseudo-random (numpy's PCG64, seeded) or quasi-random
(scrambled Sobol' sequences, scipy.stats.qmc; Owen 1998), which converge faster for smooth models.
"""

from __future__ import annotations

import copy
import math
import re
import warnings as python_warnings
from collections.abc import Iterator, Mapping
from typing import Annotated, Any, Literal, Protocol

import numpy as np
from pydantic import Field, ValidationError, model_validator
from scipy import stats
from scipy.stats import qmc

from ipvalue.valuation.core import (
    METHODS,
    FloatArray,
    Inputs,
    Method,
    ValuationResult,
    conventions,
    register,
)

CHUNK = 1 << 17  # scenarios per chunk: 131,072 (a power of two keeps Sobol' sequences balanced)
MAX_SCENARIOS = 20_000_000
PATH = re.compile(r"([A-Za-z_]\w*)|\[(\d+)\]")


# --- Distributions -------------------------------------------------------------------------------------------------


class PpfDistribution(Protocol):
    def ppf(self, q: Any) -> Any: ...


class Constant:
    """A distribution that does not vary (a zero spread)."""

    def __init__(self, value: float) -> None:
        self.value = value

    def ppf(self, q: Any) -> FloatArray:
        return np.full(np.shape(q), self.value, dtype=np.float64)


class Normal(Inputs):
    distribution: Literal["normal"]
    mean: float
    sd: float = Field(ge=0.0, description="Standard deviation (0: the input does not vary)")

    def frozen(self) -> PpfDistribution:
        return stats.norm(loc=self.mean, scale=self.sd) if self.sd > 0 else Constant(self.mean)


class Lognormal(Inputs):
    """Given by the mean and standard deviation of the variable itself (not of its logarithm)."""

    distribution: Literal["lognormal"]
    mean: float = Field(gt=0.0)
    sd: float = Field(ge=0.0)

    def frozen(self) -> PpfDistribution:
        if self.sd == 0:
            return Constant(self.mean)
        sigma = math.sqrt(math.log1p((self.sd / self.mean) ** 2))
        return stats.lognorm(s=sigma, scale=self.mean / math.sqrt(1 + (self.sd / self.mean) ** 2))


class Triangular(Inputs):
    distribution: Literal["triangular"]
    low: float
    mode: float
    high: float

    @model_validator(mode="after")
    def _ordered(self) -> Triangular:
        if not self.low <= self.mode <= self.high:
            raise ValueError("low <= mode <= high is required")
        return self

    def frozen(self) -> PpfDistribution:
        if self.high == self.low:
            return Constant(self.low)
        return stats.triang(c=(self.mode - self.low) / (self.high - self.low), loc=self.low, scale=self.high - self.low)


class Uniform(Inputs):
    distribution: Literal["uniform"]
    low: float
    high: float

    @model_validator(mode="after")
    def _ordered(self) -> Uniform:
        if self.high < self.low:
            raise ValueError("low <= high is required")
        return self

    def frozen(self) -> PpfDistribution:
        return stats.uniform(loc=self.low, scale=self.high - self.low) if self.high > self.low else Constant(self.low)


class Pert(Inputs):
    """Beta-PERT: a beta distribution on [low, high] with its mode at ``mode`` (Vose, Risk Analysis, 3rd ed., 9.1)."""

    distribution: Literal["pert"]
    low: float
    mode: float
    high: float
    shape: float = Field(4.0, gt=0.0, description="Weight of the mode (4 in the classic PERT)")

    @model_validator(mode="after")
    def _ordered(self) -> Pert:
        if not self.low <= self.mode <= self.high:
            raise ValueError("low <= mode <= high is required")
        return self

    def frozen(self) -> PpfDistribution:
        width = self.high - self.low
        if width == 0:
            return Constant(self.low)
        alpha = 1 + self.shape * (self.mode - self.low) / width
        beta = 1 + self.shape * (self.high - self.mode) / width
        return stats.beta(alpha, beta, loc=self.low, scale=width)


class _DiscretePpf:
    def __init__(self, values: list[float], probabilities: list[float]) -> None:
        self.values = np.asarray(values, dtype=np.float64)
        self.cumulative = np.cumsum(probabilities)
        self.cumulative[-1] = 1.0

    def ppf(self, q: Any) -> FloatArray:
        index = np.searchsorted(self.cumulative, np.asarray(q, dtype=np.float64), side="right")
        return self.values[np.minimum(index, len(self.values) - 1)]


class Discrete(Inputs):
    distribution: Literal["discrete"]
    values: list[float] = Field(min_length=1)
    probabilities: list[float] = Field(min_length=1)

    @model_validator(mode="after")
    def _probabilities(self) -> Discrete:
        if len(self.values) != len(self.probabilities):
            raise ValueError("values and probabilities must have the same length")
        if any(p < 0 for p in self.probabilities) or not math.isclose(sum(self.probabilities), 1.0, abs_tol=1e-9):
            raise ValueError("probabilities must be non-negative and sum to 1")
        return self

    def frozen(self) -> PpfDistribution:
        return Constant(self.values[0]) if len(set(self.values)) == 1 else _DiscretePpf(self.values, self.probabilities)


Distribution = Annotated[
    Normal | Lognormal | Triangular | Uniform | Pert | Discrete, Field(discriminator="distribution")
]


class Variation(Inputs):
    """How one input varies: a distribution of its value, or of a factor that scales it (``apply: "scale"``, which
    also works on a per-year list such as ``revenues``)."""

    distribution: Distribution
    apply: Literal["value", "scale"] = "value"


# --- Paths ----------------------------------------------------------------------------------------------------------


def _tokens(path: str) -> list[str | int]:
    position, tokens = 0, []
    for match in PATH.finditer(path):
        if match.start() != position and not (match.start() == position + 1 and path[position] == "."):
            raise ValueError(f"{path!r} is not a valid input path")
        tokens.append(match.group(1) if match.group(1) else int(match.group(2)))
        position = match.end()
    if not tokens or position != len(path):
        raise ValueError(f"{path!r} is not a valid input path")
    return tokens


def _get(params: Any, tokens: list[str | int]) -> Any:
    for token in tokens:
        if isinstance(params, np.ndarray) and params.ndim == 2 and isinstance(token, int):
            params = params[:, token]  # one year of a per-year list already turned into (scenarios, years)
        else:
            params = params[token]
    return params


def _set(params: dict[str, Any], tokens: list[str | int], value: Any, scenarios: int) -> None:
    """Put ``value`` (an array of scenarios) at ``tokens``; a list of numbers becomes an (n, T) array."""
    parent: Any = params
    for position, token in enumerate(tokens[:-1]):
        child = parent[token]
        following = tokens[position + 1]
        if isinstance(following, int) and _is_number_list(child):
            child = np.broadcast_to(np.asarray(child, dtype=np.float64), (scenarios, len(child))).copy()
            parent[token] = child
        parent = child
    if isinstance(parent, np.ndarray) and parent.ndim == 2 and isinstance(tokens[-1], int):
        parent[:, tokens[-1]] = value  # one year of a per-year list, across scenarios
    else:
        parent[tokens[-1]] = value


def _is_number_list(value: Any) -> bool:
    return isinstance(value, (list, np.ndarray)) and all(isinstance(v, (int, float, np.floating)) for v in value)


def check_path(base: Mapping[str, Any], path: str, method: Method, apply: str = "value") -> Any:
    """The base value at ``path``; raises ValueError when the path does not name an input that may vary."""
    tokens = _tokens(path)
    try:
        value = _get(base, tokens)
    except (KeyError, IndexError, TypeError) as error:
        raise ValueError(f"{path!r} is not an input of this method") from error
    if isinstance(value, int):  # bool is an int too
        raise ValueError(f"{path!r} is a whole-number setting (a count or a period) and cannot vary")
    if not (isinstance(value, float) or _is_number_list(value)):
        raise ValueError(f"{path!r} is not a number or a list of numbers")
    if _is_number_list(value) and apply != "scale":
        raise ValueError(f"{path!r} is a list: vary one item ({path}[0]) or scale the whole list (apply: scale)")
    if method.uncertain and tokens[0] not in method.uncertain:
        raise ValueError(f"{path!r} cannot vary in {method.name}")
    return value


def validate_nested(method: Method, inputs: Mapping[str, Any]) -> dict[str, Any]:
    """The wrapped method's inputs, validated; each error names its field as ``inputs.<field>``."""
    try:
        return method.inputs.model_validate(inputs).model_dump()
    except ValidationError as error:
        problems = "; ".join(
            "inputs" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in item["loc"]) + f": {item['msg']}"
            for item in error.errors()
        )
        raise ValueError(problems) from None


# --- Monte Carlo ----------------------------------------------------------------------------------------------------


class MonteCarloInputs(Inputs):
    method: str = Field(description="The method to simulate, e.g. relief-from-royalty")
    inputs: dict[str, Any] = Field(description="The method's inputs: the base case")
    vary: dict[str, Variation] = Field(default_factory=dict, description="Inputs that vary, by path")
    scenarios: int = Field(10_000, ge=1, le=MAX_SCENARIOS)
    seed: int | None = Field(None, ge=0, description="Seed for reproducible results")
    sampling: Literal["random", "sobol"] = "random"
    percentiles: list[float] = Field(default=[5, 10, 25, 50, 75, 90, 95], min_length=1)
    tolerance: float = Field(0.005, gt=0.0, description="Converged when standard error / |mean| is at most this")

    @model_validator(mode="after")
    def _method_and_paths(self) -> MonteCarloInputs:
        method = METHODS.get(self.method)
        if method is None or method.kernel is None:
            raise ValueError(f"method: {self.method!r} is not a method that can be simulated")
        if any(not 0 <= p <= 100 for p in self.percentiles):
            raise ValueError("percentiles must lie between 0 and 100")
        base = validate_nested(method, self.inputs)
        for path, variation in self.vary.items():
            check_path(base, path, method, variation.apply)
        return self


def _samples(frozen: list[PpfDistribution], count: int, rng: np.random.Generator, sobol: Any) -> FloatArray:
    """A (count, d) array of samples, one column per varying input."""
    if sobol is not None:
        with python_warnings.catch_warnings():  # a last chunk that is not a power of two is still a valid Sobol' prefix
            python_warnings.filterwarnings("ignore", message="The balance properties")
            uniforms = np.clip(sobol.random(count), 1e-12, 1 - 1e-12)
        columns = [np.asarray(dist.ppf(uniforms[:, index]), dtype=np.float64) for index, dist in enumerate(frozen)]
    else:
        columns = []
        for dist in frozen:
            if isinstance(dist, Constant):
                columns.append(np.full(count, dist.value, dtype=np.float64))
            elif isinstance(dist, _DiscretePpf):
                columns.append(dist.ppf(rng.random(count)))
            else:
                columns.append(np.asarray(dist.rvs(size=count, random_state=rng), dtype=np.float64))  # type: ignore[attr-defined]
    return np.column_stack(columns) if columns else np.empty((count, 0))


def _scenario_params(
    base: dict[str, Any], paths: list[str], variations: list[Variation], samples: FloatArray
) -> dict[str, Any]:
    params = copy.deepcopy(base)
    count = samples.shape[0]
    for index, (path, variation) in enumerate(zip(paths, variations, strict=True)):
        tokens = _tokens(path)
        column = samples[:, index]
        if variation.apply == "scale":  # scales the value as it stands, after any earlier variation in `vary`
            original = np.asarray(_get(params, tokens), dtype=np.float64)
            column = column[:, np.newaxis] * original if original.ndim else column * original
        _set(params, tokens, column, count)
    return params


def simulate(
    method: Method, base: dict[str, Any], vary: Mapping[str, Variation], scenarios: int, seed: int | None,
    sampling: str = "random",
) -> Iterator[tuple[FloatArray, FloatArray]]:  # fmt: skip
    """Yield (samples, values) chunk by chunk: the engine's one simulation loop."""
    assert method.kernel is not None  # noqa: S101  (checked by the inputs model)
    paths, variations = list(vary), list(vary.values())
    rng = np.random.default_rng(seed)
    sobol = qmc.Sobol(d=max(len(paths), 1), scramble=True, rng=rng) if sampling == "sobol" and paths else None
    frozen = [variation.distribution.frozen() for variation in variations]
    done = 0
    while done < scenarios:
        count = min(CHUNK, scenarios - done)
        samples = _samples(frozen, count, rng, sobol)
        with np.errstate(all="ignore"):  # samples outside an input's range give NaN, counted and reported
            values = method.kernel(_scenario_params(base, paths, variations, samples))
        yield samples, np.broadcast_to(np.asarray(values, dtype=np.float64), (count,))
        done += count


def _out_of_bounds(method: Method, vary: Mapping[str, Variation], samples: list[FloatArray]) -> list[str]:
    """Warnings for samples outside the bounds the method's inputs model sets on a top-level field."""
    warnings = []
    for index, path in enumerate(vary):
        field = method.inputs.model_fields.get(str(_tokens(path)[0]))
        if field is None or vary[path].apply != "value" or len(_tokens(path)) != 1:
            continue
        column = np.concatenate([chunk[:, index] for chunk in samples])
        outside = np.zeros(column.shape, dtype=bool)
        for bound in field.metadata:
            for name, compare in (("gt", np.less_equal), ("ge", np.less), ("lt", np.greater_equal), ("le", np.greater)):
                limit = getattr(bound, name, None)
                if limit is not None:
                    outside |= compare(column, limit)
        if outside.any():
            warnings.append(
                f"{path}: {int(outside.sum())} of {column.size} samples lie outside the input's valid range; "
                "narrow the distribution."
            )
    return warnings


def monte_carlo_evaluate(inputs: MonteCarloInputs) -> ValuationResult:
    """Mean, standard deviation, standard error, percentiles, histogram and a convergence check of the value."""
    method = METHODS[inputs.method]
    base_model = method.inputs.model_validate(inputs.inputs)
    base = base_model.model_dump()
    deterministic = method.evaluate(base_model).value
    values = np.empty(inputs.scenarios, dtype=np.float64)
    kept_samples: list[FloatArray] = []
    position = 0
    for samples, chunk in simulate(method, base, inputs.vary, inputs.scenarios, inputs.seed, inputs.sampling):
        values[position : position + chunk.size] = chunk
        position += chunk.size
        if position <= 4 * CHUNK:  # bounds checks look at the first chunks only, to keep memory flat
            kept_samples.append(samples)
    finite = np.isfinite(values)
    warnings = _out_of_bounds(method, inputs.vary, kept_samples)
    if not finite.all():
        warnings.append(f"{int((~finite).sum())} scenarios gave no finite value and are left out of the statistics.")
        values = values[finite]
    constant = values.size == 0 or values.min() == values.max()
    mean = float(values[0]) if constant and values.size else float(values.mean())
    sd = 0.0 if constant or values.size < 2 else float(values.std(ddof=1))
    error = sd / math.sqrt(values.size)
    relative = error / abs(mean) if mean else (0.0 if sd == 0 else math.inf)
    quantiles = np.percentile(values, inputs.percentiles)
    counts, edges = np.histogram(values, bins=30) if sd > 0 else (np.array([values.size]), np.array([mean, mean]))
    checkpoints = sorted({max(1, values.size >> shift) for shift in (3, 2, 1, 0)})
    converged = relative <= inputs.tolerance
    if not converged:
        warnings.append(
            f"Not converged: the standard error is {relative:.2%} of the mean; use more scenarios or Sobol' sampling."
        )
    return ValuationResult(
        method="monte-carlo",
        value=mean,
        breakdown={
            "mean": mean,
            "sd": sd,
            "standard_error": error,
            "relative_standard_error": relative,
            "min": float(values.min()),
            "max": float(values.max()),
            "deterministic_value": deterministic,
            **{f"p{p:g}": float(q) for p, q in zip(inputs.percentiles, quantiles, strict=True)},
        },
        extra={
            "simulated_method": inputs.method,
            "scenarios": int(values.size),
            "scenarios_requested": inputs.scenarios,
            "converged": converged,
            "convergence": [{"scenarios": n, "mean": float(values[:n].mean())} for n in checkpoints],
            "histogram": {"edges": [float(e) for e in edges], "counts": [int(c) for c in counts]},
        },
        conventions=conventions(
            sampling="scrambled Sobol' sequence" if inputs.sampling == "sobol" else "pseudo-random (PCG64)",
            seed=inputs.seed,
            percentiles="linear interpolation between order statistics",
        ),
        assumptions=["The varying inputs are independent of one another."]
        + (
            ["With Sobol' sampling the standard error is a conservative (random-sampling) estimate."]
            if inputs.sampling == "sobol"
            else []
        ),
        warnings=warnings,
        source="Monte Carlo simulation (Glasserman, Monte Carlo Methods in Financial Engineering, 2003); "
        "Sobol' sequences with Owen scrambling (scipy.stats.qmc)",
    )


# --- Sensitivity ----------------------------------------------------------------------------------------------------


class Range(Inputs):
    low: float | None = None
    high: float | None = None
    relative: float | None = Field(None, gt=0.0, lt=1.0, description="Alternatively: base value x (1 -/+ relative)")

    @model_validator(mode="after")
    def _one_way(self) -> Range:
        if (self.low is None) != (self.high is None) or (self.low is None) == (self.relative is None):
            raise ValueError("give low and high, or relative")
        if self.low is not None and self.high is not None and self.low > self.high:
            raise ValueError("low must not exceed high")
        return self


class VarianceBased(Inputs):
    vary: dict[str, Variation] = Field(min_length=2, description="At least two inputs (indices are relative)")
    scenarios: int = Field(1024, ge=64, le=1 << 20, description="Base sample size (a power of two)")
    seed: int | None = Field(None, ge=0)

    @model_validator(mode="after")
    def _power_of_two(self) -> VarianceBased:
        if self.scenarios & (self.scenarios - 1):
            raise ValueError("scenarios must be a power of two (for example 1024)")
        return self


class SensitivityInputs(Inputs):
    method: str
    inputs: dict[str, Any]
    ranges: dict[str, Range] = Field(default_factory=dict, description="Tornado: each input's low and high")
    variance_based: VarianceBased | None = Field(None, description="Sobol' first-order and total indices")

    @model_validator(mode="after")
    def _method_and_paths(self) -> SensitivityInputs:
        method = METHODS.get(self.method)
        if method is None or method.kernel is None:
            raise ValueError(f"method: {self.method!r} is not a method that can be analysed")
        if not self.ranges and self.variance_based is None:
            raise ValueError("give ranges (tornado), variance_based (Sobol' indices), or both")
        base = validate_nested(method, self.inputs)
        for path in self.ranges:
            check_path(base, path, method)
        for path, variation in (self.variance_based.vary if self.variance_based else {}).items():
            check_path(base, path, method, variation.apply)
        return self


def sensitivity_evaluate(inputs: SensitivityInputs) -> ValuationResult:
    """Tornado (one input at a time, low and high) and variance-based indices (Saltelli et al. 2010 estimators via
    scipy.stats.sobol_indices)."""
    method = METHODS[inputs.method]
    assert method.kernel is not None  # noqa: S101
    base = method.inputs.model_validate(inputs.inputs).model_dump()
    base_value = method.evaluate(method.inputs.model_validate(inputs.inputs)).value
    tornado: list[dict[str, Any]] = []
    for path, spec in inputs.ranges.items():
        original = float(_get(base, _tokens(path)))
        low = spec.low if spec.low is not None else original * (1 - (spec.relative or 0))
        high = spec.high if spec.high is not None else original * (1 + (spec.relative or 0))
        params = copy.deepcopy(base)
        _set(params, _tokens(path), np.array([low, high]), 2)
        at_low, at_high = np.broadcast_to(np.asarray(method.kernel(params), dtype=np.float64), (2,))
        tornado.append(
            {
                "input": path,
                "low": low,
                "high": high,
                "value_at_low": float(at_low),
                "value_at_high": float(at_high),
                "swing": float(abs(at_high - at_low)),
            }
        )
    tornado.sort(key=lambda row: row["swing"], reverse=True)
    extra: dict[str, Any] = {"tornado": tornado}
    if inputs.variance_based is not None:
        variance = inputs.variance_based
        paths, variations = list(variance.vary), list(variance.vary.values())
        dists = [variation.distribution.frozen() for variation in variations]

        def model(x: Any) -> FloatArray:
            samples = np.asarray(x, dtype=np.float64).T
            values = method.kernel(_scenario_params(base, paths, variations, samples))  # type: ignore[misc]
            return np.array(np.broadcast_to(values, (samples.shape[0],)), dtype=np.float64)[np.newaxis, :]

        indices = stats.sobol_indices(
            func=model, n=variance.scenarios, dists=dists, rng=np.random.default_rng(variance.seed)
        )
        extra["sobol_indices"] = [
            {"input": path, "first_order": float(first), "total": float(total)}
            for path, first, total in zip(
                paths, np.ravel(indices.first_order), np.ravel(indices.total_order), strict=True
            )
        ]
    return ValuationResult(
        method="sensitivity",
        value=base_value,
        extra=extra,
        conventions=conventions(tornado="one input at a time, the others at their base values"),
        assumptions=["Sobol' indices assume the varying inputs are independent."] if inputs.variance_based else [],
        source="Tornado diagram; Sobol' indices with the estimators of Saltelli et al. (2010), scipy.stats",
    )


register(
    Method("monte-carlo", "Monte Carlo simulation of any method", MonteCarloInputs, monte_carlo_evaluate, kernel=None)
)
register(Method("sensitivity", "Tornado and variance-based sensitivity", SensitivityInputs, sensitivity_evaluate))


def validation_errors(error: ValidationError) -> list[dict[str, Any]]:
    """Pydantic errors as ``{"loc": [...], "msg": ...}`` objects, the same shape as the API's 422 bodies."""
    return [{"loc": list(item["loc"]), "msg": item["msg"], "type": item["type"]} for item in error.errors()]
