"""French typography: table tests on news sentences, and the invariants as properties."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from translator.text.typography import NARROW_NBSP as N
from translator.text.typography import NBSP as S
from translator.text.typography import Typography, french_typography


@pytest.mark.parametrize(("text", "expected"), [
    # high punctuation
    ("Le ministre a déclaré: nous voterons.", f"Le ministre a déclaré{S}: nous voterons."),
    ("Pourquoi maintenant? Personne ne sait!", f"Pourquoi maintenant{S}? Personne ne sait{S}!"),
    ("Il pleut ; il vente.", f"Il pleut{S}; il vente."),
    ("Vraiment?!", f"Vraiment{S}?!"),
    # quotes
    ('Il a dit "nous voterons" hier.', f"Il a dit «{S}nous voterons{S}» hier."),
    ("Il a dit “nous voterons” hier.", f"Il a dit «{S}nous voterons{S}» hier."),
    ("Il a dit « nous voterons » hier.", f"Il a dit «{S}nous voterons{S}» hier."),
    ('Un " seul guillemet', 'Un " seul guillemet'),
    # apostrophes
    ("L'Assemblée s'est réunie aujourd'hui.", "L’Assemblée s’est réunie aujourd’hui."),
    # numbers
    ("La croissance atteint 3.5% en 2024.", f"La croissance atteint 3,5{S}% en 2024."),
    ("Il y a 1,000 manifestants et 2,500,000 euros.", f"Il y a 1{S}000 manifestants et 2{S}500{S}000 euros."),
    ("Soit 1,234.56 dollars.", f"Soit 1{S}234,56 dollars."),
    ("Soit 12 500 euros.", f"Soit 12{S}500 euros."),
    ("Un prix de 5$.", f"Un prix de 5{S}$."),
    # never touched
    ("Voir https://example.com/a?b=1: c'est là.", f"Voir https://example.com/a?b=1{S}: c’est là."),
    ("Écrire à presse@example.mu ou lire lemonde.fr/politique?x=1", "Écrire à presse@example.mu ou lire lemonde.fr/politique?x=1"),
    ("Le code `a = b ? 1.5 : 2` marche", "Le code `a = b ? 1.5 : 2` marche"),
    ('Le <span class="notranslate">score: 3.5 "x"</span> reste!', f'Le <span class="notranslate">score: 3.5 "x"</span> reste{S}!'),
    ("Le COVID-19, l'A320 et le vol MH370.", "Le COVID-19, l’A320 et le vol MH370."),
    ("L'adresse 192.168.0.1 et la version 3.12.1", "L’adresse 192.168.0.1 et la version 3.12.1"),
    ("Il est 12:30.", "Il est 12:30."),
    ("Un montant de 3.125 euros", "Un montant de 3.125 euros"),  # 3.125 or 3 125? left alone
])
def test_news_sentences(text, expected):
    assert french_typography(text) == expected


def test_narrow_mode_uses_u202f_before_semicolon_marks_and_between_thousands():
    text = 'Il a dit: "oui"; 1,000 fois? 3.5%!'
    assert french_typography(text, mode="narrow") == f"Il a dit{S}: «{S}oui{S}»{N}; 1{N}000 fois{N}? 3,5{S}%{N}!"


def test_off_changes_nothing():
    assert french_typography('Il a dit: "oui"', mode="off") == 'Il a dit: "oui"'
    with pytest.raises(ValueError):
        Typography("sometimes")


def test_protected_keep_forms_stay_as_they_are():
    # A glossary keep-as-is form: its own punctuation and digits are never retouched.
    assert french_typography("Yahoo! a publié 3.5 fois", protected=["Yahoo!"]) == "Yahoo! a publié 3,5 fois"
    assert french_typography("Yahoo! a publié", protected=[]) == f"Yahoo{S}! a publié"


# -- properties ------------------------------------------------------------------------------------

_WORDS = st.sampled_from(["le", "ministre", "a", "dit", "l'État", "aujourd'hui", "Port-Louis", "OTAN", "été",
                          "Poutine", "s'est", "x", "É"])
_MARKS = st.sampled_from([" ", " ", " ", ": ", " ; ", "!", " ?", "?!", ", ", ". ", '"', "“", "”", "«", "»", "'", "‘", "’",
                          "(", ")", S, N, "\n"])
_PROTECTED = st.sampled_from(["https://example.com/a?b=1:2", "www.lexpress.mu/x", "`a ? b : 1.5`", "presse@example.mu",
                              '<span class="notranslate">N° 1: "x"</span>', "<b>", "&amp;", "NK News", "Yahoo!",
                              "COVID-19", "A320"])
_KEEP = ["NK News", "Yahoo!"]


def _skeleton(text: str) -> str:
    """What typography may not change: everything but spaces, quotation marks and apostrophes (a single
    quote inside a quotation becomes a curly double one)."""
    for ch in (" ", S, N):
        text = text.replace(ch, "")
    for ch in "“”«»‘’'":
        text = text.replace(ch, '"')
    return text


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(_WORDS, _MARKS), max_size=30).map("".join))
def test_only_spaces_quotes_and_apostrophes_change_and_twice_is_once(text):
    once = french_typography(text)
    assert french_typography(once) == once
    assert _skeleton(once) == _skeleton(text)
    narrow = french_typography(text, mode="narrow")
    assert french_typography(narrow, mode="narrow") == narrow


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(_WORDS, _MARKS, _PROTECTED, st.sampled_from(["3.5", "1,000", "12 500", "2024", "%"])),
                max_size=30))
def test_protected_spans_survive_and_twice_is_once(parts):
    text = "".join(parts)
    once = french_typography(text, protected=_KEEP)
    assert french_typography(once, protected=_KEEP) == once
    for part in parts:
        if part in _KEEP or part.startswith(("http", "www", "`", "<", "&", "presse@")):
            assert part in once or part not in text


# -- news text: what the English says a dotted number is, nested quotes, one apostrophe ----------------

def _typeset(source: str, french: str) -> str:
    """``french`` as the pipeline gives it for ``source`` (typography reads the English too)."""
    from tests.fakes import FunctionEngine
    from translator import Translator

    return Translator(FunctionEngine(lambda _: french), typography=Typography("on")).translate_text(source).text


@pytest.mark.parametrize(("source", "french", "expected"), [
    # clock times written with a dot: "at", "am", "pm", "tonight", "hours" in the English
    ("The meeting starts at 7.45 on Monday.", "La réunion commence à 7.45 lundi.", "La réunion commence à 7.45 lundi."),
    ("The ceremony ends at 10.15 pm.", "La cérémonie se termine en 10.15 pm.", "La cérémonie se termine en 10.15 pm."),
    ("Flights resume at 6.30 am.", "Les vols reprennent à 6.30.", "Les vols reprennent à 6.30."),
    ("The debate is broadcast at 8.15 tonight.", "Le débat est diffusé en 8.15 cette nuit.",
     "Le débat est diffusé en 8.15 cette nuit."),
    ("The warning was lifted at 16.00 hours.", "L'alerte a été levée à 16.00 heures.",
     "L’alerte a été levée à 16.00 heures."),
    # release, section, chapter and clause numbers
    ("Release 3.1 fixes the problem.", "Émission 3.1 corrige le problème.", "Émission 3.1 corrige le problème."),
    ("Clause 7.2 of the treaty applies.", "La clause 7.2 du traité s'applique.", "La clause 7.2 du traité s’applique."),
    ("Chapter 12.4 deals with the metro.", "Chapitre 12.4 traite du métro.", "Chapitre 12.4 traite du métro."),
    ("Section 4.3 sets the bands.", "Section 4.3 fixe les tranches.", "Section 4.3 fixe les tranches."),
    # a decimal beside them still gets its comma
    ("At 7.45 the rate rose to 4.50 per cent.", "En 7.45 le taux est monté à 4.50 pour cent.",
     "En 7.45 le taux est monté à 4,50 pour cent."),
    ("The rate was 7.45 per cent at 9.30.", "Le taux était de 7.45 pour cent en 9.30.",
     "Le taux était de 7,45 pour cent en 9.30."),
    ("Growth reached 3.25% in 2024.", "La croissance a atteint 3.25% en 2024.",
     f"La croissance a atteint 3,25{S}% en 2024."),
])
def test_dotted_times_and_section_numbers_keep_their_dot(source, french, expected):
    assert _typeset(source, french) == expected


def test_section_numbers_keep_their_dot_without_the_english_too():
    assert french_typography("La version 3.1 du logiciel et l'article 5.2 du code, soit 4.5 points.") == \
        "La version 3.1 du logiciel et l’article 5.2 du code, soit 4,5 points."


@pytest.mark.parametrize(("text", "expected"), [
    ('“Il a dit "non" hier”, selon lui.', f"«{S}Il a dit “non” hier{S}», selon lui."),
    ("\"Il a dit 'jamais' deux fois\", selon lui.", f"«{S}Il a dit “jamais” deux fois{S}», selon lui."),
    ("« Il a dit « non » hier », selon lui.", f"«{S}Il a dit “non” hier{S}», selon lui."),
    ("« Il a dit “non” hier », selon lui.", f"«{S}Il a dit “non” hier{S}», selon lui."),
    # a quotation the engine opened with a space after the mark
    ("Il a dit: \" je lui ai dit 'jamais' hier.\"", f"Il a dit{S}: «{S}je lui ai dit “jamais” hier.{S}»"),
    ("“Nous l'appelons ‘la question’”, a dit un député.", f"«{S}Nous l’appelons “la question”{S}», a dit un député."),
])
def test_nested_quotations_are_guillemets_outside_and_curly_quotes_inside(text, expected):
    assert french_typography(text) == expected
    assert french_typography(expected) == expected


def test_an_elision_before_a_protected_name_gets_the_same_apostrophe_as_the_rest():
    assert french_typography("L'ICAC a dit qu'il enquête.", protected=["ICAC"]) == "L’ICAC a dit qu’il enquête."
    # a protected name's own apostrophe too: one apostrophe in the paragraph
    assert french_typography("L'Express dit qu'il pleut.", protected=["L'Express"]) == "L’Express dit qu’il pleut."
