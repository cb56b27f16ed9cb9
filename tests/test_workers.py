"""Translation workers as real processes on the real brokers (Redis, then RabbitMQ) and the real Redis store.

The web app runs in this process without a model (``TRANSLATOR_WEB_ENGINE=off``);
``translator worker`` processes translate with the deterministic engine of
:mod:`tests.worker_engines`, which logs every text it translates, so
"translated exactly once" is counted, not assumed.
"""

from __future__ import annotations

import os
import signal

import pytest

from tests.task_helpers import Deployment, deployment, wait_until  # noqa: F401  (fixture)
from translator.store import open_store
from translator.tasks.app import BULK
from translator.web import Services, create_app

pytestmark = pytest.mark.slow


def _article(i: int) -> dict:
    return {"title": f"Headline {i}", "body": f"First paragraph of story {i}.\n\nSecond paragraph of story {i}."}


def _expected(i: int) -> dict:
    article = _article(i)
    paragraphs = [f"FR({p})" for p in article["body"].split("\n\n")]
    return {"title": f"FR({article['title']})", "paragraphs": paragraphs, "body": "\n\n".join(paragraphs)}


def _texts(i: int) -> list[str]:
    article = _article(i)
    return [article["title"], *article["body"].split("\n\n")]


def _app(deployment: Deployment, **settings):
    services = Services(deployment.settings(**settings))
    return create_app(services=services), services


def _all_translated(client, ids: list[str]):
    def check():
        return all(client.get(f"/v1/articles/{i}/translations/fr").status_code == 200 for i in ids)
    return check


def _check_store_consistent(deployment: Deployment, articles: dict[str, int]) -> None:
    """Every article at version 1 with its exact translation; no lock or queued marker left behind."""
    store = open_store(deployment.store)
    try:
        for article_id, i in articles.items():
            assert store.get_article(article_id).version == 1
            stored = store.get_translation(article_id, 1, "fr")
            assert {"title": stored.title, "paragraphs": stored.paragraphs, "body": stored.body} == _expected(i)
            assert stored.model == "echo"
        client, prefix = store.client, store.prefix
        assert list(client.scan_iter(match=f"{prefix}lock:*")) == []
        assert list(client.scan_iter(match=f"{prefix}tasks:pending:*")) == []
        assert store.stats()["entries"] == 3 * len(articles)
    finally:
        store.close()


def test_two_workers_translate_thirty_articles_put_through_the_web_app_exactly_once(deployment):
    first = deployment.start_worker("--concurrency", "1", TEST_ENGINE_DELAY="0.05")
    second = deployment.start_worker("--concurrency", "1", TEST_ENGINE_DELAY="0.05")
    app, services = _app(deployment)
    client = app.test_client()
    assert client.get("/readyz").json == {"status": "ready", "checks": {
        "model": "off (the workers translate)", "store": "ok", "broker": "ok"}}
    ids = [f"story-{i}" for i in range(30)]
    for i, article_id in enumerate(ids):
        response = client.put(f"/v1/articles/{article_id}", json=_article(i))
        assert (response.status_code, response.json) == (201, {"id": article_id, "version": 1, "changed": True})
    wait_until(_all_translated(client, ids), 60, "30 translations")
    for i, article_id in enumerate(ids):
        body = client.get(f"/v1/articles/{article_id}/translations/fr").json
        assert {k: body[k] for k in ("title", "paragraphs", "body")} == _expected(i)

    counts = deployment.engine_counts()
    assert counts == {text: 1 for i in range(30) for text in _texts(i)}  # every text once, nothing else
    pids = {pid for pid, _ in deployment.engine_lines()}
    assert pids == {first.pid, second.pid}  # both worked
    metrics = client.get("/metrics").get_data(as_text=True)
    done = {name: int(float(line.rsplit(" ", 1)[1])) for name in (first.name, second.name)
            for line in metrics.splitlines()
            if line.startswith(f'translator_worker_tasks_total{{result="done",worker="{name}"}}')}
    assert sum(done.values()) == 30 and all(done.values())
    assert f'translator_queue_messages{{queue="{deployment.prefix}interactive.en-fr"}} 0.0' in metrics
    services.close()
    _check_store_consistent(deployment, {article_id: i for i, article_id in enumerate(ids)})


def test_a_worker_killed_holding_a_task_loses_nothing(deployment):
    stall = deployment.tmp_path / "stalled"
    workers = [deployment.start_worker(TEST_ENGINE_STALL=str(stall)) for _ in range(2)]
    app, services = _app(deployment)
    client = app.test_client()
    articles = {"stuck": 0, **{f"other-{i}": i for i in range(1, 6)}}
    stuck = _article(0)
    stuck["body"] = stuck["body"].replace("First", "STALL First")
    assert client.put("/v1/articles/stuck", json=stuck).status_code == 201
    holder_pid = int(wait_until(lambda: stall.exists() and stall.read_text(), 30, "a worker holding the task"))
    holder = next(w for w in workers if w.pid == holder_pid)
    os.kill(holder.pid, signal.SIGKILL)
    assert holder.process.wait(10) == -signal.SIGKILL
    for article_id, i in articles.items():
        if article_id != "stuck":
            assert client.put(f"/v1/articles/{article_id}", json=_article(i)).status_code == 201

    wait_until(_all_translated(client, list(articles)), 60, "the redelivered task and the others")
    survivor = next(w for w in workers if w is not holder)
    lines = deployment.engine_lines()
    assert {pid for pid, _ in lines} == {survivor.pid}
    expected_texts = [stuck["title"], *stuck["body"].split("\n\n"), *(t for i in range(1, 6) for t in _texts(i))]
    assert deployment.engine_counts() == {text: 1 for text in expected_texts}
    stored = client.get("/v1/articles/stuck/translations/fr").json
    assert stored["paragraphs"] == [f"FR({p})" for p in stuck["body"].split("\n\n")]
    services.close()
    store = open_store(deployment.store)
    try:
        assert list(store.client.scan_iter(match=f"{store.prefix}lock:*")) == []
        assert store.stats()["entries"] == 3 * len(articles)
    finally:
        store.close()


def test_interactive_work_overtakes_two_hundred_queued_bulk_tasks(deployment):
    app, services = _app(deployment)
    client = app.test_client()
    bulk = [f"bulk-{i}" for i in range(200)]
    for i, article_id in enumerate(bulk):
        assert client.put(f"/v1/articles/{article_id}?translate=false", json=_article(i)).status_code == 201
        services.tasks.enqueue_article(article_id, 1, "fr", priority=BULK, job="bulk-test")
    assert services.tasks.queue_depths()[f"{deployment.prefix}bulk.en-fr"] == 200
    worker = deployment.start_worker(TEST_ENGINE_DELAY="0.02")
    wait_until(lambda: len(deployment.engine_lines()) >= 3 * 5, 60, "five bulk articles")
    click = {"title": "Reader clicked this", "body": "Urgent paragraph."}
    before = len(deployment.engine_lines()) // 3  # bulk articles through the engine when the click arrives
    assert client.put("/v1/articles/click", json=click).status_code == 201
    wait_until(lambda: client.get("/v1/articles/click/translations/fr").status_code == 200, 60, "the click")
    texts = [text for _, text in deployment.engine_lines()]
    position = texts.index("Reader clicked this")
    bulk_after = sum(1 for text in texts[:position] if text.startswith("Headline ")) - before
    assert bulk_after < 10, f"{bulk_after} bulk articles were translated before the click"
    assert texts.count("Reader clicked this") == 1
    worker.stop()
    services.close()
