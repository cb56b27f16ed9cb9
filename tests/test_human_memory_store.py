"""The human translation memory in both stores (a real SQLite file, the real Redis server), the TMX
export/import commands, and the upgrade of older SQLite files."""

from __future__ import annotations

import sqlite3

import pytest
from dataclasses import replace

from lxml import etree

from tests.fakes import EchoEngine
from tests.test_cache_cli import cli
from translator.service.articles import ArticleService
from translator.editorial.human_memory import HumanEntry
from translator.pipeline.translator import Translator
from translator.editorial.publication import Publication
from translator.store import open_store
from translator.store.sqlite import SCHEMA_VERSION
from translator.editorial.tmx import tmx_dtd

ENTRY = HumanEntry("fr", "The minister  spoke on Monday. ", "Le ministre s’est exprimé lundi.", "desk",
                   "2026-12-01T10:00:00Z", [{"source": "Monday", "target": "lundi"}])
OTHER = HumanEntry("fr", "Prices rose 3.5 percent.", "Les prix ont augmenté de 3,5 %.", "night", "2026-12-01T11:00:00Z",
                   approved=True)
GERMAN = HumanEntry("de", "Prices rose 3.5 percent.", "Die Preise stiegen um 3,5 %.", "berlin", "2026-12-01T12:00:00Z")


def test_entries_by_normalised_source_and_language(store):
    assert ENTRY.source == "The minister spoke on Monday."
    for entry in (ENTRY, OTHER, GERMAN):
        store.put_human_entry(entry)
    found = store.get_human_entries("fr", ["The minister spoke  on Monday.", "Unknown.", OTHER.source])
    assert found == {ENTRY.source: ENTRY, OTHER.source: OTHER}
    assert store.get_human_entries("de", [OTHER.source]) == {OTHER.source: GERMAN}
    assert store.human_entries("fr") == [OTHER, ENTRY]
    assert store.human_entries() == [GERMAN, OTHER, ENTRY]
    newer = replace(ENTRY, target="Le ministre a parlé lundi.")
    store.put_human_entry(newer)
    assert store.get_human_entries("fr", [ENTRY.source]) == {ENTRY.source: newer}
    assert store.lookups.snapshot()["hits"] == 0  # human lookups are not machine-memory hits

    store.purge()  # cache only: editorial work stays
    assert store.human_entries("fr") == [OTHER, newer]
    assert store.delete_human_entry("fr", " The minister spoke on Monday.") is True
    assert store.delete_human_entry("fr", ENTRY.source) is False
    assert store.human_entries("fr") == [OTHER]


def test_many_human_entries_in_one_lookup(store):
    # More sources than one SQLite statement takes parameters for: looked up in chunks.
    entries = [HumanEntry("fr", f"Sentence number {i}.", f"Phrase numéro {i}.", "desk", "2026-12-01T10:00:00Z")
               for i in range(1_234)]
    for entry in entries:
        store.put_human_entry(entry)
    found = store.get_human_entries("fr", [e.source for e in entries] + ["Absent."])
    assert found == {e.source: e for e in entries}
    assert store.get_human_entries("de", [e.source for e in entries]) == {}


def test_recent_translations_newest_first_per_language(store):
    service = ArticleService(store, Translator(EchoEngine()))
    for article_id in ("a", "b", "c"):
        store.put_article(article_id, title="T", body=f"Body of {article_id}.")
        service.translate(article_id)
    store.put_article("a", title="T", body="Body of a, again.")
    service.translate("a")
    assert [(t.id, t.version) for t in store.recent_translations("fr")] == [("a", 2), ("c", 1), ("b", 1), ("a", 1)]
    assert list(store.recent_translations("de")) == []
    service.shutdown()


def test_tmx_export_then_import_into_a_fresh_store_gives_the_same_human_memory(store_url, tmp_path):
    source = open_store(store_url)
    try:
        for entry in (ENTRY, OTHER, GERMAN):
            source.put_human_entry(entry)
        source.put_article("a1", title="Budget vote delayed", body="Parliament will vote next week.")
        ArticleService(source, Translator(EchoEngine())).translate("a1")
    finally:
        source.close()
    exported = tmp_path / "memory.tmx"
    run = cli("memory", "export", "--format", "tmx", str(exported), store=store_url)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == f"wrote 3 translation units to {exported} (3 human, 0 machine)"
    assert tmx_dtd().validate(etree.parse(str(exported)))

    fresh = f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
    run = cli("memory", "import", str(exported), store=fresh)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == f"imported 3 human entries from {exported}"
    imported = open_store(fresh)
    try:
        assert imported.human_entries() == [GERMAN, OTHER, ENTRY]
    finally:
        imported.close()

    with_machine = tmp_path / "all.tmx"
    run = cli("memory", "export", "--machine", str(with_machine), store=store_url)
    assert run.stdout.strip() == f"wrote 5 translation units to {with_machine} (3 human, 2 machine)"
    root = etree.parse(str(with_machine)).getroot()
    machine = [tu.findtext("tuv[2]/seg") for tu in root.iterfind("body/tu") if tu.findtext("prop") == "machine"]
    assert machine == ["FR(Budget vote delayed)", "FR(Parliament will vote next week.)"]
    run = cli("memory", "import", str(with_machine), store=fresh)
    assert run.stdout.strip() == f"imported 3 human entries from {with_machine} (2 machine units skipped)"


def test_a_bad_file_is_one_error_line(tmp_path):
    bad = tmp_path / "bad.tmx"
    bad.write_text("<tmx>", encoding="utf-8")
    run = cli("memory", "import", str(bad), store=f"sqlite:///{tmp_path / 's.sqlite3'}")
    assert run.returncode == 1
    assert run.stderr.startswith(f"error: {bad}: not a readable XML file")


def test_a_schema_1_sqlite_file_is_upgraded_in_place(tmp_path):
    path = tmp_path / "old.sqlite3"
    store = open_store(f"sqlite:///{path}")
    store.put_article("a1", title="T", body="B")
    store.close()
    with sqlite3.connect(path) as conn:  # what a file written before the human memory looks like
        conn.execute("DROP TABLE human_segments")
        conn.execute("DROP TABLE publication")
        conn.execute("DROP TABLE pending")
        conn.execute("PRAGMA user_version=1")
    store = open_store(f"sqlite:///{path}")
    try:
        store.put_human_entry(ENTRY)
        assert store.human_entries() == [ENTRY]
        assert store.get_article("a1").body == "B"
    finally:
        store.close()
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 5


def test_a_schema_2_sqlite_file_gains_the_publication_table(tmp_path):
    path = tmp_path / "v2.sqlite3"
    store = open_store(f"sqlite:///{path}")
    store.put_article("a1", title="T", body="B")
    store.close()
    with sqlite3.connect(path) as conn:  # what a file written before embargoes looks like
        conn.execute("DROP TABLE publication")
        conn.execute("DROP TABLE pending")
        conn.execute("PRAGMA user_version=2")
    store = open_store(f"sqlite:///{path}")
    try:
        assert store.get_publication("a1") is None
        store.set_publication("a1", Publication(published=False))
        assert store.get_publication("a1") == Publication(published=False, embargo_until=None)
        assert store.get_article("a1").body == "B"
    finally:
        store.close()
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 5


def test_a_schema_3_sqlite_file_gains_the_pending_table(tmp_path):
    path = tmp_path / "v3.sqlite3"
    store = open_store(f"sqlite:///{path}")
    store.put_article("a1", title="T", body="B")
    store.close()
    with sqlite3.connect(path) as conn:  # what a file written before accepted work was recorded looks like
        conn.execute("DROP TABLE pending")
        conn.execute("PRAGMA user_version=3")
    store = open_store(f"sqlite:///{path}")
    try:
        assert store.pending("fr") == []
        store.add_pending("fr", "a1", 1)
        assert store.pending("fr") == [("a1", 1)]
        store.mark_failed("fr", "a1", 1, "why")  # schema 5's column
        assert (store.pending("fr"), store.failure("fr", "a1", 1)) == ([], "why")
        assert store.get_article("a1").body == "B"
    finally:
        store.close()
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 5


def _tmx_units(count: int, tail: str = "") -> str:
    """A TMX 1.4 document of ``count`` human units, ``tail`` appended to its body."""
    units = "".join(f'<tu creationid="cat"><tuv xml:lang="en"><seg>Sentence {i}.</seg></tuv>'
                    f'<tuv xml:lang="fr"><seg>Phrase {i}.</seg></tuv></tu>' for i in range(count))
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header creationtool="cat" '
            'creationtoolversion="1" segtype="sentence" o-tmf="cat" adminlang="en" srclang="en" '
            f'datatype="plaintext"/><body>{units}{tail}</body></tmx>')


def test_a_tmx_import_is_streamed_and_all_or_nothing(tmp_path, store_url):
    """Issue 26: a 187 MB TMX file reached 2.48 GB RSS and a killed import left 699,238 entries. Now the
    file is read a unit at a time, and a unit that breaks TMX 1.4 after 500 good ones stores none."""
    from translator.editorial.tmx import TmxError, iter_tmx

    bad = tmp_path / "late-error.tmx"
    bad.write_text(_tmx_units(500, tail="<tu><bogus/></tu>"), encoding="utf-8")
    streamed = iter_tmx(bad)
    assert next(streamed).source == "Sentence 0."  # yielded before the rest of the file was checked
    with pytest.raises(TmxError, match=r"late-error.tmx: not a valid TMX 1.4 document \(line 2: Element tu"):
        list(streamed)

    run = cli("memory", "import", str(bad), store=store_url)
    assert (run.returncode, run.stdout) == (1, "")
    assert run.stderr.startswith(f"error: {bad}: not a valid TMX 1.4 document (line 2: Element tu content")
    store = open_store(store_url)
    try:
        assert store.human_entries("fr") == []  # nothing of the 500 good units
    finally:
        store.close()

    good = tmp_path / "good.tmx"
    good.write_text(_tmx_units(500), encoding="utf-8")
    run = cli("memory", "import", str(good), store=store_url)
    assert (run.returncode, run.stdout.strip()) == (0, f"imported 500 human entries from {good}")


def test_a_tmx_file_above_the_size_limit_is_refused(tmp_path):
    big = tmp_path / "big.tmx"
    big.write_text(_tmx_units(20_000), encoding="utf-8")  # about 2 MB
    store = f"sqlite:///{tmp_path / 's.sqlite3'}"
    run = cli("memory", "import", str(big), store=store, env={"TRANSLATOR_TMX_MAX_MB": "1"})
    assert run.returncode == 1
    size = big.stat().st_size / 1024 / 1024
    assert run.stderr.strip() == (f"error: {big}: {size:.1f} MB, above the import limit of 1 MB "
                                  "(TRANSLATOR_TMX_MAX_MB): split it, or raise the limit")
    assert cli("memory", "import", str(big), store=store).returncode == 0  # under the default 200 MB
