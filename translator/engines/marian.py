"""The PyTorch backend: MarianMT through transformers' ``generate``."""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import ModelUnavailable
from ..modelhub import resolve_model
from .batched import BatchedEngine, DecodedOutput, LengthLimits

if TYPE_CHECKING:
    from ..config import Settings

__all__ = ["MarianEngine", "model_revision"]

log = logging.getLogger(__name__)


def model_revision(model_dir: Path) -> str:
    """A short content hash of the model's config and weights (cache-key material)."""
    digest = hashlib.sha256()
    for name in ("config.json", "generation_config.json"):
        file = model_dir / name
        if file.is_file():
            digest.update(file.read_bytes())
    for weights in sorted(model_dir.glob("*.safetensors")) or sorted(model_dir.glob("pytorch_model.bin")):
        with weights.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()[:12]


class MarianEngine(BatchedEngine):
    """MarianMT on PyTorch, thread-safe, loaded once.

    Generation uses the model's own generation config (opus-mt: beam 4)
    unless ``beams`` overrides it. Every output is bounded by
    :func:`~translator.engines.output_token_bound`; an output that reaches the
    bound without end-of-sentence is reported as ``""`` (not a complete translation).
    """

    backend = "torch"

    def __init__(self, model_name: str, model_dir: Path, tokenizer, model, *, beams: int | None = None,
                 batch_tokens: int = 2048, revision: str | None = None):
        import torch

        gen = model.generation_config
        super().__init__(
            tokenizer,
            max_input_tokens=min(tokenizer.model_max_length or 512, model.config.max_position_embeddings),
            model_limit=gen.max_length or model.config.max_position_embeddings or 512,
            batch_tokens=batch_tokens)
        self.model_name = model_name
        self.model_dir = model_dir
        self.model = model.eval()
        self.num_beams = beams or gen.num_beams or 1
        self.eos_token_id = model.config.eos_token_id
        self.pad_token_id = model.config.pad_token_id
        self.revision = revision or model_revision(model_dir)
        self.identity = (f"marian:{model_name}@{self.revision}|torch|beams={self.num_beams}"
                         f"|bound=2n+10|fallback=greedy-nr3")
        self._torch = torch
        # generate() is not documented as thread-safe; one call at a time, each using all threads.
        self._lock = threading.Lock()

    @classmethod
    def load(cls, model: str, settings: "Settings") -> "MarianEngine":
        """Load tokenizer and model from a local directory or the hub (see :mod:`modelhub`)."""
        import torch
        from transformers import MarianMTModel, MarianTokenizer
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()
        model_dir = resolve_model(model)
        torch.set_num_threads(settings.threads)
        try:
            tokenizer = MarianTokenizer.from_pretrained(model_dir)
            mt_model = MarianMTModel.from_pretrained(model_dir)
        except Exception as exc:  # corrupt or incomplete directory
            raise ModelUnavailable(
                f"cannot load model {model!r} from {str(model_dir)!r}: {exc}; set TRANSLATOR_MODEL to a "
                f"complete Marian directory or run 'translator model fetch {model}'") from exc
        engine = cls(model, model_dir, tokenizer, mt_model, beams=settings.beams,
                     batch_tokens=settings.batch_tokens)
        log.info("loaded model %s (revision %s) on torch with %d threads, beam %d",
                 model, engine.revision, settings.threads, engine.num_beams)
        return engine

    def decode_batch(self, batch_ids: Sequence[Sequence[int]], limits: LengthLimits, *,
                     fallback: bool = False) -> list[DecodedOutput]:
        """One ``generate`` call over a padded batch."""
        torch = self._torch
        longest = max(len(ids) for ids in batch_ids)
        input_ids = torch.full((len(batch_ids), longest), self.pad_token_id, dtype=torch.long)
        attention = torch.zeros((len(batch_ids), longest), dtype=torch.long)
        for row, ids in enumerate(batch_ids):
            input_ids[row, : len(ids)] = torch.tensor(ids)
            attention[row, : len(ids)] = 1
        options = (dict(num_beams=1, do_sample=False, no_repeat_ngram_size=3) if fallback
                   else dict(num_beams=self.num_beams))
        if limits.min_tokens:
            options["min_new_tokens"] = limits.min_tokens
        with self._lock, torch.inference_mode():
            # opus-mt's generation config forces end-of-sentence at the bound, which would make
            # a cut-off output look complete: switch that off so the bound stays detectable.
            out = self.model.generate(input_ids=input_ids, attention_mask=attention,
                                      max_new_tokens=limits.max_tokens, max_length=None,
                                      forced_eos_token_id=None, **options)
        outputs = []
        for row in out.tolist():
            tokens = row[1:]  # drop the decoder start token
            if self.eos_token_id in tokens:
                outputs.append(DecodedOutput(tokens[: tokens.index(self.eos_token_id)], True))
            else:
                outputs.append(DecodedOutput(tokens, False))
        return outputs
