"""``translator ...`` run in this process with click's runner, answering what ``subprocess.run`` would.

A child Python process costs seconds here (torch and transformers imported again), and most command
tests only read the command's output and exit status: those run the click command in process. The
result is a :class:`subprocess.CompletedProcess`, so a test reads ``returncode``, ``stdout`` and
``stderr`` whichever way its command ran. Tests of what only a real process shows (signals, start-up
before click, logging set up by ``-v``, settings read at import time) keep ``subprocess``.
"""

from __future__ import annotations

import logging
import os
import subprocess
from collections.abc import Mapping, Sequence

from click.testing import CliRunner

__all__ = ["run_in_process"]


def run_in_process(args: Sequence[str], *, env: Mapping[str, str | None], stdin: str | None = None,
                   ) -> subprocess.CompletedProcess:
    """Run ``translator *args`` here with exactly the environment ``env`` (as ``subprocess.run(env=...)``
    gives a child) and ``stdin`` as its input; return its exit status and its stdout and stderr apart.

    Unexpected exceptions propagate (a child would print the traceback). The root logger's handlers and
    level are put back afterwards, so logging the command sets up does not reach later tests.
    """
    from translator.cli import main

    # CliRunner's env= changes os.environ for the run only; None unsets a variable.
    changes: dict[str, str | None] = {name: None for name in os.environ if name not in env}
    changes.update(env)
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    try:
        result = CliRunner().invoke(main, list(args), input=stdin, env=changes, catch_exceptions=False)
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)
    return subprocess.CompletedProcess(["translator", *args], result.exit_code, result.stdout, result.stderr)
