"""``translator worker``: a translation worker consuming tasks from TRANSLATOR_BROKER."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import click

from ..config import Settings
from ..tasks.app import PRIORITIES

__all__ = ["worker"]


def _names(value: str, allowed: tuple[str, ...] | None, option: str) -> list[str]:
    names = [item.strip() for item in value.split(",") if item.strip()]
    if not names:
        raise click.BadParameter("give at least one name", param_hint=option)
    if allowed is not None:
        unknown = [name for name in names if name not in allowed]
        if unknown:
            raise click.BadParameter(f"{', '.join(unknown)}: the queues are {', '.join(allowed)}",
                                     param_hint=option)
    return names


@click.command()
@click.option("--concurrency", default=1, show_default=True, type=click.IntRange(1, 256),
              help="Tasks run at once (threads sharing the loaded models; concurrent tasks are batched "
                   "together for the model).")
@click.option("--queues", default=",".join(PRIORITIES), show_default=True,
              help="Priorities to consume, the most urgent first: interactive, bulk.")
@click.option("--pairs", default=None,
              help="Language pairs to serve, e.g. en-fr,en-de (default: every configured pair). Only "
                   "their models are loaded.")
@click.option("--health-file", type=click.Path(dir_okay=False), default=None,
              help="Touch this file every 15 s while consuming with the broker answering (for container "
                   "healthchecks: healthy while it is fresh).")
@click.option("--engine-factory", default=None, hidden=True,
              help="MODULE:NAME of a factory(settings, model) -> engine (tests and benchmarks).")
def worker(concurrency: int, queues: str, pairs: str | None, health_file: str | None,
           engine_factory: str | None) -> None:
    """Translate tasks from the broker TRANSLATOR_BROKER names.

    The models are loaded once, before the first task. The store
    (TRANSLATOR_STORE, Redis) is shared with the web processes and the batch
    command: translations land there. SIGTERM or Ctrl-C stops after the
    running tasks; a worker killed outright loses nothing (its tasks are
    delivered again to another worker).
    """
    from ..logs import log_level
    from ..worker.consumer import load_engine_factory, run_worker

    settings = Settings.from_env()
    root = logging.getLogger()
    root.setLevel(min(root.level, log_level(settings)))
    status = run_worker(settings, pairs=_names(pairs, None, "--pairs") if pairs else None,
                        priorities=_names(queues, PRIORITIES, "--queues"), concurrency=concurrency,
                        engine_factory=load_engine_factory(engine_factory), loglevel=settings.log_level.upper(),
                        health_file=Path(health_file) if health_file else None)
    sys.exit(status)
