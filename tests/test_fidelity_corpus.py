"""Fidelity on real machine-translation output: the Apertium corpus measure holds its thresholds.

The corpus (``tests/data/apertium/corpus.yaml``, 235 news texts with
hand-labelled truth) went through Apertium (English -> Spanish -> French);
the answers are recorded in ``fixture.json``, so this needs neither Apertium
nor its time. ``python -m benchmarks.fidelity`` prints the same measure as the
table in docs/glossary.md; ``--refresh`` records Apertium's answers again.
"""

from __future__ import annotations

import shutil

import pytest

from benchmarks.fidelity import CORPUS, FIXTURE, ROOT, THRESHOLDS, load_corpus, measure, table
from translator.testing.apertium import ApertiumEngine, FixtureEngine, MissingFixture, load_fixture


GUIDE = ROOT / "docs" / "glossary.md"   # the glossary section of the guide (the README links to it)


@pytest.fixture(scope="module")
def result():
    return measure()


def test_the_corpus_is_large_enough_and_fully_recorded(result):
    assert result.items == len(load_corpus()) >= 150
    translations = load_fixture(FIXTURE)["translations"]
    assert result.segments <= len(translations)


def test_repairs_never_damage_and_every_change_was_reviewed(result):
    assert result.repairs >= 20            # the repairs still happen: Port-Louis, Rose-Hill, Grand-Baie...
    assert result.unreviewed == 0, "\n\n".join(d for d in result.details if "unreviewed" in d)
    assert result.damaging == 0, "\n\n".join(d for d in result.details if "DAMAGE" in d)
    assert result.false_applied == 0


def test_typography_makes_no_wrong_change(result):
    assert result.typography_changed > 100
    assert result.typography_wrong == 0, "\n\n".join(d for d in result.details if "typography WRONG" in d)


def test_the_numbers_check_is_worth_trusting(result):
    for typography in (True, False):
        assert result.numbers_precision(typography) >= THRESHOLDS["numbers_precision"]
        assert result.numbers_recall(typography) >= THRESHOLDS["numbers_recall"]
    assert result.numbers[True][2] >= 20    # enough to find: months, units and changed figures


def test_unlisted_names_are_mostly_real_names(result):
    assert result.unlisted_precision >= THRESHOLDS["unlisted_precision"]
    assert result.unlisted[1] >= 30


def test_the_held_out_part_holds_the_same_thresholds():
    heldout = measure(heldout_only=True)
    assert heldout.items >= 30
    assert (heldout.damaging, heldout.false_applied, heldout.typography_wrong) == (0, 0, 0)
    assert heldout.numbers_precision() >= THRESHOLDS["numbers_precision"]
    assert heldout.numbers_recall() >= THRESHOLDS["numbers_recall"]
    assert heldout.unlisted_precision >= THRESHOLDS["unlisted_precision"]


def test_the_guide_shows_the_table_the_script_prints(result):
    lines = table(result, measure(heldout_only=True)).splitlines()
    assert lines[:2] == ["| Measure | Result |", "|---|---|"]
    assert lines[2].startswith(f"| Corpus | {result.items} texts")
    assert "\n".join(lines) in GUIDE.read_text(encoding="utf-8")


def test_the_fixture_engine_refuses_a_text_it_has_no_answer_for():
    engine = FixtureEngine({"Hello.": "Bonjour."})
    assert engine.translate(["Hello."]) == ["Bonjour."]
    with pytest.raises(MissingFixture, match="refresh the fixture"):
        engine.translate(["Goodbye."])


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("apertium") is None, reason="Apertium is not installed")
def test_the_recorded_answers_are_what_apertium_says():
    # A sample through the real chain, in one batch (blank-line separated) and one at a time.
    translations = load_fixture(FIXTURE)["translations"]
    sample = sorted(translations)[:: max(1, len(translations) // 12)]
    engine = ApertiumEngine()
    assert engine.translate(sample) == [translations[t] for t in sample]
    assert engine.translate(sample[:1] + ["Two lines\nof text."])[0] == translations[sample[0]]
    assert CORPUS.is_file()
