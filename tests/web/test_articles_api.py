"""/v1/articles through the Flask test client: real stores (SQLite file, Redis server), fake engines,
every response checked against the served OpenAPI document."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from tests.fakes import EchoEngine, FunctionEngine
from tests.gated import GatedEngine
from tests.waiting import wait_until
from translator.errors import EngineBusy

TITLE = "Budget vote delayed"
PARAGRAPHS = ["The minister spoke on Monday.", "Parliament will vote next week.", "Unions called a strike."]
BODY = "\n\n".join(PARAGRAPHS)
KEY = "article-writer-key"
AUTH = {"Authorization": f"Bearer {KEY}"}
SITE = "https://news.example.mu"


def fr(text: str) -> str:
    return f"FR({text})"


def services_of(client):
    return client.application.extensions["translator"]


def poll_translation(client, path: str):
    """GET ``path`` until it is no longer 202 (each 202 checked); the final response."""
    answers = []

    def ready() -> bool:
        response = client.get(path)
        answers.append(response)
        if response.status_code == 202:
            assert response.get_json()["status"] == "pending"
            assert response.headers["Retry-After"] == "1"
            return False
        return True

    wait_until(ready, what=f"{path} to be ready")
    return answers[-1]


# -- the whole flow, on both stores ---------------------------------------------------------------

def test_put_get_and_translate_through_202_to_200_then_edit_one_paragraph(store_url, make_client):
    engine = GatedEngine()
    client = make_client(engine, store=store_url, api_keys=(KEY,))
    engine.hold()
    response = client.put("/v1/articles/a1", json={"title": TITLE, "body": BODY, "url": "https://x.test/a1"},
                          headers=AUTH)
    assert (response.status_code, response.get_json()) == (201, {"id": "a1", "version": 1, "changed": True})

    # With keys set, the English source needs one.
    assert client.get("/v1/articles/a1").status_code == 401
    article = client.get("/v1/articles/a1", headers=AUTH)
    assert article.status_code == 200
    created_at = article.get_json().pop("created_at")
    assert created_at.endswith("Z")
    assert article.get_json() | {"created_at": created_at} == {
        "id": "a1", "version": 1, "title": TITLE, "body": BODY, "format": "text", "url": "https://x.test/a1",
        "created_at": created_at, "published": True, "embargo_until": None}

    # The PUT started the translation; the engine is held, so it is pending.
    engine.entered.wait(10)
    pending = client.get("/v1/articles/a1/translations/fr")
    assert (pending.status_code, pending.get_json()) == (202, {"status": "pending"})
    assert pending.headers["Retry-After"] == "1"
    engine.release()
    done = poll_translation(client, "/v1/articles/a1/translations/fr")
    assert done.status_code == 200
    first = done.get_json()
    translated_at = first.pop("translated_at")
    assert translated_at.endswith("Z")
    assert first == {
        "id": "a1", "version": 1, "lang": "fr", "title": fr(TITLE), "body": "\n\n".join(map(fr, PARAGRAPHS)),
        "paragraphs": [fr(p) for p in PARAGRAPHS], "model": "gated", "glossary_version": "",
        "glossary": {"applied": [], "missed": [], "unlisted": []}, "status": "ok",
        "segments": {"total": 4, "from_memory": 0, "translated": 4, "unchanged": 0, "failed": 0},
        "units": [{"index": i, "paragraph": i - 1 if i else None, "source": source, "target": fr(source),
                   "origin": "machine", "score": None, "flags": []} for i, source in enumerate([TITLE, *PARAGRAPHS])],
        "reviewed": False}
    assert engine.calls == [[TITLE, PARAGRAPHS[0]], [PARAGRAPHS[1]], [PARAGRAPHS[2]]]  # reading order

    # The same content again: no new version, nothing translated.
    same = client.put("/v1/articles/a1", json={"title": TITLE, "body": BODY, "url": "https://x.test/a1"},
                      headers=AUTH)
    assert (same.status_code, same.get_json()) == (200, {"id": "a1", "version": 1, "changed": False})

    # One paragraph edited: version 2, and only that paragraph reaches the model.
    edited = [PARAGRAPHS[0], "Parliament will vote on Friday.", PARAGRAPHS[2]]
    response = client.put("/v1/articles/a1", json={"title": TITLE, "body": "\n\n".join(edited),
                                                   "url": "https://x.test/a1"}, headers=AUTH)
    assert (response.status_code, response.get_json()) == (200, {"id": "a1", "version": 2, "changed": True})
    second = poll_translation(client, "/v1/articles/a1/translations/fr")
    assert second.status_code == 200
    assert second.get_json()["version"] == 2
    assert second.get_json()["paragraphs"] == [fr(p) for p in edited]
    assert second.get_json()["segments"] == {"total": 4, "from_memory": 3, "translated": 1, "unchanged": 0,
                                             "failed": 0}
    assert engine.calls[3:] == [["Parliament will vote on Friday."]]

    # Version 1 keeps its own translation, served without the model.
    old = client.get("/v1/articles/a1/translations/fr?version=1")
    assert old.status_code == 200 and old.get_json()["paragraphs"] == [fr(p) for p in PARAGRAPHS]
    assert client.get("/v1/articles/a1?version=1", headers=AUTH).get_json()["body"] == BODY
    assert client.get("/v1/articles/a1", headers=AUTH).get_json()["version"] == 2
    assert len(engine.calls) == 4


def test_a_second_app_on_the_same_store_serves_the_stored_translation_without_its_model(store_url, make_client):
    first = make_client(EchoEngine(), store=store_url)
    first.put("/v1/articles/a1", json={"title": TITLE, "body": BODY})
    assert poll_translation(first, "/v1/articles/a1/translations/fr").status_code == 200
    engine = EchoEngine()  # same identity "echo": the stored translation is current
    second = make_client(engine, store=store_url)
    response = second.get("/v1/articles/a1/translations/fr")
    assert response.status_code == 200
    assert response.get_json()["paragraphs"] == [fr(p) for p in PARAGRAPHS]
    assert engine.calls == []


def test_an_id_with_a_slash_is_sent_as_percent_2f(make_client):
    """Batch ids are relative file paths; the widget sends them encoded, as the spec says."""
    sent = "2024%2Fcyclone.txt"
    client = make_client(EchoEngine())
    response = client.put(f"/v1/articles/{sent}", json={"title": TITLE, "body": BODY})
    assert (response.status_code, response.get_json()) == (201, {"id": "2024/cyclone.txt", "version": 1,
                                                                 "changed": True})
    assert client.get(f"/v1/articles/{sent}").get_json()["id"] == "2024/cyclone.txt"
    done = poll_translation(client, f"/v1/articles/{sent}/translations/fr")
    assert (done.status_code, done.get_json()["id"], done.get_json()["paragraphs"]) == (
        200, "2024/cyclone.txt", [fr(p) for p in PARAGRAPHS])
    page = FlaskClient(client.application).get(f"/articles/{sent}/fr")  # HTML for readers: not in the API spec
    assert page.status_code == 200 and fr(PARAGRAPHS[0]) in page.get_data(as_text=True)
    # A different id is a different article, not a prefix match.
    assert client.get("/v1/articles/2024").status_code == 404
    assert client.get("/v1/articles/2024/translations/fr").status_code == 404


# -- progress while translating -------------------------------------------------------------------

def answers_after_each_stage(client, engine: GatedEngine, path: str, *, stages: int) -> list:
    """Let the held engine take one more stage at a time; the answer to ``path`` after each."""
    answers = []
    for stage in range(1, stages + 1):
        engine.step()
        wait_until(lambda: len(engine.calls) == stage + 1, what=f"stage {stage + 1} to reach the engine")
        answers.append(client.get(path))
    return answers


def test_the_202_carries_the_paragraphs_finished_so_far_in_reading_order(make_client):
    engine = GatedEngine()
    client = make_client(engine)
    engine.hold()
    client.put("/v1/articles/a1", json={"title": TITLE, "body": BODY})
    path = "/v1/articles/a1/translations/fr"
    wait_until(lambda: len(engine.calls) == 1, what="the first stage to reach the engine")
    assert client.get(path).get_json() == {"status": "pending"}  # nothing finished yet
    answers = answers_after_each_stage(client, engine, path, stages=2)
    assert [(a.status_code, a.get_json()) for a in answers] == [
        (202, {"status": "pending", "partial": {"title": fr(TITLE), "paragraphs": [fr(PARAGRAPHS[0])],
                                                "done": 1, "total": 3}}),
        (202, {"status": "pending", "partial": {"title": fr(TITLE), "paragraphs": [fr(p) for p in PARAGRAPHS[:2]],
                                                "done": 2, "total": 3}})]
    assert answers[0].headers["Retry-After"] == "1"
    engine.step()
    done = poll_translation(client, path)
    assert done.status_code == 200 and done.get_json()["paragraphs"] == [fr(p) for p in PARAGRAPHS]
    assert services_of(client).articles().partial("a1", 1) is None  # forgotten once stored


def test_articles_waiting_in_the_queue_share_one_engine_pass(make_client):
    engine = GatedEngine()
    client = make_client(engine)
    engine.hold()
    client.put("/v1/articles/a1", json={"title": "First", "body": "One."})
    wait_until(lambda: len(engine.calls) == 1, what="a1 to reach the engine")
    for name in ("a2", "a3"):  # arrive while a1 holds the worker: they wait in the queue
        client.put(f"/v1/articles/{name}", json={"title": f"Title {name}", "body": f"Body {name}."})
    engine.release()
    for name in ("a1", "a2", "a3"):
        assert poll_translation(client, f"/v1/articles/{name}/translations/fr").status_code == 200
    assert engine.calls == [["First", "One."], ["Title a2", "Body a2.", "Title a3", "Body a3."]]


# -- starting translations ---------------------------------------------------------------------

def test_translate_false_stores_without_translating_until_someone_asks(make_client):
    engine = GatedEngine()
    client = make_client(engine)
    articles = services_of(client).articles()
    response = client.put("/v1/articles/a1?translate=false", json={"title": TITLE, "body": BODY})
    assert response.status_code == 201
    assert not articles.is_translating("a1") and articles.cached_translation("a1") is None
    engine.hold()
    assert client.get("/v1/articles/a1/translations/fr").status_code == 202  # the first ask starts it
    engine.entered.wait(10)
    assert articles.is_translating("a1", 1)
    assert client.get("/v1/articles/a1/translations/fr").status_code == 202  # asking again starts nothing new
    engine.release()
    assert poll_translation(client, "/v1/articles/a1/translations/fr").status_code == 200
    assert engine.calls == [[TITLE, PARAGRAPHS[0]], [PARAGRAPHS[1]], [PARAGRAPHS[2]]]


@pytest.mark.parametrize("query", ["", "?translate=true", "?translate=1", "?translate=TRUE"])
def test_a_new_version_starts_translating_at_once(make_client, query):
    engine = GatedEngine()
    client = make_client(engine)
    engine.hold()
    assert client.put(f"/v1/articles/a1{query}", json={"title": TITLE, "body": BODY}).status_code == 201
    assert services_of(client).articles().is_translating("a1", 1)
    engine.release()


def test_a_stored_translation_is_served_from_the_store_without_the_model(make_client):
    engine = EchoEngine()
    client = make_client(engine)
    client.put("/v1/articles/a1", json={"title": TITLE, "body": BODY})
    first = poll_translation(client, "/v1/articles/a1/translations/fr").get_json()
    calls = len(engine.calls)  # the stages of one translation (title and first paragraph first)
    for _ in range(3):
        assert client.get("/v1/articles/a1/translations/fr").get_json() == first
    assert len(engine.calls) == calls == 3


# -- failures of background translations ----------------------------------------------------------

class FailingEngine(FunctionEngine):
    """Raises ``error`` while ``failing``; echoes otherwise."""

    def __init__(self, error: Exception):
        super().__init__(fr, identity="failing")
        self.error = error
        self.failing = True

    def translate(self, texts, *, fallback=False):
        super().translate(texts, fallback=fallback)
        if self.failing:
            raise self.error
        return [fr(t) for t in texts]


def test_a_busy_engine_answers_once_then_the_next_read_retries(make_client):
    error = EngineBusy("the translation queue is full; try again shortly", retry_after=3)
    engine = FailingEngine(error)
    client = make_client(engine)
    articles = services_of(client).articles()
    client.put("/v1/articles/a1", json={"title": TITLE, "body": BODY})
    wait_until(lambda: not articles.is_translating("a1", 1), what="the translation to fail")
    failed = client.get("/v1/articles/a1/translations/fr")
    assert (failed.status_code, failed.headers.get("Retry-After")) == (503, "3")
    assert failed.get_json()["error"] == {"code": "busy", "message": str(error)}
    engine.failing = False
    retried = client.get("/v1/articles/a1/translations/fr")  # starts it again
    assert retried.status_code in (200, 202)
    assert poll_translation(client, "/v1/articles/a1/translations/fr").get_json()["title"] == fr(TITLE)


def test_a_lasting_failure_is_marked_once_with_its_reason_and_retried_only_when_sent_again(make_client, caplog):
    """Issue 26: a version that cannot be translated was retried on every read (500 and 202 alternating).
    Now it is marked failed, with its reason, and every read answers that without translating again."""
    engine = FailingEngine(ValueError("the model crashed"))
    client = make_client(engine)
    services = services_of(client)
    articles = services.articles()
    client.put("/v1/articles/a1", json={"title": TITLE, "body": BODY})
    wait_until(lambda: not articles.is_translating("a1", 1), what="the translation to fail")
    calls = len(engine.calls)
    message = ("article 'a1' version 1 cannot be translated into fr: ValueError: the model crashed; it is tried "
               "again for a new version, or when this one is PUT again")
    for _ in range(3):
        failed = client.get("/v1/articles/a1/translations/fr")
        assert failed.status_code == 500
        assert failed.get_json() == {"error": {"code": "translation_failed", "message": message},
                                     "request_id": failed.headers["X-Request-ID"]}
    assert len(engine.calls) == calls  # no read translated it again
    assert services.store.failure("fr", "a1", 1) == "ValueError: the model crashed"
    assert services.store.pending("fr") == []  # and no start resumes it
    assert "the model crashed" in caplog.text

    engine.failing = False
    again = client.put("/v1/articles/a1", json={"title": TITLE, "body": BODY})  # the same version, sent again
    assert (again.status_code, again.get_json()) == (200, {"id": "a1", "version": 1, "changed": False})
    assert poll_translation(client, "/v1/articles/a1/translations/fr").get_json()["title"] == fr(TITLE)
    assert services.store.failure("fr", "a1", 1) is None


def test_a_new_version_of_a_failed_article_is_translated(make_client):
    engine = FailingEngine(ValueError("the model crashed"))
    client = make_client(engine)
    articles = services_of(client).articles()
    client.put("/v1/articles/a1", json={"title": TITLE, "body": BODY})
    wait_until(lambda: not articles.is_translating("a1", 1), what="the translation to fail")
    assert client.get("/v1/articles/a1/translations/fr").status_code == 500
    engine.failing = False
    assert client.put("/v1/articles/a1", json={"title": TITLE, "body": BODY + " More."}).get_json()["version"] == 2
    done = poll_translation(client, "/v1/articles/a1/translations/fr").get_json()
    assert (done["version"], done["title"]) == (2, fr(TITLE))
    assert client.get("/v1/articles/a1/translations/fr?version=1").status_code == 500  # v1 stays failed


# -- languages ------------------------------------------------------------------------------------

def test_an_unconfigured_language_is_404_listing_the_served_ones(make_client):
    client = make_client()
    client.put("/v1/articles/a1", json={"title": TITLE, "body": BODY})
    response = client.get("/v1/articles/a1/translations/de")
    assert response.status_code == 404
    assert response.get_json() == {
        "error": {"code": "unknown_language", "message": "articles are not translated into 'de'; available: fr"},
        "languages": ["fr"]}


def test_articles_are_translated_into_the_targets_of_other_en_pairs(make_services):
    from tests.web.conftest import SpecCheckingClient
    from translator.web import create_app

    german = FunctionEngine(lambda t: f"DE({t})", identity="de-engine")
    services = make_services(EchoEngine(), engines={"opus-en-de": german},
                             models={"en-de": "opus-en-de", "de-en": "opus-de-en"})
    app = create_app(runtime=services)
    app.test_client_class = SpecCheckingClient
    client = app.test_client()
    client.put("/v1/articles/a1?translate=false", json={"title": TITLE, "body": BODY})
    response = poll_translation(client, "/v1/articles/a1/translations/de")
    assert (response.get_json()["lang"], response.get_json()["model"]) == ("de", "de-engine")
    assert response.get_json()["paragraphs"] == [f"DE({p})" for p in PARAGRAPHS]
    assert client.get("/v1/articles/a1/translations/en").get_json()["error"]["message"] == (
        "articles are not translated into 'en'; available: fr, de")


# -- client errors --------------------------------------------------------------------------------

@pytest.fixture
def stored(make_client):
    """A client whose store has article a1 (version 1, translated)."""
    client = make_client(api_keys=(KEY,), cors_origins=(SITE,), max_chars=100)
    client.put("/v1/articles/a1", json={"title": TITLE, "body": "Short."}, headers=AUTH)
    poll_translation(client, "/v1/articles/a1/translations/fr")
    return client


@pytest.mark.parametrize("path, message", [
    ("/v1/articles/nope", "no article 'nope'"),
    ("/v1/articles/a1?version=2", "article 'a1' has no version 2"),
    ("/v1/articles/nope/translations/fr", "no article 'nope'"),
    ("/v1/articles/a1/translations/fr?version=2", "article 'a1' has no version 2"),
    ("/v1/articles/a1/translations/fr?version=99999999999999999999",
     "article 'a1' has no version 99999999999999999999"),
])
def test_unknown_articles_and_versions_are_404(stored, path, message):
    response = stored.get(path, headers=AUTH)  # the English source needs the key (set here)
    assert response.status_code == 404
    assert response.get_json() == {"error": {"code": "not_found", "message": message}}


@pytest.mark.parametrize("value", ["0", "-1", "abc", "1.5", "", " 1", "١"])
@pytest.mark.parametrize("path", ["/v1/articles/a1", "/v1/articles/a1/translations/fr"])
def test_version_must_be_a_positive_integer(stored, path, value):
    response = stored.get(f"{path}?version={value}", headers=AUTH)
    assert response.status_code == 400
    assert response.get_json() == {"error": {
        "code": "bad_request", "message": f"query parameter 'version' must be a positive integer, not {value!r}"}}


@pytest.mark.parametrize("body, status, message", [
    ({"body": "x"}, 400, "missing required field 'title'"),
    ({"title": "x", "body": 3}, 400, "body: expected a string, got a number"),
    ({"title": "x", "body": "y", "format": "pdf"}, 400, "format: 'pdf' is not supported (use 'text', 'html')"),
    ({"title": "x", "body": "y", "url": 5}, 400, "url: expected a string or null, got a number"),
    ({"title": "x", "body": "y", "lang": "en"}, 400,
     "unknown field 'lang' in request body; allowed: body, embargo_until, format, published, title, url"),
    ({"title": "x" * 50, "body": "y" * 51}, 413, "too much text: 101 characters (at most 100 per request)"),
])
def test_bad_article_bodies(stored, body, status, message):
    response = stored.put("/v1/articles/a2", json=body, headers=AUTH)
    assert response.status_code == status
    assert response.get_json()["error"]["message"] == message
    assert stored.get("/v1/articles/a2", headers=AUTH).status_code == 404  # nothing stored


def test_bad_article_requests(stored):
    assert stored.put("/v1/articles/a2", data="title=x", headers=AUTH,
                      content_type="application/x-www-form-urlencoded").status_code == 415
    assert stored.put("/v1/articles/a2", data="{", headers=AUTH, content_type="application/json").status_code == 400
    response = stored.put("/v1/articles/a2?translate=maybe", json={"title": "x", "body": "y"}, headers=AUTH)
    assert (response.status_code, response.get_json()["error"]["message"]) == (
        400, "query parameter 'translate' must be true or false, not 'maybe'")
    long_id = "x" * 201
    response = stored.put(f"/v1/articles/{long_id}", json={"title": "x", "body": "y"}, headers=AUTH)
    assert (response.status_code, response.get_json()["error"]["message"]) == (
        400, "article id too long: 201 characters (at most 200)")
    assert stored.get(f"/v1/articles/{'x' * 200}", headers=AUTH).status_code == 404
    response = stored.delete("/v1/articles/a1", headers=AUTH)
    assert (response.status_code, response.get_json()["error"]["code"]) == (405, "method_not_allowed")


def test_writes_and_the_english_source_need_the_key_and_the_french_does_not(stored):
    body = {"title": "x", "body": "y"}
    assert stored.put("/v1/articles/a2", json=body).status_code == 401
    assert stored.put("/v1/articles/a2", json=body, headers={"Authorization": "Bearer wrong"}).status_code == 403
    assert stored.get("/v1/articles/a2", headers=AUTH).status_code == 404  # neither stored anything
    assert stored.get("/v1/articles/a1").status_code == 401
    assert stored.get("/v1/articles/a1", headers=AUTH).status_code == 200
    assert stored.get("/v1/articles/a1/translations/fr").status_code == 200


@pytest.mark.parametrize("path", ["/v1/articles/a1", "/v1/articles/a1/translations/fr", "/v1/articles/nope"])
def test_article_reads_are_cors_readable(stored, path):
    response = stored.get(path, headers={"Origin": SITE})
    assert response.headers["Access-Control-Allow-Origin"] == SITE
    preflight = stored.options(path, headers={"Origin": SITE, "Access-Control-Request-Method": "GET"})
    assert preflight.headers["Access-Control-Allow-Origin"] == SITE


def test_article_writes_are_never_cors(stored):
    preflight = stored.options("/v1/articles/a1", headers={"Origin": SITE, "Access-Control-Request-Method": "PUT"})
    assert "Access-Control-Allow-Origin" not in preflight.headers
    response = stored.put("/v1/articles/a1", json={"title": "x", "body": "y"}, headers={**AUTH, "Origin": SITE})
    assert response.status_code == 200 and "Access-Control-Allow-Origin" not in response.headers


def test_an_html_article_s_202_carries_its_finished_blocks_in_reading_order(make_client):
    """Before: HTML articles had no progressive display (the 202 had no 'partial')."""
    engine = GatedEngine()
    client = make_client(engine)
    engine.hold()
    blocks = [f"<p>{p}</p>" for p in PARAGRAPHS]
    client.put("/v1/articles/h1", json={"title": TITLE, "body": "".join(blocks), "format": "html"})
    path = "/v1/articles/h1/translations/fr"
    wait_until(lambda: len(engine.calls) == 1, what="the first stage to reach the engine")
    answers = answers_after_each_stage(client, engine, path, stages=2)
    assert [(a.status_code, a.get_json()) for a in answers] == [
        (202, {"status": "pending", "format": "html", "partial": {
            "title": fr(TITLE), "paragraphs": [f"<p>{fr(PARAGRAPHS[0])}</p>"], "done": 1, "total": 3,
            "source_blocks": PARAGRAPHS[:1]}}),
        (202, {"status": "pending", "format": "html", "partial": {
            "title": fr(TITLE), "paragraphs": [f"<p>{fr(p)}</p>" for p in PARAGRAPHS[:2]], "done": 2, "total": 3,
            "source_blocks": PARAGRAPHS[:2]}})]
    engine.step()
    done = poll_translation(client, path)
    assert done.status_code == 200 and done.get_json()["paragraphs"] == [f"<p>{fr(p)}</p>" for p in PARAGRAPHS]


def test_an_html_article_s_pending_page_shows_its_finished_blocks_as_html(make_services):
    from bs4 import BeautifulSoup

    from translator.web import create_app

    engine = GatedEngine()
    client = create_app({"TESTING": True}, runtime=make_services(engine)).test_client()
    engine.hold()
    client.put("/v1/articles/h2", json={"title": TITLE, "body": "".join(f"<p>{p} <b>x</b></p>" for p in PARAGRAPHS),
                                        "format": "html"})
    wait_until(lambda: len(engine.calls) == 1, what="the first stage to reach the engine")
    engine.step()
    wait_until(lambda: len(engine.calls) == 2, what="the second stage to reach the engine")
    page = client.get("/articles/h2/fr")
    assert page.status_code == 202
    body = BeautifulSoup(page.get_data(as_text=True), "html.parser").find(id="article-body")
    engine.release()
    [block] = body.find_all("p")  # the first block, as HTML (its <b> an element, not text)
    assert block.b is not None and "<p>" not in block.get_text()


def test_an_html_article_s_loose_text_is_a_block_of_the_202_partial_and_the_answer(make_client):
    """Before: text outside every block element was no block: missing from the partial, 'paragraphs' and
    'source_blocks', and its unit numbered with the next paragraph."""
    engine = GatedEngine()
    client = make_client(engine)
    engine.hold()
    client.put("/v1/articles/h3", json={"title": TITLE, "body": f"{PARAGRAPHS[0]}<p>{PARAGRAPHS[1]}</p>"
                                        f"<ul>{PARAGRAPHS[2]}</ul>", "format": "html"})
    path = "/v1/articles/h3/translations/fr"
    wait_until(lambda: len(engine.calls) == 1, what="the first stage to reach the engine")
    engine.step()
    wait_until(lambda: len(engine.calls) == 2, what="the second stage to reach the engine")
    partial = client.get(path)
    engine.release()
    assert (partial.status_code, partial.get_json()["partial"]) == (202, {
        "title": fr(TITLE), "paragraphs": [fr(PARAGRAPHS[0])], "done": 1, "total": 3,
        "source_blocks": PARAGRAPHS[:1]})
    done = poll_translation(client, path).get_json()
    assert done["paragraphs"] == [fr(PARAGRAPHS[0]), f"<p>{fr(PARAGRAPHS[1])}</p>", fr(PARAGRAPHS[2])]
    assert done["source_blocks"] == PARAGRAPHS
    assert [(u["paragraph"], u["source"]) for u in done["units"]] == [(None, TITLE), *enumerate(PARAGRAPHS)]
