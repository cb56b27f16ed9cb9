"""Numbers in news copy: read them in English and in French, and check that none went missing.

A changed date, amount or percentage is a classic machine-translation error
in news. Each side is read in its own language's conventions:

* **English** (:func:`english_mentions`): ``1,234.5``, ``3.5``, ``5.375`` (a
  decimal: English never groups thousands with a dot), scale words (``5k``,
  ``$5m``, ``2.5bn``, ``3 million``), ordinals (``21st``), units (``8 per
  cent``, ``42 km``, ``12 kg``), currencies (``Rs 500``, ``$5m``, ``€25m``) and
  month names (``March 3, 2024``, ``in May``; :mod:`translator.text.months`).
* **French** (:func:`french_mentions`): ``1 234,5``, ``3,5``, ``1.000.000``,
  ``5 millions de dollars``, ``4,2 milliards``, ``12 %``, ``21e``, ``3 mars``, and
  what an engine leaves as the English wrote it (``2.5bn``, ``1,000``). A
  numeral that reads two ways in French is kept with both readings, and the
  English decides: ``5.375`` is 5 375 (a thousands dot) or 5.375 (a decimal
  point left in place); ``2,345`` is 2.345 or 2 345.

:func:`missing_numbers` names each English figure, unit or month the French
does not state: a value no French numeral can be read as (``lost``), a value
found without its unit (``unit changed``: "8 per cent" that became "8 par
céntimo"), a month not there (``month``). Values are compared as
:class:`~decimal.Decimal` with their scale applied (``$5m`` and ``5 millions de
dollars`` are both 5 000 000 dollars). Numbers glued to letters (COVID-19,
A320, MH370) are identifiers, not amounts, and are ignored on both sides.
:func:`french_number` writes a value the French way.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from .measures import (
    CURRENCY_SIGNS,
    ENGLISH_CURRENCY_WORDS,
    ENGLISH_SCALES,
    ENGLISH_UNITS,
    FRENCH_CURRENCY_WORDS,
    FRENCH_SCALES,
    FRENCH_UNITS,
)
from .months import english_months, french_months

__all__ = ["LOST", "MONTH", "UNIT", "Mention", "Missing", "english_mentions", "english_numbers", "french_mentions",
           "french_number", "french_numbers", "missing_numbers"]

#: Why a mention of the English is missing from the French.
LOST = "figure lost or changed"
UNIT = "unit lost or changed"
MONTH = "month lost or changed"

_SPACES = " \u00a0\u202f"
_SPACE = "[ \u00a0\u202f]"
_BEFORE = r"(?<![\w\-/.,])"
_END = r"(?![\w\-])"

_EN_NUMBER = re.compile(_BEFORE + r"(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?![.,]\d)")
_FR_NUMBER = re.compile(_BEFORE + r"(\d{1,3}(?:" + _SPACE + r"\d{3})+(?:,\d+)?(?!\d)"
                        r"|\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:[.,]\d+)?)(?![.,]\d)")


def _alternatives(words) -> str:
    return "|".join(re.escape(w).replace(r"\ ", _SPACE) for w in sorted(words, key=len, reverse=True))


# What may follow the digits: a scale (glued or spaced), an ordinal; then a unit; then a currency.
_EN_GLUED_SCALE = re.compile(r"(k|mn|m|bn|b|tn)" + _END)
_EN_SPACED_SCALE = re.compile(_SPACE + r"(k|mn|m|bn|tn|thousand|million|billion|trillion)s?" + _END, re.IGNORECASE)
_EN_ORDINAL = re.compile(r"(?:st|nd|rd|th)" + _END)
_EN_UNIT = re.compile(_SPACE + "?(" + _alternatives(ENGLISH_UNITS) + r")(?!\w)", re.IGNORECASE)
_EN_CURRENCY_AFTER = re.compile(_SPACE + "(" + _alternatives(ENGLISH_CURRENCY_WORDS) + r")\b", re.IGNORECASE)

_FR_GLUED_SCALE = re.compile(r"(k|mds|md|mn|bn|m)" + _END, re.IGNORECASE)
_FR_SPACED_SCALE = re.compile(_SPACE + r"(mille milliards|milliards?|millions?|mille|billions?|mds|md|bn|k)" + _END,
                              re.IGNORECASE)
_FR_SPACED_MILLION = re.compile(_SPACE + "(M)" + _END)     # "5 M$"; a lower-case "5 m" is five metres
_FR_ORDINAL = re.compile(r"(?:er|re|e|ème|eme|è|º|ᵉ)" + _END)
_FR_UNIT = re.compile(_SPACE + "?(" + _alternatives(FRENCH_UNITS) + r")(?!\w)", re.IGNORECASE)
_FR_UNIT_AFTER_SCALE = re.compile(_SPACE + "(?:de" + _SPACE + "|d['’])(" + _alternatives(FRENCH_UNITS) + r")(?!\w)",
                                  re.IGNORECASE)
_FR_CURRENCY_AFTER = re.compile(_SPACE + "?(?:(\\$|€|£)|(?:de" + _SPACE + "|d['’])?(" +
                                _alternatives(FRENCH_CURRENCY_WORDS) + r")\b)", re.IGNORECASE)
_CURRENCY_BEFORE = re.compile(r"(?<!\w)(" + _alternatives(CURRENCY_SIGNS) + ")" + _SPACE + "?$", re.IGNORECASE)
_GLUED = re.compile(r"[\w\-]")


@dataclass(frozen=True)
class Mention:
    """A figure or a month in a text, at ``text[start:end]``.

    ``values``: what the figure reads as, scale applied (one reading in
    English; two where a French numeral is ambiguous); ``unit``: ``%``,
    ``km``, a currency sign...; ``month``: 1-12 for a month name.
    """

    start: int
    end: int
    values: tuple[Decimal, ...] = ()
    unit: str | None = None
    month: int | None = None


@dataclass(frozen=True)
class Missing:
    """An English mention (``source[start:end]``) the French does not state, and why."""

    start: int
    end: int
    text: str
    reason: str


def _decimal(digits: str) -> Decimal | None:
    try:
        return Decimal(digits)
    except InvalidOperation:
        return None


def _scaled(values, power: int) -> tuple[Decimal, ...]:
    return tuple(dict.fromkeys(v.scaleb(power).normalize() for v in values if v is not None))


def _currency_before(text: str, start: int) -> str | None:
    found = _CURRENCY_BEFORE.search(text, max(0, start - 6), start)
    return CURRENCY_SIGNS[found.group(1).lower()] if found else None


def _english_readings(numeral: str) -> list[Decimal | None]:
    """An English numeral: commas group thousands, a point is a decimal point."""
    return [_decimal(numeral.replace(",", ""))]


def _french_readings(numeral: str) -> list[Decimal | None]:
    """What a numeral in French copy can mean, French reading first."""
    digits = numeral
    for space in _SPACES:
        digits = digits.replace(space, "")
    if digits != numeral:                                          # 1 234 567,89
        return [_decimal(digits.replace(",", "."))]
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?", numeral):
        french = _decimal(numeral.replace(".", "").replace(",", "."))
        if re.fullmatch(r"\d{1,3}\.\d{3}", numeral):                # 5.375: thousands dot, or a decimal point
            return [french, _decimal(numeral)]
        return [french]
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", numeral):
        english = _decimal(numeral.replace(",", ""))
        if re.fullmatch(r"\d{1,3},\d{3}", numeral):                 # 2,345: decimal comma, or English thousands
            return [_decimal(numeral.replace(",", ".")), english]
        return [english]                                           # 1,234,567 or 2,140.35: as the English wrote it
    return [_decimal(numeral.replace(",", "."))]                   # 3,5 or 3.5 (a point left in place)


@dataclass(frozen=True)
class _Conventions:
    """How one language writes figures: its numerals and the words that may follow them."""

    number: re.Pattern
    readings: Callable[[str], list[Decimal | None]]
    scales: tuple[re.Pattern, ...]
    scale_powers: dict[str, int]
    ordinal: re.Pattern
    unit: re.Pattern
    unit_after_scale: re.Pattern | None
    units: dict[str, str]
    currency_after: re.Pattern
    currency_words: dict[str, str]


_ENGLISH = _Conventions(_EN_NUMBER, _english_readings, (_EN_GLUED_SCALE, _EN_SPACED_SCALE), ENGLISH_SCALES,
                        _EN_ORDINAL, _EN_UNIT, None, ENGLISH_UNITS, _EN_CURRENCY_AFTER, ENGLISH_CURRENCY_WORDS)
_FRENCH = _Conventions(_FR_NUMBER, _french_readings, (_FR_GLUED_SCALE, _FR_SPACED_SCALE, _FR_SPACED_MILLION),
                       FRENCH_SCALES, _FR_ORDINAL, _FR_UNIT, _FR_UNIT_AFTER_SCALE, FRENCH_UNITS, _FR_CURRENCY_AFTER,
                       FRENCH_CURRENCY_WORDS)


def _figures(text: str, c: _Conventions) -> list[Mention]:
    """The figures of ``text`` read in the conventions ``c``: numeral, scale or ordinal, unit, currency."""
    mentions = []
    for m in c.number.finditer(text):
        position, power = m.end(), 0
        currency = _currency_before(text, m.start())
        scale = next((found for found in (p.match(text, position) for p in c.scales) if found), None)
        if scale and scale.group(1) == "m" and scale.group()[:1].isspace() and currency is None:
            scale = None     # "3.5 m": metres
        if scale:
            word = scale.group(1).lower()
            power = c.scale_powers[word.rstrip("s") if word.rstrip("s") in c.scale_powers else word]
            position = scale.end()
        else:
            ordinal = c.ordinal.match(text, position)
            position = ordinal.end() if ordinal else position
        unit = None
        found = c.unit.match(text, position)
        if found is None and _GLUED.match(text, position):
            continue     # glued to letters: an identifier
        if found is None and scale and c.unit_after_scale is not None:
            found = c.unit_after_scale.match(text, position)     # "7,2 millions de tonnes"
        if found and currency is None:
            unit, position = c.units[found.group(1).lower()], found.end()
        found = c.currency_after.match(text, position)
        if found and unit is None and currency is None:
            word = " ".join(next(g for g in found.groups() if g).lower().split())
            currency, position = CURRENCY_SIGNS.get(word) or c.currency_words[word], found.end()
        start = m.start()
        if currency is not None:
            sign = _CURRENCY_BEFORE.search(text, max(0, start - 6), start)
            start = sign.start() if sign else start
        mentions.append(Mention(start, position, _scaled(c.readings(m.group(1)), power), unit or currency))
    return mentions


def english_mentions(text: str) -> list[Mention]:
    """The figures and months an English text states, in order."""
    mentions = _figures(text, _ENGLISH) + [Mention(s, e, month=month) for s, e, month in english_months(text)]
    return sorted(mentions, key=lambda x: x.start)


def french_mentions(text: str) -> list[Mention]:
    """The figures and months a French text states, in order (ambiguous numerals with every reading)."""
    mentions = _figures(text, _FRENCH) + [Mention(s, e, month=month) for s, e, month in french_months(text)]
    return sorted(mentions, key=lambda x: x.start)


def english_numbers(text: str) -> list[Decimal]:
    """The values an English text states, in order (scales applied: ``$5m`` is 5 000 000)."""
    return [m.values[0] for m in english_mentions(text) if m.values]


def french_numbers(text: str) -> list[Decimal]:
    """The values a French text states, in order (an ambiguous numeral: its French reading)."""
    return [m.values[0] for m in french_mentions(text) if m.values]


def missing_numbers(source: str, target: str) -> list[Missing]:
    """Each figure, unit or month of the English ``source`` that the French ``target`` does not state
    (as many times as the source does), in source order."""
    english = english_mentions(source)
    french = french_mentions(target)
    figures = [f for f in french if f.values]
    used: set[int] = set()
    missing: list[Missing] = []

    def take(mention: Mention, same_unit: bool) -> bool:
        for j, f in enumerate(figures):
            if j not in used and mention.values[0] in f.values and (
                    not same_unit or mention.unit is None or f.unit == mention.unit):
                used.add(j)
                return True
        return False

    numbers = [e for e in english if e.values]
    # Mentions with a unit first, so that a bare "5" never takes the French "5 %" the English "5%" needs.
    unmatched = [e for e in sorted(numbers, key=lambda e: e.unit is None) if not take(e, same_unit=True)]
    for e in unmatched:
        missing.append(Missing(e.start, e.end, source[e.start:e.end], UNIT if take(e, same_unit=False) else LOST))
    months = [f.month for f in french if f.month is not None]
    for e in english:
        if e.month is None:
            continue
        if e.month in months:
            months.remove(e.month)
        else:
            missing.append(Missing(e.start, e.end, source[e.start:e.end], MONTH))
    return sorted(missing, key=lambda x: x.start)


def french_number(value: Decimal | str | int | float, *, thousands: str = "\u00a0") -> str:
    """``value`` written the French way: decimal comma and ``thousands`` between groups of three
    (``3,5``; ``1 000``; ``2 500 000``). Meant for amounts, not years (``2 024`` is wrong)."""
    number = Decimal(str(value))
    sign = "-" if number < 0 else ""
    text = format(abs(number), "f")
    whole, _, decimals = text.partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    return sign + thousands.join(groups) + ("," + decimals if decimals else "")
