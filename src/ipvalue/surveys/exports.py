"""Exports of a questionnaire's answers: CSV (one table, or every table in a ZIP), XLSX (a sheet per table) and JSON.

**Tables.** The main table (``responses``) has one row per response: the metadata columns (:data:`RESPONSE_COLUMNS`)
then one column per question that holds an answer (calculates included; notes, groups, device metadata and the
repeats themselves left out), in form order. Each repeat, nested ones too, is a table of its own in long format: one
row per instance with ``_key`` (``"12/case_studies/2"``: the response id, then the repeat's name and the instance's
1-based number for each level), ``_parent_key`` (the response id for a top-level repeat, the parent instance's
``_key`` for a nested one) and ``_index`` (1-based), then the repeat's own questions. Every answer is in exactly one
table, and a table's rows follow the responses' ids and the instances' order.

**Versions.** The columns are the union over every version that has exported responses: the latest version's
questions in its order, then the questions only older versions have. Headers and choice labels come from the latest
version that has the question.

**Values.** ``labels="code"``: answers as stored (choice names, a select_multiple's names joined by a space as
ODK and KoboToolbox do, numbers as numbers, dates as ISO text, a file's stored key). ``labels="ru"`` (any language
code of the form): headers are the questions' labels in that language (the name when there is none) and choices are
given by their labels (a select_multiple's joined by ``"; "``); the metadata headers stay codes.

**Streaming.** Responses are read with one query, a chunk at a time (``.iterator(chunk_size=...)``, only the columns
needed), and each row is written as soon as it is made: the memory used does not grow with the number of responses.
What each version's answers map to is worked out once, before the rows. CSV and JSON come as iterators of bytes;
XLSX (one sheet per table) and ZIP (one CSV per table) are written to a path or a binary file in one pass over the
responses, each table spooled to a temporary file meanwhile.

No views here: the API and the background export jobs (``export_jobs``) call these functions.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import re
import shutil
import tempfile
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.db import connections, transaction
from django.db.models import Exists, OuterRef, QuerySet
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from ipvalue.surveys import runtime
from ipvalue.surveys.models import Response, ResponseStatus, Survey, SurveyVersion
from ipvalue.surveys.services import form_of
from ipvalue.surveys.xlsform import Group, Question, Repeat, Translations

__all__ = [
    "MAIN_TABLE",
    "REPEAT_COLUMNS",
    "RESPONSE_COLUMNS",
    "STATUSES",
    "Column",
    "ExportError",
    "Table",
    "export_row_count",
    "export_tables",
    "iter_table_rows",
    "responses_for_export",
    "stream_csv",
    "stream_json",
    "write_xlsx",
    "write_zip",
]

MAIN_TABLE = "responses"
#: Which responses an export holds: the submitted ones (the default) or all, drafts included (never previews).
STATUSES = ("submitted", "all")
#: The metadata columns that open the main table (their headers are always these codes).
RESPONSE_COLUMNS = ("_id", "_status", "_submitted_at", "_version", "_language", "_country", "_group")
#: The columns that open a repeat's table.
REPEAT_COLUMNS = ("_key", "_parent_key", "_index")
#: Question types that hold no answer of their own (shown text, and values a device records).
SKIPPED_TYPES = runtime.DISPLAY_TYPES | runtime.METADATA_TYPES
MULTIPLE_TYPES = {"select_multiple", "select_multiple_from_file", "rank"}
#: Numbers stored as floats (whole numbers are stored as ints).
DECIMAL_TYPES = {"decimal", "range"}

CHUNK_SIZE = 2000
CSV_ROWS_PER_CHUNK = 1000
JSON_RESPONSES_PER_CHUNK = 500
XLSX_MAX_ROWS = 1_048_576  # rows of a worksheet, header included; a longer table goes on into another sheet
XLSX_SHEET_NAME_LENGTH = 31

_RESPONSE_FIELDS = (
    "pk",
    "status",
    "submitted_at",
    "version_id",
    "language",
    "invitation__country__iso2",
    "invitation__group",
    "answers",
)


class ExportError(ValueError):
    """A parameter of the export is not one it accepts; the message starts with the parameter's name
    (``"labels: choose code or one of the form's languages: en, fr, ru"``)."""

    def __init__(self, message: str, *, parameter: str | None = None, allowed: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.parameter = parameter or message.split(":", 1)[0]
        self.allowed = list(allowed)


@dataclass(frozen=True)
class Column:
    """A column of a table: ``key`` is the answer's name (or a metadata column's code), ``header`` what heads it."""

    key: str
    header: str


@dataclass(frozen=True)
class Table:
    """A table of the export: ``responses``, or a repeat's (named after the repeat) with its parent table's name."""

    name: str
    columns: list[Column]
    parent: str | None = None

    @property
    def headers(self) -> list[str]:
        return [column.header for column in self.columns]


# --------------------------------------------------------------------------------------------------------- the plan


Converter = Callable[[Any], Any]


@dataclass
class _Spec:
    """A table while the versions are read: its repeat path (``()`` for the main table) and its questions."""

    path: tuple[str, ...]
    parent: tuple[str, ...] | None
    headers: dict[str, str] = field(default_factory=dict)  # question name -> header, in column order


@dataclass
class _Level:
    """How one version's answers at one level (the response, or an instance of a repeat) become a row."""

    table: int
    width: int
    fields: list[tuple[str, int, Converter | None]]  # answer name, column position, conversion
    repeats: list[tuple[str, _Level]] = field(default_factory=list)
    tables: set[int] = field(default_factory=set)  # the tables of this level and of its repeats, nested ones too
    json: dict[str, Converter] = field(default_factory=dict)  # conversions of the JSON answers (labels mode)
    number: int = 0  # the version's number (main level only)


def _nodes_of_level(nodes: Iterable[Question | Group | Repeat]) -> tuple[list[Question], list[Repeat]]:
    """The questions holding answers at one level (groups are transparent) and the repeats met there."""
    questions: list[Question] = []
    repeats: list[Repeat] = []
    for node in nodes:
        if isinstance(node, Group):
            inner_questions, inner_repeats = _nodes_of_level(node.children)
            questions += inner_questions
            repeats += inner_repeats
        elif isinstance(node, Repeat):
            repeats.append(node)
        elif node.type not in SKIPPED_TYPES:
            questions.append(node)
    return questions, repeats


def _text(texts: Translations, key: str | None, fallback: str) -> str:
    return (texts.get(key) if key else None) or fallback


def _shown(value: Any) -> str:
    """A refused parameter's value, quoted and cut short, for the error message."""
    return repr(str(value)[:40])


def _normalise(code: str) -> str:
    return code.strip().lower().replace("_", "-")


class _Plan:
    """Everything worked out before the rows: the responses, the versions, the tables and each version's mapping."""

    def __init__(self, survey: Survey, *, labels: str, status: str, target: str) -> None:
        self.survey = survey
        self.target = target
        self.responses = responses_for_export(survey, status=status)
        self.versions = _export_versions(survey, self.responses)
        self.language = self._language(labels)
        specs = self._collect()
        self.tables = self._tables(specs)
        self.index = {spec.path: position for position, spec in enumerate(specs.values())}
        self.specs = list(specs.values())
        self.levels = {version.pk: self._version_level(version) for version in self.versions}

    # -- languages, tables

    def _language(self, labels: str) -> str | None:
        """The code asked for (None for codes); refused when no version of the form has that language."""
        if (labels or "").strip().lower() == "code":
            return None
        codes: list[str] = []
        for version in self.versions:
            for language in runtime.form_languages(form_of(version)):
                if language.code not in codes:
                    codes.append(language.code)
        wanted = _normalise(labels or "")
        for code in codes:
            if _normalise(code) == wanted:
                return wanted
        allowed = ["code", *codes]
        languages = ", ".join(codes) or "(none)"
        raise ExportError(
            f"labels: choose code or one of the form's languages: {languages} (not {_shown(labels)})",
            parameter="labels",
            allowed=allowed,
        )

    def _key_of(self, version: SurveyVersion) -> str | None:
        """The form's language key (``"Русский (ru)"``) of the language asked for, in this version."""
        if self.language is None:
            return None
        for language in form_of(version).languages:
            if language.code and _normalise(language.code) == self.language:
                return language.key
        return None

    def _collect(self) -> dict[tuple[str, ...], _Spec]:
        specs: dict[tuple[str, ...], _Spec] = {}

        def visit(nodes: Iterable[Question | Group | Repeat], path: tuple[str, ...], key: str | None) -> None:
            spec = specs.setdefault(path, _Spec(path, path[:-1] if path else None))
            questions, repeats = _nodes_of_level(nodes)
            for question in questions:
                if question.name not in spec.headers:
                    spec.headers[question.name] = _text(question.label, key, question.name)
            for repeat in repeats:
                visit(repeat.children, (*path, repeat.name), key)

        for version in self.versions:  # newest first
            visit(form_of(version).children, (), self._key_of(version))
        return specs

    def _tables(self, specs: dict[tuple[str, ...], _Spec]) -> list[Table]:
        """Name the tables and head them: a repeat's table is named after the repeat, or after its path
        (``loans.parties``) when versions have repeats of that name in different places."""
        last = Counter(path[-1] for path in specs if path)
        names: dict[tuple[str, ...], str] = {(): MAIN_TABLE}
        for path in specs:
            if not path:
                continue
            base = path[-1] if last[path[-1]] == 1 else ".".join(path)
            name, number = base, 1
            while name in names.values():  # a repeat called "responses"
                number += 1
                name = f"{base}~{number}"
            names[path] = name
        tables = []
        for path, spec in specs.items():
            meta = REPEAT_COLUMNS if path else RESPONSE_COLUMNS
            headers = list(spec.headers.values())
            seen = Counter([*meta, *headers])
            columns = [Column(code, code) for code in meta] + [
                Column(name, header if seen[header] == 1 or header == name else f"{header} [{name}]")
                for name, header in spec.headers.items()
            ]
            parent = names[spec.parent] if spec.parent is not None else None
            tables.append(Table(names[path], columns, parent))
        return tables

    # -- each version's mapping

    def _version_level(self, version: SurveyVersion) -> _Level:
        key = self._key_of(version)
        level = self._level(form_of(version).children, (), key)
        level.number = version.number
        return level

    def _level(self, nodes: Iterable[Question | Group | Repeat], path: tuple[str, ...], key: str | None) -> _Level:
        table = self.index[path]
        spec = self.specs[table]
        offset = len(REPEAT_COLUMNS if path else RESPONSE_COLUMNS)
        positions = {name: offset + position for position, name in enumerate(spec.headers)}
        questions, repeats = _nodes_of_level(nodes)
        level = _Level(
            table=table,
            width=offset + len(spec.headers),
            fields=[
                (question.name, positions[question.name], self._converter(question, key)) for question in questions
            ],
            tables={table},
        )
        if self.target == "json" and self.language is not None:
            level.json = {
                question.name: converter
                for question in questions
                if (converter := _json_labels(question, key)) is not None
            }
        for repeat in repeats:
            inner = self._level(repeat.children, (*path, repeat.name), key)
            level.repeats.append((repeat.name, inner))
            level.tables |= inner.tables
        return level

    def _converter(self, question: Question, key: str | None) -> Converter | None:
        """What turns a stored answer into a cell, for this question, language and file format (None: as stored)."""
        kind = question.type
        labels = _choice_labels(question, key) if self.language is not None else None
        if kind in MULTIPLE_TYPES:
            return _joined(labels, "; ") if labels is not None else _joined(None, " ")
        if kind in runtime.SELECT_TYPES and labels:
            return _labelled(labels)
        if kind in DECIMAL_TYPES and self.target == "csv":
            return _csv_number
        if kind in runtime.TEXT_TYPES and self.target in ("csv", "zip"):
            return _csv_text
        return None

    # -- rows

    def table_index(self, name: str) -> int:
        for position, table in enumerate(self.tables):
            if table.name == name:
                return position
        allowed = [table.name for table in self.tables]
        raise ExportError(
            f"table: choose one of {', '.join(allowed)} (not {_shown(name)})", parameter="table", allowed=allowed
        )

    def records(self, chunk_size: int = CHUNK_SIZE) -> Iterator[tuple[Any, ...]]:
        """The responses' columns needed, a chunk at a time, in the order of their ids (one query).

        On PostgreSQL the rows come through a server-side cursor inside a transaction: outside one (autocommit),
        Django declares the cursor ``WITH HOLD`` and the server works out the whole result before the first row.
        Not on SQLite, where a transaction would hold the write lock (``IMMEDIATE``) for the whole export.
        """
        query = self.responses.order_by("pk").values_list(*_RESPONSE_FIELDS)
        if connections[query.db].vendor != "postgresql":
            yield from query.iterator(chunk_size=chunk_size)
            return
        with transaction.atomic(using=query.db):
            yield from query.iterator(chunk_size=chunk_size)

    def rows(self, wanted: int | None = None, chunk_size: int = CHUNK_SIZE) -> Iterator[tuple[int, list[Any]]]:
        """``(table index, row)`` for every table (or only table ``wanted``), in one pass over the responses."""
        levels = self.levels
        main = wanted is None or wanted == 0
        for pk, status, submitted_at, version_id, language, country, group, answers in self.records(chunk_size):
            level = levels[version_id]
            scope = answers if isinstance(answers, dict) else {}
            if main:
                row: list[Any] = [None] * level.width
                row[:7] = (
                    pk,
                    status,
                    _iso(submitted_at),
                    level.number,
                    language,
                    country or "",
                    group or "",
                )
                get = scope.get
                for name, position, convert in level.fields:
                    value = get(name)
                    if value is not None:
                        row[position] = convert(value) if convert is not None else value
                yield 0, row
            if level.repeats:
                yield from _instance_rows(level, scope, pk, str(pk), wanted)

    def json_answers(self, level: _Level, answers: Mapping[str, Any]) -> Any:
        """The answers as stored, with choices given by their labels in labels mode."""
        if self.language is None:
            return answers
        return _json_level(level, answers)


def _instance_rows(
    level: _Level, scope: Mapping[str, Any], parent: Any, parent_key: str, wanted: int | None
) -> Iterator[tuple[int, list[Any]]]:
    for name, inner in level.repeats:
        if wanted is not None and wanted not in inner.tables:
            continue
        instances = scope.get(name)
        if not isinstance(instances, list):
            continue
        own = wanted is None or wanted == inner.table
        for number, instance in enumerate(instances, start=1):
            values = instance if isinstance(instance, dict) else {}
            key = f"{parent_key}/{name}/{number}"
            if own:
                row: list[Any] = [None] * inner.width
                row[:3] = (key, parent, number)
                get = values.get
                for field_name, position, convert in inner.fields:
                    value = get(field_name)
                    if value is not None:
                        row[position] = convert(value) if convert is not None else value
                yield inner.table, row
            if inner.repeats:
                yield from _instance_rows(inner, values, key, key, wanted)


def _json_level(level: _Level, answers: Mapping[str, Any]) -> dict[str, Any]:
    repeats = dict(level.repeats)
    converted: dict[str, Any] = {}
    for name, value in answers.items():
        if name in repeats and isinstance(value, list):
            converted[name] = [
                _json_level(repeats[name], item) if isinstance(item, Mapping) else item for item in value
            ]
        elif name in level.json and value is not None:
            converted[name] = level.json[name](value)
        else:
            converted[name] = value
    return converted


# --------------------------------------------------------------------------------------------------------- values


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat(timespec="seconds") if value else None


def _choice_labels(question: Question, key: str | None) -> dict[str, str] | None:
    if question.choices is None or not question.choices.options:
        return None
    return {choice.name: _text(choice.label, key, choice.name) for choice in question.choices.options}


def _joined(labels: Mapping[str, str] | None, separator: str) -> Converter:
    def convert(value: Any) -> Any:
        if isinstance(value, list):
            if labels is None:
                try:
                    return separator.join(value)
                except TypeError:  # not names: not expected from a select
                    return separator.join(str(item) for item in value)
            return separator.join([labels.get(item, str(item)) for item in value])
        return labels.get(value, value) if labels is not None and isinstance(value, str) else value

    return convert


def _labelled(labels: Mapping[str, str]) -> Converter:
    def convert(value: Any) -> Any:
        return labels.get(value, value) if isinstance(value, str) else value

    return convert


def _json_labels(question: Question, key: str | None) -> Converter | None:
    labels = _choice_labels(question, key)
    if not labels or question.type not in runtime.SELECT_TYPES:
        return None

    def convert(value: Any) -> Any:
        if isinstance(value, list):
            return [labels.get(item, item) if isinstance(item, str) else item for item in value]
        return labels.get(value, value) if isinstance(value, str) else value

    return convert


_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _csv_text(value: Any) -> Any:
    """Typed text that a spreadsheet would run as a formula (``=HYPERLINK(...)``, ``+1+2``, ``@SUM``) gets a leading
    apostrophe, as OWASP advises for CSV files (the XLSX export writes text cells, which are never run)."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def _csv_number(value: Any) -> Any:
    """A whole decimal without its ``.0`` (``250000``, as it was most likely typed); other numbers as they are."""
    if type(value) is float and value.is_integer() and abs(value) < 1e15:
        return int(value)
    return value


# --------------------------------------------------------------------------------------------------------- queries


def responses_for_export(survey: Survey, *, status: str = "submitted") -> QuerySet[Response]:
    """The responses an export holds: never previews; submitted ones only, or all (drafts too) for ``"all"``."""
    if status not in STATUSES:
        raise ExportError(
            f"status: choose one of {', '.join(STATUSES)} (not {_shown(status)})", parameter="status", allowed=STATUSES
        )
    responses = Response.objects.filter(survey=survey, is_preview=False)
    if status == "submitted":
        responses = responses.filter(status=ResponseStatus.SUBMITTED)
    return responses


def export_row_count(survey: Survey, *, status: str = "submitted") -> int:
    """The number of responses (rows of the main table) an export would hold, to choose between now and later."""
    return responses_for_export(survey, status=status).count()


def _export_versions(survey: Survey, responses: QuerySet[Response]) -> list[SurveyVersion]:
    """The versions with exported responses, newest first; the current (else latest) version when there is none."""
    versions = list(
        SurveyVersion.objects.filter(survey=survey)
        .filter(Exists(responses.filter(version=OuterRef("pk"))))
        .defer("source")
        .order_by("-number")
    )
    if not versions:
        fallback = (
            SurveyVersion.objects.filter(pk=survey.current_version_id).defer("source").first()
            if survey.current_version_id
            else None
        ) or SurveyVersion.objects.filter(survey=survey).defer("source").order_by("-number").first()
        versions = [fallback] if fallback is not None else []
    return versions


# --------------------------------------------------------------------------------------------------------- tables


def export_tables(survey: Survey, *, labels: str = "code", status: str = "submitted") -> list[Table]:
    """The tables of an export: ``responses`` first, then each repeat's (nested ones after their parent)."""
    return _Plan(survey, labels=labels, status=status, target="rows").tables


def iter_table_rows(
    survey: Survey,
    table: Table | str,
    *,
    labels: str = "code",
    status: str = "submitted",
    chunk_size: int = CHUNK_SIZE,
) -> Iterator[list[Any]]:
    """The rows of one table (without its header: ``table.columns``), values as stored or labelled."""
    plan = _Plan(survey, labels=labels, status=status, target="rows")
    wanted = plan.table_index(table.name if isinstance(table, Table) else table)
    return (row for _index, row in plan.rows(wanted, chunk_size))


# --------------------------------------------------------------------------------------------------------- CSV


class _CsvBuffer:
    """Rows written as CSV text into a buffer that is emptied every ``CSV_ROWS_PER_CHUNK`` rows."""

    def __init__(self, headers: Sequence[str]) -> None:
        self.buffer = io.StringIO()
        self.writer = csv.writer(self.buffer)
        self.buffer.write("\ufeff")  # UTF-8 with BOM: spreadsheet programs then read the file as UTF-8
        self.writer.writerow(headers)
        self.pending = 0

    def write(self, row: list[Any]) -> bytes | None:
        self.writer.writerow(row)
        self.pending += 1
        return self.take() if self.pending >= CSV_ROWS_PER_CHUNK else None

    def take(self) -> bytes:
        data = self.buffer.getvalue().encode("utf-8", "replace")
        self.buffer.seek(0)
        self.buffer.truncate()
        self.pending = 0
        return data


def stream_csv(
    survey: Survey, *, table: str = MAIN_TABLE, labels: str = "code", status: str = "submitted"
) -> Iterator[bytes]:
    """One table as CSV (UTF-8 with BOM, header row first), in chunks of bytes as the rows are read.

    The parameters are checked at once (:class:`ExportError`), before the first chunk is asked for.
    """
    plan = _Plan(survey, labels=labels, status=status, target="csv")
    wanted = plan.table_index(table)
    return _csv_chunks(plan, wanted)


def _csv_chunks(plan: _Plan, wanted: int) -> Iterator[bytes]:
    out = _CsvBuffer(plan.tables[wanted].headers)
    yield out.take()
    for _index, row in plan.rows(wanted):
        chunk = out.write(row)
        if chunk:
            yield chunk
    rest = out.take()
    if rest:
        yield rest


def write_zip(
    survey: Survey, target: str | Path | IO[bytes], *, labels: str = "code", status: str = "submitted"
) -> None:
    """Every table as a CSV file (``responses.csv``, ``case_studies.csv``...) in a ZIP archive, in one pass.

    Each table is spooled to a temporary file while the responses are read (a ZIP takes one file at a time), then
    compressed into the archive.
    """
    plan = _Plan(survey, labels=labels, status=status, target="csv")
    with tempfile.TemporaryDirectory(prefix="ipvalue-export-") as folder:
        spools = [(Path(folder) / f"{position}.csv").open("w+b") for position in range(len(plan.tables))]
        try:
            buffers = [_CsvBuffer(table.headers) for table in plan.tables]
            for spool, out in zip(spools, buffers, strict=True):
                spool.write(out.take())
            for index, row in plan.rows():
                chunk = buffers[index].write(row)
                if chunk:
                    spools[index].write(chunk)
            with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
                for table, spool, out in zip(plan.tables, spools, buffers, strict=True):
                    spool.write(out.take())
                    spool.seek(0)
                    with archive.open(f"{table.name}.csv", "w", force_zip64=True) as member:
                        shutil.copyfileobj(spool, member, 1 << 20)
        finally:
            for spool in spools:
                spool.close()


# --------------------------------------------------------------------------------------------------------- XLSX


class _SheetRows:
    """A table's rows as worksheet XML (``<row>`` elements), spooled to temporary files: one per sheet, a table
    longer than a worksheet going on into another sheet."""

    def __init__(self, table: Table, folder: Path, position: int) -> None:
        self.table, self.folder, self.position = table, folder, position
        self.letters = [get_column_letter(number) for number in range(1, len(table.columns) + 1)]
        self.parts: list[Path] = []
        self.pending: list[str] = []
        self._next_part()

    def _next_part(self) -> None:
        if self.parts:
            self._flush()
            self.file.close()
        path = self.folder / f"{self.position}-{len(self.parts) + 1}.xml"
        self.parts.append(path)
        self.file = path.open("wb")
        self.number = 1  # the header's row

    def append(self, row: list[Any]) -> None:
        if self.number >= XLSX_MAX_ROWS:
            self._next_part()
        self.number += 1
        self.pending.append(_row_xml(row, self.number, self.letters))
        if len(self.pending) >= CSV_ROWS_PER_CHUNK:
            self._flush()

    def _flush(self) -> None:
        self.file.write("".join(self.pending).encode("utf-8", "replace"))
        self.pending.clear()

    def close(self) -> None:
        self._flush()
        self.file.close()


def _row_xml(row: list[Any], number: int, letters: list[str]) -> str:
    """One ``<row>`` of worksheet XML: numbers as numbers, everything else as inline text (never a formula)."""
    cells = [f'<row r="{number}">']
    append = cells.append
    for column, value in enumerate(row):
        if value is None or value == "":
            continue
        kind = type(value)
        if kind is str:
            text = _xml_text(value) if _NEEDS_CARE.search(value) or value != value.strip() else f"<t>{value}</t>"
            append(f'<c r="{letters[column]}{number}" t="inlineStr"><is>{text}</is></c>')
        elif kind is int or (kind is float and math.isfinite(value)):
            append(f'<c r="{letters[column]}{number}"><v>{value!r}</v></c>')
        elif kind is bool:
            append(f'<c r="{letters[column]}{number}" t="b"><v>{int(value)}</v></c>')
        else:
            text = _xml_text(json.dumps(value, ensure_ascii=False) if isinstance(value, list | dict) else str(value))
            append(f'<c r="{letters[column]}{number}" t="inlineStr"><is>{text}</is></c>')
    append("</row>")
    return "".join(cells)


#: Characters to escape in XML text, or that XML forbids (text with spaces at either end needs care too).
_NEEDS_CARE = re.compile(r"[&<>\x00-\x08\x0b\x0c\x0e-\x1f]")


def _xml_text(value: str) -> str:
    """A ``<t>`` element holding ``value``: escaped, without the control characters XML forbids, spaces kept."""
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if value[:1].isspace() or value[-1:].isspace():
        return f'<t xml:space="preserve">{value}</t>'
    return f"<t>{value}</t>"


def _sheet_name(name: str, part: int, taken: set[str]) -> str:
    """A worksheet's name: the table's (``name (2)`` for its continuation), at most 31 characters, unique."""
    suffix = "" if part == 1 else f" ({part})"
    base = name[: XLSX_SHEET_NAME_LENGTH - len(suffix)] + suffix
    candidate, number = base, 1
    while candidate.lower() in taken:
        number += 1
        tail = f"~{number}"
        candidate = base[: XLSX_SHEET_NAME_LENGTH - len(tail)] + tail
    taken.add(candidate.lower())
    return candidate


def write_xlsx(
    survey: Survey, target: str | Path | IO[bytes], *, labels: str = "code", status: str = "submitted"
) -> None:
    """Every table as a sheet of one XLSX workbook, in one pass over the responses.

    openpyxl makes the workbook (write-only: a sheet per table with its header row in bold, frozen); the data rows,
    written as worksheet XML into temporary files while the responses are read, are put into each sheet's
    ``<sheetData>`` as the workbook is copied into ``target``. Numbers are numeric cells, everything else text
    (never a formula, whatever it starts with); control characters that XML forbids are left out. Writing the cells'
    XML directly is what brings 100,000 responses of 100 questions well under two minutes (``bench/survey_export.py``):
    appending the rows through openpyxl's cells took about six times longer.
    """
    plan = _Plan(survey, labels=labels, status=status, target="xlsx")
    with tempfile.TemporaryDirectory(prefix="ipvalue-export-") as folder:
        spools = [_SheetRows(table, Path(folder), position) for position, table in enumerate(plan.tables)]
        for index, row in plan.rows():
            spools[index].append(row)
        book = Workbook(write_only=True)
        bold = Font(bold=True)
        taken: set[str] = set()
        sheets: list[tuple[Any, Path]] = []
        for spool in spools:
            spool.close()
            for part, path in enumerate(spool.parts, start=1):
                sheet = book.create_sheet(title=_sheet_name(spool.table.name, part, taken))
                sheet.freeze_panes = "A2"
                header = []
                for text in spool.table.headers:
                    cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", text))
                    cell.data_type = "s"  # a header is text, even one starting with "="
                    cell.font = bold
                    header.append(cell)
                sheet.append(header)
                sheets.append((sheet, path))
        skeleton = io.BytesIO()
        book.save(skeleton)
        rows_of = {sheet.path.lstrip("/"): path for sheet, path in sheets}
        with (
            zipfile.ZipFile(skeleton) as source,
            zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive,
        ):
            for info in source.infolist():
                content = source.read(info.filename)
                path = rows_of.get(info.filename)
                if path is None:
                    archive.writestr(info, content)
                    continue
                head, marker, tail = content.partition(b"</sheetData>")
                if not marker:  # pragma: no cover - openpyxl always writes the header row
                    raise RuntimeError(f"no <sheetData> in {info.filename} as openpyxl wrote it")
                with archive.open(info.filename, "w", force_zip64=True) as member:
                    member.write(head)
                    with path.open("rb") as rows:
                        shutil.copyfileobj(rows, member, 1 << 20)
                    member.write(marker + tail)


# --------------------------------------------------------------------------------------------------------- JSON


def stream_json(survey: Survey, *, labels: str = "code", status: str = "submitted") -> Iterator[bytes]:
    """A JSON array of the responses, ``{"_id", "_status", "_submitted_at", "_version", "_language", "_country",
    "_group", "answers"}`` each, with the answers nested as stored (repeats as lists of objects), in chunks of bytes.
    With a language, choices are given by their labels (a select_multiple as a list of labels)."""
    plan = _Plan(survey, labels=labels, status=status, target="json")
    return _json_chunks(plan)


def _json_chunks(plan: _Plan) -> Iterator[bytes]:
    encoder = json.JSONEncoder(ensure_ascii=False, default=str)
    parts: list[str] = ["["]
    first = True
    for pk, status, submitted_at, version_id, language, country, group, answers in plan.records():
        level = plan.levels[version_id]
        record = {
            "_id": pk,
            "_status": status,
            "_submitted_at": _iso(submitted_at),
            "_version": level.number,
            "_language": language,
            "_country": country or "",
            "_group": group or "",
            "answers": plan.json_answers(level, answers if isinstance(answers, dict) else {}),
        }
        parts.append(("\n" if first else ",\n") + encoder.encode(record))
        first = False
        if len(parts) >= JSON_RESPONSES_PER_CHUNK:
            yield "".join(parts).encode("utf-8", "replace")
            parts = []
    parts.append("\n]\n" if not first else "]\n")
    yield "".join(parts).encode("utf-8", "replace")
