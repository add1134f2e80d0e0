"""The engine's building blocks: the result every method returns, the method registry, and array helpers.

Every method has one vectorised kernel. A kernel takes the method's inputs as a mapping in which any numeric input
may be a number or an array of scenarios (shape ``(n,)`` for a scalar input, ``(n, T)`` or ``(T,)`` for a per-period
list) and returns the value of each scenario. Deterministic results, Monte Carlo and sensitivity all go through the
same kernel, so one value and a million scenarios follow one code path.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from pydantic_core import InitErrorDetails, PydanticCustomError

FloatArray = npt.NDArray[np.float64]
Timing = Literal["end", "mid"]

DEFAULT_CONVENTIONS: dict[str, Any] = {
    "rates": "decimals (0.12 means 12%)",
    "currency": "as given; results are in the same currency and unit as the inputs",
    "price_basis": "nominal",
}


class Inputs(BaseModel):
    """Base of every method's inputs: unknown fields are refused, so a mistyped name is an error, not ignored, and
    numbers must be finite (JSON such as 1e999 parses to infinity, which no valuation can use)."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    @model_validator(mode="after")
    def _timing_is_coherent(self) -> Inputs:
        if getattr(self, "first_period", 1) == 0 and getattr(self, "timing", "end") == "mid":
            raise ValueError("timing: mid-period timing needs first_period 1 (a flow at t=0 has no half period)")
        return self


class ValuationResult(BaseModel):
    """What every method returns."""

    method: str
    value: float = Field(description="The value, in the currency and unit of the inputs")
    breakdown: dict[str, float] = Field(default_factory=dict, description="Other figures of the method")
    schedule: list[dict[str, float]] = Field(default_factory=list, description="Per-period rows, where there are any")
    conventions: dict[str, Any] = Field(default_factory=dict)
    assumptions: list[str] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    source: str = Field("", description="Where the formula comes from")
    extra: dict[str, Any] = Field(default_factory=dict, description="Structured output of composite methods")

    def as_output(self) -> dict[str, Any]:
        """A flat JSON object: ``method``, ``value``, each breakdown figure at the top level, then the rest."""
        output: dict[str, Any] = {"method": self.method, "value": self.value}
        output.update(self.breakdown)
        output.update(self.extra)
        if self.schedule:
            output["schedule"] = self.schedule
        output["conventions"] = self.conventions
        output["assumptions"] = self.assumptions
        output["warnings"] = self.warnings
        output["source"] = self.source
        return output


Kernel = Callable[[Mapping[str, Any]], FloatArray]


@dataclass(frozen=True)
class Method:
    """A valuation method: its name, inputs model, deterministic evaluation and vectorised kernel."""

    name: str
    summary: str
    inputs: type[Inputs]
    evaluate: Callable[[Any], ValuationResult]
    kernel: Kernel | None = None  # None: the method cannot be simulated (it is itself a simulation)
    uncertain: frozenset[str] = field(default_factory=frozenset)  # inputs Monte Carlo may vary (empty: any numeric)


METHODS: dict[str, Method] = {}


def field_error(model: str, field: str, message: str, value: Any) -> ValidationError:
    """A validation error located at ``field``, for checks that span several fields: raised from a model validator,
    pydantic keeps this location, so the error names the field (a plain ValueError would have an empty location)."""
    return ValidationError.from_exception_data(
        model, [InitErrorDetails(type=PydanticCustomError("invalid_input", message), loc=(field,), input=value)]
    )


def register(method: Method) -> Method:
    if method.name in METHODS:
        raise ValueError(f"method {method.name!r} is registered twice")
    METHODS[method.name] = method
    return method


def scalar(value: Any) -> FloatArray:
    """A scalar input as an array that broadcasts against a period axis: shape ``(n, 1)`` or ``(1,)``."""
    return np.asarray(value, dtype=np.float64)[..., np.newaxis]


def series(value: Any) -> FloatArray:
    """A per-period input as an array with the period axis last: ``(T,)`` or ``(n, T)``."""
    return np.asarray(value, dtype=np.float64)


def periods(count: int, first_period: int = 1, timing: Timing = "end") -> FloatArray:
    """The discounting exponents of ``count`` cash flows: t = first, first+1, ...; less 0.5 for mid-period timing."""
    exponents = np.arange(first_period, first_period + count, dtype=np.float64)
    return exponents - 0.5 if timing == "mid" else exponents


def discount_factors(rate: Any, exponents: FloatArray) -> FloatArray:
    """1 / (1 + rate) ** t, broadcasting ``rate`` (scalar or ``(n,)``) against the exponents."""
    return np.power(1.0 + scalar(rate), -exponents)


def total(values: FloatArray) -> FloatArray:
    """Sum over the period axis (the last)."""
    return np.asarray(np.sum(values, axis=-1), dtype=np.float64)


def dot(flows: FloatArray, factors: FloatArray) -> FloatArray:
    """Sum over periods of flows x factors, without an intermediate (n, T) array."""
    return np.asarray(np.einsum("...t,...t->...", flows, factors), dtype=np.float64)


def to_float(values: FloatArray) -> float:
    return float(np.asarray(values, dtype=np.float64).reshape(-1)[0])


def conventions(**items: Any) -> dict[str, Any]:
    return {**DEFAULT_CONVENTIONS, **items}
