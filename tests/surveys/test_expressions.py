"""The XLSForm/ODK expression evaluator: operators, functions, coercions, repeats, dates, errors and bounds."""

import contextlib
import datetime as dt
import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ipvalue.surveys.expressions import (
    FUNCTIONS,
    MAX_DEPTH,
    MAX_LENGTH,
    Call,
    ExpressionError,
    Literal,
    Operation,
    Reference,
    evaluate,
    is_relevant,
    is_true,
    parse,
    references,
    satisfies,
    to_number,
    to_string,
)

TODAY = dt.date(2024, 5, 15)  # day 19858 since 1970-01-01
NOW = dt.datetime(2024, 5, 15, 14, 30, 5, 250_000, tzinfo=dt.timezone(dt.timedelta(hours=2)))


def ev(expression: str, **answers: Any) -> Any:
    return evaluate(expression, answers=answers, today=TODAY, now=NOW)


def is_nan(value: Any) -> bool:
    return isinstance(value, float) and math.isnan(value)


# --- literals and operators ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("42", 42.0),
        ("3.25", 3.25),
        (".5", 0.5),
        ("5.", 5.0),
        ("'single'", "single"),
        ('"double"', "double"),
        ('"it\'s"', "it's"),
        ("''", ""),
        ("true()", True),
        ("false()", False),
        ("1 + 2", 3.0),
        ("7 - 10", -3.0),
        ("6 * 7", 42.0),
        ("7 div 2", 3.5),
        ("7 mod 3", 1.0),
        ("-7 mod 3", -1.0),  # the sign of the dividend, like Java's %
        ("7 mod -3", 1.0),
        ("5.5 mod 2", 1.5),
        ("-3", -3.0),
        ("--3", 3.0),
        ("- (2 + 3)", -5.0),
        ("1 = 1", True),
        ("1 = 2", False),
        ("1 != 2", True),
        ("1 < 2", True),
        ("2 < 2", False),
        ("2 <= 2", True),
        ("3 > 2", True),
        ("2 > 3", False),
        ("3 >= 3", True),
        ("true() and false()", False),
        ("true() and true()", True),
        ("false() or true()", True),
        ("false() or false()", False),
        ("0.1 + 0.2 = 0.3", True),  # JavaRosa: numbers closer than 1e-12 are equal
        ("(1 + 2) * 3", 9.0),
        ("1-2", -1.0),
        ("10 div 4 * 2", 5.0),
        ("10 - 4 - 3", 3.0),  # left-associative
        ("2 * 3 mod 4", 2.0),
        ("1 < 2 < 3", True),  # (1 < 2) is true, and true (1) < 3
        ("3 > 2 > 1", False),  # (3 > 2) is true, and true (1) > 1 is false
    ],
)
def test_literals_and_operators(expression: str, expected: Any) -> None:
    result = ev(expression)
    assert result == expected and type(result) is type(expected)


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("1 div 0", math.inf),
        ("-1 div 0", -math.inf),
        ("1 div -0", -math.inf),
    ],
)
def test_division_by_zero_is_infinite(expression: str, expected: float) -> None:
    assert ev(expression) == expected


@pytest.mark.parametrize("expression", ["0 div 0", "5 mod 0", "number('x') + 1", "-''", "1 div 0 - 1 div 0"])
def test_nan(expression: str) -> None:
    assert is_nan(ev(expression))


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("1 + 2 * 3 = 7", True),
        ("(1 + 2) * 3 = 7", False),
        ("not(1 = 2) and 3 > 2", True),
        ("1 = 1 or 1 = 2 and 1 = 2", True),  # and binds tighter than or
        ("(1 = 1 or 1 = 2) and 1 = 2", False),
        ("1 + 1 = 2 = true()", True),  # = after +, then left to right
        ("2 > 1 = 1 > 0", True),  # relational binds tighter than equality
        ("-2 * 3", -6.0),
        ("- 2 + 3", 1.0),  # unary minus binds tighter than +
        ("2 + 3 * 4 - 6 div 2", 11.0),
        ("10 mod 4 * 3", 6.0),
        ("1 < 2 and 2 < 3 or false()", True),
    ],
)
def test_precedence(expression: str, expected: Any) -> None:
    assert ev(expression) == expected


def test_and_or_short_circuit() -> None:
    """The right side is not evaluated when the left decides: here it would be an error."""
    assert ev("false() and count('x') > 0") is False
    assert ev("true() or count('x') > 0") is True
    with pytest.raises(ExpressionError):
        ev("true() and count('x') > 0")


def test_long_chains_are_flat_not_deep() -> None:
    expression = " + ".join(["1"] * 500)
    assert ev(expression) == 500.0
    assert ev(" and ".join(["true()"] * 150)) is True


# --- coercions -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expression", "answers", "expected"),
    [
        ("${age} >= 18", {"age": "18"}, True),
        ("${age} >= 18", {"age": "17"}, False),
        ("${age} >= 18", {"age": 42}, True),  # a Python number is accepted
        ("${age} >= 18", {"age": ""}, False),  # unanswered: NaN compares false
        ("${age} < 18", {"age": ""}, False),
        ("${age} >= 18", {}, False),  # not in answers: unanswered
        ("${age} = 18", {"age": "18.0"}, True),  # number against text: numeric
        ("${age} = '18'", {"age": "18.0"}, False),  # text against text: as strings
        ("${age} = ${other}", {"age": "18", "other": "18.0"}, False),
        ("${age} + 1", {"age": " 41 "}, 42.0),  # surrounding spaces are ignored
        ("${age} + 1", {"age": "4 1"}, math.nan),
        ("${age} + 1", {"age": "1e3"}, math.nan),  # XPath numbers have no exponent
        ("${x} = 5", {"x": ""}, False),
        ("${x} != 5", {"x": ""}, True),
        ("${x} = ''", {"x": ""}, True),
        ("${x} = ''", {}, True),
        ("${x} != ''", {"x": None}, False),
        ("${x} != ''", {"x": "0"}, True),
        ("${x} = 0", {"x": "0"}, True),
        ("${x} = true()", {"x": "no"}, True),  # boolean comparison: non-empty text is true
        ("${x} = true()", {"x": ""}, False),
        ("${x} = false()", {"x": "false"}, False),  # 'false' is non-empty text, as in ODK
        ("${flag} = 'true'", {"flag": True}, True),  # a Python bool is stored as ODK stores a boolean
        ("${d} + 0", {"d": dt.date(1970, 1, 11)}, 10.0),
        ("'a' < 'b'", {}, False),  # relational operators compare numbers only
        ("'10' > '9'", {}, True),
        ("'2' = 2", {}, True),
        ("'abc' = 0", {}, False),
        ("'abc' != 0", {}, True),
        ("number('abc') = number('abc')", {}, False),
        ("true() = 1", {}, True),
        ("false() = ''", {}, True),
        ("true() + true()", {}, 2.0),
    ],
)
def test_coercions(expression: str, answers: dict[str, Any], expected: Any) -> None:
    result = evaluate(expression, answers=answers, today=TODAY)
    assert is_nan(result) if is_nan(expected) else result == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("", False),
        ("0", True),
        ("false", True),
        (" ", True),
        (0.0, False),
        (-0.0, False),
        (math.nan, False),
        (0.5, True),
        (True, True),
        (False, False),
        (None, False),
        (0, False),
        (3, True),
        ([], False),
        (["a"], True),
    ],
)
def test_is_true(value: Any, expected: bool) -> None:
    assert is_true(value) is expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (3.0, "3"),
        (-0.0, "0"),
        (0.5, "0.5"),
        (1e-7, "0.0000001"),
        (1e21, "1000000000000000000000"),
        (0.1 + 0.2, "0.30000000000000004"),
        (math.nan, "NaN"),
        (math.inf, "Infinity"),
        (-math.inf, "-Infinity"),
        (True, "true"),
        (False, "false"),
        (None, ""),
        (12, "12"),
        (["banks", "ip"], "banks ip"),
        (dt.date(2024, 5, 1), "2024-05-01"),
    ],
)
def test_to_string(value: Any, expected: str) -> None:
    assert to_string(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("12", 12.0),
        ("-1.5", -1.5),
        (".5", 0.5),
        ("1,5", math.nan),
        ("+1", math.nan),
        ("", math.nan),
        ("Infinity", math.nan),
        ("1970-01-02", 1.0),
        ("1970-01-02T12:00:00", 1.5),
        ("1970-01-02T12:00:00+12:00", 1.0),  # with an offset: in UTC
        ("1970-01-01T06:00Z", 0.25),
        ("2024-02-30", math.nan),  # not a date
        (True, 1.0),
        (7, 7.0),
    ],
)
def test_to_number(value: Any, expected: float) -> None:
    result = to_number(value)
    assert math.isnan(result) if math.isnan(expected) else result == expected


# --- functions -----------------------------------------------------------------------------------------------------

SECTORS = {"sectors": "banks ip_offices  universities"}


@pytest.mark.parametrize(
    ("expression", "answers", "expected"),
    [
        # select_multiple
        ("selected(${sectors}, 'banks')", SECTORS, True),
        ("selected(${sectors}, 'universities')", SECTORS, True),
        ("selected(${sectors}, ' banks ')", SECTORS, True),
        ("selected(${sectors}, 'bank')", SECTORS, False),
        ("selected(${sectors}, 'banks ip_offices')", SECTORS, False),
        ("selected(${sectors}, '')", SECTORS, False),
        ("selected(${sectors}, 'banks')", {"sectors": ["ip_offices", "banks"]}, True),  # a Python list
        ("selected(${sectors}, 'banks')", {}, False),
        ("count-selected(${sectors})", SECTORS, 3.0),
        ("count-selected(${sectors})", {"sectors": ["a", "b"]}, 2.0),
        ("count-selected(${sectors})", {"sectors": ""}, 0.0),
        ("count-selected(${sectors}) <= 3", SECTORS, True),
        ("selected-at(${sectors}, 0)", SECTORS, "banks"),
        ("selected-at(${sectors}, 2)", SECTORS, "universities"),
        ("selected-at(${sectors}, 1.9)", SECTORS, "ip_offices"),
        ("selected-at(${sectors}, 3)", SECTORS, ""),
        ("selected-at(${sectors}, -1)", SECTORS, ""),
        # if, not, boolean, coalesce, once
        ("if(${x} > 10, 'big', 'small')", {"x": "11"}, "big"),
        ("if(${x} > 10, 'big', 'small')", {"x": "10"}, "small"),
        ("if(${x} > 10, 'big', 'small')", {}, "small"),
        ("if('', 1, 2)", {}, 2.0),
        ("if(1 = 1, 1 div 0 > 0, count('x'))", {}, True),  # only the chosen branch is evaluated
        ("not(true())", {}, False),
        ("not('')", {}, True),
        ("not(0)", {}, True),
        ("boolean('0')", {}, True),
        ("boolean('')", {}, False),
        ("boolean(2)", {}, True),
        ("boolean(number('x'))", {}, False),
        ("coalesce(${a}, ${b})", {"a": "", "b": "fallback"}, "fallback"),
        ("coalesce(${a}, ${b})", {"a": "first", "b": "fallback"}, "first"),
        ("coalesce(number(${a}), 0)", {"a": ""}, 0.0),  # NaN counts as empty
        # strings
        ("string-length('héllo')", {}, 5.0),
        ("string-length(${t})", {}, 0.0),
        ("string(12)", {}, "12"),
        ("string(0.5)", {}, "0.5"),
        ("string(1 div 0)", {}, "Infinity"),
        ("string(true())", {}, "true"),
        ("concat('a', 'b', 'c')", {}, "abc"),
        ("concat(${first}, ' ', ${last})", {"first": "Ada", "last": "Lovelace"}, "Ada Lovelace"),
        ("concat('n=', 3)", {}, "n=3"),
        ("concat()", {}, ""),
        ("substr('hello', 1)", {}, "ello"),
        ("substr('hello', 1, 3)", {}, "el"),
        ("substr('hello', 0, 100)", {}, "hello"),
        ("substr('hello', -2)", {}, "lo"),
        ("substr('hello', 1, -1)", {}, "ell"),
        ("substr('hello', 3, 1)", {}, ""),
        ("substr('hello', 1 div 0)", {}, ""),
        ("substr('hello', number('x'))", {}, "hello"),
        ("contains('IP valuation', 'valu')", {}, True),
        ("contains('IP valuation', 'Valu')", {}, False),
        ("contains('abc', '')", {}, True),
        ("starts-with('IP valuation', 'IP')", {}, True),
        ("starts-with('IP valuation', 'valuation')", {}, False),
        ("ends-with('IP valuation', 'tion')", {}, True),
        ("ends-with('IP valuation', 'IP')", {}, False),
        ("regex('AB', '^[A-Z]{2}$')", {}, True),
        ("regex('ABC', '^[A-Z]{2}$')", {}, False),
        ("regex('12345678901', '[0-9]{11}')", {}, True),
        ("regex('a12345678901b', '[0-9]{11}')", {}, False),  # the whole value must match, as in ODK Collect
        ("regex('', '.*')", {}, True),
        ("regex(${email}, '[^@ ]+@[^@ ]+\\.[a-z]+')", {"email": "ada@example.org"}, True),
        # numbers
        ("number('12.5')", {}, 12.5),
        ("number(true())", {}, 1.0),
        ("int(3.9)", {}, 3.0),
        ("int(-3.9)", {}, -3.0),
        ("int('7.2')", {}, 7.0),
        ("round(2.5)", {}, 3.0),
        ("round(2.4)", {}, 2.0),
        ("round(-2.5)", {}, -2.0),  # halves go towards positive infinity
        ("round(-2.6)", {}, -3.0),
        ("round(1.2345, 2)", {}, 1.23),
        ("round(2.675, 2)", {}, 2.68),  # decimal rounding of the number as written
        ("round(1.005, 2)", {}, 1.01),
        ("round(-1.25, 1)", {}, -1.2),
        ("round(1235.5, -2)", {}, 1200.0),
        ("round(1250, -2)", {}, 1300.0),
        ("pow(2, 10)", {}, 1024.0),
        ("pow(2, -1)", {}, 0.5),
        ("pow(9, 0.5)", {}, 3.0),
        ("pow(0, -1)", {}, math.inf),
        ("pow(10, 400)", {}, math.inf),
        ("pow(-10, 401)", {}, -math.inf),
        ("abs(-3.5)", {}, 3.5),
        ("abs(2)", {}, 2.0),
        ("floor(2.7)", {}, 2.0),
        ("floor(-2.2)", {}, -3.0),
        ("ceiling(2.2)", {}, 3.0),
        ("ceiling(-2.7)", {}, -2.0),
        ("floor(1 div 0)", {}, math.inf),
        # sums and counts of plain values
        ("sum(${x})", {"x": "4"}, 4.0),
        ("min(3, 1, 2)", {}, 1.0),
        ("max(3, 1, 2)", {}, 3.0),
        ("max(${a}, ${b})", {"a": "", "b": "5"}, 5.0),  # empty answers are skipped, as in ODK
        ("min('x')", {}, math.nan),
        ("count(${x})", {"x": "anything"}, 1.0),  # a plain question is one node
        ("count(${unknown})", {}, 0.0),
    ],
)
def test_functions(expression: str, answers: dict[str, Any], expected: Any) -> None:
    result = evaluate(expression, answers=answers, today=TODAY)
    if is_nan(expected):
        assert is_nan(result)
    else:
        assert result == expected and type(result) is type(expected)


def test_nan_and_infinity_pass_through_rounding() -> None:
    assert is_nan(ev("round(number(''))")) and is_nan(ev("int(number(''))")) and is_nan(ev("abs(number(''))"))
    assert ev("int(1 div 0)") == math.inf and ev("round(-1 div 0, 2)") == -math.inf
    assert is_nan(ev("round(1.5, 31)"))  # absurd precision, as JavaRosa


def test_current_value() -> None:
    assert evaluate(". >= 0 and . <= 100", answers={}, current="50") is True
    assert evaluate(". >= 0 and . <= 100", answers={}, current=101) is False
    assert evaluate("string-length(.) <= 280", answers={}, current="x" * 280) is True
    assert evaluate("string-length() <= 280", answers={}, current="x" * 281) is False
    assert evaluate("string(.)", answers={}) == ""
    assert evaluate("number()", answers={}, current="4") == 4.0


def test_once() -> None:
    assert evaluate("once(${x} * 2)", answers={"x": "4"}) == 8.0
    assert evaluate("once(${x} * 2)", answers={"x": "4"}, current="") == 8.0
    assert evaluate("once(${x} * 2)", answers={"x": "4"}, current="5") == "5"


def test_uuid() -> None:
    first, second = ev("uuid()"), ev("uuid()")
    assert isinstance(first, str) and len(first) == 36 and first != second


# --- dates -------------------------------------------------------------------------------------------------------


def test_today_and_now() -> None:
    assert ev("today()") == "2024-05-15"
    assert ev("today() = '2024-05-15'") is True
    assert ev("number(today())") == 19858.0
    assert ev("now()") == "2024-05-15T14:30:05.250+02:00"
    assert evaluate("today()", answers={}, now=NOW) == "2024-05-15"  # today defaults to now's date
    assert evaluate("today()", answers={}) == dt.date.today().isoformat()
    assert isinstance(evaluate("now()", answers={}), str)


def test_date_arithmetic_in_days() -> None:
    assert ev("today() - ${d}", d="2024-05-01") == 14.0
    assert ev("today() - ${d}", d=dt.date(2023, 5, 15)) == 366.0
    assert ev("(today() - ${birth}) div 365.25 >= 18", birth="2000-01-01") is True
    assert ev("${d} < today()", d="2024-05-14") is True
    assert ev("${d} <= today()", d="2024-05-16") is False
    assert ev("${start} < ${end}", start="2024-01-31", end="2024-02-01") is True
    assert ev("${d} > '2024-01-01'", d="2024-03-01") is True
    assert ev("${d} = '2024-03-01'", d="2024-03-01") is True
    assert ev("date(today() + 1)") == "2024-05-16"
    assert ev("today() - ${d}", d="") != ev("today() - ${d}", d="")  # NaN for an unanswered date
    assert ev("now() - today()") == pytest.approx((12 + 30 / 60 + 5.25 / 3600) / 24)  # 14:30:05.25 at +02:00


def test_date_functions() -> None:
    assert ev("date(0)") == "1970-01-01"
    assert ev("date(19858)") == "2024-05-15"
    assert ev("date(-1)") == "1969-12-31"
    assert ev("date('19858')") == "2024-05-15"
    assert ev("date('2024-05-15T23:59:00-05:00')") == "2024-05-15"
    assert ev("date(${d})", d="") == ""
    assert ev("date(number(''))") == ""
    assert ev("decimal-date-time('1970-01-02T06:00:00Z')") == 1.25
    assert ev("decimal-date-time('1970-01-11')") == 10.0
    assert ev("decimal-date-time(2.5)") == 2.5
    assert ev("decimal-date-time('')") == ""


@pytest.mark.parametrize(
    ("layout", "expected"),
    [
        ("%Y-%m-%d", "2026-01-09"),
        ("%e/%n/%y", "9/1/26"),
        ("%d %b %Y", "09 Jan 2026"),
        ("%a %e", "Fri 9"),
        ("%H:%M:%S", "00:00:00"),
        ("100%%, %q", "100%, %q"),
        ("%", "%"),
    ],
)
def test_format_date(layout: str, expected: str) -> None:
    assert ev(f"format-date('2026-01-09', '{layout}')") == expected


def test_format_date_with_time_and_numbers() -> None:
    assert ev("format-date('2026-08-07T06:31:13.834-03:00', '%Y%m%d %H%M%S.%3 %h')") == "20260807 063113.834 6"
    assert ev("format-date(today(), '%e %b %Y')") == "15 May 2024"
    assert ev("format-date(0.5, '%Y-%m-%d %H:%M')") == "1970-01-01 12:00"
    assert ev("format-date(${d}, '%Y')", d="") == ""


@pytest.mark.parametrize("expression", ["date('soon')", "date(true())", "format-date('2024-13-01', '%Y')"])
def test_bad_dates_raise(expression: str) -> None:
    with pytest.raises(ExpressionError, match=r"not a date|boolean is not a date"):
        ev(expression)


@pytest.mark.parametrize("expression", ["date(1 div 0)", "date(99999999)", "format-date(-1000000000, '%Y')"])
def test_dates_out_of_range_raise(expression: str) -> None:
    with pytest.raises(ExpressionError, match="out of range"):
        ev(expression)


# --- repeats -------------------------------------------------------------------------------------------------------

CASE_STUDIES = {
    "case_studies": [
        {"title": "Patent A", "amount": "100"},
        {"title": "Patent B", "amount": "250.5"},
        {"title": "Trademark", "amount": ""},
    ]
}


def rep(expression: str, answers: dict[str, Any] | None = None, **repeats: Any) -> Any:
    return evaluate(expression, answers=answers or {}, repeats=repeats or CASE_STUDIES, today=TODAY)


def test_count_of_a_repeat() -> None:
    assert rep("count(${case_studies})") == 3.0
    assert rep("count(${case_studies}) >= 1") is True
    assert rep("count(${case_studies}) >= 1", case_studies=[]) is False
    assert evaluate("count(${case_studies})", answers={}) == 0.0  # no instance known yet
    assert rep("count(${amount})") == 3.0


def test_sum_min_max_of_a_field_in_a_repeat() -> None:
    assert rep("sum(${case_studies}/amount)") == 350.5
    assert rep("sum(${amount})") == 350.5  # the field's values across the instances, from outside the repeat
    assert rep("sum(${amount}) > 300") is True
    assert rep("min(${amount})") == 100.0
    assert rep("max(${amount})") == 250.5
    assert rep("max(${amount}, 1000)") == 1000.0
    assert rep("sum(${amount})", case_studies=[]) == 0.0
    assert rep("sum(${case_studies}/missing_field)") == 0.0
    assert is_nan(rep("max(${amount})", case_studies=[]))
    assert rep("sum(${amount})", case_studies=[{"amount": 1}, {"amount": 2.5}, {}]) == 3.5


def test_a_field_in_a_repeat_as_a_node_set() -> None:
    assert rep("${title}") == ["Patent A", "Patent B", "Trademark"]
    assert rep("${case_studies}/title") == ["Patent A", "Patent B", "Trademark"]
    assert rep("${title} = 'Patent B'") is True  # a node-set compares true if one of its nodes does
    assert rep("${title} = 'Copyright'") is False
    assert rep("${amount} > 200") is True
    assert rep("${amount} > 300") is False
    assert rep("concat(${title})") == "Patent APatent BTrademark"
    assert rep("string(${title})") == "Patent A"
    assert rep("boolean(${title})") is True and rep("boolean(${title})", case_studies=[]) is False


def test_inside_a_repeat_the_instance_answers_come_first() -> None:
    instance = CASE_STUDIES["case_studies"][1]
    answers = {"currency": "EUR", **instance}
    assert rep("${amount} * 2", answers) == 501.0
    assert rep("concat(${title}, ' in ', ${currency})", answers) == "Patent B in EUR"
    assert rep("sum(${case_studies}/amount)", answers) == 350.5  # the explicit path still reaches all instances


def test_count_needs_a_node_set() -> None:
    with pytest.raises(ExpressionError, match="count"):
        ev("count('x')")


# --- typical XLSForm expressions and the helpers -------------------------------------------------------------------


def test_relevant() -> None:
    assert is_relevant("${age} >= 18", {"age": "30"}) is True
    assert is_relevant("${age} >= 18", {"age": "12"}) is False
    assert is_relevant("${age} >= 18", {}) is False
    assert is_relevant("selected(${sectors}, 'banks')", SECTORS) is True
    assert is_relevant("${email} != ''", {"email": "a@example.org"}) is True
    assert is_relevant("${email} != ''", {"email": ""}) is False
    assert is_relevant("", {}) is True
    assert is_relevant("  ", {}) is True
    assert is_relevant(None, {}) is True
    assert is_relevant(parse("1 = 1"), {}) is True
    assert is_relevant("count(${case_studies}) >= 1", {}, repeats=CASE_STUDIES) is True
    assert is_relevant("today() > '2024-05-01'", {}, today=TODAY) is True


def test_satisfies() -> None:
    assert satisfies(". >= 0 and . <= 100", "42", {}) is True
    assert satisfies(". >= 0 and . <= 100", "142", {}) is False
    assert satisfies(". >= 0 and . <= 100", "-1", {}) is False
    assert satisfies(". >= 0 and . <= 100", "abc", {}) is False
    assert satisfies(". >= 0 and . <= 100", "", {}) is True  # an empty answer is required's business
    assert satisfies(". >= 0 and . <= 100", None, {}) is True
    assert satisfies("regex(., '^[A-Z]{2}$')", "FR", {}) is True
    assert satisfies("regex(., '^[A-Z]{2}$')", "fr", {}) is False
    assert satisfies("string-length(.) <= 280", "x" * 281, {}) is False
    assert satisfies("count-selected(.) <= 3", ["a", "b", "c", "d"], {}) is False
    assert satisfies("count-selected(.) <= 3", "a b c", {}) is True
    assert satisfies(". <= ${budget}", "90", {"budget": "100"}) is True
    assert satisfies(". <= today()", "2024-05-16", {}, today=TODAY) is False
    assert satisfies("", "anything", {}) is True
    assert satisfies(None, "anything", {}) is True


def test_references() -> None:
    assert references("${a} + ${b} * count(${c}) - .") == {"a", "b", "c"}
    assert references("sum(${case_studies}/amount)") == {"case_studies", "amount"}
    assert references("if(${x} > 10, concat(${y}, 'z'), once(${x}))") == {"x", "y"}
    assert references("1 + 2") == set()
    assert references(parse("${d.o-t_s}")) == {"d.o-t_s"}


def test_parse_tree_and_cache() -> None:
    node = parse("selected(${sectors}, 'banks')")
    assert node == Call(0, "selected", (Reference(9, "sectors"), Literal(21, "banks")))
    assert parse("selected(${sectors}, 'banks')") is node  # cached on the text
    chain = parse("1 - 2 - 3")
    assert isinstance(chain, Operation) and chain.operators == ("-", "-") and len(chain.operands) == 3
    assert evaluate(node, answers=SECTORS) is True  # a parsed tree is evaluated as is
    assert parse("${r}/f") == Reference(0, "r", "f")


def test_whitespace_and_newlines() -> None:
    assert ev("\n  ${a}\t>\n1  ", a="2") is True
    assert ev("count - selected(${s})".replace(" - ", "-"), s="a b") == 2.0
    assert ev("concat ('a')") == "a"


# --- errors --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expression", "position", "message"),
    [
        ("1 +", 3, "value is missing"),
        ("(1 + 2", 6, "Missing the ')'"),
        ("1 + 2)", 5, "Unbalanced"),
        ("1 2", 2, "operator is missing"),
        ("${age >= 18", 0, "Malformed reference"),
        ("${} = 1", 0, "Malformed reference"),
        ("$age = 1", 0, "Malformed reference"),
        ("'abc = 1", 0, "Unterminated string"),
        ("age >= 18", 0, "Unknown name 'age'"),
        ("1 / 2", 2, "div"),
        ("/data/age > 1", 0, "Paths are not supported"),
        ("../age", 0, "'..' is not supported"),
        ("1 | 2", 2, "Unions"),
        ("${a}[1]", 4, "Predicates"),
        ("1 ! 2", 2, "'!='"),
        ("1 + * 2", 4, "Expected a value, not '*'"),
        ("and 1", 0, "Expected a value before 'and'"),
        ("1 and or 2", 6, "Expected a value before 'or'"),
        ("concat('a' 'b')", 11, "Expected an operator, a ','"),
        ("(1 2)", 3, "Expected an operator or the ')'"),
        ("concat('a',)", 11, "Expected a value, not ')'"),
        ("1 ; 2", 2, "Unexpected character ';'"),
        ("${a}.__class__", 4, "operator is missing"),
        ("${a}/b/c", 6, "Paths are not supported"),
        ("1 = 1 #", 6, "Unexpected character '#'"),
    ],
)
def test_syntax_errors_have_positions(expression: str, position: int, message: str) -> None:
    with pytest.raises(ExpressionError, match=None) as caught:
        parse(expression)
    assert caught.value.position == position, str(caught.value)
    assert message in caught.value.message
    assert f"at character {position + 1}" in str(caught.value)
    assert caught.value.expression == expression


@pytest.mark.parametrize(
    "expression",
    [
        "foo(1)",
        "jr:choice-name(${x}, '${x}')",
        "eval('1')",
        "__import__('os')",
        "exec('print(1)')",
        "position()",
        "upper-case('a')",
        "div(1)",
    ],
)
def test_unknown_functions(expression: str) -> None:
    with pytest.raises(ExpressionError) as caught:
        parse(expression)
    assert caught.value.position == 0
    assert caught.value.message.startswith("Unknown function")


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("today(1)", "today() takes no arguments, not 1"),
        ("selected(${a})", "selected() takes 2 arguments, not 1"),
        ("if(1, 2)", "if() takes 3 arguments, not 2"),
        ("substr('a')", "substr() takes 2 or 3 arguments, not 1"),
        ("substr('a', 1, 2, 3)", "substr() takes 2 or 3 arguments, not 4"),
        ("string('a', 'b')", "string() takes at most 1 argument, not 2"),
        ("max()", "max() takes at least 1 argument, not 0"),
        ("not()", "not() takes 1 argument, not 0"),
        ("round(1, 2, 3)", "round() takes 1 or 2 arguments, not 3"),
    ],
)
def test_wrong_argument_counts(expression: str, message: str) -> None:
    with pytest.raises(ExpressionError, match=None) as caught:
        parse(expression)
    assert caught.value.message == message


def test_every_function_has_an_arity_and_an_implementation() -> None:
    for name, (low, high) in FUNCTIONS.items():
        args = ", ".join(["1"] * low)
        parse(f"{name}({args})")
        if high is not None:
            with pytest.raises(ExpressionError, match="takes"):
                parse(f"{name}({', '.join(['1'] * (high + 1))})")


def test_regular_expressions_are_bounded_and_checked() -> None:
    with pytest.raises(ExpressionError, match="too long") as caught:
        parse("regex(., '" + "a" * 501 + "')")
    assert caught.value.position == 9
    assert parse("regex(., '" + "a" * 500 + "')")
    with pytest.raises(ExpressionError, match="Invalid regular expression"):
        parse("regex(., '[a-z')")
    with pytest.raises(ExpressionError, match="too long"):  # a pattern that comes from an answer
        evaluate("regex(., ${pattern})", answers={"pattern": "a" * 501}, current="a")
    with pytest.raises(ExpressionError, match="Invalid regular expression"):
        evaluate("regex(., ${pattern})", answers={"pattern": "(unclosed"}, current="a")


def test_nesting_is_bounded() -> None:
    deep_but_fine = "(" * MAX_DEPTH + "1" + ")" * MAX_DEPTH
    assert ev(deep_but_fine) == 1.0
    for expression in [
        "(" * (MAX_DEPTH + 1) + "1" + ")" * (MAX_DEPTH + 1),
        "abs(" * (MAX_DEPTH + 1) + "1" + ")" * (MAX_DEPTH + 1),
        "-" * (MAX_DEPTH + 1) + "1",
        "1 + (" * 60 + "2 * (" * 60 + "3" + ")" * 120,  # operators count as levels too
        "(" * 600 + "1" + ")" * 600,
    ]:
        with pytest.raises(ExpressionError, match="nested too deeply"):
            parse(expression)


def test_length_is_bounded() -> None:
    assert ev("1" + " + 1" * ((MAX_LENGTH - 1) // 4)) == 500.0
    with pytest.raises(ExpressionError, match="too long"):
        parse("1" + " + 1" * (MAX_LENGTH // 4))


@pytest.mark.parametrize("value", ["", "   ", "\n"])
def test_empty_expressions(value: str) -> None:
    with pytest.raises(ExpressionError, match="Empty"):
        parse(value)


@pytest.mark.parametrize("value", [None, 42, b"1 + 1", ["1"]])
def test_non_text_is_an_expression_error(value: Any) -> None:
    with pytest.raises(ExpressionError, match="text"):
        parse(value)
    with pytest.raises(ExpressionError):
        evaluate(value, answers={})


def test_errors_at_evaluation_carry_the_position() -> None:
    with pytest.raises(ExpressionError) as caught:
        evaluate("1 + date(${d})", answers={"d": "soon"})
    assert caught.value.position == 9 and "at character 10" in str(caught.value)


# --- properties ----------------------------------------------------------------------------------------------------

TOKENS = [
    "${a}", "${b}", "${r}", "${r}/x", ".", "1", "0", "-", "2.5", "'x'", "''", "(", ")", ",", "+", "*", "div", "mod",
    "=", "!=", "<", ">=", "and", "or", "not(", "if(", "count(", "sum(", "selected(", "substr(", "date(", "regex(",
    "format-date(", "round(", "pow(", "today()", "concat(", "'2024-01-31'", "'%Y'", "'[a-z]+'", "1 div 0", "uuid()",
]  # fmt: skip
ANSWERS = {"a": "3", "b": "2024-02-29"}
REPEATS = {"r": [{"x": "1"}, {"x": ""}, {"x": "abc"}]}


def _never_anything_but_expression_error(text: str) -> None:
    try:
        node = parse(text)
    except ExpressionError:
        return
    with contextlib.suppress(ExpressionError):
        evaluate(node, answers=ANSWERS, current="7", repeats=REPEATS, today=TODAY, now=NOW)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=60))
def test_random_text_raises_only_expression_errors(text: str) -> None:
    _never_anything_but_expression_error(text)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(TOKENS), max_size=25).map(" ".join))
def test_random_token_soup_raises_only_expression_errors(text: str) -> None:
    _never_anything_but_expression_error(text)


INTEGERS = st.integers(min_value=-1_000_000, max_value=1_000_000)


@settings(max_examples=100, deadline=None)
@given(INTEGERS, INTEGERS, INTEGERS)
def test_arithmetic_on_integers_matches_python(a: int, b: int, c: int) -> None:
    assert ev(f"{a} + {b} * {c}") == a + b * c
    assert ev(f"{a} - {b} - {c}") == a - b - c
    assert ev(f"({a} - {b}) * {c}") == (a - b) * c
    assert ev(f"-{a} * -{b}") == (-a) * (-b)
    assert ev(f"{a} < {b}") is (a < b) and ev(f"{a} >= {b}") is (a >= b) and ev(f"{a} = {b}") is (a == b)
    assert ev(f"${{x}} + {b}", x=str(a)) == a + b
    if b != 0:
        assert ev(f"{a} div {b}") == a / b
        assert ev(f"{a} mod {b}") == math.fmod(a, b)  # XPath's mod truncates, like C's fmod (not Python's %)
        assert ev(f"int({a} div {b})") == int(a / b)
