"""The reader pages: ``GET /articles/<id>/fr`` (French article page) and ``GET /demo``.

Flask test client, fake engines (exact French: ``FR(<text>)``), the real SQLite store under the test's
data directory. HTML is parsed (BeautifulSoup), never matched with regexes.
"""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup

from tests.fakes import EchoEngine
from tests.gated import GatedEngine
from tests.waiting import wait_until
from translator.config import Settings
from translator.service.articles import ArticleNotFound
from translator.errors import ConfigError, ModelUnavailable
from translator.web import create_app
from translator.service.demo import DEMO_ARTICLE_ID, DEMO_PARAGRAPHS, DEMO_TITLE, DEMO_URL
from translator.web.pages import PENDING_REFRESH_SECONDS, format_timestamp, safe_link
from translator.service.runtime import build_runtime

TITLE = "Fishermen warned as cyclone nears Mauritius"
PARAGRAPHS = ["Fishermen in Mahebourg were told to stay in port on Monday.",
              "The weather service said the storm would pass north of the island."]
BODY = "\n\n".join(PARAGRAPHS)
URL = "https://news.example.com/cyclone?id=7&lang=en"


@pytest.fixture
def make_app(make_services):
    """``make_app(engine=None, **settings_changes)`` -> (app, services): an app on a fake engine."""

    def make(engine=None, **changes):
        services = make_services(engine if engine is not None else EchoEngine(), **changes)
        app = create_app({"TESTING": True}, runtime=services)
        return app, services

    return make


def page(response) -> BeautifulSoup:
    assert response.mimetype == "text/html"
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def texts(elements) -> list[str]:
    return [element.get_text() for element in elements]


def translated(services, article_id: str, *, title: str = TITLE, body: str = BODY, url: str | None = URL) -> int:
    """Store an article and its translation (synchronously); returns the version."""
    result = services.articles().put(article_id, title=title, body=body, url=url)
    services.articles().translate(article_id, result.version)
    return result.version


# -- the French page -----------------------------------------------------------------------------

def test_french_page_shows_the_stored_translation_as_a_readable_french_page(make_app):
    app, services = make_app()
    translated(services, "cyclone-1")
    stored = services.articles().cached_translation("cyclone-1")

    response = app.test_client().get("/articles/cyclone-1/fr")

    assert response.status_code == 200
    doc = page(response)
    assert doc.html["lang"] == "fr"
    assert doc.title.get_text() == f"FR({TITLE})"
    assert doc.select_one("#article-title").get_text() == f"FR({TITLE})"
    assert texts(doc.select("#article-body > p")) == [f"FR({p})" for p in PARAGRAPHS]
    link = doc.select_one("#source-link")
    assert link["href"] == URL and link["hreflang"] == "en"
    # The model's name for readers is the pair's (never a path); the title has the engine identity.
    assert (doc.select_one("#model").get_text(), doc.select_one("#model")["title"]) == (
        "Helsinki-NLP/opus-mt-en-fr", "echo")
    assert doc.select_one("#translated-at")["datetime"] == stored.translated_at
    assert doc.select_one("#translated-at").get_text() == format_timestamp(stored.translated_at)
    assert "version 1" in doc.footer.get_text()
    assert doc.find("meta", attrs={"http-equiv": "refresh"}) is None
    assert doc.find("script") is None


def test_french_page_without_a_source_url_has_no_link(make_app):
    app, services = make_app()
    translated(services, "no-url", url=None)
    doc = page(app.test_client().get("/articles/no-url/fr"))
    assert doc.find("a") is None
    assert texts(doc.select("#article-body > p")) == [f"FR({p})" for p in PARAGRAPHS]


def test_first_request_starts_the_translation_and_the_page_refreshes_until_it_is_ready(make_app):
    engine = GatedEngine()
    app, services = make_app(engine)
    services.articles().put("slow-1", title=TITLE, body=BODY, url=URL)
    client = app.test_client()
    engine.hold()
    try:
        response = client.get("/articles/slow-1/fr")
        assert response.status_code == 202
        assert response.headers["Retry-After"] == str(PENDING_REFRESH_SECONDS)
        assert response.headers["Cache-Control"] == "no-store"
        doc = page(response)
        assert doc.html["lang"] == "fr"
        refresh = doc.find("meta", attrs={"http-equiv": "refresh"})
        assert refresh["content"] == str(PENDING_REFRESH_SECONDS)
        heading = doc.select_one("#article-title")
        assert (heading.get_text(), heading["lang"]) == (TITLE, "en")  # the English title, marked as such
        assert "Traduction en cours" in doc.select_one("[role=status]").get_text()
        assert doc.select_one("#source-link")["href"] == URL
        assert engine.entered.wait(10)  # the request started the background translation

        # Asking again while it runs starts nothing new.
        assert client.get("/articles/slow-1/fr").status_code == 202
        assert services.articles().is_translating("slow-1", 1)

        # Refreshed once the title and first paragraph are done: they show, in French, above the notice.
        engine.step()
        wait_until(lambda: len(engine.calls) == 2, what="the second stage")
        doc = page(client.get("/articles/slow-1/fr"))
        heading = doc.select_one("#article-title")
        assert (heading.get_text(), heading.get("lang")) == (f"FR({TITLE})", None)
        assert texts(doc.select("#article-body > p")) == [f"FR({PARAGRAPHS[0]})"]
        assert "Traduction de la suite en cours (1 paragraphe sur 2)" in doc.select_one("[role=status]").get_text()
    finally:
        engine.release()
    wait_until(lambda: services.articles().cached_translation("slow-1") is not None, what="the translation")
    assert engine.calls == [[TITLE, PARAGRAPHS[0]], [PARAGRAPHS[1]]]  # reading order: title and first first

    response = client.get("/articles/slow-1/fr")
    assert response.status_code == 200
    doc = page(response)
    assert doc.find("meta", attrs={"http-equiv": "refresh"}) is None
    assert texts(doc.select("#article-body > p")) == [f"FR({p})" for p in PARAGRAPHS]


@pytest.mark.parametrize("path, message", [
    ("/articles/nobody/fr", "Aucun article « nobody » n'est enregistré."),
    ("/articles/known/fr?version=3", "L'article « known » n'a pas de version 3."),
    ("/articles/known/fr?version=99999999999999999999",
     "L'article « known » n'a pas de version 99999999999999999999."),
])
def test_unknown_article_or_version_is_a_404_page(make_app, path, message):
    app, services = make_app()
    translated(services, "known")
    response = app.test_client().get(path)
    assert response.status_code == 404
    doc = page(response)
    assert doc.html["lang"] == "fr"
    assert doc.h1.get_text() == "Article introuvable"
    assert doc.select_one("#error-message").get_text() == message


@pytest.mark.parametrize("raw", ["0", "-1", "abc", "1.5", "٣", ""])
def test_a_malformed_version_is_a_400_page(make_app, raw):
    app, services = make_app()
    translated(services, "known")
    response = app.test_client().get("/articles/known/fr", query_string={"version": raw})
    assert response.status_code == 400
    doc = page(response)
    assert doc.h1.get_text() == "Adresse incorrecte"
    assert doc.select_one("#error-message").get_text() == \
        f"« {raw} » n'est pas un numéro de version (un entier à partir de 1)."


def test_version_parameter_shows_that_version_and_the_default_is_the_latest(make_app):
    app, services = make_app()
    translated(services, "story", title="First headline")
    assert translated(services, "story", title="Second headline") == 2
    client = app.test_client()

    def title_of(path: str) -> str:
        response = client.get(path)
        assert response.status_code == 200
        return page(response).select_one("#article-title").get_text()

    assert title_of("/articles/story/fr") == "FR(Second headline)"
    assert title_of("/articles/story/fr?version=2") == "FR(Second headline)"
    assert title_of("/articles/story/fr?version=1") == "FR(First headline)"
    assert "version 1" in page(client.get("/articles/story/fr?version=1")).footer.get_text()


def test_the_footer_names_the_model_and_keeps_the_whole_identity_in_its_title(make_app):
    identity = "marian:Helsinki-NLP/opus-mt-en-fr@0123456789ab|torch|beams=4|bound=2n+10|fallback=greedy-nr3"
    app, services = make_app(EchoEngine(identity=identity))
    translated(services, "cyclone-1")
    model = page(app.test_client().get("/articles/cyclone-1/fr")).select_one("#model")
    assert (model.get_text(), model["title"]) == ("Helsinki-NLP/opus-mt-en-fr", identity)


def test_a_cached_translation_is_served_from_the_store_without_touching_the_model(make_app):
    engine = EchoEngine()
    app, services = make_app(engine)
    translated(services, "cached")
    calls_after_translating = len(engine.calls)
    assert calls_after_translating == 1
    client = app.test_client()
    for _ in range(3):
        response = client.get("/articles/cached/fr")
        assert response.status_code == 200
        assert texts(page(response).select("#article-body > p")) == [f"FR({p})" for p in PARAGRAPHS]
    assert len(engine.calls) == calls_after_translating
    assert not services.articles().is_translating("cached")


def test_a_stale_translation_is_not_served_but_translated_again(make_services):
    first = make_services(EchoEngine(identity="model-a"))
    translated(first, "stale")
    first.close()  # same data directory: the next service opens the same SQLite store
    engine = EchoEngine(identity="model-b")
    services = make_services(engine)
    app = create_app({"TESTING": True}, runtime=services)
    client = app.test_client()
    assert client.get("/articles/stale/fr").status_code == 202
    wait_until(lambda: services.articles().cached_translation("stale") is not None, what="the new translation")
    assert page(client.get("/articles/stale/fr")).select_one("#model")["title"] == "model-b"


def test_pages_get_no_cors_headers_even_when_cors_is_configured(make_app):
    app, services = make_app(cors_origins=("*",))
    translated(services, "cors")
    response = app.test_client().get("/articles/cors/fr", headers={"Origin": "https://news.example.com"})
    assert response.status_code == 200
    assert "Access-Control-Allow-Origin" not in response.headers


def test_a_model_that_cannot_load_is_a_503_page(settings):
    def failing_factory(settings, model):
        raise ModelUnavailable(f"model directory {model!r} does not exist")

    services = build_runtime(settings, serving=True, engine_factory=failing_factory)
    app = create_app({"TESTING": True}, runtime=services)
    response = app.test_client().get("/articles/any/fr")
    services.close()
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "30"
    doc = page(response)
    assert doc.h1.get_text() == "Service momentanément indisponible"
    assert "does not exist" not in response.get_data(as_text=True)  # the reason is for the log, not readers


# -- escaping: article data is text, never markup --------------------------------------------------

XSS_TITLE = 'Breaking <script>window.__xss = "title"</script> <img src=x onerror="window.__xss=1">'
XSS_PARAGRAPHS = [
    '<script>window.__xss = "body"</script>Council meets today.',
    '<img src=x onerror="window.__xss=2"> <a href="javascript:window.__xss=3">Click here</a>',
    '"quoted" & \'single\' </p><p onclick="window.__xss=4">injected</p>',
]


@pytest.mark.parametrize("url", [
    "javascript:window.__xss=5", "JaVaScRiPt:window.__xss=5", "  javascript:window.__xss=5",
    "java\tscript:window.__xss=5", "\x00javascript:window.__xss=5", "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)", "//evil.example.com/x", "/relative/path", "ftp://files.example.com/a", "https://",
    "http://[::1", "",
])
def test_unsafe_or_odd_source_urls_never_become_links(make_app, url):
    app, services = make_app()
    translated(services, "odd-url", url=url)
    response = app.test_client().get("/articles/odd-url/fr")
    assert response.status_code == 200
    doc = page(response)
    assert doc.find("a") is None
    assert "javascript:" not in response.get_data(as_text=True).lower()


@pytest.mark.parametrize("url, link", [
    ("http://example.com/a?b=1&c=2", "http://example.com/a?b=1&c=2"),
    ("HTTPS://Example.com/path#frag", "https://Example.com/path#frag"),
    (" https://example.com/x ", "https://example.com/x"),
])
def test_http_and_https_source_urls_become_links(url, link):
    assert safe_link(url) == link


def test_script_img_and_javascript_links_in_an_article_render_as_inert_text(make_app):
    app, services = make_app(fr_typography="off")  # the exact text back, quotes included
    translated(services, "xss", title=XSS_TITLE, body="\n\n".join(XSS_PARAGRAPHS), url="javascript:window.__xss=6")
    for path in ("/articles/xss/fr", "/articles/xss/fr?version=1"):
        response = app.test_client().get(path)
        assert response.status_code == 200
        doc = page(response)
        assert doc.select_one("#article-title").get_text() == f"FR({XSS_TITLE})"
        assert texts(doc.select("#article-body > p")) == [f"FR({p})" for p in XSS_PARAGRAPHS]
        # Only the page's own elements: no element came from the article text.
        assert doc.find_all(["script", "img", "a", "iframe"]) == []
        assert [tag for tag in doc.find_all(True) if any(name.startswith("on") for name in tag.attrs)] == []
        assert "<script>" not in response.get_data(as_text=True)


def test_the_pending_page_escapes_the_english_title_too(make_app):
    engine = GatedEngine()
    app, services = make_app(engine)
    services.articles().put("xss-pending", title=XSS_TITLE, body=XSS_PARAGRAPHS[0], url="javascript:alert(1)")
    engine.hold()
    try:
        response = app.test_client().get("/articles/xss-pending/fr")
        assert response.status_code == 202
        doc = page(response)
        assert doc.select_one("#article-title").get_text() == XSS_TITLE
        assert doc.find_all(["script", "img", "a"]) == []
    finally:
        engine.release()


@pytest.mark.parametrize("article_id", ['<script>alert(1)<script>', '"><img src=x onerror=alert(1)>'])  # ids have no /
def test_the_404_page_escapes_the_requested_id(make_app, article_id):
    app, _ = make_app()
    response = app.test_client().get(f"/articles/{article_id}/fr")
    assert response.status_code == 404
    doc = page(response)
    assert doc.select_one("#error-message").get_text() == f"Aucun article « {article_id} » n'est enregistré."
    assert doc.find_all(["script", "img"]) == []


# -- the demo ----------------------------------------------------------------------------------------

def test_demo_page_embeds_the_widget_on_the_stored_demo_article(make_app):
    engine = EchoEngine()
    app, services = make_app(engine)
    client = app.test_client()

    response = client.get("/demo")

    assert response.status_code == 200
    doc = page(response)
    assert doc.html["lang"] == "en"
    assert doc.select_one("#article-title").get_text() == DEMO_TITLE
    assert texts(doc.select("#article-body > p")) == list(DEMO_PARAGRAPHS)
    assert len(DEMO_PARAGRAPHS) == 6
    (script,) = doc.find_all("script")
    assert {name: script[name] for name in script.attrs} == {
        "src": "/static/read-in-french.js", "data-article-id": DEMO_ARTICLE_ID, "data-target": "#article-body",
        "data-title": "#article-title", "defer": ""}
    assert doc.select_one("#french-page-link")["href"] == f"/articles/{DEMO_ARTICLE_ID}/fr"
    assert client.get("/static/read-in-french.js").status_code == 200

    # The demo article is stored in the demo's own store and its translation started in the background.
    demo = services.demo_articles()
    article = demo.get(DEMO_ARTICLE_ID)
    assert (article.version, article.title, article.url) == (1, DEMO_TITLE, DEMO_URL)
    wait_until(lambda: demo.cached_translation(DEMO_ARTICLE_ID) is not None, what="the demo's French")
    french = demo.cached_translation(DEMO_ARTICLE_ID)
    assert french.paragraphs == [f"FR({p})" for p in DEMO_PARAGRAPHS]
    # The widget's JSON and the French page answer it from there.
    assert client.get(f"/v1/articles/{DEMO_ARTICLE_ID}/translations/fr").get_json()["paragraphs"] == \
        french.paragraphs
    assert client.get(f"/articles/{DEMO_ARTICLE_ID}/fr").status_code == 200

    # Showing the demo again stores no new version and translates nothing again.
    calls = len(engine.calls)
    assert client.get("/demo").status_code == 200
    assert demo.get(DEMO_ARTICLE_ID).version == 1
    assert len(engine.calls) == calls

    # The production store never saw it: no article, no translation, no memory entry.
    with pytest.raises(ArticleNotFound):
        services.articles().get(DEMO_ARTICLE_ID)
    assert {k: services.store.stats()[k] for k in ("entries", "articles", "versions", "translations")} == {
        "entries": 0, "articles": 0, "versions": 0, "translations": 0}


def test_demo_off_is_a_404_that_stores_nothing(make_app):
    assert Settings.from_env({}).demo is True
    assert Settings.from_env({"TRANSLATOR_DEMO": "off"}).demo is False
    engine = EchoEngine()
    app, services = make_app(engine, demo=False)
    response = app.test_client().get("/demo")
    assert response.status_code == 404
    assert page(response).h1.get_text() == "Page introuvable"
    with pytest.raises(ArticleNotFound):
        services.articles().get(DEMO_ARTICLE_ID)
    assert engine.calls == []


def test_demo_proper_nouns_come_from_the_starter_glossary():
    from translator.config import default_glossary_path
    from translator.glossary import load_glossary

    glossary = load_glossary(default_glossary_path())
    found = {match.entry.source for text in (DEMO_TITLE, *DEMO_PARAGRAPHS) for match in glossary.find(text)}
    assert {"Port Louis", "University of Mauritius", "Bank of Mauritius", "Grand Baie", "Flic en Flac",
            "Rose Hill", "Curepipe", "Quatre Bornes", "Reunion Island", "Rodrigues",
            "Sir Seewoosagur Ramgoolam International Airport", "Air Mauritius", "National Assembly"} <= found


# -- Server-Timing (opt-in) ------------------------------------------------------------------------------

SERVER_TIMING = re.compile(r"^app;dur=\d+\.\d{3}$")


def test_server_timing_is_off_by_default(make_app):
    app, services = make_app()
    translated(services, "timed")
    assert "Server-Timing" not in app.test_client().get("/articles/timed/fr").headers


def test_server_timing_times_pages_api_and_static_files_when_on(make_app):
    app, services = make_app(server_timing=True)
    translated(services, "timed")
    client = app.test_client()
    for path in ("/articles/timed/fr", "/healthz", "/static/read-in-french.js", "/v1/nowhere"):
        response = client.get(path)
        assert SERVER_TIMING.match(response.headers["Server-Timing"]), (path, response.headers)


@pytest.mark.parametrize("raw, expected", [("on", True), ("1", True), ("TRUE", True), ("yes", True),
                                           ("off", False), ("0", False), ("false", False), ("No", False)])
def test_translator_server_timing_is_read_from_the_environment(raw, expected):
    assert Settings.from_env({"TRANSLATOR_SERVER_TIMING": raw}).server_timing is expected


def test_a_bad_translator_server_timing_value_is_a_config_error():
    with pytest.raises(ConfigError, match="TRANSLATOR_SERVER_TIMING must be on or off"):
        Settings.from_env({"TRANSLATOR_SERVER_TIMING": "sometimes"})


# -- helpers --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("value, expected", [
    ("2024-05-01T12:05:00.000Z", "1 mai 2024 à 12:05 UTC"),
    ("2030-12-31T23:59:59.999Z", "31 décembre 2030 à 23:59 UTC"),
    ("not a time", "not a time"),
])
def test_format_timestamp_reads_well_in_french(value, expected):
    assert format_timestamp(value) == expected


def test_a_failed_translation_shows_an_error_page_until_the_article_is_sent_again(make_app):
    from tests.fakes import FunctionEngine

    state = {"failing": True}

    def translate(text: str) -> str:
        if state["failing"]:
            raise ValueError("the model crashed")
        return f"FR({text})"

    app, services = make_app(FunctionEngine(translate, identity="flaky"))
    client = app.test_client()
    articles = services.articles()
    articles.put("flaky-1", title=TITLE, body=BODY)
    articles.start_translation("flaky-1", 1)
    wait_until(lambda: not articles.is_translating("flaky-1", 1), what="the translation to fail")

    failed = client.get("/articles/flaky-1/fr")
    assert failed.status_code == 503
    assert failed.headers["Retry-After"] == "30"
    doc = page(failed)
    assert doc.find("meta", attrs={"http-equiv": "refresh"}) is None  # no endless reload loop
    assert "La traduction de cet article a échoué" in doc.get_text()

    state["failing"] = False
    assert client.get("/articles/flaky-1/fr").status_code == 503  # a lasting failure: no new attempt
    assert articles.retry_failed("flaky-1", 1)  # what a PUT of the same version does
    wait_until(lambda: articles.cached_translation("flaky-1", 1) is not None, what="the retry")
    assert client.get("/articles/flaky-1/fr").status_code == 200
