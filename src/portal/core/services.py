from typing import Any

from django.db import connection, models

from portal.core.models import AuditEntry
from portal.core.network import client_ip


def _client_ip(request) -> str | None:
    if request is None:
        return None
    return client_ip(request)


def in_use_case_transaction() -> bool:
    """True inside a transaction opened by the code itself.

    The test runner wraps each test in transactions of its own (marked `_from_testcase`);
    those do not count, so a service that forgets its transaction fails its tests too instead
    of only in production."""
    return any(not getattr(block, "_from_testcase", False) for block in connection.atomic_blocks)


def audit_record(
    *,
    actor,
    action: str,
    target: models.Model,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    actor_role: str | None = None,
    request=None,
) -> AuditEntry:
    """Write one audit row; callers run inside the transaction of the change itself."""
    if not in_use_case_transaction():
        raise RuntimeError("audit_record must run inside the transaction of the audited change")
    if actor_role is None:
        if actor is None or not getattr(actor, "is_authenticated", False):
            actor_role = "system" if request is None else "anonymous"
        else:
            actor_role = "officer" if getattr(actor, "is_officer", False) else "member"
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        actor_role=actor_role,
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        before=before or {},
        after=after or {},
        ip_address=_client_ip(request),
    )
