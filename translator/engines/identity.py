"""Engine identity by content: what makes two engines give the same translations.

The translation memory and stored article translations key on an engine's
identity, so it must name everything that changes the output and nothing
else: the model's *content* (a hash of its weights, configuration and
tokenizer files), never where the files happen to lie. A model directory
copied elsewhere keeps every translation-memory hit, and no filesystem path
ever reaches a public response.

The model *name* (for people: ``/v1/languages``, the French page footer) is
the hub id, or for a local directory the ``_name_or_path`` its
``config.json`` records (its last component when that is a path), else the
directory's name.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

__all__ = ["CONTENT_FILES", "EngineIdentity", "content_revision", "display_model_name"]

#: Files whose bytes decide a Marian model's translations: configuration, tokenizer, weights.
CONTENT_FILES = ("config.json", "generation_config.json", "source.spm", "target.spm", "vocab.json",
                 "tokenizer_config.json", "special_tokens_map.json")
#: Written by the CTranslate2 conversion into its directory (see ct2_conversion).
_CONVERTED_METADATA = "translator-model.json"


def content_revision(model_dir: Path) -> str:
    """A short hash of the model's configuration, tokenizer files and weights (not of its path)."""
    model_dir = Path(model_dir)
    digest = hashlib.sha256()
    for name in CONTENT_FILES:
        file = model_dir / name
        if file.is_file():
            digest.update(name.encode() + b"\0")
            digest.update(file.read_bytes())
    for weights in sorted(model_dir.glob("*.safetensors")) or sorted(model_dir.glob("pytorch_model.bin")):
        digest.update(weights.name.encode() + b"\0")
        with weights.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()[:12]


def _looks_like_path(name: str) -> bool:
    return name.startswith((".", "/", "~")) or name.count("/") > 1 or "\\" in name


def display_model_name(model: str) -> str:
    """The name of ``model`` (a hub id or a local directory) for people; never a filesystem path."""
    path = Path(model).expanduser()
    if not path.is_dir():
        return Path(model).name if _looks_like_path(model) else model
    recorded = ""
    try:
        if (path / _CONVERTED_METADATA).is_file():  # a CTranslate2 conversion: its original's name
            recorded = str(json.loads((path / _CONVERTED_METADATA).read_text(encoding="utf-8"))
                           .get("source_name") or "")
        if not recorded and (path / "config.json").is_file():
            recorded = str(json.loads((path / "config.json").read_text(encoding="utf-8"))
                           .get("_name_or_path") or "")
    except (OSError, ValueError, AttributeError):
        recorded = ""
    if recorded and recorded != ".":
        return Path(recorded).name if _looks_like_path(recorded) else recorded
    return path.resolve().name or "model"


@dataclass(frozen=True)
class EngineIdentity:
    """Everything that decides an engine's output; :meth:`key` renders it for cache keys.

    ``model``: the model's name (:func:`display_model_name`); ``revision``:
    its :func:`content_revision`; ``backend``: ``torch`` or ``ctranslate2``;
    ``compute_type``: the numbers the model computes with (``float32``,
    ``float16``, ``int8``, ...); ``converted``: the CTranslate2 conversion's
    own content hash (``""`` for torch); ``beams``, ``bound`` (the output
    length bound) and ``fallback`` (the retry decoding).
    """

    model: str
    revision: str
    backend: str
    compute_type: str
    beams: int
    converted: str = ""
    bound: str = "2n+10"
    fallback: str = "greedy-nr3"

    @property
    def key(self) -> str:
        """``marian:<model>@<revision>|<backend>|beams=N|bound=..|fallback=..``."""
        if self.backend == "torch":
            # fp32 keeps the form identities had before compute types were named for torch.
            backend = "torch" if self.compute_type == "float32" else f"torch:{self.compute_type}"
        else:
            backend = f"{self.backend}:{self.compute_type}@{self.converted}"
        return (f"marian:{self.model}@{self.revision}|{backend}|beams={self.beams}"
                f"|bound={self.bound}|fallback={self.fallback}")

    def __str__(self) -> str:
        return self.key
