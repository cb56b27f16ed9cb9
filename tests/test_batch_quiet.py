"""``translator batch --quiet``: no warning per failed segment, while the counts still report it."""

from __future__ import annotations

import logging

from tests.fakes import FunctionEngine
from translator.cli.batch import _segment_warnings
from translator.pipeline.translator import Translator


def translate_with_one_failing_segment(caplog, *, shown: bool):
    engine = FunctionEngine(lambda text: "" if "fails" in text else f"FR({text})")
    translator = Translator(engine)
    with caplog.at_level(logging.WARNING), _segment_warnings(shown=shown):
        result = translator.translate_article("Title", "This paragraph fails.\n\nThis one works.")
    return result, [r for r in caplog.records if r.name == "translator.pipeline.translator"]


def test_quiet_drops_the_warning_per_failed_segment_and_the_counts_keep_it(caplog):
    result, warnings = translate_with_one_failing_segment(caplog, shown=False)
    assert warnings == []
    assert result.counts["failed"] == 1
    assert result.body.paragraphs == ["This paragraph fails.", "FR(This one works.)"]
    # Restored afterwards: the next run without --quiet warns again.
    assert logging.getLogger("translator.pipeline.translator").level == logging.NOTSET


def test_without_quiet_the_failed_segment_is_warned_about_without_its_text(caplog):
    result, warnings = translate_with_one_failing_segment(caplog, shown=True)
    assert [r.getMessage() for r in warnings] == [
        "no usable translation for a segment of 21 characters; keeping the source text"]
    assert result.counts["failed"] == 1


def test_quiet_also_drops_the_warning_per_article_and_keeps_errors(caplog):
    articles_log = logging.getLogger("translator.service.articles")
    with caplog.at_level(logging.WARNING), _segment_warnings(shown=False):
        articles_log.warning("article a1 version 1 (fr): 1 of 2 segment(s) not translated, English kept")
        articles_log.error("the store failed")
    assert [(r.levelname, r.getMessage()) for r in caplog.records if r.name == articles_log.name] == [
        ("ERROR", "the store failed")]
    assert articles_log.level == logging.NOTSET
