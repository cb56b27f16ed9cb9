"""The service's object graph, shared by every request thread of one process.

:class:`Services` holds the settings and one :class:`~translator.pipeline.Translator`
per language pair, each loaded once, on first use or by :meth:`Services.warm_up`,
and each driving its engine through a :class:`~translator.engines.pooled.PooledEngine`
so that concurrent requests are batched together. Blueprints reach it with
:func:`current_services`.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from flask import current_app

from ..articles import ArticleService
from ..config import Settings
from ..engines import Engine, load_engine
from ..engines.pooled import PooledEngine
from ..errors import ConfigError, TranslatorError
from ..memory import InMemoryTranslationMemory, TranslationMemory
from ..pipeline import Translator
from ..runtime import open_settings_store

__all__ = ["DEFAULT_PAIR", "EngineFactory", "Services", "current_services", "language_pairs"]

log = logging.getLogger(__name__)

#: Loads the engine of one model: ``factory(settings, model)`` (default :func:`load_engine`).
EngineFactory = Callable[[Settings, str], Engine]

DEFAULT_PAIR = "en-fr"

_NOT_LOADED, _LOADING, _LOADED, _FAILED = "not loaded", "loading", "loaded", "failed"


def language_pairs(settings: Settings) -> dict[str, str]:
    """``{"en-fr": TRANSLATOR_MODEL, **TRANSLATOR_MODELS}``: en-fr always comes from ``model``."""
    extra = {pair: model for pair, model in settings.models.items() if pair != DEFAULT_PAIR}
    if DEFAULT_PAIR in settings.models and settings.models[DEFAULT_PAIR] != settings.model:
        log.warning("TRANSLATOR_MODELS names en-fr; en-fr uses TRANSLATOR_MODEL (%s) instead", settings.model)
    return {DEFAULT_PAIR: settings.model, **extra}


class Services:
    """Settings, translators per language pair (lazy, loaded once each) and readiness."""

    def __init__(self, settings: Settings, *, engine_factory: EngineFactory | None = None,
                 memory: TranslationMemory | None = None):
        self.settings = settings
        self.pairs = language_pairs(settings)
        self.memory = memory if memory is not None else InMemoryTranslationMemory()
        self._engine_factory = engine_factory or load_engine
        self._translators: dict[str, Translator] = {}
        self._state = {pair: _NOT_LOADED for pair in self.pairs}
        self._errors: dict[str, str] = {}
        self._load_locks = {pair: threading.Lock() for pair in self.pairs}
        self._lock = threading.Lock()
        self._articles: ArticleService | None = None
        self._articles_lock = threading.Lock()

    # -- translators ---------------------------------------------------------------------------

    def translator(self, pair: str = DEFAULT_PAIR) -> Translator:
        """The translator of ``pair`` (one of :attr:`pairs`), loading its model on first use.

        Raises :class:`~translator.errors.ModelUnavailable` when the model cannot be loaded.
        """
        translator = self._translators.get(pair)
        if translator is not None:
            return translator
        if pair not in self.pairs:
            raise ConfigError(f"language pair {pair!r} is not configured; available: {', '.join(self.pairs)}")
        with self._load_locks[pair]:  # one load per pair, however many threads ask
            translator = self._translators.get(pair)
            if translator is None:
                translator = self._load(pair)
        return translator

    def _load(self, pair: str) -> Translator:
        model = self.pairs[pair]
        self._set_state(pair, _LOADING)
        log.info("loading model %s for %s (backend %s)", model, pair, self.settings.backend)
        try:
            engine = self._engine_factory(self.settings, model)
        except TranslatorError as exc:
            self._set_state(pair, _FAILED, str(exc))
            raise
        except Exception as exc:
            self._set_state(pair, _FAILED, f"{type(exc).__name__}: {exc}")
            raise
        pooled = PooledEngine(engine, window_ms=self.settings.batch_window_ms,
                              max_pending=self.settings.queue_size)
        translator = Translator(pooled, memory=self.memory, segment_tokens=self.settings.segment_tokens)
        self._translators[pair] = translator
        self._set_state(pair, _LOADED)
        log.info("model for %s ready: %s (%s)", pair, engine.identity,
                 f"cross-request batching, window {self.settings.batch_window_ms:g} ms, "
                 f"queue {self.settings.queue_size} segments" if pooled.pooling
                 else f"one request at a time, queue {self.settings.queue_size} segments")
        return translator

    def _set_state(self, pair: str, state: str, error: str = "") -> None:
        with self._lock:
            self._state[pair] = state
            if error:
                self._errors[pair] = error
            else:
                self._errors.pop(pair, None)

    def warm_up(self) -> None:
        """Load the en-fr model now (raises ModelUnavailable with the reason)."""
        self.translator(DEFAULT_PAIR)

    def start_warm_up(self) -> None:
        """Load the en-fr model in a background thread unless it is loaded or loading."""
        with self._lock:
            if self._state[DEFAULT_PAIR] in (_LOADING, _LOADED):
                return
            self._state[DEFAULT_PAIR] = _LOADING
            self._errors.pop(DEFAULT_PAIR, None)

        def load() -> None:
            try:
                self.warm_up()
            except Exception:  # recorded in the state; readiness reports it
                log.exception("loading the %s model failed", DEFAULT_PAIR)

        threading.Thread(target=load, name="translator-warm-up", daemon=True).start()

    # -- articles ------------------------------------------------------------------------------

    def articles(self, lang: str = "fr") -> ArticleService:
        """The :class:`~translator.articles.ArticleService` translating articles into ``lang`` (only
        ``fr`` so far) on the store ``TRANSLATOR_STORE`` names, built on first use (which loads the
        en-fr model and opens the store)."""
        if lang != "fr":
            raise ConfigError(f"articles are not translated into {lang!r}; available: fr")
        with self._articles_lock:
            if self._articles is None:
                translator = self.translator(DEFAULT_PAIR)
                self._articles = ArticleService(open_settings_store(self.settings), translator)
            return self._articles

    # -- readiness -----------------------------------------------------------------------------

    def readiness(self) -> tuple[bool, dict[str, str]]:
        """(ready, checks): ready once the en-fr model is loaded; one line per check."""
        with self._lock:
            state, error = self._state[DEFAULT_PAIR], self._errors.get(DEFAULT_PAIR, "")
        checks = {"model": f"{state}: {error}" if error else state}
        return state == _LOADED, checks

    def model_failed(self) -> bool:
        """Whether the last attempt to load the en-fr model failed."""
        with self._lock:
            return self._state[DEFAULT_PAIR] == _FAILED

    def is_loaded(self, pair: str) -> bool:
        """Whether ``pair``'s model is loaded."""
        return pair in self._translators

    def describe(self) -> dict[str, str]:
        """What the service uses, for the start-up log (no secrets)."""
        return {
            "model": self.settings.model,
            "backend": self.settings.backend,
            "pairs": ", ".join(f"{pair}={model}" for pair, model in self.pairs.items()),
            "store": getattr(self.memory, "description", type(self.memory).__name__),
            # The glossary and the persistent store are wired in with the article endpoints.
            "glossary": "none",
        }

    def close(self) -> None:
        """Stop the background translations and the engine workers (after they served what is
        queued), then close the store."""
        articles, self._articles = self._articles, None
        if articles is not None:
            articles.shutdown(wait=True)
        for translator in list(self._translators.values()):
            engine = translator.engine
            if isinstance(engine, PooledEngine):
                engine.close()
        if articles is not None:
            articles.store.close()


def current_services() -> Services:
    """The :class:`Services` of the app handling the current request."""
    return current_app.extensions["translator"]
