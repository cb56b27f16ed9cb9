"""Waiting in tests for something another thread or process does: one polling helper."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

__all__ = ["wait_until"]

T = TypeVar("T")

#: The first pause between two checks: short, so a test waiting on a thread of its own
#: process goes on almost as soon as the condition holds.
FIRST_INTERVAL = 0.002


def wait_until(condition: Callable[[], T], timeout: float = 10.0, what: str = "condition",
               interval: float = 0.05) -> T:
    """``condition()``'s first truthy value, checked until ``timeout`` seconds have passed; an
    :class:`AssertionError` naming ``what`` after that.

    The pause between checks starts at 2 ms and grows to ``interval``: quick waits end quickly,
    long ones (on workers, servers) do not spin over a store or an HTTP endpoint.
    """
    deadline = time.monotonic() + timeout
    pause = min(FIRST_INTERVAL, interval)
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(pause)
        pause = min(pause * 2, interval)
