"""The store: translation memory, article versions, their translations, live glossary edits.

One protocol, two backends chosen by ``TRANSLATOR_STORE``:

* ``sqlite:///PATH`` (the default, under ``TRANSLATOR_DATA_DIR``): one file,
  WAL mode, safe for several threads and several processes on one machine;
* ``redis://HOST:PORT/DB`` (optionally ``?prefix=NAME:``): several service
  instances sharing one cache;
* ``postgresql://USER:PASSWORD@HOST:PORT/DB`` (optionally ``?schema=NAME``):
  the durable shared store, for any number of web processes and workers
  (its schema comes from ``translator store migrate``).

A store is also a :class:`translator.pipeline.memory.TranslationMemory`, so the
pipeline uses it directly as its segment cache.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from datetime import datetime
from dataclasses import asdict, dataclass, field, replace
from typing import Protocol, runtime_checkable
from urllib.parse import urlsplit, urlunsplit

from ..errors import StoreError
from ..editorial.human_memory import HumanEntry
from ..editorial.publication import Publication
from ..editorial.units import Unit
from ..pipeline.status import TextStatus, text_status

__all__ = ["ArticleVersion", "HitCounter", "PutResult", "Store", "StoredTranslation", "content_digest", "open_store",
           "redact_url"]

#: The environment variable named in every start-up error about the store.
STORE_VARIABLE = "TRANSLATOR_STORE"


def redact_url(url: str) -> str:
    """``url`` with any password replaced by ``***`` (for logs and error messages)."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    user, host = parts.username or "", parts.netloc.rpartition("@")[2]
    return urlunsplit((parts.scheme, f"{user}:***@{host}", parts.path, parts.query, parts.fragment))


def version_time(version: ArticleVersion) -> float:
    """Seconds since the epoch of ``version.created_at`` (ISO-8601 UTC, as the stores give it)."""
    return datetime.fromisoformat(version.created_at.replace("Z", "+00:00")).timestamp()


def content_digest(title: str, body: str, format: str, url: str | None) -> str:
    """What makes two versions of an article identical: title, body, format and URL, byte for byte."""
    material = json.dumps([title, body, format, url], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(material.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ArticleVersion:
    """One stored source version of an article."""

    id: str
    version: int
    title: str
    body: str
    format: str = "text"
    url: str | None = None
    created_at: str = ""  # ISO-8601 UTC

    def to_dict(self) -> dict:
        """``{"id", "version", "title", "body", "format", "url", "created_at"}``."""
        return asdict(self)


@dataclass(frozen=True)
class PutResult:
    """What storing an article did: its current version, whether that is new, whether the article is."""

    id: str
    version: int
    changed: bool   # a new version was created
    created: bool   # the article did not exist before


@dataclass(frozen=True)
class StoredTranslation:
    """One article version translated into one language, with what produced it."""

    id: str
    version: int
    lang: str
    title: str
    body: str
    paragraphs: list[str]
    model: str              # the engine identity
    glossary_version: str
    translated_at: str      # ISO-8601 UTC
    glossary: dict = field(default_factory=lambda: {"applied": [], "missed": []})
    segments: dict = field(default_factory=dict)  # counts: total, from_memory, translated, unchanged, failed
    units: list[Unit] = field(default_factory=list)  # one per segment, title first
    reviewed: bool = False                        # every segment is human (corrected or approved)

    @property
    def status(self) -> TextStatus:
        """``"partial"`` when any segment kept its English (failed), else ``"ok"``."""
        return text_status(self.segments)

    def to_dict(self) -> dict:
        """The fields above, units as the API shows them (the body of the translations endpoint,
        which adds ``status``)."""
        return self._with_units([unit.to_dict() for unit in self.units])

    def to_record(self) -> dict:
        """Everything, store-only unit data included (what the stores keep)."""
        return self._with_units([unit.to_record() for unit in self.units])

    def _with_units(self, units: list[dict]) -> dict:
        # Units aside: asdict would name their fields, and the stores and the API keep their own forms.
        data = asdict(replace(self, units=[]))
        data["units"] = units
        return data

    @classmethod
    def from_dict(cls, data: Mapping) -> "StoredTranslation":
        """The inverse of :meth:`to_record` (records written before units existed have none)."""
        return cls(id=data["id"], version=int(data["version"]), lang=data["lang"], title=data["title"],
                   body=data["body"], paragraphs=list(data["paragraphs"]), model=data["model"],
                   glossary_version=data["glossary_version"], translated_at=data["translated_at"],
                   glossary=dict(data["glossary"]), segments=dict(data["segments"]),
                   units=[Unit.from_dict(unit) for unit in data.get("units", [])],
                   reviewed=bool(data.get("reviewed", False)))


@runtime_checkable
class Store(Protocol):
    """What the pipeline, the article service, the web layer and the CLI need from a store.

    It satisfies :class:`translator.pipeline.memory.TranslationMemory` (``get_segments``,
    ``put_segments``). Every method is safe to call from several threads.
    Failures raise :class:`translator.errors.StoreError`.
    """

    description: str  # for logs; any password redacted
    lookups: "HitCounter"  # this process's translation-memory hits and misses (stats, /metrics)

    def get_segments(self, keys: Sequence[str]) -> dict[str, str]:
        """The memory entries found among ``keys`` (counted as hits and misses)."""
        ...

    def put_segments(self, entries: Mapping[str, str]) -> None:
        """Store memory entries, all or nothing."""
        ...

    def ping(self) -> None:
        """Raise :class:`StoreError` unless the store answers."""
        ...

    def probe(self) -> None:
        """Write a small entry, read it back and remove it (readiness); :class:`StoreError` on failure."""
        ...

    def put_article(self, article_id: str, *, title: str, body: str, format: str = "text",
                    url: str | None = None) -> PutResult:
        """Store a version: a new one when the content differs from the latest, else keep the latest."""
        ...

    def get_article(self, article_id: str, version: int | None = None) -> ArticleVersion | None:
        """The latest version (or ``version``), None when unknown or pruned."""
        ...

    def put_translation(self, translation: StoredTranslation) -> None:
        """Store (or replace) a version's translation; dropped if the version no longer exists."""
        ...

    def get_publication(self, article_id: str) -> Publication | None:
        """The article's publication state, None when none was ever set (published)."""
        ...

    def set_publication(self, article_id: str, publication: Publication) -> None:
        """Record the article's publication state (kept across versions, removed with the article)."""
        ...

    def get_translation(self, article_id: str, version: int, lang: str) -> StoredTranslation | None:
        """A version's stored translation into ``lang``, if any."""
        ...

    def add_pending(self, lang: str, article_id: str, version: int) -> None:
        """Record, durably, that a translation of the version into ``lang`` was accepted and is not
        finished (so a restart resumes it without waiting for a reader); a failure marked before is cleared."""
        ...

    def remove_pending(self, lang: str, article_id: str, version: int) -> None:
        """The version's translation into ``lang`` ended (stored, or no longer wanted): its pending record
        and its failure mark, if any, are removed."""
        ...

    def mark_failed(self, lang: str, article_id: str, version: int, reason: str) -> None:
        """The version's translation into ``lang`` failed for good: no longer pending, and ``reason``
        is answered to every reader until a new attempt (:meth:`add_pending`) or :meth:`remove_pending`."""
        ...

    def failure(self, lang: str, article_id: str, version: int) -> str | None:
        """The reason marked by :meth:`mark_failed` for the version, None when none is."""
        ...

    def pending(self, lang: str) -> list[tuple[str, int]]:
        """``(article_id, version)`` of the accepted, unfinished translations into ``lang``, oldest first."""
        ...

    def recent_translations(self, lang: str) -> Iterator[StoredTranslation]:
        """Stored translations into ``lang``, the most recently stored first (read lazily, in pages)."""
        ...

    def get_human_entries(self, lang: str, sources: Sequence[str]) -> dict[str, HumanEntry]:
        """Human memory entries for ``sources``, keyed by normalised source (never counted as lookups)."""
        ...

    def put_human_entry(self, entry: HumanEntry) -> None:
        """Store (or replace) a human entry for its language and source."""
        ...

    def put_human_entries(self, entries: Iterable[HumanEntry]) -> None:
        """Store (or replace) many human entries in one transaction: all of them or none (TMX import). An
        exception raised while ``entries`` is iterated abandons the transaction: nothing is stored."""
        ...

    def delete_human_entry(self, lang: str, source: str) -> bool:
        """Remove the human entry of ``source``; whether there was one."""
        ...

    def human_entries(self, lang: str | None = None) -> list[HumanEntry]:
        """Every human entry (of ``lang``), by language then source."""
        ...

    def lock(self, name: str, timeout: float = 600.0) -> AbstractContextManager[None]:
        """Hold the single-flight lock ``name``, waiting at most ``timeout`` seconds for it
        (:class:`StoreError` then). SQLite: threads of this process; Redis: any process, and a
        holder that dies loses the lock after a short lease; PostgreSQL: any process (an advisory
        lock), released the moment its holder's connection ends."""
        ...

    def glossary_edits(self, pair: str) -> dict[str, tuple[str, str] | None]:
        """Live glossary edits for a language pair: source -> (target, flags), or None = deleted."""
        ...

    def put_glossary_edit(self, pair: str, source: str, value: tuple[str, str] | None) -> None:
        """Record one live glossary edit (None deletes the term)."""
        ...

    def stats(self) -> dict:
        """Counts (entries, articles, versions, translations), size in bytes, hits/misses since start."""
        ...

    def purge(self, article_id: str | None = None, older_than_days: float | None = None) -> dict:
        """Delete cached data; returns how many entries, articles, versions and translations went.
        Human memory entries and live glossary edits are editorial work, never purged."""
        ...

    def segment_entries(self) -> Iterator[tuple[str, str]]:
        """Every translation-memory entry (key, target), read lazily (``translator store copy``)."""
        ...

    def article_ids(self) -> Iterator[str]:
        """Every stored article's id, read lazily (``translator store copy``)."""
        ...

    def put_version(self, version: ArticleVersion) -> None:
        """Store this exact version, its number and time kept (``translator store copy``); the
        article's latest version becomes the highest it has. Older versions are not pruned here."""
        ...

    def pool_stats(self) -> dict[str, int]:
        """``{"in_use", "waiting"}`` of this process's connection pool (``/metrics``); empty for a store
        without one."""
        ...

    def close(self) -> None:
        """Release connections."""
        ...


def open_store(url: str, *, keep_versions: int = 10, timeout: float | None = None) -> Store:
    """Open the store ``url`` names (the value of ``TRANSLATOR_STORE``).

    ``timeout``: seconds to connect to a Redis or PostgreSQL server and to wait
    for each answer (``TRANSLATOR_STORE_TIMEOUT``; None: the backend's default).

    Raises :class:`StoreError` naming ``TRANSLATOR_STORE`` for an unknown
    scheme, an unreachable server, a corrupt or foreign SQLite file, or a
    PostgreSQL schema other than this code's (older: run ``translator store migrate``).
    """
    scheme, sep, _ = url.partition("://")
    scheme = scheme.lower()
    if sep and scheme == "sqlite":
        from .sqlite import SQLiteStore

        return SQLiteStore.from_url(url, keep_versions=keep_versions)
    if sep and scheme in ("redis", "rediss", "unix"):
        from .redis import RedisStore

        return RedisStore.from_url(url, keep_versions=keep_versions,
                                   **({} if timeout is None else {"timeout": timeout}))
    if sep and scheme in ("postgresql", "postgres"):
        from .postgresql import PostgreSQLStore

        return PostgreSQLStore.from_url(url, keep_versions=keep_versions,
                                        **({} if timeout is None else {"timeout": timeout}))
    raise StoreError(f"{STORE_VARIABLE}={redact_url(url)!r}: unknown store; use sqlite:///PATH, "
                     "redis://HOST:PORT/DB or postgresql://USER:PASSWORD@HOST:PORT/DB")


class HitCounter:
    """Translation-memory hits and misses of this process (thread-safe), for ``stats()``."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._hits = self._misses = 0

    def record(self, looked_up: int, found: int) -> None:
        """Count one lookup of ``looked_up`` distinct keys of which ``found`` were present."""
        with self._lock:
            self._hits += found
            self._misses += looked_up - found

    def snapshot(self) -> dict:
        """``{"hits", "misses", "hit_ratio"}`` (ratio ``None`` before any lookup)."""
        with self._lock:
            hits, misses = self._hits, self._misses
        return {"hits": hits, "misses": misses, "hit_ratio": hits / (hits + misses) if hits + misses else None}
