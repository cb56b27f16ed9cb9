"""``GET /healthz`` (the process answers) and ``GET /readyz`` (it can translate).

Readiness is the service's rule (:mod:`translator.service.readiness`); this
blueprint renders it.
"""

from __future__ import annotations

from flask import Blueprint

from ..service.readiness import Unready, check_readiness
from .context import current_runtime
from .errors import error_response

__all__ = ["bp"]

bp = Blueprint("health", __name__)

#: The 503 of each reason: message and Retry-After seconds.
_UNREADY = {
    Unready.MODEL_UNAVAILABLE: ("the translation model cannot be loaded", "30"),
    Unready.STORE_UNAVAILABLE: ("the store does not answer", "5"),
    Unready.DISK_FULL: ("the disk the service writes to is (nearly) full", "60"),
    Unready.BROKER_UNAVAILABLE: ("the task broker does not answer", "5"),
    Unready.NO_WORKERS: ("no translation worker is running for every language pair (start 'translator worker')", "10"),
    Unready.NOT_READY: ("the translation model is loading", "5"),
}


@bp.get("/healthz")
def healthz():
    """Alive: the process answers HTTP."""
    return {"status": "ok"}


@bp.get("/readyz")
def readyz():
    """Every check answers within its deadline (cached for a second). 200 once the en-fr model is loaded and the store answers (and the broker, with
    TRANSLATOR_BROKER; without a web engine only store and broker count); 503 before (asking
    starts the load), when the model failed to load, or while the store or broker does not answer."""
    readiness = check_readiness(current_runtime())
    if readiness.ready:
        return {"status": "ready", "checks": readiness.checks}
    message, retry_after = _UNREADY[readiness.problem]
    return error_response(503, str(readiness.problem), message, {"Retry-After": retry_after},
                          checks=readiness.checks)
