"""Run one system on part of the workload in this process and print its measurement as JSON.

``python -m benchmarks.worker SYSTEM MARIAN_DIR CT2_DIR --articles 0,1 --threads 2``

The process loads the system, warms it up on a text outside the workload,
times the translation of the chosen articles, and reports the peak resident
memory of the whole process (model loading included), so each system's
memory figure is its own (:func:`peak_rss_mb`).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from dataclasses import asdict
from pathlib import Path

from .memory import peak_rss_mb
from .systems import SYSTEMS
from .workload import Article, news_articles

WARM_UP = Article("Markets steady after the vote",
                  ("The finance minister said on Monday that the budget had been approved by parliament.",
                   "Traders in the capital welcomed the decision, according to the central bank."))


def measure(system_name: str, marian_dir: Path, ct2_dir: Path, article_indices: list[int], threads: int) -> dict:
    """Load, warm up, then time one system on the chosen articles."""
    articles = news_articles()
    chosen = [articles[i] for i in article_indices]
    started = time.perf_counter()
    runner = SYSTEMS[system_name].load(marian_dir, ct2_dir, threads)
    load_seconds = time.perf_counter() - started
    runner.translate([WARM_UP])
    started = time.perf_counter()
    done = runner.translate(chosen)
    seconds = time.perf_counter() - started
    return {"system": system_name, "articles": len(chosen), "seconds": seconds, "load_seconds": load_seconds,
            **asdict(done),
            "peak_rss_mb": peak_rss_mb(),
            "torch_imported": "torch" in sys.modules, "threads": threads}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("system", choices=sorted(SYSTEMS))
    parser.add_argument("marian_dir", type=Path)
    parser.add_argument("ct2_dir", type=Path)
    parser.add_argument("--articles", required=True, help="comma-separated workload indices")
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args(argv)
    indices = [int(i) for i in args.articles.split(",")]
    result = measure(args.system, args.marian_dir, args.ct2_dir, indices, args.threads)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
