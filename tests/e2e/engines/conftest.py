"""The browsers people use besides Chromium (SSO-08): Debian's Firefox ESR, driven through
WebDriver BiDi, and WebKitGTK (Safari's engine), driven through its WebKitWebDriver.

Each engine is started once per test process and shared by its tests; each test gets a clean
page (Firefox: a new user context, with its own cookies; WebKitGTK: the other windows closed
and the cookies deleted). The tests of one engine are kept on one pytest-xdist worker
(`xdist_group`, run with `--dist loadgroup`). A missing browser fails the tests, it never skips
them: `make test` installs them (scripts/install-browser-deps).
"""

import contextlib
import os
import shutil
import subprocess

import pytest
from selenium import webdriver
from selenium.webdriver.webkitgtk.options import Options as WebKitGTKOptions
from selenium.webdriver.webkitgtk.service import Service as WebKitGTKService

from tests.e2e.engines.bidi import Firefox
from tests.e2e.engines.pages import BidiPage, WebDriverPage

FIREFOX = os.environ.get("FIREFOX", "/usr/bin/firefox-esr")
WEBKIT_WEBDRIVER = os.environ.get("WEBKIT_WEBDRIVER", "/usr/bin/WebKitWebDriver")
XVFB = os.environ.get("XVFB", "/usr/bin/Xvfb")
# Firefox as on a desktop; WebKit in a phone-sized window, as Safari on a phone (SSO-08: desktop
# and phone; the Chromium tests run at a phone's width too). MiniBrowser's window is no
# narrower than about 450 px, still under the portal's phone layout (40rem).
DESKTOP = (1280, 900)
PHONE = (390, 844)
PHONE_LAYOUT_BELOW = 640

ENGINES = [
    pytest.param("firefox", marks=pytest.mark.xdist_group("firefox")),
    pytest.param("webkit", marks=pytest.mark.xdist_group("webkit")),
]


def installed(path: str, what: str) -> str:
    found = shutil.which(path)
    assert found, f"{what} is not installed ({path}): scripts/install-browser-deps installs it"
    return found


@contextlib.contextmanager
def virtual_display():
    """An Xvfb display of its own: WebKitGTK 2.50's MiniBrowser has no headless mode."""
    read_end, write_end = os.pipe()
    # Xvfb picks a free display number and writes it to the pipe once it accepts clients.
    xvfb = subprocess.Popen(
        [
            installed(XVFB, "Xvfb"),
            "-displayfd",
            str(write_end),
            "-nolisten",
            "tcp",
            "-screen",
            "0",
            "1280x1024x24",
        ],
        pass_fds=(write_end,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write_end)
    with os.fdopen(read_end) as announced:
        display = announced.readline().strip()
    assert display, "Xvfb did not start"
    try:
        yield f":{display}"
    finally:
        xvfb.terminate()
        xvfb.wait(timeout=10)


@contextlib.contextmanager
def webkitgtk(display: str):
    environment = {**os.environ, "DISPLAY": display, "LANGUAGE": "th_TH", "LC_ALL": "C.UTF-8"}
    service = WebKitGTKService(
        executable_path=installed(WEBKIT_WEBDRIVER, "WebKitWebDriver (webkit2gtk-driver)"),
        env=environment,
        log_output=subprocess.DEVNULL,
    )
    driver = webdriver.WebKitGTK(service=service, options=WebKitGTKOptions())
    try:
        driver.set_window_size(*PHONE)
        width = driver.execute_script("return innerWidth")
        assert width < PHONE_LAYOUT_BELOW, f"WebKit's window is {width} px wide, not a phone's"
        yield driver
    finally:
        driver.quit()


@pytest.fixture(scope="session")
def firefox_browser():
    firefox = Firefox(installed(FIREFOX, "Firefox ESR (firefox-esr)"))
    yield firefox
    firefox.close()


@pytest.fixture(scope="session")
def webkit_browser():
    with virtual_display() as display, webkitgtk(display) as driver:
        yield driver


@pytest.fixture(params=ENGINES)
def engine(request):
    """The running browser of the engine the test is parametrised with. Each engine is a
    session fixture of its own, not a parametrised one: in a shuffled order (pytest-randomly)
    a parametrised one would be stopped and started again at every change of engine."""
    return request.getfixturevalue(f"{request.param}_browser")


@pytest.fixture
def engine_page(engine, live_server):
    """A clean page of the shared browser, at the live server."""
    if isinstance(engine, Firefox):
        user_context = engine.command("browser.createUserContext")["userContext"]
        tab = engine.command("browsingContext.create", type="tab", userContext=user_context)
        engine.command(
            "browsingContext.setViewport",
            context=tab["context"],
            viewport={"width": DESKTOP[0], "height": DESKTOP[1]},
        )
        yield BidiPage(engine, tab["context"], live_server.url)
        # Closes its tabs and forgets its cookies.
        engine.command("browser.removeUserContext", userContext=user_context)
    else:
        page = WebDriverPage(engine, live_server.url)
        yield page
        for handle in engine.window_handles:
            if handle != page.handle:
                engine.switch_to.window(handle)
                engine.close()
        engine.switch_to.window(page.handle)
        # WebDriver deletes the cookies of the current document's site: the live server's.
        if not page.url().startswith(live_server.url):
            page.goto("/")
        engine.delete_all_cookies()
