import re

import pytest
from django.utils import translation
from django.utils.translation import gettext

from ipvalue.toolkit.models import SavedValuation
from ipvalue.toolkit.views import SESSION_KEY, WEB_METHODS

pytestmark = pytest.mark.django_db

RFR = {"revenues": "1000000 1100000 1200000", "royalty_rate": "5%", "royalty_rate__low": "3%",
       "royalty_rate__high": "7%", "tax_rate": "25%", "discount_rate": "12%", "timing": "end",
       "first_period": "1"}  # fmt: skip


def test_guided_start_ranks_methods_as_din_77100(client):
    page = client.get(
        "/en/toolkit/",
        {"profile": "sme", "asset": "patent", "information": ["forecasts", "royalties", "costs"]},
    )
    methods = [item.method for item in page.context["suggestions"]]
    assert methods[0] == "relief-from-royalty"
    assert methods.index("cost") > methods.index("royalty-rate-range")
    assert methods[-1] == "scorecard"
    bank = client.get("/en/toolkit/", {"profile": "bank", "asset": "patent"}).context["suggestions"]
    assert "loan-assessment" in [item.method for item in bank]


@pytest.mark.parametrize("method", WEB_METHODS)
def test_every_method_has_a_form(client, method):
    response = client.get(f"/ru/toolkit/value/{method}/")
    assert response.status_code == 200
    assert 'name="csrfmiddlewaretoken"' in response.content.decode()


def test_uncertain_royalty_rate_gives_a_range_and_charts(client):
    response = client.post("/en/toolkit/value/relief-from-royalty/", RFR)
    assert response.status_code == 302 and response["Location"] == "/en/toolkit/result/"
    page = client.get("/en/toolkit/result/")
    html = page.content.decode()
    run = page.context["run"]
    low, high = run.range
    assert low < run.result.value < high
    assert html.count("<svg") == 3 and "P10" in html and "P90" in html
    assert 'style="' not in html.split("<main", 1)[1]  # the charts respect the content security policy


def test_a_form_error_keeps_what_was_typed(client):
    response = client.post("/ru/toolkit/value/relief-from-royalty/", {**RFR, "tax_rate": "150%", "revenues": "1e6 abc"})
    assert response.status_code == 422
    html = response.content.decode()
    assert 'value="150%"' in html and "1e6 abc" in html and 'value="3%"' in html
    with translation.override("ru"):
        assert gettext("Enter a number, such as 0.05 or 5%.") in html
    assert client.session[SESSION_KEY]["form_data"]["revenues"] == "1e6 abc"  # kept for when the user comes back
    again = client.get("/ru/toolkit/value/relief-from-royalty/?again=1").content.decode()
    assert "1e6 abc" in again


def test_engine_errors_are_shown_on_the_field(client):
    response = client.post("/en/toolkit/value/relief-from-royalty/", {**RFR, "tax_rate": "150%"})
    assert response.status_code == 422
    assert response.context["fields"][[f["spec"].path for f in response.context["fields"]].index("tax_rate")]["errors"]


def test_saved_work_edit_duplicate_share(client, make_user):
    owner = make_user("sme.owner")
    client.force_login(owner)
    response = client.post("/en/toolkit/value/relief-from-royalty/", {**RFR, "save": "1", "title": "Patent A"})
    valuation = SavedValuation.objects.get(owner=owner)
    assert response["Location"] == f"/en/toolkit/valuations/{valuation.pk}/"
    assert valuation.title == "Patent A" and valuation.form_data["royalty_rate"] == "5%"
    edited = client.post(
        f"/en/toolkit/valuations/{valuation.pk}/edit/relief-from-royalty/", {**RFR, "royalty_rate": "6%"}
    )
    assert edited.status_code == 302
    valuation.refresh_from_db()
    assert valuation.form_data["royalty_rate"] == "6%" and valuation.engine_input["royalty_rate"] == 0.06
    client.post(f"/en/toolkit/valuations/{valuation.pk}/do/duplicate/")
    assert SavedValuation.objects.filter(owner=owner).count() == 2
    client.post(f"/en/toolkit/valuations/{valuation.pk}/do/share/")
    valuation.refresh_from_db()
    token = valuation.share_token
    assert token and len(token) > 30
    client.logout()
    shared = client.get(f"/en/toolkit/shared/{token}/")
    assert shared.status_code == 200 and shared.context["editable"] is False
    assert client.get(f"/en/toolkit/valuations/{valuation.pk}/").status_code == 302  # sign in first
    stranger = make_user("stranger")
    client.force_login(stranger)
    assert client.get(f"/en/toolkit/valuations/{valuation.pk}/").status_code == 404
    assert client.post(f"/en/toolkit/valuations/{valuation.pk}/do/delete/").status_code == 404
    client.force_login(owner)
    client.post(f"/en/toolkit/valuations/{valuation.pk}/do/unshare/")
    assert client.get(f"/en/toolkit/shared/{token}/").status_code == 404


def test_anonymous_work_is_saved_after_signing_in(client, make_user):
    client.post("/en/toolkit/value/relief-from-royalty/", RFR)
    client.force_login(make_user("late"))
    response = client.post("/en/toolkit/result/save/", {"title": "Kept"})
    assert response.status_code == 302
    assert SavedValuation.objects.get(title="Kept").result["method"] == "relief-from-royalty"


def test_loan_assessment_with_the_malaysian_preset(client):
    response = client.post(
        "/en/toolkit/value/loan-assessment/",
        {"collateral__appraised_value": "5 000 000", "disposal_discount": "0", "time_to_sell_years": "0",
         "discount_rate": "10%", "requested_loan": "3000000", "probability_of_default": "3%",
         "preset": "malaysia-ipfs"},
    )  # fmt: skip
    assert response.status_code == 302
    run = client.get("/en/toolkit/result/").context["run"]
    assert run.result.value == pytest.approx(4_000_000)  # 80% of the IP value, below RM10m


def test_scorecard_page(client, make_user):
    response = client.post("/ru/toolkit/scorecard/", {"asset_name": "Патент", "rating_claim_strength": "4",
                                                      "rating_market_size": "5"})  # fmt: skip
    assert response.status_code == 200
    asset = response.context["asset"]
    assert asset["overall"] == pytest.approx(4.5) and response.content.decode().count("<svg") == 2
    assert re.search(r"[А-Яа-я]{4}", asset["quadrant"]["label"])
    refused = client.post("/en/toolkit/scorecard/", {"asset_name": "X"})
    assert refused.status_code == 422
    user = make_user("portfolio")
    client.force_login(user)
    for name, rating in (("A", "5"), ("B", "2")):
        client.post("/en/toolkit/scorecard/", {"asset_name": name, "rating_claim_strength": rating, "save": "1"})
    portfolio = client.get("/en/toolkit/scorecard/").context["portfolio"]
    assert [row["title"] for row in portfolio["rows"]] == ["A", "B"]


def test_reconciling_two_saved_valuations(client, make_user):
    from io import BytesIO

    from pypdf import PdfReader

    user = make_user("reconciler")
    client.force_login(user)
    client.post("/en/toolkit/value/relief-from-royalty/", {**RFR, "save": "1", "title": "Royalty view"})
    client.post("/en/toolkit/value/cost/", {"cost": "100000", "save": "1", "title": "Cost view"})
    royalty, cost = (SavedValuation.objects.get(title=t) for t in ("Royalty view", "Cost view"))
    too_few = client.get("/en/toolkit/reconcile/", {"reconcile": "1", "use": [royalty.pk]})
    assert too_few.status_code == 422
    query = {"reconcile": "1", "use": [royalty.pk, cost.pk], f"weight_{royalty.pk}": "3", f"weight_{cost.pk}": "1"}
    page = client.get("/en/toolkit/reconcile/", query)
    expected = 0.75 * royalty.result["result"]["value"] + 0.25 * 100000
    assert page.context["conclusion"] == f"{expected:,.2f}".rstrip("0").rstrip(".")
    pdf = client.get("/en/toolkit/reconcile/", {**query, "format": "pdf"})
    assert pdf["Content-Type"] == "application/pdf", pdf.content.decode()[-3000:]
    text = "".join(p.extract_text() for p in PdfReader(BytesIO(pdf.content)).pages)
    assert "Cost view" in text


def test_heavy_requests_are_rate_limited(client, settings):
    from django.core.cache import cache

    settings.RATELIMIT_ENABLE = True
    # Day-long windows: requests that take seconds (PDF reports) must not straddle a window's end, as minutes could.
    settings.TOOLKIT_REPORT_RATE = "2/d"
    settings.TOOLKIT_COMPUTE_RATE = "3/d"
    cache.clear()
    computes = [client.post("/en/toolkit/value/relief-from-royalty/", RFR).status_code for _ in range(4)]
    assert computes == [302, 302, 302, 429]
    statuses = [client.get("/en/toolkit/result/report/", {"format": "pdf"}).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    assert "Too many requests" in client.get("/en/toolkit/result/report/").content.decode()
    cache.clear()
