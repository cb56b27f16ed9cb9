"""Exceptions for expected failures, each carrying one clear message for the user."""

from __future__ import annotations

__all__ = ["TranslatorError", "ConfigError", "EngineBusy", "ModelUnavailable", "StoreError", "GlossaryError"]


class TranslatorError(Exception):
    """Base class of expected failures: the message is shown to the user as is."""


class ConfigError(TranslatorError):
    """A ``TRANSLATOR_*`` setting has a value that cannot be used."""


class ModelUnavailable(TranslatorError):
    """The translation model cannot be found or loaded."""


class StoreError(TranslatorError):
    """The store (SQLite file, Redis server) cannot be opened or used."""


class GlossaryError(TranslatorError):
    """A glossary file or entry is malformed."""


class EngineBusy(TranslatorError):
    """The engine's queue of pending segments is full: try again shortly (HTTP 503 + Retry-After)."""

    def __init__(self, message: str, *, retry_after: int = 1):
        super().__init__(message)
        self.retry_after = retry_after
