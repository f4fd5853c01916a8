"""Sending SMS and email in the background: never lost, retried, and a failure visible.

Callers use `queue_sms` and `queue_email` inside their use case's transaction. Each writes an
`OutboundMessage` (recipient, subject and body encrypted at rest) in that transaction, so the
message exists exactly when the change does; after the commit, `deliver_message` is enqueued
with the record's id and nothing else, so no code, number or text sits in the task table.

`deliver_message` claims the record (queued and due, or left "sending" by a worker that died
longer than OUTBOUND_CLAIM_TIMEOUT_SECONDS ago, 90 s, well within a code's 5 minutes; a
message past its `expires_at` is failed instead) and hands it to the gateway:
- accepted: "sent", with the gateway's message id; subject and body erased;
- the gateway cannot take it now (RegistryUnavailable, an SMTP or network error): back to
  "queued" with the next attempt after OUTBOUND_RETRY_SECONDS, doubled after each attempt, and
  a new task enqueued to run then; after OUTBOUND_MAX_ATTEMPTS it is "failed";
- refused for good (SmsRejected), or any other error (a bug: the task fails too): "failed" at
  once. A message left "sending" OUTBOUND_MAX_ATTEMPTS times by dying workers is "failed".
A task that finds its message sent, failed, cancelled, claimed by a live worker or not yet due
does nothing, so a task that runs twice (at-least-once delivery after a killed worker, or the
schedule's sweep re-enqueueing one whose task was lost) sends once. A send that may have
reached the gateway before its worker died is repeated with the same key, which the gateway
deduplicates: SMS `reference="outbound-<id>"` (Idempotency-Key over HTTP), email
`Message-ID: <outbound-<id>@domain>`.

The page that said "a code was sent" reads the record (`portal.registries.selectors`) instead:
being sent, sent, or not sent with a "send again".
"""

import logging
import smtplib
from datetime import datetime, timedelta
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.utils import DNS_NAME
from django.db import transaction
from django.tasks import task
from django.utils import timezone

from portal.registries.base import RegistryUnavailable
from portal.registries.messaging import SmsRejected, check_sender, sms_gateway, sms_sender
from portal.registries.models import OutboundMessage

__all__ = ["deliver_message", "message_enqueue", "queue_email", "queue_sms"]

logger = logging.getLogger(__name__)

# Errors after which the same message may go through later. Anything else is a bug or a
# refusal: the message fails at once rather than being retried into the same wall.
_TRANSIENT = (RegistryUnavailable, smtplib.SMTPException, OSError)


def _email_message_id(message: OutboundMessage) -> str:
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or str(DNS_NAME)
    return f"<outbound-{message.pk}@{domain}>"


def outbound_claim_seconds() -> int:
    """How long a message may stay "sending" before it counts as left by a dead worker."""
    return min(settings.OUTBOUND_CLAIM_TIMEOUT_SECONDS, settings.TASKS_CLAIM_TIMEOUT_SECONDS)


def _claim(message_id: int) -> OutboundMessage | None:
    """Mark the message "sending" for this worker, or None when there is nothing to do."""
    now = timezone.now()
    stale = now - timedelta(seconds=outbound_claim_seconds())
    with transaction.atomic():
        message = (
            OutboundMessage.objects.select_for_update(skip_locked=True)
            .filter(pk=message_id)
            .first()
        )
        if message is None:
            return None  # gone, or another worker holds it this instant
        due = message.status == OutboundMessage.Status.QUEUED and message.next_attempt_at <= now
        abandoned = (
            message.status == OutboundMessage.Status.SENDING
            and message.sending_since is not None
            and message.sending_since <= stale
        )
        if not (due or abandoned):
            return None
        if message.expires_at is not None and message.expires_at <= now:
            # Held up past its use (the gateway down, or a worker that died mid-send and
            # whose claim expired only now): a code that no longer works is not sent.
            _finish(message, OutboundMessage.Status.FAILED, last_error="expired")
            return None
        if abandoned and message.attempts >= settings.OUTBOUND_MAX_ATTEMPTS:
            # Its workers keep dying on it: give up visibly rather than kill the next one.
            _finish(message, OutboundMessage.Status.FAILED, last_error="abandoned")
            return None
        message.status = OutboundMessage.Status.SENDING
        message.sending_since = now
        message.attempts += 1
        message.save(update_fields=["status", "sending_since", "attempts"])
    return message


def _send(message: OutboundMessage) -> str:
    if message.channel == OutboundMessage.Channel.SMS:
        return sms_gateway().send(
            to=message.recipient,
            sender=message.sender,
            body=message.body,
            reference=f"outbound-{message.pk}",
        )
    message_id = _email_message_id(message)
    EmailMessage(
        subject=message.subject,
        body=message.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.recipient],
        headers={"Message-ID": message_id},
    ).send()
    return message_id


def _finish(message: OutboundMessage, status: str, **fields) -> None:
    now = timezone.now()
    message.status = status
    message.finished_at = now
    message.sending_since = None
    # The text has done its work (or never will): only the record of the send stays.
    message.subject_encrypted = ""
    message.body_encrypted = ""
    for name, value in fields.items():
        setattr(message, name, value)
    message.save()


@task()
def deliver_message(message_id: int) -> str:
    """Send one OutboundMessage; returns its status afterwards (never its content)."""
    message = _claim(message_id)
    if message is None:
        return "skipped"
    try:
        gateway_id = _send(message)
    except SmsRejected as error:
        logger.warning("outbound message %s refused by the gateway: %s", message.pk, error.code)
        _finish(message, OutboundMessage.Status.FAILED, last_error=f"rejected:{error.code}"[:120])
        return message.status
    except _TRANSIENT as error:
        code = (
            f"{error.registry}:{error.reason}"
            if isinstance(error, RegistryUnavailable)
            else type(error).__name__
        )
        wait = settings.OUTBOUND_RETRY_SECONDS * 2 ** (message.attempts - 1)
        next_attempt_at = timezone.now() + timedelta(seconds=wait)
        # No attempt left before the message is useless (a code expiring): fail it now.
        out_of_time = message.expires_at is not None and next_attempt_at >= message.expires_at
        if message.attempts >= settings.OUTBOUND_MAX_ATTEMPTS or out_of_time:
            logger.warning(
                "outbound message %s failed after %s attempts: %s",
                message.pk,
                message.attempts,
                code,
            )
            _finish(message, OutboundMessage.Status.FAILED, last_error=code[:120])
            return message.status
        message.status = OutboundMessage.Status.QUEUED
        message.sending_since = None
        message.last_error = code[:120]
        message.next_attempt_at = next_attempt_at
        message.save(update_fields=["status", "sending_since", "last_error", "next_attempt_at"])
        message_enqueue(message=message, deferred=True)
        return message.status
    except Exception as error:
        # A bug, not the gateway: the message fails visibly at once (the person may ask
        # again) instead of being swept and retried into the same error, and the task fails.
        _finish(message, OutboundMessage.Status.FAILED, last_error=type(error).__name__[:120])
        raise
    _finish(
        message,
        OutboundMessage.Status.SENT,
        sent_at=timezone.now(),
        gateway_message_id=gateway_id[:255],
        last_error="",
    )
    return message.status


def message_enqueue(*, message: OutboundMessage, deferred: bool = False) -> None:
    """Put the message's task on the queue (to run at its next attempt time when deferred).

    A backend that cannot defer (the immediate one of tests) gets no retry task: the
    schedule's sweep enqueues it once it is due. A queue that cannot take the task is logged
    with the message's id only; the sweep enqueues it later, so the message is not lost.
    """
    backend = deliver_message.get_backend()
    if deferred and not backend.supports_defer:
        return
    try:
        if deferred:
            deliver_message.using(run_after=message.next_attempt_at).enqueue(message.pk)
        else:
            deliver_message.enqueue(message.pk)
    except Exception:
        logger.exception("could not enqueue outbound message %s; the sweep retries", message.pk)


def _queue(
    *,
    channel: str,
    to: str,
    sender: str = "",
    subject: str = "",
    body: str,
    topic: str,
    expires_at: datetime | None = None,
) -> OutboundMessage:
    with transaction.atomic():
        return _record(
            channel=channel,
            to=to,
            sender=sender,
            subject=subject,
            body=body,
            topic=topic,
            expires_at=expires_at,
        )


def _record(
    *,
    channel: str,
    to: str,
    sender: str,
    subject: str,
    body: str,
    topic: str,
    expires_at: datetime | None,
):
    if topic:
        # An older message on the same topic (a code since replaced) must not arrive late.
        OutboundMessage.objects.filter(topic=topic, status=OutboundMessage.Status.QUEUED).update(
            status=OutboundMessage.Status.CANCELLED,
            finished_at=timezone.now(),
            subject_encrypted="",
            body_encrypted="",
        )
    message = OutboundMessage(channel=channel, topic=topic, sender=sender, expires_at=expires_at)
    # str(): a lazy translation is not text to encrypt.
    message.recipient = str(to)
    message.subject = str(subject)
    message.body = str(body)
    message.save()
    transaction.on_commit(lambda: message_enqueue(message=message))
    return message


def queue_sms(
    *,
    to: str,
    body: str,
    sender: str = "",
    topic: str = "",
    expires_at: datetime | None = None,
) -> OutboundMessage:
    """Record an SMS in the current transaction and send it after the commit.

    `sender`: SMS_SENDER_NOTICE unless told (a one-time password's comes from
    messaging.sms_sender). A sender outside SMS_SENDER_NAMES (ACC-12) is refused here, in
    the caller, rather than later in a worker where nobody would see the mistake. `topic`
    names what the message is about for a page that waits on it; a newer message on a topic
    cancels a queued older one.
    `expires_at`: when the message stops being of use (a code's expiry); not sent after it.
    """
    sender = check_sender(sender or sms_sender())
    if not to:
        raise ValueError("an SMS needs a recipient number")
    return _queue(
        channel=OutboundMessage.Channel.SMS,
        to=to,
        sender=sender,
        body=body,
        topic=topic,
        expires_at=expires_at,
    )


def queue_email(
    *, to: str, subject: str, body: str, topic: str = "", expires_at: datetime | None = None
) -> OutboundMessage:
    """Record a plain-text email in the current transaction and send it after the commit."""
    if not to:
        raise ValueError("an email needs a recipient address")
    return _queue(
        channel=OutboundMessage.Channel.EMAIL,
        to=to,
        subject=subject,
        body=body,
        topic=topic,
        expires_at=expires_at,
    )
