"""Request ids and the access log: one line per request.

Every response carries ``X-Request-ID``: the caller's own when it sent a
sane one (a proxy's or a load balancer's), else a new random id. The access
log (logger ``translator.access``, INFO) has one line per request with the
method, the route rule (``/v1/articles/<article_id:article_id>``, never the raw
path, which could hold an article id worth keeping private), the status, the
duration, the request id and the client address. Log records written while a
request is served carry its id as ``request_id`` (see :mod:`translator.logs`).
"""

from __future__ import annotations

import logging
import re
import time
import uuid

from flask import Flask, Response, g, has_request_context, request

from ..logs import REQUEST_ID

__all__ = ["REQUEST_ID_HEADER", "current_request_id", "init_request_log"]

REQUEST_ID_HEADER = "X-Request-ID"

access_log = logging.getLogger("translator.access")

# Taken from the caller only when it cannot forge log lines or headers: short, no spaces or controls.
_SANE_ID = re.compile(r"[A-Za-z0-9._:@/+=-]{1,128}")


def current_request_id() -> str | None:
    """The id of the request being served (None outside a request)."""
    if not has_request_context():
        return None
    return g.get("request_id")


def init_request_log(app: Flask) -> None:
    """Give every request of ``app`` an id, return it, and log one access line per request."""

    @app.before_request
    def start() -> None:
        given = request.headers.get(REQUEST_ID_HEADER, "")
        g.request_id = given if _SANE_ID.fullmatch(given) else uuid.uuid4().hex
        g.request_id_token = REQUEST_ID.set(g.request_id)
        g.request_started = time.perf_counter()

    @app.after_request
    def finish(response: Response) -> Response:
        request_id = g.get("request_id") or uuid.uuid4().hex  # a request refused before before_request ran
        response.headers[REQUEST_ID_HEADER] = request_id
        started = g.get("request_started")
        duration_ms = (time.perf_counter() - started) * 1000 if started is not None else 0.0
        route = request.url_rule.rule if request.url_rule is not None else "(no route)"
        access_log.info("%s %s %d %.1fms client=%s", request.method, route, response.status_code, duration_ms,
                        request.remote_addr or "-",
                        extra={"request_id": request_id, "method": request.method, "route": route,
                               "status": response.status_code, "duration_ms": round(duration_ms, 3),
                               "client": request.remote_addr or "-"})
        return response

    @app.teardown_request
    def forget(_exc: BaseException | None) -> None:
        token = g.pop("request_id_token", None)
        if token is not None:
            REQUEST_ID.reset(token)
