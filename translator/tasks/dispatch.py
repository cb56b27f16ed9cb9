"""The sending side: web processes and ``batch --enqueue`` hand translation work to the workers.

:class:`TaskDispatcher` enqueues article translations (ids and versions
only) and ``POST /v1/translate`` requests (their texts wait on the
:class:`~translator.tasks.board.TaskBoard`, the message names them), reports
the queues' depths and whether the broker answers. :class:`QueuedTranslations`
is an :class:`~translator.service.articles.ArticleService`'s background translations
on the queue instead of the in-process pool. :class:`RemoteEngine` stands in
for the model in a process that loads none (``TRANSLATOR_WEB_ENGINE=off``).
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..config import Settings
from ..errors import EngineBusy, ModelUnavailable, TranslatorError
from ..pipeline.translator import PartialArticle
from ..store import Store
from .app import ARTICLE_TASK, INTERACTIVE, REQUEST_TASK, broker_description, make_celery, queue_name, \
    queue_names
from .board import TaskBoard

__all__ = ["BrokerUnavailable", "QueuedTranslations", "RemoteEngine", "TaskDispatcher", "TaskFigures",
           "TranslationFailed"]

log = logging.getLogger(__name__)

#: Seconds a client is asked to wait after the workers did not answer in time.
RETRY_AFTER = 5


class BrokerUnavailable(EngineBusy):
    """The broker does not answer (HTTP 503 + Retry-After, like a full engine queue)."""


class TranslationFailed(TranslatorError):
    """A worker could not translate (its message is the worker's)."""


@dataclass(frozen=True)
class TaskFigures:
    """What ``/metrics`` shows of the workers: tasks waiting per queue (from the broker), tasks done and
    failed per worker, and live workers per pair (from the task board)."""

    queue_depths: dict[str, int]
    worker_counts: dict[str, dict[str, int]]
    live_workers: dict[str, int]


class TaskDispatcher:
    """Sends translation tasks for ``pairs`` to ``settings.broker``; shared state on ``store``'s board."""

    def __init__(self, settings: Settings, store: Store, pairs: Iterable[str]):
        self.settings = settings
        self.pairs = list(pairs)
        # A queued marker lives long enough to cover a redelivery after a worker died.
        self.board = TaskBoard.of(settings, store, pending_ttl=max(600.0, 3 * settings.broker_visibility_timeout))
        self.app = make_celery(settings, self.pairs)
        self.description = broker_description(settings.broker)

    # -- sending -----------------------------------------------------------------------------------

    def _send(self, name: str, args: Sequence, *, queue: str, expires: float | None = None) -> None:
        try:
            self.app.send_task(name, args=list(args), queue=queue, routing_key=queue, expires=expires,
                               retry=True, retry_policy={"max_retries": 2, "interval_start": 0.2,
                                                         "interval_step": 0.5, "interval_max": 1})
        except Exception as exc:  # kombu's OperationalError and socket errors, whatever the transport
            raise BrokerUnavailable(f"the broker {self.description} does not answer ({exc})",
                                    retry_after=RETRY_AFTER) from None

    def enqueue_article(self, article_id: str, version: int, lang: str, *, priority: str = INTERACTIVE,
                        job: str | None = None) -> bool:
        """Queue the translation of one stored version into ``lang``.

        An interactive request for a version already queued sends nothing
        (False); a batch job always sends its own task (the worker skips a
        version whose translation is already current).
        """
        marked = self.board.mark_pending(lang, article_id, version)
        if not marked and job is None:
            return False
        try:
            self._send(ARTICLE_TASK, (article_id, version, lang, job),
                       queue=queue_name(self.settings, priority, f"en-{lang}"))
        except BrokerUnavailable:
            if marked:
                self.board.unmark_pending(lang, article_id, version)
            raise
        return True

    def translate_request(self, pair: str, request: dict) -> dict:
        """``POST /v1/translate`` on a worker: ``request`` is the request as the worker reads it
        (:meth:`translator.service.requests.TranslateRequest.to_dict`); the answer is
        ``{"translations": [...], "model"}``.

        Waits up to ``TRANSLATOR_TRANSLATE_TIMEOUT`` seconds; then raises
        :class:`EngineBusy` (503 + Retry-After) and the task expires unserved.
        """
        timeout = self.settings.translate_timeout
        key = uuid.uuid4().hex
        self.board.put_request(key, request, ttl=timeout + 10)
        self._send(REQUEST_TASK, (key, pair), queue=queue_name(self.settings, INTERACTIVE, pair), expires=timeout)
        reply = self.board.wait_reply(key, timeout)
        if reply is None:
            raise EngineBusy(f"no translation worker answered within {timeout:g} s; try again shortly",
                             retry_after=RETRY_AFTER)
        if "error" in reply:
            if reply.get("busy"):
                raise EngineBusy(reply["error"], retry_after=RETRY_AFTER)
            raise TranslationFailed(reply["error"])
        return reply

    def background(self, lang: str) -> "QueuedTranslations":
        """An article service's background translations into ``lang``, on the interactive queue."""
        return QueuedTranslations(self, lang)

    # -- watching ------------------------------------------------------------------------------------

    def ping(self) -> None:
        """Raise :class:`BrokerUnavailable` unless the broker accepts a connection."""
        try:
            with self.app.connection_for_read() as connection:
                connection.ensure_connection(max_retries=1, timeout=3)
        except Exception as exc:
            raise BrokerUnavailable(f"the broker {self.description} does not answer ({exc})",
                                    retry_after=RETRY_AFTER) from None

    def figures(self) -> TaskFigures:
        """The workers' figures for ``/metrics`` (raises when the broker or the store fails)."""
        return TaskFigures(self.queue_depths(), self.board.worker_counts(), self.board.live_workers(self.pairs))

    def queue_depths(self) -> dict[str, int]:
        """Messages waiting in each queue of the served pairs (a queue not declared yet counts 0)."""
        depths = {}
        with self.app.connection_for_read() as connection:
            connection.ensure_connection(max_retries=1, timeout=3)
            channel = connection.channel()
            try:
                for name in queue_names(self.settings, self.pairs):
                    if connection.transport.driver_type == "redis":
                        # The Redis transport's passive declare misses queues under a global key prefix
                        # (kombu 5.7); its own size count (every priority list of the queue) does not.
                        depths[name] = channel._size(name)
                        continue
                    try:
                        depths[name] = channel.queue_declare(name, passive=True).message_count
                    except connection.channel_errors:  # no such queue yet (and RabbitMQ closed the channel)
                        depths[name] = 0
                        channel = connection.channel()
            finally:
                try:
                    channel.close()
                except Exception:
                    pass
        return depths

    def close(self) -> None:
        """Release the broker connections."""
        try:
            self.app.close()
        except Exception:
            log.debug("closing the Celery app failed", exc_info=True)


class QueuedTranslations:
    """Background translations into ``lang`` as tasks (what the in-process pool does in one process)."""

    def __init__(self, dispatcher: TaskDispatcher, lang: str):
        self.dispatcher = dispatcher
        self.lang = lang

    def start(self, article_id: str, version: int) -> None:
        """Queue the version on the interactive queue unless it is queued already."""
        self.dispatcher.enqueue_article(article_id, version, self.lang, priority=INTERACTIVE)

    def is_translating(self, article_id: str, version: int | None = None) -> bool:
        """Whether a translation of the version (any version when None) is queued or running anywhere."""
        return self.dispatcher.board.is_pending(self.lang, article_id, version)

    def take_failure(self, article_id: str, version: int) -> BaseException | None:
        """The failure a worker recorded for the version, forgotten once taken."""
        message = self.dispatcher.board.take_failure(self.lang, article_id, version)
        return TranslationFailed(message) if message is not None else None

    def record_progress(self, article_id: str, version: int, partial: PartialArticle | None) -> None:
        """Share what this worker has finished of the version (None: clear it) with every web process."""
        self.dispatcher.board.put_progress(self.lang, article_id, version,
                                           partial.to_dict() if partial is not None else None)

    def partial(self, article_id: str, version: int) -> PartialArticle | None:
        """What a worker has finished of the version so far (title, first paragraphs), if anything."""
        found = self.dispatcher.board.progress(self.lang, article_id, version)
        return PartialArticle.from_dict(found) if found is not None else None

    def shutdown(self, wait: bool = True) -> None:
        """Nothing runs here: the workers keep the queued work."""


class RemoteEngine:
    """The model of ``pair`` as seen by a process that loads none: the identity its workers announced.

    It lets an :class:`~translator.service.articles.ArticleService` tell a current
    stored translation from a stale one; translating here is an error (the
    workers translate). Before any worker announced itself the identity is
    ``""``: nothing stored counts as current, so it is queued again.
    """

    max_input_tokens = 512

    def __init__(self, board: TaskBoard, pair: str):
        self.board = board
        self.pair = pair

    @property
    def identity(self) -> str:
        return self.board.identity(self.pair) or ""

    def count_tokens(self, text: str) -> int:
        return len(text.split()) + 1

    def translate(self, texts: Sequence[str], *, fallback: bool = False) -> list[str]:
        raise ModelUnavailable(f"this process loads no model (TRANSLATOR_WEB_ENGINE=off); the workers translate "
                               f"{self.pair}")
