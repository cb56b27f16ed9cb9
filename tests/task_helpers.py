"""A scale-out deployment for tests: the real Redis or RabbitMQ broker, the real Redis store, workers as processes.

Each :class:`Deployment` has a queue prefix of its own (Redis broker keys
and RabbitMQ queues/exchanges are named after it) and a store prefix of its
own; :meth:`Deployment.cleanup` deletes both. Workers run the deterministic
engine of :mod:`tests.worker_engines` (``FR(<text>)``), which logs every
text it translates to ``engine_log`` with the worker's pid.
"""

from __future__ import annotations

import uuid
from collections import Counter
from pathlib import Path

import pytest

from translator.config import Settings
from translator.tasks.app import queue_names
from translator.testing.processes import WorkerProcess, service_environment

REPO_ROOT = Path(__file__).resolve().parent.parent
#: The brokers on these machines (.ci/run starts them when they do not answer).
BROKER_URLS = {
    "redis": "redis://127.0.0.1:6379/15",
    "amqp": "amqp://guest:guest@127.0.0.1:5672//",
}
#: Seconds before the Redis broker hands a dead worker's task to another (short for the tests).
VISIBILITY_TIMEOUT = 3
#: Seconds a dead worker's single-flight lock outlives it (short for the tests).
LOCK_LEASE = 2


def broker_answers(url: str) -> str | None:
    """None when the broker accepts a connection, else why not."""
    from kombu import Connection

    try:
        with Connection(url, connect_timeout=3) as connection:
            connection.ensure_connection(max_retries=1)
    except Exception as exc:
        return str(exc)
    return None


class Deployment:
    """Settings of one test deployment (broker + store + queue prefix) and the workers started on it."""

    def __init__(self, kind: str, store_url: str, tmp_path: Path):
        self.kind = kind
        self.broker = BROKER_URLS[kind]
        self.prefix = f"test-{uuid.uuid4().hex[:10]}."
        # PostgreSQL's locks end with their holder's connection: no lease to shorten.
        self.store = store_url if store_url.startswith("postgresql") else f"{store_url}&lock_lease={LOCK_LEASE}"
        self.tmp_path = tmp_path
        self.engine_log = tmp_path / "engine.log"
        self.workers: list[WorkerProcess] = []

    def settings(self, **changes) -> Settings:
        """Settings for an in-process web app on this deployment (no model: workers translate)."""
        values = dict(data_dir=self.tmp_path / "data", threads=1, glossary=None, store=self.store,
                      broker=self.broker, queue_prefix=self.prefix, web_engine=False,
                      broker_visibility_timeout=VISIBILITY_TIMEOUT, demo=False)
        values.update(changes)
        return Settings(**values)

    def env(self, **extra: str) -> dict[str, str]:
        """The environment of a worker (or ``translator batch``) process on this deployment."""
        return service_environment(
            TRANSLATOR_STORE=self.store, TRANSLATOR_BROKER=self.broker, TRANSLATOR_QUEUE_PREFIX=self.prefix,
            TRANSLATOR_BROKER_VISIBILITY_TIMEOUT=str(VISIBILITY_TIMEOUT), TRANSLATOR_GLOSSARY="off",
            TRANSLATOR_DATA_DIR=str(self.tmp_path / "data"), TRANSLATOR_THREADS="1",
            TEST_ENGINE_LOG=str(self.engine_log),
            # The tiny model on torch, as the tests compare with the torch engine (auto picks ctranslate2).
            **{"TRANSLATOR_BACKEND": "torch", **extra})

    def start_worker(self, *args: str, fake_engine: bool = True, **env: str) -> WorkerProcess:
        """``translator worker`` (the test engine unless ``fake_engine=False``), once it consumes."""
        options = [*args, *(["--engine-factory", "tests.worker_engines:counting_echo"] if fake_engine else [])]
        log_path = self.tmp_path / f"worker-{len(self.workers)}.log"
        worker = WorkerProcess(self.env(**env), log_path, args=options, cwd=REPO_ROOT, timeout=120)
        self.workers.append(worker)
        return worker

    def engine_lines(self) -> list[tuple[int, str]]:
        """(pid, text) of every text the workers' engines translated, in order."""
        if not self.engine_log.exists():
            return []
        lines = self.engine_log.read_text(encoding="utf-8").splitlines()
        return [(int(pid), text) for pid, _, text in (line.partition("\t") for line in lines)]

    def engine_counts(self) -> Counter:
        """How many times each text went through an engine."""
        return Counter(text for _, text in self.engine_lines())

    def cleanup(self) -> None:
        """Kill the workers left, delete the queues (RabbitMQ) or keys (Redis broker) of this prefix."""
        for worker in self.workers:
            worker.kill()
        if self.kind == "redis":
            import redis

            client = redis.Redis.from_url(self.broker)
            keys = list(client.scan_iter(match=f"{self.prefix}*", count=1000))
            if keys:
                client.delete(*keys)
            client.close()
            return
        from kombu import Connection

        with Connection(self.broker, connect_timeout=3) as connection:
            for name in queue_names(self.settings(), ["en-fr"]):
                channel = connection.channel()
                channel.queue_delete(name)
                channel.exchange_delete(name)
                channel.close()


@pytest.fixture(params=["redis", "amqp"])
def deployment(request, redis_store_url, tmp_path):
    """A deployment on each broker in turn (Redis, then RabbitMQ), cleaned up afterwards."""
    kind = request.param
    problem = broker_answers(BROKER_URLS[kind])
    if problem is not None:
        pytest.fail(f"the {kind} broker {BROKER_URLS[kind]} does not answer ({problem}); .ci/run starts it")
    deployment = Deployment(kind, redis_store_url, tmp_path)
    yield deployment
    deployment.cleanup()


@pytest.fixture
def postgres_deployment(postgres_store_url, tmp_path):
    """A deployment on the PostgreSQL store and the Redis broker (the task board in the broker's Redis)."""
    problem = broker_answers(BROKER_URLS["redis"])
    if problem is not None:
        pytest.fail(f"the redis broker {BROKER_URLS['redis']} does not answer ({problem}); .ci/run starts it")
    deployment = Deployment("redis", postgres_store_url, tmp_path)
    yield deployment
    deployment.cleanup()

