"""Shared fixtures: a tiny Marian model built offline, fake engines, settings."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest

from tests.fakes import EchoEngine
from translator.config import Settings

# Tests never touch the network: the model hub is unreachable on CI.
os.environ.setdefault("HF_HUB_OFFLINE", "1")

# Browser fixtures (`chromium`, `browser_page`), registered once so the session's browser is shared.
pytest_plugins = ["tests.browser"]

#: The real Redis server the store tests use (.ci/run starts one when none answers).
TEST_REDIS_URL = os.environ.get("TRANSLATOR_TEST_REDIS", "redis://127.0.0.1:6379/15")
#: The real PostgreSQL server (.ci/run starts one): a database of this run's own is created on it.
TEST_POSTGRES_URL = os.environ.get("TRANSLATOR_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")

#: Marker -> the fixtures that make a test need it: a test using any of them (directly or through
#: another fixture) gets the marker, so `make test-fast` can leave out what needs a server or a browser.
_MARKERS_BY_FIXTURE = {
    "browser": {"chromium", "browser_page"},
    "redis": {"redis_store_url"},
    "postgres": {"postgres_store_url", "postgres_database"},
}
#: Marker -> (parametrised fixture, parameter): ``store_url[redis]`` fetches its URL only at run time, and
#: ``deployment[amqp]`` picks its broker by parameter.
_MARKERS_BY_PARAMETER = {
    "redis": {("store_url", "redis")},
    "postgres": {("store_url", "postgresql")},
    "rabbitmq": {("deployment", "amqp")},
}


def _parameters(item: pytest.Function) -> dict:
    """The fixture parameters of a parametrised test (``{"store_url": "redis"}``), else nothing."""
    try:
        return item.callspec.params
    except AttributeError:  # pytest gives unparametrised tests no callspec at all
        return {}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark each test ``browser``, ``redis`` or ``rabbitmq`` by the fixtures and parameters it uses."""
    for item in items:
        if not isinstance(item, pytest.Function):
            continue
        parameters = _parameters(item)
        for marker, names in _MARKERS_BY_FIXTURE.items():
            if names.intersection(item.fixturenames):
                item.add_marker(marker)
        for marker, pairs in _MARKERS_BY_PARAMETER.items():
            if any(name in parameters and parameters[name] == value for name, value in pairs):
                item.add_marker(marker)


@pytest.fixture(scope="session")
def tiny_model_dir(tmp_path_factory) -> Path:
    """A real Marian directory (tokenizer + random, briefly trained weights): this session's own copy
    of the model built once per machine (conversions and caches get written inside it)."""
    from translator.testing.models import copy_cached_marian_model

    return copy_cached_marian_model(tmp_path_factory.mktemp("models") / "tiny-en-fr", train_steps=300)


@pytest.fixture(scope="session")
def tiny_engine(tiny_model_dir):
    """The real PyTorch engine loaded from the tiny model directory."""
    from translator.engines.marian import MarianEngine

    return MarianEngine.load(str(tiny_model_dir), Settings(threads=1))


@pytest.fixture
def settings(tmp_path) -> Settings:
    """Settings isolated in a temporary data directory."""
    return Settings(data_dir=tmp_path / "data", threads=1, glossary=None)


@pytest.fixture
def echo_engine() -> EchoEngine:
    """A deterministic fake engine: 'FR(<text>)', counting its calls."""
    return EchoEngine()


@pytest.fixture
def redis_store_url():
    """A ``redis://`` store URL on the test Redis with a key prefix of its own, deleted afterwards."""
    import redis

    client = redis.Redis.from_url(TEST_REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError as exc:
        pytest.fail(f"no Redis at {TEST_REDIS_URL} ({exc}); start one (.ci/run does) or set TRANSLATOR_TEST_REDIS")
    prefix = f"test-{uuid.uuid4().hex[:12]}:"
    yield f"{TEST_REDIS_URL}?prefix={prefix}"
    keys = list(client.scan_iter(match=prefix + "*", count=1000))
    if keys:
        client.delete(*keys)
    client.close()


@pytest.fixture(scope="session")
def postgres_database() -> str:
    """The URL of a database of this test run's own (per xdist worker) on the test PostgreSQL,
    dropped at the end (connections and all)."""
    import psycopg

    name = f"translator_test_{uuid.uuid4().hex[:12]}"
    try:
        with psycopg.connect(TEST_POSTGRES_URL, autocommit=True, connect_timeout=3) as admin:
            admin.execute(f"CREATE DATABASE {name}")
    except psycopg.Error as exc:
        pytest.fail(f"no PostgreSQL at {TEST_POSTGRES_URL} ({exc}); start one (.ci/run does) "
                    "or set TRANSLATOR_TEST_POSTGRES")
    yield TEST_POSTGRES_URL.rsplit("/", 1)[0] + "/" + name
    with psycopg.connect(TEST_POSTGRES_URL, autocommit=True, connect_timeout=3) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def postgres_store_url(postgres_database):
    """A ``postgresql://`` store URL in a schema of its own (migrated, empty), dropped afterwards."""
    import psycopg

    from translator.store.postgresql import PostgreSQLStore

    schema = f"test_{uuid.uuid4().hex[:12]}"
    url = f"{postgres_database}?schema={schema}"
    store = PostgreSQLStore.from_url(url, check=False)
    store.migrate()
    store.close()
    yield url
    with psycopg.connect(postgres_database, autocommit=True, connect_timeout=3) as admin:
        admin.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")


@pytest.fixture(params=["sqlite", "redis", "postgresql"])
def store_url(request, tmp_path) -> str:
    """The URL of an empty store, once per backend: a real SQLite file, the real Redis server, the real
    PostgreSQL server."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store' / 'translator.sqlite3'}"
    if request.param == "postgresql":
        return request.getfixturevalue("postgres_store_url")
    return request.getfixturevalue("redis_store_url")


@pytest.fixture
def store(store_url):
    """An open, empty store (each backend in turn) keeping 3 versions per article, closed afterwards."""
    from translator.store import open_store

    opened = open_store(store_url, keep_versions=3)
    yield opened
    opened.close()


@pytest.fixture
def sqlite_store(tmp_path):
    """An open, empty store in a real SQLite file, closed afterwards (tests that need one backend)."""
    from translator.store import open_store

    opened = open_store(f"sqlite:///{tmp_path / 'store.sqlite3'}")
    yield opened
    opened.close()
