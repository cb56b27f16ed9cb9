"""``GET /metrics``: Prometheus metrics for operators.

* HTTP: requests answered by method (one the app routes, else ``other``),
  route (the URL rule, e.g. ``/v1/articles/<article_id:article_id>``, else
  ``(unrouted)``, so neither ids nor made-up paths become labels) and
  status, and their durations (``translator_http_*``): whatever clients
  send, the number of series stays bounded;
* the model: segments and source tokens it was given per language pair
  (retries included) and the segments queued for it now (``translator_model_*``);
* the translation memory: this process's hits and misses
  (``translator_memory_lookups_total``), whatever the store, and the writes
  that failed (``translator_memory_write_failures_total``: the translation
  was still answered);
* with ``TRANSLATOR_BROKER``: the tasks waiting in each queue
  (``translator_queue_messages``, from the broker) and the tasks each worker
  finished, done or failed (``translator_worker_tasks_total``, from the store), and the workers alive
  for each pair (``translator_workers{pair}``, from their heartbeats).

Each app has its own registry, so several apps in one process (tests) never
share counters. Like ``/healthz``, the endpoint needs no key; keep it off
the public internet with the rest of the operator endpoints.
"""

from __future__ import annotations

import hmac

import logging
import time

from flask import Blueprint, Flask, Response, current_app, g, request
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily

from ..service.runtime import Runtime
from .routing import routed_methods
from .auth import caller_key
from .errors import ApiError

__all__ = ["OTHER_METHOD", "UNROUTED", "ServiceCollector", "bp", "init_metrics"]

bp = Blueprint("metrics", __name__)

log = logging.getLogger(__name__)

_REGISTRY = "translator-metrics"
# Seconds: a cached answer takes about a millisecond, an uncached article seconds.
_DURATION_BUCKETS = (0.001, 0.005, 0.025, 0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120)


class ServiceCollector:
    """Reads the model's work (:meth:`Runtime.model_work`) and the memory's counters at each scrape."""

    def __init__(self, runtime: Runtime):
        self.runtime = runtime

    def collect(self):
        segments = CounterMetricFamily("translator_model_segments", "Segments given to the model (retries included)",
                                       labels=["pair"])
        tokens = CounterMetricFamily("translator_model_source_tokens", "Source tokens given to the model",
                                     labels=["pair"])
        queued = GaugeMetricFamily("translator_model_queued_segments", "Segments waiting for the model now",
                                   labels=["pair"])
        for pair, work in sorted(self.runtime.model_work().items()):
            segments.add_metric([pair], work.segments)
            tokens.add_metric([pair], work.source_tokens)
            queued.add_metric([pair], work.queued_segments)
        yield from (segments, tokens, queued)
        lookups = self.runtime.store.lookups.snapshot()
        if self.runtime.settings.metrics_key:  # only a key holder sees hits apart from misses: no oracle
            memory = CounterMetricFamily("translator_memory_lookups", "Translation-memory lookups of this process",
                                         labels=["result"])
            memory.add_metric(["hit"], lookups["hits"])
            memory.add_metric(["miss"], lookups["misses"])
        else:
            memory = CounterMetricFamily("translator_memory_lookups", "Translation-memory lookups of this process "
                                         "(hits and misses apart with TRANSLATOR_METRICS_KEY)",
                                         value=lookups["hits"] + lookups["misses"])
        yield memory
        failures = CounterMetricFamily("translator_memory_write_failures",
                                       "Translation-memory writes that failed (the translation was still answered)")
        failures.add_metric([], self.runtime.memory_write_failures())
        yield failures
        pool = self.runtime.store.pool_stats()
        if pool:  # a store with a connection pool (PostgreSQL)
            connections = GaugeMetricFamily("translator_store_connections",
                                            "This process's pooled store connections lent out, and requests "
                                            "waiting for one", labels=["state"])
            connections.add_metric(["in_use"], pool["in_use"])
            connections.add_metric(["waiting"], pool["waiting"])
            yield connections
        if self.runtime.tasks is not None:
            yield from self._tasks()

    def _tasks(self):
        """Queue depths from the broker, tasks done and failed per worker and live workers from the task
        board: read within the store's deadline and cached for a second (a stalled broker or store
        never holds the scrape); when they cannot be read, left out of this scrape (logged)."""
        answer = self.runtime.task_figures.answer()
        depth = GaugeMetricFamily("translator_queue_messages", "Tasks waiting in each broker queue",
                                  labels=["queue"])
        done = CounterMetricFamily("translator_worker_tasks", "Tasks each worker finished, by result",
                                   labels=["worker", "result"])
        alive = GaugeMetricFamily("translator_workers", "Workers with a recent heartbeat, by language pair",
                                  labels=["pair"])
        if answer.ok:
            figures = answer.value
            for queue, count in sorted(figures.queue_depths.items()):
                depth.add_metric([queue], count)
            for worker, counts in sorted(figures.worker_counts.items()):
                done.add_metric([worker, "done"], counts["done"])
                done.add_metric([worker, "failed"], counts["failed"])
            for pair, count in figures.live_workers.items():
                alive.add_metric([pair], count)
        else:
            log.warning("metrics: the workers' figures are unavailable (%s)", answer.reason)
        yield from (depth, done, alive)


#: The method label of a request whose method no rule of the app routes.
OTHER_METHOD = "other"
#: The route label of a request that matched no URL rule.
UNROUTED = "(unrouted)"


def init_metrics(app: Flask) -> None:
    """Give ``app`` its registry and time every request it answers."""
    registry = CollectorRegistry()
    requests = Counter("translator_http_requests", "HTTP requests answered", ["method", "route", "status"],
                       registry=registry)
    durations = Histogram("translator_http_request_duration_seconds", "Time to answer an HTTP request",
                          ["method", "route"], buckets=_DURATION_BUCKETS, registry=registry)
    registry.register(ServiceCollector(app.extensions["translator"]))
    app.extensions[_REGISTRY] = registry

    @app.before_request
    def start_clock() -> None:
        g.metrics_started = time.perf_counter()

    @app.after_request
    def count(response: Response) -> Response:
        # Labels come from the app's own rules, never from what the client sent: a made-up method or
        # path must not create a series (each one costs memory for the life of the process).
        method = request.method if request.method in routed_methods(app) else OTHER_METHOD
        route = request.url_rule.rule if request.url_rule is not None else UNROUTED
        requests.labels(method, route, str(response.status_code)).inc()
        started = g.pop("metrics_started", None)
        if started is not None:
            durations.labels(method, route).observe(time.perf_counter() - started)
        return response


@bp.get("/metrics")
def metrics():
    """The metrics in Prometheus' text format; with ``TRANSLATOR_METRICS_KEY``, for its bearer only."""
    key = current_app.extensions["translator"].settings.metrics_key
    if key:
        given = caller_key()
        if given is None:
            raise ApiError(401, "/metrics needs the metrics key: send 'Authorization: Bearer <key>'",
                           headers={"WWW-Authenticate": 'Bearer realm="metrics"'})
        if not hmac.compare_digest(given.encode("utf-8"), key.encode("utf-8")):
            raise ApiError(403, "the metrics key is not valid")
    return Response(generate_latest(current_app.extensions[_REGISTRY]), content_type=CONTENT_TYPE_LATEST,
                    headers={"Cache-Control": "no-store"})
