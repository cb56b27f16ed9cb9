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

Chunk = tuple[str, "tuple[int, int] | None"]


def words(text: str) -> list[Chunk]:
    """``text`` as chunks for :class:`DetailedFunctionEngine`: each word with its own source span
    (a perfect word-by-word alignment), everything between words unaligned."""
    import re

    chunks: list[Chunk] = []
    position = 0
    for m in re.finditer(r"[\w'\u2019-]+", text):
        if m.start() > position:
            chunks.append((text[position:m.start()], None))
        chunks.append((m.group(), m.span()))
        position = m.end()
    if position < len(text):
        chunks.append((text[position:], None))
    return chunks


class DetailedFunctionEngine(FunctionEngine):
    """An engine with ``translate_detailed``: ``function(text)`` returns the hypotheses, best
    first, each a list of ``(chunk, source span or None)``; a hypothesis's text is its chunks
    joined, and every chunk with a span is one aligned piece (``results.AlignedPiece``).

    ``detailed_calls`` records ``(texts, n_best, alignment)`` per call; ``translate`` gives the
    first hypothesis's text.
    """

    def __init__(self, function, identity: str = "detailed"):
        self.hypotheses_function = function
        self.detailed_calls: list[tuple[list[str], int, bool]] = []
        super().__init__(lambda t: "".join(c for c, _ in function(t)[0]), identity)

    def translate_detailed(self, texts, *, n_best: int = 1, alignment: bool = False, fallback: bool = False):
        from translator.engines.results import AlignedPiece, EngineResult, Hypothesis

        self.detailed_calls.append((list(texts), n_best, alignment))
        results = []
        for text in texts:
            hypotheses = []
            for chunks in self.hypotheses_function(text)[:n_best]:
                pieces, position = [], 0
                for chunk, span in chunks:
                    if span is not None and chunk.strip():
                        pieces.append(AlignedPiece(position, position + len(chunk), span[0], span[1]))
                    position += len(chunk)
                hypotheses.append(Hypothesis("".join(c for c, _ in chunks), -0.1 * (len(hypotheses) + 1),
                                             tuple(pieces) if alignment else None))
            results.append(EngineResult(tuple(hypotheses)))
        return results


class DetailedEngine(FunctionEngine):
    """A fake with ``translate_detailed``: ``hypotheses(text)`` gives ``[(french, score), ...]``, best first.

    With ``alignment=True`` each hypothesis is aligned word by word, in order
    (word ``i`` of the French to word ``i`` of the source, the last source word
    for any extra French words): enough for position logic to be testable
    without a model. ``detailed_calls`` records ``(texts, n_best, alignment, fallback)``.
    """

    def __init__(self, hypotheses: Callable[[str], list[tuple[str, float]]], identity: str = "detailed"):
        super().__init__(lambda t: hypotheses(t)[0][0], identity)
        self.hypotheses = hypotheses
        self.detailed_calls: list[tuple[list[str], int, bool, bool]] = []

    def translate_detailed(self, texts: Sequence[str], *, n_best: int = 1, alignment: bool = False,
                           fallback: bool = False):
        from translator.engines.results import EngineResult, Hypothesis

        self.detailed_calls.append((list(texts), n_best, alignment, fallback))
        (self.fallback_calls if fallback else self.calls).append(list(texts))
        results = []
        for text in texts:
            choices = self.hypotheses(text)[: 1 if fallback else max(1, n_best)]
            results.append(EngineResult(tuple(
                Hypothesis(french, score, word_alignment(text, french) if alignment else None)
                for french, score in choices)))
        return results


def word_alignment(source: str, target: str):
    """Word ``i`` of ``target`` aligned to word ``i`` of ``source`` (extra words: to the last one)."""
    import re

    from translator.engines.results import AlignedPiece

    source_words = [m.span() for m in re.finditer(r"\S+", source)]
    pieces = []
    for i, match in enumerate(re.finditer(r"\S+", target)):
        if not source_words:
            break
        s_start, s_end = source_words[min(i, len(source_words) - 1)]
        pieces.append(AlignedPiece(match.start(), match.end(), s_start, s_end))
    return tuple(pieces)
