"""The questionnaire at work (``ipvalue.surveys.runtime``): cleaning answers, what is shown, calculations, submission.

Each test builds a small XLSForm with ``demo.workbook`` and reads it through the importer, as an uploaded form is.
Messages are checked in English (``translation.override("en")``); no database is used.
"""

import copy
import datetime as dt
import io
from collections.abc import Sequence
from typing import Any

import pytest
from django.utils import translation
from openpyxl import load_workbook

from ipvalue.surveys import demo, runtime
from ipvalue.surveys.runtime import AnswerError, Texts, clean_answers, clean_value
from ipvalue.surveys.xlsform import Question, Questionnaire, import_xlsform, iter_questions

EN, FR, RU = "English (en)", "Français (fr)", "Русский (ru)"
TODAY = dt.date(2025, 6, 15)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def row(kind: str, name: str = "", label: str = "", **columns: Any) -> dict[str, Any]:
    """A survey row of a one-language (English) form; ``constraint_message`` may be given as plain text."""
    data: dict[str, Any] = {"type": kind, "name": name, "label": (label or name,)}
    if isinstance(columns.get("constraint_message"), str):
        columns["constraint_message"] = (columns["constraint_message"],)
    return {**data, **columns}


def make_form(
    rows: list[dict[str, Any]],
    choices: Sequence[tuple[str, str, tuple[str, ...]]] = (),
    *,
    languages: tuple[str, ...] = (EN,),
    choice_columns: dict[str, dict[str, str]] | None = None,
) -> Questionnaire:
    """A form read through the importer; ``choice_columns`` adds columns to the choices sheet (column: name: value)."""
    content = demo.workbook("Test form", rows, list(choices), form_id="test_form", languages=languages)
    if choice_columns:
        book = load_workbook(io.BytesIO(content))
        sheet = book["choices"]
        for column, values in choice_columns.items():
            position = sheet.max_column + 1
            sheet.cell(row=1, column=position, value=column)
            for number in range(2, sheet.max_row + 1):
                sheet.cell(row=number, column=position, value=values.get(sheet.cell(row=number, column=2).value))
        buffer = io.BytesIO()
        book.save(buffer)
        content = buffer.getvalue()
    return import_xlsform(content, "test_form.xlsx")


def question(form: Questionnaire, name: str) -> Question:
    return next(item for item in iter_questions(form.children) if item.name == name)


def items_by_path(form: Questionnaire, answers: dict[str, Any], language: str | None = "en") -> dict[str, runtime.Item]:
    return {item.path: item for item in runtime.iter_items(runtime.walk(form, answers, language, today=TODAY))}


def one(kind: str, choices: Sequence[tuple[str, str, tuple[str, ...]]] = (), **columns: Any) -> Question:
    """The single question of a one-question form of type ``kind``."""
    return question(make_form([row(kind, "q", **columns)], choices), "q")


YES_NO = [("yes_no", "yes", ("Yes",)), ("yes_no", "no", ("No",))]
COLOURS = [("colours", "red", ("Red",)), ("colours", "green", ("Green",)), ("colours", "blue", ("Blue",))]


# --------------------------------------------------------------------------------------------------------- clean_value


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("12", 12), ("5 000", 5000), ("5\u00a0000", 5000), (" -3 ", -3), ("+7", 7), (12.0, 12), (12, 12), (0, 0)],
)
def test_integer_accepts_whole_numbers_written_in_many_ways(raw, expected):
    value = clean_value(one("integer"), raw, None)
    assert value == expected and type(value) is int


@pytest.mark.parametrize("raw", ["1.5", "1,5", "abc", "12a", True, False, 1.5, "1" * 19, [1]])
def test_integer_refuses_anything_else(raw):
    with pytest.raises(AnswerError, match=r"^Enter a whole number\.$"):
        clean_value(one("integer"), raw, None)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("0,5", 0.5), ("1 200.5", 1200.5), ("12", 12.0), (".5", 0.5), ("-2.25", -2.25), (3, 3.0), (2.5, 2.5)],
)
def test_decimal_accepts_a_decimal_comma_and_spaces_between_thousands(raw, expected):
    value = clean_value(one("decimal"), raw, None)
    assert value == expected and type(value) is float


@pytest.mark.parametrize("raw", ["1,200.5", "1e5", "abc", "1.2.3", True, float("nan"), float("inf")])
def test_decimal_refuses_what_is_not_a_plain_number(raw):
    with pytest.raises(AnswerError, match="number"):
        clean_value(one("decimal"), raw, None)


def test_date_takes_iso_dates_only():
    date = one("date")
    assert clean_value(date, "2024-12-31", None) == "2024-12-31"
    assert clean_value(date, "2024-12-31T10:30:00", None) == "2024-12-31"  # the time part of a date-time is dropped
    for raw in ("31.12.2024", "2024-02-30", "12/31/2024", "yesterday"):
        with pytest.raises(AnswerError, match=r"Enter a date as YYYY-MM-DD\."):
            clean_value(date, raw, None)


def test_time_takes_hours_and_minutes_with_optional_seconds():
    time = one("time")
    assert clean_value(time, "09:05", None) == "09:05"
    assert clean_value(time, "23:59:30", None) == "23:59:30"
    for raw in ("24:00", "9:05", "12:60", "noon"):
        with pytest.raises(AnswerError, match=r"Enter a time as HH:MM\."):
            clean_value(time, raw, None)


def test_date_time_is_stored_in_iso_form():
    moment = one("dateTime")
    assert clean_value(moment, "2024-12-31T10:30", None) == "2024-12-31T10:30:00"
    assert clean_value(moment, "2024-12-31 10:30:00+02:00", None) == "2024-12-31T10:30:00+02:00"
    with pytest.raises(AnswerError, match="date and time"):
        clean_value(moment, "31.12.2024 10:30", None)


def test_select_one_takes_one_known_choice():
    select = one("select_one colours", COLOURS)
    assert clean_value(select, "green", None) == "green"
    assert clean_value(select, ["blue"], None) == "blue"
    with pytest.raises(AnswerError, match="“purple” is not one of the choices"):
        clean_value(select, "purple", None)
    with pytest.raises(AnswerError, match=r"Choose one answer\."):
        clean_value(select, "red green", None)
    with pytest.raises(AnswerError, match="Choose from the list"):
        clean_value(select, 3, None)


def test_select_one_is_checked_against_the_choices_on_offer_when_given():
    select = one("select_one colours", COLOURS)
    assert clean_value(select, "red", [("red", "Red")]) == "red"
    with pytest.raises(AnswerError, match="“green” is not one of the choices"):
        clean_value(select, "green", [("red", "Red")])


def test_select_multiple_takes_a_list_or_names_separated_by_spaces_without_duplicates():
    select = one("select_multiple colours", COLOURS)
    assert clean_value(select, ["blue", "red", "blue"], None) == ["blue", "red"]
    assert clean_value(select, " red  green red ", None) == ["red", "green"]
    assert clean_value(select, ("green",), None) == ["green"]
    with pytest.raises(AnswerError, match="“black” is not one of the choices"):
        clean_value(select, ["red", "black", "white"], None)


def test_acknowledge_is_ok_or_nothing():
    tick = one("acknowledge")
    for raw in (True, "OK", "on", "yes", "1", "True"):
        assert clean_value(tick, raw, None) == "OK"
    for raw in (False, "off", "no", "0"):
        assert clean_value(tick, raw, None) is None
    with pytest.raises(AnswerError, match="Tick the box"):
        clean_value(tick, "maybe", None)


def test_text_is_kept_as_given_up_to_the_length_limit():
    text = one("text")
    assert clean_value(text, "  Kazpatent ", None) == "  Kazpatent "
    assert clean_value(text, 42, None) == "42"
    assert clean_value(text, "x" * runtime.MAX_TEXT_LENGTH, None) == "x" * runtime.MAX_TEXT_LENGTH
    with pytest.raises(AnswerError, match="under 10,000 characters"):
        clean_value(text, "x" * (runtime.MAX_TEXT_LENGTH + 1), None)
    with pytest.raises(AnswerError, match="not a list"):
        clean_value(text, ["a", "b"], None)
    with pytest.raises(AnswerError, match="not an object"):
        clean_value(text, {"a": 1}, None)


@pytest.mark.parametrize("raw", [None, "", "   ", []])
def test_an_empty_answer_clears_the_question(raw):
    assert clean_value(one("integer"), raw, None) is None
    assert clean_value(one("select_multiple colours", COLOURS), raw, None) is None


def test_notes_and_calculations_take_no_answer():
    form = make_form([row("note", "intro", "Welcome"), row("calculate", "total", calculation="1 + 1")])
    for name in ("intro", "total"):
        with pytest.raises(AnswerError, match="not a question"):
            clean_value(question(form, name), "anything", None)


@pytest.mark.parametrize("kind", ["file", "image", "audio", "video"])
def test_files_are_not_answered_through_clean_value(kind):
    with pytest.raises(AnswerError, match="Attach the file"):
        clean_value(one(kind), "report.pdf", None)


def test_range_is_a_number_within_its_start_and_end():
    default = one("range")
    assert default.parameters["start"] == "1" and default.parameters["end"] == "10"  # pyxform's defaults
    assert clean_value(default, "10", None) == 10.0
    with pytest.raises(AnswerError, match="between 1 and 10"):
        clean_value(default, "11", None)
    wide = one("range")
    wide.parameters = {"start": "0", "end": "100", "step": "5"}
    assert clean_value(wide, "0", None) == 0.0
    assert clean_value(wide, "55", None) == 55.0
    with pytest.raises(AnswerError, match="between 0 and 100"):
        clean_value(wide, "-5", None)
    backwards = one("range")
    backwards.parameters = {"start": "10", "end": "-10"}
    assert clean_value(backwards, "-10", None) == -10.0
    with pytest.raises(AnswerError, match="between -10 and 10"):
        clean_value(backwards, "10.5", None)
    with pytest.raises(AnswerError, match="number"):
        clean_value(backwards, "five", None)


# ------------------------------------------------------------------------------------------------------- clean_answers

SIMPLE = [
    row("text", "name"),
    row("integer", "minimum"),
    row("integer", "maximum", constraint=". > ${minimum}", constraint_message="Must be above the minimum."),
    row("select_multiple colours", "colours"),
]


def test_merging_keeps_the_stored_answers_not_mentioned():
    form = make_form(SIMPLE, COLOURS)
    result = clean_answers(form, {"name": "Kazpatent", "minimum": 1}, {"colours": "red blue"}, "en")
    assert result.errors == {}
    assert result.answers == {"name": "Kazpatent", "minimum": 1, "colours": ["red", "blue"]}
    assert result.changed


def test_an_empty_value_clears_the_stored_answer():
    form = make_form(SIMPLE, COLOURS)
    result = clean_answers(form, {"name": "Kazpatent", "minimum": 1}, {"name": "", "minimum": None}, "en")
    assert result.answers == {} and result.errors == {} and result.changed


def test_an_unknown_name_is_refused_and_the_rest_kept():
    form = make_form(SIMPLE, COLOURS)
    result = clean_answers(form, {}, {"nmae": "typo", "name": "Kazpatent"}, "en")
    assert result.errors == {"nmae": "No question of this questionnaire has this name."}
    assert result.answers == {"name": "Kazpatent"}


def test_the_stored_answers_are_not_changed_in_place():
    form = make_form(SIMPLE, COLOURS)
    stored = {"name": "Kazpatent"}
    clean_answers(form, stored, {"name": "Other"}, "en")
    assert stored == {"name": "Kazpatent"}


def test_nothing_changed_when_the_answers_are_the_same():
    form = make_form(SIMPLE, COLOURS)
    stored = {"name": "Kazpatent", "colours": ["red"]}
    assert not clean_answers(form, stored, {"name": "Kazpatent", "colours": "red"}, "en").changed
    assert not clean_answers(form, stored, {}, "en").changed
    assert not clean_answers(form, stored, {"minimum": ""}, "en").changed  # clearing what is empty
    assert not clean_answers(form, stored, {"minimum": "abc"}, "en").changed  # only refused
    assert clean_answers(form, stored, {"colours": "red green"}, "en").changed


def test_calculations_worked_out_for_the_first_time_are_no_change():
    form = make_form([row("text", "name"), row("calculate", "greeting", calculation="concat('Hello ', ${name})")])
    result = clean_answers(form, {}, {}, "en")
    assert result.answers == {"greeting": "Hello "}
    assert not result.changed
    result = clean_answers(form, {}, {"name": "Ann"}, "en")
    assert result.answers == {"name": "Ann", "greeting": "Hello Ann"} and result.changed


def test_a_constraint_sees_the_other_answers_given_with_it():
    form = make_form(SIMPLE, COLOURS)
    result = clean_answers(form, {"minimum": 50}, {"minimum": "5", "maximum": "10"}, "en")
    assert result.errors == {}
    assert result.answers == {"minimum": 5, "maximum": 10}
    result = clean_answers(form, {}, {"minimum": "20", "maximum": "10"}, "en")
    assert result.errors == {"maximum": "Must be above the minimum."}
    assert result.answers == {"minimum": 20}


def test_a_refused_answer_keeps_the_one_stored_before():
    form = make_form(SIMPLE, COLOURS)
    stored = {"minimum": 1, "maximum": 10}
    for incoming, message in (
        ({"maximum": "0"}, "Must be above the minimum."),
        ({"maximum": "ten"}, "Enter a whole number."),
    ):
        result = clean_answers(form, stored, incoming, "en")
        assert result.errors == {"maximum": message}
        assert result.answers == {"minimum": 1, "maximum": 10}
        assert not result.changed


def test_an_unchanged_answer_is_not_checked_again():
    form = make_form(SIMPLE, COLOURS)
    stored = {"minimum": 1, "maximum": 10}
    result = clean_answers(form, stored, {"minimum": "50"}, "en")  # the stored maximum now breaks its constraint
    assert result.errors == {}
    assert result.answers == {"minimum": 50, "maximum": 10}


def test_constraint_messages_come_in_the_respondents_language():
    rows = [
        {
            "type": "integer",
            "name": "staff",
            "label": ("Staff", "Personnel", "Сотрудники"),
            "constraint": ". >= 0",
            "constraint_message": ("Not negative.", "Pas négatif.", "Не может быть отрицательным."),
        },
        {"type": "integer", "name": "plain", "label": ("Plain", "Simple", "Простой"), "constraint": ". >= 0"},
    ]
    form = make_form(rows, languages=(EN, FR, RU))
    assert clean_answers(form, {}, {"staff": -1}, "ru").errors == {"staff": "Не может быть отрицательным."}
    assert clean_answers(form, {}, {"staff": -1}, "fr").errors == {"staff": "Pas négatif."}
    assert clean_answers(form, {}, {"plain": -1}, "ru").errors == {"plain": "This answer is not valid."}


REPEAT_FORM = [
    row("text", "country"),
    row("begin_repeat", "cases", "Case"),
    row("text", "title"),
    row("decimal", "low"),
    row("decimal", "high", constraint=". >= ${low}", constraint_message="High must not be below low."),
    row("end_repeat"),
]


def test_a_repeat_is_given_as_a_list_of_objects():
    form = make_form(REPEAT_FORM)
    given = {"cases": [{"title": "A", "low": "1"}, {"title": "B", "low": "2", "high": "2,5"}]}
    result = clean_answers(form, {}, given, "en")
    assert result.errors == {}
    assert result.answers == {"cases": [{"title": "A", "low": 1.0}, {"title": "B", "low": 2.0, "high": 2.5}]}


def test_a_repeat_given_whole_keeps_the_stored_fields_of_each_instance_by_position():
    form = make_form(REPEAT_FORM)
    stored = {"cases": [{"title": "A", "low": 1.0}, {"title": "B"}]}
    result = clean_answers(form, stored, {"cases": [{"high": "3"}]}, "en")
    assert result.answers == {"cases": [{"title": "A", "low": 1.0, "high": 3.0}]}  # the second instance is gone


def test_a_repeat_refuses_what_is_not_a_list_of_objects_or_too_many_instances(monkeypatch):
    form = make_form(REPEAT_FORM)
    stored = {"cases": [{"title": "A"}]}
    for given in ("A", [{"title": "A"}, "B"], {"title": "A"}):
        result = clean_answers(form, stored, {"cases": given}, "en")
        assert result.errors == {"cases": "Give the repeated part as a list, with one object per instance."}
        assert result.answers == stored
    monkeypatch.setattr(runtime, "MAX_REPEAT_INSTANCES", 2)
    result = clean_answers(form, stored, {"cases": [{}, {}, {}]}, "en")
    assert result.errors == {"cases": "At most 2 instances."}
    assert result.answers == stored


def test_an_empty_repeat_removes_every_instance():
    form = make_form(REPEAT_FORM)
    result = clean_answers(form, {"cases": [{"title": "A"}]}, {"cases": None}, "en")
    assert result.answers == {"cases": []} and result.changed


def test_paths_change_one_field_of_an_existing_instance():
    form = make_form(REPEAT_FORM)
    stored = {"country": "KZ", "cases": [{"title": "A", "low": 1.0}, {"title": "B"}]}
    result = clean_answers(form, stored, {"cases/1/low": "4", "cases/0/title": "A2"}, "en")
    assert result.errors == {}
    assert result.answers == {"country": "KZ", "cases": [{"title": "A2", "low": 1.0}, {"title": "B", "low": 4.0}]}


def test_a_path_into_a_missing_instance_is_refused():
    form = make_form(REPEAT_FORM)
    stored = {"cases": [{"title": "A"}]}
    result = clean_answers(form, stored, {"cases/1/title": "B", "country": "KZ"}, "en")
    assert result.errors == {"cases/1/title": "This repeated part has no instance number 1."}
    assert result.answers == {"cases": [{"title": "A"}], "country": "KZ"}


def test_a_wrong_field_inside_an_instance_is_reported_by_its_path():
    form = make_form(REPEAT_FORM)
    stored = {"cases": [{"title": "A"}]}
    result = clean_answers(form, stored, {"cases/0/nope": "x", "cases/0/low": "many"}, "en")
    assert result.errors == {
        "cases/0/nope": "No question of this questionnaire has this name.",
        "cases/0/low": "Enter a number, such as 12.5.",
    }
    assert result.answers == stored


def test_a_constraint_inside_a_repeat_uses_the_fields_of_its_own_instance():
    form = make_form(REPEAT_FORM)
    stored = {"cases": [{"low": 10.0}, {"low": 1.0}]}
    result = clean_answers(form, stored, {"cases/0/high": "5", "cases/1/high": "5"}, "en")
    assert result.errors == {"cases/0/high": "High must not be below low."}
    assert result.answers == {"cases": [{"low": 10.0}, {"low": 1.0, "high": 5.0}]}


def test_a_constraint_inside_a_repeat_does_not_read_the_answers_of_other_instances():
    form = make_form(REPEAT_FORM)
    stored = {"cases": [{"low": 1.0}, {}]}
    result = clean_answers(form, stored, {"cases/1/high": "5"}, "en")  # low is empty in this instance: 5 >= ''
    assert result.errors == {"cases/1/high": "High must not be below low."}
    result = clean_answers(form, stored, {"cases/1/low": "6", "cases/1/high": "5"}, "en")
    assert result.errors == {"cases/1/high": "High must not be below low."}
    assert result.answers == {"cases": [{"low": 1.0}, {"low": 6.0}]}


def test_a_refused_answer_inside_a_repeat_keeps_the_stored_one():
    form = make_form(REPEAT_FORM)
    stored = {"cases": [{"low": 1.0, "high": 2.0}]}
    result = clean_answers(form, stored, {"cases/0/high": "0"}, "en")
    assert result.errors == {"cases/0/high": "High must not be below low."}
    assert result.answers == stored and not result.changed


CITIES = [
    ("cities", "almaty", ("Almaty",)),
    ("cities", "astana", ("Astana",)),
    ("cities", "yerevan", ("Yerevan",)),
    ("countries", "kz", ("Kazakhstan",)),
    ("countries", "am", ("Armenia",)),
]
CITY_COUNTRY = {"country": {"almaty": "kz", "astana": "kz", "yerevan": "am"}}


def test_choice_filter_narrows_the_choices_on_offer_by_a_column_of_the_choices_sheet():
    form = make_form(
        [
            row("select_one countries", "country"),
            row("select_one cities", "city", choice_filter="country = ${country}"),
        ],
        CITIES,
        choice_columns=CITY_COUNTRY,
    )
    assert question(form, "city").choices.options[0].extra == {"country": "kz"}
    items = items_by_path(form, {"country": "kz"})
    assert items["city"].choices == [("almaty", "Almaty"), ("astana", "Astana")]
    assert items["country"].choices == [("kz", "Kazakhstan"), ("am", "Armenia")]  # no filter: every choice
    assert items_by_path(form, {"country": "am"})["city"].choices == [("yerevan", "Yerevan")]
    assert items_by_path(form, {})["city"].choices == []


def test_a_choice_not_offered_under_the_filter_is_refused():
    form = make_form(
        [
            row("select_one countries", "country"),
            row("select_one cities", "city", choice_filter="country = ${country}"),
        ],
        CITIES,
        choice_columns=CITY_COUNTRY,
    )
    result = clean_answers(form, {"city": "astana"}, {"country": "am", "city": "almaty"}, "en")
    assert result.errors == {"city": "“almaty” is not one of the choices."}
    assert result.answers == {"country": "am", "city": "astana"}  # the stored answer is put back
    result = clean_answers(form, {}, {"country": "am", "city": "yerevan"}, "en")
    assert result.errors == {} and result.answers == {"country": "am", "city": "yerevan"}


def test_choice_filter_on_the_name_of_the_choice():
    form = make_form(
        [
            row("select_multiple colours", "liked"),
            row("select_one colours", "best", choice_filter="selected(${liked}, name)"),
        ],
        COLOURS,
    )
    assert items_by_path(form, {"liked": ["red", "blue"]})["best"].choices == [("red", "Red"), ("blue", "Blue")]
    result = clean_answers(form, {"liked": ["red", "blue"]}, {"best": "green"}, "en")
    assert result.errors == {"best": "“green” is not one of the choices."}
    assert "best" not in result.answers


def test_a_choice_filter_that_cannot_be_evaluated_offers_every_choice(caplog):
    form = make_form([row("select_one colours", "best")], COLOURS)
    question(form, "best").choice_filter = "name = = 'red'"
    assert [name for name, _label in items_by_path(form, {})["best"].choices] == ["red", "green", "blue"]
    assert "choice_filter of best could not be evaluated" in caplog.text


# --------------------------------------------------------------------------------------------------------- expand_paths


def test_expand_paths_nests_answers_given_by_path():
    stored = {"cases": [{"title": "A"}, {"title": "B"}]}
    nested, errors = runtime.expand_paths(stored, {"country": "KZ", "cases/1/title": "B2"})
    assert errors == {}
    assert nested == {"country": "KZ", "cases": [{}, {"title": "B2"}]}


def test_expand_paths_reaches_into_nested_repeats():
    stored = {"outer": [{"inner": [{"x": 1}, {"x": 2}]}]}
    nested, errors = runtime.expand_paths(stored, {"outer/0/inner/1/x": 3})
    assert errors == {} and nested == {"outer": [{"inner": [{}, {"x": 3}]}]}
    _nested, errors = runtime.expand_paths(stored, {"outer/0/inner/2/x": 3})
    assert errors == {"outer/0/inner/2/x": "This repeated part has no instance number 2."}


@pytest.mark.parametrize(
    ("key", "message"),
    [
        ("cases/0", "Write a path as repeat/instance/question, for example case_studies/0/title."),
        ("cases/first/title", "Write a path as repeat/instance/question, for example case_studies/0/title."),
        ("cases/0/title/x", "Write a path as repeat/instance/question, for example case_studies/0/title."),
        ("cases/-1/title", "Write a path as repeat/instance/question, for example case_studies/0/title."),
        ("cases/2/title", "This repeated part has no instance number 2."),
        ("other/0/title", "This repeated part has no instance number 0."),
        ("country/0/title", "This repeated part has no instance number 0."),
    ],
)
def test_expand_paths_refuses_malformed_paths_and_missing_instances(key, message):
    stored = {"country": "KZ", "cases": [{"title": "A"}, {"title": "B"}]}
    nested, errors = runtime.expand_paths(stored, {key: "x"})
    assert errors == {key: message}
    assert nested == {}


BOTH = "Give either the whole repeated part or answers inside it, not both."


@pytest.mark.parametrize(
    ("incoming", "errors", "nested"),
    [
        (
            {"cases": [{"title": "X"}], "cases/1/title": "B2"},
            {"cases/1/title": BOTH},
            {"cases": [{"title": "X"}]},
        ),
        (
            {"cases": [{"title": "X"}, {"title": "Y"}], "cases/1/title": "B2"},
            {"cases/1/title": BOTH},
            {"cases": [{"title": "X"}, {"title": "Y"}]},
        ),
        ({"cases": "not a list", "cases/1/title": "B2"}, {"cases/1/title": BOTH}, {"cases": "not a list"}),
        ({"cases/1/title": "B2", "cases": [{"title": "X"}]}, {"cases": BOTH}, {"cases": [{}, {"title": "B2"}]}),
    ],
)
def test_expand_paths_refuses_a_repeat_given_both_whole_and_by_path(incoming, errors, nested):
    stored = {"cases": [{"title": "A"}, {"title": "B"}]}
    before = copy.deepcopy(incoming)
    assert runtime.expand_paths(stored, incoming) == (nested, errors)
    assert incoming == before  # what the caller gave is not changed


def test_clean_answers_refuses_a_repeat_given_both_whole_and_by_path():
    form = make_form(REPEAT_FORM)
    stored = {"cases": [{"title": "A"}, {"title": "B"}]}
    result = clean_answers(form, stored, {"cases": [{"title": "X"}], "cases/1/title": "B2"}, "en")
    assert result.errors == {"cases/1/title": "Give either the whole repeated part or answers inside it, not both."}
    assert result.answers == {"cases": [{"title": "X"}]}


# --------------------------------------------------------------------------------------------------------- walk

VISIBILITY = [
    row("integer", "age"),
    row("begin_group", "adult", "Adults", relevant="${age} >= 18"),
    row("text", "job", "Job of ${name}"),
    row("begin_group", "details", "Details"),
    row("text", "employer"),
    row("end_group"),
    row("end_group"),
    row("text", "name", "Name", required="yes"),
    row("text", "nickname", "Nickname of ${name}", required="${age} < 18"),
    row("begin_repeat", "children", "Child"),
    row("text", "kind"),
    row("text", "other_kind", "Other kind for ${name}", relevant="${kind} = 'other'"),
    row("end_repeat"),
    row("note", "summary", "${name} has ${children} children"),
]


def test_a_hidden_group_hides_everything_inside_it():
    form = make_form(VISIBILITY)
    items = items_by_path(form, {"age": 12})
    assert not items["adult"].visible
    assert not items["job"].visible and not items["details"].visible and not items["employer"].visible
    assert items["name"].visible
    items = items_by_path(form, {"age": 30})
    assert all(items[path].visible for path in ("adult", "job", "details", "employer"))
    items = items_by_path(form, {})  # '' >= 18 is false: hidden until the age is given
    assert not items["adult"].visible


def test_relevant_inside_a_repeat_is_worked_out_per_instance():
    form = make_form(VISIBILITY)
    items = items_by_path(form, {"children": [{"kind": "other"}, {"kind": "son"}, {}]})
    assert items["children/0/other_kind"].visible
    assert not items["children/1/other_kind"].visible
    assert not items["children/2/other_kind"].visible
    assert items["children/1/kind"].index == 1 and items["name"].index is None
    assert [len(instance) for instance in items["children"].instances] == [2, 2, 2]
    template = items["children"].children  # the questions of a new instance
    assert [item.path for item in template] == ["children/__new__/kind", "children/__new__/other_kind"]
    assert not template[1].visible


def test_a_repeat_inside_a_hidden_group_is_hidden_in_every_instance():
    form = make_form(
        [row("integer", "n"), row("begin_group", "g", relevant="${n} > 0"), *REPEAT_FORM[1:], row("end_group")]
    )
    items = items_by_path(form, {"n": 0, "cases": [{"title": "A"}]})
    assert not items["cases"].visible and not items["cases/0/title"].visible
    assert items_by_path(form, {"n": 1, "cases": [{"title": "A"}]})["cases/0/title"].visible


def test_labels_show_the_answers_they_name():
    form = make_form(VISIBILITY)
    answers = {"age": 30, "name": "Aigerim", "children": [{"kind": "other"}, {}]}
    items = items_by_path(form, answers)
    assert items["job"].label == "Job of Aigerim"
    assert items["summary"].label == "Aigerim has 2 children"  # a repeat counts its instances
    assert items["children/0/other_kind"].label == "Other kind for Aigerim"
    assert items_by_path(form, {"name": "Ann", "children": []})["summary"].label == "Ann has 0 children"


def test_required_may_be_an_expression():
    form = make_form(VISIBILITY)
    assert question(form, "name").required is True
    assert question(form, "nickname").required == "${age} < 18"
    assert items_by_path(form, {"age": 12})["nickname"].required
    assert not items_by_path(form, {"age": 40})["nickname"].required
    assert items_by_path(form, {"age": 40})["name"].required


def test_items_carry_their_answers_and_choices():
    form = make_form([row("select_one yes_no", "ok"), *REPEAT_FORM], YES_NO)
    items = items_by_path(form, {"ok": "yes", "cases": [{"title": "A"}]})
    assert items["ok"].value == "yes" and items["ok"].choices == [("yes", "Yes"), ("no", "No")]
    assert items["cases/0/title"].value == "A" and items["cases/0/low"].value is None
    assert items["ok"].type == "select_one" and items["cases"].type == "repeat" and items["cases"].kind == "repeat"


# --------------------------------------------------------------------------------------------------------- languages

THREE_LANGUAGES = [
    {"type": "text", "name": "everywhere", "label": ("Organisation", "Organisation", "Организация")},
    {"type": "text", "name": "no_french", "label": ("Staff", "", "Сотрудники")},
    {"type": "text", "name": "russian_only", "label": ("Russian only", "", "Только по-русски")},
    {"type": "select_one yes_no", "name": "agree", "label": ("Agree?", "D'accord ?", "Согласны?")},
]
THREE_LANGUAGE_CHOICES = [("yes_no", "yes", ("Yes", "Oui", "Да")), ("yes_no", "no", ("No", "", "Нет"))]


def test_texts_pick_the_language_by_its_code_then_the_default_language_then_any():
    form = make_form(THREE_LANGUAGES, THREE_LANGUAGE_CHOICES, languages=(EN, FR, RU))
    assert form.default_language == EN
    for code in ("fr", "FR", "fr-CA", "fr_CA", "Français"):
        assert Texts(form, code).key == FR, code
    question(form, "russian_only").label.pop(EN)  # pyxform wants a label in the default language: removed here
    french = Texts(form, "fr")
    assert french(question(form, "everywhere").label) == "Organisation"
    assert french(question(form, "no_french").label) == "Staff"  # the default language
    assert french(question(form, "russian_only").label) == "Только по-русски"  # any language that has it
    assert french({}) == "" and french(None) == ""
    russian = items_by_path(form, {}, "ru")
    assert russian["agree"].choices == [("yes", "Да"), ("no", "Нет")]
    assert items_by_path(form, {}, "fr")["agree"].choices == [("yes", "Oui"), ("no", "No")]
    assert Texts(form, "de").key is None
    assert Texts(form, "de")(question(form, "no_french").label) == "Staff"


def test_form_languages_are_those_with_a_code():
    form = make_form(THREE_LANGUAGES[:1], languages=(EN, "Deutsch", RU))
    assert [(item.code, item.name) for item in runtime.form_languages(form)] == [("en", "English"), ("ru", "Русский")]


def test_response_language_is_the_first_wanted_language_the_form_has():
    form = make_form(THREE_LANGUAGES, THREE_LANGUAGE_CHOICES, languages=(EN, FR, RU))
    assert runtime.response_language(form, ["kk", None, "ru", "fr"]) == "ru"
    assert runtime.response_language(form, ["fr-BE"]) == "fr"
    assert runtime.response_language(form, ["kk", None]) == "en"  # the form's default language
    form.default_language = RU
    assert runtime.response_language(form, []) == "ru"
    form.default_language = None
    assert runtime.response_language(form, ["de"]) == "en"
    no_english = make_form(THREE_LANGUAGES, THREE_LANGUAGE_CHOICES, languages=(RU, FR))
    no_english.default_language = None
    assert runtime.response_language(no_english, ["de"]) == "ru"  # the first language with a code


def test_response_language_is_english_for_a_form_without_language_codes():
    form = import_xlsform(
        demo.workbook("Plain", [{"type": "text", "name": "q", "label": ("Q",)}], [], form_id="p", languages=("Text",)),
        "p.xlsx",
    )
    assert runtime.response_language(form, ["ru"]) == "en"


# --------------------------------------------------------------------------------------------------------- compute

CALCULATIONS = [
    row("integer", "a"),
    row("calculate", "double", calculation="${a} * 2"),
    row("calculate", "double_plus_one", calculation="${double} + 1"),
    row("calculate", "from_later", calculation="${total} + 1000"),
    row("begin_repeat", "items", "Item"),
    row("decimal", "amount"),
    row("calculate", "amount_with_tax", calculation="${amount} * 1.5"),
    row("end_repeat"),
    row("calculate", "item_count", calculation="count(${items})"),
    row("calculate", "total", calculation="sum(${amount})"),
]


def test_calculations_run_in_form_order():
    form = make_form(CALCULATIONS)
    computed = runtime.compute(form, {"a": 4})
    assert computed["double"] == "8" and computed["double_plus_one"] == "9"


def test_a_calculation_may_depend_on_a_later_one_and_on_repeats():
    form = make_form(CALCULATIONS)
    answers = {"a": 1, "items": [{"amount": 10.0}, {"amount": 2.5}, {}]}
    computed = runtime.compute(form, answers)
    assert computed["item_count"] == "3"
    assert computed["total"] == "12.5"
    assert computed["from_later"] == "1012.5"  # resolved on a second pass, after `total`
    assert [instance.get("amount_with_tax") for instance in computed["items"]] == ["15", "3.75", "NaN"]
    assert answers == {"a": 1, "items": [{"amount": 10.0}, {"amount": 2.5}, {}]}  # a copy is returned


def test_calculations_follow_the_answers_they_use():
    form = make_form(CALCULATIONS)
    computed = runtime.compute(form, {"a": 1, "double": "999", "items": []})
    assert computed["double"] == "2"  # a stale calculation is worked out again
    assert computed["item_count"] == "0" and computed["total"] == "0"


def test_clean_answers_recomputes_the_calculations():
    form = make_form(CALCULATIONS)
    result = clean_answers(form, {"a": 1}, {"items": [{"amount": "4"}]}, "en")
    assert result.answers["total"] == "4" and result.answers["item_count"] == "1"
    assert result.answers["items"] == [{"amount": 4.0, "amount_with_tax": "6"}]


def test_a_calculation_that_cannot_be_evaluated_is_left_out(caplog):
    form = make_form([row("integer", "a"), row("calculate", "broken", calculation="${a} + 1")])
    question(form, "broken").calculation = "${a} +"
    assert runtime.compute(form, {"a": 1}) == {"a": 1}
    assert "calculation of broken could not be evaluated" in caplog.text


# --------------------------------------------------------------------------------------------------------- submitting

SUBMISSION = [
    row("text", "name", required="yes"),
    row("select_one yes_no", "has_staff", required="yes"),
    row("integer", "staff", required="yes", relevant="${has_staff} = 'yes'", constraint=". > 0"),
    row("date", "answered_on", constraint=". <= today()", constraint_message="Not in the future."),
    row("note", "note_required", "A note", required="yes"),
    row("calculate", "calc_required", calculation="''", required="yes"),
    row("begin_repeat", "cases", "Case"),
    row("text", "title", required="yes"),
    row("end_repeat"),
]


def test_required_questions_left_empty_stop_the_submission():
    form = make_form(SUBMISSION, YES_NO)
    errors = runtime.submission_errors(form, {"cases": [{"title": "A"}, {}]}, "en", today=TODAY)
    assert errors == {
        "name": "This question needs an answer.",
        "has_staff": "This question needs an answer.",
        "cases/1/title": "This question needs an answer.",
    }
    errors = runtime.submission_errors(form, {"name": "", "has_staff": "yes", "cases": []}, "en", today=TODAY)
    assert set(errors) == {"name", "staff"}


def test_a_hidden_required_question_stops_nothing():
    form = make_form(SUBMISSION, YES_NO)
    assert runtime.submission_errors(form, {"name": "N", "has_staff": "no"}, "en", today=TODAY) == {}


def test_the_forms_required_message_is_used_in_the_respondents_language():
    rows = [{"type": "text", "name": "name", "label": ("Name", "Nom", "Имя"), "required": "yes"}]
    form = make_form(rows, languages=(EN, FR, RU))
    question(form, "name").required_message = {EN: "Please tell us your name.", RU: "Укажите имя."}
    assert runtime.submission_errors(form, {}, "ru") == {"name": "Укажите имя."}
    assert runtime.submission_errors(form, {}, "en") == {"name": "Please tell us your name."}
    assert runtime.submission_errors(form, {}, "fr") == {"name": "Please tell us your name."}  # the default language
    question(form, "name").required_message = {}
    assert runtime.submission_errors(form, {}, "ru") == {"name": "This question needs an answer."}


def test_answers_no_longer_valid_stop_the_submission():
    form = make_form(SUBMISSION, YES_NO)
    answers = {"name": "N", "has_staff": "yes", "staff": 0, "answered_on": "2025-06-16"}
    errors = runtime.submission_errors(form, answers, "en", today=TODAY)
    assert errors == {"staff": "This answer is not valid.", "answered_on": "Not in the future."}
    answers.update(staff=3, answered_on="2025-06-15")
    assert runtime.submission_errors(form, answers, "en", today=TODAY) == {}
    answers.update(has_staff="no", staff=0)  # an invalid answer to a hidden question does not count
    assert runtime.submission_errors(form, answers, "en", today=TODAY) == {}


def test_without_hidden_drops_the_answers_of_hidden_questions():
    form = make_form(VISIBILITY)
    answers = {
        "age": 12,
        "job": "Student",
        "employer": "School",
        "name": "Ann",
        "nickname": "Annie",
        "children": [{"kind": "other", "other_kind": "Foster"}, {"kind": "son", "other_kind": "Left over"}],
        "not_in_the_form": "x",
    }
    kept = runtime.without_hidden(form, answers)
    assert kept == {
        "age": 12,
        "name": "Ann",
        "nickname": "Annie",
        "children": [{"kind": "other", "other_kind": "Foster"}, {"kind": "son"}],
    }
    assert runtime.without_hidden(form, {**answers, "age": 30})["employer"] == "School"


def test_without_hidden_drops_a_hidden_repeat_with_its_instances():
    form = make_form(
        [row("integer", "n"), row("begin_group", "g", relevant="${n} > 0"), *REPEAT_FORM[1:], row("end_group")]
    )
    assert runtime.without_hidden(form, {"n": 0, "cases": [{"title": "A"}]}) == {"n": 0}
    assert runtime.without_hidden(form, {"n": 1, "cases": [{"title": "A"}]}) == {"n": 1, "cases": [{"title": "A"}]}


def test_answerable_names_leave_out_notes_and_calculations():
    form = make_form(SUBMISSION, YES_NO)
    assert runtime.answerable_names(form) == ["name", "has_staff", "staff", "answered_on", "cases"]


def test_a_form_definition_loads_back_from_json():
    form = make_form(SUBMISSION, YES_NO)
    assert runtime.load(form.model_dump(mode="json")) == form


def test_instance_scope_walks_into_nested_repeat_instances():
    answers = {"name": "x", "outer": [{"a": 1}, {"inner": [{"q": 1}, {"q": 2}]}]}
    assert runtime.instance_scope(answers, "name") == (answers, "name")
    scope, last = runtime.instance_scope(answers, "outer/1/inner/1/q")
    assert scope is answers["outer"][1]["inner"][1] and last == "q"
    scope["q"] = 3
    assert answers["outer"][1]["inner"][1]["q"] == 3  # the scope is the stored dict, not a copy
    for path, step in (("outer/2/a", "2"), ("outer/x/a", "x"), ("outer/0/inner/0/q", "0"), ("missing/0/q", "0")):
        with pytest.raises(runtime.InstanceMissing) as missing:
            runtime.instance_scope(answers, path)
        assert missing.value.step == step
