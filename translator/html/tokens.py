"""The word tokens inline tags snap to."""

from __future__ import annotations

import re

__all__ = ["TOKEN", "tokens"]

#: A word or one other non-space character: what a tag may start or end on. A word keeps its hyphens and
#: apostrophes between letters, so a tag never cuts a hyphenated name (Port-Louis, Jean-Claude) or separates
#: an elided article from its noun (l'ONU, d’île); a number keeps its decimal comma or point and the
#: (no-break) spaces between its thousands, which French typography puts there (3,5; 12 000).
TOKEN = re.compile(r"\w+(?:(?:[-\u2010\u2011'\u2019]|(?<=\d)[.,\u00a0\u202f](?=\d))\w+)*|[^\w\s]")


def tokens(text: str) -> list[tuple[int, int]]:
    """The ``(start, end)`` of every token of ``text``."""
    return [m.span() for m in TOKEN.finditer(text)]
