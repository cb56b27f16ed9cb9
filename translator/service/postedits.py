"""Post-edits: editors correct or approve one unit of an article translation.

A correction or an approval becomes a human translation-memory entry
(:class:`~translator.editorial.human_memory.HumanEntry`) for the unit's source
sentence, so it applies wherever that sentence appears: later versions,
other articles, after a model or glossary change. Removing the entry brings
the machine output back.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from .articles import ArticleNotFound, ArticleService
from ..errors import TranslatorError
from ..editorial.human_memory import HumanEntry
from ..store import StoredTranslation
from ..editorial.units import Unit
from ..text.timestamps import Precision, utc_timestamp

__all__ = ["EditResult", "NoHumanEntry", "NothingToEdit", "PostEditor", "TranslationNotReady", "UnitNotFound",
           "satisfied_terms"]


@dataclass(frozen=True)
class EditResult:
    """A unit as it reads after an edit, and whether its whole translation is now reviewed."""

    id: str
    version: int
    lang: str
    unit: Unit
    reviewed: bool

    def to_dict(self) -> dict:
        """``{"id", "version", "lang", "unit", "reviewed"}``, the unit as the API shows it."""
        return {"id": self.id, "version": self.version, "lang": self.lang, "unit": self.unit.to_dict(),
                "reviewed": self.reviewed}


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


class PostEditor:
    """Corrections and approvals of one language's article translations.

    ``glossary``: a callable giving the current glossary (or None), to record
    which terms a human target satisfies.
    """

    def __init__(self, articles: ArticleService, glossary=None):
        self.articles = articles
        self.glossary = glossary

    def _unit(self, article_id: str, version: int | None, index: int) -> tuple[StoredTranslation, Unit]:
        translation = self.articles.cached_translation(article_id, version)
        if translation is None:
            raise TranslationNotReady(f"article {article_id!r} has no current {self.articles.lang} translation "
                                      "yet; ask for it first, then edit it")
        if not 0 <= index < len(translation.units):
            raise UnitNotFound(f"the {self.articles.lang} translation of article {article_id!r} version "
                               f"{translation.version} has no segment {index} ({len(translation.units)} segments)")
        unit = translation.units[index]
        if not unit.translatable:
            raise NothingToEdit(f"segment {index} has nothing to translate ({unit.source!r})")
        return translation, unit

    def correct(self, article_id: str, version: int | None, index: int, target: str, editor: str) -> EditResult:
        """Store ``target`` as the human translation of unit ``index``; the unit and ``reviewed`` after."""
        _, unit = self._unit(article_id, version, index)
        return self._store(article_id, version, index, unit, target, editor, approved=False)

    def approve(self, article_id: str, version: int | None, index: int, editor: str) -> EditResult:
        """Store unit ``index``'s current target as its human translation."""
        _, unit = self._unit(article_id, version, index)
        return self._store(article_id, version, index, unit, unit.target, editor, approved=True)

    def remove(self, article_id: str, version: int | None, index: int) -> EditResult:
        """Delete the human entry of unit ``index``'s source (:class:`NoHumanEntry` when there is none)."""
        _, unit = self._unit(article_id, version, index)
        if not self.articles.store.delete_human_entry(self.articles.lang, unit.source):
            raise NoHumanEntry(f"segment {index} has no human translation to remove")
        return self._result(article_id, version, index)

    def _store(self, article_id: str, version: int | None, index: int, unit: Unit, target: str, editor: str,
               *, approved: bool) -> EditResult:
        glossary = self.glossary() if self.glossary is not None else None
        # Whole seconds: the precision TMX keeps, so an exported memory reads back identical.
        entry = HumanEntry(lang=self.articles.lang, source=unit.source, target=target, editor=editor,
                           created_at=utc_timestamp(precision=Precision.SECONDS),
                           glossary=satisfied_terms(glossary, unit.source, target), approved=approved)
        self.articles.store.put_human_entry(entry)
        return self._result(article_id, version, index)

    def _result(self, article_id: str, version: int | None, index: int) -> EditResult:
        translation = self.articles.cached_translation(article_id, version)
        if translation is None:  # the model or glossary changed meanwhile
            raise TranslationNotReady(f"article {article_id!r} is being translated again; ask again shortly")
        return EditResult(translation.id, translation.version, translation.lang, translation.units[index],
                          translation.reviewed)
