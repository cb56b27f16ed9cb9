"""Glossary enforcement: French forms into the source, then check and repair the output.

The technique works through the plain :class:`~translator.engines.Engine`
protocol, so every backend (PyTorch, CTranslate2, fakes) gets it:

1. **Inline French forms.** Each term occurring in the source is replaced
   by its target before translation ("Putin's army" -> "Poutine's army"):
   NMT models copy names they do not know, so the French form usually comes
   back verbatim. Keep-as-is terms are left as they are. No placeholders:
   SentencePiece models mangle underscores, ``#`` and digit tokens.
2. **Check.** The output is searched for every target with the same matching
   rules as the source (whole words, leftmost-longest, apostrophe and
   whitespace tolerant; the first letter may change case at the start of a
   sentence). Each occurrence in the source needs one in the output.
3. **Repair** what is missing, most certain first, never touching a target
   already found: the English form left in the output ("Beijing"); the
   target's words in another order, case or accents ("Tiananmen place");
   a close spelling ("Poutin": similarity >= 0.8 over letters, targets of 5+
   letters, capitalised like the target); a multi-word name partly
   translated ("Roger Pierre" for "Roger Stone": half its words in place,
   the others capitalised). Words copied from the source are never taken
   for a garbled or translated term. Then a term repeated back to back more
   often than the source has it ("Poutine Poutine") is collapsed.
4. **Report.** Each occurrence is ``applied`` (its target is in the text)
   or ``missed``; never silently lost.
"""

from __future__ import annotations

import difflib
import hashlib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

from .entries import GlossaryEntry
from .matching import APOSTROPHES, HYPHENS, Match, TermMatcher

__all__ = ["TECHNIQUE", "Enforcement", "PreparedSegment", "enforce", "inject", "segment_fingerprint"]

#: Names the way terms reach the engine; part of every segment fingerprint (cache key), so
#: changing the technique invalidates cached segments that contain terms.
TECHNIQUE = "inline-target-v1"

#: Minimum similarity (difflib ratio over letters) for a garbled spelling to be repaired.
FUZZY_THRESHOLD = 0.8
#: Terms shorter than this (in letters and digits) are only repaired on an exact match.
FUZZY_MIN_LETTERS = 5

_WORD = re.compile(r"\w+")
_JOINER = re.compile(r"[\s" + re.escape(HYPHENS + APOSTROPHES) + r"]{1,3}")


@dataclass(frozen=True)
class PreparedSegment:
    """A source segment ready for the engine: ``engine_text`` carries the French forms."""

    source: str
    engine_text: str
    fingerprint: str
    matches: tuple[Match, ...] = ()


@dataclass
class Enforcement:
    """The checked output of one segment; ``repairs`` are (kind, entry) pairs, for measurement."""

    text: str
    applied: list[dict] = field(default_factory=list)
    missed: list[dict] = field(default_factory=list)
    repairs: list[tuple[str, GlossaryEntry]] = field(default_factory=list)


def segment_fingerprint(entries: Sequence[GlossaryEntry]) -> str:
    """A hash of the distinct entries occurring in a segment ("" when none)."""
    if not entries:
        return ""
    lines = sorted({e.canonical() for e in entries})
    return hashlib.sha256("\n".join([TECHNIQUE, *lines]).encode("utf-8")).hexdigest()[:16]


def inject(source: str, matches: Sequence[Match]) -> str:
    """``source`` with every matched term replaced by its target (keep-as-is terms unchanged)."""
    parts, position = [], 0
    for m in matches:
        parts.append(source[position:m.start])
        parts.append(source[m.start:m.end] if m.entry.keep else m.entry.target)
        position = m.end
    parts.append(source[position:])
    return "".join(parts)


# -- helpers -----------------------------------------------------------------------------------

def _fold(text: str) -> str:
    """Case, accents and punctuation removed: what two spellings of a name share."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if ch.isalnum())


_SENTENCE_START = re.compile(r"(?:^|[.!?:]\s+|\n\s*)[\"'«“(\s]*$")


def _adapt_initial(target: str, text: str, start: int, end: int) -> str:
    """``target`` to put at ``text[start:end]``, capitalised where a sentence starts there
    or where the engine capitalised the same first word (a target starting in lower case)."""
    found = text[start:end]
    if not (target[:1].islower() and found[:1].isupper()):
        return target
    same_first_word = _fold(found.split()[0]) == _fold(target.split()[0])
    if same_first_word or _SENTENCE_START.search(text, 0, start):
        return target[:1].upper() + target[1:]
    return target


@dataclass
class _Group:
    """All occurrences in the source of entries that share one target."""

    target: str
    case_insensitive: bool
    entries: list[GlossaryEntry]
    needed: int = 0

    @property
    def words(self) -> list[str]:
        return [_fold(w) for w in _WORD.findall(self.target)]


def _overlaps(start: int, end: int, spans: Sequence[tuple[int, int]]) -> bool:
    return any(start < e and s < end for s, e in spans)


def _windows(text: str, sizes: range, protected: Sequence[tuple[int, int]]):
    """(start, end, words) for runs of consecutive words joined only by spaces, hyphens or
    apostrophes, of each size in ``sizes``, that do not overlap ``protected``."""
    words = list(_WORD.finditer(text))
    for i in range(len(words)):
        for size in sizes:
            j = i + size - 1
            if size < 1 or j >= len(words):
                continue
            if any(not _JOINER.fullmatch(text[words[k].end():words[k + 1].start()]) for k in range(i, j)):
                continue
            start, end = words[i].start(), words[j].end()
            if not _overlaps(start, end, protected):
                yield start, end, [w.group() for w in words[i:j + 1]]


class _Repairer:
    """Finds one repairable span for a group whose target is missing from the output."""

    def __init__(self, group: _Group, source_words: set[str]):
        self.group = group
        # Words the source itself has are copies, not garbled or translated terms.
        self.source_words = source_words
        self.sources = TermMatcher(((e.source, e.case_insensitive, e) for e in group.entries if not e.keep),
                                   flexible_initial=True)
        self.target_words = group.words
        self.target_word_set = set(_WORD.findall(group.target))
        self.target_key = "".join(self.target_words)
        # A garbled English form is compared over windows of its own number of words.
        self.source_keys: dict[int, set[str]] = {}
        for e in group.entries:
            self.source_keys.setdefault(len(_WORD.findall(e.source)), set()).add(_fold(e.source))

    def find(self, text: str, protected: Sequence[tuple[int, int]]) -> tuple[str, int, int] | None:
        """(kind, start, end) of the best span to replace with the target, or None."""
        for _, start, end in self.sources.finditer(text):
            if not _overlaps(start, end, protected):
                return "source-form", start, end
        k = len(self.target_words)
        for start, end, words in _windows(text, range(k, k + 1), protected):
            if sorted(_fold(w) for w in words) == sorted(self.target_words):
                return "reordered", start, end
        if len(self.target_key) >= FUZZY_MIN_LETTERS:
            spot = self._closest_spelling(text, protected)
            if spot is not None:
                return "fuzzy", *spot
        if k >= 2:
            for start, end, words in _windows(text, range(k, k + 1), protected):
                folded = [_fold(w) for w in words]
                same = sum(a == b for a, b in zip(folded, self.target_words))
                others = [w for w, f, t in zip(words, folded, self.target_words) if f != t]
                if (same * 2 >= k and all(w[:1].isupper() for w in others)
                        and not set(others) & self.source_words):
                    return "partial", start, end
        return None

    def _closest_spelling(self, text: str, protected: Sequence[tuple[int, int]]) -> tuple[int, int] | None:
        """The window most similar to the target (or an English form), if similar enough.

        Windows span the target's word count plus or minus one (a garble can
        split or join words); ties go to the target's own word count, then to
        the earliest window.
        """
        k = len(self.target_words)
        sizes = set(range(max(1, k - 1), k + 2)) | set(self.source_keys)
        capitalised = self.group.target[:1].isupper()
        best: tuple[float, int, int, int] | None = None   # (score, -size penalty, start, end)
        for start, end, words in _windows(text, range(min(sizes), max(sizes) + 1), protected):
            if (capitalised and not words[0][:1].isupper()) or set(words) <= self.source_words:
                continue
            if any(w in self.source_words and w not in self.target_word_set for w in (words[0], words[-1])):
                continue   # the window reaches into a word copied from the source
            key = "".join(_fold(w) for w in words)
            references = [*([self.target_key] if abs(len(words) - k) <= 1 else []),
                          *self.source_keys.get(len(words), ())]
            if not references:
                continue
            score = max(difflib.SequenceMatcher(None, key, ref, autojunk=False).ratio() for ref in references)
            candidate = (score, -abs(len(words) - k), start, end)
            if score >= FUZZY_THRESHOLD and (best is None or candidate[:2] > best[:2]):
                best = candidate
        return None if best is None else (best[2], best[3])


# -- enforcement -------------------------------------------------------------------------------

def _groups(matches: Sequence[Match]) -> dict[tuple[str, bool], _Group]:
    groups: dict[tuple[str, bool], _Group] = {}
    for m in matches:
        key = (m.entry.target, m.entry.case_insensitive)
        group = groups.setdefault(key, _Group(m.entry.target, m.entry.case_insensitive, []))
        if m.entry not in group.entries:
            group.entries.append(m.entry)
        group.needed += 1
    return groups


def _hits(matcher: TermMatcher, text: str) -> list[tuple[tuple[str, bool], int, int]]:
    return list(matcher.finditer(text))


def _duplicate(text: str, hits: list, groups: dict) -> tuple[int, int, tuple[str, bool]] | None:
    """The span to delete for one back-to-back repetition of a term, or None.

    ``hits`` are ``((group key, is_target), start, end)`` for targets and English
    source forms. Only repetitions separated by nothing but whitespace count; a
    target is only dropped when the output has more of it than the source needs.
    """
    surplus = {key: -g.needed for key, g in groups.items()}
    for (key, is_target), _, _ in hits:
        surplus[key] += is_target
    for ((key1, target1), s1, e1), ((key2, target2), s2, e2) in zip(hits, hits[1:]):
        if not text[e1:s2].isspace():
            continue
        if key1 == key2 and target1 != target2:
            return (s1, s2, key1) if not target1 else (e1, e2, key1)   # drop the English form
        if not (target1 and target2):
            continue
        if key1 == key2 and surplus[key2] > 0:
            return e1, e2, key2
        if surplus[key2] > 0 and _fold(text[s1:e1]).endswith(_fold(text[s2:e2])):
            return e1, e2, key2     # "Vladimir Poutine Poutine"
        if surplus[key1] > 0 and _fold(text[s2:e2]).startswith(_fold(text[s1:e1])):
            return s1, s2, key1     # "Vladimir Vladimir Poutine"
    return None


def enforce(prepared: PreparedSegment, output: str) -> Enforcement:
    """Check ``output`` (the engine's French for ``prepared.engine_text``), repair it, report.

    Returns the final text, ``applied`` and ``missed`` items (one per
    occurrence in the source, in source order, ``{"source", "target"}``) and
    the repairs made.
    """
    if not prepared.matches:
        return Enforcement(output)
    groups = _groups(prepared.matches)
    targets = TermMatcher(((g.target, g.case_insensitive, key) for key, g in groups.items()),
                          flexible_initial=True)
    source_words = set(_WORD.findall(prepared.source))
    repairers: dict[tuple[str, bool], _Repairer] = {}
    result = Enforcement(output)
    text = output

    # Repair missing targets, one span at a time, until none is missing or nothing else fits.
    for _ in range(sum(g.needed for g in groups.values()) + 1):
        hits = _hits(targets, text)
        found = {key: 0 for key in groups}
        for key, _, _ in hits:
            found[key] += 1
        # A target found more often than needed (an engine that repeated it, or a shorter
        # target inside a garbled longer one) may give up one occurrence to a repair.
        protected = [(s, e) for key, s, e in hits if found[key] <= groups[key].needed]
        repair = None
        for key, group in groups.items():
            if found[key] < group.needed:
                if key not in repairers:
                    repairers[key] = _Repairer(group, source_words)
                spot = repairers[key].find(text, protected)
                if spot is not None:
                    repair = (key, *spot)
                    break
        if repair is None:
            break
        key, kind, start, end = repair
        text = text[:start] + _adapt_initial(groups[key].target, text, start, end) + text[end:]
        result.repairs.append((kind, groups[key].entries[0]))

    # Collapse a term the engine repeated back to back ("Poutine Poutine", "Poutine Putin",
    # "Vladimir Poutine Poutine").
    forms = TermMatcher([*((g.target, g.case_insensitive, (key, True)) for key, g in groups.items()),
                         *((e.source, e.case_insensitive, (key, False))
                           for key, g in groups.items() for e in g.entries if not e.keep)],
                        flexible_initial=True)
    while True:
        span = _duplicate(text, list(forms.finditer(text)), groups)
        if span is None:
            break
        text = text[:span[0]] + text[span[1]:]
        result.repairs.append(("duplicate", groups[span[2]].entries[0]))

    # Spell every target found exactly as the glossary has it (apostrophes, spaces, case for ci).
    hits = _hits(targets, text)
    for key, start, end in reversed(hits):
        exact = _adapt_initial(groups[key].target, text, start, end)
        if text[start:end] != exact:
            text = text[:start] + exact + text[end:]
    found = {key: 0 for key in groups}
    for key, _, _ in hits:
        found[key] += 1

    result.text = text
    for m in prepared.matches:
        key = (m.entry.target, m.entry.case_insensitive)
        item = {"source": m.entry.source, "target": m.entry.target}
        if found[key] > 0:
            found[key] -= 1
            result.applied.append(item)
        else:
            result.missed.append(item)
    return result
