"""A stalled Redis, used as broker and store, never stalls the server: every check has a deadline.

A private redis-server (tests/test_store_timeouts.py's ``own_redis``), frozen with SIGSTOP while 50
clients call ``/readyz`` and ``/metrics`` over and over against a real ``translator serve`` with 8
request threads: ``/healthz`` and a read that needs neither store nor broker keep answering at once,
and ``/readyz`` answers 503 within the store's timeout.
"""

from __future__ import annotations

import json
import signal
import statistics
import threading
import time
import urllib.error
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.test_store_timeouts import own_redis  # noqa: F401  (fixture)
from tests.waiting import wait_until
from translator.testing.processes import ServiceProcess, service_environment

REPO = Path(__file__).resolve().parents[1]
STORE_TIMEOUT = 1.0


def _get(url: str, timeout: float = 30) -> tuple[int, float]:
    """(status, seconds) of one GET."""
    started = time.monotonic()
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        error.read()
        status = error.code
    return status, time.monotonic() - started


def _json(url: str) -> dict:
    """The JSON body of a GET, whatever its status."""
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return json.loads(response.read())
    except urllib.error.HTTPError as error:
        return json.loads(error.read())


@pytest.mark.slow
@pytest.mark.redis
def test_a_frozen_broker_and_store_never_hold_the_servers_threads(own_redis, tiny_model_dir, tmp_path):
    process, url = own_redis
    env = service_environment(
        TRANSLATOR_DATA_DIR=str(tmp_path / "data"), TRANSLATOR_THREADS="1", TRANSLATOR_BACKEND="torch",
        TRANSLATOR_MODEL=str(tiny_model_dir), TRANSLATOR_STORE=url, TRANSLATOR_BROKER=url.replace("/0", "/1"),
        TRANSLATOR_QUEUE_PREFIX=f"stall-{uuid.uuid4().hex[:8]}", TRANSLATOR_STORE_TIMEOUT=str(STORE_TIMEOUT),
        TRANSLATOR_RATE_LIMIT="off", TRANSLATOR_DEMO="off")
    with ServiceProcess(env, tmp_path / "serve.log", args=["--threads", "8"], cwd=REPO, timeout=120) as server:
        wait_until(lambda: _get(f"{server.url}/readyz")[0] == 200, 60, "readiness")
        assert _get(f"{server.url}/metrics")[0] == 200

        process.send_signal(signal.SIGSTOP)
        stop = threading.Event()
        answers: dict[str, list[tuple[int, float]]] = {"/readyz": [], "/metrics": []}

        def hammer(path: str) -> None:
            while not stop.is_set():
                answers[path].append(_get(server.url + path))
                time.sleep(0.05)

        try:
            with ThreadPoolExecutor(50) as pool:
                for i in range(50):
                    pool.submit(hammer, "/readyz" if i % 2 else "/metrics")
                time.sleep(STORE_TIMEOUT + 1)  # past the cached answer and the first probe's deadline
                health = [_get(f"{server.url}/healthz") for _ in range(10)]
                cached = [_get(f"{server.url}/v1/languages") for _ in range(10)]
                time.sleep(1)
                frozen = _json(f"{server.url}/readyz")
                stop.set()
        finally:
            process.send_signal(signal.SIGCONT)

        for name, calls in (("healthz", health), ("languages", cached)):
            assert [status for status, _ in calls] == [200] * 10, name
            took = [seconds for _, seconds in calls]
            assert statistics.median(took) < 0.1 and max(took) < 0.5, (name, took)
        assert len(answers["/readyz"]) > 50 and len(answers["/metrics"]) > 50  # nobody was held
        # Once the cached "ok" is over a second old, /readyz says 503, each answer within the deadline.
        assert max(seconds for _, seconds in answers["/readyz"]) < STORE_TIMEOUT + 1.0
        assert answers["/readyz"][-1][0] == 503
        assert {status for status, _ in answers["/metrics"]} == {200}   # the figures it could not read left out
        assert max(seconds for _, seconds in answers["/metrics"]) < STORE_TIMEOUT + 1.0

        # The real cause, from the same reading as the checks shown (it said "the model is loading").
        assert frozen["error"]["code"] == "store_unavailable", frozen
        assert frozen["checks"]["model"] == "loaded" and frozen["checks"]["store"].startswith("unavailable: ")

        wait_until(lambda: _get(f"{server.url}/readyz")[0] == 200, 30, "readiness after Redis resumed")
