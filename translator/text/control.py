"""Characters no article may carry: C0 control characters other than tab, newline and carriage return,
DEL, and the non-characters U+FFFE and U+FFFF.

They are never news text, XML (hence every HTML path, through lxml) cannot hold them, and a model's
tokenizer turns them into noise. Input holding one is refused at the door (the API answers 400, batch
skips the article with the reason), rather than stored and failing on every later read.
"""

from __future__ import annotations

import re

__all__ = ["describe_control_character", "find_control_character"]

_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def find_control_character(text: str) -> int | None:
    """The offset of the first forbidden character in ``text``, None when there is none."""
    match = _FORBIDDEN.search(text)
    return None if match is None else match.start()


def describe_control_character(text: str, offset: int) -> str:
    """``"control character U+0004 at offset 1"`` (what error messages say)."""
    return f"control character U+{ord(text[offset]):04X} at offset {offset}"
