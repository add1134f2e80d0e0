"""``ipvalue report INPUT.json [--lang LANG] [--format pdf|docx] [--output FILE]``: a valuation report.

Reads a report input (see :class:`ipvalue.toolkit.reports.ReportInput`), runs the engine, writes the report and prints
the file's path and the value. On an invalid input it prints a JSON error naming each bad field, in the shape of
``ipvalue valuate`` (``{"error": ..., "detail": [{"loc": [...], "msg": ...}]}``), and exits with status 2; so does an
unknown language or format.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ipvalue.toolkit.reports import ReportInputError, build_report, parse_report_input, render


class Command(BaseCommand):
    help = "Write a valuation report (PDF or DOCX) from a JSON report input, in one of the six languages."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("input", metavar="INPUT.json", help="the report input: method, input, asset, purpose...")
        parser.add_argument("--lang", default=settings.LANGUAGE_CODE, help="language: en, fr, es, ru, zh-hans or ar")
        parser.add_argument("--format", dest="output_format", help="pdf or docx (default: from --output, else pdf)")
        parser.add_argument("--output", "-o", help="file to write (default: INPUT with .pdf or .docx)")

    def fail(self, error: str, detail: list[dict[str, Any]]) -> CommandError:
        """Print the JSON error on standard output, and return the CommandError (exit status 2) to raise."""
        self.stdout.write(json.dumps({"error": error, "detail": detail}, ensure_ascii=False))
        summary = "; ".join(f"{'.'.join(str(p) for p in item['loc']) or 'input'}: {item['msg']}" for item in detail)
        return CommandError(f"{error}: {summary}", returncode=2)

    def handle(
        self, *args: Any, input: str, lang: str, output_format: str | None, output: str | None, **options: Any
    ) -> None:
        languages = [code for code, _name in settings.LANGUAGES]
        if lang not in languages:
            raise self.fail(
                "unknown language", [{"loc": ["lang"], "msg": f"{lang!r} is not one of {', '.join(languages)}"}]
            )
        if output_format is None:
            suffix = Path(output).suffix.lower().lstrip(".") if output else ""
            output_format = suffix if suffix in ("pdf", "docx") else "pdf"
        if output_format not in ("pdf", "docx"):
            raise self.fail("unknown format", [{"loc": ["format"], "msg": f"{output_format!r} is not pdf or docx"}])
        try:
            data = json.loads(Path(input).read_text(encoding="utf-8"))
        except OSError as error:
            raise self.fail("cannot read the input", [{"loc": ["input"], "msg": str(error)}]) from None
        except json.JSONDecodeError as error:
            raise self.fail("invalid JSON", [{"loc": ["input"], "msg": f"line {error.lineno}: {error.msg}"}]) from None
        if not isinstance(data, dict):
            raise self.fail("invalid input", [{"loc": [], "msg": "the input must be one JSON object"}])
        try:
            report_input = parse_report_input(data)
        except ReportInputError as error:
            raise self.fail("invalid input", error.detail) from None
        if options.get("verbosity", 1) < 2:  # WeasyPrint and fontTools log every layout step at INFO
            for name in ("weasyprint", "fontTools"):
                logging.getLogger(name).setLevel(logging.WARNING)
        report = build_report(report_input, lang)
        target = Path(output) if output else Path(input).with_suffix(f".{output_format}")
        target.write_bytes(render(report, output_format))  # type: ignore[arg-type]
        self.stdout.write(f"{target}\n{report.value_text}")
