"""The knowledge app's data files: the taxonomy and the starter practices (pure checks, no database).

The STIP check reads the EC-OECD STIP Compass codebook from ``shared/reference`` beside the repository (set
``IPVALUE_SHARED`` to point at ``shared/``); it is skipped when the codebook is not there.
"""

import json
import os
import re
from collections import Counter
from pathlib import Path

import pytest

import ipvalue.knowledge
from ipvalue.stakeholders.taxonomy import DEFAULT_GROUP, STIP_TARGET_GROUP, StakeholderGroup

DATA = Path(ipvalue.knowledge.__file__).resolve().parent / "data"
SHARED = Path(os.environ.get("IPVALUE_SHARED", Path(__file__).resolve().parents[3] / "shared"))
CODEBOOK = SHARED / "reference" / "stip-2021-survey-codebook.xlsx"

LANGUAGES = ("en", "fr", "es", "ru", "zh-hans", "ar")
KINDS = {"method", "instrument", "provision", "obstacle", "stakeholder_group"}
VALUE_TYPES = {"yes_no", "text", "choice", "number"}
CATEGORIES = ("legal", "technical", "organisational")
CODE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")

INSTRUMENTS = {
    "ip_backed_loan",
    "loan_guarantee",
    "securitisation",
    "sale_and_licence_back",
    "royalty_based_financing",
    "ip_fund_venture_debt",
    "ip_insurance",
    "valuation_voucher",
}
PROVISIONS = {
    "ip_pledge_allowed": "yes_no",
    "security_interest_register": "choice",
    "pledge_enforcement": "text",
    "valuation_standard": "choice",
    "valuer_licensing": "choice",
    "ip_accounting_recognition": "choice",
    "ip_tax_incentives": "yes_no",
    "state_guarantee_scheme": "yes_no",
    "public_research_ip_ownership": "choice",
    "technology_transfer_offices": "yes_no",
}
METHODS = {
    "cost": {"reproduction_cost", "replacement_cost"},
    "market": {"comparable_transactions", "royalty_rate_ranges"},
    "income": {
        "relief_from_royalty",
        "multi_period_excess_earnings",
        "with_and_without",
        "premium_profit",
        "profit_split",
        "discounted_cash_flow",
    },
    "real_options": {"black_scholes", "binomial"},
    "monte_carlo": set(),
    "qualitative_scoring": {"scorecard"},
}
PRACTICE_COUNTRIES = {"SG", "MY", "KR", "CN", "JP", "GB"}
OUTCOMES = {"successful", "partly", "unsuccessful", "ongoing", "unknown"}
DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def load(name: str) -> dict:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


TAXONOMY = load("taxonomy.json")
TERMS = TAXONOMY["terms"]
PRACTICES = load("starter_practices.json")["practices"]


def codes(kind: str) -> set[str]:
    return {term["code"] for term in TERMS if term["kind"] == kind}


def term(kind: str, code: str) -> dict:
    return next(t for t in TERMS if t["kind"] == kind and t["code"] == code)


def assert_all_languages(texts: dict, where: str, languages: tuple[str, ...] = LANGUAGES) -> None:
    for language in languages:
        value = texts.get(language)
        assert isinstance(value, str) and value.strip(), f"{where}: no {language} text"
        assert value == value.strip(), f"{where}: {language} text has surrounding spaces"


def test_both_files_are_json_objects():
    assert TAXONOMY["version"] == "2026-11"
    assert TAXONOMY["source"].strip()
    assert isinstance(TERMS, list) and TERMS
    assert load("starter_practices.json")["source_note"].strip()
    assert isinstance(PRACTICES, list) and PRACTICES


def test_terms_are_well_formed_and_unique():
    keys = Counter((t["kind"], t["code"]) for t in TERMS)
    assert not [key for key, n in keys.items() if n > 1], "duplicate (kind, code)"
    for t in TERMS:
        assert t["kind"] in KINDS, t
        assert CODE.match(t["code"]), t["code"]
        assert isinstance(t["stip_codes"], list), t["code"]
        assert ("value_type" in t) == (t["kind"] == "provision"), t["code"]
        assert ("choices" in t) == (t.get("value_type") == "choice"), t["code"]
        assert ("category" in t) == (t["kind"] == "obstacle"), t["code"]


def test_names_and_descriptions_in_six_languages():
    for t in TERMS:
        where = f"{t['kind']}:{t['code']}"
        assert_all_languages(t["name"], f"{where} name")
        assert_all_languages(t["description"], f"{where} description")
        # A description is one sentence, ending with a full stop in its own script.
        for language, text in t["description"].items():
            assert text[-1] in ".。", f"{where} {language} description does not end a sentence"


def test_required_instruments():
    assert codes("instrument") == INSTRUMENTS


def test_required_provisions_and_value_types():
    assert {t["code"]: t["value_type"] for t in TERMS if t["kind"] == "provision"} == PROVISIONS


def test_choice_provisions_have_named_choices():
    for t in TERMS:
        if t.get("value_type") != "choice":
            continue
        choices = t["choices"]
        assert len(choices) >= 2, t["code"]
        assert len({c["code"] for c in choices}) == len(choices), t["code"]
        for choice in choices:
            assert CODE.match(choice["code"]), choice["code"]
            assert_all_languages(choice["name"], f"{t['code']}.{choice['code']}")


def test_provision_choices_named_in_the_brief():
    def choice_codes(code: str) -> set[str]:
        return {c["code"] for c in term("provision", code)["choices"]}

    assert choice_codes("security_interest_register") == {"ip_office", "general_collateral", "both", "none"}
    assert choice_codes("valuation_standard") == {"ivs", "national", "both", "none"}
    assert choice_codes("valuer_licensing") == {"licence_required", "accreditation", "none"}
    assert choice_codes("ip_accounting_recognition") == {
        "ifrs_ias38",
        "national_internally_generated",
        "acquired_only",
        "none",
    }
    assert choice_codes("public_research_ip_ownership") == {"institution", "inventor", "state", "mixed"}


def test_obstacles_have_a_category_and_at_least_four_each():
    obstacles = [t for t in TERMS if t["kind"] == "obstacle"]
    for t in obstacles:
        assert t["category"] in CATEGORIES, t["code"]
        assert t["code"].startswith(t["category"] + "_"), t["code"]
        assert t["category"] in t["description"]["en"].lower(), f"{t['code']}: description does not name its category"
    per_category = Counter(t["category"] for t in obstacles)
    for category in CATEGORIES:
        assert per_category[category] >= 4, (category, per_category[category])


def test_methods_and_their_parents():
    methods = {t["code"]: t for t in TERMS if t["kind"] == "method"}
    for code, t in methods.items():
        assert t["parent"] is None or t["parent"] in methods, f"{code}: unknown parent {t['parent']}"
        assert t["parent"] != code
    for approach, children in METHODS.items():
        assert methods[approach]["parent"] is None, approach
        assert {code for code, t in methods.items() if t["parent"] == approach} == children, approach


def test_only_methods_have_parents():
    assert all(t.get("parent") is None for t in TERMS if t["kind"] != "method")


def test_stakeholder_groups_match_the_stakeholders_app():
    assert codes("stakeholder_group") == set(StakeholderGroup.values)
    expected: dict[str, set[str]] = {group: set() for group in StakeholderGroup.values}
    for organisation_type, group in DEFAULT_GROUP.items():
        if organisation_type in STIP_TARGET_GROUP:
            expected[group].add(STIP_TARGET_GROUP[organisation_type])
    for group in StakeholderGroup.values:
        assert set(term("stakeholder_group", group)["stip_codes"]) == expected[group], group


def stip_codebook_codes(path: Path) -> dict[str, set[str]]:
    import openpyxl

    workbook = openpyxl.load_workbook(path, read_only=True)
    try:
        found = {}
        for sheet in ("PolicyInstruments", "TargetGroups"):
            rows = workbook[sheet].iter_rows(min_row=2, max_col=1, values_only=True)
            found[sheet] = {str(row[0]).strip() for row in rows if row[0]}
        return found
    finally:
        workbook.close()


@pytest.mark.skipif(not CODEBOOK.exists(), reason=f"STIP Compass codebook not found at {CODEBOOK} (IPVALUE_SHARED)")
def test_stip_codes_exist_in_the_codebook():
    codebook = stip_codebook_codes(CODEBOOK)
    assert "PI029" in codebook["PolicyInstruments"] and "TG35" in codebook["TargetGroups"]  # the sheets were read
    known = codebook["PolicyInstruments"] | codebook["TargetGroups"]
    used = {(t["kind"], t["code"], code) for t in TERMS for code in t["stip_codes"]}
    assert used, "no STIP code mapped"
    assert not [u for u in used if u[2] not in known], "STIP codes not in the codebook"
    for t in TERMS:
        if t["kind"] == "stakeholder_group":
            assert set(t["stip_codes"]) <= codebook["TargetGroups"], t["code"]


def test_practices_reference_existing_codes():
    instruments, methods, groups = codes("instrument"), codes("method"), codes("stakeholder_group")
    for practice in PRACTICES:
        where = f"{practice['country']}: {practice['title']['en']}"
        assert practice["country"] in PRACTICE_COUNTRIES, where
        assert practice["instrument"] in instruments, where
        assert set(practice["methods"]) <= methods, where
        assert practice["stakeholder_groups"], where
        assert set(practice["stakeholder_groups"]) <= groups, where
        assert len(set(practice["stakeholder_groups"])) == len(practice["stakeholder_groups"]), where
        assert practice["outcome"] in OUTCOMES, where
        assert practice["year"] is None or 2000 <= practice["year"] <= 2030, where
        assert isinstance(practice["figures"], str), where


def test_practices_have_titles_and_descriptions_in_at_least_en_fr_ru():
    for practice in PRACTICES:
        where = f"{practice['country']}: {practice['title']['en']}"
        assert_all_languages(practice["title"], f"{where} title", ("en", "fr", "ru"))
        assert_all_languages(practice["description"], f"{where} description", ("en", "fr", "ru"))
        assert set(practice["title"]) <= set(LANGUAGES) and set(practice["description"]) <= set(LANGUAGES), where


def test_practices_cite_a_source_with_title_and_date():
    for practice in PRACTICES:
        for source in [practice["source"], *practice.get("further_sources", [])]:
            where = f"{practice['country']}: {source}"
            assert source["title"].strip(), where
            assert source["publisher"].strip(), where
            assert DATE.match(source["date"]), where
            assert source["url"] == "" or source["url"].startswith("https://"), where


def test_one_or_two_practices_per_country():
    per_country = Counter(practice["country"] for practice in PRACTICES)
    assert set(per_country) == PRACTICE_COUNTRIES
    assert all(1 <= n <= 2 for n in per_country.values()), per_country


def test_practice_figures_are_those_of_the_brief():
    """The figures DOMAIN.md gives, verbatim, so that nobody rounds or converts them on the way."""
    text = {p["country"] + ":" + p["instrument"]: p["figures"] + " " + p["description"]["en"] for p in PRACTICES}
    assert all(s in text["SG:loan_guarantee"] for s in ("S$100m", "April 2014", "DBS", "OCBC", "UOB"))
    assert all(s in text["MY:ip_backed_loan"] for s in ("RM10m", "80%"))
    assert all(s in text["MY:loan_guarantee"] for s in ("50%", "0.5%"))
    assert all(s in text["KR:ip_backed_loan"] for s in ("KRW 2.64 trillion", "2020", "3 March 2021", "2013"))
    assert all(s in text["CN:ip_backed_loan"] for s in ("CNY 218 billion", "12,093", "2020"))
    assert all(s in text["JP:valuation_voucher"] for s in ("fiscal 2014", "167", "fiscal 2019"))
    guarantee = next(p for p in PRACTICES if p["country"] == "MY" and p["instrument"] == "loan_guarantee")
    assert guarantee["source"]["url"] == "https://www.cgc.com.my"
    assert all(p["source"]["url"] == "" for p in PRACTICES if p is not guarantee)
    assert all(p["outcome"] == "unknown" for p in PRACTICES)
