"""Translation engines: the protocol every backend implements, and the factory.

An engine turns a list of source segments into a list of target segments, in
the same order. Everything above it (segmentation, glossary, translation
memory, batching across requests) works through this protocol only, so the
PyTorch backend, the CTranslate2 backend and the tests' fake engines are
interchangeable.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from .batching import length_sorted_batches

if TYPE_CHECKING:
    from ..config import Settings

__all__ = ["Engine", "length_sorted_batches", "load_engine", "model_name", "output_token_bound"]


@runtime_checkable
class Engine(Protocol):
    """What the pipeline needs from a translation backend.

    ``identity`` names everything that changes the output (model id and
    revision, backend, compute type, generation settings); the translation
    memory keys on it, so two engines with different identities never share
    cached segments.

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


def model_name(identity: str) -> str:
    """The model an engine identity names, for people: ``"marian:<model>@<revision>|..."`` -> ``"<model>"``.

    Identities of other shapes (test engines) come back unchanged.
    """
    if identity.startswith("marian:") and "@" in identity:
        return identity[len("marian:"):].split("|", 1)[0].rsplit("@", 1)[0]
    return identity


def output_token_bound(input_tokens: int, model_limit: int) -> int:
    """The most tokens an output may have: twice the input plus ten, capped by the model.

    A degenerate input (a loop-inducing string) then stops early instead of
    running to the model's 512-token limit.
    """
    return max(1, min(2 * input_tokens + 10, model_limit))


def load_engine(settings: "Settings", model: str | None = None) -> Engine:
    """Load the engine that ``settings`` select (``model`` overrides ``settings.model``)."""
    model = model or settings.model
    if settings.backend == "ctranslate2":
        from .ctranslate2 import CTranslate2Engine

        return CTranslate2Engine.load(model, settings)
    from .marian import MarianEngine

    return MarianEngine.load(model, settings)
