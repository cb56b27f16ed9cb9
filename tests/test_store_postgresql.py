"""What only the PostgreSQL store has: versioned migrations, advisory locks that die with their
holder, a pool that survives its connections being cut, and its gauges. (The contract every store
keeps runs on PostgreSQL too: the ``store_url`` fixture's ``postgresql`` parameter.)"""

from __future__ import annotations

import psycopg
import pytest

from tests.cli_helpers import run_in_process
from tests.store_helpers import translation
from tests.test_store_durability import Worker
from translator.editorial.human_memory import HumanEntry
from translator.editorial.publication import Publication
from translator.errors import StoreError
from translator.store import open_store
from translator.store.migrations import LATEST, migrate
from translator.store.postgresql import PostgreSQLStore


@pytest.fixture
def empty_schema_url(postgres_database):
    """A ``postgresql://`` URL of a schema that does not exist yet, dropped afterwards."""
    import uuid

    schema = f"test_{uuid.uuid4().hex[:12]}"
    yield f"{postgres_database}?schema={schema}"
    with psycopg.connect(postgres_database, autocommit=True) as admin:
        admin.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")


def _migrate_cli(url: str):
    return run_in_process(["store", "migrate"], env={"TRANSLATOR_STORE": url, "TRANSLATOR_GLOSSARY": "off"})


def _admin(url: str) -> psycopg.Connection:
    base, _, query = url.partition("?")
    schema = query.partition("schema=")[2]
    return psycopg.connect(base, autocommit=True, options=f"-c search_path={schema}")


def test_an_empty_database_is_refused_until_migrated_then_migrating_again_changes_nothing(empty_schema_url):
    with pytest.raises(StoreError) as refused:
        open_store(empty_schema_url)
    assert str(refused.value) == (f"TRANSLATOR_STORE: {empty_schema_url} has store schema 0, this translator "
                                  f"needs {LATEST}: run `translator store migrate`")
    first = _migrate_cli(empty_schema_url)
    assert (first.returncode, first.stdout) == (0, f"{empty_schema_url}: applied schema migration(s) 1, 2, 3, 4\n")
    again = _migrate_cli(empty_schema_url)
    assert (again.returncode, again.stdout) == (0, f"{empty_schema_url}: schema already up to date\n")
    store = open_store(empty_schema_url)
    assert store.put_article("a1", title="T", body="B").version == 1
    store.close()


def test_schema_1_with_data_is_upgraded_to_the_latest_keeping_everything(empty_schema_url):
    with _admin(empty_schema_url) as conn:
        schema = empty_schema_url.partition("schema=")[2]
        assert migrate(conn, empty_schema_url, schema=schema, target=1) == [1]
    old = PostgreSQLStore.from_url(empty_schema_url, check=False)  # as the previous version wrote it
    old.put_article("a1", title="T", body="first")
    old.put_article("a1", title="T", body="second")
    old.put_translation(translation("a1", 2))
    old.put_segments({"k": "v"})
    entry = HumanEntry("fr", "Hello.", "Bonjour.", "desk", "2024-05-01T12:00:00.000Z")
    old.put_human_entry(entry)
    old.set_publication("a1", Publication(False, 1_900_000_000.0))
    old.put_glossary_edit("en-fr", "Paris", ("Paris", ""))
    old.close()
    with pytest.raises(StoreError, match=f"has store schema 1, this translator needs {LATEST}: run `translator store"):
        open_store(empty_schema_url)

    assert _migrate_cli(empty_schema_url).stdout == f"{empty_schema_url}: applied schema migration(s) 2, 3, 4\n"
    store = open_store(empty_schema_url)
    try:
        assert store.get_article("a1").body == "second"
        assert store.get_article("a1", 1).body == "first"
        assert store.get_translation("a1", 2, "fr") == translation("a1", 2)
        assert [t.version for t in store.recent_translations("fr")] == [2]
        assert store.get_segments(["k"]) == {"k": "v"}
        assert store.human_entries() == [entry]
        assert store.get_publication("a1") == Publication(False, 1_900_000_000.0)
        assert store.glossary_edits("en-fr") == {"Paris": ("Paris", "")}
    finally:
        store.close()
    with _admin(empty_schema_url) as conn:
        indexes = {row[0] for row in conn.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'translations'")}
        assert "translations_lang_recent" in indexes


def test_a_schema_newer_than_the_code_is_refused_in_one_line(postgres_store_url):
    with _admin(postgres_store_url) as conn:
        conn.execute("INSERT INTO translator_schema (version, name) VALUES (%s, 'from_the_future')", (LATEST + 1,))
    with pytest.raises(StoreError) as refused:
        open_store(postgres_store_url)
    assert str(refused.value) == (f"TRANSLATOR_STORE: {postgres_store_url} has store schema {LATEST + 1}, newer "
                                  f"than this version of translator understands ({LATEST}); upgrade translator")
    result = _migrate_cli(postgres_store_url)
    assert (result.returncode, result.stderr) == (1, f"error: {refused.value}\n")


def test_a_database_of_something_else_is_refused(empty_schema_url):
    with _admin(empty_schema_url) as conn:
        schema = empty_schema_url.partition("schema=")[2]
        conn.execute(f"CREATE SCHEMA {schema}")
        conn.execute("CREATE TABLE invoices (id integer)")
    result = _migrate_cli(empty_schema_url)
    assert result.returncode == 1
    assert result.stderr == (f"error: TRANSLATOR_STORE: {empty_schema_url} holds tables that are not a translator "
                             "store; point TRANSLATOR_STORE at another database or schema\n")


@pytest.mark.slow  # a Python process
def test_a_lock_held_by_a_killed_process_is_free_at_once_and_nothing_is_left(postgres_store_url):
    worker = Worker("lock", postgres_store_url, "translate:fr:1:stale")
    worker.wait_for(lambda line: line == "HELD")
    store = open_store(postgres_store_url)
    try:
        with pytest.raises(StoreError, match="gave up waiting for lock 'translate:fr:1:stale' after 0.3s"):
            with store.lock("translate:fr:1:stale", timeout=0.3):
                pass
        worker.kill()
        with store.lock("translate:fr:1:stale", timeout=5):
            assert store.pool_stats()["in_use"] == 1
        assert store.pool_stats() == {"in_use": 0, "waiting": 0}
    finally:
        store.close()
    with _admin(postgres_store_url) as conn:
        # This database only: other test runs on the server hold locks of their own.
        assert conn.execute("SELECT count(*) FROM pg_locks l JOIN pg_database d ON d.oid = l.database "
                            "WHERE l.locktype = 'advisory' AND d.datname = current_database()").fetchone()[0] == 0


def test_connections_cut_by_the_server_are_replaced_without_losing_a_write(postgres_store_url):
    store = open_store(postgres_store_url)
    try:
        store.put_article("a1", title="T", body="first")
        for round_ in range(3):
            with _admin(postgres_store_url) as conn:
                cut = conn.execute("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                                   "WHERE application_name = 'translator' AND datname = current_database() "
                                   "AND pid <> pg_backend_pid()").fetchone()[0]
            assert cut >= 1
            store.put_segments({f"k{round_}": f"v{round_}"})  # the pooled connection is gone: a fresh one
        assert store.get_segments(["k0", "k1", "k2"]) == {"k0": "v0", "k1": "v1", "k2": "v2"}
        assert store.get_article("a1").body == "first"
    finally:
        store.close()


def test_a_redis_store_is_copied_into_postgresql_and_counted(redis_store_url, postgres_store_url):
    from tests.store_helpers import FakeClock, fill_store, open_with_clock
    from translator.store.copy import copy_store

    source = open_with_clock(redis_store_url, FakeClock())
    target = open_store(postgres_store_url)
    try:
        fill_store(source, source._clock)
        source.put_human_entry(HumanEntry("fr", "Hello.", "Bonjour.", "desk", "2024-05-01T12:00:00.000Z"))
        source.set_publication("a2", Publication(True, 1_900_000_000.0))
        source.put_glossary_edit("en-fr", "Paris", None)
        for _ in range(2):  # again: nothing doubles
            copied = copy_store(source, target, langs=["fr"], pairs=["en-fr"])
            assert copied.figures() == {"entries": 3, "articles": 2, "versions": 3, "translations": 3,
                                        "human_entries": 1, "publications": 1, "glossary_edits": 1}
        for article_id, version in (("a1", 1), ("a1", 2), ("a2", 1)):
            assert target.get_article(article_id, version) == source.get_article(article_id, version)
            assert target.get_translation(article_id, version, "fr") == translation(article_id, version)
        assert target.get_publication("a2") == Publication(True, 1_900_000_000.0)
        assert target.glossary_edits("en-fr") == {"Paris": None}
        target.put_segments({"extra": "en trop"})
        with pytest.raises(StoreError, match="the counts differ: entries: 3 in the source, 4 in the target"):
            copy_store(source, target, langs=["fr"], pairs=["en-fr"])
    finally:
        source.close()
        target.close()


def test_migrate_is_for_postgresql_only(tmp_path):
    result = run_in_process(["store", "migrate"], env={"TRANSLATOR_STORE": f"sqlite:///{tmp_path / 's.sqlite3'}",
                                                       "TRANSLATOR_GLOSSARY": "off"})
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == ("error: translator store migrate is for a PostgreSQL store; TRANSLATOR_STORE is a "
                             "sqlite store, which upgrades itself when opened\n")
