"""What is cached is what was served (issue 24): a segment from the translation memory gives exactly the
French and the glossary report the fresh translation gave, on text and HTML, on fake engines whose repairs
depend on alignment, and on both backends with the tiny model through ``translator translate``."""

from __future__ import annotations

import json
import os
import random
import zlib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.aligning_fakes import WordEngine
from tests.cli_helpers import run_in_process
from tests.fakes import DetailedEngine
from translator.engines.results import Hypothesis
from translator.glossary import Glossary
from translator.html import HtmlTranslator
from translator.pipeline import Translator
from translator.pipeline.memory import InMemoryTranslationMemory, MemoryEntry, memory_key
from translator.pipeline.status import SegmentStatus

GLOSSARY = Glossary.from_pairs([("Vladimir Putin", "Vladimir Poutine"), ("Port Louis", "Port-Louis"),
                                ("North Korea", "Corée du Nord"), ("KCNA", "KCNA")])
TEXTS = ["Vladimir Putin met the KCNA agency in Port Louis and North Korea said nothing.",
         "The North Korea official agency KCNA said Vladimir Putin would visit Port Louis soon."]


def garble(words):
    """The French forms come out garbled (the glossary must repair them where alignment says)."""
    return [(w[:-1].lower() + "x" if w in ("Poutine", "Port-Louis", "Nord", "KCNA") else w.upper(), i)
            for i, w in enumerate(words)]


def swap(words):
    """Every third word swapped with the next one."""
    out = [(w.upper(), i) for i, w in enumerate(words)]
    for k in range(0, len(out) - 1, 3):
        out[k], out[k + 1] = out[k + 1], out[k]
    return out


def drop(words):
    """A name's French form left out."""
    return [(w.upper(), i) for i, w in enumerate(words) if w != "Poutine"]


def _report(result) -> tuple:
    return result.text, result.glossary, result.status


@pytest.mark.parametrize("rewrite", [garble, swap, drop])
@pytest.mark.parametrize("repair", [True, False])
def test_a_memory_hit_gives_the_fresh_french_and_report(rewrite, repair):
    """Before: the memory kept the engine's output and the glossary repaired it again without the
    alignment, so 'Port-Louis' or a neighbouring word ('MET', 'WOULD') came out differently."""
    translator = Translator(WordEngine(rewrite), glossary=GLOSSARY, memory=InMemoryTranslationMemory())
    fresh = translator.translate_texts(TEXTS, repair=repair)
    again = translator.translate_texts(TEXTS, repair=repair)
    assert [s.status for r in again for s in r.segments] == [SegmentStatus.MEMORY] * 2
    assert [_report(r) for r in again] == [_report(r) for r in fresh]


@pytest.mark.parametrize("rewrite", [garble, swap, drop])
def test_an_html_memory_hit_gives_the_fresh_french_and_report(rewrite):
    html = [f"<p>{TEXTS[0]}</p><p>Nothing <b>else</b> happened.</p>", f"<blockquote>{TEXTS[1]}</blockquote>"]
    translator = Translator(WordEngine(rewrite), glossary=GLOSSARY, memory=InMemoryTranslationMemory())
    fresh = HtmlTranslator(translator).translate_texts(html)
    again = HtmlTranslator(translator).translate_texts(html)
    assert [_report(r) for r in again] == [_report(r) for r in fresh]


def test_repaired_and_unrepaired_french_are_kept_apart_and_old_entries_are_ignored():
    """Old entries (the engine's raw French, or the first JSON format without the score) used to be read
    with the glossary applied again, which is how a hit came to differ from the fresh answer: they are now
    a miss, translated again and overwritten."""
    memory = InMemoryTranslationMemory()
    translator = Translator(WordEngine(garble), glossary=GLOSSARY, memory=memory)
    repaired = translator.translate_texts(TEXTS[:1])[0]
    reported = translator.translate_texts(TEXTS[:1], repair=False)[0]
    assert repaired.text != reported.text and len(memory) == 2
    fresh = Translator(WordEngine(garble), glossary=GLOSSARY).translate_texts(TEXTS[1:])[0]
    key = memory_key("words", GLOSSARY.prepare(TEXTS[1]).fingerprint, TEXTS[1])
    for old in ("LE KCNA A DIT", '{"target":"LE KCNA A DIT","applied":[],"missed":[],"unlisted":[]}'):
        memory.put_segments({key: old})
        assert MemoryEntry.decode(old) is None
        [again] = translator.translate_texts(TEXTS[1:])
        assert again.segments[0].status == SegmentStatus.TRANSLATED
        assert _view(again) == _view(fresh)
        assert MemoryEntry.decode(memory.get_segments([key])[key]).target == fresh.segments[0].target


def test_old_html_entries_are_ignored():
    """An HTML entry without its segments (or their scores) is a miss, translated again and overwritten."""
    html = [f"<p>{TEXTS[0]}</p>"]
    memory = InMemoryTranslationMemory()
    translator = Translator(ScoredWordEngine(garble), glossary=GLOSSARY, memory=memory, review_score=-1.0)
    fresh = HtmlTranslator(translator).translate_texts(html)
    [key] = memory._entries
    entry = json.loads(memory._entries[key])
    olds = [{k: v for k, v in entry.items() if k != "segments"},
            {**entry, "segments": [{k: v for k, v in s.items() if k != "score"} for s in entry["segments"]]},
            "not json"]
    for old in olds:
        memory.put_segments({key: old if isinstance(old, str) else json.dumps(old)})
        again = HtmlTranslator(translator).translate_texts(html)
        assert [s.status for r in again for s in r.segments] == [SegmentStatus.TRANSLATED]
        assert [_view(r) for r in again] == [_view(r) for r in fresh]
        assert json.loads(memory._entries[key]) == entry


# -- fresh, from memory, after a purge: the whole answer, segment by segment (property) ------------------

class ScoredWordEngine(WordEngine):
    """:class:`WordEngine` whose score depends on the text (so some segments fall under a review
    threshold and others do not)."""

    def _one(self, text: str) -> Hypothesis:
        hypothesis = super()._one(text)
        return Hypothesis(hypothesis.text, -(zlib.crc32(text.encode()) % 300) / 100, hypothesis.alignment)


def nbest_engine(seed: int) -> DetailedEngine:
    """Up to three hypotheses per text, drawn from ``seed`` and the text: names garbled or dropped,
    words upper-cased or swapped, each with its own score, word-aligned (so the glossary's choice and its
    repairs depend on the n-best list, the scores and the alignment, which a memory hit does not have)."""
    def hypotheses(text: str) -> list[tuple[str, float]]:
        rng = random.Random(zlib.crc32(f"{seed}:{text}".encode()))
        out = []
        for _ in range(rng.randint(1, 3)):
            words = []
            for word in text.split():
                roll = rng.random()
                if word.strip(".,") in ("Putin", "Louis", "Korea", "KCNA") and roll < 0.5:
                    words.extend([] if roll < 0.15 else [word.lower()[:-1] + "x"])
                else:
                    words.append(word.upper() if roll < 0.8 else word)
            if len(words) > 3 and rng.random() < 0.3:
                words[1], words[2] = words[2], words[1]
            out.append((" ".join(words), -round(rng.uniform(0.05, 3.0), 3)))
        return sorted(out, key=lambda choice: -choice[1])

    return DetailedEngine(hypotheses, identity=f"nbest-{seed}")


SENTENCES = [*TEXTS, "Nothing happened in 2024.", "KCNA said Putin met officials in Port Louis on Monday.",
             "Reuters reported that the talks went well."]


def _view(result) -> tuple:
    """Everything a reader or an editor gets of a translation, but where each segment came from."""
    def status(s):
        return SegmentStatus.TRANSLATED if s.status == SegmentStatus.MEMORY else s.status

    return (result.text, result.paragraphs, result.glossary, result.status,
            [(s.source, s.target, status(s), s.applied, s.missed, s.unlisted, s.score, s.flags, s.paragraph,
              s.trailing, s.piece) for s in result.segments])


def _article(draw_sentences: list[list[str]], html: bool) -> str:
    paragraphs = [" ".join(p) for p in draw_sentences]
    if html:
        return "".join(f"<p>{p.replace('Putin', '<b>Putin</b>', 1)}</p>" for p in paragraphs)
    return "\n\n".join(paragraphs)


@settings(max_examples=150, deadline=None)
@given(paragraphs=st.lists(st.lists(st.sampled_from(SENTENCES), min_size=1, max_size=3), min_size=1, max_size=3),
       seed=st.integers(0, 10_000), html=st.booleans(), repair=st.booleans(),
       review_score=st.sampled_from([None, -1.0, -2.0]), typeset=st.booleans())
def test_fresh_then_from_memory_then_after_a_purge_are_identical(paragraphs, seed, html, repair, review_score,
                                                                 typeset):
    """Before: a memory hit had no score (so no ``low_score`` flag), and an HTML hit's segments carried the
    flags of the threshold in force when it was written."""
    from translator.text.typography import Typography

    translator = Translator(nbest_engine(seed), glossary=GLOSSARY, memory=InMemoryTranslationMemory(),
                            segment_tokens=20, review_score=review_score,
                            typography=Typography("narrow") if typeset else None)
    run = HtmlTranslator(translator).translate_texts if html else translator.translate_texts
    text = _article(paragraphs, html)
    fresh = run([text], repair=repair)
    again = run([text], repair=repair)
    translator.memory = InMemoryTranslationMemory()  # purged
    purged = run([text], repair=repair)
    assert any(s.status == SegmentStatus.MEMORY for r in again for s in r.segments)
    assert [_view(r) for r in again] == [_view(r) for r in fresh] == [_view(r) for r in purged]


@pytest.mark.parametrize("html", [False, True])
def test_a_hit_keeps_the_score_and_takes_the_review_threshold_in_force(html):
    memory = InMemoryTranslationMemory()
    text = f"<p>{TEXTS[0]}</p>" if html else TEXTS[0]

    def translate(review_score):
        translator = Translator(ScoredWordEngine(garble), glossary=GLOSSARY, memory=memory,
                                review_score=review_score)
        return (HtmlTranslator(translator) if html else translator).translate_texts([text])[0].segments[0]

    fresh, strict, lax = translate(-0.1), translate(-0.1), translate(-5.0)
    assert fresh.score is not None and strict.status == lax.status == SegmentStatus.MEMORY
    assert strict.score == lax.score == fresh.score
    assert "low_score" in fresh.flags and "low_score" in strict.flags and "low_score" not in lax.flags


# -- the tiny model, both backends ------------------------------------------------------------------

NEWS = ("Vladimir Putin met officials of North Korea in Port Louis on Monday.\n\n"
        "The agency KCNA said the talks with Vladimir Putin went well.\n\n"
        "Reuters reported that Port Louis was calm.\n")
NEWS_HTML = ("<h2>Vladimir Putin met officials of North Korea in Port Louis on Monday.</h2>"
             "<p>The agency <a href='https://kcna.example'>KCNA</a> said the talks with <b>Vladimir Putin</b> "
             "went well. The president met leaders from Africa on Monday.</p>"
             "<p>Reuters reported that Port Louis was calm: <code>ERR_42</code> in 2024.</p>")
#: Names the tiny model garbles (``monday``, ``africa``): the glossary has something to repair.
TINY_TERMS = [("Monday", "Lundi"), ("Africa", "Afrique"), ("Europe", "Europe")]


@pytest.fixture(params=["torch", "ctranslate2"])
def tiny_backend(request, tiny_model_dir, tmp_path_factory):
    """Each backend on the tiny model (the CTranslate2 conversion is cached in the session's copy)."""
    from translator.config import Settings

    if request.param == "torch":
        return request.getfixturevalue("tiny_engine")
    from translator.engines.ctranslate2 import CTranslate2Engine

    return CTranslate2Engine.load(str(tiny_model_dir), Settings(data_dir=tmp_path_factory.mktemp("ct2"),
                                                                threads=1, glossary=None))


@pytest.mark.slow
@pytest.mark.parametrize("html", [False, True])
def test_the_tiny_model_gives_the_same_segments_fresh_from_the_store_and_after_a_purge(tiny_backend, sqlite_store,
                                                                                       html):
    """Before: every remembered segment lost its score and so its ``low_score`` flag (the tiny model
    scores under the default threshold, -1.0), on both backends."""
    from translator.text.typography import Typography

    repo = Path(__file__).resolve().parent.parent
    glossary = Glossary.from_tsv(repo / "glossary" / "en-fr.tsv").with_entries(TINY_TERMS)
    translator = Translator(tiny_backend, glossary=glossary, memory=sqlite_store, typography=Typography("on"),
                            review_score=-1.0, segment_tokens=40)
    run = HtmlTranslator(translator).translate_texts if html else translator.translate_texts
    source = NEWS_HTML if html else NEWS
    fresh, second, third = run([source]), run([source]), run([source])
    sqlite_store.purge()
    purged = run([source])
    assert {s.status for r in second for s in r.segments} - {SegmentStatus.UNCHANGED} == {SegmentStatus.MEMORY}
    assert any("low_score" in s.flags for r in fresh for s in r.segments)
    assert [_view(r) for r in second] == [_view(r) for r in third] == [_view(r) for r in fresh] == \
        [_view(r) for r in purged]


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["torch", "ctranslate2"])
@pytest.mark.parametrize("name", ["news.txt", "news.html"])
def test_translate_three_times_then_after_a_purge_gives_the_same_answer(tiny_model_dir, tmp_path, backend, name):
    repo = Path(__file__).resolve().parent.parent
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRANSLATOR_")}
    env.update(TRANSLATOR_MODEL=str(tiny_model_dir), TRANSLATOR_BACKEND=backend,
               TRANSLATOR_DATA_DIR=str(tmp_path / "data"), TRANSLATOR_GLOSSARY=str(repo / "glossary" / "en-fr.tsv"),
               HF_HUB_OFFLINE="1")
    source = tmp_path / name
    source.write_text(NEWS_HTML if name.endswith(".html") else NEWS, encoding="utf-8")
    terms = [option for english, french in TINY_TERMS for option in ("--term", f"{english}={french}")]

    def answer() -> tuple:
        result = run_in_process(["translate", "--json", *terms, str(source)], env=env)
        assert result.returncode == 0, result.stderr
        [item] = json.loads(result.stdout)
        return item["text"], item["paragraphs"], item["glossary"], item["status"], item["segments"]

    fresh, second, third = answer(), answer(), answer()
    purged = run_in_process(["cache", "purge", "--yes"], env=env)
    assert purged.returncode == 0, purged.stderr
    after_purge = answer()
    assert second[4]["from_memory"] == second[4]["total"] - second[4]["unchanged"] > 0
    assert second[:4] == third[:4] == fresh[:4] == after_purge[:4]


def test_an_html_memory_hit_keeps_the_blocks_segments_and_typography_has_its_own_entries():
    from translator.text.typography import Typography

    memory = InMemoryTranslationMemory()
    html = [f"<p>{TEXTS[0]} {TEXTS[1]}</p>"]
    translator = Translator(WordEngine(garble), glossary=GLOSSARY, memory=memory, segment_tokens=20)
    fresh = HtmlTranslator(translator).translate_texts(html)[0]
    again = HtmlTranslator(translator).translate_texts(html)[0]
    assert len(fresh.segments) == 2  # two sentences, two units for editors, fresh and from memory alike
    assert [(s.source, s.target, s.applied, s.missed) for s in again.segments] == \
        [(s.source, s.target, s.applied, s.missed) for s in fresh.segments]
    assert {s.status for s in again.segments} == {SegmentStatus.MEMORY}
    typeset = Translator(WordEngine(garble), glossary=GLOSSARY, memory=memory, segment_tokens=20,
                         typography=Typography("narrow"))
    HtmlTranslator(typeset).translate_texts(html)
    assert len(memory) == 2  # not the entry typeset without typography
