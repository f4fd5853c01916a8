"""The client's network address, as the proxies the portal trusts report it.

Behind a load balancer REMOTE_ADDR is the balancer's address, and X-Forwarded-For is a list
the client can start with anything it likes: each proxy appends the address it received the
request from. Only the entries appended by proxies we run can be believed, so the setting
TRUSTED_PROXY_HOPS says how many there are, and the client is the entry that the outermost of
them appended. Every limit, lockout (axes) and audit row uses this one function.
"""

import ipaddress

from django.conf import settings

__all__ = ["client_ip"]


def _valid(address: str) -> str | None:
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    """The address of the client that sent this request; None when it cannot be known."""
    remote = _valid(request.META.get("REMOTE_ADDR") or "")
    hops = int(getattr(settings, "TRUSTED_PROXY_HOPS", 0))
    if hops <= 0:
        return remote
    forwarded = [part for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part.strip() for part in forwarded if part.strip()]
    if len(forwarded) < hops:
        # The request did not pass through every trusted proxy (a direct connection, or a
        # proxy that was bypassed): nothing in the header is ours, the socket is the truth.
        return remote
    return _valid(forwarded[-hops]) or remote
