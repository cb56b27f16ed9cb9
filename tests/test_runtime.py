"""The one builder: build_runtime makes the whole graph from Settings."""

from __future__ import annotations

import pytest

from tests.fakes import EchoEngine, FunctionEngine
from translator.engines.metered import MeteredEngine, ModelWork
from translator.engines.pooled import PooledEngine
from translator.errors import ConfigError, GlossaryError
from translator.glossary import Glossary
from translator.service.runtime import build_runtime


@pytest.fixture
def two_pairs(settings, tmp_path):
    """Settings serving en-fr and en-de, each with a glossary file of its own."""
    fr, de = tmp_path / "fr.tsv", tmp_path / "de.tsv"
    fr.write_text("Vladimir Putin\tVladimir Poutine\n", encoding="utf-8")
    de.write_text("Vladimir Putin\tWladimir Putin\n", encoding="utf-8")
    return settings.replace(model="fr-model", glossary=fr, models={"en-de": "de-model"}, glossaries={"en-de": de})


def factory_of(engines: dict):
    loads = []

    def factory(settings, model):
        loads.append(model)
        return engines[model]

    factory.loads = loads
    return factory


def test_every_pair_gets_its_model_and_its_own_live_glossary(two_pairs):
    french, german = EchoEngine("fr-engine"), FunctionEngine(lambda t: f"DE({t})", "de-engine")
    factory = factory_of({"fr-model": french, "de-model": german})
    with build_runtime(two_pairs, engine_factory=factory) as runtime:
        assert list(runtime.pairs) == ["en-fr", "en-de"]
        assert factory.loads == []  # models load on first use
        de = runtime.pair("en-de")
        de.glossary.put_entry("Berlin", "Berlin")  # a live edit of the German glossary only
        result = de.translator.translate_text("Vladimir Putin visited Berlin.")
        assert factory.loads == ["de-model"]
        assert result.glossary["applied"] == [  # the German forms, at their places in "DE(...)"
            {"source": "Vladimir Putin", "target": "Wladimir Putin", "start": 0, "end": 14, "target_start": 3,
             "target_end": 17, "paragraph": 0},
            {"source": "Berlin", "target": "Berlin", "start": 23, "end": 29, "target_start": 26, "target_end": 32,
             "paragraph": 0}]
        assert result.glossary_version == de.glossary.version != runtime.glossary.version
        assert [e.source for e in runtime.glossary.current] == ["Vladimir Putin"]
        assert runtime.articles("de").lang == "de" and runtime.articles("de").translator is de.translator


def test_engines_are_metered_and_pooled_only_when_asked(settings):
    engine = EchoEngine()
    with build_runtime(settings, engine_factory=lambda s, m: engine) as plain:
        assert isinstance(plain.translator().engine, MeteredEngine)
        plain.translator().translate_text("One two.")
        assert plain.model_work() == {"en-fr": ModelWork(segments=1, source_tokens=3, queued_segments=0)}
    with build_runtime(settings, engine_factory=lambda s, m: engine, serving=True) as pooled:
        assert pooled.model_work() == {}  # nothing loaded yet
        assert isinstance(pooled.translator().engine, PooledEngine)
        assert pooled.translator().engine.identity == "echo"


def test_unknown_pairs_and_languages_name_the_served_ones(settings):
    with build_runtime(settings.replace(models={"en-de": "x"}), engine_factory=lambda s, m: EchoEngine()) as runtime:
        with pytest.raises(ConfigError, match="^language pair 'en-it' is not served; available: en-fr, en-de$"):
            runtime.pair("en-it")
        with pytest.raises(ConfigError, match="^articles are not translated into 'it'; available: fr, de$"):
            runtime.articles("it")


def test_a_malformed_glossary_of_any_pair_fails_before_the_store_opens(settings, tmp_path):
    bad = tmp_path / "bad.tsv"
    bad.write_text("only-one-column\n", encoding="utf-8")
    with pytest.raises(GlossaryError):
        build_runtime(settings.replace(models={"en-de": "x"}, glossaries={"en-de": bad}))
    assert not (settings.data_dir / "translator.sqlite3").exists()


def test_one_glossary_snapshot_per_call_and_the_result_carries_its_version(settings):
    """A live edit landing in the middle of a call does not mix two glossaries in one result."""
    with build_runtime(settings, engine_factory=lambda s, m: EchoEngine()) as runtime:
        live = runtime.glossary
        live.put_entry("Putin", "Poutine")
        before = live.version

        def edit_while_translating(text: str) -> str:
            if not live_edited:
                live_edited.append(True)
                live.put_entry("Putin", "Poutine-2")
            return f"FR({text})"

        live_edited: list[bool] = []
        runtime.pair().translator.engine.engine = FunctionEngine(edit_while_translating)
        result = runtime.translator().translate_texts(["Putin spoke.", "Putin left."])
        assert [r.glossary_version for r in result] == [before, before]
        assert live.version != before
        assert {t["target"] for r in result for t in r.glossary["applied"]} == {"Poutine"}
        assert Glossary.from_pairs([("Putin", "Poutine")]).version == before
