"""The in-process command runner gives the command exactly the environment asked for and leaves this
process as it found it."""

from __future__ import annotations

import json
import logging
import os

from tests.cli_helpers import run_in_process


def test_the_command_sees_only_the_given_environment_and_ours_comes_back(monkeypatch, tmp_path):
    monkeypatch.setenv("TRANSLATOR_STORE", "postgres://db/translator")  # would fail the command if it leaked
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("TRANSLATOR_")},
           "TRANSLATOR_DATA_DIR": str(tmp_path / "data")}
    result = run_in_process(["cache", "stats", "--json"], env=env)
    assert (result.returncode, result.stderr) == (0, "")
    assert json.loads(result.stdout)["store"] == f"sqlite:///{tmp_path / 'data' / 'translator.sqlite3'}"
    assert os.environ["TRANSLATOR_STORE"] == "postgres://db/translator"
    assert "TRANSLATOR_DATA_DIR" not in os.environ


def test_logging_set_up_by_the_command_does_not_outlive_it(tmp_path):
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    # With no handler on the root logger, `-vv` makes basicConfig add one and lower the level.
    root.handlers[:] = []
    try:
        result = run_in_process(["-vv", "cache", "stats"], env={**os.environ, "TRANSLATOR_DATA_DIR": str(tmp_path)})
        assert result.returncode == 0, result.stderr
        assert (root.handlers, root.level) == ([], level)
    finally:
        root.handlers[:] = handlers
