"""Fake engines whose French is shaped unlike the English, for the HTML tag-placement properties:
identity, much shorter, much longer, reordered, repeating itself, and empty."""

from __future__ import annotations

from tests.fakes import FunctionEngine


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


def shaped_engine(shape: str) -> FunctionEngine:
    """A deterministic engine whose output has the named shape (:data:`SHAPES`)."""
    return FunctionEngine(SHAPES[shape], identity=f"shape-{shape}")
