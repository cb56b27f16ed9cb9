"""Finding glossary terms in text: whole words, longest match first, literal.

One compiled regular expression per term list: each term is escaped (so
"C++", "AT&T" and "U.S." match literally), its spaces match any run of
whitespace, its apostrophes match straight and curly ones, its hyphens any
hyphen character. A term only matches between non-word characters, so
"Putin" never matches inside "Putinism" or "output", while "Putin-backed"
and "Putin's" contain it. Alternatives are ordered longest first and the
scan goes left to right, so "Vladimir Putin" wins over "Putin" (leftmost,
then longest, non-overlapping), except that a longer term starting inside a
match and running past it wins over it: "The Independent Commission Against
Corruption" is the commission, not the newspaper "The Independent".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Generic, TypeVar

from .entries import GlossaryEntry

__all__ = ["APOSTROPHES", "HYPHENS", "Match", "TermMatcher", "term_pattern"]

#: Characters treated as the same apostrophe (MarianTokenizer turns curly ones straight).
APOSTROPHES = "'\u2019\u02bc\u2018"
#: Characters treated as the same hyphen.
HYPHENS = "-\u2010\u2011"

_APOSTROPHE_CLASS = "[" + re.escape(APOSTROPHES) + "]"
_FIRST_WORD = re.compile(r"\w+")
_WORD_START = re.compile(r"(?<!\w)\w+")
_HYPHEN_CLASS = "[" + re.escape(HYPHENS) + "]"

T = TypeVar("T")


@dataclass(frozen=True)
class Match:
    """An occurrence of ``entry``'s source in a text, at ``text[start:end]``."""

    entry: GlossaryEntry
    start: int
    end: int


def _initial_key(term: str) -> str:
    first = term[:1]
    if first in APOSTROPHES:
        return "'"
    if first in HYPHENS:
        return "-"
    return first.casefold()


def _initials(term: str, either_case: bool) -> set[str]:
    """The characters an occurrence of ``term`` can start with."""
    first = term[:1]
    if first in APOSTROPHES:
        return set(APOSTROPHES)
    if first in HYPHENS:
        return set(HYPHENS)
    return {first, first.lower(), first.upper()} if either_case else {first}


def _char_pattern(ch: str) -> str:
    if ch in APOSTROPHES:
        return _APOSTROPHE_CLASS
    if ch in HYPHENS:
        return _HYPHEN_CLASS
    return re.escape(ch)


def term_pattern(term: str, *, case_insensitive: bool = False, flexible_initial: bool = False) -> str:
    """The regular expression (without word boundaries) that matches ``term`` literally.

    ``flexible_initial`` lets the first letter be upper or lower case (a French
    target at the start of a sentence).
    """
    words = term.split()
    body = r"\s+".join("".join(_char_pattern(ch) for ch in word) for word in words)
    if flexible_initial and not case_insensitive and words and words[0][0].isalpha():
        first = words[0][0]
        pair = first.lower() + first.upper()
        if len(pair) == 2 and pair[0] != pair[1]:
            body = f"[{re.escape(pair)}]" + body[len(_char_pattern(first)):]
    return f"(?i:{body})" if case_insensitive else body


class TermMatcher(Generic[T]):
    """Finds many literal terms at once, leftmost then longest, whole words only (a longer term
    overlapping a match from inside wins over it).

    ``terms`` are ``(text, case_insensitive, payload)``; :meth:`finditer`
    yields ``(payload, start, end)`` for each non-overlapping occurrence.
    ``flexible_initial`` lets every term's first letter change case;
    ``flexible_lower_initial`` only that of terms starting in lower case.
    """

    def __init__(self, terms: Iterable[tuple[str, bool, T]], *, flexible_initial: bool = False,
                 flexible_lower_initial: bool = False):
        ordered = sorted(terms, key=lambda t: -len(" ".join(t[0].split())))
        # Alternatives grouped by their (case-folded) first character, each group guarded by a
        # lookahead on that character: 20-30 times faster than one flat alternation of hundreds
        # of terms. Within a group the order stays longest first; terms of different groups
        # never match at the same position.
        groups: dict[str, list[tuple[str, bool, T]]] = {}
        for term in ordered:
            groups.setdefault(_initial_key(term[0]), []).append(term)
        self._payloads: list[T] = []
        parts = []
        for items in groups.values():
            initials: set[str] = set()
            alternatives = []
            for text, ci, payload in items:
                # flexible_lower_initial: only a term that starts in lower case may start with a
                # capital (a French form at the start of a sentence); "Vienne" never matches "vienne".
                flexible = flexible_initial or (flexible_lower_initial and text[:1].islower())
                initials |= _initials(text, ci or flexible)
                alternatives.append(f"({term_pattern(text, case_insensitive=ci, flexible_initial=flexible)})")
                self._payloads.append(payload)
            guard = "[" + re.escape("".join(sorted(initials))) + "]"
            parts.append(f"(?={guard})(?:{'|'.join(alternatives)})")
        self._regex = re.compile(rf"(?<!\w)(?:{'|'.join(parts)})(?!\w)") if parts else None
        # When every term starts with a word character (the usual case), terms are indexed by
        # their first word, case-folded: the scan looks each word of the text up and tries only
        # the few terms starting with it (longest first). A long alternation tries every term
        # of a group at every word start: 5-10 times slower with a thousand entries.
        self._index: dict[str, list[tuple[re.Pattern, T]]] | None = None
        if ordered and all(_FIRST_WORD.match(text) for text, _, _ in ordered):
            self._index = {}
            for text, ci, payload in ordered:
                flexible = flexible_initial or (flexible_lower_initial and text[:1].islower())
                pattern = re.compile(rf"(?:{term_pattern(text, case_insensitive=ci, flexible_initial=flexible)})(?!\w)")
                key = _FIRST_WORD.match(text).group().casefold()
                self._index.setdefault(key, []).append((pattern, payload))

    def __bool__(self) -> bool:
        return self._regex is not None

    def finditer(self, text: str) -> Iterator[tuple[T, int, int]]:
        """Every occurrence, left to right: ``(payload, start, end)``."""
        if self._regex is None:
            return
        position = 0
        for start in self._starts(text):
            if start < position:
                continue
            found = self._match_at(text, start)
            if found is None or self._longer_inside(text, *found[1:]):
                continue
            yield found
            position = found[2]

    def _starts(self, text: str) -> Iterator[int]:
        """Where a term may start: each word start (terms indexed by first word), else each position
        where the expression finds one."""
        if self._index is not None:
            yield from (word.start() for word in _WORD_START.finditer(text))
            return
        position = 0
        while True:
            found = self._regex.search(text, position)
            if found is None:
                return
            yield found.start()
            position = found.start() + 1

    def _match_at(self, text: str, start: int) -> tuple[T, int, int] | None:
        """The longest term at ``start``, if any."""
        if self._index is None:
            found = self._regex.match(text, start)
            return (self._payloads[found.lastindex - 1], found.start(), found.end()) if found else None
        word = _WORD_START.match(text, start)
        if word is None:
            return None
        for pattern, payload in self._index.get(word.group().casefold(), ()):
            found = pattern.match(text, start)
            if found:
                return payload, found.start(), found.end()
        return None

    def _longer_inside(self, text: str, start: int, end: int) -> bool:
        """True when a longer term starts inside ``[start, end)`` and runs past its end."""
        for word in _WORD_START.finditer(text, start + 1, end):
            found = self._match_at(text, word.start())
            if found is not None and found[2] > end and found[2] - found[1] > end - start:
                return True
        return False


def entry_matcher(entries: Iterable[GlossaryEntry]) -> TermMatcher[GlossaryEntry]:
    """A matcher for the sources of ``entries`` (case-insensitive where flagged ``ci``)."""
    return TermMatcher((e.source, e.case_insensitive, e) for e in entries)
