import pytest

pytestmark = pytest.mark.django_db

LANGUAGES = {"en", "fr", "es", "ru", "zh-hans", "ar"}


def test_countries_endpoint_lists_every_member_state(client, reference_data):
    response = client.get("/api/v1/countries")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    countries = response.json()
    assert len(countries) == 193
    by_code = {country["iso2"]: country for country in countries}
    kazakhstan = by_code["KZ"]
    assert kazakhstan["iso3"] == "KAZ"
    assert set(kazakhstan["names"]) == LANGUAGES
    assert kazakhstan["names"]["ru"] == "Казахстан"
    assert kazakhstan["groups"] == ["CACEEC"]
    assert kazakhstan["beneficiary"] is True
    assert by_code["FR"]["beneficiary"] is False
    assert sum(country["beneficiary"] for country in countries) == 10
    assert "Казахстан" in response.content.decode()  # not \u-escaped


def test_filters(client, reference_data):
    caceec = client.get("/api/v1/countries", {"group": "caceec"}).json()
    assert len(caceec) == 10
    assert {country["iso2"] for country in client.get("/api/v1/countries", {"q": "Казах"}).json()} == {"KZ"}
    assert len(client.get("/api/v1/countries", {"beneficiary": "false"}).json()) == 183


def test_one_country_by_either_code(client, reference_data):
    assert client.get("/api/v1/countries/uz").json()["iso3"] == "UZB"
    assert client.get("/api/v1/countries/UZB").json()["iso2"] == "UZ"
    missing = client.get("/api/v1/countries/XX")
    assert missing.status_code == 404
    assert "XX" in missing.json()["detail"]


def test_bad_parameter_is_a_422_naming_the_field(client, reference_data):
    response = client.get("/api/v1/countries", {"beneficiary": "perhaps"})
    assert response.status_code == 422
    errors = response.json()["detail"]
    assert errors[0]["loc"][-1] == "beneficiary"
    assert errors[0]["msg"]


def test_openapi_schema_and_docs_are_served_offline(client):
    schema = client.get("/api/openapi.json").json()
    assert "/api/v1/countries" in schema["paths"]
    docs = client.get("/api/docs")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower()
    assert "'unsafe-inline'" in docs["Content-Security-Policy"]
