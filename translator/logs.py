"""Log set-up for the service: text or JSON lines (``TRANSLATOR_LOG_FORMAT``), with request ids.

Every record gets a ``request_id`` attribute: the id of the HTTP request
being served when it was written (``-`` outside requests), so an error line
can be matched with the access line and with the id an error body shows.
Log lines never hold article text at INFO or above: ids, versions, counts
and glossary terms only; texts appear at DEBUG.
"""

from __future__ import annotations

import logging
import sys
from contextvars import ContextVar

from .config import Settings
from .errors import ConfigError

__all__ = ["REQUEST_ID", "RequestIdFilter", "TEXT_FORMAT", "configure_logging", "log_level"]

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s]: %(message)s"


#: The id of the HTTP request being served in this thread (None outside requests). The web's request
#: log sets and resets it; it lives here so that log set-up needs nothing from the web layer.
REQUEST_ID: ContextVar[str | None] = ContextVar("request_id", default=None)


class RequestIdFilter(logging.Filter):
    """Sets ``record.request_id`` (the current HTTP request's id, else ``-``)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = REQUEST_ID.get() or "-"
        return True


def _formatter(log_format: str) -> logging.Formatter:
    if log_format == "json":
        from pythonjsonlogger.json import JsonFormatter

        return JsonFormatter("%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
                             rename_fields={"levelname": "level", "name": "logger", "asctime": "time"})
    return logging.Formatter(TEXT_FORMAT)


def log_level(settings: Settings) -> int:
    """The :mod:`logging` level ``TRANSLATOR_LOG_LEVEL`` names (ConfigError for an unknown name)."""
    level = logging.getLevelName(settings.log_level.upper())
    if not isinstance(level, int):
        raise ConfigError(f"TRANSLATOR_LOG_LEVEL must be DEBUG, INFO, WARNING or ERROR, not {settings.log_level!r}")
    return level


def configure_logging(settings: Settings, *, stream=None) -> None:
    """Send the root logger's records to ``stream`` (stderr) in ``settings.log_format``, at
    ``settings.log_level`` or the more verbose level already set (``-v`` on the command line)."""
    level = log_level(settings)
    root = logging.getLogger()
    for handler in list(root.handlers):
        root.removeHandler(handler)
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(_formatter(settings.log_format))
    root.addHandler(handler)
    root.setLevel(min(root.level or logging.WARNING, level))
