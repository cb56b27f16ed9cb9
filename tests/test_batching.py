"""Length-sorted batching: the budget, the streams and the padding limit, exactly; output order kept."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from translator.engines import length_sorted_batches
from translator.engines.batched import BatchedEngine, DecodedOutput
from translator.engines.batching import DEFAULT_PADDING, padded_share


@pytest.mark.parametrize("lengths, budget, streams, expected", [
    ([5, 4, 3], 100, 1, [[0, 1, 2]]),
    ([10, 10, 10], 20, 1, [[0, 1], [2]]),           # budget: 3 x 10 > 20
    ([50, 2, 2], 10, 1, [[0], [1, 2]]),             # longer than the budget: a batch of its own
    ([5, 1, 3], 100, 1, [[0, 2, 1]]),
    ([9, 100, 90, 80, 95, 85], 2048, 2, [[1, 4, 2], [5, 3, 0]]),  # an article on two streams
    ([8, 8, 8, 8, 8], 100, 2, [[0, 1, 2], [3, 4]]),  # two streams: no batch takes more than its share
    ([8, 8, 8], 100, 4, [[0], [1], [2]]),
    ([7, 7], 100, 1, [[0, 1]]),                     # equal lengths keep input order
    ([], 10, 2, []),
])
def test_length_sorted_batches_without_padding_limit(lengths, budget, streams, expected):
    assert length_sorted_batches(lengths, budget, streams=streams, padding=None) == expected


@pytest.mark.parametrize("lengths, streams, padding, expected", [
    ([5, 4, 3], 1, 0.05, [[0], [1], [2]]),               # every step down is more than 5%
    ([100, 99, 98, 12], 1, 0.05, [[0, 1, 2], [3]]),      # the title leaves the paragraphs' batch
    ([100, 99, 98, 12], 1, None, [[0, 1, 2, 3]]),
    ([100, 96, 90, 70], 1, 0.10, [[0, 1, 2], [3]]),      # 3 x 100 <= 1.1 x 286; 4 x 100 > 1.1 x 356
    ([9, 100, 90, 80, 95, 85], 2, 0.05, [[1, 4], [2, 5], [3], [0]]),
    ([40, 40, 40, 40], 2, 0.0, [[0, 1], [2, 3]]),        # equal lengths: no padding at all
])
def test_batches_end_at_length_breaks(lengths, streams, padding, expected):
    assert length_sorted_batches(lengths, 2048, streams=streams, padding=padding) == expected


@given(st.lists(st.integers(min_value=0, max_value=600), max_size=60),
       st.integers(min_value=1, max_value=4096), st.integers(min_value=1, max_value=8))
def test_every_item_lands_in_exactly_one_batch_that_keeps_the_rules(lengths, budget, streams):
    batches = length_sorted_batches(lengths, budget, streams=streams, padding=None)
    assert sorted(i for batch in batches for i in batch) == list(range(len(lengths)))
    per_batch = -(-len(lengths) // streams)
    for batch in batches:
        sizes = [max(1, lengths[i]) for i in batch]
        assert sizes == sorted(sizes, reverse=True)
        assert len(batch) <= per_batch
        assert len(batch) == 1 or len(batch) * sizes[0] <= budget
    # Sorted longest first across batches too: a batch never holds an item longer than an earlier one's.
    flat = [max(1, lengths[i]) for batch in batches for i in batch]
    assert flat == sorted(flat, reverse=True)


@given(st.lists(st.integers(min_value=0, max_value=600), max_size=60),
       st.integers(min_value=1, max_value=4096), st.integers(min_value=1, max_value=8),
       st.sampled_from([0.0, 0.05, 0.2]))
def test_padding_limit_holds_for_every_batch_and_overall(lengths, budget, streams, padding):
    batches = length_sorted_batches(lengths, budget, streams=streams, padding=padding)
    assert sorted(i for batch in batches for i in batch) == list(range(len(lengths)))
    for batch in batches:
        assert padded_share(lengths, [batch]) <= 1 + padding + 1e-9
    assert padded_share(lengths, batches) <= 1 + padding + 1e-9


class _RowEcho(BatchedEngine):
    """A BatchedEngine whose "model" returns each row's own ids reversed: outputs say which input they
    came from, so a mix-up between batches and input positions shows."""

    backend = "echo"
    identity = "row-echo"

    def __init__(self, streams_threads: int):
        super().__init__(_CharTokenizer(), max_input_tokens=512, model_limit=512, batch_tokens=64,
                         threads=streams_threads)
        self.batches: list[list[list[int]]] = []

    def decode_batch(self, batch_ids, limits, *, options=None):
        self.batches.append([list(ids) for ids in batch_ids])
        return [DecodedOutput(list(reversed(ids)), finished=True) for ids in batch_ids]


class _CharTokenizer:
    """One id per character (no end-of-sentence): lengths are the texts' lengths."""

    def __call__(self, text, truncation=False):
        return {"input_ids": [ord(c) for c in text]}

    def decode(self, ids, skip_special_tokens=True):
        return "".join(chr(i) for i in ids)


@given(st.lists(st.text(alphabet="abcdefgh", min_size=1, max_size=40), max_size=30),
       st.sampled_from([1, 2, 4]))
def test_bucketed_translate_keeps_output_order(texts, threads):
    engine = _RowEcho(threads)
    assert engine.translate(texts) == [t[::-1] for t in texts]
    lengths = [len(t) for t in texts]
    assert sum(len(b) for b in engine.batches) == len(texts)
    for batch in engine.batches:  # each decoded batch kept the padding limit
        sizes = [len(ids) for ids in batch]
        assert len(sizes) == 1 or len(sizes) * max(sizes) <= (1 + DEFAULT_PADDING) * sum(sizes)
    assert padded_share(lengths, []) == 1.0
