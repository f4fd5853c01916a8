"""Background work of this app: the registry comparison of SSO-09, off the login path.

A consultant holding 150 companies made 150 synchronous DBD calls at each login; the login now
only queues this task (after its transaction commits) and the member sees the changes to
confirm on the dashboard once it ran. Its only argument is the member's id: no personal data
in task arguments."""

from django.db import transaction
from django.tasks import task

from portal.operators.services import registry_changes_find

__all__ = ["queue_registry_changes_find", "registry_changes_find_task"]


@task
def registry_changes_find_task(member_id: int) -> int:
    """SSO-09: compare the member's businesses with the registries and record the changes to
    confirm. A registry that is down fails the task and leaves nothing half-done; the next
    login queues it again."""
    return registry_changes_find(member_id=member_id)


def queue_registry_changes_find(*, member_id: int) -> None:
    """Queue the SSO-09 comparison once the caller's transaction commits (at once outside one)."""
    transaction.on_commit(lambda: registry_changes_find_task.enqueue(member_id))
