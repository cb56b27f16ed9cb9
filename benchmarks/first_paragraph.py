"""Time to the first French paragraph, and to the whole article, for one uncached article.

    python -m benchmarks.first_paragraph BACKEND MARIAN_DIR CT2_DIR [--threads 2]

What a reader who clicks "Read in French" on an uncached article waits for:
the service's background translation (:class:`translator.service.articles.ArticleService`,
title and first paragraph first) on the full-size benchmark model with forced
output lengths (:mod:`benchmarks.forced_length`), on a real SQLite store, no
translation memory. The article is the workload article closest to 600 words.
Reported: seconds from the start until :meth:`ArticleService.partial` first
has a paragraph (what the next 202 shows) and until the translation is stored
(the 200), and, for comparison, one ``translate_article`` call for the same
article (the whole article in one pass, nothing shown before the end).
Runs in its own process; :mod:`benchmarks.run` calls it for both backends.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

from .workload import news_articles

__all__ = ["article_of_about", "measure"]

WORDS = 600


def article_of_about(words: int = WORDS) -> int:
    """Index of the workload article whose length is closest to ``words`` words."""
    articles = news_articles()
    return min(range(len(articles)), key=lambda i: (abs(articles[i].words - words), i))


def _engine(backend: str, marian_dir: Path, ct2_dir: Path, settings):
    from .forced_length import ForcedLengthCTranslate2Engine, ForcedLengthMarianEngine

    if backend == "torch":
        return ForcedLengthMarianEngine.load(str(marian_dir), settings)
    return ForcedLengthCTranslate2Engine.load(str(ct2_dir), settings)


def measure(backend: str, marian_dir: Path, ct2_dir: Path, threads: int) -> dict:
    """Load, warm up, then time the progressive and the one-pass translation of the article."""
    from translator.config import Settings

    from .systems import uncached_runtime
    from .worker import WARM_UP

    index = article_of_about()
    article = news_articles()[index]
    settings = Settings(threads=threads, glossary=None)
    engine = _engine(backend, marian_dir, ct2_dir, settings)
    # Two graphs as the service builds them, each over a new store: both passes are uncached.
    one_pass_runtime, service_runtime = uncached_runtime(engine, settings), uncached_runtime(engine, settings)
    translator = one_pass_runtime.translator()
    translator.translate_article(WARM_UP.title, WARM_UP.body)
    started = time.perf_counter()
    translator.translate_article(article.title, article.body)
    one_pass = time.perf_counter() - started

    service = service_runtime.pair().articles  # the reader's path: background, reading order
    service.translator.translate_article(WARM_UP.title, WARM_UP.body)
    put = service.put("bench", title=article.title, body=article.body)
    first = None
    started = time.perf_counter()
    service.start_translation(put.id, put.version)
    while service.cached_translation(put.id, put.version) is None:
        partial = service.partial(put.id, put.version)
        if first is None and partial is not None and partial.done:
            first = time.perf_counter() - started
        time.sleep(0.002)
    whole = time.perf_counter() - started
    one_pass_runtime.close()
    service_runtime.close()
    return {"backend": backend, "article": index, "words": article.words, "paragraphs": len(article.paragraphs),
            "first_paragraph_s": first if first is not None else whole, "whole_article_s": whole,
            "one_pass_s": one_pass, "threads": threads}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("backend", choices=["torch", "ctranslate2"])
    parser.add_argument("marian_dir", type=Path)
    parser.add_argument("ct2_dir", type=Path)
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    print(json.dumps(measure(args.backend, args.marian_dir, args.ct2_dir, args.threads)))


if __name__ == "__main__":
    main()
