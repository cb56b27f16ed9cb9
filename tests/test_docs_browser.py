"""/docs in Chromium against the real ``translator serve``: Swagger UI renders the served document from
assets of this server only (every request the page makes is recorded), runs under the page's CSP with no
console error, renders Markdown descriptions, and "Try it out" reaches the same server."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.browser import save_screenshot
from tests.web.test_serve import service_env, start_serve

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def docs_server(tiny_model_dir, tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("docs")
    running = start_serve(service_env(tmp_path, TRANSLATOR_MODEL=str(tiny_model_dir), TRANSLATOR_DEMO="off"),
                          tmp_path / "serve.log")
    yield running
    running.stop()


def test_swagger_ui_loads_offline_from_this_server_and_try_it_out_works(docs_server, browser_page):
    page = browser_page.page
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(f"{docs_server.url}/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("translator")
    # Markdown in descriptions is rendered: backticks become <code>, not literal backticks.
    description = page.locator(".swagger-ui .info .description")
    expect(description.locator("code").first).to_be_visible()
    assert "`" not in description.inner_text()

    operation = page.locator("#operations-translate-listLanguages")
    operation.locator(".opblock-summary").click()
    operation.get_by_role("button", name="Try it out").click()
    operation.get_by_role("button", name="Execute").click()
    expect(operation.locator(".live-responses-table tbody .response-col_status").first).to_have_text("200")
    expect(operation.locator(".live-responses-table .highlight-code").first).to_contain_text('"en"')
    save_screenshot(page, "docs-swagger-ui.png")

    origin = urlsplit(docs_server.url)
    others = [url for url in requested if not url.startswith("data:") and urlsplit(url).netloc != origin.netloc]
    assert others == [], others
    assert f"{docs_server.url}/openapi.json" in requested
    assert f"{docs_server.url}/v1/languages" in requested  # Try it out called this very server
