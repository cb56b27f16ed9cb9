"""Assembling a ready :class:`Translator` from :class:`Settings` (CLI, service, batch)."""

from __future__ import annotations

import logging

from .config import Settings
from .engines import Engine, load_engine
from .glossary import load_glossary
from .pipeline import Translator

__all__ = ["build_translator"]

log = logging.getLogger(__name__)


def build_translator(settings: Settings, *, engine: Engine | None = None, model: str | None = None) -> Translator:
    """Load the engine (unless given) and wire the pipeline the settings describe.

    The glossary (``settings.glossary``) is loaded first, so a malformed file is
    a clear error before the model is loaded.
    """
    glossary = load_glossary(settings.glossary)
    engine = engine or load_engine(settings, model)
    return Translator(engine, glossary=glossary, segment_tokens=settings.segment_tokens)
