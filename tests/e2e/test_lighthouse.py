"""Lighthouse CI (issue 9, "fast on a phone over a mobile network"): the key public and member
pages score at least 0.95 for performance and 1 for accessibility and best practices, with
Lighthouse's mobile defaults (a mid-range phone, simulated slow 4G, CPU slowed four times).

The portal is served as production serves it: gunicorn, DEBUG off, collectstatic's hashed and
precompressed files served by whitenoise, pages gzipped. Lighthouse (npm, package-lock.json)
runs every page in one Node process against one Debian Chromium (tests/e2e/lighthouse.mjs).
Member pages carry a session made for a member with a business and a factory."""

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

from portal.operators import factory_services
from portal.operators import services as operator_services
from tests.e2e.conftest import CHROMIUM_ARGS
from tests.factories import MemberFactory

ROOT = Path(__file__).resolve().parents[2]
LIGHTHOUSE = ROOT / "node_modules" / "lighthouse" / "package.json"
RUNNER = Path(__file__).with_name("lighthouse.mjs")
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
BARS = {"performance": 0.95, "accessibility": 1, "best-practices": 1}
PUBLIC_PAGES = [
    "/accounts/login/",
    "/accounts/register/",
    "/accounts/reset/",
    "/",
    "/services/",
    "/services/faq/",
    "/services/guide/",
]
MEMBER_PAGES = [
    "/",  # the dashboard
    "/businesses/",
    "/businesses/{holding}/",
    "/factories/",
    "/accounts/settings/",
    "/accounts/sessions/",
]

pytestmark = [
    # One Chromium and a server of its own, and a minute or two of CPU: on one worker.
    pytest.mark.xdist_group("lighthouse"),
    pytest.mark.timeout(600),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(url: str, process: subprocess.Popen, what: str) -> None:
    for _ in range(300):
        if process.poll() is not None:
            raise AssertionError(f"{what} ended with {process.returncode}")
        try:
            httpx.get(url, timeout=1)
            return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise AssertionError(f"{what} did not answer {url} within 30 s")


def _stop(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


@pytest.fixture
def production_server(tmp_path, world):
    """gunicorn serving the test database as `make run` serves: DEBUG off, the sandbox on,
    static files collected (hashed, Brotli and gzip copies) and served by whitenoise."""
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "PYTHONPATH": str(ROOT / "src"),
        "DATABASE_URL": (
            f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}"
            f":{db['PORT'] or 5432}/{db['NAME']}"
        ),
        "DEBUG": "0",
        "SANDBOX": "1",
        "TESTING": "0",
        "TASKS_BACKEND": "immediate",
        "STATIC_ROOT": str(tmp_path / "static"),
        "SANDBOX_WORLD": settings.SANDBOX_WORLD,
        "LOG_LEVEL": "WARNING",
    }
    env.pop("REDIS_URL", None)
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    port = _free_port()
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "portal.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--threads",
            "4",
            "--worker-class",
            "gthread",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_for(f"{base}/healthz", server, "gunicorn")
        yield base
    finally:
        _stop(server)


@pytest.fixture
def chromium(tmp_path):
    """One headless Debian Chromium for every page; Lighthouse drives it on its debugging port."""
    port = _free_port()
    process = subprocess.Popen(
        [
            CHROMIUM,
            "--headless",
            *CHROMIUM_ARGS,
            f"--remote-debugging-port={port}",
            f"--user-data-dir={tmp_path / 'chromium'}",
            "about:blank",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        _wait_for(f"http://127.0.0.1:{port}/json/version", process, "Chromium")
        yield port
    finally:
        _stop(process)


@pytest.fixture
def member_pages(world):
    """A member with a verified business and one of its factories, and a session of theirs."""
    member = MemberFactory()
    holding = operator_services.business_add_myself(member=member)
    record = world.add_factory(operator_id=member.national_id)
    factory_services.factories_add(
        member=member, holding_id=holding.pk, factory_nos=[record["factory_no"]]
    )
    client = Client()
    client.force_login(member)
    cookie = {
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
    }
    return [(page.format(holding=holding.pk), cookie) for page in MEMBER_PAGES]


def _assert_served_like_production(base: str) -> None:
    """Pages gzipped; static files by their hashed names, precompressed (Brotli for browsers
    that take it) and cacheable for a year; the web fonts preloaded as WOFF2."""
    page = httpx.get(f"{base}/accounts/login/", headers={"Accept-Encoding": "gzip, br"})
    assert page.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in page.headers["Vary"]
    stylesheet = re.search(r'<link rel="stylesheet" href="([^"]+)"', page.text).group(1)
    font = re.search(r'<link rel="preload" href="([^"]+)" as="font" type="font/woff2"', page.text)
    assert re.fullmatch(r"/static/core/css/portal\.[0-9a-f]{12}\.css", stylesheet)
    assert re.fullmatch(r"/static/core/fonts/sarabun-400\.[0-9a-f]{12}\.woff2", font.group(1))
    for url, encoding in ((stylesheet, "br"), (font.group(1), None)):
        static = httpx.get(base + url, headers={"Accept-Encoding": "gzip, br"})
        assert static.status_code == 200
        assert static.headers.get("Content-Encoding") == encoding, url
        assert "immutable" in static.headers["Cache-Control"], url
    css = httpx.get(base + stylesheet).text
    urls = re.findall(r'url\("([^"]+)"\)', css)
    assert all(re.search(r"\.[0-9a-f]{12}\.woff2$", url) for url in urls), urls
    assert [re.sub(r"\.[0-9a-f]{12}\.", ".", url) for url in urls] == [
        f"../fonts/sarabun-{weight}.woff2" for weight in (400, 600, 700)
    ]
    assert css.count("font-display: swap") == 3


def _lighthouse(port: int, pages: list[dict], tmp_path: Path) -> list[dict]:
    pages_file = tmp_path / "pages.json"
    pages_file.write_text(json.dumps(pages))
    done = subprocess.run(
        [shutil.which("node") or "node", str(RUNNER), str(port), str(pages_file)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=540,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


def _below_the_bar(result: dict) -> list[str]:
    return [
        category
        for category, bar in BARS.items()
        if result["scores"][category] is None or result["scores"][category] < bar
    ]


def _report(result: dict) -> str:
    metrics = {name: value or 0 for name, value in result["metrics"].items()}
    lines = [
        f"{result['url']}: {result['scores']} (FCP {metrics.get('first-contentful-paint', 0):.0f}"
        f" ms, LCP {metrics.get('largest-contentful-paint', 0):.0f} ms, TBT "
        f"{metrics.get('total-blocking-time', 0):.0f} ms, CLS "
        f"{metrics.get('cumulative-layout-shift', 0):.3f}, "
        f"{metrics.get('total-byte-weight', 0) / 1024:.0f} KiB)"
    ]
    if result["runtime_error"]:
        lines.append(f"  runtime error: {result['runtime_error']}")
    for audit in result["shortfalls"]:
        lines.append(
            f"  [{audit['category']}] {audit['id']} {audit['score']} {audit['value']}: "
            f"{audit['title']}"
        )
        lines.extend(f"      {item}" for item in audit["items"])
    return "\n".join(lines)


def test_key_pages_are_fast_on_a_phone_and_clean(
    production_server, chromium, member_pages, tmp_path
):
    assert LIGHTHOUSE.exists(), "npm ci (scripts/install-browser-deps) installs Lighthouse"
    _assert_served_like_production(production_server)
    cookie = member_pages[0][1]
    dashboard = httpx.get(production_server + "/", cookies={cookie["name"]: cookie["value"]})
    assert 'data-testid="who"' in dashboard.text  # the session is the member's on this server
    pages = [{"url": production_server + page} for page in PUBLIC_PAGES] + [
        {"url": production_server + page, "cookies": [cookie]} for page, cookie in member_pages
    ]
    results = _lighthouse(chromium, pages, tmp_path)
    # Simulated throttling still reads the trace's CPU times, which a busy shared machine
    # stretches: a page below the performance bar is measured once more and fails only if the
    # second run is below too (accessibility and best practices do not vary).
    again = [i for i, result in enumerate(results) if _below_the_bar(result) == ["performance"]]
    if again:
        retried = _lighthouse(chromium, [pages[i] for i in again], tmp_path)
        for i, result in zip(again, retried, strict=True):
            if (result["scores"]["performance"] or 0) > results[i]["scores"]["performance"]:
                results[i] = result
    print("\n".join(_report(result) for result in results))
    for page, result in zip(pages, results, strict=True):
        # Member pages answered as the member, not as a visitor sent to the login page.
        assert result["final_url"] == page["url"], _report(result)
    failing = [_report(r) for r in results if _below_the_bar(r)]
    assert failing == [], "\n".join(failing)
