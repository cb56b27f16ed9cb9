"""Character offsets between two versions of a text (an edited copy of it)."""

from __future__ import annotations

import bisect
import difflib

__all__ = ["OffsetMap"]


class OffsetMap:
    """Maps a character offset of ``before`` to the matching offset of ``after`` (an edited copy).

    Built from difflib's matching blocks: unchanged stretches map one to one,
    replaced ones proportionally, deleted ones to where they were. Used to
    follow alignment offsets through the glossary's source rewrite and its
    output repairs, and glossary report offsets through French typography.
    """

    def __init__(self, before: str, after: str):
        self.identity = before == after
        self.length = len(after)
        if self.identity:
            return
        opcodes = difflib.SequenceMatcher(None, before, after, autojunk=False).get_opcodes()
        self._ops = [op for op in opcodes if op[1] < op[2]]  # insertions hold no offset of ``before``
        self._starts = [op[1] for op in self._ops]

    def __call__(self, offset: int) -> int:
        if self.identity:
            return offset
        index = bisect.bisect_right(self._starts, offset) - 1
        if index < 0:
            return 0
        tag, i1, i2, j1, j2 = self._ops[index]
        if offset >= i2:
            return j2 if index == len(self._ops) - 1 else self._ops[index + 1][3]
        if tag == "equal":
            return j1 + offset - i1
        if tag == "delete":
            return j1
        return j1 + round((offset - i1) * (j2 - j1) / (i2 - i1))

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Where the characters ``start:end`` of ``before`` are in ``after``: the start maps as an
        offset, the end as just after the last character (so a space or mark the edit inserted
        after the span stays outside it)."""
        if self.identity or start >= end:
            return self(start), self(start) if start >= end else self(end)
        return self(start), self(end - 1) + 1
