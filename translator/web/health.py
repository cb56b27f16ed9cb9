"""``GET /healthz`` (the process answers) and ``GET /readyz`` (it can translate).

Readiness is decided here, from the runtime's state: ready once the en-fr
model is loaded and the store answers. Asking while the model is not loaded
starts loading it in the background (and, after a failed load, tries again:
the model may have been fetched since).
"""

from __future__ import annotations

from flask import Blueprint

from ..config import DEFAULT_PAIR
from ..errors import TranslatorError
from ..service.runtime import FAILED, LOADED, Runtime
from .errors import error_response
from .services import current_services

__all__ = ["bp", "broker_check", "readiness", "store_check"]

bp = Blueprint("health", __name__)


def store_check(runtime: Runtime) -> str:
    """``"ok"`` when the store takes a write and reads it back within ``TRANSLATOR_STORE_TIMEOUT``,
    else ``"unavailable: <reason>"`` (:class:`~translator.store.probe.StoreProbe`)."""
    return runtime.store_probe.check()


def broker_check(runtime: Runtime) -> str:
    """``"ok"`` when the task broker accepts a connection, else ``"unavailable: <reason>"``."""
    try:
        runtime.tasks.ping()
    except TranslatorError as exc:
        return f"unavailable: {exc}"
    return "ok"


def readiness(runtime: Runtime) -> tuple[bool, dict[str, str]]:
    """(ready, checks): ready once the en-fr model is loaded and the store answers; with the task
    queue, the broker must answer too, and without a web engine (the workers translate) only store
    and broker count."""
    state, _ = runtime.pair(DEFAULT_PAIR).state
    # Never the load error itself: it may name files on the server (the log has it).
    checks = {"model": state, "store": store_check(runtime)}
    if runtime.tasks is None:
        return state == LOADED and checks["store"] == "ok", checks
    checks["broker"] = broker_check(runtime)
    if runtime.translates_remotely:
        checks["model"] = "off (the workers translate)"
        return checks["store"] == "ok" and checks["broker"] == "ok", checks
    return state == LOADED and checks["store"] == "ok" and checks["broker"] == "ok", checks


@bp.get("/healthz")
def healthz():
    """Alive: the process answers HTTP."""
    return {"status": "ok"}


@bp.get("/readyz")
def readyz():
    """200 once the en-fr model is loaded and the store answers (and the broker, with
    TRANSLATOR_BROKER; without a web engine only store and broker count); 503 before (asking
    starts the load), when the model failed to load, or while the store or broker does not answer."""
    runtime = current_services()
    ready, checks = readiness(runtime)
    if ready:
        return {"status": "ready", "checks": checks}
    failed = runtime.pair(DEFAULT_PAIR).state[0] == FAILED
    runtime.start_warm_up()  # after a failure: try again, the model may have been fetched since
    if failed:
        return error_response(503, "model_unavailable", "the translation model cannot be loaded",
                              {"Retry-After": "30"}, checks=checks)
    _, checks = readiness(runtime)
    if checks["store"] != "ok":
        return error_response(503, "store_unavailable", "the store does not answer", {"Retry-After": "5"},
                              checks=checks)
    if checks.get("broker", "ok") != "ok":
        return error_response(503, "broker_unavailable", "the task broker does not answer", {"Retry-After": "5"},
                              checks=checks)
    return error_response(503, "not_ready", "the translation model is loading", {"Retry-After": "5"},
                          checks=checks)
