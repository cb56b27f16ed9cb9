"""Segmentation never loses, duplicates or reorders text, and respects the token budget."""

from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from translator.text.segmentation import (
    is_translatable, join_paragraphs, segment_article, split_paragraphs, split_sentences,
)


def words(text: str) -> int:
    return len(text.split()) + 1


@pytest.mark.parametrize("text, expected", [
    ("One.\n\nTwo.\n\nThree.", ["One.", "Two.", "Three."]),
    ("  One.\n \t\nTwo.\n\n\n\nThree.  \n", ["One.", "Two.", "Three."]),
    ("Line one\nline two\n\nNext", ["Line one\nline two", "Next"]),
    ("A\r\n\r\nB", ["A", "B"]),
    ("", []),
    ("\n\n  \n", []),
])
def test_split_paragraphs(text, expected):
    assert split_paragraphs(text) == expected


def test_join_is_inverse_of_split_for_normalised_text():
    text = "First paragraph.\n\nSecond one.\nWith a line break.\n\nThird."
    assert join_paragraphs(split_paragraphs(text)) == text


def test_sentences_are_split_and_lossless():
    paragraph = 'Mr. Smith went to Washington D.C. on Monday.  He said: "It is fine." Then he left!'
    pieces = split_sentences(paragraph)
    assert [p.text for p in pieces] == [
        "Mr. Smith went to Washington D.C. on Monday.", 'He said: "It is fine."', "Then he left!"]
    assert "".join(p.text + p.trailing for p in pieces) == paragraph


@pytest.mark.parametrize("text, translatable", [
    ("Hello", True), ("12,500", False), ("https://example.com/a-story", False),
    ("— 42 % —", False), ("Contact: desk@example.mu", True), ("desk@example.mu", False), ("3 killed", True),
])
def test_is_translatable(text, translatable):
    assert is_translatable(text) is translatable


def test_thirty_paragraphs_stay_thirty():
    text = "\n\n".join(f"Paragraph number {i} says something. It has two sentences." for i in range(30))
    assert len(segment_article(text, words, 200)) == 30


def test_long_run_on_paragraph_is_cut_under_budget_without_loss():
    paragraph = " ".join(f"w{i}" for i in range(5000))
    [result] = segment_article(paragraph, words, 100)
    assert all(words(s.text) <= 100 for s in result.segments)
    assert result.source == paragraph
    assert [w for s in result.segments for w in s.text.split()] == paragraph.split()


def test_over_long_sentence_prefers_clause_punctuation():
    paragraph = ", ".join(" ".join(["word"] * 8) for _ in range(6)) + "."
    [result] = segment_article(paragraph, words, 20)
    assert all(s.text.endswith((",", ".")) for s in result.segments)
    assert result.source == paragraph


def test_single_enormous_word_is_cut_between_characters():
    blob = "x" * 3000

    def chars(text: str) -> int:
        return len(text) // 4 + 1

    [result] = segment_article("Start " + blob, chars, 50)
    assert all(chars(s.text) <= 50 for s in result.segments)
    assert result.source == "Start " + blob


_paragraph_text = st.text(
    alphabet=st.sampled_from(list("abc XYZ.,;:!?-—'\"\n\t0123456789éà")), min_size=0, max_size=400)


@settings(max_examples=150, deadline=None)
@given(paragraphs=st.lists(_paragraph_text, min_size=0, max_size=6), budget=st.integers(3, 40))
def test_property_segmentation_is_lossless_and_bounded(paragraphs, budget):
    text = "\n\n".join(paragraphs)
    result = segment_article(text, words, budget)
    assert [p.source for p in result] == split_paragraphs(text)
    for paragraph in result:
        for segment in paragraph.segments:
            # Every segment the engine sees fits the budget (one word that can't be cut further aside);
            # a paragraph with nothing to translate passes through whole, without a model call.
            assert (not segment.translatable or words(segment.text) <= budget
                    or len(segment.text.split()) <= 1)
