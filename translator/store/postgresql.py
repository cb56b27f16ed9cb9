"""The durable shared store: PostgreSQL, for any number of web processes and workers.

``postgresql://USER:PASSWORD@HOST:PORT/DB`` (``postgres://`` too), plus
optional query parameters of the store's own: ``schema`` (a schema of its
own, so one database can hold several stores; default ``public``) and
``pool_size`` (connections per process, default 10). Other query parameters
go to libpq (``sslmode``...).

Connections come from a :class:`psycopg_pool.ConnectionPool`; an operation
whose connection turns out to be gone (a restarted server,
``pg_terminate_backend``) has the pool replace its broken connections and
runs once more, so a dropped connection costs a retry, not a failed request.
Connecting, waiting for a pooled connection and every statement are bounded by ``TRANSLATOR_STORE_TIMEOUT``. Every write that
touches several rows is one transaction. The single-flight lock is a
session advisory lock (``pg_advisory_lock`` with a ``lock_timeout``) on a
connection held for the lock's life: it holds across processes and
machines, and PostgreSQL releases it the moment its holder's connection
ends, a killed process included; nothing is polled and nothing is left
behind.

The schema comes from the numbered migrations of :mod:`.migrations`
(``translator store migrate``); opening only checks it.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import psycopg
import psycopg.errors
from psycopg_pool import ConnectionPool, PoolTimeout

from ..errors import StoreError
from ..editorial.human_memory import HumanEntry, normalise_segment
from ..editorial.publication import Publication
from ..text.timestamps import utc_timestamp
from . import (STORE_VARIABLE, ArticleVersion, HitCounter, PutResult, StoredTranslation, content_digest,
               redact_url, version_time)
from .locks import NamedLocks
from .migrations import check_schema, migrate
from .sql import check_article_id, delete_versions

__all__ = ["DEFAULT_POOL_SIZE", "DEFAULT_TIMEOUT", "PostgreSQLStore"]

log = logging.getLogger(__name__)

#: Seconds to connect, to wait for a pooled connection and for each statement (``TRANSLATOR_STORE_TIMEOUT``).
DEFAULT_TIMEOUT = 2.0
#: Connections each process may open (a held single-flight lock keeps one).
DEFAULT_POOL_SIZE = 10

_PROBE_KEY = "\x00readiness-probe"
_PAGE = 100
_DAY = 86_400.0


class PostgreSQLStore:
    """The :class:`translator.store.Store` in a PostgreSQL database."""

    def __init__(self, conninfo: str, *, description: str, schema: str | None = None, keep_versions: int = 10,
                 timeout: float = DEFAULT_TIMEOUT, pool_size: int = DEFAULT_POOL_SIZE,
                 clock: Callable[[], float] = time.time, check: bool = True):
        if keep_versions < 1:
            raise ValueError("keep_versions must be at least 1")
        self.description = description
        self.schema = schema
        self.keep_versions = keep_versions
        self.timeout = timeout
        self.lookups = HitCounter()
        self._clock = clock
        self._local_locks = NamedLocks()
        # Lock keys are per database: the schema goes into them, so stores in two schemas never block each other.
        self._lock_namespace = f"{schema or 'public'}\x00"
        options = f"-c statement_timeout={int(timeout * 1000)}"
        if schema:
            options += f" -c search_path={schema}"
        kwargs = {"connect_timeout": max(1, round(timeout)), "options": options, "autocommit": True,
                  "application_name": "translator"}
        self._pool = ConnectionPool(conninfo, kwargs=kwargs, min_size=1, max_size=pool_size, timeout=timeout,
                                    open=False, name="translator-store",
                                    reconnect_timeout=max(10.0, timeout))
        try:
            self._pool.open(wait=True, timeout=max(timeout, 1.0))
        except PoolTimeout:
            self._pool.close()
            raise StoreError(f"{STORE_VARIABLE}: cannot connect to {description} within {timeout:g}s") from None
        if check:
            try:
                with self._errors(), self._pool.connection() as conn:
                    check_schema(conn, description)
            except StoreError:
                self.close()
                raise

    @classmethod
    def from_url(cls, url: str, *, keep_versions: int = 10, timeout: float = DEFAULT_TIMEOUT,
                 clock: Callable[[], float] = time.time, check: bool = True) -> "PostgreSQLStore":
        """``postgresql://USER:PASSWORD@HOST:PORT/DB[?schema=NAME&pool_size=N&libpq options]``."""
        parts = urlsplit(url)
        query = parse_qsl(parts.query)
        own = dict((k, v) for k, v in query if k in ("schema", "pool_size"))
        try:
            pool_size = int(own.get("pool_size", DEFAULT_POOL_SIZE))
            if pool_size < 2:
                raise ValueError("pool_size must be at least 2")
        except ValueError as exc:
            raise StoreError(f"{STORE_VARIABLE}={redact_url(url)!r}: {exc}") from None
        schema = own.get("schema") or None
        if schema is not None and not schema.replace("_", "").isalnum():
            raise StoreError(f"{STORE_VARIABLE}={redact_url(url)!r}: schema must be letters, digits and _")
        rest = urlencode([(k, v) for k, v in query if k not in own])
        conninfo = urlunsplit(("postgresql", parts.netloc, parts.path, rest, ""))
        return cls(conninfo, description=redact_url(url), schema=schema, keep_versions=keep_versions,
                   timeout=timeout, pool_size=pool_size, clock=clock, check=check)

    # -- connections, transactions, errors ----------------------------------------------------------

    @contextmanager
    def _errors(self) -> Iterator[None]:
        """Turn PostgreSQL and pool failures into one clear :class:`StoreError`."""
        try:
            yield
        except PoolTimeout as exc:
            raise StoreError(f"store {self.description}: no connection within {self.timeout:g}s ({exc})") from None
        except psycopg.Error as exc:
            log.warning("store %s failed: %s", self.description, exc)
            raise StoreError(f"store {self.description}: {type(exc).__name__}: {exc}".strip()) from exc

    def _run(self, work: Callable[[psycopg.Connection], object], *, write: bool = False):
        """``work(conn)`` on a pooled connection (in one transaction when ``write``), tried once more
        on a fresh connection when the first one turns out to be gone."""
        with self._errors():
            for attempt in (1, 2):
                used: list[psycopg.Connection] = []
                try:
                    with self._pool.connection() as conn:
                        used.append(conn)
                        if not write:
                            return work(conn)
                        with conn.transaction():
                            return work(conn)
                except psycopg.OperationalError as exc:
                    # Only a lost connection is tried again (a timeout would only double the wait); a
                    # write lost with it was rolled back by the server, so trying it again is safe.
                    if attempt == 2 or not used or not used[0].broken:
                        raise
                    log.info("store %s: connection lost (%s); trying again on another", self.description, exc)
                    # Whatever cut this one (a restarted server, pg_terminate_backend) cut its idle
                    # siblings too: replace every broken one now rather than meeting them one by one.
                    self._pool.check()

    @contextmanager
    def _live_connection(self) -> Iterator[psycopg.Connection]:
        """A pooled connection that has just answered (for work that cannot simply run again, such as
        holding a lock): a dead one is replaced, with its broken siblings, once."""
        for attempt in (1, 2):
            with self._pool.connection() as conn:
                try:
                    conn.execute("SELECT 1")
                except psycopg.OperationalError:
                    if attempt == 2 or not conn.broken:
                        raise
                    self._pool.check()
                    continue
                yield conn
                return

    def migrate(self) -> list[int]:
        """Apply the schema migrations this database lacks; the versions applied."""
        with self._errors(), self._pool.connection() as conn:
            return migrate(conn, self.description, schema=self.schema)

    def ping(self) -> None:
        self._run(lambda conn: conn.execute("SELECT count(*) FROM articles").fetchone())

    def probe(self) -> None:
        token = uuid.uuid4().hex

        def probe(conn: psycopg.Connection):
            # Through the segments table, the one every translation writes; removed in the same
            # transaction, so the store's content never changes.
            conn.execute("INSERT INTO segments (key, target, written_at) VALUES (%s, %s, %s) "
                         "ON CONFLICT (key) DO UPDATE SET target = excluded.target",
                         (_utf8(_PROBE_KEY), _utf8(token), self._clock()))
            row = conn.execute("SELECT target FROM segments WHERE key = %s", (_utf8(_PROBE_KEY),)).fetchone()
            conn.execute("DELETE FROM segments WHERE key = %s", (_utf8(_PROBE_KEY),))
            return row

        row = self._run(probe, write=True)
        if row is None or bytes(row[0]) != _utf8(token):
            raise StoreError(f"store {self.description}: a probe entry did not read back as written")

    def segment_entries(self) -> Iterator[tuple[str, str]]:
        after = b""
        while True:
            rows = self._run(lambda conn: conn.execute(
                "SELECT key, target FROM segments WHERE key > %s ORDER BY key LIMIT %s",
                (after, _PAGE * 10)).fetchall())
            for key, target in rows:
                if bytes(key) != _utf8(_PROBE_KEY):
                    yield _text(key), _text(target)
            if len(rows) < _PAGE * 10:
                return
            after = bytes(rows[-1][0])

    def article_ids(self) -> Iterator[str]:
        yield from [row[0] for row in self._run(lambda conn: conn.execute(
            'SELECT id FROM articles ORDER BY id COLLATE "C"').fetchall())]

    def put_version(self, version: ArticleVersion) -> None:
        check_article_id(version.id)
        created = version_time(version)
        digest = content_digest(version.title, version.body, version.format, version.url)

        def put(conn: psycopg.Connection) -> None:
            conn.execute("INSERT INTO articles (id, latest, created_at) VALUES (%s, %s, %s) "
                         "ON CONFLICT (id) DO UPDATE SET latest = greatest(articles.latest, excluded.latest)",
                         (version.id, version.version, created))
            conn.execute("INSERT INTO versions (article_id, version, title, body, format, url, digest, created_at) "
                         "VALUES (%s, %s, %s, %s, %s, %s, %s, %s) ON CONFLICT (article_id, version) DO UPDATE SET "
                         "title = excluded.title, body = excluded.body, format = excluded.format, "
                         "url = excluded.url, digest = excluded.digest, created_at = excluded.created_at",
                         (version.id, version.version, version.title, version.body, version.format, version.url,
                          digest, created))

        self._run(put, write=True)

    def pool_stats(self) -> dict[str, int]:
        """``{"in_use", "waiting"}``: this process's pooled connections lent out, and requests waiting for one."""
        stats = self._pool.get_stats()
        return {"in_use": stats.get("pool_size", 0) - stats.get("pool_available", 0),
                "waiting": stats.get("requests_waiting", 0)}

    def close(self) -> None:
        self._pool.close()

    # -- translation memory ----------------------------------------------------------------------

    def get_segments(self, keys: Sequence[str]) -> dict[str, str]:
        keys = list(dict.fromkeys(keys))
        if not keys:
            self.lookups.record(0, 0)
            return {}
        rows = self._run(lambda conn: conn.execute(
            "SELECT key, target FROM segments WHERE key = ANY(%s)", ([_utf8(key) for key in keys],)).fetchall())
        found = {_text(key): _text(target) for key, target in rows}
        self.lookups.record(len(keys), len(found))
        return found

    def put_segments(self, entries: Mapping[str, str]) -> None:
        if not entries:
            return
        now = self._clock()

        def put(conn: psycopg.Connection) -> None:
            # Sorted: two writers of overlapping batches lock rows in one order (no deadlock).
            with conn.cursor() as cursor:
                cursor.executemany(
                    "INSERT INTO segments (key, target, written_at) VALUES (%s, %s, %s) "
                    "ON CONFLICT (key) DO UPDATE SET target = excluded.target, written_at = excluded.written_at",
                    [(_utf8(key), _utf8(entries[key]), now) for key in sorted(entries)])

        self._run(put, write=True)

    # -- articles and translations ---------------------------------------------------------------

    def put_article(self, article_id: str, *, title: str, body: str, format: str = "text",
                    url: str | None = None) -> PutResult:
        check_article_id(article_id)
        digest = content_digest(title, body, format, url)
        now = self._clock()

        def put(conn: psycopg.Connection) -> PutResult:
            # The article row is created if missing, then locked: writers of one article take turns.
            conn.execute("INSERT INTO articles (id, latest, created_at) VALUES (%s, 0, %s) ON CONFLICT DO NOTHING",
                         (article_id, now))
            latest, current = conn.execute(
                "SELECT a.latest, v.digest FROM articles a "
                "LEFT JOIN versions v ON v.article_id = a.id AND v.version = a.latest WHERE a.id = %s FOR UPDATE OF a",
                (article_id,)).fetchone()
            if current == digest:
                return PutResult(article_id, latest, changed=False, created=False)
            version = latest + 1
            conn.execute("UPDATE articles SET latest = %s WHERE id = %s", (version, article_id))
            conn.execute("INSERT INTO versions (article_id, version, title, body, format, url, digest, created_at) "
                         "VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
                         (article_id, version, title, body, format, url, digest, now))
            delete_versions(conn, "article_id = %s AND version <= %s", (article_id, version - self.keep_versions))
            return PutResult(article_id, version, changed=True, created=latest == 0)

        return self._run(put, write=True)

    def get_article(self, article_id: str, version: int | None = None) -> ArticleVersion | None:
        row = self._run(lambda conn: conn.execute(
            "SELECT v.version, v.title, v.body, v.format, v.url, v.created_at "
            "FROM articles a JOIN versions v ON v.article_id = a.id "
            "WHERE a.id = %s AND v.version = coalesce(%s, a.latest)", (article_id, version)).fetchone())
        if row is None:
            return None
        return ArticleVersion(article_id, row[0], row[1], row[2], row[3], row[4], utc_timestamp(row[5]))

    def put_translation(self, translation: StoredTranslation) -> None:
        data = json.dumps(translation.to_record(), ensure_ascii=False)

        def put(conn: psycopg.Connection) -> int:
            # A new seq on every store, so "most recently stored" also orders replacements.
            return conn.execute(
                "INSERT INTO translations (article_id, version, lang, data, stored_at) "
                "SELECT %s, %s, %s, %s, %s WHERE EXISTS "
                "(SELECT 1 FROM versions WHERE article_id = %s AND version = %s FOR KEY SHARE) "
                "ON CONFLICT (article_id, version, lang) DO UPDATE SET data = excluded.data, "
                "stored_at = excluded.stored_at, seq = nextval(pg_get_serial_sequence('translations', 'seq'))",
                (translation.id, translation.version, translation.lang, data, self._clock(),
                 translation.id, translation.version)).rowcount

        if not self._run(put, write=True):
            log.info("not storing the translation of %s version %d: that version is gone",
                     translation.id, translation.version)

    def get_translation(self, article_id: str, version: int, lang: str) -> StoredTranslation | None:
        row = self._run(lambda conn: conn.execute(
            "SELECT data FROM translations WHERE article_id = %s AND version = %s AND lang = %s",
            (article_id, version, lang)).fetchone())
        return StoredTranslation.from_dict(json.loads(row[0])) if row else None

    def recent_translations(self, lang: str) -> Iterator[StoredTranslation]:
        offset = 0
        while True:
            rows = self._run(lambda conn: conn.execute(
                "SELECT data FROM translations WHERE lang = %s ORDER BY stored_at DESC, seq DESC "
                "LIMIT %s OFFSET %s", (lang, _PAGE, offset)).fetchall())
            for (data,) in rows:
                yield StoredTranslation.from_dict(json.loads(data))
            if len(rows) < _PAGE:
                return
            offset += len(rows)

    # -- human memory ----------------------------------------------------------------------------

    def get_human_entries(self, lang: str, sources: Sequence[str]) -> dict[str, HumanEntry]:
        keys = list(dict.fromkeys(normalise_segment(s) for s in sources))
        rows = self._run(lambda conn: conn.execute(
            "SELECT source, data FROM human_segments WHERE lang = %s AND source = ANY(%s)", (lang, keys)).fetchall())
        return {source: HumanEntry.from_dict(json.loads(data)) for source, data in rows}

    def put_human_entry(self, entry: HumanEntry) -> None:
        data = json.dumps(entry.to_dict(), ensure_ascii=False)
        self._run(lambda conn: conn.execute(
            "INSERT INTO human_segments (lang, source, data, updated_at) VALUES (%s, %s, %s, %s) "
            "ON CONFLICT (lang, source) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at",
            (entry.lang, entry.source, data, self._clock())), write=True)

    def put_human_entries(self, entries: Iterable[HumanEntry]) -> None:
        now = self._clock()
        rows = [(e.lang, e.source, json.dumps(e.to_dict(), ensure_ascii=False), now) for e in entries]

        def write(conn: psycopg.Connection) -> None:  # one transaction: all or nothing
            with conn.cursor() as cursor:
                cursor.executemany(
                    "INSERT INTO human_segments (lang, source, data, updated_at) VALUES (%s, %s, %s, %s) "
                    "ON CONFLICT (lang, source) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at",
                    rows)

        if rows:
            self._run(write, write=True)

    # -- accepted translations still to finish ------------------------------------------------------

    def add_pending(self, lang: str, article_id: str, version: int) -> None:
        self._run(lambda conn: conn.execute(
            "INSERT INTO pending (lang, article_id, version, queued_at) VALUES (%s, %s, %s, %s) "
            "ON CONFLICT (lang, article_id, version) DO UPDATE SET failure = NULL",
            (lang, article_id, version, self._clock())), write=True)

    def mark_failed(self, lang: str, article_id: str, version: int, reason: str) -> None:
        self._run(lambda conn: conn.execute(
            "INSERT INTO pending (lang, article_id, version, queued_at, failure) VALUES (%s, %s, %s, %s, %s) "
            "ON CONFLICT (lang, article_id, version) DO UPDATE SET failure = excluded.failure",
            (lang, article_id, version, self._clock(), reason)), write=True)

    def failure(self, lang: str, article_id: str, version: int) -> str | None:
        row = self._run(lambda conn: conn.execute(
            "SELECT failure FROM pending WHERE lang = %s AND article_id = %s AND version = %s",
            (lang, article_id, version)).fetchone())
        return None if row is None else row[0]

    def remove_pending(self, lang: str, article_id: str, version: int) -> None:
        self._run(lambda conn: conn.execute(
            "DELETE FROM pending WHERE lang = %s AND article_id = %s AND version = %s",
            (lang, article_id, version)), write=True)

    def pending(self, lang: str) -> list[tuple[str, int]]:
        rows = self._run(lambda conn: conn.execute(
            'SELECT article_id, version FROM pending WHERE lang = %s AND failure IS NULL '
            'ORDER BY queued_at, article_id COLLATE "C"',
            (lang,)).fetchall())
        return [(article_id, version) for article_id, version in rows]

    def delete_human_entry(self, lang: str, source: str) -> bool:
        return self._run(lambda conn: conn.execute(
            "DELETE FROM human_segments WHERE lang = %s AND source = %s",
            (lang, normalise_segment(source))).rowcount > 0, write=True)

    def human_entries(self, lang: str | None = None) -> list[HumanEntry]:
        # COLLATE "C": by code point, as SQLite and Redis order them.
        rows = self._run(lambda conn: conn.execute(
            'SELECT data FROM human_segments WHERE %s::text IS NULL OR lang = %s '
            'ORDER BY lang COLLATE "C", source COLLATE "C"', (lang, lang)).fetchall())
        return [HumanEntry.from_dict(json.loads(data)) for (data,) in rows]

    def get_publication(self, article_id: str) -> Publication | None:
        row = self._run(lambda conn: conn.execute(
            "SELECT published, embargo_until FROM publication WHERE article_id = %s", (article_id,)).fetchone())
        return None if row is None else Publication(bool(row[0]), row[1])

    def set_publication(self, article_id: str, publication: Publication) -> None:
        check_article_id(article_id)
        self._run(lambda conn: conn.execute(
            "INSERT INTO publication (article_id, published, embargo_until) VALUES (%s, %s, %s) "
            "ON CONFLICT (article_id) DO UPDATE SET published = excluded.published, "
            "embargo_until = excluded.embargo_until",
            (article_id, publication.published, publication.embargo_until)), write=True)

    # -- glossary edits --------------------------------------------------------------------------

    def glossary_edits(self, pair: str) -> dict[str, tuple[str, str] | None]:
        rows = self._run(lambda conn: conn.execute(
            'SELECT source, target, flags FROM glossary_edits WHERE pair = %s ORDER BY source COLLATE "C"',
            (pair,)).fetchall())
        return {source: None if target is None else (target, flags or "") for source, target, flags in rows}

    def put_glossary_edit(self, pair: str, source: str, value: tuple[str, str] | None) -> None:
        target, flags = value if value is not None else (None, None)
        self._run(lambda conn: conn.execute(
            "INSERT INTO glossary_edits (pair, source, target, flags, updated_at) VALUES (%s, %s, %s, %s, %s) "
            "ON CONFLICT (pair, source) DO UPDATE SET target = excluded.target, flags = excluded.flags, "
            "updated_at = excluded.updated_at", (pair, source, target, flags, self._clock())), write=True)

    # -- single flight ---------------------------------------------------------------------------

    @contextmanager
    def lock(self, name: str, timeout: float = 600.0) -> Iterator[None]:
        """A lock across processes and machines (a session advisory lock), waiting at most ``timeout``
        seconds; released by PostgreSQL itself when the holder's connection ends."""
        key = _lock_key(self._lock_namespace + name)
        # Threads of this process queue in-process first: one pooled connection per lock held, not per waiter.
        with self._local_locks.hold(name, timeout):
            with self._errors(), self._live_connection() as conn:
                wait_ms = max(1, int(timeout * 1000))
                try:
                    conn.execute("SELECT set_config('lock_timeout', %s, false), "
                                 "set_config('statement_timeout', %s, false)", (str(wait_ms), str(wait_ms + 1000)))
                    conn.execute("SELECT pg_advisory_lock(%s)", (key,))
                except psycopg.errors.LockNotAvailable:
                    raise StoreError(f"gave up waiting for lock {name!r} after {timeout:g}s") from None
                finally:
                    if not conn.broken:
                        conn.execute("RESET lock_timeout; RESET statement_timeout")
                try:
                    yield
                finally:
                    try:
                        if not conn.execute("SELECT pg_advisory_unlock(%s)", (key,)).fetchone()[0]:
                            log.warning("lock %r was not held when released", name)
                    except psycopg.Error:
                        # The connection is gone, and the lock went with it.
                        log.warning("lock %r: its connection ended before the release", name, exc_info=True)

    # -- maintenance -----------------------------------------------------------------------------

    def stats(self) -> dict:
        def count(conn: psycopg.Connection) -> tuple:
            return conn.execute(
                "SELECT (SELECT count(*) FROM segments), (SELECT count(*) FROM articles), "
                "(SELECT count(*) FROM versions), (SELECT count(*) FROM translations), "
                "pg_database_size(current_database())").fetchone()

        entries, articles, versions, translations, size = self._run(count)
        return {"backend": "postgresql", "store": self.description, "entries": entries, "articles": articles,
                "versions": versions, "translations": translations, "size_bytes": size, **self.lookups.snapshot()}

    def purge(self, article_id: str | None = None, older_than_days: float | None = None) -> dict:
        """Delete cached data, as :meth:`translator.store.sqlite.SQLiteStore.purge` describes."""
        where, params = ("TRUE", ()) if article_id is None else ("article_id = %s", (article_id,))
        cutoff = None if older_than_days is None else self._clock() - older_than_days * _DAY

        def purge(conn: psycopg.Connection) -> dict:
            removed = {"entries": 0, "articles": 0, "versions": 0, "translations": 0}
            if cutoff is None:
                if article_id is None:
                    removed["entries"] = conn.execute("DELETE FROM segments").rowcount
                removed.update(delete_versions(conn, where, params))
                removed["articles"] = conn.execute(
                    "DELETE FROM articles" if article_id is None else "DELETE FROM articles WHERE id = %s",
                    params).rowcount
                conn.execute(f"DELETE FROM publication WHERE {where}", params)
                conn.execute(f"DELETE FROM pending WHERE {where}", params)  # a new version 1 starts afresh
                return removed
            if article_id is None:
                removed["entries"] = conn.execute("DELETE FROM segments WHERE written_at < %s", (cutoff,)).rowcount
            removed["translations"] = conn.execute(
                f"DELETE FROM translations WHERE {where} AND stored_at < %s", (*params, cutoff)).rowcount
            older = delete_versions(conn, f"{where} AND created_at < %s AND version < "
                                           "(SELECT latest FROM articles WHERE id = versions.article_id)",
                                     (*params, cutoff))
            removed["versions"] = older["versions"]
            removed["translations"] += older["translations"]
            return removed

        removed = self._run(purge, write=True)
        log.info("purged %s from %s", removed, self.description)
        return removed


def _utf8(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


def _text(stored: bytes) -> str:
    return bytes(stored).decode("utf-8", "surrogatepass")


def _lock_key(name: str) -> int:
    """A signed 64-bit advisory lock key for ``name``."""
    return int.from_bytes(hashlib.blake2b(name.encode("utf-8"), digest_size=8).digest(), "big", signed=True)

