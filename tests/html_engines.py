"""Fake engines whose French is shaped unlike the English, for the HTML tag-placement properties:
identity, much shorter, much longer, reordered, repeating itself, and empty; each without alignment,
with a naive one (French word i aligned to English word i, wrong wherever the shape moved words) and,
for the reordering, with an exact one."""

from __future__ import annotations

from tests.fakes import DetailedEngine, DetailedFunctionEngine, FunctionEngine, words


def _shorter(text: str) -> str:
    words = text.split()
    return " ".join(words[: max(1, len(words) // 3)])


def _longer(text: str) -> str:
    return " ".join(f"{word} très bien" for word in text.split())


def _reordered(text: str) -> str:
    return " ".join(reversed(text.split()))


def _repeating(text: str) -> str:
    words = text.split()
    return " ".join(words + words[: max(1, len(words) // 2)] * 2)


SHAPES = {
    "identity": lambda text: text,
    "shorter": _shorter,
    "longer": _longer,
    "reordered": _reordered,
    "repeating": _repeating,
    "empty": lambda text: "",
}

#: How an engine tells where the French words came from: not at all, naively (in order), or exactly.
ALIGNMENTS = ("none", "naive", "exact")


def _exactly_reversed(text: str) -> list[list[tuple[str, tuple[int, int] | None]]]:
    """One hypothesis: the words of ``text`` in reverse order, each aligned to itself."""
    reversed_words = [chunk for chunk in reversed(words(text)) if chunk[1] is not None]
    chunks: list[tuple[str, tuple[int, int] | None]] = []
    for chunk in reversed_words:
        if chunks:
            chunks.append((" ", None))
        chunks.append(chunk)
    return [chunks]


def shaped_engine(shape: str, alignment: str = "none") -> FunctionEngine:
    """A deterministic engine whose output has the named shape (:data:`SHAPES`) and alignment
    (:data:`ALIGNMENTS`; ``exact`` is a word-for-word reversal, whatever the shape)."""
    if alignment == "naive":
        return DetailedEngine(lambda text: [(SHAPES[shape](text), -0.1)], identity=f"shape-{shape}-naive")
    if alignment == "exact":
        return DetailedFunctionEngine(_exactly_reversed, identity="reversed-exact")
    return FunctionEngine(SHAPES[shape], identity=f"shape-{shape}")
