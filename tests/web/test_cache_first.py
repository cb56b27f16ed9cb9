"""Cache first (issue 6, item 5): a French version already in the store is answered from the store,
without touching the model, both by the widget's endpoint and by the French page.

The translation is made by one service; a second service on the same SQLite store (a restart, or
another instance) answers with an engine that fails the test if it is ever called.
"""

from __future__ import annotations

import pytest

from tests.fakes import EchoEngine, FunctionEngine
from tests.web.conftest import SpecCheckingClient
from translator.web import create_app

ARTICLE_ID = "budget-2030"
TITLE = "Parliament votes on the new budget"
PARAGRAPHS = ["The minister said on Monday that parliament will vote on the new budget.",
              "Prices of rice and fuel rose again this week."]


def untouchable_engine() -> FunctionEngine:
    """The same identity as the engine that translated ("echo"), but calling it fails the test."""

    def refuse(text: str) -> str:
        raise AssertionError(f"the model was called for {text!r}")

    return FunctionEngine(refuse, identity="echo")


@pytest.fixture
def cached_app(make_services):
    """(app, engine): a fresh service whose store already holds the article's French."""
    first = make_services(EchoEngine())
    stored = first.articles().put(ARTICLE_ID, title=TITLE, body="\n\n".join(PARAGRAPHS))
    first.articles().translate(ARTICLE_ID, stored.version)
    first.close()

    engine = untouchable_engine()
    return create_app({"TESTING": True}, runtime=make_services(engine)), engine


def test_the_translations_endpoint_answers_a_cached_version_without_the_model(cached_app):
    app, engine = cached_app
    app.test_client_class = SpecCheckingClient  # the API answer is checked against openapi.yaml
    client = app.test_client()
    for _ in range(3):
        response = client.get(f"/v1/articles/{ARTICLE_ID}/translations/fr")
        if response.status_code == 404 and response.get_json()["error"]["message"].startswith("no such resource"):
            pytest.fail("GET /v1/articles/<id>/translations/<lang> (openapi.yaml) is not routed", pytrace=False)
        assert response.status_code == 200, response.get_json()
        body = response.get_json()
        assert (body["id"], body["version"], body["lang"], body["model"]) == (ARTICLE_ID, 1, "fr", "echo")
        assert body["title"] == f"FR({TITLE})"
        assert body["paragraphs"] == [f"FR({p})" for p in PARAGRAPHS]
    assert engine.calls == [] and engine.fallback_calls == []


def test_the_french_page_answers_a_cached_version_without_the_model(cached_app):
    app, engine = cached_app
    response = app.test_client().get(f"/articles/{ARTICLE_ID}/fr")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert all(f"<p>FR({p})</p>" in page for p in PARAGRAPHS)
    assert engine.calls == [] and engine.fallback_calls == []
