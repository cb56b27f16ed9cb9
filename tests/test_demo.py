"""The offline demo (``make demo``): a demo model that says so everywhere, sample articles, /docs/."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from tests.fakes import EchoEngine
from translator.engines.modelhub import DEMO_MARKER, is_demo_model
from translator.service.runtime import build_runtime
from translator.store import open_store
from translator.testing.demo import SAMPLE_ARTICLES, prepare_demo
from translator.web import create_app

NOTICE = "Demo model: not a real translation."


def _client(settings, model: str):
    runtime = build_runtime(settings.replace(model=model, rate_limit=""), serving=True,
                            engine_factory=lambda s, m: EchoEngine())
    return runtime, create_app({"TESTING": True}, runtime=runtime).test_client()


def _notice(response) -> str | None:
    found = BeautifulSoup(response.get_data(as_text=True), "html.parser").select_one("#demo-model-notice")
    return None if found is None else " ".join(found.get_text().split())


@pytest.mark.slow
def test_prepare_demo_builds_a_marked_model_once_and_stores_the_samples(tmp_path):
    model = prepare_demo(tmp_path / ".demo")
    assert model.name == "demo-model-not-a-real-translation"
    assert (model / DEMO_MARKER).is_file() and (model / "config.json").is_file()
    assert is_demo_model(str(model))
    marker_time = (model / DEMO_MARKER).stat().st_mtime_ns
    assert prepare_demo(tmp_path / ".demo") == model                  # a second start reuses it
    assert (model / DEMO_MARKER).stat().st_mtime_ns == marker_time
    store = open_store(f"sqlite:///{tmp_path / '.demo' / 'data' / 'translator.sqlite3'}")
    try:
        stored = [store.get_article(article_id) for article_id, *_ in SAMPLE_ARTICLES]
    finally:
        store.close()
    assert [(a.id, a.version, a.format) for a in stored] == [
        ("2026-cyclone-relief", 1, "text"), ("2026-budget", 1, "html"), ("2026-port", 1, "text")]


def test_every_page_says_the_demo_model_is_not_a_real_translation(settings, tmp_path):
    model = tmp_path / "demo-model"
    model.mkdir()
    (model / DEMO_MARKER).write_text("demo\n", encoding="utf-8")
    runtime, client = _client(settings, str(model))
    try:
        assert runtime.demo_model
        client.put("/v1/articles/a1", json={"title": "Hello", "body": "One.\n\nTwo."})
        for path in ("/demo", "/articles/a1/fr", "/articles/missing/fr"):
            response = client.get(path)
            assert _notice(response) == (NOTICE + " This service runs the offline demo's tiny model (make demo), "
                                         "whose output is not French."), path
    finally:
        runtime.close()


def test_a_real_model_gets_no_demo_notice(settings, tmp_path):
    runtime, client = _client(settings, str(tmp_path / "opus-mt-en-fr"))
    try:
        assert not runtime.demo_model
        assert _notice(client.get("/demo")) is None
    finally:
        runtime.close()


def test_docs_with_a_trailing_slash_redirects_to_the_docs(settings, tmp_path):
    runtime, client = _client(settings, str(tmp_path / "model"))
    try:
        response = client.get("/docs/")
        assert (response.status_code, response.headers["Location"]) == (308, "/docs")
        assert client.get("/docs/", follow_redirects=True).status_code == 200
    finally:
        runtime.close()
