"""The "Read in French" widget (translator/web/static/read-in-french.js) in headless Chromium.

Two real HTTP servers give two origins, as in a real embed: the news site serving article pages,
and a scripted stand-in for the translator service serving the widget file and
``GET /v1/articles/<id>/translations/fr`` (replies scripted per test, CORS headers as the service
sends them). Timing-sensitive cases (202 polling, timeouts) run on Playwright's fake clock, so they
are exact and never wait for real seconds.
"""

from __future__ import annotations

import html
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from pathlib import Path

import pytest
from flask import Flask, Response, jsonify, request, send_from_directory
from playwright.sync_api import expect

from tests.browser import save_screenshot
from tests.waiting import wait_until
from tests.wsgi_server import NewsSite, WsgiThreadServer

STATIC_DIR = Path(__file__).resolve().parent.parent / "translator" / "web" / "static"
MOUNT_PREFIX = "/news-translator"  # the service behind a path prefix on a shared host

LABEL_TRANSLATE = "Read in French"
LABEL_RESTORE = "Read in English"
LABEL_PROGRESS = "Translating\u2026"
LABEL_ERROR = "Translation unavailable, please try again later."

ENGLISH_TITLE = "Council approves new cycle lanes for the city centre"
ENGLISH_PARAGRAPHS = [
    "The city council voted on Tuesday to build twelve kilometres of protected cycle lanes through the centre.",
    "Work starts in March and should be finished before the end of next year, the mayor said.",
    "Shop owners on the high street asked for delivery bays to be kept during the works.",
]
FRENCH_TITLE = "Le conseil approuve de nouvelles pistes cyclables pour le centre-ville"
FRENCH_PARAGRAPHS = [
    "Le conseil municipal a voté mardi la construction de douze kilomètres de pistes cyclables protégées "
    "dans le centre.",
    "Les travaux commencent en mars et devraient être terminés avant la fin de l'année prochaine, a déclaré "
    "le maire.",
    "Les commerçants de la rue principale ont demandé que les aires de livraison soient maintenues pendant "
    "les travaux.",
]

# Fake-clock times: pages load with the clock running from T0, then tests pause it at T_PAUSED.
T0 = datetime(2030, 1, 1, tzinfo=timezone.utc)
T_PAUSED = T0 + timedelta(seconds=30)

# Records every fetch() of the page and whether its promise has settled. The recorder's reaction runs
# before the widget's own continuation, so once `settled` is visible to a later page.evaluate, the
# widget has also finished handling that response (e.g. started its Retry-After timer).
FETCH_RECORDER = """
(() => {
  const realFetch = window.fetch;
  window.__fetches = [];
  window.fetch = function (...args) {
    const record = { url: String(args[0]), settled: false };
    window.__fetches.push(record);
    const promise = realFetch.apply(this, args);
    promise.then(() => { record.settled = true; }, () => { record.settled = true; });
    return promise;
  };
})();
"""


@dataclass(frozen=True)
class Reply:
    """One scripted answer of the translations endpoint."""

    status: int = 200
    json: object = None
    headers: dict = field(default_factory=dict)
    text: str | None = None  # a raw (non-JSON) body instead of `json`
    hang: bool = False  # never answer (until the test ends)


def translation(title: str = FRENCH_TITLE, paragraphs=FRENCH_PARAGRAPHS, article_id: str = "123") -> Reply:
    """A ready translation, shaped like the service's 200 answer."""
    paragraphs = list(paragraphs)
    return Reply(200, {
        "id": article_id, "version": 1, "lang": "fr", "title": title, "body": "\n\n".join(paragraphs),
        "paragraphs": paragraphs, "model": "Helsinki-NLP/opus-mt-en-fr", "glossary_version": "0",
        "translated_at": "2030-01-01T00:00:00Z", "glossary": {"applied": [], "missed": []},
        "segments": {"total": len(paragraphs) + 1, "from_memory": 0, "translated": len(paragraphs) + 1},
    })


def pending(retry_after: str | None = "1") -> Reply:
    """The service's 202 while the translation is being made."""
    return Reply(202, {"status": "pending"}, {"Retry-After": retry_after} if retry_after is not None else {})


def api_error(status: int, code: str, message: str) -> Reply:
    return Reply(status, {"error": {"code": code, "message": message}})


@dataclass(frozen=True)
class SeenRequest:
    method: str
    path: str
    raw_uri: str  # as sent, before percent-decoding
    headers: dict


class ScriptedService:
    """The translator service as the widget sees it, with replies scripted per article id."""

    def __init__(self, allowed_origin: str):
        self.allowed_origin = allowed_origin
        self.replies: dict[str, list[Reply]] = {}
        self.requests: list[SeenRequest] = []  # requests to the translations endpoint
        self.article_ids: list[str] = []  # the article id of each of those requests
        self.release = threading.Event()  # lets hanging replies finish when the test ends
        app = Flask(__name__, static_folder=str(STATIC_DIR), static_url_path="/static")
        for prefix in ("", MOUNT_PREFIX):
            app.add_url_rule(prefix + "/v1/articles/<article_id>/translations/fr", f"translation{prefix}",
                             self._translation, methods=["GET", "OPTIONS"])
        app.add_url_rule(MOUNT_PREFIX + "/static/<path:filename>", "mounted_static",
                         lambda filename: send_from_directory(STATIC_DIR, filename))
        app.after_request(self._cors)
        self.server = WsgiThreadServer(app)
        self.url = self.server.url

    def script(self, article_id: str, *replies: Reply) -> None:
        """Answer the next requests for ``article_id`` with ``replies`` in order; the last one repeats."""
        self.replies[article_id] = list(replies)

    def close(self) -> None:
        self.release.set()
        self.server.stop()

    def _translation(self, article_id: str):
        self.requests.append(SeenRequest(request.method, request.path, request.environ["REQUEST_URI"],
                                         dict(request.headers)))
        self.article_ids.append(article_id)
        queue = self.replies.get(article_id) or [api_error(404, "not_found", f"no article {article_id!r}")]
        reply = queue.pop(0) if len(queue) > 1 else queue[0]
        if reply.hang:
            self.release.wait(60)
            return Response("", 504)
        if reply.text is not None:
            response = Response(reply.text, reply.status, content_type="text/html; charset=utf-8")
        else:
            response = jsonify(reply.json)
            response.status_code = reply.status
        response.headers.update(reply.headers)
        return response

    def _cors(self, response):
        # What the service does for read endpoints: allow the listed origin, expose Retry-After.
        if request.path.endswith("/translations/fr") and request.headers.get("Origin") == self.allowed_origin:
            response.headers["Access-Control-Allow-Origin"] = self.allowed_origin
            response.headers["Access-Control-Expose-Headers"] = "Retry-After"
            response.headers["Vary"] = "Origin"
        return response


@pytest.fixture
def site():
    site = NewsSite()
    yield site
    site.server.stop()


@pytest.fixture
def service(site):
    service = ScriptedService(site.url)
    yield service
    service.close()


def attributes(**values) -> str:
    """HTML attributes from keyword arguments (data_article_id -> data-article-id); True = bare attribute."""
    parts = []
    for name, value in values.items():
        name = name.replace("_", "-")
        if value is True:
            parts.append(name)
        elif value is not None:
            parts.append(f'{name}="{html.escape(str(value), quote=True)}"')
    return " ".join(parts)


def widget_tag(service: ScriptedService, article_id: str = "123", *, src: str | None = None, **extra) -> str:
    """The one-tag embed, with defer unless ``extra`` says otherwise."""
    values = {"src": src or f"{service.url}/static/read-in-french.js", "data_article_id": article_id,
              "data_target": "#article-body", "data_title": "#article-title", "defer": True}
    values.update(extra)
    return f"<script {attributes(**values)}></script>"


def paragraphs_html(paragraphs) -> str:
    return "\n    ".join(f"<p>{html.escape(text)}</p>" for text in paragraphs)


def article_page(*, body: str | None = None, title: str = ENGLISH_TITLE, head: str = "", end: str = "") -> str:
    """An English article page; ``body`` is the inner HTML of #article-body (default: three paragraphs)."""
    body = paragraphs_html(ENGLISH_PARAGRAPHS) if body is None else body
    return f"""<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>{html.escape(title)}</title>
  <link rel="icon" href="data:,">
  <style>
    body {{ font: 18px/1.55 Georgia, "DejaVu Serif", serif; color: #1d1d1f; max-width: 42em;
           margin: 2.5em auto; padding: 0 1.5em; }}
    h1 {{ font: 700 1.9em/1.2 "Helvetica Neue", Arial, sans-serif; margin: 0 0 .3em; }}
    .kicker {{ font: .8em Arial, sans-serif; text-transform: uppercase; letter-spacing: .08em; color: #b3261e; }}
  </style>
  {head}
</head>
<body>
  <article>
    <div class="kicker">City news</div>
    <h1 id="article-title">{html.escape(title)}</h1>
    <div id="article-body">
    {body}
    </div>
  </article>
  {end}
</body>
</html>
"""


def body_paragraphs(page, container: str = "#article-body") -> list[str]:
    return page.locator(f"{container} p").all_text_contents()


def snapshot(page) -> dict:
    """The exact HTML of the article title and body, to compare before and after."""
    return page.evaluate("""() => ({
        title: document.querySelector('#article-title').outerHTML,
        body: document.querySelector('#article-body').outerHTML,
    })""")


def mark_original_nodes(page) -> None:
    page.evaluate("document.querySelectorAll('#article-body p').forEach((p, i) => { p.__original = i; })")


def original_node_marks(page) -> list:
    return page.evaluate("[...document.querySelectorAll('#article-body p')].map(p => p.__original ?? null)")


def open_with_paused_clock(page, url: str) -> None:
    """Load ``url`` with the fetch recorder and a fake clock, then pause the clock."""
    page.add_init_script(FETCH_RECORDER)
    page.clock.install(time=T0)
    page.goto(url)
    page.clock.pause_at(T_PAUSED)


def wait_for_settled_fetches(page, count: int) -> None:
    page.wait_for_function(f"window.__fetches.filter(f => f.settled).length >= {count}", polling=20)


def fetch_count(page) -> int:
    return page.evaluate("window.__fetches.length")


def expect_english_intact(page, before: dict) -> None:
    assert snapshot(page) == before
    assert body_paragraphs(page) == ENGLISH_PARAGRAPHS
    expect(page.get_by_role("button", name=LABEL_TRANSLATE)).to_be_visible()


# --- the main path ------------------------------------------------------------------------------


def test_translates_in_place_and_restores_the_original_without_a_new_request(browser_page, site, service):
    page = browser_page.page
    service.script("123", translation())
    page.goto(site.publish("article", article_page(end=widget_tag(service))))
    before = snapshot(page)
    mark_original_nodes(page)

    button = page.get_by_role("button", name=LABEL_TRANSLATE)
    expect(button).to_have_attribute("type", "button")
    expect(button).to_have_attribute("aria-controls", "article-body")
    status = page.get_by_role("status")
    expect(status).to_have_attribute("aria-live", "polite")
    expect(status).to_have_text("")
    assert page.evaluate("document.querySelector('#article-body').previousElementSibling.className") == "rif"
    assert service.requests == []  # nothing is fetched before the reader asks

    button.click()
    expect(page.locator("#article-body")).to_have_attribute("lang", "fr")
    assert body_paragraphs(page) == FRENCH_PARAGRAPHS
    expect(page.locator("#article-title")).to_have_text(FRENCH_TITLE)
    expect(page.locator("#article-title")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("button", name=LABEL_RESTORE)).to_be_visible()
    expect(page.get_by_role("button", name=LABEL_TRANSLATE)).to_have_count(0)
    expect(status).to_have_text("")
    assert page.locator("#article-body").get_attribute("aria-busy") is None
    save_screenshot(page, "widget-translated.png")

    assert service.article_ids == ["123"]
    (seen,) = service.requests
    assert seen.method == "GET"  # a CORS-simple request: no preflight
    assert seen.path == "/v1/articles/123/translations/fr"
    assert seen.headers["Origin"] == site.url
    assert seen.headers["Accept"] == "application/json"
    assert "Cookie" not in seen.headers

    page.get_by_role("button", name=LABEL_RESTORE).click()
    expect(page.get_by_role("button", name=LABEL_TRANSLATE)).to_be_visible()
    assert snapshot(page) == before  # exact original HTML, lang attributes removed again
    assert original_node_marks(page) == [0, 1, 2]  # the very same nodes, not a re-serialisation

    page.get_by_role("button", name=LABEL_TRANSLATE).click()  # French again: from memory
    expect(page.locator("#article-body")).to_have_attribute("lang", "fr")
    assert body_paragraphs(page) == FRENCH_PARAGRAPHS
    page.get_by_role("button", name=LABEL_RESTORE).click()
    expect(page.get_by_role("button", name=LABEL_TRANSLATE)).to_be_visible()
    assert snapshot(page) == before
    assert len(service.requests) == 1


# --- page layouts and paragraph counts -----------------------------------------------------------

FIGURE = '<figure class="map"><figcaption>The planned lanes</figcaption></figure>'
LAYOUTS = {
    # direct <p> children, with inline markup that must come back exactly
    "flat": (
        f"<p>{html.escape(ENGLISH_PARAGRAPHS[0])}</p>\n"
        f'    <p class="lead">Read <a href="https://example.org/plan">the plan</a> <em>now</em>.</p>\n'
        f"    <p>{html.escape(ENGLISH_PARAGRAPHS[2])}</p>",
        3,
    ),
    # no <p> children: all <p> descendants are the paragraphs
    "nested": (
        f"<section><p>{html.escape(ENGLISH_PARAGRAPHS[0])}</p></section>\n"
        f"    <section><div><p>{html.escape(ENGLISH_PARAGRAPHS[1])}</p></div>"
        f"<p>{html.escape(ENGLISH_PARAGRAPHS[2])}</p></section>",
        3,
    ),
    # a figure between paragraphs stays where it is
    "interleaved": (
        f"<p>{html.escape(ENGLISH_PARAGRAPHS[0])}</p>\n    {FIGURE}\n"
        f"    <p>{html.escape(ENGLISH_PARAGRAPHS[1])}</p>\n    <p>{html.escape(ENGLISH_PARAGRAPHS[2])}</p>",
        3,
    ),
    # no <p> at all: the container's non-blank child nodes are the paragraphs
    "bare-text": (html.escape(ENGLISH_PARAGRAPHS[0]), 1),
}


@pytest.mark.parametrize("layout", LAYOUTS)
def test_replaces_the_paragraphs_of_each_layout_and_restores_it_exactly(browser_page, site, service, layout):
    page = browser_page.page
    inner, count = LAYOUTS[layout]
    french = FRENCH_PARAGRAPHS[:count]
    service.script("123", translation(paragraphs=french))
    page.goto(site.publish("article", article_page(body=inner, end=widget_tag(service))))
    before = snapshot(page)
    figures = page.locator("#article-body figure").count()

    page.get_by_role("button", name=LABEL_TRANSLATE).click()
    expect(page.locator("#article-body")).to_have_attribute("lang", "fr")
    assert body_paragraphs(page) == french
    assert page.locator("#article-body figure").count() == figures
    if layout == "interleaved":  # paragraph i took the place of English paragraph i, around the figure
        assert page.evaluate("document.querySelector('#article-body figure').previousElementSibling.textContent") \
            == french[0]

    page.get_by_role("button", name=LABEL_RESTORE).click()
    expect(page.get_by_role("button", name=LABEL_TRANSLATE)).to_be_visible()
    assert snapshot(page) == before


@pytest.mark.parametrize("french_count", [1, 2, 5], ids=["one", "fewer", "more"])
def test_a_different_paragraph_count_still_replaces_all_and_restores_the_original_nodes(
        browser_page, site, service, french_count):
    page = browser_page.page
    french = [f"Paragraphe français numéro {n}." for n in range(1, french_count + 1)]
    service.script("123", translation(paragraphs=french))
    inner = LAYOUTS["interleaved"][0]
    page.goto(site.publish("article", article_page(body=inner, end=widget_tag(service))))
    before = snapshot(page)
    mark_original_nodes(page)

    page.get_by_role("button", name=LABEL_TRANSLATE).click()
    expect(page.locator("#article-body")).to_have_attribute("lang", "fr")
    assert body_paragraphs(page) == french  # all French, in order, and no English left
    expect(page.locator("#article-body figure")).to_have_count(1)

    page.get_by_role("button", name=LABEL_RESTORE).click()
    expect(page.get_by_role("button", name=LABEL_TRANSLATE)).to_be_visible()
    assert snapshot(page) == before
    assert original_node_marks(page) == [0, 1, 2]
    assert len(service.requests) == 1


# --- 202 polling and timeouts (fake clock) ------------------------------------------------------


def test_polls_through_202_with_a_visible_progress_state(browser_page, site, service):
    page = browser_page.page
    service.script("123", pending("1"), pending("1"), translation())
    open_with_paused_clock(page, site.publish("article", article_page(end=widget_tag(service))))
    before = snapshot(page)

    page.get_by_role("button", name=LABEL_TRANSLATE).click()
    wait_for_settled_fetches(page, 1)
    status = page.get_by_role("status")
    expect(status).to_have_text(LABEL_PROGRESS)
    expect(status).to_have_attribute("aria-live", "polite")
    expect(page.locator(".rif-button")).to_have_attribute("aria-disabled", "true")
    expect(page.locator("#article-body")).to_have_attribute("aria-busy", "true")
    assert body_paragraphs(page) == ENGLISH_PARAGRAPHS  # English stays readable while waiting

    page.locator(".rif-button").click(force=True)  # a click while busy is ignored: no second request
    page.clock.run_for(999)
    assert fetch_count(page) == 1  # Retry-After: 1 is honoured
    page.clock.run_for(1)
    wait_for_settled_fetches(page, 2)
    assert len(service.requests) == 2
    expect(status).to_have_text(LABEL_PROGRESS)
    page.clock.run_for(999)
    assert fetch_count(page) == 2
    page.clock.run_for(1)

    expect(page.locator("#article-body")).to_have_attribute("lang", "fr")
    assert body_paragraphs(page) == FRENCH_PARAGRAPHS
    expect(page.locator("#article-title")).to_have_text(FRENCH_TITLE)
    expect(status).to_have_text("")
    expect(page.get_by_role("button", name=LABEL_RESTORE)).not_to_have_attribute("aria-disabled", "true")
    assert page.locator("#article-body").get_attribute("aria-busy") is None
    assert service.article_ids == ["123", "123", "123"]

    page.get_by_role("button", name=LABEL_RESTORE).click()
    expect(page.get_by_role("button", name=LABEL_TRANSLATE)).to_be_visible()
    assert snapshot(page) == before


@pytest.mark.parametrize("retry_after, delay_ms", [
    ("1", 1000), ("4", 4000), ("0", 1000), ("600", 10_000), (None, 2000), ("soon", 2000),
    (format_datetime(T_PAUSED + timedelta(seconds=4), usegmt=True), 4000),
], ids=["1s", "4s", "0-clamped-to-1s", "600-clamped-to-10s", "missing-2s", "invalid-2s", "http-date-4s"])
def test_waits_as_long_as_retry_after_says_within_bounds(browser_page, site, service, retry_after, delay_ms):
    page = browser_page.page
    service.script("123", pending(retry_after), translation())
    open_with_paused_clock(page, site.publish("article", article_page(end=widget_tag(service))))

    page.get_by_role("button", name=LABEL_TRANSLATE).click()
    wait_for_settled_fetches(page, 1)
    page.clock.run_for(delay_ms - 1)
    assert fetch_count(page) == 1
    page.clock.run_for(1)
    expect(page.locator("#article-body")).to_have_attribute("lang", "fr")
    assert body_paragraphs(page) == FRENCH_PARAGRAPHS
    assert len(service.requests) == 2


def test_gives_up_when_still_pending_at_the_timeout(browser_page, site, service):
    page = browser_page.page
    service.script("123", pending("1"))  # pending for ever
    open_with_paused_clock(page, site.publish("article", article_page(end=widget_tag(service, data_timeout="3"))))
    before = snapshot(page)

    page.get_by_role("button", name=LABEL_TRANSLATE).click()
    for answered in (1, 2):
        wait_for_settled_fetches(page, answered)
        page.clock.run_for(1000)
    wait_for_settled_fetches(page, 3)  # at 2 s: another 1 s wait would reach the 3 s timeout
    expect(page.get_by_role("status")).to_have_text(LABEL_ERROR)
    page.clock.run_for(30_000)
    assert fetch_count(page) == 3
    assert len(service.requests) == 3
    expect_english_intact(page, before)


def test_gives_up_when_the_service_does_not_answer_before_the_timeout(browser_page, site, service):
    page = browser_page.page
    service.script("123", Reply(hang=True))
    open_with_paused_clock(page, site.publish("article", article_page(end=widget_tag(service, data_timeout="5"))))
    before = snapshot(page)

    page.get_by_role("button", name=LABEL_TRANSLATE).click()
    wait_until(lambda: len(service.requests) == 1, 15.0, "the request to reach the service")
    page.clock.run_for(4999)
    expect(page.get_by_role("status")).to_have_text(LABEL_PROGRESS)
    expect(page.locator(".rif")).to_have_attribute("data-state", "loading")
    page.clock.run_for(1)
    expect(page.get_by_role("status")).to_have_text(LABEL_ERROR)
    expect_english_intact(page, before)
    assert any("no answer before the timeout" in text for text in browser_page.console("warning"))


# --- failures ------------------------------------------------------------------------------------

FAILURES = {
    "404": ([api_error(404, "not_found", "no article '123'")], r"status of 404"),
    "500": ([api_error(500, "internal", "internal error")], r"status of 500"),
    "503": ([Reply(503, {"error": {"code": "busy", "message": "busy"}}, {"Retry-After": "1"})], r"status of 503"),
    "not-json": ([Reply(200, text="<html><body>Maintenance</body></html>")], None),
    "no-paragraphs": ([Reply(200, {"status": "done"})], None),
    "service-stopped": ([translation()], r"net::ERR_CONNECTION_REFUSED"),
}


@pytest.mark.parametrize("failure", FAILURES)
def test_a_failure_shows_the_message_and_leaves_the_english_intact(browser_page, site, service, failure):
    page = browser_page.page
    replies, console_error = FAILURES[failure]
    service.script("123", *replies)
    if console_error:  # Chromium logs every failed load, expected here
        browser_page.allow_console_error(console_error)
    page.goto(site.publish("article", article_page(end=widget_tag(service))))
    before = snapshot(page)
    if failure == "service-stopped":
        service.server.stop()

    page.get_by_role("button", name=LABEL_TRANSLATE).click()
    status = page.get_by_role("status")
    expect(status).to_have_text(LABEL_ERROR)
    expect(status).to_have_class("rif-status rif-status--error")
    expect(page.locator(".rif")).to_have_attribute("data-state", "error")
    expect_english_intact(page, before)
    assert page.locator(".rif-button").get_attribute("aria-disabled") is None
    assert len(service.requests) == (0 if failure == "service-stopped" else 1)
    assert len(browser_page.console("warning")) == 1  # the reason, for the site's developers


def test_can_try_again_after_a_failure(browser_page, site, service):
    page = browser_page.page
    browser_page.allow_console_error(r"status of 500")
    service.script("123", api_error(500, "internal", "internal error"), translation())
    page.goto(site.publish("article", article_page(end=widget_tag(service))))

    page.get_by_role("button", name=LABEL_TRANSLATE).click()
    expect(page.get_by_role("status")).to_have_text(LABEL_ERROR)
    page.get_by_role("button", name=LABEL_TRANSLATE).click()
    expect(page.locator("#article-body")).to_have_attribute("lang", "fr")
    assert body_paragraphs(page) == FRENCH_PARAGRAPHS
    expect(page.get_by_role("status")).to_have_text("")
    assert len(service.requests) == 2


# --- service text is inert -----------------------------------------------------------------------

XSS_TITLE = '<script>window.__xss = "title"</script><img src="x-title" onerror="window.__xss = \'title-img\'">'
XSS_PARAGRAPHS = [
    '<script>window.__xss = "script"</script>',
    '<img src="x" onerror="window.__xss = \'img\'">',
    '<a href="javascript:window.__xss = \'link\'">Read the plan</a>',
    '</p><p onclick="window.__xss = \'attribute\'">Broken out of the paragraph',
    '<iframe src="javascript:window.__xss = \'iframe\'"></iframe><svg onload="window.__xss = \'svg\'"></svg>',
]


def test_service_text_with_markup_is_shown_as_literal_text(browser_page, site, service):
    page = browser_page.page
    service.script("123", translation(title=XSS_TITLE, paragraphs=XSS_PARAGRAPHS))
    page.goto(site.publish("article", article_page(end=widget_tag(service))))
    before = snapshot(page)

    page.get_by_role("button", name=LABEL_TRANSLATE).click()
    expect(page.locator("#article-body")).to_have_attribute("lang", "fr")
    assert body_paragraphs(page) == XSS_PARAGRAPHS
    expect(page.locator("#article-title")).to_have_text(XSS_TITLE)
    for paragraph in page.locator("#article-body p").all():
        paragraph.click()  # an injected onclick would run here
    assert page.evaluate("typeof window.__xss") == "undefined"
    assert page.locator("#article-body *:not(p), #article-title *").count() == 0
    # (the one link is the widget's own notice, to the French page)
    assert page.evaluate("document.querySelectorAll('img, iframe, svg, a:not(.rif-notice > a)').length") == 0
    assert page.locator(".rif-notice > a").get_attribute("href") == f"{service.url}/articles/123/fr"
    assert page.evaluate("document.scripts.length") == 1  # only the widget's own tag
    assert site.paths == ["/article"]  # no <img src="x"> was ever requested

    page.get_by_role("button", name=LABEL_RESTORE).click()
    expect(page.get_by_role("button", name=LABEL_TRANSLATE)).to_be_visible()
    assert snapshot(page) == before
    assert page.evaluate("typeof window.__xss") == "undefined"


# --- embedding ------------------------------------------------------------------------------------

DYNAMIC_LOADER = """<script>
  window.addEventListener("load", () => {{
    const script = document.createElement("script");
    script.src = "{src}";
    script.dataset.articleId = "123";
    script.dataset.target = "#article-body";
    script.dataset.title = "#article-title";
    document.body.appendChild(script);
  }});
</script>"""


@pytest.mark.parametrize("loading", ["defer-in-head", "async-in-head", "blocking-in-head", "end-of-body",
                                     "dynamic"])
def test_works_however_the_script_is_loaded(browser_page, site, service, loading):
    page = browser_page.page
    service.script("123", translation())
    src = f"{service.url}/static/read-in-french.js"
    head = end = ""
    if loading == "defer-in-head":
        head = widget_tag(service)
    elif loading == "async-in-head":
        head = widget_tag(service, defer=None, async_=True).replace("async-", "async")
    elif loading == "blocking-in-head":  # runs before the target is parsed
        head = widget_tag(service, defer=None)
    elif loading == "end-of-body":
        end = widget_tag(service, defer=None)
    else:
        end = DYNAMIC_LOADER.format(src=src)
    page.goto(site.publish("article", article_page(head=head, end=end)))
    before = snapshot(page)

    page.get_by_role("button", name=LABEL_TRANSLATE).click()
    expect(page.locator("#article-body")).to_have_attribute("lang", "fr")
    assert body_paragraphs(page) == FRENCH_PARAGRAPHS
    expect(page.locator(".rif")).to_have_count(1)
    page.get_by_role("button", name=LABEL_RESTORE).click()
    expect(page.get_by_role("button", name=LABEL_TRANSLATE)).to_be_visible()
    assert snapshot(page) == before


TWO_ARTICLES = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Front page</title><link rel="icon" href="data:,"></head>
<body>
  <article><h2 id="first-title">First story</h2>
    <div id="first-body"><p>First story, first paragraph.</p><p>First story, second paragraph.</p></div></article>
  <article><h2 id="second-title">Second story</h2>
    <div id="second-body"><p>Second story, only paragraph.</p></div></article>
  {tags}
</body></html>
"""
ODD_ID = 'news 42 "quoted" & more?#'  # must reach the service as one path segment


def test_several_widgets_on_one_page_each_translate_their_own_article(browser_page, site, service):
    page = browser_page.page
    service.script("first", translation(title="Premier article", paragraphs=["Un.", "Deux."], article_id="first"))
    service.script(ODD_ID, translation(title="Second article", paragraphs=["Seul paragraphe."], article_id=ODD_ID))
    tags = (widget_tag(service, "first", data_target="#first-body", data_title="#first-title")
            + widget_tag(service, ODD_ID, data_target="#second-body", data_title="#second-title",
                         data_label_translate="Lire en français", data_label_restore="Back to English",
                         data_default_style="off"))
    page.goto(site.publish("front", TWO_ARTICLES.format(tags=tags)))
    expect(page.locator(".rif")).to_have_count(2)
    assert page.locator("#rif-default-style").count() == 1  # one stylesheet, however many widgets

    page.get_by_role("button", name="Lire en français").click()
    expect(page.locator("#second-body")).to_have_attribute("lang", "fr")
    assert body_paragraphs(page, "#second-body") == ["Seul paragraphe."]
    expect(page.locator("#second-title")).to_have_text("Second article")
    expect(page.get_by_role("button", name="Back to English")).to_be_visible()
    assert body_paragraphs(page, "#first-body") == ["First story, first paragraph.", "First story, second paragraph."]
    assert page.locator("#first-body").get_attribute("lang") is None
    assert service.article_ids == [ODD_ID]
    assert service.requests[0].raw_uri == "/v1/articles/news%2042%20%22quoted%22%20%26%20more%3F%23/translations/fr"

    page.get_by_role("button", name=LABEL_TRANSLATE).click()
    expect(page.locator("#first-body")).to_have_attribute("lang", "fr")
    assert body_paragraphs(page, "#first-body") == ["Un.", "Deux."]
    assert service.article_ids == [ODD_ID, "first"]


@pytest.mark.parametrize("setup", ["mounted-under-a-prefix", "data-api-base"])
def test_finds_the_service_from_its_script_url_or_data_api_base(browser_page, site, service, setup):
    page = browser_page.page
    service.script("123", translation())
    if setup == "mounted-under-a-prefix":
        tag = widget_tag(service, src=f"{service.url}{MOUNT_PREFIX}/static/read-in-french.js")
        api = service
    else:
        api = ScriptedService(site.url)
        api.script("123", translation())
        tag = widget_tag(service, data_api_base=f"{api.url}{MOUNT_PREFIX}/")
    try:
        page.goto(site.publish("article", article_page(end=tag)))
        page.get_by_role("button", name=LABEL_TRANSLATE).click()
        expect(page.locator("#article-body")).to_have_attribute("lang", "fr")
        assert [seen.path for seen in api.requests] == [f"{MOUNT_PREFIX}/v1/articles/123/translations/fr"]
        if api is not service:
            assert service.requests == []
    finally:
        if api is not service:
            api.close()


def test_a_tag_that_cannot_work_warns_and_adds_no_button(browser_page, site, service):
    page = browser_page.page
    tags = (widget_tag(service, data_target="#no-such-element")
            + widget_tag(service, data_article_id=None)
            + widget_tag(service, data_target="p[[")
            + widget_tag(service, data_title="#no-such-title"))
    page.goto(site.publish("article", article_page(end=tags)))
    expect(page.locator(".rif")).to_have_count(1)  # only the last tag, whose target exists
    warnings = browser_page.console("warning")
    assert any('no element matches data-target "#no-such-element"' in text for text in warnings)
    assert any("needs data-article-id and data-target" in text for text in warnings)
    assert any('invalid data-target selector "p[["' in text for text in warnings)
    assert any('no element matches data-title "#no-such-title"' in text for text in warnings)
    assert service.requests == []


# --- the machine-translation notice ------------------------------------------------------------------


def test_the_notice_appears_with_the_french_and_goes_with_it(browser_page, site, service):
    page = browser_page.page
    service.script("123", translation())
    page.goto(site.publish("notice", article_page(end=widget_tag(service))))
    notice = page.locator(".rif-notice")
    expect(notice).to_have_count(0)

    page.get_by_role("button", name=LABEL_TRANSLATE).click()
    expect(notice).to_have_text("Traduction automatique")
    expect(notice).to_have_attribute("lang", "fr")
    assert notice.locator("a").get_attribute("href") == f"{service.url}/articles/123/fr"
    save_screenshot(page, "widget-notice.png")

    page.get_by_role("button", name=LABEL_RESTORE).click()
    expect(page.get_by_role("button", name=LABEL_TRANSLATE)).to_be_visible()
    expect(notice).to_have_count(0)
    page.get_by_role("button", name=LABEL_TRANSLATE).click()  # from memory: the notice again
    expect(notice).to_have_text("Traduction automatique")


def test_the_notice_says_when_the_newsroom_reviewed_it_in_the_labels_given(browser_page, site, service):
    page = browser_page.page
    reviewed = translation()
    service.script("123", Reply(200, {**reviewed.json, "reviewed": True}))
    page.goto(site.publish("notice-reviewed", article_page(end=widget_tag(
        service, data_label_notice="Traduit par machine", data_label_reviewed="vérifié"))))
    page.get_by_role("button", name=LABEL_TRANSLATE).click()
    notice = page.locator(".rif-notice")
    expect(notice).to_have_text("Traduit par machine \u00b7 vérifié")
    expect(notice).to_have_attribute("data-reviewed", "")
