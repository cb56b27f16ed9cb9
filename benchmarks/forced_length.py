"""Forcing every system to decode the same number of tokens per segment.

A random-weight model almost never emits end-of-sentence, and speed is only
comparable when every system generates the same tokens, so each segment of
``n`` source tokens (end-of-sentence included) gets exactly
:func:`forced_output_tokens` ``(n)`` generated tokens, in every system.

The pipeline systems run the real engine classes through
:class:`translator.pipeline.translator.Translator`; :class:`ForcedLength` only changes
two engine hooks:

* ``length_limits``: a batch decodes exactly as many steps as its longest
  member needs (minimum = maximum), so its shorter members decode padding
  steps, as they would in production; those are counted separately
  (``decoded_tokens``) and not credited.
* ``decode_batches``: checks that every row really produced that many tokens,
  credits each segment with its own forced length, and marks the output
  complete. Its text is replaced by a summary, so that random-weight babble
  that happens to repeat itself does not send the segment to the pipeline's
  degenerate-output retry (a real model's output would not loop; the retry
  would be extra work no other system does).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from translator.engines.batched import DecodedOutput, DecodeOptions, LengthLimits
from translator.engines.ctranslate2 import CTranslate2Engine
from translator.engines.marian import MarianEngine

__all__ = ["BenchmarkError", "ForcedLength", "ForcedLengthCTranslate2Engine", "ForcedLengthMarianEngine",
           "OUTPUT_RATIO", "forced_output_tokens"]

#: Generated tokens per source token (French runs a little longer than English).
OUTPUT_RATIO = 1.2


class BenchmarkError(RuntimeError):
    """A system did not do the work the comparison assumes (the run is invalid)."""


def forced_output_tokens(source_tokens: int) -> int:
    """Tokens every system generates for a segment of ``source_tokens`` tokens."""
    return math.ceil(OUTPUT_RATIO * source_tokens)


class ForcedLength:
    """Mixin for a :class:`~translator.engines.batched.BatchedEngine`: fixed output lengths, counted."""

    def reset_counts(self) -> None:
        self.segments = 0
        self.source_tokens = 0
        self.generated_tokens = 0  # credited: forced_output_tokens of each segment
        self.decoded_tokens = 0    # done: including the padding steps of shorter batch members

    #: The backend's keyword for a minimum output length (set by each concrete engine below).
    min_length_option = ""

    def length_limits(self, batch_ids: Sequence[Sequence[int]]) -> LengthLimits:
        return LengthLimits(max(forced_output_tokens(len(ids)) for ids in batch_ids))

    def decoding_options(self, limits: LengthLimits, options: DecodeOptions) -> dict:
        """The backend's options, with end-of-sentence forbidden before the bound: every output
        is exactly ``limits.max_tokens`` long."""
        return {**super().decoding_options(limits, options), self.min_length_option: limits.max_tokens}

    def decode_batches(self, batches, limits, *, options: DecodeOptions = DecodeOptions()) -> list[list[DecodedOutput]]:
        if options.fallback:
            raise BenchmarkError("the pipeline retried a segment; forced-length outputs are always complete")
        if not hasattr(self, "segments"):
            self.reset_counts()
        decoded = super().decode_batches(batches, limits, options=options)
        complete: list[list[DecodedOutput]] = []
        for batch_ids, limit, outputs in zip(batches, limits, decoded):
            rows = []
            for ids, output in zip(batch_ids, outputs):
                if len(output.token_ids) != limit.max_tokens:
                    raise BenchmarkError(f"{type(self).__name__} generated {len(output.token_ids)} tokens "
                                         f"where {limit.max_tokens} were forced")
                wanted = forced_output_tokens(len(ids))
                self.segments += 1
                self.source_tokens += len(ids)
                self.generated_tokens += wanted
                self.decoded_tokens += limit.max_tokens
                rows.append(DecodedOutput(output.token_ids[:wanted], finished=True, score=output.score))
            complete.append(rows)
        return complete

    def detokenize(self, token_ids: Sequence[int]) -> str:
        text = super().detokenize(token_ids)  # the real work, then a summary that never looks degenerate
        return f"[{len(token_ids)} tokens, {len(text)} characters]"


class ForcedLengthMarianEngine(ForcedLength, MarianEngine):
    """The PyTorch engine with forced output lengths."""

    min_length_option = "min_new_tokens"


class ForcedLengthCTranslate2Engine(ForcedLength, CTranslate2Engine):
    """The CTranslate2 engine with forced output lengths."""

    min_length_option = "min_decoding_length"
