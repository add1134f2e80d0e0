"""XLSForm import and export for the questionnaire engine.

Parsing is pyxform's (the reference XLSForm converter): its workbook readers, ``workbook_to_json`` and the survey
builder turn the workbook into a tree of survey elements, and the full conversion to an XForm is run as well, so that a
form is refused exactly when pyxform refuses it. This module only maps pyxform's tree onto :class:`Questionnaire`, a
JSON-serialisable description of the form, and writes a questionnaire back out as an ``.xlsx`` XLSForm.

Pure Python: no Django import.
"""

from __future__ import annotations

import io
import re
import warnings
from collections.abc import Iterable, Iterator, Mapping
from pathlib import PurePath
from typing import Annotated, Any, Literal

from openpyxl import Workbook
from pydantic import BaseModel, Field
from pyxform import aliases
from pyxform import constants as pyxform_constants
from pyxform.builder import create_survey_element_from_dict
from pyxform.errors import PyXFormError
from pyxform.external_instance import ExternalInstance
from pyxform.parsing.parameters import parse as parameters_parse
from pyxform.question import Itemset, Option
from pyxform.question import Question as PyxformQuestion
from pyxform.question_type_dictionary import QUESTION_TYPE_DICT
from pyxform.section import GroupedSection, RepeatingSection, Section
from pyxform.survey import Survey
from pyxform.xls2json import workbook_to_json
from pyxform.xls2json_backends import Definition, DefinitionData, SupportedFileTypes, get_xlsform

__all__ = [
    "DEFAULT_LANGUAGE",
    "Choice",
    "ChoiceList",
    "ErrorLocation",
    "Group",
    "Language",
    "Node",
    "Question",
    "Questionnaire",
    "Repeat",
    "XLSFormError",
    "export_xlsform",
    "import_xlsform",
    "iter_questions",
    "summary",
]

#: Key of a text written in a column without a language (``label`` rather than ``label::English (en)``).
DEFAULT_LANGUAGE = "default"

#: A text per language: the language as written in the column header (``"English (en)"``) or ``"default"``.
Translations = dict[str, str]

# pyxform's internal names of the select types, and the XLSForm spelling this module uses for them.
_SELECT_TYPES = {
    "select one": "select_one",
    "select all that apply": "select_multiple",
    "select one external": "select_one_external",
    "rank": "rank",
}
_FROM_FILE_TYPES = {"select_one": "select_one_from_file", "select_multiple": "select_multiple_from_file"}
_MEDIA_TYPES = ("image", "big-image", "audio", "video")
_TRUE = {"yes", "true", "true()", "1"}
_FALSE = {"no", "false", "false()", "0", ""}
# The automatic children pyxform puts in the bodyless ``meta`` group (from the settings sheet).
_GENERATED_META = {"instanceID", "instanceName"}
_MODELLED_SETTINGS = {"title", "id_string", "version", "default_language", "instance_name", "style"}
# Settings whose effect is already in the tree pyxform built ("flat" copies each group's relevant into its children).
_MATERIALISED_SETTINGS = {"flat"}

_LANGUAGE_RE = re.compile(r"^(?P<name>.*?)\s*\((?P<code>[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]+)*)\)\s*$")
_ROW_RE = re.compile(r"\[row\s*:\s*(\d+)\]")
_SHEET_RES = (
    re.compile(r"On the '([^']+)' sheet"),
    re.compile(r"for sheet: '([^']+)'"),
    re.compile(r"There should be an? (\w+) sheet"),
    re.compile(r"You must have a sheet named '([^']+)'"),
)
_COLUMN_RES = (
    re.compile(r"sheet, the '([^']+)' value"),
    re.compile(r"Duplicate column header: (.+)$"),
)
_HEADER_RE = re.compile(r"Invalid headers provided for sheet|Duplicate column header")
_UNKNOWN_TYPE_RE = re.compile(r"Unknown question type '([^']*)'")


# --------------------------------------------------------------------------------------------------------- the model


class Language(BaseModel):
    """A language of the form, as found in ``label::Name (code)`` columns."""

    key: str = Field(description='The text after "::" in the column header, e.g. "English (en)".')
    name: str = Field(description='The display name, e.g. "English".')
    code: str | None = Field(default=None, description='The code in brackets, e.g. "en", when there is one.')

    @classmethod
    def from_key(cls, key: str) -> Language:
        """Split ``"Русский (ru)"`` into its name and code (no code when there are no brackets)."""
        match = _LANGUAGE_RE.match(key)
        if match:
            return cls(key=key, name=match["name"] or key, code=match["code"])
        return cls(key=key, name=key)


class Choice(BaseModel):
    """One option of a choice list."""

    name: str
    label: Translations = Field(default_factory=dict)
    media: dict[str, Translations] = Field(default_factory=dict)
    extra: dict[str, str] = Field(default_factory=dict, description="Other columns, e.g. those a choice_filter reads.")


class ChoiceList(BaseModel):
    """The choices of a select question: a list of the choices sheet, or a file / ``${repeat_question}`` source."""

    list_name: str
    options: list[Choice] = Field(default_factory=list)


class Question(BaseModel):
    """A question, note or calculate (any survey row that is not a group or a repeat)."""

    kind: Literal["question"] = "question"
    name: str
    type: str = Field(description="pyxform's type name; selects are spelt select_one, select_multiple, ...")
    label: Translations = Field(default_factory=dict)
    hint: Translations = Field(default_factory=dict)
    guidance_hint: Translations = Field(default_factory=dict)
    required: bool | str = Field(default=False, description="True, or an expression deciding it.")
    required_message: Translations = Field(default_factory=dict)
    relevant: str | None = None
    constraint: str | None = None
    constraint_message: Translations = Field(default_factory=dict)
    calculation: str | None = None
    default: str | None = None
    choice_filter: str | None = None
    choices: ChoiceList | None = None
    appearance: str | None = None
    read_only: bool | str = False
    parameters: dict[str, str] = Field(default_factory=dict)
    media: dict[str, Translations] = Field(default_factory=dict)


class Group(BaseModel):
    """A ``begin group`` ... ``end group`` section."""

    kind: Literal["group"] = "group"
    name: str
    label: Translations = Field(default_factory=dict)
    hint: Translations = Field(default_factory=dict)
    relevant: str | None = None
    appearance: str | None = None
    children: list[Node] = Field(default_factory=list)


class Repeat(BaseModel):
    """A ``begin repeat`` ... ``end repeat`` section."""

    kind: Literal["repeat"] = "repeat"
    name: str
    label: Translations = Field(default_factory=dict)
    hint: Translations = Field(default_factory=dict)
    relevant: str | None = None
    appearance: str | None = None
    repeat_count: str | None = None
    children: list[Node] = Field(default_factory=list)


Node = Annotated[Question | Group | Repeat, Field(discriminator="kind")]


class Questionnaire(BaseModel):
    """A form as pyxform understands it, in a JSON-serialisable shape (``model_dump(mode="json")``)."""

    title: str
    form_id: str
    version: str | None = None
    default_language: str | None = None
    instance_name: str | None = None
    style: str | None = None
    settings: dict[str, str] = Field(
        default_factory=dict,
        description="The other columns of the settings sheet, as read (e.g. allow_choice_duplicates).",
    )
    languages: list[Language] = Field(default_factory=list)
    children: list[Node] = Field(default_factory=list)
    external_choices: list[dict[str, str]] = Field(
        default_factory=list, description="The rows of the external_choices sheet, as read, for select_one_external."
    )


Group.model_rebuild()
Repeat.model_rebuild()
Questionnaire.model_rebuild()


# --------------------------------------------------------------------------------------------------------- errors


class ErrorLocation(BaseModel):
    """One reason a workbook was refused, located as far as pyxform's message allows."""

    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    message: str


class XLSFormError(Exception):
    """The workbook is not a form pyxform accepts; ``errors`` says where and why."""

    def __init__(self, errors: list[ErrorLocation]) -> None:
        self.errors = errors or [ErrorLocation(message="The XLSForm was refused.")]
        super().__init__("; ".join(_describe(error) for error in self.errors))

    def as_dict(self) -> dict[str, list[dict[str, Any]]]:
        """``{"errors": [{"sheet", "row", "column", "message"}, ...]}``."""
        return {"errors": [error.model_dump() for error in self.errors]}


def _describe(error: ErrorLocation) -> str:
    where = ", ".join(
        part
        for part in (
            f"sheet {error.sheet}" if error.sheet else "",
            f"row {error.row}" if error.row else "",
            f"column {error.column}" if error.column else "",
        )
        if part
    )
    return f"{where}: {error.message}" if where else error.message


def _clean_message(text: str) -> str:
    """pyxform's message without the ``[row : N]`` marker (kept in ``row``) nor the dump of the row it appends."""
    lines = [line for line in str(text).splitlines() if line.strip()]
    kept = [line for line in lines if not line.lstrip().startswith("{")] or lines[:1]
    message = " ".join(" ".join(kept).split())
    message = _ROW_RE.sub("", message).strip()
    if message.startswith("Argument 'definition' was not recognized"):
        # pyxform's wording for "none of the readers could open it", about its API argument rather than the file.
        return "The file is not a workbook pyxform can read: it must be an .xlsx, .xlsm or .xls file (or .csv, .md)."
    return message or "The XLSForm was refused."


def _locate(error: BaseException, workbook: DefinitionData | None) -> ErrorLocation:
    """Turn a pyxform error into an :class:`ErrorLocation`, reading the sheet/row/column its message names."""
    text = str(error)
    context: Mapping[str, Any] = getattr(error, "context", None) or {}
    row_match = _ROW_RE.search(text)
    row = context.get("row") or (int(row_match.group(1)) if row_match else None)
    sheet = context.get("sheet") or _first_match(_SHEET_RES, text)
    column = context.get("column") or _first_match(_COLUMN_RES, text)
    unknown_type = _UNKNOWN_TYPE_RE.search(text)
    if unknown_type and row is None and workbook is not None:
        row = _find_survey_row(workbook, "type", unknown_type.group(1))
        if row is not None:
            column = "type"
    if row is None and _HEADER_RE.search(text):
        row = 1  # the header row
    if row is not None and sheet is None:
        sheet = pyxform_constants.SURVEY  # pyxform's bare "[row : N]" messages are about the survey sheet
    return ErrorLocation(
        sheet=sheet, row=int(row) if row is not None else None, column=column, message=_clean_message(text)
    )


def _first_match(patterns: Iterable[re.Pattern[str]], text: str) -> str | None:
    for pattern in patterns:
        match = pattern.search(text)
        if match:
            return match.group(1).strip()
    return None


def _find_survey_row(workbook: DefinitionData, header: str, value: str) -> int | None:
    """The spreadsheet row number (header row = 1) of the first survey row whose ``header`` cell is ``value``."""
    for index, row in enumerate(workbook.survey or (), start=2):
        for key, cell in row.items():
            if str(key).strip().lower() == header and str(cell).strip().lower() == value.strip().lower():
                return index
    return None


# --------------------------------------------------------------------------------------------------------- import


def import_xlsform(content: bytes, filename: str, warnings_out: list[str] | None = None) -> Questionnaire:
    """Read an XLSForm (.xlsx, .xlsm, .xls; pyxform's .csv and .md too) into a :class:`Questionnaire`.

    The form goes through pyxform's whole conversion to an XForm, so it is refused exactly when pyxform refuses it.
    ``filename`` gives the file type (by its suffix) and the fallback title and form id (by its stem), as it does for
    pyxform. pyxform's warnings are appended to ``warnings_out`` when it is given.

    :raises XLSFormError: for any workbook that is not an acceptable XLSForm; no other exception escapes.
    """
    collected: list[str] = [] if warnings_out is None else warnings_out
    workbook: DefinitionData | None = None
    try:
        workbook = _read_workbook(content, filename)
        form_json = workbook_to_json(
            workbook_dict=workbook,
            form_name=None,
            fallback_form_name=workbook.fallback_form_name,
            default_language=None,
            warnings=collected,
        )
        survey = create_survey_element_from_dict(form_json)
        survey.to_xml(validate=False, pretty_print=False, warnings=collected)
        return _questionnaire_from_survey(survey, workbook)
    except XLSFormError:
        raise
    except PyXFormError as error:
        raise XLSFormError([_locate(error, workbook)]) from error
    except Exception as error:  # a malformed workbook can break pyxform or its readers in many ways
        message = f"The file could not be read as an XLSForm ({type(error).__name__}: {error})."
        raise XLSFormError([_locate_other(message)]) from error


def _locate_other(message: str) -> ErrorLocation:
    return ErrorLocation(message=" ".join(message.split()))


def _read_workbook(content: bytes, filename: str) -> DefinitionData:
    """pyxform's reader on bytes: the suffix of ``filename`` picks the reader (any reader is tried when unknown)."""
    path = PurePath(filename or "form")
    try:
        file_type: SupportedFileTypes | None = SupportedFileTypes(path.suffix.lower())
    except ValueError:
        file_type = None
    definition = Definition(data=io.BytesIO(content), file_type=file_type, file_path_stem=path.stem or None)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # openpyxl: "Unknown extension is not supported ..."
        return get_xlsform(xlsform=definition)  # pyxform takes its own Definition as well as bytes or a path


def _questionnaire_from_survey(survey: Survey, workbook: DefinitionData) -> Questionnaire:
    children = _nodes(survey.children, top_level=True)
    languages: dict[str, None] = {}
    for text in _iter_translations(children):
        for key in text:
            if key != DEFAULT_LANGUAGE:
                languages.setdefault(key, None)
    default_language = survey.default_language if survey.default_language not in ("", DEFAULT_LANGUAGE) else None
    external = [dict(row) for row in workbook.external_choices or () if row] if _has_external(children) else []
    return Questionnaire(
        title=str(survey.title or survey.id_string or survey.name),
        form_id=str(survey.id_string or survey.name),
        version=str(survey.version) if survey.version else None,
        default_language=default_language,
        instance_name=survey.instance_name or None,
        style=survey.style or None,
        settings=_other_settings(workbook),
        languages=[Language.from_key(key) for key in languages],
        children=children,
        external_choices=[{str(key): str(value) for key, value in row.items()} for row in external],
    )


def _other_settings(workbook: DefinitionData) -> dict[str, str]:
    """The settings the model has no field for, as pyxform read them from the settings sheet."""
    rows = [row for row in workbook.settings or () if row]
    if not rows:
        return {}
    other: dict[str, str] = {}
    for key, value in rows[0].items():
        name = str(key).strip()
        canonical = aliases.settings_header.get(name.lower(), name.lower())
        if canonical in _MODELLED_SETTINGS or canonical in _MATERIALISED_SETTINGS or value is None or str(value) == "":
            continue
        other[name] = str(value)
    return other


def _nodes(elements: Iterable[Any], top_level: bool = False) -> list[Question | Group | Repeat]:
    """Map pyxform's survey elements (in form order) onto nodes; the generated ``meta`` block is left out."""
    nodes: list[Question | Group | Repeat] = []
    for element in elements:
        if top_level and _is_generated_meta(element):
            # pyxform moves some rows (audit) into meta: keep those, as rows at the end of the form.
            nodes.extend(
                _nodes(child for child in element.children if getattr(child, "name", None) not in _GENERATED_META)
            )
        elif isinstance(element, RepeatingSection):
            nodes.append(_repeat(element))
        elif isinstance(element, GroupedSection):
            nodes.append(_group(element))
        elif isinstance(element, PyxformQuestion | ExternalInstance):
            nodes.append(_question(element))
        # Entity declarations and other non-field elements are not part of the questionnaire.
    return nodes


def _is_generated_meta(element: Any) -> bool:
    return (
        isinstance(element, Section)
        and element.name == pyxform_constants.META
        and bool((getattr(element, "control", None) or {}).get("bodyless"))
    )


def _section_common(element: Section) -> dict[str, Any]:
    bind = element.bind or {}
    control = element.control or {}
    return {
        "name": element.name,
        "label": _translations(element.label),
        "hint": _translations(element.hint),
        "relevant": _text_or_none(bind.get("relevant")),
        "appearance": _text_or_none(control.get("appearance")),
        "children": _nodes(element.children),
    }


def _group(element: GroupedSection) -> Group:
    return Group(**_section_common(element))


def _repeat(element: RepeatingSection) -> Repeat:
    control = element.control or {}
    return Repeat(**_section_common(element), repeat_count=_text_or_none(control.get("jr:count")))


def _question(element: PyxformQuestion | ExternalInstance) -> Question:
    raw_type = str(element.type)
    defaults = QUESTION_TYPE_DICT.get(raw_type, {})
    bind = _user_values(getattr(element, "bind", None), defaults.get("bind"))
    control = getattr(element, "control", None) or {}
    choices: ChoiceList | None = None
    question_type = _SELECT_TYPES.get(raw_type, raw_type)
    if raw_type in _SELECT_TYPES:
        itemset = next(
            (value for attr in ("itemset", "list_name", "query") if (value := getattr(element, attr, None))), ""
        )
        options = getattr(element, "choices", None)
        choices = ChoiceList(list_name=str(itemset), options=_choices(options))
        extension = PurePath(str(itemset)).suffix.lower()
        if extension in pyxform_constants.EXTERNAL_INSTANCE_EXTENSIONS and question_type in _FROM_FILE_TYPES:
            question_type = _FROM_FILE_TYPES[question_type]
    return Question(
        name=element.name,
        type=question_type,
        label=_translations(element.label),
        hint=_translations(getattr(element, "hint", None)),
        guidance_hint=_translations(getattr(element, "guidance_hint", None)),
        required=_flag(bind.get("required")),
        required_message=_translations(bind.get("jr:requiredMsg")),
        relevant=_text_or_none(bind.get("relevant")),
        constraint=_text_or_none(bind.get("constraint")),
        constraint_message=_translations(bind.get("jr:constraintMsg")),
        calculation=_text_or_none(bind.get("calculate")),
        default=_text_or_none(getattr(element, "default", None)),
        choice_filter=_text_or_none(getattr(element, "choice_filter", None)),
        choices=choices,
        appearance=_text_or_none(control.get("appearance")),
        read_only=_flag(bind.get("readonly")),
        parameters=_parameters(getattr(element, "parameters", None)),
        media=_media(getattr(element, "media", None)),
    )


def _parameters(value: Any) -> dict[str, str]:
    """The ``parameters`` column as a dict (pyxform leaves it unparsed for some question types)."""
    if isinstance(value, str):
        value = parameters_parse(raw_parameters=value, row_number=0)
    return {str(key): str(item) for key, item in (value or {}).items()}


def _choices(itemset: Itemset | None) -> list[Choice]:
    if not isinstance(itemset, Itemset):
        return []
    return [_choice(option) for option in itemset.options]


def _choice(option: Option) -> Choice:
    extra = {
        str(key): str(value)
        for key, value in (option.extra_data or {}).items()
        if value is not None and not isinstance(value, dict | list)
    }
    return Choice(name=str(option.name), label=_translations(option.label), media=_media(option.media), extra=extra)


def _user_values(values: Mapping[str, Any] | None, defaults: Mapping[str, Any] | None) -> dict[str, Any]:
    """The entries of a bind dict the form set (pyxform merges its question type's defaults into it)."""
    defaults = defaults or {}
    return {key: value for key, value in (values or {}).items() if defaults.get(key) != value}


def _translations(value: Any) -> Translations:
    """A pyxform text (a string, or a dict per language) as a dict per language."""
    if value is None or value == "":
        return {}
    if isinstance(value, Mapping):
        return {str(language): str(text) for language, text in value.items() if text is not None and text != ""}
    return {DEFAULT_LANGUAGE: str(value)}


def _media(value: Any) -> dict[str, Translations]:
    if not isinstance(value, Mapping):
        return {}
    return {str(kind): _translations(files) for kind, files in value.items() if _translations(files)}


def _flag(value: Any) -> bool | str:
    """``yes``/``true()`` → True, ``no``/absent → False, any other value (an expression) as it is."""
    if value is None or isinstance(value, bool):
        return bool(value)
    text = str(value).strip()
    if text.lower() in _TRUE:
        return True
    if text.lower() in _FALSE:
        return False
    return text


def _text_or_none(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value)
    return text if text.strip() else None


def _iter_translations(nodes: Iterable[Question | Group | Repeat]) -> Iterator[Translations]:
    for node in nodes:
        yield node.label
        yield node.hint
        if isinstance(node, Question):
            yield from (node.guidance_hint, node.required_message, node.constraint_message, *node.media.values())
            if node.choices:
                for choice in node.choices.options:
                    yield choice.label
                    yield from choice.media.values()
        else:
            yield from _iter_translations(node.children)


def _has_external(nodes: Iterable[Question | Group | Repeat]) -> bool:
    return any(question.type == "select_one_external" for question in iter_questions(nodes))


# --------------------------------------------------------------------------------------------------------- summary


def iter_questions(nodes: Iterable[Question | Group | Repeat]) -> Iterator[Question]:
    """Every question (notes and calculates included) in form order, inside groups and repeats too."""
    for node in nodes:
        if isinstance(node, Question):
            yield node
        else:
            yield from iter_questions(node.children)


def _iter_repeats(nodes: Iterable[Question | Group | Repeat]) -> Iterator[Repeat]:
    for node in nodes:
        if isinstance(node, Repeat):
            yield node
        if not isinstance(node, Question):
            yield from _iter_repeats(node.children)


def summary(questionnaire: Questionnaire) -> dict[str, Any]:
    """``{"title", "languages", "fields", "repeats"}``: the language codes (the name when a language has no code),
    the names of every question, note and calculate in form order (secondary instances such as ``xml-external`` are
    not fields), and the names of the repeats."""
    return {
        "title": questionnaire.title,
        "languages": [language.code or language.name for language in questionnaire.languages],
        "fields": [
            question.name
            for question in iter_questions(questionnaire.children)
            if question.type not in pyxform_constants.EXTERNAL_INSTANCE_TYPES
        ],
        "repeats": [repeat.name for repeat in _iter_repeats(questionnaire.children)],
    }


# --------------------------------------------------------------------------------------------------------- export

_TRANSLATED_SURVEY_COLUMNS = ("label", "hint", "guidance_hint", "required_message", "constraint_message")
_PLAIN_SURVEY_COLUMNS = (
    "required",
    "relevant",
    "constraint",
    "calculation",
    "default",
    "choice_filter",
    "appearance",
    "read_only",
    "repeat_count",
    "parameters",
)


def export_xlsform(questionnaire: Questionnaire) -> bytes:
    """Write ``questionnaire`` as an .xlsx XLSForm (survey, choices and settings sheets, ``label::Language`` columns
    per language); importing the result gives the same questionnaire back."""
    language_keys = [DEFAULT_LANGUAGE, *(language.key for language in questionnaire.languages)]
    survey_rows: list[dict[str, str]] = []
    choice_rows: list[dict[str, str]] = []
    written_lists: set[str] = set()
    _survey_rows(questionnaire.children, survey_rows, choice_rows, written_lists)

    workbook = Workbook()
    survey_sheet = workbook.active
    survey_sheet.title = "survey"
    _write_sheet(survey_sheet, ["type", "name"], survey_rows, language_keys)
    _write_sheet(workbook.create_sheet("choices"), ["list_name", "name"], choice_rows, language_keys)
    settings = {
        "form_title": questionnaire.title,
        "form_id": questionnaire.form_id,
        "version": questionnaire.version,
        "default_language": questionnaire.default_language,
        "instance_name": questionnaire.instance_name,
        "style": questionnaire.style,
    }
    settings_row = {key: value for key, value in settings.items() if value} | questionnaire.settings
    _write_sheet(workbook.create_sheet("settings"), list(settings_row), [settings_row], language_keys)
    if questionnaire.external_choices:
        _write_sheet(workbook.create_sheet("external_choices"), [], questionnaire.external_choices, language_keys)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _survey_rows(
    nodes: Iterable[Question | Group | Repeat],
    rows: list[dict[str, str]],
    choice_rows: list[dict[str, str]],
    written_lists: set[str],
) -> None:
    for node in nodes:
        if isinstance(node, Question):
            rows.append(_question_row(node))
            if node.choices and node.choices.options and node.choices.list_name not in written_lists:
                written_lists.add(node.choices.list_name)
                choice_rows.extend(_choice_row(node.choices.list_name, choice) for choice in node.choices.options)
            continue
        kind = "repeat" if isinstance(node, Repeat) else "group"
        row: dict[str, str] = {"type": f"begin {kind}", "name": node.name}
        _put_translated(row, "label", node.label)
        _put_translated(row, "hint", node.hint)
        _put(row, "relevant", node.relevant)
        _put(row, "appearance", node.appearance)
        if isinstance(node, Repeat):
            _put(row, "repeat_count", node.repeat_count)
        rows.append(row)
        _survey_rows(node.children, rows, choice_rows, written_lists)
        rows.append({"type": f"end {kind}"})


def _question_row(question: Question) -> dict[str, str]:
    question_type = question.type
    if question.choices is not None:
        question_type = f"{question_type} {question.choices.list_name}"
    row: dict[str, str] = {"type": question_type, "name": question.name}
    for column in _TRANSLATED_SURVEY_COLUMNS:
        _put_translated(row, column, getattr(question, column))
    for kind, files in question.media.items():
        _put_translated(row, kind, files)
    _put(row, "required", _flag_text(question.required))
    _put(row, "read_only", _flag_text(question.read_only))
    for column in ("relevant", "constraint", "calculation", "default", "choice_filter", "appearance"):
        _put(row, column, getattr(question, column))
    if question.parameters:
        row["parameters"] = " ".join(f"{key}={value}" for key, value in question.parameters.items())
    return row


def _choice_row(list_name: str, choice: Choice) -> dict[str, str]:
    row: dict[str, str] = {"list_name": list_name, "name": choice.name}
    _put_translated(row, "label", choice.label)
    for kind, files in choice.media.items():
        _put_translated(row, kind, files)
    for key, value in choice.extra.items():
        row.setdefault(key, value)
    return row


def _flag_text(value: bool | str) -> str | None:
    if value is True:
        return "yes"
    if value is False:
        return None
    return value


def _put(row: dict[str, str], column: str, value: str | None) -> None:
    if value is not None and value != "":
        row[column] = value


def _put_translated(row: dict[str, str], column: str, texts: Translations) -> None:
    for language, text in texts.items():
        row[column if language == DEFAULT_LANGUAGE else f"{column}::{language}"] = text


def _write_sheet(sheet: Any, first: list[str], rows: list[dict[str, str]], language_keys: list[str]) -> None:
    """Write rows under a header: ``first`` columns, then the others in a stable order (languages in form order)."""
    seen: dict[str, None] = dict.fromkeys(first)
    for row in rows:
        for column in row:
            seen.setdefault(column, None)
    header = list(first) + sorted((column for column in seen if column not in first), key=_column_order(language_keys))
    sheet.append(header)
    for row in rows:
        sheet.append([row.get(column) for column in header])


def _column_order(language_keys: list[str]) -> Any:
    known = [*_TRANSLATED_SURVEY_COLUMNS, *_MEDIA_TYPES, *_PLAIN_SURVEY_COLUMNS]

    def key(column: str) -> tuple[int, int, str]:
        base, _, language = column.partition("::")
        base_rank = known.index(base) if base in known else len(known)
        language_rank = (
            language_keys.index(language or DEFAULT_LANGUAGE)
            if (language or DEFAULT_LANGUAGE) in (language_keys)
            else len(language_keys)
        )
        return (base_rank, language_rank, column)

    return key
