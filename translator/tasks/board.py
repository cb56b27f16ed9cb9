"""What web processes, batch commands and workers share beside the store itself, kept in a Redis: the
Redis store's, or with a PostgreSQL store the Redis broker's.

The broker carries only task messages (ids and versions, never text); the
:class:`TaskBoard` keeps the small, short-lived state around them, under the
store's key prefix (``tasks:...``), so every process that shares the store
shares it:

* ``pending:<lang>:<version>:<id>``: a translation of this version is queued
  (so a page polled a hundred times enqueues it once); the worker clears it;
* ``failure:<lang>:<version>:<id>``: why the last translation of this version
  failed on a worker (answered once, like the in-process pool's failures);
* ``identity:<pair>``: the engine identity the workers of a pair announced at
  start, so a process without a model knows which stored translations are current;
* ``request:<key>`` / ``reply:<key>``: a ``POST /v1/translate`` request's
  texts and its answer (a list popped by the waiting web process);
* ``worker:<name>``: tasks done and failed by each worker (``/metrics``);
* ``alive:<pair>``: the workers consuming a pair, each scored with its last heartbeat
  (``/readyz`` and ``translator_workers{pair}`` count those seen within :data:`HEARTBEAT_TTL`);
* ``job:<id>``, ``job-failures:<id>``: distributed batch jobs.

Everything short-lived expires on its own, so a crash leaves nothing behind
for long.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

import redis
from redis.exceptions import RedisError

from ..config import Settings
from ..errors import ConfigError, StoreError
from ..store import Store

__all__ = ["HEARTBEAT_INTERVAL", "HEARTBEAT_TTL", "TaskBoard"]

log = logging.getLogger(__name__)

#: Seconds a worker's counters outlive its last report (a worker gone for good drops out of /metrics).
WORKER_TTL = 3600
#: Seconds between a worker's heartbeats, and how long one counts: a worker silent for longer is gone.
HEARTBEAT_INTERVAL = 10.0
HEARTBEAT_TTL = 3 * HEARTBEAT_INTERVAL
#: Seconds a failure is remembered for the next poll.
FAILURE_TTL = 3600
#: Seconds an announced engine identity is kept without a worker renewing it.
IDENTITY_TTL = 7 * 86_400
#: Seconds a finished job's record is kept.
JOB_TTL = 30 * 86_400


class TaskBoard:
    """Shared task state in a Redis database, under ``prefix`` (see the module docstring and :meth:`of`).

    ``pending_ttl``: seconds a "queued" marker lives without its task finishing
    (a lost task may be enqueued again after it).
    """

    def __init__(self, client: redis.Redis, prefix: str, *, pending_ttl: float = 600.0):
        self._client = client
        self._prefix = prefix
        self.pending_ttl = max(1, int(pending_ttl))

    @classmethod
    def of(cls, settings: Settings, store: Store, *, pending_ttl: float = 600.0) -> "TaskBoard":
        """The deployment's board: in the Redis store's database under its prefix; with a PostgreSQL
        store, in the Redis broker's database under the queue prefix (the combinations
        :class:`~translator.config.Settings` allows)."""
        if settings.store_kind == "redis":
            return cls(store.client, f"{store.prefix}tasks:", pending_ttl=pending_ttl)
        if settings.broker_kind == "redis":
            client = redis.Redis.from_url(settings.broker, decode_responses=True,
                                          socket_timeout=settings.store_timeout,
                                          socket_connect_timeout=settings.store_timeout)
            return cls(client, f"{settings.queue_prefix}translator:tasks:", pending_ttl=pending_ttl)
        raise ConfigError(f"TRANSLATOR_BROKER needs a Redis for the task board (workers cannot share "
                          f"{store.description})")

    def _key(self, *parts: object) -> str:
        return self._prefix + ":".join(str(p) for p in parts)

    @contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except RedisError as exc:
            raise StoreError(f"the store's Redis failed: {exc}") from None

    # -- article translations ------------------------------------------------------------------------

    def mark_pending(self, lang: str, article_id: str, version: int) -> bool:
        """Mark the version queued; False when it already was (nothing to enqueue)."""
        with self._errors():
            self._client.delete(self._key("failure", lang, version, article_id))
            return bool(self._client.set(self._key("pending", lang, version, article_id), "1", nx=True,
                                         ex=self.pending_ttl))

    def unmark_pending(self, lang: str, article_id: str, version: int) -> None:
        """The queued translation of the version is over (or could not be enqueued)."""
        with self._errors():
            self._client.delete(self._key("pending", lang, version, article_id))

    def is_pending(self, lang: str, article_id: str, version: int | None = None) -> bool:
        """Whether a translation of the version (of any version when None) is queued or running."""
        with self._errors():
            if version is not None:
                return bool(self._client.exists(self._key("pending", lang, version, article_id)))
            pattern = f"{_glob_escape(self._key('pending', lang))}:*:{_glob_escape(article_id)}"
            return any(True for _ in self._client.scan_iter(match=pattern, count=1000))

    def record_failure(self, lang: str, article_id: str, version: int, message: str) -> None:
        """Remember why the version's translation failed (for the next poll)."""
        with self._errors():
            self._client.set(self._key("failure", lang, version, article_id), message, ex=FAILURE_TTL)

    def take_failure(self, lang: str, article_id: str, version: int) -> str | None:
        """The failure recorded for the version, forgotten once taken."""
        with self._errors():
            return self._client.getdel(self._key("failure", lang, version, article_id))

    def put_progress(self, lang: str, article_id: str, version: int, progress: dict | None) -> None:
        """What a worker has finished of the version so far (``None``: nothing, or done); it
        expires with the pending mark, so a killed worker's progress does not linger."""
        key = self._key("progress", lang, version, article_id)
        with self._errors():
            if progress is None:
                self._client.delete(key)
            else:
                self._client.set(key, json.dumps(progress, ensure_ascii=False), ex=self.pending_ttl)

    def progress(self, lang: str, article_id: str, version: int) -> dict | None:
        """The progress a worker recorded for the version, None when there is none."""
        with self._errors():
            raw = self._client.get(self._key("progress", lang, version, article_id))
        return json.loads(raw) if raw is not None else None

    # -- engine identities -------------------------------------------------------------------------

    def announce_identity(self, pair: str, identity: str) -> None:
        """A worker serving ``pair`` with ``identity`` started (the latest start wins)."""
        with self._errors():
            self._client.set(self._key("identity", pair), identity, ex=IDENTITY_TTL)

    def identity(self, pair: str) -> str | None:
        """The engine identity the workers of ``pair`` announced, None before any worker started."""
        with self._errors():
            return self._client.get(self._key("identity", pair))

    # -- POST /v1/translate ------------------------------------------------------------------------

    def put_request(self, key: str, payload: dict, ttl: float) -> None:
        """Keep a translate request's payload for the worker that takes its task."""
        with self._errors():
            self._client.set(self._key("request", key), json.dumps(payload, ensure_ascii=False), ex=max(1, int(ttl)))

    def take_request(self, key: str) -> dict | None:
        """The request's payload (None when it expired: the web process stopped waiting)."""
        with self._errors():
            raw = self._client.getdel(self._key("request", key))
        return json.loads(raw) if raw is not None else None

    def put_reply(self, key: str, reply: dict, ttl: float = 60) -> None:
        """Hand the answer to the web process waiting for it."""
        reply_key = self._key("reply", key)
        with self._errors():
            with self._client.pipeline() as pipe:
                pipe.rpush(reply_key, json.dumps(reply, ensure_ascii=False))
                pipe.expire(reply_key, max(1, int(ttl)))
                pipe.execute()

    def wait_reply(self, key: str, timeout: float) -> dict | None:
        """Wait up to ``timeout`` seconds for the answer (None when none came)."""
        deadline = time.monotonic() + timeout
        with self._errors():
            while True:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                # BLPOP's timeout has a resolution of 1 s on old servers: wait in steps of at most 1 s.
                found = self._client.blpop([self._key("reply", key)], timeout=min(1.0, max(0.01, left)))
                if found is not None:
                    return json.loads(found[1])
            self._client.delete(self._key("request", key))  # nobody waits any more
        return None

    # -- workers -----------------------------------------------------------------------------------

    def count_task(self, worker: str, outcome: str) -> None:
        """One task of ``worker`` ended as ``outcome`` ("done" or "failed")."""
        key = self._key("worker", worker)
        with self._errors():
            with self._client.pipeline() as pipe:
                pipe.hincrby(key, outcome, 1)
                pipe.expire(key, WORKER_TTL)
                pipe.execute()

    def register_worker(self, worker: str) -> None:
        """A worker started: it appears in /metrics with zero counts."""
        key = self._key("worker", worker)
        with self._errors():
            with self._client.pipeline() as pipe:
                pipe.hsetnx(key, "done", 0)
                pipe.hsetnx(key, "failed", 0)
                pipe.expire(key, WORKER_TTL)
                pipe.execute()

    def beat(self, worker: str, pairs: Iterable[str], *, now: float | None = None) -> None:
        """``worker`` is alive and consumes the queues of ``pairs`` (a heartbeat, every
        :data:`HEARTBEAT_INTERVAL` seconds)."""
        now = time.time() if now is None else now
        with self._errors():
            with self._client.pipeline() as pipe:
                for pair in pairs:
                    pipe.zadd(self._key("alive", pair), {worker: now})
                    pipe.expire(self._key("alive", pair), int(HEARTBEAT_TTL) + 1)
                pipe.execute()

    def forget(self, worker: str, pairs: Iterable[str]) -> None:
        """``worker`` stopped cleanly: it no longer counts as alive."""
        with self._errors():
            with self._client.pipeline() as pipe:
                for pair in pairs:
                    pipe.zrem(self._key("alive", pair), worker)
                pipe.execute()

    def live_workers(self, pairs: Iterable[str], *, now: float | None = None) -> dict[str, int]:
        """``{pair: workers whose last heartbeat is under HEARTBEAT_TTL old}`` (0 for a pair nobody serves)."""
        now = time.time() if now is None else now
        pairs = list(pairs)
        with self._errors():
            with self._client.pipeline() as pipe:
                for pair in pairs:
                    pipe.zcount(self._key("alive", pair), now - HEARTBEAT_TTL, "+inf")
                counts = pipe.execute()
        return dict(zip(pairs, map(int, counts)))

    def worker_counts(self) -> dict[str, dict[str, int]]:
        """``{worker: {"done": n, "failed": n}}`` for the workers seen in the last hour."""
        start = len(self._key("worker", ""))
        with self._errors():
            keys = sorted(self._client.scan_iter(match=_glob_escape(self._key("worker", "")) + "*", count=1000))
            counts = {}
            for key in keys:
                values = self._client.hgetall(key)
                if values:
                    counts[key[start:]] = {"done": int(values.get("done", 0)), "failed": int(values.get("failed", 0))}
        return counts

    # -- distributed batch jobs ----------------------------------------------------------------------

    def put_job(self, job_id: str, job: dict) -> None:
        """Record a batch job (its inputs and the article versions it enqueued)."""
        with self._errors():
            self._client.set(self._key("job", job_id), json.dumps(job, ensure_ascii=False), ex=JOB_TTL)

    def get_job(self, job_id: str) -> dict | None:
        """The job's record, None for an unknown (or expired) job."""
        with self._errors():
            raw = self._client.get(self._key("job", job_id))
        return json.loads(raw) if raw is not None else None

    def record_job_failure(self, job_id: str, article_id: str, version: int, message: str) -> None:
        """An article of the job failed on a worker."""
        key = self._key("job-failures", job_id)
        with self._errors():
            with self._client.pipeline() as pipe:
                pipe.hset(key, f"{version}:{article_id}", message)
                pipe.expire(key, JOB_TTL)
                pipe.execute()

    def clear_job_failure(self, job_id: str, article_id: str, version: int) -> None:
        """The article was translated after all (a later delivery or rerun)."""
        with self._errors():
            self._client.hdel(self._key("job-failures", job_id), f"{version}:{article_id}")

    def job_failures(self, job_id: str) -> dict[tuple[str, int], str]:
        """``{(article id, version): message}`` of the job's failed articles."""
        with self._errors():
            raw = self._client.hgetall(self._key("job-failures", job_id))
        failures = {}
        for field, message in raw.items():
            version, _, article_id = field.partition(":")
            failures[(article_id, int(version))] = message
        return failures


def _glob_escape(text: str) -> str:
    """``text`` matched literally in a Redis SCAN pattern."""
    return "".join("\\" + ch if ch in "*?[]\\" else ch for ch in text)
