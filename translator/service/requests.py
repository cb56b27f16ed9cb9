"""Translate a request: the one rule behind ``POST /v1/translate``, the worker's request task and
``translator translate``.

A request names texts, a language pair, a format, whether the pair's live
glossary applies, extra entries for this request only, and whether the
glossary may repair the French. Its glossary is resolved once, as one
snapshot (the pair's glossary file with the live edits, plus the request's
entries), then every text is translated with it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..config import DEFAULT_PAIR
from ..errors import GlossaryError, TranslatorError
from ..glossary import Glossary, request_glossary
from ..html.parse import looks_like_html
from ..pipeline import TextTranslation
from .formats import translate_texts
from .runtime import Runtime

__all__ = ["HTML_AS_TEXT", "BadGlossaryEntries", "ModelBudgetExceeded", "TranslateRequest", "TranslatedTexts",
           "answer_translate_request", "check_model_budget", "request_warnings", "translate_request"]


class BadGlossaryEntries(GlossaryError):
    """The request's own glossary entries are unusable (the message says why)."""


class ModelBudgetExceeded(TranslatorError):
    """The texts add up to more source tokens than one request may ask of the model."""


@dataclass(frozen=True)
class TranslateRequest:
    """What a caller asks for. ``glossary_entries``: ``(source, target)`` pairs or the API's entry
    objects, for this request only (they override the pair's entries with the same source)."""

    texts: Sequence[str]
    pair: str = DEFAULT_PAIR
    format: str = "text"
    glossary: bool = True
    glossary_entries: Sequence[Any] = field(default_factory=tuple)
    repair: bool = True

    def to_dict(self) -> dict[str, Any]:
        """What the task board carries to a worker (the pair travels with the task)."""
        return {"texts": list(self.texts), "glossary": self.glossary,
                "glossary_entries": list(self.glossary_entries), "format": self.format, "repair": self.repair}

    @classmethod
    def from_dict(cls, pair: str, data: Mapping[str, Any]) -> "TranslateRequest":
        """The request a worker takes from the task board (:meth:`to_dict`)."""
        return cls(texts=data["texts"], pair=pair, format=data.get("format", "text"),
                   glossary=data["glossary"], glossary_entries=data["glossary_entries"],
                   repair=data.get("repair", True))


@dataclass(frozen=True)
class TranslatedTexts:
    """One result per text, in order; the model's identity and the glossary snapshot's version."""

    results: list[TextTranslation]
    model: str
    glossary_version: str = ""

    #: One list of warnings per text (:func:`request_warnings`); empty lists are left out of the JSON.
    warnings: list[list[str]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The JSON answer of ``POST /v1/translate``."""
        items = []
        for index, result in enumerate(self.results):
            item = {"text": result.text, "glossary": result.glossary, "status": result.status}
            if index < len(self.warnings) and self.warnings[index]:
                item["warnings"] = list(self.warnings[index])
            items.append(item)
        return {"translations": items, "model": self.model}


#: The warning for markup sent as plain text.
HTML_AS_TEXT = "the text looks like HTML; send format html to keep its markup"


def request_warnings(request: TranslateRequest) -> list[list[str]]:
    """What the caller may not have meant, per text: HTML sent as ``format: text`` is translated as
    text (its tags are text, kept as they are)."""
    if request.format != "text":
        return [[] for _ in request.texts]
    return [[HTML_AS_TEXT] if looks_like_html(text) else [] for text in request.texts]


def request_glossary_of(runtime: Runtime, request: TranslateRequest) -> Glossary | None:
    """The glossary snapshot of ``request`` (:class:`BadGlossaryEntries` for unusable entries)."""
    if request.glossary_entries and not request.glossary:
        raise BadGlossaryEntries('glossary_entries cannot be used with "glossary": false')
    try:
        return request_glossary(runtime.pair(request.pair).glossary.current, enabled=request.glossary,
                                extra=request.glossary_entries)
    except GlossaryError as exc:
        raise BadGlossaryEntries(f"glossary_entries: {exc}") from None


def check_model_budget(texts: Iterable[str], count_tokens: Callable[[str], int], budget: int) -> None:
    """:class:`ModelBudgetExceeded` when ``texts`` add up to more than ``budget`` source tokens
    (``TRANSLATOR_MAX_MODEL_TOKENS``); counting stops as soon as the budget is passed."""
    total = 0
    for text in texts:
        total += count_tokens(text)
        if total > budget:
            raise ModelBudgetExceeded(
                f"too much text for the model in one request: more than {budget} source tokens "
                "(TRANSLATOR_MAX_MODEL_TOKENS); split it into smaller requests, or store it as "
                "an article (PUT /v1/articles/<id>), which is translated in the background")


def translate_request(runtime: Runtime, request: TranslateRequest, *,
                      glossary: Glossary | None | bool = True) -> TranslatedTexts:
    """Translate ``request`` in this process (loading the pair's model on first use).

    ``glossary``: the snapshot already resolved by the caller, else (True) resolved here.
    """
    if glossary is True:
        glossary = request_glossary_of(runtime, request)
    translator = runtime.request_translator(request.pair)
    results = translate_texts(translator, request.texts, format=request.format, glossary=glossary,
                              repair=request.repair)
    return TranslatedTexts(results, translator.engine.identity,
                           glossary.version if glossary is not None else "", request_warnings(request))


def answer_translate_request(runtime: Runtime, request: TranslateRequest) -> dict[str, Any]:
    """The JSON answer to ``request``: translated here, or by a worker when this process loads no
    model (``TRANSLATOR_WEB_ENGINE=off``; :class:`~translator.tasks.dispatch.TranslationFailed`
    when it failed there). The request's glossary is checked here first either way; the model
    budget (:class:`ModelBudgetExceeded`) when the model is here."""
    glossary = request_glossary_of(runtime, request)
    if runtime.translates_remotely:
        return runtime.tasks.translate_request(request.pair, request.to_dict())
    translator = runtime.translator(request.pair)
    check_model_budget(request.texts, translator.engine.count_tokens, runtime.settings.max_model_tokens)
    return translate_request(runtime, request, glossary=glossary).to_dict()
