"""The CTranslate2 backend: the same Marian model, converted once, int8 by default.

Tokenisation, batching, the output bound and the "hit the bound -> ``""``"
rule come from :class:`~translator.engines.batched.BatchedEngine`, exactly as
for the PyTorch backend; only the decoding call differs. The identity names
the backend, the compute type and the converted model's revision, so the
translation memory never mixes its entries with the PyTorch backend's.
"""

from __future__ import annotations

import logging
from pathlib import Path
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..errors import ConfigError, ModelUnavailable
from .batched import BatchedEngine, DecodedOutput, DecodeOptions, LengthLimits, thread_split
from .ct2_conversion import ConvertedModel, check_compute_type, ensure_converted, import_ctranslate2
from .ct2_cpu import apply_tuning, choose_tuning, cpu_info
from .device import ctranslate2_gpu_count, resolve_device
from .identity import EngineIdentity, display_model_name

if TYPE_CHECKING:
    from ..config import Settings

__all__ = ["DEFAULT_COMPUTE_TYPES", "CTranslate2Engine"]

log = logging.getLogger(__name__)

#: The compute type when TRANSLATOR_COMPUTE_TYPE is not set: int8 weights, and fp16 arithmetic on a GPU.
DEFAULT_COMPUTE_TYPES = {"cpu": "int8", "cuda": "int8_float16"}


class CTranslate2Engine(BatchedEngine):
    """MarianMT on CTranslate2 (CPU or CUDA); see the module docstring."""

    backend = "ctranslate2"

    def __init__(self, model_name: str, converted: ConvertedModel, tokenizer, translator, *,
                 compute_type: str, beams: int | None = None, batch_tokens: int = 2048, threads: int = 1,
                 device: str = "cpu"):
        super().__init__(tokenizer, max_input_tokens=converted.max_input_tokens,
                         model_limit=converted.model_limit, batch_tokens=batch_tokens, threads=threads)
        self.model_name = display_model_name(model_name)  # the hub id or the directory's name, not its path
        self.converted = converted
        self.translator = translator
        self.compute_type = compute_type
        self.device = device
        self.num_beams = beams or converted.num_beams or 1
        self.engine_identity = EngineIdentity(self.model_name, converted.source_revision, "ctranslate2",
                                              compute_type, self.num_beams, converted=converted.revision)
        self.identity = self.engine_identity.key

    @classmethod
    def load(cls, model: str, settings: "Settings") -> "CTranslate2Engine":
        """Load ``model`` (converting and caching it on first use) with ``settings.compute_type``,
        CTranslate2 tuned for this CPU unless ``settings.ct2_tuning`` is off (the choice is logged)."""
        if settings.ct2_tuning:  # before CTranslate2 reads its CT2_* variables (first model load)
            cpu = cpu_info()
            tuning = choose_tuning(cpu)
            in_effect = apply_tuning(tuning)
            log.info("CTranslate2 on %s: %s; in effect: %s", cpu.describe(), tuning.reason,
                     ", ".join(f"{k}={v}" for k, v in in_effect.items()) or "no CT2_* variable")
        ctranslate2 = import_ctranslate2()
        from transformers import MarianTokenizer

        device = resolve_device(settings.device, ctranslate2_gpu_count(ctranslate2), "ctranslate2")
        compute_type = check_compute_type(settings.compute_type or DEFAULT_COMPUTE_TYPES[device])
        converted = ensure_converted(model, compute_type, settings.data_dir)
        inter, intra = thread_split(settings.threads)
        try:
            tokenizer = MarianTokenizer.from_pretrained(converted.path)
            translator = ctranslate2.Translator(str(converted.path), device=device, compute_type=compute_type,
                                                inter_threads=inter, intra_threads=intra)
        except ValueError as exc:  # e.g. a compute type this CPU cannot run
            raise ConfigError(f"cannot run {str(converted.path)!r} with TRANSLATOR_COMPUTE_TYPE="
                              f"{compute_type}: {exc}") from exc
        except Exception as exc:
            raise ModelUnavailable(f"cannot load the converted model {str(converted.path)!r}: {exc}; "
                                   f"delete it and run 'translator model convert'") from exc
        engine = cls(converted.source_name or model, converted, tokenizer, translator, compute_type=compute_type,
                     beams=settings.beams, batch_tokens=settings.batch_tokens, threads=settings.threads,
                     device=device)
        log.info("loaded model %s (revision %s) on ctranslate2 %s %s from %s with %d x %d threads, beam %d",
                 engine.model_name, converted.source_revision, device, compute_type, Path(converted.path).resolve(), inter, intra,
                 engine.num_beams)
        return engine

    def decoding_options(self, limits: LengthLimits, options: DecodeOptions) -> dict:
        """The keyword arguments of ``translate_batch`` for one batch."""
        decoding = dict(max_decoding_length=limits.max_tokens, return_end_token=True, max_input_length=0,
                        return_scores=options.scores, return_attention=options.alignment)
        if options.fallback:
            decoding.update(beam_size=1, no_repeat_ngram_size=3)
        else:
            decoding.update(beam_size=self.num_beams, num_hypotheses=max(1, min(options.n_best, self.num_beams)))
        return decoding

    def _decoded(self, result, index: int, options: DecodeOptions) -> DecodedOutput:
        pieces = result.hypotheses[index]
        finished = bool(pieces) and pieces[-1] == self.tokenizer.eos_token
        score = None
        if options.scores and result.scores:
            # Length-normalised (length_penalty=1): the mean log-probability per token,
            # as the PyTorch backend computes it (checked equal to 0.01 on the same model).
            score = float(result.scores[index])
        attention = None
        if options.alignment and result.attention:
            attention = [list(row) for row in result.attention[index]]
        if finished:
            pieces = pieces[:-1]
        if attention is not None:
            attention = attention[: len(pieces)]
        return DecodedOutput(self.tokenizer.convert_tokens_to_ids(pieces), finished, score, attention)

    def _output(self, result, options: DecodeOptions) -> DecodedOutput:
        best, *rest = [self._decoded(result, i, options) for i in range(len(result.hypotheses))]
        return DecodedOutput(best.token_ids, best.finished, best.score, best.attention, tuple(rest))

    def decode_batch(self, batch_ids: Sequence[Sequence[int]], limits: LengthLimits, *,
                     options: DecodeOptions = DecodeOptions()) -> list[DecodedOutput]:
        """One batch: :meth:`decode_batches` of it alone."""
        return self.decode_batches([batch_ids], [limits], options=options)[0]

    def decode_batches(self, batches: Sequence[Sequence[Sequence[int]]], limits: Sequence[LengthLimits], *,
                       options: DecodeOptions = DecodeOptions()) -> list[list[DecodedOutput]]:
        """Submit every batch at once: CTranslate2's own inter-threads (one per stream) decode them
        side by side, each with its fixed intra-threads."""
        pending = [self.translator.translate_batch([self.tokenizer.convert_ids_to_tokens(list(ids)) for ids in batch],
                                                   asynchronous=True, **self.decoding_options(limit, options))
                   for batch, limit in zip(batches, limits)]
        return [[self._output(result.result(), options) for result in batch] for batch in pending]
