"""Articles: stored versions and their translations, translated once however many ask.

:class:`ArticleService` sits between the callers (HTTP endpoints, batch job)
and the store + pipeline. Storing an article creates a version when its
content changed; translating a version goes through the pipeline, whose
translation memory is the store, so a new version only sends its changed
segments to the model. A stored translation is served only while it was
made by the current engine identity and glossary version; otherwise the
version is translated again (again reusing every segment the memory holds).

Background translations (:meth:`ArticleService.start_translation`) wait in a
queue; a worker takes every article waiting there (up to ``pool_articles``)
and translates them in one pipeline pass, so their segments share the
engine's batches, in reading order: title and first paragraph first, so that
:meth:`ArticleService.partial` has the top of the article to show while the
rest is translated (:meth:`Translator.translate_articles_in_stages`).

A translation that fails for a reason another attempt would not change (anything
but a busy or unloaded engine, or a store or broker that did not answer) is
marked failed in the store, once, with its reason (:class:`LastingFailure`):
every reader gets that answer, and it is tried again only for a new version
or when the same version is sent again (:meth:`ArticleService.retry_failed`).

Every translation handed out has the human memory (editors' corrections and
approvals, :mod:`translator.editorial.units`) applied as it is at that moment.
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from typing import Protocol

from ..errors import EngineBusy, ModelUnavailable, StoreError, TranslatorError
from .formats import translate_articles
from .pooling import pool_or_each
from ..pipeline.status import TextStatus
from ..pipeline.translator import ArticleTranslation, PartialArticle, Translator
from ..store import ArticleVersion, PutResult, Store, StoredTranslation
from ..text.timestamps import utc_timestamp
from ..html.corrections import rebuild_corrected
from ..editorial.units import apply_human, build_units

__all__ = ["MAX_VERSION", "TRANSIENT_FAILURES", "ArticleNotFound", "ArticleService", "BackgroundTranslations",
           "LastingFailure", "failure_reason", "is_lasting", "not_found"]

log = logging.getLogger(__name__)

#: Transient failures of background translations remembered for :meth:`ArticleService.take_failure`.
_MAX_FAILURES = 1024
#: Failures another attempt may not meet (a busy or unloaded engine, a store or broker that did not
#: answer): reported once, and the next read tries again. Any other failure is lasting.
TRANSIENT_FAILURES = (EngineBusy, ModelUnavailable, StoreError)
#: The longest failure reason kept (an exception's message can be long).
_MAX_REASON = 500


#: Versions are stored as 64-bit integers: a larger one cannot exist (and cannot be looked up).
MAX_VERSION = 2**63 - 1


class ArticleNotFound(TranslatorError):
    """The article, or the requested version of it, is not in the store."""


class LastingFailure(TranslatorError):
    """A version that cannot be translated, as marked in the store: ``reason`` says why."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def is_lasting(error: BaseException) -> bool:
    """Whether another attempt would fail the same way (see :data:`TRANSIENT_FAILURES`); an interrupt
    (not an ``Exception``: a stop) never is."""
    return isinstance(error, Exception) and not isinstance(error, TRANSIENT_FAILURES)


def failure_reason(error: BaseException) -> str:
    """What a reader is told of a lasting failure: an expected failure's message, else the exception's
    type and message (the log has the traceback), at most a few hundred characters."""
    reason = str(error) if isinstance(error, TranslatorError) else f"{type(error).__name__}: {error}"
    return reason if len(reason) <= _MAX_REASON else reason[:_MAX_REASON - 1] + "…"


def not_found(article_id: str, version: int | None = None) -> ArticleNotFound:
    """The error for an article (or one of its versions) that is not in the store."""
    if version is None:
        return ArticleNotFound(f"no article {article_id!r}")
    return ArticleNotFound(f"article {article_id!r} has no version {version}")


class BackgroundTranslations(Protocol):
    """Where background translations run instead of this process's pool: the task queue and its
    workers (:class:`translator.tasks.dispatch.QueuedTranslations`)."""

    def start(self, article_id: str, version: int) -> None: ...

    def is_translating(self, article_id: str, version: int | None = None) -> bool: ...

    def take_failure(self, article_id: str, version: int) -> BaseException | None: ...

    def record_progress(self, article_id: str, version: int, partial: PartialArticle | None) -> None: ...

    def partial(self, article_id: str, version: int) -> PartialArticle | None: ...


class ArticleService:
    """Store article versions and serve their translations into ``lang``.

    ``workers`` threads run background translations (:meth:`start_translation`),
    each taking up to ``pool_articles`` waiting articles into one pipeline pass, unless
    ``background`` is given: then they run there (on the task queue's workers).
    """

    def __init__(self, store: Store, translator: Translator, *, lang: str = "fr", workers: int = 1,
                 pool_articles: int = 32, background: BackgroundTranslations | None = None):
        if pool_articles < 1:
            raise ValueError("pool_articles must be at least 1")
        self.store = store
        self.translator = translator
        self.lang = lang
        self.pool_articles = pool_articles
        self.background = background
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix=f"translate-{lang}")
        self._pending: set[tuple[str, int]] = set()
        self._queue: deque[ArticleVersion] = deque()  # background translations not started yet
        self._progress: dict[tuple[str, int], PartialArticle] = {}
        self._failures: dict[tuple[str, int], BaseException] = {}
        self._pending_guard = threading.Lock()

    # -- sources ---------------------------------------------------------------------------------

    def put(self, article_id: str, *, title: str, body: str, format: str = "text",
            url: str | None = None) -> PutResult:
        """Store the article; a new version only when title, body, format or URL changed."""
        return self.store.put_article(article_id, title=title, body=body, format=format, url=url)

    def get(self, article_id: str, version: int | None = None) -> ArticleVersion:
        """The latest version, or ``version``; :class:`ArticleNotFound` if there is none."""
        if version is not None and version > MAX_VERSION:  # the store could not even be asked
            raise not_found(article_id, version)
        article = self.store.get_article(article_id, version)
        if article is None:
            raise not_found(article_id, version)
        return article

    # -- translations ----------------------------------------------------------------------------

    def cached_translation(self, article_id: str, version: int | None = None) -> StoredTranslation | None:
        """The stored, current translation of the version, or None; never calls the model."""
        cached = self._current(self.get(article_id, version))
        return self.with_human(cached) if cached is not None else None

    def with_human(self, translation: StoredTranslation) -> StoredTranslation:
        """``translation`` with the human memory's corrections and approvals applied (and ``reviewed``)."""
        def rebuild_html(machine_html: str, units) -> tuple[str, list[str]]:
            # The English places the tags on an editor's French (only read when a correction applies).
            article = self.store.get_article(translation.id, translation.version)
            return rebuild_corrected(machine_html, units, article.body if article is not None else None)

        return apply_human(translation, self.store, rebuild_html=rebuild_html)

    def translate(self, article_id: str, version: int | None = None, *,
                  progressive: bool = False) -> StoredTranslation:
        """The version's translation: the stored one if current, else translated now, once.

        Concurrent callers for the same version (threads here; processes and
        machines with the Redis store) wait for the one that translates.
        ``progressive``: in reading order, what is done so far shown by
        :meth:`partial` (here, and with ``background`` in every process): a
        reader is waiting for it.
        """
        article = self.get(article_id, version)
        cached = self._current(article)
        if cached is not None:
            return self.with_human(cached)
        with self.store.lock(self._lock_name(article)):
            cached = self._current(article)  # someone may have finished while we waited
            if cached is not None:
                return self.with_human(cached)
            if not progressive:
                return self.with_human(self._translate_and_store([article])[0])
            with self._recording_progress([(article.id, article.version)]) as progress:
                return self.with_human(self._translate_and_store([article], on_stage=progress)[0])

    def translate_versions(self, versions: Sequence[ArticleVersion], *,
                           batch_articles: int = 32) -> list[StoredTranslation]:
        """Translate many versions, ``batch_articles`` at a time, each batch one pipeline pass.

        Versions whose current translation is stored are skipped. Each batch is
        stored as soon as it is done, so an interrupted run loses at most one
        batch and the next run picks up from there. Returns one translation per
        input version, in order.
        """
        if batch_articles < 1:
            raise ValueError("batch_articles must be at least 1")
        done: dict[tuple[str, int], StoredTranslation] = {}
        todo: dict[tuple[str, int], ArticleVersion] = {}
        for article in versions:
            key = (article.id, article.version)
            if key in done or key in todo:
                continue
            cached = self._current(article)
            if cached is not None:
                done[key] = cached
            else:
                todo[key] = article
        pending = list(todo.values())
        for start in range(0, len(pending), batch_articles):
            batch = pending[start:start + batch_articles]
            for article, stored in zip(batch, self._translate_and_store(batch)):
                done[(article.id, article.version)] = stored
        return [self.with_human(done[(a.id, a.version)]) for a in versions]

    def translate_pool(self, versions: Sequence[ArticleVersion]) -> list[StoredTranslation | Exception]:
        """The versions' translations in one pipeline pass (:meth:`translate_versions`); when that
        fails, each version alone, so only a failing one fails: its item is then the exception."""
        return [result for _, result in
                pool_or_each(versions, lambda pool: self.translate_versions(pool, batch_articles=len(pool)))]

    def start_translation(self, article_id: str, version: int | None = None, *, again: bool = False) -> None:
        """Translate the version in the background unless that is already under way here.

        Raises :class:`ArticleNotFound` at once for an unknown article or
        version; a failure of the translation itself is logged and kept for
        :meth:`take_failure` (a lasting one marked in the store). ``again``: a
        failure marked for the version is forgotten first (the version was sent again).
        """
        article = self.get(article_id, version)
        if self.background is not None:
            if again:
                self.store.remove_pending(self.lang, article.id, article.version)
            self.background.start(article.id, article.version)
            return
        key = (article.id, article.version)
        with self._pending_guard:
            if key in self._pending:
                return
        # Durably first: a process killed from here on leaves it for resume_pending at the next start.
        self.store.add_pending(self.lang, article.id, article.version)
        with self._pending_guard:
            if key in self._pending:
                return
            self._pending.add(key)
            self._failures.pop(key, None)
            self._queue.append(article)
        try:
            self._executor.submit(self._translate_queued)
        except RuntimeError:  # shut down
            with self._pending_guard:
                self._pending.discard(key)
                self._queue.remove(article)
            raise

    def retry_failed(self, article_id: str, version: int) -> bool:
        """Start the version's translation again if it is marked failed (an explicit retranslation:
        the version was sent again); whether it was."""
        if self.store.failure(self.lang, article_id, version) is None:
            return False
        log.info("%s v%d: sent again after its translation failed: translating it again", article_id, version)
        self.start_translation(article_id, version, again=True)
        return True

    def mark_failed(self, article_id: str, version: int, error: BaseException) -> bool:
        """Mark the version failed in the store when ``error`` is lasting (:func:`is_lasting`), with its
        reason; whether it was."""
        if not is_lasting(error):
            return False
        self.store.mark_failed(self.lang, article_id, version, failure_reason(error))
        return True

    def resume_pending(self) -> int:
        """Start again the translations accepted but left unfinished by a stopped process (the store's
        ``pending`` record, oldest first); how many were started. Those of versions gone since are forgotten."""
        resumed = 0
        for article_id, version in self.store.pending(self.lang):
            try:
                self.start_translation(article_id, version)
            except ArticleNotFound:
                self.store.remove_pending(self.lang, article_id, version)
            else:
                resumed += 1
        return resumed

    def partial(self, article_id: str, version: int) -> PartialArticle | None:
        """What a background translation of the version has finished so far (title, first
        paragraphs in reading order): in this process, else (with ``background``) on a worker;
        None when none is under way or nothing is finished yet."""
        with self._pending_guard:
            found = self._progress.get((article_id, version))
        if found is None and self.background is not None:
            try:
                return self.background.partial(article_id, version)
            except TranslatorError as exc:  # progress is a nicety: the 202 goes out without it
                log.warning("progress of %s v%d not readable: %s", article_id, version, exc)
        return found

    def is_translating(self, article_id: str, version: int | None = None) -> bool:
        """Whether a background translation of the version (of any version if None) is queued or
        running in this process (anywhere, with ``background``)."""
        if self.background is not None:
            return self.background.is_translating(article_id, version)
        with self._pending_guard:
            if version is not None:
                return (article_id, version) in self._pending
            return any(pending_id == article_id for pending_id, _ in self._pending)

    def take_failure(self, article_id: str, version: int) -> BaseException | None:
        """Why the version's background translation failed, if it did: a :class:`LastingFailure`
        marked in the store (every time, until the version is sent again), else the transient failure
        of the last attempt in this process (by a worker, with ``background``), forgotten once taken so
        that the next request starts it again."""
        reason = self.store.failure(self.lang, article_id, version)
        if reason is not None:
            return LastingFailure(reason)
        if self.background is not None:
            return self.background.take_failure(article_id, version)
        with self._pending_guard:
            return self._failures.pop((article_id, version), None)

    def shutdown(self, wait: bool = True) -> None:
        """Stop the background workers (queued translations are dropped unless ``wait``)."""
        self._executor.shutdown(wait=wait, cancel_futures=not wait)

    # -- steps -----------------------------------------------------------------------------------

    def _current(self, article: ArticleVersion) -> StoredTranslation | None:
        stored = self.store.get_translation(article.id, article.version, self.lang)
        if stored is None:
            return None
        if stored.model != self.translator.engine.identity or \
                stored.glossary_version != self.translator.glossary_version:
            log.debug("stored translation of %s v%d is stale (model %s, glossary %s)",
                      article.id, article.version, stored.model, stored.glossary_version)
            return None
        return stored

    def _translate_queued(self) -> None:
        """Translate every article waiting in the queue (up to ``pool_articles``) in one staged pass;
        when that fails, each article alone, so only a failing article records the failure."""
        with self._pending_guard:
            pool = [self._queue.popleft() for _ in range(min(len(self._queue), self.pool_articles))]
        if not pool:
            return  # an earlier worker took these articles into its pool

        def translate(articles: Sequence[ArticleVersion]) -> list[None]:
            self._translate_locked(articles)
            return [None] * len(articles)

        # Anything at all is recorded for take_failure and logged: a worker thread has no caller to raise to.
        for article, error in pool_or_each(pool, translate, catching=BaseException):
            self._finished((article.id, article.version), error)

    def _translate_locked(self, pool: Sequence[ArticleVersion]) -> None:
        """Translate and store the pool's versions that are not current yet, holding each one's
        single-flight lock (taken in name order, so two pools never wait for each other)."""
        with ExitStack() as locks:
            for article in sorted(pool, key=self._lock_name):
                locks.enter_context(self.store.lock(self._lock_name(article)))
            todo = [a for a in pool if self._current(a) is None]
            if not todo:
                return
            with self._recording_progress([(a.id, a.version) for a in todo]) as progress:
                self._translate_and_store(todo, on_stage=progress)

    @contextmanager
    def _recording_progress(self, keys: Sequence[tuple[str, int]]):
        """A stage callback for versions ``keys`` (by index) that keeps what is done for
        :meth:`partial`, shared with other processes through ``background``; forgotten at the end."""
        def share(key: tuple[str, int], partial: PartialArticle | None) -> None:
            if self.background is None:
                return
            try:
                self.background.record_progress(*key, partial)
            except TranslatorError as exc:  # a nicety: never a reason to fail the translation
                log.warning("progress of %s v%d not shared: %s", key[0], key[1], exc)

        def progress(index: int, partial: PartialArticle) -> None:
            with self._pending_guard:
                self._progress[keys[index]] = partial
            share(keys[index], partial)

        try:
            yield progress
        finally:
            with self._pending_guard:
                for key in keys:
                    self._progress.pop(key, None)
            for key in keys:
                share(key, None)

    def _translate_and_store(self, articles: Sequence[ArticleVersion], *,
                             on_stage: Callable[[int, PartialArticle], None] | None = None
                             ) -> list[StoredTranslation]:
        # Each result carries the version of the one glossary snapshot it was made with: should the
        # glossary change meanwhile (a live edit), the translation is labelled with the older version
        # and so is redone, never served as current. (HTML results carry none: the version read
        # before translating labels them, which errs the same safe way.)
        glossary_version = self.translator.glossary_version
        results = translate_articles(self.translator, [(a.title, a.body, a.format) for a in articles],
                                     on_stage=on_stage)
        stored = [self._stored(a, r, r.glossary_version or glossary_version) for a, r in zip(articles, results)]
        for translation in stored:
            self.store.put_translation(translation)
            log.info("translated %s v%d into %s: %s", translation.id, translation.version, self.lang,
                     translation.segments)
            if translation.status == TextStatus.PARTIAL:
                log.warning("article %s version %d (%s): %d of %d segment(s) not translated, English kept",
                            translation.id, translation.version, self.lang, translation.segments.get("failed", 0),
                            translation.segments.get("total", 0))
        return stored

    def _stored(self, article: ArticleVersion, result: ArticleTranslation,
                glossary_version: str) -> StoredTranslation:
        return StoredTranslation(
            id=article.id, version=article.version, lang=self.lang, title=result.title.text,
            body=result.body.text, paragraphs=result.body.paragraphs, model=self.translator.engine.identity,
            glossary_version=glossary_version, translated_at=utc_timestamp(),
            glossary=result.glossary, segments=result.counts,
            units=build_units(result.title.segments, result.body.segments))

    def _lock_name(self, article: ArticleVersion) -> str:
        return f"translate:{self.lang}:{article.version}:{article.id}"

    def _finished(self, key: tuple[str, int], error: BaseException | None) -> None:
        # Logged before the translation stops counting as running, so whoever sees it end
        # (a reader's next request, a test) also finds its cause in the log.
        if isinstance(error, TranslatorError):
            log.error("background translation of %s v%d failed: %s", key[0], key[1], error)
        elif error is not None:
            log.error("background translation of %s v%d failed", key[0], key[1], exc_info=error)
        lasting = False
        try:  # a lasting failure is marked for every reader; a transient one is answered once, below
            lasting = error is not None and self.mark_failed(*key, error)
            if not lasting:
                self.store.remove_pending(self.lang, *key)
        except TranslatorError as exc:
            log.warning("%s v%d: could not clear its pending record (%s); the next start retranslates it "
                        "only if it is not current", key[0], key[1], exc)
        with self._pending_guard:
            self._pending.discard(key)
            if error is not None and not lasting:
                self._failures[key] = error
                while len(self._failures) > _MAX_FAILURES:  # nobody asked about the oldest ones
                    del self._failures[next(iter(self._failures))]
