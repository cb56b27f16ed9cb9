"""Settings, read from ``TRANSLATOR_*`` environment variables in this one place.

Every default works on a single machine with nothing else running: the
opus-mt-en-fr model, the fastest backend installed, the GPU when there is
one, an embedded SQLite store under a per-user data directory.

Language pairs are configuration: :attr:`Settings.pairs` maps each pair
(``"en-fr"``, ``"en-de"``, ...) to its :class:`PairConfig` (model and
glossary file). ``en-fr`` always comes from ``TRANSLATOR_MODEL`` and
``TRANSLATOR_GLOSSARY``; ``TRANSLATOR_MODELS`` adds pairs, whose glossary is
``glossary/<pair>.tsv`` when that file exists, or ``TRANSLATOR_GLOSSARY_<SRC>_<TGT>``.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ConfigError

__all__ = ["BACKENDS", "DEFAULT_MODEL", "DEFAULT_PAIR", "DEVICES", "PairConfig", "SettingDoc", "Settings",
           "default_glossary_path", "pair_glossary_path", "setting", "settings_reference",
           "url_kind"]

DEFAULT_MODEL = "Helsinki-NLP/opus-mt-en-fr"
#: The pair every service serves; its model is ``TRANSLATOR_MODEL``, its glossary ``TRANSLATOR_GLOSSARY``.
DEFAULT_PAIR = "en-fr"
#: ``TRANSLATOR_BACKEND`` values: ``auto`` is ctranslate2 when it is installed, else torch.
BACKENDS = ("auto", "torch", "ctranslate2")
#: ``TRANSLATOR_DEVICE`` values: ``auto`` is CUDA when the backend sees a GPU, else the CPU.
DEVICES = ("auto", "cpu", "cuda")

log = logging.getLogger(__name__)

_PREFIX = "TRANSLATOR_"
_GLOSSARY_PREFIX = "TRANSLATOR_GLOSSARY_"
_PAIR = re.compile(r"^[a-z]{2,3}-[a-z]{2,3}$")
_OFF = frozenset({"off", "none"})
#: Integer settings that may be 0 (every other one must be at least 1).
_ZERO_ALLOWED = frozenset({"trusted_proxies", "min_free_mb"})


#: URL schemes -> the kind of server they name.
_KINDS = {"sqlite": "sqlite", "redis": "redis", "rediss": "redis", "unix": "redis", "postgresql": "postgresql",
          "postgres": "postgresql", "amqp": "amqp", "amqps": "amqp", "pyamqp": "amqp"}


def url_kind(url: str) -> str:
    """The kind of server a store or broker URL names (``sqlite``, ``redis``, ``postgresql``, ``amqp``),
    else its scheme; ``""`` for no URL."""
    scheme = url.partition("://")[0].lower()
    return _KINDS.get(scheme, scheme)


def _check_store_and_broker(store: str, broker: str) -> None:
    """The one rule on which store goes with which broker (ConfigError, one line, otherwise).

    Workers need a store they share, and the task board (translator/tasks/board.py) needs a Redis:
    the Redis store's, else the Redis broker's. So: a Redis store with any broker, a PostgreSQL store
    with a Redis broker; a SQLite store never with a broker (its file is local to one machine and its
    locks to one process); a PostgreSQL store may also run without any broker.
    """
    if store == "sqlite":
        raise ConfigError("TRANSLATOR_BROKER needs a store the workers share: set "
                          "TRANSLATOR_STORE=postgresql://USER:PASSWORD@HOST:PORT/DB or redis://HOST:PORT/DB "
                          "(a SQLite file is local to one machine and its locks to one process)")
    if store == "postgresql" and broker != "redis":
        raise ConfigError("TRANSLATOR_STORE=postgresql://... with a broker needs TRANSLATOR_BROKER=redis://... "
                          "(the task board lives in the broker's Redis)")


@dataclass(frozen=True)
class PairConfig:
    """One language pair's configuration: its model (hub id or directory) and glossary file (None: none)."""

    model: str
    glossary: Path | None = None


def pair_glossary_path(pair: str) -> Path | None:
    """``glossary/<pair>.tsv`` in the working directory, else beside the package source; None if neither."""
    for candidate in (Path.cwd() / "glossary" / f"{pair}.tsv",
                      Path(__file__).resolve().parent.parent / "glossary" / f"{pair}.tsv"):
        if candidate.is_file():
            return candidate
    return None


def default_glossary_path() -> Path | None:
    """The starter glossary: ``./glossary/en-fr.tsv``, else the one beside the package source."""
    return pair_glossary_path(DEFAULT_PAIR)


def _default_data_dir() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("translator", appauthor=False))


def _split_list(value: str) -> tuple[str, ...]:
    return tuple(item.strip() for item in value.split(",") if item.strip())


def _check_pair(pair: str, setting: str) -> str:
    if not _PAIR.match(pair):
        raise ConfigError(f"{setting}: {pair!r} is not a language pair like 'en-de'")
    return pair


def _parse_models(value: str) -> dict[str, str]:
    """``en-de=Helsinki-NLP/opus-mt-en-de,en-es=/models/en-es`` -> {"en-de": ..., ...}."""
    pairs: dict[str, str] = {}
    for item in _split_list(value):
        pair, sep, model = item.partition("=")
        if not sep or not model.strip():
            raise ConfigError(f"TRANSLATOR_MODELS: expected 'src-tgt=MODEL', got {item!r}")
        pairs[_check_pair(pair.strip().lower(), "TRANSLATOR_MODELS")] = model.strip()
    return pairs


def _minimum(name: str) -> int:
    """The smallest value integer setting ``name`` accepts."""
    return 0 if name in _ZERO_ALLOWED else 1


def _glossary_value(raw: str) -> Path | None:
    return None if raw.strip().lower() in _OFF else Path(raw).expanduser()


@dataclass(frozen=True)
class SettingDoc:
    """One row of the configuration reference: the variable, its default as shown to people, its meaning."""

    variable: str
    default: str
    meaning: str


def setting(default=dataclasses.MISSING, *, default_factory=dataclasses.MISSING, shown: str, doc: str,
            repr: bool = True):
    """A :class:`Settings` field with its documentation (``shown``: the default as people read it;
    ``doc``: what it does), the one source of the configuration reference (:func:`settings_reference`)."""
    metadata = {"shown": shown, "doc": doc}
    if default_factory is not dataclasses.MISSING:
        return field(default_factory=default_factory, repr=repr, metadata=metadata)
    return field(default=default, repr=repr, metadata=metadata)


@dataclass(frozen=True)
class Settings:
    """Everything the service, the CLI and the batch job can be configured with."""

    model: str = setting(DEFAULT_MODEL,
                      shown="`Helsinki-NLP/opus-mt-en-fr`",
                      doc="en→fr model: a hub id or a local Marian directory")
    models: dict[str, str] = setting(default_factory=dict,
                      shown="(none)",
                      doc="extra language pairs, e.g. `en-de=Helsinki-NLP/opus-mt-en-de,en-es=/models/en-es` (see [Language pairs](#language-pairs))")
    backend: str = setting("auto",
                      shown="`auto`",
                      doc="`auto`: `ctranslate2` when it is installed (the `[fast]` extra, which `make run` installs), else `torch`; or name one: `torch` (transformers) or `ctranslate2` (int8). The start-up log says which was chosen and why")
    device: str = setting("auto",
                      shown="`auto`",
                      doc="`auto`: the GPU when the backend sees one, else the CPU; `cpu`; `cuda` (without a GPU: one-line error at start)")
    compute_type: str | None = setting(None,
                      shown="`int8` on CPU, `int8_float16` on GPU",
                      doc="CTranslate2 compute type (the torch backend computes in fp32 on CPU, fp16 on GPU)")
    ct2_tuning: bool = setting(True,
                      shown="`on`",
                      doc="CTranslate2's `CT2_*` settings chosen for the CPU at start-up and logged (`CT2_*` variables you set win); `off`: CTranslate2's own defaults")
    threads: int = setting(os.cpu_count() or 1,
                      shown="all cores",
                      doc="inference threads, shared by batches decoded side by side (2 threads: 2 batches x 1 thread; 8: 2 x 4; 16: 4 x 4); on the torch backend a lone batch gets them all")
    batch_tokens: int = setting(2048,
                      shown="`2048`",
                      doc="padded source tokens per engine batch")
    segment_tokens: int = setting(200,
                      shown="`200`",
                      doc="most source tokens per segment (well under the 512 limit)")
    beams: int | None = setting(None,
                      shown="the model's own (opus-mt: 4)",
                      doc="beam size override")
    data_dir: Path = setting(default_factory=_default_data_dir,
                      shown="per-user data dir (`~/.local/share/translator`)",
                      doc="where the SQLite store and converted models live")
    store: str = setting("",
                      shown="`sqlite:///$TRANSLATOR_DATA_DIR/translator.sqlite3`",
                      doc="`sqlite:///PATH` (one machine), `postgresql://USER:PASSWORD@HOST:PORT/DB` (the durable "
                          "shared store for any number of web processes and workers; optional `?schema=NAME` and "
                          "`&pool_size=N`, default 10 connections per process; run `translator store migrate` "
                          "first) or `redis://HOST:PORT/DB` (several instances sharing one cache); see "
                          "[Scaling out](operating.md#scaling-out) for which store goes with which broker")
    keep_versions: int = setting(10,
                      shown="`10`",
                      doc="article versions kept per article")
    glossary: Path | None = setting(default_factory=default_glossary_path,
                      shown="`./glossary/en-fr.tsv`",
                      doc="en-fr glossary file; `off` = no file (entries added through the glossary API still apply)")
    # Read from every TRANSLATOR_GLOSSARY_<SRC>_<TGT> variable (see from_env), not from one named after it.
    glossaries: dict[str, Path | None] = setting(default_factory=dict,
                      shown="`./glossary/<src>-<tgt>.tsv` if it exists",
                      doc="`TRANSLATOR_GLOSSARY_<SRC>_<TGT>`: the glossary file of another pair, e.g. "
                          "`TRANSLATOR_GLOSSARY_EN_DE=/srv/glossary/de.tsv`; `off` = none")
    api_keys: tuple[str, ...] = setting(default=(), repr=False,
                      shown="(none: writes open)",
                      doc="comma-separated keys, each `SECRET` or `NAME=SECRET`; `PUT`/`DELETE`, segment edits and `/v1/review` then need `Authorization: Bearer <SECRET>`; `NAME` is the editor recorded with a correction")
    metrics_key: str = setting("", repr=False,
                      shown="(none: /metrics open, memory hits not broken down)",
                      doc="`GET /metrics` then needs `Authorization: Bearer <key>`, and only then breaks "
                          "translation-memory lookups down into hits and misses (on an open `/metrics` they "
                          "would tell a caller whether a sentence was translated before)")
    cors_origins: tuple[str, ...] = setting((),
                      shown="(none: no cross-origin access)",
                      doc="comma-separated origins allowed to call the read endpoints (the button)")
    max_chars: int = setting(100_000,
                      shown="`100000`",
                      doc="most characters in one translate request")
    max_texts: int = setting(50,
                      shown="`50`",
                      doc="most texts in one translate request")
    queue_size: int = setting(256,
                      shown="`256`",
                      doc="segments waiting for the model before requests get 503")
    batch_window_ms: float = setting(5.0,
                      shown="`5`",
                      doc="how long the engine worker collects concurrent requests into one batch (0: one request at a time)")
    log_level: str = setting("INFO",
                      shown="`INFO`",
                      doc="service log level")
    server_timing: bool = setting(False,
                      shown="`off`",
                      doc="`on` adds a `Server-Timing: app;dur=<ms>` header to every response")
    demo: bool = setting(True,
                      shown="`on`",
                      doc="`off` turns `/demo` into a 404 and stops `serve` from storing and translating the sample article at start")
    fr_typography: str = setting("on",
                      shown="`on`",
                      doc="French typography on machine output: `on` (U+00A0 before `: ; ! ?`, inside « », between thousands), `narrow` (U+202F before `; ! ?` and between thousands), `off`")
    review_score: float = setting(-1.0,
                      shown="`-1.0`",
                      doc="segments whose mean token log-probability is below this are flagged `low_score`")
    # -- access and operations (web/limits.py, web/requestlog.py, logs.py) --
    log_format: str = setting("text",
                      shown="`text`",
                      doc="`json`: one JSON object per log line (see \"Operating it\")")
    rate_limit: str = setting("60/minute;1000/day",
                      shown="`60/minute;1000/day`",
                      doc="`POST /v1/translate` per client address for callers without a key; `off` = none")
    keyed_rate_limit: str = setting("",
                      shown="(none: unlimited)",
                      doc="the same per API key, e.g. `600/minute`")
    trusted_proxies: int = setting(0,
                      shown="`0`",
                      doc="reverse proxies in front; only then is `X-Forwarded-For` believed")
    translate_requires_key: bool = setting(False,
                      shown="`off`",
                      doc="`on`: `POST /v1/translate` needs an API key")
    # Scale-out (translator/tasks): translation workers behind a broker.
    broker: str = setting(default="", repr=False,
                      shown="(none: one process)",
                      doc="`redis://HOST:PORT/DB` or `amqp://USER:PASSWORD@HOST:PORT/VHOST`: article translations go to `translator worker` processes (needs a PostgreSQL store with a Redis broker, or a Redis store); see [Scaling out](operating.md#scaling-out)")
    broker_visibility_timeout: float = setting(60.0,
                      shown="`60`",
                      doc="Redis broker: seconds before a task held by a worker that died is delivered again (RabbitMQ redelivers at once)")
    queue_prefix: str = setting("",
                      shown="(none)",
                      doc="prefix of the queue names (and of the Redis broker's keys), to keep deployments sharing a broker apart")
    web_engine: bool = setting(True,
                      shown="`on`",
                      doc="`off` (with a broker): `serve` loads no model; `POST /v1/translate` is a task for the workers")
    translate_timeout: float = setting(30.0,
                      shown="`30`",
                      doc="seconds `POST /v1/translate` waits for a worker (web engine off) before 503 with `Retry-After`")
    # Hardening: limits and timeouts (README "Limits and timeouts").
    store_timeout: float = setting(2.0,
                      shown="`2`",
                      doc="seconds to connect to Redis or PostgreSQL, to wait for a pooled PostgreSQL connection "
                          "and for each answer (PostgreSQL's `statement_timeout`); also the readiness probe's deadline")
    max_model_tokens: int = setting(8192,
                      shown="`8192`",
                      doc="most source tokens one `POST /v1/translate` may ask of the model (about 20,000 characters of news text); articles are exempt")
    server_connections: int = setting(500,
                      shown="`500`",
                      doc="open connections `translator serve` accepts (idle ones included)")
    min_free_mb: int = setting(100,
                      shown="`100`",
                      doc="`/readyz` is not ready (503 `disk_full`) when the data directory or a SQLite store's "
                          "directory has less free space than this many MB; `0`: not checked")
    tmx_max_mb: int = setting(200,
                      shown="`200`",
                      doc="largest TMX file `translator memory import` reads, in MB (it is read as a stream "
                          "and imported all or nothing; a larger file is refused: split it)")
    server_channel_timeout: float = setting(30.0,
                      shown="`30`",
                      doc="seconds a connection may stay silent before `translator serve` closes it")
    #: Every served pair -> its model and glossary (computed from the fields above; en-fr first).
    pairs: dict[str, PairConfig] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self.store:
            object.__setattr__(self, "store", f"sqlite:///{Path(self.data_dir) / 'translator.sqlite3'}")
        if self.backend not in BACKENDS:
            raise ConfigError(f"TRANSLATOR_BACKEND must be one of {', '.join(BACKENDS)}, not {self.backend!r}")
        if self.device not in DEVICES:
            raise ConfigError(f"TRANSLATOR_DEVICE must be one of {', '.join(DEVICES)}, not {self.device!r}")
        if self.fr_typography not in ("on", "narrow", "off"):
            raise ConfigError(f"TRANSLATOR_FR_TYPOGRAPHY must be on, narrow or off, not {self.fr_typography!r}")
        for f in dataclasses.fields(self):
            value = getattr(self, f.name) if f.init else None
            if f.type in ("int", "int | None") and value is not None and value < _minimum(f.name):
                raise ConfigError(f"TRANSLATOR_{f.name.upper()} must be at least {_minimum(f.name)}")
        for name in ("store_timeout", "server_channel_timeout"):
            if not getattr(self, name) > 0:
                raise ConfigError(f"TRANSLATOR_{name.upper()} must be a positive number of seconds")
        if self.log_format not in ("text", "json"):
            raise ConfigError(f"TRANSLATOR_LOG_FORMAT must be 'text' or 'json', not {self.log_format!r}")
        if self.translate_requires_key and not self.api_keys:
            raise ConfigError("TRANSLATOR_TRANSLATE_REQUIRES_KEY=on needs TRANSLATOR_API_KEYS")
        for name in ("broker_visibility_timeout", "translate_timeout"):
            if getattr(self, name) <= 0:
                raise ConfigError(f"TRANSLATOR_{name.upper()} must be more than 0 seconds")
        if self.broker:
            _check_store_and_broker(self.store_kind, self.broker_kind)
        if not self.web_engine and not self.broker:
            raise ConfigError("TRANSLATOR_WEB_ENGINE=off needs TRANSLATOR_BROKER: without workers nothing "
                              "would translate")
        object.__setattr__(self, "pairs", self._pairs())

    @property
    def store_kind(self) -> str:
        """``"sqlite"``, ``"redis"``, ``"postgresql"`` (what ``TRANSLATOR_STORE`` names), else its scheme."""
        return url_kind(self.store)

    @property
    def broker_kind(self) -> str:
        """``"redis"`` or ``"amqp"`` (what ``TRANSLATOR_BROKER`` names), else its scheme; ``""`` without one."""
        return url_kind(self.broker)

    def _pairs(self) -> dict[str, PairConfig]:
        if self.models.get(DEFAULT_PAIR, self.model) != self.model:
            log.warning("TRANSLATOR_MODELS names %s; %s uses TRANSLATOR_MODEL (%s) instead", DEFAULT_PAIR,
                        DEFAULT_PAIR, self.model)
        # TRANSLATOR_GLOSSARY_EN_FR, when set, names the en-fr glossary like TRANSLATOR_GLOSSARY.
        pairs = {DEFAULT_PAIR: PairConfig(self.model, self.glossaries.get(DEFAULT_PAIR, self.glossary))}
        for pair, model in self.models.items():
            if pair != DEFAULT_PAIR:
                glossary = self.glossaries[pair] if pair in self.glossaries else pair_glossary_path(pair)
                pairs[pair] = PairConfig(model, glossary)
        unknown = sorted(set(self.glossaries) - set(pairs))
        if unknown:
            raise ConfigError(f"TRANSLATOR_GLOSSARY_{unknown[0].replace('-', '_').upper()}: {unknown[0]} is not "
                              f"a served pair (add it to TRANSLATOR_MODELS)")
        return pairs

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides) -> "Settings":
        """Build settings from ``TRANSLATOR_*`` variables; keyword ``overrides`` win, ``None`` included
        (callers pass only the options they were given)."""
        env = os.environ if environ is None else environ
        values: dict[str, object] = {}
        for f in dataclasses.fields(cls):
            raw = env.get(_PREFIX + f.name.upper())
            if not f.init or f.name == "glossaries" or raw is None or raw == "":
                continue
            values[f.name] = _convert(f, raw)
        glossaries = {}
        for name, raw in env.items():
            if name.startswith(_GLOSSARY_PREFIX) and raw != "":
                pair = name[len(_GLOSSARY_PREFIX):].lower().replace("_", "-")
                glossaries[_check_pair(pair, name)] = _glossary_value(raw)
        if glossaries:
            values["glossaries"] = glossaries
        values.update(overrides)
        return cls(**values)

    def replace(self, **changes) -> "Settings":
        """A copy with some fields changed."""
        return dataclasses.replace(self, **changes)


def settings_reference() -> list[SettingDoc]:
    """Every setting's variable, shown default and meaning, in declaration order (the docs' configuration
    page is generated from this, so it cannot drift from the code)."""
    rows = []
    for f in dataclasses.fields(Settings):
        if "doc" not in f.metadata:
            continue  # computed, not configured (pairs)
        variable = "TRANSLATOR_GLOSSARY_<SRC>_<TGT>" if f.name == "glossaries" else _PREFIX + f.name.upper()
        rows.append(SettingDoc(variable, f.metadata["shown"], f.metadata["doc"]))
    return rows


_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off"})


def _parse_bool(name: str, raw: str) -> bool:
    value = raw.strip().lower()
    if value not in _TRUE | _FALSE:
        raise ConfigError(f"TRANSLATOR_{name.upper()} must be on or off (1/0, true/false, yes/no), not {raw!r}")
    return value in _TRUE


def _convert(f: dataclasses.Field, raw: str) -> object:
    """The value of setting ``f`` from its variable's text, by the field's declared type."""
    name, kind = f.name, f.type
    try:
        if kind in ("int", "int | None"):
            return int(raw)
        if kind == "float":
            return float(raw)
    except ValueError:
        raise ConfigError(f"TRANSLATOR_{name.upper()} must be a number, not {raw!r}") from None
    if kind == "bool":
        return _parse_bool(name, raw)
    if kind == "Path | None":
        return _glossary_value(raw)
    if kind == "Path":
        return Path(raw).expanduser()
    if kind == "tuple[str, ...]":
        return _split_list(raw)
    if name == "models":
        return _parse_models(raw)
    if name == "fr_typography":
        value = raw.strip().lower()
        return "on" if value in _TRUE else "off" if value in _FALSE else value
    if name in ("backend", "device", "log_format"):
        return raw.strip().lower()
    if name in ("rate_limit", "keyed_rate_limit") and raw.strip().lower() in _OFF:
        return ""  # no limit
    return raw
