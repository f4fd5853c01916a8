"""The outbound-message record: every SMS and email the portal sends, from queue to outcome.

A message is written in the same transaction as the change that causes it, so it exists exactly
when the change does; the task that sends it receives only its id. Recipient, subject and body
are encrypted at rest (Fernet, FIELD_ENCRYPTION_KEY, as the national ID); the subject and body
are erased once the message is sent or given up, the record stays as the proof of delivery.
"""

from django.db import models
from django.utils import timezone

from portal.core.thaiid import decrypt_text, encrypt_text


class OutboundMessage(models.Model):
    class Channel(models.TextChoices):
        SMS = "sms", "SMS"
        EMAIL = "email", "Email"

    class Status(models.TextChoices):
        QUEUED = "queued", "queued"  # waiting for its first or next attempt
        SENDING = "sending", "sending"  # a worker is handing it to the gateway
        SENT = "sent", "sent"  # the gateway accepted it
        FAILED = "failed", "failed"  # given up: the person is told and may ask again
        CANCELLED = "cancelled", "cancelled"  # replaced by a newer message on the same topic

    channel = models.CharField(max_length=5, choices=Channel.choices)
    # What the message is about, for the page that waits on it and to cancel an older one
    # (e.g. "otp-reset_password-42"): never personal data.
    topic = models.CharField(max_length=80, blank=True, default="")
    sender = models.CharField(max_length=20, blank=True, default="")
    recipient_encrypted = models.TextField()
    subject_encrypted = models.TextField(blank=True, default="")
    body_encrypted = models.TextField(blank=True, default="")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    sending_since = models.DateTimeField(null=True, blank=True)
    # An error code such as "sms:down" or "rejected:bad_number": never the text or the number.
    last_error = models.CharField(max_length=120, blank=True, default="")
    gateway_message_id = models.CharField(max_length=255, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # A message not handed to the gateway by then is useless (a one-time password that has
    # expired): it is failed ("expired"), never sent late.
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["topic", "-created_at"], name="outbound_topic_idx"),
            models.Index(fields=["status", "next_attempt_at"], name="outbound_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.channel} #{self.pk} {self.status}"

    @property
    def recipient(self) -> str:
        return decrypt_text(self.recipient_encrypted)

    @recipient.setter
    def recipient(self, value: str) -> None:
        self.recipient_encrypted = encrypt_text(value)

    @property
    def subject(self) -> str:
        return decrypt_text(self.subject_encrypted) if self.subject_encrypted else ""

    @subject.setter
    def subject(self, value: str) -> None:
        self.subject_encrypted = encrypt_text(value) if value else ""

    @property
    def body(self) -> str:
        return decrypt_text(self.body_encrypted) if self.body_encrypted else ""

    @body.setter
    def body(self, value: str) -> None:
        self.body_encrypted = encrypt_text(value) if value else ""
