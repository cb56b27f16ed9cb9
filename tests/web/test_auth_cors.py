"""API keys on writes and CORS on reads.

Part 1 of the service has no write endpoint yet, so the tests mount small
views the way the article and glossary blueprints do: a GET that is
CORS-readable and a PUT/DELETE behind ``require_api_key`` on the same URL.
"""

from __future__ import annotations

import logging

import pytest
from flask import Blueprint

from translator.web import create_app
from translator.web.auth import key_matches, require_api_key
from translator.web.cors import cors_readable

KEYS = ("first-secret-key", "second-secret-key")


def with_resource_views(app):
    """Mount GET (readable), PUT and DELETE (keyed) on /v1/things/<thing_id>."""
    bp = Blueprint("things", __name__, url_prefix="/v1")

    @bp.get("/things/<thing_id>")
    @cors_readable
    def get_thing(thing_id):
        return {"id": thing_id}

    @bp.put("/things/<thing_id>")
    @require_api_key
    def put_thing(thing_id):
        return {"id": thing_id, "stored": True}

    @bp.delete("/things/<thing_id>")
    @require_api_key
    def delete_thing(thing_id):
        return {"id": thing_id, "deleted": True}

    app.register_blueprint(bp)
    return app


@pytest.fixture
def keyed(make_services):
    return with_resource_views(create_app(runtime=make_services(api_keys=KEYS))).test_client()


def test_writes_are_open_when_no_keys_are_configured(make_services):
    client = with_resource_views(create_app(runtime=make_services())).test_client()
    assert client.put("/v1/things/1").get_json() == {"id": "1", "stored": True}


@pytest.mark.parametrize("headers", [{}, {"Authorization": ""}, {"Authorization": "Bearer"},
                                     {"Authorization": "Bearer   "}, {"Authorization": "Basic Zm9vOmJhcg=="},
                                     {"Authorization": "first-secret-key"}])
def test_a_write_without_a_bearer_key_is_401(keyed, headers):
    for method in ("PUT", "DELETE"):
        response = keyed.open("/v1/things/1", method=method, headers=headers)
        assert response.status_code == 401
        assert response.headers["WWW-Authenticate"] == 'Bearer realm="translator"'
        assert response.get_json() == {"error": {
            "code": "unauthorized", "message": "this request needs an API key: send 'Authorization: Bearer <key>'"}}


@pytest.mark.parametrize("wrong", ["wrong", "first-secret-ke", "first-secret-key2", "FIRST-SECRET-KEY", "clé"])
def test_a_write_with_a_wrong_key_is_403(keyed, wrong):
    response = keyed.put("/v1/things/1", headers={"Authorization": f"Bearer {wrong}"})
    assert response.status_code == 403
    assert response.get_json() == {"error": {"code": "forbidden", "message": "the API key is not valid"}}


@pytest.mark.parametrize("key", KEYS)
def test_each_configured_key_opens_writes(keyed, key):
    assert keyed.put("/v1/things/7", headers={"Authorization": f"Bearer {key}"}).status_code == 200
    assert keyed.delete("/v1/things/7", headers={"Authorization": f"bearer {key}"}).get_json() == {
        "id": "7", "deleted": True}


def test_reads_and_translate_need_no_key(keyed):
    assert keyed.get("/v1/things/1").status_code == 200
    assert keyed.get("/v1/languages").status_code == 200
    assert keyed.post("/v1/translate", json={"text": "Hi."}).status_code == 200


def test_keys_never_reach_the_logs(keyed, caplog):
    caplog.set_level(logging.DEBUG)
    keyed.put("/v1/things/1", headers={"Authorization": "Bearer first-secret-key"})
    keyed.put("/v1/things/1", headers={"Authorization": "Bearer not-the-key-at-all"})
    keyed.application.logger.info("settings: %r", keyed.application.extensions["translator"].settings)
    assert "settings: Settings(" in caplog.text
    for secret in (*KEYS, "not-the-key-at-all"):
        assert secret not in caplog.text


def test_key_matches_compares_whole_keys():
    assert key_matches("b", ["a", "b", "c"])
    assert not key_matches("", ["a"])
    assert not key_matches("ab", ["a", "abc"])
    assert key_matches("clé-ünïcode", ["clé-ünïcode"])
    assert not key_matches("anything", [])


# -- CORS ---------------------------------------------------------------------------------------

SITE = "https://news.example.mu"


@pytest.fixture
def cors(make_services):
    return with_resource_views(create_app(runtime=make_services(cors_origins=(SITE,)))).test_client()


def test_no_cors_headers_when_no_origin_is_configured(make_services):
    client = with_resource_views(create_app(runtime=make_services())).test_client()
    response = client.get("/v1/languages", headers={"Origin": SITE})
    assert "Access-Control-Allow-Origin" not in response.headers


@pytest.mark.parametrize("path", ["/v1/languages", "/v1/things/1"])
def test_reads_answer_cors_for_listed_origins(cors, path):
    response = cors.get(path, headers={"Origin": SITE})
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == SITE
    assert response.headers["Access-Control-Expose-Headers"] == "Retry-After"
    assert "Origin" in response.headers["Vary"]
    assert "Access-Control-Allow-Credentials" not in response.headers


def test_errors_of_reads_carry_cors_too(make_services):
    client = create_app(runtime=make_services(cors_origins=(SITE,))).test_client()
    bp = Blueprint("missing", __name__)

    @bp.get("/v1/missing/<item>")
    @cors_readable
    def missing(item):
        from translator.web.errors import ApiError
        raise ApiError(404, f"no item {item}")

    client.application.register_blueprint(bp)
    response = client.get("/v1/missing/3", headers={"Origin": SITE})
    assert response.status_code == 404
    assert response.headers["Access-Control-Allow-Origin"] == SITE


def test_other_origins_get_no_cors(cors):
    response = cors.get("/v1/languages", headers={"Origin": "https://evil.example"})
    assert response.status_code == 200
    assert "Access-Control-Allow-Origin" not in response.headers
    assert "Origin" in response.headers["Vary"]


def test_a_read_preflight_is_answered(cors):
    response = cors.options("/v1/things/1", headers={"Origin": SITE, "Access-Control-Request-Method": "GET",
                                                     "Access-Control-Request-Headers": "accept"})
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == SITE
    assert response.headers["Access-Control-Allow-Methods"] == "GET, HEAD"
    assert response.headers["Access-Control-Allow-Headers"] == "accept"
    assert response.headers["Access-Control-Max-Age"] == "600"


@pytest.mark.parametrize("path, method", [("/v1/things/1", "PUT"), ("/v1/things/1", "DELETE"),
                                          ("/v1/translate", "POST")])
def test_writes_never_answer_cors(cors, path, method):
    preflight = cors.options(path, headers={"Origin": SITE, "Access-Control-Request-Method": method})
    assert "Access-Control-Allow-Origin" not in preflight.headers
    actual = cors.open(path, method=method, headers={"Origin": SITE, "Authorization": "Bearer x"},
                       json={"text": "Hi."})
    assert "Access-Control-Allow-Origin" not in actual.headers


def test_a_wildcard_allows_any_origin(make_services):
    client = create_app(runtime=make_services(cors_origins=("*",))).test_client()
    response = client.get("/v1/languages", headers={"Origin": "https://anyone.example"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"
