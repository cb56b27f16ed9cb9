"""The embedded store: one SQLite file in WAL mode.

Safe for several threads (one connection per thread) and several processes
on one machine (WAL, a busy timeout, ``BEGIN IMMEDIATE`` for every write).
Every write is one transaction, so a process killed at any moment leaves the
file consistent: an article version, a translation or a batch of memory
entries is either fully there or absent.

The file carries an application id and a schema version in its header; a
file that is not a SQLite database, or a database that belongs to something
else, is refused with a clear error and never modified.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import threading
import time
import uuid
import weakref
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

from ..errors import StoreError
from ..editorial.human_memory import HumanEntry, normalise_segment
from ..editorial.publication import Publication
from . import (STORE_VARIABLE, ArticleVersion, HitCounter, PutResult, StoredTranslation, content_digest,
               version_time)
from ..text.timestamps import utc_timestamp
from .locks import NamedLocks
from .sql import check_article_id, delete_versions

__all__ = ["APPLICATION_ID", "SCHEMA_VERSION", "SQLiteStore"]

log = logging.getLogger(__name__)

#: Written to the file header (``PRAGMA application_id``): "TrNs".
APPLICATION_ID = 0x54724E73
#: ``PRAGMA user_version`` of the schema below (2 added the human memory, 3 the publication state,
#: 4 the accepted translations still to finish, 5 their lasting failures; older files are upgraded).
SCHEMA_VERSION = 5

_SCHEMA = """
CREATE TABLE segments (
    key        TEXT PRIMARY KEY,
    target     TEXT NOT NULL,
    written_at REAL NOT NULL
) WITHOUT ROWID;
CREATE INDEX segments_written_at ON segments (written_at);

CREATE TABLE articles (
    id         TEXT PRIMARY KEY,
    latest     INTEGER NOT NULL,
    created_at REAL NOT NULL
);

CREATE TABLE versions (
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    version    INTEGER NOT NULL,
    title      TEXT NOT NULL,
    body       TEXT NOT NULL,
    format     TEXT NOT NULL,
    url        TEXT,
    digest     TEXT NOT NULL,
    created_at REAL NOT NULL,
    PRIMARY KEY (article_id, version)
);
CREATE INDEX versions_created_at ON versions (created_at);

CREATE TABLE translations (
    article_id TEXT NOT NULL,
    version    INTEGER NOT NULL,
    lang       TEXT NOT NULL,
    data       TEXT NOT NULL,
    stored_at  REAL NOT NULL,
    PRIMARY KEY (article_id, version, lang),
    FOREIGN KEY (article_id, version) REFERENCES versions (article_id, version) ON DELETE CASCADE
);
CREATE INDEX translations_stored_at ON translations (stored_at);

CREATE TABLE glossary_edits (
    pair       TEXT NOT NULL,
    source     TEXT NOT NULL,
    target     TEXT,            -- NULL: the term is deleted
    flags      TEXT,
    updated_at REAL NOT NULL,
    PRIMARY KEY (pair, source)
);
"""

# Schema 2: the human translation memory (editors' corrections and approvals).
_HUMAN_SCHEMA = """
CREATE TABLE human_segments (
    lang       TEXT NOT NULL,
    source     TEXT NOT NULL,   -- normalised source segment
    data       TEXT NOT NULL,   -- JSON HumanEntry
    updated_at REAL NOT NULL,
    PRIMARY KEY (lang, source)
) WITHOUT ROWID;
"""

# Schema 3: articles' publication state (embargoes). No foreign key: the state may be set just before
# the article's first version is stored.
_PUBLICATION_SCHEMA = """
CREATE TABLE publication (
    article_id    TEXT PRIMARY KEY,
    published     INTEGER NOT NULL,
    embargo_until REAL
);
"""

# Schema 4: translations accepted and not finished, resumed at start-up (no foreign key: purged apart).
_PENDING_SCHEMA = """
CREATE TABLE pending (
    lang       TEXT NOT NULL,
    article_id TEXT NOT NULL,
    version    INTEGER NOT NULL,
    queued_at  REAL NOT NULL,
    PRIMARY KEY (lang, article_id, version)
) WITHOUT ROWID;
"""

# Schema 5: translations that failed for good (``failure`` set: answered to every reader, never resumed).
_FAILURE_SCHEMA = """
ALTER TABLE pending ADD COLUMN failure TEXT;
"""

_SCHEMA += _HUMAN_SCHEMA + _PUBLICATION_SCHEMA + _PENDING_SCHEMA + _FAILURE_SCHEMA

# Upgrades from each older schema version to the next (run in one write transaction).
_MIGRATIONS = {1: _HUMAN_SCHEMA, 2: _PUBLICATION_SCHEMA, 3: _PENDING_SCHEMA, 4: _FAILURE_SCHEMA}

# The readiness probe's memory key (never a real one: those are hex digests).
_PROBE_KEY = "\x00readiness-probe"

# SQLite's limit on host parameters is 32766; stay far below it.
_CHUNK = 500
_DAY = 86_400.0

# Single-flight locks are per file, so two store objects on one file in one process share them.
_FILE_LOCKS: dict[str, NamedLocks] = {}
_FILE_LOCKS_GUARD = threading.Lock()


class _Connection(sqlite3.Connection):
    """A connection that can be weakly referenced: when its thread ends, it is closed and forgotten."""


def _file_locks(path: Path) -> NamedLocks:
    with _FILE_LOCKS_GUARD:
        return _FILE_LOCKS.setdefault(str(path), NamedLocks())



def _rows_in(conn: sqlite3.Connection, query: str, keys: Sequence[str], *params: object) -> Iterator[tuple]:
    """The rows of ``query`` (``... IN ({marks})``, after ``params``) for ``keys``, a chunk of
    :data:`_CHUNK` keys at a time (SQLite bounds the number of parameters of one statement)."""
    for start in range(0, len(keys), _CHUNK):
        chunk = keys[start:start + _CHUNK]
        yield from conn.execute(query.format(marks=",".join("?" * len(chunk))), (*params, *chunk))

class SQLiteStore:
    """The :class:`translator.store.Store` in one SQLite file."""

    def __init__(self, path: str | os.PathLike, *, keep_versions: int = 10, busy_timeout: float = 30.0,
                 clock: Callable[[], float] = time.time):
        if keep_versions < 1:
            raise ValueError("keep_versions must be at least 1")
        self.path = Path(path).expanduser().resolve()
        self.keep_versions = keep_versions
        self.busy_timeout = busy_timeout
        self.description = f"sqlite:///{self.path}"
        self._clock = clock
        self._local = threading.local()
        self._connections: weakref.WeakSet[_Connection] = weakref.WeakSet()  # one per live thread
        self._connections_guard = threading.Lock()
        self._closed = False
        self.lookups = HitCounter()
        self._locks = _file_locks(self.path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"{STORE_VARIABLE}: cannot create the directory of {self.path}: {exc}") from None
        self._open()

    @classmethod
    def from_url(cls, url: str, **kwargs) -> "SQLiteStore":
        """``sqlite:///relative/path`` or ``sqlite:////absolute/path``."""
        path = url.partition("://")[2]
        if not path.startswith("/") or len(path) < 2:
            raise StoreError(f"{STORE_VARIABLE}={url!r}: expected sqlite:///PATH")
        return cls(path[1:], **kwargs)

    # -- opening ---------------------------------------------------------------------------------

    def _open(self) -> None:
        """Check the file is ours (or empty), switch to WAL, create the schema on first use."""
        refuse = f"{STORE_VARIABLE}: {self.path}"
        try:
            conn = self._connection()
            self._check_ours(conn, refuse)
            if conn.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
                # An empty database: page options must be set before anything is written.
                conn.execute("PRAGMA auto_vacuum=INCREMENTAL")
            mode = conn.execute("PRAGMA journal_mode=WAL").fetchone()[0]
            if mode.lower() != "wal":
                log.warning("%s: journal mode is %s, not WAL (file system without shared memory?)",
                            self.description, mode)
            with self._write() as c:
                self._check_ours(c, refuse)  # another process may have created it meanwhile
                if c.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
                    # Statement by statement: executescript() would commit the open transaction first.
                    for statement in filter(str.strip, _SCHEMA.split(";")):
                        c.execute(statement)
                    c.execute(f"PRAGMA application_id={APPLICATION_ID}")
                    c.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
                    log.info("created store %s", self.description)
                version = c.execute("PRAGMA user_version").fetchone()[0]
                while version < SCHEMA_VERSION:
                    for statement in filter(str.strip, _MIGRATIONS[version].split(";")):
                        c.execute(statement)
                    version += 1
                    c.execute(f"PRAGMA user_version={version}")
                    log.info("upgraded store %s to schema %d", self.description, version)
        except sqlite3.Error as exc:
            self.close()
            raise StoreError(f"{refuse}: cannot open it as a SQLite store ({exc}); it is left untouched. "
                             "Point TRANSLATOR_STORE at another file or restore this one.") from None
        except StoreError:
            self.close()
            raise

    @staticmethod
    def _check_ours(conn: sqlite3.Connection, refuse: str) -> None:
        application_id = conn.execute("PRAGMA application_id").fetchone()[0]
        tables = [row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        if application_id == APPLICATION_ID:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise StoreError(f"{refuse} has store schema {version}, newer than this version of "
                                 f"translator understands ({SCHEMA_VERSION}); upgrade translator")
            return
        if application_id != 0 or tables:
            raise StoreError(f"{refuse} is a SQLite database of something else (application id "
                             f"{application_id:#x}, tables: {', '.join(tables) or 'none'}); refusing to use it. "
                             "Point TRANSLATOR_STORE at another file.")

    # -- connections and transactions ------------------------------------------------------------

    def _connection(self) -> sqlite3.Connection:
        if self._closed:
            raise StoreError(f"store {self.description} is closed")
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=self.busy_timeout, isolation_level=None,
                                   check_same_thread=False, factory=_Connection)
            conn.execute("PRAGMA foreign_keys=ON")
            conn.execute("PRAGMA synchronous=NORMAL")  # in WAL mode: durable against process crashes
            self._local.conn = conn
            with self._connections_guard:
                self._connections.add(conn)
        return conn

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction (taking the write lock at once, so it never deadlocks on upgrade)."""
        conn = self._connection()
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    @contextmanager
    def _errors(self) -> Iterator[None]:
        """Turn SQLite failures into one clear :class:`StoreError`."""
        try:
            yield
        except sqlite3.Error as exc:
            log.exception("store %s failed", self.description)
            hint = ""
            if isinstance(exc, sqlite3.DatabaseError) and any(
                    word in str(exc) for word in ("malformed", "not a database")):
                hint = " (the file is corrupt: restore it from a backup or point TRANSLATOR_STORE elsewhere)"
            raise StoreError(f"store {self.description}: {exc}{hint}") from exc

    def ping(self) -> None:
        with self._errors():
            self._connection().execute("SELECT count(*) FROM articles").fetchone()

    def probe(self) -> None:
        # Through the segments table, the one every translation writes: a full disk or a corrupt
        # table fails here. Removed in the same transaction, so the store's content never changes.
        token = uuid.uuid4().hex
        with self._errors(), self._write() as conn:
            conn.execute("INSERT OR REPLACE INTO segments (key, target, written_at) VALUES (?, ?, ?)",
                         (_PROBE_KEY, token, self._clock()))
            row = conn.execute("SELECT target FROM segments WHERE key = ?", (_PROBE_KEY,)).fetchone()
            conn.execute("DELETE FROM segments WHERE key = ?", (_PROBE_KEY,))
            conn.execute("SELECT count(*) FROM articles").fetchone()
        if row is None or row[0] != token:
            raise StoreError(f"store {self.description}: a probe entry did not read back as written")

    def segment_entries(self) -> Iterator[tuple[str, str]]:
        after = ""
        while True:
            with self._errors():
                rows = self._connection().execute("SELECT key, target FROM segments WHERE key > ? ORDER BY key "
                                                  "LIMIT ?", (after, _CHUNK)).fetchall()
            yield from (row for row in rows if row[0] != _PROBE_KEY)
            if len(rows) < _CHUNK:
                return
            after = rows[-1][0]

    def article_ids(self) -> Iterator[str]:
        with self._errors():
            ids = [row[0] for row in self._connection().execute("SELECT id FROM articles ORDER BY id")]
        yield from ids

    def put_version(self, version: ArticleVersion) -> None:
        check_article_id(version.id)
        created = version_time(version)
        digest = content_digest(version.title, version.body, version.format, version.url)
        with self._errors(), self._write() as conn:
            conn.execute("INSERT INTO articles (id, latest, created_at) VALUES (?, ?, ?) "
                         "ON CONFLICT (id) DO UPDATE SET latest = max(latest, excluded.latest)",
                         (version.id, version.version, created))
            conn.execute("INSERT INTO versions (article_id, version, title, body, format, url, digest, created_at) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (article_id, version) DO UPDATE SET "
                         "title = excluded.title, body = excluded.body, format = excluded.format, url = excluded.url, "
                         "digest = excluded.digest, created_at = excluded.created_at",
                         (version.id, version.version, version.title, version.body, version.format, version.url,
                          digest, created))

    def pool_stats(self) -> dict[str, int]:
        return {}  # no pool worth a gauge: one connection per thread (SQLite), redis-py's own pool (Redis)

    def close(self) -> None:
        self._closed = True
        with self._connections_guard:
            connections, self._connections = list(self._connections), weakref.WeakSet()
        for conn in connections:
            try:
                conn.close()
            except sqlite3.Error:  # pragma: no cover - closing a broken connection
                log.debug("closing a connection to %s failed", self.description, exc_info=True)

    # -- translation memory ----------------------------------------------------------------------

    def get_segments(self, keys: Sequence[str]) -> dict[str, str]:
        keys = list(dict.fromkeys(keys))
        with self._errors():
            found = dict(_rows_in(self._connection(), "SELECT key, target FROM segments WHERE key IN ({marks})", keys))
        self.lookups.record(len(keys), len(found))
        return found

    def put_segments(self, entries: Mapping[str, str]) -> None:
        if not entries:
            return
        now = self._clock()
        with self._errors(), self._write() as conn:
            conn.executemany(
                "INSERT INTO segments (key, target, written_at) VALUES (?, ?, ?) "
                "ON CONFLICT (key) DO UPDATE SET target = excluded.target, written_at = excluded.written_at",
                ((key, target, now) for key, target in entries.items()))

    # -- articles and translations ---------------------------------------------------------------

    def put_article(self, article_id: str, *, title: str, body: str, format: str = "text",
                    url: str | None = None) -> PutResult:
        check_article_id(article_id)
        digest = content_digest(title, body, format, url)
        now = self._clock()
        with self._errors(), self._write() as conn:
            row = conn.execute(
                "SELECT a.latest, v.digest FROM articles a "
                "LEFT JOIN versions v ON v.article_id = a.id AND v.version = a.latest WHERE a.id = ?",
                (article_id,)).fetchone()
            if row is not None and row[1] == digest:
                return PutResult(article_id, row[0], changed=False, created=False)
            version = (row[0] if row is not None else 0) + 1
            if row is None:
                conn.execute("INSERT INTO articles (id, latest, created_at) VALUES (?, ?, ?)",
                             (article_id, version, now))
            else:
                conn.execute("UPDATE articles SET latest = ? WHERE id = ?", (version, article_id))
            conn.execute("INSERT INTO versions (article_id, version, title, body, format, url, digest, "
                         "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                         (article_id, version, title, body, format, url, digest, now))
            delete_versions(conn, "article_id = ? AND version <= ?",
                                  (article_id, version - self.keep_versions))
        return PutResult(article_id, version, changed=True, created=row is None)

    def get_article(self, article_id: str, version: int | None = None) -> ArticleVersion | None:
        with self._errors():
            row = self._connection().execute(
                "SELECT v.version, v.title, v.body, v.format, v.url, v.created_at "
                "FROM articles a JOIN versions v ON v.article_id = a.id "
                "WHERE a.id = ? AND v.version = coalesce(?, a.latest)", (article_id, version)).fetchone()
        if row is None:
            return None
        return ArticleVersion(article_id, row[0], row[1], row[2], row[3], row[4], utc_timestamp(row[5]))

    def put_translation(self, translation: StoredTranslation) -> None:
        data = json.dumps(translation.to_record(), ensure_ascii=False)
        with self._errors(), self._write() as conn:
            stored = conn.execute(
                "INSERT OR REPLACE INTO translations (article_id, version, lang, data, stored_at) "
                "SELECT ?, ?, ?, ?, ? WHERE EXISTS "
                "(SELECT 1 FROM versions WHERE article_id = ? AND version = ?)",
                (translation.id, translation.version, translation.lang, data, self._clock(),
                 translation.id, translation.version)).rowcount
        if not stored:
            log.info("not storing the translation of %s version %d: that version is gone",
                     translation.id, translation.version)

    def get_translation(self, article_id: str, version: int, lang: str) -> StoredTranslation | None:
        with self._errors():
            row = self._connection().execute(
                "SELECT data FROM translations WHERE article_id = ? AND version = ? AND lang = ?",
                (article_id, version, lang)).fetchone()
        return StoredTranslation.from_dict(json.loads(row[0])) if row else None

    def recent_translations(self, lang: str) -> Iterator[StoredTranslation]:
        offset = 0
        while True:
            with self._errors():
                rows = self._connection().execute(
                    "SELECT data FROM translations WHERE lang = ? ORDER BY stored_at DESC, rowid DESC "
                    "LIMIT ? OFFSET ?", (lang, _CHUNK // 5, offset)).fetchall()
            for (data,) in rows:
                yield StoredTranslation.from_dict(json.loads(data))
            if len(rows) < _CHUNK // 5:
                return
            offset += len(rows)

    # -- human memory ----------------------------------------------------------------------------

    def get_human_entries(self, lang: str, sources: Sequence[str]) -> dict[str, HumanEntry]:
        keys = list(dict.fromkeys(normalise_segment(s) for s in sources))
        with self._errors():
            rows = _rows_in(self._connection(),
                            "SELECT source, data FROM human_segments WHERE lang = ? AND source IN ({marks})", keys, lang)
            return {source: HumanEntry.from_dict(json.loads(data)) for source, data in rows}

    def put_human_entry(self, entry: HumanEntry) -> None:
        self.put_human_entries([entry])

    def put_human_entries(self, entries: Iterable[HumanEntry]) -> None:
        now = self._clock()
        rows = ((e.lang, e.source, json.dumps(e.to_dict(), ensure_ascii=False), now) for e in entries)  # streamed
        with self._errors(), self._write() as conn:  # one transaction: all or nothing
            conn.executemany("INSERT OR REPLACE INTO human_segments (lang, source, data, updated_at) "
                             "VALUES (?, ?, ?, ?)", rows)

    def delete_human_entry(self, lang: str, source: str) -> bool:
        with self._errors(), self._write() as conn:
            return conn.execute("DELETE FROM human_segments WHERE lang = ? AND source = ?",
                                (lang, normalise_segment(source))).rowcount > 0

    def human_entries(self, lang: str | None = None) -> list[HumanEntry]:
        with self._errors():
            rows = self._connection().execute(
                "SELECT data FROM human_segments WHERE ? IS NULL OR lang = ? ORDER BY lang, source", (lang, lang))
            return [HumanEntry.from_dict(json.loads(data)) for (data,) in rows]

    def get_publication(self, article_id: str) -> Publication | None:
        with self._errors():
            row = self._connection().execute(
                "SELECT published, embargo_until FROM publication WHERE article_id = ?", (article_id,)).fetchone()
        return None if row is None else Publication(bool(row[0]), row[1])

    def set_publication(self, article_id: str, publication: Publication) -> None:
        check_article_id(article_id)
        with self._errors(), self._write() as conn:
            conn.execute("INSERT OR REPLACE INTO publication (article_id, published, embargo_until) "
                         "VALUES (?, ?, ?)", (article_id, int(publication.published), publication.embargo_until))

    # -- accepted translations still to finish ------------------------------------------------------

    def add_pending(self, lang: str, article_id: str, version: int) -> None:
        with self._errors(), self._write() as conn:
            conn.execute("INSERT INTO pending (lang, article_id, version, queued_at) VALUES (?, ?, ?, ?) "
                         "ON CONFLICT DO UPDATE SET failure = NULL", (lang, article_id, version, self._clock()))

    def mark_failed(self, lang: str, article_id: str, version: int, reason: str) -> None:
        with self._errors(), self._write() as conn:
            conn.execute("INSERT INTO pending (lang, article_id, version, queued_at, failure) VALUES (?, ?, ?, ?, ?) "
                         "ON CONFLICT DO UPDATE SET failure = excluded.failure",
                         (lang, article_id, version, self._clock(), reason))

    def failure(self, lang: str, article_id: str, version: int) -> str | None:
        with self._errors():
            row = self._connection().execute(
                "SELECT failure FROM pending WHERE lang = ? AND article_id = ? AND version = ?",
                (lang, article_id, version)).fetchone()
        return None if row is None else row[0]

    def remove_pending(self, lang: str, article_id: str, version: int) -> None:
        with self._errors(), self._write() as conn:
            conn.execute("DELETE FROM pending WHERE lang = ? AND article_id = ? AND version = ?",
                         (lang, article_id, version))

    def pending(self, lang: str) -> list[tuple[str, int]]:
        with self._errors():
            rows = self._connection().execute(
                "SELECT article_id, version FROM pending WHERE lang = ? AND failure IS NULL "
                "ORDER BY queued_at, article_id", (lang,))
            return [(article_id, version) for article_id, version in rows]

    # -- glossary edits --------------------------------------------------------------------------

    def glossary_edits(self, pair: str) -> dict[str, tuple[str, str] | None]:
        with self._errors():
            rows = self._connection().execute(
                "SELECT source, target, flags FROM glossary_edits WHERE pair = ? ORDER BY source", (pair,))
            return {source: None if target is None else (target, flags or "") for source, target, flags in rows}

    def put_glossary_edit(self, pair: str, source: str, value: tuple[str, str] | None) -> None:
        target, flags = value if value is not None else (None, None)
        with self._errors(), self._write() as conn:
            conn.execute("INSERT OR REPLACE INTO glossary_edits (pair, source, target, flags, updated_at) "
                         "VALUES (?, ?, ?, ?, ?)", (pair, source, target, flags, self._clock()))

    # -- single flight ---------------------------------------------------------------------------

    def lock(self, name: str, timeout: float = 600.0) -> AbstractContextManager[None]:
        """An in-process lock per file and name (threads of this process; not other processes)."""
        return self._locks.hold(name, timeout)

    # -- maintenance -----------------------------------------------------------------------------

    def stats(self) -> dict:
        with self._errors():
            conn = self._connection()
            counts = {table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                      for table in ("segments", "articles", "versions", "translations")}
        size = sum(p.stat().st_size for p in (self.path, Path(f"{self.path}-wal")) if p.exists())
        return {"backend": "sqlite", "store": self.description, "entries": counts["segments"],
                "articles": counts["articles"], "versions": counts["versions"],
                "translations": counts["translations"], "size_bytes": size,
                **self.lookups.snapshot()}

    def purge(self, article_id: str | None = None, older_than_days: float | None = None) -> dict:
        """Delete cached data.

        * nothing given: every memory entry, article, version and translation;
        * ``article_id``: that article with all its versions and translations;
        * ``older_than_days``: memory entries, translations and versions written longer ago,
          except each article's latest version (the live source);
        * both: that article's translations and non-latest versions older than that.

        Live glossary edits are configuration, not cache: never purged.
        """
        removed = {"entries": 0, "articles": 0, "versions": 0, "translations": 0}
        where, params = ("1", ()) if article_id is None else ("article_id = ?", (article_id,))
        with self._errors(), self._write() as conn:
            if older_than_days is None:
                if article_id is None:
                    removed["entries"] = conn.execute("DELETE FROM segments").rowcount
                removed.update(delete_versions(conn, where, params))
                removed["articles"] = conn.execute(
                    "DELETE FROM articles" if article_id is None else "DELETE FROM articles WHERE id = ?",
                    params).rowcount
                conn.execute("DELETE FROM publication" if article_id is None
                             else "DELETE FROM publication WHERE article_id = ?", params)
                conn.execute(f"DELETE FROM pending WHERE {where}", params)  # a new version 1 starts afresh
            else:
                cutoff = self._clock() - older_than_days * _DAY
                if article_id is None:
                    removed["entries"] = conn.execute("DELETE FROM segments WHERE written_at < ?",
                                                      (cutoff,)).rowcount
                removed["translations"] = conn.execute(
                    f"DELETE FROM translations WHERE {where} AND stored_at < ?", (*params, cutoff)).rowcount
                older = delete_versions(
                    conn, f"{where} AND created_at < ? AND version < "
                          "(SELECT latest FROM articles WHERE id = versions.article_id)", (*params, cutoff))
                removed["versions"] = older["versions"]
                removed["translations"] += older["translations"]
        with self._errors():
            # executescript steps the pragma to the end (execute() frees one page per call).
            self._connection().executescript("PRAGMA incremental_vacuum; PRAGMA wal_checkpoint(TRUNCATE);")
        log.info("purged %s from %s", removed, self.description)
        return removed

