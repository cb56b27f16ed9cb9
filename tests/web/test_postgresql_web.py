"""The web app on the PostgreSQL store: editors' work outlives every process, and connections the
server cuts mid-request never turn into a 500 or a lost write."""

from __future__ import annotations

import random
import threading

import psycopg
import pytest

from tests.fakes import EchoEngine
from tests.waiting import wait_until
from translator.service.runtime import build_runtime
from translator.web import create_app

SECRET = "s3cret-desk-key"
AUTH = {"Authorization": f"Bearer {SECRET}"}
ARTICLE = {"title": "Budget vote delayed", "body": "The minister spoke on Monday.\n\nParliament will vote."}
FIX = "Le ministre s’est exprimé lundi."


def _app(settings, store_url):
    services = build_runtime(settings.replace(store=store_url, api_keys=(f"desk={SECRET}",)), serving=True,
                             engine_factory=lambda s, m: EchoEngine())
    return services, create_app({"TESTING": True}, runtime=services).test_client()


def _translated(client, article_id: str) -> dict:
    answers = []

    def ready() -> bool:
        answers.append(client.get(f"/v1/articles/{article_id}/translations/fr?include=units", headers=AUTH))
        return answers[-1].status_code == 200

    wait_until(ready, 30, f"{article_id} translated")
    return answers[-1].get_json()


def _cut_connections(store_url: str) -> int:
    with psycopg.connect(store_url.partition("?")[0], autocommit=True) as conn:
        return conn.execute("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                            "WHERE application_name = 'translator' AND datname = current_database()").fetchone()[0]


def test_corrections_survive_a_restart_of_every_process(settings, postgres_store_url):
    services, client = _app(settings, postgres_store_url)
    assert client.put("/v1/articles/a1", json=ARTICLE, headers=AUTH).status_code == 201
    _translated(client, "a1")
    assert client.put("/v1/articles/a1/translations/fr/segments/1", json={"target": FIX},
                      headers=AUTH).status_code == 200
    services.close()

    services, client = _app(settings, postgres_store_url)  # a new process: nothing kept in memory
    try:
        after = _translated(client, "a1")
        assert after["paragraphs"] == [FIX, "FR(Parliament will vote.)"]
        assert after["units"][1]["origin"] == "human"
    finally:
        services.close()


@pytest.mark.slow  # connections cut while requests run, several rounds
def test_connections_cut_mid_request_give_a_retry_or_a_503_never_a_500_or_a_lost_write(settings,
                                                                                        postgres_store_url):
    services, client = _app(settings, postgres_store_url)
    try:
        statuses: list[int] = []
        written: list[str] = []
        chance = random.Random(31)
        for n in range(30):
            # The pool's connections are cut just before or while the request runs.
            cut = threading.Timer(chance.uniform(0, 0.01), _cut_connections, args=(postgres_store_url,))
            cut.start()
            response = client.put(f"/v1/articles/s{n}", json={"title": f"T{n}", "body": f"Body {n}."}, headers=AUTH)
            cut.join()
            statuses.append(response.status_code)
            if response.status_code == 201:
                written.append(f"s{n}")
            else:  # the store was unavailable: the caller is told to come back, and then it works
                assert response.status_code == 503 and response.headers["Retry-After"], response.get_json()
                again = client.put(f"/v1/articles/s{n}", json={"title": f"T{n}", "body": f"Body {n}."},
                                   headers=AUTH)
                assert again.status_code in (200, 201)
                written.append(f"s{n}")
        assert 500 not in statuses and set(statuses) <= {201, 503}
        assert written  # most go through on a fresh connection
        for article_id in written:  # every acknowledged write is there
            answer = client.get(f"/v1/articles/{article_id}", headers=AUTH)
            assert answer.status_code == 200 and answer.get_json()["body"] == f"Body {article_id[1:]}."
    finally:
        services.close()
