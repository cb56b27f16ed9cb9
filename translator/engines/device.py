"""Where a model runs: ``TRANSLATOR_DEVICE`` (auto | cpu | cuda) against the GPUs a backend sees.

``auto`` takes the GPU when the backend sees one and the CPU otherwise;
``cuda`` without a GPU is a :class:`ConfigError` at start-up (one line), never
a silent fall-back to a CPU that is ten times slower than what was asked for.
"""

from __future__ import annotations

import logging

from ..errors import ConfigError

__all__ = ["ctranslate2_gpu_count", "resolve_device", "torch_gpu_count"]

log = logging.getLogger(__name__)


def resolve_device(requested: str, gpus: int, backend: str) -> str:
    """``"cuda"`` or ``"cpu"`` for ``TRANSLATOR_DEVICE=requested`` when ``backend`` sees ``gpus`` GPUs."""
    if requested == "cpu":
        return "cpu"
    if requested == "cuda":
        if gpus < 1:
            raise ConfigError(f"TRANSLATOR_DEVICE=cuda, but the {backend} backend sees no CUDA GPU; "
                              f"set TRANSLATOR_DEVICE=cpu (or auto)")
        return "cuda"
    if requested != "auto":
        raise ConfigError(f"TRANSLATOR_DEVICE must be auto, cpu or cuda, not {requested!r}")
    device = "cuda" if gpus > 0 else "cpu"
    log.info("device: %s (TRANSLATOR_DEVICE=auto; the %s backend sees %d CUDA GPU%s)", device, backend, gpus,
             "" if gpus == 1 else "s")
    return device


def torch_gpu_count() -> int:
    """CUDA GPUs torch can use (0 with a CPU build of torch)."""
    import torch

    return torch.cuda.device_count() if torch.cuda.is_available() else 0


def ctranslate2_gpu_count(ctranslate2) -> int:
    """CUDA GPUs CTranslate2 can use (0 when it was built without CUDA or finds no driver)."""
    try:
        return int(ctranslate2.get_cuda_device_count())
    except Exception:  # no CUDA runtime at all: the CPU it is
        return 0
