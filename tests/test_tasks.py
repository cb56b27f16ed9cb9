"""Scale-out without worker processes: settings, queue names, the web app on a broker, the task bodies.

The task bodies (:class:`TaskHandlers`) run here in-process on fake engines;
worker processes are in ``test_workers.py``.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.fakes import EchoEngine, FunctionEngine
from tests.waiting import wait_until
from tests.task_helpers import REPO_ROOT, Deployment, deployment  # noqa: F401  (fixture)
from translator.config import Settings
from translator.errors import ConfigError
from translator.store import open_store
from translator.tasks.app import queue_name, queue_names
from translator.worker.consumer import TaskHandlers, load_engine_factory
from translator.testing.processes import service_environment
from translator.web import create_app
from translator.service.runtime import Runtime, build_runtime


def test_settings_read_the_scale_out_variables(tmp_path):
    settings = Settings.from_env({
        "TRANSLATOR_BROKER": "amqp://guest:guest@rabbit:5672//", "TRANSLATOR_STORE": "redis://redis:6379/0",
        "TRANSLATOR_WEB_ENGINE": "off", "TRANSLATOR_TRANSLATE_TIMEOUT": "12.5",
        "TRANSLATOR_BROKER_VISIBILITY_TIMEOUT": "90", "TRANSLATOR_QUEUE_PREFIX": "news.",
        "TRANSLATOR_DATA_DIR": str(tmp_path)})
    assert (settings.broker, settings.web_engine, settings.translate_timeout, settings.broker_visibility_timeout,
            settings.queue_prefix) == ("amqp://guest:guest@rabbit:5672//", False, 12.5, 90.0, "news.")
    assert "guest:guest" not in repr(settings)  # the broker URL may hold a password
    defaults = Settings(data_dir=tmp_path)
    assert (defaults.broker, defaults.web_engine, defaults.translate_timeout,
            defaults.broker_visibility_timeout) == ("", True, 30.0, 60.0)


@pytest.mark.slow  # Python subprocesses
def test_a_broker_with_a_sqlite_store_is_refused_in_one_line(tmp_path):
    with pytest.raises(ConfigError, match="^TRANSLATOR_BROKER needs a store the workers share: set "
                                          r"TRANSLATOR_STORE=postgresql://USER:PASSWORD@HOST:PORT/DB or "
                                          r"redis://HOST:PORT/DB \(a SQLite file"):
        Settings(data_dir=tmp_path, broker="redis://127.0.0.1:6379/0")
    with pytest.raises(ConfigError, match="TRANSLATOR_WEB_ENGINE=off needs TRANSLATOR_BROKER"):
        Settings(data_dir=tmp_path, web_engine=False)
    env = service_environment(TRANSLATOR_BROKER="amqp://guest:guest@127.0.0.1:5672//",
                              TRANSLATOR_DATA_DIR=str(tmp_path))
    for command in (["worker"], ["serve", "--port", "0"]):
        result = subprocess.run([sys.executable, "-m", "translator", *command], env=env, cwd=REPO_ROOT,
                                capture_output=True, text=True, timeout=120)
        assert result.returncode == 1
        assert result.stderr.splitlines() == [
            "error: TRANSLATOR_BROKER needs a store the workers share: set "
            "TRANSLATOR_STORE=postgresql://USER:PASSWORD@HOST:PORT/DB or redis://HOST:PORT/DB "
            "(a SQLite file is local to one machine and its locks to one process)"]


@pytest.mark.parametrize("store, broker, allowed", [
    ("postgresql://db/translator", "", True),
    ("postgresql://db/translator", "redis://127.0.0.1:6379/0", True),
    ("postgresql://db/translator", "amqp://guest:guest@127.0.0.1:5672//", False),
    ("redis://127.0.0.1:6379/0", "redis://127.0.0.1:6379/0", True),
    ("redis://127.0.0.1:6379/0", "amqp://guest:guest@127.0.0.1:5672//", True),
    ("sqlite:///x.sqlite3", "", True),
    ("sqlite:///x.sqlite3", "redis://127.0.0.1:6379/0", False),
])
def test_the_allowed_store_and_broker_combinations(tmp_path, store, broker, allowed):
    if allowed:
        Settings(data_dir=tmp_path, store=store, broker=broker)
        return
    with pytest.raises(ConfigError) as refused:
        Settings(data_dir=tmp_path, store=store, broker=broker)
    assert "\n" not in str(refused.value) and str(refused.value).startswith("TRANSLATOR_")
    if store.startswith("postgresql"):
        assert str(refused.value) == ("TRANSLATOR_STORE=postgresql://... with a broker needs "
                                      "TRANSLATOR_BROKER=redis://... (the task board lives in the broker's Redis)")


@pytest.mark.slow  # Python subprocesses
def test_worker_options_are_checked_before_anything_loads(tmp_path):
    env = service_environment(TRANSLATOR_DATA_DIR=str(tmp_path))
    result = subprocess.run([sys.executable, "-m", "translator", "worker", "--queues", "urgent"], env=env,
                            cwd=REPO_ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert "urgent: the queues are interactive, bulk" in result.stderr
    result = subprocess.run([sys.executable, "-m", "translator", "worker"], env=env, cwd=REPO_ROOT,
                            capture_output=True, text=True, timeout=120)
    assert (result.returncode, result.stderr.splitlines()) == (1, [
        "error: translator worker needs TRANSLATOR_BROKER (redis://HOST:PORT/DB or amqp://...)"])
    with pytest.raises(ConfigError, match="--engine-factory 'tests.nothing:here': cannot import it"):
        load_engine_factory("tests.nothing:here")


def test_queues_put_interactive_before_bulk_for_every_pair(tmp_path):
    settings = Settings(data_dir=tmp_path, queue_prefix="site-a.")
    assert queue_names(settings, ["en-fr", "en-de"]) == [
        "site-a.interactive.en-fr", "site-a.interactive.en-de", "site-a.bulk.en-fr", "site-a.bulk.en-de"]
    assert queue_names(settings, ["en-fr"], ["bulk"]) == ["site-a.bulk.en-fr"]


@pytest.mark.parametrize(("prefix", "queue"), [
    ("", "bulk.en-fr"),
    ("newcomer", "newcomer.bulk.en-fr"),     # a "." is added: not "newcomerbulk.en-fr"
    ("site-a.", "site-a.bulk.en-fr"),        # a prefix ending in a separator is kept as given
    ("site-a:", "site-a:bulk.en-fr"),
])
def test_queue_prefix_is_separated_from_the_queue_name(tmp_path, prefix, queue):
    assert queue_name(Settings(data_dir=tmp_path, queue_prefix=prefix), "bulk", "en-fr") == queue


def _services(deployment: Deployment, engine=None, **settings) -> Runtime:
    engine = engine or EchoEngine()
    return build_runtime(deployment.settings(**settings), serving=True, engine_factory=lambda s, m: engine)


def test_readyz_checks_store_and_broker_without_loading_a_model(deployment, tmp_path):
    loaded = []
    services = build_runtime(deployment.settings(), serving=True, engine_factory=lambda s, m: loaded.append(m))
    client = create_app(runtime=services).test_client()
    response = client.get("/readyz")  # no worker has a heartbeat: nothing would translate
    assert (response.status_code, response.json["error"]["code"], response.headers["Retry-After"]) == (
        503, "no_workers", "10")
    assert response.json["checks"] == {"model": "off (the workers translate)", "store": "ok", "disk": "ok", "broker": "ok",
                                       "workers": {"en-fr": 0}}
    services.tasks.board.beat("translator-1@test", ["en-fr"])
    wait_until(lambda: client.get("/readyz").status_code == 200, 5, "the heartbeat (answers are cached for 1 s)")
    response = client.get("/readyz")
    assert (response.status_code, response.json) == (200, {"status": "ready", "checks": {
        "model": "off (the workers translate)", "store": "ok", "disk": "ok", "broker": "ok", "workers": {"en-fr": 1}}})
    metrics = client.get("/metrics").get_data(as_text=True)
    assert 'translator_workers{pair="en-fr"} 1.0' in metrics
    services.tasks.board.forget("translator-1@test", ["en-fr"])
    wait_until(lambda: client.get("/readyz").json["checks"]["workers"] == {"en-fr": 0}, 5, "the sign-off")
    services.close()

    broken = deployment.settings(broker="amqp://guest:guest@127.0.0.1:1//" if deployment.kind == "amqp"
                                 else "redis://127.0.0.1:1/0")
    services = build_runtime(broken, serving=True, engine_factory=lambda s, m: loaded.append(m))
    response = create_app(runtime=services).test_client().get("/readyz")
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    assert response.json["error"]["code"] == "broker_unavailable"
    assert response.json["checks"]["broker"].startswith("unavailable: the broker ")
    assert loaded == []  # no model, ever
    services.close()


def test_translate_answers_503_with_retry_after_when_no_worker_answers_in_time(deployment):
    services = _services(deployment, translate_timeout=0.5)
    client = create_app(runtime=services).test_client()
    response = client.post("/v1/translate", json={"text": "Nobody is listening."})
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    assert response.json == {"error": {"code": "busy", "message":
                                       "no translation worker answered within 0.5 s; try again shortly"}}
    # Validation still happens here, before anything is queued.
    assert client.post("/v1/translate", json={"text": "x", "target_lang": "xx"}).status_code == 400
    # The task expired with the wait: RabbitMQ drops it itself (message TTL), a worker skips it on Redis.
    expected = 0 if deployment.kind == "amqp" else 1
    assert services.tasks.queue_depths()[f"{deployment.prefix}interactive.en-fr"] == expected
    store = services.store
    assert list(store.client.scan_iter(match=f"{store.prefix}tasks:request:*")) == []  # the text is gone
    services.close()


def test_metrics_show_queue_depths_and_tasks_per_worker(deployment):
    services = _services(deployment)
    client = create_app(runtime=services).test_client()
    for i in range(3):
        client.put(f"/v1/articles/m{i}", json={"title": f"T{i}", "body": "B."})
    client.get("/v1/articles/m0/translations/fr")  # already queued: not queued twice
    handlers = TaskHandlers(build_runtime(deployment.settings(web_engine=True), serving=True,
                                     engine_factory=lambda s, m: EchoEngine()), "w1@test")
    handlers.translate_article("m2", 1, "fr")
    text = client.get("/metrics").get_data(as_text=True)
    assert f'translator_queue_messages{{queue="{deployment.prefix}interactive.en-fr"}} 3.0' in text
    assert f'translator_queue_messages{{queue="{deployment.prefix}bulk.en-fr"}} 0.0' in text
    assert 'translator_worker_tasks_total{result="done",worker="w1@test"} 1.0' in text
    assert 'translator_worker_tasks_total{result="failed",worker="w1@test"} 0.0' in text
    handlers.runtime.close()
    services.close()


def test_with_a_web_engine_post_translate_stays_local_and_articles_go_to_the_queue(deployment):
    engine = EchoEngine()
    services = _services(deployment, engine, web_engine=True)
    client = create_app(runtime=services).test_client()
    response = client.post("/v1/translate", json={"text": "Local."})
    assert response.json["translations"][0]["text"] == "FR(Local.)"
    assert client.put("/v1/articles/q1", json={"title": "Queued", "body": "Body."}).status_code == 201
    response = client.get("/v1/articles/q1/translations/fr")
    assert (response.status_code, response.json) == (202, {"status": "pending"})
    assert engine.seen == ["Local."]  # the article waits for a worker
    assert services.tasks.queue_depths()[f"{deployment.prefix}interactive.en-fr"] == 1
    assert services.articles().is_translating("q1", 1) and services.articles().is_translating("q1")
    services.close()


@pytest.mark.parametrize("deployment", ["redis"], indirect=True)
def test_task_bodies_are_idempotent_and_lasting_failures_are_marked(deployment):
    engine = EchoEngine()
    worker_services = build_runtime(deployment.settings(web_engine=True), serving=True, engine_factory=lambda s, m: engine)
    handlers = TaskHandlers(worker_services, "w@test")
    handlers.load(["en-fr"])
    web = _services(deployment)
    client = create_app(runtime=web).test_client()
    client.put("/v1/articles/i1", json={"title": "Once", "body": "Only once."})
    for _ in range(3):  # a redelivery, a duplicate: translated once
        handlers.translate_article("i1", 1, "fr")
    assert engine.calls == [["Once", "Only once."]]
    response = client.get("/v1/articles/i1/translations/fr")
    assert (response.status_code, response.json["body"], response.json["model"]) == (200, "FR(Only once.)", "echo")
    assert not web.articles().is_translating("i1")

    def broken(text):
        raise RuntimeError("model exploded")

    failing = TaskHandlers(build_runtime(deployment.settings(web_engine=True, store=deployment.store), serving=True,
                                    engine_factory=lambda s, m: FunctionEngine(broken, identity="echo")), "w2@test")
    client.put("/v1/articles/f1", json={"title": "Fails", "body": "Boom."})
    failing.translate_article("f1", 1, "fr")
    response = client.get("/v1/articles/f1/translations/fr")
    assert response.status_code == 500
    assert response.json["error"]["code"] == "translation_failed"
    assert response.json["error"]["message"].startswith(
        "article 'f1' version 1 cannot be translated into fr: RuntimeError: model exploded")
    again = client.get("/v1/articles/f1/translations/fr")  # a lasting failure: every read, never queued again
    assert (again.status_code, again.json["error"]) == (500, response.json["error"])
    assert client.put("/v1/articles/f1", json={"title": "Fails", "body": "Boom."}).json["changed"] is False
    response = client.get("/v1/articles/f1/translations/fr")  # sent again: queued again
    assert (response.status_code, response.json) == (202, {"status": "pending"})
    text = client.get("/metrics").get_data(as_text=True)
    assert 'translator_worker_tasks_total{result="failed",worker="w2@test"} 1.0' in text
    for services in (worker_services, failing.runtime, web):
        services.close()


def test_a_redis_store_url_may_shorten_the_lock_lease(redis_store_url):
    store = open_store(f"{redis_store_url}&lock_lease=1.5")
    assert store.lock_lease == 1.5
    store.close()
    from translator.errors import StoreError

    with pytest.raises(StoreError, match="lock_lease must be more than 0 seconds"):
        open_store(f"{redis_store_url}&lock_lease=0")
