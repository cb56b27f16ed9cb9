"""The review list: the flagged machine segments of each article's latest version, for ``GET /v1/review``."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol

__all__ = ["review_list"]


class _Translations(Protocol):
    def recent_translations(self, lang: str) -> Iterator: ...

    def get_article(self, article_id: str, version: int | None = None): ...


def review_list(store: _Translations, lang: str, *, limit: int, overlay=None) -> list[dict]:
    """Flagged, not yet human segments of each article's latest version, newest translation first.

    ``overlay(translation)`` (optional) applies the human memory to a stored
    translation first, so a corrected segment leaves the list at once.
    Items: ``{"article", "version", "index", "paragraph", "source", "target", "flags", "score",
    "translated_at"}``.
    """
    items: list[dict] = []
    seen: set[str] = set()
    for translation in store.recent_translations(lang):
        if translation.id in seen:
            continue
        latest = store.get_article(translation.id)
        if latest is None or latest.version != translation.version:
            continue  # an older version: its segments are not what readers see
        seen.add(translation.id)
        if overlay is not None:
            translation = overlay(translation)
        for unit in translation.units:
            if unit.needs_review:
                items.append({"article": translation.id, "version": translation.version, "index": unit.index,
                              "paragraph": unit.paragraph, "source": unit.source, "target": unit.target,
                              "flags": list(unit.flags), "score": unit.score,
                              "translated_at": translation.translated_at})
                if len(items) >= limit:
                    return items
    return items
