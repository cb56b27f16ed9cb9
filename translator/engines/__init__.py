"""Translation engines: the protocol every backend implements, and the factory.

An engine turns a list of source segments into a list of target segments, in
the same order. Everything above it (segmentation, glossary, translation
memory, batching across requests) works through this protocol only, so the
PyTorch backend, the CTranslate2 backend and the tests' fake engines are
interchangeable.
"""

from __future__ import annotations

import importlib.util
import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from .batching import length_sorted_batches

if TYPE_CHECKING:
    from ..config import Settings

log = logging.getLogger(__name__)

__all__ = ["Engine", "choose_backend", "length_sorted_batches", "load_engine", "output_token_bound"]


@runtime_checkable
class Engine(Protocol):
    """What the pipeline needs from a translation backend.

    ``identity`` names everything that changes the output (model name and
    content hash, backend, compute type, generation settings: see
    :class:`~translator.engines.identity.EngineIdentity`, never a filesystem
    path); the translation memory keys on it, so two engines with different
    identities never share cached segments.

    ``translate`` returns one string per input, in input order. An output that
    is not a complete translation (it ran into the length bound) comes back as
    ``""``; with ``fallback=True`` the engine decodes with its alternative
    settings (greedy, repetition-averse), which the pipeline uses once to
    retry such outputs.
    """

    identity: str
    max_input_tokens: int

    def count_tokens(self, text: str) -> int:
        """Source tokens of ``text`` as the model sees them (end-of-sentence included)."""
        ...

    def translate(self, texts: Sequence[str], *, fallback: bool = False) -> list[str]:
        """Translate ``texts``; ``""`` marks an output that hit its length bound."""
        ...


def output_token_bound(input_tokens: int, model_limit: int) -> int:
    """The most tokens an output may have: twice the input plus ten, capped by the model.

    A degenerate input (a loop-inducing string) then stops early instead of
    running to the model's 512-token limit.
    """
    return max(1, min(2 * input_tokens + 10, model_limit))


def choose_backend(requested: str) -> tuple[str, str]:
    """``(backend, why)`` for ``TRANSLATOR_BACKEND=requested``: ``auto`` is ctranslate2 when the
    package is installed (the ``[fast]`` extra), else torch."""
    if requested != "auto":
        return requested, f"TRANSLATOR_BACKEND={requested}"
    if importlib.util.find_spec("ctranslate2") is not None:
        return "ctranslate2", "TRANSLATOR_BACKEND=auto and the ctranslate2 package is installed"
    return "torch", ("TRANSLATOR_BACKEND=auto and the ctranslate2 package is not installed "
                     "(pip install 'translator[fast]' for the faster backend)")


def load_engine(settings: "Settings", model: str | None = None) -> Engine:
    """Load the engine that ``settings`` select (``model`` overrides ``settings.model``)."""
    model = model or settings.model
    backend, why = choose_backend(settings.backend)
    log.info("backend: %s (%s)", backend, why)
    if backend == "ctranslate2":
        from .ctranslate2 import CTranslate2Engine

        return CTranslate2Engine.load(model, settings)
    from .marian import MarianEngine

    return MarianEngine.load(model, settings)
