"""What an engine can say about a translation beyond its text: one result type for every need.

Three features need more from the engine than a string, and all three use
this one type:

* **alignment** (HTML inline tags, glossary positions): which source
  characters each piece of the French came from;
* **n-best** (the glossary picks the best hypothesis that keeps every name):
  several hypotheses per source, best first;
* **scores** (review flags): the mean log-probability per target token of
  each hypothesis.

An engine that only knows ``translate(texts) -> texts`` still works
everywhere: :func:`translate_detailed` wraps its strings in one
:class:`Hypothesis` each, with no score and no alignment, and callers treat
"unknown" as "not proven" (a glossary name without alignment is checked by
order and count; a missing score raises no low-score flag).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

__all__ = ["AlignedPiece", "DetailedEngine", "EngineResult", "Hypothesis", "translate_detailed"]


@dataclass(frozen=True)
class AlignedPiece:
    """One piece of a hypothesis's text and the source characters it was translated from.

    Offsets are ``str`` indices, end exclusive: ``text[target_start:target_end]``
    of the hypothesis and ``source[source_start:source_end]`` of the text the
    engine was given. A piece is a model token (a SentencePiece piece), its
    leading space excluded; ``source_*`` is the span of the source token that
    received most cross-attention (mean over the heads of the upper decoder
    layers) when this piece was generated.
    """

    target_start: int
    target_end: int
    source_start: int
    source_end: int


@dataclass(frozen=True)
class Hypothesis:
    """One translation of one source text.

    ``text``: the translation; ``""`` when decoding ran into its length bound
    (not a complete translation). ``score``: mean log-probability per
    generated token (``<= 0``; closer to 0 is more confident), ``None`` when
    the engine cannot tell. ``alignment``: one :class:`AlignedPiece` per
    target piece in order, ``None`` when not asked for or not available.
    """

    text: str
    score: float | None = None
    alignment: tuple[AlignedPiece, ...] | None = None

    def target_span(self, source_start: int, source_end: int) -> tuple[int, int] | None:
        """The smallest span of ``text`` covering every piece aligned into ``[source_start, source_end)``.

        ``None`` when there is no alignment or no piece aligns there. The span
        may cover pieces aligned elsewhere (a reordered word in between):
        callers that need a faithful span check :meth:`pieces_in` too.
        """
        pieces = self.pieces_in(source_start, source_end)
        if not pieces:
            return None
        return min(p.target_start for p in pieces), max(p.target_end for p in pieces)

    def pieces_in(self, source_start: int, source_end: int) -> list[AlignedPiece]:
        """The pieces whose aligned source span overlaps ``[source_start, source_end)``, in target order."""
        if not self.alignment:
            return []
        return [p for p in self.alignment
                if p.source_start < source_end and source_start < p.source_end]


@dataclass(frozen=True)
class EngineResult:
    """Every hypothesis an engine returned for one source text, best first (at least one)."""

    hypotheses: tuple[Hypothesis, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        if not self.hypotheses:
            raise ValueError("an EngineResult needs at least one hypothesis")

    @property
    def best(self) -> Hypothesis:
        """The engine's first choice."""
        return self.hypotheses[0]

    @property
    def text(self) -> str:
        """The first choice's text (``""``: cut off at the length bound)."""
        return self.hypotheses[0].text

    @classmethod
    def of(cls, text: str, score: float | None = None) -> "EngineResult":
        """A result of a single hypothesis with no alignment."""
        return cls((Hypothesis(text, score),))


@runtime_checkable
class DetailedEngine(Protocol):
    """An engine that can return n-best hypotheses, scores and alignment (the Marian backends)."""

    def translate_detailed(self, texts: Sequence[str], *, n_best: int = 1, alignment: bool = False,
                           fallback: bool = False) -> list[EngineResult]:
        """One :class:`EngineResult` per text, in order, with up to ``n_best`` hypotheses each.

        ``alignment=True`` asks for :attr:`Hypothesis.alignment` on every hypothesis.
        """
        ...


def translate_detailed(engine, texts: Sequence[str], *, n_best: int = 1, alignment: bool = False,
                       fallback: bool = False) -> list[EngineResult]:
    """``engine.translate_detailed`` where the engine has it, else its plain strings wrapped.

    The wrapped form has one hypothesis per text, no score and no alignment,
    so every caller can ask for details and cope with their absence.
    """
    if isinstance(engine, DetailedEngine):
        return engine.translate_detailed(texts, n_best=n_best, alignment=alignment, fallback=fallback)
    return [EngineResult.of(text) for text in engine.translate(texts, fallback=fallback)]
