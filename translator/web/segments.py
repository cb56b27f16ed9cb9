"""``/v1/articles/<id>/translations/<lang>/segments/<n>``: editors correct and approve units.

``PUT`` with ``{"target"}`` stores a correction of unit ``n`` as a human
translation-memory entry (editor: the API key's name), ``POST .../approve``
stores the unit's current French as one, ``DELETE`` removes the entry so the
machine output comes back. All three need the API key and answer the unit as
it now reads plus the translation's ``reviewed``; ``?version=N`` picks a
version (default the latest).
"""

from __future__ import annotations

from flask import Blueprint

from ..errors import ConfigError
from ..service.postedits import NothingToEdit, PostEditor, TranslationNotReady
from .articles import checked_id, requested_version, unknown_language_error
from .auth import editor_name, require_editor_key
from .errors import ApiError
from .context import current_runtime
from .validation import json_body

__all__ = ["bp"]

bp = Blueprint("segments", __name__, url_prefix="/v1")

# Signed: a negative index is "no such segment" (404), like one past the end.
_UNIT = "/articles/<path:article_id>/translations/<lang>/segments/<int(signed=True):index>"


def _editor(lang: str) -> PostEditor:
    runtime = current_runtime()
    try:
        articles = runtime.articles(lang)
    except ConfigError as exc:
        raise unknown_language_error(exc) from None
    # The glossary applies to en-fr only (the runtime gives it to that pair's translator).
    live = articles.translator.glossary  # the pair's live glossary (None when it has none)
    return PostEditor(articles, (lambda: live.current) if live is not None else None)


def _answer(action):
    try:
        return action().to_dict()
    except TranslationNotReady as exc:
        raise ApiError(409, str(exc), code="translation_not_ready") from None
    except NothingToEdit as exc:
        raise ApiError(409, str(exc)) from None


@bp.put(_UNIT)
@require_editor_key
def correct_segment(article_id: str, lang: str, index: int):
    """Store the editor's French for unit ``index``."""
    article_id = checked_id(article_id)
    version = requested_version()
    target = json_body("SegmentCorrection")["target"]
    editor = _editor(lang)
    return _answer(lambda: editor.correct(article_id, version, index, target, editor_name()))


@bp.post(_UNIT + "/approve")
@require_editor_key
def approve_segment(article_id: str, lang: str, index: int):
    """Approve unit ``index``'s French as it is."""
    article_id = checked_id(article_id)
    version = requested_version()
    editor = _editor(lang)
    return _answer(lambda: editor.approve(article_id, version, index, editor_name()))


@bp.delete(_UNIT)
@require_editor_key
def delete_correction(article_id: str, lang: str, index: int):
    """Remove the human entry of unit ``index``'s source: the machine output comes back."""
    article_id = checked_id(article_id)
    version = requested_version()
    editor = _editor(lang)
    return _answer(lambda: editor.remove(article_id, version, index))
