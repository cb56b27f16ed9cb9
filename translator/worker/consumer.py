"""The consuming side: a Celery worker that loads the engines once and runs translation tasks.

One worker process loads the model of each of its language pairs once, then
runs ``concurrency`` tasks at a time on threads (Celery's ``threads`` pool),
all sharing the one copy of each model; concurrent tasks are batched
together for the model exactly as concurrent HTTP requests are in
``translator serve`` (:class:`~translator.engines.pooled.PooledEngine`).

Both tasks are idempotent through the store: an article version whose
current translation is stored is not translated again, and the store's
single-flight lock makes two deliveries of one task (a redelivery after a
worker died, a duplicate enqueue) translate it once.
"""

from __future__ import annotations

import importlib
import logging
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

from ..service.articles import ArticleNotFound, failure_reason
from ..config import Settings
from ..engines import Engine, load_engine
from ..errors import ConfigError, EngineBusy, TranslatorError
from ..service.requests import TranslateRequest, translate_request
from ..service.runtime import Runtime, build_runtime
from ..tasks.app import ARTICLE_TASK, PRIORITIES, REQUEST_TASK, make_celery, queue_names, worker_name
from ..tasks.board import HEARTBEAT_INTERVAL

__all__ = ["Heartbeat", "TaskHandlers", "load_engine_factory", "run_worker"]

log = logging.getLogger(__name__)

EngineFactory = Callable[[Settings, str], Engine]


def load_engine_factory(spec: str | None) -> EngineFactory:
    """``MODULE:NAME`` -> that callable (``factory(settings, model) -> Engine``); None -> :func:`load_engine`."""
    if not spec:
        return load_engine
    module_name, _, attribute = spec.partition(":")
    try:
        factory = getattr(importlib.import_module(module_name), attribute)
    except (ImportError, AttributeError, ValueError) as exc:
        raise ConfigError(f"--engine-factory {spec!r}: cannot import it ({exc})") from None
    if not callable(factory):
        raise ConfigError(f"--engine-factory {spec!r} is not callable")
    return factory


class TaskHandlers:
    """The task bodies, on one process's runtime (translators loaded once) and the task board."""

    def __init__(self, runtime: Runtime, name: str):
        self.runtime = runtime
        self.board = runtime.tasks.board
        self.name = name

    def load(self, pairs: Sequence[str]) -> None:
        """Load the model of each pair once and announce its engine identity (for processes without one)."""
        for pair in pairs:
            identity = self.runtime.translator(pair).engine.identity
            self.board.announce_identity(pair, identity)
            log.info("worker %s: %s ready (%s)", self.name, pair, identity)

    def translate_article(self, article_id: str, version: int, lang: str, job: str | None = None) -> None:
        """Translate one stored version into ``lang`` unless its current translation is stored; a
        reader's request (no batch ``job``) in reading order, its progress shared for the 202."""
        try:
            self.runtime.articles(lang).translate(article_id, version, progressive=job is None)
        except ArticleNotFound as exc:  # pruned or purged since it was queued: nothing to do
            self._failed(article_id, version, lang, job, exc, lasting=False)
        except TranslatorError as exc:
            log.error("translating %s v%d into %s failed: %s", article_id, version, lang, exc)
            self._failed(article_id, version, lang, job, exc)
        except Exception as exc:
            log.exception("translating %s v%d into %s failed", article_id, version, lang)
            self._failed(article_id, version, lang, job, exc)
        else:
            if job is not None:
                self.board.clear_job_failure(job, article_id, version)
            self.board.count_task(self.name, "done")
        finally:
            self.board.unmark_pending(lang, article_id, version)

    def _failed(self, article_id: str, version: int, lang: str, job: str | None, error: Exception, *,
                lasting: bool = True) -> None:
        """Record the failure: a lasting one marked in the store (every reader gets it until the version
        is sent again), each for the next poll and the job."""
        message = failure_reason(error)
        if lasting:
            try:
                self.runtime.articles(lang).mark_failed(article_id, version, error)
            except TranslatorError as exc:
                log.warning("%s v%d: could not mark its failure (%s)", article_id, version, exc)
        self.board.record_failure(lang, article_id, version, message)
        if job is not None:
            self.board.record_job_failure(job, article_id, version, message)
        self.board.count_task(self.name, "failed")

    def translate_request(self, key: str, pair: str) -> None:
        """Translate the texts of one ``POST /v1/translate`` and hand the answer back."""
        request = self.board.take_request(key)
        if request is None:  # the web process stopped waiting (its request expired)
            log.info("translate request %s expired before a worker took it", key)
            return
        try:
            reply = translate_request(self.runtime, TranslateRequest.from_dict(pair, request)).to_dict()
        except EngineBusy as exc:
            reply = {"error": str(exc), "busy": True}
        except TranslatorError as exc:
            reply = {"error": str(exc)}
        except Exception as exc:
            log.exception("translate request %s failed", key)
            reply = {"error": f"{type(exc).__name__}: {exc}"}
        self.board.put_reply(key, reply)
        self.board.count_task(self.name, "failed" if "error" in reply else "done")


class Heartbeat:
    """Once the worker consumes, every :data:`HEARTBEAT_INTERVAL` seconds: a heartbeat into the task
    board (``/readyz`` and ``translator_workers{pair}`` count the live workers of each pair) and, with a
    ``health_file``, a touch of that file while the broker answers.

    A container healthcheck then only compares the file's age with a limit:
    healthy means the models are loaded, the worker consumes and its broker answers.
    """

    def __init__(self, app, board, name: str, pairs: Sequence[str], health_file: Path | None = None,
                 interval: float = HEARTBEAT_INTERVAL):
        self.app = app
        self.board = board
        self.name = name
        self.pairs = list(pairs)
        self.path = None if health_file is None else Path(health_file)
        self.interval = interval
        self._stop = threading.Event()

    def start(self, **_signal_arguments) -> None:
        threading.Thread(target=self._run, name="heartbeat", daemon=True).start()

    def _run(self) -> None:
        while True:
            try:
                self.board.beat(self.name, self.pairs)
            except TranslatorError as exc:
                log.warning("worker %s: no heartbeat: the store does not answer (%s)", self.name, exc)
            if self.path is not None:
                try:
                    with self.app.connection_for_read() as connection:
                        connection.ensure_connection(max_retries=1, timeout=5)
                    self.path.touch()
                except Exception as exc:
                    log.warning("health file %s not touched: the broker does not answer (%s)", self.path, exc)
            if self._stop.wait(self.interval):
                return

    def stop(self) -> None:
        """Stop beating and say so (the worker no longer counts as alive)."""
        self._stop.set()
        try:
            self.board.forget(self.name, self.pairs)
        except TranslatorError as exc:
            log.warning("worker %s: could not sign off: %s", self.name, exc)


def run_worker(settings: Settings, *, pairs: Sequence[str] | None = None, priorities: Sequence[str] = PRIORITIES,
               concurrency: int = 1, engine_factory: EngineFactory | None = None, loglevel: str = "INFO",
               health_file: Path | None = None) -> int:
    """Load the engines of ``pairs`` (default: every configured pair), then consume their queues.

    ``health_file``: touched while the worker consumes and its broker answers (see :class:`Heartbeat`).

    Returns the worker's exit status once it stops (SIGTERM / Ctrl-C: after
    the tasks running then; SIGKILL: their messages go back to the queue).
    """
    if not settings.broker:
        raise ConfigError("translator worker needs TRANSLATOR_BROKER (redis://HOST:PORT/DB or amqp://...)")
    runtime = build_runtime(settings.replace(web_engine=True), serving=True,
                             engine_factory=engine_factory)
    try:
        pairs = list(pairs or runtime.pairs)
        unknown = [pair for pair in pairs if pair not in runtime.pairs]
        if unknown:
            raise ConfigError(f"--pairs: {', '.join(unknown)} not configured; available: {', '.join(runtime.pairs)}")
        handlers = TaskHandlers(runtime, worker_name())
        handlers.load(pairs)  # every model once, before taking any task
        name = handlers.name
        app = make_celery(settings, pairs)
        app.task(name=ARTICLE_TASK)(handlers.translate_article)
        app.task(name=REQUEST_TASK)(handlers.translate_request)
        queues = queue_names(settings, pairs, priorities)
        runtime.tasks.board.register_worker(name)
        log.info("worker %s: translates %s for every web process sharing broker %s and store %s; consuming %s "
                 "with %d thread%s", name, ", ".join(pairs), runtime.tasks.description, runtime.store.description,
                 ", ".join(queues), concurrency, "" if concurrency == 1 else "s")
        heartbeat = Heartbeat(app, runtime.tasks.board, name, pairs, health_file)
        from celery.signals import worker_ready

        worker_ready.connect(heartbeat.start, weak=False)
        worker = app.Worker(hostname=name, pool_cls="threads", concurrency=concurrency, queues=queues,
                            loglevel=loglevel, without_mingle=True, without_gossip=True, without_heartbeat=True,
                            quiet=True)
        try:
            worker.start()
        finally:
            heartbeat.stop()
        return worker.exitcode or 0
    finally:
        runtime.close()
