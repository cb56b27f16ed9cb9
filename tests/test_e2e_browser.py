"""End to end: the real ``translator serve`` process (tiny Marian model, SQLite store in a temporary data
directory), headless Chromium, the "Read in French" widget and the French article page.

Two origins, as in a real embed: the service (API, widget file, /demo, French pages) and a news site
(a WSGI server in this process) whose article pages embed the widget from the service, allowed through
``TRANSLATOR_CORS_ORIGINS``. Any console error or uncaught exception in the browser fails the test
(tests/browser.py) unless the test declares it expected.

The widget calls ``GET /v1/articles/<id>/translations/fr`` and the polling test stores its article with
``PUT /v1/articles/<id>?translate=false``: the article endpoints of openapi.yaml. Tests that need only
the pages write articles straight into the service's SQLite store (another process on the same file,
which the store supports), as a batch job would.
"""

from __future__ import annotations

import html
import time
import urllib.error
import urllib.request
from dataclasses import replace
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser import save_screenshot
from tests.web.test_serve import http, service_env, start_serve
from tests.wsgi_server import NewsSite
from translator.store import StoredTranslation, open_store
from translator.testing.processes import ServiceProcess
from translator.service.demo import DEMO_ARTICLE_ID, DEMO_PARAGRAPHS, DEMO_TITLE

LABEL_TRANSLATE = "Read in French"
LABEL_RESTORE = "Read in English"
LABEL_PROGRESS = "Translating\u2026"
LABEL_ERROR = "Translation unavailable, please try again later."

TRANSLATION_TIMEOUT_S = 60  # the tiny model translates in well under a second; two shared cores are slow


def news_page(service_url: str, article_id: str, title: str, paragraphs: list[str]) -> str:
    """An English article page embedding the widget with the documented one tag."""
    body = "\n".join(f"    <p>{html.escape(p)}</p>" for p in paragraphs)
    return f"""<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>{html.escape(title)}</title>
  <link rel="icon" href="data:,">
  <script src="{service_url}/static/read-in-french.js" data-article-id="{html.escape(article_id)}"
          data-target="#article-body" data-title="#article-title" defer></script>
</head>
<body>
  <article>
    <h1 id="article-title">{html.escape(title)}</h1>
    <div id="article-body">
{body}
    </div>
  </article>
</body>
</html>
"""


@pytest.fixture(scope="module")
def news_site():
    site = NewsSite()
    yield site
    site.server.stop()


def start_service(tiny_model_dir: Path, directory: Path, **extra_env: str) -> ServiceProcess:
    server = start_serve(service_env(directory, TRANSLATOR_MODEL=str(tiny_model_dir), **extra_env),
                    directory / "serve.log")
    server.store_url = f"sqlite:///{directory / 'data' / 'translator.sqlite3'}"
    return server


@pytest.fixture(scope="module")
def service(tiny_model_dir, tmp_path_factory, news_site):
    """One ``translator serve`` for the module; the news site's origin may read translations."""
    server = start_service(tiny_model_dir, tmp_path_factory.mktemp("e2e-service"),
                           TRANSLATOR_CORS_ORIGINS=news_site.url)
    yield server
    server.stop()


# -- helpers ------------------------------------------------------------------------------------------

def get_page(url: str) -> tuple[int, str]:
    """(status, HTML) of a page."""
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")


def store_article(service: ServiceProcess, article_id: str, *, title: str, body: str,
                  url: str | None = None) -> int:
    """Write an article version straight into the service's store; returns its version."""
    store = open_store(service.store_url)
    try:
        return store.put_article(article_id, title=title, body=body, url=url).version
    finally:
        store.close()


def translated_through_the_page(service: ServiceProcess, article_id: str) -> StoredTranslation:
    """Ask the French page until it is ready (the first request starts the translation)."""
    deadline = time.monotonic() + TRANSLATION_TIMEOUT_S
    while True:
        status, _ = get_page(f"{service.url}/articles/{article_id}/fr")
        if status == 200:
            break
        assert status == 202, status
        assert time.monotonic() < deadline, f"{article_id} was not translated in time:\n{service.log}"
        time.sleep(0.1)
    store = open_store(service.store_url)
    try:
        translation = store.get_translation(article_id, store.get_article(article_id).version, "fr")
    finally:
        store.close()
    assert translation is not None
    return translation


def translation_from_the_api(service: ServiceProcess, article_id: str) -> dict:
    """``GET /v1/articles/<id>/translations/fr`` until it answers 200 (checked against the spec)."""
    url = f"{service.url}/v1/articles/{article_id}/translations/fr"
    deadline = time.monotonic() + TRANSLATION_TIMEOUT_S
    while True:
        status, headers, body = http("GET", url)
        if status == 200:
            return body
        if status == 404 and body["error"]["message"].startswith("no such resource"):
            pytest.fail(f"GET {url}: the article endpoints of openapi.yaml are not routed", pytrace=False)
        assert (status, body["status"]) == (202, "pending"), (status, body)  # maybe with "partial"
        assert int(headers["Retry-After"]) >= 1
        assert time.monotonic() < deadline, f"{article_id} was not translated in time:\n{service.log}"
        time.sleep(0.1)


def put_article(service: ServiceProcess, article_id: str, *, title: str, body: str, translate: bool) -> dict:
    status, _, answer = http("PUT", f"{service.url}/v1/articles/{article_id}?translate={str(translate).lower()}",
                             {"title": title, "body": body})
    if status == 404 and answer["error"]["message"].startswith("no such resource"):
        pytest.fail("PUT /v1/articles/<id>: the article endpoints of openapi.yaml are not routed", pytrace=False)
    assert (status, answer) == (201, {"id": article_id, "version": 1, "changed": True}), (status, answer)
    return answer


def snapshot(page) -> dict:
    """The exact HTML of the article title and body."""
    return page.evaluate("""() => ({
        title: document.querySelector('#article-title').outerHTML,
        body: document.querySelector('#article-body').outerHTML,
    })""")


def body_paragraphs(page) -> list[str]:
    return page.locator("#article-body p").all_text_contents()


def translation_requests(page) -> list[tuple[str, int]]:
    """Collects (url, status) of every translations response the page receives, in order."""
    seen: list[tuple[str, int]] = []
    page.on("response", lambda response: seen.append((response.url, response.status))
            if "/translations/fr" in response.url else None)
    return seen


# -- the demo: click, French, back to English ---------------------------------------------------------

@pytest.mark.slow
def test_demo_translates_in_place_and_restores_the_english(browser_page, service):
    french = translation_from_the_api(service, DEMO_ARTICLE_ID)  # stored at start-up, translated since
    assert len(french["paragraphs"]) == len(DEMO_PARAGRAPHS) == 6
    page = browser_page.page
    seen = translation_requests(page)
    page.goto(f"{service.url}/demo")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert body_paragraphs(page) == list(DEMO_PARAGRAPHS)
    expect(page.locator("#article-title")).to_have_text(DEMO_TITLE)
    before = snapshot(page)

    page.get_by_role("button", name=LABEL_TRANSLATE).click()

    expect(page.locator("#article-body")).to_have_attribute("lang", "fr")
    expect(page.locator("#article-body p")).to_have_count(len(DEMO_PARAGRAPHS))
    assert body_paragraphs(page) == french["paragraphs"]
    expect(page.locator("#article-title")).to_have_text(french["title"])
    expect(page.locator("#article-title")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("button", name=LABEL_RESTORE)).to_be_visible()
    save_screenshot(page, "e2e-translated.png")

    page.get_by_role("button", name=LABEL_RESTORE).click()
    expect(page.get_by_role("button", name=LABEL_TRANSLATE)).to_be_visible()
    assert snapshot(page) == before  # the original English, exactly
    assert seen == [(f"{service.url}/v1/articles/{DEMO_ARTICLE_ID}/translations/fr", 200)]  # one request


# -- 202: the widget polls while the service translates -------------------------------------------------

POLL_TITLE = "Fishermen warned as cyclone nears the island"
POLL_PARAGRAPHS = [
    "Fishermen in the south were told on Monday to stay in port until the cyclone has passed.",
    "The weather service said the storm could reach the island tomorrow night.",
    "Schools in the capital city will stay closed on Tuesday, the minister said.",
]


@pytest.mark.slow
def test_widget_polls_while_the_service_translates_then_shows_the_french(browser_page, service, news_site):
    put_article(service, "e2e-poll", title=POLL_TITLE, body="\n\n".join(POLL_PARAGRAPHS), translate=False)
    page = browser_page.page
    seen = translation_requests(page)
    page.goto(news_site.publish("poll", news_page(service.url, "e2e-poll", POLL_TITLE, POLL_PARAGRAPHS)))

    page.get_by_role("button", name=LABEL_TRANSLATE).click()
    # The first answer is 202 (that request starts the translation); the widget waits Retry-After seconds.
    expect(page.get_by_role("status")).to_have_text(LABEL_PROGRESS)
    expect(page.locator("#article-body")).to_have_attribute("lang", "fr", timeout=TRANSLATION_TIMEOUT_S * 1000)
    expect(page.get_by_role("status")).to_have_text("")

    french = translation_from_the_api(service, "e2e-poll")
    assert body_paragraphs(page) == french["paragraphs"]
    assert len(french["paragraphs"]) == len(POLL_PARAGRAPHS)
    expect(page.locator("#article-title")).to_have_text(french["title"])
    statuses = [status for _, status in seen]
    assert statuses[0] == 202 and statuses[-1] == 200 and set(statuses[:-1]) == {202}, statuses


# -- the service is down -------------------------------------------------------------------------------

@pytest.mark.slow
def test_a_stopped_service_shows_the_error_and_leaves_the_english(browser_page, tiny_model_dir, tmp_path):
    server = start_service(tiny_model_dir, tmp_path)
    page = browser_page.page
    try:
        page.goto(f"{server.url}/demo")
        expect(page.get_by_role("button", name=LABEL_TRANSLATE)).to_be_visible()
        before = snapshot(page)
    finally:
        assert server.stop() == 0
    # Chromium logs the refused connection itself; that is the failure this test is about.
    browser_page.allow_console_error(r"Failed to load resource: net::ERR_CONNECTION_REFUSED")

    page.get_by_role("button", name=LABEL_TRANSLATE).click()

    expect(page.get_by_role("status")).to_have_text(LABEL_ERROR)
    assert snapshot(page) == before
    assert body_paragraphs(page) == list(DEMO_PARAGRAPHS)
    expect(page.get_by_role("button", name=LABEL_TRANSLATE)).to_be_visible()
    assert page.locator("#article-body").get_attribute("lang") is None


# -- the French page in a real browser -----------------------------------------------------------------

PAGE_TITLE = "The central bank kept its interest rate unchanged"
PAGE_PARAGRAPHS = [
    "The central bank kept its interest rate unchanged amid rising inflation, the statistics office said.",
    "Prices of rice and fuel rose again this week.",
]


@pytest.mark.slow
def test_french_page_waits_for_the_translation_then_reloads_itself_into_french(browser_page, service, tiny_model_dir):
    store_article(service, "e2e-page", title=PAGE_TITLE, body="\n\n".join(PAGE_PARAGRAPHS),
                  url="https://news.example.com/economy/rates")
    page = browser_page.page
    statuses: list[int] = []
    page.on("response", lambda response: statuses.append(response.status)
            if response.url.endswith("/articles/e2e-page/fr") else None)

    page.goto(f"{service.url}/articles/e2e-page/fr")

    expect(page.locator("html")).to_have_attribute("lang", "fr")
    # The pending page reloads itself (meta refresh) until the French is there.
    expect(page.locator("#article-body p")).to_have_count(2, timeout=TRANSLATION_TIMEOUT_S * 1000)
    stored = translated_through_the_page(service, "e2e-page")
    assert body_paragraphs(page) == stored.paragraphs
    expect(page.locator("#article-title")).to_have_text(stored.title)
    expect(page.locator("#source-link")).to_have_attribute("href", "https://news.example.com/economy/rates")
    expect(page.locator("#model")).to_have_text(tiny_model_dir.name)  # the tiny model's name: no path
    expect(page.locator("#model")).to_have_attribute("title", stored.model)
    assert statuses[0] == 202 and statuses[-1] == 200, statuses
    assert page.locator("meta[http-equiv=refresh]").count() == 0
    save_screenshot(page, "e2e-french-page.png")


# -- XSS: article text is text, in the page and in the widget ---------------------------------------------

XSS_TITLE = 'Storm <script>window.__xss = "title"</script><img src=x onerror="window.__xss=1">'
XSS_PARAGRAPHS = [
    '<script>window.__xss = "body"</script>The council meets today.',
    '<img src=x onerror="window.__xss=2"> <a href="javascript:window.__xss=3">Click here</a>',
    '<svg onload="window.__xss=4"></svg><p onclick="window.__xss=5">injected</p>',
]
XSS_URL = "javascript:window.__xss=6"
# What a model that copies markup through verbatim would make of them.
XSS_FRENCH_TITLE = 'Tempête <script>window.__xss = "titre"</script><img src=x onerror="window.__xss=7">'
XSS_FRENCH_PARAGRAPHS = [
    '<script>window.__xss = "corps"</script>Le conseil se réunit aujourd\'hui.',
    '<img src=x onerror="window.__xss=8"> <a href="javascript:window.__xss=9">Cliquez ici</a>',
    '<svg onload="window.__xss=10"></svg><p onclick="window.__xss=11">injecté</p>',
]


def store_markup_as_the_french(service: ServiceProcess, translation: StoredTranslation) -> None:
    """Replace a stored translation's text with French carrying the English markup, as if the model had
    copied the tags through (real models often do); its model and glossary version stay current."""
    store = open_store(service.store_url)
    try:
        store.put_translation(replace(translation, title=XSS_FRENCH_TITLE, body="\n\n".join(XSS_FRENCH_PARAGRAPHS),
                                      paragraphs=list(XSS_FRENCH_PARAGRAPHS)))
    finally:
        store.close()


def assert_nothing_ran(page) -> None:
    assert page.evaluate("typeof window.__xss") == "undefined"
    assert page.locator("article img, article script, article svg, article iframe, #article-body a").count() == 0
    assert page.evaluate("[...document.querySelectorAll('*')].filter(e => [...e.attributes]"
                         ".some(a => a.name.startsWith('on'))).length") == 0


@pytest.mark.slow
def test_markup_in_a_translation_renders_inert_on_the_french_page(browser_page, service):
    store_article(service, "e2e-xss-page", title=XSS_TITLE, body="\n\n".join(XSS_PARAGRAPHS), url=XSS_URL)
    store_markup_as_the_french(service, translated_through_the_page(service, "e2e-xss-page"))
    page = browser_page.page

    page.goto(f"{service.url}/articles/e2e-xss-page/fr")

    expect(page.locator("#article-title")).to_have_text(XSS_FRENCH_TITLE)
    assert body_paragraphs(page) == XSS_FRENCH_PARAGRAPHS
    assert page.locator("a").count() == 0  # the javascript: source URL is no link
    assert_nothing_ran(page)


@pytest.mark.slow
def test_markup_in_a_translation_renders_inert_in_the_widget(browser_page, service, news_site):
    store_article(service, "e2e-xss-widget", title=XSS_TITLE, body="\n\n".join(XSS_PARAGRAPHS), url=XSS_URL)
    store_markup_as_the_french(service, translated_through_the_page(service, "e2e-xss-widget"))
    assert translation_from_the_api(service, "e2e-xss-widget")["paragraphs"] == XSS_FRENCH_PARAGRAPHS
    page = browser_page.page
    page.goto(news_site.publish("xss", news_page(service.url, "e2e-xss-widget", XSS_TITLE, XSS_PARAGRAPHS)))
    assert body_paragraphs(page) == XSS_PARAGRAPHS  # the site escaped its English; so must the widget

    page.get_by_role("button", name=LABEL_TRANSLATE).click()

    expect(page.locator("#article-body")).to_have_attribute("lang", "fr")
    expect(page.locator("#article-title")).to_have_text(XSS_FRENCH_TITLE)
    assert body_paragraphs(page) == XSS_FRENCH_PARAGRAPHS
    assert_nothing_ran(page)
