"""Two language pairs served by two real tiny models in a real ``translator serve``; identity by content.

* en-fr from the usual tiny model, en-de from a second one (other weights, other name): the translate
  API, the article translations, the reader's page and the button with ``data-lang`` all work for
  both, and an unknown language is a 404 listing the served ones;
* no filesystem path appears in any public response (JSON and HTML of every endpoint);
* a model directory copied elsewhere keeps every translation-memory hit.
"""

from __future__ import annotations

import json
import re
import shutil
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner
from playwright.sync_api import expect

from tests.waiting import wait_until
from tests.web.test_serve import http, service_env, start_serve
from tests.wsgi_server import NewsSite
from translator.cli import main

TITLE = "Fishermen warn of the cyclone"
PARAGRAPHS = ["Fishermen in the south warned that the cyclone could reach the island tomorrow.",
              "Police arrested two men after a fire in the harbour of the capital city."]
TIMEOUT_S = 180


@pytest.fixture(scope="module")
def second_model_dir(tmp_path_factory) -> Path:
    """A second tiny model (other seed: other weights) for the en-de pair."""
    from translator.testing.models import copy_cached_marian_model

    return copy_cached_marian_model(tmp_path_factory.mktemp("models-de") / "tiny-en-de", train_steps=150, seed=7)


@pytest.fixture(scope="module")
def news_site():
    site = NewsSite()
    yield site
    site.server.stop()


@pytest.fixture(scope="module")
def service(tiny_model_dir, second_model_dir, tmp_path_factory, news_site):
    directory = tmp_path_factory.mktemp("pairs-service")
    server = start_serve(service_env(directory, TRANSLATOR_MODEL=str(tiny_model_dir),
                                     TRANSLATOR_MODELS=f"en-de={second_model_dir}",
                                     TRANSLATOR_CORS_ORIGINS=news_site.url), directory / "serve.log")
    server.directory = directory
    yield server
    server.stop()


def get(url: str) -> tuple[int, str, str]:
    """(status, content type, text) of any GET."""
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            return response.status, response.headers.get_content_type(), response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get_content_type(), error.read().decode("utf-8")


def until_ready(url: str) -> tuple[int, str, str]:
    """GET ``url`` until it answers something else than 202."""
    def answered() -> tuple[int, str, str] | None:
        answer = get(url)
        return answer if answer[0] != 202 else None
    return wait_until(answered, TIMEOUT_S, f"{url} to answer", interval=0.2)


@pytest.mark.slow
def test_both_pairs_over_http_and_no_path_in_any_response(service, tiny_model_dir, second_model_dir):
    status, _, body = http("POST", f"{service.url}/v1/translate", {"text": PARAGRAPHS[0], "target_lang": "de"})
    assert status == 200, body
    assert body["model"].startswith("marian:tiny-en-de@") and "|torch|" in body["model"]
    status, _, french = http("POST", f"{service.url}/v1/translate", {"text": PARAGRAPHS[0]})
    assert french["model"].startswith("marian:tiny-en-fr@")
    assert french["model"].split("|")[0] != body["model"].split("|")[0]  # other weights, other hash

    assert http("GET", f"{service.url}/v1/languages")[2] == {"pairs": [
        {"source": "en", "target": "fr", "model": "tiny-en-fr", "default": True},
        {"source": "en", "target": "de", "model": "tiny-en-de", "default": False}]}

    status, _, _ = http("PUT", f"{service.url}/v1/articles/storm-1", {"title": TITLE, "body": "\n\n".join(PARAGRAPHS)})
    assert status == 201
    answers = {}
    for lang in ("fr", "de"):
        status, kind, text = until_ready(f"{service.url}/v1/articles/storm-1/translations/{lang}")
        assert (status, kind) == (200, "application/json"), text
        answers[lang] = json.loads(text)
        assert answers[lang]["lang"] == lang and len(answers[lang]["paragraphs"]) == 2
    assert answers["de"]["model"] == body["model"]

    status, kind, page = until_ready(f"{service.url}/articles/storm-1/de")
    assert (status, kind) == (200, "text/html")
    assert '<html lang="de">' in page and ">tiny-en-de</code>" in page

    status, _, unknown = http("GET", f"{service.url}/v1/articles/storm-1/translations/it")
    assert (status, unknown) == (404, {"error": {"code": "unknown_language",
                                                 "message": "articles are not translated into 'it'; available: fr, de"},
                                       "languages": ["fr", "de"]})
    status, kind, text = get(f"{service.url}/articles/storm-1/it")
    assert (status, kind, json.loads(text)["languages"]) == (404, "application/json", ["fr", "de"])

    # No filesystem path in any public answer: JSON and HTML of every endpoint.
    paths = {str(tiny_model_dir), str(second_model_dir), str(tiny_model_dir.parent), str(second_model_dir.parent),
             str(service.directory)}
    urls = ["/healthz", "/readyz", "/v1/languages", "/v1/articles/storm-1", "/v1/articles/storm-1/translations/fr",
            "/v1/articles/storm-1/translations/de", "/v1/glossary", "/v1/glossary?pair=en-de", "/metrics",
            "/openapi.json", "/docs", "/articles/storm-1/fr", "/articles/storm-1/de", "/demo",
            "/articles/storm-1/it", "/v1/articles/nothing-here", "/no-such-page"]
    answers_seen = [get(service.url + url)[2] for url in urls] + [json.dumps(body), json.dumps(french)]
    for url, text in zip(urls + ["POST de", "POST fr"], answers_seen):
        assert not [p for p in paths if p in text], f"{url} shows a filesystem path"
        assert not re.search(r"/tmp/pytest-of-", text), url


@pytest.mark.slow
def test_the_button_with_data_lang_translates_into_that_language(browser_page, service, news_site):
    status, _, _ = http("PUT", f"{service.url}/v1/articles/storm-2", {"title": TITLE, "body": "\n\n".join(PARAGRAPHS)})
    assert status == 201
    german = json.loads(until_ready(f"{service.url}/v1/articles/storm-2/translations/de")[2])
    paragraphs = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    url = news_site.publish("storm-2.html", f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<link rel="icon" href="data:,"><title>{TITLE}</title></head><body><h1 id="headline">{TITLE}</h1><div id="story">{paragraphs}</div>
<script src="{service.url}/static/read-in-french.js" data-article-id="storm-2" data-target="#story"
        data-title="#headline" data-lang="de" defer></script></body></html>""")
    page = browser_page.page
    page.goto(url)
    button = page.locator(".rif-button")
    expect(button).to_have_text("Read in German")
    button.click()
    expect(page.locator("#story")).to_have_attribute("lang", "de", timeout=TIMEOUT_S * 1000)
    assert page.locator("#story p").all_text_contents() == german["paragraphs"]
    expect(page.locator("#headline")).to_have_text(german["title"])
    expect(button).to_have_text("Read in English")


@pytest.mark.slow
def test_a_copied_model_directory_keeps_every_memory_hit(tiny_model_dir, tmp_path):
    first = Path(shutil.copytree(tiny_model_dir, tmp_path / "a" / "tiny-en-fr"))
    text = "\n\n".join(PARAGRAPHS)
    runner = CliRunner()
    env = {"TRANSLATOR_THREADS": "1", "TRANSLATOR_BACKEND": "torch", "TRANSLATOR_GLOSSARY": "off",
           "TRANSLATOR_DATA_DIR": str(tmp_path / "data"), "TRANSLATOR_STORE": None}
    before = runner.invoke(main, ["translate", "--json"], input=text, env={**env, "TRANSLATOR_MODEL": str(first)},
                           catch_exceptions=False)
    [made] = json.loads(before.stdout)
    assert made["segments"]["translated"] == 2
    second = Path(shutil.copytree(first, tmp_path / "b" / "elsewhere" / "tiny-en-fr"))
    shutil.rmtree(first)  # a restart on the copy, the original gone
    after = runner.invoke(main, ["translate", "--json"], input=text, env={**env, "TRANSLATOR_MODEL": str(second)},
                          catch_exceptions=False)
    [again] = json.loads(after.stdout)
    assert again["segments"] == {"total": 2, "from_memory": 2, "translated": 0, "unchanged": 0, "failed": 0}
    assert (again["text"], again["model"]) == (made["text"], made["model"])
    assert str(tmp_path) not in again["model"]
