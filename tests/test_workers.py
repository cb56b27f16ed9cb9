"""Translation workers as real processes on the real brokers (Redis, then RabbitMQ) and the real Redis store.

The web app runs in this process without a model (``TRANSLATOR_WEB_ENGINE=off``);
``translator worker`` processes translate with the deterministic engine of
:mod:`tests.worker_engines`, which logs every text it translates, so
"translated exactly once" is counted, not assumed.
"""

from __future__ import annotations

import json
import os
import signal
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.fakes import EchoEngine
from tests.task_helpers import Deployment, deployment  # noqa: F401  (fixture)
from tests.waiting import wait_until
from translator.service.articles import ArticleService
from translator.batch import open_input, run_batch
from translator.cli import main
from translator.pipeline.translator import Translator
from translator.store import open_store
from translator.tasks.app import BULK
from translator.text.typography import Typography
from translator.web import create_app
from translator.service.runtime import build_runtime

# Worker processes of these tests share the machine's two cores with a broker: under `make test` they run one
# after another on one test worker (pytest-xdist's loadgroup), the rest of the suite beside them.
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("celery-workers")]


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
    services = build_runtime(deployment.settings(**settings), serving=True)
    return create_app(runtime=services), services


def _all_translated(client, ids: list[str]):
    def check():
        return all(client.get(f"/v1/articles/{i}/translations/fr").status_code == 200 for i in ids)
    return check


def _wait_until_idle(store) -> None:
    """No single-flight lock and no queued marker left: a worker releases them just after storing the
    translation a reader may already see, so give it a moment (far less than a lock's lease)."""
    def idle():
        return not any(store.client.scan_iter(match=f"{store.prefix}lock:*")) and \
            not any(store.client.scan_iter(match=f"{store.prefix}tasks:pending:*"))
    wait_until(idle, 1.5, "the workers to release their locks and queued markers")


def _check_store_consistent(deployment: Deployment, articles: dict[str, int]) -> None:
    """Every article at version 1 with its exact translation; no lock or queued marker left behind."""
    store = open_store(deployment.store)
    try:
        for article_id, i in articles.items():
            assert store.get_article(article_id).version == 1
            stored = store.get_translation(article_id, 1, "fr")
            assert {"title": stored.title, "paragraphs": stored.paragraphs, "body": stored.body} == _expected(i)
            assert stored.model == "echo"
        _wait_until_idle(store)
        assert store.stats()["entries"] == 3 * len(articles)
    finally:
        store.close()


def test_two_workers_translate_thirty_articles_put_through_the_web_app_exactly_once(deployment):
    first = deployment.start_worker("--concurrency", "1", TEST_ENGINE_DELAY="0.05")
    second = deployment.start_worker("--concurrency", "1", TEST_ENGINE_DELAY="0.05")
    app, services = _app(deployment)
    client = app.test_client()
    wait_until(lambda: client.get("/readyz").json["checks"].get("workers") == {"en-fr": 2}, 30,
               "both workers' heartbeats")
    assert client.get("/readyz").json == {"status": "ready", "checks": {
        "model": "off (the workers translate)", "store": "ok", "disk": "ok", "broker": "ok", "workers": {"en-fr": 2}}}
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


def test_a_reader_sees_the_paragraphs_a_worker_has_finished_in_reading_order(deployment):
    # Each engine call takes a second: the worker translates title + first paragraph, then the
    # second paragraph, then the rest, and the web process's 202 shows each stage as it lands.
    deployment.start_worker("--concurrency", "1", TEST_ENGINE_DELAY="1.0")
    app, services = _app(deployment)
    client = app.test_client()
    body = "\n\n".join(f"Paragraph {n} of the story." for n in range(1, 5))
    assert client.put("/v1/articles/slow", json={"title": "Slow story", "body": body}).status_code == 201
    seen = []
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        response = client.get("/v1/articles/slow/translations/fr")
        if response.status_code == 200:
            break
        partial = response.json.get("partial")
        if partial is not None and partial not in seen:
            seen.append(partial)
        time.sleep(0.05)
    assert response.status_code == 200
    french = [f"FR(Paragraph {n} of the story.)" for n in range(1, 5)]
    assert response.json["paragraphs"] == french
    assert seen[:2] == [{"title": "FR(Slow story)", "paragraphs": french[:1], "done": 1, "total": 4},
                        {"title": "FR(Slow story)", "paragraphs": french[:2], "done": 2, "total": 4}]
    assert all(p["paragraphs"] == french for p in seen[2:])  # at most the whole, just before it is stored
    services.close()
    store = open_store(deployment.store)
    try:
        _wait_until_idle(store)
        assert not any(store.client.scan_iter(match=f"{store.prefix}tasks:progress:*"))  # forgotten when done
    finally:
        store.close()


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
        _wait_until_idle(store)
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


def _cli(deployment: Deployment, *args: str):
    """``translator ARGS`` in this process (run from the deployment's directory), with its environment."""
    env = {name: value for name, value in deployment.env().items() if name.startswith("TRANSLATOR_")}
    return CliRunner().invoke(main, list(args), env=env)


def _without_segment_origins(path: Path) -> list[dict]:
    """The JSON lines of ``path`` with each line's memory/model split of its segments folded into one count."""
    lines = []
    for line in path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        segments = record.get("segments")
        if segments is not None:
            record["segments"] = {**{k: v for k, v in segments.items() if k not in ("from_memory", "translated")},
                                  "made": segments["from_memory"] + segments["translated"]}
        lines.append(record)
    return lines


def _local_batch(inputs: list[str], out: Path, tmp_path: Path) -> dict:
    """The same inputs (names relative to ``tmp_path``) through a local batch: a fresh SQLite store, the same
    deterministic engine."""
    store = open_store(f"sqlite:///{tmp_path / 'local' / 'store.sqlite3'}")
    service = ArticleService(store, Translator(EchoEngine(), memory=store))
    sources = [open_input(str(tmp_path / name)) for name in inputs]
    for source, name in zip(sources, inputs):
        source.label = name  # as given on the command line, run from tmp_path
    report = run_batch(sources, out, service)
    service.shutdown()
    store.close()
    return report.to_dict()


def test_distributed_batch_survives_a_killed_worker_and_collects_what_a_local_batch_writes(deployment, monkeypatch):
    tmp = deployment.tmp_path
    monkeypatch.chdir(tmp)
    lines = [json.dumps({"id": f"arch-{i}", **_article(i), "section": "world"}) for i in range(30)]
    lines.insert(7, '{"id": "broken", "title": 5}')
    (tmp / "archive.jsonl").write_text("\n".join(lines) + "\n")
    site = tmp / "site"
    (site / "2024").mkdir(parents=True)
    for i in range(30, 33):
        (site / "2024" / f"story-{i}.md").write_text(f"# {_article(i)['title']}\n\n{_article(i)['body']}\n")
    inputs = ["archive.jsonl", "site"]

    enqueued = _cli(deployment, "batch", "--enqueue", "archive.jsonl", "site")
    assert enqueued.exit_code == 0, enqueued.stderr
    job = enqueued.stdout.strip()
    assert enqueued.stderr.splitlines()[-1] == (f"queued 33 of 33 articles on the bulk queue (0 already "
                                                 f"translated); 'translator batch status {job}' shows progress")
    status = _cli(deployment, "batch", "status", job)
    assert status.stdout == f"job {job}: 33 articles, 0 done, 0 failed, 33 pending\n"

    first = deployment.start_worker(TEST_ENGINE_DELAY="0.1")
    wait_until(lambda: len(deployment.engine_lines()) >= 3 * 15, 60, "half of the articles")
    first.kill()
    early = _cli(deployment, "batch", "collect", job, "--out", "collected")
    assert early.exit_code == 1
    assert "pending; collect once none is pending" in early.stderr
    deployment.start_worker()
    app, services = _app(deployment)
    from translator.batch.distributed import job_status

    # The killed worker's task comes back after the visibility timeout; a loaded machine needs more than that.
    wait_until(lambda: job_status(job, services.articles(), services.tasks).pending == 0, 120, "the whole job")
    services.close()
    status = _cli(deployment, "batch", "status", job, "--json")
    assert json.loads(status.stdout)["done"] == 33 and json.loads(status.stdout)["failed"] == 0

    collected = _cli(deployment, "batch", "collect", job, "--out", "collected", "--report", "collected.json")
    assert collected.exit_code == 1, collected.stderr  # the broken line fails, as in a local batch
    local = _local_batch(inputs, Path("local-out"), tmp)
    for name in ("2024/story-30.md", "2024/story-31.md", "2024/story-32.md"):
        assert (tmp / "collected" / name).read_bytes() == (tmp / "local-out" / name).read_bytes(), name
    # The same lines, but for where the article a worker was killed in got its segments from: the ones the
    # killed worker had finished came back from the memory (the local batch made them all itself).
    assert _without_segment_origins(tmp / "collected" / "archive.fr.jsonl") == \
        _without_segment_origins(tmp / "local-out" / "archive.fr.jsonl")
    outputs = [(tmp / "collected" / "archive.fr.jsonl").read_text(), (tmp / "collected/2024/story-31.md").read_text()]
    assert json.loads(outputs[0].splitlines()[0])["body"] == _expected(0)["body"]
    assert outputs[1] == f"# FR(Headline 31)\n\n{_expected(31)['body']}\n"
    report = json.loads((tmp / "collected.json").read_text())
    same = ("status", "exit_code", "model", "paragraphs", "glossary", "errors")
    assert {k: report[k] for k in same} == {k: local[k] for k in same}
    assert {k: report["articles"][k] for k in ("total", "ok", "failed")} == {"total": 34, "ok": 33, "failed": 1}
    assert [(i["input"], i["output"].replace("collected", "OUT"), i["ok"], i["failed"], i["written"])
            for i in report["inputs"]] == [(i["input"], i["output"].replace("local-out", "OUT"), i["ok"], i["failed"],
                                            i["written"]) for i in local["inputs"]]

    # Killed mid-article, a worker's work on that one article may be redone; nothing else ever is.
    counts = deployment.engine_counts()
    assert set(counts) == {text for i in range(33) for text in _texts(i)}
    redone = {text for text, n in counts.items() if n > 1}
    # The article's number ends each of its texts ("Headline 14", "... of story 14."): one article at most.
    assert len({text.rsplit(" ", 1)[-1].rstrip(".") for text in redone}) <= 1, redone
    before = len(deployment.engine_lines())
    again = _cli(deployment, "batch", "--enqueue", "archive.jsonl", "site")
    assert "queued 0 of 33 articles" in again.stderr
    time.sleep(1)
    assert len(deployment.engine_lines()) == before  # a rerun translates nothing


@pytest.mark.parametrize("deployment", ["redis"], indirect=True)
def test_a_worker_on_the_tiny_model_serves_articles_and_translate_requests(deployment, tiny_model_dir, tiny_engine):
    health = deployment.tmp_path / "healthy"
    deployment.start_worker("--health-file", str(health), fake_engine=False, TRANSLATOR_MODEL=str(tiny_model_dir))
    wait_until(health.exists, 30, "the health file")
    app, services = _app(deployment, model=str(tiny_model_dir))
    client = app.test_client()
    article = {"title": "The minister spoke.", "body": "The council met on Monday.\n\nThe vote was close."}
    assert client.put("/v1/articles/real", json=article).status_code == 201
    wait_until(lambda: client.get("/v1/articles/real/translations/fr").status_code == 200, 120, "the translation")
    stored = client.get("/v1/articles/real/translations/fr").json
    french = Typography()  # the service's default TRANSLATOR_FR_TYPOGRAPHY=on
    local = Translator(tiny_engine, typography=french).translate_articles([(article["title"], article["body"])])[0]
    assert (stored["title"], stored["paragraphs"]) == (local.title.text, local.body.paragraphs)
    assert stored["model"] == tiny_engine.identity
    response = client.post("/v1/translate", json={"text": ["The vote was close.", "The minister spoke."]})
    assert response.status_code == 200
    expected = Translator(tiny_engine, typography=french).translate_texts(["The vote was close.", "The minister spoke."])
    assert response.json == {"translations": [{"text": r.text, "status": r.status,
                                               "glossary": {"applied": [], "missed": [], "unlisted": []}}
                                              for r in expected], "model": tiny_engine.identity}
    html = '<p>The <a href="https://x.mu/vote">vote</a> was close.</p><script>alert(1)</script>'
    response = client.post("/v1/translate", json={"text": html, "format": "html"})  # the worker keeps the format
    assert response.status_code == 200
    french = response.json["translations"][0]["text"]
    assert french.startswith("<p>") and french.count('<a href="https://x.mu/vote">') == 1 and "script" not in french
    services.close()
