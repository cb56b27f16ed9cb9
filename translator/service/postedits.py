"""Post-edits: editors correct or approve one unit of an article translation.

A correction or an approval becomes a human translation-memory entry
(:class:`~translator.editorial.human_memory.HumanEntry`) for the unit's source
sentence, so it applies wherever that sentence appears: later versions,
other articles, after a model or glossary change. Removing the entry brings
the machine output back.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Protocol

from .articles import ArticleNotFound, ArticleService
from ..errors import TranslatorError
from ..editorial.human_memory import HumanEntry
from ..store import StoredTranslation
from ..editorial.units import public_unit

__all__ = ["NoHumanEntry", "NothingToEdit", "PostEditor", "TranslationNotReady", "UnitNotFound", "satisfied_terms"]


class TranslationNotReady(TranslatorError):
    """The version has no current translation yet: there is nothing to correct."""


class UnitNotFound(ArticleNotFound):
    """No unit with that index in the translation."""


class NoHumanEntry(ArticleNotFound):
    """The unit's source has no human entry to remove."""


class NothingToEdit(TranslatorError):
    """The unit has nothing to translate (a number, a URL): it is not edited."""


class _Glossary(Protocol):
    def find(self, text: str) -> list: ...


def satisfied_terms(glossary: _Glossary | None, source: str, target: str) -> list[dict]:
    """The glossary terms occurring in ``source`` whose French form ``target`` contains."""
    if glossary is None:
        return []
    terms = []
    for match in glossary.find(source):
        entry = match.entry
        haystack, needle = (target.casefold(), entry.target.casefold()) if entry.case_insensitive \
            else (target, entry.target)
        item = {"source": entry.source, "target": entry.target}
        if needle in haystack and item not in terms:
            terms.append(item)
    return terms


def _now() -> str:
    # Whole seconds: the precision TMX keeps, so an exported memory reads back identical.
    return datetime.now(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


class PostEditor:
    """Corrections and approvals of one language's article translations.

    ``glossary``: a callable giving the current glossary (or None), to record
    which terms a human target satisfies.
    """

    def __init__(self, articles: ArticleService, glossary=None):
        self.articles = articles
        self.glossary = glossary

    def _unit(self, article_id: str, version: int | None, index: int) -> tuple[StoredTranslation, dict]:
        translation = self.articles.cached_translation(article_id, version)
        if translation is None:
            raise TranslationNotReady(f"article {article_id!r} has no current {self.articles.lang} translation "
                                      "yet; ask for it first, then edit it")
        if not 0 <= index < len(translation.units):
            raise UnitNotFound(f"the {self.articles.lang} translation of article {article_id!r} version "
                               f"{translation.version} has no segment {index} ({len(translation.units)} segments)")
        unit = translation.units[index]
        if unit.get("_machine", {}).get("status") == "unchanged":
            raise NothingToEdit(f"segment {index} has nothing to translate ({unit['source']!r})")
        return translation, unit

    def correct(self, article_id: str, version: int | None, index: int, target: str, editor: str) -> dict:
        """Store ``target`` as the human translation of unit ``index``; the unit and ``reviewed`` after."""
        _, unit = self._unit(article_id, version, index)
        return self._store(article_id, version, index, unit, target, editor, approved=False)

    def approve(self, article_id: str, version: int | None, index: int, editor: str) -> dict:
        """Store unit ``index``'s current target as its human translation."""
        _, unit = self._unit(article_id, version, index)
        return self._store(article_id, version, index, unit, unit["target"], editor, approved=True)

    def remove(self, article_id: str, version: int | None, index: int) -> dict:
        """Delete the human entry of unit ``index``'s source (:class:`NoHumanEntry` when there is none)."""
        _, unit = self._unit(article_id, version, index)
        if not self.articles.store.delete_human_entry(self.articles.lang, unit["source"]):
            raise NoHumanEntry(f"segment {index} has no human translation to remove")
        return self._result(article_id, version, index)

    def _store(self, article_id: str, version: int | None, index: int, unit: dict, target: str, editor: str,
               *, approved: bool) -> dict:
        glossary = self.glossary() if self.glossary is not None else None
        entry = HumanEntry(lang=self.articles.lang, source=unit["source"], target=target, editor=editor,
                           created_at=_now(), glossary=satisfied_terms(glossary, unit["source"], target),
                           approved=approved)
        self.articles.store.put_human_entry(entry)
        return self._result(article_id, version, index)

    def _result(self, article_id: str, version: int | None, index: int) -> dict:
        translation = self.articles.cached_translation(article_id, version)
        if translation is None:  # the model or glossary changed meanwhile
            raise TranslationNotReady(f"article {article_id!r} is being translated again; ask again shortly")
        return {"id": translation.id, "version": translation.version, "lang": translation.lang,
                "unit": public_unit(translation.units[index]), "reviewed": translation.reviewed}
