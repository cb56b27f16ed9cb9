"""Finding glossary terms: whole words, longest first, literal, tolerant of apostrophes and possessives."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import example, given, settings, strategies as st

from translator.glossary import Glossary, GlossaryEntry
from translator.glossary.enforcement import enforce, inject
from translator.glossary.spans import is_all_caps
from translator.glossary.words import is_english_common

GLOSSARY = Glossary.from_pairs([
    ("Vladimir Putin", "Vladimir Poutine"),
    ("Putin", "Poutine"),
    ("put", "mettre", "ci"),
    ("Port Louis", "Port-Louis", "ci"),
    ("C++", "C++"),
    ("AT&T", "AT&T"),
    ("U.S.", "É.-U."),
    ("Côte d'Ivoire", "Côte d'Ivoire"),
    ("NK News", "NK News"),
])


def found(text: str, glossary: Glossary = GLOSSARY) -> list[tuple[str, str]]:
    """(entry source, matched text) for every match."""
    return [(m.entry.source, text[m.start:m.end]) for m in glossary.find(text)]


@pytest.mark.parametrize("text, expected", [
    ("Putin spoke.", [("Putin", "Putin")]),
    ("Putinism and output and Putins", []),
    ("An anti-Putin, Putin-backed group", [("Putin", "Putin"), ("Putin", "Putin")]),
    ("Vladimir Putin and Putin", [("Vladimir Putin", "Vladimir Putin"), ("Putin", "Putin")]),
    ("Vladimir  Putin\nsaid", [("Vladimir Putin", "Vladimir  Putin")]),
    ("Vladimir\u00a0Putin said", [("Vladimir Putin", "Vladimir\u00a0Putin")]),
    ("Putin's army", [("Putin", "Putin")]),
    ("Putin\u2019s army", [("Putin", "Putin")]),
    ("PUTIN and putin", []),
    ("They PUT it, we Put it, output", [("put", "PUT"), ("put", "Put")]),
    ("in port louis and PORT LOUIS", [("Port Louis", "port louis"), ("Port Louis", "PORT LOUIS")]),
    ("C++ and C+ and C++x", [("C++", "C++")]),
    ("AT&T and ATT and AT&Tx", [("AT&T", "AT&T")]),
    ("the U.S. and the U.S.A. and USA", [("U.S.", "U.S.")]),
    ("in Côte d\u2019Ivoire", [("Côte d'Ivoire", "Côte d\u2019Ivoire")]),
    ("NK News, NK Newsweek", [("NK News", "NK News")]),
])
def test_find(text, expected):
    assert found(text) == expected


def test_a_longer_name_starting_inside_a_match_wins_over_it():
    glossary = Glossary.from_pairs([("The Independent", "The Independent"),
                                    ("Independent Commission Against Corruption",
                                     "Commission indépendante contre la corruption")])
    text = "The Independent Commission Against Corruption said The Independent was wrong."
    assert [(m.entry.source, m.start) for m in glossary.find(text)] == [
        ("Independent Commission Against Corruption", 4), ("The Independent", 51)]


def test_find_gives_offsets_into_the_text():
    text = "Yes, Vladimir Putin's plan."
    [match] = GLOSSARY.find(text)
    assert (match.start, match.end, match.entry) == (5, 19, GlossaryEntry("Vladimir Putin", "Vladimir Poutine"))


def test_prepare_puts_the_french_forms_into_the_source_and_keeps_the_possessive():
    prepared = GLOSSARY.prepare("Vladimir Putin met Putin\u2019s allies in Port Louis.")
    assert prepared.engine_text == "Vladimir Poutine met Poutine\u2019s allies in Port-Louis."
    assert [m.entry.source for m in prepared.matches] == ["Vladimir Putin", "Putin", "Port Louis"]


def test_prepare_without_terms_leaves_the_text_alone_with_an_empty_fingerprint():
    prepared = GLOSSARY.prepare("Nothing to see here.")
    assert (prepared.engine_text, prepared.fingerprint, prepared.matches) == ("Nothing to see here.", "", ())


def test_decomposed_accents_match_composed_entries():
    glossary = Glossary.from_pairs([("Paul Bérenger", "Paul Bérenger")])
    prepared = glossary.prepare("Paul Be\u0301renger spoke.")
    assert [m.entry.source for m in prepared.matches] == ["Paul Bérenger"]


# -- properties ---------------------------------------------------------------------------------

WORDS = st.text(alphabet="abcAB", min_size=1, max_size=3)
SEPARATORS = st.sampled_from([" ", "-", ", ", "'s ", ". ", "'", "x "])


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def reference_find(entries: list[GlossaryEntry], text: str) -> list[tuple[str, int, int]]:
    """Leftmost, then longest, whole-word matching, written the slow obvious way; a longer match
    starting inside a match and running past it wins over it.

    A text in capitals (no lower-case letter, at least a few capitals) is matched case-insensitively,
    but an entry that is an ordinary English word in capitals ("A", "WHO") needs the ``ci`` flag there.
    """
    caps = is_all_caps(text)

    def longest_at(i: int) -> GlossaryEntry | None:
        if i > 0 and _is_word_char(text[i - 1]):
            return None
        best = None
        for e in entries:
            end = i + len(e.source)
            piece = text[i:end]
            folded = e.case_insensitive or caps
            same = piece.casefold() == e.source.casefold() if folded else piece == e.source
            if same and (end == len(text) or not _is_word_char(text[end])):
                if best is None or len(e.source) > len(best.source):
                    best = e
        return best

    out, i = [], 0
    while i < len(text):
        best = longest_at(i)
        end = i + len(best.source) if best is not None else i
        overtaken = best is not None and any(
            (other := longest_at(j)) is not None and j + len(other.source) > end and len(other.source) > end - i
            for j in range(i + 1, end) if _is_word_char(text[j]) and not _is_word_char(text[j - 1]))
        if best is None or overtaken:
            i += 1
        else:
            common = caps and not best.case_insensitive and best.source.isupper() and is_english_common(best.source)
            if not common:
                out.append((best.source, i, end))
            i = end
    return out


@st.composite
def glossary_and_text(draw, lowercase: bool = False):
    words = st.text(alphabet="abc", min_size=1, max_size=3) if lowercase else WORDS
    entries, seen = [], set()
    for _ in range(draw(st.integers(1, 6))):
        source = draw(st.lists(words, min_size=1, max_size=3).map(" ".join))
        key = source.casefold()
        if key in seen:
            continue
        seen.add(key)
        keep = draw(st.booleans())
        target = source if keep else f"Zq{len(entries)}x"
        entries.append(GlossaryEntry(source, target, frozenset({"ci"}) if draw(st.booleans()) else frozenset()))
    pieces = draw(st.lists(st.one_of(st.sampled_from([e.source for e in entries]), words), min_size=1,
                           max_size=12))
    text = pieces[0]
    for piece in pieces[1:]:
        text += draw(SEPARATORS) + piece
    return Glossary(entries), text


@settings(max_examples=300, deadline=None)
@given(glossary_and_text())
@example((Glossary([GlossaryEntry("A", "Zq0x", frozenset())]), "A A A A"))  # capitals: "A" is a common word
@example((Glossary([GlossaryEntry("ab", "Zq0x", frozenset())]), "AB BA AB"))  # capitals: matched ignoring case
def test_matching_agrees_with_the_obvious_reference(case):
    glossary, text = case
    assert [(m.entry.source, m.start, m.end) for m in glossary.find(text)] == reference_find(
        list(glossary.entries), text)


@settings(max_examples=200, deadline=None)
@given(glossary_and_text())
def test_no_match_inside_a_word(case):
    glossary, text = case
    for m in glossary.find(text):
        assert m.start == 0 or not _is_word_char(text[m.start - 1])
        assert m.end == len(text) or not _is_word_char(text[m.end])


@settings(max_examples=200, deadline=None)
@given(st.lists(WORDS, min_size=2, max_size=4).map(" ".join), st.text(alphabet="xyz ", max_size=8))
def test_longest_match_wins(phrase, filler):
    words = phrase.split()
    shorter = {" ".join(words[:-1]): "Head", " ".join(words[1:]): "Tail"}  # head == tail for "A A"
    glossary = Glossary.from_pairs([*shorter.items(), (phrase, "Long")])
    assert [m.entry.target for m in glossary.find(f"{filler} {phrase} {filler}")] == ["Long"]


@settings(max_examples=300, deadline=None)
@given(glossary_and_text(lowercase=True))
def test_any_mix_of_entries_and_text_round_trips_through_a_copying_engine(case):
    glossary, text = case
    prepared = glossary.prepare(text)
    result = enforce(prepared, prepared.engine_text)
    assert result.text == inject(text, prepared.matches) == prepared.engine_text
    assert result.applied == [{"source": o.entry.source, "target": o.entry.target, "start": o.start, "end": o.end,
                               "target_start": o.engine_start, "target_end": o.engine_end}
                              for o in prepared.occurrences]
    assert result.missed == [] and result.repairs == []
    keep_only = Glossary(GlossaryEntry(e.source, e.source, e.flags) for e in glossary.entries)
    assert keep_only.prepare(text).engine_text == text


STARTER = Glossary.from_tsv(Path(__file__).resolve().parent.parent / "glossary" / "en-fr.tsv")


@pytest.mark.parametrize("source, engine_text", [
    ("Vladimir Putin's envoy met Kim Jong Un in Pyongyang.",
     "Vladimir Poutine's envoy met Kim Jong-un in Pyongyang."),
    ("The Kyiv Independent reported from Kyiv.", "The Kyiv Independent reported from Kiev."),
    ("Air Mauritius flew from Port Louis to Mauritius.", "Air Mauritius flew from Port-Louis to Maurice."),
    ("NATO and the UN Security Council met the UN.", "OTAN and the Conseil de sécurité de l'ONU met the ONU."),
    ("A Hwasong-17 flew, KCNA said; NK News and Reuters agreed.",
     "A Hwasong-17 flew, KCNA said; NK News and Reuters agreed."),
    ("Roger Stone, Susan Rice and a rice farmer.", "Roger Stone, Susan Rice and a rice farmer."),
])
def test_starter_glossary_engine_text(source, engine_text):
    assert STARTER.prepare(source).engine_text == engine_text
