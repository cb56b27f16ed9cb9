"""``translator batch`` with the tiny local model: 200 articles, reruns, a malformed line, SIGINT and SIGKILL.

The first run of each test is a real ``python -m translator batch`` process;
the reruns go through click's runner in this process (the same command, no
second interpreter start-up).
"""

from __future__ import annotations

import json
import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.batch_helpers import make_articles, read_jsonl, write_jsonl
from translator.service.articles import ArticleService
from translator.cli import main
from translator.glossary import load_glossary
from translator.pipeline.translator import Translator
from translator.text.segmentation import split_paragraphs
from translator.store import open_store

REPO_ROOT = Path(__file__).resolve().parent.parent
GLOSSARY = REPO_ROOT / "glossary" / "en-fr.tsv"
ARTICLES = 200
#: The interrupted runs: four passes of 20, so a signal after the first lands between passes.
INTERRUPTED = 80
PROGRESS = re.compile(r"^batch: (\d+)/(\d+) articles ")

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def articles() -> list[dict]:
    return make_articles(ARTICLES)


@pytest.fixture
def workspace(tmp_path, tiny_model_dir, articles):
    """Input file, output directory, store and the environment of a batch run on the tiny model."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith("TRANSLATOR_")}
    store_url = f"sqlite:///{tmp_path / 'store' / 'translator.sqlite3'}"
    environ.update(TRANSLATOR_MODEL=str(tiny_model_dir), TRANSLATOR_STORE=store_url,
                   TRANSLATOR_DATA_DIR=str(tmp_path / "data"), TRANSLATOR_GLOSSARY=str(GLOSSARY),
                   TRANSLATOR_BACKEND="torch", HF_HUB_OFFLINE="1")
    return {"input": write_jsonl(tmp_path / "articles.jsonl", articles), "out": tmp_path / "out",
            "output": tmp_path / "out" / "articles.fr.jsonl", "store": store_url, "env": environ,
            "tmp": tmp_path}


class BatchProcess:
    """``python -m translator batch ...`` running, its stderr read line by line."""

    def __init__(self, workspace: dict, *args: str):
        self.process = subprocess.Popen(
            [sys.executable, "-m", "translator", "batch", str(workspace["input"]), "--out", str(workspace["out"]),
             *args], cwd=REPO_ROOT, env=workspace["env"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True)
        self.stderr: list[str] = []
        self._lines: queue.Queue[str | None] = queue.Queue()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        for line in self.process.stderr:
            self.stderr.append(line)
            self._lines.put(line)
        self._lines.put(None)

    def wait_for_progress(self, timeout: float = 120.0) -> int:
        """Articles done according to the first progress line showing finished work."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                line = self._lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                self.process.kill()
                pytest.fail(f"no progress in {timeout}s: {''.join(self.stderr)}")
            if line is None:
                pytest.fail(f"batch ended (status {self.process.wait()}) before progress: {''.join(self.stderr)}")
            match = PROGRESS.match(line)
            if match and int(match.group(1)) > 0:
                return int(match.group(1))

    def finish(self, timeout: float = 300.0) -> tuple[int, str]:
        """Exit status and stdout (stderr stays with the reader thread)."""
        stdout = self.process.stdout.read()
        status = self.process.wait(timeout=timeout)
        self._reader.join(timeout=timeout)
        return status, stdout


def rerun(workspace: dict, *args: str, input_path: Path | None = None):
    """The same command in this process."""
    return CliRunner().invoke(main, ["batch", str(input_path or workspace["input"]), "--out", str(workspace["out"]),
                                     *args], env=workspace["env"], catch_exceptions=False)


def check_complete_output(workspace: dict, articles: list[dict], engine) -> list[dict]:
    """Every article's line, in order, translated, its paragraphs kept, and current in the store (so the
    service would serve it without a model call)."""
    lines = read_jsonl(workspace["output"])
    assert [line["id"] for line in lines] == [a["id"] for a in articles]
    store = open_store(workspace["store"])
    service = ArticleService(store, Translator(engine, glossary=load_glossary(GLOSSARY), memory=store))
    try:
        for line, article in zip(lines, articles):
            # The tiny model leaves some segments in English: those articles are honestly "partial".
            status = "partial" if line["segments"]["failed"] else "ok"
            assert (line["status"], line["version"], line["format"], line["section"]) == (
                status, 1, "text", article["section"])
            assert len(split_paragraphs(line["body"])) == len(split_paragraphs(article["body"]))
            served = service.cached_translation(article["id"])
            assert served is not None, article["id"]
            assert (served.title, served.body, served.glossary) == (line["title"], line["body"], line["glossary"])
            assert len(served.paragraphs) == len(split_paragraphs(article["body"]))
    finally:
        service.shutdown()
        store.close()
    return lines


def leftovers(out: Path) -> list[str]:
    return sorted(p.name for p in out.iterdir()) if out.exists() else []


def test_200_articles_then_a_rerun_with_a_malformed_line_translates_nothing(workspace, articles, tiny_engine):
    report_path = workspace["tmp"] / "report.json"
    run = BatchProcess(workspace, "--report", str(report_path), "--threads", "1", "--batch-tokens", "1024")
    status, stdout = run.finish()

    assert status == 0, "".join(run.stderr)
    first = check_complete_output(workspace, articles, tiny_engine)
    assert stdout.startswith("Batch completed in ")
    assert ": 200 articles, 200 ok, 0 failed.\n" in stdout.splitlines(keepends=True)[0]
    assert run.stderr[0] == "batch: 200 articles to go through\n"  # plain lines: stderr is not a terminal
    assert PROGRESS.match(run.stderr[-1]).groups() == ("200", "200")
    report = json.loads(report_path.read_text())
    paragraphs = sum(len(split_paragraphs(a["body"])) for a in articles)
    assert (report["status"], report["exit_code"], report["paragraphs"]) == ("completed", 0, paragraphs)
    assert report["articles"] == {"total": 200, "ok": 200, "failed": 0, "not_done": 0, "from_store": 0,
                                  "translated": 200}
    assert report["segments"]["total"] == paragraphs + ARTICLES  # one segment per paragraph, plus titles
    segments = report["segments"]
    # Every segment was either remembered or sent to the model; the tiny model's rare degenerate output is
    # kept in English and counted as failed, never dropped.
    assert (segments["from_memory"], segments["unchanged"]) == (0, 0)
    assert segments["translated"] + segments["failed"] == segments["total"]
    assert segments["failed"] <= segments["total"] // 50
    assert report["model_input"]["source_tokens"] > 0 and report["source_tokens_per_s"] > 0

    # Second run: the same articles with a malformed line in the middle (line 101).
    malformed = write_jsonl(workspace["tmp"] / "articles.jsonl", articles, raw_lines={100: '{"id": "x", "title":'})
    result = rerun(workspace, "--report", str(report_path), "--quiet", input_path=malformed)

    assert result.exit_code == 1
    lines = read_jsonl(workspace["output"])
    assert len(lines) == 201
    assert lines[100] == {"line": 101, "status": "error", "error": "invalid JSON: Expecting value (column 21)"}
    assert lines[:100] + lines[101:] == first
    assert result.stderr == f"error: {malformed}:101: invalid JSON: Expecting value (column 21)\n"
    report = json.loads(report_path.read_text())
    assert report["articles"] == {"total": 201, "ok": 200, "failed": 1, "not_done": 0, "from_store": 200,
                                  "translated": 0}
    assert report["model_input"] == {"segments": 0, "source_tokens": 0}
    assert "  model       not called: every segment came from the store\n" in result.stdout
    assert f"  {malformed}:101: invalid JSON: Expecting value (column 21)\n" in result.stdout


@pytest.fixture
def interrupted(workspace, articles) -> tuple[dict, list[dict]]:
    """The workspace with the first :data:`INTERRUPTED` articles as its input."""
    first = articles[:INTERRUPTED]
    write_jsonl(workspace["input"], first)
    return workspace, first


def test_sigint_stops_after_the_current_pass_and_a_rerun_resumes(interrupted, tiny_engine):
    workspace, articles = interrupted
    report_path = workspace["tmp"] / "report.json"
    run = BatchProcess(workspace, "--report", str(report_path), "--threads", "1", "--pool", "20")
    assert run.wait_for_progress() == 20
    run.process.send_signal(signal.SIGINT)
    status, stdout = run.finish()

    assert status == 130, "".join(run.stderr)
    assert "interrupted: stopping after the current pass; Ctrl-C again stops at once\n" in run.stderr
    assert leftovers(workspace["out"]) == []  # nothing partial, nothing truncated
    report = json.loads(report_path.read_text())
    done = report["articles"]["ok"]
    assert report["status"] == "interrupted" and report["exit_code"] == 130
    assert done % 20 == 0 and 20 <= done < INTERRUPTED
    assert report["articles"] == {"total": INTERRUPTED, "ok": done, "failed": 0, "not_done": INTERRUPTED - done,
                                  "from_store": 0, "translated": done}
    assert stdout.startswith("Batch interrupted after ")
    assert f"  not written {workspace['output']} (its input was not finished)\n" in stdout

    result = rerun(workspace, "--report", str(report_path), "--threads", "1", "--pool", "20")

    assert result.exit_code == 0, result.output
    check_complete_output(workspace, articles, tiny_engine)
    report = json.loads(report_path.read_text())
    assert report["articles"] == {"total": INTERRUPTED, "ok": INTERRUPTED, "failed": 0, "not_done": 0,
                                  "from_store": done, "translated": INTERRUPTED - done}
    assert report["model_input"]["segments"] > 0
    assert leftovers(workspace["out"]) == ["articles.fr.jsonl"]


def test_sigkill_leaves_no_partial_output_and_a_rerun_completes(interrupted, tiny_engine):
    workspace, articles = interrupted
    run = BatchProcess(workspace, "--threads", "1", "--pool", "20")
    assert run.wait_for_progress() == 20
    run.process.send_signal(signal.SIGKILL)
    status, _ = run.finish()

    assert status == -signal.SIGKILL
    assert leftovers(workspace["out"]) == []
    report_path = workspace["tmp"] / "report.json"

    result = rerun(workspace, "--report", str(report_path), "--threads", "1", "--pool", "20")

    assert result.exit_code == 0, result.output
    check_complete_output(workspace, articles, tiny_engine)
    report = json.loads(report_path.read_text())["articles"]
    assert report["from_store"] >= 20  # the passes finished before the kill were kept
    assert report["from_store"] + report["translated"] == INTERRUPTED
    assert leftovers(workspace["out"]) == ["articles.fr.jsonl"]


def test_stdin_and_a_text_directory_in_one_run(workspace, articles):
    site = workspace["tmp"] / "site"
    (site / "news").mkdir(parents=True)
    (site / "news" / "budget.md").write_text("# Budget vote delayed\n\nThe minister said on Monday.\n")
    stdin = "".join(json.dumps(a) + "\n" for a in articles[:3])

    result = CliRunner().invoke(main, ["batch", "-", str(site), "--out", str(workspace["out"]), "--threads", "1"],
                                env=workspace["env"], input=stdin, catch_exceptions=False)

    assert result.exit_code == 0, result.output
    assert [line["id"] for line in read_jsonl(workspace["out"] / "stdin.fr.jsonl")] == [
        "art-000", "art-001", "art-002"]
    french = (workspace["out"] / "news" / "budget.md").read_text()
    assert french.startswith("# ") and french.endswith("\n") and french.count("\n\n") == 1
    assert f"  output      {workspace['out']} (1 file)\n" in result.stdout
    assert result.stderr.splitlines()[0] == "batch: 4 articles to go through"


@pytest.mark.parametrize("args, status, message", [
    (["-", "-"], 2, "'-' (stdin) can be given only once"),
    (["{input}", "{input}"], 1, "error: inputs {input} and {input} would both write {out}/articles.fr.jsonl"),
    (["{tmp}/missing.jsonl"], 2, "'{tmp}/missing.jsonl' does not exist"),
])
def test_usage_errors_come_before_the_model_loads(workspace, args, status, message):
    env = {**workspace["env"], "TRANSLATOR_MODEL": str(workspace["tmp"] / "no-such-model")}
    names = {"input": workspace["input"], "out": workspace["out"], "tmp": workspace["tmp"]}
    result = CliRunner().invoke(main, ["batch", *[a.format(**names) for a in args], "--out", str(workspace["out"])],
                                env=env)
    assert result.exit_code == status
    assert message.format(**names) in result.stderr
    assert not workspace["out"].exists()


def test_first_interrupt_asks_to_stop_and_a_second_stops_at_once(capfd):
    from translator.cli.batch import _stop_on_signals

    stop = threading.Event()
    previous = signal.getsignal(signal.SIGINT)
    with pytest.raises(KeyboardInterrupt):
        with _stop_on_signals(stop):
            os.kill(os.getpid(), signal.SIGINT)
            for _ in range(1000):  # the handler runs between bytecodes of this thread
                if stop.is_set():
                    break
                time.sleep(0.001)
            assert stop.is_set()
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(5)  # interrupted by the KeyboardInterrupt
    assert signal.getsignal(signal.SIGINT) is previous
    assert capfd.readouterr().err == "\ninterrupted: stopping after the current pass; Ctrl-C again stops at once\n"


def test_live_glossary_edits_made_over_http_apply_to_the_batch(workspace):
    """An entry added through the glossary API (kept in the store) is enforced and reported by the batch."""
    store = open_store(workspace["store"])
    store.put_glossary_edit("en-fr", "Grand Bassin", ("Grand-Bassin", ""))
    store.close()
    write_jsonl(workspace["input"], [{"id": "pilgrims", "title": "Pilgrims walk to Grand Bassin",
                                      "body": "Thousands of pilgrims reached Grand Bassin on Monday."}])
    result = rerun(workspace)
    assert result.exit_code == 0, result.output
    [line] = read_jsonl(workspace["output"])
    terms = line["glossary"]["applied"] + line["glossary"]["missed"]
    assert sorted((t["source"], t["target"], t["part"], t["start"]) for t in terms) == [
        ("Grand Bassin", "Grand-Bassin", "body", 30), ("Grand Bassin", "Grand-Bassin", "title", 17)]
    for term in line["glossary"]["applied"]:
        french = line["title"] if term["part"] == "title" else line["body"].split("\n\n")[term["paragraph"]]
        assert french[term["target_start"]:term["target_end"]] == term["target"]
