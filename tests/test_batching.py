"""Length-sorted batching: the budget and the streams, exactly."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from translator.engines import length_sorted_batches


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
def test_length_sorted_batches(lengths, budget, streams, expected):
    assert length_sorted_batches(lengths, budget, streams=streams) == expected


@given(st.lists(st.integers(min_value=0, max_value=600), max_size=60),
       st.integers(min_value=1, max_value=4096), st.integers(min_value=1, max_value=8))
def test_every_item_lands_in_exactly_one_batch_that_keeps_the_rules(lengths, budget, streams):
    batches = length_sorted_batches(lengths, budget, streams=streams)
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
