"""The store contract, run against both backends: a real SQLite file and the real Redis server."""

from __future__ import annotations

import gc
import sqlite3
import threading
import uuid
from dataclasses import replace

import pytest
import redis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.store_helpers import DAY, FakeClock, fill_store, open_with_clock, translation
from translator.config import Settings
from translator.editorial.units import Unit
from translator.errors import StoreError
from translator.pipeline.memory import TranslationMemory, memory_key
from translator.store import ArticleVersion, PutResult, Store, StoredTranslation, open_store, redact_url
from translator.store.redis import RedisStore
from translator.store.sqlite import APPLICATION_ID, SCHEMA_VERSION


# -- protocol -------------------------------------------------------------------------------------

def test_store_satisfies_both_protocols(store):
    assert isinstance(store, Store)
    assert isinstance(store, TranslationMemory)
    store.ping()


def test_description_names_the_backend(store, store_url):
    if store_url.startswith("sqlite"):
        assert store.description == f"sqlite:///{store.path}"
        assert store.description.endswith("/store/translator.sqlite3")
    else:
        assert store.description == store_url


# -- translation memory ---------------------------------------------------------------------------

def test_segments_round_trip_and_count_hits(store):
    key_a, key_b = memory_key("echo", "", "Hello."), memory_key("echo", "", "World.")
    assert store.get_segments([key_a, key_b]) == {}
    store.put_segments({key_a: "Bonjour.", key_b: "Monde."})
    store.put_segments({key_b: "Le monde."})  # a later write replaces
    assert store.get_segments([key_a, key_b, "missing"]) == {key_a: "Bonjour.", key_b: "Le monde."}
    figures = store.stats()
    assert (figures["entries"], figures["hits"], figures["misses"]) == (2, 2, 3)
    assert figures["hit_ratio"] == pytest.approx(2 / 5)


def test_many_segments_in_one_call(store):
    entries = {f"key-{i}": f"valeur {i}" for i in range(2_345)}
    store.put_segments(entries)
    assert store.get_segments(list(entries) + ["absent"]) == entries
    assert store.stats()["entries"] == 2_345


def test_empty_calls_are_no_ops(store):
    store.put_segments({})
    assert store.get_segments([]) == {}
    assert store.stats()["hit_ratio"] is None


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(entries=st.dictionaries(st.text(min_size=1, max_size=30), st.text(max_size=200), max_size=8))
def test_any_unicode_segment_round_trips(store, entries):
    store.put_segments(entries)
    assert store.get_segments(list(entries)) == entries


# -- article versions -----------------------------------------------------------------------------

def test_versions_are_created_only_when_content_changes(store):
    assert store.put_article("a1", title="Title", body="Body.") == PutResult("a1", 1, changed=True, created=True)
    assert store.put_article("a1", title="Title", body="Body.") == PutResult("a1", 1, changed=False, created=False)
    assert store.put_article("a1", title="Title", body="Body!") == PutResult("a1", 2, changed=True, created=False)
    assert store.put_article("a1", title="Title", body="Body!", url="https://x.test/a1") == \
        PutResult("a1", 3, changed=True, created=False)
    assert store.put_article("a1", title="Title", body="Body!", format="html", url="https://x.test/a1") == \
        PutResult("a1", 4, changed=True, created=False)
    # Going back to an earlier content is a change too: a new version, not the old number.
    assert store.put_article("a1", title="Title", body="Body.") == PutResult("a1", 5, changed=True, created=False)


def test_get_article_latest_or_given_version(store, store_url):
    clock = FakeClock()
    timed = open_with_clock(store_url, clock)
    timed.put_article("a1", title="T1", body="B1", url="https://x.test/1")
    clock.now += 60
    timed.put_article("a1", title="T2", body="B2")
    assert timed.get_article("a1") == ArticleVersion("a1", 2, "T2", "B2", "text", None, "2023-11-14T22:14:20.000Z")
    assert timed.get_article("a1", 1) == ArticleVersion("a1", 1, "T1", "B1", "text", "https://x.test/1",
                                                        "2023-11-14T22:13:20.000Z")
    assert timed.get_article("a1", 1).to_dict() == {
        "id": "a1", "version": 1, "title": "T1", "body": "B1", "format": "text", "url": "https://x.test/1",
        "created_at": "2023-11-14T22:13:20.000Z"}
    assert timed.get_article("a1", 3) is None
    assert timed.get_article("nope") is None
    timed.close()


def test_old_versions_are_pruned_with_their_translations(store):
    for n in range(1, 6):
        store.put_article("a1", title="T", body=f"version {n}")
        store.put_translation(translation("a1", n))
    assert [store.get_article("a1", n) is not None for n in range(1, 6)] == [False, False, True, True, True]
    assert [store.get_translation("a1", n, "fr") is not None for n in range(1, 6)] == [False, False, True, True, True]
    assert (store.stats()["versions"], store.stats()["translations"]) == (3, 3)


def test_ids_with_separators_do_not_collide(store):
    store.put_article("a:1", title="T", body="colon")
    store.put_article("a", title="T", body="plain")
    store.put_article("a", title="T", body="plain 2")
    assert store.get_article("a:1").body == "colon"
    assert store.get_article("a", 1).body == "plain"
    assert store.get_article("a:1", 2) is None


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(contents=st.lists(st.sampled_from(["a", "b", "c"]), min_size=1, max_size=12))
def test_versioning_follows_the_reference_model(store, contents):
    """A new version exactly when the content differs from the latest; the last 3 are kept."""
    article_id = f"prop-{uuid.uuid4().hex}"
    versions: list[str] = []  # reference model: content of each version
    for content in contents:
        result = store.put_article(article_id, title="T", body=content)
        changed = not versions or versions[-1] != content
        if changed:
            versions.append(content)
        assert result == PutResult(article_id, len(versions), changed, created=changed and len(versions) == 1)
    for number, content in enumerate(versions, start=1):
        kept = store.get_article(article_id, number)
        if number > len(versions) - 3:
            assert (kept.version, kept.body) == (number, content)
        else:
            assert kept is None
    assert store.get_article(article_id).version == len(versions)


# -- translations ---------------------------------------------------------------------------------

def test_translations_round_trip_per_version_and_language(store):
    store.put_article("a1", title="T", body="Body one.")
    store.put_article("a1", title="T", body="Body two.")
    fr, de = translation("a1", 1, "fr", "Corps un. « é »"), translation("a1", 1, "de", "Körper eins.")
    store.put_translation(fr)
    store.put_translation(de)
    assert store.get_translation("a1", 1, "fr") == fr
    assert store.get_translation("a1", 1, "de") == de
    assert store.get_translation("a1", 2, "fr") is None
    assert store.get_translation("other", 1, "fr") is None
    newer = replace(fr, body="Corps refait.", paragraphs=["Corps refait."])
    store.put_translation(newer)
    assert store.get_translation("a1", 1, "fr") == newer
    assert store.stats()["translations"] == 2


def test_translation_to_dict_has_exactly_the_endpoint_keys():
    assert translation("a1", 1).to_dict() == {
        "id": "a1", "version": 1, "lang": "fr", "title": "Titre 1", "body": "Corps.", "paragraphs": ["Corps."],
        "model": "echo", "glossary_version": "g1", "translated_at": "2024-05-01T12:00:00.000Z",
        "glossary": {"applied": [{"source": "Paris", "target": "Paris"}], "missed": []},
        "segments": {"total": 2, "from_memory": 1, "translated": 1, "unchanged": 0, "failed": 0},
        "units": [], "reviewed": False}
    assert StoredTranslation.from_dict(translation("a1", 1).to_dict()) == translation("a1", 1)


def test_units_keep_their_store_only_data_in_the_record_but_not_in_the_endpoint_body(store):
    machine = {"target": "Corps.", "origin": "machine", "status": "translated", "score": -0.5, "flags": []}
    units = [Unit.from_dict({"index": 0, "paragraph": 0, "source": "Body.", "target": "Corps.", "origin": "machine",
                             "score": -0.5, "flags": [], "_part": "body", "_para": 0, "_trailing": "",
                             "_machine": machine})]
    stored = replace(translation("a1", 1), units=units)
    assert stored.to_dict()["units"] == [{"index": 0, "paragraph": 0, "source": "Body.", "target": "Corps.",
                                          "origin": "machine", "score": -0.5, "flags": []}]
    store.put_article("a1", title="T", body="Body.")
    store.put_translation(stored)
    assert store.get_translation("a1", 1, "fr") == stored
    assert StoredTranslation.from_dict({k: v for k, v in stored.to_record().items()
                                        if k not in ("units", "reviewed")}).units == []  # older records


def test_translation_of_a_missing_version_is_dropped(store):
    store.put_translation(translation("ghost", 1))
    assert store.get_translation("ghost", 1, "fr") is None
    store.put_article("a1", title="T", body="B")
    store.put_translation(translation("a1", 7))
    assert store.get_translation("a1", 7, "fr") is None
    assert store.stats()["translations"] == 0


# -- glossary edits -------------------------------------------------------------------------------

def test_glossary_edits_per_pair_with_deletions(store):
    assert store.glossary_edits("en-fr") == {}
    store.put_glossary_edit("en-fr", "White House", ("Maison-Blanche", ""))
    store.put_glossary_edit("en-fr", "NASA", ("NASA", "c"))
    store.put_glossary_edit("en-fr", "Brexit", None)
    store.put_glossary_edit("en-de", "White House", ("Weißes Haus", ""))
    store.put_glossary_edit("en-fr", "NASA", ("la NASA", "ci"))
    assert store.glossary_edits("en-fr") == {"Brexit": None, "NASA": ("la NASA", "ci"),
                                             "White House": ("Maison-Blanche", "")}
    assert list(store.glossary_edits("en-fr")) == ["Brexit", "NASA", "White House"]
    assert store.glossary_edits("en-de") == {"White House": ("Weißes Haus", "")}


# -- stats and purge ------------------------------------------------------------------------------

def test_stats_count_everything(store, store_url):
    timed = open_with_clock(store_url, FakeClock())
    fill_store(timed, timed._clock)
    figures = timed.stats()
    assert {k: figures[k] for k in ("backend", "entries", "articles", "versions", "translations")} == {
        "backend": store_url.split(":")[0], "entries": 3, "articles": 2, "versions": 3, "translations": 3}
    assert figures["size_bytes"] > 0
    assert (figures["hits"], figures["misses"], figures["hit_ratio"]) == (0, 0, None)
    timed.close()


def test_purge_everything_keeps_glossary_edits(store, store_url):
    timed = open_with_clock(store_url, FakeClock())
    fill_store(timed, timed._clock)
    timed.put_glossary_edit("en-fr", "Paris", ("Paris", ""))
    assert timed.purge() == {"entries": 3, "articles": 2, "versions": 3, "translations": 3}
    figures = timed.stats()
    assert (figures["entries"], figures["articles"], figures["versions"], figures["translations"]) == (0, 0, 0, 0)
    assert timed.get_article("a1") is None
    assert timed.glossary_edits("en-fr") == {"Paris": ("Paris", "")}
    # The article starts afresh at version 1.
    assert timed.put_article("a1", title="T", body="again") == PutResult("a1", 1, True, True)
    timed.close()


def test_purge_one_article(store, store_url):
    timed = open_with_clock(store_url, FakeClock())
    fill_store(timed, timed._clock)
    assert timed.purge(article_id="a1") == {"entries": 0, "articles": 1, "versions": 2, "translations": 2}
    assert timed.get_article("a1") is None
    assert timed.get_article("a2").body == "first"
    assert timed.get_translation("a2", 1, "fr") == translation("a2", 1)
    assert timed.purge(article_id="unknown") == {"entries": 0, "articles": 0, "versions": 0, "translations": 0}
    timed.close()


def test_purge_older_than_keeps_latest_versions(store, store_url):
    clock = FakeClock()
    timed = open_with_clock(store_url, clock)
    fill_store(timed, clock)
    clock.now += 1 * DAY  # old things are 11 days old, new ones 1 day
    assert timed.purge(older_than_days=5) == {"entries": 2, "articles": 0, "versions": 1, "translations": 2}
    assert timed.get_segments(["old-1", "old-2", "new-1"]) == {"new-1": "neuf 1"}
    assert timed.get_article("a1", 1) is None
    assert timed.get_article("a1").version == 2
    assert timed.get_article("a2").version == 1  # old but latest: the live source stays
    assert timed.get_translation("a1", 2, "fr") == translation("a1", 2)
    assert timed.get_translation("a2", 1, "fr") is None
    assert timed.purge(older_than_days=5) == {"entries": 0, "articles": 0, "versions": 0, "translations": 0}
    timed.close()


def test_purge_one_article_older_than(store, store_url):
    clock = FakeClock()
    timed = open_with_clock(store_url, clock)
    fill_store(timed, clock)
    assert timed.purge(article_id="a1", older_than_days=5) == {
        "entries": 0, "articles": 0, "versions": 1, "translations": 1}
    assert timed.get_segments(["old-1"]) == {"old-1": "vieux 1"}
    assert timed.get_translation("a2", 1, "fr") == translation("a2", 1)
    assert timed.get_article("a1", 2).body == "second"
    timed.close()


# -- single-flight lock ---------------------------------------------------------------------------

def test_lock_excludes_other_threads(store):
    holders, most, guard = [0], [0], threading.Lock()

    def work():
        for _ in range(5):
            with store.lock("job"):
                with guard:
                    holders[0] += 1
                    most[0] = max(most[0], holders[0])
                threading.Event().wait(0.002)
                with guard:
                    holders[0] -= 1

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert most[0] == 1


def test_lock_names_are_independent_and_waiting_gives_up(store):
    held, release = threading.Event(), threading.Event()

    def hold():
        with store.lock("one"):
            held.set()
            release.wait(10)

    holder = threading.Thread(target=hold)
    holder.start()
    assert held.wait(10)
    with store.lock("two", timeout=5):  # another name: not blocked
        pass
    with pytest.raises(StoreError, match="gave up waiting for lock 'one'"):
        with store.lock("one", timeout=0.2):
            pass
    release.set()
    holder.join()
    with store.lock("one", timeout=5):
        pass


def test_redis_lock_holds_across_store_objects_and_expires(redis_store_url):
    first, second = open_store(redis_store_url), open_store(redis_store_url)
    with first.lock("shared", timeout=30):
        with pytest.raises(StoreError, match="gave up waiting"):
            with second.lock("shared", timeout=0.3):
                pass
    # A holder that never releases (a dead process) loses the lock when it expires.
    abandoned = redis.Redis.from_url(redis_store_url.split("?")[0]).lock(
        first.prefix + "lock:crashed", timeout=0.3)
    assert abandoned.acquire(blocking=False)
    with second.lock("crashed", timeout=10):
        pass
    first.close()
    second.close()


def test_redis_lock_lease_is_renewed_while_held(redis_store_url):
    holder = RedisStore.from_url(redis_store_url, lock_lease=0.3)
    other = open_store(redis_store_url)
    with holder.lock("long job"):
        threading.Event().wait(1.0)  # three leases long
        with pytest.raises(StoreError, match="gave up waiting"):
            with other.lock("long job", timeout=0.3):
                pass
    with other.lock("long job", timeout=5):
        pass
    holder.close()
    other.close()


# -- opening --------------------------------------------------------------------------------------

def test_default_store_is_created_under_the_data_dir(tmp_path):
    settings = Settings(data_dir=tmp_path / "deep" / "data", glossary=None)
    assert settings.store == f"sqlite:///{tmp_path / 'deep' / 'data' / 'translator.sqlite3'}"
    opened = open_store(settings.store)
    path = tmp_path / "deep" / "data" / "translator.sqlite3"
    assert path.is_file()
    opened.close()
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_two_store_objects_share_one_sqlite_file(tmp_path):
    url = f"sqlite:///{tmp_path / 's.db'}"
    first, second = open_store(url), open_store(url)
    first.put_article("a1", title="T", body="B")
    first.put_segments({"k": "v"})
    assert second.get_article("a1").body == "B"
    assert second.get_segments(["k"]) == {"k": "v"}
    assert second.put_article("a1", title="T", body="B").changed is False
    first.close()
    second.close()


def test_relative_sqlite_path_is_relative_to_the_working_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    opened = open_store("sqlite:///rel/store.db")
    assert opened.path == tmp_path / "rel" / "store.db"
    opened.close()


def test_sqlite_connections_of_finished_threads_are_released(tmp_path):
    opened = open_store(f"sqlite:///{tmp_path / 's.db'}")
    threads = [threading.Thread(target=opened.get_segments, args=(["k"],)) for _ in range(30)]
    for t in threads:
        t.start()
        t.join()
    gc.collect()
    assert len(opened._connections) <= 1  # only this thread's, from opening
    assert opened.stats()["misses"] == 30
    opened.close()


def test_closed_store_refuses_work(tmp_path):
    opened = open_store(f"sqlite:///{tmp_path / 's.db'}")
    opened.close()
    with pytest.raises(StoreError, match="is closed"):
        opened.get_segments(["k"])


@pytest.mark.parametrize("url, message", [
    ("mongodb://db:27017/x", "TRANSLATOR_STORE='mongodb://db:27017/x': unknown store; use sqlite:///PATH, "
                             "redis://HOST:PORT/DB or postgresql://USER:PASSWORD@HOST:PORT/DB"),
    ("/var/lib/translator.db", "TRANSLATOR_STORE='/var/lib/translator.db': unknown store"),
    ("sqlite://relative.db", "TRANSLATOR_STORE='sqlite://relative.db': expected sqlite:///PATH"),
    ("redis://127.0.0.1:notaport/0", "TRANSLATOR_STORE='redis://127.0.0.1:notaport/0': not a usable Redis URL"),
])
def test_bad_store_urls(url, message):
    with pytest.raises(StoreError) as error:
        open_store(url)
    assert str(error.value).startswith(message)


def test_unreachable_redis_names_the_variable_without_the_password(unused_tcp_port):
    with pytest.raises(StoreError) as error:
        open_store(f"redis://:s3cret@127.0.0.1:{unused_tcp_port}/0")
    message = str(error.value)
    assert message.startswith(f"TRANSLATOR_STORE='redis://:***@127.0.0.1:{unused_tcp_port}/0': cannot reach Redis")
    assert "s3cret" not in message


def test_redact_url():
    assert redact_url("redis://user:pw@host:6380/2?prefix=x:") == "redis://user:***@host:6380/2?prefix=x:"
    assert redact_url("redis://host:6379/0") == "redis://host:6379/0"
    assert redact_url("sqlite:////tmp/x.db") == "sqlite:////tmp/x.db"
    assert redact_url("redis://:pw@host:port/0") == "redis://:***@host:port/0"  # bad port: still redacted


def test_redis_prefix_with_another_schema_is_refused(redis_store_url):
    prefix = redis_store_url.split("prefix=")[1]
    client = redis.Redis.from_url(redis_store_url.split("?")[0])
    client.set(prefix + "schema", "something-else/7")
    with pytest.raises(StoreError, match="belong to 'something-else/7'"):
        open_store(redis_store_url)
    client.close()


def test_garbage_file_is_refused_and_left_untouched(tmp_path):
    path = tmp_path / "notes.db"
    content = b"These are my notes, not a database.\n" * 200
    path.write_bytes(content)
    with pytest.raises(StoreError) as error:
        open_store(f"sqlite:///{path}")
    assert str(error.value).startswith(f"TRANSLATOR_STORE: {path}: cannot open it as a SQLite store (file is not "
                                       "a database); it is left untouched")
    assert path.read_bytes() == content
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.db"]


def test_foreign_sqlite_database_is_refused_and_left_untouched(tmp_path):
    path = tmp_path / "app.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE users (name TEXT)")
        conn.execute("INSERT INTO users VALUES ('ada')")
    conn.close()
    content = path.read_bytes()
    with pytest.raises(StoreError) as error:
        open_store(f"sqlite:///{path}")
    assert str(error.value) == (f"TRANSLATOR_STORE: {path} is a SQLite database of something else (application "
                                "id 0x0, tables: users); refusing to use it. Point TRANSLATOR_STORE at another file.")
    assert path.read_bytes() == content
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # not switched to WAL


def test_store_from_a_newer_version_is_refused(tmp_path):
    path = tmp_path / "s.db"
    open_store(f"sqlite:///{path}").close()
    with sqlite3.connect(path) as conn:
        conn.execute(f"PRAGMA user_version={SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(StoreError, match=f"has store schema {SCHEMA_VERSION + 1}, newer than"):
        open_store(f"sqlite:///{path}")


def test_corrupted_pages_give_a_store_error(tmp_path):
    path = tmp_path / "s.db"
    opened = open_store(f"sqlite:///{path}")
    opened.put_segments({f"key-{i}": "x" * 500 for i in range(400)})
    opened.close()
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    data = bytearray(path.read_bytes())
    page = 4096
    data[3 * page:len(data) - page] = b"\xff" * (len(data) - 4 * page)  # wreck everything but the first pages
    path.write_bytes(bytes(data))
    with pytest.raises(StoreError, match="malformed.*the file is corrupt: restore it from a backup"):
        reopened = open_store(f"sqlite:///{path}")
        reopened.get_segments([f"key-{i}" for i in range(400)])


@pytest.fixture
def unused_tcp_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_pending_translations_are_recorded_listed_oldest_first_and_removed(store):
    assert store.pending("fr") == []
    store.add_pending("fr", "b-story", 2)
    store.add_pending("fr", "a-story", 1)
    store.add_pending("fr", "b-story", 2)       # twice: once
    store.add_pending("de", "a-story", 1)
    assert store.pending("fr") == [("b-story", 2), ("a-story", 1)]
    assert store.pending("de") == [("a-story", 1)]
    store.remove_pending("fr", "b-story", 2)
    store.remove_pending("fr", "never", 9)      # nothing to remove: fine
    assert store.pending("fr") == [("a-story", 1)]


def test_human_entries_are_put_all_together(store):
    from translator.editorial.human_memory import HumanEntry

    entries = [HumanEntry(lang="fr", source=f"Sentence {i}.", target=f"Phrase {i}.", editor="tmx",
                          created_at="2026-12-01T00:00:00Z") for i in range(300)]
    store.put_human_entries(entries)
    assert [e.source for e in store.human_entries("fr")] == sorted(e.source for e in entries)
    store.put_human_entries([])
    assert len(store.human_entries("fr")) == 300


def test_a_lasting_failure_is_marked_until_a_new_attempt_or_removal(store):
    store.add_pending("fr", "broken", 1)
    store.mark_failed("fr", "broken", 1, "ValueError: no")
    assert (store.failure("fr", "broken", 1), store.pending("fr")) == ("ValueError: no", [])  # never resumed
    assert store.failure("fr", "broken", 2) is None and store.failure("de", "broken", 1) is None
    store.mark_failed("fr", "broken", 1, "ValueError: still no")                   # marked again: the last reason
    assert store.failure("fr", "broken", 1) == "ValueError: still no"
    store.add_pending("fr", "broken", 1)                                           # a new attempt clears it
    assert (store.failure("fr", "broken", 1), store.pending("fr")) == (None, [("broken", 1)])
    store.mark_failed("fr", "broken", 1, "again")
    store.remove_pending("fr", "broken", 1)
    assert (store.failure("fr", "broken", 1), store.pending("fr")) == (None, [])


# -- what a copy reads and writes (translator store copy) -------------------------------------------

def test_entries_and_ids_are_listed_and_versions_are_written_with_their_numbers(store):
    store.put_segments({"k2": "v2", "k1": "v1"})
    store.probe()  # the probe's entry never shows
    assert sorted(store.segment_entries()) == [("k1", "v1"), ("k2", "v2")]
    store.put_article("a2", title="T", body="B")
    store.put_article("a1", title="T", body="B")
    assert list(store.article_ids()) == ["a1", "a2"]

    fifth = ArticleVersion("b", 5, "Title", "Body 5", "html", "https://example.com/b", "2024-05-01T12:00:00.000Z")
    store.put_version(fifth)
    store.put_version(replace(fifth, version=4, body="Body 4", created_at="2024-04-01T12:00:00.000Z"))
    store.put_version(fifth)  # again: the same
    assert store.get_article("b") == fifth
    assert store.get_article("b", 4).body == "Body 4"
    assert store.stats()["versions"] == 4
    assert store.put_article("b", title="Title", body="Body 5", format="html",
                             url="https://example.com/b") == PutResult("b", 5, changed=False, created=False)
    assert store.put_article("b", title="Title", body="Body 6").version == 6
