"""LiveGlossary: the glossary file plus the live edits in the store (both backends)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.fakes import EchoEngine
from translator.config import Settings
from translator.store.sqlite import SQLiteStore
from translator.errors import GlossaryError
from translator.glossary import Glossary, GlossaryConflict, GlossaryEntry, LiveGlossary
from translator.pipeline.translator import Translator
from translator.service.runtime import build_runtime
from translator.store import open_store

BASE = Glossary.from_pairs([("Vladimir Putin", "Vladimir Poutine"), ("Beijing", "Pékin")])


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


def live(store, clock, base=BASE, max_age=2.0) -> LiveGlossary:
    return LiveGlossary(base, store, pair="en-fr", max_age=max_age, clock=clock)


def test_without_edits_it_is_the_file(store, clock):
    glossary = live(store, clock)
    assert glossary.current == BASE and glossary.version == BASE.version


def test_an_edit_applies_at_once_and_is_persisted(store, clock):
    glossary = live(store, clock)
    entry, created = glossary.put_entry("Xi Jinping", "Xi Jinping", ["ci"])
    assert (entry, created) == (GlossaryEntry("Xi Jinping", "Xi Jinping", frozenset({"ci"})), True)
    expected = BASE.with_entries([("Xi Jinping", "Xi Jinping", "ci")])
    assert glossary.current == expected and glossary.version == expected.version != BASE.version
    assert store.glossary_edits("en-fr") == {"Xi Jinping": ("Xi Jinping", "ci")}
    # A new process on the same store (same file) sees the same glossary.
    assert live(store, Clock()).current == expected


def test_changing_a_file_entry_is_not_a_creation_and_deleting_restores_nothing(store, clock):
    glossary = live(store, clock)
    entry, created = glossary.put_entry("Beijing", "Beijing")
    assert (entry.target, created) == ("Beijing", False)
    assert glossary.current.get("Beijing").target == "Beijing"
    assert glossary.delete_entry("Beijing") == GlossaryEntry("Beijing", "Beijing")
    assert glossary.current.get("Beijing") is None  # the file's entry is deleted too
    assert glossary.delete_entry("Beijing") is None
    assert [e.source for e in glossary.current] == ["Vladimir Putin"]
    # Putting it back after a deletion is a creation again.
    assert glossary.put_entry("Beijing", "Pékin")[1] is True
    assert glossary.current == BASE


@pytest.mark.parametrize("source, target, flags, message", [
    ("", "x", [], "empty source term"),
    ("Paris ", "Paris", [], "leading or trailing spaces in source term 'Paris '"),
    ("Paris", " Paris", [], "leading or trailing spaces in target term ' Paris'"),
    ("Pa\u200bris", "Paris", [], "control character in source term 'Pa\\u200bris'"),
    ("Paris", "Pa\nris", [], "control character in target term 'Pa\\nris'"),
    ("--", "x", [], "source term '--' has no letter or digit"),
    ("Paris", "Paris", ["xx"], "unknown flag(s) xx (known: ci)"),
])
def test_invalid_entries_are_refused_and_not_stored(store, clock, source, target, flags, message):
    glossary = live(store, clock)
    with pytest.raises(GlossaryError) as caught:
        glossary.put_entry(source, target, flags)
    assert str(caught.value) == message
    assert store.glossary_edits("en-fr") == {}


def test_an_entry_clashing_with_another_edit_is_a_conflict(store, clock):
    glossary = live(store, clock)
    glossary.put_entry("Foo", "Fou", ["ci"])
    with pytest.raises(GlossaryConflict, match="'foo' conflicts with another entry"):
        glossary.put_entry("foo", "Phou")
    assert store.glossary_edits("en-fr") == {"Foo": ("Fou", "ci")}


def test_clashing_edits_written_by_two_processes_do_not_break_the_glossary(store, clock):
    # Two instances each checked their own edit before the other's landed.
    store.put_glossary_edit("en-fr", "Foo", ("Fou", "ci"))
    store.put_glossary_edit("en-fr", "foo", ("Phou", ""))
    glossary = live(store, clock).current
    assert len(glossary) == 3  # the file's two entries and one of the two clashing edits
    assert sum(1 for e in glossary if e.source.casefold() == "foo") == 1


def test_other_processes_edits_are_seen_once_the_snapshot_is_older_than_max_age(store, store_url, clock):
    other_store = open_store(store_url)  # another process has its own connection
    try:
        here, there = live(store, clock), live(other_store, Clock())
        assert here.current == BASE
        there.put_entry("Xi Jinping", "Xi Jinping")
        clock.now += 1.9
        assert here.current == BASE  # still the snapshot
        clock.now += 0.1
        assert here.current.get("Xi Jinping") is not None
        there.delete_entry("Xi Jinping")
        assert here.current.get("Xi Jinping") is not None
        assert here.refresh() == BASE  # refresh() reads at once
    finally:
        other_store.close()


def test_each_segment_is_finalised_by_the_snapshot_that_prepared_it(store, clock):
    glossary = live(store, clock, max_age=0.0)  # every use re-reads the edits
    snapshot = glossary.current  # what a translator resolves once per call
    prepared = snapshot.prepare("Beijing hosted talks.")
    assert prepared.engine_text == "Pékin hosted talks."
    glossary.put_entry("Beijing", "Beijing")  # the glossary changes between prepare and finalize
    text, applied, missed = snapshot.finalize(prepared, "Pékin a accueilli des pourparlers.")
    assert (text, applied, missed) == ("Pékin a accueilli des pourparlers.",
                                       [{"source": "Beijing", "target": "Pékin", "start": 0, "end": 7,
                                         "target_start": 0, "target_end": 5}], [])


def test_as_a_translators_glossary_a_live_edit_changes_the_next_translation(store, clock):
    glossary = live(store, clock)
    translator = Translator(EchoEngine(), glossary=glossary, memory=store)
    first = translator.translate_text("Beijing hosted talks.")
    assert (first.text, translator.glossary_version) == ("FR(Pékin hosted talks.)", BASE.version)
    glossary.put_entry("Beijing", "Beijing")
    second = translator.translate_text("Beijing hosted talks.")
    assert second.text == "FR(Beijing hosted talks.)"
    assert second.counts["translated"] == 1  # another fingerprint: not the cached "Pékin" segment
    assert translator.glossary_version == glossary.current.version != BASE.version


def test_no_file_and_no_edits_is_no_glossary_and_edits_alone_make_one(store, clock):
    glossary = live(store, clock, base=None)
    assert glossary.current is None and glossary.version == ""
    untouched = Translator(EchoEngine(), glossary=glossary).translate_text("Beijing")  # no glossary applies
    assert (untouched.text, untouched.glossary) == ("FR(Beijing)", {"applied": [], "missed": [], "unlisted": []})
    glossary.put_entry("Beijing", "Pékin")
    assert glossary.current == Glossary.from_pairs([("Beijing", "Pékin")])


def test_build_runtime_layers_the_stores_edits_on_the_configured_file(tmp_path):
    path = tmp_path / "en-fr.tsv"
    path.write_text("Beijing\tPékin\n", encoding="utf-8")
    settings = Settings(data_dir=tmp_path / "data", glossary=path)
    runtime = build_runtime(settings)
    try:
        runtime.glossary.put_entry("Xi Jinping", "Xi Jinping")
        assert runtime.describe()["glossary"] == (
            f"{path} (2 entries, version {runtime.glossary.version}, 1 live edits)")
    finally:
        runtime.close()
    again = build_runtime(settings, engine_factory=lambda settings, model: EchoEngine())  # a restart
    try:
        translator = again.translator()
        result = translator.translate_text("Xi Jinping met Beijing officials.")
        assert result.text == "FR(Xi Jinping met Pékin officials.)"
        assert result.glossary == {
            "applied": [{"source": "Xi Jinping", "target": "Xi Jinping", "start": 0, "end": 10,
                         "target_start": 3, "target_end": 13, "paragraph": 0},
                        {"source": "Beijing", "target": "Pékin", "start": 15, "end": 22,
                         "target_start": 18, "target_end": 23, "paragraph": 0}],
            "missed": [], "unlisted": []}
    finally:
        again.close()


# -- property: the live glossary is the file with the edits applied, in any order ----------------

SOURCES = ["Vladimir Putin", "Beijing", "Xi Jinping", "Port Louis"]
TARGETS = ["Vladimir Poutine", "Pékin", "Xi Jinping", "Port-Louis", "Beijing"]
operations = st.lists(st.one_of(
    st.tuples(st.just("put"), st.sampled_from(SOURCES), st.sampled_from(TARGETS)),
    st.tuples(st.just("delete"), st.sampled_from(SOURCES), st.none()),
), max_size=12)


@settings(max_examples=40, deadline=None)
@given(operations)
def test_any_sequence_of_edits_gives_the_expected_glossary_here_and_after_a_restart(ops):
    model = {e.source: e.target for e in BASE}
    with tempfile.TemporaryDirectory() as directory:
        store = SQLiteStore(Path(directory) / "store.sqlite3")
        try:
            glossary = LiveGlossary(BASE, store)
            for op, source, target in ops:
                if op == "put":
                    _, created = glossary.put_entry(source, target)
                    assert created == (source not in model)
                    model[source] = target
                else:
                    removed = glossary.delete_entry(source)
                    assert (removed.target if removed else None) == model.pop(source, None)
                wanted = Glossary.from_pairs(model.items())
                assert {e.source: e.target for e in glossary.current} == model
                assert glossary.version == wanted.version
            restarted = LiveGlossary(BASE, store)
            assert restarted.version == (Glossary.from_pairs(model.items()).version)
        finally:
            store.close()


def test_the_translate_command_uses_the_live_edits_too(tiny_model_dir, tmp_path):
    """The CLI builds from the same runtime as the service: an edit made over HTTP applies to it."""
    import json

    from click.testing import CliRunner

    from translator.cli import main

    path = tmp_path / "en-fr.tsv"
    path.write_text("Beijing\tPékin\nVladimir Putin\tVladimir Poutine\n", encoding="utf-8")
    store = SQLiteStore(tmp_path / "data" / "translator.sqlite3")
    LiveGlossary(Glossary.from_tsv(path), store).put_entry("Beijing", "Beijing")  # what the API would do
    store.close()
    env = {"TRANSLATOR_MODEL": str(tiny_model_dir), "TRANSLATOR_THREADS": "1", "TRANSLATOR_GLOSSARY": str(path),
           "TRANSLATOR_BACKEND": "torch",
           "TRANSLATOR_DATA_DIR": str(tmp_path / "data"), "TRANSLATOR_STORE": None}
    runner = CliRunner()
    result = runner.invoke(main, ["translate", "--json"], input="Beijing hosted talks.", env=env,
                           catch_exceptions=False)
    [translated] = json.loads(result.stdout)
    edited = Glossary.from_pairs([("Beijing", "Beijing"), ("Vladimir Putin", "Vladimir Poutine")])
    assert translated["glossary_version"] == edited.version
    report = translated["glossary"]["applied"] + translated["glossary"]["missed"]
    assert [(r["source"], r["target"], r["start"], r["end"]) for r in report] == [("Beijing", "Beijing", 0, 7)]
    result = runner.invoke(main, ["translate", "--json", "--no-glossary"], input="Beijing hosted talks.",
                           env=env, catch_exceptions=False)
    assert json.loads(result.stdout)[0]["glossary_version"] == ""
