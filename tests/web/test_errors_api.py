"""Every error is ``{"error": {"code", "message"}}`` with the right status; no client mistake is a 500."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings as hypothesis_settings, strategies as st

from tests.fakes import FunctionEngine
from translator.errors import ModelUnavailable
from translator.web.validation import max_body_bytes


def error_of(response) -> dict:
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert set(body) >= {"error"} and set(body["error"]) == {"code", "message"}
    return body["error"]


@pytest.mark.parametrize("body, message", [
    ({}, "missing required field 'text'"),
    ([], "request body: expected a JSON object, got a list"),
    ("text", "request body: expected a JSON object, got a string"),
    ({"text": 5}, "text: expected a string or a list of strings, got a number"),
    ({"text": None}, "text: expected a string or a list of strings, got null"),
    ({"text": ["ok", 3]}, "text[1]: expected a string, got a number"),
    ({"text": ["ok", ["nested"]]}, "text[1]: expected a string, got a list"),
    ({"text": "x", "glossary": "yes"}, "glossary: expected true or false, got a string"),
    ({"text": "x", "target_lang": 1}, "target_lang: expected a string, got a number"),
    ({"text": "x", "format": "markdown"}, "format: 'markdown' is not supported (use 'text', 'html')"),
    ({"text": "x", "tgt": "fr"},
     "unknown field 'tgt' in request body; allowed: format, glossary, glossary_entries, repair, source_lang, "
     "target_lang, text"),
])
def test_missing_or_wrongly_typed_fields_are_400(client, body, message):
    response = client.post("/v1/translate", json=body)
    assert response.status_code == 400
    assert error_of(response) == {"code": "bad_request", "message": message}


@pytest.mark.parametrize("raw", [b"{bad json", b"", b'{"text": "x"', b"\xff\xfe\x00garbage", b"[" * 5000])
def test_malformed_json_is_400(client, raw):
    response = client.post("/v1/translate", data=raw, content_type="application/json")
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "bad_request" and error["message"].startswith("malformed JSON: ")


def test_invalid_utf8_is_400(client):
    response = client.post("/v1/translate", data=b'{"text": "caf\xe9"}', content_type="application/json")
    assert response.status_code == 400
    assert error_of(response)["message"].startswith("malformed JSON: ")


def test_a_lone_surrogate_is_400_not_a_crash(client):
    response = client.post("/v1/translate", data=b'{"text": ["ok", "\\ud800"]}', content_type="application/json")
    assert response.status_code == 400
    assert error_of(response) == {"code": "bad_request",
                                  "message": "text[1]: invalid Unicode (a lone surrogate escape)"}


@pytest.mark.parametrize("content_type", [None, "text/plain", "application/x-www-form-urlencoded",
                                          "multipart/form-data; boundary=x"])
def test_a_body_that_is_not_json_is_415(client, content_type):
    kwargs = {"content_type": content_type} if content_type else {}
    response = client.post("/v1/translate", data='{"text": "x"}', **kwargs)
    assert response.status_code == 415
    assert error_of(response)["code"] == "unsupported_media_type"


def test_json_with_a_charset_or_a_json_suffix_is_accepted(client):
    for content_type in ("application/json; charset=utf-8", "application/vnd.api+json"):
        assert client.post("/v1/translate", data='{"text": "x"}', content_type=content_type).status_code == 200


def test_too_many_texts_is_413(make_client):
    client = make_client(max_texts=3)
    assert client.post("/v1/translate", json={"text": ["a", "b", "c"]}).status_code == 200
    response = client.post("/v1/translate", json={"text": ["a", "b", "c", "d"]})
    assert response.status_code == 413
    assert error_of(response) == {"code": "payload_too_large",
                                  "message": "too many texts: 4 (at most 3 per request)"}


def test_too_many_characters_is_413(make_client):
    client = make_client(max_chars=10)
    assert client.post("/v1/translate", json={"text": ["12345", "67890"]}).status_code == 200
    response = client.post("/v1/translate", json={"text": ["12345", "678901"]})
    assert response.status_code == 413
    assert error_of(response) == {"code": "payload_too_large",
                                  "message": "too much text: 11 characters (at most 10 per request)"}


def test_a_body_over_the_byte_limit_is_413_before_parsing(make_client):
    client = make_client(max_chars=10, max_texts=2)
    limit = max_body_bytes(client.application.extensions["translator"].settings)
    assert client.application.config["MAX_CONTENT_LENGTH"] == limit == 6 * 10 + 16 * 2 + 65536
    response = client.post("/v1/translate", data=b"{" + b" " * limit + b"}", content_type="application/json")
    assert response.status_code == 413
    assert error_of(response) == {"code": "payload_too_large", "message": "the request body is too large"}


def test_the_byte_limit_admits_the_largest_allowed_request_fully_escaped(make_client):
    client = make_client(max_chars=1000, max_texts=50)
    texts = ["é" * 20] * 50  # 1000 characters, each sent as a 6-byte \\u00e9 escape
    raw = json.dumps({"text": texts, "source_lang": "en", "target_lang": "fr"}, ensure_ascii=True)
    assert client.post("/v1/translate", data=raw, content_type="application/json").status_code == 200


def test_unknown_paths_are_json_404(client):
    response = client.get("/v1/nothing-here")
    assert response.status_code == 404
    assert error_of(response) == {"code": "not_found", "message": "no such resource: /v1/nothing-here"}


@pytest.mark.parametrize("method, path", [("GET", "/v1/translate"), ("DELETE", "/v1/translate"),
                                          ("POST", "/healthz"), ("PUT", "/v1/languages")])
def test_wrong_methods_are_json_405_with_allow(client, method, path):
    response = client.open(path, method=method)
    assert response.status_code == 405
    assert error_of(response) == {"code": "method_not_allowed", "message": f"{method} is not allowed on {path}"}
    assert "Allow" in response.headers


def test_an_unexpected_failure_is_a_bare_500_and_is_logged(make_client, caplog):
    def explode(text: str) -> str:
        raise ZeroDivisionError("engine bug")

    client = make_client(FunctionEngine(explode))
    response = client.post("/v1/translate", json={"text": "Hello."})
    assert response.status_code == 500
    assert error_of(response) == {"code": "internal",
                                  "message": "internal error; the server log has the details under this request id"}
    assert response.get_json()["request_id"] == response.headers["X-Request-ID"]
    assert b"Traceback" not in response.data and b"engine bug" not in response.data
    assert "unexpected error while serving POST /v1/translate" in caplog.text
    assert "ZeroDivisionError: engine bug" in caplog.text


def test_a_model_that_cannot_be_loaded_is_503_model_unavailable(make_services, caplog):
    from translator.web import create_app

    def factory(settings, model):
        raise ModelUnavailable(f"cannot load model {model!r}: not in the local cache")

    services = make_services()
    services.engine_factory = factory
    client = create_app(runtime=services).test_client()
    response = client.post("/v1/translate", json={"text": "Hello."})
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "30"
    # The reason (which may name a model directory) is logged under the request id, not sent.
    assert error_of(response) == {"code": "model_unavailable",
                                  "message": "the translation model is not available; try again later (the server "
                                             "log has the details under this request id)"}
    assert response.get_json()["request_id"] == response.headers["X-Request-ID"]
    assert "not in the local cache" in caplog.text  # the operator gets the reason


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(
        st.sampled_from(["text", "source_lang", "target_lang", "format", "glossary", "other"]), children,
        max_size=5),
    max_leaves=12)


@hypothesis_settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=json_values)
def test_no_json_body_is_ever_a_500(client, body):
    response = client.post("/v1/translate", data=json.dumps(body), content_type="application/json")
    assert response.status_code in (200, 400), response.get_data(as_text=True)
    if response.status_code == 200:
        texts = [body["text"]] if isinstance(body["text"], str) else body["text"]
        assert len(response.get_json()["translations"]) == len(texts)
    else:
        assert error_of(response)["code"] == "bad_request"


@hypothesis_settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=st.binary(max_size=60))
def test_no_raw_body_is_ever_a_500(client, raw):
    response = client.post("/v1/translate", data=raw, content_type="application/json")
    assert response.status_code in (200, 400)
