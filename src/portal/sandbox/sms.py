"""The SMS gateway of the sandbox: every SMS lands in the outbox (MESSAGING_ADAPTER=sandbox)."""

from portal.registries.failures import failure_apply
from portal.registries.messaging import REGISTRY, check_sender
from portal.sandbox.models import OutboxMessage


class SandboxSmsGateway:
    """Writes each SMS to the sandbox outbox; obeys the "sms" failure switch."""

    def send(self, *, to: str, sender: str, body: str, reference: str = "") -> str:
        check_sender(sender)
        # The switch acts before anything is written, so a failing gateway leaves no trace.
        failure_apply(REGISTRY)
        fields = {"to": to, "sender": sender, "body": body}
        if reference:
            message, _ = OutboxMessage.objects.get_or_create(
                channel=OutboxMessage.Channel.SMS, reference=reference, defaults=fields
            )
        else:
            message = OutboxMessage.objects.create(channel=OutboxMessage.Channel.SMS, **fields)
        return f"outbox-{message.pk}"
