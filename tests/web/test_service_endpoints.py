"""/healthz, /readyz, /v1/languages, /openapi.json and /docs."""

from __future__ import annotations

import re
import threading

import pytest
from bs4 import BeautifulSoup
from flask.testing import FlaskClient
from flask import Blueprint, Flask
from openapi_spec_validator import validate

from tests.fakes import EchoEngine
from tests.waiting import wait_until
from tests.web.conftest import SpecCheckingClient
from translator.errors import ModelUnavailable
from translator.web import create_app
from translator.web.openapi import load_spec, openapi_path, served_spec


def test_healthz_answers_while_the_model_is_not_loaded(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}
    assert not client.application.extensions["translator"].pair("en-fr").loaded


def test_readyz_is_503_while_loading_and_200_once_loaded(make_services):
    gate = threading.Event()

    def slow_factory(settings, model):
        gate.wait(10)
        return EchoEngine()

    services = make_services()
    services.engine_factory = slow_factory
    app = create_app(runtime=services)
    app.test_client_class = SpecCheckingClient
    client = app.test_client()
    response = client.get("/readyz")  # starts the load in the background
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    assert response.get_json() == {"error": {"code": "not_ready", "message": "the translation model is loading"},
                                   "checks": {"model": "loading", "store": "ok", "disk": "ok"}}
    gate.set()
    wait_until(lambda: services.pair("en-fr").loaded, what="the model to load")
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ready", "checks": {"model": "loaded", "store": "ok", "disk": "ok"}}


def test_readyz_reports_a_model_that_cannot_be_loaded(make_services):
    def failing_factory(settings, model):
        raise ModelUnavailable("model directory '/nowhere' does not exist")

    services = make_services()
    services.engine_factory = failing_factory
    app = create_app(runtime=services)
    app.test_client_class = SpecCheckingClient
    client = app.test_client()
    client.get("/readyz")
    wait_until(lambda: services.pair().state[0] == "failed", what="the load to fail")
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.get_json() == {
        "error": {"code": "model_unavailable", "message": "the translation model cannot be loaded"},
        "checks": {"model": "failed", "store": "ok", "disk": "ok"}}  # the reason may name server files: only the log has it
    assert "/nowhere" not in response.get_data(as_text=True)


def test_the_model_is_loaded_once_however_many_threads_ask(make_services):
    loads = []
    gate = threading.Event()

    def counting_factory(settings, model):
        loads.append(model)
        gate.wait(10)
        return EchoEngine()

    services = make_services()
    services.engine_factory = counting_factory
    threads = [threading.Thread(target=services.translator) for _ in range(8)]
    for thread in threads:
        thread.start()
    wait_until(lambda: loads, what="a load to start")
    gate.set()
    for thread in threads:
        thread.join(10)
    assert loads == ["Helsinki-NLP/opus-mt-en-fr"]
    assert len({id(services.translator()) for _ in range(3)}) == 1


def test_an_unconfigured_pair_is_a_clear_error(make_services):
    from translator.errors import ConfigError

    with pytest.raises(ConfigError, match="language pair 'en-xx' is not served; available: en-fr"):
        make_services().translator("en-xx")


def test_languages_lists_en_fr_by_default(client):
    assert client.get("/v1/languages").get_json() == {"pairs": [
        {"source": "en", "target": "fr", "model": "Helsinki-NLP/opus-mt-en-fr", "default": True}]}


def test_languages_lists_configured_pairs_with_en_fr_from_translator_model(make_client):
    client = make_client(model="/models/en-fr", models={"en-de": "Helsinki-NLP/opus-mt-en-de",
                                                         "en-fr": "ignored/en-fr"})
    assert client.get("/v1/languages").get_json() == {"pairs": [
        {"source": "en", "target": "fr", "model": "en-fr", "default": True},  # a directory's name, not its path
        {"source": "en", "target": "de", "model": "Helsinki-NLP/opus-mt-en-de", "default": False}]}


# -- the OpenAPI document ----------------------------------------------------------------------

API_ROUTES = {"/v1/translate": {"post"}, "/v1/languages": {"get"}, "/healthz": {"get"}, "/readyz": {"get"},
              "/v1/articles/{article_id}": {"put", "get"}, "/v1/articles/{article_id}/translations/{lang}": {"get"},
              "/v1/glossary": {"get"}, "/v1/glossary/entries/{source}": {"put", "delete"},
              "/metrics": {"get"}, "/openapi.json": {"get"}, "/docs": {"get"},
              "/v1/articles/{article_id}/translations/{lang}/segments/{index}": {"put", "delete"},
              "/v1/articles/{article_id}/translations/{lang}/segments/{index}/approve": {"post"},
              "/v1/review": {"get"}}


def routed_operations(app) -> dict[str, set[str]]:
    operations: dict[str, set[str]] = {}
    for rule in app.url_map.iter_rules():
        # Static files (the app's and Swagger UI's) and the HTML pages for readers (blueprint "pages") are
        # not API operations.
        if rule.endpoint not in ("static", "docs.docs_asset", "docs.docs_with_slash") and not rule.endpoint.startswith("pages."):
            operations.setdefault(openapi_path(rule.rule), set()).update(
                m.lower() for m in rule.methods - {"HEAD", "OPTIONS"})
    return operations


def test_the_full_document_is_valid_openapi_3_1():
    spec = load_spec()
    validate(spec)
    assert spec["openapi"].startswith("3.1")


def test_the_document_has_no_empty_values():  # a YAML slip ("a: b, c" in a flow mapping) shows as null
    def nulls(node, where="#"):
        if isinstance(node, dict):
            for key, value in node.items():
                yield from ([f"{where}/{key}"] if value is None else nulls(value, f"{where}/{key}"))
        elif isinstance(node, list):
            for index, value in enumerate(node):
                yield from nulls(value, f"{where}/{index}")

    assert list(nulls(load_spec())) == []


def test_openapi_json_describes_exactly_the_routes_served(client):
    response = client.get("/openapi.json")
    assert response.status_code == 200
    spec = response.get_json()
    validate(spec)
    described = {path: set(item) - {"parameters"} for path, item in spec["paths"].items()}
    assert described == routed_operations(client.application) == API_ROUTES


def test_the_served_document_keeps_only_the_methods_routed():
    app = Flask(__name__)  # an app routing only one of the documented operations
    bp = Blueprint("articles_stub", __name__)
    bp.add_url_rule("/v1/articles/<article_id>", "get_article", lambda article_id: {}, methods=["GET"])
    app.register_blueprint(bp)
    paths = served_spec(app)["paths"]
    assert set(paths) == {"/v1/articles/{article_id}"}
    assert set(paths["/v1/articles/{article_id}"]) == {"parameters", "get"}


def test_the_spec_checking_client_catches_a_response_that_breaks_the_contract(make_services):
    app = create_app(runtime=make_services())

    @app.after_request
    def break_healthz(response):
        if response.status_code == 200 and response.get_json() == {"status": "ok"}:
            response.set_data(b'{"status": "fine"}')
        return response

    app.test_client_class = SpecCheckingClient
    with pytest.raises(Exception, match="(?i)invalid|validat"):
        app.test_client().get("/healthz")


def test_docs_page_is_swagger_ui_on_the_served_document_with_every_asset_from_this_server(client):
    response = client.get("/docs")
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert page.find(id="swagger-ui")["data-spec-url"] == "/openapi.json"
    assets = [tag.get("src") or tag.get("href") for tag in page.find_all(["script", "link"])]
    assert assets == ["/docs/assets/favicon-32x32.png", "/docs/assets/swagger-ui.css",
                      "/docs/assets/swagger-ui-bundle.js", "/static/docs.js"]
    assert all(not script.string for script in page.find_all("script"))  # no inline script
    plain = FlaskClient(client.application)  # the assets are files, not API operations
    for asset in assets:
        served = plain.get(asset)
        assert served.status_code == 200 and len(served.get_data()) > 100, asset
    assert b"SwaggerUIBundle" in plain.get("/docs/assets/swagger-ui-bundle.js").get_data()
    # Only Swagger UI's own distribution files are served, nothing else from the package.
    assert plain.get("/docs/assets/swagger-editor.js").status_code == 404
    assert plain.get("/docs/assets/..%2F__init__.py").status_code == 404
