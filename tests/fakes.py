"""Deterministic fake engines for text-level tests (segmentation, glossary, memory)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

__all__ = ["EchoEngine", "FunctionEngine", "ScoredEngine"]


class FunctionEngine:
    """An engine whose output is ``function(text)``; it records every call.

    ``calls`` holds one list of texts per ``translate`` call; ``seen`` all
    texts in order. Tokens are whitespace-separated words plus one.
    """

    max_input_tokens = 512

    def __init__(self, function: Callable[[str], str], identity: str = "fake",
                 fallback_function: Callable[[str], str] | None = None):
        self.function = function
        self.fallback_function = fallback_function or function
        self.identity = identity
        self.calls: list[list[str]] = []
        self.fallback_calls: list[list[str]] = []

    @property
    def seen(self) -> list[str]:
        return [t for call in self.calls for t in call]

    def count_tokens(self, text: str) -> int:
        return len(text.split()) + 1

    def translate(self, texts: Sequence[str], *, fallback: bool = False) -> list[str]:
        (self.fallback_calls if fallback else self.calls).append(list(texts))
        function = self.fallback_function if fallback else self.function
        return [function(t) for t in texts]


class EchoEngine(FunctionEngine):
    """Translates ``text`` to ``FR(text)``: output is exact and checkable."""

    def __init__(self, identity: str = "echo"):
        super().__init__(lambda t: f"FR({t})", identity)


class ScoredEngine(FunctionEngine):
    """A :class:`FunctionEngine` that also answers ``translate_detailed`` with ``score(text)``
    as every hypothesis's score (mean token log-probability)."""

    def __init__(self, function: Callable[[str], str], score: Callable[[str], float], identity: str = "scored"):
        super().__init__(function, identity)
        self.score = score

    def translate_detailed(self, texts: Sequence[str], *, n_best: int = 1, alignment: bool = False,
                           fallback: bool = False):
        from translator.engines.results import EngineResult

        return [EngineResult.of(out, self.score(text)) for text, out in
                zip(texts, self.translate(texts, fallback=fallback))]
