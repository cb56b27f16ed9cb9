"""The translation memory protocol and its key.

A translation memory maps (engine identity, glossary fingerprint, normalised
source segment) to the target segment. Stores (SQLite, Redis) implement the
two methods; the pipeline looks every segment up before calling the engine
and writes new translations back after.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Mapping, Sequence
from typing import Protocol, runtime_checkable

__all__ = ["InMemoryTranslationMemory", "TranslationMemory", "memory_key", "normalise_segment"]


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


def memory_key(engine_identity: str, glossary_fingerprint: str, source: str) -> str:
    """The memory key of one segment: a SHA-256 over its three parts."""
    material = "\x1f".join((engine_identity, glossary_fingerprint, normalise_segment(source)))
    return hashlib.sha256(material.encode("utf-8")).hexdigest()


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
