"""Template filters of the questionnaire pages."""

from typing import Any

from django import template

from ipvalue.surveys.expressions import to_string

register = template.Library()


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    """``mapping[key]``, or None."""
    if isinstance(mapping, dict):
        return mapping.get(key)
    return None


@register.filter
def is_chosen(value: Any, name: str) -> bool:
    """Whether the choice ``name`` is part of a select answer (a name, or a list of names)."""
    if isinstance(value, list):
        return name in value
    return value == name


@register.filter
def answer_text(value: Any) -> str:
    """An answer as it is shown in a text field (numbers without a trailing .0)."""
    if value is None:
        return ""
    if isinstance(value, list):
        return " ".join(str(item) for item in value)
    return to_string(value)


@register.filter
def is_file(kind: str) -> bool:
    """Whether a question type takes a file."""
    from ipvalue.surveys.runtime import FILE_TYPES

    return kind in FILE_TYPES


@register.filter
def is_select(kind: str) -> bool:
    """Whether a question type picks among choices (shown as boxes when the form lists its choices)."""
    from ipvalue.surveys.runtime import SELECT_TYPES

    return kind in SELECT_TYPES


@register.filter
def is_metadata(kind: str) -> bool:
    """Whether a row is a value the device records or a hidden value (never shown to respondents)."""
    from ipvalue.surveys.runtime import METADATA_TYPES

    return kind in METADATA_TYPES
