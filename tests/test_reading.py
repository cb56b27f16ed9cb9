"""The one reading rule (translator.service.reading) that the API and the reader's page share."""

from __future__ import annotations

import threading

import pytest

from tests.fakes import EchoEngine, FunctionEngine
from tests.waiting import wait_until
from translator.editorial.publication import Publication
from translator.pipeline.translator import Translator
from translator.errors import EngineBusy
from translator.service.articles import MAX_VERSION, ArticleNotFound, ArticleService, LastingFailure
from translator.service.reading import (BadVersion, ReadingState, check_visible, parse_version,
                                        read_translation)

NOW = 1_800_000_000.0


@pytest.mark.parametrize("raw, expected", [(None, None), ("1", 1), ("42", 42), (str(MAX_VERSION + 1), MAX_VERSION + 1)])
def test_parse_version_takes_positive_integers(raw, expected):
    assert parse_version(raw) == expected


@pytest.mark.parametrize("raw", ["0", "-1", "1.5", "", "abc", "١", " 1", "+1"])
def test_parse_version_refuses_anything_else(raw):
    with pytest.raises(BadVersion) as caught:
        parse_version(raw)
    assert caught.value.raw == raw


@pytest.fixture
def service(sqlite_store):
    built = ArticleService(sqlite_store, Translator(EchoEngine(), memory=sqlite_store), workers=1)
    yield built
    built.shutdown()


def test_a_version_past_the_64_bit_limit_is_not_found_without_asking_the_store(service):
    service.put("a", title="T", body="B.")
    with pytest.raises(ArticleNotFound):
        read_translation(service, "a", MAX_VERSION + 1, now=NOW, insider=True)


@pytest.mark.parametrize("publication, insider, expected", [
    (None, False, True),
    (Publication(published=True), False, True),
    (Publication(published=True, embargo_until=NOW - 1), False, True),
    (Publication(published=True, embargo_until=NOW + 60), True, False),
    (Publication(published=False), True, False),
    (Publication(published=True, embargo_until=NOW + 60), False, ArticleNotFound),
    (Publication(published=False), False, ArticleNotFound),
])
def test_visibility_public_hidden_from_readers_seen_by_insiders(service, publication, insider, expected):
    service.put("a", title="T", body="B.")
    if publication is not None:
        service.store.set_publication("a", publication)
    if expected is ArticleNotFound:
        with pytest.raises(ArticleNotFound):
            check_visible(service, "a", None, now=NOW, insider=insider)
    else:
        assert check_visible(service, "a", None, now=NOW, insider=insider) is expected


def test_pending_then_ready_with_the_exact_french(service):
    service.put("a", title="Title.", body="One.\n\nTwo.")
    first = read_translation(service, "a", None, now=NOW, insider=False)
    assert (first.state, first.translation, first.public) == (ReadingState.PENDING, None, True)
    service.shutdown(wait=True)  # the background translation it started has finished
    ready = read_translation(service, "a", None, now=NOW, insider=False)
    assert ready.state == ReadingState.READY
    assert (ready.translation.title, ready.translation.body) == ("FR(Title.)", "FR(One.)\n\nFR(Two.)")


def test_a_transient_failure_is_reported_once_and_the_next_read_starts_again(sqlite_store):
    release = threading.Event()

    def fail_once(text: str) -> str:
        if not release.is_set():
            raise EngineBusy("engine down")
        return f"FR({text})"

    service = ArticleService(sqlite_store, Translator(FunctionEngine(fail_once), memory=sqlite_store), workers=1)
    try:
        service.put("a", title="T.", body="B.")
        assert read_translation(service, "a", None, now=NOW, insider=False).state == ReadingState.PENDING
        failed = _wait_for_state(service, ReadingState.FAILED)
        assert "engine down" in str(failed.failure)
        release.set()
        assert read_translation(service, "a", None, now=NOW, insider=False).state == ReadingState.PENDING
    finally:
        service.shutdown()


def test_a_lasting_failure_is_reported_on_every_read_until_the_version_is_sent_again(sqlite_store):
    release = threading.Event()

    def fail(text: str) -> str:
        if not release.is_set():
            raise RuntimeError("engine down")
        return f"FR({text})"

    service = ArticleService(sqlite_store, Translator(FunctionEngine(fail), memory=sqlite_store), workers=1)
    try:
        service.put("a", title="T.", body="B.")
        assert read_translation(service, "a", None, now=NOW, insider=False).state == ReadingState.PENDING
        failed = _wait_for_state(service, ReadingState.FAILED)
        assert isinstance(failed.failure, LastingFailure) and failed.failure.reason == "RuntimeError: engine down"
        release.set()
        for _ in range(3):
            assert read_translation(service, "a", None, now=NOW, insider=False).state == ReadingState.FAILED
        assert not service.is_translating("a", 1)
        assert service.retry_failed("a", 1) is True
        assert _wait_for_state(service, ReadingState.READY).translation.title == "FR(T.)"
        assert service.retry_failed("a", 1) is False  # nothing failed any more
    finally:
        service.shutdown()


def _wait_for_state(service, state, seconds: float = 5.0):
    def reached():
        reading = read_translation(service, "a", None, now=NOW, insider=False)
        return reading if reading.state == state else None
    return wait_until(reached, seconds, f"the state {state}")
