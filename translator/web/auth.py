"""API keys for writes: ``Authorization: Bearer <key>`` when ``TRANSLATOR_API_KEYS`` is set.

Keys are compared in constant time (:func:`hmac.compare_digest`) against
every configured key, and never logged: neither the header nor the keys
appear in any message.

A configured key may carry a name, ``NAME=SECRET`` (``desk=3f9a...``): the
client sends only the secret, and the name is who made an edit (the editor
of a post-edit). An unnamed key is named ``key-`` + the first 8 hex digits
of its SHA-256, which identifies it without revealing it.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import re
from collections.abc import Callable, Sequence
from typing import TypeVar

from flask import g, request

from .errors import ApiError
from .context import current_runtime

__all__ = ["caller_key", "editor_name", "has_configured_key", "has_valid_key", "key_matches", "key_name",
           "refuse_wrong_key", "require_api_key",
           "require_editor_key", "split_key"]

View = TypeVar("View", bound=Callable)

_CHALLENGE = 'Bearer realm="translator"'
# NAME=SECRET; a secret starting with "=" is base64 padding of an unnamed key ("abc==").
_NAMED = re.compile(r"([A-Za-z][\w.-]{0,63})=([^=].*)", re.DOTALL)
#: The editor recorded when no API keys are configured (writes are open).
ANONYMOUS = "anonymous"


def split_key(configured: str) -> tuple[str | None, str]:
    """``(name, secret)`` of a configured key: ``"desk=s3cret"`` -> ``("desk", "s3cret")``, else ``(None, key)``."""
    match = _NAMED.fullmatch(configured)
    return (match.group(1), match.group(2)) if match else (None, configured)


def key_name(configured: str) -> str:
    """The name of a configured key: its own, or ``key-`` + 8 hex digits of its secret's SHA-256."""
    name, secret = split_key(configured)
    return name or "key-" + hashlib.sha256(secret.encode("utf-8")).hexdigest()[:8]


def _matching_key(given: str, keys: Sequence[str]) -> str | None:
    """The configured key whose secret is ``given``; every key is compared, in constant time each."""
    given_bytes = given.encode("utf-8")
    found = None
    for key in keys:  # no early exit: every key is compared
        if hmac.compare_digest(given_bytes, split_key(key)[1].encode("utf-8")):
            found = key
    return found


def key_matches(given: str, keys: Sequence[str]) -> bool:
    """Whether ``given`` is the secret of one of ``keys``; the time taken does not depend on where they differ."""
    return _matching_key(given, keys) is not None


def caller_key() -> str | None:
    """The bearer key the request carries (None without one); not checked."""
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    given = given.strip()
    return given if scheme.lower() == "bearer" and given else None


def _configured_key() -> str | None:
    """The configured key the request's bearer key matches (None: no key, a wrong one, or none configured)."""
    keys = current_runtime().settings.api_keys
    given = caller_key()
    matched = _matching_key(given, keys) if keys and given is not None else None
    if matched is not None:
        g.api_key_name = key_name(matched)
    return matched


def has_valid_key() -> bool:
    """Whether this request may see what writers see: no keys configured, or a valid bearer key."""
    if not current_runtime().settings.api_keys:
        g.api_key_name = ANONYMOUS
        return True
    return _configured_key() is not None


def has_configured_key() -> bool:
    """Whether the request carries one of the configured keys (False when none is configured): who
    may read embargoed articles and who is counted per key rather than per address."""
    return _configured_key() is not None


def editor_name() -> str:
    """The name of the key that authorised this request (``anonymous`` when keys are not configured)."""
    return g.get("api_key_name", ANONYMOUS)


def require_editor_key(view: View) -> View:
    """Decorate an editing or review view: like :func:`require_api_key`, and 403 when no keys are
    configured at all. Editors read and change the French of embargoed articles: without keys anyone
    could, so these endpoints are not available until ``TRANSLATOR_API_KEYS`` is set."""
    keyed = require_api_key(view)

    @functools.wraps(view)
    def checked(*args, **kwargs):
        if not current_runtime().settings.api_keys:
            raise ApiError(403, "editing and review need API keys: configure TRANSLATOR_API_KEYS")
        return keyed(*args, **kwargs)

    return checked  # type: ignore[return-value]


def refuse_wrong_key(view: View) -> View:
    """Decorate a view open to callers without a key: 403 for a bearer key that is not a configured one
    (when keys are set), before anything else (rate limits included) counts the request."""

    @functools.wraps(view)
    def checked(*args, **kwargs):
        keys = current_runtime().settings.api_keys
        given = caller_key()
        if keys and given is not None and _matching_key(given, keys) is None:
            raise ApiError(403, "the API key is not valid")
        return view(*args, **kwargs)

    return checked  # type: ignore[return-value]


def require_api_key(view: View) -> View:
    """Decorate a writing view: 401 without a bearer key, 403 with a wrong one (when keys are set)."""

    @functools.wraps(view)
    def checked(*args, **kwargs):
        keys = current_runtime().settings.api_keys
        if keys:
            given = caller_key()
            if given is None:
                raise ApiError(401, "this request needs an API key: send 'Authorization: Bearer <key>'",
                               headers={"WWW-Authenticate": _CHALLENGE})
            matched = _matching_key(given, keys)
            if matched is None:
                raise ApiError(403, "the API key is not valid")
            g.api_key_name = key_name(matched)
        else:
            g.api_key_name = ANONYMOUS
        return view(*args, **kwargs)

    return checked  # type: ignore[return-value]
