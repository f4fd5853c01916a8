"""Background work of this app: the member's side of the SSO-09 comparison, off the login path.

Its only argument is the member's id: no personal data in task arguments."""

from django.db import transaction
from django.tasks import task

from portal.accounts.services import member_registry_name_find

__all__ = ["member_registry_name_find_task", "queue_member_registry_name_find"]


@task
def member_registry_name_find_task(member_id: int) -> bool:
    """SSO-09: compare the member's name with the civil registry. A registry that is down
    fails the task and changes nothing; the next login queues it again."""
    return member_registry_name_find(member_id=member_id)


def queue_member_registry_name_find(*, member_id: int) -> None:
    """Queue the comparison once the caller's transaction commits (at once outside one)."""
    transaction.on_commit(lambda: member_registry_name_find_task.enqueue(member_id))
