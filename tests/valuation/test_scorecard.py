"""The IP scorecard: the factor catalogue, a hand-computed asset, the matrix quadrants, portfolio ranking, validation
and the two command lines (``ipvalue scorecard --list-factors`` and ``ipvalue valuate scorecard``)."""

import io
import json
import re
from importlib.resources import files
from typing import Any

import pytest
from pydantic import ValidationError

import ipvalue.valuation.scorecard  # noqa: F401  (registers the method)
from ipvalue.valuation import cli as valuate_cli
from ipvalue.valuation import valuate
from ipvalue.valuation.core import METHODS
from ipvalue.valuation.scorecard import CATALOGUE, GROUP_CODES, LANGUAGES, load_catalogue, quadrant
from ipvalue.valuation.scorecard_cli import main as scorecard_main

CYRILLIC = re.compile(r"[А-Яа-яЁё]")
LATIN_WORD = re.compile(r"[A-Za-z]{4,}")
OPPORTUNITY = [factor.code for factor in CATALOGUE.factors if factor.dimension == "opportunity"]
RISK = [factor.code for factor in CATALOGUE.factors if factor.dimension == "risk"]


def every_factor(rating: int) -> dict[str, int]:
    return {factor.code: rating for factor in CATALOGUE.factors}


def error_locations(inputs: dict[str, Any]) -> list[tuple[int | str, ...]]:
    with pytest.raises(ValidationError) as caught:
        valuate("scorecard", inputs)
    return [error["loc"] for error in caught.value.errors()]


# --- the catalogue ---------------------------------------------------------------------------------------------------


def test_the_catalogue_is_well_formed():
    raw = json.loads((files("ipvalue.valuation") / "data" / "scorecard-factors.json").read_text(encoding="utf-8"))
    assert set(raw) == {"version", "source", "groups", "factors"}
    assert raw["version"] == CATALOGUE.version == "2026.1"
    assert "IPscore" in raw["source"] and "DIN 77100" in raw["source"]
    assert [group["code"] for group in raw["groups"]] == list(GROUP_CODES)
    for group in raw["groups"]:
        assert group["name"]["en"] and CYRILLIC.search(group["name"]["ru"])
    codes = [factor["code"] for factor in raw["factors"]]
    assert len(codes) == len(set(codes)), "factor codes are unique"
    assert 30 <= len(codes) <= 40
    for factor in raw["factors"]:
        assert factor["group"] in GROUP_CODES
        assert factor["dimension"] in ("opportunity", "risk")
        assert isinstance(factor["default_weight"], int | float) and factor["default_weight"] > 0
        assert set(factor["name"]) <= set(LANGUAGES) and set(factor["levels"]) <= set(LANGUAGES)
        for language in ("en", "ru"):
            assert factor["name"][language].strip(), factor["code"]
            assert len(factor["levels"][language]) == 5, (factor["code"], language)
            assert all(level.strip() for level in factor["levels"][language])
        for text in [factor["name"]["ru"], *factor["levels"]["ru"]]:
            assert CYRILLIC.search(text), (factor["code"], text)
            assert not LATIN_WORD.search(text.replace("ИС", "")), (factor["code"], text)  # no English left behind
        assert factor["levels"]["ru"] != factor["levels"]["en"]
    for group in GROUP_CODES:
        members = [factor for factor in raw["factors"] if factor["group"] == group]
        assert len(members) >= 5, group
        assert {factor["dimension"] for factor in members} == {"opportunity", "risk"}, group


def test_a_broken_catalogue_is_refused():
    raw = json.loads(CATALOGUE.model_dump_json())
    raw["factors"][0]["levels"]["ru"] = raw["factors"][0]["levels"]["ru"][:4]
    with pytest.raises(ValidationError, match="exactly 5"):
        load_catalogue(json.dumps(raw))
    raw = json.loads(CATALOGUE.model_dump_json())
    raw["factors"][1]["code"] = raw["factors"][0]["code"]
    with pytest.raises(ValidationError, match="duplicate"):
        load_catalogue(json.dumps(raw))
    raw = json.loads(CATALOGUE.model_dump_json())
    del raw["factors"][2]["name"]["ru"]
    with pytest.raises(ValidationError, match="missing"):
        load_catalogue(json.dumps(raw))


def test_the_method_is_registered_without_a_kernel():
    assert METHODS["scorecard"].kernel is None


# --- a hand-computed asset -------------------------------------------------------------------------------------------

WIDGET: dict[str, Any] = {
    "name": "Widget patent family",
    "ratings": {
        "claim_strength": 4,  # legal, risk, weight 2
        "scope_of_protection": 3,  # legal, opportunity, 1.5
        "freedom_to_operate": 2,  # legal, risk, 1.5
        "technical_advantage": 5,  # technology, opportunity, 1.5
        "technology_maturity": 3,  # technology, risk, 1
        "market_size": 4,  # market, opportunity, 1.5
        "competitive_pressure": 2,  # market, risk, 1
        "revenue_potential": 3,  # finance, opportunity, 1.5
        "funding_security": 2,  # finance, risk, 1 -> overridden to 3
        "strategic_fit": 5,  # strategy, opportunity, 1.5
        "management_commitment": 4,  # strategy, risk, 1
    },
    "weights": {"funding_security": 3},
    "notes": "Rated by the licensing team, March 2026",
}


def test_the_default_weights_the_worked_example_relies_on():
    weights = {factor.code: factor.default_weight for factor in CATALOGUE.factors}
    assert weights["claim_strength"] == 2.0
    for code in ("scope_of_protection", "freedom_to_operate", "technical_advantage", "market_size"):
        assert weights[code] == 1.5
    for code in ("revenue_potential", "strategic_fit"):
        assert weights[code] == 1.5
    for code in ("technology_maturity", "competitive_pressure", "funding_security", "management_commitment"):
        assert weights[code] == 1.0


def test_hand_computed_asset():
    # legal      = (4 x 2 + 3 x 1.5 + 2 x 1.5) / (2 + 1.5 + 1.5) = 15.5 / 5   = 3.1
    # technology = (5 x 1.5 + 3 x 1) / 2.5                       = 10.5 / 2.5 = 4.2
    # market     = (4 x 1.5 + 2 x 1) / 2.5                       =  8 / 2.5   = 3.2
    # finance    = (3 x 1.5 + 2 x 3) / 4.5                       = 10.5 / 4.5 = 2.3333...
    # strategy   = (5 x 1.5 + 4 x 1) / 2.5                       = 11.5 / 2.5 = 4.6
    # overall    = (3.1 + 4.2 + 3.2 + 2.3333 + 4.6) / 5 (equal group weights) = 17.4333 / 5 = 3.48667
    # opportunity: scope 3, advantage 5, size 4, revenue 3, fit 5, all weight 1.5 -> 20 / 5 = 4.0
    # risk factors: 4 x 2 + 2 x 1.5 + 3 x 1 + 2 x 1 + 2 x 3 + 4 x 1 = 26, weights 9.5 -> mean 2.7368
    # risk       = 6 - 26 / 9.5 = 3.2632 (higher = more risk) -> opportunity > 3, risk >= 3: question mark
    result = valuate("scorecard", {"assets": [WIDGET]})
    assert result.method == "scorecard"
    assert result.value == pytest.approx(17.4333333 / 5)
    asset = result.extra["assets"][0]
    scores = {group["group"]: group["score"] for group in asset["radar"]}
    assert scores == pytest.approx({"legal": 3.1, "technology": 4.2, "market": 3.2, "finance": 7 / 3, "strategy": 4.6})
    assert [group["group"] for group in asset["radar"]] == [group.code for group in CATALOGUE.groups]
    assert asset["overall"] == pytest.approx(3.4866667)
    assert asset["opportunity"] == pytest.approx(4.0)
    assert asset["risk"] == pytest.approx(6 - 26 / 9.5)
    assert asset["quadrant"]["code"] == "question-mark"
    assert asset["quadrant"]["on_midline"] is False
    assert asset["notes"] == WIDGET["notes"]
    assert result.breakdown["score_finance"] == pytest.approx(7 / 3)
    assert result.breakdown["risk"] == pytest.approx(3.2631579)
    funding = next(row for row in asset["factors"] if row["code"] == "funding_security")
    assert funding["weight"] == 3 and funding["weight_source"] == "asset"
    assert funding["guide"] == CATALOGUE.factor("funding_security").levels["en"][1]
    # coverage: 11 of 37 factors, reported per group, and a warning that the score rests on few factors
    assert asset["rated"] == 11 and asset["coverage"] == pytest.approx(11 / len(CATALOGUE.factors))
    legal = asset["groups"][0]
    assert (legal["rated"], legal["factors"]) == (3, len(CATALOGUE.factors_in("legal")))
    assert "geographic_coverage" in legal["unrated"] and "geographic_coverage" in asset["unrated"]
    assert any("rests on few factors" in warning for warning in result.warnings)
    assert asset["missing_groups"] == []
    assert result.extra["catalogue_version"] == "2026.1"
    assert "IPscore" in result.source and "DIN 77100" in result.source
    output = result.as_output()
    assert output["value"] == output["overall"] and output["portfolio"]["ranking"][0]["name"] == WIDGET["name"]


def test_group_weights_change_the_overall_score():
    # overall = (3.1 x 2 + 4.2 + 3.2 + 2.3333 + 4.6) / 6 = 20.5333 / 6
    result = valuate("scorecard", {"assets": [WIDGET], "group_weights": {"legal": 2}})
    assert result.value == pytest.approx((3.1 * 2 + 4.2 + 3.2 + 7 / 3 + 4.6) / 6)


def test_a_missing_group_is_reported_and_left_out():
    result = valuate("scorecard", {"assets": [{"name": "x", "ratings": {"claim_strength": 2, "market_size": 4}}]})
    asset = result.extra["assets"][0]
    assert asset["missing_groups"] == ["technology", "finance", "strategy"]
    assert result.value == pytest.approx(3.0)  # (2 + 4) / 2: only legal and market are scored
    assert asset["radar"][1]["score"] is None
    assert "score_technology" not in result.breakdown
    assert any("no factor rated in technology, finance, strategy" in warning for warning in result.warnings)


def test_no_risk_factor_means_no_quadrant():
    result = valuate("scorecard", {"assets": [{"name": "x", "ratings": {"market_size": 4}}]})
    assert result.extra["assets"][0]["quadrant"] is None
    assert "risk" not in result.breakdown
    assert any("no risk factor" in warning for warning in result.warnings)


def test_full_coverage_gives_no_coverage_warning():
    result = valuate("scorecard", {"assets": [{"name": "x", "ratings": every_factor(4)}]})
    assert result.value == pytest.approx(4.0)
    assert result.extra["assets"][0]["coverage"] == 1.0
    assert not any("few factors" in warning or "no factor" in warning for warning in result.warnings)


def test_texts_follow_the_language_with_english_fallback():
    ru = valuate("scorecard", {"assets": [WIDGET], "language": "ru"}).extra["assets"][0]
    assert ru["radar"][0]["name"] == "Правовой статус"
    assert all(CYRILLIC.search(row["name"]) and CYRILLIC.search(row["guide"]) for row in ru["factors"])
    assert CYRILLIC.search(ru["quadrant"]["label"])
    fr = valuate("scorecard", {"assets": [WIDGET], "language": "fr"}).extra["assets"][0]
    assert fr["radar"][0]["name"] == "Statut juridique"  # group names are translated
    assert fr["factors"][0]["name"] == CATALOGUE.factors[0].name["en"]  # factor texts fall back to English


# --- the matrix ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("opportunity_rating", "risk_rating", "expected"),
    [
        (5, 5, "star"),  # opportunity 5, risk 6 - 5 = 1
        (5, 1, "question-mark"),  # opportunity 5, risk 5
        (1, 5, "steady"),  # opportunity 1, risk 1
        (1, 1, "dog"),  # opportunity 1, risk 5
    ],
)
def test_quadrants_at_the_corners(opportunity_rating: int, risk_rating: int, expected: str):
    ratings = {code: opportunity_rating for code in OPPORTUNITY} | {code: risk_rating for code in RISK}
    asset = valuate("scorecard", {"assets": [{"name": "corner", "ratings": ratings}]}).extra["assets"][0]
    assert asset["opportunity"] == pytest.approx(opportunity_rating)
    assert asset["risk"] == pytest.approx(6 - risk_rating)
    assert asset["quadrant"]["code"] == expected
    assert asset["quadrant"]["label"].lower().startswith(expected.replace("-", " "))


def test_the_midlines_go_to_the_less_favourable_side():
    assert quadrant(3.0, 2.99) == "steady"  # opportunity exactly 3 is not high
    assert quadrant(3.01, 3.0) == "question-mark"  # risk exactly 3 is high
    assert quadrant(3.01, 2.99) == "star"
    result = valuate("scorecard", {"assets": [{"name": "average", "ratings": every_factor(3)}]})
    asset = result.extra["assets"][0]
    assert (asset["quadrant"]["code"], asset["quadrant"]["on_midline"]) == ("dog", True)
    assert any("midline" in warning for warning in result.warnings)


# --- portfolio -------------------------------------------------------------------------------------------------------


def test_portfolio_ranking_order():
    assets = [
        {"name": "middling", "ratings": every_factor(3)},
        {"name": "best", "ratings": every_factor(5)},
        {"name": "worst", "ratings": every_factor(1)},
        {"name": "also middling", "ratings": every_factor(3)},
    ]
    result = valuate("scorecard", {"assets": assets})
    ranking = result.extra["portfolio"]["ranking"]
    assert [row["name"] for row in ranking] == ["best", "middling", "also middling", "worst"]
    assert [row["rank"] for row in ranking] == [1, 2, 2, 4]  # ties share a rank and keep their input order
    assert [row["overall"] for row in ranking] == pytest.approx([5.0, 3.0, 3.0, 1.0])
    assert result.extra["portfolio"]["columns"][:3] == ["rank", "name", "overall"]
    assert set(result.extra["portfolio"]["columns"]) == set(ranking[0])
    assert ranking[0]["quadrant"] == "star" and ranking[-1]["quadrant"] == "dog"
    assert result.value == pytest.approx(3.0)  # the first asset, the subject, not the best
    assert result.breakdown["portfolio_mean"] == pytest.approx(3.0)
    assert not any("different weight" in warning for warning in result.warnings)


def test_portfolio_warns_when_assets_are_not_scored_alike():
    result = valuate("scorecard", {"assets": [WIDGET, {"name": "other", "ratings": every_factor(4)}]})
    assert any("different weight overrides" in warning for warning in result.warnings)
    assert any("not rated on the same factors" in warning for warning in result.warnings)


# --- validation ------------------------------------------------------------------------------------------------------


def test_a_rating_of_7_names_the_factor():
    assert error_locations({"assets": [{"name": "x", "ratings": {"market_size": 7}}]}) == [
        ("assets", 0, "ratings", "market_size")
    ]


def test_an_unknown_factor_names_it():
    locations = error_locations({"assets": [{"name": "x", "ratings": {"market_size": 3, "charisma": 4}}]})
    assert len(locations) == 1 and "charisma" in locations[0]
    locations = error_locations({"assets": [{"name": "x", "ratings": {"market_size": 3}, "weights": {"luck": 2}}]})
    assert len(locations) == 1 and "luck" in locations[0]


@pytest.mark.parametrize("rating", [0, 2.5, 3.0, "3", True, None])
def test_ratings_are_integers_from_1_to_5(rating: Any):
    assert error_locations({"assets": [{"name": "x", "ratings": {"market_size": rating}}]}) == [
        ("assets", 0, "ratings", "market_size")
    ]


@pytest.mark.parametrize(
    ("inputs", "location"),
    [
        ({"assets": []}, ("assets",)),
        ({"assets": [{"name": "x", "ratings": {}}]}, ("assets", 0, "ratings")),
        ({"assets": [{"name": "x", "ratings": {"market_size": 3}, "weights": {"market_size": 0}}]}, None),
        ({"assets": [{"name": "x", "ratings": {"market_size": 3}}], "catalogue_version": "2019.1"}, None),
        ({"assets": [{"name": "x", "ratings": {"market_size": 3}}], "language": "de"}, ("language",)),
        ({"assets": [{"name": "x", "ratings": {"market_size": 3}}], "colour": "red"}, ("colour",)),
        ({"assets": [{"name": "x", "ratings": {"market_size": 3}}] * 2}, ("assets",)),
        ({"assets": [{"name": "x", "ratings": {"market_size": 3}}], "group_weights": {"luck": 1}}, None),
    ],
)
def test_invalid_inputs(inputs: dict[str, Any], location: tuple[int | str, ...] | None):
    locations = error_locations(inputs)
    assert len(locations) == 1
    if location is not None:
        assert locations[0] == location


def test_catalogue_version_must_match():
    assert valuate("scorecard", {"assets": [WIDGET], "catalogue_version": "2026.1"}).value > 0
    assert error_locations({"assets": [WIDGET], "catalogue_version": "2019.1"}) == [("catalogue_version",)]


# --- the command lines -----------------------------------------------------------------------------------------------


def test_cli_lists_the_factors_in_russian():
    out = io.StringIO()
    assert scorecard_main(["--list-factors", "--language", "ru"], out=out) == 0
    text = out.getvalue()
    assert "Правовой статус [legal]" in text
    for factor in CATALOGUE.factors:
        assert f"{factor.code}: {factor.name['ru']}" in text
        for level in factor.levels["ru"]:
            assert level in text
    assert "вес 1,5" in text and "риск" in text


def test_cli_lists_the_factors_as_json():
    out = io.StringIO()
    assert scorecard_main(["--list-factors", "--language", "ru", "--json"], out=out) == 0
    listing = json.loads(out.getvalue())
    assert listing["version"] == CATALOGUE.version and listing["language"] == "ru"
    assert [group["code"] for group in listing["groups"]] == list(GROUP_CODES)
    first = listing["groups"][0]["factors"][0]
    assert first["code"] == CATALOGUE.factors[0].code and CYRILLIC.search(first["name"])
    assert [level["rating"] for level in first["levels"]] == [1, 2, 3, 4, 5]
    assert sum(len(group["factors"]) for group in listing["groups"]) == len(CATALOGUE.factors)


def test_cli_lists_in_english_by_default():
    out = io.StringIO()
    assert scorecard_main(["--list-factors"], out=out) == 0
    assert "Legal status [legal]" in out.getvalue() and not CYRILLIC.search(out.getvalue())


def test_cli_refuses_an_unknown_language(capsys: pytest.CaptureFixture[str]):
    out = io.StringIO()
    assert scorecard_main(["--list-factors", "--language", "klingon"], out=out) == 2
    assert "unknown language 'klingon'" in capsys.readouterr().err
    assert out.getvalue() == ""
    out = io.StringIO()
    assert scorecard_main(["--list-factors", "--language", "klingon", "--json"], out=out) == 2
    assert json.loads(out.getvalue())["detail"][0]["loc"] == ["language"]


def test_cli_without_an_action_returns_2(capsys: pytest.CaptureFixture[str]):
    assert scorecard_main([], out=io.StringIO()) == 2
    assert "--list-factors" in capsys.readouterr().err
    assert scorecard_main(["--bogus"], out=io.StringIO()) == 2


def test_valuate_cli_scores_assets():
    out = io.StringIO()
    assert valuate_cli.main(["scorecard"], stdin=io.StringIO(json.dumps({"assets": [WIDGET]})), out=out) == 0
    output = json.loads(out.getvalue())
    assert output["value"] == pytest.approx(3.4866667)
    assert output["assets"][0]["quadrant"]["code"] == "question-mark"


def test_valuate_cli_names_the_factor_rated_7():
    out = io.StringIO()
    data = json.dumps({"assets": [{"name": "x", "ratings": {"claim_strength": 4, "market_size": 7}}]})
    assert valuate_cli.main(["scorecard"], stdin=io.StringIO(data), out=out) == 2
    error = json.loads(out.getvalue())
    assert error["error"] == "invalid input"
    assert [item["loc"] for item in error["detail"]] == [["assets", 0, "ratings", "market_size"]]
