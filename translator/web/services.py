"""The service's object graph, shared by every request thread of one process.

:class:`Services` holds the settings, the :class:`~translator.runtime.Runtime`
(store, live glossary) built once per app, one :class:`~translator.pipeline.Translator`
per language pair (loaded once, on first use or by :meth:`Services.warm_up`,
each driving its engine through a :class:`~translator.engines.pooled.PooledEngine`
so that concurrent requests are batched together) and one
:class:`~translator.articles.ArticleService` per target language. Blueprints
reach it with :func:`current_services`.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from flask import current_app

from ..articles import ArticleService
from ..config import Settings
from ..engines import Engine, load_engine
from ..engines.metered import MeteredEngine
from ..engines.pooled import PooledEngine
from ..errors import ConfigError, StoreError, TranslatorError
from ..glossary import LiveGlossary
from ..pipeline import Translator
from ..runtime import DEFAULT_PAIR, Runtime, build_runtime
from ..store import Store
from ..tasks.dispatch import RemoteEngine, TaskDispatcher

__all__ = ["ARTICLE_SOURCE_LANG", "DEFAULT_PAIR", "EngineFactory", "Services", "current_services",
           "language_pairs"]

log = logging.getLogger(__name__)

#: Loads the engine of one model: ``factory(settings, model)`` (default :func:`load_engine`).
EngineFactory = Callable[[Settings, str], Engine]

#: Articles are written in English; they are translated into the targets of the en-* pairs.
ARTICLE_SOURCE_LANG = "en"

_NOT_LOADED, _LOADING, _LOADED, _FAILED = "not loaded", "loading", "loaded", "failed"


def language_pairs(settings: Settings) -> dict[str, str]:
    """``{"en-fr": TRANSLATOR_MODEL, **TRANSLATOR_MODELS}``: en-fr always comes from ``model``."""
    extra = {pair: model for pair, model in settings.models.items() if pair != DEFAULT_PAIR}
    if DEFAULT_PAIR in settings.models and settings.models[DEFAULT_PAIR] != settings.model:
        log.warning("TRANSLATOR_MODELS names en-fr; en-fr uses TRANSLATOR_MODEL (%s) instead", settings.model)
    return {DEFAULT_PAIR: settings.model, **extra}


class Services:
    """Settings, store, glossary, translators per language pair (lazy, loaded once each),
    article services per target language, and readiness.

    ``runtime``: the store and glossary to use; by default :func:`build_runtime`
    opens the store ``TRANSLATOR_STORE`` names and loads ``TRANSLATOR_GLOSSARY``
    (raising StoreError / GlossaryError at once when they are unusable).
    """

    def __init__(self, settings: Settings, *, engine_factory: EngineFactory | None = None,
                 runtime: Runtime | None = None, clock: Callable[[], float] = time.time):
        self.settings = settings
        self.clock = clock  # seconds since the epoch: embargoes are checked against it (tests move it)
        self.pairs = language_pairs(settings)
        self.runtime = runtime if runtime is not None else build_runtime(settings)
        self._engine_factory = engine_factory or load_engine
        self._translators: dict[str, Translator] = {}
        self._engines: dict[str, tuple[MeteredEngine, PooledEngine]] = {}
        self._articles: dict[str, ArticleService] = {}
        self._state = {pair: _NOT_LOADED for pair in self.pairs}
        self._errors: dict[str, str] = {}
        self._load_locks = {pair: threading.Lock() for pair in self.pairs}
        self._lock = threading.Lock()
        self._demo = None  # DemoArticles, made on first use (GET /demo, serve's start-up)
        # TRANSLATOR_BROKER: article translations (and, without a web engine, POST /v1/translate) go
        # to the workers through the task queue.
        self.tasks = TaskDispatcher(settings, self.runtime.store, self.pairs) if settings.broker else None
        if self.tasks is not None:
            log.info("task broker: %s (%s)", self.tasks.description,
                     "web engine on: articles go to the workers" if settings.web_engine
                     else "web engine off: the workers translate everything")

    @property
    def store(self) -> Store:
        """The store: translation memory, article versions and translations, glossary edits."""
        return self.runtime.store

    @property
    def glossary(self) -> LiveGlossary:
        """The en-fr glossary: the file plus the live edits in the store."""
        return self.runtime.glossary

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
        if self.translates_remotely:
            return self._load_remote(pair)
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
        metered = MeteredEngine(engine)  # counts the model's work for /metrics
        pooled = PooledEngine(metered, window_ms=self.settings.batch_window_ms,
                              max_pending=self.settings.queue_size)
        translator = self.runtime.translator(pooled, pair=pair)
        self._engines[pair] = (metered, pooled)
        self._translators[pair] = translator
        self._set_state(pair, _LOADED)
        log.info("model for %s ready: %s (%s)", pair, engine.identity,
                 f"cross-request batching, window {self.settings.batch_window_ms:g} ms, "
                 f"queue {self.settings.queue_size} segments" if pooled.pooling
                 else f"one request at a time, queue {self.settings.queue_size} segments")
        return translator

    @property
    def translates_remotely(self) -> bool:
        """Whether this process loads no model (``TRANSLATOR_WEB_ENGINE=off``): the workers translate."""
        return self.tasks is not None and not self.settings.web_engine

    def _load_remote(self, pair: str) -> Translator:
        """A translator whose engine is the workers' identity: it reads the store, never translates."""
        translator = self.runtime.translator(RemoteEngine(self.tasks.board, pair), pair=pair)
        self._translators[pair] = translator
        self._set_state(pair, _LOADED)
        log.info("%s: no model in this process (TRANSLATOR_WEB_ENGINE=off); workers translate", pair)
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

    def article_languages(self) -> list[str]:
        """The languages articles can be translated into: targets of the configured en-* pairs."""
        return [pair.partition("-")[2] for pair in self.pairs if pair.partition("-")[0] == ARTICLE_SOURCE_LANG]

    def articles(self, lang: str = "fr") -> ArticleService:
        """The article service translating into ``lang`` (loading its model on first use).

        Raises :class:`ConfigError` for a language no configured pair translates into.
        """
        service = self._articles.get(lang)
        if service is not None:
            return service
        pair = f"{ARTICLE_SOURCE_LANG}-{lang}"
        if pair not in self.pairs:
            raise ConfigError(f"articles are not translated into {lang!r}; available: "
                              f"{', '.join(self.article_languages())}")
        translator = self.translator(pair)
        with self._lock:
            service = self._articles.get(lang)
            if service is None:
                background = self.tasks.background(lang) if self.tasks is not None else None
                service = self._articles[lang] = self.runtime.article_service(translator, lang=lang,
                                                                              background=background)
        return service

    def demo_articles(self) -> ArticleService:
        """The demo article's own service (a throwaway store, never the production one); when only
        the workers translate (``TRANSLATOR_WEB_ENGINE=off``) the demo has to go through the store."""
        from .demo import DemoArticles

        if self.translates_remotely:
            return self.articles()
        translator = self.translator(DEFAULT_PAIR)
        with self._lock:
            if self._demo is None:
                self._demo = DemoArticles(translator, self.runtime.glossary,
                                          segment_tokens=self.settings.segment_tokens)
            return self._demo.articles

    def articles_for(self, article_id: str, lang: str = "fr") -> ArticleService:
        """The service answering reads of ``article_id``: the demo's own for the demo article while the
        demo is on, else :meth:`articles`."""
        from .demo import DEMO_ARTICLE_ID

        if article_id == DEMO_ARTICLE_ID and self.settings.demo and lang == "fr":
            return self.demo_articles()
        return self.articles(lang)

    # -- readiness -----------------------------------------------------------------------------

    def readiness(self) -> tuple[bool, dict[str, str]]:
        """(ready, checks): ready once the en-fr model is loaded and the store answers."""
        with self._lock:
            state, error = self._state[DEFAULT_PAIR], self._errors.get(DEFAULT_PAIR, "")
        checks = {"model": f"{state}: {error}" if error else state, "store": self.store_check()}
        if self.tasks is not None:
            checks["broker"] = self.broker_check()
            if self.translates_remotely:
                checks["model"] = "off (the workers translate)"
                return checks["store"] == "ok" and checks["broker"] == "ok", checks
            return state == _LOADED and checks["store"] == "ok" and checks["broker"] == "ok", checks
        return state == _LOADED and checks["store"] == "ok", checks

    def broker_check(self) -> str:
        """``"ok"`` when the broker accepts a connection, else ``"unavailable: <reason>"``."""
        try:
            self.tasks.ping()
        except TranslatorError as exc:
            return f"unavailable: {exc}"
        return "ok"

    def store_check(self) -> str:
        """``"ok"`` when the store answers, else ``"unavailable: <reason>"``."""
        try:
            self.store.ping()
        except StoreError as exc:
            return f"unavailable: {exc}"
        return "ok"

    def model_failed(self) -> bool:
        """Whether the last attempt to load the en-fr model failed."""
        with self._lock:
            return self._state[DEFAULT_PAIR] == _FAILED

    def is_loaded(self, pair: str) -> bool:
        """Whether ``pair``'s model is loaded."""
        return pair in self._translators

    def model_work(self) -> dict[str, dict[str, int]]:
        """Per loaded pair: ``{"segments", "source_tokens"}`` sent to the model so far (retries
        included) and ``"queued_segments"`` waiting for it now."""
        with self._lock:
            engines = dict(self._engines)
        return {pair: {"segments": metered.segments, "source_tokens": metered.source_tokens,
                       "queued_segments": pooled.pending_segments}
                for pair, (metered, pooled) in engines.items()}

    def describe(self) -> dict[str, str]:
        """What the service uses, for the start-up log (no secrets)."""
        return {
            "model": self.settings.model,
            "backend": self.settings.backend,
            "pairs": ", ".join(f"{pair}={model}" for pair, model in self.pairs.items()),
            **self.runtime.describe(),
        }

    def close(self) -> None:
        """Drop queued background translations, let the engines serve what is queued, close the store."""
        articles = list(self._articles.values())
        for service in articles:
            service.shutdown(wait=False)
        for translator in list(self._translators.values()):
            engine = translator.engine
            if isinstance(engine, PooledEngine):
                engine.close()
        for service in articles:
            service.shutdown(wait=True)  # the running ones end (the engines are closed)
        if self._demo is not None:
            self._demo.close()
        if self.tasks is not None:
            self.tasks.close()
        self.runtime.close()


def current_services() -> Services:
    """The :class:`Services` of the app handling the current request."""
    return current_app.extensions["translator"]
