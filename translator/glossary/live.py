"""The live glossary: the glossary file plus the edits kept in the store.

The file (``TRANSLATOR_GLOSSARY``) is the reviewed base; entries added,
changed or deleted through the HTTP API are stored as edits
(``Store.put_glossary_edit``) and layered on top, so they survive restarts
and are shared by every process using the same store.

Freshness: an edit made through a :class:`LiveGlossary` applies at once in
its own process. Edits made by other processes (several instances sharing
a Redis store) are picked up when the snapshot is older than ``max_age``
seconds (default :data:`DEFAULT_MAX_AGE`): the next use re-reads the edits
(one small read) and rebuilds the glossary only when they changed. The
store has no change counter, so a short time-to-live is the simplest rule
that bounds staleness without a read per segment.
"""

from __future__ import annotations

import logging
import threading
import time
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Protocol

from ..errors import GlossaryError
from .entries import GlossaryEntry, entry_problems, parse_flags
from .glossary import Glossary

__all__ = ["DEFAULT_MAX_AGE", "GlossaryConflict", "GlossaryEditStore", "LiveGlossary"]

log = logging.getLogger(__name__)

#: Seconds a snapshot is used before the store's edits are read again.
DEFAULT_MAX_AGE = 2.0

Edits = Mapping[str, "tuple[str, str] | None"]


class GlossaryConflict(GlossaryError):
    """An edit would give one source two targets (e.g. ``Foo`` with ``ci`` and ``foo``)."""


class GlossaryEditStore(Protocol):
    """What :class:`LiveGlossary` needs from a :class:`~translator.store.Store`."""

    def glossary_edits(self, pair: str) -> dict[str, tuple[str, str] | None]:
        ...

    def put_glossary_edit(self, pair: str, source: str, value: tuple[str, str] | None) -> None:
        ...


def _apply(base: Glossary | None, edits: Edits, *, strict: bool) -> Glossary | None:
    """``base`` with ``edits``; None when there is neither a file nor an edit.

    Not ``strict``: an edit that clashes with another (possible when two
    processes edit at once) is skipped and logged, never breaking the service.
    """
    if base is None and not edits:
        return None
    start = base if base is not None else Glossary()
    try:
        return start.with_edits(edits)
    except GlossaryError:
        if strict:
            raise
    glossary = start
    for source, edit in edits.items():
        try:
            glossary = glossary.with_edits({source: edit})
        except GlossaryError as exc:
            log.error("ignoring the live glossary edit of %r: %s", source, exc)
    return glossary


class LiveGlossary:
    """The file glossary with the store's live edits for ``pair``; a
    :class:`~translator.glossary.contract.GlossarySource`.

    Give it to a :class:`~translator.pipeline.translator.Translator` as its glossary: each call
    resolves :attr:`current` once, so every segment of a call is prepared and finished by the
    same snapshot. ``version`` is the current snapshot's (``""`` when there is no glossary at all).
    """

    def __init__(self, base: Glossary | None, store: GlossaryEditStore, *, pair: str = "en-fr",
                 path: str | Path | None = None, max_age: float = DEFAULT_MAX_AGE,
                 clock: Callable[[], float] = time.monotonic):
        self.base = base
        self.store = store
        self.pair = pair
        self.path = Path(path) if path is not None else None
        self.max_age = max_age
        self._clock = clock
        self._lock = threading.Lock()
        self._edits: dict[str, tuple[str, str] | None] | None = None
        self._snapshot: Glossary | None = base
        self._read_at = float("-inf")

    # -- snapshots -------------------------------------------------------------------------------

    @property
    def current(self) -> Glossary | None:
        """The glossary in force now (re-reading the edits when the snapshot is older than ``max_age``)."""
        if self._clock() - self._read_at >= self.max_age:
            return self._refresh(force=False)
        return self._snapshot

    def refresh(self) -> Glossary | None:
        """Read the store's edits now and rebuild the glossary if they changed."""
        return self._refresh(force=True)

    def _refresh(self, *, force: bool) -> Glossary | None:
        with self._lock:
            if not force and self._clock() - self._read_at < self.max_age:
                return self._snapshot  # another thread refreshed it while this one waited
            edits = self.store.glossary_edits(self.pair)
            if edits != self._edits:
                self._snapshot = _apply(self.base, edits, strict=False)
                if self._edits is not None:
                    log.info("glossary %s: live edits changed; %s", self.pair, self._describe(self._snapshot))
                self._edits = edits
            self._read_at = self._clock()
            return self._snapshot

    @property
    def edit_count(self) -> int:
        """Live edits in the store at the last read."""
        return len(self._edits or {})

    @property
    def version(self) -> str:
        """The current glossary's version; ``""`` when there is none."""
        glossary = self.current
        return glossary.version if glossary is not None else ""

    # -- edits -----------------------------------------------------------------------------------

    def put_entry(self, source: str, target: str, flags: Iterable[str] | str = ()) -> tuple[GlossaryEntry, bool]:
        """Add or change the entry for ``source`` (persisted): ``(entry, created)``.

        Raises :class:`GlossaryError` for an invalid entry (empty, space-padded,
        control characters, unknown flag) and :class:`GlossaryConflict` when it
        would clash with another entry.
        """
        source, target = unicodedata.normalize("NFC", source), unicodedata.normalize("NFC", target)
        flag_set = parse_flags(flags)
        problems = entry_problems(source, target, flag_set)
        if problems:
            raise GlossaryError("; ".join(problems))
        with self._lock:
            edits = self.store.glossary_edits(self.pair)
            before = _apply(self.base, edits, strict=False)
            value = (target, ",".join(sorted(flag_set)))
            try:
                after = _apply(self.base, {**edits, source: value}, strict=True)
            except GlossaryError as exc:
                raise GlossaryConflict(f"{source!r} conflicts with another entry: {exc}") from None
            self.store.put_glossary_edit(self.pair, source, value)
            self._remember({**edits, source: value}, after)
        entry = after.get(source)
        assert entry is not None
        return entry, before is None or before.get(source) is None

    def delete_entry(self, source: str) -> GlossaryEntry | None:
        """Delete the entry for exactly ``source`` (persisted); None when there is none."""
        source = unicodedata.normalize("NFC", source)
        with self._lock:
            edits = self.store.glossary_edits(self.pair)
            before = _apply(self.base, edits, strict=False)
            entry = before.get(source) if before is not None else None
            if entry is None:
                self._remember(edits, before)
                return None
            self.store.put_glossary_edit(self.pair, source, None)
            changed = {**edits, source: None}
            self._remember(changed, _apply(self.base, changed, strict=False))
        return entry

    def _remember(self, edits: dict, glossary: Glossary | None) -> None:
        self._edits, self._snapshot, self._read_at = edits, glossary, self._clock()

    # -- description -----------------------------------------------------------------------------

    def describe(self) -> str:
        """For the start-up log: file, entries, version and live edits."""
        return self._describe(self.current)

    def _describe(self, glossary: Glossary | None) -> str:
        source = str(self.path) if self.path is not None else "no file"
        if glossary is None:
            return f"off ({source}, no live edits)"
        return f"{source} ({len(glossary)} entries, version {glossary.version}, {self.edit_count} live edits)"
