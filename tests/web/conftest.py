"""Fixtures for the HTTP service: apps on fake engines, and a client that checks every
response against the app's own ``/openapi.json``."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openapi_core import OpenAPI
from openapi_core.contrib.werkzeug import WerkzeugOpenAPIRequest, WerkzeugOpenAPIResponse
from openapi_core.templating.paths.exceptions import OperationNotFound, PathNotFound

from tests.fakes import EchoEngine
from translator.config import Settings
from translator.service.runtime import Runtime, build_runtime
from translator.web import create_app
from translator.web.openapi import served_spec
from translator.web.validation import schema_validator


class _RequestWithoutBody(WerkzeugOpenAPIRequest):
    """The test client's request as openapi-core sees it; its body was already read by the app
    (response validation needs only the method and path)."""

    @property
    def body(self) -> bytes:
        return b""

    @property
    def path(self) -> str:
        # The path as sent, still percent-encoded, as a server's spec check sees it: "AC%2FDC" is one
        # path segment (the decoded PATH_INFO would have two).
        return self.request.environ.get("RAW_URI", self.request.path).partition("?")[0]


def check_against_spec(app: Flask, response) -> None:
    """Fail unless ``response`` is what the served OpenAPI document promises.

    Requests to paths or methods the document does not describe (404/405 for
    unknown routes) must still answer the documented error shape.
    """
    request = response.request
    if request.method in ("OPTIONS", "HEAD") or request.path.startswith("/static/"):
        return  # preflights, bodiless answers and static files (the widget) are not API operations
    openapi = app.extensions.get("test-openapi")
    if openapi is None:
        openapi = app.extensions["test-openapi"] = OpenAPI.from_dict(served_spec(app))
    try:
        openapi.validate_response(_RequestWithoutBody(request), WerkzeugOpenAPIResponse(response))
    except (PathNotFound, OperationNotFound):
        assert response.status_code in (404, 405), f"{request.method} {request.path} is not in the spec"
        assert response.mimetype == "application/json"
        schema_validator("Error").validate(response.get_json())


class SpecCheckingClient(FlaskClient):
    """A test client that validates every response against the served spec."""

    def open(self, *args, **kwargs):
        response = super().open(*args, **kwargs)
        check_against_spec(self.application, response)
        return response


@pytest.fixture
def make_services(settings) -> Callable[..., Runtime]:
    """``make_services(engine=None, *, engines={model: engine}, **settings_changes)``: the service's graph
    (:func:`~translator.service.runtime.build_runtime`) on fake engines; closed after the test."""
    made: list[Runtime] = []

    def make(engine=None, *, engines: dict[str, object] | None = None, **changes) -> Runtime:
        engine = engine if engine is not None else EchoEngine()

        def factory(settings: Settings, model: str):
            return (engines or {}).get(model, engine)

        # No rate limit unless a test sets one: fuzzing and concurrency tests post far more than 60 a minute.
        changes.setdefault("rate_limit", "")
        services = build_runtime(settings.replace(**changes), serving=True, engine_factory=factory)
        made.append(services)
        return services

    yield make
    for services in made:
        services.close()


@pytest.fixture
def make_client(make_services) -> Callable[..., SpecCheckingClient]:
    """``make_client(engine=None, **settings_changes)``: a spec-checking client of a fresh app."""

    def make(engine=None, **changes) -> SpecCheckingClient:
        app = create_app({"TESTING": True}, runtime=make_services(engine, **changes))
        app.test_client_class = SpecCheckingClient
        return app.test_client()

    return make


@pytest.fixture
def client(make_client) -> SpecCheckingClient:
    """A spec-checking client of an app on the echo engine ('FR(<text>)')."""
    return make_client()
