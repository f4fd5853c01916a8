"""Production headers (CSP, no-store) and the portal's own error pages, in Thai and English."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, RequestFactory

from portal.core import middleware
from portal.core.views import server_error
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def _policy(response) -> dict[str, str]:
    directives = (part.strip() for part in response["Content-Security-Policy"].split(";"))
    return {name: value for name, _, value in (d.partition(" ") for d in directives if d)}


def test_csp_allows_no_inline_script_no_eval_and_no_framing(client):
    page = client.get("/accounts/login/")
    policy = _policy(page)
    assert policy["script-src"] == "'self'"
    assert policy["default-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["object-src"] == "'none'"
    assert policy["base-uri"] == "'none'"
    assert "unsafe-inline" not in page["Content-Security-Policy"]
    assert "unsafe-eval" not in page["Content-Security-Policy"]
    # The one inline style (the robot check's) carries this page's nonce, given in a meta tag.
    nonce = re.search(r'<meta name="csp-nonce" content="([^"]+)">', page.content.decode())[1]
    assert policy["style-src"] == f"'self' 'nonce-{nonce}'"


def test_no_page_has_an_inline_script_or_event_handler(client):
    member = MemberFactory()
    client.force_login(member)
    for url in ["/", "/accounts/settings/", "/businesses/", "/factories/", "/services/"]:
        html = client.get(url).content.decode()
        assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) == [], url
        assert re.findall(r"\son[a-z]+=", html) == [], url
        assert re.findall(r"\sstyle=", html) == [], url


def test_form_action_is_self_except_where_the_portal_redirects_onwards(client, settings):
    assert _policy(client.get("/"))["form-action"] == "'self'"
    # The login page's ThaID button posts to the portal, which redirects to ThaID.
    settings.THAID_DISCOVERY_URL = "https://imauth.example.go.th/.well-known/openid-configuration"
    middleware._FORM_ACTION_ORIGINS["until"] = 0.0  # the per-process minute is over
    assert (
        _policy(client.get("/accounts/login/"))["form-action"]
        == "'self' https://imauth.example.go.th"
    )


def test_pages_of_a_logged_in_member_are_not_stored(client):
    assert "no-store" not in client.get("/").get("Cache-Control", "")
    client.force_login(MemberFactory())
    for url in ["/", "/accounts/settings/", "/businesses/"]:
        assert client.get(url)["Cache-Control"] == "no-store, private", url


def test_404_is_the_portals_page_in_thai_then_english(client):
    page = client.get("/no-such-page/")
    assert page.status_code == 404
    html = page.content.decode()
    assert 'data-testid="error-page"' in html and "site-header" in html
    assert "ไม่พบหน้าที่ต้องการ" in html
    client.cookies["portal_language"] = "en"
    assert "Page not found" in client.get("/no-such-page/").content.decode()


def test_csrf_failure_is_explained_in_thai():
    page = Client(enforce_csrf_checks=True).post("/accounts/login/", {"national_id": "1"})
    assert page.status_code == 403
    html = page.content.decode()
    assert 'data-testid="error-page"' in html
    assert "แบบฟอร์มหมดอายุ" in html


def test_8_million_characters_are_refused_with_a_clear_page(client):
    page = client.post("/accounts/login/", {"national_id": "1", "password": "x" * 8_000_000})
    assert page.status_code == 400
    html = page.content.decode()
    assert "ข้อมูลที่ส่งมีขนาดใหญ่เกินไป" in html and 'data-testid="error-page"' in html


def test_500_page_says_it_in_thai_and_english_without_the_database():
    page = server_error(RequestFactory().get("/"))
    assert page.status_code == 500
    html = page.content.decode()
    assert "ขออภัย ระบบขัดข้องชั่วคราว" in html and "Sorry, something went wrong" in html


def test_a_request_larger_than_the_cap_is_refused_before_it_is_read(client, settings):
    settings.MAX_REQUEST_BYTES = 1024 * 1024
    upload = SimpleUploadedFile("big.pdf", b"%PDF-1.4\n" + b"0" * (1024 * 1024))
    page = client.post("/accounts/reopen/", {"evidence": upload})
    assert page.status_code == 413
    assert "ข้อมูลที่ส่งมีขนาดใหญ่เกินไป" in page.content.decode()


def test_https_redirects_and_hsts_in_production_but_not_the_health_probe(settings):
    # The values production's settings take with HTTPS on (test_production_start checks them
    # through check --deploy); the middleware reads them when a client's handler starts.
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 63_072_000
    client = Client()
    plain = client.get("/accounts/login/")
    assert (plain.status_code, plain["Location"]) == (301, "https://testserver/accounts/login/")
    assert client.get("/healthz").status_code == 200
    secure = client.get("/accounts/login/", secure=True)
    assert secure.status_code == 200
    assert secure["Strict-Transport-Security"] == "max-age=63072000; includeSubDomains; preload"
