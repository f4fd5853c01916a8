from django.db import models
from django.db.models import Q
from django.utils import timezone


class OutboxMessage(models.Model):
    """An SMS or email the sandbox "sent": shown at /sandbox/outbox/ instead of leaving the machine.

    `reference` is the sending task's idempotency key (the task result id for SMS, the
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
