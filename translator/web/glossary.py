"""``/v1/glossary``: a pair's glossary in force, and live edits of its entries.

``?pair=en-de`` chooses the pair (default en-fr); each pair has its own file
(``glossary/<pair>.tsv`` or ``TRANSLATOR_GLOSSARY_<SRC>_<TGT>``) and edits.

Edits are persisted in the store on top of the glossary file and change the
glossary version at once in this process (other processes sharing the store
see them within :data:`translator.glossary.live.DEFAULT_MAX_AGE` seconds).
Stored article translations made with an older version are translated again
on their next request (segments without the changed terms come from memory).
"""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request

from ..config import DEFAULT_PAIR
from ..errors import ConfigError, GlossaryError
from ..glossary import GlossaryConflict, LiveGlossary
from .auth import require_api_key
from .errors import ApiError
from .context import current_runtime
from .validation import json_body

__all__ = ["bp"]

bp = Blueprint("glossary", __name__, url_prefix="/v1")


def _live_glossary() -> LiveGlossary:
    """The live glossary of ``?pair=`` (default en-fr); 404 naming the served pairs for another."""
    try:
        return current_runtime().pair(request.args.get("pair", DEFAULT_PAIR).lower()).glossary
    except ConfigError as exc:
        raise ApiError(404, str(exc)) from None


@bp.get("/glossary")
def get_glossary():
    """The version and the entries (file entries with the live edits applied)."""
    glossary = _live_glossary().refresh()  # edits from other instances too, not a snapshot
    if glossary is None:
        return {"version": "", "entries": []}
    return {"version": glossary.version, "entries": [entry.to_dict() for entry in glossary]}


# <path:...>: a source may contain "/" ("AC/DC"), which arrives decoded even when sent as %2F.
@bp.put("/glossary/entries/<path:source>")
@require_api_key
def put_entry(source: str):
    """Add (201) or change (200) the entry for ``source``: ``{"version", "entry"}``."""
    body = json_body("GlossaryEntryInput")
    glossary = _live_glossary()
    try:
        entry, created = glossary.put_entry(source, body["target"], body.get("flags", []))
    except GlossaryConflict as exc:
        raise ApiError(409, str(exc)) from None
    except GlossaryError as exc:
        raise ApiError(400, f"invalid glossary entry: {exc}") from None
    response = jsonify({"version": glossary.version, "entry": entry.to_dict()})
    response.status_code = 201 if created else 200
    return response


@bp.delete("/glossary/entries/<path:source>")
@require_api_key
def delete_entry(source: str) -> Response:
    """Remove the entry for exactly ``source``: 204, or 404 when there is none."""
    if _live_glossary().delete_entry(source) is None:
        raise ApiError(404, f"no glossary entry for {source!r}")
    response = Response(status=204)
    del response.headers["Content-Type"]  # no body, so no type (Flask would say text/html)
    return response
