"""``translator store copy``: a SQLite store's newsroom moved into PostgreSQL answers every endpoint as
before, the copy can run again, and it goes back the same way."""

from __future__ import annotations

import pytest

from tests.cli_helpers import run_in_process
from tests.fakes import EchoEngine
from tests.waiting import wait_until
from translator.service.runtime import build_runtime
from translator.web import create_app

SECRET = "s3cret-desk-key"
AUTH = {"Authorization": f"Bearer {SECRET}"}
ARTICLES = [f"story-{n:03d}" for n in range(200)]
CORRECTED = ARTICLES[:20]
EMBARGOED = "story-199"


def _app(settings, store_url: str):
    services = build_runtime(settings.replace(store=store_url, api_keys=(f"desk={SECRET}",)), serving=True,
                             engine_factory=lambda s, m: EchoEngine())
    return services, create_app({"TESTING": True}, runtime=services).test_client()


def _fill(client) -> None:
    for n, article_id in enumerate(ARTICLES):
        body = {"title": f"Story {n}", "body": f"The council met on day {n}.\n\nIt voted {n % 7} times."}
        if article_id == EMBARGOED:
            body.update(published=False)
        assert client.put(f"/v1/articles/{article_id}", json=body, headers=AUTH).status_code == 201
        if n % 10 == 0:  # a second version for some
            body["body"] += f"\n\nA late paragraph {n}."
            assert client.put(f"/v1/articles/{article_id}", json=body, headers=AUTH).status_code == 200

    def all_translated() -> bool:
        return all(client.get(f"/v1/articles/{a}/translations/fr", headers=AUTH).status_code == 200
                   for a in ARTICLES)

    wait_until(all_translated, 120, "every article translated")
    for article_id in CORRECTED:
        corrected = client.put(f"/v1/articles/{article_id}/translations/fr/segments/1",
                               json={"target": f"Le conseil de {article_id} s’est réuni."}, headers=AUTH)
        assert corrected.status_code == 200


def _answers(client) -> dict:
    """Every endpoint's answer (status, body, ETag) about every article, with and without the key."""
    answers = {}
    for article_id in ARTICLES:
        for path in (f"/v1/articles/{article_id}", f"/v1/articles/{article_id}/translations/fr",
                     f"/v1/articles/{article_id}/translations/fr?include=units", f"/articles/{article_id}/fr"):
            for who, headers in (("desk", AUTH), ("anonymous", {})):
                response = client.get(path, headers=headers)
                answers[who, path] = (response.status_code, response.get_data(as_text=True),
                                      response.headers.get("ETag"))
    review = client.get("/v1/review?lang=fr", headers=AUTH)
    answers["review"] = (review.status_code, review.get_data(as_text=True))
    return answers


def _copy(source: str, target: str):
    return run_in_process(["store", "copy", source, target], env={"TRANSLATOR_GLOSSARY": "off"})


@pytest.mark.slow  # 200 articles translated, then every endpoint read three times
def test_a_sqlite_newsroom_copied_into_postgresql_answers_every_endpoint_alike(settings, tmp_path,
                                                                               postgres_store_url):
    sqlite_url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    services, client = _app(settings, sqlite_url)
    _fill(client)
    before = _answers(client)
    services.close()
    assert before["anonymous", f"/v1/articles/{EMBARGOED}/translations/fr"][0] == 404
    assert before["desk", f"/v1/articles/{EMBARGOED}/translations/fr"][0] == 200

    copied = _copy(sqlite_url, postgres_store_url)
    summary = (f"copied 427 entries, 200 articles, 220 versions, 220 translations, 20 human entries, "
               f"1 publications, 0 glossary edits from {sqlite_url} to {postgres_store_url}; the counts match\n")
    assert (copied.returncode, copied.stdout) == (0, summary)
    again = _copy(sqlite_url, postgres_store_url)  # idempotent: nothing doubles, the counts still match
    assert (again.returncode, again.stdout) == (0, summary)

    services, client = _app(settings, postgres_store_url)
    try:
        assert _answers(client) == before
    finally:
        services.close()

    back_url = f"sqlite:///{tmp_path / 'back.sqlite3'}"
    back = _copy(postgres_store_url, back_url)
    assert back.returncode == 0, back.stderr
    services, client = _app(settings, back_url)
    try:
        assert _answers(client) == before
    finally:
        services.close()
