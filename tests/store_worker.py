"""A process for the durability tests to SIGKILL: ``python -m tests.store_worker batch|churn|hammer STORE_URL [...]``.

``batch``: stores ``BATCH_ARTICLES`` articles and translates them with
``translate_versions`` in batches of ``BATCH_SIZE``; the engine announces
``BLOCKED`` on its call number ``BLOCK_ON_CALL`` and then hangs there, in the
middle of the batch run, waiting to be killed.

``churn``: writes without pause (memory batches of ``CHURN_ENTRIES`` keys,
new article versions, their translations), printing ``ITERATION n`` after
each round, so a kill lands in the middle of some write.

``hammer NAME ROUNDS``: one of several concurrent writers on the same store.

``lock NAME``: holds the single-flight lock ``NAME`` (default lease) until killed.
"""

from __future__ import annotations

import sys
import threading

from tests.fakes import EchoEngine
from tests.store_helpers import open_short_lease
from translator.service.articles import ArticleService
from translator.pipeline.translator import Translator

BATCH_ARTICLES = 12
BATCH_SIZE = 4
BLOCK_ON_CALL = 3
CHURN_ARTICLES = 5
CHURN_ENTRIES = 400
HAMMER_ENTRIES = 50


def batch_article(i: int) -> tuple[str, str, str]:
    """(id, title, body) of the i-th article of the batch run: every text unique."""
    return (f"art-{i:02d}", f"Headline number {i}",
            f"First paragraph of article {i}.\n\nSecond paragraph of article {i}.")


def churn_body(round_: int) -> str:
    return "\n\n".join(f"Round {round_} paragraph {p} says something." for p in range(6))


class BlockingEcho(EchoEngine):
    """Echo engine that hangs on one call, after saying so on stdout."""

    def __init__(self, block_on_call: int):
        super().__init__()
        self.block_on_call = block_on_call

    def translate(self, texts, *, fallback=False):
        if len(self.calls) + 1 == self.block_on_call:
            print("BLOCKED", flush=True)
            threading.Event().wait()
        return super().translate(texts, fallback=fallback)


def run_batch(url: str) -> None:
    store = open_short_lease(url)
    engine = BlockingEcho(BLOCK_ON_CALL)
    service = ArticleService(store, Translator(engine, memory=store))
    for article_id, title, body in map(batch_article, range(BATCH_ARTICLES)):
        service.put(article_id, title=title, body=body)
    versions = [service.get(batch_article(i)[0]) for i in range(BATCH_ARTICLES)]
    service.translate_versions(versions, batch_articles=BATCH_SIZE)
    print("DONE", flush=True)


def run_churn(url: str, first_round: int) -> None:
    store = open_short_lease(url, keep_versions=3)
    service = ArticleService(store, Translator(EchoEngine(), memory=store))
    for round_ in range(first_round, first_round + 100_000):
        store.put_segments({f"round{round_}-{j}": f"valeur {round_}" for j in range(CHURN_ENTRIES)})
        article_id = f"churn-{round_ % CHURN_ARTICLES}"
        service.put(article_id, title=f"Round {round_}", body=churn_body(round_))
        service.translate(article_id)
        print(f"ITERATION {round_}", flush=True)


def run_hammer(url: str, name: str, rounds: int) -> None:
    """Concurrent writers: memory batches of its own, new versions of one shared article."""
    store = open_short_lease(url)
    for round_ in range(rounds):
        store.put_segments({f"{name}-{round_}-{j}": name for j in range(HAMMER_ENTRIES)})
        result = store.put_article("shared", title="Shared", body=f"{name} round {round_}")
        assert result.changed, result
        assert len(store.get_segments([f"{name}-{round_}-{j}" for j in range(HAMMER_ENTRIES)])) == HAMMER_ENTRIES
    print("DONE", flush=True)


def run_lock(url: str, name: str) -> None:
    """Hold the single-flight lock ``name`` with the default lease, forever (until killed)."""
    from translator.store import open_store

    store = open_store(url)
    with store.lock(name):
        print("HELD", flush=True)
        threading.Event().wait()


if __name__ == "__main__":
    if sys.argv[1] == "lock":
        run_lock(sys.argv[2], sys.argv[3])
    elif sys.argv[1] == "batch":
        run_batch(sys.argv[2])
    elif sys.argv[1] == "churn":
        run_churn(sys.argv[2], int(sys.argv[3]))
    else:
        run_hammer(sys.argv[2], sys.argv[3], int(sys.argv[4]))
