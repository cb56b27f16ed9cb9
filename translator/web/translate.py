"""``POST /v1/translate``: French (or another configured target) for ad-hoc texts.

The en-fr glossary applies unless the request says ``"glossary": false``;
``"glossary_entries"`` adds entries for this request only (overriding the
service's entries with the same source), for any pair; ``"repair": false``
makes the glossary report only, never changing the French.

With ``TRANSLATOR_WEB_ENGINE=off`` the request is a task for the workers
(waiting up to ``TRANSLATOR_TRANSLATE_TIMEOUT`` seconds, else 503 with
``Retry-After``); the request is still validated here first.
"""

from __future__ import annotations

from flask import Blueprint

from ..errors import GlossaryError
from ..glossary import Glossary, request_glossary
from ..runtime import GLOSSARY_PAIR
from ..tasks.dispatch import TranslationFailed
from .errors import ApiError
from .services import current_services
from .validation import check_text_limits, json_body

__all__ = ["bp"]

bp = Blueprint("translate", __name__, url_prefix="/v1")


@bp.post("/translate")
def translate():
    """Translate ``text`` (a string or a list of strings); one result per text, in order."""
    body = json_body("TranslateRequest")
    services = current_services()
    texts = [body["text"]] if isinstance(body["text"], str) else body["text"]
    check_text_limits(texts, services.settings)
    pair = f"{body.get('source_lang', 'en')}-{body.get('target_lang', 'fr')}".lower()
    if pair not in services.pairs:
        raise ApiError(400, f"language pair {pair!r} is not served; available: {', '.join(services.pairs)}")
    glossary = _request_glossary(body, services.glossary.current if pair == GLOSSARY_PAIR else None)
    if services.translates_remotely:  # TRANSLATOR_WEB_ENGINE=off: a worker translates, we wait for it
        try:
            return services.tasks.translate_texts(pair, texts, glossary=body.get("glossary", True),
                                                  glossary_entries=body.get("glossary_entries", []),
                                                  repair=body.get("repair", True))
        except TranslationFailed as exc:
            raise ApiError(500, f"the translation worker failed: {exc}", code="translation_failed") from None
    translator = services.translator(pair)
    results = translator.translate_texts(texts, glossary=glossary, repair=body.get("repair", True))
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
