"""``translator cache stats|purge`` and the store start-up errors: in process (click's runner, the
same exit status, stdout and stderr), one of them also as a real subprocess."""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli_helpers import run_in_process
from tests.store_helpers import DAY, FakeClock, fill_store, open_with_clock

REPO_ROOT = Path(__file__).resolve().parent.parent


def _environment(store: str | None, env: dict[str, str] | None, data_dir: Path | None) -> dict[str, str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("TRANSLATOR_")}
    if data_dir is not None:
        environ["TRANSLATOR_DATA_DIR"] = str(data_dir)
    if store is not None:
        environ["TRANSLATOR_STORE"] = store
    environ.update(env or {})
    return environ


def cli(*args: str, store: str | None = None, env: dict[str, str] | None = None,
        data_dir: Path | None = None, stdin: str | None = None) -> subprocess.CompletedProcess:
    """``translator *args`` in process, with only the ``TRANSLATOR_*`` settings given here."""
    return run_in_process(args, env=_environment(store, env, data_dir), stdin=stdin)


def cli_process(*args: str, store: str | None = None) -> subprocess.CompletedProcess:
    """``translator *args`` as a real child process (end to end: the exit status the shell sees)."""
    return subprocess.run([sys.executable, "-m", "translator", *args], cwd=REPO_ROOT,
                          env=_environment(store, None, None), capture_output=True, text=True, timeout=120)


@pytest.fixture
def filled_store_url(store_url) -> str:
    """A store holding 3 memory entries, 2 articles, 3 versions and 3 translations, some 11 days old."""
    clock = FakeClock()
    filled = open_with_clock(store_url, clock)
    fill_store(filled, clock)
    filled.close()
    return store_url


def test_stats_json(filled_store_url):
    result = cli("cache", "stats", "--json", store=filled_store_url)
    assert (result.returncode, result.stderr) == (0, "")
    figures = json.loads(result.stdout)
    assert figures["size_bytes"] > 0
    assert {k: v for k, v in figures.items() if k != "size_bytes"} == {
        "backend": filled_store_url.split(":")[0], "store": filled_store_url, "entries": 3, "articles": 2,
        "versions": 3, "translations": 3, "hits": 0, "misses": 0, "hit_ratio": None}


def test_stats_text_is_aligned(filled_store_url):
    result = cli("cache", "stats", store=filled_store_url)
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert lines[:5] == [f"store         {filled_store_url}", "entries       3", "articles      2",
                         "versions      3", "translations  3"]
    assert lines[5].startswith("size          ") and lines[5].endswith(" bytes)")
    assert lines[6] == "hit ratio     see the service's /metrics (translator_memory_lookups_total by result)"
    assert len(lines) == 7


def test_purge_one_article(filled_store_url):
    result = cli("cache", "purge", "--article", "a1", "--json", store=filled_store_url)
    assert (result.returncode, result.stderr) == (0, "")
    assert json.loads(result.stdout) == {"removed": {"entries": 0, "articles": 1, "versions": 2, "translations": 2}}
    figures = json.loads(cli("cache", "stats", "--json", store=filled_store_url).stdout)
    assert (figures["entries"], figures["articles"], figures["versions"], figures["translations"]) == (3, 1, 1, 1)


def test_purge_older_than_days(filled_store_url):
    # The fill ran 11 days before "now" and 1 day before, in the past; the CLI uses the real clock,
    # so "older than 1 day" covers all of it except each article's latest version.
    result = cli("cache", "purge", "--older-than", "1", store=filled_store_url)
    assert result.returncode == 0
    assert result.stdout.splitlines() == ["removed entries       3", "removed articles      0",
                                          "removed versions      1", "removed translations  3"]
    figures = json.loads(cli("cache", "stats", "--json", store=filled_store_url).stdout)
    assert (figures["entries"], figures["articles"], figures["versions"], figures["translations"]) == (0, 2, 2, 0)


def test_purge_older_than_spares_recent_data(store_url):
    clock = FakeClock(now=_now() - 11 * DAY)
    filled = open_with_clock(store_url, clock)
    fill_store(filled, clock)  # leaves entries 11 days and 1 day old
    filled.close()
    result = cli("cache", "purge", "--older-than", "5", "--json", store=store_url)
    assert json.loads(result.stdout) == {"removed": {"entries": 2, "articles": 0, "versions": 1, "translations": 2}}


def test_purge_everything(filled_store_url):
    result = cli("cache", "purge", "--yes", "--json", store=filled_store_url)
    assert json.loads(result.stdout) == {"removed": {"entries": 3, "articles": 2, "versions": 3, "translations": 3}}


def test_purging_everything_off_a_terminal_needs_yes_and_deletes_nothing_without_it(filled_store_url):
    result = cli("cache", "purge", store=filled_store_url, stdin="y\n")  # a pipe is not a person saying yes
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("error: 'cache purge' without --article or --older-than deletes everything")
    assert result.stderr.rstrip().endswith("add --yes to confirm")
    figures = json.loads(cli("cache", "stats", "--json", store=filled_store_url).stdout)
    assert (figures["entries"], figures["articles"]) == (3, 2)


def test_purging_an_unknown_article_exits_1_with_a_message(filled_store_url):
    result = cli("cache", "purge", "--article", "no-such-id", store=filled_store_url)
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr.startswith("error: no article 'no-such-id' in ")
    assert result.stderr.rstrip().endswith("nothing purged")


def test_negative_age_is_a_usage_error(filled_store_url):
    result = cli("cache", "purge", "--older-than", "-1", store=filled_store_url)
    assert result.returncode == 2
    assert "Invalid value for '--older-than'" in result.stderr


def test_default_store_lives_in_the_data_dir(tmp_path):
    result = cli("cache", "stats", "--json", data_dir=tmp_path / "data")
    assert result.returncode == 0
    path = tmp_path / "data" / "translator.sqlite3"
    assert json.loads(result.stdout)["store"] == f"sqlite:///{path}"
    assert path.is_file()


# -- start-up errors ------------------------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _now() -> float:
    import time

    return time.time()


@pytest.mark.parametrize("command", [["cache", "stats"], ["cache", "purge"], ["translate"]])
def test_unknown_scheme_fails_naming_the_variable(command):
    result = cli(*command, store="mongodb://db/translator", stdin="Hello.",
                 env={"TRANSLATOR_MODEL": "/nonexistent/model"})  # the store is checked before the model
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == ("error: TRANSLATOR_STORE='mongodb://db/translator': unknown store; use "
                             "sqlite:///PATH, redis://HOST:PORT/DB or postgresql://USER:PASSWORD@HOST:PORT/DB\n")


@pytest.mark.parametrize("command", [["cache", "stats"], ["translate"]])
def test_unreachable_redis_fails_naming_the_variable(command):
    port = _free_port()
    result = cli(*command, store=f"redis://:hunter2@127.0.0.1:{port}/0", stdin="Hello.",
                 env={"TRANSLATOR_MODEL": "/nonexistent/model"})
    assert result.returncode == 1
    assert result.stderr.startswith(f"error: TRANSLATOR_STORE='redis://:***@127.0.0.1:{port}/0': cannot reach Redis")
    assert result.stderr.count("\n") == 1 and "hunter2" not in result.stderr


def test_corrupt_file_fails_and_is_left_alone(tmp_path):
    path = tmp_path / "translator.sqlite3"
    path.write_bytes(b"\x00garbage" * 1000)
    result = cli("cache", "purge", store=f"sqlite:///{path}")
    assert result.returncode == 1
    assert result.stderr.startswith(f"error: TRANSLATOR_STORE: {path}: cannot open it as a SQLite store")
    assert path.read_bytes() == b"\x00garbage" * 1000


@pytest.mark.slow  # a Python process
def test_foreign_database_fails_and_is_left_alone(tmp_path):
    path = tmp_path / "translator.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE invoices (n INTEGER)")
    conn.close()
    before = path.read_bytes()
    result = cli_process("cache", "purge", store=f"sqlite:///{path}")
    assert result.returncode == 1
    assert result.stderr == (f"error: TRANSLATOR_STORE: {path} is a SQLite database of something else "
                             "(application id 0x0, tables: invoices); refusing to use it. Point "
                             "TRANSLATOR_STORE at another file.\n")
    assert path.read_bytes() == before


# -- the translate command goes through the memory ------------------------------------------------

def test_translate_command_reuses_the_memory(tiny_model_dir, tmp_path):
    """In-process (click's runner) to load torch only once; the store is a real file all the same."""
    from click.testing import CliRunner

    from translator.cli import main

    env = {"TRANSLATOR_MODEL": str(tiny_model_dir), "TRANSLATOR_THREADS": "1", "TRANSLATOR_BACKEND": "torch",
           "TRANSLATOR_DATA_DIR": str(tmp_path), "TRANSLATOR_STORE": None}
    text = "The minister spoke.\n\nThe vote is delayed."
    runner = CliRunner()
    first = runner.invoke(main, ["translate", "--json"], input=text, env=env, catch_exceptions=False)
    second = runner.invoke(main, ["translate", "--json"], input=text, env=env, catch_exceptions=False)
    assert (first.exit_code, second.exit_code) == (0, 0)
    [before], [after] = json.loads(first.stdout), json.loads(second.stdout)
    assert before["segments"] == {"total": 2, "from_memory": 0, "translated": 2, "unchanged": 0, "failed": 0}
    assert after["segments"] == {"total": 2, "from_memory": 2, "translated": 0, "unchanged": 0, "failed": 0}
    assert after["text"] == before["text"]
    stats = json.loads(cli("cache", "stats", "--json", data_dir=tmp_path).stdout)
    assert stats["entries"] == 2
