from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DocumentKind(models.TextChoices):
    RECEIPT = "receipt", _("Receipt")
    RECEIPT_COPY = "receipt_copy", _("Copy of a receipt")
    LETTER = "letter", _("Official letter")
    BILL = "bill", _("Bill")


class DocumentSeries(models.Model):
    """One document a person may download more than once, such as a receipt: its original is
    issued exactly once and its copies at most `copy_limit` times (BILL-09). The counters
    change only by conditional UPDATEs (services.document_issue_original / _copy), and the
    constraints below hold them even if a caller forgot to."""

    kind = models.CharField(max_length=20, choices=DocumentKind.choices)
    subject_app = models.CharField(max_length=50)  # the owning app's label
    subject_id = models.CharField(max_length=64)  # the owning object's id, as text
    number = models.CharField(max_length=64)  # the document's own number (receipt number)
    original_issued = models.BooleanField(default=False)
    copies_issued = models.PositiveSmallIntegerField(default=0)
    copy_limit = models.PositiveSmallIntegerField(default=2)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "subject_app", "subject_id"], name="document_series_one_per_subject"
            ),
            models.CheckConstraint(
                condition=Q(copies_issued__lte=F("copy_limit")),
                name="document_series_copies_within_limit",
            ),
        ]

    def __str__(self):
        return f"{self.kind} {self.number}"


def _document_path(instance, filename):
    # The name never carries the verification code: a listing of the storage reveals nothing.
    return f"documents/{timezone.now():%Y/%m}/{filename}"


class SignedDocument(models.Model):
    """A PDF the portal signed and issued. `code` is its public verification code (random,
    never the database id); `sha256` the fingerprint of the exact signed file. The file sits
    in the private storage (outside the web root) and is served only by the owning app, to
    those it entitles (helpers.signed_document_response)."""

    series = models.ForeignKey(
        DocumentSeries, null=True, blank=True, on_delete=models.PROTECT, related_name="documents"
    )
    copy_number = models.PositiveSmallIntegerField(default=0)  # 0: the original
    kind = models.CharField(max_length=20, choices=DocumentKind.choices)
    number = models.CharField(max_length=64)
    code = models.CharField(max_length=32, unique=True)
    sha256 = models.CharField(max_length=64)
    file = models.FileField(upload_to=_document_path, max_length=200)
    size = models.PositiveIntegerField(default=0)
    signature_level = models.CharField(max_length=20)  # PAdES-B-B or PAdES-B-T
    issued_at = models.DateTimeField(default=timezone.now)
    # Who issued it (the acting context); the audit row says the same with the address.
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    issued_for = models.CharField(max_length=80, blank=True)  # the acting principal's key
    issuer_agency_th = models.CharField(max_length=200)
    issuer_agency_en = models.CharField(max_length=200)
    subject_app = models.CharField(max_length=50)
    subject_id = models.CharField(max_length=64)
    # What the verification page may say beyond kind, number, date and issuer (issue 10: a
    # receipt's amount and payer): [{"th": label, "en": label, "value": text}], chosen by the
    # owning app; nothing else about the subject is shown.
    public_facts = models.JSONField(default=list, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["series", "copy_number"],
                condition=Q(series__isnull=False),
                name="signed_document_one_per_copy_number",
            ),
        ]
        indexes = [models.Index(fields=["subject_app", "subject_id"])]

    def __str__(self):
        return f"{self.kind} {self.number}"

    @property
    def is_copy(self) -> bool:
        return self.copy_number > 0
