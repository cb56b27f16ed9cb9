"""Month names in English and French, and where a text mentions a month.

The numbers check compares the months of a date on both sides (a date whose
month the engine mangled must be flagged), and the glossary's ``unlisted``
report must not take a month for a name ("May" is also a surname and a verb).

English month names count as months when they are capitalised and either
stand next to a number ("May 12", "12 May 2024", "Sept. 3") or follow a word
of time ("in May", "since March", "last December"); the words that are also
ordinary words or names ("May", "March") count only then, the others
anywhere. French month names are lower-case words ("12 mai"), matched in any
case, with their usual abbreviations ("sept.", "janv.").
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["ENGLISH_MONTHS", "FRENCH_MONTHS", "english_months", "french_months", "is_month_name"]

#: English month names and abbreviations -> month number.
ENGLISH_MONTHS: dict[str, int] = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
    "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10,
    "nov": 11, "dec": 12,
}
#: French month names and abbreviations (accents folded) -> month number.
FRENCH_MONTHS: dict[str, int] = {
    "janvier": 1, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7, "aout": 8,
    "septembre": 9, "octobre": 10, "novembre": 11, "decembre": 12,
    "janv": 1, "fevr": 2, "fev": 2, "avr": 4, "juil": 7, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}
# English names that are ordinary words or names too ("May", "March"), and every abbreviation: months
# only beside a number or after a word of time.
_EN_AMBIGUOUS = frozenset({"may", "march"}) | {k for k in ENGLISH_MONTHS if len(k) <= 4 and k != "june" and
                                              k != "july"}
_EN_TIME_WORDS = frozenset("in on since until till by from last next early late mid of during before after "
                           "through between and or to this".split())
_FR_ABBREVIATIONS = frozenset(k for k in FRENCH_MONTHS if k in {"janv", "fevr", "fev", "avr", "juil", "sept", "oct",
                                                                "nov", "dec"})

_WORD = re.compile(r"[^\W\d_]+\.?")
_NUMBER_AFTER = re.compile(r"[ \u00a0\u202f]?\d")
_NUMBER_BEFORE = re.compile(r"\d(?:st|nd|rd|th)?[ \u00a0\u202f]$")
_WORD_BEFORE = re.compile(r"(\w+)[ \u00a0\u202f]+$")


def _fold(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def is_month_name(word: str) -> bool:
    """True when ``word`` (any case, a trailing dot allowed) is an English month name or abbreviation."""
    return word.rstrip(".").casefold() in ENGLISH_MONTHS


def english_months(text: str) -> list[tuple[int, int, int]]:
    """``(start, end, month)`` of each month an English ``text`` mentions."""
    found = []
    for m in _WORD.finditer(text):
        word = m.group()
        bare = word.rstrip(".")
        key = bare.casefold()
        if key not in ENGLISH_MONTHS or not bare[:1].isupper() or (bare.isupper() and len(bare) > 1):
            continue
        abbreviation = key not in ("may", "june", "july") and len(key) <= 4
        if abbreviation and not word.endswith(".") and not _NUMBER_AFTER.match(text, m.end()):
            continue     # "Mar", "Dec" alone are not dates
        if key in _EN_AMBIGUOUS:
            before = _WORD_BEFORE.search(text, 0, m.start())
            beside_number = bool(_NUMBER_AFTER.match(text, m.end()) or _NUMBER_BEFORE.search(text, 0, m.start()))
            after_time_word = before is not None and before.group(1).casefold() in _EN_TIME_WORDS
            if not (beside_number or after_time_word):
                continue
        end = m.start() + len(bare) + (1 if abbreviation and word.endswith(".") else 0)
        found.append((m.start(), end, ENGLISH_MONTHS[key]))
    return found


def french_months(text: str) -> list[tuple[int, int, int]]:
    """``(start, end, month)`` of each month a French ``text`` mentions (English names the engine left
    in place count too: the month is not lost)."""
    found = []
    for m in _WORD.finditer(text):
        word = m.group()
        bare = word.rstrip(".")
        key = _fold(bare)
        if key in FRENCH_MONTHS and (key not in _FR_ABBREVIATIONS or word.endswith(".")
                                     or key in ("mars", "mai", "juin")):
            found.append((m.start(), m.start() + len(bare), FRENCH_MONTHS[key]))
        elif bare[:1].isupper() and (len(_fold(bare)) > 4 or _fold(bare) in ("may", "june", "july")):
            # An English month name the engine left in the French ("en March"): the month is there.
            if _fold(bare) in ENGLISH_MONTHS:
                found.append((m.start(), m.start() + len(bare), ENGLISH_MONTHS[_fold(bare)]))
    return found
