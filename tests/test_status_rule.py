"""One status rule: a text, an article or a stored translation is "partial" when a segment kept its English."""

from __future__ import annotations

import pytest

from translator.pipeline.status import text_status
from translator.pipeline.translator import SegmentResult, TextTranslation
from translator.store import StoredTranslation

COUNTS = [
    ({"total": 2, "from_memory": 0, "translated": 2, "unchanged": 0, "failed": 0}, "ok"),
    ({"total": 2, "from_memory": 0, "translated": 1, "unchanged": 0, "failed": 1}, "partial"),
    ({"total": 3, "from_memory": 1, "translated": 0, "unchanged": 2, "failed": 0}, "ok"),
    ({"total": 0}, "ok"),
    ({}, "ok"),  # records that carry no counts
]


@pytest.mark.parametrize(("counts", "status"), COUNTS)
def test_the_rule(counts, status):
    assert text_status(counts) == status


@pytest.mark.parametrize(("counts", "status"), COUNTS)
def test_a_stored_translation_follows_it(counts, status):
    stored = StoredTranslation(id="a1", version=1, lang="fr", title="T", body="B", paragraphs=["B"], model="echo",
                               glossary_version="", translated_at="2024-05-01T12:00:00.000Z", segments=counts)
    assert stored.status == status


@pytest.mark.parametrize(("statuses", "status"), [
    (["translated", "memory", "unchanged"], "ok"),
    (["translated", "failed"], "partial"),
    (["failed"], "partial"),
])
def test_a_text_translation_follows_it(statuses, status):
    segments = [SegmentResult(f"s{i}", f"t{i}", s) for i, s in enumerate(statuses)]
    assert TextTranslation("", [], segments).status == status
