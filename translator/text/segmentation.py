"""Lossless article segmentation: paragraphs, then sentences, then segments under a token budget.

A text article is a sequence of paragraphs separated by blank lines. Each
paragraph is cut into sentences (pysbd, which ships its rules and needs no
download), and consecutive sentences are grouped into segments that stay
under a token budget. A "sentence" longer than the budget (lists, run-ons,
flattened tables) is cut at clause punctuation, then at whitespace, then,
for a single enormous word, between characters. Nothing is ever truncated:
concatenating every segment with its trailing whitespace gives back the
paragraph exactly.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

__all__ = ["Paragraph", "Segment", "is_translatable", "join_paragraphs", "segment_article",
           "split_paragraphs", "split_sentences"]

TokenCounter = Callable[[str], int]

_BLANK_LINE = re.compile(r"\n[ \t\r\f\v]*\n\s*")
_URL_OR_EMAIL = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+\.\w+", re.IGNORECASE)
_CLAUSE_END = re.compile(r"(?<=[,;:)\]–—])\s+|\s+(?=[-–—(]\s)")
_WHITESPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Segment:
    """One unit sent to the engine: ``text`` plus the whitespace that followed it in the source."""

    text: str
    trailing: str = ""

    @property
    def translatable(self) -> bool:
        """False for numbers, URLs and punctuation: they pass through without a model call."""
        return is_translatable(self.text)


@dataclass(frozen=True)
class Paragraph:
    """A paragraph as consecutive segments; ``source`` is the exact paragraph text."""

    segments: tuple[Segment, ...]

    @property
    def source(self) -> str:
        return "".join(s.text + s.trailing for s in self.segments)


def is_translatable(text: str) -> bool:
    """True when ``text`` has letters outside URLs and e-mail addresses."""
    return any(ch.isalpha() for ch in _URL_OR_EMAIL.sub("", text))


def split_paragraphs(text: str) -> list[str]:
    """Blocks separated by blank lines, stripped; empty blocks dropped."""
    blocks = _BLANK_LINE.split(text.replace("\r\n", "\n").strip())
    return [b.strip() for b in blocks if b.strip()]


def join_paragraphs(paragraphs: list[str]) -> str:
    """The inverse of :func:`split_paragraphs`: one blank line between paragraphs."""
    return "\n\n".join(paragraphs)


@lru_cache(maxsize=1)
def _sentence_splitter():
    import pysbd

    return pysbd.Segmenter(language="en", clean=False, char_span=True)


def split_sentences(paragraph: str) -> list[Segment]:
    """Sentences of ``paragraph``, each with its trailing whitespace; lossless."""
    spans = _sentence_splitter().segment(paragraph)
    pieces: list[Segment] = []
    position = 0
    for span in spans:
        # pysbd's spans cover the text; take our own slices so nothing can go missing.
        end = max(position, min(span.end, len(paragraph)))
        if end > position:
            pieces.extend(_with_trailing(paragraph[position:end]))
        position = end
    if position < len(paragraph):
        pieces.extend(_with_trailing(paragraph[position:]))
    return _merge_blank(pieces)


def _with_trailing(chunk: str) -> list[Segment]:
    stripped = chunk.rstrip()
    leading = len(stripped) - len(stripped.lstrip())
    pieces = []
    if leading:  # whitespace before a sentence belongs to the previous one
        pieces.append(Segment("", stripped[:leading]))
    pieces.append(Segment(stripped[leading:], chunk[len(stripped):]))
    return pieces


def _merge_blank(pieces: list[Segment]) -> list[Segment]:
    merged: list[Segment] = []
    for piece in pieces:
        if not piece.text and merged:
            last = merged[-1]
            merged[-1] = Segment(last.text, last.trailing + piece.trailing)
        elif piece.text or piece.trailing:
            merged.append(piece)
    return merged


def _split_long(segment: Segment, count: TokenCounter, budget: int) -> list[Segment]:
    """Cut one over-long sentence at clause punctuation, then whitespace, then characters."""
    for pattern in (_CLAUSE_END, _WHITESPACE):
        parts = _split_keep(segment, pattern)
        if len(parts) > 1:
            return _pack(parts, count, budget)
    # One unbroken "word" over the budget: cut it between characters (halving).
    text = segment.text
    middle = len(text) // 2
    return (_split_long(Segment(text[:middle], ""), count, budget)
            + _split_long(Segment(text[middle:], segment.trailing), count, budget)
            if count(text) > budget and len(text) > 1 else [segment])


def _split_keep(segment: Segment, pattern: re.Pattern) -> list[Segment]:
    parts: list[Segment] = []
    start = 0
    for match in pattern.finditer(segment.text):
        if match.start() > start:
            parts.append(Segment(segment.text[start:match.start()], match.group()))
            start = match.end()
    parts.append(Segment(segment.text[start:], segment.trailing))
    return parts


def _pack(pieces: list[Segment], count: TokenCounter, budget: int) -> list[Segment]:
    """Greedily join consecutive pieces while the joined segment stays within ``budget``."""
    out: list[Segment] = []
    current: Segment | None = None
    current_tokens = 0
    for piece in pieces:
        tokens = count(piece.text) if piece.text else 0
        if tokens > budget:
            if current is not None:
                out.append(current)
                current, current_tokens = None, 0
            out.extend(_split_long(piece, count, budget))
            continue
        if current is None:
            current, current_tokens = piece, tokens
        elif current_tokens + tokens <= budget:
            # Counting the parts separately over-counts a little (one end-of-sentence each): safe.
            current = Segment(current.text + current.trailing + piece.text, piece.trailing)
            current_tokens += tokens
        else:
            out.append(current)
            current, current_tokens = piece, tokens
    if current is not None:
        out.append(current)
    return out


def segment_paragraph(paragraph: str, count: TokenCounter, budget: int) -> Paragraph:
    """Cut one paragraph into segments of at most ``budget`` tokens each."""
    if not is_translatable(paragraph):
        return Paragraph((Segment(paragraph, ""),))
    return Paragraph(tuple(_pack(split_sentences(paragraph), count, budget)))


def segment_article(text: str, count: TokenCounter, budget: int) -> list[Paragraph]:
    """Split an article into paragraphs of segments; see the module docstring."""
    return [segment_paragraph(p, count, budget) for p in split_paragraphs(text)]
