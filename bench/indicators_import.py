"""Benchmark: importing World Bank indicator files (``ipvalue import-indicators FILE --source worldbank``).

Generates two synthetic files in the bank's layouts (fixed seed): an ``API_*.csv``-style file (BOM, preamble,
trailing commas) of 266 rows (249 ISO 3166 countries + 17 aggregates) x 6 kept indicators x 64 years (1960-2023,
about 70% of cells filled), and a bulk ``WDICSV.csv``-style file of 1,500 indicators x 266 rows (the 6 kept ones
and 1,494 others, about 40% of cells filled). A fresh SQLite database (or PostgreSQL with ``--postgres URL``) is
migrated and given the member states; each import then runs in a subprocess of its own, which reports its wall time
and its peak resident memory (``VmHWM``) against its resident memory before the import. The 6-indicator file is
imported twice (the second time every value is unchanged), then the bulk file (other random values: the kept
indicators are updated).

Run with ``.venv/bin/python bench/indicators_import.py``; figures go to ``bench/results/indicators-<date>.json``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SEED = 20261127
YEARS = list(range(1960, 2024))
KEPT = ["BX.GSR.ROYL.CD", "BM.GSR.ROYL.CD", "IP.PAT.RESD", "IP.PAT.NRES", "GB.XPD.RSDV.GD.ZS", "NY.GDP.MKTP.CD"]
AGGREGATES = ["AFE", "AFW", "ARB", "CEB", "EAP", "EAS", "ECA", "ECS", "EUU", "HIC", "LIC", "LMC", "MIC", "OED", "SAS",
              "UMC", "WLD"]  # fmt: skip

CHILD = """
import json, os, sys, time
import django
django.setup()
from ipvalue.indicators import services

def memory(key):
    for line in open("/proc/self/status"):
        if line.startswith(key + ":"):
            return int(line.split()[1]) / 1024
    return 0.0

path = sys.argv[1]
content = open(path, "rb").read()
before = memory("VmRSS")
start = time.perf_counter()
summary = services.indicators_import(actor=None, content=content, filename=os.path.basename(path), source="worldbank")
seconds = time.perf_counter() - start
print(json.dumps({"seconds": round(seconds, 2), "rss_before_mb": round(before), "peak_mb": round(memory("VmHWM")),
                  "file_mb": round(len(content) / 2**20, 1), **summary.counts()}))
"""


def countries() -> list[tuple[str, str]]:
    import pycountry

    rows = [(country.name, country.alpha_3) for country in pycountry.countries]
    rows += [(f"Aggregate {code}", code) for code in AGGREGATES]
    return sorted(rows, key=lambda row: row[1])[:266]


def _q(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def write_api_file(path: Path, rng: random.Random) -> None:
    header = ["Country Name", "Country Code", "Indicator Name", "Indicator Code", *map(str, YEARS)]
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        out.write('"Data Source","World Development Indicators",\n\n"Last Updated Date","2024-06-28",\n\n')
        out.write(",".join(map(_q, header)) + ",\n")
        for code in KEPT:
            for name, iso3 in countries():
                values = [f"{rng.uniform(1, 1e9):.1f}" if rng.random() < 0.7 else "" for _year in YEARS]
                out.write(",".join(map(_q, [name, iso3, f"Indicator {code}", code, *values])) + ",\n")


def write_bulk_file(path: Path, rng: random.Random, indicators: int) -> None:
    codes = KEPT + [f"XX.SYN.{index:04d}" for index in range(indicators - len(KEPT))]
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(",".join(["Country Name", "Country Code", "Indicator Name", "Indicator Code", *map(str, YEARS)]))
        out.write("\n")
        for name, iso3 in countries():
            for code in codes:
                fill = 0.7 if code in KEPT else 0.4
                values = [f"{rng.uniform(0, 1e6):.2f}" if rng.random() < fill else "" for _year in YEARS]
                out.write(",".join([_q(name), iso3, f"Indicator {code}", code, *values]) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--indicators", type=int, default=1500, help="indicators in the bulk file")
    parser.add_argument("--postgres", default="", help="a PostgreSQL database URL to use instead of SQLite")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ipvalue-bench-indicators-") as folder:
        tmp = Path(folder)
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "ipvalue.config.settings",
            "DATABASE_URL": args.postgres or f"sqlite:///{tmp / 'bench.sqlite3'}",
            "IPVALUE_VAR_DIR": str(tmp),
            "SECRET_KEY": "bench",
        }
        rng = random.Random(SEED)  # noqa: S311  (reproducible data, not secrets)
        start = time.perf_counter()
        api_file, bulk_file = tmp / "API_SYNTHETIC_DS2_en_csv_v2.csv", tmp / "WDICSV.csv"
        write_api_file(api_file, rng)
        write_bulk_file(bulk_file, random.Random(SEED), args.indicators)  # noqa: S311
        print(f"files generated in {time.perf_counter() - start:.1f} s", file=sys.stderr)
        for command in (["migrate", "--verbosity", "0"], ["load_reference_data"]):
            subprocess.run([str(BIN / "ipvalue"), *command], env=env, cwd=tmp, check=True, capture_output=True)
        results = []
        for label, path in (
            ("API file, 266 rows x 6 indicators x 64 years, first import", api_file),
            ("the same file again (every value unchanged)", api_file),
            (f"bulk WDICSV, {args.indicators} indicators x 266 rows (6 kept)", bulk_file),
        ):
            run = subprocess.run(
                [sys.executable, "-c", CHILD, str(path)], env=env, cwd=tmp, check=True, capture_output=True, text=True
            )
            result = {"run": label, **json.loads(run.stdout.strip().splitlines()[-1])}
            print(json.dumps(result), file=sys.stderr)
            results.append(result)
    record = {
        "date": dt.date.today().isoformat(),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "database": "PostgreSQL" if args.postgres else "SQLite",
        "results": results,
    }
    out = ROOT / "bench" / "results" / f"indicators-{record['date']}.json"
    out.write_text(json.dumps(record, indent=2) + "\n")
    print(json.dumps(record, indent=2))


if __name__ == "__main__":
    main()
