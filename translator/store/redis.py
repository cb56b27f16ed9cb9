"""The shared store: Redis, for several service instances sharing one cache.

``redis://HOST:PORT/DB`` (``rediss://`` for TLS, ``unix:///path.sock?db=N``),
plus an optional ``prefix`` query parameter (default ``translator:``) that
namespaces every key, so one Redis database can hold several stores, and an
optional ``lock_lease`` (seconds, default 30): how long a single-flight lock
outlives a holder that died.

Every write that touches more than one key is a MULTI/EXEC transaction
(with WATCH where it reads first), so a client killed half-way leaves
nothing half-written: Redis discards a transaction whose EXEC never arrived.
The single-flight lock is Redis's own ``SET NX PX`` lock with a random token
and a Lua release (redis-py's :class:`redis.lock.Lock`), so it holds across
processes and machines; it is a renewed lease, so it expires soon after its
holder dies.

Keys (after the prefix)::

    schema                     "translator-store/1"
    seg:<key>                  memory entry (string)
    seg-index                  zset: memory key -> write time
    articles                   set of article ids
    article:<id>               hash: latest, digest, created_at (+ published, embargo_until once set)
    versions:<id>              hash: version -> JSON source version
    translations:<id>          hash: "<version>:<lang>" -> JSON translation
    version-index              zset: "<version>:<id>" -> creation time
    translation-index          zset: "<version>:<lang>:<id>" -> store time
    glossary:<pair>            hash: source -> JSON [target, flags] | null
    human:<lang>               hash: normalised source -> JSON human memory entry
    lock:<name>                single-flight lock
    probe:<random>             readiness probe (deleted at once, expires in 30 s anyway)
"""

from __future__ import annotations

import json
import logging
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import redis
from redis.backoff import NoBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import LockError, RedisError
from redis.exceptions import TimeoutError as RedisTimeoutError
from redis.retry import Retry

from ..errors import StoreError
from ..editorial.human_memory import HumanEntry, normalise_segment
from ..editorial.publication import Publication
from . import (STORE_VARIABLE, ArticleVersion, HitCounter, PutResult, StoredTranslation, content_digest,
               redact_url, version_time)
from .sql import check_article_id
from ..text.timestamps import utc_timestamp
from .locks import NamedLocks

__all__ = ["DEFAULT_LOCK_LEASE", "DEFAULT_PREFIX", "DEFAULT_TIMEOUT", "RedisStore", "SCHEMA"]

log = logging.getLogger(__name__)

DEFAULT_PREFIX = "translator:"
SCHEMA = "translator-store/1"
#: Seconds a single-flight lock outlives a holder that died without releasing it (the holder renews
#: it every third of that while it works, so a long translation keeps it).
DEFAULT_LOCK_LEASE = 6.0
#: Seconds to connect and to wait for each command's answer (``TRANSLATOR_STORE_TIMEOUT``).
DEFAULT_TIMEOUT = 2.0

_CHUNK = 1000
_DAY = 86_400.0

# get_article in one round trip and one atomic step: the latest (or given) version's JSON.
_GET_VERSION = """
local version = ARGV[1]
if version == '' then
    version = redis.call('HGET', KEYS[1], 'latest')
    if not version then return nil end
end
local data = redis.call('HGET', KEYS[2], version)
if not data then return nil end
return {version, data}
"""


class RedisStore:
    """The :class:`translator.store.Store` in a Redis database, keys under ``prefix``."""

    def __init__(self, client: redis.Redis, *, prefix: str = DEFAULT_PREFIX, keep_versions: int = 10,
                 clock: Callable[[], float] = time.time, description: str | None = None,
                 lock_lease: float = DEFAULT_LOCK_LEASE):
        if keep_versions < 1:
            raise ValueError("keep_versions must be at least 1")
        self._client = client
        self.prefix = prefix
        self.keep_versions = keep_versions
        self.lock_lease = lock_lease
        self.description = description or f"redis (prefix {prefix!r})"
        self._clock = clock
        self._get_version = client.register_script(_GET_VERSION)
        self._local_locks = NamedLocks()
        self.lookups = HitCounter()

    @classmethod
    def from_url(cls, url: str, *, keep_versions: int = 10, clock: Callable[[], float] = time.time,
                 timeout: float = DEFAULT_TIMEOUT, lock_lease: float = DEFAULT_LOCK_LEASE) -> "RedisStore":
        """Connect, check the server answers and that the prefix holds our schema (or nothing).

        ``timeout`` (``TRANSLATOR_STORE_TIMEOUT``) bounds connecting and every command: a server
        that stops answering fails the request waiting on it with :class:`StoreError` after that
        long, instead of holding a request thread for minutes. Timeouts are not retried (that
        would multiply the wait); a dropped connection is, once.
        """
        description = redact_url(url)
        try:
            parts = urlsplit(url)
            query = parse_qsl(parts.query, keep_blank_values=True)
            prefix = next((v for k, v in query if k == "prefix"), DEFAULT_PREFIX)
            # ?lock_lease=SECONDS: how soon a dead holder's single-flight lock frees (tests use a short one).
            lock_lease = float(next((v for k, v in query if k == "lock_lease"), lock_lease))
            if lock_lease <= 0:
                raise ValueError("lock_lease must be more than 0 seconds")
            rest = urlencode([(k, v) for k, v in query if k not in ("prefix", "lock_lease")])
            client = redis.Redis.from_url(urlunsplit(parts._replace(query=rest)), decode_responses=True,
                                          socket_connect_timeout=timeout, socket_timeout=timeout,
                                          retry=Retry(NoBackoff(), 1, supported_errors=(RedisConnectionError,)),
                                          health_check_interval=30)
        except (ValueError, TypeError) as exc:
            raise StoreError(f"{STORE_VARIABLE}={description!r}: not a usable Redis URL ({exc})") from None
        store = cls(client, prefix=prefix, keep_versions=keep_versions, clock=clock, description=description,
                    lock_lease=lock_lease)
        try:
            store._check_schema()
        except (RedisConnectionError, RedisTimeoutError) as exc:
            client.close()
            raise StoreError(f"{STORE_VARIABLE}={description!r}: cannot reach Redis ({exc})") from None
        except RedisError as exc:
            client.close()
            raise StoreError(f"{STORE_VARIABLE}={description!r}: Redis refused ({exc})") from None
        except StoreError:
            client.close()
            raise
        return store

    def _check_schema(self) -> None:
        key = self._key("schema")
        self._client.set(key, SCHEMA, nx=True)
        found = self._client.get(key)
        if found != SCHEMA:
            raise StoreError(f"{STORE_VARIABLE}={self.description!r}: the keys under prefix {self.prefix!r} "
                             f"belong to {found!r}, not {SCHEMA!r}; refusing to use them. Choose another "
                             "database or ?prefix=.")

    @property
    def client(self) -> redis.Redis:
        """The connection (decoded responses), for the task state kept beside the store
        (:class:`translator.tasks.board.TaskBoard`, under ``prefix + "tasks:"``)."""
        return self._client

    # -- plumbing --------------------------------------------------------------------------------

    def _key(self, name: str) -> str:
        return self.prefix + name

    @contextmanager
    def _errors(self) -> Iterator[None]:
        """Turn Redis failures into one clear :class:`StoreError`."""
        try:
            yield
        except RedisError as exc:
            log.exception("store %s failed", self.description)
            raise StoreError(f"store {self.description}: {exc}") from exc

    def ping(self) -> None:
        with self._errors():
            self._client.ping()

    def probe(self) -> None:
        key, token = self._key(f"probe:{uuid.uuid4().hex}"), uuid.uuid4().hex
        with self._errors():
            self._client.set(key, token, px=30_000)  # expires by itself should the DEL never come
            found = self._client.get(key)
            self._client.delete(key)
        if found != token:
            raise StoreError(f"store {self.description}: a probe entry did not read back as written")

    def segment_entries(self) -> Iterator[tuple[str, str]]:
        with self._errors():
            keys = [key for key, _ in self._client.zscan_iter(self._key("seg-index"), count=_CHUNK)]
        for start in range(0, len(keys), _CHUNK):
            chunk = keys[start:start + _CHUNK]
            with self._errors():
                values = self._client.mget([self._key("seg:" + k) for k in chunk])
            yield from ((k, v) for k, v in zip(chunk, values) if v is not None)

    def article_ids(self) -> Iterator[str]:
        with self._errors():
            ids = sorted(self._client.sscan_iter(self._key("articles"), count=_CHUNK))
        yield from ids

    def put_version(self, version: ArticleVersion) -> None:
        check_article_id(version.id)
        created = version_time(version)
        digest = content_digest(version.title, version.body, version.format, version.url)
        article, versions, _ = self._article_keys(version.id)

        def put(pipe: redis.client.Pipeline) -> None:
            latest = pipe.hget(article, "latest")
            pipe.multi()
            if latest is None:
                pipe.hset(article, "created_at", created)
                pipe.sadd(self._key("articles"), version.id)
            if latest is None or int(latest) <= version.version:
                pipe.hset(article, mapping={"latest": version.version, "digest": digest})
            pipe.hset(versions, str(version.version), json.dumps(
                {"title": version.title, "body": version.body, "format": version.format, "url": version.url,
                 "digest": digest, "created_at": created}, ensure_ascii=False))
            pipe.zadd(self._key("version-index"), {f"{version.version}:{version.id}": created})

        with self._errors():
            self._client.transaction(put, article)

    def pool_stats(self) -> dict[str, int]:
        return {}  # no pool worth a gauge: one connection per thread (SQLite), redis-py's own pool (Redis)

    def close(self) -> None:
        self._client.close()

    # -- translation memory ----------------------------------------------------------------------

    def get_segments(self, keys: Sequence[str]) -> dict[str, str]:
        keys = list(dict.fromkeys(keys))
        found: dict[str, str] = {}
        with self._errors():
            for start in range(0, len(keys), _CHUNK):
                chunk = keys[start:start + _CHUNK]
                values = self._client.mget([self._key("seg:" + k) for k in chunk])
                found.update((k, v) for k, v in zip(chunk, values) if v is not None)
        self.lookups.record(len(keys), len(found))
        return found

    def put_segments(self, entries: Mapping[str, str]) -> None:
        if not entries:
            return
        now = self._clock()
        with self._errors(), self._client.pipeline(transaction=True) as pipe:
            pipe.mset({self._key("seg:" + k): v for k, v in entries.items()})
            pipe.zadd(self._key("seg-index"), {k: now for k in entries})
            pipe.execute()

    # -- articles and translations ---------------------------------------------------------------

    def put_article(self, article_id: str, *, title: str, body: str, format: str = "text",
                    url: str | None = None) -> PutResult:
        check_article_id(article_id)
        digest = content_digest(title, body, format, url)
        article, versions, translations = self._article_keys(article_id)

        def put(pipe: redis.client.Pipeline) -> PutResult:
            latest, current = pipe.hmget(article, "latest", "digest")
            if latest is not None and current == digest:
                return PutResult(article_id, int(latest), changed=False, created=False)
            now = self._clock()
            version = int(latest or 0) + 1
            stale = [int(n) for n in pipe.hkeys(versions) if int(n) <= version - self.keep_versions]
            stale_translations = [f for f in pipe.hkeys(translations) if int(f.split(":", 1)[0]) in stale]
            pipe.multi()
            pipe.hset(article, mapping={"latest": version, "digest": digest})
            if latest is None:
                pipe.hset(article, "created_at", now)
                pipe.sadd(self._key("articles"), article_id)
            pipe.hset(versions, str(version), json.dumps(
                {"title": title, "body": body, "format": format, "url": url, "digest": digest,
                 "created_at": now}, ensure_ascii=False))
            pipe.zadd(self._key("version-index"), {f"{version}:{article_id}": now})
            self._queue_removal(pipe, article_id, stale, stale_translations)
            return PutResult(article_id, version, changed=True, created=latest is None)

        with self._errors():
            return self._client.transaction(put, article, versions, translations, value_from_callable=True)

    def get_article(self, article_id: str, version: int | None = None) -> ArticleVersion | None:
        article, versions, _ = self._article_keys(article_id)
        with self._errors():
            found = self._get_version(keys=[article, versions], args=["" if version is None else str(version)])
        if not found:
            return None
        data = json.loads(found[1])
        return ArticleVersion(article_id, int(found[0]), data["title"], data["body"], data["format"], data["url"],
                              utc_timestamp(data["created_at"]))

    def put_translation(self, translation: StoredTranslation) -> None:
        if ":" in translation.lang:
            raise ValueError(f"a language code cannot contain ':' ({translation.lang!r})")
        _, versions, translations = self._article_keys(translation.id)
        field = f"{translation.version}:{translation.lang}"

        def put(pipe: redis.client.Pipeline) -> bool:
            if not pipe.hexists(versions, str(translation.version)):
                return False
            now = self._clock()
            pipe.multi()
            pipe.hset(translations, field, json.dumps({**translation.to_record(), "_stored_at": now},
                                                      ensure_ascii=False))
            pipe.zadd(self._key("translation-index"), {f"{field}:{translation.id}": now})
            return True

        with self._errors():
            stored = self._client.transaction(put, versions, value_from_callable=True)
        if not stored:
            log.info("not storing the translation of %s version %d: that version is gone",
                     translation.id, translation.version)

    def get_translation(self, article_id: str, version: int, lang: str) -> StoredTranslation | None:
        with self._errors():
            data = self._client.hget(self._article_keys(article_id)[2], f"{version}:{lang}")
        return StoredTranslation.from_dict(json.loads(data)) if data else None

    def recent_translations(self, lang: str) -> Iterator[StoredTranslation]:
        index = self._key("translation-index")
        start, page = 0, _CHUNK // 5
        while True:
            with self._errors():
                members = self._client.zrevrange(index, start, start + page - 1)
                wanted = [m.split(":", 2) for m in members]
                wanted = [(version, article_id) for version, member_lang, article_id in wanted if member_lang == lang]
                with self._client.pipeline(transaction=False) as pipe:
                    for version, article_id in wanted:
                        pipe.hget(self._article_keys(article_id)[2], f"{version}:{lang}")
                    found = pipe.execute()
            for data in found:
                if data:
                    yield StoredTranslation.from_dict(json.loads(data))
            if len(members) < page:
                return
            start += page

    # -- human memory ----------------------------------------------------------------------------

    def get_human_entries(self, lang: str, sources: Sequence[str]) -> dict[str, HumanEntry]:
        keys = list(dict.fromkeys(normalise_segment(s) for s in sources))
        found: dict[str, HumanEntry] = {}
        with self._errors():
            for start in range(0, len(keys), _CHUNK):
                chunk = keys[start:start + _CHUNK]
                values = self._client.hmget(self._key("human:" + lang), chunk)
                found.update((k, HumanEntry.from_dict(json.loads(v))) for k, v in zip(chunk, values) if v is not None)
        return found

    def put_human_entry(self, entry: HumanEntry) -> None:
        self.put_human_entries([entry])

    def put_human_entries(self, entries: Iterable[HumanEntry]) -> None:
        with self._errors(), self._client.pipeline(transaction=True) as pipe:  # MULTI/EXEC: all or nothing
            for entry in entries:
                pipe.hset(self._key("human:" + entry.lang), entry.source,
                          json.dumps(entry.to_dict(), ensure_ascii=False))
            pipe.execute()

    def delete_human_entry(self, lang: str, source: str) -> bool:
        with self._errors():
            return bool(self._client.hdel(self._key("human:" + lang), normalise_segment(source)))

    def human_entries(self, lang: str | None = None) -> list[HumanEntry]:
        entries: list[HumanEntry] = []
        with self._errors():
            if lang is None:
                keys = sorted(self._client.scan_iter(match=_glob_escape(self._key("human:")) + "*", count=_CHUNK))
            else:
                keys = [self._key("human:" + lang)]
            for key in keys:
                raw = self._client.hgetall(key)
                entries.extend(HumanEntry.from_dict(json.loads(raw[source])) for source in sorted(raw))
        return entries

    def get_publication(self, article_id: str) -> Publication | None:
        with self._errors():
            published, embargo = self._client.hmget(self._article_keys(article_id)[0], "published", "embargo_until")
        if published is None:
            return None
        return Publication(published == "1", float(embargo) if embargo else None)

    def set_publication(self, article_id: str, publication: Publication) -> None:
        if not isinstance(article_id, str) or not article_id:
            raise ValueError("an article id must be a non-empty string")
        # In the article's own hash, so purging the article removes it too.
        with self._errors():
            self._client.hset(self._article_keys(article_id)[0], mapping={
                "published": "1" if publication.published else "0",
                "embargo_until": "" if publication.embargo_until is None else repr(publication.embargo_until)})

    def _article_keys(self, article_id: str) -> tuple[str, str, str]:
        return (self._key("article:" + article_id), self._key("versions:" + article_id),
                self._key("translations:" + article_id))

    def _queue_removal(self, pipe: redis.client.Pipeline, article_id: str, versions: list[int],
                       translations: list[str]) -> None:
        """Queue (inside MULTI) the removal of some versions and translations of one article."""
        _, versions_key, translations_key = self._article_keys(article_id)
        if versions:
            pipe.hdel(versions_key, *map(str, versions))
            pipe.zrem(self._key("version-index"), *(f"{n}:{article_id}" for n in versions))
        if translations:
            pipe.hdel(translations_key, *translations)
            pipe.zrem(self._key("translation-index"), *(f"{f}:{article_id}" for f in translations))

    # -- accepted translations still to finish ------------------------------------------------------
    # One sorted set per language: members ["id", version] (JSON), scored by when they were accepted;
    # one hash per language of those that failed for good: the same members -> the reason.

    def add_pending(self, lang: str, article_id: str, version: int) -> None:
        member = json.dumps([article_id, version])
        with self._errors(), self._client.pipeline(transaction=True) as pipe:
            pipe.zadd(self._key("pending:" + lang), {member: time.time()}, nx=True)
            pipe.hdel(self._key("failed:" + lang), member)
            pipe.execute()

    def remove_pending(self, lang: str, article_id: str, version: int) -> None:
        member = json.dumps([article_id, version])
        with self._errors(), self._client.pipeline(transaction=True) as pipe:
            pipe.zrem(self._key("pending:" + lang), member)
            pipe.hdel(self._key("failed:" + lang), member)
            pipe.execute()

    def mark_failed(self, lang: str, article_id: str, version: int, reason: str) -> None:
        member = json.dumps([article_id, version])
        with self._errors(), self._client.pipeline(transaction=True) as pipe:
            pipe.zrem(self._key("pending:" + lang), member)
            pipe.hset(self._key("failed:" + lang), member, reason)
            pipe.execute()

    def failure(self, lang: str, article_id: str, version: int) -> str | None:
        with self._errors():
            return self._client.hget(self._key("failed:" + lang), json.dumps([article_id, version]))

    def pending(self, lang: str) -> list[tuple[str, int]]:
        with self._errors():
            members = self._client.zrange(self._key("pending:" + lang), 0, -1)
        return [(article_id, int(version)) for article_id, version in map(json.loads, members)]

    # -- glossary edits --------------------------------------------------------------------------

    def glossary_edits(self, pair: str) -> dict[str, tuple[str, str] | None]:
        with self._errors():
            raw = self._client.hgetall(self._key("glossary:" + pair))
        edits: dict[str, tuple[str, str] | None] = {}
        for source in sorted(raw):
            value = json.loads(raw[source])
            edits[source] = None if value is None else (value[0], value[1])
        return edits

    def put_glossary_edit(self, pair: str, source: str, value: tuple[str, str] | None) -> None:
        encoded = json.dumps(None if value is None else [value[0], value[1] or ""], ensure_ascii=False)
        with self._errors():
            self._client.hset(self._key("glossary:" + pair), source, encoded)

    # -- single flight ---------------------------------------------------------------------------

    @contextmanager
    def lock(self, name: str, timeout: float = 600.0) -> Iterator[None]:
        """A lock across processes and machines; waits at most ``timeout`` seconds for it.

        The lock is a lease of ``lock_lease`` seconds that a watchdog thread
        renews while it is held, so a holder that dies (SIGKILL, lost machine)
        blocks the others for one lease at most, however long a translation
        takes. Threads of this process queue on an in-process lock first, so
        only one of them polls Redis at a time.
        """
        with self._local_locks.hold(name, timeout):
            lease = min(self.lock_lease, timeout)
            # thread_local=False: the watchdog thread renews with the holder's token.
            lock = self._client.lock(self._key("lock:" + name), timeout=lease, sleep=0.05,
                                     blocking_timeout=timeout, thread_local=False)
            with self._errors():
                acquired = lock.acquire()
            if not acquired:
                raise StoreError(f"gave up waiting for lock {name!r} after {timeout:g}s")
            held = threading.Event()
            watchdog = threading.Thread(target=self._renew, args=(lock, name, lease, held), daemon=True,
                                        name=f"lock-lease {name}")
            watchdog.start()
            try:
                yield
            finally:
                held.set()
                watchdog.join()
                try:
                    lock.release()
                except LockError:
                    log.warning("lock %r expired before its holder released it", name)
                except RedisError:
                    log.warning("could not release lock %r; it expires by itself", name, exc_info=True)

    @staticmethod
    def _renew(lock, name: str, lease: float, released: threading.Event) -> None:
        """Renew the lease every third of it until ``released``."""
        while not released.wait(lease / 3):
            try:
                lock.reacquire()
            except LockError:
                log.warning("lost lock %r (its lease ran out)", name)
                return
            except RedisError:
                log.warning("could not renew lock %r; retrying", name, exc_info=True)

    # -- maintenance -----------------------------------------------------------------------------

    def stats(self) -> dict:
        with self._errors():
            with self._client.pipeline(transaction=False) as pipe:
                pipe.zcard(self._key("seg-index"))
                pipe.scard(self._key("articles"))
                pipe.zcard(self._key("version-index"))
                pipe.zcard(self._key("translation-index"))
                entries, articles, versions, translations = pipe.execute()
            size = self._size_bytes()
        return {"backend": "redis", "store": self.description, "entries": entries, "articles": articles,
                "versions": versions, "translations": translations, "size_bytes": size,
                **self.lookups.snapshot()}

    def _size_bytes(self) -> int:
        """Memory used by this store's keys (``MEMORY USAGE`` summed over a SCAN of the prefix)."""
        total = 0
        batch: list[str] = []
        for key in self._client.scan_iter(match=_glob_escape(self.prefix) + "*", count=_CHUNK):
            batch.append(key)
            if len(batch) == _CHUNK:
                total += self._memory_usage(batch)
                batch = []
        return total + self._memory_usage(batch)

    def _memory_usage(self, keys: list[str]) -> int:
        if not keys:
            return 0
        with self._client.pipeline(transaction=False) as pipe:
            for key in keys:
                pipe.memory_usage(key, samples=0)
            return sum(n or 0 for n in pipe.execute())

    def purge(self, article_id: str | None = None, older_than_days: float | None = None) -> dict:
        """Delete cached data (same rules as :meth:`translator.store.sqlite.SQLiteStore.purge`)."""
        removed = {"entries": 0, "articles": 0, "versions": 0, "translations": 0}
        cutoff = None if older_than_days is None else self._clock() - older_than_days * _DAY
        with self._errors():
            if article_id is not None:
                ids: Sequence[str] = [article_id]
            elif cutoff is None:
                ids = list(self._client.sscan_iter(self._key("articles"), count=_CHUNK))
            else:
                ids = sorted({member.split(":", 1)[1] for member in self._client.zrangebyscore(
                    self._key("version-index"), "-inf", f"({cutoff}")} | {
                    member.split(":", 2)[2] for member in self._client.zrangebyscore(
                        self._key("translation-index"), "-inf", f"({cutoff}")})
            for one in ids:
                for name, count in self._purge_article(one, cutoff).items():
                    removed[name] += count
            if article_id is None:
                removed["entries"] = self._purge_segments(cutoff)
        log.info("purged %s from %s", removed, self.description)
        return removed

    def _purge_article(self, article_id: str, cutoff: float | None) -> dict[str, int]:
        """Remove one article (cutoff None) or its old translations and non-latest versions, atomically."""
        article, versions_key, translations_key = self._article_keys(article_id)

        def purge(pipe: redis.client.Pipeline) -> dict[str, int]:
            latest = pipe.hget(article, "latest")
            versions = {int(n): json.loads(v)["created_at"] for n, v in pipe.hgetall(versions_key).items()}
            translations = {f: json.loads(v)["_stored_at"] for f, v in pipe.hgetall(translations_key).items()}
            if cutoff is None:
                drop_versions = list(versions)
            else:
                drop_versions = [n for n, created in versions.items()
                                 if created < cutoff and latest is not None and n < int(latest)]
            drop_translations = [f for f, stored in translations.items()
                                 if int(f.split(":", 1)[0]) in drop_versions or cutoff is None or stored < cutoff]
            whole = cutoff is None and latest is not None
            pipe.multi()
            self._queue_removal(pipe, article_id, drop_versions, drop_translations)
            if whole:
                pipe.delete(article)
                pipe.srem(self._key("articles"), article_id)
            return {"articles": int(whole), "versions": len(drop_versions), "translations": len(drop_translations)}

        return self._client.transaction(purge, article, versions_key, translations_key, value_from_callable=True)

    def _purge_segments(self, cutoff: float | None) -> int:
        """Remove memory entries written before ``cutoff`` (all when None), a chunk per transaction."""
        index = self._key("seg-index")
        removed = 0
        while True:
            keys = self._client.zrangebyscore(index, "-inf", "+inf" if cutoff is None else f"({cutoff}",
                                              start=0, num=_CHUNK)
            if not keys:
                return removed
            with self._client.pipeline(transaction=True) as pipe:
                pipe.unlink(*(self._key("seg:" + k) for k in keys))
                pipe.zrem(index, *keys)
                removed += pipe.execute()[1]


def _glob_escape(text: str) -> str:
    """``text`` with the glob characters SCAN MATCH knows escaped."""
    return "".join("\\" + ch if ch in "*?[]\\" else ch for ch in text)
