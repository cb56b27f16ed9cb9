"""``GET /healthz`` (the process answers) and ``GET /readyz`` (it can translate)."""

from __future__ import annotations

from flask import Blueprint

from .errors import error_response
from .services import current_services

__all__ = ["bp"]

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    """Alive: the process answers HTTP."""
    return {"status": "ok"}


@bp.get("/readyz")
def readyz():
    """200 once the en-fr model is loaded and the store answers (and the broker, with
    TRANSLATOR_BROKER; without a web engine only store and broker count); 503 before (asking
    starts the load), when the model failed to load, or while the store or broker does not answer."""
    services = current_services()
    ready, checks = services.readiness()
    if ready:
        return {"status": "ready", "checks": checks}
    if services.model_failed():
        response = error_response(503, "model_unavailable", "the translation model cannot be loaded",
                                  {"Retry-After": "30"}, checks=checks)
        services.start_warm_up()  # try again: the model may have been fetched since
        return response
    services.start_warm_up()
    _, checks = services.readiness()
    if checks["store"] != "ok":
        return error_response(503, "store_unavailable", "the store does not answer", {"Retry-After": "5"},
                              checks=checks)
    if checks.get("broker", "ok") != "ok":
        return error_response(503, "broker_unavailable", "the task broker does not answer", {"Retry-After": "5"},
                              checks=checks)
    return error_response(503, "not_ready", "the translation model is loading", {"Retry-After": "5"},
                          checks=checks)
