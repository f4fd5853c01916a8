"""Pages go out gzipped to browsers that take it (issue 9, fast on a phone over a mobile
network); files that are compressed already go out as they are."""

import gzip
import io

import pytest
from django.http import FileResponse, HttpResponse
from django.test import RequestFactory

from portal.core.compression import TextGZipMiddleware

PAGE = "<!doctype html><p>" + "สวัสดี ภาษาไทย " * 200 + "</p>"


def _answer(response, accept_encoding="gzip, deflate, br"):
    request = RequestFactory().get("/", headers={"Accept-Encoding": accept_encoding})
    return TextGZipMiddleware(lambda request: response)(request)


@pytest.mark.parametrize(
    "content_type",
    ["text/html; charset=utf-8", "application/json", "application/jwk-set+json", "image/svg+xml"],
)
def test_text_is_gzipped_for_browsers_that_take_it(content_type):
    response = _answer(HttpResponse(PAGE, content_type=content_type))
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    assert gzip.decompress(response.content).decode() == PAGE
    assert len(response.content) < len(PAGE.encode()) / 5


def test_text_goes_plain_to_clients_that_do_not_take_gzip():
    response = _answer(HttpResponse(PAGE), accept_encoding="identity")
    assert not response.has_header("Content-Encoding")
    assert response.content.decode() == PAGE


@pytest.mark.parametrize("content_type", ["application/pdf", "image/png", "image/jpeg"])
def test_files_compressed_already_pass_as_they_are(content_type):
    body = bytes(range(256)) * 64
    response = _answer(FileResponse(io.BytesIO(body), content_type=content_type))
    assert not response.has_header("Content-Encoding")
    assert b"".join(response.streaming_content) == body


def test_a_page_of_the_portal_comes_gzipped(client):
    response = client.get("/services/faq/", headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "คำถาม" in gzip.decompress(response.content).decode()
