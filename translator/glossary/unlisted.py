"""Names the glossary does not cover: capitalised word sequences that look like proper nouns.

The glossary report lists them as ``unlisted`` so that a name without an
entry is never silently left to the model, and ``translator glossary
suggest`` counts them across articles so editors can grow the glossary from
real copy.

A candidate is a run of capitalised words joined by single spaces or
hyphens, possibly with lower-case particles inside ("Bank of Mauritius",
"Mohammed bin Salman"). Runs are cut at titles, days and months
("President", "Minister", "Monday", "May 5": :mod:`translator.text.months`;
a portfolio word such as "Finance" only before a title: "Finance Minister",
but "Finance Act"), at a possessive ("Ukraine's"), and lose a first word
that is an ordinary English word at the start of a sentence ("The Kremlin"
-> "Kremlin", "Thousands of Mauritians"). Dropped: a lone word starting a
sentence ("Talks resumed"; kept when it is an acronym or a possessive), a
lone adjective or demonym ("Russian", "Malagasy", "Mauritians"), the acronym
of an ordinary noun or a unit ("GDP", "Rs", "MW"), page furniture ("Read
More", "ADVERTISEMENT"; :mod:`.not_names`), and a run that glossary entries
cover entirely.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence

from ..text.months import english_months
from .matching import APOSTROPHES
from .not_names import is_adjective, is_common_acronym, is_furniture
from .spans import starts_sentence
from .words import PORTFOLIOS, TITLES, is_english_common

__all__ = ["CONNECTORS", "find_unlisted"]

#: Lower-case words that may sit inside a name ("ek": Mauritian Creole "and", Rezistans ek Alternativ).
CONNECTORS = frozenset({"of", "the", "for", "de", "du", "des", "la", "le", "al", "el", "bin", "ben", "ibn",
                        "von", "van", "der", "den", "da", "di", "dos", "y", "ek"})
_DAYS = frozenset("monday tuesday wednesday thursday friday saturday sunday".split())

_TOKEN = re.compile(r"\w+(?:[-" + re.escape(APOSTROPHES) + r"]\w+)*")
_JOIN = re.compile(r"[ \u00a0]|-")
_POSSESSIVE = re.compile(r"[" + re.escape(APOSTROPHES) + r"]s$")


def _capitalised(word: str) -> bool:
    return word[:1].isupper() or (word[:1].isdigit() and any(ch.isupper() for ch in word))


def _is_break(word: str, following: str, month: bool) -> bool:
    """A word that ends a name: a title, a day or month, a portfolio word before a title."""
    folded = word.casefold()
    return (month or folded in TITLES or folded in _DAYS
            or (folded in PORTFOLIOS and following.casefold() in TITLES))


def _inside(start: int, end: int, spans: Sequence[tuple[int, int]], starts: Sequence[int]) -> bool:
    """True when ``[start, end)`` lies inside one of the sorted, non-overlapping ``spans``."""
    i = bisect.bisect_right(starts, start) - 1
    return i >= 0 and spans[i][1] >= end


def find_unlisted(text: str, covered: Sequence[tuple[int, int]] = (),
                  protected: Sequence[tuple[int, int]] = ()) -> list[tuple[int, int]]:
    """``(start, end)`` of each capitalised name in ``text`` that ``covered`` spans (glossary
    matches) do not cover entirely; nothing inside ``protected`` spans (URLs, handles)."""
    if not any(ch.islower() for ch in text) or is_furniture(text):
        return []     # all-caps text (every word is capitalised, nothing can be told apart), or a page label
    tokens = [m for m in _TOKEN.finditer(text)
              if not any(s < m.end() and m.start() < e for s, e in protected)]
    months = {start for start, _, _ in english_months(text)}
    runs: list[list[tuple[int, int, str]]] = []
    possessives: set[int] = set()   # starts of runs that ended with a possessive ("Ukraine's")
    current: list[tuple[int, int, str]] = []
    for k, m in enumerate(tokens):
        word, start, end = m.group(), m.start(), m.end()
        following = tokens[k + 1].group() if k + 1 < len(tokens) else ""
        joined = bool(current) and bool(_JOIN.fullmatch(text[current[-1][1]:start]))
        possessive = bool(_POSSESSIVE.search(word))
        if possessive:
            word, end = word[:-2], end - 2
        if _capitalised(word) and not _is_break(word, following, start in months):
            if not joined:
                if current:
                    runs.append(current)
                current = []
            current.append((start, end, word))
        elif word in CONNECTORS and current and joined:
            current.append((start, end, word))
        else:
            if current:
                runs.append(current)
            current = []
        if possessive and current:
            possessives.add(current[0][0])
            runs.append(current)
            current = []
    if current:
        runs.append(current)

    covered = sorted(covered)
    starts = [s for s, _ in covered]
    found: list[tuple[int, int]] = []
    for run in runs:
        while run and run[-1][2] in CONNECTORS:
            run = run[:-1]
        if not run or is_furniture(text[run[0][0]:run[-1][1]]):
            continue
        initial = starts_sentence(text, run[0][0])
        if initial and is_english_common(run[0][2]):
            run = run[1:]
            while run and run[0][2] in CONNECTORS:
                run = run[1:]
            if not run:
                continue
            initial = False
        if len(run) == 1:
            word = run[0][2]
            # A lone capitalised word starting a sentence is most often an ordinary word ("Talks
            # resumed"): kept only as an acronym or a possessive ("Ukraine's").
            lone_initial = initial and not (word.isupper() or run[0][0] in possessives)
            if lone_initial or is_adjective(word) or is_common_acronym(word) or len(word) < 2:
                continue
        start, end = run[0][0], run[-1][1]
        words = [(s, e) for s, e, w in run if w not in CONNECTORS]
        if all(_inside(s, e, covered, starts) for s, e in words):
            continue
        found.append((start, end))
    return found
