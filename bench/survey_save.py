"""Benchmark: respondents saving questionnaire answers over real HTTP (``PATCH /api/v1/responses/{token}``).

Target (questionnaire engine): saving an answer at p95 under 100 ms with 20 respondents at once, against a real
server on the loopback address, on PostgreSQL.

The bench creates a fresh PostgreSQL database (``ipvalue_bench_<random>`` on 127.0.0.1:5432 as ``postgres``, or the
server of ``BENCH_POSTGRES_URL``), migrates it, imports and publishes the demo case-study questionnaire and starts
gunicorn (2 sync workers, production settings) on a free loopback port; the database is dropped at the end. When
PostgreSQL cannot be reached it says so and runs on SQLite, and the results record which database was used.

Each run gets fresh invitations (one per respondent, in Russian). Every respondent opens its link once (GET, which
creates the response; not timed), then sends its saves on its own HTTP connection: text, whole numbers, select_one,
select_multiple lists, a date, several answers at once, two instances of the repeat answered by path
(``case_studies/0/case_title``), and about one save in four refused in whole or in part (422). Only the PATCH round
trips are timed. The runs:

* headline: 20 respondents start together and send 50 saves each back to back, with no pause: 20 requests are in
  flight all the time, the hardest reading of "20 respondents at once";
* service time: 1 respondent, 50 saves back to back (what one save costs with no queue);
* paced: 20 respondents at once, each pausing 0.5 to 1.5 s before each of its 20 saves (still faster than people
  answer a questionnaire).

Every status must be the one expected (200, or 422 naming exactly the refused answers); any other status or error
fails the bench, and so does any respondent whose answers stored in the database (read back at the end) are not the
last valid answers it sent. The respondents' API is throttled per address; the bench sends everything from 127.0.0.1,
so it raises the limit for its own server (``SURVEY_API_RATE``). Each run also records the CPU time one save costs the
gunicorn workers, the PostgreSQL backends and the clients (read from ``/proc``, on Linux), and the load average of the
machine before it: on a shared machine the latencies follow the other jobs' load.

Figures go to ``bench/results/survey_save-<date>.json``. Run with ``python bench/survey_save.py`` (part of
``make bench``); ``--sqlite`` skips PostgreSQL; ``--more-servers`` also runs the headline load against 4 sync
workers and against 2 workers of 4 threads.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import random
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from _support import database

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
TARGET_P95_MS = 100.0
INSTRUMENTS = [["ip_loan"], ["ip_loan", "guarantee"], ["securitisation", "ip_fund", "guarantee"], ["ip_fund"]]


@dataclass(frozen=True)
class Run:
    label: str
    respondents: int
    saves: int
    think: tuple[float, float] | None = None  # seconds paused before each save, uniformly drawn


HEADLINE = Run("20 respondents at once, 50 saves each back to back", 20, 50)
RUNS = [HEADLINE, Run("1 respondent, 50 saves back to back (service time)", 1, 50)]
PACED = Run("20 respondents at once, 20 saves each, 0.5-1.5 s pause before each", 20, 20, (0.5, 1.5))
SERVERS = {
    "gunicorn, 2 sync workers": ["--workers", "2"],
    "gunicorn, 4 sync workers": ["--workers", "4"],
    "gunicorn, 2 workers x 4 threads (gthread)": ["--workers", "2", "--threads", "4"],
}


# --------------------------------------------------------------------------------------------------------- the saves


@dataclass
class Save:
    """One PATCH: the answers sent, the status expected, and the answers the server must keep (all when 200)."""

    answers: dict[str, Any]
    status: int = 200
    kept: dict[str, Any] | None = None

    @property
    def refused(self) -> set[str]:
        return set() if self.kept is None else set(self.answers) - set(self.kept)


def saves_for(respondent: int, count: int) -> list[Save]:
    """What one respondent sends, in order: mostly valid answers, about one save in four refused in whole or part."""
    saves = [
        Save({"organisation": f"Организация {respondent}"}),
        Save({"ip_loans": "yes"}),
        Save({"case_studies": [{}]}),  # one instance of the repeat, answered by path below
    ]
    rounds = [
        lambda k: Save({"organisation": f"Организация {respondent}, редакция {k}"}),
        lambda k: Save({"staff": 10 * respondent + k}),
        lambda k: Save({"case_studies/0/case_title": f"Кредит под залог патента {respondent}.{k}"}),
        lambda k: Save({"staff": "много"}, 422, {}),  # not a whole number
        lambda k: Save({"instruments": INSTRUMENTS[k % len(INSTRUMENTS)]}),
        lambda k: Save({"loans_count": 1 + k, "ip_loans": "yes"}),
        lambda k: Save({"case_studies/0/case_amount": 250_000 + 1000.5 * k}),
        lambda k: Save({"organisation": f"Организация {respondent} ({k})", "loans_count": 0}, 422,
                       {"organisation": f"Организация {respondent} ({k})"}),  # one kept, one refused (constraint)
        lambda k: Save({"answered_on": f"2025-{1 + k % 12:02d}-15"}),
        lambda k: Save({"case_studies": [{}, {}]} if k == 0 else {"case_studies/1/case_title": f"Гарантия {k}"}),
        lambda k: Save({"instruments": ["ip_loan", "barter"]}, 422, {}),  # not one of the choices
        lambda k: Save({"case_studies/1/case_amount": 12_500.0 + k, "staff": 20 * respondent + k}),
        lambda k: Save({"case_studies/0/case_amount": -5}, 422, {}),  # constraint inside the repeat: positive
        lambda k: Save({"organisation": f"ООО «Патент-{respondent}»", "staff": 5 + k,
                        "instruments": INSTRUMENTS[(k + 1) % len(INSTRUMENTS)]}),  # a page of answers at once
        lambda k: Save({"case_studies/1/case_title": f"Гарантия по кредиту {k}", "loans_count": 50 + k}),
        lambda k: Save({"answered_on": f"2025-{1 + (k + 6) % 12:02d}-01"}),
    ]  # fmt: skip
    step = 0
    while len(saves) < count:
        saves.append(rounds[step % len(rounds)](step // len(rounds)))
        step += 1
    return saves[:count]


def apply(expected: dict[str, Any], answers: dict[str, Any]) -> None:
    """Apply kept answers to the expected state as the server does (paths into instances, lists of instances)."""
    for key, value in answers.items():
        if "/" in key:
            name, index, question = key.split("/")
            expected[name][int(index)][question] = value
        elif isinstance(value, list) and value and isinstance(value[0], dict):
            old = expected.get(key, [])
            expected[key] = [{**(old[i] if i < len(old) else {}), **item} for i, item in enumerate(value)]
        else:
            expected[key] = value


def expected_answers(saves: list[Save]) -> dict[str, Any]:
    expected: dict[str, Any] = {}
    for save in saves:
        apply(expected, save.answers if save.kept is None else save.kept)
    if "case_studies" in expected:
        expected["case_count"] = str(len(expected["case_studies"]))  # the form's calculate field
    return expected


# --------------------------------------------------------------------------------------------------------- the load


@dataclass
class Outcome:
    timings: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)


def respondent(
    port: int, token: str, saves: list[Save], start: threading.Barrier, think: tuple[float, float] | None, seed: int
) -> Outcome:
    """Open the link once, wait for the others, then send every save on one connection (reopened when closed)."""
    outcome = Outcome()
    pauses = random.Random(seed)  # noqa: S311 - pauses between saves, reproducible
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    path = f"/api/v1/responses/{token}?lang=ru"
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    try:
        connection.request("GET", path, headers=headers)
        opened = connection.getresponse()
        content = opened.read()
        if opened.status != 200:
            outcome.problems.append(f"GET {token[:8]}: HTTP {opened.status}: {content[:300]!r}")
            saves = []
    except (OSError, http.client.HTTPException) as error:
        outcome.problems.append(f"GET {token[:8]}: {type(error).__name__}: {error}")
        saves = []
    try:
        start.wait(timeout=120)
        for number, save in enumerate(saves):
            if think:
                time.sleep(pauses.uniform(*think))
            body = json.dumps({"answers": save.answers}, ensure_ascii=False).encode()
            started = time.perf_counter()
            connection.request("PATCH", path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read()
            outcome.timings.append(time.perf_counter() - started)
            outcome.statuses[response.status] += 1
            if response.status != save.status:
                outcome.problems.append(
                    f"save {number} of {token[:8]}: HTTP {response.status}, expected {save.status}: {content[:300]!r}"
                )
            elif response.status == 422:
                errors = set(json.loads(content).get("errors", {}))
                if errors != save.refused:
                    outcome.problems.append(f"save {number} of {token[:8]}: refused {errors}, expected {save.refused}")
    except (OSError, http.client.HTTPException, threading.BrokenBarrierError) as error:
        outcome.problems.append(f"{token[:8]}: {type(error).__name__}: {error}")
    finally:
        connection.close()
    return outcome


def load(port: int, tokens: list[str], run: Run) -> tuple[dict[str, Any], dict[str, list[Save]]]:
    """Every respondent at once (one thread each); the figures of the PATCH round trips, and what each one sent."""
    plans = {token: saves_for(index, run.saves) for index, token in enumerate(tokens)}
    start = threading.Barrier(len(tokens) + 1)
    with ThreadPoolExecutor(len(tokens)) as pool:
        futures = [
            pool.submit(respondent, port, token, plans[token], start, run.think, index)
            for index, token in enumerate(tokens)
        ]
        with suppress(threading.BrokenBarrierError):  # reported by the respondents
            start.wait(timeout=120)
        began = time.perf_counter()
        outcomes = [future.result() for future in futures]
        elapsed = time.perf_counter() - began
    timings = sorted(t for outcome in outcomes for t in outcome.timings)
    statuses = sum((outcome.statuses for outcome in outcomes), Counter())
    problems = [problem for outcome in outcomes for problem in outcome.problems]
    for problem in problems[:20]:
        print("PROBLEM:", problem, file=sys.stderr)
    if len(timings) < 2:
        return {"saves": len(timings), "problems": len(problems), "other_statuses": dict(statuses)}, plans
    cut = statistics.quantiles(timings, n=100, method="inclusive")
    figures = {
        "respondents": len(tokens),
        "saves": len(timings),
        "seconds": round(elapsed, 2),
        "requests_per_second": round(len(timings) / elapsed, 1),
        "p50_ms": round(cut[49] * 1000, 1),
        "p95_ms": round(cut[94] * 1000, 1),
        "p99_ms": round(cut[98] * 1000, 1),
        "max_ms": round(timings[-1] * 1000, 1),
        "mean_ms": round(statistics.fmean(timings) * 1000, 1),
        "status_200": statuses.pop(200, 0),
        "status_422": statuses.pop(422, 0),
        "other_statuses": {str(status): count for status, count in statuses.items()},
        "problems": len(problems),
    }
    return figures, plans


# --------------------------------------------------------------------------------------------------------- CPU used

TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def processes(server: int, database_name: str | None) -> dict[str, list[int]]:
    """The gunicorn workers (children of ``server``) and the PostgreSQL backends of the bench's database (Linux)."""
    found: dict[str, list[int]] = {"workers": [], "database": []}
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except (OSError, IndexError, ValueError):
            continue
        if parent == server:
            found["workers"].append(int(entry.name))
        elif database_name and command.startswith("postgres:") and f" {database_name} " in command:
            found["database"].append(int(entry.name))
    return found


def cpu_times(pids: list[int]) -> dict[int, float]:
    """Seconds of CPU (user and system) each process has used so far."""
    times = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            times[pid] = (int(fields[11]) + int(fields[12])) / TICKS
        except (OSError, IndexError, ValueError):
            continue
    return times


@dataclass
class CpuSnapshot:
    server: int
    database_name: str | None
    times: dict[str, dict[int, float]] = field(default_factory=dict)
    client: float = 0.0
    load_average: float = 0.0

    @classmethod
    def take(cls, server: int, database_name: str | None) -> CpuSnapshot:
        found = processes(server, database_name)
        times = {role: cpu_times(pids) for role, pids in found.items()}
        return cls(server, database_name, times, time.process_time(), os.getloadavg()[0])

    def per_save(self, saves: int) -> dict[str, float]:
        """Milliseconds of CPU per save used since the snapshot: gunicorn workers, database, this process (clients)."""
        now = CpuSnapshot.take(self.server, self.database_name)
        figures = {"load_average_1min_before": round(self.load_average, 2)}
        for role, times in now.times.items():
            if role == "database" and not self.database_name:
                continue
            used = sum(after - self.times[role].get(pid, 0.0) for pid, after in times.items())
            figures[f"cpu_ms_per_save_{role}"] = round(used * 1000 / max(saves, 1), 1)
        figures["cpu_ms_per_save_clients"] = round((now.client - self.client) * 1000 / max(saves, 1), 1)
        return figures


# --------------------------------------------------------------------------------------------------------- the server


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def gunicorn(env: dict[str, str], options: list[str], log: Path) -> Iterator[tuple[int, int]]:
    """A gunicorn serving ipvalue on a free loopback port: (port, process id of the master)."""
    port = free_port()
    with log.open("ab") as log_file:
        server = subprocess.Popen(
            [BIN / "gunicorn", "ipvalue.config.wsgi", "--bind", f"127.0.0.1:{port}", *options],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=log_file,
        )
    try:
        for _attempt in range(300):
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            try:
                connection.request("GET", "/healthz")
                if connection.getresponse().status == 200:
                    break
            except OSError:
                time.sleep(0.2)
            finally:
                connection.close()
        else:
            raise RuntimeError(f"gunicorn did not answer; its log:\n{log.read_text()[-3000:]}")
        yield port, server.pid
    finally:
        server.terminate()
        server.wait(timeout=30)


def server_errors(log: Path) -> Counter[str]:
    """The exceptions in the server's log (the last line of each traceback), counted.

    Static files are not collected (the API answers JSON, and collecting them takes minutes), so an HTML error page
    fails to render for want of the manifest; that failure only ever follows another error, which is the one counted.
    """
    errors: Counter[str] = Counter()
    in_traceback = False
    for line in log.read_text(errors="replace").splitlines():
        if line.startswith("Traceback"):
            in_traceback = True
        elif in_traceback and line and not line.startswith((" ", "\t")):
            if "Missing staticfiles manifest entry" not in line:
                errors[line[:300]] += 1
            in_traceback = False
    return errors


# --------------------------------------------------------------------------------------------------------- the data


def prepare_django(env: dict[str, str]) -> None:
    """Set Django up in this process, on the bench's database, to create the data and read the answers back."""
    os.environ.update(env)
    import django

    django.setup()


def new_invitations(count: int) -> list[str]:
    """Invitations to the demo questionnaire (imported and published on first use), in Russian."""
    from django.db import connections

    from ipvalue.surveys import demo, services
    from ipvalue.surveys.models import Invitation, Survey

    survey = Survey.objects.filter(title__startswith="IP-backed finance").first()
    if survey is None:
        survey = services.survey_import(actor=None, content=demo.case_study_form(), filename="case_studies.xlsx")
        services.publish_unattended(survey=survey)
    tokens = [Invitation.objects.create(survey=survey, language="ru").token for _index in range(count)]
    connections.close_all()
    return tokens


def lost_answers(plans: dict[str, list[Save]]) -> list[str]:
    """Respondents whose stored answers are not the last valid ones they sent (with what differs)."""
    from django.db import connections

    from ipvalue.surveys.models import Response

    lost = []
    for token, saves in plans.items():
        responses = list(Response.objects.filter(invitation__token=token))
        expected = expected_answers(saves)
        if len(responses) != 1:
            lost.append(f"{token[:8]}: {len(responses)} responses")
        elif responses[0].answers != expected:
            stored = responses[0].answers
            keys = sorted(key for key in stored.keys() | expected.keys() if stored.get(key) != expected.get(key))
            lost.append(f"{token[:8]}: " + "; ".join(f"{k}: {stored.get(k)!r} != {expected.get(k)!r}" for k in keys))
    connections.close_all()
    return lost


# --------------------------------------------------------------------------------------------------------- main


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--sqlite", action="store_true", help="do not try PostgreSQL")
    parser.add_argument("--more-servers", action="store_true", help="also the headline on 4 workers, and threads")
    args = parser.parse_args()
    plan: list[tuple[str, Run]] = [("gunicorn, 2 sync workers", run) for run in (*RUNS, PACED)]
    if args.more_servers:
        plan += [(server, HEADLINE) for server in list(SERVERS)[1:]]
    results: list[dict[str, Any]] = []
    failures: list[str] = []
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as var_dir, database(not args.sqlite) as (url, db):
        env = os.environ | {
            "IPVALUE_VAR_DIR": var_dir,
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1",
            "IPVALUE_HTTPS": "false",
            "DEBUG": "false",
            "DJANGO_SETTINGS_MODULE": "ipvalue.config.settings",
            # Everything comes from 127.0.0.1: a one-second window keeps the throttle's bookkeeping as small as
            # a respondent's under the production limit (600 a minute per address).
            "SURVEY_API_RATE": "100000/s",
        }
        env.pop("DATABASE_URL", None)
        if url:
            env["DATABASE_URL"] = url
        database_name = url.rsplit("/", 1)[1] if url else None
        print(f"Database: {db}", file=sys.stderr)
        subprocess.run([BIN / "ipvalue", "migrate", "--verbosity", "0"], env=env, check=True)
        prepare_django(env)
        log = Path(var_dir) / "gunicorn.log"
        for server in dict.fromkeys(server for server, _run in plan):
            with gunicorn(env, SERVERS[server], log) as (port, master):
                load(port, new_invitations(4), Run("warm-up", 4, 10))  # every worker: imports, database connection
                for _server, run in (item for item in plan if item[0] == server):
                    tokens = new_invitations(run.respondents)
                    snapshot = CpuSnapshot.take(master, database_name)
                    figures, plans = load(port, tokens, run)
                    figures |= snapshot.per_save(figures["saves"])
                    lost = lost_answers(plans)
                    figures["answers_check"] = "all stored" if not lost else f"{len(lost)} respondents lost answers"
                    results.append({"server": server, "load": run.label, **figures})
                    print(f"{server}; {run.label}: {json.dumps(figures)}", file=sys.stderr)
                    if figures["problems"] or figures["other_statuses"]:
                        failures.append(f"{server}; {run.label}: {figures['problems']} unexpected statuses or errors")
                    failures += [f"{server}; {run.label}: answers lost: {problem}" for problem in lost]
        failures += [f"server log: {count} x {error}" for error, count in server_errors(log).most_common(10)]
    headline = results[0]
    report = {
        "date": time.strftime("%Y-%m-%d"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "database": db,
        "setup": "production settings, load generator (one thread per respondent, http.client) on the same machine",
        "target": f"p95 under {TARGET_P95_MS:g} ms with 20 respondents at once",
        "target_met_by_headline": headline.get("p95_ms", float("inf")) < TARGET_P95_MS,
        "bench_seconds": round(time.perf_counter() - started, 1),
        "results": results,
        "failures": failures,
    }
    out = ROOT / "bench" / "results" / f"survey_save-{report['date']}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps(report, indent=2, ensure_ascii=False))
    print(f"\n{'server':43} {'load':68} {'req/s':>6} {'p50':>6} {'p95':>6} {'p99':>6} {'max':>6}  CPU ms/save")
    for row in results:
        print(
            f"{row['server']:43} {row['load']:68} {row.get('requests_per_second', 0):6} {row.get('p50_ms', 0):6}"
            f" {row.get('p95_ms', 0):6} {row.get('p99_ms', 0):6} {row.get('max_ms', 0):6}"
            f"  {row.get('cpu_ms_per_save_workers', '?')} + {row.get('cpu_ms_per_save_database', '-')} database;"
            f" statuses 200/422/other {row.get('status_200', 0)}/{row.get('status_422', 0)}"
            f"/{sum(row['other_statuses'].values())}"
            f"; {row.get('answers_check', '')}"
        )
    if failures:
        print("FAILED:\n" + "\n".join(failures), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
