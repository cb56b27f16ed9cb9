"""Embargoes and unpublished articles: hidden from callers without a key exactly as a missing article,
visible with a key, public once the embargo passes (an injected clock, no sleep)."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from flask.testing import FlaskClient

from tests.fakes import EchoEngine
from tests.waiting import wait_until
from tests.web.conftest import SpecCheckingClient
from translator.web import create_app
from translator.service.runtime import build_runtime

KEY = "newsroom-key"
AUTH = {"Authorization": f"Bearer {KEY}"}
ARTICLE = {"title": "Budget leaked", "body": "The minister resigned.\n\nParliament meets."}
NOON = datetime(2026, 5, 1, 12, 0, tzinfo=timezone.utc).timestamp()


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: float):
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock(NOON - 3600)  # one hour before the embargo


@pytest.fixture
def embargo_client(settings, store_url, clock):
    services = build_runtime(settings.replace(store=store_url, api_keys=(KEY,)), serving=True,
                        engine_factory=lambda s, m: EchoEngine(), clock=clock)
    app = create_app({"TESTING": True}, runtime=services)
    app.test_client_class = SpecCheckingClient
    client = app.test_client()
    client.pages = FlaskClient(app)  # HTML pages are not API operations: not checked against the spec
    yield client
    services.close()


def ready_translation(client, path: str, headers=AUTH):
    answers = []

    def ready() -> bool:
        answers.append(client.get(path, headers=headers))
        return answers[-1].status_code != 202

    wait_until(ready, what=f"{path} ready")
    return answers[-1]


def hidden_like_missing(client, article_id: str) -> None:
    """Every read of ``article_id`` without a key answers what a missing article answers."""
    for suffix, missing_suffix in (("/translations/fr", "/translations/fr"),
                                   ("/translations/fr?version=1", "/translations/fr?version=1")):
        hidden = client.get(f"/v1/articles/{article_id}{suffix}")
        missing = client.get(f"/v1/articles/nothing-here{missing_suffix}")
        assert hidden.status_code == missing.status_code == 404
        assert hidden.get_json() == {"error": {"code": "not_found", "message": missing.get_json()["error"]["message"]
                                               .replace("nothing-here", article_id)}}
    page, missing_page = client.pages.get(f"/articles/{article_id}/fr"), client.pages.get("/articles/nothing-here/fr")
    assert page.status_code == missing_page.status_code == 404
    assert page.get_data(as_text=True) == missing_page.get_data(as_text=True).replace("nothing-here", article_id)


def test_embargoed_article_is_hidden_until_the_embargo_passes_then_public(embargo_client, clock):
    client = embargo_client
    response = client.put("/v1/articles/leak", json={**ARTICLE, "embargo_until": "2026-05-01T14:00:00+02:00"},
                          headers=AUTH)
    assert response.status_code == 201
    # The newsroom (key) reads the source and the French before the embargo: pre-translated.
    source = client.get("/v1/articles/leak", headers=AUTH)
    assert source.status_code == 200
    assert (source.get_json()["published"], source.get_json()["embargo_until"]) == (True, "2026-05-01T12:00:00Z")
    french = ready_translation(client, "/v1/articles/leak/translations/fr")
    assert french.status_code == 200
    assert french.get_json()["title"] == "FR(Budget leaked)"
    assert client.pages.get("/articles/leak/fr", headers=AUTH).status_code == 200

    hidden_like_missing(client, "leak")
    # A wrong key is no key.
    assert client.get("/v1/articles/leak/translations/fr",
                      headers={"Authorization": "Bearer wrong"}).status_code == 404

    clock.now = NOON  # the embargo passes
    public = client.get("/v1/articles/leak/translations/fr")
    assert public.status_code == 200
    assert public.get_json()["title"] == "FR(Budget leaked)"
    assert client.pages.get("/articles/leak/fr").status_code == 200
    # The English source still needs a key when keys are set.
    assert client.get("/v1/articles/leak").status_code == 401


def test_unpublished_stays_hidden_until_published_and_a_put_without_the_fields_keeps_the_state(embargo_client):
    client = embargo_client
    assert client.put("/v1/articles/draft", json={**ARTICLE, "published": False}, headers=AUTH).status_code == 201
    hidden_like_missing(client, "draft")
    # A new version that says nothing about publication keeps it unpublished.
    assert client.put("/v1/articles/draft", json={**ARTICLE, "title": "Budget leaked (updated)"},
                      headers=AUTH).get_json()["version"] == 2
    hidden_like_missing(client, "draft")
    assert client.get("/v1/articles/draft", headers=AUTH).get_json()["published"] is False
    client.put("/v1/articles/draft", json={**ARTICLE, "title": "Budget leaked (updated)", "published": True},
               headers=AUTH)
    assert ready_translation(client, "/v1/articles/draft/translations/fr", headers={}).status_code == 200


def test_the_english_source_needs_a_key_when_keys_are_set(embargo_client):
    client = embargo_client
    client.put("/v1/articles/open", json=ARTICLE, headers=AUTH)
    assert client.get("/v1/articles/open").status_code == 401
    assert client.get("/v1/articles/open", headers={"Authorization": "Bearer wrong"}).status_code == 403
    assert client.get("/v1/articles/open", headers=AUTH).get_json()["embargo_until"] is None


def test_a_named_key_reads_an_embargoed_article_and_without_configured_keys_nobody_does(settings, store_url, clock):
    named = build_runtime(settings.replace(store=store_url, api_keys=(f"desk={KEY}",)), serving=True,
                           engine_factory=lambda s, m: EchoEngine(), clock=clock)
    open_writes = build_runtime(settings.replace(store=store_url, api_keys=()), serving=True,
                                 engine_factory=lambda s, m: EchoEngine(), clock=clock)
    try:
        client = create_app({"TESTING": True}, runtime=named).test_client()
        assert client.put("/v1/articles/named", json={**ARTICLE, "published": False}, headers=AUTH).status_code == 201
        assert client.get("/v1/articles/named", headers=AUTH).get_json()["published"] is False
        assert client.get("/v1/articles/named/translations/fr").status_code == 404
        # No keys configured: writes are open, but no caller holds a key, so the draft stays hidden.
        anyone = create_app({"TESTING": True}, runtime=open_writes).test_client()
        assert anyone.get("/v1/articles/named").status_code == 404
        assert anyone.get("/v1/articles/named/translations/fr", headers=AUTH).status_code == 404
    finally:
        named.close()
        open_writes.close()


@pytest.mark.parametrize("value", ["tomorrow", "2026-05-01T12:00:00", "2026-05-01", 12])
def test_a_bad_embargo_time_is_a_400(embargo_client, value):
    response = embargo_client.put("/v1/articles/x", json={**ARTICLE, "embargo_until": value}, headers=AUTH)
    assert response.status_code == 400
    assert "embargo_until" in response.get_json()["error"]["message"]


def test_a_batch_pre_translates_an_embargoed_article_which_stays_hidden_until_the_embargo(embargo_client, clock):
    client = embargo_client
    client.put("/v1/articles/batch-1?translate=false", json={**ARTICLE, "embargo_until": "2026-05-01T12:00:00Z"},
               headers=AUTH)
    articles = client.application.extensions["translator"].articles()
    # What `translator batch` does: translate stored versions through the article service, no HTTP.
    (translation,) = articles.translate_versions([articles.get("batch-1")])
    assert translation.title == "FR(Budget leaked)"
    assert client.get("/v1/articles/batch-1/translations/fr").status_code == 404
    clock.now = NOON
    public = client.get("/v1/articles/batch-1/translations/fr")
    assert (public.status_code, public.get_json()["translated_at"]) == (200, translation.translated_at)


def test_without_keys_editing_and_review_are_not_available_at_all(make_client):
    """Issue 26: with no keys, segment edits and approvals answered with an embargoed article's English
    and French, and the review list listed it. Now: 403 on every editing route, whatever the article."""
    client = make_client()
    assert client.put("/v1/articles/secret", json={"title": "Secret", "body": "Embargoed news.",
                                                   "published": False}).status_code == 201
    message = "editing and review need API keys: configure TRANSLATOR_API_KEYS"
    for method, path, body in [
            ("put", "/v1/articles/secret/translations/fr/segments/0", {"target": "x"}),
            ("post", "/v1/articles/secret/translations/fr/segments/0/approve", None),
            ("delete", "/v1/articles/secret/translations/fr/segments/0", None),
            ("put", "/v1/articles/missing/translations/fr/segments/0", {"target": "x"}),
            ("get", "/v1/review", None)]:
        response = getattr(client, method)(path, **({"json": body} if body is not None else {}))
        assert (response.status_code, response.get_json()["error"]) == (403, {"code": "forbidden", "message": message}), path


def test_without_keys_a_put_to_a_hidden_article_answers_like_a_missing_one_and_changes_nothing(
        settings, store_url, clock):
    """Issue 26: with no keys, a PUT of an embargoed article's exact text answered "changed": false (and
    200, not 201), which confirmed a guessed text. Now it answers what a new article's PUT answers."""
    with_keys = build_runtime(settings.replace(store=store_url, api_keys=(KEY,)), serving=True,
                              engine_factory=lambda s, m: EchoEngine(), clock=clock)
    open_writes = build_runtime(settings.replace(store=store_url, api_keys=()), serving=True,
                                engine_factory=lambda s, m: EchoEngine(), clock=clock)
    try:
        desk = create_app({"TESTING": True}, runtime=with_keys).test_client()
        assert desk.put("/v1/articles/scoop?translate=false", headers=AUTH,
                        json={**ARTICLE, "embargo_until": "2026-05-01T12:00:00Z"}).status_code == 201
        anyone = create_app({"TESTING": True}, runtime=open_writes).test_client()
        missing = anyone.put("/v1/articles/fresh?translate=false", json=ARTICLE)
        for body in (ARTICLE, {**ARTICLE, "body": "A guess."}, {**ARTICLE, "published": True}):
            hidden = anyone.put("/v1/articles/scoop?translate=false", json=body)
            assert (hidden.status_code, hidden.get_json()) == (
                missing.status_code, {**missing.get_json(), "id": "scoop"}) == (
                201, {"id": "scoop", "version": 1, "changed": True})
        stored = with_keys.articles().get("scoop")  # untouched: same version, same text, still embargoed
        assert (stored.version, stored.body) == (1, ARTICLE["body"])
        assert anyone.get("/v1/articles/scoop").status_code == 404
        assert desk.get("/v1/articles/scoop", headers=AUTH).get_json()["embargo_until"] == "2026-05-01T12:00:00Z"
    finally:
        with_keys.close()
        open_writes.close()
