"""HTML pages for readers: the translated article page and the widget demo.

* ``GET /articles/<id>/<lang>[?version=N]``: the stored translation into
  ``lang`` (``fr``, or the target of another configured ``en-*`` pair) as a
  clean page (``<html lang="<lang>">``, its fixed texts in that language:
  :mod:`translator.web.page_labels`). While the translation is being made the
  page says so and reloads itself (``<meta http-equiv="refresh">``); the first
  request starts the translation in the background, and each reload shows the
  title and the paragraphs already translated, in reading order. A language
  no pair serves is the API's 404 JSON error listing the served ones.
  The page says it is a machine translation (and when editors reviewed it),
  and carries ``<link rel="canonical">`` to itself and ``<link rel="alternate"
  hreflang="en">`` to the English article. With ``?review=1`` and an API key
  (when keys are configured), it also lists the segments flagged for review.
* ``GET /demo``: a sample English article with the "Read in French" widget
  embedded (:mod:`translator.service.demo`).

Pages are same-origin HTML, so they get no CORS headers, and their errors are
HTML pages too (the API's are JSON). Jinja autoescapes every template here
(``.html``): article text is data, never markup.
"""

from __future__ import annotations

import logging
from datetime import datetime
from urllib.parse import urlsplit

from flask import Blueprint, Response, render_template, request, url_for
from markupsafe import Markup
from werkzeug.exceptions import HTTPException

from ..errors import ConfigError, EngineBusy, ModelUnavailable, StoreError
from ..html import sanitize
from ..html.corrections import mark_blocks
from ..service.articles import ArticleNotFound
from ..service.demo import DEMO_ARTICLE_ID, store_demo_article
from ..service.reading import BadVersion, ReadingState, parse_version, read_translation
from ..text.segmentation import split_paragraphs
from .access import reader
from .articles import unknown_language
from .auth import has_valid_key
from .caching import cached_response, not_modified
from .page_labels import error_text, labels_for
from .context import current_runtime

__all__ = ["PENDING_REFRESH_SECONDS", "bp", "format_timestamp", "safe_link"]

log = logging.getLogger(__name__)

bp = Blueprint("pages", __name__)

#: How often the "translation in progress" page reloads itself.
PENDING_REFRESH_SECONDS = 2

_LINK_SCHEMES = frozenset({"http", "https"})
#: How the French page names each review flag (translator.pipeline.flags.FLAGS).
FLAG_LABELS = {"low_score": "modèle peu sûr", "glossary_missed": "terme du glossaire manquant",
               "failed": "non traduit", "length_ratio": "longueur inhabituelle", "number_missing": "nombre modifié"}
_MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
           "novembre", "décembre")


def safe_link(url: str | None) -> str | None:
    """``url`` if it may become a link (absolute http or https with a host), else None.

    Anything else (``javascript:``, ``data:``, relative or malformed URLs) is
    not linked at all, so a stored URL can never run script in the reader's page.
    """
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme.lower() not in _LINK_SCHEMES or not parts.hostname:
        return None
    return parts.geturl()


def format_timestamp(value: str, lang: str = "fr") -> str:
    """A stored ISO-8601 UTC timestamp for readers: ``2024-05-01T12:05:00.000Z`` ->
    ``1 mai 2024 à 12:05 UTC`` in French, ``2024-05-01 12:05 UTC`` otherwise (the value itself when
    it does not parse)."""
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return value
    if lang != "fr":
        return f"{moment:%Y-%m-%d %H:%M} UTC"
    return f"{moment.day} {_MONTHS[moment.month - 1]} {moment.year} à {moment:%H:%M} UTC"


@bp.app_context_processor
def page_context() -> dict:
    """What every page's layout needs: whether to say that the model is the offline demo's."""
    return {"demo_model": current_runtime().demo_model}


def _page(template: str, status: int, headers: dict[str, str] | None = None, **context) -> Response:
    response = Response(render_template(f"pages/{template}", **context), status, mimetype="text/html")
    response.headers.update(headers or {})
    return response


def _error_page(status: int, kind: str, headers: dict[str, str] | None = None, **values: object) -> Response:
    """The error page ``kind`` (:func:`~translator.web.page_labels.error_text`) in the language of
    the page asked for (``/articles/<id>/<lang>``; French elsewhere, the service's default target)."""
    lang = _page_lang()
    heading, message = error_text(lang, kind, **values)
    return _page("error.html", status, headers, heading=heading, message=message, lang=lang)


def _page_lang() -> str:
    """The language of the page asked for (``/articles/<id>/<lang>``); French elsewhere."""
    return (request.view_args or {}).get("lang") or "fr"


@bp.get("/articles/<path:article_id>/<lang>")  # path: ids may contain "/" (see web/articles.py)
def article_page(article_id: str, lang: str):
    """The page of an article version in ``lang``: ready (200), being translated (202, reloads), or 404."""
    try:
        pair = current_runtime().article_pair(lang)
    except ConfigError as exc:
        return unknown_language(exc)
    version = parse_version(request.args.get("version"))  # BadVersion: the 400 page
    labels = labels_for(lang)
    articles = current_runtime().articles_for(article_id, lang)  # the demo article: the demo's own store
    try:  # unpublished: the page of a missing article
        reading = read_translation(articles, article_id, version, **reader())
    except ArticleNotFound:
        return _error_page(404, "no_article" if version is None else "no_version", article_id=article_id,
                           version=version)
    article, public, translation = reading.article, reading.public, reading.translation
    source_link = safe_link(article.url)
    if reading.state == ReadingState.FAILED:  # transient: the next visit tries again; lasting: until sent again
        log.warning("French page for %s v%s: translation failed: %s", article.id, article.version, reading.failure)
        return _error_page(503, "failed", {"Retry-After": "30", "Cache-Control": "no-store"})
    if reading.state == ReadingState.PENDING:
        return _page("article_pending.html", 202,
                     {"Retry-After": str(PENDING_REFRESH_SECONDS), "Cache-Control": "no-store"},
                     article=article, source_link=source_link, refresh_seconds=PENDING_REFRESH_SECONDS,
                     partial=reading.partial, lang=lang, labels=labels,
                     # An HTML article's finished blocks are markup: sanitised here, like every HTML output.
                     partial_blocks=[Markup(sanitize(block)) for block in reading.partial.paragraphs]
                     if reading.partial is not None and article.format == "html" else None)
    review = request.args.get("review") == "1" and has_valid_key()
    if not review:  # the review view is per caller (private, no-store): never a shared 304
        unchanged = not_modified(translation, "html", public=public)
        if unchanged is not None:
            return unchanged
    flagged = [u for u in translation.units if u.needs_review] if review else []
    headers = {"Cache-Control": "private, no-store", "Vary": "Authorization"} if review else None
    canonical = url_for(".article_page", article_id=article.id, lang=lang, version=version, _external=True)
    # An HTML article's translation is markup: sanitised here, on every render, like every HTML output.
    flagged_paragraphs = {u.paragraph for u in flagged if u.paragraph is not None}
    # The review marks go on after sanitising: a class the service adds to the blocks it flags.
    body_html = Markup(mark_blocks(sanitize(translation.body), flagged_paragraphs, "flagged")) \
        if article.format == "html" else None
    page = _page("article.html", 200, headers, article=article, translation=translation, source_link=source_link,
                 translated_at=format_timestamp(translation.translated_at, lang), model=pair.model_name,
                 lang=lang, labels=labels, canonical_url=canonical, review=review, flagged=flagged,
                 body_html=body_html, flag_labels=FLAG_LABELS,
                 flagged_paragraphs=flagged_paragraphs)
    return page if review else cached_response(page, translation, "html", public=public)


@bp.get("/demo")
def demo():
    """A sample English news page with the "Read in French" widget embedded (404 with TRANSLATOR_DEMO=off)."""
    runtime = current_runtime()
    if not runtime.settings.demo:
        return _error_page(404, "no_demo")
    article = store_demo_article(runtime.demo_articles())  # its own store: a page view writes nothing
    return _page("demo.html", 200, article=article, paragraphs=split_paragraphs(article.body),
                 widget_url=url_for("static", filename="read-in-french.js"),
                 french_page_url=url_for(".article_page", article_id=DEMO_ARTICLE_ID, lang="fr"))


# -- errors: HTML pages, since readers are people ------------------------------------------------

@bp.errorhandler(BadVersion)
def _bad_version(exc: BadVersion) -> Response:
    return _error_page(400, "bad_version", raw=exc.raw)


@bp.errorhandler(ModelUnavailable)
@bp.errorhandler(StoreError)
@bp.errorhandler(EngineBusy)
def _unavailable(exc: Exception) -> Response:
    log.error("page %s unavailable: %s", request.path, exc)
    return _error_page(503, "unavailable", {"Retry-After": "30"})


@bp.errorhandler(HTTPException)
def _http_error(exc: HTTPException) -> Response:
    return _page("error.html", exc.code or 500, heading=exc.name, message=exc.description or exc.name,
                 lang=_page_lang())


@bp.errorhandler(Exception)
def _unexpected(exc: Exception) -> Response:
    log.exception("unexpected error while serving the page %s", request.path)
    return _error_page(500, "internal")
