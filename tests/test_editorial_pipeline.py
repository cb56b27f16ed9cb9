"""Scores, flags, units and French typography through the pipeline and the article service."""

from __future__ import annotations

import pytest

from tests.fakes import EchoEngine, FunctionEngine, ScoredEngine
from translator.service.articles import ArticleService
from translator.config import Settings
from translator.errors import ConfigError
from translator.pipeline.memory import InMemoryTranslationMemory
from translator.pipeline.translator import Translator
from translator.editorial.review import review_list
from translator.service.runtime import build_runtime

UNSURE = "The committee may reconsider its decision next spring."
SURE = "The minister spoke on Monday."


def scored() -> ScoredEngine:
    return ScoredEngine(lambda t: f"FR({t})", lambda t: -2.5 if "committee" in t else -0.25)


def test_machine_segments_carry_their_score_and_flags_and_memory_hits_the_same():
    translator = Translator(scored(), memory=InMemoryTranslationMemory(), review_score=-1.0, segment_tokens=9)
    first = translator.translate_text(f"{SURE} {UNSURE}\n\nIt rose 3.5 percent.")
    assert [(s.source, s.score, s.flags, s.paragraph, s.trailing) for s in first.segments] == [
        (SURE, -0.25, [], 0, " "), (UNSURE, -2.5, ["low_score"], 0, ""), ("It rose 3.5 percent.", -0.25, [], 1, "")]
    again = translator.translate_text(UNSURE)
    # What is cached is what was served (issue 24): a hit keeps the score, and so the low_score flag.
    assert [(s.status, s.score, s.flags) for s in again.segments] == [("memory", -2.5, ["low_score"])]


def test_an_engine_without_scores_raises_no_low_score_flag():
    result = Translator(EchoEngine(), review_score=0.0).translate_text(UNSURE)
    assert [(s.score, s.flags) for s in result.segments] == [(None, [])]


def test_the_review_list_has_the_low_score_segment(store):
    service = ArticleService(store, Translator(scored(), memory=store, review_score=-1.0))
    store.put_article("low", title="Council news", body=f"{SURE}\n\n{UNSURE}")
    stored = service.translate("low")
    assert [(u.index, u.score, list(u.flags), u.origin) for u in stored.units] == [
        (0, -0.25, [], "machine"), (1, -0.25, [], "machine"), (2, -2.5, ["low_score"], "machine")]
    assert review_list(store, "fr", limit=10, overlay=service.with_human) == [{
        "article": "low", "version": 1, "index": 2, "paragraph": 1, "source": UNSURE, "target": f"FR({UNSURE})",
        "flags": ["low_score"], "score": -2.5, "translated_at": stored.translated_at}]
    service.shutdown()


def test_french_typography_is_on_by_default_for_french_and_spares_keep_forms(tmp_path):
    glossary = tmp_path / "en-fr.tsv"
    glossary.write_text("Yahoo!\tYahoo!\n", encoding="utf-8")
    engine = FunctionEngine(lambda t: f'Il a dit: "{t}" 3.5%!', identity="quoting")
    settings = Settings(data_dir=tmp_path / "data", glossary=glossary, models={"en-de": "de-model"})
    factory = lambda _settings, _model: engine  # noqa: E731 - every pair on the same fake engine
    runtime = build_runtime(settings, engine_factory=factory)
    try:
        text = runtime.translator().translate_text("Yahoo! is back.").text
        assert text == 'Il a dit\u00a0: «\u00a0Yahoo! is back.\u00a0» 3,5\u00a0%\u00a0!'
        narrow = build_runtime(settings.replace(fr_typography="narrow"), store=runtime.store, engine_factory=factory)
        assert narrow.translator().translate_text("Hello.").text == \
            'Il a dit\u00a0: «\u00a0Hello.\u00a0» 3,5\u00a0%\u202f!'
        off = build_runtime(settings.replace(fr_typography="off"), store=runtime.store, engine_factory=factory)
        assert off.translator().translate_text("Hello.").text == 'Il a dit: "Hello." 3.5%!'
        assert runtime.translator("en-de").translate_text("Hello.").text == 'Il a dit: "Hello." 3.5%!'
    finally:
        runtime.close()


@pytest.mark.parametrize(("raw", "mode"), [("off", "off"), ("0", "off"), ("on", "on"), ("true", "on"),
                                           ("Narrow", "narrow")])
def test_typography_setting(raw, mode):
    assert Settings.from_env({"TRANSLATOR_FR_TYPOGRAPHY": raw}).fr_typography == mode


def test_bad_settings_name_the_variable():
    with pytest.raises(ConfigError, match="TRANSLATOR_FR_TYPOGRAPHY"):
        Settings.from_env({"TRANSLATOR_FR_TYPOGRAPHY": "sometimes"})
    with pytest.raises(ConfigError, match="TRANSLATOR_REVIEW_SCORE"):
        Settings.from_env({"TRANSLATOR_REVIEW_SCORE": "low"})
    assert Settings.from_env({"TRANSLATOR_REVIEW_SCORE": "-2.5"}).review_score == -2.5
