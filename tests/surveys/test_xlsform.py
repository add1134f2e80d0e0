"""XLSForm import and export (ipvalue.surveys.xlsform) and the ``ipvalue survey import`` command.

The conformance tests run every workbook of pyxform's own test suite (``shared/conformance/xlsform``) through pyxform's
conversion (the reference) and through our import: a form pyxform accepts is imported with the same fields, in the
same order, and survives an export and re-import unchanged; a form pyxform refuses is refused with an XLSFormError.
They are skipped when the corpus is not beside the repository (set ``IPVALUE_SHARED`` to point at ``shared/``).
"""

from __future__ import annotations

import io
import json
import os
import warnings
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from pyxform.question import Question as PyxformQuestion
from pyxform.section import Section
from pyxform.survey import Survey
from pyxform.xls2xform import convert

from ipvalue.surveys.management.commands.survey import Command as SurveyCommand
from ipvalue.surveys.xlsform import (
    Group,
    Language,
    Question,
    Questionnaire,
    Repeat,
    XLSFormError,
    export_xlsform,
    import_xlsform,
    iter_questions,
    summary,
)


def _conformance_root() -> Path:
    shared = os.environ.get("IPVALUE_SHARED")
    base = Path(shared) if shared else Path(__file__).resolve().parents[3] / "shared"
    return base / "conformance" / "xlsform"


CONFORMANCE = _conformance_root()
CONFORMANCE_FORMS = sorted(
    path
    for folder in ("example_xls", "bug_example_xls")
    if (CONFORMANCE / folder).is_dir()
    for path in (CONFORMANCE / folder).iterdir()
    if path.suffix.lower() in (".xls", ".xlsx", ".xlsm")
)
needs_corpus = pytest.mark.skipif(
    not CONFORMANCE_FORMS, reason=f"XLSForm conformance corpus not found at {CONFORMANCE}"
)

EN = "English (en)"
RU = "Russian (ru)"


# ----------------------------------------------------------------------------------------------------- helpers


def workbook(
    survey: list[list[Any]], choices: list[list[Any]] | None = None, settings: list[list[Any]] | None = None
) -> bytes:
    """An .xlsx XLSForm built with openpyxl: each sheet given as its rows, header first."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "survey"
    for row in survey:
        sheet.append(row)
    for title, rows in (("choices", choices), ("settings", settings)):
        if rows is not None:
            extra = book.create_sheet(title)
            for row in rows:
                extra.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def table(rows: list[dict[str, str]]) -> list[list[str | None]]:
    """Rows given as dicts (column → value) as a sheet: the header (columns in order of appearance), then the rows."""
    header = list(dict.fromkeys(column for row in rows for column in row))
    return [header, *([row.get(column) for column in header] for row in rows)]


def reference(path: Path) -> Survey | None:
    """pyxform's own conversion of the file (with its path, as its command line does); None when it refuses it."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            result = convert(xlsform=str(path))
    except Exception:
        return None
    assert result._survey is not None
    return result._survey


def reference_fields(survey: Survey) -> list[str]:
    """The names of the questions (notes, calculates...) of pyxform's survey, walking its element tree in order.

    The ``meta`` block pyxform appends by itself is not part of the form, except the rows it moves there (audit).
    """
    names: list[str] = []

    def walk(section: Section, top: bool) -> None:
        for element in section.children:
            generated_meta = (
                top and element.name == "meta" and (getattr(element, "control", None) or {}).get("bodyless")
            )
            if generated_meta:
                names.extend(
                    child.name
                    for child in element.children
                    if isinstance(child, PyxformQuestion) and child.name not in ("instanceID", "instanceName")
                )
            elif isinstance(element, Section):
                walk(element, top=False)
            elif isinstance(element, PyxformQuestion):
                names.append(element.name)

    walk(survey, top=True)
    return names


def _form_id(path: Path) -> str:
    return str(path.relative_to(CONFORMANCE))


# ----------------------------------------------------------------------------------------------------- conformance


@needs_corpus
@pytest.mark.parametrize("path", CONFORMANCE_FORMS, ids=_form_id)
def test_conformance_with_pyxform(path: Path) -> None:
    expected = reference(path)
    if expected is None:
        with pytest.raises(XLSFormError) as refused:
            import_xlsform(path.read_bytes(), path.name)
        assert refused.value.errors
        assert all(error.message.strip() for error in refused.value.errors)
        return
    questionnaire = import_xlsform(path.read_bytes(), path.name)
    assert summary(questionnaire)["fields"] == reference_fields(expected)
    assert questionnaire.title == expected.title
    assert questionnaire.form_id == expected.id_string
    json.dumps(questionnaire.model_dump(mode="json"))  # JSON-serialisable
    # Round trip: our export, imported again, is the same questionnaire.
    assert import_xlsform(export_xlsform(questionnaire), "exported.xlsx") == questionnaire


@needs_corpus
def test_conformance_corpus_has_both_kinds() -> None:
    accepted = [path for path in CONFORMANCE_FORMS if reference(path) is not None]
    assert len(accepted) >= 40
    assert len(CONFORMANCE_FORMS) - len(accepted) >= 5


# ---------------------------------------------------------------------------------------------- a hand-built form

SURVEY_ROWS: list[dict[str, str]] = [
    {"type": "text", "name": "respondent", f"label::{EN}": "Your name", f"label::{RU}": "Ваше имя",
     f"hint::{EN}": "As in your passport", f"hint::{RU}": "Как в паспорте", "required": "yes",
     f"required_message::{EN}": "Please give your name"},
    {"type": "integer", "name": "age", f"label::{EN}": "Age", f"label::{RU}": "Возраст", "required": "yes",
     "constraint": ". >= 18", f"constraint_message::{EN}": "Adults only",
     f"constraint_message::{RU}": "Только взрослые"},
    {"type": "select_one country", "name": "country", f"label::{EN}": "Country", f"label::{RU}": "Страна",
     "default": "kz", "appearance": "minimal"},
    {"type": "select_one city", "name": "city", f"label::{EN}": "City", f"label::{RU}": "Город",
     "choice_filter": "country = ${country}"},
    {"type": "begin group", "name": "household", f"label::{EN}": "Household", f"label::{RU}": "Домохозяйство",
     "relevant": "${age} >= 18", "appearance": "field-list"},
    {"type": "integer", "name": "members", f"label::{EN}": "How many people?", f"label::{RU}": "Сколько человек?",
     "required": "yes", "constraint": ". > 0"},
    {"type": "begin repeat", "name": "member", f"label::{EN}": "Member", f"label::{RU}": "Член семьи",
     "repeat_count": "${members}"},
    {"type": "text", "name": "member_name", f"label::{EN}": "Name", f"label::{RU}": "Имя"},
    {"type": "select_multiple income", "name": "member_income", f"label::{EN}": "Income", f"label::{RU}": "Доход"},
    {"type": "end repeat"},
    {"type": "calculate", "name": "double_members", "calculation": "${members} * 2"},
    {"type": "end group"},
    {"type": "decimal", "name": "share", f"label::{EN}": "Share", f"label::{RU}": "Доля",
     "relevant": "${country} = 'kz'", "default": "0.5", "read_only": "yes"},
    {"type": "note", "name": "thanks", f"label::{EN}": "Thank you, ${respondent}",
     f"label::{RU}": "Спасибо, ${respondent}"},
]  # fmt: skip
SURVEY = table(SURVEY_ROWS)
CHOICES = [
    ["list_name", "name", f"label::{EN}", f"label::{RU}", "country"],
    ["country", "kz", "Kazakhstan", "Казахстан", None],
    ["country", "uz", "Uzbekistan", "Узбекистан", None],
    ["city", "almaty", "Almaty", "Алматы", "kz"],
    ["city", "tashkent", "Tashkent", "Ташкент", "uz"],
    ["income", "salary", "Salary", "Зарплата", None],
    ["income", "royalties", "Royalties", "Роялти", None],
]
SETTINGS = [
    ["form_title", "form_id", "version", "default_language"],
    ["Innovation survey", "innovation_2025", "2025010101", EN],
]


@pytest.fixture
def multilingual() -> bytes:
    return workbook(SURVEY, CHOICES, SETTINGS)


def _by_name(questionnaire: Questionnaire) -> dict[str, Question]:
    return {question.name: question for question in iter_questions(questionnaire.children)}


def test_multilingual_form_is_imported_with_everything(multilingual: bytes) -> None:
    questionnaire = import_xlsform(multilingual, "innovation.xlsx")

    assert questionnaire.title == "Innovation survey"
    assert questionnaire.form_id == "innovation_2025"
    assert questionnaire.version == "2025010101"
    assert questionnaire.default_language == EN
    assert questionnaire.languages == [
        Language(key=EN, name="English", code="en"),
        Language(key=RU, name="Russian", code="ru"),
    ]
    assert summary(questionnaire) == {
        "title": "Innovation survey",
        "languages": ["en", "ru"],
        "fields": [
            *("respondent", "age", "country", "city", "members", "member_name", "member_income", "double_members"),
            *("share", "thanks"),
        ],
        "repeats": ["member"],
    }

    questions = _by_name(questionnaire)
    respondent = questions["respondent"]
    assert respondent.type == "text"
    assert respondent.label == {EN: "Your name", RU: "Ваше имя"}
    assert respondent.hint == {EN: "As in your passport", RU: "Как в паспорте"}
    assert respondent.required is True
    assert respondent.required_message == {EN: "Please give your name"}

    age = questions["age"]
    assert age.type == "integer"
    assert age.constraint == ". >= 18"
    assert age.constraint_message == {EN: "Adults only", RU: "Только взрослые"}

    country = questions["country"]
    assert country.type == "select_one"
    assert country.default == "kz"
    assert country.appearance == "minimal"
    assert country.choices is not None
    assert country.choices.list_name == "country"
    assert [(option.name, option.label) for option in country.choices.options] == [
        ("kz", {EN: "Kazakhstan", RU: "Казахстан"}),
        ("uz", {EN: "Uzbekistan", RU: "Узбекистан"}),
    ]
    city = questions["city"]
    assert city.choice_filter == "country = ${country}"
    assert city.choices is not None
    assert [option.extra for option in city.choices.options] == [{"country": "kz"}, {"country": "uz"}]
    assert questions["member_income"].type == "select_multiple"

    group = questionnaire.children[4]
    assert isinstance(group, Group)
    assert (group.name, group.relevant, group.appearance) == ("household", "${age} >= 18", "field-list")
    assert group.label == {EN: "Household", RU: "Домохозяйство"}
    repeat = group.children[1]
    assert isinstance(repeat, Repeat)
    assert (repeat.name, repeat.repeat_count) == ("member", "${members}")
    assert [child.name for child in repeat.children] == ["member_name", "member_income"]

    assert questions["double_members"].type == "calculate"
    assert questions["double_members"].calculation == "${members} * 2"
    share = questions["share"]
    assert (share.type, share.default, share.read_only, share.relevant) == ("decimal", "0.5", True, "${country} = 'kz'")
    assert questions["thanks"].type == "note"
    assert questions["thanks"].label[RU] == "Спасибо, ${respondent}"

    assert json.loads(json.dumps(questionnaire.model_dump(mode="json"))) == questionnaire.model_dump(mode="json")
    assert Questionnaire.model_validate_json(questionnaire.model_dump_json()) == questionnaire


def test_export_then_import_gives_the_same_questionnaire(multilingual: bytes) -> None:
    questionnaire = import_xlsform(multilingual, "innovation.xlsx")
    exported = export_xlsform(questionnaire)

    book = openpyxl.load_workbook(io.BytesIO(exported))
    assert {"survey", "choices", "settings"} <= set(book.sheetnames)
    header = [cell.value for cell in next(book["survey"].iter_rows(max_row=1))]
    assert header[:2] == ["type", "name"]
    assert {f"label::{EN}", f"label::{RU}", f"hint::{RU}", f"constraint_message::{RU}"} <= set(header)
    types = [row[0] for row in book["survey"].iter_rows(min_row=2, values_only=True)]
    assert types.count("begin group") == types.count("end group") == 1
    assert types.count("begin repeat") == types.count("end repeat") == 1
    assert "select_one country" in types
    choices_header = [cell.value for cell in next(book["choices"].iter_rows(max_row=1))]
    assert {"list_name", "name", f"label::{EN}", f"label::{RU}", "country"} <= set(choices_header)

    again = import_xlsform(exported, "exported.xlsx")
    assert again == questionnaire
    assert summary(again) == summary(questionnaire)


def test_form_without_languages_round_trips() -> None:
    content = workbook(
        [
            ["type", "name", "label"],
            ["text", "a", "A?"],
            ["begin repeat", "r", "R"],
            ["integer", "n", "N"],
            ["end repeat"],
        ],
    )
    questionnaire = import_xlsform(content, "plain_form.xlsx")
    assert questionnaire.languages == []
    assert questionnaire.title == questionnaire.form_id == "plain_form"  # pyxform's fallback: the file name
    assert summary(questionnaire) == {"title": "plain_form", "languages": [], "fields": ["a", "n"], "repeats": ["r"]}
    assert import_xlsform(export_xlsform(questionnaire), "other.xlsx") == questionnaire


# ----------------------------------------------------------------------------------------------------- refused forms


def test_missing_reference_is_located() -> None:
    content = workbook(
        [["type", "name", "label", "relevant"], ["text", "a", "A", None], ["text", "b", "B", "${c} = 1"]]
    )
    with pytest.raises(XLSFormError) as refused:
        import_xlsform(content, "bad.xlsx")
    [error] = refused.value.errors
    assert (error.sheet, error.row, error.column) == ("survey", 3, "relevant")
    assert "'c'" in error.message
    assert "[row" not in error.message


def test_unknown_type_is_located() -> None:
    content = workbook([["type", "name", "label"], ["text", "a", "A"], ["teleport", "b", "B"]])
    with pytest.raises(XLSFormError) as refused:
        import_xlsform(content, "bad.xlsx")
    [error] = refused.value.errors
    assert (error.sheet, error.row, error.column) == ("survey", 3, "type")
    assert "teleport" in error.message


def test_duplicate_name_and_missing_list_are_refused() -> None:
    with pytest.raises(XLSFormError) as duplicate:
        import_xlsform(workbook([["type", "name", "label"], ["text", "a", "A"], ["text", "a", "B"]]), "bad.xlsx")
    assert (duplicate.value.errors[0].sheet, duplicate.value.errors[0].row) == ("survey", 3)

    content = workbook([["type", "name", "label"], ["select_one nope", "a", "A"]], [["list_name", "name", "label"]])
    with pytest.raises(XLSFormError) as missing_list:
        import_xlsform(content, "bad.xlsx")
    assert missing_list.value.errors[0].message


@pytest.mark.parametrize(
    ("content", "filename"),
    [
        (b"", "empty.xlsx"),
        (b"not a spreadsheet at all", "text.xlsx"),
        (b"PK\x03\x04" + b"\x00" * 64, "broken_zip.xlsx"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "broken.xls"),
        (b"PK\x03\x04" + b"\x00" * 64, "no_suffix"),
    ],
)
def test_unreadable_files_give_an_xlsform_error(content: bytes, filename: str) -> None:
    with pytest.raises(XLSFormError) as refused:
        import_xlsform(content, filename)
    assert refused.value.errors[0].message


def test_workbook_without_survey_sheet_is_refused() -> None:
    book = openpyxl.Workbook()
    book.active.title = "notes"
    book.create_sheet("choices").append(["list_name", "name", "label"])
    buffer = io.BytesIO()
    book.save(buffer)
    with pytest.raises(XLSFormError) as refused:
        import_xlsform(buffer.getvalue(), "no_survey.xlsx")
    assert "survey" in refused.value.errors[0].message


# ----------------------------------------------------------------------------------------------------- the command


def run_survey(*arguments: str, command: Any = None) -> tuple[str, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    call_command(command or SurveyCommand(), *arguments, stdout=stdout, stderr=stderr)
    return stdout.getvalue(), stderr.getvalue()


def test_command_check_prints_the_summary(tmp_path: Path, multilingual: bytes) -> None:
    path = tmp_path / "innovation.xlsx"
    path.write_bytes(multilingual)
    stdout, _stderr = run_survey("import", str(path), "--check")
    assert json.loads(stdout) == summary(import_xlsform(multilingual, path.name))


def test_command_refuses_a_bad_form_with_json_errors(tmp_path: Path) -> None:
    path = tmp_path / "bad.xlsx"
    path.write_bytes(workbook([["type", "name", "label"], ["text", "a", "A"], ["integer", "b", "Is ${missing}?"]]))
    stdout = io.StringIO()
    with pytest.raises(CommandError) as failed:
        call_command(SurveyCommand(), "import", str(path), "--check", stdout=stdout, stderr=io.StringIO())
    assert failed.value.returncode == 2
    errors = json.loads(stdout.getvalue())["errors"]
    assert errors[0]["sheet"] == "survey"
    assert errors[0]["row"] == 3
    assert errors[0]["column"] == "label"
    assert set(errors[0]) == {"sheet", "row", "column", "message"}


def test_command_refuses_a_missing_file(tmp_path: Path) -> None:
    stdout = io.StringIO()
    with pytest.raises(CommandError) as failed:
        call_command(SurveyCommand(), "import", str(tmp_path / "absent.xlsx"), stdout=stdout, stderr=io.StringIO())
    assert failed.value.returncode == 2
    assert json.loads(stdout.getvalue())["errors"][0]["message"]


@pytest.mark.django_db
def test_command_without_check_saves_the_questionnaire(tmp_path: Path, multilingual: bytes) -> None:
    from ipvalue.surveys.models import Survey

    path = tmp_path / "innovation.xlsx"
    path.write_bytes(multilingual)
    stdout, _stderr = run_survey("import", str(path), "--publish", "--open")
    result = json.loads(stdout)
    assert result["saved"] is True
    assert result["fields"][:2] == ["respondent", "age"]
    survey = Survey.objects.get(pk=result["id"])
    assert survey.status == "published" and survey.access == "open"
    assert survey.current_version is not None and survey.current_version.published_at is not None
    assert survey.current_version.source == multilingual


def test_command_is_registered_by_name(tmp_path: Path, multilingual: bytes) -> None:
    path = tmp_path / "innovation.xlsx"
    path.write_bytes(multilingual)
    stdout, _stderr = run_survey("import", str(path), "--check", command="survey")
    assert json.loads(stdout)["repeats"] == ["member"]
