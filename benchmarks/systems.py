"""The systems compared, each a way to turn the workload's articles into French.

Every system translates the title and every paragraph of each article and
generates exactly :func:`~benchmarks.forced_length.forced_output_tokens`
tokens for each of them; :func:`run_system` counts them and the run compares
the totals across systems. Systems run in their own process (see
:mod:`benchmarks.worker`), so peak memory is theirs alone.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .forced_length import (
    BenchmarkError,
    ForcedLengthCTranslate2Engine,
    ForcedLengthMarianEngine,
    forced_output_tokens,
)
from .workload import Article

__all__ = ["BASELINE", "SYSTEMS", "System", "WorkDone", "uncached_runtime"]

BASELINE = "baseline"


@dataclass
class WorkDone:
    """What a system did: segments, source tokens, generated tokens (credited) and decoded tokens."""

    segments: int = 0
    source_tokens: int = 0
    generated_tokens: int = 0
    decoded_tokens: int = 0


class Runner:
    """A loaded system: ``translate(articles)`` does the measured work."""

    def translate(self, articles: Sequence[Article]) -> WorkDone:
        raise NotImplementedError


@dataclass(frozen=True)
class System:
    """A named system, what it is in words, and how to load it."""

    name: str
    description: str
    load: Callable[[Path, Path, int], Runner] = field(repr=False)  # (marian_dir, ct2_dir, threads)
    comparison: bool = True  # runs on the comparison article(s), beside the baseline
    full: bool = False       # fast enough to run the whole workload too


# -- (a) the usual way ---------------------------------------------------------------------------------


class BaselineRunner(Runner):
    """One paragraph at a time through ``model.generate`` with beam 4, fp32: how MarianMT is usually run."""

    def __init__(self, model_dir: Path, threads: int):
        import torch
        from transformers import MarianMTModel, MarianTokenizer

        torch.set_num_threads(threads)
        self.tokenizer = MarianTokenizer.from_pretrained(model_dir)
        self.model = MarianMTModel.from_pretrained(model_dir)

    def translate(self, articles: Sequence[Article]) -> WorkDone:
        done = WorkDone()
        for article in articles:
            for text in (article.title, *article.paragraphs):
                inputs = self.tokenizer(text, return_tensors="pt")
                source_tokens = inputs["input_ids"].shape[1]
                length = forced_output_tokens(source_tokens)
                output = self.model.generate(**inputs, num_beams=4, min_new_tokens=length, max_new_tokens=length)
                generated = output.shape[1] - 1  # the decoder start token is not generated
                if generated != length:
                    raise BenchmarkError(f"baseline generated {generated} tokens where {length} were forced")
                self.tokenizer.decode(output[0], skip_special_tokens=True)
                done.segments += 1
                done.source_tokens += source_tokens
                done.generated_tokens += generated
                done.decoded_tokens += generated
        return done


# -- (b), (c), (d): this project's pipeline ------------------------------------------------------------


def uncached_runtime(engine, settings):
    """The object graph the service builds (:func:`translator.service.runtime.build_runtime`) on ``engine``,
    over a new store in a temporary directory (removed at exit): nothing is cached yet, and the
    translator writes its translation memory as the service's does."""
    from translator.service.runtime import build_runtime

    data_dir = Path(tempfile.mkdtemp(prefix="translator-bench-"))
    atexit.register(shutil.rmtree, data_dir, ignore_errors=True)
    return build_runtime(settings.replace(data_dir=data_dir, store=""),
                         engine_factory=lambda _settings, _model: engine)


class PipelineRunner(Runner):
    """The service's translator (built by :func:`uncached_runtime`) over a forced-length engine.

    ``pooled=False``: one ``translate_article`` call per article (the service
    translating an uncached article); ``pooled=True``: one
    ``translate_articles`` call for all of them (the overnight archive job).
    """

    def __init__(self, engine, *, pooled: bool = False, settings=None):
        self.engine = engine
        self.translator = uncached_runtime(engine, settings or _settings(engine.threads)).translator()
        self.pooled = pooled

    def translate(self, articles: Sequence[Article]) -> WorkDone:
        self.engine.reset_counts()
        pairs = [(a.title, a.body) for a in articles]
        if self.pooled:
            results = self.translator.translate_articles(pairs)
        else:
            results = [self.translator.translate_article(title, body) for title, body in pairs]
        for article, result in zip(articles, results):
            units = 1 + len(article.paragraphs)
            expected = {"total": units, "from_memory": 0, "translated": units, "unchanged": 0, "failed": 0}
            if result.counts != expected:  # e.g. a paragraph cut into two segments: not the same work
                raise BenchmarkError(f"pipeline segments {result.counts} != one per title/paragraph {expected}")
        e = self.engine
        return WorkDone(e.segments, e.source_tokens, e.generated_tokens, e.decoded_tokens)


def _settings(threads: int, **changes):
    from translator.config import Settings

    return Settings(threads=threads, glossary=None, **changes)


def _torch_pipeline(quantized: bool = False, **options) -> Callable[[Path, Path, int], Runner]:
    def load(model_dir: Path, ct2_dir: Path, threads: int) -> Runner:
        settings = _settings(threads)
        engine = ForcedLengthMarianEngine.load(str(model_dir), settings)
        if quantized:
            import torch

            with warnings.catch_warnings():  # torch.ao.quantization is deprecated but still the simple way
                warnings.simplefilter("ignore")
                engine.model = torch.ao.quantization.quantize_dynamic(engine.model, {torch.nn.Linear},
                                                                      dtype=torch.qint8)
        return PipelineRunner(engine, settings=settings, **options)
    return load


def _ct2_pipeline(beams: int | None = None, **options) -> Callable[[Path, Path, int], Runner]:
    def load(model_dir: Path, ct2_dir: Path, threads: int) -> Runner:
        settings = _settings(threads, beams=beams)
        engine = ForcedLengthCTranslate2Engine.load(str(ct2_dir), settings)
        return PipelineRunner(engine, settings=settings, **options)
    return load


SYSTEMS: dict[str, System] = {s.name: s for s in [
    System(BASELINE, "(a) baseline: transformers generate, one paragraph at a time, beam 4, fp32",
           lambda model_dir, ct2_dir, threads: BaselineRunner(model_dir, threads)),
    System("pipeline-torch", "(b) pipeline, torch backend, beam 4, fp32", _torch_pipeline()),
    System("pipeline-ct2-int8", "(c) pipeline, CTranslate2 backend, beam 4, int8", _ct2_pipeline(), full=True),
    System("pipeline-torch-qint8", "(d) pipeline, torch backend, beam 4, dynamic int8 Linear layers",
           _torch_pipeline(quantized=True)),
    System("pipeline-ct2-int8-greedy", "(d) pipeline, CTranslate2 backend, greedy (beam 1), int8",
           _ct2_pipeline(beams=1)),
    System("archive-ct2-int8", "(d) pipeline, CTranslate2, beam 4, int8, all articles in one call (archive job)",
           _ct2_pipeline(pooled=True), comparison=False, full=True),
]}
