"""Security headers: a strict Content-Security-Policy on HTML pages, ``nosniff`` everywhere.

Pages load scripts only from this origin and never run inline script (the
widget and the API docs' start-up code are files under ``/static``). Styles
may be inline (the pages' own small stylesheets, and the ones the widget and
Swagger UI inject). No page may be framed by another site, except ``/demo``,
which exists to show the widget inside other pages.
"""

from __future__ import annotations

from flask import Flask, Response, request

__all__ = ["CONTENT_SECURITY_POLICY", "FRAMEABLE_PATHS", "init_security_headers"]

#: The policy of every HTML page (``frame-ancestors`` added unless the page may be framed).
CONTENT_SECURITY_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                           "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
                           "form-action 'self'")
#: Pages other sites may frame.
FRAMEABLE_PATHS = frozenset({"/demo"})


def init_security_headers(app: Flask) -> None:
    """Add the headers to every response ``app`` sends."""

    @app.after_request
    def add_security_headers(response: Response) -> Response:
        response.headers["X-Content-Type-Options"] = "nosniff"
        if response.mimetype == "text/html":
            policy = CONTENT_SECURITY_POLICY
            if request.path not in FRAMEABLE_PATHS:
                policy += "; frame-ancestors 'none'"
            response.headers["Content-Security-Policy"] = policy
            response.headers["Referrer-Policy"] = "strict-origin-when-cross-origin"
        return response
