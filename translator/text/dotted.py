"""Dotted numbers that are not decimals: clock times and the numbers of a text's parts.

News copy writes times with a dot ("at 7.45", "10.15 pm", "16.00 hours") and
numbers releases, sections, chapters and clauses the same way ("release
3.1", "clause 7.2"). French typography must not give them a decimal comma
("7,45" is a decimal). An engine copies such numbers as written but often
garbles the words around them ("en 7.45", "Émission 3.1"), so the English
says which they are:

* a time: ``H.MM`` (hours up to 24, minutes up to 59) after "at", or before
  "am", "pm", "hours", "tonight", "this morning"... and never with a unit
  ("at 4.50 per cent" is a rate);
* a part number: any dotted number after "release", "version", "section",
  "chapter", "clause", "article", "paragraph"...

Without the English, the French words for parts ("la version 3.1",
"l'article 5.2") are enough for part numbers.
"""

from __future__ import annotations

import re

from .numbers import english_mentions

__all__ = ["ENGLISH_PART_WORDS", "ENGLISH_TIME_AFTER", "ENGLISH_TIME_BEFORE", "FRENCH_PART_WORDS", "not_decimals"]

#: English words before a clock time written with a dot.
ENGLISH_TIME_BEFORE = ("at", "until", "till", "from", "by", "before", "after", "around")
#: English words after one.
ENGLISH_TIME_AFTER = ("am", "a.m.", "pm", "p.m.", "hours", "hrs", "h", "tonight", "this morning", "this afternoon",
                      "this evening", "at night", "in the morning", "in the afternoon", "in the evening", "local time",
                      "gmt", "utc")
#: Words that number the parts of a text, software or law, in English and in French.
ENGLISH_PART_WORDS = ("release", "version", "v", "section", "sections", "chapter", "clause", "clauses", "article",
                      "articles", "paragraph", "para", "rule", "part", "item", "annex", "schedule", "regulation",
                      "amendment", "table", "figure", "fig.")
FRENCH_PART_WORDS = ("version", "section", "chapitre", "clause", "article", "paragraphe", "alinéa", "règle", "partie",
                     "annexe", "tableau", "figure")

_SPACE = r"[ \u00a0\u202f]"


def _words(words) -> str:
    return "|".join(re.escape(w).replace(r"\ ", _SPACE) for w in sorted(words, key=len, reverse=True))


_NUMERAL = r"(?<![\w.,])\d+(?:\.\d+)+(?![\w]|[.,]\d)"
_TIME = re.compile(r"(?<![\w.,])([01]?\d|2[0-4])\.([0-5]\d)(?![\w]|[.,]\d)")
_TIME_BEFORE = re.compile(r"(?<!\w)(?:" + _words(ENGLISH_TIME_BEFORE) + ")" + _SPACE + "+$", re.IGNORECASE)
_TIME_AFTER = re.compile(_SPACE + "*(?:" + _words(ENGLISH_TIME_AFTER) + r")(?!\w)", re.IGNORECASE)
_EN_PART = re.compile(r"(?<!\w)(?:" + _words(ENGLISH_PART_WORDS) + ")" + _SPACE + "+(" + _NUMERAL + ")",
                      re.IGNORECASE)
_FR_PART = re.compile(r"(?<!\w)(?:" + _words(FRENCH_PART_WORDS) + ")" + _SPACE + "+(" + _NUMERAL + ")",
                      re.IGNORECASE)


def _english_kept(english: str) -> set[str]:
    """The dotted numerals the English marks as times or part numbers."""
    kept = {m.group(1) for m in _EN_PART.finditer(english)}
    with_units = {m.start for m in english_mentions(english) if m.unit is not None}
    for m in _TIME.finditer(english):
        if m.start() in with_units:
            continue
        if _TIME_BEFORE.search(english, max(0, m.start() - 12), m.start()) or _TIME_AFTER.match(english, m.end()):
            kept.add(m.group())
    return kept


def not_decimals(french: str, english: str | None = None) -> list[tuple[int, int]]:
    """``(start, end)`` of each dotted number in ``french`` that is a time or a part number, not a
    decimal (``english``: the source it was translated from, when known)."""
    spans = [m.span(1) for m in _FR_PART.finditer(french)]
    if english:
        for numeral in _english_kept(english):
            spans += [m.span() for m in re.finditer(r"(?<![\w.,])" + re.escape(numeral) + r"(?![\w]|[.,]\d)", french)]
    return sorted(set(spans))
