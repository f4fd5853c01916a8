"""Take the SMS and email texts (one-time codes among them) out of the task table.

Before issue 8 the send tasks carried recipient and text as arguments. Waiting ones become
outbound-message records (encrypted; the schedule's sweep enqueues them by id), and every row
of the old tasks is deleted, finished or not, so no code stays there in clear.
"""

from django.db import migrations
from django.utils import timezone

OLD_SMS = "portal.registries.tasks.send_sms_task"
OLD_EMAIL = "portal.registries.tasks.send_email_task"


def move_out(apps, schema_editor):
    from portal.core.thaiid import encrypt_text

    DBTaskResult = apps.get_model("django_tasks_database", "DBTaskResult")
    OutboundMessage = apps.get_model("registries", "OutboundMessage")
    old_rows = DBTaskResult.objects.filter(task_path__in=[OLD_SMS, OLD_EMAIL])
    for row in old_rows.filter(status__in=["READY", "RUNNING"]).iterator():
        args = (row.args_kwargs or {}).get("args") or []
        if len(args) != 3:
            continue
        if row.task_path == OLD_SMS:
            to, sender, subject, body = args[0], args[1], "", args[2]
            channel = "sms"
        else:
            to, sender, subject, body = args[0], "", args[1], args[2]
            channel = "email"
        OutboundMessage.objects.create(
            channel=channel,
            sender=sender,
            recipient_encrypted=encrypt_text(str(to)),
            subject_encrypted=encrypt_text(str(subject)) if subject else "",
            body_encrypted=encrypt_text(str(body)) if body else "",
            next_attempt_at=timezone.now(),
        )
    old_rows.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("registries", "0001_messages_outbound"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
    ]

    operations = [migrations.RunPython(move_out, migrations.RunPython.noop)]
