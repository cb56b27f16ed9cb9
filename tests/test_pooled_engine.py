"""PooledEngine: cross-request batching with a bounded queue, through the Engine protocol."""

from __future__ import annotations

import threading

import pytest

from tests.fakes import EchoEngine
from tests.gated import GatedEngine
from tests.waiting import wait_until
from translator.engines import Engine
from translator.engines.pooled import PooledEngine
from translator.errors import EngineBusy, TranslatorError


def run_in_threads(pooled: PooledEngine, requests: dict[str, list[str]], *, fallback: bool = False):
    """Call ``pooled.translate`` for each request in its own thread; returns (threads, outcomes)."""
    outcomes: dict[str, object] = {}

    def call(name: str, texts: list[str]) -> None:
        try:
            outcomes[name] = pooled.translate(texts, fallback=fallback)
        except Exception as exc:  # the outcome under test
            outcomes[name] = exc

    threads = [threading.Thread(target=call, args=item) for item in requests.items()]
    for thread in threads:
        thread.start()
    return threads, outcomes


@pytest.fixture
def gated():
    return GatedEngine(fail_on={"boom"})


@pytest.fixture
def pooled(gated):
    engine = PooledEngine(gated, window_ms=5, max_pending=100)
    yield engine
    gated.release()
    engine.close()


def hold_worker(pooled: PooledEngine, gated: GatedEngine) -> tuple[threading.Thread, dict]:
    """Occupy the worker with one request held inside the engine."""
    gated.hold()
    threads, outcomes = run_in_threads(pooled, {"first": ["first"]})
    assert gated.entered.wait(10)
    return threads[0], outcomes


def test_is_an_engine_with_the_wrapped_identity():
    echo = EchoEngine(identity="marian:x@1|torch")
    pooled = PooledEngine(echo)
    try:
        assert isinstance(pooled, Engine)
        assert pooled.identity == "marian:x@1|torch"
        assert pooled.max_input_tokens == echo.max_input_tokens
        assert pooled.count_tokens("three word text") == 4
        assert pooled.translate(["a", "b"]) == ["FR(a)", "FR(b)"]
        assert pooled.translate([]) == []
    finally:
        pooled.close()


def test_requests_arriving_together_share_one_engine_call_and_get_their_own_results(pooled, gated):
    first, first_outcome = hold_worker(pooled, gated)
    requests = {f"r{i}": [f"text {i} a", f"text {i} b", "shared"] for i in range(6)}
    threads, outcomes = run_in_threads(pooled, requests)
    wait_until(lambda: pooled.pending_segments == 1 + 18, what="all requests queued")
    gated.release()
    for thread in threads + [first]:
        thread.join(10)
    assert first_outcome["first"] == ["FR(first)"]
    for name, texts in requests.items():
        assert outcomes[name] == [f"FR({t})" for t in texts]
    assert gated.calls[0] == ["first"]
    # Everything queued while the engine was busy went in ONE call, each distinct text once.
    assert len(gated.calls) == 2
    assert sorted(gated.calls[1]) == sorted({t for texts in requests.values() for t in texts})
    assert pooled.pending_segments == 0


def test_a_failing_segment_fails_only_its_own_request(pooled, gated):
    first, _ = hold_worker(pooled, gated)
    requests = {"good1": ["alpha"], "bad": ["beta", "boom"], "good2": ["gamma", "delta"]}
    threads, outcomes = run_in_threads(pooled, requests)
    wait_until(lambda: pooled.pending_segments == 6, what="all requests queued")
    gated.release()
    for thread in threads + [first]:
        thread.join(10)
    assert outcomes["good1"] == ["FR(alpha)"]
    assert outcomes["good2"] == ["FR(gamma)", "FR(delta)"]
    assert isinstance(outcomes["bad"], ValueError)
    assert str(outcomes["bad"]) == "cannot translate 'boom'"
    # The pooled call failed, then each request was retried alone (threads queue in any order).
    assert sorted(gated.calls[1]) == ["alpha", "beta", "boom", "delta", "gamma"]
    assert sorted(gated.calls[2:]) == [["alpha"], ["beta", "boom"], ["gamma", "delta"]]
    assert pooled.pending_segments == 0
    assert pooled.translate(["after"]) == ["FR(after)"]  # the worker survived


def test_a_full_queue_refuses_at_once_with_engine_busy(gated):
    pooled = PooledEngine(gated, window_ms=5, max_pending=3)
    try:
        first, outcome = hold_worker(pooled, gated)  # 1 segment pending
        threads, _ = run_in_threads(pooled, {"two": ["x", "y"]})  # 3 pending: at the limit
        wait_until(lambda: pooled.pending_segments == 3, what="queue filled")
        with pytest.raises(EngineBusy) as info:
            pooled.translate(["one too many"])
        assert isinstance(info.value, TranslatorError)
        assert info.value.retry_after == 1
        assert "queue is full" in str(info.value)
        gated.release()
        for thread in threads + [first]:
            thread.join(10)
        assert outcome["first"] == ["FR(first)"]
        assert pooled.translate(["one too many"]) == ["FR(one too many)"]  # room again
    finally:
        gated.release()
        pooled.close()


def test_a_request_larger_than_the_queue_is_accepted_while_there_is_room(gated):
    pooled = PooledEngine(gated, window_ms=0, max_pending=2)
    try:
        assert pooled.translate(["a", "b", "c", "d"]) == ["FR(a)", "FR(b)", "FR(c)", "FR(d)"]
        first, outcome = hold_worker(pooled, gated)  # 1 of 2 pending: room left
        threads, outcomes = run_in_threads(pooled, {"big": ["e", "f", "g"]})
        wait_until(lambda: pooled.pending_segments == 4, what="the big request queued")
        with pytest.raises(EngineBusy):
            pooled.translate(["h"])
        gated.release()
        for thread in threads + [first]:
            thread.join(10)
        assert outcome["first"] == ["FR(first)"] and outcomes["big"] == ["FR(e)", "FR(f)", "FR(g)"]
    finally:
        gated.release()
        pooled.close()


def test_a_fallback_retry_of_an_admitted_request_is_never_refused(gated):
    pooled = PooledEngine(gated, window_ms=0, max_pending=1)
    try:
        first, _ = hold_worker(pooled, gated)  # the queue is full
        with pytest.raises(EngineBusy):
            pooled.translate(["new request"])
        threads, outcomes = run_in_threads(pooled, {"retry": ["degenerate output"]}, fallback=True)
        wait_until(lambda: pooled.pending_segments == 2, what="the retry queued")
        gated.release()
        for thread in threads + [first]:
            thread.join(10)
        assert outcomes["retry"] == ["FR(degenerate output)"]
        assert gated.fallback_calls == [["degenerate output"]]
    finally:
        gated.release()
        pooled.close()


def test_window_zero_serves_one_request_per_engine_call(gated):
    pooled = PooledEngine(gated, window_ms=0, max_pending=100)
    try:
        assert not pooled.pooling
        first, _ = hold_worker(pooled, gated)
        requests = {f"r{i}": [f"t{i}"] for i in range(4)}
        threads, outcomes = run_in_threads(pooled, requests)
        wait_until(lambda: pooled.pending_segments == 5, what="all requests queued")
        gated.release()
        for thread in threads + [first]:
            thread.join(10)
        assert {name: outcomes[name] for name in requests} == {f"r{i}": [f"FR(t{i})"] for i in range(4)}
        assert len(gated.calls) == 5 and all(len(call) == 1 for call in gated.calls)
    finally:
        pooled.close()


def test_fallback_requests_are_pooled_separately(pooled, gated):
    first, _ = hold_worker(pooled, gated)
    normal, normal_out = run_in_threads(pooled, {"n": ["same text"]})
    retry, retry_out = run_in_threads(pooled, {"f": ["same text"]}, fallback=True)
    wait_until(lambda: pooled.pending_segments == 3, what="both queued")
    gated.release()
    for thread in normal + retry + [first]:
        thread.join(10)
    assert normal_out["n"] == ["FR(same text)"] and retry_out["f"] == ["FR(same text)"]
    assert gated.calls[1:] == [["same text"]]
    assert gated.fallback_calls == [["same text"]]


def test_close_serves_what_is_queued_then_refuses(gated):
    pooled = PooledEngine(gated, window_ms=5)
    first, outcome = hold_worker(pooled, gated)
    closer = threading.Thread(target=pooled.close)
    closer.start()
    gated.release()
    first.join(10)
    closer.join(10)
    assert outcome["first"] == ["FR(first)"]
    with pytest.raises(TranslatorError, match="shutting down"):
        pooled.translate(["late"])
