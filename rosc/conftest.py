"""Browser fixtures: one headless Chromium per session, a fresh context per test, axe-core.

The personas live in the top-level conftest.py; this file only drives the browser. Tests that use
it carry ``@pytest.mark.browser`` and the ``live_server`` fixture.
"""

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, NoReturn

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, ConsoleMessage, Page, ViewportSize, sync_playwright
from playwright.sync_api import Error as PlaywrightError

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]
DESKTOP: ViewportSize = {"width": 1280, "height": 900}
PHONE: ViewportSize = {"width": 360, "height": 740}
# axe-core rule tags: WCAG 2.0, 2.1 and 2.2, levels A and AA.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
BLOCKING_IMPACTS = frozenset({"serious", "critical"})
AXE = Axe()


def _is_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"true", "1"}


def _missing_browser(reason: str) -> NoReturn:
    if _is_ci():
        pytest.fail(f"{reason} (CI=true: a missing browser is a failure)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def chromium() -> Iterator[Browser]:
    """Debian's Chromium, launched once per session. Never `playwright install`."""
    path = os.environ.get("ROSC_CHROMIUM", "/usr/bin/chromium")
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        _missing_browser(f"Chromium not found at {path}: apt-get install chromium")
    # From here on Playwright's sync API keeps an asyncio loop marked as running in the test
    # thread, and Django would refuse ORM calls from test bodies (SynchronousOnlyOperation).
    # Django reads this variable at each call; it is set only once a browser starts, so runs
    # without browser tests keep Django's check. The app itself is synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        try:
            browser = playwright.chromium.launch(
                executable_path=path, headless=True, args=CHROMIUM_ARGS
            )
        except PlaywrightError as exc:
            _missing_browser(f"Chromium at {path} did not start: {exc.message.splitlines()[0]}")
        yield browser
        browser.close()


@dataclass
class PageWatch:
    """What a page said in its console: CSP refusals and uncaught script errors."""

    csp: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def on_console(self, message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            self.csp.append(f"{message.text} (at {message.location.get('url', '?')})")

    def on_page_error(self, error: PlaywrightError) -> None:
        self.errors.append(str(error))

    def problems(self) -> list[str]:
        return [f"CSP: {m}" for m in self.csp] + [f"script error: {m}" for m in self.errors]

    def clear(self) -> None:
        self.csp.clear()
        self.errors.clear()


_WATCHES: dict[int, PageWatch] = {}


def page_watch(page: Page) -> PageWatch:
    """The console watch of a page opened by these fixtures."""
    return _WATCHES[id(page)]


def assert_console_clean(page: Page) -> None:
    """No Content-Security-Policy refusal and no uncaught script error so far on this page."""
    problems = page_watch(page).problems()
    assert not problems, "The browser console reported:\n" + "\n".join(problems)


@pytest.fixture
def open_page(chromium: Browser) -> Iterator[Callable[..., Page]]:
    """open_page(viewport=..., **context_options) -> a page in a fresh browser context."""
    opened: list[tuple[Any, Page]] = []

    def _open(viewport: ViewportSize | None = None, **options: Any) -> Page:
        context = chromium.new_context(viewport=viewport or DESKTOP, **options)
        context.set_default_timeout(10_000)
        page = context.new_page()
        watch = PageWatch()
        page.on("console", watch.on_console)
        page.on("pageerror", watch.on_page_error)
        _WATCHES[id(page)] = watch
        opened.append((context, page))
        return page

    yield _open
    problems: list[str] = []
    for context, page in opened:
        problems += _WATCHES.pop(id(page)).problems()
        context.close()
    assert not problems, "The browser console reported:\n" + "\n".join(problems)


@pytest.fixture
def page(open_page: Callable[..., Page]) -> Page:
    """A desktop-sized page in a fresh context."""
    return open_page()


@pytest.fixture
def phone_page(open_page: Callable[..., Page]) -> Page:
    """A page as a small phone shows it: 360x740 CSS pixels, touch, mobile viewport rules."""
    return open_page(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)


def _describe(violation: dict[str, Any]) -> str:
    targets = []
    for node in violation.get("nodes", []):
        target = " >>> ".join(str(t) for t in node.get("target", []))
        summary = (node.get("failureSummary") or "").replace("\n", " ").strip()
        targets.append(f"    - {target}" + (f": {summary}" if summary else ""))
    return (
        f"  {violation['id']} ({violation.get('impact')}): {violation.get('help')}\n"
        f"    {violation.get('helpUrl', '')}\n" + "\n".join(targets)
    )


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """Every WCAG 2.x A/AA violation axe-core finds on the page as it is now."""
    results = AXE.run(
        page,
        options={
            "runOnly": {"type": "tag", "values": WCAG_TAGS},
            "resultTypes": ["violations"],
        },
    )
    violations: list[dict[str, Any]] = results.response["violations"]
    return violations


def assert_accessible(page: Page) -> None:
    """Fail on every serious or critical WCAG 2.0/2.1/2.2 A and AA violation, and on CSP refusals.

    axe is injected with page.evaluate: that runs through the DevTools protocol, which the page's
    Content-Security-Policy does not govern, so no CSP bypass is needed.
    """
    blocking = [v for v in axe_violations(page) if v.get("impact") in BLOCKING_IMPACTS]
    assert not blocking, (
        f"axe-core found {len(blocking)} serious or critical problem(s) on {page.url}:\n"
        + "\n".join(_describe(v) for v in blocking)
    )
    assert_console_clean(page)
