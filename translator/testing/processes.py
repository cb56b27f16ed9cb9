"""The real service in a child process, for tests and benchmarks (as ``flask.testing`` is for Flask).

:class:`ServiceProcess` runs ``python -m translator serve`` on a free port of
127.0.0.1, sends its output to a log file, and waits until it listens; the
tests, the end-to-end browser tests and the HTTP benchmarks all start the
service this one way. :class:`WorkerProcess` does the same for
``python -m translator worker`` (waiting until it consumes).
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

__all__ = ["ServiceDidNotStart", "ServiceProcess", "WorkerProcess", "service_environment"]

_LISTENING = re.compile(r"serving on (http://(127\.0\.0\.1):(\d+))")
_CONSUMING = re.compile(r"(translator-\d+@\S+) ready\.")


class ServiceDidNotStart(RuntimeError):
    """``translator serve`` exited or did not listen in time; the message ends with its log."""


def service_environment(**settings: str) -> dict[str, str]:
    """This process's environment without its ``TRANSLATOR_*`` variables, offline, plus ``settings``.

    ``service_environment(TRANSLATOR_MODEL="/models/en-fr")``: only what the
    caller sets configures the child, whatever the caller's own shell has.
    """
    env = {name: value for name, value in os.environ.items() if not name.startswith("TRANSLATOR_")}
    env.update(HF_HUB_OFFLINE="1", TRANSLATOR_LOG_LEVEL="INFO")
    env.update(settings)
    return env


class _ChildProcess:
    """``python -m translator <command> ...`` in a child process, its output in ``log_path``,
    waited for until its log matches ``ready`` (group 1 and on: what :meth:`_started` keeps)."""

    command: Sequence[str] = ()
    ready: re.Pattern
    what = ""  # "translator serve" in messages
    not_ready = "did not start"

    def __init__(self, env: Mapping[str, str], log_path: Path, *, args: Sequence[str] = (),
                 cwd: Path | None = None, timeout: float = 300):
        self.log_path = Path(log_path)
        self._log = self.log_path.open("wb")
        self.process = subprocess.Popen([sys.executable, "-m", "translator", *self.command, *args],
                                        cwd=cwd, env=dict(env), stdout=self._log, stderr=subprocess.STDOUT)
        self.pid = self.process.pid
        try:
            self._started(self._wait_until_ready(timeout))
        except BaseException:
            self._abandon()
            raise

    @property
    def log(self) -> str:
        """Everything the process has logged so far."""
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def _wait_until_ready(self, timeout: float) -> re.Match:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            match = self.ready.search(self.log)
            if match:
                return match
            if self.process.poll() is not None:
                raise ServiceDidNotStart(f"{self.what} exited with {self.process.returncode}:\n{self.log}")
            time.sleep(0.05)
        raise ServiceDidNotStart(f"{self.what} {self.not_ready} within {timeout:.0f} s:\n{self.log}")

    def _started(self, match: re.Match) -> None:
        """Keep what the ready line says."""

    def _abandon(self) -> None:
        """Clean up after a failed start."""
        self.stop()

    def stop(self, timeout: float = 30) -> int:
        """SIGTERM (SIGKILL after ``timeout`` s); the exit status."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()
        return self.process.returncode

    def kill(self) -> int:
        """SIGKILL now; the exit status."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self._log.close()
        return self.process.returncode

    def __enter__(self):
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop()


class ServiceProcess(_ChildProcess):
    """``translator serve`` in a child process; ``url``, ``host`` and ``port`` once it listens.

    Usable as a context manager (stopped on exit). ``args`` are extra
    ``serve`` options (``["--threads", "8"]``); ``cwd`` is where it runs (the
    default glossary, ``./glossary/en-fr.tsv``, is relative to it).
    """

    command = ("serve", "--host", "127.0.0.1", "--port", "0")
    ready = _LISTENING
    what = "translator serve"
    not_ready = "did not listen"

    def _started(self, match: re.Match) -> None:
        self.url, self.host, self.port = match.group(1), match.group(2), int(match.group(3))


class WorkerProcess(_ChildProcess):
    """``translator worker`` in a child process, ``name`` and ``pid`` once it consumes its queues.

    ``args`` are extra ``worker`` options (``["--concurrency", "2"]``). Usable
    as a context manager (stopped on exit: SIGTERM lets the running tasks
    finish first). :meth:`kill` is SIGKILL: the worker dies holding whatever
    task it runs.
    """

    command = ("worker",)
    ready = _CONSUMING
    what = "translator worker"

    def _started(self, match: re.Match) -> None:
        self.name = match.group(1)

    def _abandon(self) -> None:
        self.kill()
