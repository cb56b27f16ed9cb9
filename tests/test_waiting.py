"""The tests' one polling helper: the condition's first truthy value, or a failure that says what never came."""

from __future__ import annotations

import itertools
import time

import pytest

from tests import waiting
from tests.waiting import wait_until


def test_it_returns_the_first_truthy_value():
    values = iter([None, 0, "", "stall.pid: 42", "later"])
    assert wait_until(lambda: next(values), 1.0, "a value") == "stall.pid: 42"


def test_it_fails_naming_what_never_came():
    started = time.monotonic()
    with pytest.raises(AssertionError, match=r"timed out after 0\.05 s waiting for the worker's lock"):
        wait_until(lambda: False, 0.05, "the worker's lock")
    assert time.monotonic() - started < 1.0


@pytest.mark.parametrize(("interval", "pauses"), [
    (0.05, [0.002, 0.004, 0.008, 0.016, 0.032, 0.05, 0.05]),  # quick at first, then no faster than interval
    (0.001, [0.001] * 7),
])
def test_the_pause_grows_from_two_milliseconds_to_the_interval(monkeypatch, interval, pauses):
    slept: list[float] = []
    monkeypatch.setattr(waiting.time, "sleep", slept.append)
    calls = itertools.count()
    wait_until(lambda: next(calls) == len(pauses), 10.0, "the eighth check", interval=interval)
    assert slept == pytest.approx(pauses)
