"""Running a batch: store the articles as versions, translate them in pooled passes, write the outputs.

Articles go through :class:`~translator.service.articles.ArticleService` exactly as
over HTTP: each is stored as a version (a new one only when its content
changed), and translated through the pipeline with the store as translation
memory and the configured glossary. Articles are taken ``pool`` at a time;
each pool is one :meth:`ArticleService.translate_pool` call, so the
segments of all its articles are length-sorted and batched for the engine
together (and should that pass fail, each article is translated alone). Each
pass is stored as soon as it is done.

Resuming needs nothing special: a rerun stores the same versions again (no
change, so no new version), finds their translations current in the store,
and writes the outputs without calling the model.

Duplicate ids (within an input or across inputs) name one article in the
store: the last occurrence in input order is stored and translated; an
earlier line with the same content shares its translation, an earlier line
with different content fails ("the later one wins").
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from ..service.articles import ArticleService
from ..engines.metered import ModelWork
from ..errors import TranslatorError
from ..store import ArticleVersion
from .inputs import ArticleItem, BadItem, BatchInput
from .outputs import Writer, plan_outputs
from .progress import Progress, ProgressSnapshot, SilentProgress
from .report import BatchReport, InputReport, Outcome

if TYPE_CHECKING:
    from .distributed import JobResults

__all__ = ["DEFAULT_POOL", "run_batch"]

log = logging.getLogger(__name__)

#: Articles per pooled pipeline pass: enough segments to fill the engine's batches, and a
#: Ctrl-C waits for at most one pass.
DEFAULT_POOL = 32

T = TypeVar("T")


@dataclass
class _PlannedArticle:
    """One article id to store and translate, and the input items that receive its translation."""

    article: ArticleItem
    refs: list[tuple[int, ArticleItem]] = field(default_factory=list)  # (input index, item)


def _failure(what: str, exc: Exception) -> str:
    """The message of a failure: an expected one's own, an unexpected one's logged with context."""
    if isinstance(exc, TranslatorError):
        return str(exc)
    log.error("%s failed", what, exc_info=exc)
    return f"{type(exc).__name__}: {exc}"


def _guarded(what: str, action: Callable[[], T]) -> tuple[T | None, str | None]:
    """Run ``action``; a failure gives its message (:func:`_failure`) instead of its result."""
    try:
        return action(), None
    except Exception as exc:  # one bad article must not stop the batch
        return None, _failure(what, exc)


class _Run:
    """One batch run's state."""

    def __init__(self, inputs: Sequence[BatchInput], out_dir: Path, service: ArticleService, *,
                 pool: int, progress: Progress, stop: threading.Event, work: Callable[[], ModelWork] | None,
                 results: "JobResults | None" = None):
        self.inputs = list(inputs)
        self.results = results
        self.writers: list[Writer] = plan_outputs(self.inputs, out_dir)
        self.service = service
        self.pool = pool
        self.progress = progress
        self.stop = stop
        engine = service.translator.engine
        self.work = work
        self._work_start = work() if work is not None else ModelWork()
        self.report = BatchReport(model=engine.identity, glossary_version=service.translator.glossary_version,
                                  store=getattr(service.store, "description", type(service.store).__name__))
        self.report.inputs = [InputReport(source.label, writer.output, writer.kind, len(source.items))
                              for source, writer in zip(self.inputs, self.writers)]
        self.started = time.monotonic()
        self.done = 0
        self.segments = 0

    # -- settling items ------------------------------------------------------------------------------

    def settle(self, index: int, item: ArticleItem | BadItem, outcome: Outcome) -> None:
        self.writers[index].settle(item, outcome)
        self.report.record(index, outcome, line=item.line, path=item.path, article_id=item.id)
        if not outcome.ok:
            self.progress.message(f"error: {self.inputs[index].location(item)}: {outcome.error}")

    def flush(self) -> None:
        for writer, entry in zip(self.writers, self.report.inputs):
            writer.flush()
            entry.written = writer.written

    # -- planning ------------------------------------------------------------------------------------

    def plan(self) -> list[_PlannedArticle]:
        """Bad items settled at once; article items grouped by id (the last occurrence wins)."""
        by_id: dict[str, _PlannedArticle] = {}
        for index, source in enumerate(self.inputs):
            for item in source.items:
                if isinstance(item, BadItem):
                    self.settle(index, item, Outcome(error=item.error))
                    continue
                planned = by_id.setdefault(item.id, _PlannedArticle(item))
                planned.article = item
                planned.refs.append((index, item))
        for planned in by_id.values():
            winner = planned.article
            where = next(self.inputs[i].location(item) for i, item in planned.refs if item is winner)
            kept = []
            for index, item in planned.refs:
                if item.same_content(winner):
                    kept.append((index, item))
                else:
                    self.settle(index, item, Outcome(error=f"id {item.id!r} appears again at {where} with "
                                                           f"different content; the later one is translated"))
            planned.refs = kept
        return list(by_id.values())

    # -- translating ---------------------------------------------------------------------------------

    def store_version(self, planned: _PlannedArticle) -> tuple[ArticleVersion | None, str | None]:
        article = planned.article
        if self.results is not None:  # collecting a distributed job: the version it stored, nothing new
            return _guarded(f"reading article {article.id!r}", lambda: self.results.version(article))

        def put() -> ArticleVersion:
            stored = self.service.put(article.id, title=article.title, body=article.body, format=article.format,
                                      url=article.url)
            return self.service.get(article.id, stored.version)

        return _guarded(f"storing article {article.id!r}", put)

    def translate_pool(self, pool: list[_PlannedArticle]) -> list[Outcome]:
        """Store the pool's versions, reuse current stored translations, translate the rest in one pass."""
        outcomes: list[Outcome | None] = [None] * len(pool)
        todo: list[tuple[int, ArticleVersion]] = []
        for position, planned in enumerate(pool):
            version, error = self.store_version(planned)
            if version is None:
                outcomes[position] = Outcome(error=error)
                continue
            cached, error = _guarded(f"reading the translation of {version.id!r}",
                                     lambda v=version: self.service.cached_translation(v.id, v.version))
            if cached is not None:
                outcomes[position] = Outcome(cached, from_store=True)
            elif error is not None:
                outcomes[position] = Outcome(error=error)
            else:
                todo.append((position, version))
        if todo:
            for (position, _), outcome in zip(todo, self.translate_versions([v for _, v in todo])):
                outcomes[position] = outcome
        return outcomes

    def translate_versions(self, versions: list[ArticleVersion]) -> list[Outcome]:
        """One pooled pass; if it fails, each article alone, so only the failing ones fail."""
        if self.results is not None:  # collecting: the workers translated; what is missing failed there
            return [self.results.outcome(v) for v in versions]
        return [Outcome(error=_failure(f"translating article {version.id!r}", result))
                if isinstance(result, Exception) else Outcome(result)
                for version, result in zip(versions, self.service.translate_pool(versions))]

    # -- the run -------------------------------------------------------------------------------------

    def snapshot(self) -> ProgressSnapshot:
        tokens = self.work().source_tokens - self._work_start.source_tokens if self.work else 0
        return ProgressSnapshot(self.done, self.total, self.segments, tokens, time.monotonic() - self.started)

    def run(self) -> BatchReport:
        planned = self.plan()
        self.total = len(planned)
        self.flush()  # inputs with nothing to translate are complete already
        self.progress.start(self.total)
        try:
            for start in range(0, len(planned), self.pool):
                if self.stop.is_set():
                    break
                pool = planned[start:start + self.pool]
                for planned_article, outcome in zip(pool, self.translate_pool(pool)):
                    for index, item in planned_article.refs:
                        self.settle(index, item, outcome)
                    if outcome.ok:
                        self.segments += outcome.translation.segments.get("total", 0)
                self.done += len(pool)
                self.flush()
                self.progress.update(self.snapshot())
        finally:
            self.progress.close()
        report = self.report
        report.interrupted = self.done < self.total
        report.elapsed_s = time.monotonic() - self.started
        if self.work:
            work = self.work()
            report.model_segments = work.segments - self._work_start.segments
            report.source_tokens = work.source_tokens - self._work_start.source_tokens
        return report


def run_batch(inputs: Sequence[BatchInput], out_dir: Path, service: ArticleService, *, pool: int = DEFAULT_POOL,
              progress: Progress | None = None, stop: threading.Event | None = None,
              work: Callable[[], ModelWork] | None = None, results: "JobResults | None" = None) -> BatchReport:
    """Translate every article of ``inputs`` into ``out_dir``; see the module docstring.

    ``pool``: articles per pooled pipeline pass. ``stop``: once set, the run
    ends after the current pass (outputs of finished inputs are written,
    unfinished JSON Lines inputs are not) and the report says it was
    interrupted. ``work``: what the model was given so far (a pair's
    :meth:`~translator.service.runtime.PairRuntime.work`); with it the report has the
    model's segments and source tokens per second.

    ``results``: collect a distributed job instead (``batch collect``): each
    article's version is the one the job stored and its translation the
    stored one; nothing is stored or translated here.

    Raises :class:`~translator.batch.outputs.OutputConflict` before any work
    when outputs would collide or overwrite an input.
    """
    if pool < 1:
        raise ValueError("pool must be at least 1")
    run = _Run(inputs, Path(out_dir), service, pool=pool, progress=progress or SilentProgress(),
               stop=stop or threading.Event(), work=work, results=results)
    return run.run()
