"""From model tokens and cross-attention to character-level alignment (:class:`AlignedPiece`).

The recipe is the one Marian's and Bergamot's HTML handling use: for every
generated token, average the cross-attention heads of the upper decoder
layer(s), take the source token with the most weight, and map both tokens to
character offsets. SentencePiece pieces carry ``▁`` where a word starts, so
the offsets are found by walking the text piece by piece. Attention on
function words is noisy: callers anchor on content words and fall back when
a span is not contiguous.
"""

from __future__ import annotations

from collections.abc import Sequence

from .results import AlignedPiece

__all__ = ["align_pieces", "piece_spans"]

_WORD_START = "\u2581"  # SentencePiece's "▁"


def piece_spans(text: str, pieces: Sequence[str]) -> list[tuple[int, int]]:
    """The ``(start, end)`` character span of each SentencePiece piece in ``text``.

    Pieces are matched left to right; white space in ``text`` between pieces
    is skipped. A piece that does not match where expected (the tokenizer
    normalised a quote, or ``<unk>``) takes as many characters as it has, so
    the spans stay in order and never overlap; an empty piece gets an empty
    span at the current position.
    """
    spans: list[tuple[int, int]] = []
    cursor = 0
    for piece in pieces:
        surface = piece.replace(_WORD_START, " ").strip()
        while cursor < len(text) and text[cursor].isspace():
            cursor += 1
        if not surface:
            spans.append((cursor, cursor))
            continue
        if text.startswith(surface, cursor):
            end = cursor + len(surface)
        else:
            found = text.find(surface, cursor, cursor + len(surface) + 8)
            if found >= 0:
                cursor = found
                end = found + len(surface)
            else:
                end = min(len(text), cursor + len(surface))
        spans.append((cursor, end))
        cursor = end
    return spans


def align_pieces(attention: Sequence[Sequence[float]], source_spans: Sequence[tuple[int, int]],
                 target_spans: Sequence[tuple[int, int]]) -> tuple[AlignedPiece, ...]:
    """One :class:`AlignedPiece` per target piece: its span and that of its most-attended source piece.

    ``attention[t][s]``: weight of source token ``s`` when target token ``t``
    was generated (rows beyond ``target_spans`` and columns beyond
    ``source_spans``, e.g. end-of-sentence and padding, are ignored). Empty
    target pieces are left out, and so are source pieces with an empty span
    (special tokens): attention that rests on end-of-sentence says nothing
    about where a word came from.
    """
    candidates = [s for s, (start, end) in enumerate(source_spans) if end > start]
    aligned: list[AlignedPiece] = []
    if not candidates:
        return ()
    for t, (t_start, t_end) in enumerate(target_spans):
        if t_end <= t_start or t >= len(attention):
            continue
        row = attention[t]
        best = max((s for s in candidates if s < len(row)), key=row.__getitem__, default=None)
        if best is None:
            continue
        s_start, s_end = source_spans[best]
        aligned.append(AlignedPiece(t_start, t_end, s_start, s_end))
    return tuple(aligned)
