"""Issuing signed documents: render, mark, sign, store, record (writes only).

Other apps (billing's receipts and bills, permits' letters) call these with a template of
their own that extends documents/pdf/base.html; they decide who may download what and serve
the stored file with helpers.signed_document_response.
"""

import hashlib
import secrets
import uuid
from dataclasses import dataclass, field

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.core.acting import Acting, resolve_acting
from portal.core.errors import PortalError
from portal.core.services import audit_record
from portal.documents.models import DocumentKind, DocumentSeries, SignedDocument
from portal.documents.rendering import qr_svg, render_pdf
from portal.documents.signing import sign_pdf, signature_level

__all__ = [
    "DocumentContent",
    "DocumentError",
    "PublicFact",
    "document_issue",
    "document_issue_copy",
    "document_issue_original",
    "document_series_open",
    "format_code",
    "new_code",
    "normalize_code",
]

# Verification codes: 20 characters of 32 (no 0, 1, I or O, which people misread), 100 bits:
# not guessable, and short enough to type from paper in groups of four.
CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
CODE_LENGTH = 20
COPY_KIND = {DocumentKind.RECEIPT: DocumentKind.RECEIPT_COPY}


class DocumentError(PortalError):
    pass


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalize_code(typed: str) -> str:
    """What a person typed (spaces, dashes, lower case) as the stored code."""
    return "".join(ch for ch in (typed or "").upper() if ch.isascii() and ch.isalnum())[:64]


def format_code(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


@dataclass(frozen=True)
class PublicFact:
    """One line the public verification page may show (a receipt's amount, a masked payer)."""

    th: str
    en: str
    value: str


@dataclass(frozen=True)
class DocumentContent:
    """What to render and sign. `context` goes to the template as it is, beside `document`
    (its number, code, verification URL and QR code, issue date and mark)."""

    template_name: str
    context: dict
    issuer_agency_th: str
    issuer_agency_en: str
    reason: str  # in the signature: why it is signed ("ใบเสร็จรับเงิน เลขที่ ...")
    location: str = "กรุงเทพมหานคร"
    public_facts: tuple[PublicFact, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class DocumentFacts:
    """`document` in the PDF template."""

    number: str
    code: str
    code_display: str
    verify_url: str
    qr_svg: str
    issued_at: object
    mark_th: str  # ต้นฉบับ / สำเนา ครั้งที่ n; empty for a document issued only once
    mark_en: str


def _mark(series: DocumentSeries | None, copy_number: int) -> tuple[str, str]:
    if series is None:
        return "", ""
    if copy_number == 0:
        return "ต้นฉบับ", "Original"
    return f"สำเนา ครั้งที่ {copy_number}", f"Copy {copy_number}"


def _issue(
    *,
    content: DocumentContent,
    kind: str,
    number: str,
    subject_app: str,
    subject_id: str,
    series: DocumentSeries | None,
    copy_number: int,
    acting: Acting,
) -> SignedDocument:
    """Render, mark, sign and store one document, in the caller's transaction."""
    code = new_code()
    verify_url = settings.SITE_URL.rstrip("/") + reverse("documents:verify", args=[code])
    issued_at = timezone.now()
    mark_th, mark_en = _mark(series, copy_number)
    facts = DocumentFacts(
        number=number,
        code=code,
        code_display=format_code(code),
        verify_url=verify_url,
        qr_svg=qr_svg(verify_url, title="ตรวจสอบเอกสาร / Verify this document"),
        issued_at=issued_at,
        mark_th=mark_th,
        mark_en=mark_en,
    )
    pdf = render_pdf(content.template_name, {**content.context, "document": facts})
    signed = sign_pdf(pdf, content.reason, content.location)
    document = SignedDocument(
        series=series,
        copy_number=copy_number,
        kind=kind,
        number=number,
        code=code,
        sha256=hashlib.sha256(signed).hexdigest(),
        size=len(signed),
        signature_level=signature_level(),
        issued_at=issued_at,
        issued_by=acting.actor if getattr(acting.actor, "is_authenticated", False) else None,
        issued_for=acting.principal.key if acting.principal else "",
        issuer_agency_th=content.issuer_agency_th,
        issuer_agency_en=content.issuer_agency_en,
        subject_app=subject_app,
        subject_id=str(subject_id),
        public_facts=[{"th": f.th, "en": f.en, "value": f.value} for f in content.public_facts],
    )
    document.file.save(f"{uuid.uuid4().hex}.pdf", ContentFile(signed), save=False)
    try:
        document.save()
        audit_record(
            action="document.issue",
            target=document,
            after={
                "kind": kind,
                "number": number,
                "copy_number": copy_number,
                "sha256": document.sha256,
                "subject": f"{subject_app}:{subject_id}",
            },
            acting=acting,
        )
    except Exception:
        document.file.delete(save=False)  # no file without its record
        raise
    return document


def document_series_open(
    *, kind: str, subject_app: str, subject_id: str, number: str, copy_limit: int = 2
) -> DocumentSeries:
    """The series of a subject's document (a payment's receipt), made on first use. Call it
    outside the issuing transaction (it commits on its own when called alone)."""
    with transaction.atomic():
        series, _created = DocumentSeries.objects.get_or_create(
            kind=kind,
            subject_app=subject_app,
            subject_id=str(subject_id),
            defaults={"number": number, "copy_limit": copy_limit},
        )
    return series


def document_issue_original(
    *,
    series: DocumentSeries,
    content: DocumentContent,
    acting: Acting | None = None,
    request=None,
) -> SignedDocument:
    """BILL-09: the original, exactly once. One conditional UPDATE claims it; concurrent
    callers wait on the row until the winner commits, then find it claimed and are refused.
    Rendering and signing run inside the claim, so a failure gives the original back."""
    context = resolve_acting(acting=acting, request=request)
    with transaction.atomic():
        claimed = DocumentSeries.objects.filter(pk=series.pk, original_issued=False).update(
            original_issued=True
        )
        if not claimed:
            raise DocumentError(
                _("The original of this document was already issued; you may ask for a copy."),
                code="original_issued",
            )
        return _issue(
            content=content,
            kind=series.kind,
            number=series.number,
            subject_app=series.subject_app,
            subject_id=series.subject_id,
            series=series,
            copy_number=0,
            acting=context,
        )


def document_issue_copy(
    *,
    series: DocumentSeries,
    content: DocumentContent,
    acting: Acting | None = None,
    request=None,
) -> SignedDocument:
    """BILL-09: a copy, marked with its number, at most `copy_limit` of them, and only of an
    original already issued. The same conditional UPDATE as the original's claims the next
    number (copies_issued < copy_limit); the row stays locked until the copy is stored."""
    context = resolve_acting(acting=acting, request=request)
    with transaction.atomic():
        claimed = DocumentSeries.objects.filter(
            pk=series.pk, original_issued=True, copies_issued__lt=F("copy_limit")
        ).update(copies_issued=F("copies_issued") + 1)
        if not claimed:
            issued = DocumentSeries.objects.filter(pk=series.pk, original_issued=True).exists()
            if not issued:
                raise DocumentError(
                    _("The original of this document has not been issued yet."),
                    code="no_original",
                )
            raise DocumentError(
                _("All the copies of this document allowed have been issued."),
                code="copies_used",
            )
        copy_number = DocumentSeries.objects.values_list("copies_issued", flat=True).get(
            pk=series.pk
        )
        return _issue(
            content=content,
            kind=COPY_KIND.get(series.kind, series.kind),
            number=series.number,
            subject_app=series.subject_app,
            subject_id=series.subject_id,
            series=series,
            copy_number=copy_number,
            acting=context,
        )


def document_issue(
    *,
    content: DocumentContent,
    kind: str,
    number: str,
    subject_app: str,
    subject_id: str,
    acting: Acting | None = None,
    request=None,
) -> SignedDocument:
    """A document issued once by its owner's own rule (an official letter, a bill): no
    original or copy mark, no counter."""
    context = resolve_acting(acting=acting, request=request)
    with transaction.atomic():
        return _issue(
            content=content,
            kind=kind,
            number=number,
            subject_app=subject_app,
            subject_id=str(subject_id),
            series=None,
            copy_number=0,
            acting=context,
        )
