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
    fr_typography: str = "on"                  # TRANSLATOR_FR_TYPOGRAPHY: on | narrow | off
    review_score: float = -1.0                 # TRANSLATOR_REVIEW_SCORE: flag segments scoring below it
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

    def __post_init__(self) -> None:
        if not self.store:
            object.__setattr__(self, "store", f"sqlite:///{Path(self.data_dir) / 'translator.sqlite3'}")
        if self.backend not in ("torch", "ctranslate2"):
            raise ConfigError(f"TRANSLATOR_BACKEND must be 'torch' or 'ctranslate2', not {self.backend!r}")
        if self.fr_typography not in ("on", "narrow", "off"):
            raise ConfigError(f"TRANSLATOR_FR_TYPOGRAPHY must be on, narrow or off, not {self.fr_typography!r}")
        for name in ("threads", "batch_tokens", "segment_tokens", "keep_versions", "max_chars",
                     "max_texts", "queue_size", "max_model_tokens", "server_connections"):
            if getattr(self, name) < 1:
                raise ConfigError(f"TRANSLATOR_{name.upper()} must be at least 1")
        for name in ("store_timeout", "server_channel_timeout"):
            if not getattr(self, name) > 0:
                raise ConfigError(f"TRANSLATOR_{name.upper()} must be a positive number of seconds")
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
                    "max_texts", "queue_size", "beams", "max_model_tokens", "server_connections"):
            return int(raw)
        if name in ("batch_window_ms", "store_timeout", "server_channel_timeout", "broker_visibility_timeout",
                    "translate_timeout", "review_score"):
            return float(raw)
    except ValueError:
        raise ConfigError(f"TRANSLATOR_{name.upper()} must be a number, not {raw!r}") from None
    if name in ("server_timing", "demo", "web_engine", "ct2_tuning"):
        return _parse_bool(name, raw)
    if name == "glossary" and raw.strip().lower() in ("off", "none"):
        return None  # glossary disabled
    if name in ("data_dir", "glossary"):
        return Path(raw).expanduser()
    if name in ("api_keys", "cors_origins"):
        return _split_list(raw)
    if name == "models":
        return _parse_models(raw)
    if name == "fr_typography":
        value = raw.strip().lower()
        return "on" if value in _TRUE else "off" if value in _FALSE else value
    if name == "backend":
        return raw.strip().lower()
    return raw
