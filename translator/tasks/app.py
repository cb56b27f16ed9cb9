"""The Celery application shared by senders (web, ``batch --enqueue``) and workers, and the queue names.

No result backend: results live in the store (translations, and the replies
of ``POST /v1/translate`` on the :class:`~translator.tasks.board.TaskBoard`).
A task is acknowledged only once it ran (``task_acks_late``), and a worker
takes one message at a time per slot (``worker_prefetch_multiplier=1``), so
a worker killed mid-task loses nothing: RabbitMQ hands its message to
another worker as soon as the dead worker's connection closes; the Redis
broker after ``TRANSLATOR_BROKER_VISIBILITY_TIMEOUT`` seconds. The tasks are
idempotent through the store (a current stored translation is never redone,
and the store's single-flight lock makes two deliveries translate once).

Priorities are two queues per language pair, ``interactive.<pair>`` (a
reader's click, an API request, a single PUT) and ``bulk.<pair>`` (batch
jobs), each name after ``TRANSLATOR_QUEUE_PREFIX``. A worker consumes the
interactive queues first: the Redis transport polls its queues in the order
given (``queue_order_strategy: priority``); RabbitMQ, with one unacknowledged
message per slot, hands out the next message from the interactive queue at
the latest after one bulk task.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Iterable, Sequence
from urllib.parse import urlsplit

from ..config import Settings
from ..errors import ConfigError
from ..store import redact_url

__all__ = ["ARTICLE_TASK", "BULK", "INTERACTIVE", "PRIORITIES", "REQUEST_TASK", "broker_description", "queue_namespace",
           "make_celery", "queue_name", "queue_names", "worker_name"]

#: A reader is waiting: a click, an API request, a single PUT.
INTERACTIVE = "interactive"
#: Nobody is waiting: batch jobs, archives.
BULK = "bulk"
#: The priorities, the most urgent first (the order workers consume their queues in).
PRIORITIES = (INTERACTIVE, BULK)

#: ``(article_id, version, lang, job_id | None)``: translate one stored article version.
ARTICLE_TASK = "translator.translate_article"
#: ``(request_key, pair)``: translate the texts of one ``POST /v1/translate`` kept on the board.
REQUEST_TASK = "translator.translate_request"

_SCHEMES = ("redis", "rediss", "amqp", "amqps", "pyamqp")


def broker_description(url: str) -> str:
    """The broker URL without its password (for logs)."""
    return redact_url(url)


#: Characters that already end a queue prefix as a separator; any other last character gets a ".".
_SEPARATORS = (".", ":", "-", "_", "/")


def queue_namespace(settings: Settings) -> str:
    """``TRANSLATOR_QUEUE_PREFIX`` ready to prepend: ``newsroom`` -> ``newsroom.``; a prefix that ends
    in a separator (``site-a.``, ``site-a:``) is used as given; no prefix: ``""``."""
    prefix = settings.queue_prefix
    return prefix if not prefix or prefix.endswith(_SEPARATORS) else prefix + "."


def queue_name(settings: Settings, priority: str, pair: str) -> str:
    """The broker queue of ``priority`` for ``pair``: ``<prefix>.<priority>.<pair>`` (see
    :func:`queue_namespace`), ``<priority>.<pair>`` without a prefix."""
    if priority not in PRIORITIES:
        raise ConfigError(f"unknown queue {priority!r}; the queues are {', '.join(PRIORITIES)}")
    return f"{queue_namespace(settings)}{priority}.{pair}"


def queue_names(settings: Settings, pairs: Iterable[str], priorities: Sequence[str] = PRIORITIES) -> list[str]:
    """Every queue of ``pairs`` x ``priorities``, the priorities' order first (how workers consume)."""
    pairs = list(pairs)
    return [queue_name(settings, priority, pair) for priority in priorities for pair in pairs]


def worker_name() -> str:
    """This worker's node name: ``translator-<pid>@<host>`` (unique per process, also on one host)."""
    return f"translator-{os.getpid()}@{socket.gethostname()}"


def check_broker_url(url: str) -> None:
    """Raise :class:`ConfigError` unless ``url`` names a Redis or RabbitMQ broker."""
    scheme = urlsplit(url).scheme.lower()
    if scheme not in _SCHEMES:
        raise ConfigError(f"TRANSLATOR_BROKER={broker_description(url)!r}: use redis://HOST:PORT/DB or "
                          "amqp://USER:PASSWORD@HOST:PORT/VHOST")


#: Seconds a read from a Redis broker may take at least before it fails (TRANSLATOR_STORE_TIMEOUT if longer).
BROKER_READ_TIMEOUT = 5.0


def transport_options(settings: Settings) -> dict:
    """Broker transport options (the Redis transport reads them; RabbitMQ ignores them)."""
    visibility = settings.broker_visibility_timeout
    return {
        "visibility_timeout": visibility,
        # Look for messages of dead workers a few times per visibility timeout, not every 100 s.
        "unacked_restore_interval": max(1, min(10, int(visibility / 4))),
        "unacked_restore_throttle": 1,
        "queue_order_strategy": "priority",  # poll the queues in the order given: interactive first
        # Every key (queues, unacknowledged messages) under the queue prefix: deployments sharing
        # one Redis database stay apart.
        "global_keyprefix": queue_namespace(settings),
        # A stalled Redis never holds a connection for good: reads and connects give up (a worker's
        # blocking pop waits 1 s at a time, well within the read timeout).
        "socket_connect_timeout": settings.store_timeout,
        "socket_timeout": max(settings.store_timeout, BROKER_READ_TIMEOUT),
    }


def make_celery(settings: Settings, pairs: Iterable[str] = ("en-fr",)):
    """The Celery app for ``settings.broker`` with the queues of ``pairs`` declared.

    ``pairs``: the language pairs whose queues this process sends to or consumes.
    """
    from celery import Celery
    from kombu import Queue

    check_broker_url(settings.broker)
    # Remote-control and event exchanges carry the queue prefix too, so separate deployments (or
    # test runs) on one broker never see each other's workers.
    namespace = queue_namespace(settings)
    app = Celery("translator", broker=settings.broker, set_as_current=False)
    app.conf.update(
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_ignore_result=True,
        result_backend=None,
        task_serializer="json",
        accept_content=["json"],
        task_queues=[Queue(name, routing_key=name) for name in queue_names(settings, pairs)],
        task_default_queue=queue_name(settings, BULK, next(iter(pairs), "en-fr")),
        task_create_missing_queues=True,
        broker_transport_options=transport_options(settings),
        broker_connection_retry_on_startup=True,
        broker_connection_timeout=5,
        control_exchange=f"{namespace}translator",
        event_exchange=f"{namespace}translator.ev",
        worker_hijack_root_logger=False,  # the translator's log format, set up by the CLI
        worker_redirect_stdouts=False,
        worker_send_task_events=False,
        task_send_sent_event=False,
        worker_enable_remote_control=False,  # nothing uses it; keeps the broker free of pidbox queues
        worker_cancel_long_running_tasks_on_connection_loss=False,
    )
    return app
