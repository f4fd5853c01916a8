"""One small page interface over two ways of driving a browser, so that the same journey code
runs in Firefox (WebDriver BiDi, tests/e2e/engines/bidi.py) and in WebKitGTK (WebDriver
classic through Selenium and WebKitWebDriver).

Elements are named by a CSS selector, optionally narrowed to those whose text contains a
string. Shadow roots are searched too (the robot check is a web component). Clicks and typing
are real input events from the browser's automation, not JavaScript `click()`: a control that
a person could not reach fails the test.
"""

import abc
import re
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

from selenium.common.exceptions import StaleElementReferenceException, WebDriverException

from tests.e2e.engines.bidi import BidiError, Firefox

TIMEOUT = 15
AXE = Path(__file__).resolve().parents[3] / "node_modules" / "axe-core" / "axe.min.js"

# Every element matching `selector` (in the document and in open shadow roots) whose text
# contains `text`.
FIND = """(selector, text) => {
  const roots = [document], found = [];
  while (roots.length) {
    const root = roots.shift();
    for (const element of root.querySelectorAll(selector)) found.push(element);
    for (const element of root.querySelectorAll('*'))
      if (element.shadowRoot) roots.push(element.shadowRoot);
  }
  return found.filter((element) => !text || element.textContent.includes(text));
}"""
IS_VISIBLE = """(element) => {
  const style = getComputedStyle(element);
  return element.getClientRects().length > 0 && style.visibility !== 'hidden';
}"""


class JourneyTimeout(AssertionError):
    pass


def wait_until(condition: Callable[[], object], what: str, timeout: float = TIMEOUT):
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            raise JourneyTimeout(f"waited {timeout}s for {what}")
        time.sleep(0.05)


def url_matches(url: str, pattern: str | re.Pattern) -> bool:
    if isinstance(pattern, re.Pattern):
        return bool(pattern.fullmatch(url))
    # A path, looked for in the address's path only: the login page's address carries the
    # page it leads to in its query (?next=/oidc/authorize/...), which matched at once and let
    # axe-core start on a page the login's navigation then took away (its run never ended).
    return pattern in urlsplit(url).path


class EnginePage(abc.ABC):
    """What a journey may do with a page. Paths are relative to the live server."""

    engine: str

    @abc.abstractmethod
    def goto(self, path: str) -> None: ...

    @abc.abstractmethod
    def url(self) -> str: ...

    @abc.abstractmethod
    def call(self, function: str, *args):
        """Run a JavaScript function in the page with `args` and return what it returns."""
        ...

    @abc.abstractmethod
    def click(self, selector: str, text: str | None = None) -> None: ...

    @abc.abstractmethod
    def fill(self, selector: str, value: str) -> None: ...

    @abc.abstractmethod
    def reload(self) -> None: ...

    @abc.abstractmethod
    def load_script(self, source: str) -> None:
        """Run a script's source in the page, as the browser's tools do: no <script> element,
        so the portal's CSP, which refuses inline script, stays as it is."""
        ...

    @abc.abstractmethod
    def click_to_open_tab(self, selector: str) -> "EnginePage":
        """Click a link that opens a new tab, and return that tab once it has loaded."""
        ...

    # Built on the above, the same for every engine.

    def count(self, selector: str, text: str | None = None) -> int:
        return self.call(f"(s, t) => ({FIND})(s, t).length", selector, text)

    def is_visible(self, selector: str, text: str | None = None) -> bool:
        return self.call(
            f"(s, t) => ({FIND})(s, t).some({IS_VISIBLE})",
            selector,
            text,
        )

    def axe_violations(self) -> list[dict]:
        """axe-core's violations on the page, as the Chromium tests' `assert_accessible`."""
        if not self.call("() => typeof axe === 'object'"):
            self.load_script(AXE.read_text())
        return self.call(
            """async () => (await axe.run(document, {resultTypes: ['violations']})).violations
              .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 5).map((n) => n.target)}`)"""
        )

    def text(self, selector: str) -> str:
        self.wait_for(selector)
        return self.call(f"(s) => ({FIND})(s, null)[0].innerText.trim()", selector)

    def wait_for(self, selector: str, text: str | None = None) -> None:
        wait_until(lambda: self.is_visible(selector, text), f"{selector} {text or ''}")

    def wait_for_condition(self, function: str, what: str) -> None:
        wait_until(lambda: self._settled_call(function), what)

    def wait_for_url(self, pattern: str | re.Pattern) -> None:
        wait_until(lambda: url_matches(self.url(), pattern), f"the address {pattern}")
        self.wait_for_condition("() => document.readyState === 'complete'", "the page to load")

    def _settled_call(self, function: str):
        # During a navigation the old document goes away under the script: ask again.
        try:
            return self.call(function)
        except (BidiError, WebDriverException):
            return None


class BidiPage(EnginePage):
    """A tab of Firefox, driven through WebDriver BiDi."""

    engine = "firefox"

    def __init__(self, firefox: Firefox, context: str, base_url: str):
        self.firefox = firefox
        self.context = context
        self.base_url = base_url

    def goto(self, path: str) -> None:
        self.firefox.command(
            "browsingContext.navigate",
            context=self.context,
            url=self.base_url + path,
            wait="complete",
        )

    def url(self) -> str:
        tree = self.firefox.command("browsingContext.getTree", root=self.context, maxDepth=0)
        return tree["contexts"][0]["url"]

    def call(self, function: str, *args):
        result = self._call(function, *args)
        if result["type"] == "exception":
            raise BidiError(result["exceptionDetails"]["text"])
        return _deserialize(result["result"])

    def _call(self, function: str, *args, ownership: str = "none") -> dict:
        return self.firefox.command(
            "script.callFunction",
            functionDeclaration=function,
            arguments=[_serialize(arg) for arg in args],
            target={"context": self.context},
            awaitPromise=True,
            resultOwnership=ownership,
            serializationOptions={"maxDomDepth": 0},
        )

    def _element(self, selector: str, text: str | None = None) -> dict:
        """The first matching element that is visible, scrolled into the middle of the view."""
        self.wait_for(selector, text)
        result = self._call(
            f"""(s, t) => {{
              const element = ({FIND})(s, t).find({IS_VISIBLE});
              element.scrollIntoView({{block: 'center', inline: 'center'}});
              return element;
            }}""",
            selector,
            text,
        )
        if result["type"] == "exception":
            raise BidiError(result["exceptionDetails"]["text"])
        return {"sharedId": result["result"]["sharedId"]}

    def click(self, selector: str, text: str | None = None) -> None:
        element = self._element(selector, text)
        self.firefox.command(
            "input.performActions",
            context=self.context,
            actions=[
                {
                    "type": "pointer",
                    "id": "mouse",
                    "parameters": {"pointerType": "mouse"},
                    "actions": [
                        {
                            "type": "pointerMove",
                            "x": 0,
                            "y": 0,
                            "origin": {"type": "element", "element": element},
                        },
                        {"type": "pointerDown", "button": 0},
                        {"type": "pointerUp", "button": 0},
                    ],
                }
            ],
        )

    def fill(self, selector: str, value: str) -> None:
        self.click(selector)
        self.call(f"(s) => {{ ({FIND})(s, null)[0].value = ''; }}", selector)
        keys = []
        for character in value:
            keys += [{"type": "keyDown", "value": character}, {"type": "keyUp", "value": character}]
        self.firefox.command(
            "input.performActions",
            context=self.context,
            actions=[{"type": "key", "id": "keyboard", "actions": keys}],
        )
        typed = self.call(f"(s) => ({FIND})(s, null)[0].value", selector)
        assert typed == value, f"typed {value!r} into {selector}, it holds {typed!r}"

    def reload(self) -> None:
        self.firefox.command("browsingContext.reload", context=self.context, wait="complete")

    def load_script(self, source: str) -> None:
        result = self.firefox.command(
            "script.evaluate",
            expression=source,
            target={"context": self.context},
            awaitPromise=False,
            resultOwnership="none",
        )
        if result["type"] == "exception":
            raise BidiError(result["exceptionDetails"]["text"])

    def click_to_open_tab(self, selector: str) -> "BidiPage":
        before = self._tabs()
        self.click(selector)
        opened = wait_until(lambda: self._tabs() - before, "a new tab")
        tab = BidiPage(self.firefox, opened.pop(), self.base_url)
        wait_until(lambda: tab.url() != "about:blank", "the new tab's address")
        tab.wait_for_condition("() => document.readyState === 'complete'", "the new tab to load")
        return tab

    def _tabs(self) -> set[str]:
        tree = self.firefox.command("browsingContext.getTree", maxDepth=0)
        return {context["context"] for context in tree["contexts"]}


def _serialize(value) -> dict:
    if value is None:
        return {"type": "null"}
    if isinstance(value, str):
        return {"type": "string", "value": value}
    raise TypeError(f"cannot pass {value!r} to the page")


def _deserialize(remote: dict):
    kind = remote["type"]
    if kind in ("undefined", "null"):
        return None
    if kind in ("string", "boolean", "number"):
        return remote["value"]
    if kind == "array":
        return [_deserialize(item) for item in remote["value"]]
    raise BidiError(f"the journeys read text, numbers and truth values, not {kind}")


class WebDriverPage(EnginePage):
    """A window of a browser driven through WebDriver classic (Selenium): here WebKitGTK."""

    engine = "webkit"

    def __init__(self, driver, base_url: str, handle: str | None = None):
        self.driver = driver
        self.base_url = base_url
        self.handle = handle or driver.current_window_handle

    def _select(self):
        # One WebDriver session, several windows: act on this page's own.
        if self.driver.current_window_handle != self.handle:
            self.driver.switch_to.window(self.handle)
        return self.driver

    def goto(self, path: str) -> None:
        self._select().get(self.base_url + path)

    def url(self) -> str:
        return self._select().current_url

    def call(self, function: str, *args):
        return self._select().execute_script(f"return ({function})(...arguments)", *args)

    def _element(self, selector: str, text: str | None = None):
        self.wait_for(selector, text)
        return self.call(f"(s, t) => ({FIND})(s, t).find({IS_VISIBLE})", selector, text)

    def click(self, selector: str, text: str | None = None) -> None:
        # WebDriver's Element Click scrolls the element into view and refuses one covered by
        # another, as a person's click would land on the cover.
        wait_until(lambda: self._try(lambda: self._element(selector, text).click()), selector)

    def fill(self, selector: str, value: str) -> None:
        element = self._element(selector)
        element.clear()
        element.send_keys(value)
        typed = element.get_property("value")
        assert typed == value, f"typed {value!r} into {selector}, it holds {typed!r}"

    def reload(self) -> None:
        self._select().refresh()

    def load_script(self, source: str) -> None:
        self._select().execute_script(source)

    def click_to_open_tab(self, selector: str) -> "WebDriverPage":
        before = set(self._select().window_handles)
        self.click(selector)
        opened = wait_until(lambda: set(self.driver.window_handles) - before, "a new window")
        tab = WebDriverPage(self.driver, self.base_url, opened.pop())
        wait_until(lambda: tab.url() != "about:blank", "the new window's address")
        tab.wait_for_condition("() => document.readyState === 'complete'", "the new window to load")
        return tab

    @staticmethod
    def _try(action) -> bool:
        try:
            action()
        except StaleElementReferenceException:
            return False
        return True
