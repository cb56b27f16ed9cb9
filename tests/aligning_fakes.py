"""Fake engines with word alignment (``translate_detailed``) for the HTML tag-projection tests.

Each engine rewrites the whitespace-separated words of its input with a
function ``words -> [(output word, index of the source word it came from)]``
and reports one :class:`AlignedPiece` per output word, aligned to that source
word: what the real backends report per SentencePiece piece.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from tests.fakes import FunctionEngine
from translator.engines.results import AlignedPiece, EngineResult, Hypothesis

__all__ = ["WordEngine", "drop_word", "duplicate_word", "identity", "reverse_pairs", "shout"]

Rewrite = Callable[[list[str]], list[tuple[str, int]]]


def identity(words: list[str]) -> list[tuple[str, int]]:
    return [(w, i) for i, w in enumerate(words)]


def shout(words: list[str]) -> list[tuple[str, int]]:
    """Every word upper-cased (a 'translation' whose output is easy to check)."""
    return [(w.upper(), i) for i, w in enumerate(words)]


def reverse_pairs(words: list[str]) -> list[tuple[str, int]]:
    """Swap words two by two: 'a b c d e' -> 'B A D C E'."""
    order = []
    for i in range(0, len(words) - 1, 2):
        order += [i + 1, i]
    if len(words) % 2:
        order.append(len(words) - 1)
    return [(words[i].upper(), i) for i in order]


def drop_word(words: list[str]) -> list[tuple[str, int]]:
    """The second word left out (when there are at least two)."""
    return [(w.upper(), i) for i, w in enumerate(words) if i != 1 or len(words) < 2]


def duplicate_word(words: list[str]) -> list[tuple[str, int]]:
    """The first word said twice."""
    out = [(w.upper(), i) for i, w in enumerate(words)]
    return out[:1] + out if out else out


class WordEngine(FunctionEngine):
    """An engine that rewrites words and aligns each output word to its source word.

    ``aligned=False`` gives the same text without alignment (the plain-engine case).
    """

    def __init__(self, rewrite: Rewrite = identity, identity: str = "words", aligned: bool = True):
        super().__init__(lambda text: self._one(text).text, identity)  # calls, seen, count_tokens from there
        self.rewrite = rewrite
        self.aligned = aligned

    def _one(self, text: str) -> Hypothesis:
        spans = [m.span() for m in re.finditer(r"\S+", text)]
        words = [text[s:e] for s, e in spans]
        out = self.rewrite(words)
        pieces, parts, position = [], [], 0
        for word, source in out:
            if parts:
                position += 1
            parts.append(word)
            pieces.append(AlignedPiece(position, position + len(word), *spans[source]))
            position += len(word)
        return Hypothesis(" ".join(parts), -0.5, tuple(pieces) if self.aligned else None)

    def translate_detailed(self, texts: Sequence[str], *, n_best: int = 1, alignment: bool = False,
                           fallback: bool = False) -> list[EngineResult]:
        self.calls.append(list(texts))
        results = []
        for text in texts:
            hypothesis = self._one(text)
            if not alignment:
                hypothesis = Hypothesis(hypothesis.text, hypothesis.score)
            results.append(EngineResult((hypothesis,)))
        return results

    def translate(self, texts: Sequence[str], *, fallback: bool = False) -> list[str]:
        return [r.text for r in self.translate_detailed(texts, fallback=fallback)]
