"""Reading an article and its translation: the one rule for the API and the reader's page.

* Versions: ``?version=N`` is a positive integer (:func:`parse_version`);
  versions are stored as 64-bit integers, so a larger one is simply not found.
* Visibility: a published article is public; an unpublished or embargoed one
  is seen only by the newsroom (a caller with a key), and anyone else gets
  exactly the 404 a missing article gets, so an embargoed story cannot be
  told apart from one that does not exist.
* A translation is ready (stored and current), failed (a lasting failure marked
  in the store, answered every time until the version is sent again; or the
  last attempt's transient error, reported once: the next read starts it
  again), or pending: the read starts it in the background and carries what
  is finished so far.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from ..editorial.publication import Publication
from ..errors import TranslatorError
from ..store import ArticleVersion, StoredTranslation
from ..pipeline.translator import PartialArticle
from .articles import ArticleService, not_found

__all__ = ["BadVersion", "Reading", "ReadingState", "check_visible", "find_article",
           "parse_version", "publication_of", "read_translation"]

class BadVersion(TranslatorError):
    """``?version=`` that is not a positive integer (``raw`` is what was given)."""

    def __init__(self, raw: str):
        super().__init__(f"not a version number: {raw!r}")
        self.raw = raw


def parse_version(raw: str | None) -> int | None:
    """``?version=N`` as an int, None when absent; :class:`BadVersion` unless a positive integer."""
    if raw is None:
        return None
    if not raw.isascii() or not raw.isdigit() or int(raw) < 1:
        raise BadVersion(raw)
    return int(raw)


def publication_of(articles: ArticleService, article_id: str) -> Publication:
    """The article's publication state (published when none was ever set)."""
    return articles.store.get_publication(article_id) or Publication()


def check_visible(articles: ArticleService, article_id: str, version: int | None, *, now: float,
                  insider: bool) -> bool:
    """Whether the article is public at ``now``; raises the missing article's
    :class:`~translator.service.articles.ArticleNotFound` when it is not and the caller is no
    ``insider`` (an insider sees it: False)."""
    publication = articles.store.get_publication(article_id)
    if publication is None or publication.is_public(now):
        return True
    if insider:
        return False
    raise not_found(article_id, version)


def find_article(articles: ArticleService, article_id: str, version: int | None, *, now: float,
                 insider: bool) -> tuple[ArticleVersion, bool]:
    """``(article, public)``: the latest version or ``version`` as the caller may see it
    (:class:`~translator.service.articles.ArticleNotFound` otherwise)."""
    public = check_visible(articles, article_id, version, now=now, insider=insider)
    return articles.get(article_id, version), public


class ReadingState(enum.StrEnum):
    READY = "ready"
    PENDING = "pending"
    FAILED = "failed"


@dataclass(frozen=True)
class Reading:
    """What a reader gets: the article, whether it is public (shared caches may keep it), and the
    translation (ready), what is finished so far (pending), or the failure (failed)."""

    article: ArticleVersion
    public: bool
    state: ReadingState
    translation: StoredTranslation | None = None
    partial: PartialArticle | None = None
    failure: BaseException | None = None


def read_translation(articles: ArticleService, article_id: str, version: int | None, *, now: float,
                     insider: bool) -> Reading:
    """Read the translation of ``article_id`` (latest or ``version``) for a reader, starting it in the
    background when it is neither stored nor just failed."""
    article, public = find_article(articles, article_id, version, now=now, insider=insider)
    stored = articles.cached_translation(article.id, article.version)
    if stored is not None:
        return Reading(article, public, ReadingState.READY, translation=stored)
    failure = articles.take_failure(article.id, article.version)
    if failure is not None:  # lasting: every time; transient: once, and the next read starts a new attempt
        return Reading(article, public, ReadingState.FAILED, failure=failure)
    articles.start_translation(article.id, article.version)
    return Reading(article, public, ReadingState.PENDING, partial=articles.partial(article.id, article.version))
