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

from ..errors import ConfigError
from ..service.requests import (BadGlossaryEntries, ModelBudgetExceeded, TranslateRequest,
                                answer_translate_request)
from ..tasks.dispatch import TranslationFailed
from .context import current_runtime
from .errors import ApiError
from .validation import check_text_limits, json_body

__all__ = ["bp"]

bp = Blueprint("translate", __name__, url_prefix="/v1")


@bp.post("/translate")
def translate():
    """Translate ``text`` (a string or a list of strings); one result per text, in order."""
    body = json_body("TranslateRequest")
    runtime = current_runtime()
    texts = [body["text"]] if isinstance(body["text"], str) else body["text"]
    check_text_limits(texts, runtime.settings)
    pair = f"{body.get('source_lang', 'en')}-{body.get('target_lang', 'fr')}".lower()
    try:
        runtime.pair(pair)
    except ConfigError as exc:
        raise ApiError(400, str(exc)) from None
    request = TranslateRequest(texts=texts, pair=pair, format=body.get("format", "text"),
                               glossary=body.get("glossary", True), glossary_entries=body.get("glossary_entries", []),
                               repair=body.get("repair", True))
    try:
        return answer_translate_request(runtime, request)
    except BadGlossaryEntries as exc:
        raise ApiError(400, str(exc)) from None
    except ModelBudgetExceeded as exc:
        raise ApiError(413, str(exc)) from None
    except TranslationFailed as exc:
        raise ApiError(500, f"the translation worker failed: {exc}", code="translation_failed") from None
