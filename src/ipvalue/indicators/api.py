"""Open statistics as open data: ``/api/v1/countries/{iso2}/indicators`` (a country's series, each with its source)
and ``/api/v1/indicators/observations.csv`` (every observation). Public, like the charts on the country pages."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError
from pydantic import Field

from ipvalue.core.tabular import table_response
from ipvalue.countries import selectors as country_selectors
from ipvalue.countries.models import Country
from ipvalue.indicators import selectors

router = Router(tags=["open statistics"])


class PointOut(Schema):
    year: int
    value: float


class SeriesOut(Schema):
    indicator: str = Field(description="ipvalue's indicator code", examples=["ip_receipts"])
    names: dict[str, str] = Field(description="The indicator's name in each of the six languages")
    unit: str = Field(description="Unit, in English", examples=["current US$"])
    kind: str = Field(description="money, count or percent")
    source: str = Field(description="worldbank or wipo: series of different sources are never merged")
    publisher: str
    publisher_code: str = Field(description="The publisher's code or name of the series", examples=["BX.GSR.ROYL.CD"])
    publisher_updated: str | None = Field(description="The publisher's 'Last Updated Date' of the file, when given")
    file: str = Field(description="Name of the file the latest values were read from")
    file_sha256: str
    imported_at: str | None
    values: list[PointOut]


class ErrorOut(Schema):
    detail: str


@router.get(
    "/countries/{code}/indicators",
    response={200: list[SeriesOut], 404: ErrorOut},
    summary="A country's open statistics, one series per indicator and source",
    url_name="country_indicators",
)
def country_indicators(request: HttpRequest, code: str) -> list[dict[str, Any]]:
    try:
        country = country_selectors.country_get(code=code)
    except Country.DoesNotExist as error:
        raise HttpError(404, f"No member state has the code {code!r}.") from error
    return selectors.country_indicators_data(country)


@router.get(
    "/indicators/observations.csv",
    response={200: None},
    summary="Every observation of the open statistics as CSV (country, indicator, source, year, value, file)",
    url_name="indicator_observations_csv",
)
def observations_csv(request: HttpRequest) -> Any:
    return table_response(
        headers=selectors.OBSERVATION_COLUMNS,
        rows=selectors.observation_rows(),
        file_format="csv",
        filename="ipvalue-open-statistics",
    )
