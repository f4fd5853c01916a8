"""Outbound messages: recorded with the change, encrypted at rest, only an id in the task,
retried with backoff, failed visibly, swept when their task is lost, text erased once done."""

import logging
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from portal.registries.failures import failure_set
from portal.registries.models import OutboundMessage
from portal.registries.schedule import outbound_sweep
from portal.registries.tasks import deliver_message, queue_email, queue_sms
from portal.sandbox.models import OutboxMessage

pytestmark = pytest.mark.django_db

MOBILE = "0812345678"
CODE = "654321"


@pytest.fixture
def sms_down(no_failure_switches):
    failure_set("sms", "down")


@pytest.fixture
def db_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": []}}


def stored_row(message: OutboundMessage) -> str:
    """The record's row as the database holds it, every column as text."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT * FROM {OutboundMessage._meta.db_table} WHERE id = %s",
            [message.pk],
        )
        return " ".join(str(value) for value in cursor.fetchone())


@pytest.mark.usefixtures("db_tasks")
def test_queue_sms_records_the_message_encrypted_and_the_task_carries_only_its_id(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        message = queue_sms(to=MOBILE, body=f"OTP {CODE}", topic="otp-test-1")

    message.refresh_from_db()
    assert (message.channel, message.sender, message.status, message.topic) == (
        "sms",
        "iIDS",
        "queued",
        "otp-test-1",
    )
    assert (message.recipient, message.body) == (MOBILE, f"OTP {CODE}")
    row = stored_row(message)
    assert MOBILE not in row
    assert CODE not in row
    [task_row] = DBTaskResult.objects.all()
    assert task_row.task_path == "portal.registries.tasks.deliver_message"
    assert task_row.args_kwargs == {"args": [message.pk], "kwargs": {}}
    assert CODE not in str(task_row.args_kwargs)


def test_a_sent_message_keeps_its_record_and_loses_its_text(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message = queue_sms(to=MOBILE, body=f"OTP {CODE}")

    message.refresh_from_db()
    outbox = OutboxMessage.objects.get()
    assert outbox.body == f"OTP {CODE}"
    assert (message.status, message.attempts, message.gateway_message_id) == (
        "sent",
        1,
        f"outbox-{outbox.pk}",
    )
    assert message.sent_at is not None
    assert (message.body_encrypted, message.subject_encrypted) == ("", "")
    assert message.recipient == MOBILE


@pytest.mark.usefixtures("sms_down")
def test_a_gateway_failure_is_retried_with_doubling_waits_then_fails(
    settings, django_capture_on_commit_callbacks
):
    settings.OUTBOUND_MAX_ATTEMPTS = 3
    settings.OUTBOUND_RETRY_SECONDS = 30
    with django_capture_on_commit_callbacks(execute=True):
        message = queue_sms(to=MOBILE, body=f"OTP {CODE}")

    waits = []
    for attempt in (1, 2):
        message.refresh_from_db()
        assert (message.status, message.attempts, message.last_error) == (
            "queued",
            attempt,
            "sms:down",
        )
        waits.append(round((message.next_attempt_at - timezone.now()).total_seconds()))
        # Not yet due: a task running now does nothing.
        assert deliver_message.call(message.pk) == "skipped"
        OutboundMessage.objects.filter(pk=message.pk).update(
            next_attempt_at=timezone.now() - timedelta(seconds=1)
        )
        assert deliver_message.call(message.pk) in ("queued", "failed")
    assert waits == [30, 60]

    message.refresh_from_db()
    assert (message.status, message.attempts, message.last_error) == ("failed", 3, "sms:down")
    assert message.body_encrypted == ""
    assert OutboxMessage.objects.count() == 0
    # A failed message stays failed: nothing runs it again.
    assert deliver_message.call(message.pk) == "skipped"


@pytest.mark.usefixtures("quick_http_client")
def test_a_message_refused_for_good_fails_at_once(
    settings, fresh_server, django_capture_on_commit_callbacks
):
    fresh_server.expect_request("/v1/messages", method="POST").respond_with_json(
        {"error": "bad_number", "detail": "no such subscriber"}, status=400
    )
    settings.MESSAGING_ADAPTER = "http"
    settings.SMS_GATEWAY_URL = fresh_server.url_for("/v1")
    with django_capture_on_commit_callbacks(execute=True):
        message = queue_sms(to=MOBILE, body=f"OTP {CODE}")

    message.refresh_from_db()
    assert (message.status, message.attempts, message.last_error) == (
        "failed",
        1,
        "rejected:bad_number",
    )
    assert len(fresh_server.log) == 1
    assert fresh_server.log[0][0].headers["Idempotency-Key"] == f"outbound-{message.pk}"


def test_a_bug_in_the_send_fails_the_message_visibly_and_the_task_loudly():
    message = queue_sms(to=MOBILE, body="hello")  # not committed: its task has not run
    # The sender was withdrawn from SMS_SENDER_NAMES after the message was queued.
    OutboundMessage.objects.filter(pk=message.pk).update(sender="gone")

    with pytest.raises(ValueError, match="SMS sender 'gone' is not one of iIDS, i-ind"):
        deliver_message.call(message.pk)

    message.refresh_from_db()
    assert (message.status, message.attempts, message.last_error) == ("failed", 1, "ValueError")
    assert message.body_encrypted == ""
    assert OutboxMessage.objects.count() == 0


def test_a_message_whose_workers_keep_dying_is_given_up(settings):
    settings.OUTBOUND_MAX_ATTEMPTS = 2
    message = queue_sms(to=MOBILE, body="poison")
    OutboundMessage.objects.filter(pk=message.pk).update(
        status="sending", attempts=2, sending_since=timezone.now() - timedelta(seconds=301)
    )

    assert deliver_message.call(message.pk) == "skipped"

    message.refresh_from_db()
    assert (message.status, message.attempts, message.last_error) == ("failed", 2, "abandoned")
    assert OutboxMessage.objects.count() == 0


def test_a_task_run_twice_sends_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message = queue_sms(to=MOBILE, body="once")
    assert deliver_message.call(message.pk) == "skipped"
    assert OutboxMessage.objects.count() == 1


def test_a_message_left_sending_by_a_dead_worker_is_sent_once_after_the_claim_timeout(settings):
    settings.TASKS_CLAIM_TIMEOUT_SECONDS = 300
    message = queue_sms(to=MOBILE, body="after a crash")  # its task never ran: no commit
    # What a worker killed while the gateway answered leaves behind.
    OutboundMessage.objects.filter(pk=message.pk).update(
        status="sending", attempts=1, sending_since=timezone.now() - timedelta(seconds=60)
    )
    assert deliver_message.call(message.pk) == "skipped"  # that worker may still be alive
    assert outbound_sweep() == 0

    OutboundMessage.objects.filter(pk=message.pk).update(
        sending_since=timezone.now() - timedelta(seconds=301)
    )
    assert outbound_sweep() == 1  # immediate backend: the sweep's task runs at once

    message.refresh_from_db()
    assert (message.status, message.attempts) == ("sent", 2)
    assert OutboxMessage.objects.get().reference == f"outbound-{message.pk}"


@pytest.mark.usefixtures("db_tasks")
def test_the_sweep_enqueues_a_queued_message_whose_task_was_lost():
    message = queue_sms(to=MOBILE, body="lost task")
    DBTaskResult.objects.all().delete()  # the queue lost it
    assert outbound_sweep() == 0  # not overdue yet

    OutboundMessage.objects.filter(pk=message.pk).update(
        next_attempt_at=timezone.now() - timedelta(seconds=61)
    )
    assert outbound_sweep() == 1
    [task_row] = DBTaskResult.objects.all()
    assert task_row.args_kwargs["args"] == [message.pk]
    assert task_row.status == TaskResultStatus.READY


def test_a_newer_message_on_the_topic_cancels_the_queued_older_one(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": []}}
    older = queue_sms(to=MOBILE, body="OTP 111111", topic="otp-reset-7")
    other = queue_sms(to=MOBILE, body="OTP 222222", topic="otp-reset-8")
    newer = queue_sms(to=MOBILE, body="OTP 333333", topic="otp-reset-7")

    statuses = dict(OutboundMessage.objects.values_list("pk", "status"))
    assert statuses == {older.pk: "cancelled", other.pk: "queued", newer.pk: "queued"}
    older.refresh_from_db()
    assert older.body_encrypted == ""
    assert deliver_message.call(older.pk) == "skipped"


@pytest.mark.usefixtures("outbox_email_backend")
def test_queue_email_records_encrypted_and_sends_with_a_stable_message_id(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        message = queue_email(to="somchai@example.com", subject="รหัส", body=f"OTP {CODE}")

    message.refresh_from_db()
    outbox = OutboxMessage.objects.get()
    assert (outbox.to, outbox.subject, outbox.body) == ("somchai@example.com", "รหัส", f"OTP {CODE}")
    assert message.status == "sent"
    assert message.gateway_message_id == f"<outbound-{message.pk}@industry.go.th>"
    assert "somchai" not in stored_row(message)


@pytest.fixture
def outbox_email_backend(settings):
    # The test environment swaps the email backend for locmem; this test wants the sandbox's.
    backend = "portal.sandbox.mail.OutboxEmailBackend"
    if hasattr(settings, "MAILERS"):
        settings.MAILERS = {"default": {"BACKEND": backend}}
    else:
        settings.EMAIL_BACKEND = backend


@pytest.mark.usefixtures("sms_down")
def test_retry_and_failure_logs_name_the_record_never_the_number_or_code(
    settings, caplog, django_capture_on_commit_callbacks
):
    settings.OUTBOUND_MAX_ATTEMPTS = 1
    with caplog.at_level(logging.DEBUG), django_capture_on_commit_callbacks(execute=True):
        message = queue_sms(to=MOBILE, body=f"OTP {CODE}")

    assert f"outbound message {message.pk} failed after 1 attempts: sms:down" in caplog.text
    assert MOBILE not in caplog.text
    assert CODE not in caplog.text


def test_acc_12_a_code_whose_worker_died_is_not_sent_after_it_expired(settings):
    """ACC-12: a worker killed mid-send leaves the message for the claim timeout (300 s), as
    long as a code lives (5 minutes): once its claim expires, the code has too, and it is
    failed ("Send again" on the page) instead of arriving useless."""
    settings.TASKS_CLAIM_TIMEOUT_SECONDS = 300
    message = queue_sms(
        to=MOBILE,
        body=f"OTP {CODE}",
        topic="otp-test-1",
        expires_at=timezone.now() + timedelta(seconds=300),
    )
    OutboundMessage.objects.filter(pk=message.pk).update(
        status="sending",
        attempts=1,
        sending_since=timezone.now() - timedelta(seconds=301),
        expires_at=timezone.now() - timedelta(seconds=1),
    )

    assert outbound_sweep() == 1  # the sweep's task runs at once (immediate backend)

    message.refresh_from_db()
    assert (message.status, message.attempts, message.last_error) == ("failed", 1, "expired")
    assert (message.subject_encrypted, message.body_encrypted) == ("", "")
    assert OutboxMessage.objects.count() == 0


def test_acc_12_a_code_still_valid_after_a_crash_is_sent_once(settings):
    """ACC-12: A code still valid after a crash is sent once."""
    settings.TASKS_CLAIM_TIMEOUT_SECONDS = 300
    message = queue_sms(
        to=MOBILE, body=f"OTP {CODE}", expires_at=timezone.now() + timedelta(seconds=60)
    )
    OutboundMessage.objects.filter(pk=message.pk).update(
        status="sending", attempts=1, sending_since=timezone.now() - timedelta(seconds=301)
    )

    assert outbound_sweep() == 1

    message.refresh_from_db()
    assert (message.status, message.attempts) == ("sent", 2)
    assert OutboxMessage.objects.count() == 1


def test_acc_12_no_retry_is_planned_past_the_codes_expiry(sms_down, settings):
    """ACC-12: The gateway is down and the next wait would end after the code's expiry: the message
    fails now, so the page says "Send again" while the code could still be replaced."""
    settings.OUTBOUND_RETRY_SECONDS = 30
    message = queue_sms(
        to=MOBILE, body=f"OTP {CODE}", expires_at=timezone.now() + timedelta(seconds=20)
    )

    assert deliver_message.call(message.pk) == "failed"

    message.refresh_from_db()
    assert (message.status, message.attempts, message.last_error) == ("failed", 1, "sms:down")
    assert OutboxMessage.objects.count() == 0


def test_acc_12_a_code_left_sending_by_a_killed_worker_arrives_within_its_lifetime(settings):
    """ACC-12: the message's claim (90 s) is far shorter than the task's (300 s) and than a
    code's life (5 minutes): the sweep sends it again, once, while the code still works.
    The dead worker's task, made ready after 300 s, then finds it sent."""
    settings.TASKS_CLAIM_TIMEOUT_SECONDS = 300
    settings.OUTBOUND_CLAIM_TIMEOUT_SECONDS = 90
    message = queue_sms(
        to=MOBILE, body=f"OTP {CODE}", expires_at=timezone.now() + timedelta(seconds=200)
    )
    OutboundMessage.objects.filter(pk=message.pk).update(
        status="sending", attempts=1, sending_since=timezone.now() - timedelta(seconds=89)
    )
    assert outbound_sweep() == 0  # that worker may still be alive

    OutboundMessage.objects.filter(pk=message.pk).update(
        sending_since=timezone.now() - timedelta(seconds=91)
    )
    assert outbound_sweep() == 1  # the sweep's task runs at once (immediate backend)

    message.refresh_from_db()
    assert (message.status, message.attempts) == ("sent", 2)
    assert deliver_message.call(message.pk) == "skipped"  # the dead worker's task, later
    assert OutboxMessage.objects.count() == 1


def test_the_message_claim_is_never_longer_than_the_task_claim(settings):
    settings.TASKS_CLAIM_TIMEOUT_SECONDS = 5
    settings.OUTBOUND_CLAIM_TIMEOUT_SECONDS = 90
    message = queue_sms(to=MOBILE, body="after a crash")
    OutboundMessage.objects.filter(pk=message.pk).update(
        status="sending", attempts=1, sending_since=timezone.now() - timedelta(seconds=6)
    )

    assert deliver_message.call(message.pk) == "sent"
    assert OutboxMessage.objects.count() == 1


def test_the_message_claim_defaults_to_90_seconds():
    from django.conf import settings as project_settings

    assert project_settings.OUTBOUND_CLAIM_TIMEOUT_SECONDS == 90
