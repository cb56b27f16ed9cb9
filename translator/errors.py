"""Exceptions for expected failures, each carrying one clear message for the user."""

from __future__ import annotations

__all__ = ["TranslatorError", "ConfigError", "ModelUnavailable", "StoreError", "GlossaryError"]


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
