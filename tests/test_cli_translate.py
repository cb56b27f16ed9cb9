"""``translator translate`` as a user runs it, the tiny model from disk: in process (click's runner) where
only the output and exit status matter, a real subprocess where the hub's settings are read at start-up."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli_helpers import run_in_process

ROOT = Path(__file__).resolve().parent.parent

ARTICLE = """Police arrested two men after a fire in the harbour of the capital city.

The central bank kept its interest rate unchanged. Prices of rice and fuel rose again this week.

12,500

The president met leaders from Africa and Europe to discuss trade and climate.
"""


def run_cli(*args: str, env: dict | None = None, stdin: str = "", cwd: Path = ROOT) -> subprocess.CompletedProcess:
    """A real child process: huggingface_hub reads HF_HUB_OFFLINE, HF_HUB_CACHE and HF_ENDPOINT when imported."""
    full_env = {**os.environ, "HF_HUB_OFFLINE": "1", **(env or {})}
    return subprocess.run([sys.executable, "-m", "translator", *args], input=stdin, capture_output=True,
                          text=True, env=full_env, cwd=cwd, timeout=300)


def run_here(*args: str, env: dict, stdin: str = "") -> subprocess.CompletedProcess:
    """The command in this process, with the same environment ``run_cli`` gives a child."""
    return run_in_process(args, env={**os.environ, "HF_HUB_OFFLINE": "1", **env}, stdin=stdin)


@pytest.fixture
def cli_env(tiny_model_dir, tmp_path) -> dict:
    return {"TRANSLATOR_MODEL": str(tiny_model_dir), "TRANSLATOR_DATA_DIR": str(tmp_path / "data"),
            "TRANSLATOR_THREADS": "1", "TRANSLATOR_BACKEND": "torch"}


def test_translates_a_file_keeping_the_paragraph_count(cli_env, tmp_path):
    article = tmp_path / "article.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    result = run_here("translate", str(article), env=cli_env)
    assert result.returncode == 0, result.stderr
    paragraphs = result.stdout.rstrip("\n").split("\n\n")
    assert len(paragraphs) == 4
    assert paragraphs[2] == "12,500"
    assert all(p and p != source for p, source in zip(paragraphs, ARTICLE.split("\n\n")) if p != "12,500")


def test_json_output_reports_counts(cli_env):
    result = run_here("translate", "--json", env=cli_env, stdin=ARTICLE)
    assert result.returncode == 0, result.stderr
    [item] = json.loads(result.stdout)
    assert len(item["paragraphs"]) == 4
    assert item["segments"]["total"] == 4
    assert item["model"].startswith("marian:")


def test_empty_input_gives_empty_output(cli_env):
    result = run_here("translate", env=cli_env, stdin="")
    assert (result.returncode, result.stdout) == (0, "")


@pytest.mark.slow  # a Python process
def test_unreachable_model_is_one_line_and_non_zero(tmp_path):
    result = run_cli("translate", env={"TRANSLATOR_MODEL": "Helsinki-NLP/opus-mt-en-fr",
                                       "HF_HUB_CACHE": str(tmp_path / "cache"),
                                       "TRANSLATOR_DATA_DIR": str(tmp_path / "data")}, stdin="Hello.")
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: cannot load model 'Helsinki-NLP/opus-mt-en-fr'")
    assert "translator model fetch" in lines[0]


@pytest.mark.slow  # a Python process each
@pytest.mark.parametrize("offline", [{"HF_HUB_OFFLINE": "1"}, {"HF_HUB_OFFLINE": "", "HF_ENDPOINT": "http://127.0.0.1:9"}])
def test_model_fetch_offline_is_one_line_and_non_zero(tmp_path, offline):
    result = run_cli("model", "fetch", "Helsinki-NLP/opus-mt-en-fr", "--dir", str(tmp_path / "model"),
                     env={"HF_HUB_CACHE": str(tmp_path / "cache"), **offline})
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == ("error: cannot download model 'Helsinki-NLP/opus-mt-en-fr': the Hugging Face hub is "
                             "unreachable from this machine (or HF_HUB_OFFLINE is set); run 'translator model "
                             "fetch' where there is network access and copy the directory here\n")


def test_missing_input_file_is_one_line_error(cli_env, tmp_path):
    missing = tmp_path / "missing.txt"
    result = run_here("translate", str(missing), env=cli_env)
    assert result.returncode == 1
    assert result.stderr == f"error: cannot read {missing}: No such file or directory\n"


def test_html_files_are_translated_as_html_and_format_html_reads_stdin_as_html(cli_env, tmp_path):
    """Before: no --format html, so an HTML file's tags went through the model as text."""
    from bs4 import BeautifulSoup

    page = tmp_path / "storm.html"
    page.write_text('<p>The storm hit <a href="https://news.example.mu/x">Port Louis</a> on Monday.</p>'
                    "<p>Schools are closed.</p>", encoding="utf-8")
    by_name = run_here("translate", str(page), env=cli_env)
    from_stdin = run_here("translate", "--format", "html", env=cli_env, stdin=page.read_text(encoding="utf-8"))
    for result in (by_name, from_stdin):
        assert result.returncode == 0, result.stderr
        soup = BeautifulSoup(result.stdout, "html.parser")
        assert [p.name for p in soup.find_all(recursive=False)] == ["p", "p"]
        assert [a["href"] for a in soup.find_all("a")] == ["https://news.example.mu/x"]
    assert by_name.stdout == from_stdin.stdout
    as_text = run_here("translate", "--format", "text", "--json", str(page), env=cli_env)
    assert json.loads(as_text.stdout)[0]["paragraphs"] and as_text.returncode == 0


def test_html_read_as_text_gets_the_api_s_warning_on_stderr_and_in_the_json(cli_env, tmp_path):
    """Before: the warning POST /v1/translate gives was never shown by the command (a silent mistake)."""
    page = tmp_path / "storm.txt"
    page.write_text("<p>The storm hit <b>Port Louis</b>.</p>", encoding="utf-8")
    plain = tmp_path / "plain.txt"
    plain.write_text("The storm hit the island.", encoding="utf-8")
    result = run_here("translate", "--json", str(page), str(plain), env=cli_env)
    assert result.returncode == 0, result.stderr
    warning = "the text looks like HTML; send format html to keep its markup"
    assert f"warning: {page}: {warning}\n" in result.stderr
    assert str(plain) not in result.stderr
    first, second = json.loads(result.stdout)
    assert first["warnings"] == [warning] and "warnings" not in second
    as_html = run_here("translate", "--format", "html", str(page), env=cli_env)
    assert as_html.returncode == 0 and "looks like HTML" not in as_html.stderr
