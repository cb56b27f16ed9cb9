"""HTTP caching (ETag, Cache-Control, 304), security headers on every page, request ids and the
access log, error bodies that name no store. Flask test client, fake engines, real SQLite store."""

from __future__ import annotations

import logging
from dataclasses import replace

import pytest
from flask.testing import FlaskClient

from tests.fakes import EchoEngine
from tests.gated import GatedEngine
from translator.errors import StoreError
from translator.web import create_app
from translator.web.caching import translation_etag

TITLE = "Cyclone nears Mauritius"
BODY = "Fishermen stayed in port.\n\nSchools closed."


@pytest.fixture
def make_app(make_services):
    def make(engine=None, **changes):
        services = make_services(engine if engine is not None else EchoEngine(), **changes)
        return create_app({"TESTING": True}, runtime=services), services

    return make


def stored(services, article_id="a1", **fields) -> int:
    result = services.articles().put(article_id, title=fields.get("title", TITLE), body=BODY)
    services.articles().translate(article_id, result.version)
    return result.version


# -- caching ------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/v1/articles/a1/translations/fr", "/articles/a1/fr"])
def test_a_translation_has_a_strong_etag_and_if_none_match_answers_304(make_app, path):
    app, services = make_app()
    stored(services)
    client = FlaskClient(app)
    first = client.get(path)
    assert first.status_code == 200
    etag = first.headers["ETag"]
    assert etag.startswith('"') and not etag.startswith('W/')
    assert first.headers["Cache-Control"] == "public, max-age=300"
    again = client.get(path, headers={"If-None-Match": etag})
    assert (again.status_code, again.get_data(), again.headers["ETag"]) == (304, b"", etag)
    assert again.headers["Cache-Control"] == "public, max-age=300"
    assert client.get(path, headers={"If-None-Match": '"something-else"'}).status_code == 200


def test_the_etag_changes_with_the_version_the_model_and_the_glossary(make_app):
    app, services = make_app()
    stored(services)
    translation = services.articles().cached_translation("a1", 1)
    tags = {translation_etag(translation, "json"), translation_etag(translation, "html")}
    for change in ({"version": 2}, {"model": "other-model"}, {"glossary_version": "g2"}):
        tags.add(translation_etag(replace(translation, **change), "json"))
    assert len(tags) == 5
    # Stable: the same translation always gets the same tag (so a second instance answers 304 too).
    assert translation_etag(translation, "json") == translation_etag(
        services.articles().cached_translation("a1", 1), "json")


@pytest.mark.parametrize("path", ["/v1/articles/a1/translations/fr", "/articles/a1/fr"])
def test_an_editors_correction_changes_the_etag_so_a_cached_copy_is_not_kept(make_app, path):
    app, services = make_app(api_keys=("desk=editor-secret",))
    stored(services)
    client = FlaskClient(app)
    before = client.get(path)
    fix = "Les pêcheurs sont restés."
    assert client.put("/v1/articles/a1/translations/fr/segments/1", json={"target": fix},
                      headers={"Authorization": "Bearer editor-secret"}).status_code == 200
    after = client.get(path, headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200  # same version, engine and glossary: the human memory changed the text
    assert after.headers["ETag"] != before.headers["ETag"]
    assert fix in after.get_data(as_text=True)
    assert client.get(path, headers={"If-None-Match": after.headers["ETag"]}).status_code == 304


def test_the_review_page_is_never_answered_304(make_app):
    app, services = make_app()
    stored(services)
    client = FlaskClient(app)
    etag = client.get("/articles/a1/fr").headers["ETag"]
    review = client.get("/articles/a1/fr?review=1", headers={"If-None-Match": etag})
    assert review.status_code == 200
    assert review.headers["Cache-Control"] == "private, no-store"
    assert "ETag" not in review.headers


def test_a_pending_translation_is_no_store_and_has_no_etag(make_app):
    engine = GatedEngine()
    app, services = make_app(engine)
    services.articles().put("a1", title=TITLE, body=BODY)
    engine.hold()
    client = FlaskClient(app)
    for path in ("/v1/articles/a1/translations/fr", "/articles/a1/fr"):
        pending = client.get(path)
        assert pending.status_code == 202
        assert pending.headers["Cache-Control"] == "no-store"
        assert "ETag" not in pending.headers
    engine.release()


# -- security headers on every page ----------------------------------------------------------------

def html_pages(services) -> list[str]:
    stored(services)
    services.articles().put("pending", title=TITLE, body=BODY)
    return ["/articles/a1/fr", "/articles/pending/fr", "/articles/missing/fr", "/articles/a1/fr?version=x",
            "/demo", "/docs"]


def test_every_html_page_has_a_strict_csp_nosniff_and_a_referrer_policy(make_app):
    app, services = make_app()
    client = FlaskClient(app)
    for path in html_pages(services):
        response = client.get(path)
        assert response.mimetype == "text/html", path
        csp = response.headers["Content-Security-Policy"]
        directives = dict(part.strip().split(" ", 1) for part in csp.split(";"))
        assert directives["script-src"] == "'self'", path  # no inline script, no other host
        assert directives["default-src"] == "'self'" and directives["object-src"] == "'none'"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
        if path == "/demo":  # shown inside other pages on purpose
            assert "frame-ancestors" not in directives
        else:
            assert directives["frame-ancestors"] == "'none'", path
        # No inline script anywhere: every <script> has a src on this origin.
        from bs4 import BeautifulSoup

        for script in BeautifulSoup(response.get_data(as_text=True), "html.parser").find_all("script"):
            assert script.get("src", "").startswith("/"), (path, script)
            assert not script.string or not script.string.strip(), (path, script)


def test_json_and_static_responses_get_nosniff_and_no_csp(make_app):
    app, services = make_app()
    client = FlaskClient(app)
    for path in ("/v1/languages", "/healthz", "/openapi.json", "/v1/articles/none/translations/fr",
                 "/static/read-in-french.js"):
        response = client.get(path)
        assert response.headers["X-Content-Type-Options"] == "nosniff", path
        assert "Content-Security-Policy" not in response.headers


# -- request ids and the access log ----------------------------------------------------------------

def test_every_response_carries_a_request_id_taken_from_the_request_or_made(make_app, caplog):
    app, services = make_app()
    client = FlaskClient(app)
    with caplog.at_level(logging.INFO, logger="translator.access"):
        given = client.get("/healthz", headers={"X-Request-ID": "lb-1234"})
        made = client.get("/v1/articles/nope/translations/fr")
        forged = client.get("/healthz", headers={"X-Request-ID": "bad id; INFO fake line " + "x" * 200})
    assert given.headers["X-Request-ID"] == "lb-1234"
    assert len(made.headers["X-Request-ID"]) == 32
    assert forged.headers["X-Request-ID"] != "bad id; INFO fake line " + "x" * 200
    lines = [r for r in caplog.records if r.name == "translator.access"]
    assert [(r.method, r.route, r.status, r.request_id) for r in lines] == [
        ("GET", "/healthz", 200, "lb-1234"),
        ("GET", "/v1/articles/<path:article_id>/translations/<lang>", 404, made.headers["X-Request-ID"]),
        ("GET", "/healthz", 200, forged.headers["X-Request-ID"])]
    assert lines[0].getMessage().startswith("GET /healthz 200 ")
    assert all(r.client == "127.0.0.1" and r.duration_ms >= 0 for r in lines)


class BrokenStore:
    """Stands in for a store whose server went away: every call fails with the real error text."""

    def __getattr__(self, name):
        def fail(*args, **kwargs):
            raise StoreError("store redis://:***@10.0.0.5:6379/0 (prefix 'news:'): Connection refused "
                             "reading /var/lib/translator/translator.sqlite3")
        return fail


def test_a_store_failure_body_names_no_url_or_path_but_the_log_has_it_under_the_request_id(make_app, caplog):
    app, services = make_app()
    services.articles()  # loaded on the real store, then the store breaks
    services.articles().store = BrokenStore()
    client = FlaskClient(app)
    with caplog.at_level(logging.ERROR):
        response = client.get("/v1/articles/a1/translations/fr", headers={"X-Request-ID": "req-42"})
    assert response.status_code == 503
    body = response.get_json()
    assert body["request_id"] == "req-42"
    assert body["error"]["code"] == "store_unavailable"
    text = response.get_data(as_text=True)
    for leak in ("redis://", "10.0.0.5", "/var/lib", "sqlite", "prefix"):
        assert leak not in text
    logged = [r for r in caplog.records if "10.0.0.5" in r.getMessage()]
    assert logged and all(getattr(r, "request_id", None) in (None, "req-42") for r in logged)
