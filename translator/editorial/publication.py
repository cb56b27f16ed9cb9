"""Publication state of an article: published or not, and an optional embargo time.

An article is public once it is published and its embargo (if any) has
passed. Until then its English source, its translations and its French page
are hidden from callers without an API key, exactly as if it did not exist;
the newsroom (with a key) and the batch job can still read and translate it,
so the French version is ready the moment the embargo lifts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ..text.timestamps import Precision, utc_timestamp

__all__ = ["Publication", "parse_rfc3339"]


def parse_rfc3339(text: str) -> float:
    """Seconds since the epoch of an RFC 3339 date-time (``2024-05-01T12:00:00Z`` or with an offset).

    Raises ValueError for anything else, including a time without a time zone
    (it would be ambiguous by the server's own zone).
    """
    if not isinstance(text, str) or "T" not in text.upper():
        raise ValueError(f"not an RFC 3339 date-time: {text!r}")
    try:
        moment = datetime.fromisoformat(text.strip().replace("z", "Z").replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"not an RFC 3339 date-time: {text!r}") from None
    if moment.tzinfo is None:
        raise ValueError(f"an RFC 3339 date-time needs a time zone ('Z' or '+HH:MM'): {text!r}")
    return moment.timestamp()


@dataclass(frozen=True)
class Publication:
    """Whether an article may be shown to anonymous readers, and from when."""

    published: bool = True
    embargo_until: float | None = None  # seconds since the epoch; None = no embargo

    def is_public(self, now: float) -> bool:
        """Whether anonymous callers may see the article at ``now`` (seconds since the epoch)."""
        return self.published and (self.embargo_until is None or now >= self.embargo_until)

    def to_dict(self) -> dict:
        """``{"published": bool, "embargo_until": RFC 3339 | None}`` (the API's shape)."""
        embargo = None if self.embargo_until is None else utc_timestamp(self.embargo_until, Precision.SECONDS)
        return {"published": self.published, "embargo_until": embargo}
