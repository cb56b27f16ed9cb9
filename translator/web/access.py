"""Who may see an article: published articles are public, unpublished or embargoed ones are not.

Callers without a valid API key get exactly the 404 a missing article gets
(same status, same body), so an embargoed story cannot be told apart from
one that does not exist. Callers with a key (the newsroom) see everything.
"""

from __future__ import annotations

from ..service.articles import ArticleService, not_found
from ..editorial.publication import Publication
from .auth import has_configured_key
from .context import current_runtime

__all__ = ["check_visible", "publication_of"]


def publication_of(articles: ArticleService, article_id: str) -> Publication:
    """The article's publication state (published when none was ever set)."""
    return articles.store.get_publication(article_id) or Publication()


def check_visible(articles: ArticleService, article_id: str, version: int | None) -> bool:
    """Whether the article is public now; raises the missing article's :class:`ArticleNotFound`
    when it is not and the caller has no key (a caller with a key sees it: False)."""
    publication = articles.store.get_publication(article_id)
    if publication is None or publication.is_public(current_runtime().clock()):
        return True
    if has_configured_key():
        return False
    raise not_found(article_id, version)
