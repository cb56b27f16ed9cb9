"""``POST /v1/translate``: French (or another configured target) for ad-hoc texts."""

from __future__ import annotations

from flask import Blueprint

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
    translator = services.translator(pair)
    results = translator.translate_texts(texts, glossary=body.get("glossary", True))
    return {
        "translations": [{"text": r.text, "glossary": r.glossary} for r in results],
        "model": translator.engine.identity,
    }
