"""Browser tests: Playwright drives Debian's Chromium against the live test server."""

import json
import os
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs a loop
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
AXE_SOURCE = f"{AXE.read_text()}\n;undefined" if AXE.exists() else ""
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
            # Browser tests share one browser per worker: keep them on as few workers as the
            # run allows, and give them the database of a live server.
            item.add_marker(pytest.mark.django_db(transaction=True))


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=os.environ.get("CHROMIUM", "/usr/bin/chromium"), args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, locale="th-TH", viewport={"width": 390, "height": 844}
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


def axe_violations(page) -> list[dict]:
    # A click that navigates returns before the new document exists: wait for it to load.
    page.wait_for_load_state("load")
    # Evaluated through the DevTools protocol, not a <script> tag: the portal's CSP refuses
    # inline script, as it should.
    page.evaluate(AXE_SOURCE)
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
    ]


@pytest.fixture
def assert_accessible():
    def check(page):
        violations = axe_violations(page)
        assert violations == [], json.dumps(violations, ensure_ascii=False, indent=1)

    return check


@pytest.fixture
def switch_language():
    def switch(page, language: str):
        label = "English" if language == "en" else "ภาษาไทย"
        page.get_by_role("button", name=label).click()
        page.wait_for_load_state()
        assert page.locator("html").get_attribute("lang") == language

    return switch


@pytest.fixture
def solve_robot_check():
    """Tick the self-hosted "I am not a robot" box and wait for the proof of work."""

    def solve(page):
        widget = page.locator("altcha-widget")
        widget.locator("input[type=checkbox]").click(force=True)  # its tick icon covers it
        page.wait_for_function(
            "() => { const f = document.querySelector('input[name=robot]');"
            " return f && f.value && f.value.length > 20; }"
        )

    return solve
