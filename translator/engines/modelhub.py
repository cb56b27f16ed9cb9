"""Finding model files: a local directory, the local Hugging Face cache, or the hub.

Loading never hangs on an unreachable hub: when the model is neither a local
directory nor in the local cache, the hub is probed once with a short timeout
and a missing network turns into one clear :class:`ModelUnavailable` message.
"""

from __future__ import annotations

import logging
import os
import socket
from pathlib import Path
from urllib.parse import urlparse

from ..errors import ModelUnavailable

__all__ = ["DEMO_MARKER", "MODEL_FILES", "fetch_model", "is_demo_model", "resolve_model"]

log = logging.getLogger(__name__)

#: The files a Marian model directory needs (weights in either format).
MODEL_FILES = ["config.json", "generation_config.json", "*.safetensors", "pytorch_model.bin",
               "source.spm", "target.spm", "vocab.json", "tokenizer_config.json"]


def _fix_hint(model: str) -> str:
    hub_id = model if _looks_like_hub_id(model) else "Helsinki-NLP/opus-mt-en-fr"
    return (f"set TRANSLATOR_MODEL to a local model directory, or run "
            f"'translator model fetch {hub_id} --dir DIR' on a machine with network access")


def _looks_like_hub_id(model: str) -> bool:
    """'name' or 'org/name': not a path (no leading ./ / ~, at most one slash)."""
    return not model.startswith((".", "/", "~")) and model.count("/") <= 1 and not Path(model).is_dir()


def _hub_reachable(timeout: float = 3.0) -> bool:
    endpoint = os.environ.get("HF_ENDPOINT", "https://huggingface.co")
    url = urlparse(endpoint)
    port = url.port or (443 if url.scheme == "https" else 80)
    try:
        with socket.create_connection((url.hostname or "", port), timeout=timeout):
            return True
    except OSError:
        return False


#: A file in a model directory marking it as the offline demo's model (``make demo``): a small model
#: built on the machine, whose "French" is not French. The service says so in its log and on its pages.
DEMO_MARKER = "DEMO-MODEL-NOT-A-REAL-TRANSLATION.txt"


def is_demo_model(model: str) -> bool:
    """Whether ``model`` is a local directory holding the demo model (:data:`DEMO_MARKER`)."""
    return (Path(model).expanduser() / DEMO_MARKER).is_file()


def resolve_model(model: str) -> Path:
    """Return a local directory holding ``model`` (a directory path or a hub id).

    A hub id is looked up in the local cache first, then downloaded.
    Raises :class:`ModelUnavailable` with the reason and the fix.
    """
    path = Path(model).expanduser()
    if path.is_dir():
        if not (path / "config.json").is_file():
            raise ModelUnavailable(f"model directory {str(path)!r} has no config.json; {_fix_hint(model)}")
        return path
    if not _looks_like_hub_id(model):
        raise ModelUnavailable(f"model directory {model!r} does not exist; {_fix_hint(model)}")
    from huggingface_hub import snapshot_download

    try:
        return Path(snapshot_download(model, allow_patterns=MODEL_FILES, local_files_only=True))
    except Exception:  # not cached: fall through to the download
        pass
    if os.environ.get("HF_HUB_OFFLINE") or not _hub_reachable():
        raise ModelUnavailable(
            f"cannot load model {model!r}: it is not in the local cache and the Hugging Face hub "
            f"is unreachable; {_fix_hint(model)}")
    return fetch_model(model)


def fetch_model(model: str, target_dir: str | Path | None = None) -> Path:
    """Download ``model`` from the hub into the cache, or into ``target_dir``."""
    from huggingface_hub import snapshot_download

    if os.environ.get("HF_HUB_OFFLINE") or not _hub_reachable():
        # Checked first: offline, the hub client would answer with pages of its own text.
        raise ModelUnavailable(f"cannot download model {model!r}: the Hugging Face hub is unreachable from this "
                               "machine (or HF_HUB_OFFLINE is set); run 'translator model fetch' where there is "
                               "network access and copy the directory here")
    log.info("downloading model %s%s", model, f" into {target_dir}" if target_dir else "")
    try:
        return Path(snapshot_download(model, allow_patterns=MODEL_FILES,
                                      local_dir=str(target_dir) if target_dir else None))
    except Exception as exc:
        # One line: the hub client's messages run over several lines (and name its own URLs).
        reason = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise ModelUnavailable(f"cannot download model {model!r}: {reason}; {_fix_hint(model)}") from exc
