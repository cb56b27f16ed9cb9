"""Browser-test harness: Debian's headless Chromium driven by Playwright for Python.

Playwright's own browser download cannot work on these machines, so the tests drive the system
``/usr/bin/chromium`` (packages ``chromium`` and ``chromium-driver``; ``.ci/run`` installs them).
A missing browser FAILS the tests with a clear message: nothing is skipped silently.

tests/conftest.py registers this module as a plugin (``pytest_plugins``), so every test module can
use the fixtures; the session shares one browser.

``browser_page`` gives a :class:`WatchedPage`: a fresh tab whose console errors and uncaught
exceptions fail the test unless the test declared them expected with ``allow_console_error``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

__all__ = ["ARTIFACTS_DIR", "CHROMIUM_ARGS", "CHROMIUM_EXECUTABLE", "WatchedPage", "browser_page", "chromium",
           "save_screenshot"]

CHROMIUM_EXECUTABLE = Path("/usr/bin/chromium")
# The flags the project runs Chromium with (Playwright adds a fresh temporary --user-data-dir).
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
ARTIFACTS_DIR = Path(__file__).resolve().parent.parent / "test-artifacts"
# Generous: two shared cores, and a browser starting next to other test processes.
DEFAULT_TIMEOUT_MS = 15_000


@dataclass
class WatchedPage:
    """A browser tab plus everything it logged; console errors and page errors fail the test."""

    page: object  # playwright.sync_api.Page
    messages: list[tuple[str, str]] = field(default_factory=list)  # (console type, text), in order
    page_errors: list[str] = field(default_factory=list)
    allowed_errors: list[re.Pattern] = field(default_factory=list)

    def allow_console_error(self, pattern: str) -> None:
        """Declare that console errors matching the regex ``pattern`` are expected in this test."""
        self.allowed_errors.append(re.compile(pattern))

    def console(self, kind: str) -> list[str]:
        """Texts of the console messages of one type ("error", "warning", "log", ...)."""
        return [text for message_kind, text in self.messages if message_kind == kind]

    def unexpected_errors(self) -> list[str]:
        """Uncaught exceptions and console errors not declared with ``allow_console_error``."""
        errors = [f"uncaught exception: {error}" for error in self.page_errors]
        errors += [f"console error: {text}" for text in self.console("error")
                   if not any(pattern.search(text) for pattern in self.allowed_errors)]
        return errors


@pytest.fixture(scope="session")
def chromium() -> Iterator[object]:
    """One headless Chromium for the session (a playwright.sync_api.Browser).

    Playwright starts it on a fresh temporary profile (it passes ``--user-data-dir`` itself and refuses
    that flag in ``args``) and deletes the profile on close.
    """
    if not CHROMIUM_EXECUTABLE.exists():
        pytest.fail(f"Chromium is not installed at {CHROMIUM_EXECUTABLE}: browser tests need Debian's chromium "
                    "(sudo apt-get install -y chromium chromium-driver; .ci/run installs it).", pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM_EXECUTABLE), headless=True,
                                             args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def browser_page(chromium) -> Iterator[WatchedPage]:
    """A tab in a new browser context (own cookies, cache and clock); the test fails if the page
    logged a console error or threw, unless the test declared that error expected."""
    from playwright.sync_api import expect

    expect.set_options(timeout=DEFAULT_TIMEOUT_MS)
    context = chromium.new_context(viewport={"width": 1000, "height": 800})
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    page = context.new_page()
    watched = WatchedPage(page)
    page.on("console", lambda message: watched.messages.append((message.type, message.text)))
    page.on("pageerror", lambda error: watched.page_errors.append(str(error)))
    page.on("crash", lambda _page: watched.page_errors.append("the page crashed"))
    try:
        yield watched
        if not page.is_closed():
            page.evaluate("0")  # a round trip, so every console event sent before it has arrived
    finally:
        context.close()
    errors = watched.unexpected_errors()
    if errors:
        pytest.fail("the browser reported errors:\n  " + "\n  ".join(errors), pytrace=False)


def save_screenshot(page, name: str) -> Path:
    """Save a full-page PNG screenshot as ``test-artifacts/<name>`` (git-ignored) and return its path."""
    ARTIFACTS_DIR.mkdir(exist_ok=True)
    path = ARTIFACTS_DIR / name
    page.screenshot(path=str(path), full_page=True)
    return path
