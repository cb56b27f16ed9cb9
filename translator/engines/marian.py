"""The PyTorch backend: MarianMT through transformers' ``generate``."""

from __future__ import annotations

import ctypes
import functools
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import ModelUnavailable
from .modelhub import resolve_model
from .batched import BatchedEngine, DecodedOutput, DecodeOptions, LengthLimits
from .device import resolve_device, torch_gpu_count
from .identity import EngineIdentity, content_revision, display_model_name

if TYPE_CHECKING:
    from ..config import Settings

__all__ = ["BeamScoreRecorder", "MarianEngine", "beam_search_cache", "keep_freed_memory_for_reuse", "model_revision"]

log = logging.getLogger(__name__)


def model_revision(model_dir: Path) -> str:
    """A short content hash of the model's configuration, tokenizer files and weights (cache-key material)."""
    return content_revision(model_dir)


def keep_freed_memory_for_reuse() -> bool:
    """Make glibc keep the large blocks that beam search frees, for the next step to reuse.

    Every decoding step allocates and frees several tensors of rows x 59,514
    vocabulary scores (up to 10 MB each). glibc's default serves blocks that
    large with mmap and gives them back to the kernel on free, so the next
    step page-faults them in again, zero-filled: a sixth of the process's CPU
    time was page faults. Serving blocks up to 32 MB from the heap and
    keeping up to 1 GB of freed heap (``mallopt``, the same as the
    ``MALLOC_MMAP_THRESHOLD_`` / ``MALLOC_TRIM_THRESHOLD_`` environment
    variables) made the torch pipeline about 8% faster (benchmarks/README.md),
    at the price of memory staying at its peak instead of shrinking between
    requests. Returns whether the C library took the settings (it is glibc's
    interface; other C libraries are left alone).
    """
    M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3  # glibc's malloc.h
    try:
        libc = ctypes.CDLL("libc.so.6")
        return bool(libc.mallopt(M_MMAP_THRESHOLD, 32 << 20)) and bool(libc.mallopt(M_TRIM_THRESHOLD, 1 << 30))
    except (OSError, AttributeError):
        return False


def beam_search_cache():
    """An empty key/value cache for beam search that never reorders the cross-attention part.

    After every beam-search step ``generate`` reorders the whole cache so
    that each beam carries its parent's keys and values. For the
    cross-attention part that is pure copying: every beam of a source row
    attends to the same encoder output, so its rows are identical within each
    source's group of beams, and beam search only ever picks parents within
    that group. Skipping it (12 tensors of beams x heads x source length x 64
    copied per step for opus-mt) changes no number and saves about 5% of
    the decoding time (benchmarks/README.md).
    """
    from transformers.cache_utils import DynamicCache

    return _shared_cross_attention_cache_class()(DynamicCache(), DynamicCache())


@functools.cache
def _shared_cross_attention_cache_class():
    from transformers.cache_utils import EncoderDecoderCache

    class SharedCrossAttentionCache(EncoderDecoderCache):
        def reorder_cache(self, beam_idx):
            self.self_attention_cache.reorder_cache(beam_idx)

    return SharedCrossAttentionCache


class BeamScoreRecorder:
    """A logits processor that keeps, at each beam-search step, the ``k`` best next-token
    log-probabilities of every running beam, so that the score of each returned hypothesis can be
    read back afterwards (:meth:`mean_log_probs`) without a second pass of the model.

    Beam search ranks the candidates of one beam by their log-probability, and keeps only the
    ``2 x beams`` best over all beams of a source: every token it picks is among its own beam's
    ``2 x beams`` best, so ``k = 2 x beams`` always holds the picked one. ``generate`` itself
    returns scores only while keeping every step's full-vocabulary scores (rows x 59,514 floats
    a step: gigabytes for a batch). Added last, it sees the log-probabilities after the model's
    own processors, as beam search does.
    """

    def __init__(self, k: int):
        self.k = k
        self.values: list = []   # per step: rows x k log-probabilities
        self.indices: list = []  # per step: rows x k token ids

    def __call__(self, input_ids, scores):
        values, indices = scores.topk(self.k, dim=-1)
        self.values.append(values)
        self.indices.append(indices)
        return scores

    def mean_log_probs(self, sequences, beam_indices, prompt_length: int, eos_token_id: int) -> list[float] | None:
        """The mean log-probability per token (end-of-sentence included) of each returned
        sequence; None if a picked token is not among the recorded ones (cannot happen with
        beam search as transformers implements it, and then the caller rescores)."""
        import torch

        steps = min(len(self.values), beam_indices.shape[1], sequences.shape[1] - prompt_length)
        if steps == 0:
            return None
        tokens = sequences[:, prompt_length:prompt_length + steps]                       # rows x steps
        rows = beam_indices[:, :steps].long()                                             # beam row per step
        values = torch.stack(self.values[:steps], dim=1)                                  # beams x steps x k
        indices = torch.stack(self.indices[:steps], dim=1)
        step = torch.arange(steps, device=rows.device).unsqueeze(0).expand_as(rows)
        valid = rows >= 0
        safe = rows.clamp(min=0)
        candidates, candidate_values = indices[safe, step], values[safe, step]           # rows x steps x k
        hit = candidates == tokens.unsqueeze(-1)
        if bool((valid & ~hit.any(dim=-1)).any()):
            return None
        picked = (candidate_values * hit).sum(dim=-1)
        is_eos = (tokens == eos_token_id).long()
        counted = valid & ((is_eos.cumsum(dim=1) - is_eos) == 0)  # up to and including the first end-of-sentence
        sums = (picked * counted).sum(dim=1)
        return (sums / counted.sum(dim=1).clamp(min=1)).tolist()


class MarianEngine(BatchedEngine):
    """MarianMT on PyTorch, thread-safe, loaded once.

    Generation uses the model's own generation config (opus-mt: beam 4)
    unless ``beams`` overrides it. Every output is bounded by
    :func:`~translator.engines.output_token_bound`; an output that reaches the
    bound without end-of-sentence is reported as ``""`` (not a complete translation).

    Up to ``streams`` batches decode at once, each in its own ``generate``
    call on its own thread (torch releases the GIL inside its operators),
    each with ``torch.set_num_threads`` at its share of the threads
    (OpenMP keeps that count per calling thread; see :func:`~translator.engines.batched.thread_split`).
    """

    backend = "torch"

    def __init__(self, model_name: str, model_dir: Path, tokenizer, model, *, beams: int | None = None,
                 batch_tokens: int = 2048, revision: str | None = None, threads: int = 1, device: str = "cpu"):
        import torch

        gen = model.generation_config
        super().__init__(
            tokenizer,
            max_input_tokens=min(tokenizer.model_max_length or 512, model.config.max_position_embeddings),
            model_limit=gen.max_length or model.config.max_position_embeddings or 512,
            batch_tokens=batch_tokens, threads=threads)
        self.model_name = display_model_name(model_name)  # the hub id or the directory's name, not its path
        self.model_dir = model_dir
        # On a GPU the model computes in fp16: twice the speed, half the memory, outputs that differ
        # slightly from fp32 (so the compute type is part of the identity).
        self.compute_type = "float16" if device == "cuda" else "float32"
        self.model = (model.to(device).half() if device == "cuda" else model).eval()
        self.device = next(self.model.parameters()).device
        self.num_beams = beams or gen.num_beams or 1
        self.eos_token_id = model.config.eos_token_id
        self.pad_token_id = model.config.pad_token_id
        self.revision = revision or model_revision(model_dir)
        self.engine_identity = EngineIdentity(self.model_name, self.revision, "torch", self.compute_type,
                                              self.num_beams)
        self.identity = self.engine_identity.key
        self._torch = torch

    @classmethod
    def load(cls, model: str, settings: "Settings") -> "MarianEngine":
        """Load tokenizer and model from a local directory or the hub (see :mod:`modelhub`)."""
        import torch
        from transformers import MarianMTModel, MarianTokenizer
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()
        device = resolve_device(settings.device, torch_gpu_count(), "torch")  # before any download or load
        model_dir = resolve_model(model)
        if not keep_freed_memory_for_reuse():
            log.debug("malloc tuning not available (not glibc); decoding may page-fault more")
        try:
            tokenizer = MarianTokenizer.from_pretrained(model_dir)
            # Eager attention: the only implementation that returns cross-attention weights
            # (alignment); measured no slower than SDPA on these short segments (benchmarks/README.md).
            mt_model = MarianMTModel.from_pretrained(model_dir, attn_implementation="eager")
        except Exception as exc:  # corrupt or incomplete directory
            raise ModelUnavailable(
                f"cannot load model {model!r} from {str(model_dir)!r}: {exc}; set TRANSLATOR_MODEL to a "
                f"complete Marian directory or run 'translator model fetch {model}'") from exc
        engine = cls(model, model_dir, tokenizer, mt_model, beams=settings.beams,
                     batch_tokens=settings.batch_tokens, threads=settings.threads, device=device)
        torch.set_num_threads(engine.threads_per_stream)  # for torch work outside the decode threads
        log.info("loaded model %s (revision %s) on torch %s %s with %d threads (%d x %d for several batches), "
                 "beam %d", engine.model_name, engine.revision, device, engine.compute_type, engine.threads,
                 engine.streams, engine.threads_per_stream, engine.num_beams)
        return engine

    def use_threads(self, threads: int) -> None:
        """``torch.set_num_threads`` for the calling thread's next ``generate`` calls."""
        self._torch.set_num_threads(threads)

    def decode_batch(self, batch_ids: Sequence[Sequence[int]], limits: LengthLimits, *,
                     options: DecodeOptions = DecodeOptions()) -> list[DecodedOutput]:
        """One ``generate`` call over a padded batch (calls from several threads may overlap).

        Beam-search scores are read off the search as it runs
        (:class:`BeamScoreRecorder`). Attention (alignment), and the greedy
        fallback's score, come from one teacher-forced pass of the decoder over
        the chosen hypotheses (:meth:`_rescore`), reusing the encoder output.
        """
        torch = self._torch
        longest = max(len(ids) for ids in batch_ids)
        input_ids = torch.full((len(batch_ids), longest), self.pad_token_id, dtype=torch.long)
        attention = torch.zeros((len(batch_ids), longest), dtype=torch.long)
        for row, ids in enumerate(batch_ids):
            input_ids[row, : len(ids)] = torch.tensor(ids)
            attention[row, : len(ids)] = 1
        input_ids, attention = input_ids.to(self.device), attention.to(self.device)
        generation = self.decoding_options(limits, options)
        n_best = generation.get("num_return_sequences", 1)
        # Beam-search scores are read off the search itself; alignment (and the greedy fallback's
        # score) needs one more pass of the decoder over the chosen hypotheses.
        recorder = BeamScoreRecorder(2 * generation["num_beams"]) \
            if options.scores and generation["num_beams"] > 1 and not options.alignment else None
        with torch.inference_mode():
            encoded = self.model.get_encoder()(input_ids=input_ids, attention_mask=attention)
            hidden = encoded.last_hidden_state  # generate may replace it with a beam-expanded copy
            if recorder is not None:
                from transformers import LogitsProcessorList

                generated = self.model.generate(encoder_outputs=encoded, attention_mask=attention,
                                                logits_processor=LogitsProcessorList([recorder]),
                                                return_dict_in_generate=True, **generation)
                sequences = generated.sequences
                scores = recorder.mean_log_probs(sequences, generated.beam_indices, 1, self.eos_token_id)
                cross = None
                if scores is None:
                    log.warning("a beam-search token was not among the recorded ones; rescoring the batch")
                    scores, cross = self._rescore(hidden, attention, sequences, n_best, False)
            else:
                sequences = self.model.generate(encoder_outputs=encoded, attention_mask=attention, **generation)
                scores, cross = (self._rescore(hidden, attention, sequences, n_best, options.alignment)
                                 if options.scores or options.alignment else (None, None))
        outputs = []
        for index, row in enumerate(sequences.tolist()):
            tokens = row[1:]  # drop the decoder start token
            finished = self.eos_token_id in tokens
            if finished:
                tokens = tokens[: tokens.index(self.eos_token_id)]
            outputs.append(DecodedOutput(tokens, finished,
                                         score=scores[index] if scores is not None else None,
                                         attention=cross[index][: len(tokens)] if cross is not None else None))
        grouped = [outputs[i:i + n_best] for i in range(0, len(outputs), n_best)]
        return [DecodedOutput(best.token_ids, best.finished, best.score, best.attention, tuple(rest))
                for best, *rest in grouped]

    def decoding_options(self, limits: LengthLimits, options: DecodeOptions) -> dict:
        """The keyword arguments of ``generate`` for one batch (beyond the inputs)."""
        # opus-mt's generation config forces end-of-sentence at the bound, which would make
        # a cut-off output look complete: switch that off so the bound stays detectable.
        generation = dict(max_new_tokens=limits.max_tokens, max_length=None, forced_eos_token_id=None)
        if options.fallback:
            generation.update(num_beams=1, do_sample=False, no_repeat_ngram_size=3)
        else:
            generation.update(num_beams=self.num_beams,
                              num_return_sequences=max(1, min(options.n_best, self.num_beams)))
        if generation["num_beams"] > 1:
            generation["cache"] = beam_search_cache()
        return generation

    def _rescore(self, hidden, attention, sequences, n_best: int, with_attention: bool):
        """Mean log-probability of each generated sequence (end-of-sentence included) and, if asked,
        its cross-attention rows (mean over the heads of the upper two decoder layers)."""
        torch = self._torch
        if n_best > 1:
            hidden = hidden.repeat_interleave(n_best, dim=0)
            attention = attention.repeat_interleave(n_best, dim=0)
        decoder_inputs, targets = sequences[:, :-1], sequences[:, 1:]
        # Tokens that count: up to and including the first end-of-sentence (padding follows it).
        is_eos = (targets == self.eos_token_id).long()
        counted = (is_eos.cumsum(dim=1) - is_eos) == 0
        scores: list[float] = []
        rows: list[list[list[float]]] | None = [] if with_attention else None
        # A chunk of rows at a time: the logits are rows x steps x vocabulary floats.
        chunk = max(1, (32 << 20) // max(1, targets.shape[1] * self.model.config.vocab_size))
        for start in range(0, sequences.shape[0], chunk):
            part = slice(start, start + chunk)
            out = self.model(encoder_outputs=(hidden[part],), attention_mask=attention[part],
                             decoder_input_ids=decoder_inputs[part], output_attentions=with_attention)
            log_probs = torch.log_softmax(out.logits.float(), dim=-1)
            token_scores = log_probs.gather(-1, targets[part].unsqueeze(-1)).squeeze(-1)
            mask = counted[part]
            means = (token_scores * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1)
            scores.extend(means.tolist())
            if rows is not None:
                layers = out.cross_attentions[-2:]
                weights = torch.stack([layer.float().mean(dim=1) for layer in layers]).mean(dim=0)
                rows.extend(weights.tolist())
        return scores, rows
