"""API keys for writes: ``Authorization: Bearer <key>`` when ``TRANSLATOR_API_KEYS`` is set.

Keys are compared in constant time (:func:`hmac.compare_digest`) against
every configured key, and never logged: neither the header nor the keys
appear in any message.
"""

from __future__ import annotations

import functools
import hmac
from collections.abc import Callable, Sequence
from typing import TypeVar

from flask import request

from .errors import ApiError
from .services import current_services

__all__ = ["caller_key", "has_valid_key", "key_matches", "require_api_key"]

View = TypeVar("View", bound=Callable)

_CHALLENGE = 'Bearer realm="translator"'


def key_matches(given: str, keys: Sequence[str]) -> bool:
    """Whether ``given`` is one of ``keys``; the time taken does not depend on where they differ."""
    given_bytes = given.encode("utf-8")
    matched = False
    for key in keys:  # no early exit: every key is compared
        matched |= hmac.compare_digest(given_bytes, key.encode("utf-8"))
    return matched


def caller_key() -> str | None:
    """The bearer key the request carries (None without one); not checked."""
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    given = given.strip()
    return given if scheme.lower() == "bearer" and given else None


def has_valid_key() -> bool:
    """Whether the request carries one of the configured keys (False when no key is configured)."""
    keys = current_services().settings.api_keys
    given = caller_key()
    return bool(keys) and given is not None and key_matches(given, keys)


def require_api_key(view: View) -> View:
    """Decorate a writing view: 401 without a bearer key, 403 with a wrong one (when keys are set)."""

    @functools.wraps(view)
    def checked(*args, **kwargs):
        keys = current_services().settings.api_keys
        if keys:
            given = caller_key()
            if given is None:
                raise ApiError(401, "this request needs an API key: send 'Authorization: Bearer <key>'",
                               headers={"WWW-Authenticate": _CHALLENGE})
            if not key_matches(given, keys):
                raise ApiError(403, "the API key is not valid")
        return view(*args, **kwargs)

    return checked  # type: ignore[return-value]
