"""Engine factories for worker subprocesses in tests: ``translator worker --engine-factory tests.worker_engines:NAME``.

The engines are deterministic (``FR(<text>)``, like :class:`tests.fakes.EchoEngine`) and report to
the test through files named in the environment:

* ``TEST_ENGINE_LOG``: every translated text is appended as one line ``<pid>\\t<text>`` (one
  ``write`` per line on an ``O_APPEND`` file, so lines of several workers never mix);
* ``TEST_ENGINE_DELAY``: seconds each ``translate`` call takes (default 0);
* ``TEST_ENGINE_STALL``: a marker path; the first call that sees a text containing ``STALL`` creates
  it and then hangs for a minute (a worker "holding a task", to be killed), later calls do not.
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence

from tests.fakes import EchoEngine

__all__ = ["counting_echo"]


class _ReportingEcho(EchoEngine):
    def translate(self, texts: Sequence[str], *, fallback: bool = False) -> list[str]:
        stall = os.environ.get("TEST_ENGINE_STALL")
        if stall and any("STALL" in t for t in texts):
            try:
                fd = os.open(stall, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
            except FileExistsError:
                pass
            else:
                os.write(fd, str(os.getpid()).encode())
                os.close(fd)
                time.sleep(60)
        delay = float(os.environ.get("TEST_ENGINE_DELAY", "0") or 0)
        if delay:
            time.sleep(delay)
        log = os.environ.get("TEST_ENGINE_LOG")
        if log:
            fd = os.open(log, os.O_CREAT | os.O_APPEND | os.O_WRONLY)
            try:
                for text in texts:
                    os.write(fd, f"{os.getpid()}\t{text}\n".encode())
            finally:
                os.close(fd)
        return super().translate(texts, fallback=fallback)


def counting_echo(settings, model):
    """The echo engine for any model, logging what it translates (see the module docstring)."""
    return _ReportingEcho()
