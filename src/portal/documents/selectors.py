"""Reads: a document by its public code, and the check of an uploaded PDF against it."""

import hashlib
from dataclasses import dataclass

from portal.documents.models import DocumentSeries, SignedDocument
from portal.documents.services import CODE_LENGTH, normalize_code
from portal.documents.signing import SignatureCheck, check_signed_pdf

__all__ = [
    "UploadCheck",
    "document_by_code",
    "document_check_upload",
    "document_series_state",
    "documents_of_subject",
]


def document_by_code(code: str) -> SignedDocument | None:
    normalized = normalize_code(code)
    if len(normalized) != CODE_LENGTH:
        return None
    return SignedDocument.objects.filter(code=normalized).first()


def documents_of_subject(*, subject_app: str, subject_id: str):
    """For the owning app's pages: the documents issued for one of its objects, newest first."""
    return SignedDocument.objects.filter(
        subject_app=subject_app, subject_id=str(subject_id)
    ).order_by("-issued_at", "-pk")


@dataclass(frozen=True)
class SeriesState:
    """What a person may still download of a document issued as an original and copies."""

    original_issued: bool
    copies_left: int


def document_series_state(*, kind: str, subject_app: str, subject_id: str) -> SeriesState:
    """BILL-09: for the owning app's page: whether the original is gone, how many copies are
    left (the counters themselves change only in services)."""
    series = DocumentSeries.objects.filter(
        kind=kind, subject_app=subject_app, subject_id=str(subject_id)
    ).first()
    if series is None:
        return SeriesState(original_issued=False, copies_left=0)
    return SeriesState(
        original_issued=series.original_issued,
        copies_left=max(series.copy_limit - series.copies_issued, 0)
        if series.original_issued
        else 0,
    )


@dataclass(frozen=True)
class UploadCheck:
    sha256: str  # of the uploaded file
    same_file: bool  # byte for byte the file the portal issued under this code
    signature: SignatureCheck

    @property
    def valid(self) -> bool:
        return self.same_file and self.signature.valid


def document_check_upload(document: SignedDocument, upload) -> UploadCheck:
    """Is the uploaded file the signed document issued under this code? Its SHA-256 must be
    the one recorded, and its signature must validate against the portal's trust roots."""
    digest = hashlib.sha256()
    chunks = []
    for chunk in upload.chunks():
        digest.update(chunk)
        chunks.append(chunk)
    sha256 = digest.hexdigest()
    return UploadCheck(
        sha256=sha256,
        same_file=sha256 == document.sha256,
        signature=check_signed_pdf(b"".join(chunks)),
    )
