"""Parts of a text the glossary must leave alone, and all-caps text.

URLs, e-mail addresses, @handles and #hashtags are never matched in the
English, never counted in the French and never repaired: "reuters.com" and
"@Reuters" are not the agency's name in running text.

All-caps text (a headline in capitals) is matched case-insensitively, and the
French form is upper-cased to match ("VLADIMIR PUTIN" -> "VLADIMIR POUTINE").
"""

from __future__ import annotations

import re
from collections.abc import Sequence

__all__ = ["PROTECTED", "is_all_caps", "overlaps", "protected_spans", "starts_sentence"]

#: URLs, e-mail addresses, @handles and #hashtags.
PROTECTED = re.compile(
    r"(?:https?://|www\.)[^\s<>\"']+"          # URLs
    r"|(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+"  # e-mail addresses
    r"|(?<![\w@])@\w+"                       # @handles
    r"|(?<![\w#&])#\w+",                     # #hashtags
    re.IGNORECASE)

#: Fewest cased letters for a text to count as all-caps ("US" alone is not a headline).
_CAPS_MIN_LETTERS = 4


def protected_spans(text: str) -> list[tuple[int, int]]:
    """The (start, end) of every URL, e-mail address, @handle and #hashtag in ``text``."""
    return [m.span() for m in PROTECTED.finditer(text)]


def overlaps(start: int, end: int, spans: Sequence[tuple[int, int]]) -> bool:
    """True when ``[start, end)`` overlaps any of ``spans``."""
    return any(start < e and s < end for s, e in spans)


def is_all_caps(text: str, protected: Sequence[tuple[int, int]] = ()) -> bool:
    """True when every cased letter of ``text`` outside ``protected`` is a capital (and there
    are at least a few): a headline written in capitals."""
    cased = 0
    position = 0
    for start, end in [*protected, (len(text), len(text))]:
        for ch in text[position:start]:
            if ch.islower():
                return False
            if ch.isupper():
                cased += 1
        position = max(position, end)
    return cased >= _CAPS_MIN_LETTERS


_OPENERS = "\"'«“‘(\u00a0 \t"


def starts_sentence(text: str, start: int) -> bool:
    """True when ``text[start]`` begins a sentence: the start of the text or of a line, or after
    ``.``, ``!``, ``?``, ``:`` or ``;`` and a space (opening quotes and brackets skipped)."""
    i = start
    while i > 0 and text[i - 1] in _OPENERS:
        i -= 1
    if i == 0 or text[i - 1] == "\n":
        return True
    return i < start and text[i - 1] in ".!?:;" and any(ch.isspace() for ch in text[i:start])
