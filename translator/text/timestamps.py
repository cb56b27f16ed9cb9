"""UTC timestamps as the service writes them: ISO 8601 / RFC 3339 with a ``Z``.

Stored versions and translations carry milliseconds (``2024-05-01T12:05:00.000Z``);
human entries and embargoes whole seconds (``2024-05-01T12:05:00Z``), the
precision TMX keeps, so an exported memory reads back identical.
"""

from __future__ import annotations

import time
from datetime import datetime, timezone
from enum import StrEnum

__all__ = ["Precision", "utc_timestamp"]


class Precision(StrEnum):
    """How much of the second a timestamp keeps (the names are :meth:`datetime.isoformat`'s ``timespec``)."""

    SECONDS = "seconds"
    MILLISECONDS = "milliseconds"


def utc_timestamp(seconds: float | datetime | None = None, precision: Precision = Precision.MILLISECONDS) -> str:
    """``seconds`` since the epoch (or an aware ``datetime``; now when None) as UTC with a ``Z``, e.g.
    ``2024-05-01T12:05:00.000Z`` (or ``2024-05-01T12:05:00Z`` with :attr:`Precision.SECONDS`)."""
    if seconds is None:
        seconds = time.time()
    moment = seconds if isinstance(seconds, datetime) else datetime.fromtimestamp(seconds, tz=timezone.utc)
    return moment.astimezone(timezone.utc).isoformat(timespec=precision.value).replace("+00:00", "Z")
