"""Distributed batch: articles stored and queued here, translated by the workers, collected later.

``translator batch --enqueue INPUT...`` stores every article of the inputs as a
version (exactly as a local batch does: the last occurrence of an id wins)
and queues its translation on the ``bulk`` queue, recording a job (the
inputs' paths and the article versions) on the task board; it prints the job
id. ``translator batch status JOB`` counts the job's articles done (a current
translation is stored), failed (a worker recorded why) and pending.
``translator batch collect JOB --out DIR`` reads the inputs again and writes
the same output files and report as a local batch, taking every translation
from the store: it calls no model. Enqueueing again never translates an
article twice: the workers skip a version whose current translation is stored.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..service.articles import ArticleService
from ..errors import TranslatorError
from ..store import ArticleVersion
from ..text.timestamps import utc_timestamp
from ..tasks.app import BULK
from ..tasks.dispatch import TaskDispatcher
from .inputs import ArticleItem, BatchInput, JsonLinesInput, open_input
from .report import Outcome

__all__ = ["EnqueuedJob", "JobNotFound", "JobResults", "JobStatus", "enqueue_job", "job_results", "job_status"]


class JobNotFound(TranslatorError):
    """No job with that id on the task board (never enqueued with this store, or expired)."""


@dataclass(frozen=True)
class EnqueuedJob:
    """What ``batch --enqueue`` did."""

    id: str
    articles: int      # distinct article ids stored
    queued: int        # translations queued (the others were current in the store already)
    bad: int           # lines or files that are not articles (collect reports them, as a local batch does)


@dataclass(frozen=True)
class JobStatus:
    """Where a job's articles stand, from the store."""

    id: str
    total: int
    done: int
    failed: int
    pending: int
    created_at: str

    def to_dict(self) -> dict:
        return {"job": self.id, "articles": self.total, "done": self.done, "failed": self.failed,
                "pending": self.pending, "created_at": self.created_at}

    def line(self) -> str:
        return (f"job {self.id}: {self.total} articles, {self.done} done, {self.failed} failed, "
                f"{self.pending} pending")


def _winners(inputs: Sequence[BatchInput]) -> dict[str, ArticleItem]:
    """The article stored for each id: its last occurrence in input order (as in a local batch)."""
    winners: dict[str, ArticleItem] = {}
    for source in inputs:
        for item in source.items:
            if isinstance(item, ArticleItem):
                winners.pop(item.id, None)  # keep insertion order = order of the last occurrences
                winners[item.id] = item
    return winners


def enqueue_job(inputs: Sequence[BatchInput], service: ArticleService, dispatcher: TaskDispatcher) -> EnqueuedJob:
    """Store the inputs' articles, queue each translation not yet current on ``bulk``, record the job."""
    for source in inputs:
        if isinstance(source, JsonLinesInput) and source.path is None:
            raise TranslatorError("--enqueue cannot read standard input: collect reads the inputs again; "
                                  "save them to a file first")
    job_id = uuid.uuid4().hex[:16]
    versions: list[list] = []
    queued = 0
    for item in _winners(inputs).values():
        put = service.put(item.id, title=item.title, body=item.body, format=item.format, url=item.url)
        versions.append([item.id, put.version])
        if service.cached_translation(item.id, put.version) is None:
            dispatcher.enqueue_article(item.id, put.version, service.lang, priority=BULK, job=job_id)
            queued += 1
    bad = sum(1 for source in inputs for item in source.items if not isinstance(item, ArticleItem))
    dispatcher.board.put_job(job_id, {
        "inputs": [{"path": str(Path(source.label).resolve()), "label": source.label} for source in inputs],
        "lang": service.lang,
        "articles": versions, "created_at": utc_timestamp()})
    return EnqueuedJob(job_id, len(versions), queued, bad)


def _job(job_id: str, dispatcher: TaskDispatcher) -> dict:
    job = dispatcher.board.get_job(job_id)
    if job is None:
        raise JobNotFound(f"no batch job {job_id!r} in this store (TRANSLATOR_STORE); jobs are kept 30 days")
    return job


def job_status(job_id: str, service: ArticleService, dispatcher: TaskDispatcher) -> JobStatus:
    """Count the job's articles done, failed and pending (see the module docstring)."""
    job = _job(job_id, dispatcher)
    failures = dispatcher.board.job_failures(job_id)
    done = failed = 0
    for article_id, version in job["articles"]:
        if _current(service, article_id, version) is not None:
            done += 1
        elif (article_id, version) in failures:
            failed += 1
    total = len(job["articles"])
    return JobStatus(job_id, total, done, failed, total - done - failed, job["created_at"])


def _current(service: ArticleService, article_id: str, version: int):
    try:
        return service.cached_translation(article_id, version)
    except TranslatorError:  # the version was pruned or purged since
        return None


class JobResults:
    """A finished job's translations, for :func:`~translator.batch.runner.run_batch` (``collect``)."""

    def __init__(self, job_id: str, job: dict, failures: dict[tuple[str, int], str], service: ArticleService):
        self.job_id = job_id
        self.versions = {article_id: version for article_id, version in job["articles"]}
        self.failures = failures
        self.service = service

    def version(self, item: ArticleItem) -> ArticleVersion:
        """The version the job stored for ``item`` (an error if the input changed since)."""
        number = self.versions.get(item.id)
        if number is None:
            raise TranslatorError(f"article {item.id!r} is not part of job {self.job_id} (the input changed since "
                                  "it was enqueued)")
        version = self.service.get(item.id, number)
        if (version.title, version.body, version.format, version.url) != (item.title, item.body, item.format,
                                                                         item.url):
            raise TranslatorError(f"article {item.id!r} changed since job {self.job_id} was enqueued; enqueue "
                                  "it again")
        return version

    def outcome(self, version: ArticleVersion) -> Outcome:
        """Why the version has no current translation: the worker's failure, or not translated yet."""
        message = self.failures.get((version.id, version.version))
        return Outcome(error=message or "not translated (yet): see 'translator batch status'")


def job_results(job_id: str, service: ArticleService, dispatcher: TaskDispatcher
                ) -> tuple[list[BatchInput], JobResults, JobStatus]:
    """The job's inputs read again, its results, and its status; :class:`TranslatorError` while any is pending."""
    status = job_status(job_id, service, dispatcher)
    if status.pending:
        raise TranslatorError(f"{status.line()}; collect once none is pending ('translator batch status "
                              f"{job_id}')")
    job = _job(job_id, dispatcher)
    inputs = []
    for recorded in job["inputs"]:
        source = open_input(recorded["path"])
        source.label = recorded["label"]  # reports name the inputs as they were given to --enqueue
        inputs.append(source)
    return inputs, JobResults(job_id, job, dispatcher.board.job_failures(job_id), service), status
