"""A small WebDriver BiDi client: enough to drive Debian's Firefox ESR without geckodriver.

Firefox speaks WebDriver BiDi itself (`--remote-debugging-port`): commands and answers are JSON
messages over one WebSocket. Only the commands the cross-browser journeys use are wrapped here;
the protocol is https://w3c.github.io/webdriver-bidi/.
"""

import itertools
import json
import re
import subprocess
import tempfile
import time
from pathlib import Path

import websocket

LISTENING = re.compile(r"WebDriver BiDi listening on (ws://\S+)")

# Firefox's own background traffic (updates, telemetry, remote settings) would leave the
# machine; the suite never reaches the network, so everything not on this machine goes to a
# proxy that does not exist. Loopback is never proxied.
PREFERENCES = {
    "network.proxy.type": 1,
    "network.proxy.http": "127.0.0.1",
    "network.proxy.http_port": 9,
    "network.proxy.ssl": "127.0.0.1",
    "network.proxy.ssl_port": 9,
    "network.proxy.no_proxies_on": "localhost, 127.0.0.1, ::1",
    "app.update.disabledForTesting": True,
    "datareporting.policy.dataSubmissionEnabled": False,
    "toolkit.telemetry.unified": False,
    "messaging-system.rsexperimentloader.enabled": False,
    "intl.accept_languages": "th-TH, th",
}


class BidiError(AssertionError):
    pass


class Firefox:
    """One headless Firefox process with its own throw-away profile, and its BiDi session."""

    # Generous: axe-core's run in Firefox takes seconds alone and far longer while the suite's
    # other worker drives Chromium on the same two cores (a 30 s limit timed out there).
    def __init__(self, executable: str, timeout: float = 120):
        self.timeout = timeout
        self._profile = tempfile.TemporaryDirectory(prefix="firefox-profile-")
        profile = Path(self._profile.name)
        (profile / "user.js").write_text(
            "".join(
                f"user_pref({json.dumps(k)}, {json.dumps(v)});\n" for k, v in PREFERENCES.items()
            )
        )
        # Firefox's output goes to a file, not a pipe, so that it can never fill up and block it.
        self._log = (profile / "firefox.log").open("w+")
        self.process = subprocess.Popen(
            [
                executable,
                "--headless",
                "--no-remote",
                "--remote-debugging-port=0",
                "--profile",
                str(profile),
            ],
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        self._ids = itertools.count(1)
        self._socket = websocket.create_connection(
            # Firefox refuses a WebSocket that names an origin it was not told to allow.
            f"{self._listening_url()}/session",
            timeout=timeout,
            suppress_origin=True,
        )
        session = self.command("session.new", capabilities={"alwaysMatch": {}})
        self.version = session["capabilities"]["browserVersion"]

    def _listening_url(self) -> str:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            self._log.seek(0)
            match = LISTENING.search(self._log.read())
            if match:
                return match.group(1)
            if self.process.poll() is not None:
                break
            time.sleep(0.05)
        self._log.seek(0)
        raise BidiError(f"Firefox did not start WebDriver BiDi:\n{self._log.read()[-2000:]}")

    def command(self, method: str, **params) -> dict:
        command_id = next(self._ids)
        self._socket.send(json.dumps({"id": command_id, "method": method, "params": params}))
        while True:
            message = json.loads(self._socket.recv())
            # Events (none are subscribed to) and answers to other commands are not ours.
            if message.get("id") != command_id:
                continue
            if message["type"] == "error":
                raise BidiError(f"{method}: {message['error']}: {message.get('message')}")
            return message["result"]

    def close(self):
        try:
            self.command("session.end")
            self._socket.close()
        finally:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            self._log.close()
            self._profile.cleanup()
