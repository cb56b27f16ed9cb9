"""What every Marian backend shares: tokenisation, length-sorted batches, the output bound.

A backend (PyTorch, CTranslate2) only implements :meth:`BatchedEngine.decode_batch`:
source token ids in, generated target token ids out, each with a flag saying
whether the output ended with end-of-sentence. Everything that decides what a
translation *is* lives here, once, so the backends cannot drift apart:

* the same MarianTokenizer turns text into ids and ids back into text;
* the same batches (:func:`length_sorted_batches` under ``batch_tokens``, cut at
  length breaks so that short rows do not decode long padding);
* the same bound per batch (:func:`output_token_bound` of its longest input);
* an output that reached the bound without end-of-sentence becomes ``""``;
* the same use of the cores: up to ``streams`` batches decode side by side,
  each on its share of ``threads`` (:func:`thread_split`).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from . import output_token_bound
from .alignment import align_pieces, piece_spans
from .batching import DEFAULT_PADDING, length_sorted_batches
from .results import EngineResult, Hypothesis

__all__ = ["BatchedEngine", "DecodeOptions", "DecodedOutput", "LengthLimits", "thread_split"]


def thread_split(threads: int) -> tuple[int, int]:
    """``(streams, threads_per_stream)`` for ``threads`` cores.

    Several batches decoding side by side use the cores better than one batch
    spread over all of them: on 2 cores, two single-threaded decodes run about
    1.2x (PyTorch) to 1.6x (CTranslate2) faster than one on 2 threads
    (measured, see benchmarks/README.md). So at least two batches run in
    parallel whenever there are 2 cores, each with up to 4 threads (a guess
    beyond what the 2-core measurement shows: short news segments stop gaining
    from more threads per batch well before the core count of a large server).
    """
    threads = max(1, threads)
    intra = min(4, max(1, threads // 2))
    return max(1, threads // intra), intra


@dataclass(frozen=True)
class DecodedOutput:
    """One generated target: its token ids (end-of-sentence excluded) and whether it finished.

    With :class:`DecodeOptions` asking for them: ``score`` (mean log-probability
    per generated token, end-of-sentence included), ``attention`` (one row per
    token of ``token_ids``: cross-attention weights over the source tokens) and
    ``alternatives`` (the next-best hypotheses, best first, as outputs of their own).
    """

    token_ids: list[int]
    finished: bool  # ended with end-of-sentence, not cut off by the length bound
    score: float | None = None
    attention: list[list[float]] | None = None
    alternatives: tuple["DecodedOutput", ...] = ()


@dataclass(frozen=True)
class DecodeOptions:
    """What one decode asks for beyond the best token ids."""

    fallback: bool = False   # greedy, no repeated 3-gram (the retry for degenerate outputs); one hypothesis
    n_best: int = 1          # hypotheses per source (at most the beam size)
    alignment: bool = False  # cross-attention rows for every hypothesis
    scores: bool = False     # mean token log-probability of every hypothesis


@dataclass(frozen=True)
class LengthLimits:
    """Decoding steps allowed for one batch (end-of-sentence counts as a step)."""

    max_tokens: int


class BatchedEngine(ABC):
    """Base of the Marian engines: implements the :class:`~translator.engines.Engine` protocol
    on top of :meth:`decode_batch`.

    Subclasses set ``identity`` and call ``__init__`` with the tokenizer and limits.
    """

    backend: str = ""
    identity: str

    def __init__(self, tokenizer, *, max_input_tokens: int, model_limit: int, batch_tokens: int,
                 threads: int = 1):
        self.tokenizer = tokenizer
        self.max_input_tokens = int(max_input_tokens)
        self.model_limit = int(model_limit)
        self.batch_tokens = int(batch_tokens)
        self.threads = max(1, int(threads))
        self.streams, self.threads_per_stream = thread_split(self.threads)  # batches decoded side by side
        self.padding = DEFAULT_PADDING  # most padding per batch (see batching.length_sorted_batches)
        self._streams_pool = ThreadPoolExecutor(self.streams, thread_name_prefix=f"{self.backend}-decode")

    # -- the Engine protocol --------------------------------------------------------------------

    def count_tokens(self, text: str) -> int:
        """Source tokens, end-of-sentence included, as the model sees them."""
        return len(self.encode(text))

    def translate(self, texts: Sequence[str], *, fallback: bool = False) -> list[str]:
        """Translate in length-sorted batches under the token budget; input order kept.

        ``""`` marks an output that reached its batch's bound without end-of-sentence.
        """
        encoded, outputs = self._decode(texts, DecodeOptions(fallback=fallback))
        return [self.detokenize(o.token_ids) if o.finished else "" for o in outputs]

    def translate_detailed(self, texts: Sequence[str], *, n_best: int = 1, alignment: bool = False,
                           fallback: bool = False) -> list[EngineResult]:
        """Like :meth:`translate`, with scores, up to ``n_best`` hypotheses and (if asked) alignment.

        See :class:`~translator.engines.results.EngineResult`. Fallback decoding
        is greedy, so it gives one hypothesis whatever ``n_best`` asks.
        """
        options = DecodeOptions(fallback=fallback, n_best=1 if fallback else max(1, n_best),
                                alignment=alignment, scores=True)
        encoded, outputs = self._decode(texts, options)
        return [EngineResult(tuple(self._hypothesis(text, ids, o, alignment) for o in (output, *output.alternatives)))
                for text, ids, output in zip(texts, encoded, outputs)]

    def _decode(self, texts: Sequence[str], options: DecodeOptions) -> tuple[list[list[int]], list[DecodedOutput]]:
        """Encode, batch and decode ``texts``: (source ids, best output with its alternatives) per text."""
        if not texts:
            return [], []
        encoded = [self.encode(t) for t in texts]
        batches = length_sorted_batches([len(ids) for ids in encoded], self.batch_tokens, streams=self.streams,
                                        padding=self.padding)
        batch_ids = [[encoded[i] for i in batch] for batch in batches]
        for ids in batch_ids:
            longest = max(len(row) for row in ids)
            if longest > self.max_input_tokens:
                raise ValueError(f"segment of {longest} tokens exceeds the model limit of {self.max_input_tokens}")
        decoded = self.decode_batches(batch_ids, [self.length_limits(ids) for ids in batch_ids], options=options)
        results: list[DecodedOutput | None] = [None] * len(texts)
        for batch, outputs in zip(batches, decoded):
            for index, output in zip(batch, outputs):
                results[index] = output
        return encoded, results  # type: ignore[return-value]

    def _hypothesis(self, source: str, source_ids: Sequence[int], output: DecodedOutput,
                    alignment: bool) -> Hypothesis:
        text = self.detokenize(output.token_ids) if output.finished else ""
        aligned = None
        if alignment and output.attention is not None:
            aligned = align_pieces(output.attention,
                                   piece_spans(source, self._surface_pieces(source_ids)),
                                   piece_spans(text, self._surface_pieces(output.token_ids)) if text else [])
        return Hypothesis(text, output.score, aligned)

    def _surface_pieces(self, token_ids: Sequence[int]) -> list[str]:
        """The SentencePiece pieces of ``token_ids``, special tokens (end-of-sentence, unknown) as ``""``."""
        special = set(self.tokenizer.all_special_ids)
        return ["" if i in special else piece
                for i, piece in zip(token_ids, self.tokenizer.convert_ids_to_tokens(list(token_ids)))]

    # -- shared steps (subclasses may override the batch-level ones) ----------------------------

    def encode(self, text: str) -> list[int]:
        """Source token ids of ``text``, end-of-sentence included, never truncated."""
        return self.tokenizer(text, truncation=False)["input_ids"]

    def detokenize(self, token_ids: Sequence[int]) -> str:
        """Target token ids back to text (special tokens dropped)."""
        return self.tokenizer.decode(list(token_ids), skip_special_tokens=True).strip()

    def length_limits(self, batch_ids: Sequence[Sequence[int]]) -> LengthLimits:
        """The decoding limits of one batch: :func:`output_token_bound` of its longest input."""
        return LengthLimits(output_token_bound(max(len(ids) for ids in batch_ids), self.model_limit))

    def decode_batches(self, batches: Sequence[Sequence[Sequence[int]]], limits: Sequence[LengthLimits], *,
                       options: DecodeOptions = DecodeOptions()) -> list[list[DecodedOutput]]:
        """Decode several batches, up to ``streams`` of them side by side.

        Every call goes through one pool of ``streams`` threads per engine, so
        however many callers translate at once, no more than ``streams``
        batches decode at the same time. The batches of one call share the
        threads: a lone batch (one short text) gets all of them.
        """
        threads_each = max(1, self.threads // max(1, min(self.streams, len(batches))))
        futures = [self._streams_pool.submit(self._decode_on_threads, threads_each, ids, limit, options)
                   for ids, limit in zip(batches, limits)]
        return [future.result() for future in futures]

    def _decode_on_threads(self, threads: int, batch_ids, limits: LengthLimits, options: DecodeOptions):
        self.use_threads(threads)
        return self.decode_batch(batch_ids, limits, options=options)

    def use_threads(self, threads: int) -> None:
        """Let decodes started from the calling thread use ``threads`` threads (if the backend can)."""

    @abstractmethod
    def decode_batch(self, batch_ids: Sequence[Sequence[int]], limits: LengthLimits, *,
                     options: DecodeOptions = DecodeOptions()) -> list[DecodedOutput]:
        """Generate the best target per source row within ``limits`` (alternatives, scores and
        attention as ``options`` ask).

        ``options.fallback=False``: the model's beam search; ``True``: greedy
        decoding that never repeats a 3-gram (the retry for degenerate outputs).
        """
