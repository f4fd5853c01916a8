from typing import Any

from django.db import connection, models

from portal.core.acting import Acting, resolve_acting
from portal.core.models import AuditEntry


def in_use_case_transaction() -> bool:
    """True inside a transaction opened by the code itself.

    The test runner wraps each test in transactions of its own (marked `_from_testcase`);
    those do not count, so a service that forgets its transaction fails its tests too instead
    of only in production."""
    return any(not getattr(block, "_from_testcase", False) for block in connection.atomic_blocks)


def audit_record(
    *,
    action: str,
    target: models.Model,
    actor=None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    actor_role: str | None = None,
    acting: Acting | None = None,
    request=None,
) -> AuditEntry:
    """Write one audit row (ADM-03) with its principal and actor; callers run inside the
    transaction of the change itself."""
    if not in_use_case_transaction():
        raise RuntimeError("audit_record must run inside the transaction of the audited change")
    context = resolve_acting(acting=acting, request=request, actor=actor)
    if actor is None:
        actor = context.actor
    if actor_role is None:
        actor_role = context.role
    principal = context.principal
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        actor_role=actor_role,
        principal=principal.key if principal else "",
        channel=context.channel,
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        before=before or {},
        after=after or {},
        ip_address=context.client_ip,
    )
