"""Service logs: JSON lines that parse one by one, request ids on every record of a request, and no
article text at INFO (ids, versions, counts and glossary terms only; text at DEBUG)."""

from __future__ import annotations

import io
import json
import logging

import pytest
from flask.testing import FlaskClient

from tests.fakes import FunctionEngine
from tests.waiting import wait_until
from translator.config import Settings
from translator.errors import ConfigError
from translator.logs import configure_logging
from translator.web import create_app
from translator.service.runtime import build_runtime

SECRET_TITLE = "Minister Vladimir Putin resigns in secret"
SECRET_BODY = "Vladimir Putin told nobody about the plan.\n\nThe secret papers are in Port Louis."


def degenerate_or_dropped(text: str) -> str:
    # Drops every name (the glossary reports them missed) and answers nothing for one paragraph (kept in
    # English with a warning): both log lines that used to quote the article.
    return "" if "papers" in text else "Il a parlé."


@pytest.fixture
def root_logging():
    root = logging.getLogger()
    saved = (root.level, list(root.handlers))
    yield
    for handler in list(root.handlers):
        root.removeHandler(handler)
    for handler in saved[1]:
        root.addHandler(handler)
    root.setLevel(saved[0])


def run_requests(tmp_path, settings: Settings) -> None:
    glossary = tmp_path / "glossary.tsv"
    glossary.write_text("Vladimir Putin\tVladimir Poutine\nPort Louis\tPort-Louis\n", encoding="utf-8")
    services = build_runtime(settings.replace(glossary=glossary), serving=True,
                        engine_factory=lambda s, m: FunctionEngine(degenerate_or_dropped, "dropper"))
    try:
        client = FlaskClient(create_app({"TESTING": True}, runtime=services))
        put = client.put("/v1/articles/secret-1", json={"title": SECRET_TITLE, "body": SECRET_BODY},
                         headers={"X-Request-ID": "put-1"})
        assert put.status_code == 201
        wait_until(lambda: client.get("/v1/articles/secret-1/translations/fr").status_code == 200,
                   what="the translation")
        client.post("/v1/translate", json={"text": "Vladimir Putin spoke in secret."})
    finally:
        services.close()


def test_json_logs_parse_line_by_line_and_hold_no_article_text_at_info(tmp_path, settings, root_logging):
    stream = io.StringIO()
    configure_logging(settings.replace(log_format="json", log_level="INFO"), stream=stream)
    run_requests(tmp_path, settings)
    records = [json.loads(line) for line in stream.getvalue().splitlines()]  # every line is one JSON object
    assert records and all({"time", "level", "logger", "message", "request_id"} <= r.keys() for r in records)
    access = [r for r in records if r["logger"] == "translator.access"]
    assert access[0] | {"duration_ms": 0} == {**access[0], "method": "PUT",
                                              "route": "/v1/articles/<article_id:article_id>", "status": 201,
                                              "request_id": "put-1", "client": "127.0.0.1", "duration_ms": 0}
    missed = [r for r in records if r["message"].startswith("glossary terms missed")]
    assert missed and "Vladimir Putin" in missed[0]["message"]  # the term, which is what an editor needs
    assert any(r["message"].startswith("no usable translation for a segment") for r in records)
    for record in records:
        for secret in ("resigns", "told nobody", "secret papers", "spoke in secret", "Il a parlé"):
            assert secret not in json.dumps(record, ensure_ascii=False), record


def test_article_text_appears_at_debug_only(tmp_path, settings, root_logging):
    stream = io.StringIO()
    configure_logging(settings.replace(log_level="DEBUG"), stream=stream)
    run_requests(tmp_path, settings)
    debug_lines = [line for line in stream.getvalue().splitlines() if " DEBUG " in line]
    assert any("secret papers" in line for line in debug_lines)
    assert not any("secret papers" in line for line in stream.getvalue().splitlines() if " DEBUG " not in line)


def test_text_lines_carry_the_request_id_and_a_bad_format_is_a_config_error(tmp_path, settings, root_logging):
    stream = io.StringIO()
    configure_logging(settings.replace(log_level="INFO"), stream=stream)
    run_requests(tmp_path, settings)
    lines = stream.getvalue().splitlines()
    assert any(" [put-1]: PUT /v1/articles/<article_id:article_id> 201 " in line for line in lines)
    assert Settings.from_env(environ={"TRANSLATOR_LOG_FORMAT": "JSON"}).log_format == "json"
    with pytest.raises(ConfigError, match="TRANSLATOR_LOG_FORMAT"):
        Settings.from_env(environ={"TRANSLATOR_LOG_FORMAT": "xml"})
