"""Running a valuation for the web: validate, simulate what is uncertain, analyse sensitivity, draw the charts."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from babel.numbers import format_compact_decimal, format_decimal
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from ipvalue.core.languages import active_language
from ipvalue.toolkit import charts
from ipvalue.toolkit.models import SavedValuation
from ipvalue.toolkit.texts import field_text
from ipvalue.valuation import METHODS, ValuationResult, valuate

SCENARIOS = 20_000
SEED = 1
TORNADO_RELATIVE = 0.2
TORNADO_INPUTS = 6


def babel_locale() -> str:
    return active_language().replace("-", "_")


def number(value: float) -> str:
    """A figure in the page's language: two decimals, four for small numbers such as rates and factors."""
    pattern = "#,##0.####" if abs(value) < 10 else "#,##0.##"
    return format_decimal(value, format=pattern, locale=babel_locale())


def compact(value: float) -> str:
    return format_compact_decimal(value, locale=babel_locale(), fraction_digits=1)


@dataclass
class Run:
    """Everything the results page and the report show."""

    method: str
    engine_input: dict[str, Any]
    uncertain: dict[str, tuple[float, float]]
    result: ValuationResult
    simulation: ValuationResult | None = None
    tornado: list[dict[str, Any]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "engine_input": self.engine_input,
            "uncertain": {path: list(bounds) for path, bounds in self.uncertain.items()},
            "result": self.result.model_dump(),
            "simulation": self.simulation.model_dump() if self.simulation else None,
            "tornado": self.tornado,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Run:
        return cls(
            method=data["method"],
            engine_input=data["engine_input"],
            uncertain={path: (bounds[0], bounds[1]) for path, bounds in data.get("uncertain", {}).items()},
            result=ValuationResult.model_validate(data["result"]),
            simulation=ValuationResult.model_validate(data["simulation"]) if data.get("simulation") else None,
            tornado=data.get("tornado", []),
        )

    @property
    def range(self) -> tuple[float, float] | None:
        if self.simulation is None:
            return None
        return self.simulation.breakdown["p10"], self.simulation.breakdown["p90"]


def run_valuation(*, method: str, engine_input: dict[str, Any], uncertain: dict[str, tuple[float, float]]) -> Run:
    """Value with the inputs as given; simulate the uncertain ones (triangular: low, most likely, high); tornado of
    the uncertain inputs and of the main numeric inputs at +/-20%. Raises pydantic.ValidationError on bad input."""
    result = valuate(method, engine_input)
    run = Run(method, engine_input, uncertain, result)
    definition = METHODS[method]
    if definition.kernel is None:
        return run
    if uncertain:
        run.simulation = valuate("monte-carlo", monte_carlo_spec(method, engine_input, uncertain))
    ranges: dict[str, dict[str, float]] = {path: {"low": low, "high": high} for path, (low, high) in uncertain.items()}
    for path, value in engine_input.items():
        if len(ranges) >= TORNADO_INPUTS:
            break
        if isinstance(value, float) and value and path not in ranges and _may_vary(method, path):
            ranges[path] = {"relative": TORNADO_RELATIVE}
    if ranges:
        try:
            analysis = valuate("sensitivity", {"method": method, "inputs": engine_input, "ranges": ranges})
            run.tornado = analysis.extra["tornado"]
        except Exception:
            run.tornado = []
    return run


def monte_carlo_spec(
    method: str, engine_input: dict[str, Any], uncertain: dict[str, tuple[float, float]]
) -> dict[str, Any]:
    """The simulation of a run: each uncertain input triangular (low, the value given as most likely, high)."""
    vary = {
        path: {
            "distribution": {"distribution": "triangular", "low": low, "mode": _get(engine_input, path), "high": high}
        }
        for path, (low, high) in uncertain.items()
    }
    return {"method": method, "inputs": engine_input, "vary": vary, "scenarios": SCENARIOS, "seed": SEED,
            "percentiles": [10, 50, 90]}  # fmt: skip


def _may_vary(method: str, path: str) -> bool:
    allowed = METHODS[method].uncertain
    return not allowed or path in allowed


def _get(data: dict[str, Any], path: str) -> Any:
    for part in path.split("."):
        data = data[part]
    return data


def run_charts(run: Run, *, rtl: bool) -> dict[str, str]:
    """SVG charts of a run: the value's distribution, the tornado and the present value per year."""
    svgs: dict[str, str] = {}
    if run.simulation is not None:
        histogram = run.simulation.extra["histogram"]
        b = run.simulation.breakdown
        svgs["distribution"] = charts.histogram_svg(
            histogram["edges"],
            histogram["counts"],
            markers={"P10": b["p10"], "P50": b["p50"], "P90": b["p90"]},
            title=_("Distribution of the value"),
            x_label=_("Value"),
            number_format=compact,
            rtl=rtl,
        )
    if run.tornado:
        svgs["tornado"] = charts.tornado_svg(
            run.tornado,
            run.result.value,
            labels={row["input"]: field_text(row["input"])[0] for row in run.tornado},
            title=_("What moves the value most"),
            number_format=compact,
            rtl=rtl,
        )
    rows = [row for row in run.result.schedule if "present_value" in row]
    if rows:
        svgs["schedule"] = charts.bars_svg(
            [number(row.get("period", index + 1)) for index, row in enumerate(rows)],
            [row["present_value"] for row in rows],
            title=_("Present value by year"),
            number_format=compact,
            rtl=rtl,
        )
    return svgs


@transaction.atomic
def valuation_save(
    *, owner: Any, title: str, method: str, form_data: dict[str, Any], run: Run | None,
    valuation: SavedValuation | None = None,
) -> SavedValuation:  # fmt: skip
    """Create or update a saved valuation (only its owner may update it)."""
    if valuation is None:
        valuation = SavedValuation(owner=owner)
    elif valuation.owner_id != owner.pk:
        raise PermissionDenied
    valuation.title = title.strip()[:200] or _("Untitled valuation")
    valuation.method = method
    valuation.form_data = form_data
    valuation.engine_input = run.engine_input if run else {}
    valuation.result = run.as_json() if run else {}
    valuation.save()
    return valuation


@transaction.atomic
def valuation_duplicate(*, owner: Any, valuation: SavedValuation) -> SavedValuation:
    copy_ = SavedValuation.objects.create(
        owner=owner,
        title=_("Copy of %(title)s") % {"title": valuation.title},
        method=valuation.method,
        form_data=copy.deepcopy(valuation.form_data),
        engine_input=copy.deepcopy(valuation.engine_input),
        result=copy.deepcopy(valuation.result),
        report_details=copy.deepcopy(valuation.report_details),
    )
    return copy_


def valuation_share(*, owner: Any, valuation: SavedValuation, shared: bool) -> SavedValuation:
    if valuation.owner_id != owner.pk:
        raise PermissionDenied
    valuation.share_token = SavedValuation.new_share_token() if shared else None
    valuation.save(update_fields=["share_token", "updated_at"])
    return valuation
