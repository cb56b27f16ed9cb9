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
from .disk import disk_check
from .runtime import LoadState, Runtime

__all__ = ["Readiness", "Unready", "check_readiness"]


class Unready(enum.StrEnum):
    """Why the process is not ready, most serious first (the value is the error code ``/readyz`` gives)."""

    MODEL_UNAVAILABLE = "model_unavailable"
    STORE_UNAVAILABLE = "store_unavailable"
    DISK_FULL = "disk_full"
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


def _live_workers(runtime: Runtime) -> dict[str, int] | str:
    answer = runtime.workers_probe.answer()
    return answer.value if answer.ok else answer.describe()


def _workers_missing(checks: dict[str, object]) -> bool:
    """Without a web engine every pair needs a live worker (else nothing translates)."""
    workers = checks.get("workers")
    return not isinstance(workers, dict) or not all(workers.values())


def _checks(runtime: Runtime) -> dict[str, object]:
    # Never the load error itself: it may name files on the server (the log has it).
    checks: dict[str, object] = {"model": str(runtime.pair(DEFAULT_PAIR).state[0]),
                                 "store": runtime.store_probe.check(), "disk": disk_check(runtime.settings)}
    if runtime.tasks is not None:
        checks["broker"] = runtime.broker_probe.check()
        checks["workers"] = _live_workers(runtime)
        if runtime.translates_remotely:
            checks["model"] = "off (the workers translate)"
    return checks


def _problem(runtime: Runtime, checks: dict[str, object]) -> Unready | None:
    """Why not ready, from one reading of the checks (so the reason given is the one they show)."""
    if not runtime.translates_remotely:
        if checks["model"] == str(LoadState.FAILED):
            return Unready.MODEL_UNAVAILABLE
    if checks["store"] != "ok":
        return Unready.STORE_UNAVAILABLE
    if checks["disk"] != "ok":
        return Unready.DISK_FULL
    if checks.get("broker", "ok") != "ok":
        return Unready.BROKER_UNAVAILABLE
    if runtime.translates_remotely:
        return Unready.NO_WORKERS if _workers_missing(checks) else None
    return None if checks["model"] == str(LoadState.LOADED) else Unready.NOT_READY


def check_readiness(runtime: Runtime) -> Readiness:
    """Check the model, the store, the disk and the broker (each within its deadline, cached for a
    second); a model not loaded starts loading (the answer says "loading"), and after a failed load
    this answer says "failed" while loading starts again (the model may have been fetched since)."""
    state = runtime.pair(DEFAULT_PAIR).state[0]
    local = not runtime.translates_remotely
    if local and state == LoadState.NOT_LOADED:
        runtime.start_warm_up()
    checks = _checks(runtime)
    problem = _problem(runtime, checks)
    if local and state == LoadState.FAILED:
        runtime.start_warm_up()
    return Readiness(checks, problem)
