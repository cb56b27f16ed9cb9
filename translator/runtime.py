"""The one place that builds the object graph from :class:`Settings` (CLI, service, batch).

:func:`build_runtime` opens the store and loads the glossary (both fail at
once, before any model loads); the :class:`Runtime` then makes translators
on whatever engine the caller loaded (the service wraps its engines for
cross-request batching, the CLI uses them as they are) and article services
on those translators. Every translator uses the store as its translation
memory, and the en-fr ones the live glossary (file + edits in the store).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from .articles import ArticleService, BackgroundTranslations
from .config import Settings
from .engines import Engine, load_engine
from .glossary import LiveGlossary, load_glossary
from .pipeline import Translator
from .store import Store, open_store
from .typography import Typography

__all__ = ["DEFAULT_PAIR", "GLOSSARY_PAIR", "Runtime", "build_runtime", "build_translator", "open_settings_store"]

log = logging.getLogger(__name__)

#: The language pair every service serves (its model is ``TRANSLATOR_MODEL``).
DEFAULT_PAIR = "en-fr"
#: The pair the glossary (``TRANSLATOR_GLOSSARY`` and its live edits) is for.
GLOSSARY_PAIR = "en-fr"


def open_settings_store(settings: Settings) -> Store:
    """Open the store ``TRANSLATOR_STORE`` names (StoreError naming it when unusable)."""
    store = open_store(settings.store, keep_versions=settings.keep_versions, timeout=settings.store_timeout)
    log.info("store: %s", store.description)
    return store


@dataclass
class Runtime:
    """Settings, the open store and the live glossary of one process, and the factories
    of the objects built on them."""

    settings: Settings
    store: Store
    glossary: LiveGlossary
    owns_store: bool = True

    def translator(self, engine: Engine, *, pair: str = DEFAULT_PAIR) -> Translator:
        """A translator on ``engine``: the store as memory; the live glossary for en-fr; French
        typography (``TRANSLATOR_FR_TYPOGRAPHY``) for pairs into French."""
        french = pair.rpartition("-")[2] == "fr" and self.settings.fr_typography != "off"
        return Translator(engine, glossary=self.glossary if pair == GLOSSARY_PAIR else None,
                          memory=self.store, segment_tokens=self.settings.segment_tokens,
                          typography=Typography(self.settings.fr_typography) if french else None,
                          review_score=self.settings.review_score)

    def load_translator(self, model: str | None = None, *, pair: str = DEFAULT_PAIR) -> Translator:
        """Load the engine of ``model`` (default ``TRANSLATOR_MODEL``) and make its translator."""
        return self.translator(load_engine(self.settings, model), pair=pair)

    def article_service(self, translator: Translator, *, lang: str = "fr", workers: int = 1,
                        background: BackgroundTranslations | None = None) -> ArticleService:
        """Article versions in the store and their translations into ``lang`` by ``translator``
        (in the background on ``background``, the task queue, when given)."""
        return ArticleService(self.store, translator, lang=lang, workers=workers, background=background)

    def describe(self) -> dict[str, str]:
        """What is in use, for start-up logs (no secrets): store and glossary."""
        return {"store": self.store.description, "glossary": self.glossary.describe()}

    def close(self) -> None:
        """Close the store (when this runtime opened it)."""
        if self.owns_store:
            self.store.close()


def build_runtime(settings: Settings, *, store: Store | None = None) -> Runtime:
    """Load the glossary file and open the store (unless given) the settings name.

    A malformed glossary or an unusable ``TRANSLATOR_STORE`` raises here
    (GlossaryError, StoreError), before any model is loaded.
    """
    base = load_glossary(settings.glossary)
    opened = store is None
    store = open_settings_store(settings) if store is None else store
    try:
        glossary = LiveGlossary(base, store, pair=GLOSSARY_PAIR, path=settings.glossary)
        glossary.refresh()  # the edits are read now: a store that does not answer fails here
    except BaseException:
        if opened:
            store.close()
        raise
    return Runtime(settings, store, glossary, owns_store=opened)


def build_translator(settings: Settings, *, engine: Engine | None = None, model: str | None = None,
                     store: Store | None = None) -> Translator:
    """The en-fr translator the settings describe: :func:`build_runtime`, then the engine.

    The engine is ``engine`` or the one ``model`` (default ``TRANSLATOR_MODEL``) names.
    """
    runtime = build_runtime(settings, store=store)
    try:
        return runtime.translator(engine) if engine is not None else runtime.load_translator(model)
    except BaseException:
        runtime.close()
        raise
