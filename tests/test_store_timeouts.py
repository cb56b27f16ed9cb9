"""The store under failure: a Redis server that stops answering (its own throwaway server, frozen
with SIGSTOP: never the shared one), a lock holder killed with SIGKILL, a lock lost to another owner."""

from __future__ import annotations

import re
import signal
import socket
import subprocess
import time

import pytest
import redis

from tests.fakes import EchoEngine
from tests.test_store_durability import Worker
from tests.waiting import wait_until
from translator.config import Settings
from translator.store import open_store
from translator.store.redis import DEFAULT_LOCK_LEASE, RedisStore
from translator.web import create_app
from translator.service.runtime import build_runtime


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def own_redis():
    """A throwaway redis-server on a free port (no persistence): ``(process, url)``. Tests may freeze
    it with SIGSTOP; it is resumed and stopped afterwards whatever happened."""
    port = _free_port()
    process = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                "--appendonly", "no"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"redis://127.0.0.1:{port}/0"
    client = redis.Redis.from_url(url, socket_connect_timeout=1)
    deadline = time.monotonic() + 30
    while True:
        try:
            client.ping()
            break
        except redis.ConnectionError:
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"redis-server did not start on port {port}")
            time.sleep(0.05)
    client.close()
    try:
        yield process, url
    finally:
        process.send_signal(signal.SIGCONT)
        process.terminate()
        process.wait(30)


@pytest.mark.redis  # its own redis-server process
def test_a_frozen_redis_fails_requests_with_503_within_the_timeout(own_redis, tmp_path):
    process, url = own_redis
    settings = Settings(data_dir=tmp_path, glossary=None, threads=1, store=url, store_timeout=0.5)
    services = build_runtime(settings, serving=True, engine_factory=lambda settings, model: EchoEngine())
    services.warm_up()
    client = create_app(runtime=services).test_client()
    assert client.post("/v1/translate", json={"text": "Warm."}).status_code == 200
    assert client.get("/readyz").status_code == 200
    process.send_signal(signal.SIGSTOP)
    try:
        started = time.monotonic()
        response = client.post("/v1/translate", json={"text": "Hello."})
        took = time.monotonic() - started
        assert response.status_code == 503
        assert response.get_json()["error"]["code"] == "store_unavailable"
        assert response.headers["Retry-After"] == "5"
        assert took < 10  # the old client waited up to 60 s per call

        assert client.get("/healthz").get_json() == {"status": "ok"}  # touches nothing shared

        started = time.monotonic()
        # An answer is cached for a second: the "ok" from before the freeze may be given once more.
        wait_until(lambda: client.get("/readyz").status_code == 503, 10, "readyz to see the frozen store")
        response = client.get("/readyz")
        assert time.monotonic() - started < 10
        assert response.status_code == 503
        body = response.get_json()
        assert body["error"]["code"] == "store_unavailable"
        # (the second check of the same request finds the first probe still hanging)
        assert re.fullmatch(r"unavailable: the store (did not answer within 0\.5s|"
                            r"has not answered for \d+\.\ds)", body["checks"]["store"])
    finally:
        process.send_signal(signal.SIGCONT)
    # Answering again: so does the service (the hung probe has ended by now, or ends soon).
    wait_until(lambda: client.get("/readyz").status_code == 200, 30, "readiness after Redis resumed", interval=0.1)
    assert client.post("/v1/translate", json={"text": "Hello."}).status_code == 200
    services.close()


def test_the_redis_client_has_the_configured_timeouts(redis_store_url):
    store = RedisStore.from_url(redis_store_url, timeout=1.5)
    options = store._client.connection_pool.connection_kwargs
    assert (options["socket_timeout"], options["socket_connect_timeout"]) == (1.5, 1.5)
    store.close()
    assert Settings(glossary=None).store_timeout == 2.0
    assert Settings.from_env({"TRANSLATOR_STORE_TIMEOUT": "0.25"}, glossary=None).store_timeout == 0.25


def test_a_lock_held_by_a_killed_process_is_free_within_10_seconds(redis_store_url):
    assert DEFAULT_LOCK_LEASE <= 10
    worker = Worker("lock", redis_store_url, "translate:fr:1:stale")
    worker.wait_for(lambda line: line == "HELD")
    worker.kill()
    store = open_store(redis_store_url)  # the default lease, as a restarted service has
    with store.lock("translate:fr:1:stale", timeout=10):  # the old 30 s lease: StoreError here
        pass
    store.close()


def test_releasing_a_lock_someone_else_now_holds_leaves_it_to_them(redis_store_url):
    holder, other = open_store(redis_store_url), open_store(redis_store_url)
    raw = redis.Redis.from_url(redis_store_url.split("?")[0], decode_responses=True)
    key = holder.prefix + "lock:job"
    others = other.lock("job", timeout=5)
    with holder.lock("job"):
        raw.delete(key)  # the holder's lease ran out (it froze) ...
        others.__enter__()  # ... and another process took the lock
        token = raw.get(key)
    assert token is not None and raw.get(key) == token  # the first holder's release left it alone
    others.__exit__(None, None, None)
    assert raw.get(key) is None
    for opened in (holder, other, raw):
        opened.close()
