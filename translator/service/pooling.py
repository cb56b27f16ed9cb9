"""The pool fallback: translate articles together, and when that fails, each alone.

One pipeline pass over many articles shares the engine's batches; one bad
article must not fail the others, so a failed pass is retried one article at a
time and only the articles that fail alone fail. The background workers
(:class:`~translator.service.articles.ArticleService`) and the batch job
(through :meth:`~translator.service.articles.ArticleService.translate_pool`)
both follow this rule.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from typing import TypeVar

__all__ = ["pool_or_each"]

log = logging.getLogger(__name__)

T = TypeVar("T")
R = TypeVar("R")


def pool_or_each(items: Sequence[T], translate: Callable[[Sequence[T]], Sequence[R]], *,
                 catching: type[BaseException] = Exception) -> Iterator[tuple[T, R | BaseException]]:
    """``(item, result)`` for each of ``items``, in order, as each settles: ``translate(items)`` in
    one pass, else (when it raises ``catching``) ``translate([item])`` for each item alone.

    A result is what ``translate`` gave for the item, or the exception that its translation
    raised: the pass's own for a single item, the item's own pass's otherwise.
    """
    try:
        results = list(translate(items))
    except catching as exc:
        if len(items) == 1:
            yield items[0], exc
            return
        log.warning("a pooled pass of %d articles failed (%s: %s); translating each alone",
                    len(items), type(exc).__name__, exc)
    else:
        yield from zip(items, results)
        return
    for item in items:
        try:
            result: R | BaseException = translate([item])[0]
        except catching as exc:
            result = exc
        yield item, result
