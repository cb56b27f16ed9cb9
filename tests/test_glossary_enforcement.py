"""Glossary enforcement through the pipeline: every term present in the French or reported missed.

Fake engines copy, drop, garble, duplicate, reorder and translate terms; each
case must end with the term present or listed as missed, and the rest of the
text exactly as the engine wrote it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import example, given, settings, strategies as st

from tests.fakes import DetailedFunctionEngine, EchoEngine, FunctionEngine, words
from translator import Glossary, GlossaryError, Settings, Translator
from translator.glossary import load_glossary, request_glossary, validate_tsv
from translator.glossary.matching import TermMatcher
from translator.pipeline.memory import InMemoryTranslationMemory
from translator.service.runtime import build_translator

ROOT = Path(__file__).resolve().parent.parent
STARTER = ROOT / "glossary" / "en-fr.tsv"

GLOSSARY = Glossary.from_pairs([
    ("Vladimir Putin", "Vladimir Poutine"),
    ("Putin", "Poutine"),
    ("Kryvyi Rih", "Kryvyï Rih"),
    ("Reuters", "Reuters"),
    ("Roger Stone", "Roger Stone"),
    ("Stone", "Stone"),
    ("Beijing", "Pékin"),
    ("White House", "Maison Blanche"),
    ("Gaza Strip", "bande de Gaza"),
    ("Ivory Coast", "Côte d'Ivoire"),
])

SOURCE = "Vladimir Putin told Reuters that Putin's troops left Kryvyi Rih."
ENGINE_TEXT = "Vladimir Poutine told Reuters that Poutine's troops left Kryvyï Rih."
ALL_APPLIED = [
    {"source": "Vladimir Putin", "target": "Vladimir Poutine"},
    {"source": "Reuters", "target": "Reuters"},
    {"source": "Putin", "target": "Poutine"},
    {"source": "Kryvyi Rih", "target": "Kryvyï Rih"},
]


def brief(report: dict) -> dict:
    """The report without positions: ``{"applied": [{"source", "target"}], "missed": [...]}``."""
    return {kind: [{"source": i["source"], "target": i["target"]} for i in report[kind]]
            for kind in ("applied", "missed")}


def translate(function, text: str = SOURCE, glossary: Glossary = GLOSSARY):
    engine = FunctionEngine(function)
    result = Translator(engine, glossary=glossary).translate_text(text)
    return engine, result


def test_copying_engine_gets_the_french_forms_and_everything_is_applied():
    engine, result = translate(lambda t: f"FR({t})")
    assert engine.seen == [ENGINE_TEXT]
    assert result.text == f"FR({ENGINE_TEXT})"
    assert brief(result.glossary) == {"applied": ALL_APPLIED, "missed": []}


def test_dropped_term_is_reported_missed_and_the_rest_is_intact():
    _, result = translate(lambda t: f"FR({t.replace(' Reuters', '')})")
    assert result.text == "FR(Vladimir Poutine told that Poutine's troops left Kryvyï Rih.)"
    assert brief(result.glossary)["missed"] == [{"source": "Reuters", "target": "Reuters"}]
    assert brief(result.glossary)["applied"] == [a for a in ALL_APPLIED if a["source"] != "Reuters"]


def test_garbled_terms_are_repaired():
    _, result = translate(lambda t: f"FR({t.replace('Poutine', 'Poutin').replace('Kryvyï Rih', 'Kryvy Rih')})")
    assert result.text == f"FR({ENGINE_TEXT})"
    assert brief(result.glossary) == {"applied": ALL_APPLIED, "missed": []}


def test_duplicated_terms_are_collapsed():
    _, result = translate(
        lambda t: f"FR({t.replace('Poutine', 'Poutine Poutine').replace('Reuters', 'Reuters Reuters')})")
    assert result.text == f"FR({ENGINE_TEXT})"
    assert brief(result.glossary) == {"applied": ALL_APPLIED, "missed": []}


def test_reordered_words_of_a_term_are_put_back():
    _, result = translate(lambda t: " ".join(reversed(t.split())), text="Vladimir Putin met Reuters")
    assert result.text == "Reuters met Vladimir Poutine"
    assert result.glossary["missed"] == []
    assert [a["source"] for a in result.glossary["applied"]] == ["Vladimir Putin", "Reuters"]


def test_engine_that_undoes_the_french_form_is_repaired():
    _, result = translate(lambda t: t.replace("Pékin", "Beijing").replace("Maison Blanche", "White House"),
                          text="Beijing and the White House agreed.")
    assert result.text == "Pékin and the Maison Blanche agreed."
    assert result.glossary["missed"] == []


def test_partly_translated_keep_as_is_name_is_repaired_but_a_fully_translated_one_is_missed():
    _, result = translate(lambda t: t.replace("Stone", "Pierre"), text="Roger Stone met Stone.")
    assert result.text == "Roger Stone met Pierre."
    assert brief(result.glossary) == {"applied": [{"source": "Roger Stone", "target": "Roger Stone"}],
                                      "missed": [{"source": "Stone", "target": "Stone"}]}


def test_case_changes_tied_by_alignment_are_repaired_and_a_capital_at_the_start_of_a_sentence_is_kept():
    def engine(text):
        return [[(c.replace("Maison", "maison").replace("Blanche", "blanche").replace("bande", "Bande"), span)
                 for c, span in words(text)]]

    result = Translator(DetailedFunctionEngine(engine), glossary=GLOSSARY).translate_text(
        "Gaza Strip residents wrote to the White House.")
    assert result.text == "Bande de Gaza residents wrote to the Maison Blanche."
    assert result.glossary["missed"] == []


def test_lower_case_words_are_never_recased_without_an_alignment_tying_them_to_the_name():
    _, result = translate(lambda t: t.replace("Maison Blanche", "maison blanche"),
                          text="Residents wrote to the White House.")
    assert result.text == "Residents wrote to the maison blanche."
    assert brief(result.glossary)["missed"] == [{"source": "White House", "target": "Maison Blanche"}]


def test_curly_and_straight_apostrophes_are_the_same_and_the_target_spelling_wins():
    engine, result = translate(lambda t: t.replace("d'", "d\u2019"), text="Ivory Coast and Putin\u2019s envoy")
    assert engine.seen == ["Côte d'Ivoire and Poutine\u2019s envoy"]
    assert result.text == "Côte d'Ivoire and Poutine\u2019s envoy"
    assert len(result.glossary["applied"]) == 2


def test_a_similar_common_word_is_not_taken_for_a_garbled_name():
    _, result = translate(lambda t: t.replace("Poutine", "routine"), text="Putin spoke.")
    assert result.text == "routine spoke."
    assert brief(result.glossary)["missed"] == [{"source": "Putin", "target": "Poutine"}]


def test_disabling_the_glossary_per_request():
    engine = EchoEngine()
    result = Translator(engine, glossary=GLOSSARY).translate_text(SOURCE, glossary=None)
    assert engine.seen == [SOURCE]
    assert result.glossary == {"applied": [], "missed": [], "unlisted": []}


def test_adding_entries_per_request_leaves_the_translator_glossary_alone():
    engine = EchoEngine()
    translator = Translator(engine, glossary=GLOSSARY)
    extra = GLOSSARY.with_entries([("Navin Ramgoolam", "Navin Ramgoolam"), ("Putin", "PUTIN", "")])
    result = translator.translate_text("Putin called Navin Ramgoolam.", glossary=extra)
    assert result.text == "FR(PUTIN called Navin Ramgoolam.)"
    assert [a["target"] for a in result.glossary["applied"]] == ["PUTIN", "Navin Ramgoolam"]
    assert translator.glossary is GLOSSARY and GLOSSARY.get("Putin").target == "Poutine"


# -- the done criterion, on the starter glossary ----------------------------------------------

ARTICLE_TITLE = "Vladimir Putin visits the front"
ARTICLE_BODY = ("Putin's forces struck Kryvyi Rih overnight, Reuters reported.\n\n"
                "The strike on Kryvyi Rih came as Vladimir Putin met his generals.")


def _assert_every_term_reported(result, glossary: Glossary, sources: list[str]) -> None:
    """Each occurrence is applied or missed, and the French holds every applied target."""
    occurrences = [m.entry.source for s in sources for m in glossary.find(s)]
    reported = result.glossary["applied"] + result.glossary["missed"]
    assert sorted(r["source"] for r in reported) == sorted(occurrences)
    text = result.title.text + "\n\n" + result.body.text if hasattr(result, "title") else result.text
    for segment in result.segments:
        for item in segment.applied:
            assert item["target"] in segment.target
    for item in result.glossary["applied"]:
        assert item["target"] in text


def test_starter_glossary_article_with_a_copying_engine():
    glossary = load_glossary(STARTER)
    result = Translator(EchoEngine(), glossary=glossary).translate_article(ARTICLE_TITLE, ARTICLE_BODY)
    assert [a["source"] for a in result.glossary["applied"]] == [
        "Vladimir Putin", "Putin", "Kryvyi Rih", "Reuters", "Kryvyi Rih", "Vladimir Putin"]
    assert result.glossary["missed"] == []
    assert result.body.paragraphs[0] == "FR(Poutine's forces struck Kryvyï Rih overnight, Reuters reported.)"
    _assert_every_term_reported(result, glossary, [ARTICLE_TITLE, ARTICLE_BODY])


def test_starter_glossary_article_through_the_tiny_marian_engine(tiny_engine):
    glossary = load_glossary(STARTER)
    result = Translator(tiny_engine, glossary=glossary).translate_article(ARTICLE_TITLE, ARTICLE_BODY)
    assert len(result.glossary["applied"]) + len(result.glossary["missed"]) == 6
    _assert_every_term_reported(result, glossary, [ARTICLE_TITLE, ARTICLE_BODY])


# -- never a silent loss: random corruption of the output --------------------------------------

STARTER_GLOSSARY = Glossary.from_tsv(STARTER)
NAMES = [e.source for e in STARTER_GLOSSARY.entries]
FILLER = ["the", "minister", "said", "on", "Monday", "that", "talks", "in", "and", "with"]


def _corrupt(text: str, operations: list[tuple[str, int]]) -> str:
    words = text.split(" ")
    for operation, index in operations:
        if not words:
            break
        i = index % len(words)
        if operation == "drop":
            del words[i]
        elif operation == "duplicate":
            words.insert(i, words[i])
        elif operation == "garble":
            words[i] = words[i][:-1] or words[i]
        elif operation == "swap" and i + 1 < len(words):
            words[i], words[i + 1] = words[i + 1], words[i]
        elif operation == "lower":
            words[i] = words[i].lower()
    return " ".join(words)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(NAMES), st.sampled_from(FILLER)), min_size=1, max_size=12),
       st.lists(st.tuples(st.sampled_from(["drop", "duplicate", "garble", "swap", "lower"]), st.integers(0, 50)),
                max_size=4))
@example(["ASEAN"], [])  # all-caps text: the form the French must hold is "ASEAN", not the entry's "Asean"
def test_every_occurrence_is_applied_or_missed_whatever_the_engine_does(words, operations):
    source = " ".join(words) + "."
    prepared = STARTER_GLOSSARY.prepare(source)
    text, applied, missed = STARTER_GLOSSARY.finalize(prepared, _corrupt(prepared.engine_text, operations))
    assert sorted(i["source"] for i in applied + missed) == sorted(m.entry.source for m in prepared.matches)
    # Each applied occurrence's form (the target, upper-cased in all-caps text) is in the text as
    # often as it is reported applied.
    forms = {(o.start, o.end): o.form for o in prepared.occurrences}
    needed: dict[str, int] = {}
    for item in applied:
        form = forms[(item["start"], item["end"])]
        needed[form] = needed.get(form, 0) + 1
    matcher = TermMatcher(((t, False, t) for t in needed), flexible_initial=True)
    present: dict[str, int] = {}
    for target, _, _ in matcher.finditer(text):
        present[target] = present.get(target, 0) + 1
    for target, count in needed.items():
        assert present.get(target, 0) >= count, (target, text)


# -- versions and fingerprints ------------------------------------------------------------------

def test_starter_glossary_validates_clean_with_at_least_150_entries():
    assert validate_tsv(STARTER) == []
    assert len(Glossary.from_tsv(STARTER)) >= 150


def test_version_is_a_content_hash_independent_of_order():
    pairs = [("Putin", "Poutine"), ("Beijing", "Pékin", "ci")]
    assert Glossary.from_pairs(pairs).version == Glossary.from_pairs(pairs[::-1]).version
    edited = Glossary.from_pairs(pairs).with_edits({"Beijing": ("Beijing", "")})
    assert edited.version != Glossary.from_pairs(pairs).version
    restored = edited.with_edits({"Beijing": ("Pékin", "ci")})
    assert restored.version == Glossary.from_pairs(pairs).version
    assert Glossary.from_pairs(pairs).with_edits({"Putin": None}).version == Glossary.from_pairs(pairs[1:]).version


def test_editing_one_entry_changes_the_fingerprint_only_of_segments_containing_it():
    before = Glossary.from_pairs([("Putin", "Poutine"), ("Beijing", "Pékin")])
    after = before.with_edits({"Beijing": ("Beijing", "")})
    segments = ["Putin spoke.", "Beijing replied.", "Nobody else did."]
    old = [before.prepare(s).fingerprint for s in segments]
    new = [after.prepare(s).fingerprint for s in segments]
    assert old[0] == new[0] != ""
    assert old[1] != new[1] != ""
    assert old[2] == new[2] == ""


def test_an_edit_retranslates_only_the_segments_containing_the_entry():
    memory = InMemoryTranslationMemory()
    engine = EchoEngine()
    text = "Putin spoke.\n\nBeijing replied.\n\nNobody else did."
    before = Glossary.from_pairs([("Putin", "Poutine"), ("Beijing", "Pékin")])
    Translator(engine, glossary=before, memory=memory).translate_text(text)
    result = Translator(engine, glossary=before.with_edits({"Beijing": ("Beijing", "")}),
                        memory=memory).translate_text(text)
    assert engine.calls == [["Poutine spoke.", "Pékin replied.", "Nobody else did."], ["Beijing replied."]]
    assert result.text == "FR(Poutine spoke.)\n\nFR(Beijing replied.)\n\nFR(Nobody else did.)"
    assert result.counts["from_memory"] == 2


# -- loading errors ---------------------------------------------------------------------------

def test_malformed_file_is_an_error_with_file_and_line(tmp_path):
    path = tmp_path / "bad.tsv"
    path.write_text("# comment\nPutin\tPoutine\nBeijing\n", encoding="utf-8")
    with pytest.raises(GlossaryError) as error:
        Glossary.from_tsv(path)
    assert str(error.value) == (f"{path}:3: expected 2 or 3 tab-separated columns (source, target, flags), "
                                f"found 1")


def test_bad_glossary_fails_at_start_up_before_the_model_loads(tmp_path):
    path = tmp_path / "bad.tsv"
    path.write_text("Putin\tPoutine\nPutin\tPoutin\n", encoding="utf-8")
    settings = Settings(data_dir=tmp_path, glossary=path, model=str(tmp_path / "no-model"))
    with pytest.raises(GlossaryError, match=r"bad\.tsv:2: source 'Putin' already has target 'Poutine' at line 1"):
        build_translator(settings)


def test_missing_glossary_file_is_an_error(tmp_path):
    with pytest.raises(GlossaryError, match="glossary file not found"):
        load_glossary(tmp_path / "nope.tsv")
    assert load_glossary(None) is None


def test_build_translator_wires_the_configured_glossary(tmp_path):
    translator = build_translator(Settings(data_dir=tmp_path, glossary=STARTER), engine=EchoEngine())
    assert translator.glossary_version == Glossary.from_tsv(STARTER).version
    # No file and no live edits in the store: no glossary at all (version "", text untouched).
    off = build_translator(Settings(data_dir=tmp_path, glossary=None), engine=EchoEngine())
    assert off.glossary.current is None and off.glossary_version == ""
    assert off.translate_text("Vladimir Putin spoke.").text == "FR(Vladimir Putin spoke.)"


def test_glossary_off_in_the_environment():
    assert Settings.from_env({"TRANSLATOR_GLOSSARY": "off"}).glossary is None


@pytest.mark.parametrize("pairs, message", [
    ([("", "x")], "empty source term"),
    ([(" Putin", "Poutine")], "leading or trailing spaces"),
    ([("Put\u200bin", "Poutine")], "control character"),
    ([("Putin", "Poutine", "xx")], "unknown flag"),
    ([("Putin", "Poutine"), ("Putin", "Poutin")], "has two targets"),
    ([("putin", "Poutine", "ci"), ("Putin", "Poutin")], "has two targets"),
    ([("Putin",)], "expected"),
])
def test_bad_pairs_are_rejected(pairs, message):
    with pytest.raises(GlossaryError, match=message):
        Glossary.from_pairs(pairs)


def test_request_glossary():
    assert request_glossary(GLOSSARY) is GLOSSARY
    assert request_glossary(GLOSSARY, enabled=False, extra=[("A", "B")]) is None
    assert request_glossary(None) is None
    only_extra = request_glossary(None, extra=[("Stone", "Stone")])
    assert [e.source for e in only_extra] == ["Stone"]
    combined = request_glossary(GLOSSARY, extra=[("Beijing", "Beijing")])
    assert combined.get("Beijing").keep and len(combined) == len(GLOSSARY)
