"""``translator serve`` as a real process: waitress on a free 127.0.0.1 port, the tiny Marian model."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from openapi_core import OpenAPI
from openapi_core.templating.paths.exceptions import PathNotFound
from openapi_core.testing import MockRequest, MockResponse

from translator.testing.processes import ServiceProcess, service_environment
from translator.web.validation import schema_validator

from tests.waiting import wait_until

REPO = Path(__file__).resolve().parents[2]
STARTER = REPO / "glossary" / "en-fr.tsv"
KEY = "very-secret-key-1234"


_SPEC: dict[str, OpenAPI] = {}


def http(method: str, url: str, body: dict | None = None, headers: dict | None = None):
    """(status, headers, parsed JSON body) of one HTTP request, checked against the server's spec."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method, headers={
        **({"Content-Type": "application/json"} if data is not None else {}), **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            status, response_headers, raw = response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        status, response_headers, raw = error.code, error.headers, error.read()
    base, _, path = url.partition("//")[2].partition("/")
    host_url = f"http://{base}"
    if host_url not in _SPEC:
        with urllib.request.urlopen(f"{host_url}/openapi.json", timeout=60) as response:
            _SPEC[host_url] = OpenAPI.from_dict(json.loads(response.read()))
    try:
        _SPEC[host_url].validate_response(
            MockRequest(host_url, method, "/" + path),
            MockResponse(raw, status, dict(response_headers), response_headers.get_content_type()))
    except PathNotFound:  # an unknown path: only the documented error shape is promised
        assert status == 404
        schema_validator("Error").validate(json.loads(raw))
    return status, response_headers, json.loads(raw or b"null")


def service_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    # The tiny model on the torch backend, as these tests assume (the default, auto, picks ctranslate2).
    return service_environment(**{"TRANSLATOR_DATA_DIR": str(tmp_path / "data"), "TRANSLATOR_THREADS": "1",
                                  "TRANSLATOR_BACKEND": "torch", **extra})


def start_serve(env: dict[str, str], log_path: Path) -> ServiceProcess:
    """``translator serve`` from the repository root (so the starter glossary is the default one)."""
    return ServiceProcess(env, log_path, args=["--threads", "8"], cwd=REPO, timeout=120)


@pytest.fixture
def server(tiny_model_dir, tmp_path):
    running = start_serve(service_env(tmp_path, TRANSLATOR_MODEL=str(tiny_model_dir),
                                 TRANSLATOR_API_KEYS=KEY), tmp_path / "serve.log")
    yield running
    running.stop()


@pytest.mark.slow
def test_serve_answers_health_readiness_translate_and_its_own_spec(server, tiny_model_dir, tmp_path):
    status, _, body = http("GET", f"{server.url}/healthz")
    assert (status, body) == (200, {"status": "ok"})
    status, _, body = http("GET", f"{server.url}/readyz")
    assert (status, body) == (200, {"status": "ready", "checks": {"model": "loaded", "store": "ok", "disk": "ok"}})

    paragraphs = ["The government minister said on Monday that parliament will vote on the new budget.",
                  "Police arrested two men after a fire in the harbour of the capital city."]
    status, headers, body = http("POST", f"{server.url}/v1/translate",
                                 {"text": ["\n\n".join(paragraphs), paragraphs[1]]})
    assert status == 200, body
    assert headers["Content-Type"] == "application/json"
    assert body["model"].startswith(f"marian:{tiny_model_dir.name}@") and "|torch|" in body["model"]
    first, second = body["translations"]
    assert len(first["text"].split("\n\n")) == 2 and all(p.strip() for p in first["text"].split("\n\n"))
    assert first["text"].split("\n\n")[1] == second["text"]  # same paragraph, same French (memory)
    assert first["glossary"] == second["glossary"] == {"applied": [], "missed": [], "unlisted": []}

    status, _, spec = http("GET", f"{server.url}/openapi.json")
    assert status == 200 and set(spec["paths"]) >= {"/v1/translate", "/readyz"}

    status, _, body = http("POST", f"{server.url}/v1/translate", {"text": 1})
    assert (status, body["error"]["code"]) == (400, "bad_request")
    status, _, body = http("POST", f"{server.url}/v1/translate", {"text": "x" * 100_001})
    assert (status, body["error"]["code"]) == (413, "payload_too_large")
    status, _, body = http("POST", f"{server.url}/v1/translate", {"text": "é" * 100_000 + "x" * 100_000})
    assert (status, body["error"]) == (413, {"code": "payload_too_large",
                                             "message": "the request body is too large"})
    status, _, body = http("GET", f"{server.url}/v1/nowhere")
    assert (status, body["error"]["code"]) == (404, "not_found")

    log = server.log
    store = tmp_path / "data" / "translator.sqlite3"
    assert re.search(rf"starting: model {re.escape(tiny_model_dir.name)}, backend torch, device auto, "
                     rf"store sqlite:///{re.escape(str(store))}, glossary {re.escape(str(STARTER))} "
                     rf"\(\d+ entries, version [0-9a-f]{{16}}, 0 live edits\)", log), log
    assert KEY not in log
    # The operator learns from the log what is open: key names (never secrets) and the CORS origins.
    assert "API keys: 1 (key-" in log and "CORS: off (no cross-origin reads" in log
    assert "demo model" not in log
    assert server.stop() == 0
    assert "shutting down" in server.log


@pytest.mark.slow
def test_serve_pools_concurrent_clients_and_answers_each_its_own(server):
    paragraphs = [f"Prices of rice and fuel rose again this week number {i}." for i in range(12)]

    def post(text: str):
        return http("POST", f"{server.url}/v1/translate", {"text": text})

    with ThreadPoolExecutor(max_workers=12) as pool:
        answers = list(pool.map(post, paragraphs))
    assert [status for status, _, _ in answers] == [200] * 12
    texts = [body["translations"][0]["text"] for _, _, body in answers]
    assert all(texts)
    # Each answer is its own paragraph's French: asking again (now from memory) gives the same text.
    for paragraph, text in zip(paragraphs, texts):
        assert http("POST", f"{server.url}/v1/translate", {"text": paragraph})[2]["translations"][0]["text"] == text


def poll(url: str):
    """GET ``url`` until it answers something else than 202 (each response checked against the spec)."""
    def answered():
        status, headers, body = http("GET", url)
        if status != 202:
            return status, body
        assert body["status"] == "pending" and int(headers["Retry-After"]) >= 1  # maybe with "partial"
        return None
    # Polled well under Retry-After: the test need not wait that long.
    return wait_until(answered, 60, f"{url} to answer", interval=0.05)


@pytest.mark.slow
def test_serve_stores_articles_translates_them_through_202_and_edits_the_glossary(server):
    paragraphs = ["The government minister said on Monday that parliament will vote on the new budget.",
                  "Police arrested two men after a fire in the harbour of the capital city.",
                  "Prices of rice and fuel rose again this week."]
    article = {"title": "Budget vote", "body": "\n\n".join(paragraphs), "url": "https://news.example.mu/a1"}
    url = f"{server.url}/v1/articles/a1"

    status, headers, body = http("PUT", url, article)
    assert (status, body["error"]["code"], headers["WWW-Authenticate"]) == (401, "unauthorized",
                                                                           'Bearer realm="translator"')
    status, _, body = http("PUT", url, article, {"Authorization": "Bearer wrong"})
    assert (status, body["error"]["code"]) == (403, "forbidden")
    auth = {"Authorization": f"Bearer {KEY}"}
    assert http("GET", url)[0] == 401  # the English source needs the key
    assert http("GET", url, headers=auth)[0] == 404  # neither wrote anything

    status, _, body = http("PUT", f"{url}?translate=false", article, auth)
    assert (status, body) == (201, {"id": "a1", "version": 1, "changed": True})
    status, _, body = http("GET", url, headers=auth)
    assert status == 200 and {k: body[k] for k in ("version", "title", "body", "url")} == {
        "version": 1, "title": "Budget vote", "body": article["body"], "url": "https://news.example.mu/a1"}

    status, headers, body = http("GET", f"{url}/translations/fr")  # not translated yet: this starts it
    assert (status, body, headers["Retry-After"]) == (202, {"status": "pending"}, "1")
    status, first = poll(f"{url}/translations/fr")
    assert status == 200, first
    assert (first["id"], first["version"], first["lang"]) == ("a1", 1, "fr")
    assert len(first["paragraphs"]) == 3 and all(p.strip() for p in first["paragraphs"])
    assert first["body"] == "\n\n".join(first["paragraphs"])
    assert first["segments"] == {"total": 4, "from_memory": 0, "translated": 4, "unchanged": 0, "failed": 0}

    edited = {**article, "body": "\n\n".join([paragraphs[0], "Fishermen warned that the cyclone could come.",
                                                paragraphs[2]])}
    status, _, body = http("PUT", url, edited, auth)
    assert (status, body) == (200, {"id": "a1", "version": 2, "changed": True})
    status, second = poll(f"{url}/translations/fr")
    assert status == 200 and second["version"] == 2
    assert second["segments"] == {"total": 4, "from_memory": 3, "translated": 1, "unchanged": 0, "failed": 0}
    assert [second["paragraphs"][i] for i in (0, 2)] == [first["paragraphs"][i] for i in (0, 2)]

    status, _, glossary = http("GET", f"{server.url}/v1/glossary")
    assert status == 200 and {"source": "Vladimir Putin", "target": "Vladimir Poutine", "flags": []} in \
        glossary["entries"]
    entry_url = f"{server.url}/v1/glossary/entries/Xanadu%20Lagoon"
    assert http("PUT", entry_url, {"target": "Lagon Xanadu"})[0] == 401
    status, _, body = http("PUT", entry_url, {"target": "Lagon Xanadu"}, auth)
    assert (status, body["entry"]) == (201, {"source": "Xanadu Lagoon", "target": "Lagon Xanadu", "flags": []})
    assert body["version"] != glossary["version"]
    assert http("DELETE", entry_url, headers=auth)[0] == 204
    assert http("GET", f"{server.url}/v1/glossary")[2]["version"] == glossary["version"]


@pytest.mark.slow  # a Python process that loads the model libraries
def test_serve_with_a_missing_model_fails_at_once_with_one_clear_line(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "translator", "serve", "--port", "0"], cwd=REPO, capture_output=True, text=True,
        timeout=120, env=service_env(tmp_path, TRANSLATOR_MODEL=str(tmp_path / "no-such-model")))
    assert result.returncode == 1
    assert f"error: model directory '{tmp_path / 'no-such-model'}' does not exist" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.slow  # a Python process that loads the model libraries
def test_serve_model_option_wins_over_translator_model(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "translator", "serve", "--port", "0", "--model", str(tmp_path / "from-option")],
        cwd=REPO, capture_output=True, text=True, timeout=120,
        env=service_env(tmp_path, TRANSLATOR_MODEL=str(tmp_path / "from-environment")))
    assert result.returncode == 1
    assert f"error: model directory '{tmp_path / 'from-option'}' does not exist" in result.stderr
    assert "from-environment" not in result.stderr and "Traceback" not in result.stderr


@pytest.mark.slow  # a Python process each
@pytest.mark.parametrize("setting, value, message", [
    ("TRANSLATOR_STORE", "ftp://cache.example/x",
     "error: TRANSLATOR_STORE='ftp://cache.example/x': unknown store; use sqlite:///PATH, redis://HOST:PORT/DB "
     "or postgresql://USER:PASSWORD@HOST:PORT/DB"),
    ("TRANSLATOR_GLOSSARY", "{tmp}/broken.tsv", "error: {tmp}/broken.tsv:2: expected 2 or 3 tab-separated columns"),
])
def test_serve_with_an_unusable_store_or_glossary_fails_before_loading_the_model(tmp_path, setting, value, message):
    (tmp_path / "broken.tsv").write_text("Beijing\tPékin\nno tab here\n", encoding="utf-8")
    env = service_env(tmp_path, TRANSLATOR_MODEL=str(tmp_path / "no-such-model"),
                      **{setting: value.format(tmp=tmp_path)})
    result = subprocess.run([sys.executable, "-m", "translator", "serve", "--port", "0"], cwd=REPO,
                            capture_output=True, text=True, timeout=120, env=env)
    assert result.returncode == 1
    assert message.format(tmp=tmp_path) in result.stderr
    assert "no-such-model" not in result.stderr and "Traceback" not in result.stderr
