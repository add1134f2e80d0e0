"""What the benchmarks share: a throw-away PostgreSQL database on this machine, or SQLite when there is none."""

from __future__ import annotations

import os
import secrets
import sys
from collections.abc import Iterator
from contextlib import contextmanager

POSTGRES_URL = os.environ.get("BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


@contextmanager
def database(use_postgres: bool, prefix: str = "ipvalue_bench") -> Iterator[tuple[str | None, str]]:
    """A fresh PostgreSQL database (dropped afterwards): its URL and a description; (None, ...) for SQLite, asked for
    or because PostgreSQL cannot be reached."""
    if not use_postgres:
        yield None, "SQLite (--sqlite)"
        return
    try:
        import psycopg

        admin = psycopg.connect(POSTGRES_URL, autocommit=True, connect_timeout=3)
    except Exception as error:  # any failure to reach PostgreSQL means the fallback
        reason = " ".join(str(error).split())[:200]
        print(f"PostgreSQL is not reachable ({reason}): falling back to SQLite.", file=sys.stderr)
        yield None, f"SQLite (PostgreSQL not reachable: {reason})"
        return
    name = f"{prefix}_{secrets.token_hex(4)}"
    row = admin.execute("SHOW server_version").fetchone()
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        url = POSTGRES_URL.rsplit("/", 1)[0].replace("postgresql://", "postgres://", 1) + f"/{name}"
        yield url, f"PostgreSQL {(row[0] if row else '?').split()[0]} on the same machine"
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()
