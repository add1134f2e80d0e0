"""A safe evaluator of the XLSForm/ODK expression language: ``relevant``, ``constraint`` and ``calculation``.

The subset of XPath 1.0, with the ODK extensions, that XLSForms use (ODK XForms specification, "XPath operators and
functions"), parsed by hand into a small tree and walked by an interpreter: no ``eval``, no ``exec``, no attribute
access, nothing but the functions listed in :data:`FUNCTIONS`. Pure Python: no Django import.

Values are those of XPath: ``bool``, ``float`` (every number is a double), ``str``; a reference to a repeat, or to a
field of a repeat from outside it, is a node-set (returned to the caller as a ``list`` of strings). Conversions follow
XPath 1.0 and JavaRosa (ODK Collect), the reference implementation:

* an answer is its text: an unanswered question is ``''``, a select_multiple is its choice names separated by spaces
  (a Python list is accepted and joined), a number or a date given as a Python object is written out as ODK would;
* ``=`` and ``!=`` compare as booleans if either side is a boolean, else as numbers if either side is a number
  (``${age} = 18`` is true for the answer ``'18'``; numbers closer than 1e-12 are equal), else as strings
  (``${email} != ''``); ``<``, ``<=``, ``>``, ``>=`` always compare numbers, so ``'a' < 'b'`` is false;
* a string is a number if it is one in XPath's own syntax (``-12.5``, no exponent), and an ISO date or date-time
  (``2024-05-01``, ``2024-05-01T10:30:00+02:00``) is the number of days since 1970-01-01 (fractional for a date-time,
  taken in UTC if it has an offset): ``today() - ${birth_date}`` is a number of days and ``${d} < today()`` works;
  anything else is NaN (``number('')`` is NaN, and NaN compares false with everything);
* the boolean of a string is whether it is non-empty (so ``boolean('false')`` is true, as in ODK); of a number,
  whether it is neither 0 nor NaN; of a node-set, whether it is non-empty;
* a node-set compared with a value is true if one of its nodes is (XPath 1.0).

Functions behave as in ODK Collect: ``regex()`` must match the whole value, ``sum()``, ``min()`` and ``max()`` skip
empty and non-numeric values, ``round()`` takes halves towards positive infinity (``round(-2.5) = -2``), ``substr()`` is
0-based with negative indices counting from the end, ``if()`` evaluates only the branch it takes, ``date()``,
``today()`` and ``now()`` return ISO text, ``count()`` wants a repeat or a field. ``jr:choice-name()`` and
``position(..)`` are not supported.

References: ``${name}`` is looked up in ``answers``, then in ``repeats`` (the repeat itself: a node-set of its
instances, for ``count()``), then among the fields of the repeats' instances (a node-set of that field's values, one
per instance, for ``sum()``, ``min()``, ``max()``...); ``${repeat}/field`` names a field of a repeat explicitly. To
evaluate an expression inside one instance of a repeat, merge that instance's answers into ``answers``: its fields
then resolve to the instance's own values, as they do in ODK. A name found nowhere is an unanswered question (``''``),
and for ``count()`` and ``sum()`` a node-set with no node (0).

Bounds: an expression is at most :data:`MAX_LENGTH` characters, nests at most :data:`MAX_DEPTH` levels (brackets,
function calls, operators), and a regular expression is at most :data:`MAX_REGEX_LENGTH` characters (Python's ``re``
has no timeout, so very long patterns are refused outright). Every problem, at parse or evaluation time, is an
:class:`ExpressionError`; parsed expressions are cached on their text.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_DOWN, ROUND_HALF_UP, Decimal, InvalidOperation, localcontext
from functools import lru_cache
from typing import Any, Final, NamedTuple

__all__ = [
    "FUNCTIONS",
    "MAX_DEPTH",
    "MAX_LENGTH",
    "MAX_REGEX_LENGTH",
    "Call",
    "Current",
    "ExpressionError",
    "Literal",
    "Negate",
    "Node",
    "Operation",
    "Reference",
    "evaluate",
    "is_relevant",
    "is_true",
    "parse",
    "references",
    "satisfies",
    "to_number",
    "to_string",
]

MAX_LENGTH: Final = 2000
MAX_DEPTH: Final = 100
MAX_REGEX_LENGTH: Final = 500

#: Every function an expression may call: name -> (fewest, most) arguments, ``None`` for "any number".
FUNCTIONS: Final[Mapping[str, tuple[int, int | None]]] = {
    "abs": (1, 1),
    "boolean": (1, 1),
    "ceiling": (1, 1),
    "coalesce": (2, 2),
    "concat": (0, None),
    "contains": (2, 2),
    "count": (1, 1),
    "count-selected": (1, 1),
    "date": (1, 1),
    "decimal-date-time": (1, 1),
    "ends-with": (2, 2),
    "false": (0, 0),
    "floor": (1, 1),
    "format-date": (2, 2),
    "if": (3, 3),
    "int": (1, 1),
    "max": (1, None),
    "min": (1, None),
    "not": (1, 1),
    "now": (0, 0),
    "number": (0, 1),
    "once": (1, 1),
    "pow": (2, 2),
    "regex": (2, 2),
    "round": (1, 2),
    "selected": (2, 2),
    "selected-at": (2, 2),
    "starts-with": (2, 2),
    "string": (0, 1),
    "string-length": (0, 1),
    "substr": (2, 3),
    "sum": (1, 1),
    "today": (0, 0),
    "true": (0, 0),
    "uuid": (0, 0),
}

_OPERATOR_WORDS: Final = frozenset({"and", "or", "div", "mod"})
_PRECEDENCE: Final[Mapping[str, int]] = {
    "or": 1,
    "and": 2,
    "=": 3,
    "!=": 3,
    "<": 4,
    "<=": 4,
    ">": 4,
    ">=": 4,
    "+": 5,
    "-": 5,
    "*": 6,
    "div": 6,
    "mod": 6,
}


class ExpressionError(ValueError):
    """An expression that cannot be parsed or evaluated; ``position`` is a 0-based index into ``expression``."""

    def __init__(self, message: str, *, position: int | None = None, expression: str | None = None) -> None:
        self.message = message
        self.position = position
        self.expression = expression
        super().__init__(self._describe())

    def _describe(self) -> str:
        if self.position is None:
            return self.message
        where = f"at character {self.position + 1}"
        if self.expression is not None:
            near = self.expression[self.position : self.position + 20]
            where += f", near {near!r}" if near.strip() else ", at the end"
        return f"{self.message} ({where})"

    def __str__(self) -> str:
        return self._describe()


# --- the tree ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Node:
    """A parsed expression; ``pos`` is where it starts in the text."""

    pos: int


@dataclass(frozen=True, slots=True)
class Literal(Node):
    value: float | str


@dataclass(frozen=True, slots=True)
class Reference(Node):
    """``${name}``, or ``${name}/field`` for a field of the repeat ``name``."""

    name: str
    field: str | None = None


@dataclass(frozen=True, slots=True)
class Current(Node):
    """``.``: the value of the question the expression belongs to."""


@dataclass(frozen=True, slots=True)
class Negate(Node):
    operand: Node


@dataclass(frozen=True, slots=True)
class Operation(Node):
    """A chain of operators of one precedence, applied left to right: ``operands[0] operators[0] operands[1] ...``."""

    operators: tuple[str, ...]
    operands: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Call(Node):
    name: str
    args: tuple[Node, ...]


def _children(node: Node) -> tuple[Node, ...]:
    if isinstance(node, Operation):
        return node.operands
    if isinstance(node, Call):
        return node.args
    if isinstance(node, Negate):
        return (node.operand,)
    return ()


# --- lexer ---------------------------------------------------------------------------------------------------------


class _Token(NamedTuple):
    kind: str  # "num", "str", "ref", "dot", "name", "op", "end"
    text: str
    pos: int
    value: Any = None


_NAME = r"[^\W\d][\w.\-]*"
_NAME_RE: Final = re.compile(rf"{_NAME}(?::{_NAME})?")
_REF_RE: Final = re.compile(rf"\$\{{({_NAME})\}}")
_REF_FIELD_RE: Final = re.compile(rf"\s*/\s*({_NAME})")
_NUMBER_LITERAL_RE: Final = re.compile(r"[0-9]+(?:\.[0-9]*)?|\.[0-9]+")
_SYMBOLS: Final = ("!=", "<=", ">=", "=", "<", ">", "+", "-", "*", "(", ")", ",")
_UNSUPPORTED: Final[Mapping[str, str]] = {
    "/": "Paths are not supported: refer to questions as ${name}; divide with 'div', not '/'",
    "|": "Unions ('|') are not supported",
    "[": "Predicates ('[...]') are not supported",
    "]": "Predicates ('[...]') are not supported",
    "@": "Attributes ('@') are not supported",
    "!": "Unexpected '!': write '!=' for 'not equal', or not(...)",
}


def _tokenize(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    pos, length = 0, len(text)
    while pos < length:
        char = text[pos]
        if char.isspace():
            pos += 1
            continue
        if char == "$":
            match = _REF_RE.match(text, pos)
            if match is None:
                raise ExpressionError("Malformed reference: write ${name}", position=pos, expression=text)
            end, field = match.end(), None
            path = _REF_FIELD_RE.match(text, end)
            if path is not None:
                field, end = path.group(1), path.end()
            tokens.append(_Token("ref", text[pos:end], pos, (match.group(1), field)))
            pos = end
            continue
        if char.isdigit() or (char == "." and text[pos + 1 : pos + 2].isdigit()):
            match = _NUMBER_LITERAL_RE.match(text, pos)
            if match is None:  # a digit that is not 0-9, such as '٣'
                raise ExpressionError(f"Unexpected character {char!r}", position=pos, expression=text)
            tokens.append(_Token("num", match.group(), pos, float(match.group())))
            pos = match.end()
            continue
        if char == ".":
            if text[pos + 1 : pos + 2] == ".":
                raise ExpressionError(
                    "'..' is not supported: refer to questions as ${name}", position=pos, expression=text
                )
            tokens.append(_Token("dot", ".", pos))
            pos += 1
            continue
        if char in "'\"":
            end = text.find(char, pos + 1)
            if end < 0:
                raise ExpressionError("Unterminated string", position=pos, expression=text)
            tokens.append(_Token("str", text[pos : end + 1], pos, text[pos + 1 : end]))
            pos = end + 1
            continue
        symbol = next((s for s in _SYMBOLS if text.startswith(s, pos)), None)
        if symbol is not None:
            tokens.append(_Token("op", symbol, pos))
            pos += len(symbol)
            continue
        match = _NAME_RE.match(text, pos)
        if match is not None:
            tokens.append(_Token("name", match.group(), pos))
            pos = match.end()
            continue
        message = _UNSUPPORTED.get(char, f"Unexpected character {char!r}")
        raise ExpressionError(message, position=pos, expression=text)
    tokens.append(_Token("end", "", length))
    return tokens


# --- parser --------------------------------------------------------------------------------------------------------


def _arity_text(low: int, high: int | None) -> str:
    if high is None:
        return f"at least {low} argument{'s' if low != 1 else ''}"
    if low == high:
        return "no arguments" if low == 0 else f"{low} argument{'s' if low != 1 else ''}"
    if low == 0:
        return f"at most {high} argument{'s' if high != 1 else ''}"
    return f"{low} or {high} arguments" if high == low + 1 else f"{low} to {high} arguments"


class _Parser:
    """Operator precedence by an explicit stack (one Python frame per bracket or call, not per precedence level)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = _tokenize(text)
        self.index = 0
        self.nesting = 0

    def error(self, message: str, position: int) -> ExpressionError:
        return ExpressionError(message, position=position, expression=self.text)

    def peek(self) -> _Token:
        return self.tokens[self.index]

    def advance(self) -> _Token:
        token = self.tokens[self.index]
        self.index += 1
        return token

    def parse(self) -> Node:
        node = self.expression()
        token = self.peek()
        if token.kind != "end":
            if token.text == ")":
                raise self.error("Unbalanced ')'", token.pos)
            raise self.error(f"Unexpected {token.text!r}: an operator is missing", token.pos)
        return node

    def nest(self, position: int) -> None:
        self.nesting += 1
        if self.nesting > MAX_DEPTH:
            raise self.error(f"Expression nested too deeply (more than {MAX_DEPTH} levels)", position)

    def binary_operator(self) -> str | None:
        token = self.peek()
        if token.kind == "op" and token.text in _PRECEDENCE:
            return token.text
        if token.kind == "name" and token.text in _OPERATOR_WORDS:
            return token.text
        return None

    def expression(self) -> Node:
        operands = [self.operand()]
        operators: list[str] = []
        while (operator := self.binary_operator()) is not None:
            self.advance()
            while operators and _PRECEDENCE[operators[-1]] >= _PRECEDENCE[operator]:
                self.reduce(operands, operators)
            operators.append(operator)
            operands.append(self.operand())
        while operators:
            self.reduce(operands, operators)
        return operands[0]

    @staticmethod
    def reduce(operands: list[Node], operators: list[str]) -> None:
        operator, right, left = operators.pop(), operands.pop(), operands.pop()
        level = _PRECEDENCE[operator]
        if isinstance(left, Operation) and _PRECEDENCE[left.operators[0]] == level:  # left-associative: flatten
            operands.append(Operation(left.pos, (*left.operators, operator), (*left.operands, right)))
        else:
            operands.append(Operation(left.pos, (operator,), (left, right)))

    def operand(self) -> Node:
        signs: list[int] = []
        while self.peek().kind == "op" and self.peek().text == "-":
            signs.append(self.advance().pos)
        for position in signs:
            self.nest(position)
        node = self.primary()
        for position in reversed(signs):
            node = Negate(position, node)
        self.nesting -= len(signs)
        return node

    def primary(self) -> Node:
        token = self.advance()
        if token.kind == "num" or token.kind == "str":
            return Literal(token.pos, token.value)
        if token.kind == "ref":
            name, field = token.value
            return Reference(token.pos, name, field)
        if token.kind == "dot":
            return Current(token.pos)
        if token.kind == "op" and token.text == "(":
            self.nest(token.pos)
            node = self.expression()
            self.expect_close(token.pos)
            self.nesting -= 1
            return node
        if token.kind == "name":
            if self.peek().text == "(" and self.peek().kind == "op":
                return self.call(token)
            if token.text in _OPERATOR_WORDS:
                raise self.error(f"Expected a value before {token.text!r}", token.pos)
            raise self.error(f"Unknown name {token.text!r}: refer to questions as ${{{token.text}}}", token.pos)
        if token.kind == "end":
            raise self.error("Unexpected end of expression: a value is missing", token.pos)
        raise self.error(f"Expected a value, not {token.text!r}", token.pos)

    def expect_close(self, opened: int, *, in_call: bool = False) -> None:
        token = self.advance()
        if token.text != ")" or token.kind != "op":
            closing = f"the ')' that closes the '(' at character {opened + 1}"
            if token.kind == "end":
                raise self.error(f"Missing {closing}", token.pos)
            expected = "an operator, a ','" if in_call else "an operator"
            raise self.error(f"Expected {expected} or {closing}, not {token.text!r}", token.pos)

    def call(self, name_token: _Token) -> Node:
        name = name_token.text
        if name not in FUNCTIONS:
            raise self.error(f"Unknown function {name}()", name_token.pos)
        opening = self.advance()
        self.nest(opening.pos)
        args: list[Node] = []
        if self.peek().text == ")" and self.peek().kind == "op":
            self.advance()
        else:
            args.append(self.expression())
            while self.peek().kind == "op" and self.peek().text == ",":
                self.advance()
                args.append(self.expression())
            self.expect_close(opening.pos, in_call=True)
        self.nesting -= 1
        low, high = FUNCTIONS[name]
        if len(args) < low or (high is not None and len(args) > high):
            raise self.error(f"{name}() takes {_arity_text(low, high)}, not {len(args)}", name_token.pos)
        if name == "regex" and isinstance(args[1], Literal):
            _compile_regex(_string(args[1].value), args[1].pos, self.text)
        return Call(name_token.pos, name, tuple(args))


def _check_depth(node: Node, text: str) -> None:
    stack = [(node, 1)]
    while stack:
        current, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise ExpressionError(
                f"Expression nested too deeply (more than {MAX_DEPTH} levels)", position=current.pos, expression=text
            )
        stack.extend((child, depth + 1) for child in _children(current))


@lru_cache(maxsize=2048)
def _parse_text(text: str) -> Node:
    if len(text) > MAX_LENGTH:
        raise ExpressionError(f"Expression too long ({len(text)} characters, at most {MAX_LENGTH})")
    if not text.strip():
        raise ExpressionError("Empty expression")
    try:
        node = _Parser(text).parse()
    except RecursionError:  # only if the caller's own stack is already deep: the nesting limit keeps ours small
        raise ExpressionError(f"Expression nested too deeply (more than {MAX_DEPTH} levels)", expression=text) from None
    _check_depth(node, text)
    return node


def parse(expression: str) -> Node:
    """The tree of ``expression``; raises :class:`ExpressionError` with the position of the first problem."""
    if not isinstance(expression, str):
        raise ExpressionError(f"An expression is text, not {type(expression).__name__}")
    return _parse_text(expression)


def _as_node(node_or_text: Node | str) -> Node:
    return node_or_text if isinstance(node_or_text, Node) else parse(node_or_text)


def references(node_or_text: Node | str) -> set[str]:
    """The question names an expression reads (``${name}``; both names of ``${repeat}/field``)."""
    names: set[str] = set()
    stack = [_as_node(node_or_text)]
    while stack:
        node = stack.pop()
        if isinstance(node, Reference):
            names.add(node.name)
            if node.field is not None:
                names.add(node.field)
        stack.extend(_children(node))
    return names


# --- values and conversions ----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _NodeSet:
    """Several nodes: the instances of a repeat, or one field's values across them."""

    values: tuple[str, ...]

    def first(self) -> str:
        return self.values[0] if self.values else ""


Value = bool | float | str | _NodeSet

_NAN: Final = float("nan")
_NUMBER_RE: Final = re.compile(r"-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
_TEMPORAL_RE: Final = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})"
    r"(?:[T ]([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:\.([0-9]+))?)?(Z|[+-][0-9]{2}(?::?[0-9]{2})?)?)?"
)
_EPOCH_DATE: Final = dt.date(1970, 1, 1)
_EPOCH: Final = dt.datetime(1970, 1, 1)
_EPOCH_UTC: Final = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_MONTHS: Final = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_WEEKDAYS: Final = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def _number_to_string(number: float) -> str:
    if math.isnan(number):
        return "NaN"
    if math.isinf(number):
        return "Infinity" if number > 0 else "-Infinity"
    if number == 0:
        return "0"
    text = format(Decimal(repr(number)), "f")  # the shortest decimal that round-trips, without an exponent
    return text.rstrip("0").rstrip(".") if "." in text else text


def _string(value: object) -> str:
    """The text of a Python value given as an answer (what ODK would store)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _number_to_string(value)
    if isinstance(value, Decimal):
        return format(value, "f") if value.is_finite() else _number_to_string(float(value))
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, Mapping):  # a group or a repeat instance: its text is its fields' text, in order
        return "".join(_string(item) for item in value.values())
    if isinstance(value, Sequence | set | frozenset):  # a select_multiple given as a list
        return " ".join(text for text in (_string(item) for item in value) if text)
    return str(value)


def _value(answer: object) -> Value:
    return answer if isinstance(answer, _NodeSet) else _string(answer)


def _parse_temporal(text: str) -> dt.date | dt.datetime | None:
    match = _TEMPORAL_RE.fullmatch(text.strip())
    if match is None:
        return None
    year, month, day, hour, minute, second, fraction, offset = match.groups()
    try:
        if hour is None:
            return dt.date(int(year), int(month), int(day))
        zone = None
        if offset == "Z":
            zone = dt.UTC
        elif offset is not None:
            digits = offset[1:].replace(":", "")
            delta = dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:] or 0))
            zone = dt.timezone(-delta if offset[0] == "-" else delta)
        micro = int((fraction or "0")[:6].ljust(6, "0"))
        return dt.datetime(int(year), int(month), int(day), int(hour), int(minute), int(second or 0), micro, zone)
    except ValueError:
        return None


def _days(moment: dt.date | dt.datetime) -> float:
    """Days since 1970-01-01: whole for a date, fractional for a date-time (in UTC if it has an offset)."""
    if isinstance(moment, dt.datetime):
        since = moment - (_EPOCH_UTC if moment.tzinfo is not None else _EPOCH)
        return since.total_seconds() / 86400
    return float((moment - _EPOCH_DATE).days)


def _string_to_number(text: str) -> float:
    stripped = text.strip()
    if _NUMBER_RE.fullmatch(stripped):
        return float(stripped)
    moment = _parse_temporal(stripped)
    return _days(moment) if moment is not None else _NAN


def to_number(value: Any) -> float:
    """XPath ``number()``: NaN for ``''`` and for text that is neither a number nor an ISO date (days since 1970).

    Accepts the evaluator's values and Python answers alike (a list is a select_multiple, so its text is joined).
    """
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, float):
        return value
    if isinstance(value, int | Decimal):
        return float(value)
    if isinstance(value, _NodeSet):
        return _string_to_number(value.first())
    return _string_to_number(_string(value))


def to_string(value: Any) -> str:
    """XPath ``string()``: ``'true'``/``'false'``, numbers without a needless ``.0`` (``'3'``, ``'NaN'``), ..."""
    if isinstance(value, _NodeSet):
        return value.first()
    return _string(value)


def is_true(value: Any) -> bool:
    """XPath ``boolean()``: non-empty text, a number other than 0 and NaN, a non-empty node-set."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float | Decimal):
        number = float(value)
        return not math.isnan(number) and number != 0
    if isinstance(value, _NodeSet):
        return bool(value.values)
    return _string(value) != ""


def _is_null(value: Value) -> bool:
    if isinstance(value, _NodeSet):
        value = value.first()
    return value == "" or (isinstance(value, float) and math.isnan(value))


def _numbers_equal(a: float, b: float) -> bool:
    return a == b or abs(a - b) < 1e-12


def _compare_atoms(operator: str, a: Value, b: Value) -> bool:
    if operator in ("=", "!="):
        if isinstance(a, bool) or isinstance(b, bool):
            equal = is_true(a) == is_true(b)
        elif isinstance(a, float) or isinstance(b, float):
            equal = _numbers_equal(to_number(a), to_number(b))
        else:
            equal = to_string(a) == to_string(b)
        return equal if operator == "=" else not equal
    x, y = to_number(a), to_number(b)
    if operator == "<":
        return x < y
    if operator == "<=":
        return x <= y
    if operator == ">":
        return x > y
    return x >= y


def _compare(operator: str, a: Value, b: Value) -> bool:
    """XPath 1.0 comparison: a node-set compares true if one of its nodes does."""
    if isinstance(a, _NodeSet) and isinstance(b, _NodeSet):
        return any(_compare_atoms(operator, x, y) for x in a.values for y in b.values)
    if isinstance(a, _NodeSet):
        if isinstance(b, bool):
            return _compare_atoms(operator, is_true(a), b)
        return any(_compare_atoms(operator, x, b) for x in a.values)
    if isinstance(b, _NodeSet):
        if isinstance(a, bool):
            return _compare_atoms(operator, a, is_true(b))
        return any(_compare_atoms(operator, a, y) for y in b.values)
    return _compare_atoms(operator, a, b)


def _divide(a: float, b: float) -> float:
    if b == 0:
        if a == 0 or math.isnan(a) or math.isnan(b):
            return _NAN
        return math.copysign(math.inf, a) * math.copysign(1.0, b)
    return a / b


def _modulo(a: float, b: float) -> float:
    """XPath ``mod``: the remainder of a truncating division, with the sign of the dividend (``-7 mod 3 = -1``)."""
    try:
        return math.fmod(a, b)
    except ValueError:  # x mod 0, infinity mod x
        return _NAN


def _arithmetic(operator: str, a: float, b: float) -> float:
    if operator == "+":
        return a + b
    if operator == "-":
        return a - b
    if operator == "*":
        return a * b
    if operator == "div":
        return _divide(a, b)
    return _modulo(a, b)


def _truncate(number: float) -> float:
    if not math.isfinite(number):
        return number
    return float(math.trunc(number)) or math.copysign(0.0, number)


def _index(number: float) -> int:
    """A number as a Java ``int`` index: NaN is 0, infinities and huge values are clamped."""
    if math.isnan(number):
        return 0
    return int(max(-(2**31), min(2**31 - 1, number)))


def _round(number: float, places: float) -> float:
    """ODK ``round()``: halves towards positive infinity (``round(2.5) = 3``, ``round(-2.5) = -2``)."""
    if not math.isfinite(number):
        return number
    if math.isnan(places) or abs(places) > 30:
        return _NAN
    digits = int(places)
    rounding = ROUND_HALF_UP if number >= 0 else ROUND_HALF_DOWN
    with localcontext() as context:
        context.prec = 400
        try:
            return float(Decimal(repr(number)).quantize(Decimal(1).scaleb(-digits), rounding=rounding))
        except InvalidOperation:
            return number


def _power(base: float, exponent: float) -> float:
    try:
        return math.pow(base, exponent)
    except OverflowError:
        return math.inf if base > 0 or exponent % 2 != 1 else -math.inf
    except ValueError:  # 0 to a negative power, or a negative number to a fractional one
        return math.inf if base == 0 else _NAN


@lru_cache(maxsize=512)
def _regex(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def _compile_regex(pattern: str, position: int | None, expression: str | None) -> re.Pattern[str]:
    if len(pattern) > MAX_REGEX_LENGTH:
        raise ExpressionError(
            f"Regular expression too long ({len(pattern)} characters, at most {MAX_REGEX_LENGTH})",
            position=position,
            expression=expression,
        )
    try:
        return _regex(pattern)
    except (re.error, RecursionError, OverflowError) as error:
        raise ExpressionError(
            f"Invalid regular expression {pattern!r}: {error}", position=position, expression=expression
        ) from None


def _format_date(moment: dt.date | dt.datetime, layout: str) -> str:
    """ODK ``format-date()``: %Y %y %m %n %b %d %e %a, and %H %h %M %S %3 for a time; other text is kept."""
    hour, minute, second, milli = 0, 0, 0, 0
    if isinstance(moment, dt.datetime):
        hour, minute, second, milli = moment.hour, moment.minute, moment.second, moment.microsecond // 1000
    codes = {
        "Y": f"{moment.year:04d}",
        "y": f"{moment.year % 100:02d}",
        "m": f"{moment.month:02d}",
        "n": str(moment.month),
        "b": _MONTHS[moment.month - 1],
        "d": f"{moment.day:02d}",
        "e": str(moment.day),
        "a": _WEEKDAYS[moment.weekday()],
        "H": f"{hour:02d}",
        "h": str(hour),
        "M": f"{minute:02d}",
        "S": f"{second:02d}",
        "3": f"{milli:03d}",
        "%": "%",
    }
    out: list[str] = []
    index = 0
    while index < len(layout):
        code = layout[index + 1 : index + 2] if layout[index] == "%" else ""
        if code in codes and code:
            out.append(codes[code])
            index += 2
        else:
            out.append(layout[index])
            index += 1
    return "".join(out)


# --- the interpreter -----------------------------------------------------------------------------------------------


class _Evaluator:
    def __init__(
        self,
        answers: Mapping[str, Any],
        current: Any,
        repeats: Mapping[str, Sequence[Mapping[str, Any]]],
        today: dt.date,
        now: dt.datetime,
        expression: str | None,
    ) -> None:
        self.answers = answers
        self.current = current
        self.repeats = repeats
        self.today = today
        self.now = now
        self.expression = expression

    def error(self, message: str, node: Node) -> ExpressionError:
        return ExpressionError(message, position=node.pos, expression=self.expression)

    def eval(self, node: Node) -> Value:
        if isinstance(node, Literal):
            return node.value
        if isinstance(node, Reference):
            found = self.resolve(node)
            return "" if found is None else found
        if isinstance(node, Operation):
            return self.operation(node)
        if isinstance(node, Call):
            return _IMPLEMENTATIONS[node.name](self, node)
        if isinstance(node, Negate):
            return -to_number(self.eval(node.operand))
        if isinstance(node, Current):
            return _value(self.current)
        raise self.error(f"Unsupported expression {type(node).__name__}", node)

    def resolve(self, ref: Reference) -> Value | None:
        """The value of a reference, or ``None`` if no such question or repeat is known."""
        if ref.field is not None:
            instances = self.repeats.get(ref.name)
            if instances is None:
                return None
            return _NodeSet(tuple(_string(instance.get(ref.field)) for instance in instances))
        if ref.name in self.answers:
            return _value(self.answers[ref.name])
        if ref.name in self.repeats:
            return _NodeSet(tuple(_string(instance) for instance in self.repeats[ref.name]))
        for instances in self.repeats.values():
            if any(ref.name in instance for instance in instances):
                return _NodeSet(tuple(_string(instance.get(ref.name)) for instance in instances))
        return None

    def operation(self, node: Operation) -> Value:
        first = node.operators[0]
        if first in ("and", "or"):
            wanted = first == "or"  # short-circuit: the first operand that decides
            for operand in node.operands:
                if is_true(self.eval(operand)) == wanted:
                    return wanted
            return not wanted
        if _PRECEDENCE[first] in (3, 4):
            left: Value = self.eval(node.operands[0])
            for operator, operand in zip(node.operators, node.operands[1:], strict=True):
                left = _compare(operator, left, self.eval(operand))
            return left
        total = to_number(self.eval(node.operands[0]))
        for operator, operand in zip(node.operators, node.operands[1:], strict=True):
            total = _arithmetic(operator, total, to_number(self.eval(operand)))
        return total

    def items(self, node: Node) -> Iterator[str | float | bool]:
        """The values a node contributes to ``sum()``, ``min()``, ``max()``: each node of a node-set."""
        value = self.resolve(node) if isinstance(node, Reference) else self.eval(node)
        if value is None:
            return
        if isinstance(value, _NodeSet):
            yield from value.values
        else:
            yield value

    def numbers(self, nodes: Sequence[Node]) -> list[float]:
        """The numbers among the values, NaN (empty answers, text) skipped, as ODK does."""
        return [n for node in nodes for n in map(to_number, self.items(node)) if not math.isnan(n)]

    def temporal(self, node: Node, function: str, *, keep_time: bool) -> dt.date | dt.datetime | None:
        """A date (or date-time) from a number of days or an ISO text; ``None`` for '' and NaN."""
        value = self.eval(node)
        if isinstance(value, _NodeSet):
            value = value.first()
        if isinstance(value, str):
            text = value.strip()
            if text == "":
                return None
            if not _NUMBER_RE.fullmatch(text):
                moment = _parse_temporal(text)
                if moment is None:
                    raise self.error(f"{function}(): {value!r} is not a date", node)
                return moment
            value = float(text)
        if isinstance(value, bool):
            raise self.error(f"{function}(): a boolean is not a date", node)
        if math.isnan(value):
            return None
        days = value if keep_time else _truncate(value)
        try:
            if not -719_162 <= days < 2_932_897:
                raise OverflowError
            moment = _EPOCH + dt.timedelta(days=days)
        except OverflowError:
            raise self.error(
                f"{function}(): {_number_to_string(value)} days is out of range for a date", node
            ) from None
        return moment if keep_time else moment.date()


_Implementation = Callable[[_Evaluator, Call], Value]


def _selected(ev: _Evaluator, call: Call) -> Value:
    choices = to_string(ev.eval(call.args[0])).split()
    return to_string(ev.eval(call.args[1])).strip() in choices


def _count_selected(ev: _Evaluator, call: Call) -> Value:
    return float(len(to_string(ev.eval(call.args[0])).split()))


def _selected_at(ev: _Evaluator, call: Call) -> Value:
    choices = to_string(ev.eval(call.args[0])).split()
    index = _truncate(to_number(ev.eval(call.args[1])))
    return choices[int(index)] if 0 <= index < len(choices) else ""


def _if(ev: _Evaluator, call: Call) -> Value:
    condition, then, otherwise = call.args
    return ev.eval(then) if is_true(ev.eval(condition)) else ev.eval(otherwise)


def _argument_or_current(ev: _Evaluator, call: Call) -> Value:
    return ev.eval(call.args[0]) if call.args else _value(ev.current)


def _string_length(ev: _Evaluator, call: Call) -> Value:
    return float(len(to_string(_argument_or_current(ev, call))))


def _regex_match(ev: _Evaluator, call: Call) -> Value:
    text = to_string(ev.eval(call.args[0]))
    pattern = _compile_regex(to_string(ev.eval(call.args[1])), call.args[1].pos, ev.expression)
    return pattern.fullmatch(text) is not None  # ODK: the whole value must match (Java's Pattern.matches)


def _today(ev: _Evaluator, call: Call) -> Value:
    return ev.today.isoformat()


def _now(ev: _Evaluator, call: Call) -> Value:
    return ev.now.isoformat(timespec="milliseconds")


def _date(ev: _Evaluator, call: Call) -> Value:
    moment = ev.temporal(call.args[0], "date", keep_time=False)
    if moment is None:
        return ""
    return (moment.date() if isinstance(moment, dt.datetime) else moment).isoformat()


def _decimal_date_time(ev: _Evaluator, call: Call) -> Value:
    moment = ev.temporal(call.args[0], "decimal-date-time", keep_time=True)
    if moment is None:
        return ""
    return _days(moment)


def _format_date_call(ev: _Evaluator, call: Call) -> Value:
    moment = ev.temporal(call.args[0], "format-date", keep_time=True)
    if moment is None:
        return ""
    return _format_date(moment, to_string(ev.eval(call.args[1])))


def _int(ev: _Evaluator, call: Call) -> Value:
    return _truncate(to_number(ev.eval(call.args[0])))


def _number(ev: _Evaluator, call: Call) -> Value:
    return to_number(_argument_or_current(ev, call))


def _string_call(ev: _Evaluator, call: Call) -> Value:
    return to_string(_argument_or_current(ev, call))


def _boolean(ev: _Evaluator, call: Call) -> Value:
    return is_true(ev.eval(call.args[0]))


def _round_call(ev: _Evaluator, call: Call) -> Value:
    places = to_number(ev.eval(call.args[1])) if len(call.args) > 1 else 0.0
    return _round(to_number(ev.eval(call.args[0])), places)


def _concat(ev: _Evaluator, call: Call) -> Value:
    parts: list[str] = []
    for arg in call.args:
        value = ev.eval(arg)
        parts.append("".join(value.values) if isinstance(value, _NodeSet) else to_string(value))
    return "".join(parts)


def _substr(ev: _Evaluator, call: Call) -> Value:
    """ODK ``substr(text, start, end)``: 0-based, ``end`` excluded, negative indices count from the end."""
    text = to_string(ev.eval(call.args[0]))
    length = len(text)
    start = _index(to_number(ev.eval(call.args[1])))
    end = _index(to_number(ev.eval(call.args[2]))) if len(call.args) > 2 else length
    start = start + length if start < 0 else start
    end = end + length if end < 0 else end
    start, end = min(max(0, start), length), min(max(0, end), length)
    return text[start:end] if start <= end else ""


def _contains(ev: _Evaluator, call: Call) -> Value:
    return to_string(ev.eval(call.args[1])) in to_string(ev.eval(call.args[0]))


def _starts_with(ev: _Evaluator, call: Call) -> Value:
    return to_string(ev.eval(call.args[0])).startswith(to_string(ev.eval(call.args[1])))


def _ends_with(ev: _Evaluator, call: Call) -> Value:
    return to_string(ev.eval(call.args[0])).endswith(to_string(ev.eval(call.args[1])))


def _coalesce(ev: _Evaluator, call: Call) -> Value:
    first = ev.eval(call.args[0])
    return ev.eval(call.args[1]) if _is_null(first) else first


def _not(ev: _Evaluator, call: Call) -> Value:
    return not is_true(ev.eval(call.args[0]))


def _count(ev: _Evaluator, call: Call) -> Value:
    arg = call.args[0]
    if isinstance(arg, Reference):
        found = ev.resolve(arg)
        if found is None:
            return 0.0
        return float(len(found.values)) if isinstance(found, _NodeSet) else 1.0
    value = ev.eval(arg)
    if isinstance(value, _NodeSet):
        return float(len(value.values))
    raise ev.error("count() counts the instances of a repeat: write count(${repeat_name})", arg)


def _sum(ev: _Evaluator, call: Call) -> Value:
    return float(sum(ev.numbers(call.args)))


def _min(ev: _Evaluator, call: Call) -> Value:
    numbers = ev.numbers(call.args)
    return min(numbers) if numbers else _NAN


def _max(ev: _Evaluator, call: Call) -> Value:
    numbers = ev.numbers(call.args)
    return max(numbers) if numbers else _NAN


def _once(ev: _Evaluator, call: Call) -> Value:
    current = _value(ev.current)
    return ev.eval(call.args[0]) if _is_null(current) else current


def _uuid(ev: _Evaluator, call: Call) -> Value:
    return str(uuid.uuid4())


def _pow(ev: _Evaluator, call: Call) -> Value:
    return _power(to_number(ev.eval(call.args[0])), to_number(ev.eval(call.args[1])))


def _abs(ev: _Evaluator, call: Call) -> Value:
    return abs(to_number(ev.eval(call.args[0])))


def _floor(ev: _Evaluator, call: Call) -> Value:
    number = to_number(ev.eval(call.args[0]))
    return float(math.floor(number)) if math.isfinite(number) else number


def _ceiling(ev: _Evaluator, call: Call) -> Value:
    number = to_number(ev.eval(call.args[0]))
    return float(math.ceil(number)) if math.isfinite(number) else number


def _true(ev: _Evaluator, call: Call) -> Value:
    return True


def _false(ev: _Evaluator, call: Call) -> Value:
    return False


_IMPLEMENTATIONS: Final[Mapping[str, _Implementation]] = {
    "abs": _abs,
    "boolean": _boolean,
    "ceiling": _ceiling,
    "coalesce": _coalesce,
    "concat": _concat,
    "contains": _contains,
    "count": _count,
    "count-selected": _count_selected,
    "date": _date,
    "decimal-date-time": _decimal_date_time,
    "ends-with": _ends_with,
    "false": _false,
    "floor": _floor,
    "format-date": _format_date_call,
    "if": _if,
    "int": _int,
    "max": _max,
    "min": _min,
    "not": _not,
    "now": _now,
    "number": _number,
    "once": _once,
    "pow": _pow,
    "regex": _regex_match,
    "round": _round_call,
    "selected": _selected,
    "selected-at": _selected_at,
    "starts-with": _starts_with,
    "string": _string_call,
    "string-length": _string_length,
    "substr": _substr,
    "sum": _sum,
    "today": _today,
    "true": _true,
    "uuid": _uuid,
}
if set(_IMPLEMENTATIONS) != set(FUNCTIONS):  # pragma: no cover - a check on this module's own tables
    raise RuntimeError("FUNCTIONS and _IMPLEMENTATIONS disagree")


# --- the API -------------------------------------------------------------------------------------------------------


def evaluate(
    node_or_text: Node | str,
    *,
    answers: Mapping[str, Any],
    current: Any = None,
    repeats: Mapping[str, Sequence[Mapping[str, Any]]] | None = None,
    today: dt.date | None = None,
    now: dt.datetime | None = None,
) -> Any:
    """The value of an expression: ``bool``, ``float``, ``str``, or a ``list`` of strings for a node-set.

    ``answers`` maps question names to answers, ``current`` is the answer ``.`` stands for, ``repeats`` maps each
    repeat's name to its instances (each a mapping of its fields' answers). ``today`` and ``now`` fix the clock
    (``today`` defaults to ``now``'s date, ``now`` to the local time). Raises :class:`ExpressionError`, and nothing
    else, for any problem in the expression.
    """
    node = _as_node(node_or_text)
    expression = node_or_text if isinstance(node_or_text, str) else None
    if isinstance(today, dt.datetime):
        today = today.date()
    clock = now if now is not None else dt.datetime.now().astimezone()
    day = today if today is not None else (now.date() if now is not None else dt.date.today())
    evaluator = _Evaluator(answers, current, repeats or {}, day, clock, expression)
    try:
        value = evaluator.eval(node)
    except ExpressionError:
        raise
    except (ArithmeticError, ValueError, TypeError, LookupError, AttributeError, RecursionError, re.error) as error:
        raise ExpressionError(f"Could not evaluate the expression: {error}", expression=expression) from error
    return list(value.values) if isinstance(value, _NodeSet) else value


def _blank(expression: Node | str) -> bool:
    return isinstance(expression, str) and not expression.strip()


def is_relevant(
    expression: Node | str | None,
    answers: Mapping[str, Any],
    *,
    current: Any = None,
    repeats: Mapping[str, Sequence[Mapping[str, Any]]] | None = None,
    today: dt.date | None = None,
    now: dt.datetime | None = None,
) -> bool:
    """Whether a question or group is shown: a blank ``relevant`` means always."""
    if expression is None or _blank(expression):
        return True
    value = evaluate(expression, answers=answers, current=current, repeats=repeats, today=today, now=now)
    return is_true(value)


def satisfies(
    constraint: Node | str | None,
    value: Any,
    answers: Mapping[str, Any],
    *,
    repeats: Mapping[str, Sequence[Mapping[str, Any]]] | None = None,
    today: dt.date | None = None,
    now: dt.datetime | None = None,
) -> bool:
    """Whether ``value`` passes a question's ``constraint`` (``.`` is ``value``).

    As in ODK, a blank constraint, and an empty answer, always pass: whether an answer is needed is ``required``'s
    business.
    """
    if constraint is None or _blank(constraint) or _string(value) == "":
        return True
    result = evaluate(constraint, answers=answers, current=value, repeats=repeats, today=today, now=now)
    return is_true(result)
