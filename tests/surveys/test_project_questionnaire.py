"""The project's own questionnaire (``src/ipvalue/surveys/data/project_questionnaire.xlsx``) and the tool building it.

The shipped workbook must import cleanly, carry every text in every language, hold the fields the analysis relies on,
match what ``tools/build_project_questionnaire.py`` builds, and work in the runtime: a Russian respondent following
the skip logic can submit, and an impossible year in a case study is refused with the Russian message.
"""

import datetime as dt
import importlib.util
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from django.utils import translation

from ipvalue.surveys import runtime
from ipvalue.surveys.xlsform import Group, Question, Questionnaire, Repeat, import_xlsform, iter_questions

REPO_ROOT = Path(__file__).resolve().parents[2]
SHIPPED = REPO_ROOT / "src" / "ipvalue" / "surveys" / "data" / "project_questionnaire.xlsx"
TOOL = REPO_ROOT / "tools" / "build_project_questionnaire.py"
TODAY = dt.date(2026, 12, 1)
RU = "ru"
REQUIRED_LANGUAGES = {"en", "fr", "ru"}

CASE_FIELDS = {
    "case_title",
    "case_instrument",
    "case_ip_rights",
    "case_stakeholders",
    "case_year",
    "case_amount",
    "case_currency",
    "case_valuation_methods",
    "case_description",
    "case_outcome",
    "case_lessons",
    "case_source",
    "case_disclosure",
}

CORE_FIELDS = {
    # consent and respondent
    "consent": "acknowledge",
    "respondent_name": "text",
    "respondent_position": "text",
    "respondent_institution": "text",
    "respondent_country": "text",
    "respondent_email": "text",
    # legal framework
    "valuation_law_exists": "select_one",
    "ip_pledge_allowed": "select_one",
    "ip_pledge_law": "text",
    "security_register": "select_one",
    "pledge_enforcement": "select_one",
    "pledges_registered_last_year": "integer",
    # methods, standards, valuers
    "valuation_methods": "select_multiple",
    "valuation_methods_other": "text",
    "valuation_standards": "select_multiple",
    "valuation_standards_other": "text",
    "accredited_valuers": "integer",
    # instruments
    "instruments": "select_multiple",
    "instruments_other": "text",
    "ip_loans_last_year": "integer",
    "licence_registration": "select_one",
    # obstacles
    "obstacles_legal": "select_multiple",
    "obstacles_legal_severity": "select_one",
    "obstacles_technical": "select_multiple",
    "obstacles_technical_severity": "select_one",
    "obstacles_organisational": "select_multiple",
    "obstacles_organisational_severity": "select_one",
    "main_obstacle": "text",
    # closing
    "case_count": "calculate",
    "closing_note": "note",
}


def load_tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_project_questionnaire", TOOL)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def imported() -> tuple[Questionnaire, list[str]]:
    warnings: list[str] = []
    form = import_xlsform(SHIPPED.read_bytes(), SHIPPED.name, warnings_out=warnings)
    return form, warnings


@pytest.fixture(scope="module")
def form(imported) -> Questionnaire:
    return imported[0]


def questions(form: Questionnaire) -> dict[str, Question]:
    return {question.name: question for question in iter_questions(form.children)}


def find_repeat(nodes: list[Any], name: str) -> Repeat | None:
    for node in nodes:
        if isinstance(node, Repeat) and node.name == name:
            return node
        if isinstance(node, Group | Repeat):
            found = find_repeat(node.children, name)
            if found:
                return found
    return None


def all_texts(form: Questionnaire) -> Iterator[tuple[str, str, dict[str, str]]]:
    """(where, column, translations) of every label, hint and constraint message, choices included."""

    def walk(nodes: list[Any]) -> Iterator[tuple[str, str, dict[str, str]]]:
        for node in nodes:
            yield node.name, "label", node.label
            yield node.name, "hint", node.hint
            if isinstance(node, Question):
                yield node.name, "constraint_message", node.constraint_message
                for choice in node.choices.options if node.choices else []:
                    yield f"{node.choices.list_name}/{choice.name}", "label", choice.label
            else:
                yield from walk(node.children)

    yield from walk(form.children)


# --------------------------------------------------------------------------------------------------------- the form


def test_the_shipped_form_imports_without_warnings(imported):
    form, warnings = imported
    assert warnings == []
    assert form.form_id == "ipvalue_practices"
    assert form.version
    assert form.default_language == "English (en)"
    assert form.title.startswith("IP valuation")


def test_the_form_is_in_english_french_and_russian(form):
    assert {language.code for language in form.languages} >= REQUIRED_LANGUAGES


def test_every_text_is_translated_into_every_language(form):
    keys = {language.key for language in form.languages}
    missing = [
        (where, column, sorted(keys - {key for key, text in texts.items() if text.strip()}))
        for where, column, texts in all_texts(form)
        if texts and {key for key, text in texts.items() if text.strip()} != keys
    ]
    assert missing == []


def test_every_question_and_section_has_a_label(form):
    def unlabelled(nodes: list[Any]) -> Iterator[str]:
        for node in nodes:
            if not node.label and getattr(node, "type", None) != "calculate":
                yield node.name
            if isinstance(node, Group | Repeat):
                yield from unlabelled(node.children)

    assert list(unlabelled(form.children)) == []


def test_the_size_and_sections_of_the_form(form):
    answerable = [question for question in iter_questions(form.children) if question.type not in {"note", "calculate"}]
    assert 40 <= len(answerable) <= 70
    sections = [node.name for node in form.children]
    assert sections == [
        "introduction",
        "respondent",
        "legal_framework",
        "valuation",
        "valuers",
        "financial_instruments",
        "good_practices",
        "obstacles",
        "closing",
    ]
    assert all(isinstance(node, Group) for node in form.children)
    # The consent comes first.
    first = next(question for question in iter_questions(form.children) if question.type != "note")
    assert (first.name, first.type, first.required) == ("consent", "acknowledge", True)


def test_the_fields_the_analysis_relies_on_exist(form):
    found = questions(form)
    assert {name: found[name].type for name in CORE_FIELDS if name in found} == CORE_FIELDS
    assert found["ip_pledge_law"].relevant == "${ip_pledge_allowed} = 'yes'"
    assert found["security_register"].relevant == "${ip_pledge_allowed} = 'yes'"
    assert found["instruments_other"].relevant == "selected(${instruments}, 'other')"
    assert found["case_count"].calculation == "count(${case_studies})"
    assert "${case_count}" in found["closing_note"].label["Русский (ru)"]
    assert found["respondent_email"].constraint.startswith("regex(")


def test_the_choice_lists_hold_the_expected_codes(form):
    found = questions(form)

    def codes(name: str) -> set[str]:
        choices = found[name].choices
        assert choices is not None
        return {choice.name for choice in choices.options}

    assert codes("ip_pledge_allowed") == {"yes", "no", "dont_know"}
    assert {"cost", "market", "relief_from_royalty", "excess_earnings", "with_and_without", "real_options"} <= codes(
        "valuation_methods"
    )
    assert {"monte_carlo", "other"} <= codes("valuation_methods")
    assert {"ivs", "iso_10668", "iso_20671", "national_standard", "none", "other"} <= codes("valuation_standards")
    assert codes("instruments") == {
        "ip_backed_loans",
        "loan_guarantees",
        "securitisation",
        "sale_licence_back",
        "royalty_financing",
        "licensing",
        "ip_funds",
        "ip_insurance",
        "valuation_vouchers",
        "other",
    }
    assert codes("case_stakeholders") == {
        "ip_office",
        "bank",
        "guarantee_fund",
        "sme",
        "university",
        "valuer",
        "investor",
        "government_agency",
    }
    assert codes("case_outcome") == {"successful", "partly_successful", "unsuccessful", "ongoing"}
    for category in ("legal", "technical", "organisational"):
        assert {"none", "other"} <= codes(f"obstacles_{category}")
        assert codes(f"obstacles_{category}_severity") == {"1", "2", "3", "4", "5"}


def test_the_case_studies_repeat(form):
    repeat = find_repeat(form.children, "case_studies")
    assert repeat is not None
    fields = {question.name: question for question in iter_questions(repeat.children)}
    assert set(fields) == CASE_FIELDS
    assert fields["case_title"].required is True
    assert fields["case_instrument"].choices.list_name == "instruments"
    assert fields["case_year"].type == "integer"
    assert fields["case_year"].constraint == ". >= 1990 and . <= 2030"
    assert fields["case_amount"].type == "decimal"
    assert fields["case_description"].appearance == "multiline"


def test_rebuilding_gives_the_shipped_form(form):
    rebuilt = import_xlsform(load_tool().build(), SHIPPED.name)
    assert rebuilt.model_dump() == form.model_dump()


# --------------------------------------------------------------------------------------------------------- at work

RUSSIAN_CASE = {
    "case_title": "Пилотная программа кредитования под залог патентов",
    "case_instrument": "ip_backed_loans",
    "case_ip_rights": ["patents", "utility_models"],
    "case_stakeholders": ["ip_office", "bank", "guarantee_fund", "sme", "valuer"],
    "case_year": 2022,
    "case_amount": 150000,
    "case_currency": "USD",
    "case_valuation_methods": ["relief_from_royalty"],
    "case_description": "Банк развития выдал малому предприятию кредит под залог двух патентов; фонд гарантировал "
    "половину суммы, оценку провёл независимый оценщик.",
    "case_outcome": "successful",
    "case_lessons": "Гарантия фонда и единый стандарт оценки снизили риск банка.",
    "case_source": "https://example.org/ip-finance-pilot",
    "case_disclosure": "anonymised",
}

RUSSIAN_ANSWERS: dict[str, Any] = {
    "consent": "OK",
    "respondent_name": "Нурланова Асель Маратовна",
    "respondent_position": "Главный эксперт отдела коммерциализации",
    "respondent_institution": "Национальный институт интеллектуальной собственности",
    "institution_type": "ip_office",
    "respondent_country": "Республика Казахстан",
    "respondent_email": "a.nurlanova@example.kz",
    "valuation_law_exists": "yes",
    "valuation_law_refs": "Закон об оценочной деятельности; стандарт оценки интеллектуальной собственности.",
    "valuation_required_cases": ["capital_contribution", "pledge", "insolvency"],
    "ip_pledge_allowed": "yes",
    "ip_pledge_law": "Гражданский кодекс, положения о залоге",
    "pledgeable_rights": ["patents", "trademarks"],
    "security_register": "ip_office_register",
    "pledge_enforcement": "dont_know",
    "pledges_registered_last_year": 12,
    "bank_collateral_rules": "no",
    "valuation_methods": ["cost", "relief_from_royalty", "other"],
    "valuation_methods_other": "Метод преимущества в прибыли",
    "valuation_standards": ["ivs", "national_standard"],
    "national_standard_name": "Национальный стандарт оценки нематериальных активов",
    "valuation_guidance": "no",
    "valuer_requirements": ["state_licence", "liability_insurance"],
    "accredited_valuers": 40,
    "valuation_providers": ["independent_valuers", "bank_appraisers"],
    "ip_office_role": ["pledge_registration", "training"],
    "instruments_available": "yes",
    "instruments": ["ip_backed_loans", "loan_guarantees"],
    "ip_loans_last_year": 3,
    "ip_loans_amount": "1,2",
    "loan_to_value": 50,
    "guarantee_cover": 50,
    "default_handling": ["no_cases"],
    "public_programme": "no",
    "licence_registration": "yes",
    "licences_registered_last_year": 150,
    "case_studies": [RUSSIAN_CASE],
    "obstacles_legal": ["bank_regulation", "enforcement"],
    "obstacles_legal_severity": "4",
    "obstacles_technical": ["lack_of_data", "few_valuers"],
    "obstacles_technical_severity": "3",
    "obstacles_organisational": ["bank_expertise"],
    "obstacles_organisational_severity": "4",
    "main_obstacle": "Банки не могут учитывать залог ИС при формировании резервов.",
    "support_needed": ["methodology", "training", "pilot"],
    "webinar_interest": "yes",
}


def visible(form: Questionnaire, answers: dict[str, Any]) -> dict[str, runtime.Item]:
    return {
        item.path: item
        for item in runtime.iter_items(runtime.walk(form, answers, RU, today=TODAY))
        if item.visible and "/__new__/" not in item.path
    }


def test_a_russian_answer_set_can_be_submitted(form):
    result = runtime.clean_answers(form, {}, RUSSIAN_ANSWERS, RU, today=TODAY)
    assert result.errors == {}
    assert result.answers["ip_loans_amount"] == 1.2
    assert result.answers["case_count"] == "1"
    assert runtime.submission_errors(form, result.answers, RU, today=TODAY) == {}

    shown = visible(form, result.answers)
    assert shown["ip_pledge_law"].label == "Какой закон и какие статьи это предусматривают?"
    assert "valuation_guidance_ref" not in shown  # no guidance: no reference asked
    assert "public_programme_details" not in shown
    assert "case_studies/0/case_currency" in shown  # an amount was given
    assert shown["closing_note"].label.startswith("Спасибо! Описано примеров: 1.")


def test_the_skip_logic_hides_the_pledge_follow_ups(form):
    answers = {**RUSSIAN_ANSWERS, "ip_pledge_allowed": "no", "instruments_available": "no"}
    for name in ("ip_pledge_law", "pledgeable_rights", "security_register", "pledges_registered_last_year"):
        answers.pop(name)
    for name in ("instruments", "ip_loans_last_year", "ip_loans_amount", "loan_to_value", "guarantee_cover"):
        answers.pop(name)
    answers.pop("default_handling")
    result = runtime.clean_answers(form, {}, answers, RU, today=TODAY)
    assert result.errors == {}
    shown = visible(form, result.answers)
    for hidden in ("ip_pledge_law", "security_register", "instruments", "ip_loans_last_year", "default_handling"):
        assert hidden not in shown
    # "instruments" is required when shown, and is not shown now.
    assert runtime.submission_errors(form, result.answers, RU, today=TODAY) == {}


def test_a_year_out_of_range_is_refused_in_russian(form):
    stored = runtime.clean_answers(form, {}, RUSSIAN_ANSWERS, RU, today=TODAY).answers
    result = runtime.clean_answers(form, stored, {"case_studies/0/case_year": 1985}, RU, today=TODAY)
    assert result.errors == {"case_studies/0/case_year": "Укажите год в диапазоне от 1990 до 2030."}
    assert result.answers["case_studies"][0]["case_year"] == 2022  # the saved year is kept

    late = {**stored, "case_studies": [{**stored["case_studies"][0], "case_year": 2031}]}
    assert runtime.submission_errors(form, late, RU, today=TODAY) == {
        "case_studies/0/case_year": "Укажите год в диапазоне от 1990 до 2030."
    }


def test_other_constraints_speak_russian(form):
    result = runtime.clean_answers(
        form,
        {},
        {
            "respondent_email": "не адрес",
            "accredited_valuers": -3,
            "valuation_standards": ["none", "ivs"],
            "case_studies": [{**RUSSIAN_CASE, "case_amount": 0}],
        },
        RU,
        today=TODAY,
    )
    assert result.errors == {
        "respondent_email": "Введите корректный адрес электронной почты, например name@example.org.",
        "accredited_valuers": "Введите целое число от 0 до 1 000 000.",
        "valuation_standards": "Один из выбранных вариантов исключает остальные: снимите отметку с него или с "
        "остальных.",
        "case_studies/0/case_amount": "Введите сумму больше нуля.",
    }


def test_a_case_study_without_a_title_cannot_be_submitted(form):
    stored = runtime.clean_answers(form, {}, RUSSIAN_ANSWERS, RU, today=TODAY).answers
    untitled = {**stored, "case_studies": [{**stored["case_studies"][0], "case_title": ""}]}
    with translation.override("en"):
        errors = runtime.submission_errors(form, untitled, RU, today=TODAY)
    assert errors == {"case_studies/0/case_title": "This question needs an answer."}
