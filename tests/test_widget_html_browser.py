"""The "Read in French" button on an HTML article, in headless Chromium.

The French comes from the real HTML path (:class:`HtmlTranslator` on a deterministic fake engine that
upper-cases words), served by the scripted service of ``test_widget_browser`` in the shape of the
translations endpoint (``"format": "html"``, French blocks, English block texts).
"""

from __future__ import annotations

from playwright.sync_api import expect

from tests.aligning_fakes import WordEngine, shout
from tests.browser import save_screenshot
from tests.test_widget_browser import (LABEL_RESTORE, LABEL_TRANSLATE, Reply, article_page, service, site,  # noqa: F401
                                       snapshot, widget_tag)
from translator.html import HtmlTranslator
from translator.html.documents import source_block_texts
from translator.pipeline.translator import Translator

TITLE = "Cyclone Belal nears the island"
STORED_BODY = """
<p>The cyclone is <strong>moving fast</strong> towards the east coast, according to
  <a href="https://www.reuters.com/world/cyclone">Reuters</a>.</p>
<h2>Schools and flights</h2>
<ul>
  <li>Schools are <em>closed</em> on Monday.</li>
  <li>Flights are <a href="/flights" target="_blank">cancelled</a> until further notice.</li>
</ul>
<figure><img src="data:," alt="A map of the storm"><figcaption>The storm seen from space on Sunday</figcaption></figure>
<p>Read the <a href="https://meteo.example.mu/bulletin">latest bulletin</a> from the weather service.</p>
"""
# The page as the site serves it: an ad and a script the stored article does not have.
PAGE_BODY = STORED_BODY.replace(
    "<h2>Schools and flights</h2>",
    '<div class="ad"><p>Advertisement: holidays in the sun at low prices</p></div>\n<h2>Schools and flights</h2>'
) + "<script>window.__siteScript = (window.__siteScript || 0) + 1;</script>"


def html_translation(body: str = STORED_BODY, title: str = TITLE, **changes) -> Reply:
    """The service's answer for an HTML article, made by the real HTML translator on a fake engine."""
    result = HtmlTranslator(Translator(WordEngine(shout))).translate_articles([(title, body)])[0]
    document = {
        "id": "html-1", "version": 1, "lang": "fr", "title": result.title.text, "body": result.body.text,
        "paragraphs": result.body.paragraphs, "model": "words", "glossary_version": "0",
        "translated_at": "2030-01-01T00:00:00Z", "glossary": {"applied": [], "missed": []},
        "segments": result.body.counts, "format": "html", "source_blocks": source_block_texts(body),
    }
    document.update(changes)
    return Reply(200, document)


LINKS = "[...document.querySelectorAll('#article-body a')].map(a => [a.getAttribute('href'), a.textContent])"


def test_html_article_blocks_are_swapped_with_links_and_markup_and_restored_exactly(browser_page, site, service):
    page = browser_page.page
    service.script("html-1", html_translation())
    page.goto(site.publish("html", article_page(body=PAGE_BODY, title=TITLE,
                                                end=widget_tag(service, "html-1"))))
    before = snapshot(page)
    links_before = page.evaluate(LINKS)
    page.evaluate("document.querySelectorAll('#article-body *').forEach((e, i) => { e.__original = i; })")
    marks_before = page.evaluate("[...document.querySelectorAll('#article-body *')].map(e => e.__original)")

    page.get_by_role("button", name=LABEL_TRANSLATE).click()
    body = page.locator("#article-body")
    expect(body).to_have_attribute("lang", "fr")
    expect(page.locator("#article-title")).to_have_text(TITLE.upper())
    assert [href for href, _ in page.evaluate(LINKS)] == [href for href, _ in links_before]
    assert [text for _, text in page.evaluate(LINKS)] == ["REUTERS", "CANCELLED", "LATEST BULLETIN"]
    expect(body.locator("h2")).to_have_text("SCHOOLS AND FLIGHTS")
    expect(body.locator("figcaption")).to_have_text("THE STORM SEEN FROM SPACE ON SUNDAY")
    expect(body.locator("img")).to_have_attribute("alt", "A map of the storm")  # outside every block: kept
    expect(body.locator("li em")).to_have_text("CLOSED")
    expect(body.locator("p strong")).to_have_text("MOVING FAST")
    assert body.locator("a[target]").get_attribute("rel") == "noopener noreferrer"
    # The ad is not in the stored article: untouched, in English, the very same node.
    expect(body.locator(".ad p")).to_have_text("Advertisement: holidays in the sun at low prices")
    assert page.evaluate("document.querySelector('.ad p').__original") is not None
    assert page.evaluate("window.__siteScript") == 1  # the site's own script is neither removed nor run again
    save_screenshot(page, "widget-html-translated.png")

    page.get_by_role("button", name=LABEL_RESTORE).click()
    expect(page.get_by_role("button", name=LABEL_TRANSLATE)).to_be_visible()
    assert snapshot(page) == before
    assert page.evaluate("[...document.querySelectorAll('#article-body *')].map(e => e.__original)") == marks_before


def test_blocks_the_page_lacks_or_adds_never_shift_the_french(browser_page, site, service):
    page = browser_page.page
    service.script("html-1", html_translation())
    # The page lost the first paragraph and has a paragraph of its own before the last one.
    first_paragraph = STORED_BODY[:STORED_BODY.index("<h2>")]
    page_body = STORED_BODY.replace(first_paragraph, "\n").replace(
        "<p>Read the", "<p>Subscribe to our newsletter for daily news.</p>\n<p>Read the")
    page.goto(site.publish("html", article_page(body=page_body, title=TITLE, end=widget_tag(service, "html-1"))))
    page.get_by_role("button", name=LABEL_TRANSLATE).click()
    expect(page.locator("#article-body")).to_have_attribute("lang", "fr")
    assert page.locator("#article-body p").all_text_contents() == [
        "Subscribe to our newsletter for daily news.", "READ THE LATEST BULLETIN FROM THE WEATHER SERVICE."]
    expect(page.locator("#article-body h2")).to_have_text("SCHOOLS AND FLIGHTS")


def test_markup_the_service_should_never_send_is_still_not_run_by_the_button(browser_page, site, service):
    page = browser_page.page
    hostile = ['<p>THE CYCLONE <img src="data:,x" onerror="window.__xss = 1"><a href="javascript:window.__xss=2">A</a>'
               '<script>window.__xss = 3</script><svg onload="window.__xss=4"></svg></p>']
    service.script("html-1", html_translation(body="<p>The cyclone is here.</p>", paragraphs=hostile))
    page.goto(site.publish("html", article_page(body="<p>The cyclone is here.</p>", title=TITLE,
                                                end=widget_tag(service, "html-1"))))
    page.get_by_role("button", name=LABEL_TRANSLATE).click()
    expect(page.locator("#article-body")).to_have_attribute("lang", "fr")
    expect(page.locator("#article-body p")).to_contain_text("THE CYCLONE")
    page.wait_for_timeout(100)
    assert page.evaluate("window.__xss") is None
    assert page.evaluate("document.querySelector('#article-body').innerHTML.trim()") == (
        '<p>THE CYCLONE <img><a>A</a></p>')


def test_an_answer_with_loose_text_blocks_still_swaps_every_block_element(browser_page, site, service):
    """The answer lists runs of loose text as blocks of their own (issue 24); the button swaps the block
    elements around them and leaves the loose text as the page has it (it has no element to swap)."""
    page = browser_page.page
    stored = "Lead words of the story.<p>The cyclone is <strong>moving fast</strong>.</p>Closing words here."
    answer = html_translation(body=stored)
    assert len(answer.json["paragraphs"]) == len(answer.json["source_blocks"]) == 3
    service.script("html-1", answer)
    page.goto(site.publish("html", article_page(body=stored, title=TITLE, end=widget_tag(service, "html-1"))))
    page.get_by_role("button", name=LABEL_TRANSLATE).click()
    body = page.locator("#article-body")
    expect(body).to_have_attribute("lang", "fr")
    expect(body.locator("p strong")).to_contain_text("MOVING FAST")
    expect(body.locator("p")).to_have_text("THE CYCLONE IS MOVING FAST.")
