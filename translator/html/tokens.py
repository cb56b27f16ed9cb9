"""The word tokens inline tags snap to."""

from __future__ import annotations

import re

__all__ = ["TOKEN", "tokens"]

#: A word (letters, digits, underscore) or one other non-space character: what a tag may start or end on.
TOKEN = re.compile(r"\w+|[^\w\s]")


def tokens(text: str) -> list[tuple[int, int]]:
    """The ``(start, end)`` of every token of ``text``."""
    return [m.span() for m in TOKEN.finditer(text)]
