"""End to end with HTML: the real ``translator serve`` (tiny Marian model, SQLite store) over HTTP, a
12-block article with links, strong/em, an h2, a list, a figure with its caption, a translate="no" span
and a script; then the French page and the "Read in French" button in headless Chromium."""

from __future__ import annotations

from collections import Counter

import lxml.html
import pytest
from playwright.sync_api import expect

from tests.browser import save_screenshot
from tests.test_e2e_browser import (LABEL_RESTORE, LABEL_TRANSLATE, get_page, news_site, snapshot,  # noqa: F401
                                    start_service, translation_from_the_api)
from tests.web.test_serve import http
from translator.html import sanitize

#: Editing needs API keys (issue 26): the service runs with one.
EDITOR_KEY = "e2e-editor-secret"
EDITOR = {"Authorization": f"Bearer {EDITOR_KEY}"}
from translator.html.parse import outermost_blocks, parse_fragment, serialize_fragment

TITLE = "Cyclone Belal nears the east coast"
BODY = """
<p>The cyclone is <strong>moving fast</strong> towards the east coast, according to
<a href="https://www.reuters.com/world/cyclone-belal">Reuters</a>.</p>
<h2>What is closed</h2>
<p>The government said that <em>all schools</em> will stay closed on Monday and Tuesday.</p>
<ul>
  <li>Schools are closed until <strong>Wednesday</strong>.</li>
  <li>Flights are <a href="https://airport.example.mu/flights">cancelled</a> until further notice.</li>
  <li>Buses run on a reduced timetable.</li>
</ul>
<figure><img src="data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7" alt="The storm seen from space">
<figcaption>The storm seen from space on <em>Sunday</em> morning.</figcaption></figure>
<p>The newspaper <span translate="no">Le Mauricien</span> published the <a href="https://meteo.example.mu/b">full
bulletin</a> on its website.</p>
<script>document.title = "hacked"; window.__injected = 1;</script>
<p>Residents were told to stay at home and to keep water and food for three days.</p>
<blockquote>We are ready for the storm, the minister said.</blockquote>
<p>The police will patrol the coast during the night.</p>
<p>More news will follow in the <b>evening</b> edition.</p>
"""
HREFS = ["https://www.reuters.com/world/cyclone-belal", "https://airport.example.mu/flights",
         "https://meteo.example.mu/b"]


def _elements(html: str) -> list[str]:
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    return [el.tag for el in root.iter() if isinstance(el.tag, str) and el is not root]


def _check_french(french: str) -> None:
    """Same elements as the sanitised English, every link once, no script, the span kept, well formed."""
    english = sanitize(BODY)
    assert len(outermost_blocks(parse_fragment(english))) == 12
    assert [b.tag for b in outermost_blocks(parse_fragment(french))] == \
        [b.tag for b in outermost_blocks(parse_fragment(english))]
    assert Counter(_elements(french)) == Counter(_elements(english))
    root = lxml.html.fragment_fromstring(french, create_parent="div")
    assert [a.get("href") for a in root.iter("a")] == HREFS
    assert all(a.text_content().strip() for a in root.iter("a", "strong", "em", "b"))
    assert '<span translate="no">Le Mauricien</span>' in french
    assert "script" not in french and "__injected" not in french
    assert sanitize(french) == french
    # Well formed: lxml reads it back the same (it writes the NBSP of French typography as the character).
    assert serialize_fragment(parse_fragment(french)) == french.replace("&nbsp;", "\u00a0")


@pytest.fixture(scope="module")
def service(tiny_model_dir, tmp_path_factory, news_site):
    server = start_service(tiny_model_dir, tmp_path_factory.mktemp("e2e-html"), TRANSLATOR_CORS_ORIGINS=news_site.url,
                           TRANSLATOR_API_KEYS=f"desk={EDITOR_KEY}")
    yield server
    server.stop()


@pytest.mark.slow
def test_html_over_http_with_the_tiny_model(service):
    status, _, answer = http("POST", f"{service.url}/v1/translate", {"text": BODY, "format": "html"})
    assert status == 200, answer
    _check_french(answer["translations"][0]["text"])


@pytest.mark.slow
def test_html_article_french_page_and_button(service, news_site, browser_page):
    status, _, answer = http("PUT", f"{service.url}/v1/articles/cyclone-html",
                             {"title": TITLE, "body": BODY, "format": "html",
                              "url": "https://news.example.mu/cyclone"}, EDITOR)
    assert status == 201, answer
    french = translation_from_the_api(service, "cyclone-html")
    assert french["format"] == "html"
    _check_french(french["body"])
    assert len(french["paragraphs"]) == len(french["source_blocks"]) == 12

    page = browser_page.page
    page.goto(f"{service.url}/articles/cyclone-html/fr")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    links = page.locator("#article-body a")
    assert [links.nth(i).get_attribute("href") for i in range(links.count())] == HREFS
    assert page.evaluate("window.__injected") is None
    save_screenshot(page, "e2e-french-html-page.png")

    news = news_site.publish("cyclone-html", f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{TITLE}</title><link rel="icon" href="data:,">
<script src="{service.url}/static/read-in-french.js" data-article-id="cyclone-html"
        data-target="#article-body" data-title="#article-title" defer></script></head>
<body><article><h1 id="article-title">{TITLE}</h1>
<div id="article-body">{BODY.replace('<script>', '<script type="text/plain">')}
<aside class="ad"><p>Advertisement: buy a generator today</p></aside></div></article></body></html>""")
    page.goto(news)
    before = snapshot(page)
    page.get_by_role("button", name=LABEL_TRANSLATE).click()
    body = page.locator("#article-body")
    expect(body).to_have_attribute("lang", "fr")
    links = body.locator("a")
    assert [links.nth(i).get_attribute("href") for i in range(links.count())] == HREFS
    french_blocks = [lxml.html.fragment_fromstring(block).text_content() for block in french["paragraphs"]]
    expect(body.locator("h2")).to_have_text(next(t for t, b in zip(french_blocks, french["paragraphs"])
                                                 if b.startswith("<h2")))
    expect(body.locator("figcaption")).to_have_text(next(t for t, b in zip(french_blocks, french["paragraphs"])
                                                         if b.startswith("<figcaption")))
    expect(body.locator(".ad p")).to_have_text("Advertisement: buy a generator today")
    expect(page.locator("#article-title")).to_have_text(french["title"])
    page.get_by_role("button", name=LABEL_RESTORE).click()
    expect(page.get_by_role("button", name=LABEL_TRANSLATE)).to_be_visible()
    assert snapshot(page) == before


FIX = "Le cyclone avance vite vers la côte est, selon Reuters."


@pytest.mark.slow
def test_a_corrected_html_article_keeps_every_link_and_the_button_shows_the_correction_in_its_block(
        service, news_site, browser_page):
    """Before: a correction glued the HTML body into one tag-less string, alt text spliced in."""
    status, _, answer = http("PUT", f"{service.url}/v1/articles/cyclone-fix",
                             {"title": TITLE, "body": BODY, "format": "html"}, EDITOR)
    assert status == 201, answer
    machine = translation_from_the_api(service, "cyclone-fix")
    # The first sentence of the first block (its <strong> and its Reuters link).
    unit = next(u for u in machine["units"] if u["paragraph"] == 0)
    status, _, answer = http("PUT", f"{service.url}/v1/articles/cyclone-fix/translations/fr/segments/{unit['index']}",
                             {"target": FIX}, EDITOR)
    assert status == 200, answer
    corrected = translation_from_the_api(service, "cyclone-fix")
    _check_french(corrected["body"])  # every element, every link once, the span kept, sanitised
    assert len(corrected["paragraphs"]) == len(machine["paragraphs"]) == 12
    assert corrected["paragraphs"][1:] == machine["paragraphs"][1:]  # only the corrected block changed
    assert FIX in lxml.html.fragment_fromstring(corrected["paragraphs"][0]).text_content()

    page = browser_page.page
    news = news_site.publish("cyclone-fix", f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{TITLE}</title><link rel="icon" href="data:,">
<script src="{service.url}/static/read-in-french.js" data-article-id="cyclone-fix"
        data-target="#article-body" data-title="#article-title" defer></script></head>
<body><article><h1 id="article-title">{TITLE}</h1>
<div id="article-body">{BODY.replace('<script>', '<script type="text/plain">')}</div></article></body></html>""")
    page.goto(news)
    page.get_by_role("button", name=LABEL_TRANSLATE).click()
    body = page.locator("#article-body")
    expect(body).to_have_attribute("lang", "fr")
    links = body.locator("a")
    assert [links.nth(i).get_attribute("href") for i in range(links.count())] == HREFS
    first = body.locator("p").first
    expect(first).to_contain_text(FIX)
    assert sum(FIX in body.locator("p").nth(i).text_content() for i in range(body.locator("p").count())) == 1
    save_screenshot(page, "e2e-corrected-html-button.png")

    # DELETE restores the machine French byte for byte.
    status, _, _ = http("DELETE", f"{service.url}/v1/articles/cyclone-fix/translations/fr/segments/{unit['index']}",
                        headers=EDITOR)
    assert status == 200
    assert translation_from_the_api(service, "cyclone-fix")["body"] == machine["body"]
