"""The migration that takes the old send tasks' texts out of the task table."""

import importlib

import pytest
from django.apps import apps
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from portal.registries.models import OutboundMessage

pytestmark = pytest.mark.django_db

migration = importlib.import_module("portal.registries.migrations.0002_messages_task_arguments_out")


def old_row(task_path: str, args: list, status: str) -> DBTaskResult:
    return DBTaskResult.objects.create(
        task_path=task_path,
        args_kwargs={"args": args, "kwargs": {}},
        status=status,
        backend_name="default",
        run_after=timezone.now(),
        exception_class_path="",
        traceback="",
    )


def test_old_send_tasks_leave_the_task_table_and_waiting_ones_become_encrypted_records():
    old_row(migration.OLD_SMS, ["0812345678", "iIDS", "OTP 123456"], TaskResultStatus.READY)
    old_row(migration.OLD_EMAIL, ["a@example.com", "รหัส", "OTP 654321"], TaskResultStatus.RUNNING)
    old_row(migration.OLD_SMS, ["0812345678", "iIDS", "OTP 111111"], TaskResultStatus.SUCCESSFUL)
    other = old_row("portal.identity.tasks.something", [], TaskResultStatus.READY)

    migration.move_out(apps, None)

    assert list(DBTaskResult.objects.values_list("pk", flat=True)) == [other.pk]
    sms, email = OutboundMessage.objects.order_by("pk")
    assert (sms.channel, sms.sender, sms.recipient, sms.body, sms.status) == (
        "sms",
        "iIDS",
        "0812345678",
        "OTP 123456",
        "queued",
    )
    assert (email.channel, email.recipient, email.subject, email.body) == (
        "email",
        "a@example.com",
        "รหัส",
        "OTP 654321",
    )
    assert "123456" not in sms.body_encrypted
