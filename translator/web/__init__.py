"""The HTTP service: ``create_app`` builds the Flask application.

One blueprint per resource (``translate``, ``languages``, ``articles``,
``segments`` and ``review`` (editors), ``glossary``, ``health``, ``metrics``, ``docs``, and ``pages``: HTML for readers); the shared object graph (settings,
store, per-pair glossaries, translators, article services) is a
:class:`~translator.service.runtime.Runtime` in ``app.extensions["translator"]``.
Every error is JSON (:mod:`translator.web.errors`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask

from ..config import Settings
from ..service.runtime import Runtime, build_runtime
from . import articles, docs, glossary, health, languages, metrics, pages, review, segments, translate
from .cors import init_cors
from .errors import register_error_handlers
from .limits import init_rate_limits
from .metrics import init_metrics
from .proxies import init_proxy_fix
from .requestlog import init_request_log
from .routing import configure_url_map, init_routing_guard
from .security import init_security_headers
from .timing import init_server_timing
from .validation import max_body_bytes

__all__ = ["create_app"]


def create_app(config: Mapping[str, Any] | None = None, *, runtime: Runtime | None = None,
               settings: Settings | None = None) -> Flask:
    """Build the service.

    ``config``: Flask options (``{"TESTING": True}``). ``runtime``: the
    object graph to use (tests build it on fake engines with
    ``build_runtime(settings, serving=True, engine_factory=...)``); otherwise one
    is built from ``settings``, else from the ``TRANSLATOR_*`` environment.
    """
    if runtime is not None and settings is not None:
        raise ValueError("create_app: give settings or runtime, not both (a runtime carries its settings)")
    if runtime is None:
        runtime = build_runtime(settings if settings is not None else Settings.from_env(), serving=True)
    settings = runtime.settings
    app = Flask(__name__)
    configure_url_map(app)
    app.config.update(MAX_CONTENT_LENGTH=max_body_bytes(settings))
    app.config.update(config or {})
    app.json.ensure_ascii = False  # UTF-8 out: French reads as French
    app.json.sort_keys = False
    app.extensions["translator"] = runtime
    init_proxy_fix(app, settings.trusted_proxies)
    init_request_log(app)  # first: every response, errors included, gets its request id and access line
    register_error_handlers(app)
    init_cors(app, settings.cors_origins)
    init_security_headers(app)
    for blueprint in (  # one line per resource
        translate.bp,
        languages.bp,
        articles.bp,
        segments.bp,  # editors: corrections and approvals of translation units
        review.bp,    # editors: flagged segments across articles
        glossary.bp,
        health.bp,
        metrics.bp,
        docs.bp,
        pages.bp,  # HTML for readers: the French article page and /demo
    ):
        app.register_blueprint(blueprint)
    init_rate_limits(app, runtime)
    init_metrics(app)
    init_routing_guard(app)  # after the metrics' clock: refused requests are timed and counted too
    if settings.server_timing:
        init_server_timing(app)
    return app
