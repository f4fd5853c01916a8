"""Issuing signed documents: the original once, copies at most twice, each marked in its
PDF, each with its own unguessable code and fingerprint, stored privately and audited."""

import hashlib

import pytest
from django.core.files.storage import default_storage

from portal.core.acting import system_acting
from portal.core.models import AuditEntry
from portal.documents.helpers import signed_document_response
from portal.documents.models import DocumentKind, DocumentSeries, SignedDocument
from portal.documents.selectors import documents_of_subject
from portal.documents.services import (
    CODE_ALPHABET,
    CODE_LENGTH,
    DocumentError,
    document_issue,
    document_issue_copy,
    document_issue_original,
    document_series_open,
    format_code,
    normalize_code,
)
from portal.documents.signing import check_signed_pdf
from tests.documents.helpers import AGENCY_TH, letter_content, pdf_text, thai_as_extracted
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def _receipt_series(subject_id="pay-1"):
    return document_series_open(
        kind=DocumentKind.RECEIPT, subject_app="billing", subject_id=subject_id, number="R-0001"
    )


def test_bill_09_original_once_then_two_copies_each_marked():
    """BILL-09: the original exactly once and copies at most twice, each marked as such."""
    series = _receipt_series()
    original = document_issue_original(series=series, content=letter_content())
    with pytest.raises(DocumentError) as refused:
        document_issue_original(series=series, content=letter_content())
    assert refused.value.code == "original_issued"
    first = document_issue_copy(series=series, content=letter_content())
    second = document_issue_copy(series=series, content=letter_content())
    with pytest.raises(DocumentError) as refused:
        document_issue_copy(series=series, content=letter_content())
    assert refused.value.code == "copies_used"

    assert (original.kind, original.copy_number) == (DocumentKind.RECEIPT, 0)
    assert [(d.kind, d.copy_number) for d in (first, second)] == [
        (DocumentKind.RECEIPT_COPY, 1),
        (DocumentKind.RECEIPT_COPY, 2),
    ]
    texts = [pdf_text(d.file.open("rb").read()) for d in (original, first, second)]
    assert "ต้นฉบับ / Original" in texts[0]
    assert thai_as_extracted("สำเนา ครั้งที่ 1 / Copy 1") in texts[1]
    assert thai_as_extracted("สำเนา ครั้งที่ 2 / Copy 2") in texts[2]
    assert "ต้นฉบับ" not in texts[1] + texts[2]
    series.refresh_from_db()
    assert (series.original_issued, series.copies_issued) == (True, 2)
    assert SignedDocument.objects.filter(series=series).count() == 3


def test_bill_09_no_copy_before_the_original():
    """BILL-09: a copy is a copy of the issued original."""
    series = _receipt_series()
    with pytest.raises(DocumentError) as refused:
        document_issue_copy(series=series, content=letter_content())
    assert refused.value.code == "no_original"
    series.refresh_from_db()
    assert series.copies_issued == 0


def test_bill_09_a_failed_rendering_gives_the_original_back():
    """BILL-09: the claim and the document commit together; a failure claims nothing."""
    series = _receipt_series()
    with pytest.raises(Exception, match="no-such-template"):
        document_issue_original(
            series=series, content=letter_content(template_name="documents/no-such-template.html")
        )
    series.refresh_from_db()
    assert not series.original_issued
    assert document_issue_original(series=series, content=letter_content()).copy_number == 0


def test_a_series_is_one_per_subject():
    assert _receipt_series("pay-9").pk == _receipt_series("pay-9").pk
    assert DocumentSeries.objects.count() == 1


def test_an_issued_document_records_its_fingerprint_code_issuer_and_file():
    officer = MemberFactory(verified=True)
    document = document_issue(
        content=letter_content(),
        kind=DocumentKind.LETTER,
        number="อก 0301/55",
        subject_app="permits",
        subject_id=42,
        acting=system_acting(channel="web", actor=officer),
    )
    data = document.file.open("rb").read()
    assert hashlib.sha256(data).hexdigest() == document.sha256
    assert document.size == len(data)
    assert check_signed_pdf(data).valid
    # Stored in the private storage under a random name: no code, no id, no number in it.
    assert default_storage.exists(document.file.name)
    assert document.code not in document.file.name
    assert document.file.name.startswith("documents/")
    # The code: 20 characters people do not misread, not the database id.
    assert len(document.code) == CODE_LENGTH
    assert set(document.code) <= set(CODE_ALPHABET)
    assert document.code != str(document.pk)
    assert (document.issued_by, document.issued_for) == (officer, f"member:{officer.pk}")
    assert document.issuer_agency_th == AGENCY_TH
    assert (document.subject_app, document.subject_id) == ("permits", "42")
    assert document.public_facts == [{"th": "จำนวนเงิน", "en": "Amount", "value": "1,000.00"}]
    assert document.signature_level == "PAdES-B-T"
    # No mark on a document issued once.
    text = pdf_text(data)
    assert "ต้นฉบับ" not in text and "Copy" not in text
    assert format_code(document.code) in text
    audit = AuditEntry.objects.get(action="document.issue")
    assert audit.target_id == str(document.pk) and audit.actor == officer
    assert audit.after["sha256"] == document.sha256


def test_codes_are_random_and_typed_codes_normalize():
    series_codes = {
        document_issue(
            content=letter_content(),
            kind=DocumentKind.LETTER,
            number=f"L-{n}",
            subject_app="permits",
            subject_id=n,
        ).code
        for n in range(3)
    }
    assert len(series_codes) == 3
    code = next(iter(series_codes))
    assert normalize_code(f"  {format_code(code).lower()} ") == code
    assert normalize_code("ab cd–ef") == "ABCDEF"


def test_the_owner_lists_its_documents_and_hands_one_out_as_a_private_download():
    series = _receipt_series("pay-7")
    original = document_issue_original(series=series, content=letter_content())
    copy = document_issue_copy(series=series, content=letter_content())
    listed = list(documents_of_subject(subject_app="billing", subject_id="pay-7"))
    assert listed == [copy, original]
    assert list(documents_of_subject(subject_app="billing", subject_id="pay-8")) == []
    response = signed_document_response(copy)
    body = b"".join(response.streaming_content)
    assert hashlib.sha256(body).hexdigest() == copy.sha256
    assert response["Content-Type"] == "application/pdf"
    assert (
        response["Content-Disposition"] == 'attachment; filename="receipt_copy-r-0001-copy-1.pdf"'
    )
    assert response["Cache-Control"] == "no-store, private"
    assert response["Content-Security-Policy"] == "sandbox; default-src 'none'"
