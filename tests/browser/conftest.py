"""Browser tests: Playwright drives Debian's chromium (never a downloaded browser)
against a live Groundswell server, with a real SMTP server for the emails."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]

# Playwright's sync API runs an event loop in this thread; the test still talks to the
# database synchronously between browser steps, which is safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


# The one browser of the session. Tests outside tests/browser import this fixture, which
# makes pytest hold a second definition of it; a second sync_playwright() in the same
# thread fails ("Sync API inside the asyncio loop"), so every definition shares this one
# and only the one that started it stops it.
_SHARED: dict[str, Any] = {}


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if "browser" in _SHARED:
        yield _SHARED["browser"]
        return
    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        _SHARED["browser"] = browser
        try:
            yield browser
        finally:
            _SHARED.pop("browser", None)
            browser.close()


@pytest.fixture
def site(live_server: Any, settings: Any, mailbox: Any) -> Any:
    """The live server, with its links and its email pointing where the test listens."""
    settings.BASE_URL = live_server.url
    settings.ALLOWED_HOSTS = ["*"]
    # A test fills a form in milliseconds; the minimum fill time has tests of its own.
    settings.SIGN_MIN_FILL_SECONDS = 0
    return live_server


def new_page(browser: Any, *, locale: str = "en-US", width: int = 1280) -> Any:
    context = browser.new_context(
        locale=locale,
        viewport={"width": width, "height": 800},
        extra_http_headers={"Accept-Language": locale},
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    return page


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    page = new_page(browser)
    yield page
    page.context.close()


@pytest.fixture
def phone(browser: Any) -> Iterator[Any]:
    """A 360-px-wide phone screen."""
    page = new_page(browser, width=360)
    yield page
    page.context.close()


def assert_accessible(page: Any) -> None:
    """axe-core finds no serious or critical violation on the page as it stands."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    bad = [
        f"{v['id']} ({v['impact']}): {v['help']} at "
        + ", ".join(str(n["target"]) for n in v["nodes"][:3])
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert not bad, f"axe-core on {page.url}:\n" + "\n".join(bad)


def assert_fits(page: Any) -> None:
    """Nothing overflows sideways on a narrow screen."""
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px"
