"""Errors the API answers with, in the same shape as django-ninja's own validation errors."""

from typing import Any


class UnprocessableError(Exception):
    """422: ``detail`` lists each problem with the field it concerns (``loc``) and the reason (``msg``)."""

    def __init__(self, detail: list[dict[str, Any]]) -> None:
        super().__init__(detail)
        self.detail = detail
