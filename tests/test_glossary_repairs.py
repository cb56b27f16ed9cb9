"""Glossary repairs on real machine-translation mistakes: a repair never damages the French around a name.

The cases are the ones a rule-based engine (Apertium) produced on news copy:
a fuzzy window that stretches over a neighbouring word, a window cut short,
a window that looks like the English name, a function word taken for part of
a name, adjectives turned into nouns, initials doubled, and a standalone name
made "uncertain" by its twin inside a longer name. Each output is what an
engine wrote; the result is either the exact repair or the text untouched
with the name reported missed.
"""

from __future__ import annotations

import re

from hypothesis import given, settings, strategies as st

from tests.fakes import FunctionEngine
from translator import Glossary, Translator


def run(glossary: Glossary, source: str, output: str):
    """Translate ``source`` with an engine that answers ``output``; (French, applied, missed)."""
    result = Translator(FunctionEngine(lambda _: output), glossary=glossary).translate_text(source)
    segment = result.segments[0]
    return result.text, segment.applied, segment.missed


def sources(items: list[dict]) -> list[str]:
    return [i["source"] for i in items]


# -- 1. repairs that damage correct French -------------------------------------------------------

def test_a_window_never_swallows_the_verb_between_the_first_name_and_the_surname():
    # Apertium turns "said Paul Bérenger" into "Paul dit Bérenger": "dit" is French, not the name.
    glossary = Glossary.from_pairs([("Paul Bérenger", "Paul Bérenger")])
    output = "« Nous sommes d'accord », Paul dit Bérenger."
    text, applied, missed = run(glossary, '"We agree," said Paul Bérenger.', output)
    assert text == output
    assert (applied, [(m["source"], m["reason"]) for m in missed]) == ([], [("Paul Bérenger", "no safe repair")])


def test_an_article_after_a_garbled_name_is_never_swallowed():
    # "Anerood Le" looked enough like "Anerood Jugnauth" to be replaced: "Le ministre" lost its article.
    glossary = Glossary.from_pairs([("Anerood Jugnauth", "Anerood Jugnauth")])
    output = "Hier Juugnauth Anerood Le ministre a parlé."
    text, applied, missed = run(glossary, "Yesterday Anerood Jugnauth, the minister, spoke.", output)
    assert text == output
    assert sources(missed) == ["Anerood Jugnauth"]


def test_an_auxiliary_after_a_garbled_surname_stays_when_the_surname_is_repaired():
    glossary = Glossary.from_pairs([("Anerood Jugnauth", "Anerood Jugnauth")])
    text, applied, missed = run(glossary, "Anerood Jugnauth declared war.", "Anerood Jugnot a déclaré la guerre.")
    assert text == "Anerood Jugnauth a déclaré la guerre."
    assert [(a["source"], a["repair"]) for a in applied] == [("Anerood Jugnauth", "fuzzy")]


def test_a_sentence_start_word_is_not_taken_for_a_translated_first_name():
    glossary = Glossary.from_pairs([("Navin Ramgoolam", "Navin Ramgoolam")])
    output = "Selon Ramgoolam, la réforme attendra."
    text, applied, missed = run(glossary, "According to Navin Ramgoolam, the reform will wait.", output)
    assert text == output
    assert sources(missed) == ["Navin Ramgoolam"]


def test_a_window_is_scored_against_the_french_form_not_the_english_name():
    # "Mauritiens" looks like "Mauritius" (0.84), not like "Maurice": it is the demonym, not the name.
    glossary = Glossary.from_pairs([("Mauritius", "Maurice")])
    output = "Les touristes aiment les Mauritiens."
    text, applied, missed = run(glossary, "Tourists love Mauritius.", output)
    assert text == output
    assert sources(missed) == ["Mauritius"]


def test_a_window_cut_short_never_puts_back_a_word_the_engine_moved():
    # Apertium moved "Kim" away from "Jong-un": repairing "Jong-un" alone would say "Kim" twice.
    glossary = Glossary.from_pairs([("Kim Jong Un", "Kim Jong-un")])
    output = "L'agence KCNA Kim dite Jong-un a regardé l'essai."
    text, applied, missed = run(glossary, "The agency KCNA said Kim Jong Un watched the test.", output)
    assert text == output
    assert sources(missed) == ["Kim Jong Un"]


def test_a_window_cut_short_never_leaves_part_of_the_garbled_name_beside_it():
    glossary = Glossary.from_pairs([("Port Louis", "Port-Louis")])
    output = "Selon les Pot-Lois Pot-Lois il."
    text, applied, missed = run(glossary, "According to Port Louis.", output)
    assert text == output
    assert sources(missed) == ["Port Louis"]


def test_des_is_not_a_word_derived_from_de():
    # "Banc des Maurice": "des" is the garbled "de" of the name, and the repair is right.
    glossary = Glossary.from_pairs([("Bank of Mauritius", "Banque de Maurice")])
    text, applied, missed = run(glossary, "The Bank of Mauritius kept its rate.",
                                "La Banque des Maurice a maintenu son taux.")
    assert text == "La Banque de Maurice a maintenu son taux."
    assert [(a["source"], a.get("repair")) for a in applied] == [("Bank of Mauritius", "fuzzy")]


def test_the_right_repairs_still_happen():
    glossary = Glossary.from_pairs([("Rose Hill", "Rose-Hill"), ("Grand Baie", "Grand-Baie"),
                                    ("Chagos Archipelago", "archipel des Chagos")])
    text, applied, missed = run(glossary, "Rose Hill, Grand Baie and the Chagos Archipelago.",
                                "Rose-Colline, Magnifique-Baie et l'archipel donnes Chagos.")
    assert text == "Rose-Hill, Grand-Baie et l'archipel des Chagos."
    assert missed == []


# Whatever the engine does to a name, the words around it come out exactly as the engine wrote them.
FUNCTION_WORDS = ["et", "a", "le", "la", "les", "de", "des", "du", "Le", "La", "dit", "en", "il", "ministre",
                  "selon", "hier"]
NAMES = [("Navin Ramgoolam", "Navin Ramgoolam"), ("Anerood Jugnauth", "Anerood Jugnauth"),
         ("Port Louis", "Port-Louis"), ("Bank of Mauritius", "Banque de Maurice"),
         ("Paul Bérenger", "Paul Bérenger"), ("Sergei Shoigu", "Sergueï Choïgou"), ("Seewoosagur Ramgoolam",
                                                                                    "Seewoosagur Ramgoolam")]
NAME_GLOSSARY = Glossary.from_pairs(NAMES)


def _garble(form: str, operations: list[tuple[str, int]]) -> str:
    text = form
    for operation, index in operations:
        i = index % len(text)
        if operation == "drop" and len(text) > 3:
            text = text[:i] + text[i + 1:]
        elif operation == "double":
            text = text[:i] + text[i] + text[i:]
        elif operation == "swap-words" and " " in text:
            a, b = text.split(" ", 1)
            text = f"{b} {a}"
        elif operation == "repeat-last" and " " in form:
            text = f"{text} {text.split()[-1]}"
    return text


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(NAMES), st.lists(st.sampled_from(FUNCTION_WORDS), max_size=3),
       st.lists(st.sampled_from(FUNCTION_WORDS), max_size=3),
       st.lists(st.tuples(st.sampled_from(["drop", "double", "swap-words", "repeat-last"]), st.integers(0, 40)),
                min_size=1, max_size=3))
def test_a_repair_changes_only_the_garbled_name(name, left, right, operations):
    english, form = name
    garbled = _garble(form, operations)
    output = " ".join(["Selon", *left, garbled, *right]) + "."
    text, applied, missed = run(NAME_GLOSSARY, f"According to {english}.", output)
    repaired = " ".join(["Selon", *left, form, *right]) + "."
    assert " ".join(text.split()) in (" ".join(output.split()), repaired), (output, text)
    found = re.search(r"(?<!\w)" + r"\s+".join(map(re.escape, form.split())) + r"(?!\w)", output) is not None
    assert (sources(applied) if " ".join(text.split()) == repaired or found else sources(missed)) == [english], \
        (output, text)


# -- 2. adjectives are not turned into nouns -----------------------------------------------------

def test_an_adjective_use_keeps_the_english_for_the_engine_and_takes_a_listed_adjective_form():
    glossary = Glossary.from_pairs([("Mediterranean", "Méditerranée",
                                     "adj=méditerranéen|méditerranéenne|méditerranéens|méditerranéennes")])
    engine = FunctionEngine(lambda text: {"The Mediterranean diet is popular.": "Le régime méditerranéen est populaire.",
                                          "Mediterranean countries sent fewer tourists.":
                                              "Les pays méditerranéens ont envoyé moins de touristes."}[text])
    result = Translator(engine, glossary=glossary).translate_texts(
        ["The Mediterranean diet is popular.", "Mediterranean countries sent fewer tourists."])
    assert [r.text for r in result] == ["Le régime méditerranéen est populaire.",
                                        "Les pays méditerranéens ont envoyé moins de touristes."]
    applied = [r.segments[0].applied for r in result]
    assert [[(a["source"], result[k].text[a["target_start"]:a["target_end"]]) for a in items]
            for k, items in enumerate(applied)] == [[("Mediterranean", "méditerranéen")],
                                                    [("Mediterranean", "méditerranéens")]]


def test_an_adjective_use_without_adjective_forms_is_reported_not_repaired():
    glossary = Glossary.from_pairs([("Arctic", "Arctique")])
    text, applied, missed = run(glossary, "Arctic ice melted faster.", "La glace arctique a fondu plus vite.")
    assert text == "La glace arctique a fondu plus vite."
    assert [(m["source"], m["reason"]) for m in missed] == [("Arctic", "adjective use")]


def test_a_noun_use_of_the_same_name_is_still_enforced():
    glossary = Glossary.from_pairs([("Arctic", "Arctique")])
    engine = FunctionEngine(lambda text: "La glace fond dans l'Arctique." if "Arctique" in text else "?")
    result = Translator(engine, glossary=glossary).translate_text("Ice is melting in the Arctic.")
    assert engine.seen == ["Ice is melting in the Arctique."]
    assert sources(result.segments[0].applied) == ["Arctic"]


# -- 3. initials are not doubled -----------------------------------------------------------------

def test_a_french_form_ending_in_the_initials_the_english_gives_in_parentheses_is_not_doubled():
    glossary = Glossary.from_pairs([("Korean Central News Agency", "agence officielle nord-coréenne KCNA"),
                                    ("KCNA", "KCNA"), ("Central Intelligence Agency", "CIA"), ("CIA", "CIA")])
    engine = FunctionEngine(lambda text: text.replace("said", "a dit").replace("and", "et"))
    result = Translator(engine, glossary=glossary).translate_text(
        "The Korean Central News Agency (KCNA) and the Central Intelligence Agency (CIA) said.")
    # The parenthesis repeats what the French form already ends with: the engine is given the form alone.
    assert result.text == "The agence officielle nord-coréenne KCNA et the CIA a dit."
    assert result.segments[0].missed == []
    applied = result.segments[0].applied
    assert [(a["source"], a["start"], result.text[a["target_start"]:a["target_end"]]) for a in applied] == [
        ("Korean Central News Agency", 4, "agence officielle nord-coréenne KCNA"), ("KCNA", 32, "KCNA"),
        ("Central Intelligence Agency", 46, "CIA"), ("CIA", 75, "CIA")]


# -- 4. a name inside a longer listed name never makes the standalone one uncertain --------------

def test_a_name_inside_garbled_longer_names_does_not_make_the_standalone_occurrence_uncertain():
    glossary = Glossary.from_pairs([("Mauritius", "Maurice"),
                                    ("Mauritius Revenue Authority", "Mauritius Revenue Authority"),
                                    ("Mauritius Ports Authority", "Mauritius Ports Authority")])
    output = ("La Puissance de Revenus du les Maurice et l'action de Puissance de Ports des Maurice je date en "
              "des importations de Maurice.")
    text, applied, missed = run(glossary, "The Mauritius Revenue Authority and the Mauritius Ports Authority "
                                          "share data on imports from Mauritius.", output)
    assert text == output
    assert sources(applied) == ["Mauritius"]
    assert applied[0]["target_start"] == output.rindex("Maurice")
    assert sorted(sources(missed)) == ["Mauritius Ports Authority", "Mauritius Revenue Authority"]


def test_adjective_forms_are_an_entry_flag_checked_like_the_others():
    from translator.glossary.entries import entry_problems

    entry = Glossary.from_pairs([("Arctic", "Arctique", "adj=arctique|arctiques")]).get("Arctic")
    assert entry.adjectives == ("arctique", "arctiques")
    assert entry_problems("Arctic", "Arctique", frozenset({"adj=arctique|arctiques", "ci"})) == []
    assert entry_problems("Arctic", "Arctique", frozenset({"adj=|"})) == [
        "adjective forms must be single words separated by '|': 'adj=|'"]
    assert entry_problems("Arctic", "Arctique", frozenset({"adjective"})) == ["unknown flag(s) adjective (known: ci)"]
