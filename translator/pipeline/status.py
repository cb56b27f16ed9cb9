"""Statuses: where a segment's French came from, and whether a whole text is complete.

Both are :class:`enum.StrEnum`: a member equals its string (``SegmentStatus.FAILED == "failed"``)
and serialises as it (``json.dumps`` writes ``"failed"``), so the JSON the API, the
store and the batch files carry is the same as with bare strings.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

__all__ = ["SegmentStatus", "TextStatus", "text_status"]


class SegmentStatus(StrEnum):
    """Where one segment's French came from."""

    TRANSLATED = "translated"  # a model call
    MEMORY = "memory"          # the translation memory
    UNCHANGED = "unchanged"    # nothing to translate (numbers, punctuation): the source as it is
    FAILED = "failed"          # no usable translation: the English kept in place


class TextStatus(StrEnum):
    """Whether a text (or an article) is wholly French."""

    OK = "ok"
    PARTIAL = "partial"  # at least one segment kept its English


def text_status(counts: Mapping[str, int]) -> TextStatus:
    """:attr:`TextStatus.PARTIAL` when the segment ``counts`` have a failed one, else :attr:`TextStatus.OK`."""
    return TextStatus.PARTIAL if counts.get(SegmentStatus.FAILED, 0) else TextStatus.OK
