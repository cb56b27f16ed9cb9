"""Checks with a deadline: the store's write-and-read probe, the broker's ping, the workers' figures.

``/readyz`` and ``/metrics`` must answer in bounded time however many callers
ask and whatever the store or broker does: a stalled Redis (frozen, or a
network that drops packets) can hold a read for as long as it likes, and a
server whose request threads all wait on it answers nothing, ``/healthz``
included. So a :class:`DeadlineProbe`

* runs its check in a thread of its own, one at a time (a hung check is never
  joined by a second one), and waits at most ``timeout`` seconds for it;
* remembers the last answer for ``max_age`` seconds: callers within that
  window get it without touching the backend;
* never makes a caller wait for a check another caller started: while one is
  running, others get the last answer at once (or "not answered for N s").

At most one request thread per probe waits, and for at most ``timeout``.
``ping`` only shows that the store answers a read; the store's ``probe``
writes a small entry, reads it back and removes it, so a full disk or a
read-only replica is seen too.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from ..errors import TranslatorError

__all__ = ["DeadlineProbe", "ProbeAnswer", "StoreProbe"]

log = logging.getLogger(__name__)

T = TypeVar("T")


@dataclass(frozen=True)
class ProbeAnswer(Generic[T]):
    """``ok`` with the check's ``value``, else ``reason`` (why not, for people)."""

    ok: bool
    value: T | None = None
    reason: str = ""
    at: float = 0.0  # the probe's clock when the answer was made

    def describe(self) -> str:
        """``"ok"`` or ``"unavailable: <reason>"`` (what ``/readyz`` shows)."""
        return "ok" if self.ok else f"unavailable: {self.reason}"


class DeadlineProbe(Generic[T]):
    """Runs ``check`` (which returns a value or raises) with a deadline of ``timeout`` seconds, its
    answer cached for ``max_age`` seconds; see the module docstring. ``subject`` names what is checked
    in the reasons ("the store", "the broker")."""

    def __init__(self, check: Callable[[], T], timeout: float, *, subject: str, max_age: float = 1.0,
                 clock: Callable[[], float] = time.monotonic):
        self._check = check
        self.timeout = timeout
        self.subject = subject
        self.max_age = max_age
        self._clock = clock
        self._guard = threading.Lock()
        self._running: threading.Thread | None = None
        self._started = 0.0
        self._last: ProbeAnswer[T] | None = None

    def answer(self) -> ProbeAnswer[T]:
        """The current answer: cached, or from a check started now (waiting at most ``timeout``)."""
        with self._guard:
            now = self._clock()
            if self._last is not None and now - self._last.at <= self.max_age:
                return self._last
            if self._running is not None and self._running.is_alive():
                # Someone else's check: never wait for it (that is how threads pile up).
                waited = now - self._started
                if waited > self.timeout or self._last is None:
                    return self._remember(ProbeAnswer(False, reason=f"{self.subject} has not answered for "
                                                                    f"{waited:.1f}s", at=now))
                return self._last
            outcome: list[ProbeAnswer[T]] = []
            thread = threading.Thread(target=self._run, args=(outcome,), name=f"probe {self.subject}", daemon=True)
            self._running, self._started = thread, now
            thread.start()
        thread.join(self.timeout)
        with self._guard:
            if outcome:
                return self._remember(outcome[0])
            return self._remember(ProbeAnswer(False, reason=f"{self.subject} did not answer within "
                                                            f"{self.timeout:g}s", at=self._clock()))

    def check(self) -> str:
        """``"ok"``, or ``"unavailable: <reason>"``."""
        return self.answer().describe()

    def _remember(self, answer: ProbeAnswer[T]) -> ProbeAnswer[T]:
        self._last = answer
        return answer

    def _run(self, outcome: list[ProbeAnswer[T]]) -> None:
        try:
            value = self._check()
        except TranslatorError as exc:
            outcome.append(ProbeAnswer(False, reason=str(exc), at=self._clock()))
        except Exception as exc:  # an unexpected failure is still "not ready", with the reason logged
            log.exception("probe of %s failed", self.subject)
            outcome.append(ProbeAnswer(False, reason=f"{type(exc).__name__}: {exc}", at=self._clock()))
        else:
            outcome.append(ProbeAnswer(True, value, at=self._clock()))


def StoreProbe(store, timeout: float, *, max_age: float = 1.0) -> DeadlineProbe[None]:
    """The readiness probe of ``store`` (its ``probe()``: a real write and read back)."""
    return DeadlineProbe(store.probe, timeout, subject="the store", max_age=max_age)
