"""How blueprints reach the service's object graph: :func:`current_runtime`.

The graph (store, per-pair glossaries, pooled engines, translators, article
runtime) is the :class:`~translator.service.runtime.Runtime` that
:func:`~translator.web.create_app` builds (or is given), once per app.
"""

from __future__ import annotations

from flask import current_app

from ..service.runtime import Runtime

__all__ = ["current_runtime"]


def current_runtime() -> Runtime:
    """The :class:`~translator.service.runtime.Runtime` of the app handling the current request."""
    return current_app.extensions["translator"]
