"""Benchmark: exporting a questionnaire's answers (``ipvalue.surveys.exports``) as CSV, ZIP, XLSX and JSON.

Targets (questionnaires, exports): 100,000 responses of a 100-question form to CSV in under 30 s and to XLSX in under
2 minutes, in bounded memory.

The bench creates a fresh PostgreSQL database (``ipvalue_bench_export_<random>`` on 127.0.0.1:5432 as ``postgres``,
or the server of ``BENCH_POSTGRES_URL``), migrates it and drops it at the end; when PostgreSQL cannot be reached it
says so and runs on SQLite (the results record which). It imports a generated XLSForm of 100 questions in three
languages (five groups of 12 text/integer/decimal/date questions, 4 select_one and 3 select_multiple each, then a
repeat of 5 questions and a calculate counting its instances) and writes the responses (``COPY`` on PostgreSQL,
``bulk_create`` on SQLite): realistic answers (about 90% of the questions answered, Russian and English text, 0 to 4
repeat instances, 2 on average; each response takes one of 5,000 generated sets of answers), submitted, linked to 200
invitations with a country and a stakeholder group. A second questionnaire with
fewer responses (``--compare``, 20,000 by default) is made the same way, to show that memory does not grow with the
number of responses.

Each export runs in a subprocess of its own (Django set up, then the export timed, writing to a file), which reports
its time, its CPU time and its peak resident memory (``VmHWM``) against its resident memory just before the
export: the memory figures are those of the whole process, not an estimate. The files are then checked (not timed):
the rows of every table are counted (CSV and ZIP parsed with ``csv``, the XLSX sheets' rows counted in their XML,
the JSON records counted and a sample parsed) against the responses and repeat instances written.

Figures go to ``bench/results/survey_export-<date>.json``. Run with ``python bench/survey_export.py`` (part of
``make bench``, about 5 minutes on 2 cores); ``--responses N`` runs smaller, ``--compare 0`` skips the second
questionnaire, ``--sqlite`` skips PostgreSQL.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import platform
import random
import re
import resource
import secrets
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from typing import Any

from _support import database

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
FORMATS = ("csv", "zip", "xlsx", "json")
TARGET_SECONDS = {"csv": 30.0, "xlsx": 120.0}
BATCH = 2000
POOL = 5000
INVITATIONS = 200
SEED = 20261127
LANGS = ("English (en)", "Français (fr)", "Русский (ru)")
PLAIN_TYPES = ("text", "integer", "decimal", "date")
GROUPS = ("public_authorities", "research_education", "business", "finance", "valuation", "intermediaries", "")
COUNTRIES = ("KZ", "UZ", "KG", "TJ", "AM", "AZ", "GE", "MD", "BY", "UA", "TM", "MN")


# --------------------------------------------------------------------------------------------------------- the form


def form_rows() -> tuple[list[dict[str, Any]], list[tuple[str, str, tuple[str, str, str]]], dict[str, Any]]:
    """The XLSForm rows (100 questions and a calculate), its choices, and what each question is (for answers)."""
    rows: list[dict[str, Any]] = []
    kinds: dict[str, Any] = {"top": [], "repeat": []}
    number = 0

    def label(text: str) -> tuple[str, str, str]:
        return (text, f"{text} (fr)", f"{text} (ru): вопрос")

    for section in range(1, 6):
        rows.append({"type": "begin_group", "name": f"section_{section}", "label": label(f"Section {section}")})
        for position in range(12):
            number += 1
            kind = PLAIN_TYPES[position % len(PLAIN_TYPES)]
            name = f"q{number:03d}"
            rows.append({"type": kind, "name": name, "label": label(f"Question {number} ({kind})")})
            kinds["top"].append((name, kind, None))
        for position in range(4):
            number += 1
            name, choices = f"q{number:03d}", f"one_{position % 4}"
            rows.append({"type": f"select_one {choices}", "name": name, "label": label(f"Question {number} (one)")})
            kinds["top"].append((name, "select_one", choices))
        for position in range(3):
            number += 1
            name, choices = f"q{number:03d}", f"many_{position % 3}"
            rows.append(
                {"type": f"select_multiple {choices}", "name": name, "label": label(f"Question {number} (many)")}
            )
            kinds["top"].append((name, "select_multiple", choices))
        rows.append({"type": "end_group"})
    rows.append({"type": "begin_repeat", "name": "items", "label": label("Item")})
    for name, kind in (
        ("item_name", "text"),
        ("item_count", "integer"),
        ("item_value", "decimal"),
        ("item_kind", "select_one one_0"),
        ("item_date", "date"),
    ):
        rows.append({"type": kind, "name": name, "label": label(name.replace("_", " "))})
        kinds["repeat"].append((name, kind.split()[0], kind.split()[1] if " " in kind else None))
    rows.append({"type": "end_repeat"})
    rows.append({"type": "calculate", "name": "item_total", "calculation": "count(${items})"})
    choices: list[tuple[str, str, tuple[str, str, str]]] = []
    for list_number in range(4):
        choices += [(f"one_{list_number}", f"c{index}", label(f"Option {index}")) for index in range(1, 6)]
    for list_number in range(3):
        choices += [(f"many_{list_number}", f"m{index}", label(f"Choice {index}")) for index in range(1, 7)]
    kinds["choices"] = {
        list_name: [name for other, name, _labels in choices if other == list_name]
        for list_name in dict.fromkeys(item[0] for item in choices)
    }
    return rows, choices, kinds


WORDS_TEXT = (
    "патент лицензия кредит залог оценка банк гарантия фонд товарный знак изобретение программа стартап "
    "patent licence loan collateral valuation bank guarantee fund trademark invention software start-up royalty "
    "university research transfer market revenue risk"
)
WORDS = WORDS_TEXT.split()


class Answers:
    """Realistic answers to the generated form, from a seeded generator."""

    def __init__(self, kinds: dict[str, Any], seed: int) -> None:
        self.random = random.Random(seed)  # noqa: S311 - test data
        self.kinds = kinds
        self.texts = [
            " ".join(self.random.choice(WORDS) for _word in range(self.random.randint(1, 12))).capitalize()
            for _text in range(500)
        ]

    def value(self, kind: str, choices: str | None) -> Any:
        pick = self.random
        if kind == "text":
            return pick.choice(self.texts)
        if kind == "integer":
            return pick.randint(0, 100_000)
        if kind == "decimal":
            return round(pick.uniform(0, 5_000_000), 2)
        if kind == "date":
            return f"{pick.randint(2018, 2025)}-{pick.randint(1, 12):02d}-{pick.randint(1, 28):02d}"
        options = self.kinds["choices"][choices]
        if kind == "select_one":
            return pick.choice(options)
        return pick.sample(options, pick.randint(1, 3))

    def response(self) -> tuple[dict[str, Any], int]:
        answers: dict[str, Any] = {}
        for name, kind, choices in self.kinds["top"]:
            if self.random.random() < 0.9:
                answers[name] = self.value(kind, choices)
        items = [
            {
                name: self.value(kind, choices)
                for name, kind, choices in self.kinds["repeat"]
                if self.random.random() < 0.9
            }
            for _instance in range(self.random.randint(0, 4))
        ]
        if items:
            answers["items"] = items
        answers["item_total"] = str(len(items))
        return answers, len(items)


# --------------------------------------------------------------------------------------------------------- the data


def make_survey(kinds_out: dict[str, Any], title: str) -> Any:
    from ipvalue.surveys import demo, services

    rows, choices, kinds = form_rows()
    kinds_out.update(kinds)
    content = demo.workbook(title, rows, choices, form_id="bench_export", languages=LANGS)
    survey = services.survey_import(actor=None, content=content, filename="bench_export.xlsx")
    services.publish_unattended(survey=survey)
    return survey


def generate(survey: Any, count: int, kinds: dict[str, Any], seed: int) -> int:
    """``count`` submitted responses to ``survey``; returns the number of repeat instances written.

    The answers are drawn from a pool of ``POOL`` generated responses (drawing 100 answers costs more than writing
    them), each response picking one at random: the export's work is the same as for distinct answers. On PostgreSQL
    the rows go in with ``COPY`` (``bulk_create`` spends most of its time building arrays for ``UNNEST``).
    """
    from django.db import connection, transaction
    from django.utils import timezone

    from ipvalue.countries.models import Country
    from ipvalue.surveys.models import Invitation, Response, new_token

    countries = list(Country.objects.filter(iso2__in=COUNTRIES))
    draw = random.Random(seed)  # noqa: S311 - test data
    invitations = Invitation.objects.bulk_create(
        Invitation(
            survey=survey,
            language=draw.choice(("en", "ru", "fr")),
            country=draw.choice([*countries, None]),
            group=draw.choice(GROUPS),
            email=f"respondent{index}@example.org",
        )
        for index in range(INVITATIONS)
    )
    source = Answers(kinds, seed)
    pool = [source.response() for _index in range(min(count, POOL))]
    texts = [json.dumps(answers, ensure_ascii=False) for answers, _items in pool]
    version = survey.current_version
    instances = 0
    now = timezone.now()
    if connection.vendor == "postgresql":
        columns = ("survey_id", "version_id", "invitation_id", "token", "language", "status", "answers",
                   "is_preview", "started_at", "submitted_at", "created_at", "updated_at")  # fmt: skip
        statement = f"COPY {Response._meta.db_table} ({', '.join(columns)}) FROM STDIN"
        with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
            for _index in range(count):
                pick, invitation = draw.randrange(len(pool)), draw.choice(invitations)
                instances += pool[pick][1]
                copy.write_row(
                    (survey.pk, version.pk, invitation.pk, new_token(), invitation.language, "submitted",
                     texts[pick], False, now, now, now, now)
                )  # fmt: skip
        return instances
    for start in range(0, count, BATCH):
        batch = []
        for _index in range(start, min(start + BATCH, count)):
            pick, invitation = draw.randrange(len(pool)), draw.choice(invitations)
            instances += pool[pick][1]
            batch.append(
                Response(
                    survey=survey,
                    version=version,
                    invitation=invitation,
                    language=invitation.language,
                    status="submitted",
                    answers=pool[pick][0],
                    started_at=now,
                    submitted_at=now,
                )
            )
        with transaction.atomic():
            Response.objects.bulk_create(batch)
    return instances


# --------------------------------------------------------------------------------------------------------- measuring


def memory_mb(field: str) -> float:
    """``VmRSS`` (resident memory now) or ``VmHWM`` (its peak) of this process, in MB (Linux).

    Not ``ru_maxrss``: Linux keeps it across ``execve``, so a subprocess would report its parent's peak.
    """
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    return 0.0


def measure(fmt: str, survey_id: int, output: Path) -> dict[str, Any]:
    """Run in a subprocess: one export into ``output``, with its time and the process's memory."""
    import django

    django.setup()
    from ipvalue.surveys import exports
    from ipvalue.surveys.models import Survey

    survey = Survey.objects.get(pk=survey_id)
    exports.export_tables(survey)  # imports and the first query, as a server process would have them
    before = memory_mb("VmRSS")
    usage = resource.getrusage(resource.RUSAGE_SELF)
    started = time.perf_counter()
    if fmt == "csv":
        with output.open("wb") as target:
            for chunk in exports.stream_csv(survey):
                target.write(chunk)
    elif fmt == "json":
        with output.open("wb") as target:
            for chunk in exports.stream_json(survey):
                target.write(chunk)
    elif fmt == "xlsx":
        exports.write_xlsx(survey, output)
    else:
        exports.write_zip(survey, output)
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_SELF)
    peak = memory_mb("VmHWM")
    return {
        "seconds": round(seconds, 2),
        "cpu_seconds": round(after.ru_utime + after.ru_stime - usage.ru_utime - usage.ru_stime, 2),
        "bytes": output.stat().st_size,
        "rss_before_mb": round(before, 1),
        "peak_rss_mb": round(peak, 1),
        "peak_growth_mb": round(peak - before, 1),
    }


def count_csv(stream: io.TextIOBase) -> int:
    return sum(1 for _row in csv.reader(stream)) - 1


def count_rows(fmt: str, path: Path) -> dict[str, int]:
    """Rows of each table in the file (headers left out), read back."""
    if fmt == "csv":
        with path.open(encoding="utf-8-sig", newline="") as stream:
            return {"responses": count_csv(stream)}
    if fmt == "zip":
        with zipfile.ZipFile(path) as archive:
            counts = {}
            for name in archive.namelist():
                with archive.open(name) as member:
                    counts[name.removesuffix(".csv")] = count_csv(io.TextIOWrapper(member, "utf-8-sig", newline=""))
            return counts
    if fmt == "xlsx":
        with zipfile.ZipFile(path) as archive:
            workbook = archive.read("xl/workbook.xml").decode()
            names = re.findall(r'<sheet [^>]*name="([^"]+)"', workbook)
            counts = {}
            for number, name in enumerate(names, start=1):
                rows, tail = 0, b""
                with archive.open(f"xl/worksheets/sheet{number}.xml") as member:
                    while block := member.read(1 << 22):
                        rows += (tail + block).count(b"<row ") - tail.count(b"<row ")
                        tail = block[-8:]
                counts[name] = rows - 1
            return counts
    records = 0
    with path.open(encoding="utf-8") as stream:
        for line in stream:
            if line.startswith("{"):
                if records % 10_000 == 0:
                    json.loads(line.rstrip().rstrip(","))  # a sample of the records parses
                records += 1
    return {"responses": records}


def run_format(fmt: str, survey_id: int, folder: Path, env: dict[str, str]) -> dict[str, Any]:
    output = folder / f"export-{survey_id}.{fmt}"
    done = subprocess.run(
        [sys.executable, __file__, "--measure", fmt, "--survey", str(survey_id), "--output", str(output)],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    figures["rows"] = count_rows(fmt, output)
    output.unlink()
    return figures


# --------------------------------------------------------------------------------------------------------- main


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--responses", type=int, default=100_000, help="responses of the main questionnaire")
    parser.add_argument("--compare", type=int, default=20_000, help="responses of the second one (0: none)")
    parser.add_argument("--sqlite", action="store_true", help="do not try PostgreSQL")
    parser.add_argument("--formats", default=",".join(FORMATS), help="formats to measure, comma-separated")
    parser.add_argument("--measure", choices=FORMATS, help=argparse.SUPPRESS)
    parser.add_argument("--survey", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--output", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure, args.survey, args.output)))
        return 0
    formats = [item for item in args.formats.split(",") if item]
    started = time.perf_counter()
    results: list[dict[str, Any]] = []
    failures: list[str] = []
    sizes = [args.responses] + ([args.compare] if args.compare else [])
    with (
        tempfile.TemporaryDirectory(prefix="ipvalue-bench-export-") as var_dir,
        database(not args.sqlite, prefix="ipvalue_bench_export") as (url, db),
    ):
        env = os.environ | {
            "IPVALUE_VAR_DIR": var_dir,
            "SECRET_KEY": secrets.token_urlsafe(50),
            "IPVALUE_HTTPS": "false",
            "DEBUG": "false",
            "DJANGO_SETTINGS_MODULE": "ipvalue.config.settings",
        }
        env.pop("DATABASE_URL", None)
        if url:
            env["DATABASE_URL"] = url
        print(f"Database: {db}", file=sys.stderr)
        subprocess.run([BIN / "ipvalue", "migrate", "--verbosity", "0"], env=env, check=True)
        os.environ.update(env)
        import django

        django.setup()
        from django.db import connection, connections

        from ipvalue.countries.services import reference_data_load

        reference_data_load()
        surveys = []
        generation: dict[str, float] = {}
        for size in sizes:
            kinds: dict[str, Any] = {}
            began = time.perf_counter()
            survey = make_survey(kinds, f"Export bench ({size:,} responses)")
            instances = generate(survey, size, kinds, SEED + size)
            generation[str(size)] = round(time.perf_counter() - began, 1)
            print(
                f"{size:,} responses and {instances:,} repeat instances in {generation[str(size)]} s", file=sys.stderr
            )
            surveys.append((survey.pk, size, instances))
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE surveys_response")  # as autovacuum would have it in production
        connections.close_all()
        for survey_id, size, instances in surveys:
            expected = {"responses": size, "items": instances}
            for fmt in formats:
                load = os.getloadavg()[0]  # on a shared machine the times follow the other jobs' load
                figures = run_format(fmt, survey_id, Path(var_dir), env)
                row = {"format": fmt, "responses": size, "repeat_instances": instances, **figures}
                row["load_average_1min_before"] = round(load, 2)
                results.append(row)
                print(json.dumps(row), file=sys.stderr)
                wanted = {"responses": size} if fmt in ("csv", "json") else expected
                if figures["rows"] != wanted:
                    failures.append(f"{fmt}, {size} responses: rows {figures['rows']}, expected {wanted}")
    headline = {row["format"]: row for row in results if row["responses"] == args.responses}
    memory = {
        fmt: {str(row["responses"]): row["peak_rss_mb"] for row in results if row["format"] == fmt} for fmt in formats
    }
    report = {
        "date": time.strftime("%Y-%m-%d"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "database": db,
        "form": "100 questions (60 text/integer/decimal/date, 20 select_one, 15 select_multiple in 5 groups; a repeat "
        "of 5 questions), a calculate, 3 languages",
        "generation_seconds": generation,
        "targets": {
            f"{fmt} under {seconds:g} s": headline[fmt]["seconds"] < seconds
            for fmt, seconds in TARGET_SECONDS.items()
            if fmt in headline
        },
        "peak_rss_mb_by_responses": memory,
        "bench_seconds": round(time.perf_counter() - started, 1),
        "results": results,
        "failures": failures,
    }
    out = ROOT / "bench" / "results" / f"survey_export-{report['date']}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps(report, indent=2, ensure_ascii=False))
    print(
        f"\n{'format':6} {'responses':>9} {'seconds':>8} {'CPU s':>7} {'MB out':>8} {'peak RSS':>9} {'growth':>7}  rows"
    )
    for row in results:
        print(
            f"{row['format']:6} {row['responses']:9} {row['seconds']:8} {row['cpu_seconds']:7}"
            f" {row['bytes'] / 1e6:8.1f} {row['peak_rss_mb']:8.1f}M {row['peak_growth_mb']:6.1f}M  {row['rows']}"
        )
    if failures:
        print("FAILED:\n" + "\n".join(failures), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
