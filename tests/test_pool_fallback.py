"""The pool fallback, one rule for the background workers and the batch: translate the pool together, and
when that fails, each article alone, so that only the articles that fail alone fail."""

from __future__ import annotations

import pytest

from tests.gated import GatedEngine
from translator.pipeline.translator import Translator
from translator.service.articles import ArticleService
from translator.service.pooling import pool_or_each


class Doubler:
    """Doubles numbers, raising ``error`` for a pass that holds one of ``bad``; records every pass."""

    def __init__(self, bad=(), error: type[BaseException] = ValueError):
        self.bad, self.error, self.passes = set(bad), error, []

    def __call__(self, items):
        self.passes.append(list(items))
        if self.bad & set(items):
            raise self.error(f"cannot double {sorted(self.bad & set(items))}")
        return [2 * item for item in items]


@pytest.mark.parametrize(("items", "bad", "passes", "failed"), [
    ([1, 2, 3], (), [[1, 2, 3]], []),                              # one pass, nothing retried
    ([1, 2, 3], (2,), [[1, 2, 3], [1], [2], [3]], [2]),            # each alone: only 2 fails
    ([1, 2, 3], (1, 3), [[1, 2, 3], [1], [2], [3]], [1, 3]),
    ([4], (4,), [[4]], [4]),                                       # alone already: no second try
    ([], (), [[]], []),
])
def test_the_pool_together_else_each_alone(items, bad, passes, failed):
    translate = Doubler(bad)
    results = list(pool_or_each(items, translate))
    assert [item for item, _ in results] == items
    assert translate.passes == passes
    assert [item for item, result in results if isinstance(result, ValueError)] == failed
    assert all(result == 2 * item for item, result in results if item not in failed)


def test_only_what_it_is_told_to_catch_is_caught():
    with pytest.raises(KeyboardInterrupt):  # a Ctrl-C in a batch stops the batch, not one article
        list(pool_or_each([1, 2], Doubler({1}, KeyboardInterrupt)))
    results = list(pool_or_each([1, 2], Doubler({1}, KeyboardInterrupt), catching=BaseException))
    assert isinstance(results[0][1], KeyboardInterrupt) and results[1] == (2, 4)


def test_each_result_settles_as_soon_as_its_article_is_done():
    translate = Doubler({1})
    results = pool_or_each([1, 2], translate)
    assert next(results)[0] == 1 and translate.passes == [[1, 2], [1]]  # 2 not tried yet


def test_the_article_service_pool_fails_only_the_failing_article(store):
    engine = GatedEngine(fail_on=["Poisoned body."])
    service = ArticleService(store, Translator(engine, memory=store))
    try:
        versions = []
        for name, body in (("a1", "First body."), ("a2", "Poisoned body."), ("a3", "Third body.")):
            service.put(name, title=f"Title {name}", body=body)
            versions.append(service.get(name))
        results = service.translate_pool(versions)
        assert [type(r).__name__ for r in results] == ["StoredTranslation", "ValueError", "StoredTranslation"]
        assert results[2].body == "FR(Third body.)"
        assert store.get_translation("a2", 1, "fr") is None
    finally:
        service.shutdown()
