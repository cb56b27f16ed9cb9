"""Requests no route can take, answered before routing: 405 for methods, 400 for paths.

* A method no URL rule of the app answers (``FOO``, ``PROPFIND``...) is a 405
  JSON error on every path, whatever the path (werkzeug would say 404 on an
  unknown path); :func:`routed_methods` is also what bounds the method label
  of the metrics.
* A path whose percent-decoded bytes are not UTF-8 is a 400: werkzeug would
  replace the bad bytes with U+FFFD, so two different ids would land on one
  article.
* A path with control characters (newline, NUL, DEL, C1...) is a 400: no id,
  glossary term or resource name holds one.

:func:`configure_url_map` also gives the URL map its ``article_id`` converter
(ids never end in ``/translations/<lang>`` or a unit of it, so those URLs are
always a translation and its units: a ``PUT`` there is a 405, never an article
stored under an id no ``GET`` can reach) and keeps ``//`` in paths as it is (``AC//DC`` is a term).
"""

from __future__ import annotations

import unicodedata
from urllib.parse import unquote_to_bytes

from flask import Flask, request
from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import PathConverter

from .errors import ApiError

__all__ = ["ArticleIdConverter", "configure_url_map", "init_routing_guard", "path_problem", "routed_methods"]

_ROUTED_METHODS = "translator-routed-methods"


class ArticleIdConverter(PathConverter):
    """An article id: like ``<path:...>`` (it may hold ``/``), but never ending in
    ``/translations/<lang>`` or ``/translations/<lang>/segments/<n>[/approve]``: those URLs are
    the id's translation and its units (so ``GET``/``PUT`` there are never an article's)."""

    regex = r"(?!.*/translations/[^/]+(?:/segments/[^/]+(?:/approve)?)?$)[^/].*?"


def configure_url_map(app: Flask) -> None:
    """Before any rule is added: the ``article_id`` converter, and no merging of ``//``."""
    app.url_map.converters["article_id"] = ArticleIdConverter
    # Ids and glossary terms may hold "//" ("AC//DC" sent as AC%2F%2FDC): route them, never redirect.
    app.url_map.merge_slashes = False


def routed_methods(app: Flask) -> frozenset[str]:
    """Every HTTP method some URL rule of ``app`` answers (HEAD and OPTIONS included)."""
    methods = app.extensions.get(_ROUTED_METHODS)
    if methods is None:  # the rules are fixed once the app serves, so once is enough
        methods = app.extensions[_ROUTED_METHODS] = frozenset(
            method for rule in app.url_map.iter_rules() for method in rule.methods or ())
    return methods


def _path_bytes(environ: dict) -> bytes:
    """The request path as the client sent it, percent-decoded to bytes.

    ``REQUEST_URI`` (waitress, werkzeug's test client) is the path still
    percent-encoded, before anyone decoded it with replacement characters;
    ``PATH_INFO`` is the WSGI fallback (bytes carried as latin-1).
    """
    uri = environ.get("REQUEST_URI") or environ.get("RAW_URI")
    if uri:
        path = uri.partition("?")[0].partition("#")[0]
        if "://" in path:  # an absolute-form request target
            path = "/" + path.partition("://")[2].partition("/")[2]
        return unquote_to_bytes(path)
    try:
        return environ.get("PATH_INFO", "").encode("latin-1")
    except UnicodeEncodeError:  # not a WSGI byte string: the server already decoded it
        return environ.get("PATH_INFO", "").encode("utf-8", "surrogatepass")


def path_problem(environ: dict) -> str | None:
    """What makes the request's path unusable (invalid UTF-8, control characters), or None."""
    raw = _path_bytes(environ)
    try:
        path = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return f"the URL path is not valid UTF-8 (byte {raw[exc.start]:#04x} at byte {exc.start})"
    for index, char in enumerate(path):
        if unicodedata.category(char) == "Cc":
            return f"the URL path holds a control character ({char!r} at {index})"
    return None


def init_routing_guard(app: Flask) -> None:
    """Answer unrouted methods with 405 and unusable paths with 400, before any view runs."""

    @app.before_request
    def guard() -> None:
        if request.method not in routed_methods(app):
            adapter = app.url_map.bind_to_environ(request.environ)
            try:
                allowed = sorted(adapter.allowed_methods())
            except NotFound:
                allowed = []
            raise MethodNotAllowed(valid_methods=allowed)
        problem = path_problem(request.environ)
        if problem is not None:
            raise ApiError(400, problem)
