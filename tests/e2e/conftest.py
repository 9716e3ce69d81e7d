"""Fixtures for the browser tests: one Chromium per session, a fresh context for each test.

The tests talk to pytest-django's `live_server`. Playwright's sync API runs an event loop in
the test thread, so Django's guard against ORM calls from async code has to be relaxed for
the tests to create their data with the ORM.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Generator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.browser import CHROMIUM, launch_chromium

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

E2E_DIR = Path(__file__).resolve().parent
# Screenshots of failed tests land here (ignored by git) so a red run can be looked at.
FAILURE_DIR = E2E_DIR.parent.parent / "test-results"
DEFAULT_TIMEOUT_MS = 20_000  # generous: CI shares two cores with the live server and PostgreSQL

try:
    from playwright.sync_api import expect

    # Assertions wait on their own clock (5 s by default), separate from the page's.
    expect.set_options(timeout=DEFAULT_TIMEOUT_MS)
except ImportError:  # the browser tests skip themselves without Playwright
    pass


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if E2E_DIR in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.slow)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def browser() -> Generator[Any, None, None]:
    if not CHROMIUM.exists():
        pytest.skip(f"no Chromium at {CHROMIUM}; install it with `make browser`")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Any, request: pytest.FixtureRequest) -> Generator[Any, None, None]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    page = context.new_page()
    yield page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        FAILURE_DIR.mkdir(exist_ok=True)
        name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.nodeid)
        page.screenshot(path=str(FAILURE_DIR / f"{name}.png"), full_page=True)
    context.close()


@pytest.fixture
def sign_in(live_server: Any) -> Callable[[Any, str, str], None]:
    """Sign in through the login form, the way a person does."""

    def sign_in(page: Any, email: str, password: str) -> None:
        from playwright.sync_api import expect

        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("E-mail").fill(email)
        page.get_by_label("Password").fill(password)
        page.locator("main").get_by_role("button", name="Sign in").click()
        expect(page.locator("#user-menu")).to_be_visible()

    return sign_in
