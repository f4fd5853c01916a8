"""Delivering back-channel logout tokens (SSO-07) in the background, after the session's end
is committed."""

import httpx
from django.conf import settings
from django.db import transaction
from django.tasks import task
from django.utils import timezone

from portal.identity.backchannel import logout_token
from portal.identity.models import SignIn
from portal.identity.oidc import public_subject

# Tests put an httpx.WSGITransport here so that the portal reaches the sandbox connected
# system in-process; in production it stays None (real sockets).
TRANSPORT: httpx.BaseTransport | None = None


@task()
def send_backchannel_logout(sign_in_id: str, issuer: str) -> str:
    """POST the logout token to the system's back-channel logout URI. One attempt: the
    member's tokens are already dead at the portal, so a system that misses the call can
    no longer refresh or call userinfo; its own session ends when its own timeout does.
    The outcome is kept on the sign-in for officers to see."""
    sign_in = SignIn.objects.select_related("system__client").get(pk=sign_in_id)
    system = sign_in.system
    if not system.backchannel_logout_uri or system.client is None:
        return "none"
    token = logout_token(
        issuer=issuer,
        client_id=system.client.client_id,
        subject=public_subject(sign_in.member_id),
        sid=str(sign_in.pk),
    )
    error = ""
    try:
        with httpx.Client(
            timeout=settings.BACKCHANNEL_LOGOUT_TIMEOUT_SECONDS, transport=TRANSPORT
        ) as client:
            response = client.post(
                system.backchannel_logout_uri,
                data={"logout_token": token},
                headers={"Cache-Control": "no-store"},
            )
        if response.status_code != 200:
            error = f"HTTP {response.status_code}"
    except httpx.HTTPError as exc:
        error = type(exc).__name__
    SignIn.objects.filter(pk=sign_in.pk).update(logout_sent_at=timezone.now(), logout_error=error)
    return error or "sent"


def queue_backchannel_logout(*, sign_in_id: str, issuer: str) -> None:
    def enqueue() -> None:
        send_backchannel_logout.enqueue(sign_in_id, issuer)

    transaction.on_commit(enqueue, robust=True)
