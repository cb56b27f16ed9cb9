"""Batching across requests: one worker thread feeds the engine for every request thread.

In the HTTP service each request runs in its own thread. Calling the model
from each of them would translate one request at a time (the engines hold a
lock around ``generate``) with small, inefficient batches. :class:`PooledEngine`
wraps an engine instead: request threads enqueue their segments and block;
one worker collects everything that arrives within a short window, hands it
to the wrapped engine in a single call (which sorts it by length into batches
under its token budget) and gives each request its own results back.

The queue is bounded: when ``max_pending`` segments are already waiting or
being translated, :meth:`PooledEngine.translate` raises :class:`EngineBusy`
at once instead of letting requests pile up (the service answers 503).
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Sequence

from ..errors import EngineBusy, ModelUnavailable
from . import Engine
from .results import EngineResult, translate_detailed

__all__ = ["EngineBusy", "PooledEngine"]

log = logging.getLogger(__name__)


class _Request:
    """One caller's segments, waiting for their translations.

    ``details``: ``None`` for plain strings (``translate``), else the
    ``(n_best, alignment)`` of a ``translate_detailed`` call. Requests are
    pooled only with others asking for the same kind of output.
    """

    __slots__ = ("texts", "fallback", "details", "arrived", "done", "result", "error")

    def __init__(self, texts: list[str], fallback: bool, details: tuple[int, bool] | None = None):
        self.texts = texts
        self.fallback = fallback
        self.details = details
        self.arrived = time.monotonic()
        self.done = threading.Event()
        self.result: list | None = None
        self.error: BaseException | None = None


class PooledEngine:
    """An :class:`~translator.engines.Engine` that pools concurrent callers' segments.

    ``window_ms``: how long the worker waits, after the first request of a
    pool arrived, for more requests to join it. ``0`` turns pooling off: the
    worker then serves one request per engine call, in arrival order (the
    one-at-a-time mode the concurrency benchmark compares against).

    ``max_pending``: the queue is full once this many segments are queued or
    in translation; a request arriving then gets :class:`EngineBusy`. A
    request arriving while there is room is accepted whole, however many
    segments it has, so a long article is never refused forever in favour
    of short texts (the queue may overshoot by one request, whose size the
    service's ``max_chars`` bounds).

    The identity, the input limit and the token counting are the wrapped
    engine's, so translation-memory entries are shared with it. When a pooled
    engine call fails, each request of the pool is retried alone: only the
    request whose segments really fail receives the exception.
    """

    def __init__(self, engine: Engine, *, window_ms: float = 5.0, max_pending: int = 256):
        if max_pending < 1:
            raise ValueError("max_pending must be at least 1")
        self.engine = engine
        self.identity = engine.identity
        self.max_input_tokens = engine.max_input_tokens
        self.window_s = max(0.0, float(window_ms)) / 1000.0
        self.max_pending = max_pending
        self._cond = threading.Condition()
        self._queue: deque[_Request] = deque()
        self._pending = 0
        self._closed = False
        self._worker: threading.Thread | None = None

    @property
    def pooling(self) -> bool:
        """Whether requests are pooled (``window_ms`` > 0) or served one at a time."""
        return self.window_s > 0

    @property
    def pending_segments(self) -> int:
        """Segments queued or being translated right now."""
        with self._cond:
            return self._pending

    def count_tokens(self, text: str) -> int:
        """The wrapped engine's token count."""
        return self.engine.count_tokens(text)

    def translate(self, texts: Sequence[str], *, fallback: bool = False) -> list[str]:
        """Queue ``texts`` for the worker and wait for their translations (input order).

        Raises :class:`EngineBusy` when the queue is full, and whatever the
        wrapped engine raised for these texts.
        """
        return self._submit(_Request(list(texts), fallback))

    def translate_detailed(self, texts: Sequence[str], *, n_best: int = 1, alignment: bool = False,
                           fallback: bool = False) -> list[EngineResult]:
        """As :meth:`translate`, returning the wrapped engine's :class:`EngineResult` per text."""
        return self._submit(_Request(list(texts), fallback, (n_best, alignment)))

    def _submit(self, request: _Request) -> list:
        texts, fallback = request.texts, request.fallback
        if not texts:
            return []
        with self._cond:
            if self._closed:
                raise ModelUnavailable("the translation engine is shutting down")
            # A fallback call retries part of a request already admitted: never refuse it midway.
            if self._pending >= self.max_pending and not fallback:
                raise EngineBusy(f"the translation queue is full ({self._pending} segments pending, "
                                 f"limit {self.max_pending}); try again shortly")
            self._pending += len(texts)
            self._queue.append(request)
            self._start_worker()
            self._cond.notify()
        request.done.wait()
        if request.error is not None:
            raise request.error
        assert request.result is not None
        return request.result

    def close(self, timeout: float | None = 10.0) -> None:
        """Stop the worker after it has served every queued request."""
        with self._cond:
            self._closed = True
            self._cond.notify_all()
            worker = self._worker
        if worker is not None and worker is not threading.current_thread():
            worker.join(timeout)

    # -- the worker ------------------------------------------------------------------------

    def _start_worker(self) -> None:
        if self._worker is None:
            self._worker = threading.Thread(target=self._work, name="translator-engine-pool", daemon=True)
            self._worker.start()

    def _work(self) -> None:
        while True:
            pool = self._next_pool()
            if pool is None:
                return
            for kind in dict.fromkeys((r.fallback, r.details) for r in pool):
                self._serve([r for r in pool if (r.fallback, r.details) == kind])

    def _next_pool(self) -> list[_Request] | None:
        """Wait for a request, then for the window to close; take what has arrived."""
        with self._cond:
            while not self._queue:
                if self._closed:
                    return None
                self._cond.wait()
            if not self.pooling:
                return [self._queue.popleft()]
            # The window counts from the first request's arrival: requests that already
            # waited while the engine was busy are served without further delay.
            deadline = self._queue[0].arrived + self.window_s
            while not self._closed:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                self._cond.wait(remaining)
            pool = list(self._queue)
            self._queue.clear()
            return pool

    def _serve(self, group: list[_Request]) -> None:
        """Translate a group's segments in one engine call; on failure, each request alone."""
        fallback, details = group[0].fallback, group[0].details
        unique = list(dict.fromkeys(t for r in group for t in r.texts))
        try:
            if details is None:
                outputs = self.engine.translate(unique, fallback=fallback)
            else:
                n_best, alignment = details
                outputs = translate_detailed(self.engine, unique, n_best=n_best, alignment=alignment,
                                             fallback=fallback)
            if len(outputs) != len(unique):
                raise RuntimeError(f"engine returned {len(outputs)} outputs for {len(unique)} inputs")
        except Exception as exc:
            if len(group) > 1:
                log.warning("pooled engine call for %d requests failed (%s: %s); retrying each request alone",
                            len(group), type(exc).__name__, exc)
                for request in group:
                    self._serve([request])
                return
            self._finish(group[0], error=exc)
            return
        by_text = dict(zip(unique, outputs))
        for request in group:
            self._finish(request, result=[by_text[t] for t in request.texts])

    def _finish(self, request: _Request, *, result: list | None = None,
                error: BaseException | None = None) -> None:
        request.result, request.error = result, error
        with self._cond:
            self._pending -= len(request.texts)
        request.done.set()
