"""Readiness: whether this process can translate now, and what each check says (``GET /readyz``).

Ready once the en-fr model is loaded and the store answers; with the task
queue the broker must answer too, and without a web engine (the workers
translate) store, broker and a live worker for every pair count (workers
heartbeat into the task board; ``checks["workers"]`` gives ``{pair: count}``). Asking while the model is not loaded
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
    NO_WORKERS = "no_workers"
    NOT_READY = "not_ready"


@dataclass(frozen=True)
class Readiness:
    """``checks``: each part and what it says (``"ok"``, a load state, ``"unavailable: <reason>"``;
    with a broker, ``"workers"``: ``{pair: live workers}``); ``problem``: None when ready, else why not."""

    checks: dict[str, object]
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


def _live_workers(runtime: Runtime) -> dict[str, int] | str:
    try:
        return runtime.tasks.board.live_workers(runtime.pairs)
    except TranslatorError as exc:
        return f"unavailable: {exc}"


def _workers_missing(checks: dict[str, object]) -> bool:
    """Without a web engine every pair needs a live worker (else nothing translates)."""
    workers = checks.get("workers")
    return not isinstance(workers, dict) or not all(workers.values())


def _checks(runtime: Runtime) -> tuple[bool, dict[str, object]]:
    state, _ = runtime.pair(DEFAULT_PAIR).state
    # Never the load error itself: it may name files on the server (the log has it).
    checks: dict[str, object] = {"model": str(state), "store": _store_check(runtime)}
    if runtime.tasks is None:
        return state == LoadState.LOADED and checks["store"] == "ok", checks
    checks["broker"] = _broker_check(runtime)
    checks["workers"] = _live_workers(runtime)
    services_ok = checks["store"] == "ok" and checks["broker"] == "ok"
    if runtime.translates_remotely:
        checks["model"] = "off (the workers translate)"
        return services_ok and not _workers_missing(checks), checks
    return state == LoadState.LOADED and services_ok, checks


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
    if runtime.translates_remotely and _workers_missing(checks):
        return Readiness(checks, Unready.NO_WORKERS)
    return Readiness(checks, Unready.NOT_READY)
