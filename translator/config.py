"""Settings, read from ``TRANSLATOR_*`` environment variables in this one place.

Every default works on a single machine with nothing else running: the
opus-mt-en-fr model, the PyTorch backend, an embedded SQLite store under a
per-user data directory.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ConfigError

__all__ = ["DEFAULT_MODEL", "Settings", "default_glossary_path"]

DEFAULT_MODEL = "Helsinki-NLP/opus-mt-en-fr"
_PREFIX = "TRANSLATOR_"


def default_glossary_path() -> Path | None:
    """The starter glossary: ``./glossary/en-fr.tsv``, else the one beside the package source."""
    for candidate in (Path.cwd() / "glossary" / "en-fr.tsv",
                      Path(__file__).resolve().parent.parent / "glossary" / "en-fr.tsv"):
        if candidate.is_file():
            return candidate
    return None


def _default_data_dir() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("translator", appauthor=False))


def _split_list(value: str) -> tuple[str, ...]:
    return tuple(item.strip() for item in value.split(",") if item.strip())


def _parse_models(value: str) -> dict[str, str]:
    """``en-de=Helsinki-NLP/opus-mt-en-de,en-es=/models/en-es`` -> {"en-de": ..., ...}."""
    pairs: dict[str, str] = {}
    for item in _split_list(value):
        pair, sep, model = item.partition("=")
        if not sep or "-" not in pair or not model.strip():
            raise ConfigError(f"TRANSLATOR_MODELS: expected 'src-tgt=MODEL', got {item!r}")
        pairs[pair.strip().lower()] = model.strip()
    return pairs


@dataclass(frozen=True)
class Settings:
    """Everything the service, the CLI and the batch job can be configured with."""

    model: str = DEFAULT_MODEL                 # TRANSLATOR_MODEL: hub id or local directory
    models: dict[str, str] = field(default_factory=dict)  # TRANSLATOR_MODELS: extra pairs
    backend: str = "torch"                     # TRANSLATOR_BACKEND: torch | ctranslate2
    compute_type: str = "int8"                 # TRANSLATOR_COMPUTE_TYPE (ctranslate2)
    ct2_tuning: bool = True                    # TRANSLATOR_CT2_TUNING: CT2_* settings chosen for the CPU
    threads: int = os.cpu_count() or 1         # TRANSLATOR_THREADS
    batch_tokens: int = 2048                   # TRANSLATOR_BATCH_TOKENS: padded tokens per engine batch
    segment_tokens: int = 200                  # TRANSLATOR_SEGMENT_TOKENS: max source tokens per segment
    beams: int | None = None                   # TRANSLATOR_BEAMS: None = the model's own setting
    data_dir: Path = field(default_factory=_default_data_dir)  # TRANSLATOR_DATA_DIR
    store: str = ""                            # TRANSLATOR_STORE: sqlite:///PATH | redis://HOST:PORT/DB
    keep_versions: int = 10                    # TRANSLATOR_KEEP_VERSIONS
    glossary: Path | None = field(default_factory=default_glossary_path)  # TRANSLATOR_GLOSSARY (off = none)
    api_keys: tuple[str, ...] = field(default=(), repr=False)  # TRANSLATOR_API_KEYS (never in logs)
    cors_origins: tuple[str, ...] = ()         # TRANSLATOR_CORS_ORIGINS
    max_chars: int = 100_000                   # TRANSLATOR_MAX_CHARS
    max_texts: int = 50                        # TRANSLATOR_MAX_TEXTS
    queue_size: int = 256                      # TRANSLATOR_QUEUE_SIZE: pending segments before 503
    batch_window_ms: float = 5.0               # TRANSLATOR_BATCH_WINDOW_MS
    log_level: str = "INFO"                    # TRANSLATOR_LOG_LEVEL
    server_timing: bool = False                # TRANSLATOR_SERVER_TIMING: Server-Timing header on responses
    demo: bool = True                          # TRANSLATOR_DEMO: GET /demo and its sample article
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

    def __post_init__(self) -> None:
        if not self.store:
            object.__setattr__(self, "store", f"sqlite:///{Path(self.data_dir) / 'translator.sqlite3'}")
        if self.backend not in ("torch", "ctranslate2"):
            raise ConfigError(f"TRANSLATOR_BACKEND must be 'torch' or 'ctranslate2', not {self.backend!r}")
        if self.log_format not in ("text", "json"):
            raise ConfigError(f"TRANSLATOR_LOG_FORMAT must be 'text' or 'json', not {self.log_format!r}")
        if self.translate_requires_key and not self.api_keys:
            raise ConfigError("TRANSLATOR_TRANSLATE_REQUIRES_KEY=on needs TRANSLATOR_API_KEYS")
        if self.trusted_proxies < 0:
            raise ConfigError("TRANSLATOR_TRUSTED_PROXIES must be 0 (no proxy) or more")
        for name in ("threads", "batch_tokens", "segment_tokens", "keep_versions", "max_chars",
                     "max_texts", "queue_size"):
            if getattr(self, name) < 1:
                raise ConfigError(f"TRANSLATOR_{name.upper()} must be at least 1")
        for name in ("broker_visibility_timeout", "translate_timeout"):
            if getattr(self, name) <= 0:
                raise ConfigError(f"TRANSLATOR_{name.upper()} must be more than 0 seconds")
        if self.broker and self.store.lower().startswith("sqlite:"):
            raise ConfigError("TRANSLATOR_BROKER needs a store the workers share: set "
                              "TRANSLATOR_STORE=redis://HOST:PORT/DB (a SQLite file is local to one machine "
                              "and its locks to one process)")
        if not self.web_engine and not self.broker:
            raise ConfigError("TRANSLATOR_WEB_ENGINE=off needs TRANSLATOR_BROKER: without workers nothing "
                              "would translate")

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides) -> "Settings":
        """Build settings from ``TRANSLATOR_*`` variables; keyword ``overrides`` win."""
        env = os.environ if environ is None else environ
        values: dict[str, object] = {}
        for f in dataclasses.fields(cls):
            raw = env.get(_PREFIX + f.name.upper())
            if raw is None or raw == "":
                continue
            values[f.name] = _convert(f.name, raw)
        values.update({k: v for k, v in overrides.items() if v is not None})
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


def _convert(name: str, raw: str) -> object:
    try:
        if name in ("threads", "batch_tokens", "segment_tokens", "keep_versions", "max_chars",
                    "max_texts", "queue_size", "beams", "trusted_proxies"):
            return int(raw)
        if name in ("batch_window_ms", "broker_visibility_timeout", "translate_timeout"):
            return float(raw)
    except ValueError:
        raise ConfigError(f"TRANSLATOR_{name.upper()} must be a number, not {raw!r}") from None
    if name in ("server_timing", "demo", "web_engine", "ct2_tuning", "translate_requires_key"):
        return _parse_bool(name, raw)
    if name == "glossary" and raw.strip().lower() in ("off", "none"):
        return None  # glossary disabled
    if name in ("data_dir", "glossary"):
        return Path(raw).expanduser()
    if name in ("api_keys", "cors_origins"):
        return _split_list(raw)
    if name == "models":
        return _parse_models(raw)
    if name in ("backend", "log_format"):
        return raw.strip().lower()
    if name in ("rate_limit", "keyed_rate_limit") and raw.strip().lower() in ("off", "none"):
        return ""  # no limit
    return raw
