"""Django email backend of the sandbox: every message lands in the outbox, none leaves."""

from django.core.mail.backends.base import BaseEmailBackend

from portal.sandbox.models import OutboxMessage


def _message_id(message) -> str:
    for name, value in message.extra_headers.items():
        if name.lower() == "message-id":
            return str(value)
    return ""


def _plain_text(message) -> str:
    # An HTML-only message still has to be readable in the outbox, so its HTML stands in.
    if message.body:
        return message.body
    for content, mimetype in getattr(message, "alternatives", []):
        if mimetype == "text/html":
            return str(content)
    return ""


class OutboxEmailBackend(BaseEmailBackend):
    """Writes each message to the sandbox outbox (EMAIL_BACKEND when SANDBOX=1 or TESTING=1).

    A message carrying a Message-ID header that is already in the outbox is a repeated
    delivery of the same send (at-least-once tasks) and adds no second row.
    """

    def send_messages(self, email_messages) -> int:
        sent = 0
        for message in email_messages:
            recipients = message.recipients()
            if not recipients:
                continue
            message.message()  # the same header validation an SMTP send would do
            fields = {
                "to": ", ".join(recipients),
                "sender": message.from_email or "",
                "subject": message.subject or "",
                "body": _plain_text(message),
            }
            reference = _message_id(message)
            if reference:
                OutboxMessage.objects.get_or_create(
                    channel=OutboxMessage.Channel.EMAIL, reference=reference, defaults=fields
                )
            else:
                OutboxMessage.objects.create(channel=OutboxMessage.Channel.EMAIL, **fields)
            sent += 1
        return sent
