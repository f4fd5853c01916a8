"""The public verification page: what the portal issued under a code, in Thai (Buddhist
era) and English, and the check of an uploaded file (same file and a valid signature)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from portal.documents.models import DocumentKind
from portal.documents.services import document_issue, format_code
from portal.documents.signing import signature_level
from tests.documents.helpers import AGENCY_EN, AGENCY_TH, letter_content

pytestmark = pytest.mark.django_db


@pytest.fixture
def letter():
    return document_issue(
        content=letter_content(),
        kind=DocumentKind.LETTER,
        number="อก 0301/77",
        subject_app="permits",
        subject_id="7",
    )


def _english(client):
    client.cookies["portal_language"] = "en"


def test_the_page_says_what_was_issued_in_thai_with_the_buddhist_era(client, letter):
    response = client.get(f"/verify/{letter.code}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "หนังสือราชการ" in page  # the kind, in Thai
    assert "อก 0301/77" in page
    year_be = letter.issued_at.year + 543
    assert str(year_be) in page
    assert AGENCY_TH in page
    assert letter.sha256 in page
    assert format_code(letter.code) in page
    assert "จำนวนเงิน" in page and "1,000.00" in page  # the owner's public facts only
    assert "กรรมการผู้จัดการ" not in page  # nothing else of the letter


def test_the_page_in_english(client, letter):
    _english(client)
    page = client.get(f"/verify/{letter.code}/").content.decode()
    assert "Official letter" in page
    assert AGENCY_EN in page
    assert str(letter.issued_at.year) in page
    assert "Amount" in page


def test_a_code_typed_with_dashes_and_lower_case_finds_the_document(client, letter):
    response = client.get("/verify/", {"code": format_code(letter.code).lower()})
    assert response.status_code == 302
    assert response["Location"] == f"/verify/{letter.code}/"


def test_an_unknown_code_is_said_so_on_the_form_and_its_page_is_404(client, letter):
    _english(client)
    response = client.get("/verify/", {"code": "ABCD-EFGH-JKLM-NPQR-STUV"})
    assert response.status_code == 200
    assert "No document was issued with this code" in response.content.decode()
    assert client.get("/verify/ABCDEFGHJKLMNPQRSTUV/").status_code == 404
    assert client.get(f"/verify/{letter.pk}/").status_code == 404  # not by database id


def _upload(client, letter, data: bytes, name="document.pdf"):
    _english(client)
    return client.post(
        f"/verify/{letter.code}/",
        {"document": SimpleUploadedFile(name, data, content_type="application/pdf")},
    )


def test_the_real_signed_file_is_valid(client, letter):
    page = _upload(client, letter, letter.file.open("rb").read()).content.decode()
    assert "The file is this document" in page
    assert "The file is not this document" not in page


def test_a_file_with_one_byte_changed_is_not_the_document(client, letter):
    data = bytearray(letter.file.open("rb").read())
    data[data.index(b"stream", 200) + 20] ^= 0x01
    page = _upload(client, letter, bytes(data)).content.decode()
    assert "The file is not this document" in page
    assert "The file is this document" not in page


def test_another_genuine_document_is_not_this_one(client, letter):
    other = document_issue(
        content=letter_content(),
        kind=DocumentKind.LETTER,
        number="อก 0301/78",
        subject_app="permits",
        subject_id="8",
    )
    page = _upload(client, letter, other.file.open("rb").read()).content.decode()
    assert "The file is not this document" in page


def test_only_a_pdf_is_checked(client, letter):
    response = _upload(client, letter, b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, name="x.pdf")
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "The file is" not in page


def test_uploads_are_rate_limited_per_network(client, letter, settings):
    settings.DOCUMENT_VERIFY_UPLOADS_PER_HOUR = 2
    data = letter.file.open("rb").read()
    for _ in range(2):
        assert "The file is this document" in _upload(client, letter, data).content.decode()
    page = _upload(client, letter, data).content.decode()
    assert "Too many files were checked from your network" in page
    assert "The file is this document" not in page


def test_the_signature_level_is_shown(client, letter):
    _english(client)
    page = client.get(f"/verify/{letter.code}/").content.decode()
    assert signature_level() in page
