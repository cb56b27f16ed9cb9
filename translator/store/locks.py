"""Named in-process locks for single flight: one lock per name, created on demand."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from ..errors import StoreError

__all__ = ["NamedLocks"]


class NamedLocks:
    """A lock per name, kept only while someone holds or waits for it (so names never pile up)."""

    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._locks: dict[str, tuple[threading.Lock, list[int]]] = {}

    @contextmanager
    def hold(self, name: str, timeout: float = 600.0) -> Iterator[None]:
        """Hold the lock ``name``; raise :class:`StoreError` after waiting ``timeout`` seconds."""
        with self._guard:
            lock, users = self._locks.setdefault(name, (threading.Lock(), [0]))
            users[0] += 1
        try:
            if not lock.acquire(timeout=timeout):
                raise StoreError(f"gave up waiting for lock {name!r} after {timeout:g}s")
            try:
                yield
            finally:
                lock.release()
        finally:
            with self._guard:
                users[0] -= 1
                if users[0] == 0:
                    del self._locks[name]

    def __len__(self) -> int:
        """Names currently held or waited for."""
        with self._guard:
            return len(self._locks)
