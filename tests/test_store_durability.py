"""Several processes on one store, and SIGKILL: a worker killed mid-batch or mid-write leaves it consistent."""

from __future__ import annotations

import queue
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests import store_worker
from tests.fakes import EchoEngine
from tests.store_helpers import open_short_lease
from translator.service.articles import ArticleService
from translator.pipeline.translator import Translator
from translator.store import open_store

REPO_ROOT = Path(__file__).resolve().parent.parent
# Every test starts Python processes (and kills some): out of `make test-fast`.
pytestmark = pytest.mark.slow


class Worker:
    """``tests.store_worker`` in a subprocess, its stdout read line by line."""

    def __init__(self, *args: str):
        self.process = subprocess.Popen([sys.executable, "-m", "tests.store_worker", *args], cwd=REPO_ROOT,
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.lines: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.put(line.strip())
        self.lines.put(None)

    def wait_for(self, predicate, timeout: float = 60.0) -> str:
        """The first line satisfying ``predicate``; fails if the worker ends or it takes ``timeout`` s."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                line = self.lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                self.kill()
                pytest.fail(f"worker did not get there in {timeout}s")
            if line is None:
                pytest.fail(f"worker ended (status {self.process.wait()}): {self.process.stderr.read()}")
            if predicate(line):
                return line

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        assert self.process.wait(timeout=30) == -signal.SIGKILL


def check_sqlite_file(store_url: str) -> None:
    if store_url.startswith("sqlite"):
        with sqlite3.connect(store_url.partition(":///")[2]) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        conn.close()


def echo_translation_of(title: str, body: str) -> tuple[str, list[str]]:
    return f"FR({title})", [f"FR({p})" for p in body.split("\n\n")]


def test_kill_in_the_middle_of_a_batch_keeps_finished_batches_and_resumes(store_url):
    worker = Worker("batch", store_url)
    worker.wait_for(lambda line: line == "BLOCKED")  # batch 3 of 3 is in the model
    worker.kill()
    check_sqlite_file(store_url)

    store = open_store(store_url)
    articles = [store_worker.batch_article(i) for i in range(store_worker.BATCH_ARTICLES)]
    done = (store_worker.BLOCK_ON_CALL - 1) * store_worker.BATCH_SIZE  # articles of the finished batches
    for i, (article_id, title, body) in enumerate(articles):
        version = store.get_article(article_id)
        assert (version.version, version.title, version.body) == (1, title, body)
        stored = store.get_translation(article_id, 1, "fr")
        if i < done:
            assert (stored.title, stored.paragraphs) == echo_translation_of(title, body)
            assert stored.segments == {"total": 3, "from_memory": 0, "translated": 3, "unchanged": 0, "failed": 0}
        else:
            assert stored is None
    assert store.stats()["entries"] == 3 * done

    # The next run reuses everything committed: the model sees only the unfinished batch.
    engine = EchoEngine()
    service = ArticleService(store, Translator(engine, memory=store))
    results = service.translate_versions([service.get(a[0]) for a in articles], batch_articles=4)
    assert engine.calls == [[text for article_id, title, body in articles[done:]
                             for text in (title, *body.split("\n\n"))]]
    assert [(r.title, r.paragraphs) for r in results] == [echo_translation_of(t, b) for _, t, b in articles]
    service.shutdown()
    store.close()


def test_kill_at_random_moments_of_writing_leaves_a_consistent_store(store_url):
    """Kill a writer four times at random moments; every write is all or nothing, earlier ones intact."""
    chance = random.Random(f"{store_url}-durability")
    for first in (0, 1000, 2000, 3000):
        worker = Worker("churn", store_url, str(first))
        target = first + chance.randrange(8, 20)
        last_finished = int(worker.wait_for(lambda line: line == f"ITERATION {target}").split()[1])
        threading.Event().wait(chance.uniform(0, 0.03))  # land somewhere inside the next round
        worker.kill()
        check_sqlite_file(store_url)
        store = open_short_lease(store_url, keep_versions=3)  # the killed worker's lock lasts 1 s
        _check_churn_state(store, first, last_finished)
        store.close()


def _check_churn_state(store, first: int, last_finished: int) -> None:
    entries = store_worker.CHURN_ENTRIES
    for round_ in range(first, last_finished + 10):
        found = store.get_segments([f"round{round_}-{j}" for j in range(entries)])
        if round_ <= last_finished:
            assert len(found) == entries, f"round {round_} lost memory entries"
        else:
            assert len(found) in (0, entries), f"round {round_} half-written: {len(found)} entries"
        assert set(found.values()) <= {f"valeur {round_}"}
    engine = EchoEngine()
    service = ArticleService(store, Translator(engine, memory=store))
    for k in range(store_worker.CHURN_ARTICLES):
        latest = store.get_article(f"churn-{k}")
        if latest is None:
            continue
        for number in range(max(1, latest.version - 2), latest.version + 1):
            version = store.get_article(latest.id, number)
            round_ = int(version.title.split()[1])  # title and body come from one round, or the version is absent
            assert version.body == store_worker.churn_body(round_)
            stored = store.get_translation(latest.id, number, "fr")
            if stored is not None:
                assert (stored.title, stored.paragraphs) == echo_translation_of(version.title, version.body)
                assert stored.body == "\n\n".join(stored.paragraphs)
            else:  # only the round in flight may lack its translation
                assert number == latest.version and round_ > last_finished, f"round {round_} lost its translation"
        # The store keeps working, and what was committed is reused.
        service.translate(latest.id)
    assert all(len(call) <= 7 for call in engine.calls)  # at most one unfinished round's article: 1 title + 6
    assert len(engine.calls) <= 1


def test_several_processes_write_one_store_at_once(store_url):
    processes, rounds = 4, 25
    workers = [Worker("hammer", store_url, f"writer{n}", str(rounds)) for n in range(processes)]
    for worker in workers:
        worker.wait_for(lambda line: line == "DONE")
        assert worker.process.wait(timeout=60) == 0
    check_sqlite_file(store_url)
    store = open_store(store_url)
    figures = store.stats()
    assert figures["entries"] == processes * rounds * store_worker.HAMMER_ENTRIES
    assert store.get_article("shared").version == processes * rounds  # every put made its own version
    assert figures["versions"] == 10
    store.close()
