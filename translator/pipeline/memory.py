"""The translation memory protocol, its key and its entries.

A translation memory maps (engine identity, glossary fingerprint, normalised
source segment) to what the reader got for that segment. Stores (SQLite,
Redis) implement the two methods; the pipeline looks every segment up before
calling the engine and writes new translations back after.

An entry (:class:`MemoryEntry`) holds the segment's French *after* the
glossary checked and repaired it, with the glossary report and the model's
score, so that a hit gives exactly what the fresh translation gave: repairs
depend on the n-best list and the alignment the engine returned, and the
``low_score`` review flag on the score, none of which a memory hit has
otherwise. (French typography and the review flags are applied on the way
out, as on a fresh segment, so a changed typography mode or review threshold
applies to remembered segments too.)

Entries of older formats (the engine's raw French as a plain string, or JSON
without the score) are *ignored*: they cannot rebuild the fresh answer, so
the segment is translated again and its entry overwritten with this format.
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

__all__ = ["InMemoryTranslationMemory", "MemoryEntry", "ScopedMemory", "TranslationMemory", "memory_key",
           "normalise_segment"]


@runtime_checkable
class TranslationMemory(Protocol):
    """Segment-level cache: keys from :func:`memory_key`, values encoded entries (:meth:`MemoryEntry.encode`;
    HTML blocks store their own JSON), opaque to the store."""

    def get_segments(self, keys: Sequence[str]) -> dict[str, str]:
        """The entries found among ``keys`` (missing keys are simply absent)."""
        ...

    def put_segments(self, entries: Mapping[str, str]) -> None:
        """Store ``entries`` (atomically: all or nothing)."""
        ...


class ScopedMemory:
    """A translation memory kept apart inside another (the same store, keys of its own): what one scope
    wrote, another never reads.

    ``POST /v1/translate`` translates through the ``"request"`` scope, so a caller cannot learn, from the
    answer's speed or from the hit counters, that a sentence is in an article's memory (an embargoed
    article's, say): requests only ever hit what requests translated.
    """

    def __init__(self, memory: TranslationMemory, scope: str):
        self.memory = memory
        self.scope = scope

    def _key(self, key: str) -> str:
        return hashlib.sha256(f"{self.scope}\x1f{key}".encode("utf-8")).hexdigest()

    def get_segments(self, keys: Sequence[str]) -> dict[str, str]:
        scoped = {self._key(key): key for key in keys}
        return {scoped[key]: value for key, value in self.memory.get_segments(list(scoped)).items()}

    def put_segments(self, entries: Mapping[str, str]) -> None:
        self.memory.put_segments({self._key(key): value for key, value in entries.items()})


def normalise_segment(text: str) -> str:
    """NFC, whitespace runs collapsed to one space, ends stripped."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def memory_key(engine_identity: str, glossary_fingerprint: str, source: str, *, repaired: bool = True) -> str:
    """The memory key of one segment: a SHA-256 over its parts. French the glossary was not allowed
    to repair (``repaired=False``, with glossary terms) is kept apart from repaired French."""
    kind = "" if repaired or not glossary_fingerprint else "\x1funrepaired"
    material = "\x1f".join((engine_identity, glossary_fingerprint, normalise_segment(source))) + kind
    return hashlib.sha256(material.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class MemoryEntry:
    """What the reader got for a segment: the French after the glossary, its glossary report, and the
    score of the hypothesis it came from (what the ``low_score`` flag is decided on)."""

    target: str
    applied: list[dict] = field(default_factory=list)
    missed: list[dict] = field(default_factory=list)
    unlisted: list[dict] = field(default_factory=list)
    #: Mean log-probability per token of the chosen hypothesis (None: the engine gives no score).
    score: float | None = None

    def encode(self) -> str:
        """The stored value (JSON; a float's ``repr`` reads back to the same float)."""
        return json.dumps({"target": self.target, "applied": self.applied, "missed": self.missed,
                           "unlisted": self.unlisted, "score": self.score},
                          ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def decode(cls, value: str) -> "MemoryEntry | None":
        """The entry ``value`` holds; None for an entry of an older format (the engine's raw French, or
        JSON without the score), which the pipeline treats as a miss."""
        if not value.startswith('{"target":'):
            return None
        try:
            data = json.loads(value)
            score = data["score"]
            if score is not None and not isinstance(score, (int, float)):
                return None
            return cls(data["target"], list(data["applied"]), list(data["missed"]), list(data["unlisted"]),
                       None if score is None else float(score))
        except (ValueError, KeyError, TypeError):
            return None


class InMemoryTranslationMemory:
    """A dict-backed memory for one process (the CLI default, tests)."""

    def __init__(self) -> None:
        self._entries: dict[str, str] = {}

    def get_segments(self, keys: Sequence[str]) -> dict[str, str]:
        return {k: self._entries[k] for k in keys if k in self._entries}

    def put_segments(self, entries: Mapping[str, str]) -> None:
        self._entries.update(entries)

    def __len__(self) -> int:
        return len(self._entries)
