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
_MARKS = st.sampled_from([" ", " ", " ", ": ", " ; ", "!", " ?", "?!", ", ", ". ", '"', "“", "”", "«", "»", "'",
                          "(", ")", S, N, "\n"])
_PROTECTED = st.sampled_from(["https://example.com/a?b=1:2", "www.lexpress.mu/x", "`a ? b : 1.5`", "presse@example.mu",
                              '<span class="notranslate">N° 1: "x"</span>', "<b>", "&amp;", "NK News", "Yahoo!",
                              "COVID-19", "A320"])
_KEEP = ["NK News", "Yahoo!"]


def _skeleton(text: str) -> str:
    """What typography may not change: everything but spaces, quotes and apostrophes."""
    for ch in (" ", S, N):
        text = text.replace(ch, "")
    for ch in "“”«»":
        text = text.replace(ch, '"')
    return text.replace("’", "'")


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
