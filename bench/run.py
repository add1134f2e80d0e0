"""Benchmark: real HTTP against a real server (gunicorn, production settings on SQLite) on the loopback address.

Measures latency percentiles and throughput of the pages and API endpoints the foundation serves, with a bounded
number of requests, and writes the figures to ``bench/results/latest.json``. Run with ``make bench``.
"""

import json
import os
import platform
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
ENDPOINTS = ["/healthz", "/api/v1/countries", "/en/", "/ru/countries/", "/en/countries/kz/"]
REQUESTS_PER_ENDPOINT = 300
CONCURRENCY = 8


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> float:
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=30) as response:
        response.read()
        if response.status != 200:
            raise RuntimeError(f"{url}: HTTP {response.status}")
    return time.perf_counter() - started


def measure(base: str, path: str) -> dict[str, float]:
    fetch(base + path)  # warm up
    started = time.perf_counter()
    with ThreadPoolExecutor(CONCURRENCY) as pool:
        timings = sorted(pool.map(fetch, [base + path] * REQUESTS_PER_ENDPOINT))
    elapsed = time.perf_counter() - started
    quantiles = statistics.quantiles(timings, n=100)
    return {
        "requests": REQUESTS_PER_ENDPOINT,
        "concurrency": CONCURRENCY,
        "requests_per_second": round(REQUESTS_PER_ENDPOINT / elapsed, 1),
        "p50_ms": round(quantiles[49] * 1000, 1),
        "p95_ms": round(quantiles[94] * 1000, 1),
        "max_ms": round(timings[-1] * 1000, 1),
    }


IMPORT_ROWS = 2000


def stakeholder_import(base: str, env: dict[str, str]) -> dict[str, dict[str, float]]:
    """Time a CSV import of IMPORT_ROWS people through the API, then a page of the people list."""
    subprocess.run(
        [BIN / "ipvalue", "user", "add", "bench", "--role", "secretariat"],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    token = subprocess.run(
        [BIN / "ipvalue", "api-token", "bench"], env=env, check=True, capture_output=True, text=True
    ).stdout.strip()
    lines = ["full_name,email,country,organisation,organisation_type,languages"]
    countries = ["KZ", "UZ", "KG", "TJ", "AM"]
    for index in range(IMPORT_ROWS):
        country = countries[index % len(countries)]
        lines.append(f"Person {index},p{index}@example.org,{country},Organisation {index % 150},sme,ru")
    boundary = "ipvalue-bench-boundary"
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="mode"\r\n\r\nall-or-nothing\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="people.csv"\r\n'
        f"Content-Type: text/csv\r\n\r\n" + "\n".join(lines) + f"\r\n--{boundary}--\r\n"
    ).encode()
    request = urllib.request.Request(
        base + "/api/v1/stakeholders/import",
        data=body,
        headers={"Authorization": f"Bearer {token}", "Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=600) as response:
        report = json.loads(response.read())
    seconds = time.perf_counter() - started
    if report["imported"] != IMPORT_ROWS:
        raise RuntimeError(f"import: {report}")
    listing = urllib.request.Request(
        base + "/api/v1/stakeholders/people?limit=100", headers={"Authorization": f"Bearer {token}"}
    )
    started = time.perf_counter()
    with urllib.request.urlopen(listing, timeout=60) as response:
        response.read()
    return {
        f"POST /api/v1/stakeholders/import ({IMPORT_ROWS} rows)": {
            "seconds": round(seconds, 2),
            "rows_per_second": round(IMPORT_ROWS / seconds, 1),
        },
        "GET /api/v1/stakeholders/people?limit=100 (after import)": {
            "ms": round((time.perf_counter() - started) * 1000, 1)
        },
    }


def main() -> None:
    with tempfile.TemporaryDirectory() as var_dir:
        env = os.environ | {
            "IPVALUE_VAR_DIR": var_dir,
            "SECRET_KEY": secrets.token_urlsafe(50),
            "IPVALUE_HTTPS": "false",
            "DEBUG": "false",
        }
        env.pop("DATABASE_URL", None)
        subprocess.run([BIN / "ipvalue", "setup"], env=env, check=True, stdout=subprocess.DEVNULL)
        port = free_port()
        server = subprocess.Popen(
            [BIN / "gunicorn", "ipvalue.config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            for _attempt in range(100):
                try:
                    fetch(base + "/healthz")
                    break
                except OSError:
                    time.sleep(0.2)
            results = {path: measure(base, path) for path in ENDPOINTS}
            results |= stakeholder_import(base, env)
        finally:
            server.terminate()
            server.wait(timeout=30)
    report = {
        "date": time.strftime("%Y-%m-%d"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "server": "gunicorn, 2 sync workers, SQLite, production settings",
        "results": results,
    }
    out = ROOT / "bench" / "results" / "latest.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
