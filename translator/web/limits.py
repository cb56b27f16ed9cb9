"""Rate limits on ``POST /v1/translate`` with Flask-Limiter: the one endpoint that spends model time
on whatever text a caller sends.

* Callers without a key are counted per client address: ``TRANSLATOR_RATE_LIMIT``
  (default ``60/minute;1000/day``; ``off`` for none). The address is the TCP
  peer's, or the one ``X-Forwarded-For`` gives when ``TRANSLATOR_TRUSTED_PROXIES``
  says proxies stand in front (:mod:`translator.web.proxies`).
* Callers with a valid key are counted per key (a hash of it, never the key)
  only when ``TRANSLATOR_KEYED_RATE_LIMIT`` is set; otherwise they are not limited.
* ``TRANSLATOR_TRANSLATE_REQUIRES_KEY=on`` closes the endpoint to callers without a key (401/403).

Counts live in memory, or in the Redis server of a Redis store (under the
store's key prefix, with the store's ``TRANSLATOR_STORE_TIMEOUT``), so that
every instance sharing the store shares them; when that server does not
answer, the request gets the store's 503 ``store_unavailable``
(:mod:`translator.web.errors`), never a hang or a 500.
Over the limit: 429 JSON with ``Retry-After`` and the ``RateLimit-Limit``,
``RateLimit-Remaining`` and ``RateLimit-Reset`` (seconds) headers, which
every limited response carries.
"""

from __future__ import annotations

import hashlib
import time
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from flask import Flask, Response, request
from flask_limiter import HeaderNames, Limiter

from ..config import Settings
from .auth import caller_key, has_configured_key, refuse_wrong_key, require_api_key

__all__ = ["TRANSLATE_ENDPOINT", "init_rate_limits", "limiter_storage"]

#: The endpoint the limits apply to.
TRANSLATE_ENDPOINT = "translate.translate"

# Flask-Limiter writes its retry time on every limited response (and raises an existing Retry-After, a 503's,
# to the window's end); it goes to a private header that becomes Retry-After on a 429 only.
_LIMITER_RETRY_AFTER = "X-Translator-Limiter-Retry-After"
_HEADERS = {HeaderNames.LIMIT: "RateLimit-Limit", HeaderNames.REMAINING: "RateLimit-Remaining",
            HeaderNames.RESET: "RateLimit-Reset", HeaderNames.RETRY_AFTER: _LIMITER_RETRY_AFTER}


_REDIS_URL_OPTIONS = frozenset({"db", "username", "password", "socket_timeout", "socket_connect_timeout",
                                 "socket_keepalive", "health_check_interval", "client_name", "ssl_cert_reqs",
                                 "ssl_ca_certs", "ssl_certfile", "ssl_keyfile"})


def limiter_storage(settings: Settings) -> tuple[str, dict]:
    """(storage URI, storage options) for the counters: the store's Redis server under its key
    prefix when the store is Redis, else the Redis broker's (a PostgreSQL store's deployment), with the
    store's timeout and failures raised as :class:`limits.errors.StorageError`; else this process's memory."""
    if settings.store_kind == "redis":
        url, default_prefix = settings.store, "translator:"
    elif settings.broker_kind == "redis":  # a PostgreSQL store: Redis is the broker's
        url, default_prefix = settings.broker, f"{settings.queue_prefix}translator:"
    else:
        return "memory://", {}
    scheme = url.partition("://")[0]
    parts = urlsplit(url)
    query = parse_qsl(parts.query)
    prefix = next((value for key, value in query if key == "prefix"), default_prefix)
    # Only redis-py's own URL options: the store's (prefix, lock_lease...) would break its connections.
    uri = urlunsplit(parts._replace(query=urlencode([(k, v) for k, v in query if k in _REDIS_URL_OPTIONS])))
    if scheme.lower() == "unix":
        uri = "redis+" + uri
    return uri, {"key_prefix": f"{prefix}ratelimit", "socket_timeout": settings.store_timeout,
                 "socket_connect_timeout": settings.store_timeout, "wrap_exceptions": True}


def _client_address() -> str:
    return request.remote_addr or "unknown"


def _key_identity() -> str:
    # A hash, so the key itself is never written to the counter store.
    return "key:" + hashlib.sha256((caller_key() or "").encode("utf-8")).hexdigest()[:24]


def _anonymous() -> bool:
    return not has_configured_key()


def init_rate_limits(app: Flask, runtime) -> Limiter | None:
    """Limit ``POST /v1/translate`` of ``app`` as ``runtime.settings`` says; the limiter, or None
    when nothing is limited."""
    settings: Settings = runtime.settings
    view = app.view_functions[TRANSLATE_ENDPOINT]
    limiter = None
    if settings.rate_limit or settings.keyed_rate_limit:

        @app.after_request
        def standard_headers(response: Response) -> Response:
            # Registered before the limiter's own hook, so it runs after it (Flask runs them in reverse).
            if "RateLimit-Reset" in response.headers:
                reset = int(response.headers["RateLimit-Reset"])  # Flask-Limiter: epoch seconds
                response.headers["RateLimit-Reset"] = str(max(0, reset - int(time.time())))
            retry_after = response.headers.pop(_LIMITER_RETRY_AFTER, None)
            if response.status_code == 429 and retry_after is not None:
                response.headers["Retry-After"] = str(max(1, int(retry_after)))
            return response

        uri, options = limiter_storage(settings)
        limiter = Limiter(_client_address, app=app, storage_uri=uri, storage_options=options,
                          headers_enabled=True, header_name_mapping=_HEADERS, strategy="fixed-window")
        if settings.keyed_rate_limit:
            view = limiter.limit(settings.keyed_rate_limit, key_func=_key_identity, exempt_when=_anonymous,
                                 scope="keyed")(view)
        if settings.rate_limit:
            view = limiter.limit(settings.rate_limit, key_func=_client_address, exempt_when=has_configured_key,
                                 scope="anonymous")(view)
    if settings.translate_requires_key:
        view = require_api_key(view)  # outermost: a caller without a key is refused before being counted
    else:
        view = refuse_wrong_key(view)  # a wrong key is a 403, never counted as an anonymous caller
    app.view_functions[TRANSLATE_ENDPOINT] = view
    return limiter
