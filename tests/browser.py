"""Browser tests: Debian's chromium driven by Playwright against pytest-django's live server.

One browser for the whole test session, registered by tests/conftest.py: Playwright's sync
API runs one instance per process, so no folder opens a browser of its own."""

from __future__ import annotations

import os
from collections.abc import Collection
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ROOT = Path(__file__).resolve().parents[1]
# CI runs the suite on SQLite and PostgreSQL at once, each into a folder of its own.
ARTIFACTS = ROOT / os.environ.get("BACKBONE_TEST_ARTIFACTS", "test-artifacts")

# Playwright's sync API runs an event loop in the test thread; the ORM calls made by the
# test itself (arranging data) are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def _axe_source() -> Path:
    """axe-core from the npm registry (package.json); else the copy its PyPI wrapper bundles."""
    npm_copy = ROOT / "node_modules" / "axe-core" / "axe.min.js"
    if npm_copy.exists():
        return npm_copy
    import axe_playwright_python

    return Path(axe_playwright_python.__file__).parent / "axe.min.js"


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    # bypass_csp lets the test inject axe-core; the app's own pages never need it.
    context = browser.new_context(
        base_url=live_server.url, bypass_csp=True, viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def sign_in(page, email: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("networkidle")


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def accessibility_violations(page) -> list[dict]:
    """Run axe-core on the page; every violation, whatever its impact."""
    page.add_script_tag(path=str(_axe_source()))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"]][:5],
        }
        for v in result["violations"]
    ]


def serious_accessibility_violations(page, also: Collection[str] = ()) -> list[dict]:
    """Violations of serious or critical impact, and those of the rules named in `also`
    whatever their impact."""
    return [
        v
        for v in accessibility_violations(page)
        if v["impact"] in {"serious", "critical"} or v["id"] in also
    ]
