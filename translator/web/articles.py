"""``/v1/articles``: versioned source articles and their translations.

``PUT /v1/articles/<id>`` stores a version (and starts its French translation
in the background); ``GET /v1/articles/<id>`` reads a version back;
``GET /v1/articles/<id>/translations/<lang>`` answers the translation when it
is stored and current, else 202 (starting it in the background on the first
ask), with the title and first paragraphs already translated, in reading
order, as ``partial`` once there are any. A background translation that failed for a transient reason
(busy, store) answers its error once and the next request starts it again, so a client never polls
forever; one that cannot succeed answers 500 ``translation_failed`` with its reason every time, until a
new version or the same one is PUT again.

Without configured keys nobody sees a hidden (unpublished or embargoed) article, and a ``PUT`` of one
is answered what a new article's ``PUT`` answers, changing nothing.
"""

from __future__ import annotations

import logging

from flask import Blueprint, Response, jsonify, request

from ..editorial.publication import Publication, parse_rfc3339
from ..editorial.ids import MAX_ID_LENGTH, id_problem
from ..errors import ConfigError
from ..html.documents import source_block_texts, translation_document
from ..html.sanitize import sanitize
from ..service.articles import TRANSIENT_FAILURES, ArticleNotFound, LastingFailure
from ..service.reading import BadVersion, ReadingState, check_visible, find_article, parse_version, publication_of, \
    read_translation
from .access import reader
from .auth import require_api_key
from .caching import cached_response, not_modified
from .cors import cors_readable
from .errors import ApiError, error_response
from .context import current_runtime
from .validation import check_char_limit, json_body, query_flag

__all__ = ["MAX_ID_LENGTH", "PENDING_RETRY_AFTER", "bp", "checked_id", "requested_version", "unknown_language"]

bp = Blueprint("articles", __name__, url_prefix="/v1")
log = logging.getLogger(__name__)

#: Longest article id accepted (the newsroom's ids; the spec says the same).
#: Seconds a client is asked to wait before polling a pending translation again.
PENDING_RETRY_AFTER = 1

# Re-raised as they are: the error handlers answer 503 with Retry-After for these.
_TRANSIENT = TRANSIENT_FAILURES


def checked_id(article_id: str) -> str:
    # Invalid UTF-8 and control characters never get here: translator.web.routing answers 400 first.
    problem = id_problem(article_id)
    if problem is not None:
        raise ApiError(400, problem)
    return article_id


def requested_version() -> int | None:
    """``?version=N`` (None: the latest); 400 unless a positive integer."""
    try:
        return parse_version(request.args.get("version"))
    except BadVersion as exc:
        raise ApiError(400, f"query parameter 'version' must be a positive integer, not {exc.raw!r}") from None


# <article_id:...>: an id may contain "/" (batch ids are file paths such as "2024/cyclone.txt"); it arrives
# decoded even when sent as %2F, which is how the widget sends it. It never ends in /translations/<lang>
# (translator.web.routing.ArticleIdConverter), so .../translations/fr is always the translation.
@bp.put("/articles/<article_id:article_id>")
@require_api_key
def put_article(article_id: str):
    """Store a version: 201 for a new article, 200 otherwise; ``changed`` says whether it is new."""
    article_id = checked_id(article_id)
    translate = query_flag("translate", default=True)
    body = json_body("ArticleInput")
    runtime = current_runtime()
    check_char_limit([body["title"], body["body"]], runtime.settings)
    articles = runtime.articles()
    publication = _publication(body)  # checked first: a bad field is a 400 for a hidden article too
    try:
        check_visible(articles, article_id, None, **reader())
    except ArticleNotFound:
        # Hidden from this caller (no keys configured: from everybody): answered what a new article's PUT
        # answers, and nothing changes. Neither "changed" nor the version may confirm a guessed text, and
        # an anonymous write may neither rewrite nor publish an embargoed story.
        log.warning("PUT of the hidden article %r without a key: ignored (configure TRANSLATOR_API_KEYS)",
                    article_id)
        response = jsonify({"id": article_id, "version": 1, "changed": True})
        response.status_code = 201
        return response
    if publication is not None:  # before the content: a new embargoed version is never public, even briefly
        articles.store.set_publication(article_id, publication)
    result = articles.put(article_id, title=body["title"], body=body["body"], format=body.get("format", "text"),
                          url=body.get("url"))
    if translate and result.changed:
        articles.start_translation(result.id, result.version, again=True)
    elif translate:  # the same version sent again: an explicit retranslation, if it had failed
        articles.retry_failed(result.id, result.version)
    response = jsonify({"id": result.id, "version": result.version, "changed": result.changed})
    response.status_code = 201 if result.created else 200
    return response


def _publication(body: dict) -> Publication | None:
    """The publication state a PUT body states, or None when it says nothing about it (kept as is).

    Either field states both: ``"published"`` defaults to true and ``"embargo_until"`` to none.
    """
    if "published" not in body and "embargo_until" not in body:
        return None
    embargo = body.get("embargo_until")
    try:
        until = None if embargo is None else parse_rfc3339(embargo)
    except ValueError as exc:
        raise ApiError(400, f"embargo_until: {exc}") from None
    return Publication(published=body.get("published", True), embargo_until=until)


# With TRANSLATOR_API_KEYS set the English source needs a key (401/403); the French stays public.
@bp.get("/articles/<article_id:article_id>")
@cors_readable
@require_api_key
def get_article(article_id: str):
    """The latest source version, or ``?version=N``, with its publication state."""
    article_id = checked_id(article_id)
    version = requested_version()
    articles = current_runtime().articles_for(article_id)
    article, _ = find_article(articles, article_id, version, **reader())
    return {**article.to_dict(), **publication_of(articles, article_id).to_dict()}


@bp.get("/articles/<path:article_id>/translations/<lang>")
@cors_readable
def get_translation(article_id: str, lang: str):
    """200 with the translation; 202 + Retry-After while it is being made (started on the first ask)."""
    article_id = checked_id(article_id)
    version = requested_version()
    runtime = current_runtime()
    try:
        articles = runtime.articles_for(article_id, lang)
    except ConfigError as exc:
        return unknown_language(exc)
    reading = read_translation(articles, article_id, version, **reader())
    article = reading.article
    if reading.state == ReadingState.READY:
        stored = reading.translation
        return not_modified(stored, "json", public=reading.public) or \
            cached_response(jsonify(translation_document(article, stored)), stored, "json", public=reading.public)
    if reading.state == ReadingState.FAILED:
        if isinstance(reading.failure, _TRANSIENT):
            raise reading.failure
        if isinstance(reading.failure, LastingFailure):
            raise ApiError(500, f"article {article.id!r} version {article.version} cannot be translated into "
                                f"{lang}: {reading.failure.reason}; it is tried again for a new version, or when "
                                "this one is PUT again", code="translation_failed")
        raise ApiError(500, f"translating article {article.id!r} version {article.version} into {lang} failed; "
                            "ask again to retry", code="translation_failed")
    return _pending(reading.partial, article)


def unknown_language_error(exc: ConfigError) -> ApiError:
    """The 404 for a target language no pair serves, listing the served ones (``languages``)."""
    return ApiError(404, str(exc), code="unknown_language",
                    extra={"languages": current_runtime().article_languages()})


def unknown_language(exc: ConfigError) -> Response:
    """:func:`unknown_language_error` as a response."""
    error = unknown_language_error(exc)
    return error_response(error.status, error.code, error.message, **error.extra)


def _pending(partial=None, article=None) -> Response:
    body = {"status": "pending"}
    if partial is not None:
        body["partial"] = partial.to_dict()
        if article is not None and article.format == "html":
            # Finished blocks, sanitised on the way out like every HTML output, with their English text
            # for the widget's matching (the final answer's source_blocks, so far).
            body["format"] = "html"
            body["partial"]["paragraphs"] = [sanitize(block) for block in partial.paragraphs]
            body["partial"]["source_blocks"] = source_block_texts(article.body)[:partial.done]
    response = jsonify(body)
    response.status_code = 202
    response.headers["Retry-After"] = str(PENDING_RETRY_AFTER)
    response.headers["Cache-Control"] = "no-store"  # the next ask may have the translation
    return response
