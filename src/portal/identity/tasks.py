"""Delivering back-channel logout tokens (SSO-07) in the background, after the session's end
is committed."""

from datetime import timedelta
from urllib.parse import urlsplit

import httpx
from django.conf import settings
from django.db import transaction
from django.tasks import task
from django.utils import timezone

from portal.core.http_client import HttpClient
from portal.identity.backchannel import logout_token
from portal.identity.models import SignIn
from portal.identity.oidc import public_subject
from portal.registries.base import RegistryUnavailable

# Tests put an httpx.WSGITransport here so that the portal reaches the sandbox connected
# system in-process; in production it stays None (real sockets).
TRANSPORT: httpx.BaseTransport | None = None


ATTEMPTS = 3
RETRY_DELAYS_SECONDS = (30, 300)


@task()
def send_backchannel_logout(sign_in_id: str, issuer: str, attempt: int = 1) -> str:
    """POST the logout token to the system's back-channel logout URI; a system that is down
    is tried again after 30 s and 5 minutes (where the task backend can wait). The member's
    tokens are already dead at the portal, so a system that never gets the call can no longer
    refresh or call userinfo. The outcome is kept on the sign-in."""
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
    uri = system.backchannel_logout_uri
    parts = urlsplit(uri)
    # One breaker per system: one system that is down does not hold the others' logouts.
    client = HttpClient(
        f"backchannel-logout:{system.slug}",
        base_url=f"{parts.scheme}://{parts.netloc}",
        timeout=settings.BACKCHANNEL_LOGOUT_TIMEOUT_SECONDS,
        transport=TRANSPORT,
    )
    error = ""
    try:
        # Not idempotent for the client's retries: a system refuses a logout token it has
        # seen (its jti); the retries below send a new token.
        response = client.post(
            uri,
            data={"logout_token": token},
            headers={"Cache-Control": "no-store"},
            idempotent=False,
        )
        if not response.is_success:
            error = f"HTTP {response.status_code}"
    except RegistryUnavailable as exc:
        error = exc.reason  # timeout, down or circuit_open
    SignIn.objects.filter(pk=sign_in.pk).update(logout_sent_at=timezone.now(), logout_error=error)
    # A 4xx is the system refusing this token: sending it again would not help.
    retry = error and not error.startswith("HTTP 4") and attempt < ATTEMPTS
    if retry and send_backchannel_logout.get_backend().supports_defer:
        later = timezone.now() + timedelta(seconds=RETRY_DELAYS_SECONDS[attempt - 1])
        send_backchannel_logout.using(run_after=later).enqueue(sign_in_id, issuer, attempt + 1)
    return error or "sent"


def queue_backchannel_logout(*, sign_in_id: str, issuer: str) -> None:
    def enqueue() -> None:
        send_backchannel_logout.enqueue(sign_in_id, issuer)

    transaction.on_commit(enqueue, robust=True)
