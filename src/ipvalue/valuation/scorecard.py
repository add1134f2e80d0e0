"""Qualitative IP scorecard: factors rated 1 to 5, group scores, a radar profile and an opportunity/risk matrix.

Inspired by the European Patent Office's IPscore (about 40 factors rated 1 to 5 in five groups: legal status,
technology, market conditions, finance, strategy; a radar profile of the groups and an opportunity/risk matrix) and
by DIN 77100:2011 (Patent valuation: legal, technical and economic factors), with an eye on Korea's SMART evaluation
(rights strength, technology quality, usability). See DOMAIN.md, "Qualitative scoring". The factor catalogue is data,
``data/scorecard-factors.json``: versioned, translatable (English and Russian required; French, Spanish, Chinese and
Arabic optional, falling back to English), worded by ipvalue, not copied from EPO or DIN.

Conventions (also in every result):

- Ratings are integers 1 (worst) to 5 (best). For a *risk* factor a high rating means LOW risk, so every factor is
  rated in the same direction: 5 is always good news.
- Group score = weighted mean of the group's rated factors (factor weights: the catalogue's defaults, overridden per
  asset). Unrated factors are left out, not counted as zero; a group with no rated factor has no score.
- Overall score = weighted mean of the scored groups, with equal group weights unless ``group_weights`` says
  otherwise (missing groups are left out and the remaining weights renormalised).
- Opportunity axis = weighted mean of the ratings of the opportunity factors (1 to 5, higher = more opportunity).
- Risk axis = 6 - weighted mean of the ratings of the risk factors (1 to 5, higher = MORE risk).
- Quadrants at the midpoint 3: opportunity is high when above 3; risk is high when 3 or above. A point on a midline
  falls on the less favourable side (prudence), and is flagged ``on_midline``.
- The result's ``value`` is the overall score of the FIRST asset (the subject); other assets are comparators, ranked
  in ``portfolio`` with their mean in ``portfolio_mean``. Adding comparators never changes the subject's value.

No kernel: ratings are judgements, not simulated quantities.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from importlib.resources import files
from typing import Annotated, Any, Literal, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, WithJsonSchema, field_validator, model_validator

from ipvalue.valuation.core import Inputs, Method, ValuationResult, register

Dimension = Literal["opportunity", "risk"]
Language = Literal["en", "ru", "fr", "es", "zh-hans", "ar"]
LANGUAGES: tuple[str, ...] = ("en", "ru", "fr", "es", "zh-hans", "ar")
REQUIRED_LANGUAGES: tuple[str, ...] = ("en", "ru")
GROUP_CODES: tuple[str, ...] = ("legal", "technology", "market", "finance", "strategy")
LEVELS = 5
MIDPOINT = 3.0
LOW_COVERAGE = 0.5  # below this share of the catalogue's factors rated, the score is said to rest on few factors
CATALOGUE_FILE = "scorecard-factors.json"

T = TypeVar("T")


def localized(texts: Mapping[str, T], language: str) -> T:
    """The text in ``language``, or the English one when that language has none."""
    return texts[language] if language in texts else texts["en"]


# --- The catalogue ---------------------------------------------------------------------------------------------------


class CatalogueGroup(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    code: str
    name: dict[str, str]

    @field_validator("name")
    @classmethod
    def _languages(cls, name: dict[str, str]) -> dict[str, str]:
        _check_languages(name)
        if not all(text.strip() for text in name.values()):
            raise ValueError("group names cannot be empty")
        return name


class CatalogueFactor(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    code: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    group: str
    dimension: Dimension
    default_weight: float = Field(gt=0.0, le=1000.0, allow_inf_nan=False)
    name: dict[str, str]
    levels: dict[str, list[str]]

    @model_validator(mode="after")
    def _texts(self) -> CatalogueFactor:
        _check_languages(self.name)
        _check_languages(self.levels)
        if not all(text.strip() for text in self.name.values()):
            raise ValueError(f"{self.code}: names cannot be empty")
        for language, guides in self.levels.items():
            if len(guides) != LEVELS or not all(guide.strip() for guide in guides):
                raise ValueError(f"{self.code}: {language} needs exactly {LEVELS} non-empty level guides")
        return self


def _check_languages(texts: Mapping[str, object]) -> None:
    unknown = sorted(set(texts) - set(LANGUAGES))
    if unknown:
        raise ValueError(f"unknown languages {unknown}; known: {list(LANGUAGES)}")
    absent = [language for language in REQUIRED_LANGUAGES if language not in texts]
    if absent:
        raise ValueError(f"texts missing in {absent}")


class Catalogue(BaseModel):
    """The factor catalogue: groups in display (radar) order, factors in display order within their group."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    version: str = Field(min_length=1)
    source: str = Field(min_length=1)
    groups: list[CatalogueGroup]
    factors: list[CatalogueFactor]

    @model_validator(mode="after")
    def _consistent(self) -> Catalogue:
        codes = [group.code for group in self.groups]
        if sorted(codes) != sorted(GROUP_CODES):
            raise ValueError(f"the groups must be {list(GROUP_CODES)}, not {codes}")
        factor_codes = [factor.code for factor in self.factors]
        duplicates = sorted({code for code in factor_codes if factor_codes.count(code) > 1})
        if duplicates:
            raise ValueError(f"duplicate factor codes: {duplicates}")
        for factor in self.factors:
            if factor.group not in codes:
                raise ValueError(f"{factor.code}: unknown group {factor.group!r}")
        empty = [code for code in codes if not any(factor.group == code for factor in self.factors)]
        if empty:
            raise ValueError(f"groups without factors: {empty}")
        return self

    def factor(self, code: str) -> CatalogueFactor:
        return next(factor for factor in self.factors if factor.code == code)

    def factors_in(self, group: str) -> list[CatalogueFactor]:
        return [factor for factor in self.factors if factor.group == group]

    @property
    def codes(self) -> frozenset[str]:
        return frozenset(factor.code for factor in self.factors)

    def listing(self, language: str = "en") -> dict[str, Any]:
        """The catalogue in one language, grouped: what ``ipvalue scorecard --list-factors --json`` prints."""
        return {
            "version": self.version,
            "source": self.source,
            "language": language,
            "groups": [
                {
                    "code": group.code,
                    "name": localized(group.name, language),
                    "factors": [
                        {
                            "code": factor.code,
                            "name": localized(factor.name, language),
                            "dimension": factor.dimension,
                            "default_weight": factor.default_weight,
                            "levels": [
                                {"rating": rating, "guide": guide}
                                for rating, guide in enumerate(localized(factor.levels, language), start=1)
                            ],
                        }
                        for factor in self.factors_in(group.code)
                    ],
                }
                for group in self.groups
            ],
        }


def load_catalogue(text: str | None = None) -> Catalogue:
    """Validate a catalogue (JSON text), by default the packaged ``data/scorecard-factors.json``."""
    if text is None:
        text = files("ipvalue.valuation").joinpath("data", CATALOGUE_FILE).read_text(encoding="utf-8")
    return Catalogue.model_validate(json.loads(text))


CATALOGUE = load_catalogue()


# --- Inputs ----------------------------------------------------------------------------------------------------------


def _known_factor(code: str) -> str:
    if code not in CATALOGUE.codes:
        raise ValueError(f"unknown factor {code!r}; `ipvalue scorecard --list-factors` lists the factors")
    return code


def _known_group(code: str) -> str:
    if code not in GROUP_CODES:
        raise ValueError(f"unknown group {code!r}; the groups are {', '.join(GROUP_CODES)}")
    return code


FactorCode = Annotated[
    str, AfterValidator(_known_factor), WithJsonSchema({"type": "string", "enum": [f.code for f in CATALOGUE.factors]})
]
GroupCode = Annotated[str, AfterValidator(_known_group), WithJsonSchema({"type": "string", "enum": list(GROUP_CODES)})]
Rating = Annotated[int, Field(strict=True, ge=1, le=LEVELS, description="1 (worst) to 5 (best); 5 = low risk")]
Weight = Annotated[float, Field(gt=0.0, le=1000.0, description="A relative weight, positive")]


class ScoredAsset(Inputs):
    name: str = Field(min_length=1, max_length=200, description="The asset's name, unique within the request")
    ratings: dict[FactorCode, Rating] = Field(
        min_length=1,
        description="Factor code -> rating 1 to 5 (5 is best; for risk factors 5 means low risk). Unrated factors "
        "are left out. `ipvalue scorecard --list-factors` lists the codes and the guide to each level.",
    )
    weights: dict[FactorCode, Weight] | None = Field(
        None, description="Factor code -> weight, overriding the catalogue's default weight"
    )
    notes: str = Field("", max_length=5000, description="Free text: who rated, when, on what evidence")


class ScorecardInputs(Inputs):
    assets: list[ScoredAsset] = Field(
        min_length=1, max_length=1000, description="The subject asset first, then any comparators"
    )
    language: Language = Field("en", description="Language of the factor and group names in the result")
    catalogue_version: str | None = Field(
        None, description="The catalogue version the ratings were made against; refused if it is not the current one"
    )
    group_weights: dict[GroupCode, Weight] | None = Field(
        None, description="Group code -> weight in the overall score (default: all groups weigh the same)"
    )

    @field_validator("catalogue_version")
    @classmethod
    def _current_catalogue(cls, version: str | None) -> str | None:
        if version is not None and version != CATALOGUE.version:
            raise ValueError(f"the ratings are for catalogue {version!r}, but the catalogue is {CATALOGUE.version!r}")
        return version

    @field_validator("assets")
    @classmethod
    def _unique_names(cls, assets: list[ScoredAsset]) -> list[ScoredAsset]:
        names = [asset.name for asset in assets]
        duplicates = sorted({name for name in names if names.count(name) > 1})
        if duplicates:
            raise ValueError(f"asset names must be unique: {duplicates}")
        return assets


# --- Scoring ---------------------------------------------------------------------------------------------------------

QUADRANTS: dict[str, dict[str, dict[str, str]]] = {
    "star": {
        "label": {"en": "Star: high opportunity, low risk", "ru": "«Звезда»: высокие возможности, низкий риск"},
        "advice": {
            "en": "Develop and exploit actively; protect and extend the rights.",
            "ru": "Активно развивать и использовать; поддерживать и расширять охрану.",
        },
    },
    "question-mark": {
        "label": {
            "en": "Question mark: high opportunity, high risk",
            "ru": "«Знак вопроса»: высокие возможности, высокий риск",
        },
        "advice": {
            "en": "Reduce the main risks (validity, freedom to operate, funding) before investing further.",
            "ru": "Снизить основные риски (действительность, патентная чистота, финансирование) до новых вложений.",
        },
    },
    "steady": {
        "label": {"en": "Steady: low opportunity, low risk", "ru": "«Тихая гавань»: низкие возможности, низкий риск"},
        "advice": {
            "en": "Maintain at low cost, license out or keep for defence.",
            "ru": "Поддерживать с минимальными затратами, лицензировать или держать для защиты.",
        },
    },
    "dog": {
        "label": {"en": "Dog: low opportunity, high risk", "ru": "«Собака»: низкие возможности, высокий риск"},
        "advice": {
            "en": "Consider selling, abandoning or not renewing the rights.",
            "ru": "Рассмотреть продажу, отказ от прав или прекращение их поддержания.",
        },
    },
}


def weighted_mean(pairs: Sequence[tuple[float, float]]) -> float | None:
    """sum(rating x weight) / sum(weight), or None when there is nothing to average."""
    weight = sum(w for _, w in pairs)
    return sum(r * w for r, w in pairs) / weight if pairs and weight > 0 else None


def quadrant(opportunity: float, risk: float) -> str:
    """The matrix quadrant: opportunity high above 3, risk high at 3 or above (midlines go the less favourable way)."""
    high_opportunity = opportunity > MIDPOINT
    high_risk = risk >= MIDPOINT
    if high_opportunity:
        return "question-mark" if high_risk else "star"
    return "dog" if high_risk else "steady"


def score_asset(
    asset: ScoredAsset, language: str = "en", group_weights: Mapping[str, float] | None = None
) -> tuple[dict[str, Any], list[str]]:
    """One asset's details (group scores, radar, axes, quadrant, rated and unrated factors) and its warnings."""
    overrides = asset.weights or {}
    weights = {code: overrides.get(code, CATALOGUE.factor(code).default_weight) for code in asset.ratings}
    warnings: list[str] = []
    label = f"{asset.name!r}"

    factors = [
        {
            "code": factor.code,
            "group": factor.group,
            "dimension": factor.dimension,
            "name": localized(factor.name, language),
            "rating": asset.ratings[factor.code],
            "weight": weights[factor.code],
            "weight_source": "asset" if factor.code in overrides else "catalogue",
            "guide": localized(factor.levels, language)[asset.ratings[factor.code] - 1],
        }
        for factor in CATALOGUE.factors
        if factor.code in asset.ratings
    ]
    unrated = [factor.code for factor in CATALOGUE.factors if factor.code not in asset.ratings]

    groups: list[dict[str, Any]] = []
    for group in CATALOGUE.groups:
        members = CATALOGUE.factors_in(group.code)
        rated = [(float(asset.ratings[f.code]), weights[f.code]) for f in members if f.code in asset.ratings]
        groups.append(
            {
                "code": group.code,
                "name": localized(group.name, language),
                "score": weighted_mean(rated),
                "weight": (group_weights or {}).get(group.code, 1.0),
                "rated": len(rated),
                "factors": len(members),
                "coverage": len(rated) / len(members),
                "unrated": [f.code for f in members if f.code not in asset.ratings],
            }
        )
    missing = [group["code"] for group in groups if group["score"] is None]
    overall = weighted_mean([(group["score"], group["weight"]) for group in groups if group["score"] is not None])

    def axis(dimension: str) -> float | None:
        return weighted_mean(
            [(float(row["rating"]), float(row["weight"])) for row in factors if row["dimension"] == dimension]
        )

    opportunity = axis("opportunity")
    risk_rating = axis("risk")
    risk = None if risk_rating is None else (LEVELS + 1) - risk_rating
    matrix: dict[str, Any] | None = None
    if opportunity is not None and risk is not None:
        code = quadrant(opportunity, risk)
        matrix = {
            "code": code,
            "label": localized(QUADRANTS[code]["label"], language),
            "advice": localized(QUADRANTS[code]["advice"], language),
            "on_midline": opportunity == MIDPOINT or risk == MIDPOINT,
        }
        if matrix["on_midline"]:
            warnings.append(f"{label} lies on a midline of the matrix; it is placed in the less favourable quadrant.")
    else:
        absent = "opportunity" if opportunity is None else "risk"
        warnings.append(f"{label}: no {absent} factor is rated, so there is no {absent} axis and no quadrant.")

    coverage = len(factors) / len(CATALOGUE.factors)
    if coverage < LOW_COVERAGE:
        warnings.append(
            f"{label}: the score rests on few factors: {len(factors)} of {len(CATALOGUE.factors)} rated "
            f"({coverage:.0%}); rate more factors before relying on it."
        )
    if missing:
        warnings.append(
            f"{label}: no factor rated in {', '.join(missing)}; the overall score is the mean of the other groups only."
        )
    ignored = sorted(set(overrides) - set(asset.ratings))
    if ignored:
        warnings.append(f"{label}: weights given for unrated factors are ignored: {', '.join(ignored)}.")

    details = {
        "name": asset.name,
        "notes": asset.notes,
        "overall": overall,
        "opportunity": opportunity,
        "risk": risk,
        "quadrant": matrix,
        "radar": [{"group": group["code"], "name": group["name"], "score": group["score"]} for group in groups],
        "groups": groups,
        "missing_groups": missing,
        "coverage": coverage,
        "rated": len(factors),
        "factors": factors,
        "unrated": unrated,
    }
    return details, warnings


def rank(assets: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The comparison table, best overall score first; equal scores share a rank and keep their input order."""
    ordered = sorted(assets, key=lambda asset: -float(asset["overall"]))
    rows: list[dict[str, Any]] = []
    for position, asset in enumerate(ordered, start=1):
        tied = bool(rows) and rows[-1]["overall"] == asset["overall"]
        rows.append(
            {
                "rank": rows[-1]["rank"] if tied else position,
                "name": asset["name"],
                "overall": asset["overall"],
                **{group["group"]: group["score"] for group in asset["radar"]},
                "opportunity": asset["opportunity"],
                "risk": asset["risk"],
                "quadrant": asset["quadrant"]["code"] if asset["quadrant"] else None,
                "coverage": asset["coverage"],
            }
        )
    return rows


def scorecard_evaluate(inputs: ScorecardInputs) -> ValuationResult:
    """Score each asset (groups, radar, opportunity and risk axes, quadrant) and rank them; value = the first
    asset's overall score, 1 to 5. Ratings 1-5, 5 best; for risk factors 5 means low risk."""
    scored = [score_asset(asset, inputs.language, inputs.group_weights) for asset in inputs.assets]
    details = [asset for asset, _ in scored]
    warnings = [warning for _, asset_warnings in scored for warning in asset_warnings]
    subject = details[0]
    # Every asset has at least one rating, so at least one scored group and an overall score.
    overalls = [float(asset["overall"]) for asset in details]

    breakdown: dict[str, float] = {"overall": overalls[0], "coverage": float(subject["coverage"])}
    for key in ("opportunity", "risk"):
        if subject[key] is not None:
            breakdown[key] = float(subject[key])
    for group in subject["radar"]:
        if group["score"] is not None:
            breakdown[f"score_{group['group']}"] = float(group["score"])
    breakdown["portfolio_mean"] = sum(overalls) / len(overalls)

    if len(details) > 1:
        weightings = {
            tuple(sorted((row["code"], row["weight"]) for row in asset["factors"] if row["weight_source"] == "asset"))
            for asset in details
        }
        if len(weightings) > 1:
            warnings.append("The assets use different weight overrides; their scores are not strictly comparable.")
        rated_sets = {frozenset(row["code"] for row in asset["factors"]) for asset in details}
        if len(rated_sets) > 1:
            warnings.append("The assets are not rated on the same factors; compare their scores with care.")

    ranking = rank(details)
    return ValuationResult(
        method="scorecard",
        value=overalls[0],
        breakdown=breakdown,
        conventions={
            "scale": "ratings are integers 1 (worst) to 5 (best); for risk factors 5 means LOW risk",
            "group_score": "weighted mean of the group's rated factors; unrated factors are left out",
            "overall": "weighted mean of the scored groups; "
            + ("group weights as given" if inputs.group_weights else "equal group weights"),
            "opportunity": "weighted mean of the opportunity factors' ratings, 1 to 5 (higher = more opportunity)",
            "risk": "6 - weighted mean of the risk factors' ratings, 1 to 5 (higher = more risk)",
            "quadrants": "midpoint 3: opportunity high above 3, risk high at 3 or above; a point on a midline goes "
            "to the less favourable quadrant",
            "value": "overall score of the first asset (the subject), 1 to 5; portfolio_mean is the mean of all assets",
            "catalogue_version": CATALOGUE.version,
            "language": inputs.language,
        },
        assumptions=[
            "Ratings are expert judgements on an ordinal 1-5 scale; averaging them treats the steps as equal.",
            "The score ranks and profiles assets; it is not a monetary value. Use an income, market or cost method "
            "for a value, and the scorecard to support its assumptions.",
        ],
        warnings=warnings,
        source="Qualitative scoring in the spirit of the EPO's IPscore (five factor groups, ratings 1-5, radar "
        "profile, opportunity/risk matrix) and DIN 77100:2011 (legal, technical and economic factors); "
        f"ipvalue factor catalogue {CATALOGUE.version}, in its own words (`ipvalue scorecard --list-factors`)",
        extra={
            "catalogue_version": CATALOGUE.version,
            "language": inputs.language,
            "assets": details,
            "portfolio": {
                "ranking": ranking,
                "columns": [
                    "rank",
                    "name",
                    "overall",
                    *(group.code for group in CATALOGUE.groups),
                    "opportunity",
                    "risk",
                    "quadrant",
                    "coverage",
                ],
                "mean_overall": breakdown["portfolio_mean"],
            },
        },
    )


register(
    Method(
        "scorecard",
        "Qualitative IP scorecard: factors rated 1-5 by group, radar profile, opportunity/risk matrix, ranking",
        ScorecardInputs,
        scorecard_evaluate,
        None,
    )
)
