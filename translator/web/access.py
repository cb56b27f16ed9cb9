"""Who is asking: the reader's side of the service's visibility rule (:mod:`translator.service.reading`).

Callers with a configured API key are the newsroom and see unpublished and
embargoed articles; everyone else is a reader. The clock is the runtime's
(tests move it).
"""

from __future__ import annotations

from typing import Any

from .auth import has_configured_key
from .context import current_runtime

__all__ = ["reader"]


def reader() -> dict[str, Any]:
    """The ``now`` and ``insider`` arguments of :func:`~translator.service.reading.read_translation`
    and friends for the current request."""
    return {"now": current_runtime().clock(), "insider": has_configured_key()}
