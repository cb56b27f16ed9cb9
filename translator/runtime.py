"""Assembling a ready :class:`Translator` from :class:`Settings` (CLI, service, batch)."""

from __future__ import annotations

import logging

from .config import Settings
from .engines import Engine, load_engine
from .glossary import load_glossary
from .pipeline import Translator
from .store import Store, open_store

__all__ = ["build_translator", "open_settings_store"]

log = logging.getLogger(__name__)


def open_settings_store(settings: Settings) -> Store:
    """Open the store ``TRANSLATOR_STORE`` names (StoreError naming it when unusable)."""
    store = open_store(settings.store, keep_versions=settings.keep_versions)
    log.info("store: %s", store.description)
    return store


def build_translator(settings: Settings, *, engine: Engine | None = None, model: str | None = None,
                     store: Store | None = None) -> Translator:
    """Wire the pipeline the settings describe: glossary, store (translation memory), engine.

    The glossary and the store are opened first (unless given) so a malformed
    glossary or a bad ``TRANSLATOR_STORE`` fails at once, before the model loads.
    """
    glossary = load_glossary(settings.glossary)
    opened = store is None
    store = open_settings_store(settings) if store is None else store
    try:
        engine = engine or load_engine(settings, model)
    except BaseException:
        if opened:
            store.close()
        raise
    return Translator(engine, glossary=glossary, memory=store, segment_tokens=settings.segment_tokens)
