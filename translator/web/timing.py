"""An opt-in ``Server-Timing`` header (``TRANSLATOR_SERVER_TIMING=on``): how long the app took.

The duration runs from the moment the WSGI server hands the request to the
app until the app starts its response (status and headers), so it covers
routing, the view, error handling and the ``after_request`` hooks, but not
the network nor the WSGI server's own queueing, nor sending the body (a
static file is read while it is sent). Browsers show it in their developer
tools; ``benchmarks/cached_translation.py`` reads it.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable

from flask import Flask

__all__ = ["SERVER_TIMING_METRIC", "ServerTimingMiddleware", "init_server_timing"]

#: The metric name in ``Server-Timing: app;dur=<milliseconds>``.
SERVER_TIMING_METRIC = "app"


class ServerTimingMiddleware:
    """WSGI middleware adding ``Server-Timing: app;dur=<ms>`` to every response of ``wsgi_app``."""

    def __init__(self, wsgi_app: Callable):
        self.wsgi_app = wsgi_app

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        started = time.perf_counter()

        def timed_start_response(status: str, headers: list[tuple[str, str]], exc_info=None):
            elapsed_ms = (time.perf_counter() - started) * 1000
            headers.append(("Server-Timing", f"{SERVER_TIMING_METRIC};dur={elapsed_ms:.3f}"))
            return start_response(status, headers, exc_info)

        return self.wsgi_app(environ, timed_start_response)


def init_server_timing(app: Flask) -> None:
    """Wrap ``app``'s WSGI callable so that every response carries its ``Server-Timing``."""
    app.wsgi_app = ServerTimingMiddleware(app.wsgi_app)
