"""Uploaded documents go out as downloads, sandboxed, never sniffed, never cached (issue 8)."""

import pytest
from django.test import Client

from tests.backoffice.helpers import signed_in
from tests.factories import MemberFactory
from tests.operators.helpers import PDF, add_by_document

pytestmark = pytest.mark.django_db

SAFE_HEADERS = {
    "Content-Security-Policy": "sandbox; default-src 'none'",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store, private",
}


def _headers(response) -> dict[str, str]:
    return {name: response[name] for name in SAFE_HEADERS}


def test_the_members_own_document_is_a_sandboxed_download():
    member = MemberFactory(verified=True)
    holding = add_by_document(member=member, name_th="คณะบุคคลทดสอบ")
    document = holding.documents.get()
    client = Client()
    client.force_login(member)
    response = client.get(f"/businesses/{holding.pk}/documents/{document.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="document-{document.pk}.pdf"'
    assert _headers(response) == SAFE_HEADERS


def test_an_officer_downloads_a_document_sandboxed(robot, officer_factory):
    holding = add_by_document(member=MemberFactory(verified=True), name_th="สหกรณ์ทดสอบ จำกัด")
    document = holding.documents.get()
    desk = signed_in(robot, officer_factory(permissions=["operators.verify_holding"]))
    response = desk.get(f"/backoffice/businesses/{holding.pk}/documents/{document.pk}/")
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="document-{document.pk}.pdf"'
    assert _headers(response) == SAFE_HEADERS
