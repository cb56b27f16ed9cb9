"""Length-sorted batching under a token budget, shared by every backend."""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["DEFAULT_PADDING", "length_sorted_batches", "padded_share"]

#: Most padding a batch may carry: its padded size over its real size, minus one.
#: A batch decodes as many steps as its longest member needs, so every row
#: shorter than the longest decodes padding steps that nobody uses (the torch
#: backend pays them all; CTranslate2 drops finished rows, but only once they
#: finish). 5% keeps that waste small while an article's paragraphs, which
#: differ in length by a few tokens at a time, still share batches.
DEFAULT_PADDING = 0.05


def length_sorted_batches(lengths: Sequence[int], budget: int, *, streams: int = 1,
                          padding: float | None = DEFAULT_PADDING) -> list[list[int]]:
    """Group item indices into batches of similar length.

    Items are sorted by length (longest first) and a batch grows while

    * ``batch_size * longest_item`` (the padded size the model really
      computes) stays within ``budget``,
    * it holds no more than its share of the items when ``streams`` batches
      can decode side by side, so that one article keeps every stream busy
      instead of filling a single batch, and
    * its padded size stays within ``1 + padding`` times the sum of its
      members' lengths (``padding=None``: no such limit), so that a batch
      ends at a natural length break (a title after the paragraphs) instead
      of making the short members decode as long as the longest.

    An item longer than the budget gets a batch of its own. Every index
    appears in exactly one batch; equal lengths keep their input order.
    """
    order = sorted(range(len(lengths)), key=lambda i: lengths[i], reverse=True)
    per_batch = -(-len(order) // max(1, streams))  # ceil(items / streams)
    batches: list[list[int]] = []
    current: list[int] = []
    longest = total = 0
    for index in order:
        size = max(1, lengths[index])
        if current:
            padded = max(longest, size) * (len(current) + 1)
            too_padded = padding is not None and padded > (1 + padding) * (total + size)
            if padded > budget or len(current) >= per_batch or too_padded:
                batches.append(current)
                current, longest, total = [], 0, 0
        current.append(index)
        longest = max(longest, size)
        total += size
    if current:
        batches.append(current)
    return batches


def padded_share(lengths: Sequence[int], batches: Sequence[Sequence[int]]) -> float:
    """Padded size of ``batches`` over the real size of their items (1.0: no padding)."""
    real = sum(max(1, lengths[i]) for batch in batches for i in batch)
    padded = sum(len(batch) * max(max(1, lengths[i]) for i in batch) for batch in batches if batch)
    return padded / real if real else 1.0
