"""Length-sorted batching under a token budget, shared by every backend."""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["length_sorted_batches"]


def length_sorted_batches(lengths: Sequence[int], budget: int, *, streams: int = 1) -> list[list[int]]:
    """Group item indices into batches of similar length.

    Items are sorted by length (longest first) and a batch grows while

    * ``batch_size * longest_item`` (the padded size the model really
      computes) stays within ``budget``, and
    * it holds no more than its share of the items when ``streams`` batches
      can decode side by side, so that one article keeps every stream busy
      instead of filling a single batch.

    An item longer than the budget gets a batch of its own. Every index
    appears in exactly one batch.
    """
    order = sorted(range(len(lengths)), key=lambda i: lengths[i], reverse=True)
    per_batch = -(-len(order) // max(1, streams))  # ceil(items / streams)
    batches: list[list[int]] = []
    current: list[int] = []
    longest = 0
    for index in order:
        size = max(1, lengths[index])
        if current and (max(longest, size) * (len(current) + 1) > budget or len(current) >= per_batch):
            batches.append(current)
            current, longest = [], 0
        current.append(index)
        longest = max(longest, size)
    if current:
        batches.append(current)
    return batches
