"""``GET /v1/languages``: the language pairs this service translates."""

from __future__ import annotations

from flask import Blueprint

from .cors import cors_readable
from .services import DEFAULT_PAIR, current_services

__all__ = ["bp"]

bp = Blueprint("languages", __name__, url_prefix="/v1")


@bp.get("/languages")
@cors_readable
def languages():
    """Every configured pair, en-fr first."""
    pairs = []
    for pair, model in current_services().pairs.items():
        source, _, target = pair.partition("-")
        pairs.append({"source": source, "target": target, "model": model, "default": pair == DEFAULT_PAIR})
    return {"pairs": pairs}
