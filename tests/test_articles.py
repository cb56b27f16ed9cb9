"""ArticleService on both stores: incremental retranslation, single flight, invalidation, batches."""

from __future__ import annotations

import hashlib
import json
import logging
import threading
from types import SimpleNamespace

import pytest

from tests.fakes import EchoEngine, FunctionEngine
from translator.glossary.enforcement import Enforcement
from translator.service.articles import ArticleNotFound, ArticleService
from translator.pipeline.translator import Translator
from translator.store import PutResult, open_store

TITLE = "Budget vote delayed"


def paragraph(i: int, second: str = "It has a second sentence.") -> str:
    return f"Paragraph {i} tells story number {i}. {second}"


def article_body(edited: int | None = None, second: str = "It was rewritten completely today.") -> str:
    return "\n\n".join(paragraph(i, second) if i == edited else paragraph(i) for i in range(20))


def french(text: str) -> str:
    return f"FR({text})"


class SlowEcho(EchoEngine):
    """Echo engine whose every call takes a while, so concurrent callers really overlap."""

    def __init__(self, delay: float = 0.3):
        super().__init__()
        self.delay = delay

    def translate(self, texts, *, fallback=False):
        threading.Event().wait(self.delay)
        return super().translate(texts, fallback=fallback)


class TermGlossary:
    """A minimal glossary: a term's fingerprint covers only the entries occurring in the segment."""

    def __init__(self, terms: dict[str, str]):
        self.terms = terms
        self.version = hashlib.sha256(json.dumps(sorted(terms.items())).encode()).hexdigest()[:12]

    def prepare(self, source: str):
        occurring = sorted((s, t) for s, t in self.terms.items() if s in source)
        fingerprint = hashlib.sha256(json.dumps(occurring).encode()).hexdigest()[:12] if occurring else ""
        return SimpleNamespace(engine_text=source, fingerprint=fingerprint, occurring=occurring, n_best=1,
                               alignment=False)

    def finalize(self, prepared, output: str):
        for source, target in prepared.occurring:
            output = output.replace(source, target)
        return output, [{"source": s, "target": t} for s, t in prepared.occurring], []

    # The rest of the glossary contract (translator.glossary.contract).
    @property
    def current(self):
        return self

    def choose(self, prepared, hypotheses) -> int:
        return 0

    def finish(self, prepared, output, *, repair=True, unchecked=None) -> Enforcement:
        if unchecked is not None:  # nothing checked: the text as it is, every term missed
            return Enforcement(output[0].text, missed=self.finalize(prepared, "")[2])
        return Enforcement(*self.finalize(prepared, output[0].text))


@pytest.fixture
def service_for(store):
    """Build ArticleServices over the test store; shut them down afterwards."""
    services: list[ArticleService] = []

    def build(engine, glossary=None, segment_tokens=200, workers=1, on=None) -> ArticleService:
        target = on or store
        service = ArticleService(target, Translator(engine, glossary=glossary, memory=target,
                                                    segment_tokens=segment_tokens), workers=workers)
        services.append(service)
        return service

    yield build
    for service in services:
        service.shutdown()


# -- incremental retranslation --------------------------------------------------------------------

def test_editing_one_paragraph_translates_only_that_paragraph(service_for):
    engine = EchoEngine()
    service = service_for(engine)
    assert service.put("a1", title=TITLE, body=article_body()) == PutResult("a1", 1, changed=True, created=True)
    first = service.translate("a1")
    assert engine.calls == [[TITLE] + [paragraph(i) for i in range(20)]]
    assert first.segments == {"total": 21, "from_memory": 0, "translated": 21, "unchanged": 0, "failed": 0}

    assert service.put("a1", title=TITLE, body=article_body(edited=7)) == PutResult("a1", 2, True, False)
    second = service.translate("a1")
    edited = paragraph(7, "It was rewritten completely today.")
    assert engine.calls[1:] == [[edited]]
    assert second.segments == {"total": 21, "from_memory": 20, "translated": 1, "unchanged": 0, "failed": 0}
    assert (second.id, second.version, second.lang, second.model) == ("a1", 2, "fr", "echo")
    assert second.title == french(TITLE)
    assert second.paragraphs == [french(edited) if i == 7 else french(paragraph(i)) for i in range(20)]
    assert second.body == "\n\n".join(second.paragraphs)
    # Version 1 keeps its own translation.
    assert service.cached_translation("a1", 1).paragraphs[7] == french(paragraph(7))
    assert len(engine.calls) == 2


def test_editing_one_sentence_translates_only_that_segment(service_for):
    """With small segments, only the changed sentence of the edited paragraph reaches the model."""
    engine = EchoEngine()
    service = service_for(engine, segment_tokens=8)  # one sentence per segment (7 tokens each)
    service.put("a1", title=TITLE, body=article_body())
    assert service.translate("a1").segments["total"] == 41
    service.put("a1", title=TITLE, body=article_body(edited=12, second="It changed."))
    second = service.translate("a1")
    assert engine.calls[1:] == [["It changed."]]
    assert second.segments == {"total": 41, "from_memory": 40, "translated": 1, "unchanged": 0, "failed": 0}
    assert second.paragraphs[12] == f"{french('Paragraph 12 tells story number 12.')} {french('It changed.')}"


def test_identical_content_keeps_the_version_and_its_translation(service_for):
    engine = EchoEngine()
    service = service_for(engine)
    service.put("a1", title=TITLE, body=article_body())
    first = service.translate("a1")
    assert service.put("a1", title=TITLE, body=article_body()) == PutResult("a1", 1, changed=False, created=False)
    assert service.translate("a1") == first
    assert len(engine.calls) == 1


def test_unchanged_segments_pass_through_without_the_model(service_for):
    engine = EchoEngine()
    service = service_for(engine)
    service.put("a1", title="Results", body="Scores were low.\n\n3-1\n\nhttps://example.test/x")
    result = service.translate("a1")
    assert engine.calls == [["Results", "Scores were low."]]
    assert result.paragraphs == [french("Scores were low."), "3-1", "https://example.test/x"]
    assert result.segments == {"total": 4, "from_memory": 0, "translated": 2, "unchanged": 2, "failed": 0}


# -- reading ----------------------------------------------------------------------------------------

def test_cached_translation_never_calls_the_model(service_for):
    engine = EchoEngine()
    service = service_for(engine)
    service.put("a1", title=TITLE, body="One paragraph.")
    assert service.cached_translation("a1") is None
    assert engine.calls == []
    translated = service.translate("a1")
    assert service.cached_translation("a1") == translated
    assert service.cached_translation("a1", 1) == translated
    assert len(engine.calls) == 1


@pytest.mark.parametrize("call", ["get", "cached_translation", "translate", "start_translation"])
def test_unknown_article_or_version(service_for, call):
    service = service_for(EchoEngine())
    service.put("a1", title=TITLE, body="Body.")
    with pytest.raises(ArticleNotFound, match="^no article 'nope'$"):
        getattr(service, call)("nope")
    with pytest.raises(ArticleNotFound, match="^article 'a1' has no version 2$"):
        getattr(service, call)("a1", 2)


# -- single flight ----------------------------------------------------------------------------------

def _concurrently(count: int, function) -> list:
    barrier = threading.Barrier(count)
    results: list = [None] * count
    errors: list[BaseException] = []

    def run(i: int) -> None:
        barrier.wait()
        try:
            results[i] = function(i)
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    return results


def test_twenty_concurrent_requests_translate_once(service_for):
    engine = SlowEcho()
    service = service_for(engine)
    service.put("a1", title=TITLE, body=article_body())
    results = _concurrently(20, lambda i: service.translate("a1"))
    assert len(engine.calls) == 1
    assert all(r == results[0] for r in results)
    assert results[0].segments["translated"] == 21


def test_twenty_requests_on_two_redis_instances_translate_once(redis_store_url):
    """Two service instances (two store connections) behind one Redis: still one translation."""
    engine = SlowEcho()
    stores = [open_store(redis_store_url), open_store(redis_store_url)]
    services = [ArticleService(s, Translator(engine, memory=s)) for s in stores]
    services[0].put("a1", title=TITLE, body=article_body())
    results = _concurrently(20, lambda i: services[i % 2].translate("a1"))
    assert len(engine.calls) == 1
    assert all(r == results[0] for r in results)
    for service, s in zip(services, stores):
        service.shutdown()
        s.close()


def test_background_translation_is_deduplicated(service_for):
    gate = threading.Event()
    engine = FunctionEngine(lambda t: gate.wait(30) and french(t))
    service = service_for(engine, workers=4)
    service.put("a1", title=TITLE, body="Body.")
    assert service.is_translating("a1", 1) is False
    service.start_translation("a1")
    service.start_translation("a1", 1)
    service.start_translation("a1")
    assert service.is_translating("a1", 1) and service.is_translating("a1")
    assert service.cached_translation("a1") is None
    gate.set()
    service.shutdown(wait=True)
    assert service.is_translating("a1", 1) is False
    assert len(engine.calls) == 1
    assert service.cached_translation("a1").body == french("Body.")


def test_background_failure_is_logged(service_for, caplog):
    def broken(text: str) -> str:
        raise RuntimeError("model exploded")

    service = service_for(FunctionEngine(broken))
    service.put("a1", title=TITLE, body="Body.")
    with caplog.at_level(logging.ERROR, logger="translator.service.articles"):
        service.start_translation("a1")
        service.shutdown(wait=True)
    assert [r.getMessage() for r in caplog.records] == ["background translation of a1 v1 failed"]
    assert "model exploded" in caplog.text
    assert service.is_translating("a1", 1) is False
    assert service.cached_translation("a1") is None


# -- invalidation -----------------------------------------------------------------------------------

def test_another_engine_identity_never_reuses_entries(service_for):
    engine_a, engine_b = EchoEngine("model-a"), FunctionEngine(lambda t: f"B({t})", "model-a beams=1")
    service_a, service_b = service_for(engine_a), service_for(engine_b)
    service_a.put("a1", title=TITLE, body=article_body())
    service_a.translate("a1")
    assert service_b.cached_translation("a1") is None  # made by another model
    by_b = service_b.translate("a1")
    assert engine_b.calls == [[TITLE] + [paragraph(i) for i in range(20)]]
    assert by_b.model == "model-a beams=1" and by_b.title == f"B({TITLE})"
    assert by_b.segments["from_memory"] == 0
    # Model A comes back: its translation was replaced, but its memory entries are intact.
    again = service_a.translate("a1")
    assert len(engine_a.calls) == 1
    assert again.segments == {"total": 21, "from_memory": 21, "translated": 0, "unchanged": 0, "failed": 0}
    assert again.title == french(TITLE)


def test_glossary_change_retranslates_only_segments_with_the_changed_entry(service_for):
    engine = EchoEngine()
    body = "The White House spoke.\n\nNASA launched a rocket.\n\nRain is expected."
    before = TermGlossary({"White House": "Maison-Blanche", "NASA": "NASA"})
    service = service_for(engine, glossary=before)
    service.put("a1", title="News from Washington", body=body)
    first = service.translate("a1")
    assert first.paragraphs == ["FR(The Maison-Blanche spoke.)", "FR(NASA launched a rocket.)",
                                "FR(Rain is expected.)"]
    assert first.glossary_version == before.version

    after = TermGlossary({"White House": "Maison Blanche", "NASA": "NASA"})
    service.translator.glossary = after  # a live glossary edit
    assert service.cached_translation("a1") is None  # made with the old glossary
    second = service.translate("a1")
    assert engine.calls[1:] == [["The White House spoke."]]
    assert second.paragraphs == ["FR(The Maison Blanche spoke.)", "FR(NASA launched a rocket.)",
                                 "FR(Rain is expected.)"]
    assert second.segments == {"total": 4, "from_memory": 3, "translated": 1, "unchanged": 0, "failed": 0}
    assert second.glossary == {"applied": [{"source": "White House", "target": "Maison Blanche", "paragraph": 0,
                                            "part": "body"},
                                           {"source": "NASA", "target": "NASA", "paragraph": 1, "part": "body"}],
                               "missed": [], "unlisted": []}
    assert second.glossary_version == after.version != before.version


# -- batches ----------------------------------------------------------------------------------------

def test_translate_versions_pools_batches_and_skips_translated(service_for):
    engine = EchoEngine()
    service = service_for(engine)
    for i in range(5):
        service.put(f"a{i}", title=f"Title {i}", body=f"Body of article {i}.")
    service.translate("a0")
    service.translate("a3")
    engine.calls.clear()
    versions = [service.get(f"a{i}") for i in (4, 3, 2, 1, 0, 2)]
    results = service.translate_versions(versions, batch_articles=2)
    assert engine.calls == [["Title 4", "Body of article 4.", "Title 2", "Body of article 2."],
                            ["Title 1", "Body of article 1."]]
    assert [(r.id, r.body) for r in results] == [(f"a{i}", french(f"Body of article {i}.")) for i in (4, 3, 2, 1, 0, 2)]
    assert all(service.cached_translation(f"a{i}") is not None for i in range(5))
    assert service.translate_versions(versions) == results
    assert len(engine.calls) == 2


def test_translation_of_a_pruned_version_is_not_stored(service_for, store):
    engine = EchoEngine()
    service = service_for(engine)
    service.put("a1", title=TITLE, body="v1")
    old = service.get("a1")
    for n in range(2, 5):  # the store keeps 3 versions: v1 goes
        service.put("a1", title=TITLE, body=f"v{n}")
    assert service.translate_versions([old])[0].body == french("v1")
    assert store.get_translation("a1", 1, "fr") is None
    with pytest.raises(ArticleNotFound):
        service.cached_translation("a1", 1)
