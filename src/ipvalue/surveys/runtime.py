"""A questionnaire at work: which questions are shown, which answers are accepted, what is still missing.

Given a form (:class:`ipvalue.surveys.xlsform.Questionnaire`) and the answers given so far, this module

* cleans incoming answers one by one (:func:`clean_answers`): each is converted to its type (text, whole number,
  decimal, date, choice names...), checked against its ``constraint`` with the other answers as context, and kept
  or refused with a message in the respondent's language; a refused answer never removes the one already saved;
* works out what is shown (:func:`walk`): ``relevant`` of groups and questions, per instance inside repeats, labels
  with ``${name}`` replaced by the answers, choices narrowed by ``choice_filter``;
* fills in ``calculate`` fields (:func:`compute`), and lists what stops a submission (:func:`submission_errors`):
  required questions left empty and answers no longer valid.

Answers are a mapping of question names (groups are transparent, as in ODK's ``${name}``) to values; a repeat is a
list of mappings, one per instance. Paths name one answer: ``"country_name"``, ``"case_studies/0/title"`` (0-based
instance index). No database access: the services store what this module returns.
"""

from __future__ import annotations

import datetime as dt
import itertools
import logging
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from pyxform.question_type_dictionary import QUESTION_TYPE_DICT

from ipvalue.surveys import expressions
from ipvalue.surveys.xlsform import DEFAULT_LANGUAGE, Group, Question, Questionnaire, Repeat, Translations

logger = logging.getLogger(__name__)

#: Types whose answers a respondent types or picks (the others are shown, computed or recorded by the device).
TEXT_TYPES = {"text", "barcode", "geopoint", "geotrace", "geoshape", "osm"}
NUMBER_TYPES = {"integer", "decimal", "range"}
SELECT_TYPES = {"select_one", "select_multiple", "rank", "select_one_from_file", "select_multiple_from_file"}
FILE_TYPES = {"file", "image", "photo", "big-image", "audio", "video", "background-audio"}  # pyxform: image is "photo"
DATE_TYPES = {"date", "time", "dateTime"}
ANSWERABLE_TYPES = TEXT_TYPES | NUMBER_TYPES | SELECT_TYPES | DATE_TYPES | {"acknowledge", "select_one_external"}
#: Types that hold no respondent input: shown text, computed values, and device metadata ODK fills in.
DISPLAY_TYPES = {"note"}
COMPUTED_TYPES = {"calculate"}
#: Rows with no control in the XForm: values a device records (start, end, today, deviceid, username, email, audit...)
#: or hidden values. They are neither shown nor answerable on the web.
METADATA_TYPES = {
    name for name, definition in QUESTION_TYPE_DICT.items() if not definition.get("control", {}).get("tag")
} - COMPUTED_TYPES

MAX_TEXT_LENGTH = 10_000
MAX_REPEAT_INSTANCES = 200
_INTEGER_RE = re.compile(r"^[+-]?\d+$")
_DECIMAL_RE = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$")
_REFERENCE_RE = re.compile(r"\$\{([^}\s]+)\}")
_TIME_RE = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d)(?:\.\d+)?)?$")


# --------------------------------------------------------------------------------------------------------- languages


@dataclass(frozen=True)
class FormLanguage:
    """A language a respondent can pick: its code (``ru``) and its name as the form writes it (``Русский``)."""

    code: str
    name: str
    key: str


class Texts:
    """Picks the text of the respondent's language out of a form's translations, with fallbacks."""

    def __init__(self, form: Questionnaire, language: str | None) -> None:
        self.form = form
        self.keys = [item.key for item in form.languages]
        self.key = self.language_key(language)
        self.fallbacks = [key for key in (form.default_language, DEFAULT_LANGUAGE, "English (en)") if key]

    def language_key(self, code: str | None) -> str | None:
        """The column key of the form's language matching ``code`` (``ru``, ``zh-hans``), or None."""
        if not code:
            return None
        wanted = code.lower().replace("_", "-")
        for item in self.form.languages:
            if item.code and item.code.lower().replace("_", "-") == wanted:
                return item.key
        base = wanted.split("-")[0]
        for item in self.form.languages:
            if item.code and item.code.lower().split("-")[0].split("_")[0] == base:
                return item.key
        for item in self.form.languages:
            if item.key.lower() == wanted or item.name.lower() == wanted:
                return item.key
        return None

    def __call__(self, texts: Translations | None) -> str:
        if not texts:
            return ""
        for key in (self.key, *self.fallbacks):
            if key and texts.get(key):
                return texts[key]
        return next((text for text in texts.values() if text), "")


def form_languages(form: Questionnaire) -> list[FormLanguage]:
    """The languages with a code, which a respondent can choose (``label::Русский (ru)`` gives ``ru``)."""
    return [FormLanguage(code=item.code, name=item.name, key=item.key) for item in form.languages if item.code]


def response_language(form: Questionnaire, wanted: Iterable[str | None]) -> str:
    """The first of ``wanted`` codes the form has, else the form's default language's code, else ``en``."""
    texts = Texts(form, None)
    codes = {item.key: item.code for item in form.languages if item.code}
    for code in wanted:
        key = texts.language_key(code)
        if key and key in codes:
            return str(codes[key])
    if form.default_language:
        key = texts.language_key(form.default_language) or form.default_language
        if codes.get(key):
            return str(codes[key])
    return next(iter(codes.values()), "en")


# --------------------------------------------------------------------------------------------------------- the walk


@dataclass
class Item:
    """One element of the form as shown to a respondent, under the current answers."""

    node: Question | Group | Repeat
    path: str
    visible: bool
    label: str = ""
    hint: str = ""
    required: bool = False
    value: Any = None
    choices: list[tuple[str, str]] = field(default_factory=list)
    children: list[Item] = field(default_factory=list)
    instances: list[list[Item]] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.node.name

    @property
    def kind(self) -> str:
        return self.node.kind

    @property
    def type(self) -> str:
        return self.node.type if isinstance(self.node, Question) else self.node.kind

    @property
    def index(self) -> int | None:
        """The instance index of an item inside a repeat, from its path."""
        parts = self.path.split("/")
        return int(parts[-2]) if len(parts) >= 3 and parts[-2].isdigit() else None


@dataclass
class Context:
    """What an expression sees: the answers outside repeats, the repeats' instances, and the current instance."""

    answers: dict[str, Any]
    repeats: dict[str, list[Mapping[str, Any]]]
    today: dt.date

    def inside(self, instance: Mapping[str, Any], repeat_names: set[str], fields: Iterable[str] = ()) -> Context:
        """The context inside one instance of a repeat; ``fields`` (the repeat's questions) not answered in it are
        empty there, rather than the node-set of the other instances' answers."""
        flat = dict(self.answers)
        flat.update(dict.fromkeys(fields))
        repeats = dict(self.repeats)
        for key, value in instance.items():
            if key in repeat_names and isinstance(value, list):
                repeats[key] = value
            else:
                flat[key] = value
        return Context(flat, repeats, self.today)


def repeat_names(nodes: Iterable[Question | Group | Repeat]) -> set[str]:
    names: set[str] = set()
    for node in nodes:
        if isinstance(node, Repeat):
            names.add(node.name)
            names |= repeat_names(node.children)
        elif isinstance(node, Group):
            names |= repeat_names(node.children)
    return names


def _instance_fields(repeat: Repeat) -> list[str]:
    """The names of the questions of one instance of ``repeat`` (inside its groups, not its inner repeats)."""
    return [name for name, node in _index_nodes(repeat.children).items() if isinstance(node, Question)]


def make_context(form: Questionnaire, answers: Mapping[str, Any], today: dt.date | None = None) -> Context:
    names = repeat_names(form.children)
    flat = {key: value for key, value in answers.items() if key not in names}
    repeats = {key: value for key, value in answers.items() if key in names and isinstance(value, list)}
    return Context(flat, repeats, today or dt.date.today())


def _safe_relevant(expression: str | None, context: Context, where: str) -> bool:
    try:
        return expressions.is_relevant(expression, context.answers, repeats=context.repeats, today=context.today)
    except expressions.ExpressionError as error:
        logger.warning("relevant of %s could not be evaluated (%s): shown", where, error)
        return True


def _safe_required(required: bool | str, context: Context, where: str) -> bool:
    if isinstance(required, bool):
        return required
    try:
        return expressions.is_true(
            expressions.evaluate(required, answers=context.answers, repeats=context.repeats, today=context.today)
        )
    except expressions.ExpressionError as error:
        logger.warning("required of %s could not be evaluated (%s): required", where, error)
        return True


def interpolate(text: str, context: Context) -> str:
    """Replace ``${name}`` in a label with the answer to ``name`` (as ODK's ``<output>`` does)."""
    if "${" not in text:
        return text

    def answer(match: re.Match[str]) -> str:
        value = context.answers.get(match.group(1))
        if value is None and match.group(1) in context.repeats:
            return str(len(context.repeats[match.group(1)]))
        return expressions.to_string(value) if value is not None else ""

    return _REFERENCE_RE.sub(answer, text)


#: Prefix under which a choice's columns are given to its ``choice_filter`` (apart from the answers' names).
_CHOICE_COLUMN = "__choice__."


def _choice_filter_expression(text: str) -> str:
    """``choice_filter`` as the evaluator reads it: a bare name is a column of the choice (``name``, ``country``),
    as in XLSForm (``country = ${country}``), and becomes a reference to that column; ``${...}`` stay answers."""
    try:
        tokens = expressions._tokenize(text)
    except expressions.ExpressionError:
        return text  # refused (and logged) when evaluated
    parts: list[str] = []
    end = 0
    for token, following in itertools.pairwise(tokens):
        is_call = following.kind == "op" and following.text == "("
        if token.kind == "name" and not is_call and token.text not in expressions._OPERATOR_WORDS:
            parts += [text[end : token.pos], f"${{{_CHOICE_COLUMN}{token.text}}}"]
            end = token.pos + len(token.text)
    return "".join([*parts, text[end:]])


def choices_for(question: Question, texts: Texts, context: Context) -> list[tuple[str, str]]:
    """``(name, label)`` of the choices on offer, narrowed by the question's ``choice_filter``."""
    if question.choices is None:
        return []
    offered: list[tuple[str, str]] = []
    choice_filter = _choice_filter_expression(question.choice_filter) if question.choice_filter else None
    for choice in question.choices.options:
        if choice_filter:
            columns = {**choice.extra, "name": choice.name}
            scope = {**context.answers, **{f"{_CHOICE_COLUMN}{key}": value for key, value in columns.items()}}
            try:
                if not expressions.is_true(
                    expressions.evaluate(choice_filter, answers=scope, repeats=context.repeats, today=context.today)
                ):
                    continue
            except expressions.ExpressionError as error:
                logger.warning("choice_filter of %s could not be evaluated (%s)", question.name, error)
        offered.append((choice.name, texts(choice.label) or choice.name))
    return offered


def walk(
    form: Questionnaire, answers: Mapping[str, Any], language: str | None, *, today: dt.date | None = None
) -> list[Item]:
    """The form as a tree of :class:`Item`, under ``answers``, in ``language``."""
    texts = Texts(form, language)
    context = make_context(form, answers, today)
    names = repeat_names(form.children)
    return _walk(form.children, answers, context, texts, names, prefix="", parent_visible=True)


def _walk(
    nodes: Iterable[Question | Group | Repeat],
    scope: Mapping[str, Any],
    context: Context,
    texts: Texts,
    names: set[str],
    *,
    prefix: str,
    parent_visible: bool,
) -> list[Item]:
    items: list[Item] = []
    for node in nodes:
        path = f"{prefix}{node.name}"
        visible = parent_visible and _safe_relevant(node.relevant, context, path)
        item = Item(
            node=node,
            path=path,
            visible=visible,
            label=interpolate(texts(node.label), context),
            hint=interpolate(texts(node.hint), context),
        )
        if isinstance(node, Group):
            item.children = _walk(node.children, scope, context, texts, names, prefix=prefix, parent_visible=visible)
        elif isinstance(node, Repeat):
            instances = scope.get(node.name)
            fields = _instance_fields(node)
            for index, instance in enumerate(instances if isinstance(instances, list) else []):
                inner = context.inside(instance if isinstance(instance, Mapping) else {}, names, fields)
                item.instances.append(
                    _walk(
                        node.children,
                        instance if isinstance(instance, Mapping) else {},
                        inner,
                        texts,
                        names,
                        prefix=f"{path}/{index}/",
                        parent_visible=visible,
                    )
                )
            item.children = _walk(
                node.children,
                {},
                context.inside({}, names, fields),
                texts,
                names,
                prefix=f"{path}/__new__/",
                parent_visible=visible,
            )
        else:
            item.required = _safe_required(node.required, context, path)
            item.value = scope.get(node.name)
            if node.type in SELECT_TYPES:
                item.choices = choices_for(node, texts, context)
        items.append(item)
    return items


def iter_items(items: Iterable[Item], *, instances: bool = True) -> Iterator[Item]:
    """Every item of a tree, depth first in form order (inside each repeat instance too)."""
    for item in items:
        yield item
        yield from iter_items(item.children if not isinstance(item.node, Repeat) else [], instances=instances)
        if instances:
            for instance in item.instances:
                yield from iter_items(instance, instances=instances)


# --------------------------------------------------------------------------------------------------------- cleaning


class AnswerError(ValueError):
    """An answer that cannot be kept, with the reason in the respondent's language."""


def _number_text(raw: Any) -> str:
    text = str(raw).strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    if text.count(",") == 1 and "." not in text:
        text = text.replace(",", ".")
    return text


def _to_integer(raw: Any) -> int:
    if isinstance(raw, bool):
        raise AnswerError(_("Enter a whole number."))
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float) and raw.is_integer():
        return int(raw)
    text = _number_text(raw)
    if not _INTEGER_RE.match(text) or len(text) > 18:
        raise AnswerError(_("Enter a whole number."))
    return int(text)


def _to_decimal(raw: Any) -> float:
    if isinstance(raw, bool):
        raise AnswerError(_("Enter a number."))
    if isinstance(raw, int | float):
        number = float(raw)
    else:
        text = _number_text(raw)
        if not _DECIMAL_RE.match(text) or len(text) > 40:
            raise AnswerError(_("Enter a number, such as 12.5."))
        number = float(text)
    if number != number or number in (float("inf"), float("-inf")):
        raise AnswerError(_("Enter a number, such as 12.5."))
    return number


def _to_date(raw: Any, kind: str) -> str:
    text = str(raw).strip()
    try:
        if kind == "date":
            return dt.date.fromisoformat(text[:10] if len(text) > 10 and text[10] in "T " else text).isoformat()
        if kind == "time":
            if not _TIME_RE.match(text):
                raise ValueError(text)
            return text
        return dt.datetime.fromisoformat(text).isoformat()
    except ValueError:
        messages = {
            "date": _("Enter a date as YYYY-MM-DD."),
            "time": _("Enter a time as HH:MM."),
            "dateTime": _("Enter a date and time as YYYY-MM-DDTHH:MM."),
        }
        raise AnswerError(messages[kind]) from None


def _choice_names(raw: Any) -> list[str]:
    if isinstance(raw, str):
        return [part for part in raw.split() if part]
    if isinstance(raw, list | tuple):
        return [str(part) for part in raw if str(part)]
    raise AnswerError(_("Choose from the list."))


def clean_value(question: Question, raw: Any, offered: list[tuple[str, str]] | None) -> Any:
    """The answer to ``question`` as stored, from what the respondent gave; raises :class:`AnswerError`.

    An empty answer (``None``, ``""``, ``[]``) clears the question and is returned as ``None``.
    """
    kind = question.type
    if kind in COMPUTED_TYPES or kind in DISPLAY_TYPES or kind in METADATA_TYPES:
        raise AnswerError(_("This item is not a question and takes no answer."))
    if kind in FILE_TYPES:
        raise AnswerError(_("Attach the file on the questionnaire's page."))
    if raw is None or raw == "" or raw == [] or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, dict):
        raise AnswerError(_("Give a single answer, not an object."))
    if kind in NUMBER_TYPES:
        number: int | float = _to_integer(raw) if kind == "integer" else _to_decimal(raw)
        if kind == "range":
            _check_range(question, float(number))
        return number
    if kind in DATE_TYPES:
        return _to_date(raw, kind)
    if kind == "acknowledge":
        if raw is True or str(raw).strip().lower() in {"ok", "true", "1", "on", "yes"}:
            return "OK"
        if raw is False or str(raw).strip().lower() in {"false", "0", "off", "no"}:
            return None
        raise AnswerError(_("Tick the box to acknowledge."))
    if kind in SELECT_TYPES or kind == "select_one_external":
        names = _choice_names(raw)
        if question.choices is not None and question.choices.options:
            allowed = (
                {name for name, _label in offered}
                if offered is not None
                else {choice.name for choice in question.choices.options}
            )
            unknown = [name for name in names if name not in allowed]
            if unknown:
                raise AnswerError(_("“%(choice)s” is not one of the choices.") % {"choice": unknown[0][:100]})
        if kind in {"select_one", "select_one_from_file", "select_one_external"}:
            if len(names) != 1:
                raise AnswerError(_("Choose one answer."))
            return names[0]
        return list(dict.fromkeys(names))
    if isinstance(raw, list):
        raise AnswerError(_("Give a single answer, not a list."))
    text = raw if isinstance(raw, str) else expressions.to_string(raw)
    if len(text) > MAX_TEXT_LENGTH:
        limit = number_format(MAX_TEXT_LENGTH, force_grouping=True)
        raise AnswerError(_("Keep the answer under %(limit)s characters.") % {"limit": limit})
    return text


def _check_range(question: Question, number: float) -> None:
    try:
        start = float(question.parameters.get("start", 1))
        end = float(question.parameters.get("end", 10))
    except ValueError:
        return
    low, high = min(start, end), max(start, end)
    if not low <= number <= high:
        raise AnswerError(_("Enter a number between %(low)s and %(high)s.") % {"low": f"{low:g}", "high": f"{high:g}"})


def constraint_message(question: Question, texts: Texts) -> str:
    return texts(question.constraint_message) or _("This answer is not valid.")


def required_message(question: Question, texts: Texts) -> str:
    return texts(question.required_message) or _("This question needs an answer.")


@dataclass
class CleanResult:
    """What :func:`clean_answers` kept (all the answers after the change) and refused (path -> message)."""

    answers: dict[str, Any]
    errors: dict[str, str]
    changed: bool


def _index_nodes(nodes: Iterable[Question | Group | Repeat]) -> dict[str, Question | Repeat]:
    """Questions and repeats by name, at one level (groups are transparent, repeats are not entered)."""
    index: dict[str, Question | Repeat] = {}
    for node in nodes:
        if isinstance(node, Group):
            index.update(_index_nodes(node.children))
        else:
            index[node.name] = node
    return index


def clean_answers(
    form: Questionnaire,
    stored: Mapping[str, Any],
    incoming: Mapping[str, Any],
    language: str | None,
    *,
    today: dt.date | None = None,
) -> CleanResult:
    """Merge ``incoming`` answers into ``stored`` ones, keeping each valid answer and refusing each invalid one.

    A repeat is given as a list of objects, one per instance, and replaces the stored instances (an instance's fields
    not given keep their stored values, by position). Constraints are checked with every accepted answer as context.
    """
    texts = Texts(form, language)
    names = repeat_names(form.children)
    incoming, errors = expand_paths(stored, incoming)
    merged = _merge_level(_index_nodes(form.children), stored, incoming, texts, errors, prefix="")
    merged = compute(form, merged, today=today)
    _check_constraints(form, merged, stored, texts, errors, names, today)
    merged = compute(form, merged, today=today)
    # Calculations alone (worked out for the first time) are no change of the respondent's answers.
    return CleanResult(answers=merged, errors=errors, changed=merged != compute(form, stored, today=today))


def _merge_level(
    index: dict[str, Question | Repeat],
    stored: Mapping[str, Any],
    incoming: Mapping[str, Any],
    texts: Texts,
    errors: dict[str, str],
    *,
    prefix: str,
) -> dict[str, Any]:
    merged = dict(stored)
    for name, raw in incoming.items():
        path = f"{prefix}{name}"
        node = index.get(str(name))
        if node is None:
            errors[path] = _("No question of this questionnaire has this name.")
            continue
        if isinstance(node, Repeat):
            if raw is None:
                raw = []
            if not isinstance(raw, list) or not all(isinstance(instance, Mapping) for instance in raw):
                errors[path] = _("Give the repeated part as a list, with one object per instance.")
                continue
            if len(raw) > MAX_REPEAT_INSTANCES:
                errors[path] = _("At most %(count)s instances.") % {"count": MAX_REPEAT_INSTANCES}
                continue
            old = stored.get(name) if isinstance(stored.get(name), list) else []
            inner = _index_nodes(node.children)
            merged[name] = [
                _merge_level(
                    inner,
                    old[position] if position < len(old) and isinstance(old[position], Mapping) else {},
                    instance,
                    texts,
                    errors,
                    prefix=f"{path}/{position}/",
                )
                for position, instance in enumerate(raw)
            ]
            continue
        try:
            value = clean_value(node, raw, None)
        except AnswerError as error:
            errors[path] = str(error)
            continue
        if value is None:
            merged.pop(name, None)
        else:
            merged[name] = value
    return merged


def _check_constraints(
    form: Questionnaire,
    merged: dict[str, Any],
    stored: Mapping[str, Any],
    texts: Texts,
    errors: dict[str, str],
    names: set[str],
    today: dt.date | None,
) -> None:
    """Refuse (put back the stored answer of) every changed answer that fails its constraint or choice filter."""
    for item in iter_items(walk(form, merged, texts.key and _code_of(form, texts.key), today=today)):
        node = item.node
        if not isinstance(node, Question) or item.value is None or "/__new__/" in item.path:
            continue
        if _lookup(stored, item.path) == item.value:
            continue  # unchanged answers were checked when they were given
        message = None
        if node.type in SELECT_TYPES and node.choice_filter and node.choices and node.choices.options:
            try:
                clean_value(node, item.value, item.choices)
            except AnswerError as error:
                message = str(error)
        if message is None and node.constraint:
            context = _context_for(form, merged, item.path, names, today)
            try:
                ok = expressions.satisfies(
                    node.constraint, item.value, context.answers, repeats=context.repeats, today=context.today
                )
            except expressions.ExpressionError as error:
                logger.warning("constraint of %s could not be evaluated (%s): accepted", item.path, error)
                ok = True
            if not ok:
                message = constraint_message(node, texts)
        if message is not None:
            errors[item.path] = message
            _restore(merged, stored, item.path)


def _code_of(form: Questionnaire, key: str) -> str | None:
    return next((item.code for item in form.languages if item.key == key), None)


def _lookup(answers: Mapping[str, Any], path: str) -> Any:
    value: Any = answers
    for part in path.split("/"):
        if isinstance(value, Mapping):
            value = value.get(part)
        elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        else:
            return None
    return value


class InstanceMissing(LookupError):
    """A path goes through a repeat instance that does not exist; ``step`` is its number as written."""

    def __init__(self, step: str) -> None:
        super().__init__(step)
        self.step = step


def instance_scope(answers: dict[str, Any], path: str) -> tuple[dict[str, Any], str]:
    """The answers that hold the last name of ``path``, and that name: ``outer/0/inner/1/question`` gives instance 1 of
    ``inner`` in instance 0 of ``outer``, and ``question``; a bare name gives ``answers`` itself. Raises
    :class:`InstanceMissing` for an instance that is not there."""
    parts = path.split("/")
    scope: Any = answers
    for position in range(0, len(parts) - 1, 2):
        instances = scope.get(parts[position]) if isinstance(scope, dict) else None
        step = parts[position + 1]
        number = int(step) if step.isdigit() else -1
        if not isinstance(instances, list) or not 0 <= number < len(instances):
            raise InstanceMissing(step)
        scope = instances[number]
    return scope, parts[-1]


def _restore(merged: dict[str, Any], stored: Mapping[str, Any], path: str) -> None:
    """Put back at ``path`` the stored answer (or remove the answer when none was stored)."""
    parts = path.split("/")
    target: Any = merged
    for part in parts[:-1]:
        target = target[int(part)] if isinstance(target, list) else target.get(part)
        if target is None:
            return
    old = _lookup(stored, path)
    if old is None:
        target.pop(parts[-1], None)
    else:
        target[parts[-1]] = old


def _context_for(
    form: Questionnaire, answers: Mapping[str, Any], path: str, names: set[str], today: dt.date | None
) -> Context:
    """The context of the item at ``path``: inside each repeat instance on the way."""
    context = make_context(form, answers, today)
    parts = path.split("/")
    scope: Any = answers
    nodes = _index_nodes(form.children)
    for position in range(0, len(parts) - 1, 2):
        node = nodes.get(parts[position])
        instances = scope.get(parts[position]) if isinstance(scope, Mapping) else None
        index = int(parts[position + 1])
        if not isinstance(node, Repeat) or not isinstance(instances, list) or index >= len(instances):
            break
        scope = instances[index]
        context = context.inside(scope, names, _instance_fields(node))
        nodes = _index_nodes(node.children)
    return context


# --------------------------------------------------------------------------------------------------------- computing


def compute(form: Questionnaire, answers: Mapping[str, Any], *, today: dt.date | None = None) -> dict[str, Any]:
    """``answers`` with every ``calculate`` (and calculated question) worked out, in form order, until stable."""
    result = _copy(answers)
    names = repeat_names(form.children)
    for _round in range(3):
        before = _copy(result)
        _compute_level(form.children, result, make_context(form, result, today), names)
        if result == before:
            break
    return result


def _copy(answers: Mapping[str, Any]) -> dict[str, Any]:
    return {
        key: [_copy(item) if isinstance(item, Mapping) else item for item in value]
        if isinstance(value, list) and value and isinstance(value[0], Mapping)
        else (list(value) if isinstance(value, list) else value)
        for key, value in answers.items()
    }


def _compute_level(
    nodes: Iterable[Question | Group | Repeat], scope: dict[str, Any], context: Context, names: set[str]
) -> None:
    for node in nodes:
        if isinstance(node, Group):
            _compute_level(node.children, scope, context, names)
        elif isinstance(node, Repeat):
            for instance in scope.get(node.name) or []:
                if isinstance(instance, dict):
                    inner = context.inside(instance, names, _instance_fields(node))
                    _compute_level(node.children, instance, inner, names)
        elif node.calculation and (node.type in COMPUTED_TYPES or node.name not in scope):
            try:
                value = expressions.evaluate(
                    node.calculation, answers=context.answers, repeats=context.repeats, today=context.today
                )
            except expressions.ExpressionError as error:
                logger.warning("calculation of %s could not be evaluated (%s)", node.name, error)
                continue
            text = expressions.to_string(value) if not isinstance(value, list) else " ".join(value)
            if node.type in COMPUTED_TYPES:
                scope[node.name] = text
                context.answers[node.name] = text


# --------------------------------------------------------------------------------------------------------- submitting


def submission_errors(
    form: Questionnaire, answers: Mapping[str, Any], language: str | None, *, today: dt.date | None = None
) -> dict[str, str]:
    """What stops a submission: visible required questions without an answer, and shown answers now invalid."""
    texts = Texts(form, language)
    names = repeat_names(form.children)
    errors: dict[str, str] = {}
    for item in iter_items(walk(form, answers, language, today=today)):
        node = item.node
        if not isinstance(node, Question) or not item.visible or "/__new__/" in item.path:
            continue
        if node.type in COMPUTED_TYPES or node.type in DISPLAY_TYPES or node.type in METADATA_TYPES:
            continue
        empty = item.value is None or item.value == "" or item.value == []
        if empty:
            if item.required:
                errors[item.path] = required_message(node, texts)
            continue
        if node.constraint and node.type not in FILE_TYPES:
            context = _context_for(form, answers, item.path, names, today)
            try:
                ok = expressions.satisfies(
                    node.constraint, item.value, context.answers, repeats=context.repeats, today=context.today
                )
            except expressions.ExpressionError:
                ok = True
            if not ok:
                errors[item.path] = constraint_message(node, texts)
    return errors


def without_hidden(form: Questionnaire, answers: Mapping[str, Any], *, today: dt.date | None = None) -> dict[str, Any]:
    """The answers to keep on submission: those of questions shown under the final answers (as ODK does)."""
    shown = {item.path for item in iter_items(walk(form, answers, None, today=today)) if item.visible}

    def keep(scope: Mapping[str, Any], prefix: str) -> dict[str, Any]:
        kept: dict[str, Any] = {}
        for key, value in scope.items():
            path = f"{prefix}{key}"
            if path not in shown:
                continue
            if isinstance(value, list) and value and isinstance(value[0], Mapping):
                kept[key] = [keep(instance, f"{path}/{index}/") for index, instance in enumerate(value)]
            else:
                kept[key] = value
        return kept

    return keep(answers, "")


def answerable_names(form: Questionnaire) -> list[str]:
    """Names a respondent answers at the top level (questions of any answerable type, and repeats)."""
    return [
        name
        for name, node in _index_nodes(form.children).items()
        if isinstance(node, Repeat) or node.type not in COMPUTED_TYPES | DISPLAY_TYPES | METADATA_TYPES
    ]


def load(definition: Mapping[str, Any]) -> Questionnaire:
    """A stored form definition (JSON) as a :class:`Questionnaire`."""
    return Questionnaire.model_validate(definition)


def expand_paths(stored: Mapping[str, Any], incoming: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """Turn answers given by path (``"case_studies/0/case_title": "..."``) into the nested shape of the answers.

    An answer inside an existing repeat instance is merged into that instance; a path to an instance that does not
    exist is refused (instances are added by giving the repeat's list). Returns the nested answers and the errors.
    """
    nested: dict[str, Any] = {}
    errors: dict[str, str] = {}
    both = _("Give either the whole repeated part or answers inside it, not both.")
    built: set[int] = set()  # the lists of instances made here from paths (any other list was given whole)
    for key, value in incoming.items():
        if "/" not in str(key):
            if id(nested.get(key)) in built:
                errors[str(key)] = both
                continue
            nested[key] = value
            continue
        parts = str(key).split("/")
        if len(parts) % 2 == 0 or not all(part.isdigit() for part in parts[1::2]):
            errors[str(key)] = _("Write a path as repeat/instance/question, for example case_studies/0/title.")
            continue
        target_stored: Any = stored
        target: dict[str, Any] = nested
        ok = True
        for position in range(0, len(parts) - 1, 2):
            name, index = parts[position], int(parts[position + 1])
            instances = target_stored.get(name) if isinstance(target_stored, Mapping) else None
            if not isinstance(instances, list) or index >= len(instances):
                errors[str(key)] = _("This repeated part has no instance number %(number)s.") % {"number": index}
                ok = False
                break
            if name in target and id(target[name]) not in built:
                errors[str(key)] = both
                ok = False
                break
            given = target.setdefault(name, [{} for _instance in instances])
            built.add(id(given))
            target, target_stored = given[index], instances[index]
        if ok:
            target[parts[-1]] = value
    return nested, errors
