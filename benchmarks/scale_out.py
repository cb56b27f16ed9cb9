"""Scale-out: archive throughput with one worker vs two, and a reader's click behind a bulk backlog.

    python -m benchmarks.scale_out                  # full-size benchmark model, torch backend
    python -m benchmarks.scale_out --quick          # tiny model: checks the harness in seconds

Needs the local Redis (store and broker). Each run gets its own key and
queue prefix, deleted afterwards.

* **throughput**: the archive workload (:func:`benchmarks.workload.news_articles`)
  is queued on ``bulk`` once the workers have loaded the model (loading is
  not timed) and timed until every translation is stored; one worker, then
  two, each ``--concurrency 1`` with one inference thread (``TRANSLATOR_THREADS=1``);
* every segment decodes exactly 1.2x its source tokens, as in ``make bench``
  (:mod:`benchmarks.forced_length`: random weights would otherwise run each
  segment to its length bound and retry it), through the workers'
  ``--engine-factory benchmarks.scale_out:forced_engine``;
* **click latency**: with ``--backlog`` bulk articles queued and one worker
  busy on them, a reader's ``PUT`` (interactive) is timed until its French is
  stored, and the bulk articles finished meanwhile are counted.

Results go to ``benchmarks/scale_out.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
import uuid
from pathlib import Path

import redis

from translator.config import Settings
from translator.tasks.app import BULK, INTERACTIVE
from translator.testing.processes import WorkerProcess, service_environment
from translator.service.runtime import build_runtime

from .workload import news_articles

REPO = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "scale_out.json"
REDIS = "redis://127.0.0.1:6379"


def _cpu_name() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.partition(":")[2].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def forced_engine(settings: Settings, model: str):
    """The workers' engine: the configured backend with forced output lengths (see the module docstring)."""
    from .forced_length import ForcedLengthCTranslate2Engine, ForcedLengthMarianEngine

    engine = ForcedLengthCTranslate2Engine if settings.backend == "ctranslate2" else ForcedLengthMarianEngine
    return engine.load(model, settings)


class Deployment:
    """One run's store and queues (own prefixes on the local Redis), its web-side services and workers."""

    def __init__(self, model: Path, work: Path, db: int, backend: str = "torch", data_dir: Path | None = None):
        self.prefix = f"bench-{uuid.uuid4().hex[:8]}"
        self.store = f"{REDIS}/{db}?prefix={self.prefix}:"
        self.broker = f"{REDIS}/{db}"
        self.model = model
        self.work = work
        self.backend = backend
        work.mkdir(parents=True, exist_ok=True)
        # Converted CTranslate2 models are cached under the data directory: share the benchmark's.
        self.data_dir = data_dir or work / "data"
        self.settings = Settings(model=str(model), store=self.store, broker=self.broker,
                                 queue_prefix=f"{self.prefix}.", web_engine=False, glossary=None, demo=False,
                                 data_dir=self.data_dir)
        self.services = build_runtime(self.settings, serving=True)
        self.workers: list[WorkerProcess] = []

    def start_workers(self, count: int, threads: int) -> None:
        env = service_environment(TRANSLATOR_MODEL=str(self.model), TRANSLATOR_STORE=self.store,
                                  TRANSLATOR_BROKER=self.broker, TRANSLATOR_QUEUE_PREFIX=f"{self.prefix}.",
                                  TRANSLATOR_GLOSSARY="off", TRANSLATOR_THREADS=str(threads),
                                  TRANSLATOR_DATA_DIR=str(self.data_dir), TRANSLATOR_BACKEND=self.backend)
        for _ in range(count):
            log = self.work / f"worker-{len(self.workers)}.log"
            self.workers.append(WorkerProcess(env, log, cwd=REPO, timeout=900, args=[
                "--concurrency", "1", "--engine-factory", "benchmarks.scale_out:forced_engine"]))

    def put(self, article_id: str, title: str, body: str) -> int:
        return self.services.articles().put(article_id, title=title, body=body).version

    def translated(self, article_id: str, version: int = 1) -> bool:
        return self.services.store.get_translation(article_id, version, "fr") is not None

    def close(self) -> None:
        for worker in self.workers:
            worker.stop(timeout=60)
        self.services.close()
        client = redis.Redis.from_url(self.broker)
        for pattern in (f"{self.prefix}:*", f"{self.prefix}.*"):
            keys = list(client.scan_iter(match=pattern, count=1000))
            if keys:
                client.delete(*keys)
        client.close()


def throughput(model: Path, work: Path, workers: int, articles: list, db: int, **options) -> dict:
    deployment = Deployment(model, work / f"throughput-{workers}", db, **options)
    try:
        deployment.start_workers(workers, threads=1)
        ids = []
        for i, article in enumerate(articles):
            ids.append(f"archive-{i}")
            deployment.put(ids[-1], article.title, article.body)
        started = time.perf_counter()
        for article_id in ids:
            deployment.services.tasks.enqueue_article(article_id, 1, "fr", priority=BULK, job="bench")
        while not all(deployment.translated(article_id) for article_id in ids):
            time.sleep(0.2)
        elapsed = time.perf_counter() - started
    finally:
        deployment.close()
    words = sum(a.words for a in articles)
    return {"workers": workers, "articles": len(articles), "elapsed_s": round(elapsed, 2),
            "articles_per_min": round(60 * len(articles) / elapsed, 2), "words_per_s": round(words / elapsed, 1)}


def click_latency(model: Path, work: Path, backlog: int, db: int, **options) -> dict:
    deployment = Deployment(model, work / "click", db, **options)
    pool = news_articles(backlog + 1)
    try:
        deployment.start_workers(1, threads=1)
        for i, article in enumerate(pool[:backlog]):
            deployment.put(f"bulk-{i}", article.title, article.body)
            deployment.services.tasks.enqueue_article(f"bulk-{i}", 1, "fr", priority=BULK, job="bench")
        while sum(deployment.translated(f"bulk-{i}") for i in range(3)) < 3:
            time.sleep(0.2)
        done_before = sum(deployment.translated(f"bulk-{i}") for i in range(backlog))
        click = pool[backlog]
        started = time.perf_counter()
        deployment.put("click", click.title, click.body)
        deployment.services.tasks.enqueue_article("click", 1, "fr", priority=INTERACTIVE)
        while not deployment.translated("click"):
            time.sleep(0.05)
        waited = time.perf_counter() - started
        done_after = sum(deployment.translated(f"bulk-{i}") for i in range(backlog))
        queued = deployment.services.tasks.queue_depths()
    finally:
        deployment.close()
    return {"backlog": backlog, "click_wait_s": round(waited, 2), "bulk_finished_meanwhile": done_after - done_before,
            "bulk_still_queued": queued[f"{deployment.prefix}.bulk.en-fr"]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="the tiny test model instead of the full-size one")
    parser.add_argument("--articles", type=int, default=20, help="archive articles for the throughput runs")
    parser.add_argument("--backlog", type=int, default=1000, help="bulk articles queued before the click")
    parser.add_argument("--db", type=int, default=13, help="Redis database to use")
    parser.add_argument("--note", default="", help="a note stored with the results (e.g. machine load)")
    parser.add_argument("--backend", choices=("torch", "ctranslate2"), default="ctranslate2",
                        help="the workers' backend (default: ctranslate2 int8, the one for CPUs)")
    args = parser.parse_args(argv)
    if args.quick:
        from translator.testing.models import build_marian_model

        model = build_marian_model(Path(tempfile.mkdtemp(prefix="scale-out-")) / "tiny", train_steps=50)
        options = {"backend": args.backend}
    else:
        from .model import MODELS_DIR, prepare_models

        model = prepare_models()[0]  # converts it to int8 under MODELS_DIR / "data" too
        options = {"backend": args.backend, "data_dir": MODELS_DIR / "data"}
    articles = news_articles(args.articles)
    results = {"model": "tiny" if args.quick else "full-size opus-mt-en-fr architecture (random weights)",
               "backend": args.backend, "threads_per_worker": 1, "concurrency": 1,
               "machine": f"{_cpu_name()}, {os.cpu_count()} cores",
               "note": args.note, "throughput": [], "click": None}
    with tempfile.TemporaryDirectory(prefix="scale-out-") as tmp:
        work = Path(tmp)
        for workers in (1, 2):
            figures = throughput(model, work, workers, articles, args.db, **options)
            results["throughput"].append(figures)
            print(json.dumps(figures), flush=True)
        results["click"] = click_latency(model, work, args.backlog, args.db, **options)
        print(json.dumps(results["click"]), flush=True)
    one, two = results["throughput"]
    results["speedup"] = round(one["elapsed_s"] / two["elapsed_s"], 2)
    if not args.quick:
        RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
