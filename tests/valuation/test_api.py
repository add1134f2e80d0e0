"""POST /api/v1/valuations/{method}: the engine over HTTP, with the same results and 422 field errors."""

import pytest

from ipvalue.valuation import METHODS, valuate

RFR = {"revenues": [1000.0, 1100.0], "royalty_rate": 0.05, "tax_rate": 0.25, "discount_rate": 0.12}


def test_result_is_the_engines(client):
    response = client.post("/api/v1/valuations/relief-from-royalty", RFR, content_type="application/json")
    assert response.status_code == 200
    body = response.json()
    assert body["method"] == "relief-from-royalty"
    assert body["value"] == pytest.approx(valuate("relief-from-royalty", RFR).value)
    assert body["conventions"]["timing"] == "end" and len(body["schedule"]) == 2


def test_field_errors_are_422(client):
    response = client.post(
        "/api/v1/valuations/relief-from-royalty", {**RFR, "tax_rate": 1.5}, content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "tax_rate"


def test_every_method_is_in_the_openapi_schema(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    for name in METHODS:
        assert f"/api/v1/valuations/{name}" in paths
        assert "requestBody" in paths[f"/api/v1/valuations/{name}"]["post"]


def test_monte_carlo_is_capped(client, settings):
    settings.VALUATION_API_MAX_SCENARIOS = 1000
    payload = {"method": "relief-from-royalty", "inputs": RFR, "scenarios": 5000, "seed": 1}
    response = client.post("/api/v1/valuations/monte-carlo", payload, content_type="application/json")
    assert response.status_code == 422 and response.json()["detail"][0]["loc"] == ["body", "payload", "scenarios"]
    ok = client.post("/api/v1/valuations/monte-carlo", {**payload, "scenarios": 1000}, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["scenarios"] == 1000


def test_unknown_method_is_a_json_404(client):
    response = client.post("/api/v1/valuations/nope", {}, content_type="application/json")
    assert response.status_code == 404 and "npv" in response.json()["methods"]


def test_loan_book_work_is_capped_by_loans_times_scenarios(client, settings):
    settings.VALUATION_API_MAX_SCENARIOS = 1000
    loans = [{"exposure": 100.0, "probability_of_default": 0.02, "loss_given_default": 0.45}] * 400
    payload = {"loans": loans, "correlation": 0.1, "scenarios": 1000, "seed": 1}
    refused = client.post("/api/v1/valuations/loan-book", payload, content_type="application/json")
    assert refused.status_code == 422  # 400 loans x 1,000 scenarios = 2 x the cap's work
    accepted = client.post(
        "/api/v1/valuations/loan-book", {**payload, "loans": loans[:100]}, content_type="application/json"
    )
    assert accepted.status_code == 200 and accepted.json()["value"] == pytest.approx(100 * 100 * 0.02 * 0.45)
