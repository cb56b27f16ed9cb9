"""Readiness: whether this process can translate now, and what each check says (``GET /readyz``).

Ready once the en-fr model is loaded and the store answers; with the task
queue the broker must answer too, and without a web engine (the workers
translate) only store and broker count. Asking while the model is not loaded
starts loading it in the background, and after a failed load tries again:
the model may have been fetched since.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from ..config import DEFAULT_PAIR
from ..errors import TranslatorError
from .runtime import LoadState, Runtime

__all__ = ["Readiness", "Unready", "check_readiness"]


class Unready(enum.StrEnum):
    """Why the process is not ready, most serious first (the value is the error code ``/readyz`` gives)."""

    MODEL_UNAVAILABLE = "model_unavailable"
    STORE_UNAVAILABLE = "store_unavailable"
    BROKER_UNAVAILABLE = "broker_unavailable"
    NOT_READY = "not_ready"


@dataclass(frozen=True)
class Readiness:
    """``checks``: each part and what it says (``"ok"``, a load state, ``"unavailable: <reason>"``);
    ``problem``: None when ready, else why not."""

    checks: dict[str, str]
    problem: Unready | None = None

    @property
    def ready(self) -> bool:
        return self.problem is None


def _store_check(runtime: Runtime) -> str:
    return runtime.store_probe.check()


def _broker_check(runtime: Runtime) -> str:
    try:
        runtime.tasks.ping()
    except TranslatorError as exc:
        return f"unavailable: {exc}"
    return "ok"


def _checks(runtime: Runtime) -> tuple[bool, dict[str, str]]:
    state, _ = runtime.pair(DEFAULT_PAIR).state
    # Never the load error itself: it may name files on the server (the log has it).
    checks = {"model": str(state), "store": _store_check(runtime)}
    if runtime.tasks is None:
        return state == LoadState.LOADED and checks["store"] == "ok", checks
    checks["broker"] = _broker_check(runtime)
    if runtime.translates_remotely:
        checks["model"] = "off (the workers translate)"
        return checks["store"] == "ok" and checks["broker"] == "ok", checks
    return state == LoadState.LOADED and checks["store"] == "ok" and checks["broker"] == "ok", checks


def check_readiness(runtime: Runtime) -> Readiness:
    """Check the model, the store and the broker; when not ready, start (again) loading the model."""
    ready, checks = _checks(runtime)
    if ready:
        return Readiness(checks)
    failed = runtime.pair(DEFAULT_PAIR).state[0] == LoadState.FAILED
    runtime.start_warm_up()  # after a failure: try again, the model may have been fetched since
    if failed:
        return Readiness(checks, Unready.MODEL_UNAVAILABLE)
    _, checks = _checks(runtime)  # again: the load may have started (or finished) meanwhile
    if checks["store"] != "ok":
        return Readiness(checks, Unready.STORE_UNAVAILABLE)
    if checks.get("broker", "ok") != "ok":
        return Readiness(checks, Unready.BROKER_UNAVAILABLE)
    return Readiness(checks, Unready.NOT_READY)
