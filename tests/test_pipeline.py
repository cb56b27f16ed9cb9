"""The pipeline with deterministic fake engines: exact French text, counts, and failure rules."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.fakes import EchoEngine, FunctionEngine
from translator.pipeline.memory import InMemoryTranslationMemory
from translator.pipeline.translator import Translator, looks_degenerate


def test_paragraphs_and_sentences_are_translated_in_place(echo_engine):
    text = "First sentence. Second sentence.\n\n12,500\n\nThird paragraph."
    result = Translator(echo_engine).translate_text(text)
    assert result.text == "FR(First sentence. Second sentence.)\n\n12,500\n\nFR(Third paragraph.)"
    assert result.paragraphs == ["FR(First sentence. Second sentence.)", "12,500", "FR(Third paragraph.)"]
    assert result.counts == {"total": 3, "from_memory": 0, "translated": 2, "unchanged": 1, "failed": 0}


def test_thirty_paragraph_article_keeps_thirty_paragraphs(echo_engine):
    body = "\n\n".join(f"Paragraph {i} is here." for i in range(30))
    result = Translator(echo_engine).translate_article("A title", body)
    assert len(result.body.paragraphs) == 30
    assert result.body.paragraphs[7] == "FR(Paragraph 7 is here.)"
    assert result.title.text == "FR(A title)"
    assert result.counts["total"] == 31


def test_five_thousand_words_without_punctuation_reach_the_engine_exactly_once(echo_engine):
    paragraph = " ".join(f"word{i}" for i in range(5000))
    translator = Translator(echo_engine, segment_tokens=200)
    result = translator.translate_text(paragraph)
    sent = echo_engine.seen
    assert all(echo_engine.count_tokens(t) <= 200 for t in sent)
    assert [w for t in sent for w in t.split()] == paragraph.split()
    assert result.text == " ".join(f"FR({t})" for t in sent)
    assert len(result.paragraphs) == 1


def test_all_segments_of_many_texts_go_in_one_engine_call(echo_engine):
    Translator(echo_engine).translate_texts(["One. Two.", "Three.\n\nFour.", "One. Two."])
    assert echo_engine.calls == [["One. Two.", "Three.", "Four."]]


def test_nothing_to_translate_means_no_engine_call(echo_engine):
    result = Translator(echo_engine).translate_text("2024\n\nhttps://example.com/x\n\n***")
    assert result.text == "2024\n\nhttps://example.com/x\n\n***"
    assert echo_engine.calls == []


def test_empty_text(echo_engine):
    result = Translator(echo_engine).translate_text("")
    assert (result.text, result.paragraphs, result.segments) == ("", [], [])


def test_degenerate_output_is_retried_with_fallback():
    engine = FunctionEngine(lambda t: "", fallback_function=lambda t: f"greedy({t})")
    result = Translator(engine).translate_text("Hello there.")
    assert result.text == "greedy(Hello there.)"
    assert engine.fallback_calls == [["Hello there."]]
    assert result.segments[0].status == "translated"


def test_segment_that_fails_twice_keeps_the_english_and_is_flagged():
    engine = FunctionEngine(lambda t: "la la la la la la la la" if "bad" in t else f"FR({t})")
    result = Translator(engine).translate_text("A bad one.\n\nA good one.")
    assert result.paragraphs == ["A bad one.", "FR(A good one.)"]
    assert [s.status for s in result.segments] == ["failed", "translated"]
    assert result.counts["failed"] == 1


def test_memory_serves_repeated_segments_without_the_engine(echo_engine):
    memory = InMemoryTranslationMemory()
    translator = Translator(echo_engine, memory=memory)
    translator.translate_text("One.\n\nTwo.")
    second = translator.translate_text("One.\n\nTwo.\n\nThree.")
    assert echo_engine.calls == [["One.", "Two."], ["Three."]]
    assert second.counts == {"total": 3, "from_memory": 2, "translated": 1, "unchanged": 0, "failed": 0}
    assert second.text == "FR(One.)\n\nFR(Two.)\n\nFR(Three.)"


def test_memory_never_mixes_engine_identities():
    memory = InMemoryTranslationMemory()
    Translator(EchoEngine("model-a"), memory=memory).translate_text("Same text.")
    other = EchoEngine("model-b")
    Translator(other, memory=memory).translate_text("Same text.")
    assert other.calls == [["Same text."]]


def test_failed_segments_are_not_remembered():
    memory = InMemoryTranslationMemory()
    Translator(FunctionEngine(lambda t: ""), memory=memory).translate_text("Text.")
    assert len(memory) == 0


def test_looks_degenerate():
    assert looks_degenerate("x", "")
    assert looks_degenerate("Hello.", "bonjour bonjour bonjour bonjour bonjour bonjour")
    assert not looks_degenerate("Hello.", "Bonjour.")
    assert not looks_degenerate("ha ha ha ha ha ha", "ha ha ha ha ha ha")


# -- reading order: title and first paragraphs first ------------------------------------------------

_words = st.text(alphabet="abcde ", min_size=1, max_size=30).map(lambda t: " ".join(t.split()) or "a")
_paragraphs = st.lists(_words, min_size=0, max_size=12)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(_words, _paragraphs), min_size=1, max_size=4))
def test_staged_partials_are_prefixes_in_order_and_the_final_equals_one_pass(articles):
    sources = [(title, "\n\n".join(paragraphs)) for title, paragraphs in articles]
    staged_engine, plain_engine = EchoEngine(), EchoEngine()
    seen: dict[int, list] = {i: [] for i in range(len(sources))}
    staged = Translator(staged_engine).translate_articles_in_stages(
        sources, lambda index, partial: seen[index].append(partial))
    plain = Translator(plain_engine).translate_articles(sources)
    assert staged == plain
    assert sorted(staged_engine.seen) == sorted(plain_engine.seen)  # nothing translated twice
    for index, result in enumerate(staged):
        partials = seen[index]
        assert partials, "every article reports at least its first stage"
        dones = [p.done for p in partials]
        assert dones == sorted(set(dones))  # strictly growing: no paragraph shown twice
        assert partials[-1].done == partials[-1].total == len(result.body.paragraphs)
        for partial in partials:
            assert partial.title == result.title.text
            assert partial.paragraphs == result.body.paragraphs[:partial.done]  # a prefix, in reading order


def test_stages_follow_reading_order_title_and_first_paragraph_first(echo_engine):
    body = "\n\n".join(f"P{i}." for i in range(7))
    reported = []
    Translator(echo_engine).translate_articles_in_stages([("Title.", body)],
                                                         lambda i, p: reported.append(p.to_dict()))
    assert echo_engine.calls == [["Title.", "P0."], ["P1."], ["P2.", "P3.", "P4.", "P5.", "P6."]]
    assert [(r["done"], r["total"]) for r in reported] == [(1, 7), (2, 7), (7, 7)]
    assert reported[1] == {"title": "FR(Title.)", "paragraphs": ["FR(P0.)", "FR(P1.)"], "done": 2, "total": 7}
