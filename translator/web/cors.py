"""CORS for the read endpoints only (``TRANSLATOR_CORS_ORIGINS``, comma-separated).

News sites embed the "Read in French" widget, which reads article
translations from this service across origins. Views marked with
:func:`cors_readable` answer ``GET``/``HEAD`` and their preflight ``OPTIONS``
with CORS headers for the listed origins (``*`` allows any); every other
endpoint, writes in particular, never does, so a browser refuses to send
cross-origin writes. Credentials are never allowed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

from flask import Flask, Response, current_app, request
from werkzeug.exceptions import HTTPException

__all__ = ["cors_readable", "init_cors"]

View = TypeVar("View", bound=Callable)

_READ_METHODS = {"GET", "HEAD"}
_MARK = "_translator_cors_readable"


def cors_readable(view: View) -> View:
    """Mark a read-only view as readable from the allowed origins."""
    setattr(view, _MARK, True)
    return view


def _read_endpoint() -> str | None:
    """The endpoint whose read this request is (or pre-flights), if it is one."""
    if request.method in _READ_METHODS:
        return request.url_rule.endpoint if request.url_rule is not None else None
    if request.method == "OPTIONS":
        wanted = request.headers.get("Access-Control-Request-Method", "").upper()
        if wanted not in _READ_METHODS:
            return None
        adapter = current_app.url_map.bind_to_environ(request.environ)
        try:
            endpoint, _ = adapter.match(method=wanted)
        except HTTPException:
            return None
        return endpoint
    return None


def init_cors(app: Flask, origins: Iterable[str]) -> None:
    """Answer CORS on ``app``'s readable views for ``origins`` (nothing when empty)."""
    allowed = frozenset(origins)
    if not allowed:
        return

    @app.after_request
    def add_cors_headers(response: Response) -> Response:
        endpoint = _read_endpoint()
        view = app.view_functions.get(endpoint) if endpoint else None
        if view is None or not getattr(view, _MARK, False):
            return response
        response.vary.add("Origin")
        origin = request.headers.get("Origin")
        if not origin or not ("*" in allowed or origin in allowed):
            return response
        response.headers["Access-Control-Allow-Origin"] = "*" if "*" in allowed else origin
        # The widget polls on 202 and reads how long to wait.
        response.headers["Access-Control-Expose-Headers"] = "Retry-After"
        if request.method == "OPTIONS":
            response.headers["Access-Control-Allow-Methods"] = "GET, HEAD"
            requested = request.headers.get("Access-Control-Request-Headers")
            if requested:
                response.headers["Access-Control-Allow-Headers"] = requested
            response.headers["Access-Control-Max-Age"] = "600"
        return response
