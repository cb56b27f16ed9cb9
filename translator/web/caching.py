"""HTTP caching of translations: a version's translation changes only with the engine, the glossary,
or an editor's correction or approval (the human memory, applied on every read).

Its responses carry a strong ``ETag`` (a hash of the kind of representation,
the release, and the translation as served: article id and version, language,
engine identity, glossary version, text and units with their human edits)
and ``Cache-Control: public, max-age=300``; a request whose
``If-None-Match`` holds that tag gets ``304 Not Modified`` without a body.
A translation read with a key before the article is public is ``private,
no-store``, so no shared cache keeps an embargoed story. Pending answers
(202) are ``no-store``.
"""

from __future__ import annotations

import hashlib
import json
from importlib import metadata

from flask import Response, request

from ..store import StoredTranslation

__all__ = ["MAX_AGE", "cached_response", "not_modified", "translation_etag"]

#: Seconds browsers and shared caches may reuse a translation without asking again.
MAX_AGE = 300

try:  # a new release may render the same translation differently (page template, JSON fields)
    _RELEASE = metadata.version("translator")
except metadata.PackageNotFoundError:  # pragma: no cover - running from a source tree without install
    _RELEASE = "source"


def translation_etag(translation: StoredTranslation, kind: str) -> str:
    """The strong entity tag (without quotes) of ``translation`` rendered as ``kind`` (``json``, ``html``)."""
    # The whole record: a post-edit changes the text and units of the same version, engine and glossary.
    material = json.dumps([kind, _RELEASE, translation.to_record()], ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(material.encode("utf-8")).hexdigest()[:32]


def _cache_headers(response: Response, etag: str, public: bool) -> Response:
    response.set_etag(etag)
    if public:
        response.cache_control.public = True
        response.cache_control.max_age = MAX_AGE
    else:
        response.cache_control.private = True
        response.cache_control.no_store = True
    return response


def not_modified(translation: StoredTranslation, kind: str, *, public: bool) -> Response | None:
    """A 304 when the request's ``If-None-Match`` holds the translation's tag, else None."""
    etag = translation_etag(translation, kind)
    if public and request.if_none_match.contains(etag):
        return _cache_headers(Response(status=304), etag, public)
    return None


def cached_response(response: Response, translation: StoredTranslation, kind: str, *, public: bool) -> Response:
    """``response`` (the translation as ``kind``) with its ``ETag`` and ``Cache-Control``."""
    return _cache_headers(response, translation_etag(translation, kind), public)
