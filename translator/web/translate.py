"""``POST /v1/translate``: French (or another configured target) for ad-hoc texts.

The pair's live glossary applies unless the request says ``"glossary": false``;
``"glossary_entries"`` adds entries for this request only (overriding the
service's entries with the same source), for any pair; ``"repair": false``
makes the glossary report only, never changing the French. The glossary
snapshot is resolved once per request and handed to the translator.

With ``TRANSLATOR_WEB_ENGINE=off`` the request is a task for the workers
(waiting up to ``TRANSLATOR_TRANSLATE_TIMEOUT`` seconds, else 503 with
``Retry-After``); the request is still validated here first.
"""

from __future__ import annotations

from flask import Blueprint

from ..errors import ConfigError, GlossaryError
from ..service.formats import translate_texts
from ..glossary import Glossary, request_glossary
from ..tasks.dispatch import TranslationFailed
from .errors import ApiError
from .services import current_services
from .validation import check_model_budget, check_text_limits, json_body

__all__ = ["bp"]

bp = Blueprint("translate", __name__, url_prefix="/v1")


@bp.post("/translate")
def translate():
    """Translate ``text`` (a string or a list of strings); one result per text, in order."""
    body = json_body("TranslateRequest")
    services = current_services()
    texts = [body["text"]] if isinstance(body["text"], str) else body["text"]
    check_text_limits(texts, services.settings)
    try:
        pair = services.pair(f"{body.get('source_lang', 'en')}-{body.get('target_lang', 'fr')}".lower())
    except ConfigError as exc:
        raise ApiError(400, str(exc)) from None
    glossary = _request_glossary(body, pair.glossary.current)
    if services.translates_remotely:  # TRANSLATOR_WEB_ENGINE=off: a worker translates, we wait for it
        try:
            return services.tasks.translate_texts(pair.name, texts, glossary=body.get("glossary", True),
                                                  glossary_entries=body.get("glossary_entries", []),
                                                  format=body.get("format", "text"),
                                                  repair=body.get("repair", True))
        except TranslationFailed as exc:
            raise ApiError(500, f"the translation worker failed: {exc}", code="translation_failed") from None
    translator = pair.translator
    check_model_budget(texts, translator.engine.count_tokens, services.settings)
    results = translate_texts(translator, texts, format=body.get("format", "text"), glossary=glossary,
                              repair=body.get("repair", True))
    return {
        "translations": [{"text": r.text, "glossary": r.glossary, "status": r.status} for r in results],
        "model": translator.engine.identity,
    }


def _request_glossary(body: dict, base: Glossary | None) -> Glossary | None:
    """The glossary of this request: the service's (``base``), off, or with the request's own entries."""
    enabled = body.get("glossary", True)
    extra = body.get("glossary_entries", [])
    if extra and not enabled:
        raise ApiError(400, 'glossary_entries cannot be used with "glossary": false')
    try:
        return request_glossary(base, enabled=enabled, extra=extra)
    except GlossaryError as exc:
        raise ApiError(400, f"glossary_entries: {exc}") from None
