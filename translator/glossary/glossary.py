"""The :class:`Glossary`: entries, their version, and the pipeline's glossary contract."""

from __future__ import annotations

import hashlib
import logging
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from functools import cached_property
from pathlib import Path
from typing import Any, Union

from ..engines.results import Hypothesis
from ..errors import GlossaryError
from .enforcement import Enforcement, InlinedSegment, choose, enforce, inject_occurrences, segment_fingerprint
from .entries import GlossaryEntry, entry_problems, parse_flags, read_tsv, same_source
from .matching import Match, TermMatcher, entry_matcher
from .spans import is_all_caps, overlaps, protected_spans
from .unlisted import find_unlisted
from .words import is_english_common

__all__ = ["EntryLike", "Glossary", "load_glossary", "request_glossary"]

log = logging.getLogger(__name__)

#: What :meth:`Glossary.from_pairs` and :meth:`Glossary.with_entries` accept for one entry.
EntryLike = Union[GlossaryEntry, Mapping[str, Any], tuple[str, str], tuple[str, str, "str | Iterable[str]"]]


def _to_entry(item: EntryLike, position: int) -> GlossaryEntry:
    """Validate one entry given in any accepted form; GlossaryError names the bad one."""
    if isinstance(item, GlossaryEntry):
        source, target, flags = item.source, item.target, item.flags
    elif isinstance(item, Mapping):
        if "source" not in item or "target" not in item:
            raise GlossaryError(f"glossary entry {position}: needs 'source' and 'target'")
        source, target, flags = item["source"], item["target"], parse_flags(item.get("flags"))
    elif isinstance(item, (tuple, list)) and len(item) in (2, 3):
        source, target = item[0], item[1]
        flags = parse_flags(item[2] if len(item) == 3 else None)
    else:
        raise GlossaryError(f"glossary entry {position}: expected (source, target[, flags]), got {item!r}")
    if not isinstance(source, str) or not isinstance(target, str):
        raise GlossaryError(f"glossary entry {position}: source and target must be strings")
    source, target = unicodedata.normalize("NFC", source), unicodedata.normalize("NFC", target)
    problems = entry_problems(source, target, flags)
    if problems:
        raise GlossaryError(f"glossary entry {position} ({source!r}): {'; '.join(problems)}")
    return GlossaryEntry(source, target, flags)


class Glossary:
    """Proper nouns and their French forms, enforced on every translation.

    A :class:`~translator.glossary.contract.GlossarySnapshot` (and its own
    :class:`~translator.glossary.contract.GlossarySource`): :meth:`prepare` puts the
    French forms of the terms a segment contains into the text the engine
    sees, :meth:`choose` picks the hypothesis that keeps every name, :meth:`finish`
    checks and repairs the output and reports each occurrence as applied or
    missed (see :mod:`translator.glossary.enforcement`).

    ``version`` is a content hash of the entries, independent of their order.
    Two entries cannot match the same text with different targets.
    """

    #: Hypotheses asked of the engine for a segment with names: the first that keeps every name
    #: is chosen (README: glossary, n-best).
    n_best: int = 4

    def __init__(self, entries: Iterable[GlossaryEntry] = ()):
        kept: list[GlossaryEntry] = []
        by_fold: dict[str, list[GlossaryEntry]] = {}
        for entry in entries:
            fold = " ".join(entry.source.split()).casefold()
            clash = next((e for e in by_fold.get(fold, ()) if same_source(e, entry)), None)
            if clash is not None:
                if clash == entry:
                    continue
                raise GlossaryError(f"glossary source {entry.source!r} has two targets: "
                                    f"{clash.target!r} and {entry.target!r}")
            by_fold.setdefault(fold, []).append(entry)
            kept.append(entry)
        self.entries: tuple[GlossaryEntry, ...] = tuple(kept)
        material = "\n".join(sorted(e.canonical() for e in self.entries))
        self.version: str = hashlib.sha256(material.encode("utf-8")).hexdigest()[:16]

    # -- construction ------------------------------------------------------------------------

    @classmethod
    def from_tsv(cls, path: str | Path) -> "Glossary":
        """Load a glossary TSV file; a malformed one is a GlossaryError ``PATH:LINE: problem``."""
        try:
            numbered, problems = read_tsv(path)
        except OSError as exc:
            raise GlossaryError(f"cannot read glossary {path}: {exc.strerror or exc}") from exc
        if problems:
            first = problems[0]
            more = (f" (and {len(problems) - 1} more; run 'translator glossary validate {path}')"
                    if len(problems) > 1 else "")
            raise GlossaryError(f"{path}:{first.line}: {first.message}{more}")
        return cls(entry for _, entry in numbered)

    @classmethod
    def from_pairs(cls, pairs: Iterable[EntryLike]) -> "Glossary":
        """Build from ``(source, target)`` or ``(source, target, flags)`` tuples (``flags``
        like ``"ci"`` or ``["ci"]``), ``{"source", "target", "flags"}`` mappings or entries."""
        return cls(_to_entry(item, i) for i, item in enumerate(pairs, start=1))

    def with_entries(self, extra: Iterable[EntryLike]) -> "Glossary":
        """A copy with ``extra`` entries added; an extra entry replaces one with the same source
        (per-request additions)."""
        added = [_to_entry(item, i) for i, item in enumerate(extra, start=1)]
        kept = [e for e in self.entries if not any(same_source(e, a) for a in added)]
        return Glossary([*kept, *Glossary(added).entries])

    def with_edits(self, edits: Mapping[str, tuple[str, str] | None]) -> "Glossary":
        """A copy with live edits applied: ``source -> (target, flags)`` adds or replaces the
        entry for ``source``; ``source -> None`` deletes it."""
        deleted = {source for source, edit in edits.items() if edit is None}
        changed = [(source, edit[0], edit[1]) for source, edit in edits.items() if edit is not None]
        kept = [e for e in self.entries if e.source not in deleted]
        return Glossary(kept).with_entries(changed)

    # -- inspection --------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self) -> Iterator[GlossaryEntry]:
        return iter(self.entries)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Glossary) and other.version == self.version

    def __hash__(self) -> int:
        return hash(self.version)

    def __repr__(self) -> str:
        return f"<Glossary {len(self.entries)} entries, version {self.version}>"

    def get(self, source: str) -> GlossaryEntry | None:
        """The entry whose source is exactly ``source``, if any."""
        return next((e for e in self.entries if e.source == source), None)

    @cached_property
    def _matcher(self) -> TermMatcher[GlossaryEntry]:
        return entry_matcher(self.entries)

    @cached_property
    def _caps_matcher(self) -> TermMatcher[GlossaryEntry]:
        return TermMatcher((e.source, True, e) for e in self.entries)

    def find(self, text: str) -> list[Match]:
        """Every term occurrence in ``text``: leftmost, then longest, whole words only.

        URLs, e-mail addresses, @handles and #hashtags are skipped. All-caps
        text is matched case-insensitively, except that an entry whose source
        is an ordinary English word in capitals ("WHO") needs the ``ci`` flag
        there ("WHO CARES" is not the World Health Organization).
        """
        return self._find(text)[0]

    def _find(self, text: str) -> tuple[list[Match], bool, list[tuple[int, int]]]:
        protected = protected_spans(text)
        caps = is_all_caps(text, protected)
        matcher = self._caps_matcher if caps else self._matcher
        matches = []
        for entry, start, end in matcher.finditer(text):
            if overlaps(start, end, protected):
                continue
            if caps and not entry.case_insensitive and entry.source.isupper() and is_english_common(entry.source):
                continue
            matches.append(Match(entry, start, end))
        return matches, caps, protected

    def unlisted(self, text: str) -> list[tuple[int, int]]:
        """``(start, end)`` of each capitalised name in ``text`` that no entry covers."""
        text = unicodedata.normalize("NFC", text)
        matches, _, protected = self._find(text)
        return find_unlisted(text, [(m.start, m.end) for m in matches], protected)

    # -- the pipeline's contract (translator.glossary.contract) ------------------------------

    @property
    def current(self) -> "Glossary":
        """A snapshot is its own source: a translator given a fixed glossary always uses it."""
        return self

    def prepare(self, source: str) -> InlinedSegment:
        """The text the engine should translate (French forms inline), the fingerprint of the
        entries occurring in ``source`` ("" when none does), each occurrence with its offsets,
        and the capitalised names no entry covers (``unlisted``)."""
        text = unicodedata.normalize("NFC", source)
        matches, caps, protected = self._find(text)
        unlisted = tuple(find_unlisted(text, [(m.start, m.end) for m in matches], protected))
        if not matches:
            return InlinedSegment(text, source, "", unlisted=unlisted)
        fingerprint = segment_fingerprint([m.entry for m in matches])
        engine_text, occurrences = inject_occurrences(text, matches, caps=caps)
        return InlinedSegment(text, engine_text, fingerprint, tuple(matches), occurrences, unlisted,
                               n_best=self.n_best, alignment=True)

    def choose(self, prepared: InlinedSegment, hypotheses: Sequence[Hypothesis]) -> int:
        """The index of the best hypothesis that holds every name (0 when none does)."""
        return choose(prepared, hypotheses)

    def finish(self, prepared: InlinedSegment, output: str | Hypothesis | Sequence[Hypothesis], *, repair: bool = True,
               unchecked: str | None = None) -> Enforcement:
        """Check (and unless ``repair`` is False, repair) ``output``: text, report items with
        offsets, unlisted names. ``unchecked``: a reason the output cannot be checked (the
        segment kept its English, :data:`NOT_TRANSLATED`; it was translated without its French
        forms, :data:`TOO_LONG`): every occurrence is missed with it and the text is untouched."""
        if unchecked is not None:
            text = output if isinstance(output, str) else output[0].text
            missed = [{**o.item(), "reason": unchecked} for o in prepared.occurrences]
            result = Enforcement(text, missed=missed)
        else:
            result = enforce(prepared, output, repair=repair)
        result.unlisted = [{"text": prepared.source[s:e], "start": s, "end": e} for s, e in prepared.unlisted]
        if result.repairs:
            log.debug("glossary repairs in %r: %s", result.text[:80], [(k, e.source) for k, e in result.repairs])
        if result.missed and unchecked is None:
            # Terms only at INFO: article text (embargoed stories included) never reaches the log there.
            log.info("glossary terms missed: %s", [(m["source"], m["reason"]) for m in result.missed])
            log.debug("glossary terms missed in %r", result.text[:80])
        return result

    def finalize(self, prepared: InlinedSegment, output: str | Hypothesis | Sequence[Hypothesis], *,
                 repair: bool = True) -> tuple[str, list[dict], list[dict]]:
        """Check and repair ``output``: ``(text, applied, missed)``, one item per occurrence
        (:meth:`finish` without the unlisted names; for callers outside the pipeline)."""
        result = self.finish(prepared, output, repair=repair)
        return result.text, result.applied, result.missed


def load_glossary(path: str | Path | None) -> Glossary | None:
    """The glossary at ``path``; ``None`` (glossary off) when ``path`` is None.

    A missing or malformed file is a :class:`GlossaryError` naming file and line,
    raised at start-up rather than during a translation.
    """
    if path is None:
        return None
    path = Path(path)
    if not path.is_file():
        raise GlossaryError(f"glossary file not found: {path} (set TRANSLATOR_GLOSSARY to a glossary TSV "
                            f"file, or to 'off')")
    glossary = Glossary.from_tsv(path)
    log.info("loaded glossary %s: %d entries, version %s", path, len(glossary), glossary.version)
    return glossary


def request_glossary(base: Glossary | None, *, enabled: bool = True,
                     extra: Iterable[EntryLike] = ()) -> Glossary | None:
    """The glossary one request uses: ``None`` when disabled, else ``base`` plus the
    request's ``extra`` entries (which override ``base`` entries with the same source).

    Pass the result as ``glossary=`` to :meth:`Translator.translate_texts` and
    friends (``None`` disables the glossary for that call).
    """
    if not enabled:
        return None
    additions = Glossary.from_pairs(extra)
    if not len(additions):
        return base
    return base.with_entries(additions) if base is not None else additions
