"""``translator serve`` start-up errors: one clear line on stderr and exit status 1, the port checked
before the store, the glossary or the model are touched. Real child processes."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from translator.testing.processes import service_environment

REPO = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow  # a Python process per test


def serve(tmp_path: Path, *args: str, **env: str) -> tuple[subprocess.CompletedProcess, float]:
    environment = service_environment(TRANSLATOR_DATA_DIR=str(tmp_path / "data"),
                                      TRANSLATOR_MODEL=str(tmp_path / "no-model-here"), **env)
    started = time.monotonic()
    result = subprocess.run([sys.executable, "-m", "translator", "serve", *args], capture_output=True, text=True,
                            env=environment, cwd=REPO, timeout=120)
    return result, time.monotonic() - started


def test_a_port_in_use_is_one_line_and_exit_1_before_the_store_or_the_model(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result, elapsed = serve(tmp_path, "--port", str(port))
    assert result.returncode == 1
    assert result.stderr == (f"error: cannot listen on 127.0.0.1:{port}: the port is already in use (another "
                             "'translator serve'?); stop it or choose another --port\n")
    assert result.stdout == ""
    # Nothing else was started: no store file was created (the model would have failed later, with its own line).
    assert not (tmp_path / "data").exists()
    print(f"port in use: exit after {elapsed:.2f} s")  # the figure (< 3 s); timing is not asserted


@pytest.mark.parametrize("host", ["no.such.host.invalid", "300.1.1.1"])
def test_a_bad_host_is_one_line_and_exit_1(tmp_path, host):
    result, _ = serve(tmp_path, "--host", host, "--port", "0")
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == (f"error: cannot listen on {host}:0: {host!r} is not an address or host name of this "
                             "machine (try --host 127.0.0.1 or --host 0.0.0.0)\n")


def test_an_unreadable_glossary_is_one_line_and_exit_1(tmp_path):
    result, _ = serve(tmp_path, "--port", "0", TRANSLATOR_GLOSSARY=str(tmp_path))  # a directory
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("error: glossary file")
    assert str(tmp_path) in result.stderr
