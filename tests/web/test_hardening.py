"""Hardening of the HTTP service, in process (Flask client, real SQLite file, fake engines):
bounded metric labels, glossary limits, routes and ids, readiness on a broken store, memory
writes that fail, the per-request model budget."""

from __future__ import annotations

import random
import sqlite3

import pytest

from tests.fakes import EchoEngine, FunctionEngine
from tests.web.test_articles_api import poll_translation
from translator.errors import StoreError
from translator.web import create_app

KEY = "hardening-key"
AUTH = {"Authorization": f"Bearer {KEY}"}


def series(client) -> set[str]:
    """The HTTP request series in /metrics (one line each, without its value)."""
    text = client.get("/metrics").get_data(as_text=True)
    return {line.rpartition(" ")[0] for line in text.splitlines()
            if line.startswith(("translator_http_requests_total", "translator_http_request_duration_seconds_count"))}


# -- metrics: bounded labels ------------------------------------------------------------------------

def test_random_methods_and_paths_add_no_metric_series(client):
    # One request of each kind first: the series every made-up request falls into exist now.
    client.open("/v1/no-such-thing", method="FROBNICATE")
    client.get("/v1/no-such-thing")
    client.open("/healthz", method="FROBNICATE")
    before = series(client)
    chance = random.Random(15)
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    for _ in range(1000):
        method = "".join(chance.choice(letters) for _ in range(chance.randint(3, 40)))
        path = "/" + "/".join(f"{chance.getrandbits(64):x}" for _ in range(chance.randint(1, 4)))
        response = client.open(path, method=method)
        assert response.status_code == 405
    after = series(client)
    assert after - before == {'translator_http_requests_total{method="GET",route="/metrics",status="200"}',
                              'translator_http_request_duration_seconds_count{method="GET",route="/metrics"}'}
    assert 'translator_http_requests_total{method="other",route="(unrouted)",status="405"}' in after


# -- methods, routes and ids ------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/healthz", "/v1/articles/a", "/v1/nothing/here", "/"])
def test_a_method_no_route_takes_is_a_json_405_on_every_path(client, path):
    response = client.open(path, method="BREW")
    assert response.status_code == 405
    assert response.get_json() == {"error": {"code": "method_not_allowed", "message": f"BREW is not allowed on {path}"}}


def test_a_put_on_a_translation_url_is_405_and_stores_nothing(make_client):
    client = make_client(api_keys=(KEY,))
    for headers, body in (({}, None), (AUTH, {"title": "T", "body": "B"})):
        response = client.put("/v1/articles/a/translations/fr", json=body, headers=headers)
        assert response.status_code == 405
        assert set(response.headers["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS"}
        assert response.get_json()["error"] == {
            "code": "method_not_allowed", "message": "PUT is not allowed on /v1/articles/a/translations/fr"}
    assert set(client.options("/v1/articles/a/translations/fr").headers["Allow"].split(", ")) == {
        "GET", "HEAD", "OPTIONS"}
    assert client.get("/v1/articles/a/translations/fr").status_code == 404  # nothing was stored


@pytest.mark.parametrize("raw, byte", [("%FF", "0xff"), ("%C3%28", "0x28"), ("%ED%A0%80", "0xed")])
def test_invalid_utf8_in_an_id_is_a_400(client, raw, byte):
    response = client.put(f"/v1/articles/x{raw}", json={"title": "T", "body": "B"})
    assert response.status_code == 400
    message = response.get_json()["error"]["message"]
    assert message.startswith("the URL path is not valid UTF-8 (byte ")
    assert client.get(f"/v1/articles/x{raw}").status_code == 400


def test_two_ids_differing_only_in_invalid_bytes_never_share_an_article(client):
    assert client.put("/v1/articles/x%FE", json={"title": "One", "body": "B"}).status_code == 400
    assert client.put("/v1/articles/x%FF", json={"title": "Two", "body": "B"}).status_code == 400
    assert client.get("/v1/articles/x%EF%BF%BD").status_code == 404  # U+FFFD itself: a real, unknown id


@pytest.mark.parametrize("raw", ["%0A", "%00", "%7F", "%C2%85", "%09"])
def test_control_characters_in_ids_and_terms_are_a_400(make_client, raw):
    client = make_client(api_keys=(KEY,))
    for method, path, body in (("PUT", f"/v1/articles/a{raw}b", {"title": "T", "body": "B"}),
                               ("GET", f"/v1/articles/a{raw}b", None),
                               ("PUT", f"/v1/glossary/entries/a{raw}b", {"target": "x"}),
                               ("DELETE", f"/v1/glossary/entries/a{raw}b", None)):
        response = client.open(path, method=method, json=body, headers=AUTH)
        assert response.status_code == 400, (method, path)
        assert response.get_json()["error"]["message"].startswith("the URL path holds a control character")


def test_a_valid_unicode_id_still_round_trips(client):
    assert client.put("/v1/articles/caf%C3%A9%2F%E2%82%AC", json={"title": "T", "body": "B"},
                      query_string={"translate": "false"}).status_code == 201
    assert client.get("/v1/articles/caf%C3%A9%2F%E2%82%AC").get_json()["id"] == "café/€"


def test_served_spec_lists_the_served_languages(make_client):
    client = make_client(models={"en-de": "de-model"})
    spec = client.get("/openapi.json").get_json()
    params = spec["paths"]["/v1/articles/{article_id}/translations/{lang}"]["parameters"]
    lang = next(p for p in params if p.get("name") == "lang")
    assert lang["schema"]["enum"] == ["fr", "de"]
    request = spec["components"]["schemas"]["TranslateRequest"]["properties"]
    assert request["source_lang"]["enum"] == ["en"]
    assert request["target_lang"]["enum"] == ["fr", "de"]


# -- glossary limits --------------------------------------------------------------------------------

def test_glossary_terms_over_200_characters_are_a_400_in_every_api(make_client):
    client = make_client(api_keys=(KEY,))
    long = "Q" * 201
    response = client.put("/v1/glossary/entries/Putin", json={"target": long}, headers=AUTH)
    assert (response.status_code, response.get_json()["error"]["message"]) == (
        400, "invalid glossary entry: target term too long: 201 characters (at most 200)")
    response = client.put(f"/v1/glossary/entries/{'P' * 201}", json={"target": "x"}, headers=AUTH)
    assert response.status_code == 400
    assert response.get_json()["error"]["message"] == (
        "invalid glossary entry: source term too long: 201 characters (at most 200)")
    response = client.post("/v1/translate", json={"text": "Putin spoke.",
                                                  "glossary_entries": [{"source": "Putin", "target": long}]})
    assert response.status_code == 400
    assert client.get("/v1/glossary").get_json()["entries"] == []


def test_a_target_too_long_for_the_model_is_translated_without_it_and_reported_missed(make_client):
    # 200 characters of one-letter words: 101 tokens for the fake engine, which takes at most 60.
    engine = EchoEngine()
    engine.max_input_tokens = 60
    client = make_client(engine, api_keys=(KEY,))
    target = " ".join("x" * 100)[:199] + "y"
    assert client.put("/v1/glossary/entries/Putin", json={"target": target}, headers=AUTH).status_code == 201
    response = client.post("/v1/translate", json={"text": "Putin spoke to Reuters."})
    assert response.status_code == 200
    missed = {"source": "Putin", "target": target, "start": 0, "end": 5, "paragraph": 0,
              "reason": "French forms too long for the model"}
    assert response.get_json()["translations"] == [{
        "text": "FR(Putin spoke to Reuters.)", "status": "ok",
        "glossary": {"applied": [], "missed": [missed],
                     "unlisted": [{"text": "Reuters", "start": 15, "end": 22, "paragraph": 0}]}}]
    assert engine.seen == ["Putin spoke to Reuters."]
    # The same through an article: translated, the term reported, never a 5xx.
    client.put("/v1/articles/long-term", json={"title": "Putin", "body": "Putin spoke."}, headers=AUTH)
    response = poll_translation(client, "/v1/articles/long-term/translations/fr")
    assert response.status_code == 200
    assert [(m["source"], m["part"], m["reason"]) for m in response.get_json()["glossary"]["missed"]] == [
        ("Putin", "title", "French forms too long for the model"), ("Putin", "body", "French forms too long for the model")]


# -- readiness on a broken store ----------------------------------------------------------------

def _corrupt_segments(path) -> None:
    """Fill the memory table, then overwrite its pages (not the header, the schema or the articles
    table): reads of the articles table still work, writes of translations do not."""
    from translator.store.sqlite import SQLiteStore

    store = SQLiteStore(path)
    store.put_segments({f"key-{i:05d}": "valeur " * 20 for i in range(3000)})
    store.close()
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        last_root = conn.execute("SELECT max(rootpage) FROM sqlite_master").fetchone()[0]
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.close()
    with open(path, "r+b") as fh:
        for page in range(last_root + 1, pages):  # not the header, the schema or any table's root page
            fh.seek(page * page_size)
            fh.write(b"\xa5" * page_size)


def test_readyz_is_503_with_the_reason_when_the_store_cannot_take_a_write(make_services, tmp_path):
    path = tmp_path / "broken.sqlite3"
    _corrupt_segments(path)
    services = make_services(store=f"sqlite:///{path}")
    services.warm_up()
    client = create_app(runtime=services).test_client()
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.get_json()
    assert body["error"]["code"] == "store_unavailable"
    assert body["checks"]["model"] == "loaded"
    assert body["checks"]["store"].startswith("unavailable: store sqlite:///")
    assert "malformed" in body["checks"]["store"]


def test_readyz_probe_leaves_the_store_as_it_was(make_services):
    services = make_services()
    services.warm_up()
    client = create_app(runtime=services).test_client()
    assert client.get("/readyz").status_code == 200
    assert services.store.stats()["entries"] == 0


# -- a finished translation survives a failing memory write ------------------------------------------

def test_a_translation_is_returned_when_writing_the_memory_fails(make_services):
    services = make_services()

    def refuse(entries):
        raise StoreError("store sqlite:///x: database or disk is full")

    services.store.put_segments = refuse
    client = create_app(runtime=services).test_client()
    response = client.post("/v1/translate", json={"text": ["One.", "Two."]})
    assert response.status_code == 200
    assert [t["text"] for t in response.get_json()["translations"]] == ["FR(One.)", "FR(Two.)"]
    metrics = client.get("/metrics").get_data(as_text=True)
    assert "translator_memory_write_failures_total 1.0" in metrics


# -- the per-request model budget ---------------------------------------------------------------------

def test_a_request_over_the_model_budget_is_413_with_the_limit(make_client):
    engine = FunctionEngine(lambda t: f"FR({t})")
    client = make_client(engine, max_model_tokens=100)
    response = client.post("/v1/translate", json={"text": ["word " * 60, "word " * 60]})
    assert response.status_code == 413
    assert response.get_json()["error"] == {"code": "payload_too_large", "message": (
        "too much text for the model in one request: more than 100 source tokens (TRANSLATOR_MAX_MODEL_TOKENS); "
        "split it into smaller requests, or store it as an article (PUT /v1/articles/<id>), which is translated "
        "in the background")}
    assert engine.calls == []
    assert client.post("/v1/translate", json={"text": "word " * 60}).status_code == 200


def test_articles_are_exempt_from_the_model_budget(make_client):
    client = make_client(max_model_tokens=10)
    body = "\n\n".join(f"Paragraph {i} has several words in it." for i in range(5))
    assert client.put("/v1/articles/big", json={"title": "Big", "body": body}).status_code == 201
    assert poll_translation(client, "/v1/articles/big/translations/fr").status_code == 200


def test_the_documented_term_pattern_is_exactly_the_glossary_rule():
    """Every code point, alone and between letters: the spec's pattern accepts a target exactly when
    the glossary's own checks do (so a schema-valid entry is never a 400, and the reverse)."""
    import re
    import unicodedata

    from translator.glossary.entries import entry_problems
    from translator.web.openapi import load_spec

    schemas = load_spec()["components"]["schemas"]
    target = re.compile(schemas["GlossaryTarget"]["pattern"])
    has_alnum = re.compile(schemas["GlossarySource"]["allOf"][1]["pattern"])
    disagree = []
    for cp in range(0x110000):
        char = chr(cp)
        if 0xD800 <= cp <= 0xDFFF:
            continue
        invisible = unicodedata.category(char) in ("Cc", "Cf")  # what entry_problems calls a control character
        if (target.search(char) is not None) == (invisible or char.isspace()):
            disagree.append(char)
        if (target.search(f"a{char}a") is not None) == invisible:
            disagree.append(f"a{char}a")
        if (has_alnum.search(char) is not None) != char.isalnum():
            disagree.append(char)
    assert disagree == []
    # ... and that rule is the glossary's: spot checks through entry_problems itself
    for text, ok in (("a b", True), (" a", False), ("a\u200bb", False), ("a\xa0", False), ("é", True)):
        assert (not entry_problems("a", text)) is ok and (target.search(text) is not None) is ok
