"""The readiness probe of a store: a real write and read back, within a deadline.

``ping`` only shows that the store answers a read; a store can do that and
still fail every write (a full disk, a read-only replica, a corrupt table).
:class:`StoreProbe` calls the store's ``probe`` (write a small entry, read it
back, remove it) in a thread of its own and waits at most ``timeout``
seconds, so ``/readyz`` answers in bounded time even when the store hangs.
One probe runs at a time: while a hung one has not returned, the next
checks report it without starting another thread.
"""

from __future__ import annotations

import logging
import threading
import time

from ..errors import StoreError

__all__ = ["StoreProbe"]

log = logging.getLogger(__name__)


class StoreProbe:
    """Probes ``store`` (which has a ``probe()`` method) with a deadline of ``timeout`` seconds."""

    def __init__(self, store, timeout: float):
        self.store = store
        self.timeout = timeout
        self._guard = threading.Lock()
        self._running: threading.Thread | None = None
        self._started = 0.0

    def check(self) -> str:
        """``"ok"``, or ``"unavailable: <reason>"``."""
        with self._guard:
            if self._running is not None and self._running.is_alive():
                waited = time.monotonic() - self._started
                return f"unavailable: the store has not answered a write and read for {waited:.1f}s"
            outcome: list[str] = []
            thread = threading.Thread(target=self._probe, args=(outcome,), name="store-probe", daemon=True)
            self._running, self._started = thread, time.monotonic()
            thread.start()
        thread.join(self.timeout)
        if thread.is_alive():
            return f"unavailable: the store did not answer a write and read within {self.timeout:g}s"
        return outcome[0] if outcome else "unavailable: the probe ended without an answer"

    def _probe(self, outcome: list[str]) -> None:
        try:
            self.store.probe()
        except StoreError as exc:
            outcome.append(f"unavailable: {exc}")
        except Exception as exc:  # an unexpected failure is still "not ready", with the reason logged
            log.exception("store probe failed")
            outcome.append(f"unavailable: {type(exc).__name__}: {exc}")
        else:
            outcome.append("ok")
