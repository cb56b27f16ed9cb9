"""Copying everything one store holds into another (``translator store copy``): moving in from
SQLite or Redis to PostgreSQL, and back.

Every write is an upsert keyed as in the source (version numbers, languages, sources, pairs kept), so
a copy that stopped half-way is simply run again. At the end the two stores' counts are compared.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ..errors import StoreError
from . import Store

__all__ = ["CopyCounts", "copy_store", "work_to_copy"]

log = logging.getLogger(__name__)

_BATCH = 500


@dataclass
class CopyCounts:
    """What a store holds (and what a copy wrote), kind by kind."""

    entries: int = 0
    articles: int = 0
    versions: int = 0
    translations: int = 0
    human_entries: int = 0
    publications: int = 0
    glossary_edits: int = 0

    def figures(self) -> dict[str, int]:
        """The counts as a plain dict (for messages and comparisons)."""
        return {name: getattr(self, name) for name in ("entries", "articles", "versions", "translations",
                                                       "human_entries", "publications", "glossary_edits")}


def work_to_copy(store: Store, pairs: Iterable[str]) -> int:
    """How many items :func:`copy_store` will report for ``store`` (a progress bar's total)."""
    stats = store.stats()
    return stats["entries"] + stats["articles"] + len(store.human_entries()) + sum(
        len(store.glossary_edits(pair)) for pair in pairs)


def copy_store(source: Store, target: Store, *, langs: Iterable[str], pairs: Iterable[str],
               progress: Callable[[int], None] = lambda done: None) -> CopyCounts:
    """Copy every memory entry, article version, translation into ``langs``, publication state, human
    entry and glossary edit of ``pairs`` from ``source`` into ``target``; ``progress(n)`` after each n
    items (memory entries, articles, human entries, glossary edits). Raises :class:`StoreError` when the
    counts of the two stores differ afterwards."""
    langs, pairs = list(dict.fromkeys(langs)), list(dict.fromkeys(pairs))
    copied = CopyCounts()
    batch: dict[str, str] = {}
    for key, value in source.segment_entries():
        batch[key] = value
        if len(batch) >= _BATCH:
            copied.entries += _flush(target, batch, progress)
    copied.entries += _flush(target, batch, progress)

    for article_id in source.article_ids():
        latest = source.get_article(article_id)
        if latest is None:
            continue
        versions = [latest]
        for number in range(latest.version - 1, 0, -1):  # kept versions are the latest few, contiguous
            older = source.get_article(article_id, number)
            if older is None:
                break
            versions.append(older)
        for version in reversed(versions):
            target.put_version(version)
            copied.versions += 1
            for lang in langs:
                translation = source.get_translation(article_id, version.version, lang)
                if translation is not None:
                    target.put_translation(translation)
                    copied.translations += 1
        publication = source.get_publication(article_id)
        if publication is not None:
            target.set_publication(article_id, publication)
            copied.publications += 1
        copied.articles += 1
        progress(1)

    for entry in source.human_entries():
        target.put_human_entry(entry)
        copied.human_entries += 1
        progress(1)
    for pair in pairs:
        for term, value in source.glossary_edits(pair).items():
            target.put_glossary_edit(pair, term, value)
            copied.glossary_edits += 1
            progress(1)
    _verify(source, target, copied, pairs)
    return copied


def _flush(target: Store, batch: dict[str, str], progress: Callable[[int], None]) -> int:
    count = len(batch)
    if count:
        target.put_segments(batch)
        batch.clear()
        progress(count)
    return count


def _verify(source: Store, target: Store, copied: CopyCounts, pairs: list[str]) -> None:
    """The target must now hold exactly what the source holds (a target that held more is reported)."""
    mine, theirs = source.stats(), target.stats()
    differences = [f"{name}: {mine[name]} in the source, {theirs[name]} in the target"
                   for name in ("entries", "articles", "versions", "translations") if mine[name] != theirs[name]]
    human = (len(source.human_entries()), len(target.human_entries()))
    if human[0] != human[1]:
        differences.append(f"human entries: {human[0]} in the source, {human[1]} in the target")
    for pair in pairs:
        edits = (len(source.glossary_edits(pair)), len(target.glossary_edits(pair)))
        if edits[0] != edits[1]:
            differences.append(f"glossary edits of {pair}: {edits[0]} in the source, {edits[1]} in the target")
    if mine["translations"] != copied.translations:
        differences.append(f"translations: {mine['translations']} in the source, {copied.translations} copied "
                           "(into languages no configured pair translates to?)")
    if differences:
        raise StoreError(f"copied {copied.figures()}, but the counts differ: {'; '.join(differences)}")
    log.info("copied %s from %s to %s", copied.figures(), source.description, target.description)
