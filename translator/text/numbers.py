"""Numbers in news copy: read them in English and in French, and check that none went missing.

A changed date, amount or percentage is a classic machine-translation error
in news. :func:`english_numbers` reads the values an English segment states
(``3.5``, ``1,000``, ``$5m``, ``12%``, ``March 3, 2024``); :func:`french_numbers`
reads a French one (``3,5``, ``1 000``, ``5 millions de dollars``, ``12 %``,
``3 mars 2024``), and :func:`missing_numbers` names the source values the
target does not state. :func:`french_number` writes a value the French way.

Values are compared as :class:`~decimal.Decimal` amounts with their scale
applied (``$5m`` and ``5 millions`` are both 5 000 000), so the check does not
care how the model phrased the scale. Numbers glued to letters (COVID-19,
A320, MH370) are identifiers, not amounts, and are ignored on both sides.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

__all__ = ["english_numbers", "french_number", "french_numbers", "missing_numbers"]

_SPACES = " \u00a0\u202f"
_BEFORE = r"(?<![\w\-/.,])"
_AFTER_NUMBER = r"(?![.,]\d)"

_EN_SCALES = {"k": 3, "thousand": 3, "m": 6, "mn": 6, "million": 6, "millions": 6, "bn": 9, "b": 9,
              "billion": 9, "billions": 9, "trillion": 12, "tn": 12, "trillions": 12}
_FR_SCALES = {"k": 3, "mille": 3, "m": 6, "million": 6, "millions": 6, "md": 9, "mds": 9, "milliard": 9,
              "milliards": 9, "billion": 12, "billions": 12, "mille milliards": 12}

# English: 1,234,567.89 | 3.5 | 1000 ; then an optional scale word (5m, 5 million, $5bn)
_EN = re.compile(_BEFORE + r"(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)" + _AFTER_NUMBER +
                 r"(?:\s?(k|mn|m|bn|b|tn|thousand|million|billion|trillion)s?\b)?"
                 r"(?:st|nd|rd|th)?(?![\w\-])", re.IGNORECASE)
# French: 1 234 567,89 | 1.234.567 | 3,5 | 3.5 | 1000 ; then an optional scale word
_FR = re.compile(_BEFORE + r"(\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:,\d+)?|\d{1,3}(?:\.\d{3})+(?!\d)(?:,\d+)?"
                 r"|\d+(?:[.,]\d+)?)" + _AFTER_NUMBER +
                 r"(?:[ \u00a0\u202f]?(k|md|mds|m|mille milliards|mille|millions?|milliards?|billions?)\b)?"
                 r"(?:er|re|e|ème|eme)?(?![\w\-])", re.IGNORECASE)


def _value(digits: str, scale_word: str | None, scales: dict[str, int]) -> Decimal | None:
    try:
        value = Decimal(digits)
    except InvalidOperation:
        return None
    if scale_word:
        value = value.scaleb(scales[scale_word.lower()])
    return value.normalize()


def english_numbers(text: str) -> list[Decimal]:
    """The values an English text states, in order (scales applied: ``$5m`` is 5 000 000)."""
    found = []
    for match in _EN.finditer(text):
        value = _value(match.group(1).replace(",", ""), match.group(2), _EN_SCALES)
        if value is not None:
            found.append(value)
    return found


def french_numbers(text: str) -> list[Decimal]:
    """The values a French text states, in order.

    Reads the French forms (``3,5``; ``1 000`` with any space; ``1.000`` as
    thousands; ``5 millions``, ``5 Md``) and English decimals a model may have
    left (``3.5``).
    """
    found = []
    for match in _FR.finditer(text):
        digits = match.group(1)
        for space in _SPACES:
            digits = digits.replace(space, "")
        if re.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?", match.group(1)):
            digits = digits.replace(".", "")  # 1.000.000 (thousands dots)
        digits = digits.replace(",", ".")
        value = _value(digits, match.group(2), _FR_SCALES)
        if value is not None:
            found.append(value)
    return found


def missing_numbers(source: str, target: str) -> list[Decimal]:
    """The values stated in the English ``source`` that the French ``target`` does not state
    (as many times as the source does), in source order."""
    available = french_numbers(target)
    missing = []
    for value in english_numbers(source):
        if value in available:
            available.remove(value)
        else:
            missing.append(value)
    return missing


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
