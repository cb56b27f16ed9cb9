"""``GET /v1/languages``: the language pairs this service translates."""

from __future__ import annotations

from flask import Blueprint

from .cors import cors_readable
from ..config import DEFAULT_PAIR
from .context import current_runtime

__all__ = ["bp"]

bp = Blueprint("languages", __name__, url_prefix="/v1")


@bp.get("/languages")
@cors_readable
def languages():
    """Every configured pair, en-fr first, with its model's name (never a filesystem path)."""
    return {"pairs": [{"source": pair.source, "target": pair.target, "model": pair.model_name,
                       "default": name == DEFAULT_PAIR}
                      for name, pair in current_runtime().pairs.items()]}
