"""Sending SMS and email in the background, only once the change that caused it is committed.

Callers use `queue_sms` and `queue_email` inside their use case's transaction. The task is
enqueued by `transaction.on_commit`, so a rolled-back change sends nothing, and the request
never waits for a gateway.

Delivery is at least once: a worker that dies mid-task (Redis backend: its message is claimed
again after REDIS_CLAIM_TIMEOUT) or an operator re-running a failed task runs the same task
result again. Each task therefore sends with a key derived from its task result id, which is the
same on every run:
- SMS: `reference="task-<id>"`. The sandbox outbox keeps one row per reference; the HTTP gateway
  receives it as Idempotency-Key and answers a repeat with the first message's id, sending
  nothing. A repeat returns the same message id.
- Email: `Message-ID: <task-<id>@domain>`. The sandbox outbox keeps one row per Message-ID;
  over SMTP a repeat delivers a second copy with the same Message-ID, which mail stores
  collapse into one.
A gateway that is down raises RegistryUnavailable out of the task: the backend records the
task as failed (with the error), and nothing was sent.
"""

from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.utils import DNS_NAME
from django.db import transaction
from django.tasks import TaskContext, task

from portal.registries.messaging import check_sender, sms_gateway

__all__ = ["queue_email", "queue_sms", "send_email_task", "send_sms_task"]


@task(takes_context=True)
def send_sms_task(context: TaskContext, to: str, sender: str, body: str) -> str:
    """Send one SMS through the configured gateway; returns the gateway's message id."""
    return sms_gateway().send(
        to=to, sender=sender, body=body, reference=f"task-{context.task_result.id}"
    )


def _message_id(task_id: str) -> str:
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or str(DNS_NAME)
    return f"<task-{task_id}@{domain}>"


@task(takes_context=True)
def send_email_task(context: TaskContext, to: str, subject: str, body: str) -> str:
    """Send one plain-text email through EMAIL_BACKEND; returns its Message-ID."""
    message_id = _message_id(context.task_result.id)
    EmailMessage(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers={"Message-ID": message_id},
    ).send()
    return message_id


def queue_sms(*, to: str, body: str, sender: str = "iIDS") -> None:
    """Send an SMS after the current transaction commits (at once outside a transaction).

    A sender outside SMS_SENDER_NAMES (ACC-12) is refused here, in the caller, rather than
    later in a worker where nobody would see the mistake.
    """
    check_sender(sender)
    if not to:
        raise ValueError("an SMS needs a recipient number")

    # str(): a lazy translation is not JSON, and task arguments must be.
    args = (str(to), sender, str(body))

    def enqueue_sms() -> None:
        send_sms_task.enqueue(*args)

    # robust: the change is committed by now; a queue that cannot take the task is logged
    # (by Django, naming only this function, so no number or code reaches the log) instead of
    # turning a completed use case into an error page.
    transaction.on_commit(enqueue_sms, robust=True)


def queue_email(*, to: str, subject: str, body: str) -> None:
    """Send a plain-text email after the current transaction commits."""
    if not to:
        raise ValueError("an email needs a recipient address")

    args = (str(to), str(subject), str(body))

    def enqueue_email() -> None:
        send_email_task.enqueue(*args)

    transaction.on_commit(enqueue_email, robust=True)
