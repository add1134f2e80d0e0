"""Web forms built from the engine's input models: one field per input, parsed from what people type, and engine
errors mapped back to the field they concern, in the user's language.

People type numbers the way they write them: ``0,05`` or ``0.05``, ``1 200 000``, and ``5%`` for 0.05. A list of
yearly figures is one line of numbers; a list of records (comparables, milestones, loans) is one row per line,
columns separated by ``;``; named adjustments are ``size=-0.1; age=0.05``.
"""

from __future__ import annotations

import re
import types
import typing
from dataclasses import dataclass, field
from typing import Any, Literal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pydantic import BaseModel, ValidationError

from ipvalue.toolkit.texts import field_text
from ipvalue.valuation.uncertainty import MonteCarloInputs

NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?([eE][+-]?\d+)?$")


@dataclass
class FieldSpec:
    path: str
    kind: Literal["number", "integer", "choice", "bool", "numbers", "rows", "pairs"]
    required: bool
    choices: list[tuple[str, str]] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    default: Any = None
    bounds: dict[str, float] = field(default_factory=dict)
    uncertain: bool = False

    @property
    def name(self) -> str:
        return self.path.replace(".", "__")

    @property
    def label(self) -> str:
        return field_text(self.path)[0]

    @property
    def help(self) -> str:
        return field_text(self.path)[1]

    @property
    def group(self) -> str:
        return self.path.split(".")[0] if "." in self.path else ""


def _strip_optional(annotation: Any) -> tuple[Any, bool]:
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        arguments = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(arguments) == 1:
            return arguments[0], True
    return annotation, False


def _base(annotation: Any) -> Any:
    """``Annotated[float, ...]`` -> ``float``."""
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    return annotation


def _bounds(info: Any) -> dict[str, float]:
    found: dict[str, float] = {}
    for item in info.metadata:
        for key in ("gt", "ge", "lt", "le"):
            value = getattr(item, key, None)
            if value is not None:
                found[key] = float(value)
    return found


def field_specs(model: type[BaseModel], prefix: str = "", optional_parent: bool = False) -> list[FieldSpec]:
    """The fields a form shows for ``model``: numbers, choices, lists; nested models flattened with dotted paths.
    Inputs the web cannot express (free-form objects such as a nested Monte Carlo) are left out."""
    specs: list[FieldSpec] = []
    for name, info in model.model_fields.items():
        annotation, optional = _strip_optional(info.annotation)
        annotation = _base(annotation)
        path = f"{prefix}{name}"
        required = info.is_required() and not optional and not optional_parent
        default = None if info.is_required() else info.get_default(call_default_factory=True)
        origin = typing.get_origin(annotation)
        if annotation is float:
            specs.append(FieldSpec(path, "number", required, default=default, bounds=_bounds(info), uncertain=True))
        elif annotation is int:
            specs.append(FieldSpec(path, "integer", required, default=default, bounds=_bounds(info)))
        elif annotation is bool:
            specs.append(FieldSpec(path, "bool", False, default=default))
        elif origin is Literal:
            values = typing.get_args(annotation)
            specs.append(
                FieldSpec(path, "choice", required, choices=[(str(v), field_text(f"{path}={v}")[0]) for v in values],
                          default=default)
            )  # fmt: skip
        elif origin is list:
            item = _base(typing.get_args(annotation)[0])
            if item is float:
                specs.append(FieldSpec(path, "numbers", required, default=default))
            elif isinstance(item, type) and issubclass(item, BaseModel):
                columns = [n for n, i in item.model_fields.items() if _is_simple(i.annotation)]
                specs.append(FieldSpec(path, "rows", required, columns=columns, default=default))
        elif origin is dict and _base(typing.get_args(annotation)[1]) is float:
            specs.append(FieldSpec(path, "pairs", required, default=default))
        elif isinstance(annotation, type) and issubclass(annotation, MonteCarloInputs):
            continue  # a nested simulation is set up by the page's own uncertainty fields
        elif isinstance(annotation, type) and issubclass(annotation, BaseModel):
            specs.extend(field_specs(annotation, f"{path}.", optional_parent or optional or not info.is_required()))
    return specs


def _is_simple(annotation: Any) -> bool:
    annotation = _base(_strip_optional(annotation)[0])
    origin = typing.get_origin(annotation)
    return (
        annotation in (float, int, str)
        or origin is Literal
        or (origin is dict and _base(typing.get_args(annotation)[1]) is float)
    )


# --- Parsing -------------------------------------------------------------------------------------------------------


class InputError(ValueError):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def parse_number(text: str) -> float:
    """``0,05`` / ``0.05`` / ``1 200 000`` / ``1,200,000.5`` / ``5%``."""
    raw = text.strip().replace("\u00a0", " ").replace("\u202f", " ").replace("'", "")
    percent = raw.endswith("%")
    raw = (raw[:-1] if percent else raw).strip().replace(" ", "")
    if raw.count(",") == 1 and "." not in raw:
        raw = raw.replace(",", ".")
    elif raw.count(",") >= 1 and raw.count(".") <= 1:
        raw = raw.replace(",", "")
    if not NUMBER.match(raw):
        raise InputError(_("Enter a number, such as 0.05 or 5%."))
    value = float(raw)
    return value / 100 if percent else value


def parse_numbers(text: str) -> list[float]:
    parts = [part for part in re.split(r"[\s;]+", text.strip()) if part]
    if len(parts) == 1 and parts[0].count(",") > 1:  # "100,200,300": commas between numbers
        parts = parts[0].split(",")
    return [parse_number(part) for part in parts]


def parse_pairs(text: str) -> dict[str, float]:
    pairs: dict[str, float] = {}
    for chunk in re.split(r"[;\n]+", text.strip()):
        if not chunk.strip():
            continue
        if "=" not in chunk:
            raise InputError(_("Write each adjustment as name=value, for example size=-10%."))
        key, value = chunk.split("=", 1)
        pairs[key.strip()] = parse_number(value)
    return pairs


def _cell(column: str, text: str, model_field: Any) -> Any:
    annotation = _base(_strip_optional(model_field.annotation)[0])
    if annotation is float:
        return parse_number(text)
    if annotation is int:
        return int(parse_number(text))
    if typing.get_origin(annotation) is dict:
        return parse_pairs(text.replace(",", ";") if "=" in text else text)
    return text


def parse_rows(text: str, spec: FieldSpec, model: type[BaseModel]) -> list[dict[str, Any]]:
    rows = []
    item_model = _row_model(model, spec.path)
    for number, line in enumerate(text.strip().splitlines(), start=1):
        if not line.strip():
            continue
        cells = [cell.strip() for cell in line.split(";")]
        row: dict[str, Any] = {}
        for column, cell in zip(spec.columns, cells, strict=False):
            if cell:
                try:
                    row[column] = _cell(column, cell, item_model.model_fields[column])
                except InputError as error:
                    raise InputError(
                        _("Line %(line)s, %(column)s: %(message)s")
                        % {"line": number, "column": field_text(f"{spec.path}.{column}")[0], "message": error.message}
                    ) from None
        rows.append(row)
    return rows


def _row_model(model: type[BaseModel], path: str) -> type[BaseModel]:
    current: Any = model
    for part in path.split("."):
        annotation = _base(_strip_optional(current.model_fields[part].annotation)[0])
        if typing.get_origin(annotation) is list:
            annotation = _base(typing.get_args(annotation)[0])
        current = annotation
    return typing.cast(type[BaseModel], current)


@dataclass
class ParsedForm:
    data: dict[str, Any]
    uncertain: dict[str, tuple[float, float]]
    errors: dict[str, list[str]]


def parse_form(specs: list[FieldSpec], raw: dict[str, str], model: type[BaseModel]) -> ParsedForm:
    """The engine's input from what was typed; errors by field name. Empty optional fields are left out."""
    data: dict[str, Any] = {}
    uncertain: dict[str, tuple[float, float]] = {}
    errors: dict[str, list[str]] = {}
    for spec in specs:
        text = (raw.get(spec.name) or "").strip()
        try:
            if spec.kind == "bool":
                value: Any = raw.get(spec.name) in ("on", "true", "1")
            elif not text:
                if spec.required:
                    errors.setdefault(spec.name, []).append(_("This field is required."))
                continue
            elif spec.kind == "number":
                value = parse_number(text)
            elif spec.kind == "integer":
                number = parse_number(text)
                if number != int(number):
                    raise InputError(_("Enter a whole number."))
                value = int(number)
            elif spec.kind == "choice":
                value = int(text) if text.lstrip("-").isdigit() else text
            elif spec.kind == "numbers":
                value = parse_numbers(text)
            elif spec.kind == "pairs":
                value = parse_pairs(text)
            else:
                value = parse_rows(text, spec, model)
        except InputError as error:
            errors.setdefault(spec.name, []).append(error.message)
            continue
        _put(data, spec.path, value)
        if spec.uncertain:
            low, high = (raw.get(f"{spec.name}__low") or "").strip(), (raw.get(f"{spec.name}__high") or "").strip()
            if low or high:
                try:
                    bounds = (parse_number(low), parse_number(high))
                except InputError as error:
                    errors.setdefault(spec.name, []).append(error.message)
                    continue
                if not bounds[0] <= value <= bounds[1]:
                    errors.setdefault(spec.name, []).append(
                        _("The most likely value must lie between the low and the high value.")
                    )
                else:
                    uncertain[spec.path] = bounds
    return ParsedForm(data, uncertain, errors)


def _put(data: dict[str, Any], path: str, value: Any) -> None:
    parts = path.split(".")
    for part in parts[:-1]:
        data = data.setdefault(part, {})
    data[parts[-1]] = value


# --- Engine errors in the user's language ------------------------------------------------------------------------

MESSAGES = {
    "greater_than": gettext_lazy("Must be greater than %(gt)s."),
    "greater_than_equal": gettext_lazy("Must be at least %(ge)s."),
    "less_than": gettext_lazy("Must be less than %(lt)s."),
    "less_than_equal": gettext_lazy("Must be at most %(le)s."),
    "missing": gettext_lazy("This field is required."),
    "too_short": gettext_lazy("Give at least %(min_length)s values."),
    "literal_error": gettext_lazy("Choose one of the options."),
    "extra_forbidden": gettext_lazy("This input is not used by this method."),
}


def engine_errors(error: ValidationError, specs: list[FieldSpec]) -> dict[str, list[str]]:
    """Pydantic errors by form field name, translated where the kind of error is known; errors that span several
    fields go under ``__all__`` with the engine's own explanation."""
    names = {spec.path: spec.name for spec in specs}
    found: dict[str, list[str]] = {}
    for item in error.errors():
        loc = [str(part) for part in item["loc"]]
        target = "__all__"
        for size in range(len(loc), 0, -1):
            candidate = ".".join(part for part in loc[:size] if not part.isdigit())
            if candidate in names:
                target = names[candidate]
                break
        template = MESSAGES.get(item["type"])
        context = {key: _format(value) for key, value in (item.get("ctx") or {}).items()}
        try:
            message = str(template) % context if template else item["msg"].removeprefix("Value error, ")
        except (KeyError, TypeError):
            message = item["msg"]
        rows = [part for part in loc if part.isdigit()]
        if rows and target != "__all__":
            message = _("Line %(line)s: %(message)s") % {"line": int(rows[0]) + 1, "message": message}
        found.setdefault(target, []).append(message)
    return found


def _format(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)
