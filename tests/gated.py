"""A fake engine for concurrency tests: it can hold callers inside ``translate`` and fail on cue."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence

from tests.fakes import FunctionEngine

__all__ = ["GatedEngine"]


class GatedEngine(FunctionEngine):
    """``FR(<text>)`` like :class:`~tests.fakes.EchoEngine`, plus two controls.

    * ``hold()`` closes a gate: the next ``translate`` calls record their texts
      in ``calls``, set ``entered`` and wait until ``release()``, or until
      ``step()`` lets one of them through (one call per ``step()``).
    * texts in ``fail_on`` make the call that contains them raise ``ValueError``
      (the call is still recorded).
    """

    def __init__(self, fail_on: Iterable[str] = (), function: Callable[[str], str] | None = None,
                 identity: str = "gated"):
        super().__init__(function or (lambda t: f"FR({t})"), identity)
        self.fail_on = set(fail_on)
        self.entered = threading.Event()
        self._gate = threading.Event()
        self._gate.set()
        self._steps = threading.Semaphore(0)

    def hold(self) -> None:
        self.entered.clear()
        self._steps = threading.Semaphore(0)  # steps left over from an earlier hold do not count
        self._gate.clear()

    def release(self) -> None:
        self._gate.set()
        self._steps.release(1000)  # wake the calls waiting for a step

    def step(self) -> None:
        """Let one held call (the next one, if none is waiting yet) through."""
        self._steps.release()

    def translate(self, texts: Sequence[str], *, fallback: bool = False) -> list[str]:
        (self.fallback_calls if fallback else self.calls).append(list(texts))
        self.entered.set()
        if not self._gate.is_set() and not self._steps.acquire(timeout=30) and not self._gate.is_set():
            raise RuntimeError("GatedEngine was never released")
        bad = [t for t in texts if t in self.fail_on]
        if bad:
            raise ValueError(f"cannot translate {bad[0]!r}")
        return [self.function(t) for t in texts]

