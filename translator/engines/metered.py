"""An engine wrapper that counts the work reaching the model (throughput figures)."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass

from . import Engine

__all__ = ["MeteredEngine", "ModelWork"]


@dataclass(frozen=True)
class ModelWork:
    """What a model was given so far (retries included), and what waits for it now."""

    segments: int = 0
    source_tokens: int = 0
    queued_segments: int = 0


class MeteredEngine:
    """An :class:`~translator.engines.Engine` that counts what it passes to the wrapped engine.

    ``segments`` and ``source_tokens`` grow with every ``translate`` call
    (fallback retries included: they are model work too). Identity, input
    limit and token counting are the wrapped engine's, so translation-memory
    keys and stored translations are the same with or without the meter.
    """

    def __init__(self, engine: Engine):
        self.engine = engine
        self.identity = engine.identity
        self.max_input_tokens = engine.max_input_tokens
        self.segments = 0
        self.source_tokens = 0
        self._lock = threading.Lock()

    def count_tokens(self, text: str) -> int:
        """The wrapped engine's count."""
        return self.engine.count_tokens(text)

    def translate(self, texts: Sequence[str], *, fallback: bool = False) -> list[str]:
        """Translate with the wrapped engine, counting the segments and their source tokens."""
        tokens = sum(self.engine.count_tokens(t) for t in texts)
        outputs = self.engine.translate(texts, fallback=fallback)
        with self._lock:
            self.segments += len(texts)
            self.source_tokens += tokens
        return outputs

    def work(self) -> ModelWork:
        """The segments and source tokens counted so far."""
        with self._lock:
            return ModelWork(self.segments, self.source_tokens)
