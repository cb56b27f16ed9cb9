"""The human translation memory: editors' corrections and approvals, by source sentence.

A human entry maps one normalised source segment (and a target language) to
the French an editor wrote or approved, with who and when, and the glossary
terms it satisfies. Unlike the machine memory (:mod:`translator.pipeline.memory`) it
is *not* keyed by engine identity or glossary fingerprint: a correction
applies to every later version, to every other article repeating the
sentence, and after a model or glossary change. It takes precedence over the
model and over machine memory entries.

Stores (SQLite, Redis) implement :class:`HumanMemory`; human entries are
editorial work, not cache, so ``purge`` never removes them.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Protocol, runtime_checkable

from ..pipeline.memory import normalise_segment

__all__ = ["HumanEntry", "HumanMemory", "InMemoryHumanMemory", "normalise_segment"]


@dataclass(frozen=True)
class HumanEntry:
    """One editor-made (or editor-approved) translation of one source segment."""

    lang: str
    source: str                  # normalised (:func:`normalise_segment`)
    target: str
    editor: str                  # the name of the API key that wrote it
    created_at: str              # ISO-8601 UTC
    glossary: list[dict] = field(default_factory=list)  # {"source", "target"} terms the target satisfies
    approved: bool = False       # the machine output approved as is (rather than corrected)

    def __post_init__(self) -> None:
        object.__setattr__(self, "source", normalise_segment(self.source))

    def to_dict(self) -> dict:
        """``{"lang", "source", "target", "editor", "created_at", "glossary", "approved"}``."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping) -> "HumanEntry":
        """The inverse of :meth:`to_dict`."""
        return cls(lang=data["lang"], source=data["source"], target=data["target"], editor=data["editor"],
                   created_at=data["created_at"], glossary=[dict(t) for t in data.get("glossary", [])],
                   approved=bool(data.get("approved", False)))


@runtime_checkable
class HumanMemory(Protocol):
    """Human entries by (language, normalised source)."""

    def get_human_entries(self, lang: str, sources: Sequence[str]) -> dict[str, HumanEntry]:
        """The entries found for ``sources``, keyed by their *normalised* source."""
        ...

    def put_human_entry(self, entry: HumanEntry) -> None:
        """Store (or replace) the entry for its language and source."""
        ...

    def delete_human_entry(self, lang: str, source: str) -> bool:
        """Remove the entry of ``source``; whether there was one."""
        ...

    def human_entries(self, lang: str | None = None) -> list[HumanEntry]:
        """Every entry (of ``lang``), ordered by language and source."""
        ...


class InMemoryHumanMemory:
    """A dict-backed human memory for one process (tests, the CLI without a store)."""

    def __init__(self) -> None:
        self._entries: dict[tuple[str, str], HumanEntry] = {}
        self._lock = threading.Lock()

    def get_human_entries(self, lang: str, sources: Sequence[str]) -> dict[str, HumanEntry]:
        keys = {normalise_segment(s) for s in sources}
        with self._lock:
            return {k: self._entries[(lang, k)] for k in keys if (lang, k) in self._entries}

    def put_human_entry(self, entry: HumanEntry) -> None:
        with self._lock:
            self._entries[(entry.lang, entry.source)] = entry

    def delete_human_entry(self, lang: str, source: str) -> bool:
        with self._lock:
            return self._entries.pop((lang, normalise_segment(source)), None) is not None

    def human_entries(self, lang: str | None = None) -> list[HumanEntry]:
        with self._lock:
            return [e for k, e in sorted(self._entries.items()) if lang is None or e.lang == lang]
