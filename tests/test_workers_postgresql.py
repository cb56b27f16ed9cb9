"""Web apps and translation workers sharing the PostgreSQL store (the Redis broker beside it)."""

from __future__ import annotations

import os
import signal

import psycopg
import pytest
import redis

from tests.task_helpers import postgres_deployment  # noqa: F401  (fixture)
from tests.test_workers import _all_translated, _app, _article, _expected, _texts
from tests.waiting import wait_until
from translator.store import open_store

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("celery-workers")]


def _advisory_locks(store_url: str) -> int:
    with psycopg.connect(store_url.partition("?")[0], autocommit=True) as conn:
        return conn.execute("SELECT count(*) FROM pg_locks l JOIN pg_database d ON d.oid = l.database "
                            "WHERE l.locktype = 'advisory' AND d.datname = current_database()").fetchone()[0]


def test_two_web_apps_and_two_workers_translate_thirty_articles_once_though_one_worker_is_killed(
        postgres_deployment):
    deployment = postgres_deployment
    stall = deployment.tmp_path / "stalled"
    workers = [deployment.start_worker("--concurrency", "1", TEST_ENGINE_STALL=str(stall)) for _ in range(2)]
    (first_app, first_services), (second_app, second_services) = _app(deployment), _app(deployment)
    clients = [first_app.test_client(), second_app.test_client()]
    wait_until(lambda: clients[0].get("/readyz").json["checks"].get("workers") == {"en-fr": 2}, 30,
               "both workers' heartbeats")
    assert clients[0].get("/readyz").json == {"status": "ready", "checks": {
        "model": "off (the workers translate)", "store": "ok", "disk": "ok", "broker": "ok", "workers": {"en-fr": 2}}}

    stuck = _article(0)
    stuck["body"] = stuck["body"].replace("First", "STALL First")
    assert clients[0].put("/v1/articles/story-0", json=stuck).status_code == 201
    holder_pid = int(wait_until(lambda: stall.exists() and stall.read_text(), 30, "a worker holding the task"))
    holder = next(w for w in workers if w.pid == holder_pid)
    os.kill(holder.pid, signal.SIGKILL)  # mid-translation, holding the article's single-flight lock
    assert holder.process.wait(10) == -signal.SIGKILL
    ids = [f"story-{i}" for i in range(30)]
    for i, article_id in enumerate(ids[1:], start=1):
        response = clients[i % 2].put(f"/v1/articles/{article_id}", json=_article(i))
        assert response.status_code == 201

    for client in clients:
        wait_until(_all_translated(client, ids), 90, "30 translations, the killed worker's one included")
    for i, article_id in enumerate(ids[1:], start=1):
        body = clients[(i + 1) % 2].get(f"/v1/articles/{article_id}/translations/fr").json
        assert {k: body[k] for k in ("title", "paragraphs", "body")} == _expected(i)
    survivor = next(w for w in workers if w is not holder)
    assert {pid for pid, _ in deployment.engine_lines()} == {survivor.pid}
    expected = [stuck["title"], *stuck["body"].split("\n\n"), *(t for i in range(1, 30) for t in _texts(i))]
    assert deployment.engine_counts() == {text: 1 for text in expected}  # every text exactly once
    metrics = clients[1].get("/metrics").get_data(as_text=True)
    assert 'translator_store_connections{state="waiting"} 0.0' in metrics
    first_services.close()
    second_services.close()

    # No lock and no queued marker left behind.
    wait_until(lambda: _advisory_locks(deployment.store) == 0, 5, "every advisory lock released")
    board = redis.Redis.from_url(deployment.broker)
    try:
        assert not list(board.scan_iter(match=f"{deployment.prefix}translator:tasks:pending:*"))
    finally:
        board.close()
    store = open_store(deployment.store)
    try:
        assert store.stats()["entries"] == 3 * 30
        assert all(store.get_translation(article_id, 1, "fr") is not None for article_id in ids)
    finally:
        store.close()
