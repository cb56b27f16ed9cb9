"""How blueprints reach the service's object graph.

The graph itself (store, per-pair glossaries, pooled engines, translators,
article services) is a :class:`~translator.service.runtime.Runtime` built by
:func:`~translator.service.runtime.build_runtime` with ``pooled=True``, once per
app; blueprints get it with :func:`current_services`.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from flask import current_app

from ..config import DEFAULT_PAIR, Settings
from ..service.runtime import ARTICLE_SOURCE_LANG, EngineFactory, Runtime, build_runtime

__all__ = ["ARTICLE_SOURCE_LANG", "DEFAULT_PAIR", "EngineFactory", "Services", "build_services",
           "current_services"]


def build_services(settings: Settings, *, engine_factory: EngineFactory | None = None,
                   clock: Callable[[], float] = time.time) -> Runtime:
    """The service's graph: :func:`build_runtime` with cross-request batching (``pooled=True``) and,
    with ``TRANSLATOR_BROKER``, the task queue (``dispatch=True``); ``clock`` (seconds since the
    epoch) decides when embargoes end."""
    return build_runtime(settings, pooled=True, engine_factory=engine_factory, dispatch=True, clock=clock)


#: The name this factory had when the graph was a class of its own: ``Services(settings, engine_factory=...)``.
Services = build_services


def current_services() -> Runtime:
    """The :class:`~translator.service.runtime.Runtime` of the app handling the current request."""
    return current_app.extensions["translator"]
