"""The markers `make test-fast` selects on are put on by the fixtures a test uses (tests/conftest.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent


class _Collected:
    """A pytest plugin that keeps each collected test's node id and marker names."""

    def __init__(self):
        self.markers: dict[str, set[str]] = {}

    def pytest_collection_finish(self, session: pytest.Session) -> None:
        self.markers = {item.nodeid.partition("::")[2]: {mark.name for mark in item.iter_markers()}
                        for item in session.items}


@pytest.fixture(scope="module")
def collected() -> dict[str, set[str]]:
    """Marker names by test (``name[params]``) in three modules: store, workers, widget (browser)."""
    plugin = _Collected()
    code = pytest.main(["--collect-only", "-q", "-p", "no:cacheprovider",
                        *(str(TESTS / name) for name in ("test_store.py", "test_workers.py",
                                                          "test_widget_browser.py"))],
                       plugins=[plugin])
    assert code == pytest.ExitCode.OK
    return plugin.markers


def test_the_redis_parameter_of_the_store_marks_redis_and_sqlite_stays_unmarked(collected):
    assert "redis" in collected["test_description_names_the_backend[redis]"]
    assert not {"redis", "rabbitmq", "browser"} & collected["test_description_names_the_backend[sqlite]"]


def test_each_broker_of_a_deployment_marks_its_server(collected):
    on_redis = collected["test_a_worker_killed_holding_a_task_loses_nothing[redis]"]
    on_rabbitmq = collected["test_a_worker_killed_holding_a_task_loses_nothing[amqp]"]
    assert "redis" in on_redis and "rabbitmq" not in on_redis
    assert {"redis", "rabbitmq"} <= on_rabbitmq  # its store is still the Redis one


def test_the_browser_fixture_marks_browser(collected):
    assert "browser" in collected["test_translates_in_place_and_restores_the_original_without_a_new_request"]
