"""Reads of the outbound-message records, for the pages that wait on a message."""

from dataclasses import dataclass

from portal.registries.models import OutboundMessage

__all__ = ["MessageProgress", "message_progress", "topic_used"]


@dataclass(frozen=True)
class MessageProgress:
    """Where the newest message on a topic stands, in the words a page needs.

    state is "sending" (queued or with the gateway, first attempt), "retrying" (an attempt
    failed, another is planned), "sent" (the gateway accepted it) or "failed" (given up).
    """

    state: str

    @property
    def sent(self) -> bool:
        return self.state == "sent"

    @property
    def pending(self) -> bool:
        return self.state in ("sending", "retrying")

    @property
    def failed(self) -> bool:
        return self.state == "failed"


def message_progress(*, topic: str) -> MessageProgress | None:
    """The newest message on `topic`, or None when there is none."""
    message = (
        OutboundMessage.objects.filter(topic=topic)
        .exclude(status=OutboundMessage.Status.CANCELLED)
        .only("status", "last_error")
        .order_by("-created_at", "-pk")
        .first()
    )
    if message is None:
        return None
    Status = OutboundMessage.Status
    if message.status == Status.SENT:
        return MessageProgress("sent")
    if message.status == Status.FAILED:
        return MessageProgress("failed")
    return MessageProgress("retrying" if message.last_error else "sending")


def topic_used(*, topic: str) -> bool:
    """Whether any message was ever queued on `topic` (whatever became of it): a caller that
    names one message per topic asks this so that a retry queues it once."""
    return OutboundMessage.objects.filter(topic=topic).exists()
