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

__all__ = ["BACKENDS", "DEFAULT_MODEL", "DEFAULT_PAIR", "DEVICES", "PairConfig", "Settings",
           "default_glossary_path", "pair_glossary_path", "url_kind"]

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
_ZERO_ALLOWED = frozenset({"trusted_proxies"})


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
class Settings:
    """Everything the service, the CLI and the batch job can be configured with."""

    model: str = DEFAULT_MODEL                 # TRANSLATOR_MODEL: hub id or local directory (en-fr)
    models: dict[str, str] = field(default_factory=dict)  # TRANSLATOR_MODELS: extra pairs
    backend: str = "auto"                      # TRANSLATOR_BACKEND: auto | torch | ctranslate2
    device: str = "auto"                       # TRANSLATOR_DEVICE: auto | cpu | cuda
    compute_type: str | None = None            # TRANSLATOR_COMPUTE_TYPE (ctranslate2): None = int8 / int8_float16 on GPU
    ct2_tuning: bool = True                    # TRANSLATOR_CT2_TUNING: CT2_* settings chosen for the CPU
    threads: int = os.cpu_count() or 1         # TRANSLATOR_THREADS
    batch_tokens: int = 2048                   # TRANSLATOR_BATCH_TOKENS: padded tokens per engine batch
    segment_tokens: int = 200                  # TRANSLATOR_SEGMENT_TOKENS: max source tokens per segment
    beams: int | None = None                   # TRANSLATOR_BEAMS: None = the model's own setting
    data_dir: Path = field(default_factory=_default_data_dir)  # TRANSLATOR_DATA_DIR
    store: str = ""                            # TRANSLATOR_STORE: sqlite:///PATH | redis://HOST:PORT/DB
    keep_versions: int = 10                    # TRANSLATOR_KEEP_VERSIONS
    glossary: Path | None = field(default_factory=default_glossary_path)  # TRANSLATOR_GLOSSARY (off = none)
    # TRANSLATOR_GLOSSARY_<SRC>_<TGT>: the glossary file of another pair (off = none)
    glossaries: dict[str, Path | None] = field(default_factory=dict)
    api_keys: tuple[str, ...] = field(default=(), repr=False)  # TRANSLATOR_API_KEYS (never in logs)
    cors_origins: tuple[str, ...] = ()         # TRANSLATOR_CORS_ORIGINS
    max_chars: int = 100_000                   # TRANSLATOR_MAX_CHARS
    max_texts: int = 50                        # TRANSLATOR_MAX_TEXTS
    queue_size: int = 256                      # TRANSLATOR_QUEUE_SIZE: pending segments before 503
    batch_window_ms: float = 5.0               # TRANSLATOR_BATCH_WINDOW_MS
    log_level: str = "INFO"                    # TRANSLATOR_LOG_LEVEL
    server_timing: bool = False                # TRANSLATOR_SERVER_TIMING: Server-Timing header on responses
    demo: bool = True                          # TRANSLATOR_DEMO: GET /demo and its sample article
    fr_typography: str = "on"                  # TRANSLATOR_FR_TYPOGRAPHY: on | narrow | off
    review_score: float = -1.0                 # TRANSLATOR_REVIEW_SCORE: flag segments scoring below it
    # -- access and operations (web/limits.py, web/requestlog.py, logs.py) --
    log_format: str = "text"                   # TRANSLATOR_LOG_FORMAT: text | json (one object per line)
    rate_limit: str = "60/minute;1000/day"     # TRANSLATOR_RATE_LIMIT: POST /v1/translate per client IP; off
    keyed_rate_limit: str = ""                 # TRANSLATOR_KEYED_RATE_LIMIT: per API key ("" = unlimited)
    trusted_proxies: int = 0                   # TRANSLATOR_TRUSTED_PROXIES: proxies in front (X-Forwarded-*)
    translate_requires_key: bool = False       # TRANSLATOR_TRANSLATE_REQUIRES_KEY: POST /v1/translate needs a key
    # Scale-out (translator/tasks): translation workers behind a broker.
    broker: str = field(default="", repr=False)  # TRANSLATOR_BROKER: redis://... | amqp://... ("" = in process)
    broker_visibility_timeout: float = 60.0    # TRANSLATOR_BROKER_VISIBILITY_TIMEOUT: Redis broker redelivery (s)
    queue_prefix: str = ""                     # TRANSLATOR_QUEUE_PREFIX: prepended to the queue names
    web_engine: bool = True                    # TRANSLATOR_WEB_ENGINE: off = serve loads no model (needs a broker)
    translate_timeout: float = 30.0            # TRANSLATOR_TRANSLATE_TIMEOUT: POST /v1/translate wait on workers (s)
    # Hardening: limits and timeouts (README "Limits and timeouts").
    store_timeout: float = 2.0                 # TRANSLATOR_STORE_TIMEOUT: seconds per Redis connect/command
    max_model_tokens: int = 8192               # TRANSLATOR_MAX_MODEL_TOKENS: source tokens per translate request
    server_connections: int = 500              # TRANSLATOR_SERVER_CONNECTIONS: open connections waitress accepts
    server_channel_timeout: float = 30.0       # TRANSLATOR_SERVER_CHANNEL_TIMEOUT: idle seconds before a close
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
