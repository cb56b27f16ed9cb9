"""Showing a batch's progress: a tqdm bar on a terminal, plain periodic lines otherwise, or nothing.

All of it goes to stderr (stdout carries the summary). Every reporter also
prints messages (an article's error, "stopping after the current pass")
without breaking its bar.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from typing import Protocol, TextIO

from .report import format_duration

__all__ = ["BarProgress", "LineProgress", "Progress", "ProgressSnapshot", "SilentProgress", "progress_for"]


@dataclass(frozen=True)
class ProgressSnapshot:
    """Where a run stands: articles done of the total, segments, source tokens through the model."""

    done: int
    total: int
    segments: int
    source_tokens: int
    elapsed_s: float

    @property
    def tokens_per_s(self) -> float:
        return self.source_tokens / self.elapsed_s if self.elapsed_s > 0 else 0.0

    @property
    def eta_s(self) -> float | None:
        """Seconds left at the rate so far; None before the first article."""
        if not self.done:
            return None
        return self.elapsed_s / self.done * (self.total - self.done)


class Progress(Protocol):
    """What the batch runner reports to."""

    def start(self, total: int) -> None:
        """The run begins with ``total`` articles to go through."""
        ...

    def update(self, snapshot: ProgressSnapshot) -> None:
        """Some articles finished."""
        ...

    def message(self, text: str) -> None:
        """A line for the user (errors, stopping)."""
        ...

    def close(self) -> None:
        """The run ended."""
        ...


class SilentProgress:
    """``--quiet``: no progress; messages (errors) still reach ``stream``."""

    def __init__(self, stream: TextIO | None = None):
        self.stream = stream or sys.stderr

    def start(self, total: int) -> None:
        pass

    def update(self, snapshot: ProgressSnapshot) -> None:
        pass

    def message(self, text: str) -> None:
        print(text, file=self.stream, flush=True)

    def close(self) -> None:
        pass


class LineProgress(SilentProgress):
    """Plain lines for logs and pipes: after the first finished pass, then at most every ``interval_s``
    seconds, and at the end."""

    def __init__(self, stream: TextIO | None = None, interval_s: float = 5.0):
        super().__init__(stream)
        self.interval_s = interval_s
        self._last_line: float | None = None
        self._last: ProgressSnapshot | None = None

    def start(self, total: int) -> None:
        self.message(f"batch: {total} articles to go through")

    def update(self, snapshot: ProgressSnapshot) -> None:
        self._last = snapshot
        now = time.monotonic()
        if self._last_line is None or now - self._last_line >= self.interval_s or snapshot.done == snapshot.total:
            self._last_line = now
            self.message(self.line(snapshot))

    @staticmethod
    def line(snapshot: ProgressSnapshot) -> str:
        """``batch: 40/200 articles (20%), 160 segments, 523 source tokens/s, elapsed 0:08, ETA 0:32``."""
        percent = 100 * snapshot.done // snapshot.total if snapshot.total else 100
        eta = snapshot.eta_s
        return (f"batch: {snapshot.done}/{snapshot.total} articles ({percent}%), {snapshot.segments} segments, "
                f"{snapshot.tokens_per_s:.0f} source tokens/s, elapsed {format_duration(snapshot.elapsed_s)}, "
                f"ETA {format_duration(eta) if eta is not None else '?'}")


class BarProgress:
    """A tqdm bar: articles done of the total, rate and ETA, with segments and source tokens/s."""

    def __init__(self, stream: TextIO | None = None):
        self.stream = stream or sys.stderr
        self._bar = None

    def start(self, total: int) -> None:
        from tqdm import tqdm

        self._bar = tqdm(total=total, unit="article", file=self.stream, dynamic_ncols=True, smoothing=0.1,
                         desc="batch")

    def update(self, snapshot: ProgressSnapshot) -> None:
        self._bar.set_postfix_str(f"{snapshot.segments} segments, {snapshot.tokens_per_s:.0f} source tok/s",
                                  refresh=False)
        self._bar.update(snapshot.done - self._bar.n)

    def message(self, text: str) -> None:
        if self._bar is None:
            print(text, file=self.stream, flush=True)
        else:
            self._bar.write(text, file=self.stream)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None


def progress_for(stream: TextIO, *, quiet: bool = False) -> Progress:
    """The reporter that suits ``stream``: silent with ``quiet``, a bar on a terminal, else lines."""
    if quiet:
        return SilentProgress(stream)
    if stream.isatty():
        return BarProgress(stream)
    return LineProgress(stream)
