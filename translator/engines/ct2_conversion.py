"""Converting a Marian model for CTranslate2, once, into a cache keyed by model identity.

A converted directory is self-contained: CTranslate2's ``model.bin`` and
vocabulary, the Marian tokenizer files (the engine tokenises exactly as the
PyTorch backend does), and ``translator-model.json`` with what the engine
needs from the original (beams, limits) and the revisions that make up the
engine identity. Where it goes:

* a model given as a writable local directory: ``<model_dir>/ctranslate2-<compute_type>-<revision>/``;
* otherwise (hub cache, read-only directory): ``<data_dir>/ct2/<model>-<compute_type>-<revision>/``.

Conversion writes into a temporary sibling directory and renames it into
place, so two processes converting at once both end up with one complete
directory and no reader ever sees a half-written one.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..errors import ConfigError, ModelUnavailable
from .modelhub import resolve_model
from .identity import display_model_name

__all__ = ["COMPUTE_TYPES", "METADATA_FILE", "ConvertedModel", "check_compute_type", "convert_model",
           "converted_model_dir", "ensure_converted", "import_ctranslate2", "is_converted_dir", "read_converted"]

log = logging.getLogger(__name__)

#: Written last into a converted directory; its presence means the directory is complete.
METADATA_FILE = "translator-model.json"

#: CTranslate2 compute types; the first group are also weight quantizations for the converter.
_QUANTIZATIONS = ("int8", "int8_float32", "int8_float16", "int8_bfloat16", "int16", "float16", "bfloat16",
                  "float32")
COMPUTE_TYPES = _QUANTIZATIONS + ("default", "auto")

_TOKENIZER_FILES = ("source.spm", "target.spm", "vocab.json", "tokenizer_config.json", "special_tokens_map.json")
_INSTALL_HINT = "pip install 'translator[fast]'"


def import_ctranslate2():
    """The ``ctranslate2`` module, or a :class:`ConfigError` saying how to install it."""
    try:
        import ctranslate2
    except ImportError as exc:
        raise ConfigError(
            f"TRANSLATOR_BACKEND=ctranslate2 needs the ctranslate2 package, which is not installed "
            f"({exc}); install it with: {_INSTALL_HINT}") from exc
    return ctranslate2


def check_compute_type(compute_type: str) -> str:
    """``compute_type`` if CTranslate2 knows it, else a :class:`ConfigError` listing the choices."""
    if compute_type not in COMPUTE_TYPES:
        raise ConfigError(f"TRANSLATOR_COMPUTE_TYPE must be one of {', '.join(COMPUTE_TYPES)}, "
                          f"not {compute_type!r}")
    return compute_type


@dataclass(frozen=True)
class ConvertedModel:
    """A converted model directory and what ``translator-model.json`` says about it."""

    path: Path
    source_model: str       # the model as it was named when converted (hub id or directory)
    source_revision: str    # content hash of the original config and weights
    quantization: str       # weight type written by the converter
    revision: str           # content hash of the converted model.bin and config
    num_beams: int          # the original generation config's beam size
    model_limit: int        # the original generation config's max_length
    max_input_tokens: int   # the longest input the model accepts
    source_name: str = ""   # the original's name for people (display_model_name); "" in older conversions


def is_converted_dir(path: str | Path) -> bool:
    """True for a complete directory written by :func:`convert_model`."""
    return (Path(path) / METADATA_FILE).is_file()


def read_converted(path: str | Path) -> ConvertedModel:
    """Read a converted directory's metadata (:class:`ModelUnavailable` if it is not one)."""
    path = Path(path)
    try:
        meta = json.loads((path / METADATA_FILE).read_text(encoding="utf-8"))
        return ConvertedModel(path=path, source_name=str(meta.get("source_name", "")), **{k: meta[k] for k in (
            "source_model", "source_revision", "quantization", "revision", "num_beams", "model_limit",
            "max_input_tokens")})
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ModelUnavailable(f"{str(path)!r} is not a complete converted CTranslate2 model ({exc}); "
                               f"delete it and run 'translator model convert'") from exc


def _safe_name(model: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "--", model.strip("/")) or "model"


def converted_model_dir(model: str, model_dir: Path, source_revision: str, quantization: str,
                        data_dir: Path) -> Path:
    """Where the conversion of ``model`` (resolved to ``model_dir``) is cached; see the module doc."""
    name = f"ctranslate2-{quantization}-{source_revision}"
    if Path(model).expanduser().is_dir() and os.access(model_dir, os.W_OK):
        return model_dir / name
    return Path(data_dir) / "ct2" / f"{_safe_name(model)}-{quantization}-{source_revision}"


def _quantization_for(compute_type: str) -> str:
    # "default"/"auto" pick a type when loading; keep full-precision weights so every type stays possible.
    return compute_type if compute_type in _QUANTIZATIONS else "float32"


def _content_hash(directory: Path) -> str:
    digest = hashlib.sha256()
    for name in ("config.json", "model.bin"):
        with (directory / name).open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()[:12]


def _original_limits(model_dir: Path) -> dict:
    """Beams and length limits from the original model's configuration files."""
    from transformers import GenerationConfig, MarianConfig, MarianTokenizer

    config = MarianConfig.from_pretrained(model_dir)
    try:
        gen = GenerationConfig.from_pretrained(model_dir)
    except OSError:  # no generation_config.json: transformers' defaults
        gen = GenerationConfig()
    tokenizer = MarianTokenizer.from_pretrained(model_dir)
    positions = config.max_position_embeddings or 512
    return {"num_beams": int(gen.num_beams or 1),
            "model_limit": int(gen.max_length or positions),
            "max_input_tokens": int(min(tokenizer.model_max_length or positions, positions))}


def convert_model(model: str, model_dir: Path, out_dir: Path, *, compute_type: str = "int8",
                  source_revision: str | None = None) -> ConvertedModel:
    """Convert the Marian model in ``model_dir`` into ``out_dir`` (atomically).

    If ``out_dir`` already holds a conversion of the same revision and
    quantization, it is reused as is.
    """
    from .marian import model_revision

    ctranslate2 = import_ctranslate2()
    quantization = _quantization_for(check_compute_type(compute_type))
    source_revision = source_revision or model_revision(model_dir)
    out_dir = Path(out_dir)
    if is_converted_dir(out_dir):
        existing = read_converted(out_dir)
        if (existing.source_revision, existing.quantization) == (source_revision, quantization):
            return existing
        raise ConfigError(f"{str(out_dir)!r} already holds another conversion "
                          f"({existing.source_model}@{existing.source_revision}, {existing.quantization}); "
                          f"choose another directory or delete it")
    if out_dir.exists() and any(out_dir.iterdir()):
        raise ConfigError(f"{str(out_dir)!r} exists and is not empty; choose another directory")

    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
    limits = _original_limits(model_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.tmp-", dir=out_dir.parent))
    try:
        log.info("converting %s (revision %s) to CTranslate2 %s in %s", model, source_revision, quantization,
                 out_dir)
        try:
            converter = ctranslate2.converters.TransformersConverter(str(model_dir))
            converter.convert(str(staging), quantization=quantization, force=True)
        except Exception as exc:
            raise ModelUnavailable(f"cannot convert model {model!r} for CTranslate2: {exc}") from exc
        for name in _TOKENIZER_FILES:
            if (model_dir / name).is_file():
                shutil.copy2(model_dir / name, staging / name)
        meta = {"source_model": model, "source_name": display_model_name(model),
                "source_revision": source_revision, "quantization": quantization,
                "revision": _content_hash(staging), "ctranslate2_version": ctranslate2.__version__, **limits}
        (staging / METADATA_FILE).write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
        try:
            staging.rename(out_dir)  # atomic; replaces an empty directory, fails on a full one
        except OSError:
            if not is_converted_dir(out_dir):  # not a concurrent conversion that finished first
                raise
            log.info("another process converted %s first; using its copy", model)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    converted = read_converted(out_dir)
    if (converted.source_revision, converted.quantization) != (source_revision, quantization):
        raise ConfigError(f"{str(out_dir)!r} was meanwhile filled with another conversion; choose another "
                          f"directory")
    return converted


def ensure_converted(model: str, compute_type: str, data_dir: Path) -> ConvertedModel:
    """The converted form of ``model`` (a directory, a hub id, or an already converted directory),
    converting it on first use."""
    from .marian import model_revision

    if is_converted_dir(Path(model).expanduser()):
        return read_converted(Path(model).expanduser())
    model_dir = resolve_model(model)
    source_revision = model_revision(model_dir)
    quantization = _quantization_for(check_compute_type(compute_type))
    target = converted_model_dir(model, model_dir, source_revision, quantization, data_dir)
    if is_converted_dir(target):
        log.debug("using cached conversion %s", target)
        return read_converted(target)
    return convert_model(model, model_dir, target, compute_type=compute_type, source_revision=source_revision)
