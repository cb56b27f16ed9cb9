"""``GET /v1/review``: the segments an editor should look at, across articles, newest first."""

from __future__ import annotations

from flask import Blueprint, request

from ..errors import ConfigError
from ..editorial.review import review_list
from .articles import unknown_language_error
from .auth import require_editor_key
from .errors import ApiError
from .context import current_runtime
from .validation import query_positive_int

__all__ = ["MAX_LIMIT", "bp"]

bp = Blueprint("review", __name__, url_prefix="/v1")

#: Most segments one request lists.
MAX_LIMIT = 500


@bp.get("/review")
@require_editor_key
def review():
    """Flagged machine segments of the latest versions: ``?lang=fr&limit=50``."""
    lang = request.args.get("lang", "fr")
    limit = query_positive_int("limit")
    limit = 50 if limit is None else limit
    if limit > MAX_LIMIT:
        raise ApiError(400, f"limit must be at most {MAX_LIMIT}")
    runtime = current_runtime()
    try:
        articles = runtime.articles(lang)
    except ConfigError as exc:
        raise unknown_language_error(exc) from None
    return {"lang": lang, "segments": review_list(runtime.store, lang, limit=limit, overlay=articles.with_human)}
