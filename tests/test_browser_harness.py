"""The browser-test harness itself: it must see console errors and uncaught exceptions."""

from __future__ import annotations

from tests.browser import ARTIFACTS_DIR, save_screenshot


def test_console_errors_and_uncaught_exceptions_are_reported_unless_allowed(browser_page):
    page = browser_page.page
    page.set_content("<p>harness</p>")
    page.evaluate("console.error('expected failure 1'); console.error('surprise'); console.warn('just a warning')")
    page.evaluate("setTimeout(() => { throw new Error('boom'); }, 0)")
    page.evaluate("new Promise(resolve => setTimeout(resolve, 50))")
    browser_page.allow_console_error(r"^expected failure \d$")

    assert browser_page.unexpected_errors() == ["uncaught exception: boom", "console error: surprise"]
    assert browser_page.console("warning") == ["just a warning"]
    # Leave the page clean so this test's own teardown check passes.
    browser_page.page_errors.clear()
    browser_page.allow_console_error(r"^surprise$")


def test_screenshots_go_to_the_artifacts_directory(browser_page):
    browser_page.page.set_content("<h1>Screenshot</h1>")
    path = save_screenshot(browser_page.page, "harness-check.png")
    try:
        assert path == ARTIFACTS_DIR / "harness-check.png"
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    finally:
        path.unlink()
