"""``/api/v1/countries``: the WIPO member states as JSON."""

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError
from pydantic import Field

from ipvalue.countries import selectors
from ipvalue.countries.models import Country

router = Router(tags=["countries"])


class CountryOut(Schema):
    iso2: str = Field(description="ISO 3166-1 alpha-2 code", examples=["KZ"])
    iso3: str = Field(description="ISO 3166-1 alpha-3 code", examples=["KAZ"])
    numeric: str = Field(description="ISO 3166-1 numeric code", examples=["398"])
    names: dict[str, str] = Field(description="The name in each of the six languages, by language code")
    groups: list[str] = Field(description="Codes of the WIPO regional groups the state belongs to")
    beneficiary: bool = Field(description="Whether the state is a beneficiary country of the project")

    @staticmethod
    def from_country(country: Country) -> "CountryOut":
        return CountryOut(
            iso2=country.iso2,
            iso3=country.iso3,
            numeric=country.numeric,
            names=country.names,
            groups=[group.code for group in country.groups.all()],
            beneficiary=country.is_beneficiary,
        )


class ErrorOut(Schema):
    detail: str


@router.get("", response=list[CountryOut], summary="List the WIPO member states")
def list_countries(
    request: HttpRequest, group: str | None = None, beneficiary: bool | None = None, q: str | None = None
) -> list[CountryOut]:
    """Every WIPO member state, ordered by ISO alpha-2 code; filter by regional group code (``group=CACEEC``),
    beneficiary status (``beneficiary=true``) or a text in any language (``q=``)."""
    countries = selectors.country_list(group=group, beneficiary=beneficiary, search=q).order_by("iso2")
    return [CountryOut.from_country(country) for country in countries]


@router.get(
    "/{code}",
    response={200: CountryOut, 404: ErrorOut},
    summary="One member state by its alpha-2 or alpha-3 code",
)
def get_country(request: HttpRequest, code: str) -> CountryOut:
    try:
        return CountryOut.from_country(selectors.country_get(code=code))
    except Country.DoesNotExist as error:
        raise HttpError(404, f"No member state has the code {code!r}.") from error


@router.get("/{code}/profile", response=dict[str, Any], summary="A country's published knowledge base profile")
def country_profile(request: HttpRequest, code: str) -> dict[str, Any]:
    """The published facts (the latest value of each provision), practices and obstacles of a country, with sources."""
    from ipvalue.knowledge.api import country_or_404
    from ipvalue.knowledge.selectors import country_profile as profile

    return profile(country_or_404(code))
