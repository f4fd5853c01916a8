import math
import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone

from portal.core.money import Money


class OutboxMessage(models.Model):
    """An SMS or email the sandbox "sent": shown at /sandbox/outbox/ instead of leaving the machine.

    `reference` is the send's idempotency key (`outbound-<record id>` for SMS, the
    Message-ID for email). A task delivered twice finds its first row and adds none.
    """

    class Channel(models.TextChoices):
        SMS = "sms", "SMS"
        EMAIL = "email", "Email"

    channel = models.CharField(max_length=5, choices=Channel.choices)
    to = models.CharField(max_length=320)
    sender = models.CharField(max_length=320, blank=True)
    subject = models.CharField(max_length=998, blank=True)
    body = models.TextField()
    reference = models.CharField(max_length=255, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["to", "-created_at"], name="sandbox_outbox_to_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "reference"],
                condition=~Q(reference=""),
                name="sandbox_outbox_unique_reference",
            )
        ]

    def __str__(self) -> str:
        return f"{self.channel} to {self.to} at {self.created_at:%Y-%m-%d %H:%M:%S}"


class ThaidRequest(models.Model):
    """One login request at the sandbox ThaID provider (ACC-10): the QR code on the computer,
    the phone app's answer, then the authorization code the portal exchanges once.

    The id is random: it is in the QR code and in the phone-app page's address, never a
    national ID. Codes and access tokens are kept only as SHA-256 hashes.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for the phone app"
        APPROVED = "approved", "Consented"
        REFUSED = "refused", "Refused"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    client_id = models.CharField(max_length=200)
    redirect_uri = models.URLField(max_length=2000)
    scope = models.CharField(max_length=1000)
    state = models.CharField(max_length=500, blank=True)
    nonce = models.CharField(max_length=500, blank=True)
    code_challenge = models.CharField(max_length=128, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    expires_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_at = models.DateTimeField(null=True, blank=True)
    pid = models.CharField(max_length=13, blank=True)  # the citizen chosen in the phone app
    code_hash = models.CharField(max_length=64, blank=True, db_index=True)
    code_issued_at = models.DateTimeField(null=True, blank=True)
    code_used_at = models.DateTimeField(null=True, blank=True)
    access_token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    access_token_expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"ThaID request {self.id} ({self.status})"

    def is_expired(self, now=None) -> bool:
        """The QR code's life is over: a pending request can no longer be approved."""
        return (now or timezone.now()) >= self.expires_at

    def seconds_left(self, now=None) -> int:
        return max(0, math.ceil((self.expires_at - (now or timezone.now())).total_seconds()))


class SandboxBankPayment(models.Model):
    """A payment the sandbox bank took (portal.sandbox.bank): what its callback says and its
    daily statement lists, and what became of the callback (its switches can drop, delay,
    duplicate or tamper with it)."""

    class Callback(models.TextChoices):
        SENT = "sent", "Sent"
        DROPPED = "dropped", "Dropped"
        HELD = "held", "Held (delayed)"
        DUPLICATED = "duplicated", "Sent twice"
        TAMPERED = "tampered", "Sent tampered"

    transaction_id = models.CharField(max_length=64, unique=True)
    ref1 = models.CharField(max_length=20)
    ref2 = models.CharField(max_length=20, blank=True)
    amount_satang = models.BigIntegerField()
    paid_at = models.DateTimeField(db_index=True)
    callback = models.CharField(max_length=10, choices=Callback.choices, default=Callback.SENT)
    send_after = models.DateTimeField(null=True, blank=True)
    callback_answer = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["-paid_at", "-id"]

    def __str__(self) -> str:
        return f"sandbox bank {self.transaction_id}"

    @property
    def amount_baht(self) -> str:
        return Money(self.amount_satang).format()
