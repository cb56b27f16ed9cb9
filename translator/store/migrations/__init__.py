"""Versioned schema migrations of the PostgreSQL store: numbered SQL files, applied in order.

``NNNN_name.sql`` in this folder is schema version NNNN. ``translator store
migrate`` applies the missing ones with their rows in ``translator_schema``,
all in one transaction (PostgreSQL's DDL is transactional, so a failed
migration leaves the previous version whole) under a transaction-level
advisory lock, so two processes migrating at once apply each file once. At start the store only
checks: older than the code asks for ``translator store migrate``, newer is
refused (this code would not know what the newer schema means).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import psycopg
import psycopg.sql

from ...errors import StoreError

__all__ = ["LATEST", "MIGRATIONS", "Migration", "applied_version", "check_schema", "migrate"]

#: The advisory lock key migrations hold (per database): "TrNsMigr".
_MIGRATION_LOCK = 0x54724E734D696772


@dataclass(frozen=True)
class Migration:
    """One numbered SQL file."""

    version: int
    name: str
    sql: str


def _load() -> list[Migration]:
    found = []
    for path in sorted(Path(__file__).parent.glob("*.sql")):
        match = re.fullmatch(r"(\d{4})_(\w+)\.sql", path.name)
        if match:
            found.append(Migration(int(match[1]), match[2], path.read_text(encoding="utf-8")))
    versions = [m.version for m in found]
    if versions != list(range(1, len(found) + 1)):  # a gap or a duplicate is a packaging mistake
        raise RuntimeError(f"store migrations are not numbered 1..n: {versions}")
    return found


MIGRATIONS: list[Migration] = _load()
#: The schema version this code reads and writes.
LATEST = MIGRATIONS[-1].version

_BOOKKEEPING = """CREATE TABLE IF NOT EXISTS translator_schema (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
)"""


def applied_version(conn: psycopg.Connection) -> int | None:
    """The schema version of the database (0: no table at all), None when it holds tables that are
    not ours (a database of something else)."""
    tables = [row[0] for row in conn.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()")]
    if "translator_schema" not in tables:
        return 0 if not tables else None
    return conn.execute("SELECT coalesce(max(version), 0) FROM translator_schema").fetchone()[0]


def check_schema(conn: psycopg.Connection, description: str) -> None:
    """Raise :class:`StoreError` (one line) unless the database has exactly this code's schema."""
    version = _known_version(conn, description)
    if version < LATEST:
        raise StoreError(f"TRANSLATOR_STORE: {description} has store schema {version}, this translator needs "
                         f"{LATEST}: run `translator store migrate`")


def _known_version(conn: psycopg.Connection, description: str) -> int:
    """The schema version, refusing a database of something else or one newer than this code."""
    version = applied_version(conn)
    if version is None:
        raise StoreError(f"TRANSLATOR_STORE: {description} holds tables that are not a translator store; "
                         "point TRANSLATOR_STORE at another database or schema")
    if version > LATEST:
        raise StoreError(f"TRANSLATOR_STORE: {description} has store schema {version}, newer than this version "
                         f"of translator understands ({LATEST}); upgrade translator")
    return version


def migrate(conn: psycopg.Connection, description: str, *, schema: str | None = None,
            target: int = LATEST) -> list[int]:
    """Apply the migrations up to ``target`` that the database (``schema``: that schema, created
    if missing; it must be the connection's search path) lacks; the versions applied.

    ``conn`` is in autocommit mode. Refuses (StoreError) a database of something else or one newer
    than this code.
    """
    applied: list[int] = []
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (_signed(_MIGRATION_LOCK),))
        if schema:
            conn.execute(psycopg.sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(psycopg.sql.Identifier(schema)))
        version = _known_version(conn, description)
        conn.execute(_BOOKKEEPING)
        for migration in MIGRATIONS[version:target]:
            with conn.transaction():  # a savepoint per file, so an error names the file that failed
                conn.execute(migration.sql)
                conn.execute("INSERT INTO translator_schema (version, name) VALUES (%s, %s)",
                              (migration.version, migration.name))
            applied.append(migration.version)
    return applied


def _signed(key: int) -> int:
    return key - (1 << 64) if key >= 1 << 63 else key
