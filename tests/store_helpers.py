"""Helpers for store tests: a settable clock and stores opened with it."""

from __future__ import annotations

from translator.store import Store, StoredTranslation
from translator.store.postgresql import PostgreSQLStore
from translator.store.redis import RedisStore
from translator.store.sqlite import SQLiteStore

__all__ = ["DAY", "FakeClock", "fill_store", "open_short_lease", "open_with_clock", "translation"]

DAY = 86_400.0


class FakeClock:
    """A settable clock for stores (seconds since the epoch; starts at 2023-11-14T22:13:20Z)."""

    def __init__(self, now: float = 1_700_000_000.0):
        self.now = now

    def __call__(self) -> float:
        return self.now


def open_with_clock(url: str, clock: FakeClock, keep_versions: int = 3) -> Store:
    """Open the store ``url`` names with ``clock`` as its time source."""
    return _store_class(url).from_url(url, keep_versions=keep_versions, clock=clock)


def _store_class(url: str):
    return {"sqlite": SQLiteStore, "redis": RedisStore, "postgresql": PostgreSQLStore}[url.partition(":")[0]]


def open_short_lease(url: str, **options) -> Store:
    """Open a store whose Redis locks outlive a killed holder by one second only (PostgreSQL's end
    with their holder's connection, SQLite's with their process)."""
    if url.startswith("redis"):
        return RedisStore.from_url(url, lock_lease=1.0, **options)
    return _store_class(url).from_url(url, **options)


def translation(article_id: str, version: int, lang: str = "fr", body: str = "Corps.") -> StoredTranslation:
    """A complete stored translation with recognisable fields."""
    return StoredTranslation(
        id=article_id, version=version, lang=lang, title=f"Titre {version}", body=body, paragraphs=[body],
        model="echo", glossary_version="g1", translated_at="2024-05-01T12:00:00.000Z",
        glossary={"applied": [{"source": "Paris", "target": "Paris"}], "missed": []},
        segments={"total": 2, "from_memory": 1, "translated": 1, "unchanged": 0, "failed": 0})


def fill_store(store: Store, clock: FakeClock) -> None:
    """Day 0: a1 v1, a2 v1, their translations, 2 memory entries.
    Day 10: a1 v2, its translation, 1 memory entry. Leaves the clock at day 10."""
    store.put_segments({"old-1": "vieux 1", "old-2": "vieux 2"})
    for article_id in ("a1", "a2"):
        store.put_article(article_id, title="T", body="first")
        store.put_translation(translation(article_id, 1))
    clock.now += 10 * DAY
    store.put_segments({"new-1": "neuf 1"})
    store.put_article("a1", title="T", body="second")
    store.put_translation(translation("a1", 2))
