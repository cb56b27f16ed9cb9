"""The translation memory protocol, its key and its entries.

A translation memory maps (engine identity, glossary fingerprint, normalised
source segment) to what the reader got for that segment. Stores (SQLite,
Redis) implement the two methods; the pipeline looks every segment up before
calling the engine and writes new translations back after.

An entry (:class:`MemoryEntry`) holds the segment's French *after* the
glossary checked and repaired it, with the glossary report, so that a hit
gives exactly what the fresh translation gave: repairs depend on the n-best
list and the alignment the engine returned, which a memory hit no longer
has. (French typography is applied on the way out, as on a fresh segment.)
Entries written before this format, plain French strings of the engine's
output, are still read: the glossary is then applied to them again.
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

__all__ = ["InMemoryTranslationMemory", "MemoryEntry", "TranslationMemory", "memory_key", "normalise_segment"]


@runtime_checkable
class TranslationMemory(Protocol):
    """Segment-level cache: keys from :func:`memory_key`, values the target segments."""

    def get_segments(self, keys: Sequence[str]) -> dict[str, str]:
        """The entries found among ``keys`` (missing keys are simply absent)."""
        ...

    def put_segments(self, entries: Mapping[str, str]) -> None:
        """Store ``entries`` (atomically: all or nothing)."""
        ...


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
    """What the reader got for a segment: the French after the glossary, and its glossary report."""

    target: str
    applied: list[dict] = field(default_factory=list)
    missed: list[dict] = field(default_factory=list)
    unlisted: list[dict] = field(default_factory=list)

    def encode(self) -> str:
        """The stored value (JSON)."""
        return json.dumps({"target": self.target, "applied": self.applied, "missed": self.missed,
                           "unlisted": self.unlisted}, ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def decode(cls, value: str) -> "MemoryEntry | None":
        """The entry ``value`` holds; None for an entry of the older format (the engine's raw French)."""
        if not value.startswith('{"target":'):
            return None
        try:
            data = json.loads(value)
            return cls(data["target"], list(data["applied"]), list(data["missed"]), list(data["unlisted"]))
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
