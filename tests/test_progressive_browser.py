"""First paragraph first, in a real browser: the widget against the real service on a gated fake engine.

The service (the real Flask app, article service and pipeline, served over HTTP on its own origin)
translates with :class:`~tests.gated.GatedEngine`, which lets one engine call through per ``step()``:
the title and first paragraph, then the second paragraph, then the third. The widget on the news
site's page must show the French paragraphs as they arrive, one whole paragraph at a time, with a
"translating the rest" status, then everything, and "Read in English" must restore the exact page.
"""

from __future__ import annotations

import html

import pytest
from playwright.sync_api import expect

from tests.browser import save_screenshot
from tests.gated import GatedEngine
from tests.waiting import wait_until
from tests.test_widget_browser import site  # noqa: F401  (fixture)
from tests.wsgi_server import WsgiThreadServer
from translator.web import create_app
from translator.service.runtime import build_runtime

pytestmark = pytest.mark.slow

TITLE = "Council approves new cycle lanes for the city centre"
PARAGRAPHS = [
    "The city council voted on Tuesday to build twelve kilometres of protected cycle lanes.",
    "Work starts in March and should be finished before the end of next year.",
    "Shop owners asked for delivery bays to be kept during the works.",
]


def fr(text: str) -> str:
    return f"FR({text})"


@pytest.fixture
def gated_service(settings, site):
    engine = GatedEngine()
    services = build_runtime(settings.replace(cors_origins=(site.url,), demo=False), serving=True,
                        engine_factory=lambda settings, model: engine)
    server = WsgiThreadServer(create_app(runtime=services))
    yield engine, services, server.url
    engine.release()
    server.stop()
    services.close()


def article_page(service_url: str) -> str:
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in PARAGRAPHS)
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(TITLE)}</title><link rel="icon" href="data:,">
</head><body><article>
<h1 id="article-title">{html.escape(TITLE)}</h1>
<div id="article-body">
{body}
</div></article>
<script src="{service_url}/static/read-in-french.js" data-article-id="cycle-lanes" data-target="#article-body"
        data-title="#article-title" defer></script>
</body></html>"""


def snapshot(page) -> dict:
    return page.evaluate("""() => ({title: document.querySelector('#article-title').outerHTML,
                                   body: document.querySelector('#article-body').outerHTML})""")


def expect_paragraphs(page, texts: list[str]) -> None:
    """The body shows exactly ``texts``: each paragraph whole, in English or French, none twice."""
    expect(page.locator("#article-body > p")).to_have_text(texts)


def test_widget_shows_french_paragraphs_as_they_arrive_then_restores_exactly(browser_page, site, gated_service):
    engine, services, service_url = gated_service
    page = browser_page.page
    engine.hold()
    services.articles().put("cycle-lanes", title=TITLE, body="\n\n".join(PARAGRAPHS))
    page.goto(site.publish("article", article_page(service_url)))
    before = snapshot(page)
    page.evaluate("document.querySelectorAll('#article-body p').forEach((p, i) => { p.__original = i; })")
    status = page.get_by_role("status")

    page.get_by_role("button", name="Read in French").click()
    wait_until(lambda: len(engine.calls) == 1, what="the title and first paragraph to reach the engine")
    assert engine.calls == [[TITLE, PARAGRAPHS[0]]]
    expect(status).to_have_text("Translating\u2026")
    expect_paragraphs(page, PARAGRAPHS)

    engine.step()  # title and first paragraph done
    expect_paragraphs(page, [fr(PARAGRAPHS[0]), *PARAGRAPHS[1:]])
    expect(page.locator("#article-title")).to_have_text(fr(TITLE))
    expect(status).to_have_text("Translating the rest\u2026")
    expect(page.locator(".rif")).to_have_attribute("data-state", "partial")
    expect(page.locator("#article-body > p").first).to_have_attribute("lang", "fr")
    save_screenshot(page, "widget-progressive-first-paragraph.png")

    engine.step()  # second paragraph done
    expect_paragraphs(page, [fr(PARAGRAPHS[0]), fr(PARAGRAPHS[1]), PARAGRAPHS[2]])
    expect(status).to_have_text("Translating the rest\u2026")

    engine.step()  # the last one: the translation is stored and served whole
    expect_paragraphs(page, [fr(p) for p in PARAGRAPHS])
    expect(page.locator("#article-body")).to_have_attribute("lang", "fr")
    expect(status).to_have_text("")
    restore = page.get_by_role("button", name="Read in English")
    expect(restore).to_be_visible()
    assert engine.calls == [[TITLE, PARAGRAPHS[0]], [PARAGRAPHS[1]], [PARAGRAPHS[2]]]

    restore.click()
    expect(page.get_by_role("button", name="Read in French")).to_be_visible()
    assert snapshot(page) == before
    assert page.evaluate("[...document.querySelectorAll('#article-body p')].map(p => p.__original)") == [0, 1, 2]
