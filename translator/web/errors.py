"""JSON errors: ``{"error": {"code": str, "message": str}}`` with the right status, always.

Expected failures raise :class:`ApiError` (or a :class:`TranslatorError` with a
known mapping); werkzeug's HTTP errors (404, 405, 413...) get the same shape;
anything else is logged with the request it broke and answers a bare 500,
never a stack trace. A 5xx body carries the request's ``request_id``;
the store's and the model's own failure texts (which name hosts, URLs and
paths) go only to the log, under that id, never into a body.
"""

from __future__ import annotations

import logging
import re

from flask import Flask, Response, jsonify, request
from limits.errors import StorageError as CounterStorageError
from werkzeug.exceptions import HTTPException

from ..service.articles import ArticleNotFound
from ..errors import EngineBusy, ModelUnavailable, StoreError, TranslatorError
from .requestlog import current_request_id

__all__ = ["ApiError", "error_response", "register_error_handlers"]

log = logging.getLogger(__name__)

#: The ``code`` of each status that has a fixed one.
STATUS_CODES = {
    400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
    405: "method_not_allowed", 409: "conflict", 413: "payload_too_large", 415: "unsupported_media_type",
    429: "rate_limited", 500: "internal", 503: "unavailable",
}


class ApiError(Exception):
    """An expected failure of one request: status, machine-readable code, message for people."""

    def __init__(self, status: int, message: str, *, code: str | None = None,
                 headers: dict[str, str] | None = None, extra: dict | None = None):
        super().__init__(message)
        self.status = status
        self.code = code or STATUS_CODES.get(status) or _snake_case(str(status))
        self.message = message
        self.headers = headers or {}
        self.extra = extra or {}  # more top-level fields of the error body


def _snake_case(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


def error_response(status: int, code: str, message: str, headers: dict[str, str] | None = None, *,
                   with_request_id: bool = False, **extra) -> Response:
    """The JSON error response; ``extra`` adds top-level members beside ``error``, and
    ``with_request_id`` the request's ``request_id`` (for failures whose details are only in the log)."""
    body = {"error": {"code": code, "message": message}, **extra}
    request_id = current_request_id()
    if with_request_id and request_id:
        body["request_id"] = request_id
    response = jsonify(body)
    response.status_code = status
    response.headers.update(headers or {})
    return response


def _handle_api_error(exc: ApiError) -> Response:
    return error_response(exc.status, exc.code, exc.message, exc.headers, with_request_id=exc.status >= 500,
                          **exc.extra)


def _handle_http_exception(exc: HTTPException) -> Response:
    status = exc.code or 500
    # Keep the headers werkzeug adds (Allow on 405, WWW-Authenticate...), not its HTML content type.
    headers = {k: v for k, v in exc.get_headers() if k.lower() != "content-type"}
    code = STATUS_CODES.get(status) or _snake_case(exc.name)
    messages = {
        404: f"no such resource: {request.path}",
        405: f"{request.method} is not allowed on {request.path}",
        413: "the request body is too large",
        429: f"too many requests: the limit is {exc.description}; retry after the Retry-After seconds",
    }
    return error_response(status, code, messages.get(status, exc.description or exc.name), headers)


def _handle_engine_busy(exc: EngineBusy) -> Response:
    return error_response(503, "busy", str(exc), {"Retry-After": str(exc.retry_after)})


def _handle_model_unavailable(exc: ModelUnavailable) -> Response:
    # The reason may name files on the server: it goes to the log, the client gets the fact.
    log.error("model unavailable for %s %s: %s", request.method, request.path, exc)
    return error_response(503, "model_unavailable", "the translation model is not available; try again later "
                          "(the server log has the details under this request id)", {"Retry-After": "30"},
                          with_request_id=True)


def _handle_store_error(exc: StoreError) -> Response:
    log.error("store error for %s %s: %s", request.method, request.path, exc)
    return error_response(503, "store_unavailable", "the store is not available; try again later "
                          "(the server log has the details under this request id)", {"Retry-After": "5"},
                          with_request_id=True)


def _handle_counter_storage_error(exc: CounterStorageError) -> Response:
    # The rate-limit counters live in the store's Redis server (translator.web.limits): the same outage.
    cause = exc.storage_error
    return _handle_store_error(StoreError(f"rate-limit counters: {type(cause).__name__}: {cause}"))


def _handle_article_not_found(exc: ArticleNotFound) -> Response:
    return error_response(404, "not_found", str(exc))


def _handle_unexpected(exc: Exception) -> Response:
    # TranslatorError subclasses without a mapping land here too: they are our bugs, not the client's.
    kind = "expected-type" if isinstance(exc, TranslatorError) else "unexpected"
    log.exception("%s error while serving %s %s", kind, request.method, request.path)
    return error_response(500, "internal", "internal error; the server log has the details under this request id",
                          with_request_id=True)


def register_error_handlers(app: Flask) -> None:
    """Make every error ``app`` answers a JSON error."""
    app.register_error_handler(ApiError, _handle_api_error)
    app.register_error_handler(HTTPException, _handle_http_exception)
    app.register_error_handler(EngineBusy, _handle_engine_busy)
    app.register_error_handler(ModelUnavailable, _handle_model_unavailable)
    app.register_error_handler(StoreError, _handle_store_error)
    app.register_error_handler(CounterStorageError, _handle_counter_storage_error)
    app.register_error_handler(ArticleNotFound, _handle_article_not_found)
    app.register_error_handler(Exception, _handle_unexpected)
