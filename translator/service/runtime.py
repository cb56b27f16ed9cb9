"""The one place that builds the object graph from :class:`Settings`.

:func:`build_runtime` is used by the HTTP service, ``translator translate``,
``translator batch``, the benchmarks and the tests. It opens the store and
loads every pair's glossary at once (a malformed glossary or an unusable
store fails here, before any model loads) and returns a :class:`Runtime`:

* ``store``: translation memory, article versions, live glossary edits;
* one :class:`PairRuntime` per configured pair (``Settings.pairs``): its
  live glossary (file + edits in the store), and its engine and
  :class:`~translator.pipeline.translator.Translator`, loaded once on first use (or by
  :meth:`Runtime.warm_up`);
* one :class:`~translator.service.articles.ArticleService` per target language, and
  the demo article's own one on a throwaway store (:meth:`Runtime.demo_articles`:
  ``GET /demo`` never writes to the production store).

Every engine is metered (:class:`ModelWork`: what the model was given, for
``/metrics`` and the batch report). A process that serves concurrent callers
(``serving=True``: the HTTP service, the worker, distributed batches) gets
each engine wrapped in a :class:`~translator.engines.pooled.PooledEngine`,
so that concurrent requests share batches, and, with ``TRANSLATOR_BROKER``
set, the task queue (:class:`~translator.tasks.dispatch.TaskDispatcher`):
article translations go to the workers, and with ``TRANSLATOR_WEB_ENGINE=off``
this process loads no model at all; its translators read what the workers stored.

This is the one object graph and its one name: adapters receive a
:class:`Runtime` and call the use cases of :mod:`translator.service`.
"""

from __future__ import annotations

import enum
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import replace

from .articles import ArticleService
from ..config import DEFAULT_PAIR, PairConfig, Settings
from ..engines import Engine, load_engine
from ..engines.identity import display_model_name
from ..engines.metered import MeteredEngine, ModelWork
from ..engines.modelhub import is_demo_model
from ..engines.pooled import PooledEngine
from ..errors import ConfigError, TranslatorError
from ..glossary import LiveGlossary, load_glossary
from ..pipeline.memory import ScopedMemory, TranslationMemory
from ..pipeline.translator import Translator
from ..store import Store, open_store
from ..store.probe import DeadlineProbe, StoreProbe
from ..text.typography import Typography

__all__ = ["ARTICLE_SOURCE_LANG", "DEFAULT_PAIR", "EngineFactory", "LoadState", "ModelWork", "PairRuntime",
           "Runtime", "build_runtime", "build_translator", "open_settings_store"]

log = logging.getLogger(__name__)

#: The memory scope of ad-hoc requests (``POST /v1/translate``), apart from the articles'.
REQUEST_MEMORY_SCOPE = "request"

#: Loads the engine of one model: ``factory(settings, model)`` (default :func:`load_engine`).
EngineFactory = Callable[[Settings, str], Engine]

#: Articles are written in English; they are translated into the targets of the en-* pairs.
ARTICLE_SOURCE_LANG = "en"



class LoadState(enum.StrEnum):
    """Where a pair's model stands (its value is what ``/readyz`` shows)."""

    NOT_LOADED = "not loaded"
    LOADING = "loading"
    LOADED = "loaded"
    FAILED = "failed"


def open_settings_store(settings: Settings) -> Store:
    """Open the store ``TRANSLATOR_STORE`` names (StoreError naming it when unusable)."""
    store = open_store(settings.store, keep_versions=settings.keep_versions, timeout=settings.store_timeout)
    log.info("store: %s", store.description)
    return store


class PairRuntime:
    """One language pair: its configuration, live glossary, and its translator (loaded once)."""

    def __init__(self, name: str, config: PairConfig, glossary: LiveGlossary, runtime: "Runtime"):
        self.name = name
        self.config = config
        self.source, _, self.target = name.partition("-")
        self.glossary = glossary
        self.model_name = display_model_name(config.model)  # for people: never a filesystem path
        self._runtime = runtime
        self._load_lock = threading.Lock()  # one load, however many threads ask
        self._state_lock = threading.Lock()
        self._state, self._error = LoadState.NOT_LOADED, ""
        self._translator: Translator | None = None
        self._request_translator: Translator | None = None
        self._meter: MeteredEngine | None = None
        self._pool: PooledEngine | None = None
        self._articles: ArticleService | None = None

    # -- state -----------------------------------------------------------------------------------

    @property
    def state(self) -> tuple[LoadState, str]:
        """``(state, error)``: the :class:`LoadState`, and the reason when it failed."""
        with self._state_lock:
            return self._state, self._error

    def _set_state(self, state: LoadState, error: str = "") -> None:
        with self._state_lock:
            self._state, self._error = state, error

    def claim_loading(self) -> bool:
        """Mark the pair as loading unless it is loading or loaded; whether this caller should load it."""
        with self._state_lock:
            if self._state in (LoadState.LOADING, LoadState.LOADED):
                return False
            self._state, self._error = LoadState.LOADING, ""
            return True

    # -- the translator --------------------------------------------------------------------------

    @property
    def translator(self) -> Translator:
        """The pair's translator, loading its model on first use (ModelUnavailable when it cannot)."""
        translator = self._translator
        if translator is not None:
            return translator
        with self._load_lock:
            if self._translator is None:
                self._translator = self._load()
        return self._translator

    @property
    def request_translator(self) -> Translator:
        """The translator of ``POST /v1/translate``: the same engine and glossary, its memory kept apart
        from the articles' (:class:`~translator.pipeline.memory.ScopedMemory`)."""
        translator = self.translator
        with self._load_lock:
            if self._request_translator is None:
                self._request_translator = self.translator_on(
                    translator.engine, memory=ScopedMemory(self._runtime.store, REQUEST_MEMORY_SCOPE))
        return self._request_translator

    def _load(self) -> Translator:
        settings = self._runtime.settings
        if self._runtime.translates_remotely:
            from ..tasks.dispatch import RemoteEngine

            # The workers' identity: this translator reads the store, never translates.
            translator = self.translator_on(RemoteEngine(self._runtime.tasks.board, self.name))
            self._set_state(LoadState.LOADED)
            log.info("%s: no model in this process (TRANSLATOR_WEB_ENGINE=off); workers translate", self.name)
            return translator
        self._set_state(LoadState.LOADING)
        log.info("loading model %s for %s", self.model_name, self.name)
        try:
            engine = self._runtime.engine_factory(settings, self.config.model)
        except TranslatorError as exc:
            self._set_state(LoadState.FAILED, str(exc))
            raise
        except Exception as exc:
            self._set_state(LoadState.FAILED, f"{type(exc).__name__}: {exc}")
            raise
        self._meter = MeteredEngine(engine)  # counts the model's work (ModelWork)
        top: Engine = self._meter
        if self._runtime.pooled:
            self._pool = top = PooledEngine(self._meter, window_ms=settings.batch_window_ms,
                                            max_pending=settings.queue_size)
            log.info("model for %s ready: %s (%s, queue %d segments)", self.name, engine.identity,
                     f"cross-request batching, window {settings.batch_window_ms:g} ms" if self._pool.pooling
                     else "one request at a time", settings.queue_size)
        else:
            log.info("model for %s ready: %s", self.name, engine.identity)
        translator = self.translator_on(top)
        self._set_state(LoadState.LOADED)
        return translator

    def translator_on(self, engine: Engine, *, memory: TranslationMemory | None = None) -> Translator:
        """A translator on ``engine``: the store (or ``memory``) as memory, the pair's live glossary,
        French typography (``TRANSLATOR_FR_TYPOGRAPHY``) for pairs into French, review flags."""
        settings = self._runtime.settings
        french = self.target == "fr" and settings.fr_typography != "off"
        memory = self._runtime.store if memory is None else memory
        return Translator(engine, glossary=self.glossary, memory=memory,
                          segment_tokens=settings.segment_tokens,
                          typography=Typography(settings.fr_typography) if french else None,
                          review_score=settings.review_score)

    @property
    def loaded(self) -> bool:
        """Whether the model is loaded (without loading it)."""
        return self._translator is not None

    def work(self) -> ModelWork:
        """The model's work so far (zeros before it is loaded)."""
        meter, pool = self._meter, self._pool
        if meter is None:
            return ModelWork()
        return replace(meter.work(), queued_segments=pool.pending_segments if pool is not None else 0)

    # -- articles --------------------------------------------------------------------------------

    @property
    def articles(self) -> ArticleService:
        """Article versions in the store and their translations by this pair (loading its model)."""
        translator = self.translator
        with self._load_lock:
            if self._articles is None:
                tasks = self._runtime.tasks
                self._articles = ArticleService(self._runtime.store, translator, lang=self.target,
                                                background=tasks.background(self.target) if tasks else None)
        return self._articles

    def close(self, *, wait: bool) -> None:
        """``wait=False``: drop queued background translations and stop the engine pool (it serves
        what is queued); ``wait=True``: wait for the running translations."""
        if self._articles is not None:
            self._articles.shutdown(wait=wait)
        if not wait and self._pool is not None:
            self._pool.close()


class Runtime:
    """Settings, the open store, and every configured pair (see the module docstring)."""

    def __init__(self, settings: Settings, store: Store, glossaries: dict[str, LiveGlossary], *,
                 engine_factory: EngineFactory | None = None, pooled: bool = False, owns_store: bool = True,
                 tasks=None, clock: Callable[[], float] = time.time):
        self.settings = settings
        self.store = store
        #: Seconds since the epoch: embargoes are checked against it (tests move it).
        self.clock = clock
        self.engine_factory = engine_factory or load_engine
        self.pooled = pooled
        self.owns_store = owns_store
        self.pairs: dict[str, PairRuntime] = {
            name: PairRuntime(name, config, glossaries[name], self) for name, config in settings.pairs.items()}
        #: The task queue (TRANSLATOR_BROKER) of a serving runtime (``serving=True``), else None.
        self.tasks = tasks
        #: Readiness: a real write and read of the store within ``TRANSLATOR_STORE_TIMEOUT``; with a broker,
        #: its ping and the live workers; for /metrics, the workers' figures. Each answers within the
        #: deadline and is cached for a second, so no number of callers can hold the server's threads.
        self.store_probe = StoreProbe(store, settings.store_timeout)
        self.broker_probe = self.workers_probe = self.task_figures = None
        if tasks is not None:
            self.broker_probe = DeadlineProbe(tasks.ping, settings.store_timeout, subject="the broker")
            self.workers_probe = DeadlineProbe(lambda: tasks.board.live_workers(self.pairs), settings.store_timeout,
                                               subject="the store (live workers)")
            self.task_figures = DeadlineProbe(tasks.figures, settings.store_timeout, subject="the broker and store")
        self._demo = None  # translator.service.demo.DemoArticles, made on first use (GET /demo, serve's start-up)
        self._demo_lock = threading.Lock()

    @property
    def demo_model(self) -> bool:
        """Whether the en-fr model is the offline demo's (``make demo``): its output is not real French."""
        return is_demo_model(self.settings.model)

    @property
    def translates_remotely(self) -> bool:
        """Whether this process loads no model (``TRANSLATOR_WEB_ENGINE=off``): the workers translate."""
        return self.tasks is not None and not self.settings.web_engine

    # -- pairs -----------------------------------------------------------------------------------

    def pair(self, name: str = DEFAULT_PAIR) -> PairRuntime:
        """The pair ``name``; :class:`ConfigError` listing the served ones otherwise."""
        pair = self.pairs.get(name)
        if pair is None:
            raise ConfigError(f"language pair {name!r} is not served; available: {', '.join(self.pairs)}")
        return pair

    @property
    def glossary(self) -> LiveGlossary:
        """The en-fr live glossary (``pair(...).glossary`` for another pair)."""
        return self.pairs[DEFAULT_PAIR].glossary

    def translator(self, pair: str = DEFAULT_PAIR) -> Translator:
        """The translator of ``pair``, loading its model on first use."""
        return self.pair(pair).translator

    def request_translator(self, pair: str = DEFAULT_PAIR) -> Translator:
        """The translator of ``POST /v1/translate`` for ``pair`` (its own memory; see PairRuntime)."""
        return self.pair(pair).request_translator

    def article_languages(self) -> list[str]:
        """The languages articles can be translated into: targets of the configured en-* pairs."""
        return [p.target for p in self.pairs.values() if p.source == ARTICLE_SOURCE_LANG]

    def article_pair(self, lang: str) -> PairRuntime:
        """The pair translating articles into ``lang``; :class:`ConfigError` listing the served ones."""
        pair = self.pairs.get(f"{ARTICLE_SOURCE_LANG}-{lang}")
        if pair is None:
            raise ConfigError(f"articles are not translated into {lang!r}; available: "
                              f"{', '.join(self.article_languages())}")
        return pair

    def articles(self, lang: str = "fr") -> ArticleService:
        """The article service translating into ``lang`` (loading its model on first use)."""
        return self.article_pair(lang).articles

    def demo_articles(self) -> ArticleService:
        """The demo article's own service (a throwaway store, never the production one); when only
        the workers translate (``TRANSLATOR_WEB_ENGINE=off``) the demo has to go through the store."""
        from .demo import DemoArticles

        if self.translates_remotely:
            return self.articles()
        pair = self.pairs[DEFAULT_PAIR]
        engine = pair.translator.engine  # loads the model first, outside the lock
        with self._demo_lock:
            if self._demo is None:
                self._demo = DemoArticles(lambda memory: pair.translator_on(engine, memory=memory))
            return self._demo.articles

    def articles_for(self, article_id: str, lang: str = "fr") -> ArticleService:
        """The service answering reads of ``article_id`` in ``lang``: the demo's own for the demo
        article in French while the demo is on, else :meth:`articles`."""
        from .demo import DEMO_ARTICLE_ID

        if article_id == DEMO_ARTICLE_ID and self.settings.demo and lang == "fr":
            return self.demo_articles()
        return self.articles(lang)

    # -- loading ---------------------------------------------------------------------------------

    def resume_pending(self) -> dict[str, int]:
        """Resume, in this process, the article translations a stopped process accepted and did not finish:
        ``{lang: how many}`` (none when the workers translate: their broker keeps the tasks)."""
        if self.tasks is not None:
            return {}
        # A pair with nothing pending is not touched (its model loads on first use, as ever).
        return {lang: self.articles(lang).resume_pending() for lang in self.article_languages()
                if self.store.pending(lang)}

    def warm_up(self) -> None:
        """Load the en-fr model now (raises ModelUnavailable with the reason)."""
        self.translator(DEFAULT_PAIR)

    def start_warm_up(self) -> None:
        """Load the en-fr model in a background thread unless it is loaded or loading."""
        pair = self.pairs[DEFAULT_PAIR]
        if not pair.claim_loading():
            return

        def load() -> None:
            try:
                pair.translator
            except Exception:  # recorded in the pair's state; readiness reports it
                log.exception("loading the %s model failed", DEFAULT_PAIR)

        threading.Thread(target=load, name="translator-warm-up", daemon=True).start()

    def memory_write_failures(self) -> int:
        """Translation-memory writes that failed in this process, all loaded pairs together."""
        return sum(translator.memory_write_failures for p in self.pairs.values()
                   for translator in (p._translator, p._request_translator) if translator is not None)

    def model_work(self) -> dict[str, ModelWork]:
        """Per loaded pair, what its model was given and what waits for it."""
        return {name: pair.work() for name, pair in self.pairs.items() if pair.loaded}

    # -- life cycle ------------------------------------------------------------------------------

    def describe(self) -> dict[str, str]:
        """What is in use, for start-up logs (no secrets)."""
        return {
            "model": self.pairs[DEFAULT_PAIR].model_name,
            "backend": self.settings.backend,
            "device": self.settings.device,
            "pairs": ", ".join(f"{name}={pair.model_name}" for name, pair in self.pairs.items()),
            "store": self.store.description,
            "glossary": self.glossary.describe(),
        }

    def close(self) -> None:
        """Drop queued background translations, let the engines serve what is queued, close the store
        (when this runtime opened it)."""
        pairs = list(self.pairs.values())
        for pair in pairs:
            pair.close(wait=False)
        for pair in pairs:
            pair.close(wait=True)  # the running ones end (the engines are closed)
        if self._demo is not None:
            self._demo.close()
        if self.tasks is not None:
            self.tasks.close()
        if self.owns_store:
            self.store.close()

    def __enter__(self) -> "Runtime":
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()


def build_runtime(settings: Settings, *, serving: bool = False, engine_factory: EngineFactory | None = None,
                  store: Store | None = None, clock: Callable[[], float] = time.time) -> Runtime:
    """Build the object graph ``settings`` describe (see the module docstring).

    ``serving``: this process serves concurrent callers (the HTTP service, the
    worker, distributed batches): engines batch across requests and, with
    ``TRANSLATOR_BROKER``, article translations go through the task queue.
    ``engine_factory``: loads a model's engine (default :func:`load_engine`;
    tests give fake engines). ``store``: an open store to use (not closed by
    :meth:`Runtime.close`) instead of opening ``TRANSLATOR_STORE``.
    ``clock``: seconds since the epoch, for embargoes (tests give one they move).

    A malformed glossary or an unusable store raises here (GlossaryError,
    StoreError), before any model is loaded; models load on first use.
    """
    bases = {name: load_glossary(config.glossary) for name, config in settings.pairs.items()}
    opened = store is None
    store = open_settings_store(settings) if store is None else store
    try:
        glossaries = {}
        for name, config in settings.pairs.items():
            glossaries[name] = LiveGlossary(bases[name], store, pair=name, path=config.glossary)
            glossaries[name].refresh()  # the edits are read now: a store that does not answer fails here
        tasks = None
        if serving and settings.broker:
            from ..tasks.dispatch import TaskDispatcher

            tasks = TaskDispatcher(settings, store, settings.pairs)
        return Runtime(settings, store, glossaries, engine_factory=engine_factory, pooled=serving,
                       owns_store=opened, tasks=tasks, clock=clock)
    except BaseException:
        if opened:
            store.close()
        raise


def build_translator(settings: Settings, *, engine: Engine | None = None, pair: str = DEFAULT_PAIR,
                     store: Store | None = None) -> Translator:
    """The translator of ``pair`` that :func:`build_runtime` builds, on ``engine`` when given
    (tests and benchmarks), else on the pair's configured model."""
    factory = (lambda _settings, _model: engine) if engine is not None else None
    runtime = build_runtime(settings, engine_factory=factory, store=store)
    try:
        return runtime.translator(pair)
    except BaseException:
        runtime.close()
        raise
