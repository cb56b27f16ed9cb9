"""Review flags: which machine segments an editor should look at, and the review list.

Each machine segment gets a flag list when it is translated:

* ``low_score``: the mean token log-probability of the chosen hypothesis is
  below ``TRANSLATOR_REVIEW_SCORE`` (no flag when the engine gives no score);
* ``glossary_missed``: a glossary term's French form could not be enforced;
* ``failed``: no usable translation, the English was kept;
* ``length_ratio``: the target is shorter than 0.6 or longer than 2.0 times the
  source (sources under :data:`MIN_RATIO_CHARS` characters are too short to tell);
* ``number_missing``: a number, date, amount or percentage of the source is not
  in the target in any form (:func:`translator.numbers.missing_numbers`).

:func:`review_list` gathers the flagged segments of the latest versions,
newest translation first, for ``GET /v1/review``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Protocol

from .numbers import missing_numbers

__all__ = ["FLAGS", "LENGTH_RATIO", "MIN_RATIO_CHARS", "review_list", "segment_flags"]

FLAGS = ("low_score", "glossary_missed", "failed", "length_ratio", "number_missing")
#: The accepted target/source length ratio (characters).
LENGTH_RATIO = (0.6, 2.0)
#: Sources shorter than this get no length-ratio flag ("Yes." -> "Oui, tout à fait." is fine).
MIN_RATIO_CHARS = 20


def segment_flags(source: str, target: str, *, status: str, score: float | None, missed: Iterable[dict] = (),
                  review_score: float | None = None) -> list[str]:
    """The flags of one machine segment (``status`` as in the pipeline), in :data:`FLAGS` order."""
    if status == "unchanged":
        return []
    flags = []
    if score is not None and review_score is not None and score < review_score:
        flags.append("low_score")
    if any(True for _ in missed):
        flags.append("glossary_missed")
    if status == "failed":
        flags.append("failed")
        return flags  # the target is the source: ratio and numbers say nothing more
    stripped = source.strip()
    if len(stripped) >= MIN_RATIO_CHARS:
        ratio = len(target.strip()) / len(stripped)
        if not LENGTH_RATIO[0] <= ratio <= LENGTH_RATIO[1]:
            flags.append("length_ratio")
    if missing_numbers(source, target):
        flags.append("number_missing")
    return flags


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
            if unit.get("flags") and unit.get("origin") != "human":
                items.append({"article": translation.id, "version": translation.version, "index": unit["index"],
                              "paragraph": unit["paragraph"], "source": unit["source"], "target": unit["target"],
                              "flags": list(unit["flags"]), "score": unit["score"],
                              "translated_at": translation.translated_at})
                if len(items) >= limit:
                    return items
    return items
