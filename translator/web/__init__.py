"""The HTTP service: ``create_app`` builds the Flask application.

One blueprint per resource (``translate``, ``languages``, ``articles``,
``glossary``, ``health``, ``metrics``, ``docs``, and ``pages``: HTML for readers); the shared object graph (settings,
store, glossary, translators, article services, readiness) is a
:class:`~translator.web.services.Services` in ``app.extensions["translator"]``.
Every error is JSON (:mod:`translator.web.errors`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from flask import Flask

from ..config import Settings
from . import articles, docs, glossary, health, languages, metrics, pages, translate
from .cors import init_cors
from .errors import register_error_handlers
from .limits import init_rate_limits
from .metrics import init_metrics
from .proxies import init_proxy_fix
from .requestlog import init_request_log
from .security import init_security_headers
from .services import Services
from .timing import init_server_timing
from .validation import max_body_bytes

__all__ = ["Services", "create_app"]

_SETTINGS_FIELDS = {f.name for f in dataclasses.fields(Settings)}


def _split_config(config: Mapping[str, Any] | Settings | None,
                  services: Services | None) -> tuple[Settings, dict[str, Any]]:
    """(settings, Flask config) from what ``create_app`` was given."""
    if config is None or isinstance(config, Settings):
        settings, flask_config = config, {}
    else:
        fields = {k: v for k, v in config.items() if k in _SETTINGS_FIELDS}
        flask_config = {k: v for k, v in config.items() if k not in _SETTINGS_FIELDS}
        settings = Settings.from_env(environ={}, **fields) if fields or services is None else None
    if services is not None:
        if settings is not None and settings != services.settings:
            raise ValueError("create_app: give the settings in config or in services, not both")
        return services.settings, flask_config
    return settings or Settings.from_env(), flask_config


def create_app(config: Mapping[str, Any] | Settings | None = None, *,
               services: Services | None = None) -> Flask:
    """Build the service.

    ``config``: ``None`` reads ``TRANSLATOR_*`` from the environment; a
    :class:`Settings` is used as is; a mapping gives :class:`Settings` fields
    by name (``{"max_texts": 3}``, defaults for the rest, the environment is
    ignored) and Flask options in upper case (``{"TESTING": True}``).
    ``services``: the object graph to use (tests inject fake engines with
    ``Services(settings, engine_factory=...)``); its settings are the app's.
    """
    settings, flask_config = _split_config(config, services)
    app = Flask(__name__)
    app.config.update(MAX_CONTENT_LENGTH=max_body_bytes(settings))
    app.config.update(flask_config)
    app.json.ensure_ascii = False  # UTF-8 out: French reads as French
    app.json.sort_keys = False
    app.extensions["translator"] = services if services is not None else Services(settings)
    init_proxy_fix(app, settings.trusted_proxies)
    init_request_log(app)  # first: every response, errors included, gets its request id and access line
    register_error_handlers(app)
    init_cors(app, settings.cors_origins)
    init_security_headers(app)
    for blueprint in (  # one line per resource
        translate.bp,
        languages.bp,
        articles.bp,
        glossary.bp,
        health.bp,
        metrics.bp,
        docs.bp,
        pages.bp,  # HTML for readers: the French article page and /demo
    ):
        app.register_blueprint(blueprint)
    init_rate_limits(app, app.extensions["translator"])
    init_metrics(app)
    if settings.server_timing:
        init_server_timing(app)
    return app
