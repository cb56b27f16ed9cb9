"""An engine wrapper that counts the work reaching the model (throughput figures)."""

from __future__ import annotations

import threading
from collections.abc import Sequence

from . import Engine
from .results import EngineResult, translate_detailed

__all__ = ["MeteredEngine"]


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
        outputs = self.engine.translate(texts, fallback=fallback)
        self._count(texts)
        return outputs

    def translate_detailed(self, texts: Sequence[str], *, n_best: int = 1, alignment: bool = False,
                           fallback: bool = False) -> list[EngineResult]:
        """The wrapped engine's detailed results (see :mod:`~translator.engines.results`), counted."""
        outputs = translate_detailed(self.engine, texts, n_best=n_best, alignment=alignment, fallback=fallback)
        self._count(texts)
        return outputs

    def _count(self, texts: Sequence[str]) -> None:
        tokens = sum(self.engine.count_tokens(t) for t in texts)
        with self._lock:
            self.segments += len(texts)
            self.source_tokens += tokens
