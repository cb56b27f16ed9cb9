"""What is cached is what was served (issue 24): a segment from the translation memory gives exactly the
French and the glossary report the fresh translation gave, on text and HTML, on fake engines whose repairs
depend on alignment, and on both backends with the tiny model through ``translator translate``."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.aligning_fakes import WordEngine
from tests.cli_helpers import run_in_process
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


def test_repaired_and_unrepaired_french_are_kept_apart_and_old_entries_still_read():
    memory = InMemoryTranslationMemory()
    translator = Translator(WordEngine(garble), glossary=GLOSSARY, memory=memory)
    repaired = translator.translate_texts(TEXTS[:1])[0]
    reported = translator.translate_texts(TEXTS[:1], repair=False)[0]
    assert repaired.text != reported.text and len(memory) == 2
    # An entry written by the older format (the engine's raw French) is read, the glossary applied again.
    prepared = GLOSSARY.prepare(TEXTS[1])
    key = memory_key("words", prepared.fingerprint, TEXTS[1])
    memory.put_segments({key: "LE KCNA A DIT"})
    [old] = translator.translate_texts(TEXTS[1:])
    assert old.segments[0].status == SegmentStatus.MEMORY
    assert MemoryEntry.decode("LE KCNA A DIT") is None


# -- the tiny model, both backends, through the CLI ---------------------------------------------------

NEWS = ("Vladimir Putin met officials of North Korea in Port Louis on Monday.\n\n"
        "The agency KCNA said the talks with Vladimir Putin went well.\n\n"
        "Reuters reported that Port Louis was calm.\n")


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["torch", "ctranslate2"])
def test_translate_three_times_then_after_a_purge_gives_the_same_answer(tiny_model_dir, tmp_path, backend):
    repo = Path(__file__).resolve().parent.parent
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRANSLATOR_")}
    env.update(TRANSLATOR_MODEL=str(tiny_model_dir), TRANSLATOR_BACKEND=backend,
               TRANSLATOR_DATA_DIR=str(tmp_path / "data"), TRANSLATOR_GLOSSARY=str(repo / "glossary" / "en-fr.tsv"),
               HF_HUB_OFFLINE="1")
    source = tmp_path / "news.txt"
    source.write_text(NEWS, encoding="utf-8")

    def answer() -> tuple:
        result = run_in_process(["translate", "--json", str(source)], env=env)
        assert result.returncode == 0, result.stderr
        [item] = json.loads(result.stdout)
        return item["text"], item["glossary"], item["status"], item["segments"]

    fresh, second, third = answer(), answer(), answer()
    purged = run_in_process(["cache", "purge", "--yes"], env=env)
    assert purged.returncode == 0, purged.stderr
    after_purge = answer()
    assert second[3]["from_memory"] == second[3]["total"] - second[3]["unchanged"] > 0
    assert second[:3] == third[:3] == fresh[:3] == after_purge[:3]


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
