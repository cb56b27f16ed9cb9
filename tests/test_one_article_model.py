"""Text and HTML articles on one model (issue 24): the same units, flags and report for the same article in
either format, and, whatever the engine and whatever editors do, the rendered French is what the units say
and removing every correction gives back the machine French byte for byte.

Real SQLite stores; deterministic fake engines (identity, shorter, longer, reordering, empty).
"""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings, strategies as st

from tests.fakes import FunctionEngine
from translator.editorial.units import piece_texts
from translator.errors import TranslatorError
from translator.glossary import Glossary
from translator.pipeline import Translator
from translator.service.articles import ArticleService
from translator.service.postedits import PostEditor
from translator.store import open_store
from translator.text.typography import Typography


def _words(text: str) -> list[str]:
    return text.split()


#: Each engine keeps the sentence's last character (its full stop) so segments stay sentences.
ENGINES = {
    "identity": lambda text: text,
    "shorter": lambda text: " ".join(_words(text)[: max(1, len(_words(text)) // 2)]),
    "longer": lambda text: " ".join(w for word in _words(text) for w in (word, word.lower())),
    "reordering": lambda text: " ".join(reversed(_words(text))),
    "empty": lambda text: "",
}

GLOSSARY = Glossary.from_pairs([("Port Louis", "Port-Louis"), ("Reuters", "Reuters")])


def _service(tmp_path, engine_name: str):
    store = open_store(f"sqlite:///{tmp_path / 'store.sqlite3'}")
    translator = Translator(FunctionEngine(ENGINES[engine_name]), glossary=GLOSSARY, memory=store,
                            typography=Typography("on"), review_score=-1.0)
    return store, ArticleService(store, translator, workers=1)


PARAGRAPHS = ["Fishermen stayed in Port Louis on Monday.",
              "Reuters said the storm was strong: it may reach the island tonight.",
              "Schools will reopen on Wednesday."]


def _as_html(paragraphs: list[str]) -> str:
    return "".join(f"<p>{p}</p>" for p in paragraphs)


@pytest.mark.parametrize("engine", sorted(ENGINES))
def test_the_same_article_as_text_and_as_html_gets_the_same_french_units_flags_and_report(tmp_path, engine):
    store, service = _service(tmp_path, engine)
    try:
        service.put("text", title="Storm", body="\n\n".join(PARAGRAPHS))
        service.put("html", title="Storm", body=_as_html(PARAGRAPHS), format="html")
        text, html = service.translate("text"), service.translate("html")
    finally:
        service.shutdown()
        store.close()
    blocks = [block.get_text() for block in BeautifulSoup(html.body, "html.parser").find_all("p")]
    assert blocks == text.paragraphs
    strip = lambda units: [(u.index, u.paragraph, u.source, u.target, u.origin, u.flags) for u in units]  # noqa: E731
    assert strip(html.units) == strip(text.units)
    assert html.glossary == text.glossary


# -- properties: any article, any engine, any sequence of edits ---------------------------------------

WORD = st.sampled_from(["storm", "island", "Port Louis", "Reuters", "schools", "rain", "Monday", "fishermen"])
SENTENCE = st.lists(WORD, min_size=1, max_size=6).map(lambda words: " ".join(words).capitalize() + ".")
PARAGRAPH = st.lists(SENTENCE, min_size=1, max_size=3).map(" ".join)
EDIT = st.tuples(st.sampled_from(["correct", "approve", "remove"]), st.integers(0, 30),
                 st.sampled_from(["Texte corrigé.", "Une autre phrase, corrigée.", "Port-Louis, encore."]))


def _check_rendered_is_what_the_units_say(translation, format: str) -> None:
    if format == "text":
        paragraphs: dict[int, list[str]] = {}
        for unit in translation.units:
            if unit.paragraph is not None:
                paragraphs.setdefault(unit.paragraph, []).append(unit.target)
        assert [" ".join(" ".join(p).split()) for _, p in sorted(paragraphs.items())] == \
            [" ".join(p.split()) for p in translation.paragraphs]
    else:
        blocks = [" ".join(b.get_text().split()) for b in BeautifulSoup(translation.body, "html.parser").find_all("p")]
        pieces = piece_texts(translation.units)
        assert [" ".join(pieces[p].split()) for p in sorted(pieces)] == blocks


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(paragraphs=st.lists(PARAGRAPH, min_size=1, max_size=4), format=st.sampled_from(["text", "html"]),
       engine=st.sampled_from(sorted(ENGINES)), edits=st.lists(EDIT, max_size=6))
def test_any_edits_render_as_the_units_say_and_removing_them_restores_the_machine_french(
        tmp_path_factory, paragraphs, format, engine, edits):
    store, service = _service(tmp_path_factory.mktemp("article"), engine)
    editor = PostEditor(service)
    try:
        body = "\n\n".join(paragraphs) if format == "text" else _as_html(paragraphs)
        service.put("a", title="Storm", body=body, format=format)
        machine = service.translate("a")
        edited: set[str] = set()
        for action, index, target in edits:
            index %= len(machine.units)
            try:
                if action == "correct":
                    editor.correct("a", None, index, target, "desk")
                    edited.add(machine.units[index].source)
                elif action == "approve":
                    editor.approve("a", None, index, "desk")
                    edited.add(machine.units[index].source)
                else:
                    editor.remove("a", None, index)
            except TranslatorError:  # nothing to edit (numbers alone) or nothing to remove: refused, no change
                pass
            _check_rendered_is_what_the_units_say(service.cached_translation("a"), format)
        for source in edited:
            store.delete_human_entry("fr", source)
        restored = service.cached_translation("a")
        assert (restored.title, restored.body, restored.paragraphs) == (machine.title, machine.body,
                                                                        machine.paragraphs)
    finally:
        service.shutdown()
        store.close()
