"""What an article id may be, for every way in (the API, batch, the feed): one rule.

An id is addressable by the API: at most :data:`MAX_ID_LENGTH` characters, no control character (a
URL path holding one is refused), not ending in ``/translations/<lang>`` (that URL is the translation).
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["MAX_ID_LENGTH", "id_problem"]

MAX_ID_LENGTH = 200
_TRANSLATION_SUFFIX = re.compile(r"/translations/[^/]+(?:/segments/[^/]+(?:/approve)?)?$")


def id_problem(article_id: str) -> str | None:
    """Why ``article_id`` cannot be an article's id, or None when it can."""
    if not article_id:
        return "article id is empty"
    if len(article_id) > MAX_ID_LENGTH:
        return f"article id too long: {len(article_id)} characters (at most {MAX_ID_LENGTH})"
    for index, char in enumerate(article_id):
        if unicodedata.category(char) == "Cc":
            return f"article id holds a control character (U+{ord(char):04X} at {index})"
    if article_id.startswith("/") or _TRANSLATION_SUFFIX.search(article_id):
        return "article id cannot start with '/' or end in /translations/<lang> (the API could not address it)"
    return None
